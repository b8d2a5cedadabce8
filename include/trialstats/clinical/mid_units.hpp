// The MCID on the scale of a pooled standardised mean difference or ratio of means, and a pooled
// effect expressed in MID units (the effect divided by the MCID on its scale).
//
// References (formulas in docs/methods.md, "Clinical importance"):
//   Johnston BC, Thorlund K, Schünemann HJ, et al. (2010). Improving the interpretation of quality of
//     life evidence in meta-analyses: the application of minimal important difference units. Health
//     Qual Life Outcomes 8:116.
#pragma once

#include <cmath>
#include <string_view>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"

namespace trialstats::clinical {

/// The MCID (outcome units, signed) on the SMD scale: MCID / SD.
/// @throws DomainError for sd ≤ 0 or an MCID of 0.
[[nodiscard]] inline double mcid_on_smd_scale(double mcid, double sd) {
  constexpr std::string_view where = "mcid_on_smd_scale";
  require_finite(where, "MCID", mcid);
  if (mcid == 0) fail_check(where, "MCID", mcid, "different from 0");
  require_positive(where, "SD", sd);
  return mcid / sd;
}

/// The MCID (outcome units, signed) on the log ratio-of-means scale: ln((mean_c + MCID) / mean_c).
/// @throws DomainError for mean_c ≤ 0, an MCID of 0, or mean_c + MCID ≤ 0.
[[nodiscard]] inline double mcid_on_rom_scale(double mcid, double control_mean) {
  constexpr std::string_view where = "mcid_on_rom_scale";
  require_finite(where, "MCID", mcid);
  if (mcid == 0) fail_check(where, "MCID", mcid, "different from 0");
  require_positive(where, "control mean", control_mean);
  if (!(control_mean + mcid > 0)) fail_check(where, "control mean + MCID", control_mean + mcid, "positive");
  return std::log((control_mean + mcid) / control_mean);
}

/// An effect and its interval in MID units: each divided by |MCID on the effect's scale|.
struct MidUnits {
  double estimate = 0;
  Interval ci{};
};

/// @throws DomainError for an MCID of 0.
[[nodiscard]] inline MidUnits mid_units(double estimate, Interval ci, double mcid_on_scale) {
  if (!(mcid_on_scale != 0) || !std::isfinite(mcid_on_scale))
    fail_check("mid_units", "MCID", mcid_on_scale, "finite and different from 0");
  const double m = std::fabs(mcid_on_scale);
  return {estimate / m, {ci.lower / m, ci.upper / m}};
}

}  // namespace trialstats::clinical
