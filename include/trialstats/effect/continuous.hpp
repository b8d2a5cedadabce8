// Effect sizes of continuous outcomes: two independent groups (MD, SMD, SMDH, ROM) and one group
// measured twice (MC, SMCR, SMCC), as metafor 3.8's escalc() computes them.
//
// References (formulas in docs/methods.md, "Effect sizes"):
//   Hedges LV (1981). Distribution theory for Glass's estimator of effect size and related
//     estimators. J Educ Stat 6:107–128 (the exact bias correction c(m), eq. 6e).
//   Bonett DG (2009). Meta-analytic interval estimation for standardized and unstandardized mean
//     differences. Psychol Methods 14:225–238 (SMDH).
//   Hedges LV, Gurevitch J, Curtis PS (1999). The meta-analysis of response ratios in experimental
//     ecology. Ecology 80:1150–1156 (ROM).
//   Becker BJ (1988). Synthesizing standardized mean-change measures. Br J Math Stat Psychol 41:257–278 (SMCR).
//   Gibbons RD, Hedeker DR, Davis JM (1993). Estimation of effect size from a series of experiments
//     involving paired comparisons. J Educ Stat 18:271–279 (SMCC).
#pragma once

#include <cmath>

#include <boost/math/special_functions/gamma.hpp>

#include "trialstats/effect/measure.hpp"

