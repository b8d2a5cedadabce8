// The between-study variance tau² of the random-effects model y_i = mu + u_i + e_i,
// u_i ~ N(0, tau²), e_i ~ N(0, v_i): every common estimator, for a model with an intercept only.
//
// References (equations in docs/methods.md, section "Pooling"):
//   DerSimonian R, Laird N (1986). Meta-analysis in clinical trials. Control Clin Trials 7:177–188.  (DL)
//   Hedges LV (1983). A random effects model for effect sizes. Psychol Bull 93:388–395.            (HE)
//   Hunter JE, Schmidt FL (2004). Methods of Meta-Analysis, 2nd ed. Sage.                            (HS, HSk)
//   Sidik K, Jonkman JN (2005). Simple heterogeneity variance estimation for meta-analysis.
//     J R Stat Soc C 54:367–384.                                                                     (SJ)
//   Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
//     random-effects model. J Educ Behav Stat 30:261–293.                                            (ML, REML, SEs)
//   Morris CN (1983). Parametric empirical Bayes inference. J Am Stat Assoc 78:47–55.              (EB)
//   Paule RC, Mandel J (1982). Consensus values and weighting factors. J Res NBS 87:377–385.         (PM)
//   Viechtbauer W et al. (2015). A comparison of procedures to test for moderators in mixed-effects
//     meta-regression models. Psychol Methods 20:360–374.                                           (PMM)
//   DerSimonian R, Kacker R (2007). Random-effects model for meta-analysis of clinical trials: an
//     update. Contemp Clin Trials 28:105–114.                                                        (GENQ)
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

/// How tau² is obtained. `ee` is the common (equal/fixed) effect model, tau² = 0.
enum class Tau2Method { ee, dl, he, hs, hsk, sj, ml, reml, eb, pm, pmm, genq, fixed };

/// Controls of the tau² estimators (a subset of PoolOptions).
struct Tau2Options {
  double threshold = 1e-10;                ///< relative change (metafor_stopping: absolute change) that ends iterations
  int max_iter = 100;                      ///< most iterations of an iterative estimator
  double step_adj = 1;                     ///< step length factor (metafor's stepadj)
  bool metafor_stopping = false;           ///< ML/REML/EB: metafor's Fisher scoring and stopping rule
  std::span<const double> genq_weights{};  ///< weights a_i of GENQ (one per study)
};

/// An estimate of tau² with its standard error and the state of the iterations.
struct Tau2Fit {
  double tau2 = 0;             ///< truncated at 0
  std::optional<double> se{};  ///< metafor's se.tau2; absent for `ee` and `fixed`
  int iterations = 0;          ///< 0 for closed forms
  bool converged = true;
  Warnings warnings{};
};

namespace detail {

/// Sums of the random-effects model at one tau², with w_i = 1/(v_i + tau²), mu = Σw y / Σw and
/// e_i = y_i − mu. O(k) time, O(1) memory.
struct ProfileSums {
  double tau2 = 0;
  double s1 = 0;     ///< Σw
  double s2 = 0;     ///< Σw²
  double s3 = 0;     ///< Σw³
  double mu = 0;     ///< weighted mean
  double q = 0;      ///< Σw e² (the generalised Q statistic)
  double a = 0;      ///< Σw² e²
  double b = 0;      ///< Σw³ e²
  double c = 0;      ///< Σw² e
  double log_v = 0;  ///< Σ log(v + tau²), only when asked for

