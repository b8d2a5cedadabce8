// Comparing correlations: two independent ones (different samples: Fisher z test, Zou's interval),
// and two dependent ones that share a variable (same sample: Williams' t, Steiger's Z, Zou's interval).
//
// References:
//   Fisher RA (1921). Metron 1:3-32 (z = (atanh r1 - atanh r2)/sqrt(1/(n1-3) + 1/(n2-3))).
//   Williams EJ (1959). The comparison of regression variables. J R Stat Soc B 21:396-399; in the form of
//     Steiger JH (1980). Tests for comparing elements of a correlation matrix. Psychol Bull 87:245-251, eq. 7.
//   Steiger JH (1980), eqs. 9-11 and 14 (Z with the pooled r̄ in the covariance of the two z's; Dunn & Clark 1969).
//   Zou GY (2007). Toward using confidence intervals to compare correlations. Psychol Methods 12:399-413
//     (eqs. 12-13 independent; eqs. 14-15 overlapping with the correlation of the two estimates).
#pragma once

#include <cmath>
#include <cstddef>
#include <string_view>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/corr/correlation.hpp"

namespace trialstats::corr {

/// r1 (n1) against r2 (n2) from independent samples.
struct IndependentComparison {
  double r1 = 0, r2 = 0;
  std::size_t n1 = 0, n2 = 0;
  double difference = 0;  ///< r1 - r2
  double z = 0;           ///< Fisher's z test
  double p = 0;
  Interval ci;  ///< Zou's interval for r1 - r2
  double level = 0.95;
  Alternative alternative = Alternative::two_sided;
};

/// r_jk against r_jh from one sample of n, sharing variable j; r_kh is the third correlation.
struct DependentComparison {
  double r_jk = 0, r_jh = 0, r_kh = 0;
  std::size_t n = 0;
  double difference = 0;  ///< r_jk - r_jh
  double williams_t = 0;  ///< Williams' t (Steiger 1980 eq. 7) on n-3 df
  double williams_df = 0;
  double williams_p = 0;
  double steiger_z = 0;  ///< Steiger's Z (eq. 14, pooled r̄)
  double steiger_p = 0;
  Interval ci;  ///< Zou's interval for r_jk - r_jh
  double level = 0.95;
  Alternative alternative = Alternative::two_sided;
};

namespace detail {
inline void check_r(std::string_view where, std::string_view what, double r) {
  if (!(r > -1 && r < 1)) fail_check(where, what, r, "in (-1, 1)");
}
}  // namespace detail

/// Fisher's z test and Zou's interval for two correlations from independent samples.
/// z = (atanh r1 - atanh r2)/sqrt(1/(n1-3) + 1/(n2-3)); Zou's interval
/// [r1-r2 - sqrt((r1-l1)² + (u2-r2)²), r1-r2 + sqrt((u1-r1)² + (r2-l2)²)] from the Fisher-z intervals (l, u).
/// @throws DomainError for |r| ≥ 1 or n < 4.
/// Example: `compare_independent(-0.70, 47, -0.45, 47)` (acupuncture arm against control).
[[nodiscard]] inline IndependentComparison compare_independent(double r1, std::size_t n1, double r2, std::size_t n2,
                                                               double level = 0.95,
                                                               Alternative alternative = Alternative::two_sided) {
  constexpr std::string_view where = "compare_independent";
  detail::check_level(where, level);
  detail::check_r(where, "r1", r1);
  detail::check_r(where, "r2", r2);
  require_at_least(where, "n1", n1, 4);
  require_at_least(where, "n2", n2, 4);
  IndependentComparison c;
  c.r1 = r1;
  c.r2 = r2;
  c.n1 = n1;
  c.n2 = n2;
  c.difference = r1 - r2;
  c.level = level;
  c.alternative = alternative;
  const double v1 = 1.0 / (static_cast<double>(n1) - 3), v2 = 1.0 / (static_cast<double>(n2) - 3);
  c.z = (std::atanh(r1) - std::atanh(r2)) / std::sqrt(v1 + v2);
  c.p = normal_p_value(c.z, alternative);
  // Zou's interval is two-sided at `level` (its eqs. use the two-sided limits of each r).
  const Interval i1 = fisher_z_interval(r1, std::sqrt(v1), level, Alternative::two_sided);
  const Interval i2 = fisher_z_interval(r2, std::sqrt(v2), level, Alternative::two_sided);
  c.ci = {c.difference - std::sqrt((r1 - i1.lower) * (r1 - i1.lower) + (i2.upper - r2) * (i2.upper - r2)),
          c.difference + std::sqrt((i1.upper - r1) * (i1.upper - r1) + (r2 - i2.lower) * (r2 - i2.lower))};
  return c;
}

/// Williams' t, Steiger's Z and Zou's interval for r_jk against r_jh measured on the same n subjects.
/// Williams: t = (r_jk - r_jh)·sqrt((n-1)(1+r_kh) / (2|R|(n-1)/(n-3) + r̄²(1-r_kh)³)), |R| = 1 - r_jk² -
/// r_jh² - r_kh² + 2 r_jk r_jh r_kh, r̄ = (r_jk + r_jh)/2, on n-3 df. Steiger: Z = (z_jk - z_jh)·sqrt(n-3) /
/// sqrt(2 - 2 s), s = ψ/(1-r̄²)², ψ = r_kh(1 - 2r̄²) - r̄²(1 - 2r̄² - r_kh²)/2. Zou: the limits of each r
/// combined with c = corr(r_jk, r_jh) = ((r_kh - r_jk r_jh/2)(1 - r_jk² - r_jh² - r_kh²) + r_kh³) /
/// ((1-r_jk²)(1-r_jh²)).
/// @throws DomainError for |r| ≥ 1, n < 5, or a correlation matrix that is not positive definite.
/// Example: `compare_dependent(r_fatigue_hf, r_fatigue_lf, r_hf_lf, 94)`.
[[nodiscard]] inline DependentComparison compare_dependent(double r_jk, double r_jh, double r_kh, std::size_t n,
                                                           double level = 0.95,
                                                           Alternative alternative = Alternative::two_sided) {
  constexpr std::string_view where = "compare_dependent";
  detail::check_level(where, level);
  detail::check_r(where, "r_jk", r_jk);
  detail::check_r(where, "r_jh", r_jh);
  detail::check_r(where, "r_kh", r_kh);
  require_at_least(where, "n", n, 5);
  const double det = 1 - r_jk * r_jk - r_jh * r_jh - r_kh * r_kh + 2 * r_jk * r_jh * r_kh;
  if (!(det > 0)) throw DomainError("compare_dependent: the three correlations do not form a positive definite matrix");
  const double nn = static_cast<double>(n);
  DependentComparison c;
  c.r_jk = r_jk;
  c.r_jh = r_jh;
  c.r_kh = r_kh;
  c.n = n;
  c.difference = r_jk - r_jh;
  c.level = level;
  c.alternative = alternative;
  const double rbar = (r_jk + r_jh) / 2;
  c.williams_df = nn - 3;
  c.williams_t = (r_jk - r_jh) * std::sqrt((nn - 1) * (1 + r_kh) /
                                           (2 * (nn - 1) / (nn - 3) * det + rbar * rbar * std::pow(1 - r_kh, 3)));
  c.williams_p = t_p_value(c.williams_t, c.williams_df, alternative);
  const double r2 = rbar * rbar;
  const double psi = r_kh * (1 - 2 * r2) - 0.5 * r2 * (1 - 2 * r2 - r_kh * r_kh);
  const double s = psi / ((1 - r2) * (1 - r2));
  c.steiger_z = (std::atanh(r_jk) - std::atanh(r_jh)) * std::sqrt(nn - 3) / std::sqrt(2 - 2 * s);
  c.steiger_p = normal_p_value(c.steiger_z, alternative);
  const double se = 1 / std::sqrt(nn - 3);
  const Interval i1 = fisher_z_interval(r_jk, se, level, Alternative::two_sided);
  const Interval i2 = fisher_z_interval(r_jh, se, level, Alternative::two_sided);
  const double cc = ((r_kh - r_jk * r_jh / 2) * (1 - r_jk * r_jk - r_jh * r_jh - r_kh * r_kh) + r_kh * r_kh * r_kh) /
                    ((1 - r_jk * r_jk) * (1 - r_jh * r_jh));
  const double a1 = r_jk - i1.lower, b1 = i2.upper - r_jh, a2 = i1.upper - r_jk, b2 = r_jh - i2.lower;
  c.ci = {c.difference - std::sqrt(a1 * a1 + b1 * b1 - 2 * cc * a1 * b1),
          c.difference + std::sqrt(a2 * a2 + b2 * b2 - 2 * cc * a2 * b2)};
  return c;
}

}  // namespace trialstats::corr
