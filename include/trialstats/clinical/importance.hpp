// Whether a pooled effect is clinically important: its confidence interval against no effect and the
// minimal clinically important difference (MCID), the probability that the true mean effect lies
// beyond the MCID (normal or t, and under a sceptical normal prior), and, under random effects, the
// share of settings whose true effect lies beyond the MCID, from the prediction distribution.
//
// References (formulas in docs/methods.md, "Clinical importance"):
//   Guyatt GH, Oxman AD, Kunz R, et al. (2011). GRADE guidelines 6. Rating the quality of evidence —
//     imprecision. J Clin Epidemiol 64:1283–1293 (the CI against the MCID and against no effect).
//   Schünemann HJ, Vist GE, Higgins JPT, et al. (2022). Interpreting results and drawing conclusions.
//     Cochrane Handbook for Systematic Reviews of Interventions, version 6.3, chapter 15.
//   Spiegelhalter DJ, Freedman LS, Parmar MKB (1994). Bayesian approaches to randomized trials.
//     J R Stat Soc A 157:357–416 (the sceptical prior centred on no effect).
//   Higgins JPT, Thompson SG, Spiegelhalter DJ (2009). A re-evaluation of random-effects meta-analysis.
//     J R Stat Soc A 172:137–159 (the predictive distribution of the effect in a new setting).
//   Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects meta-analyses. BMJ 342:d549.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::clinical {

/// Which values of the outcome are good: e.g. lower is better for pain or fatigue scores.
enum class Direction { lower_is_better, higher_is_better };

/// A minimal clinically important difference: its size and the direction of benefit.
struct Mcid {
  double value = 0;  ///< the MCID; only its size counts (−2 and 2 are the same MCID), must not be 0
  Direction direction = Direction::lower_is_better;
};

/// +1 when higher is better, −1 when lower is better: multiplying an effect by it puts benefit above 0.
[[nodiscard]] constexpr double benefit_sign(Direction d) {
  return d == Direction::higher_is_better ? 1.0 : -1.0;
}

/// The MCID as a threshold on the effect scale: −|value| when lower is better, +|value| otherwise.
[[nodiscard]] inline double threshold(const Mcid& m) {
  return benefit_sign(m.direction) * std::fabs(m.value);
}

/// The categories of a pooled effect, from its CI against 0 and the MCID (see `classify`).
enum class Category {
  important,                         ///< the whole CI lies beyond the MCID
  possibly_important,                ///< the CI excludes 0 and the estimate is beyond the MCID, but the CI crosses it
  significant_possibly_unimportant,  ///< the CI excludes 0, the estimate is not beyond the MCID, the CI crosses it
  trivial,                           ///< the whole CI lies inside ±MCID
  inconclusive,                      ///< the CI includes 0 and reaches beyond the MCID
};

/// The side of no effect on which the estimate lies.
enum class Side { benefit, harm, none };

/// A pooled effect as the importance analysis needs it: from `meta::pool`, from `pool --format json`,
/// or given by hand.
struct PooledSummary {
  double estimate = 0;
  double se = 0;                  ///< standard error (after any Knapp–Hartung scaling)
  std::optional<double> df{};     ///< df of the t distribution of the test and CI; absent: normal
  std::optional<double> tau2{};   ///< between-study variance; absent: no prediction distribution
  std::optional<double> pi_df{};  ///< df of the t distribution of the PI; absent: normal
  double level = 0.95;
};

struct ImportanceOptions {
  std::optional<double> prior_sd{};  ///< SD of a sceptical normal prior N(0, prior_sd²) on the effect
};

/// The effect under a sceptical prior N(0, s²): the normal posterior (Spiegelhalter et al. 1994).
struct ScepticalPosterior {
  double prior_sd = 0;
  double mean = 0;      ///< estimate · s² / (s² + se²)
  double sd = 0;        ///< (1/se² + 1/s²)^(−1/2)
  Interval interval{};  ///< central credible interval at the analysis level
  double p_beyond = 0;  ///< posterior probability that the effect lies beyond the MCID (benefit side)
};