namespace trialstats::effect {

/// Summary statistics of two independent groups.
struct TwoGroupMeans {
  double m1i = 0, sd1i = 0, n1i = 0;  ///< mean, standard deviation, size of group 1
  double m2i = 0, sd2i = 0, n2i = 0;  ///< the same for group 2
};

/// Summary statistics of one group measured twice (e.g. post and pre).
struct PrePostMeans {
  double m1i = 0, m2i = 0;    ///< means at the two occasions (the change is m1i - m2i)
  double sd1i = 0, sd2i = 0;  ///< their standard deviations (SMCR needs only sd1i)
  double ni = 0;              ///< number of subjects
  double ri = 0;              ///< correlation between the two occasions
};

/// Hedges' exact bias correction c(m) = Γ(m/2) / (sqrt(m/2) Γ((m−1)/2)).
/// The ratio Γ(m/2)/Γ((m−1)/2) is Boost's tgamma_delta_ratio, which never overflows and keeps full
/// precision for any m; the textbook log-gamma difference lgamma(m/2) − lgamma((m−1)/2) (metafor's
/// .cmicalc) never overflows either but loses digits to cancellation once m passes ~10^6
/// (about 4e-6 relative at m = 2·10^9). c(m) = 1 − 3/(4m − 1) + O(m⁻²) and tends to 1.
/// @param m degrees of freedom, > 1 (may be +inf: c = 1). @throws DomainError for m <= 1 or NaN.
/// Example: `hedges_correction(10)` is 0.92274…
[[nodiscard]] inline double hedges_correction(double m) {
  if (!(m > 1)) fail_check("hedges_correction", "degrees of freedom m", m, "greater than 1");
  if (std::isinf(m)) return 1;
  // Γ(x)/Γ(x + 1/2) with x = (m − 1)/2, so Γ(m/2)/Γ((m−1)/2) is its reciprocal.
  const double ratio = boost::math::tgamma_delta_ratio((m - 1) / 2, 0.5);
  return 1 / (std::sqrt(m / 2) * ratio);
}

namespace detail {
inline void check_two_groups(std::string_view where, const TwoGroupMeans& g, double min_n) {
  need_finite(where, "m1i", g.m1i);
  need_nonnegative(where, "sd1i", g.sd1i);
  need_at_least(where, "n1i", g.n1i, min_n);
  need_finite(where, "m2i", g.m2i);
  need_nonnegative(where, "sd2i", g.sd2i);
  need_at_least(where, "n2i", g.n2i, min_n);
}
inline void check_prepost(std::string_view where, const PrePostMeans& p, bool needs_sd2, double min_n) {
  need_finite(where, "m1i", p.m1i);
  need_finite(where, "m2i", p.m2i);
  need_nonnegative(where, "sd1i", p.sd1i);
  if (needs_sd2) need_nonnegative(where, "sd2i", p.sd2i);
  need_at_least(where, "ni", p.ni, min_n);
  need_correlation(where, "ri", p.ri);
}
}  // namespace detail

/// MD: yi = m1i − m2i, vi = sd1i²/n1i + sd2i²/n2i (metafor vtype "LS"/"UB").
/// @throws InvalidInput (a DomainError) for a negative SD or a group size below 1.
[[nodiscard]] inline EffectSize mean_difference(const TwoGroupMeans& g) {
  detail::check_two_groups("MD", g, 1);
  return {g.m1i - g.m2i, g.sd1i * g.sd1i / g.n1i + g.sd2i * g.sd2i / g.n2i};
}

/// SMD (Hedges' g): d = (m1i − m2i)/s_pooled, yi = c(m) d with m = n1i + n2i − 2;
/// vi (LS) = 1/n1i + 1/n2i + yi²/(2(n1i + n2i)); (UB) = 1/n1i + 1/n2i + (1 − (m − 2)/(m c(m)²)) yi²;
/// (LS2) = c(m)² (1/n1i + 1/n2i + d²/(2(n1i + n2i))).
/// @throws InvalidInput for a negative SD, a group size below 1, n1i + n2i < 4 (c(m) needs m > 1)
///         or two zero SDs.
[[nodiscard]] inline EffectSize standardized_mean_difference(const TwoGroupMeans& g,
                                                             VarianceType vtype = VarianceType::ls) {
  detail::check_two_groups("SMD", g, 1);
  const double m = g.n1i + g.n2i - 2;
  if (!(m > 1)) detail::fail_input("SMD", "n2i", g.n2i, fmt::format("at least {} so that n1i + n2i >= 4", 4 - g.n1i));
  const double sp = std::sqrt(((g.n1i - 1) * g.sd1i * g.sd1i + (g.n2i - 1) * g.sd2i * g.sd2i) / m);
  if (!(sp > 0)) detail::fail_input("SMD", "sd2i", g.sd2i, "positive when sd1i is 0 (pooled SD is 0)");
  const double c = hedges_correction(m);
  const double d = (g.m1i - g.m2i) / sp;
  const double yi = c * d;
  const double inv_n = 1 / g.n1i + 1 / g.n2i;
  const double n = g.n1i + g.n2i;
  switch (vtype) {
    case VarianceType::ub: return {yi, inv_n + (1 - (m - 2) / (m * c * c)) * yi * yi};
    case VarianceType::ls2: return {yi, c * c * (inv_n + d * d / (2 * n))};
    case VarianceType::ls: break;
  }
  return {yi, inv_n + yi * yi / (2 * n)};
}

/// SMDH (Bonett 2009): yi = c(m)(m1i − m2i)/s with s² = (sd1i² + sd2i²)/2, m = n1i + n2i − 2;
/// vi = c(m)² [yi² (sd1i⁴/(n1i−1) + sd2i⁴/(n2i−1)) / (2 (sd1i² + sd2i²)²) + (sd1i²/(n1i−1) + sd2i²/(n2i−1)) / s²]
/// (metafor 3.8, vtype "LS"). @throws InvalidInput for a negative SD, a group size below 2, or two zero SDs.
[[nodiscard]] inline EffectSize smd_heteroscedastic(const TwoGroupMeans& g) {
  detail::check_two_groups("SMDH", g, 2);
  const double m = g.n1i + g.n2i - 2;
  const double v1 = g.sd1i * g.sd1i, v2 = g.sd2i * g.sd2i;
  if (!(v1 + v2 > 0)) detail::fail_input("SMDH", "sd2i", g.sd2i, "positive when sd1i is 0");
  const double c = hedges_correction(m);
  const double s2 = (v1 + v2) / 2;
  const double yi = c * (g.m1i - g.m2i) / std::sqrt(s2);
  const double vi = yi * yi * (v1 * v1 / (g.n1i - 1) + v2 * v2 / (g.n2i - 1)) / (2 * (v1 + v2) * (v1 + v2)) +
                    (v1 / (g.n1i - 1) + v2 / (g.n2i - 1)) / s2;
  return {yi, c * c * vi};
}

/// ROM: yi = log(m1i/m2i), vi = sd1i²/(n1i m1i²) + sd2i²/(n2i m2i²).
/// @throws InvalidInput for a negative SD, a group size below 1, or means that are not both positive
///         (metafor gives NA for a negative ratio).
[[nodiscard]] inline EffectSize ratio_of_means(const TwoGroupMeans& g) {
  detail::check_two_groups("ROM", g, 1);
  detail::need_positive("ROM", "m1i", g.m1i);
  detail::need_positive("ROM", "m2i", g.m2i);
  return {std::log(g.m1i / g.m2i),
          g.sd1i * g.sd1i / (g.n1i * g.m1i * g.m1i) + g.sd2i * g.sd2i / (g.n2i * g.m2i * g.m2i)};
}

/// MC: yi = m1i − m2i, vi = (sd1i² + sd2i² − 2 ri sd1i sd2i)/ni.
/// @throws InvalidInput for a negative SD, ni < 1 or |ri| > 1.
[[nodiscard]] inline EffectSize mean_change(const PrePostMeans& p) {
  detail::check_prepost("MC", p, true, 1);
  return {p.m1i - p.m2i, (p.sd1i * p.sd1i + p.sd2i * p.sd2i - 2 * p.ri * p.sd1i * p.sd2i) / p.ni};
}

/// SMCC: d = (m1i − m2i)/sd_d with sd_d² = sd1i² + sd2i² − 2 ri sd1i sd2i, yi = c(ni − 1) d;
/// vi (LS) = 1/ni + yi²/(2 ni); (LS2) = c² (1/ni + d²/(2 ni)).
/// @throws InvalidInput for a negative SD, ni < 3, |ri| > 1, or a zero SD of the change.
[[nodiscard]] inline EffectSize smd_change_score(const PrePostMeans& p, VarianceType vtype = VarianceType::ls) {
  detail::check_prepost("SMCC", p, true, 3);
  const double var_d = p.sd1i * p.sd1i + p.sd2i * p.sd2i - 2 * p.ri * p.sd1i * p.sd2i;
  if (!(var_d > 0)) detail::fail_input("SMCC", "ri", p.ri, "such that the SD of the change is positive");
  const double c = hedges_correction(p.ni - 1);
  const double d = (p.m1i - p.m2i) / std::sqrt(var_d);
  const double yi = c * d;
  if (vtype == VarianceType::ls2) return {yi, c * c * (1 / p.ni + d * d / (2 * p.ni))};
  return {yi, 1 / p.ni + yi * yi / (2 * p.ni)};
}

/// SMCR: d = (m1i − m2i)/sd1i, yi = c(ni − 1) d; vi (LS) = 2(1 − ri)/ni + yi²/(2 ni);
/// (LS2) = c² (2(1 − ri)/ni + d²/(2 ni)).
/// @throws InvalidInput for sd1i <= 0, ni < 3 or |ri| > 1.
[[nodiscard]] inline EffectSize smd_change_raw(const PrePostMeans& p, VarianceType vtype = VarianceType::ls) {
  detail::check_prepost("SMCR", p, false, 3);
  detail::need_positive("SMCR", "sd1i", p.sd1i);
  const double c = hedges_correction(p.ni - 1);
  const double d = (p.m1i - p.m2i) / p.sd1i;
  const double yi = c * d;
  if (vtype == VarianceType::ls2) return {yi, c * c * (2 * (1 - p.ri) / p.ni + d * d / (2 * p.ni))};
  return {yi, 2 * (1 - p.ri) / p.ni + yi * yi / (2 * p.ni)};
}

}  // namespace trialstats::effect