  /// tr(P) and tr(PP) of P = W − w wᵀ/Σw.
  [[nodiscard]] double tr_p() const { return s1 - s2 / s1; }
  [[nodiscard]] double tr_pp() const { return s2 - 2 * s3 / s1 + (s2 / s1) * (s2 / s1); }
  /// Restricted (REML) and full (ML) log-likelihoods profiled over mu, without constants.
  [[nodiscard]] double reml_loglik() const { return -0.5 * (log_v + std::log(s1) + q); }
  [[nodiscard]] double ml_loglik() const { return -0.5 * (log_v + q); }
  /// Score (first derivative) of the log-likelihoods with respect to tau².
  [[nodiscard]] double reml_score() const { return 0.5 * (a - tr_p()); }
  [[nodiscard]] double ml_score() const { return 0.5 * (a - s1); }
  /// Expected (Fisher) information.
  [[nodiscard]] double reml_fisher() const { return 0.5 * tr_pp(); }
  [[nodiscard]] double ml_fisher() const { return 0.5 * s2; }
  /// Second derivatives (observed, negative at a regular maximum).
  [[nodiscard]] double ml_hessian() const { return 0.5 * s2 - b + c * c / s1; }
  [[nodiscard]] double reml_hessian() const { return ml_hessian() - s3 / s1 + 0.5 * (s2 / s1) * (s2 / s1); }
};

[[nodiscard]] inline ProfileSums profile_sums(std::span<const double> yi, std::span<const double> vi, double tau2,
                                              bool with_log = false) {
  ProfileSums s;
  s.tau2 = tau2;
  const std::size_t k = yi.size();
  double swy = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double w = 1.0 / (vi[i] + tau2);
    s.s1 += w;
    swy += w * yi[i];
  }
  s.mu = swy / s.s1;
  for (std::size_t i = 0; i < k; ++i) {
    const double w = 1.0 / (vi[i] + tau2);
    const double w2 = w * w;
    const double e = yi[i] - s.mu;
    const double we = w * e;
    s.s2 += w2;
    s.s3 += w2 * w;
    s.q += we * e;
    s.c += we * w;
    s.a += we * we;
    s.b += we * we * w;
    if (with_log) s.log_v += std::log(vi[i] + tau2);
  }
  return s;
}

/// Sums of the method-of-moments family with study weights a_i (P = A − a aᵀ/Σa, V = diag(v)):
/// DL (a = 1/v), HE (a = 1), GENQ (a given), SJ (a = 1/(v + tau0²)).
struct MomentSums {
  double sa = 0, sa2 = 0, sa3 = 0;     ///< Σa, Σa², Σa³
  double sav = 0, sa2v = 0, sa3v = 0;  ///< Σa v, Σa² v, Σa³ v
  double sa2v2 = 0, sa3v2 = 0;         ///< Σa² v², Σa³ v²
  double rss = 0;                      ///< Σa (y − ȳ_a)²
  [[nodiscard]] double tr_p() const { return sa - sa2 / sa; }
  [[nodiscard]] double tr_pv() const { return sav - sa2v / sa; }
  [[nodiscard]] double sum_pv_pvt() const { return sa2v2 - 2 * sa3v2 / sa + (sa2v / sa) * (sa2v / sa); }
  [[nodiscard]] double sum_pv_p() const { return sa2v - 2 * sa3v / sa + sa2 * sa2v / (sa * sa); }
  [[nodiscard]] double sum_pp() const { return sa2 - 2 * sa3 / sa + (sa2 / sa) * (sa2 / sa); }
};

template <class Weight>
[[nodiscard]] MomentSums moment_sums(std::span<const double> yi, std::span<const double> vi, Weight weight) {
  MomentSums m;
  const std::size_t k = yi.size();
  double say = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double a = weight(i);
    m.sa += a;
    say += a * yi[i];
  }
  const double mean = say / m.sa;
  for (std::size_t i = 0; i < k; ++i) {
    const double a = weight(i);
    const double v = vi[i];
    const double a2 = a * a;
    const double a3 = a2 * a;
    const double e = yi[i] - mean;
    m.sa2 += a2;
    m.sa3 += a3;
    m.sav += a * v;
    m.sa2v += a2 * v;
    m.sa3v += a3 * v;
    m.sa2v2 += a2 * v * v;
    m.sa3v2 += a3 * v * v;
    m.rss += a * e * e;
  }
  return m;
}

/// sqrt(c0 + c1·tau² + c2·tau⁴), the common shape of metafor's se.tau2 of the moment estimators.
[[nodiscard]] inline double quadratic_se(double c0, double c1, double c2, double tau2) {
  return std::sqrt(std::max(0.0, c0 + c1 * tau2 + c2 * tau2 * tau2));
}

/// Hedges' (HE) estimate before truncation: the starting value of ML/REML/EB in metafor.
[[nodiscard]] inline double hedges_untruncated(std::span<const double> yi, std::span<const double> vi) {
  const auto m = moment_sums(yi, vi, [](std::size_t) { return 1.0; });
  return (m.rss - m.tr_pv()) / static_cast<double>(yi.size() - 1);
}

