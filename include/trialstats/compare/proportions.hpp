// Tests of proportions, as R's prop.test (one proportion against p₀, or two independent proportions,
// with or without Yates' continuity correction) and binom.test (exact binomial test with the
// Clopper–Pearson interval).
//
// References (formulas in docs/methods.md, "Two-group comparisons"):
//   Wilson EB (1927). J Am Stat Assoc 22:209–212 (score interval of prop.test).
//   Newcombe RG (1998). Stat Med 17:857–872 (method 4: continuity-corrected score interval).
//   Clopper CJ, Pearson ES (1934). The use of confidence or fiducial limits illustrated in the case
//     of the binomial. Biometrika 26:404–413.
//   Fleiss JL, Levin B, Paik MC (2003). Statistical Methods for Rates and Proportions, 3rd ed.,
//     §2.2 and §3.3 (chi-square test of two proportions, Wald interval with continuity correction).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>

#include "trialstats/compare/alternative.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"
#include "trialstats/stats/proportion.hpp"

namespace trialstats::compare {

using stats::EventCount;

struct PropTestOptions {
  Alternative alternative = Alternative::two_sided;
  double level = 0.95;
  bool continuity = true;  ///< Yates' correction (R's correct = TRUE)
  double null_p = 0.5;     ///< one proportion only: p₀
};

/// prop.test of one proportion against p₀ or of two proportions against equality.
struct PropTestResult {
  double estimate1 = 0;  ///< x₁/n₁
  double estimate2 = 0;  ///< x₂/n₂ (two groups), NaN for one
  bool two_groups = false;
  double statistic = 0;  ///< X² on 1 df
  double df = 1;
  double p = 0;
  Interval ci;  ///< one: score interval of p; two: Wald interval of p₁ − p₂ (clipped to [−1, 1])
  double level = 0.95;
  double correction = 0;  ///< the continuity correction used (0 without)
  Alternative alternative = Alternative::two_sided;
  double null_p = 0.5;  ///< one group only
  Warnings warnings;    ///< "small_expected" when an expected count is below 5
};

namespace detail {

inline double prop_test_p(double statistic, double signed_diff, Alternative alt) {
  if (alt == Alternative::two_sided) return stats::chi_squared_upper_p(statistic, 1);
  const double z = (signed_diff > 0 ? 1 : (signed_diff < 0 ? -1 : 0)) * std::sqrt(statistic);
  const stats::Normal normal(0.0, 1.0);
  return alt == Alternative::less ? cdf(normal, z) : cdf(complement(normal, z));
}

}  // namespace detail

/// One proportion against p₀ (R's prop.test(x, n, p)): X² = Σ(|O − E| − c)²/E over events and
/// non-events, E = (n·p₀, n·(1 − p₀)), c = min(½, |x − n·p₀|) with the correction; the interval is
/// Wilson's (continuity-corrected with the correction; one-sided intervals use z_{1−α}).
/// @throws DomainError for bad counts, p₀ outside (0, 1) or a bad level.
///
/// Example: `prop_test({1094, 1273})` tests 86% of 1,273 against ½.
[[nodiscard]] inline PropTestResult prop_test(const EventCount& g, const PropTestOptions& o = {}) {
  constexpr std::string_view where = "prop_test";
  stats::require_event_count(where, g);
  stats::require_level(where, o.level);
  if (!(o.null_p > 0 && o.null_p < 1)) fail_check(where, "null proportion", o.null_p, "in (0, 1)");
  PropTestResult r;
  r.estimate1 = g.x / g.n;
  r.estimate2 = std::numeric_limits<double>::quiet_NaN();
  r.level = o.level;
  r.alternative = o.alternative;
  r.null_p = o.null_p;
  const double e1 = g.n * o.null_p, e2 = g.n * (1 - o.null_p);
  r.correction = o.continuity ? std::min(0.5, std::fabs(g.x - e1)) : 0.0;
  const double d1 = std::fabs(g.x - e1) - r.correction, d2 = std::fabs((g.n - g.x) - e2) - r.correction;
  r.statistic = d1 * d1 / e1 + d2 * d2 / e2;
  r.p = detail::prop_test_p(r.statistic, r.estimate1 - o.null_p, o.alternative);
  const bool one_sided = o.alternative != Alternative::two_sided;
  const auto w = stats::wilson_interval(
      g, {.level = one_sided ? 2 * o.level - 1 : o.level, .continuity = o.continuity, .null_p = o.null_p});
  r.ci = w.ci;
  if (o.alternative == Alternative::less) r.ci.lower = 0;
  if (o.alternative == Alternative::greater) r.ci.upper = 1;
  if (e1 < 5 || e2 < 5)
    r.warnings.push_back(
        {"small_expected", "an expected count is below 5; the chi-square approximation may be incorrect"});
  return r;
}

/// Two proportions against equality (R's prop.test(c(x₁, x₂), c(n₁, n₂))): the chi-square statistic
/// of the 2 × 2 table with c = min(½, |p₁ − p₂|/(1/n₁ + 1/n₂)); the interval of p₁ − p₂ is
/// p₁ − p₂ ± (z·√(p₁q₁/n₁ + p₂q₂/n₂) + c·(1/n₁ + 1/n₂)), clipped to [−1, 1].
/// @throws DomainError for bad counts, a level outside (0, 1), or no events or no non-events at all.
[[nodiscard]] inline PropTestResult prop_test(const EventCount& g1, const EventCount& g2,
                                              const PropTestOptions& o = {}) {
  constexpr std::string_view where = "prop_test";
  stats::require_event_count(where, g1, "group 1");
  stats::require_event_count(where, g2, "group 2");
  stats::require_level(where, o.level);
  const double events = g1.x + g2.x, total = g1.n + g2.n;
  if (events == 0 || events == total)
    throw DomainError("prop_test: every patient has the same outcome; the test is undefined");
  PropTestResult r;
  r.estimate1 = g1.x / g1.n;
  r.estimate2 = g2.x / g2.n;
  r.two_groups = true;
  r.level = o.level;
  r.alternative = o.alternative;
  r.null_p = std::numeric_limits<double>::quiet_NaN();
  const double delta = r.estimate1 - r.estimate2, inv = 1 / g1.n + 1 / g2.n;
  r.correction = o.continuity ? std::min(0.5, std::fabs(delta) / inv) : 0.0;
  const double pbar = events / total;
  const double obs[4] = {g1.x, g1.n - g1.x, g2.x, g2.n - g2.x};
  const double exp[4] = {g1.n * pbar, g1.n * (1 - pbar), g2.n * pbar, g2.n * (1 - pbar)};
  bool small = false;
  for (int k = 0; k < 4; ++k) {
    const double d = std::fabs(obs[k] - exp[k]) - r.correction;
    r.statistic += d * d / exp[k];
    small = small || exp[k] < 5;
  }
  r.p = detail::prop_test_p(r.statistic, delta, o.alternative);
  const bool one_sided = o.alternative != Alternative::two_sided;
  const double z = stats::normal_critical(one_sided ? 2 * o.level - 1 : o.level);
  const double width = z * std::sqrt(r.estimate1 * (1 - r.estimate1) / g1.n + r.estimate2 * (1 - r.estimate2) / g2.n) +
                       r.correction * inv;
  r.ci = {std::max(delta - width, -1.0), std::min(delta + width, 1.0)};
  if (o.alternative == Alternative::less) r.ci.lower = -1;
  if (o.alternative == Alternative::greater) r.ci.upper = 1;
  if (small)
    r.warnings.push_back(
        {"small_expected", "an expected count is below 5; the chi-square approximation may be incorrect"});
  return r;
}

struct BinomTestOptions {
  Alternative alternative = Alternative::two_sided;
  double level = 0.95;
  double null_p = 0.5;
};

/// Exact binomial test with the Clopper–Pearson interval.
struct BinomTestResult {
  double x = 0;
  double n = 0;
  double estimate = 0;  ///< x/n
  double p = 0;
  Interval ci;  ///< Clopper–Pearson at `level`
  double level = 0.95;
  Alternative alternative = Alternative::two_sided;
  double null_p = 0.5;
};

/// Exact binomial test of x events in n trials against p₀ (R's binom.test). Two-sided p sums the
/// probabilities of the outcomes no more likely than x (×(1 + 10⁻⁷), as R). Clopper–Pearson limits:
/// L = B⁻¹(α/2; x, n − x + 1) (0 for x = 0), U = B⁻¹(1 − α/2; x + 1, n − x) (1 for x = n), with α
/// for one-sided alternatives.
/// @throws DomainError for counts that are not whole numbers, x > n, p₀ outside [0, 1] or a bad level.
///
/// Example: `binom_test({7, 20}).ci` is [0.1539, 0.5922].
[[nodiscard]] inline BinomTestResult binom_test(const EventCount& g, const BinomTestOptions& o = {}) {
  constexpr std::string_view where = "binom_test";
  stats::require_event_count(where, g);
  if (g.x != std::floor(g.x)) fail_check(where, "x", g.x, "a whole number");
  if (g.n != std::floor(g.n)) fail_check(where, "n", g.n, "a whole number");
  stats::require_level(where, o.level);
  require_in_range(where, "null proportion", o.null_p, 0, 1);
  const double x = g.x, n = g.n, p0 = o.null_p;
  BinomTestResult r;
  r.x = x;
  r.n = n;
  r.estimate = x / n;
  r.level = o.level;
  r.alternative = o.alternative;
  r.null_p = p0;
  const boost::math::binomial_distribution<double, stats::Policy> b(n, p0);
  const auto pmf = [&](double k) { return pdf(b, k); };
  const auto lower_tail = [&](double k) { return k < 0 ? 0.0 : cdf(b, k); };              // P(X ≤ k)
  const auto upper_tail = [&](double k) { return k < 0 ? 1.0 : cdf(complement(b, k)); };  // P(X > k)
  switch (o.alternative) {
    case Alternative::less:
      r.p = lower_tail(x);
      break;
    case Alternative::greater:
      r.p = upper_tail(x - 1);
      break;
    default: {
      const double rel = 1 + 1e-7, d = pmf(x), m = n * p0;
      if (x == m)
        r.p = 1;
      else if (x < m) {
        double y = 0;
        for (double i = std::ceil(m); i <= n; ++i) y += pmf(i) <= d * rel ? 1 : 0;
        r.p = lower_tail(x) + upper_tail(n - y);
      } else {
        double y = 0;
        for (double i = 0; i <= std::floor(m); ++i) y += pmf(i) <= d * rel ? 1 : 0;
        r.p = lower_tail(y - 1) + upper_tail(x - 1);
      }
      r.p = std::min(1.0, r.p);
    }
  }
  const double alpha = o.alternative == Alternative::two_sided ? (1 - o.level) / 2 : 1 - o.level;
  using Beta = boost::math::beta_distribution<double, stats::Policy>;
  const double lower = x == 0 ? 0.0 : quantile(Beta(x, n - x + 1), alpha);
  const double upper = x == n ? 1.0 : quantile(Beta(x + 1, n - x), 1 - alpha);
  switch (o.alternative) {
    case Alternative::less:
      r.ci = {0, upper};
      break;
    case Alternative::greater:
      r.ci = {lower, 1};
      break;
    default:
      r.ci = {lower, upper};
  }
  return r;
}

}  // namespace trialstats::compare
