// Effect sizes of correlation coefficients: the raw correlation (COR) and Fisher's r-to-z
// transformation (ZCOR), as metafor 3.8's escalc() computes them.
//
// References (formulas in docs/methods.md, "Effect sizes"):
//   Olkin I, Pratt JW (1958). Unbiased estimation of certain correlation coefficients. Ann Math Stat
//     29:201–211 (large-sample variance of r).
//   Fisher RA (1921). On the "probable error" of a coefficient of correlation deduced from a small
//     sample. Metron 1:3–32.
#pragma once

#include <cmath>

#include "trialstats/effect/measure.hpp"

namespace trialstats::effect {

/// COR: yi = ri, vi = (1 − ri²)²/(ni − 1) (metafor vtype "LS").
/// @throws InvalidInput for |ri| > 1 or ni < 2 (metafor gives an infinite, then NA, variance for ni = 1).
[[nodiscard]] inline EffectSize correlation(double ri, double ni) {
  detail::need_correlation("COR", "ri", ri);
  detail::need_at_least("COR", "ni", ni, 2);
  const double q = 1 - ri * ri;
  return {ri, q * q / (ni - 1)};
}

/// ZCOR: yi = atanh(ri) = ½ log((1 + ri)/(1 − ri)), vi = 1/(ni − 3).
/// @throws InvalidInput for |ri| >= 1 (an infinite z) or ni <= 3 (metafor: NA variance with a warning).
[[nodiscard]] inline EffectSize fisher_z(double ri, double ni) {
  if (!(ri > -1 && ri < 1)) detail::fail_input("ZCOR", "ri", ri, "in (-1, 1)");
  if (!(ni > 3) || !std::isfinite(ni)) detail::fail_input("ZCOR", "ni", ni, "greater than 3");
  return {0.5 * std::log((1 + ri) / (1 - ri)), 1 / (ni - 3)};
}

}  // namespace trialstats::effect