/// Harmonic mean of the sampling variances: the scale below which tau² counts as "small" in the
/// relative convergence test (an absolute floor of 1e-4 of it).
[[nodiscard]] inline double harmonic_mean(std::span<const double> vi) {
  double s = 0;
  for (double v : vi) s += 1.0 / v;
  return static_cast<double>(vi.size()) / s;
}

/// Rounding error to expect in a sum of k terms of total magnitude `magnitude`: a score below it
/// vanishes to working precision (this matters only for very large k and tau² near 0).
[[nodiscard]] inline double rounding_bound(std::size_t k, double magnitude) {
  return 8 * std::numeric_limits<double>::epsilon() * (1 + std::sqrt(static_cast<double>(k))) * magnitude;
}

/// Magnitude of the two terms whose difference is the ML or REML score.
[[nodiscard]] inline double s_abs_terms(const ProfileSums& s, bool reml) {
  return 0.5 * (s.a + (reml ? s.tr_p() : s.s1));
}

/// Root of Q(tau²) = target (PM, EB, PMM; Q decreasing and convex in tau²): Newton's method from
/// tau² = 0, which approaches the root monotonically from the left. `absolute` makes the tolerance
/// absolute (metafor_stopping) instead of relative.
[[nodiscard]] inline Tau2Fit solve_generalised_q(std::span<const double> yi, std::span<const double> vi, double target,
                                                 const Tau2Options& o, double floor) {
  Tau2Fit fit;
  fit.converged = false;
  double tau2 = 0;
  for (int iter = 1; iter <= o.max_iter; ++iter) {
    const auto s = profile_sums(yi, vi, tau2);
    const double g = s.q - target;
    if (iter == 1 && g <= 0) {  // Q(0) below the target: tau² = 0
      fit.converged = true;
      fit.iterations = 1;
      break;
    }
    const double step = s.a > 0 ? g / s.a : 0.0;
    const double tol = o.metafor_stopping ? o.threshold : o.threshold * std::max(tau2, floor);
    tau2 = std::max(0.0, tau2 + step);
    fit.iterations = iter;
    if (std::fabs(step) <= tol || std::fabs(g) <= rounding_bound(yi.size(), s.q + target)) {
      fit.converged = true;
      break;
    }
  }
  fit.tau2 = tau2;
  return fit;
}

/// ML or REML by Newton's method on the profile log-likelihood (Fisher scoring where the observed
/// information is not positive), step halving whenever a step lowers the log-likelihood, and the
/// boundary tau² = 0 taken when the score there points below 0. Converged when the step implied by
/// the score at the current tau² is below threshold·max(tau², floor).
[[nodiscard]] inline Tau2Fit maximise_likelihood(std::span<const double> yi, std::span<const double> vi, bool reml,
                                                 double start, const Tau2Options& o, double floor) {
  auto loglik = [reml](const ProfileSums& s) { return reml ? s.reml_loglik() : s.ml_loglik(); };
  Tau2Fit fit;
  fit.converged = false;
  double tau2 = start;
  ProfileSums cur = profile_sums(yi, vi, tau2, true);
  double ll = loglik(cur);
  for (int iter = 1; iter <= o.max_iter; ++iter) {
    fit.iterations = iter;
    const double score = reml ? cur.reml_score() : cur.ml_score();
    if (tau2 == 0 && score <= 0) {  // maximum on the boundary
      fit.converged = true;
      break;
    }
    const double hess = reml ? cur.reml_hessian() : cur.ml_hessian();
    const double fisher = reml ? cur.reml_fisher() : cur.ml_fisher();
    double step = (hess < 0 ? -score / hess : score / fisher) * o.step_adj;
    if (!std::isfinite(step)) break;
    const double magnitude = s_abs_terms(cur, reml);
    if (std::fabs(step) <= o.threshold * std::max(tau2, floor) ||
        std::fabs(score) <= rounding_bound(yi.size(), magnitude)) {
      tau2 = std::max(0.0, tau2 + step);
      fit.converged = true;
      break;
    }
    double next = std::max(0.0, tau2 + step);
    ProfileSums cand = profile_sums(yi, vi, next, true);
    double ll_next = loglik(cand);
    const double slack = 1e-13 * (1.0 + std::fabs(ll));
    for (int halving = 0; halving < 60 && !(ll_next >= ll - slack); ++halving) {
      step /= 2;
      next = std::max(0.0, tau2 + step);
      cand = profile_sums(yi, vi, next, true);
      ll_next = loglik(cand);
    }
    tau2 = next;
    cur = cand;
    ll = ll_next;
  }
  fit.tau2 = tau2;
  return fit;
}

