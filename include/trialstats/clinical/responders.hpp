// Responders: the proportion of patients whose change reaches the MCID. From a pooled mean
// difference by assuming normally distributed change in each arm (Anzures-Cabrera et al. 2011), and
// from individual patients' changes counted per arm, with the risk difference, relative risk and
// number needed to treat (stats/proportion.hpp).
//
// References (formulas in docs/methods.md, "Clinical importance"):
//   Anzures-Cabrera J, Sarpatwari A, Higgins JPT (2011). Expressing findings from meta-analyses of
//     continuous outcomes in terms of risks. Stat Med 30:2967–2985.
//   Altman DG (1998). Confidence intervals for the number needed to treat. BMJ 317:1309–1312.
//   Newcombe RG (1998). Interval estimation for the difference between independent proportions:
//     comparison of eleven methods. Stat Med 17:873–890.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string_view>

#include "trialstats/clinical/importance.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"
#include "trialstats/stats/proportion.hpp"

namespace trialstats::clinical {

/// The control arm's change: its mean and the SD of change (assumed the same in both arms).
struct NormalChange {
  double control_mean = 0;  ///< mean change in the control arm (follow-up − baseline)
  double sd = 0;            ///< SD of change, > 0
};

/// Proportions of patients whose change reaches the MCID, from normal change (Anzures-Cabrera 2011).
struct NormalResponders {
  double control = 0;             ///< P(change beyond the MCID) in the control arm
  double treatment = 0;           ///< the same with mean change control_mean + effect
  Interval treatment_ci{};        ///< at the effect's CI limits
  double risk_difference = 0;     ///< treatment − control
  Interval risk_difference_ci{};  ///< at the effect's CI limits (the map is monotone)
  double nnt = 0;                 ///< 1/|RD|; +∞ for RD = 0
  stats::NntKind nnt_kind = stats::NntKind::benefit;
  stats::NntLimit nnt_lower{}, nnt_upper{};  ///< Altman (1998): through infinity when the RD interval holds 0
  bool nnt_through_infinity = false;
};

/// The NNT with Altman's interval from a risk difference on the benefit scale (positive is benefit)
/// and its interval: 1/|d|, limits 1/U and 1/L, or NNTB 1/U to ∞ to NNTH 1/|L| when L ≤ 0 ≤ U.
/// The same mapping as stats::number_needed_to_treat, for a difference that does not come from counts.
inline void nnt_from_difference(double d, Interval ci, NormalResponders& r) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const auto recip = [](double v) { return v == 0 ? inf : 1 / std::fabs(v); };
  r.nnt = recip(d);
  r.nnt_kind = d >= 0 ? stats::NntKind::benefit : stats::NntKind::harm;
  if (ci.lower > 0) {
    r.nnt_lower = {stats::NntKind::benefit, recip(ci.upper)};
    r.nnt_upper = {stats::NntKind::benefit, recip(ci.lower)};
  } else if (ci.upper < 0) {
    r.nnt_lower = {stats::NntKind::harm, recip(ci.lower)};
    r.nnt_upper = {stats::NntKind::harm, recip(ci.upper)};
  } else {
    r.nnt_through_infinity = true;
    r.nnt_lower = {stats::NntKind::benefit, recip(ci.upper)};
    r.nnt_upper = {stats::NntKind::harm, recip(ci.lower)};
  }
}