/// The importance of a pooled effect.
struct Importance {
  Category category = Category::inconclusive;
  Side side = Side::none;  ///< where the estimate lies: benefit (beyond 0 in the good direction), harm
  double estimate = 0;
  double se = 0;
  std::optional<double> df{};
  double level = 0.95;
  Interval ci{};    ///< estimate ± q·se, q normal or t(df)
  double mcid = 0;  ///< the MCID as a threshold on the effect scale (sign of benefit)
  Direction direction = Direction::lower_is_better;
  bool ci_excludes_zero = false;
  bool estimate_beyond = false;  ///< |estimate| ≥ |MCID|, on either side
  double p_beyond = 0;           ///< P(true mean effect beyond the MCID, on the benefit side): normal or t(df)
  double p_harm_beyond = 0;      ///< P(true mean effect beyond the MCID on the harm side)
  std::optional<ScepticalPosterior> sceptical{};
  std::optional<Interval> pi{};  ///< prediction interval estimate ± q·√(se² + tau²), q normal or t(pi_df)
  std::optional<double> tau2{};
  std::optional<double> pi_df{};
  std::optional<double> share_beyond{};  ///< expected share of settings whose true effect lies beyond the MCID
  Warnings warnings{};
};

/// Classifies a CI [lo, hi] and estimate, all on the benefit scale (effect · benefit_sign), against
/// 0 and the MCID size m > 0. The rules, applied in this order:
///   1. important: lo ≥ m (benefit) or hi ≤ −m (harm);
///   2. trivial: −m < lo and hi < m;
///   3. the CI excludes 0 (lo > 0 or hi < 0): possibly_important when |estimate| ≥ m, else
///      significant_possibly_unimportant;
///   4. otherwise (the CI includes 0 and reaches ±m): inconclusive.
[[nodiscard]] constexpr Category classify(double estimate, double lo, double hi, double m) {
  if (lo >= m || hi <= -m) return Category::important;
  if (-m < lo && hi < m) return Category::trivial;
  if (lo > 0 || hi < 0)
    return (estimate >= m || estimate <= -m) ? Category::possibly_important
                                             : Category::significant_possibly_unimportant;
  return Category::inconclusive;
}

