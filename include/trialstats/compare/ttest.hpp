// Two-sample t-tests (Student's with a pooled variance, Welch's with Satterthwaite's degrees of
// freedom) and the confidence interval of the difference of means, from per-patient values or from
// summary numbers (mean, SD, n per group). Agrees with R's t.test(x, y, var.equal = …).
//
// References (formulas in docs/methods.md, "Two-group comparisons"):
//   Student (1908). The probable error of a mean. Biometrika 6:1–25.
//   Welch BL (1947). The generalization of "Student's" problem when several different population
//     variances are involved. Biometrika 34:28–35.
//   Satterthwaite FE (1946). An approximate distribution of estimates of variance components.
//     Biometrics Bulletin 2:110–114.
#pragma once

#include <cmath>
#include <limits>
#include <numeric>
#include <span>

#include "trialstats/compare/alternative.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"
#include "trialstats/stats/proportion.hpp"

namespace trialstats::compare {

/// Mean, standard deviation (n − 1 denominator) and size of one group.
struct GroupSummary {
  double mean = 0;
  double sd = 0;
  double n = 0;
};

/// Summary of per-patient values: mean and SD with the n − 1 denominator (SD is NaN for n = 1).
/// @throws DomainError for no values or a value that is not finite.
[[nodiscard]] inline GroupSummary summarize(std::span<const double> x, std::string_view where = "summarize") {
  require_at_least(where, "number of values", x.size(), 1);
  for (double v : x) require_finite(where, "value", v);
  const double n = static_cast<double>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return {mean, x.size() > 1 ? std::sqrt(ss / (n - 1)) : std::numeric_limits<double>::quiet_NaN(), n};
}

enum class TTestMethod {
  welch,    ///< unequal variances, Welch–Satterthwaite df (R's default, var.equal = FALSE)
  student,  ///< pooled variance, df = n₁ + n₂ − 2 (var.equal = TRUE)
};

struct TTestOptions {
  TTestMethod method = TTestMethod::welch;
  Alternative alternative = Alternative::two_sided;
  double mu = 0;        ///< difference of means under the null hypothesis
  double level = 0.95;  ///< confidence level of the interval
};

/// A two-sample t-test: group 1 minus group 2.
struct TTestResult {
  TTestMethod method = TTestMethod::welch;
  Alternative alternative = Alternative::two_sided;
  GroupSummary group1;
  GroupSummary group2;
  double estimate = 0;   ///< mean₁ − mean₂
  double mu = 0;         ///< null difference
  double std_error = 0;  ///< of the difference
  double statistic = 0;  ///< t = (estimate − mu) / std_error
  double df = 0;
  double p = 0;
  Interval ci;  ///< at `level`; one-sided alternatives have an infinite limit
  double level = 0.95;
};

/// t-test from summary numbers.
/// Welch: SE = √(s₁²/n₁ + s₂²/n₂), df = SE⁴ / ((s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1)).
/// Student: s² = ((n₁ − 1)s₁² + (n₂ − 1)s₂²)/(n₁ + n₂ − 2), SE = s·√(1/n₁ + 1/n₂), df = n₁ + n₂ − 2.
/// t = (m₁ − m₂ − μ)/SE; interval m₁ − m₂ ± t_{df,1−α/2}·SE (one-sided: t_{df,1−α}).
/// @throws DomainError for n below 2 (Welch) or 1 (Student, with n₁ + n₂ ≥ 3), a negative SD, or
///         data that are essentially constant (SE ≈ 0, as R).
///
/// Example: `t_test({5.1, 1.2, 20}, {4.3, 1.4, 22})` is Welch's test of 0.8 with its interval.
[[nodiscard]] inline TTestResult t_test(const GroupSummary& g1, const GroupSummary& g2, const TTestOptions& o = {}) {
  constexpr std::string_view where = "t_test";
  stats::require_level(where, o.level);
  require_finite(where, "mean of group 1", g1.mean);
  require_finite(where, "mean of group 2", g2.mean);
  require_finite(where, "null difference", o.mu);
  const double min_n = o.method == TTestMethod::welch ? 2 : 1;
  if (!(g1.n >= min_n)) fail_check(where, "n of group 1", g1.n, fmt::format("at least {}", min_n));
  if (!(g2.n >= min_n)) fail_check(where, "n of group 2", g2.n, fmt::format("at least {}", min_n));
  if (g1.n + g2.n < 3) fail_check(where, "n₁ + n₂", g1.n + g2.n, "at least 3");
  const double v1 = g1.n > 1 ? g1.sd * g1.sd : 0, v2 = g2.n > 1 ? g2.sd * g2.sd : 0;
  if (g1.n > 1) require_nonnegative(where, "SD of group 1", g1.sd);
  if (g2.n > 1) require_nonnegative(where, "SD of group 2", g2.sd);
  TTestResult r;
  r.method = o.method;
  r.alternative = o.alternative;
  r.group1 = g1;
  r.group2 = g2;
  r.estimate = g1.mean - g2.mean;
  r.mu = o.mu;
  r.level = o.level;
  if (o.method == TTestMethod::welch) {
    const double s1 = v1 / g1.n, s2 = v2 / g2.n;
    r.std_error = std::sqrt(s1 + s2);
    r.df = (s1 + s2) * (s1 + s2) / (s1 * s1 / (g1.n - 1) + s2 * s2 / (g2.n - 1));
  } else {
    r.df = g1.n + g2.n - 2;
    const double v = ((g1.n - 1) * v1 + (g2.n - 1) * v2) / r.df;
    r.std_error = std::sqrt(v * (1 / g1.n + 1 / g2.n));
  }
  if (r.std_error < 10 * std::numeric_limits<double>::epsilon() * std::max(std::fabs(g1.mean), std::fabs(g2.mean)) ||
      r.std_error == 0)
    throw DomainError("t_test: the data are essentially constant (standard error of the difference is 0)");
  r.statistic = (r.estimate - o.mu) / r.std_error;
  const stats::StudentsT t(r.df);
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (o.alternative) {
    case Alternative::less:
      r.p = cdf(t, r.statistic);
      r.ci = {-inf, r.estimate + quantile(t, o.level) * r.std_error};
      break;
    case Alternative::greater:
      r.p = cdf(complement(t, r.statistic));
      r.ci = {r.estimate - quantile(t, o.level) * r.std_error, inf};
      break;
    default: {
      r.p = stats::t_two_sided_p(r.statistic, r.df);
      const double q = stats::t_critical(o.level, r.df);
      r.ci = {r.estimate - q * r.std_error, r.estimate + q * r.std_error};
    }
  }
  return r;
}

/// t-test from per-patient values of each group (as R's t.test(x, y)).
/// @throws DomainError as the summary version, or for a value that is not finite.
[[nodiscard]] inline TTestResult t_test(std::span<const double> x, std::span<const double> y,
                                        const TTestOptions& o = {}) {
  return t_test(summarize(x, "t_test"), summarize(y, "t_test"), o);
}

}  // namespace trialstats::compare
