// Critical values and p-values used across trialstats, on top of Boost.Math (stats/boost_policy.hpp).
// Only thin, named wrappers: every number comes from Boost's `cdf`, `quantile` and `complement`.
//
// Reference: Boost.Math statistical distributions (normal, students_t, chi_squared).
#pragma once

#include <cmath>

#include "trialstats/stats/boost_policy.hpp"

namespace trialstats::stats {

namespace detail {
/// The last critical value asked for, per thread. A batch of analyses asks for the same one
/// again and again, and a t quantile costs about as much as a whole REML fit of k = 13.
struct LastCritical {
  double level = -1, df = -1, value = 0;
};
}  // namespace detail

/// Upper alpha/2 quantile of the standard normal for a two-sided interval at `level` (0.95 → 1.959964).
[[nodiscard]] inline double normal_critical(double level) {
  thread_local detail::LastCritical last;
  if (level != last.level) last = {level, 0, quantile(complement(Normal(0.0, 1.0), (1.0 - level) / 2.0))};
  return last.value;
}

/// Upper alpha/2 quantile of Student's t with `df` degrees of freedom (df > 0).
[[nodiscard]] inline double t_critical(double level, double df) {
  thread_local detail::LastCritical last;
  if (level != last.level || df != last.df) last = {level, df, quantile(complement(StudentsT(df), (1.0 - level) / 2.0))};
  return last.value;
}

/// Two-sided p-value of a standard normal statistic: 2·P(Z > |z|); 0 for infinite z.
[[nodiscard]] inline double normal_two_sided_p(double z) {
  if (std::isinf(z)) return 0.0;
  return 2.0 * cdf(complement(Normal(0.0, 1.0), std::fabs(z)));
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom: 2·P(T > |t|); 0 for infinite t.
[[nodiscard]] inline double t_two_sided_p(double t, double df) {
  if (std::isinf(t)) return 0.0;
  return 2.0 * cdf(complement(StudentsT(df), std::fabs(t)));
}

/// Upper tail P(X > x) of chi-square with `df` degrees of freedom (df > 0, x ≥ 0).
[[nodiscard]] inline double chi_squared_upper_p(double x, double df) {
  return cdf(complement(ChiSquared(df), x < 0 ? 0.0 : x));
}

/// Quantile with lower-tail probability `p` of chi-square with `df` degrees of freedom.
[[nodiscard]] inline double chi_squared_quantile(double p, double df) {
  return quantile(ChiSquared(df), p);
}

/// Quantile with upper-tail probability `q` of chi-square with `df` degrees of freedom.
[[nodiscard]] inline double chi_squared_upper_quantile(double q, double df) {
  return quantile(complement(ChiSquared(df), q));
}

}  // namespace trialstats::stats