/// Twice the sample variance of the effects plus the largest within-study variance: above any
/// maximum of the (residual) likelihood worth searching for.
[[nodiscard]] inline double tau2_search_bound(std::span<const double> yi, std::span<const double> vi) {
  const auto k = static_cast<double>(yi.size());
  double mean = 0, spread = 0;
  for (const double y : yi) mean += y / k;
  for (const double y : yi) spread += (y - mean) * (y - mean);
  return 2 * (spread / std::max(1.0, k - 1) + *std::max_element(vi.begin(), vi.end()));
}

/// The search ended on the boundary tau² = 0, but the profile log-likelihood may have a higher
/// maximum inside (it can have two: e.g. a dip between 0 and a higher peak). The score is evaluated
/// on a geometric grid of 32 points from 10⁻⁶·`upper` to `upper`; where it turns from positive to
/// negative between two points a maximum lies between them, and `maximise(start)` climbs to it from
/// the lower point. Returns the highest such maximum when it is higher than the boundary's
/// (`loglik(0)`), else nothing. Where the score is nowhere positive this costs 32 score evaluations.
template <class Score, class LogLik, class Maximise>
[[nodiscard]] std::optional<Tau2Fit> interior_maximum(double upper, Score&& score, LogLik&& loglik,
                                                      Maximise&& maximise) {
  constexpr int points = 32;
  std::optional<Tau2Fit> best;
  double best_ll = 0;
  bool rising = false;
  double from = 0;
  for (int i = 0; i <= points; ++i) {
    const double t = upper * std::pow(1e-6, static_cast<double>(points - 1 - i) / (points - 1));
    const bool up = i < points && score(t) > 0;  // past the last point: the top of a rise is a maximum
    if (rising && !up) {
      Tau2Fit fit = maximise(from);
      if (fit.converged && fit.tau2 > 0) {
        const double ll = loglik(fit.tau2);
        if (!best || ll > best_ll) {
          best = std::move(fit);
          best_ll = ll;
        }
      }
    }
    if (up) from = t;
    rising = up;
  }
  if (!best) return std::nullopt;
  const double ll0 = loglik(0.0);
  if (!(best_ll > ll0 + 1e-12 * (1 + std::fabs(ll0)))) return std::nullopt;
  return best;
}

inline constexpr std::string_view boundary_local_maximum =
    "the iterations first reached a local maximum of the likelihood on the boundary tau² = 0; a search over "
    "tau² found a higher one";

/// metafor's Fisher-scoring loop (rma.uni, metafor 3.8), shared by pooling and meta-regression:
/// from `start`, tau² += adjust(tau²)·step_adj, the step halved while it would cross 0; stop when
/// |Δtau²| < threshold, fail after max_iter + 1 steps; then, unless EB, metafor's ll0check: tau² = 0
/// when loglik(0) − loglik(tau²) > ε^¼. `adjust` gives score/information (NaN counts as 0).
template <class Adjust, class LogLik>
[[nodiscard]] Tau2Fit metafor_fisher_loop(double start, Tau2Method method, double threshold, int max_iter,
                                          double step_adj, Adjust&& adjust, LogLik&& loglik) {
  Tau2Fit fit;
  double tau2 = start;
  double change = threshold + 1;
  int iter = 0;
  while (change > threshold) {
    ++iter;
    const double old = tau2;
    double adj = adjust(tau2) * step_adj;
    if (std::isnan(adj)) adj = 0;
    if (tau2 + adj < 0) {
      if (tau2 <= 0) {
        adj = 0;  // metafor halves until adj underflows to -0: the same as not moving
      } else {
        while (tau2 + adj < 0) adj /= 2;
      }
    }
    tau2 += adj;
    change = std::fabs(old - tau2);
    if (iter > max_iter) {
      fit.converged = false;
      break;
    }
  }
  fit.iterations = iter;
  fit.tau2 = std::max(0.0, tau2);
  if (fit.converged && method != Tau2Method::eb) {
    const double ll0 = loglik(0.0);
    const double ll = loglik(fit.tau2);
    if (ll0 - ll > 1.220703125e-4 && fit.tau2 > threshold) {  // metafor: tol = .Machine$double.eps^0.25
      fit.warnings.push_back(
          {"tau2_local_maximum", "Fisher scoring may have stopped at a local maximum; tau² set to 0 (metafor's rule)"});
      fit.tau2 = 0;
    }
  }
  return fit;
}