/// Responders under normal change (Anzures-Cabrera et al. 2011, section 3): with s = benefit_sign
/// and m = |MCID|, a patient responds when s·change ≥ m, so
///   p_control = Φ((s·μ_c − m)/σ),  p_treatment = Φ((s·(μ_c + δ) − m)/σ),
/// δ the pooled mean difference (treatment − control) with its CI; RD = p_t − p_c; NNT = 1/RD with
/// Altman's interval from the RD limits (the RD is monotone in δ, so its limits are those at δ's limits).
/// @throws DomainError for sd ≤ 0, non-finite values or an MCID of 0.
///
/// Example: control change −1, SD 3, MD −2.7 [−3.582, −1.818], MCID 2 lower is better:
///   p_control = Φ((1 − 2)/3) = 0.3694, p_treatment = Φ((3.7 − 2)/3) = 0.7145.
[[nodiscard]] inline NormalResponders normal_responders(double effect, Interval effect_ci, const NormalChange& change,
                                                        const Mcid& mcid) {
  constexpr std::string_view where = "normal_responders";
  require_finite(where, "effect", effect);
  require_finite(where, "mean change of the control arm", change.control_mean);
  require_positive(where, "SD of change", change.sd);
  require_finite(where, "MCID", mcid.value);
  if (mcid.value == 0) fail_check(where, "MCID", mcid.value, "different from 0");
  const double s = benefit_sign(mcid.direction), m = std::fabs(mcid.value);
  const stats::Normal z(0.0, 1.0);
  const auto responding = [&](double mean) { return cdf(z, (s * mean - m) / change.sd); };
  NormalResponders r;
  r.control = responding(change.control_mean);
  r.treatment = responding(change.control_mean + effect);
  const double a = responding(change.control_mean + effect_ci.lower);
  const double b = responding(change.control_mean + effect_ci.upper);
  r.treatment_ci = {std::min(a, b), std::max(a, b)};
  r.risk_difference = r.treatment - r.control;
  r.risk_difference_ci = {r.treatment_ci.lower - r.control, r.treatment_ci.upper - r.control};
  nnt_from_difference(r.risk_difference, r.risk_difference_ci, r);
  return r;
}

/// Responders counted in two arms of individual patients.
struct ArmResponders {
  stats::ProportionEstimate treatment{};  ///< responders / patients with Wilson's interval
  stats::ProportionEstimate control{};
  stats::RiskDifference risk_difference{};  ///< treatment − control, Newcombe's hybrid score interval
  stats::RelativeRisk relative_risk{};      ///< treatment / control
  stats::NumberNeededToTreat nnt{};         ///< Altman's interval (responding is a favourable event)
};

/// Whether a change responds: s·change ≥ |MCID| (s = benefit_sign).
[[nodiscard]] inline bool responds(double change, const Mcid& mcid) {
  return benefit_sign(mcid.direction) * change >= std::fabs(mcid.value);
}

/// Responders per arm from counts: Wilson intervals, RD with Newcombe's interval, RR, NNT (Altman).
/// @throws DomainError for bad counts or level.
///
/// Example: 30/47 vs 18/47: RD 0.2553 [0.0533, 0.4301], NNTB 3.92 (2.33 to 18.76).
[[nodiscard]] inline ArmResponders arm_responders(const stats::EventCount& treatment, const stats::EventCount& control,
                                                  double level = 0.95) {
  ArmResponders r;
  r.treatment = stats::wilson_interval(treatment, {.level = level});
  r.control = stats::wilson_interval(control, {.level = level});
  r.risk_difference = stats::risk_difference(treatment, control, {.level = level});
  r.relative_risk = stats::relative_risk(treatment, control, level);
  r.nnt = stats::number_needed_to_treat(treatment, control, {.level = level});
  return r;
}

/// Responders per arm from each patient's change: counts `responds` in each arm, then `arm_responders`.
/// @throws DomainError for an empty arm, a non-finite change or an MCID of 0.
[[nodiscard]] inline ArmResponders arm_responders(std::span<const double> treatment_changes,
                                                  std::span<const double> control_changes, const Mcid& mcid,
                                                  double level = 0.95) {
  constexpr std::string_view where = "arm_responders";
  require_finite(where, "MCID", mcid.value);
  if (mcid.value == 0) fail_check(where, "MCID", mcid.value, "different from 0");
  require_at_least(where, "patients of the treatment arm", treatment_changes.size(), 1);
  require_at_least(where, "patients of the control arm", control_changes.size(), 1);
  const auto count = [&](std::span<const double> changes) {
    double x = 0;
    for (const double c : changes) {
      require_finite(where, "change", c);
      x += responds(c, mcid) ? 1 : 0;
    }
    return stats::EventCount{x, static_cast<double>(changes.size())};
  };
  return arm_responders(count(treatment_changes), count(control_changes), level);
}

}  // namespace trialstats::clinical