/// "important", "possibly_important", "significant_possibly_unimportant", "trivial", "inconclusive".
[[nodiscard]] constexpr std::string_view name(Category c) {
  switch (c) {
    case Category::important:
      return "important";
    case Category::possibly_important:
      return "possibly_important";
    case Category::significant_possibly_unimportant:
      return "significant_possibly_unimportant";
    case Category::trivial:
      return "trivial";
    case Category::inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

/// "lower_is_better", "higher_is_better"; "benefit", "harm", "none".
[[nodiscard]] constexpr std::string_view name(Direction d) {
  return d == Direction::lower_is_better ? "lower_is_better" : "higher_is_better";
}
[[nodiscard]] constexpr std::string_view name(Side s) {
  return s == Side::benefit ? "benefit" : s == Side::harm ? "harm" : "none";
}

namespace detail {
/// P(X > x) for X standard normal, or Student's t with `df` degrees of freedom.
[[nodiscard]] inline double upper_tail(double x, std::optional<double> df) {
  if (std::isinf(x)) return x > 0 ? 0.0 : 1.0;
  if (df) return cdf(complement(stats::StudentsT(*df), x));
  return cdf(complement(stats::Normal(0.0, 1.0), x));
}
[[nodiscard]] inline double critical(double level, std::optional<double> df) {
  return df ? quantile(complement(stats::StudentsT(*df), (1 - level) / 2)) : stats::normal_critical(level);
}
}  // namespace detail

/// The importance of a pooled effect against an MCID.
///  - CI = estimate ± q·se with q the normal or t(df) quantile; category by `classify`.
///  - P(beyond) = P(T > (s·estimate − |MCID|)/se), T normal or t(df), s = benefit_sign: the
///    probability, given the data and a flat prior, that the true mean effect lies beyond the MCID.
///  - Sceptical prior N(0, prior_sd²): normal posterior, P(beyond) = Φ((s·mean − |MCID|)/sd).
///  - With tau²: PI = estimate ± q'·√(se² + tau²) with q' normal or t(pi_df) (Higgins et al. 2009),
///    share beyond = P(T' > (s·estimate − |MCID|)/√(se² + tau²)), the expected proportion of comparable
///    settings whose true effect lies beyond the MCID.
/// @throws DomainError for an MCID of 0 or not finite, se ≤ 0, a non-finite estimate, df ≤ 0,
///         tau² < 0, prior_sd ≤ 0 or a level outside (0, 1).
///
/// Example (fatigue, MFI-20): MD −2.7, SE 0.45, MCID 2 points, lower is better:
///   auto r = clinical::assess_importance({.estimate = -2.7, .se = 0.45}, {2.0, Direction::lower_is_better});
///   // r.ci = [−3.582, −1.818], r.category = possibly_important, r.p_beyond = 0.9401
[[nodiscard]] inline Importance assess_importance(const PooledSummary& in, const Mcid& mcid,
                                                  const ImportanceOptions& options = {}) {
  constexpr std::string_view where = "assess_importance";
  require_finite(where, "MCID", mcid.value);
  if (mcid.value == 0) fail_check(where, "MCID", mcid.value, "different from 0");
  require_finite(where, "estimate", in.estimate);
  require_positive(where, "standard error", in.se);
  if (!(in.level > 0 && in.level < 1)) fail_check(where, "confidence level", in.level, "in (0, 1)");
  if (in.df) require_positive(where, "df", *in.df);
  if (in.pi_df) require_positive(where, "df of the prediction interval", *in.pi_df);
  if (in.tau2) require_nonnegative(where, "tau2", *in.tau2);
  if (options.prior_sd) require_positive(where, "SD of the sceptical prior", *options.prior_sd);

  Importance r;
  const double s = benefit_sign(mcid.direction), m = std::fabs(mcid.value);
  r.estimate = in.estimate;
  r.se = in.se;
  r.df = in.df;
  r.level = in.level;
  r.mcid = threshold(mcid);
  r.direction = mcid.direction;
  const double q = detail::critical(in.level, in.df);
  r.ci = {in.estimate - q * in.se, in.estimate + q * in.se};
  const double b = s * in.estimate;
  const double lo = std::min(s * r.ci.lower, s * r.ci.upper), hi = std::max(s * r.ci.lower, s * r.ci.upper);
  r.category = classify(b, lo, hi, m);
  r.side = b > 0 ? Side::benefit : b < 0 ? Side::harm : Side::none;
  r.ci_excludes_zero = lo > 0 || hi < 0;
  r.estimate_beyond = std::fabs(b) >= m;
  r.p_beyond = detail::upper_tail((m - b) / in.se, in.df);
  r.p_harm_beyond = detail::upper_tail((m + b) / in.se, in.df);
  if (options.prior_sd) {
    const double v0 = *options.prior_sd * *options.prior_sd, v = in.se * in.se;
    ScepticalPosterior p;
    p.prior_sd = *options.prior_sd;
    p.mean = in.estimate * v0 / (v0 + v);
    p.sd = std::sqrt(1 / (1 / v + 1 / v0));
    const double z = stats::normal_critical(in.level);
    p.interval = {p.mean - z * p.sd, p.mean + z * p.sd};
    p.p_beyond = detail::upper_tail((m - s * p.mean) / p.sd, std::nullopt);
    r.sceptical = p;
  }
  if (in.tau2) {
    r.tau2 = in.tau2;
    r.pi_df = in.pi_df;
    const double sd = std::sqrt(in.se * in.se + *in.tau2);
    const double qp = detail::critical(in.level, in.pi_df);
    r.pi = Interval{in.estimate - qp * sd, in.estimate + qp * sd};
    r.share_beyond = detail::upper_tail((m - b) / sd, in.pi_df);
    if (*in.tau2 == 0)
      r.warnings.push_back({"tau2_is_0",
                            "tau^2 is 0: the prediction distribution is that of the mean effect, "
                            "and the share of settings beyond the MCID equals P(beyond)"});
  }
  return r;
}

}  // namespace trialstats::clinical