/// metafor's Fisher scoring for ML, REML and EB, step for step, starting at max(0, HE).
[[nodiscard]] inline Tau2Fit metafor_fisher_scoring(std::span<const double> yi, std::span<const double> vi,
                                                    Tau2Method method, const Tau2Options& o) {
  const double k = static_cast<double>(yi.size());
  auto adjust = [&](double tau2) {
    const auto s = profile_sums(yi, vi, tau2);
    if (method == Tau2Method::ml) return (s.a - s.s1) / s.s2;
    if (method == Tau2Method::reml) return (s.a - s.tr_p()) / s.tr_pp();
    return (s.q * k / (k - 1) - k) / s.s1;  // EB
  };
  auto loglik = [&](double tau2) {
    const auto s = profile_sums(yi, vi, tau2, true);
    return method == Tau2Method::reml ? s.reml_loglik() : s.ml_loglik();
  };
  return metafor_fisher_loop(std::max(0.0, hedges_untruncated(yi, vi)), method, o.threshold, o.max_iter, o.step_adj,
                             adjust, loglik);
}

}  // namespace detail

/// Estimates tau² for the intercept-only random-effects model (metafor 3.8 rma.uni semantics).
/// Closed forms (DL, HE, HS, HSk, SJ, GENQ) are truncated at 0; ML and REML maximise their
/// likelihood on [0, ∞); EB and PM solve Q(tau²) = k − 1 (the same equation for an intercept-only
/// model), PMM solves Q(tau²) = median of chi-square(k − 1).
/// @param yi effects, @param vi sampling variances (> 0), k = yi.size() ≥ 2 (not checked here).
/// @returns the estimate, metafor's standard error, the iterations and whether they converged.
/// `ee` gives 0; `fixed` is not an estimator and gives 0 (pool() sets the value).
/// Example:
///   auto fit = meta::estimate_tau2(yi, vi, meta::Tau2Method::dl, {});
[[nodiscard]] inline Tau2Fit estimate_tau2(std::span<const double> yi, std::span<const double> vi, Tau2Method method,
                                           const Tau2Options& o) {
  using detail::moment_sums;
  using detail::quadratic_se;
  const std::size_t n = yi.size();
  const double k = static_cast<double>(n);
  const double df = k - 1;
  Tau2Fit fit;
  switch (method) {
    case Tau2Method::ee:
    case Tau2Method::fixed:
      return fit;
    case Tau2Method::dl: {
      const auto m = moment_sums(yi, vi, [vi](std::size_t i) { return 1.0 / vi[i]; });
      const double trp = m.tr_p();
      fit.tau2 = std::max(0.0, (m.rss - df) / trp);
      fit.se = quadratic_se(2 * df, 4 * trp, 2 * m.sum_pp(), fit.tau2) / trp;
      return fit;
    }
    case Tau2Method::he: {
      const auto m = moment_sums(yi, vi, [](std::size_t) { return 1.0; });
      const double trpv = m.tr_pv();
      fit.tau2 = std::max(0.0, (m.rss - trpv) / df);
      fit.se = quadratic_se(2 * m.sum_pv_pvt(), 4 * trpv, 2 * df, fit.tau2) / df;
      return fit;
    }
    case Tau2Method::hs:
    case Tau2Method::hsk: {
      const auto m = moment_sums(yi, vi, [vi](std::size_t i) { return 1.0 / vi[i]; });
      const double factor = method == Tau2Method::hsk ? k / df : 1.0;
      fit.tau2 = std::max(0.0, (factor * m.rss - k) / m.sa);
      fit.se = factor * quadratic_se(2 * df, 4 * m.tr_p(), 2 * m.sum_pp(), fit.tau2) / m.sa;
      return fit;
    }
    case Tau2Method::sj: {
      // Starting value: the (biased) sample variance of the effects, metafor's default.
      double mean = 0;
      for (double y : yi) mean += y;
      mean /= k;
      double tau0 = 0;
      for (double y : yi) tau0 += (y - mean) * (y - mean);
      tau0 /= k;
      const auto m = moment_sums(yi, vi, [vi, tau0](std::size_t i) { return 1.0 / (vi[i] + tau0); });
      fit.tau2 = std::max(0.0, tau0 * m.rss / df);
      fit.se = tau0 / df * quadratic_se(2 * m.sum_pv_pvt(), 4 * m.sum_pv_p(), 2 * m.sum_pp(), fit.tau2);
      return fit;
    }
    case Tau2Method::genq: {
      const auto a = o.genq_weights;
      const auto m = moment_sums(yi, vi, [a](std::size_t i) { return a[i]; });
      const double trp = m.tr_p();
      fit.tau2 = std::max(0.0, (m.rss - m.tr_pv()) / trp);
      fit.se = quadratic_se(2 * m.sum_pv_pvt(), 4 * m.sum_pv_p(), 2 * m.sum_pp(), fit.tau2) / trp;
      return fit;
    }
    case Tau2Method::ml:
    case Tau2Method::reml: {
      const double floor = 1e-4 * detail::harmonic_mean(vi);
      if (o.metafor_stopping) {
        fit = detail::metafor_fisher_scoring(yi, vi, method, o);
      } else {
        const bool reml = method == Tau2Method::reml;
        fit = detail::maximise_likelihood(yi, vi, reml, std::max(0.0, detail::hedges_untruncated(yi, vi)), o, floor);
        if (fit.converged && fit.tau2 > 0) {
          // A better value on the boundary means another maximum: start again from 0.
          const auto at0 = detail::profile_sums(yi, vi, 0.0, true);
          const auto at = detail::profile_sums(yi, vi, fit.tau2, true);
          const double ll0 = reml ? at0.reml_loglik() : at0.ml_loglik();
          const double ll = reml ? at.reml_loglik() : at.ml_loglik();
          if (ll0 > ll + 1e-12 * (1 + std::fabs(ll))) {
            const int used = fit.iterations;
            fit = detail::maximise_likelihood(yi, vi, reml, 0.0, o, floor);
            fit.iterations += used;
            fit.warnings.push_back({"tau2_local_maximum",
                                    "the iterations first reached a local maximum of the likelihood; the search "
                                    "restarted from tau² = 0"});
          }
        } else if (fit.converged) {
          auto score = [&](double tau2) {
            const auto s = detail::profile_sums(yi, vi, tau2);
            return reml ? s.reml_score() : s.ml_score();
          };
          auto loglik = [&](double tau2) {
            const auto s = detail::profile_sums(yi, vi, tau2, true);
            return reml ? s.reml_loglik() : s.ml_loglik();
          };
          auto maximise = [&](double start) { return detail::maximise_likelihood(yi, vi, reml, start, o, floor); };
          if (auto inner = detail::interior_maximum(detail::tau2_search_bound(yi, vi), score, loglik, maximise)) {
            inner->iterations += fit.iterations;
            fit = std::move(*inner);
            fit.warnings.push_back({"tau2_local_maximum", std::string(detail::boundary_local_maximum)});
          }
        }
      }
      if (!fit.converged) return fit;
      const auto s = detail::profile_sums(yi, vi, fit.tau2);
      fit.se = method == Tau2Method::ml ? std::sqrt(2 / s.s2) : std::sqrt(2 / s.tr_pp());
      return fit;
    }
    case Tau2Method::eb:
    case Tau2Method::pm:
    case Tau2Method::pmm: {
      if (method == Tau2Method::eb && o.metafor_stopping) {
        fit = detail::metafor_fisher_scoring(yi, vi, method, o);
      } else {
        const double target = method == Tau2Method::pmm ? stats::chi_squared_quantile(0.5, df) : df;
        fit = detail::solve_generalised_q(yi, vi, target, o, 1e-4 * detail::harmonic_mean(vi));
      }
      if (!fit.converged) return fit;
      const auto s = detail::profile_sums(yi, vi, fit.tau2);
      fit.se = std::sqrt(2 * k * k / df) / s.s1;
      return fit;
    }
  }
  return fit;
}

}  // namespace trialstats::meta
