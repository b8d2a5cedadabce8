// Effect sizes of single proportions (xi events out of ni): the raw proportion (PR), its logit (PLO),
// arcsine square root (PAS) and Freeman–Tukey double arcsine (PFT) transformations, with metafor
// 3.8's continuity corrections (add, to; PAS and PFT default to add = 0).
//
// References (formulas in docs/methods.md, "Effect sizes"):
//   Freeman MF, Tukey JW (1950). Transformations related to the angular and the square root.
//     Ann Math Stat 21:607–611.
//   Miller JJ (1978). The inverse of the Freeman-Tukey double arcsine transformation. Am Stat 32:138.
//   Viechtbauer W (2022). metafor 3.8 escalc().
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "trialstats/effect/measure.hpp"

namespace trialstats::effect {

/// Events and sample size of one group.
struct Proportion {
  double xi = 0;  ///< events
  double ni = 0;  ///< sample size
};

/// @throws InvalidInput for a negative count, ni <= 0 or xi > ni.
inline void check_proportion(const Proportion& p, std::string_view where = "proportion") {
  detail::need_nonnegative(where, "xi", p.xi);
  detail::need_positive(where, "ni", p.ni);
  if (p.xi > p.ni) detail::fail_input(where, "xi", p.xi, fmt::format("at most ni = {}", p.ni));
}

/// The value of `m` (PR, PLO, PAS or PFT) for counts as given (after any correction):
/// PR: p = xi/ni, vi = p(1 − p)/ni (UB: /(ni − 1)); PLO: log(xi/(ni − xi)), vi = 1/xi + 1/(ni − xi);
/// PAS: asin(sqrt(p)), vi = 1/(4 ni); PFT: ½[asin(sqrt(xi/(ni + 1))) + asin(sqrt((xi + 1)/(ni + 1)))],
/// vi = 1/(4 ni + 2).
[[nodiscard]] inline EffectSize proportion_effect(Measure m, const Proportion& p, VarianceType vtype = VarianceType::ls) {
  const double x = p.xi, n = p.ni, pr = x / n;
  switch (m) {
    case Measure::pr: return {pr, pr * (1 - pr) / (vtype == VarianceType::ub ? n - 1 : n)};
    case Measure::plo: return {std::log(pr / (1 - pr)), 1 / x + 1 / (n - x)};
    case Measure::pas: return {std::asin(std::sqrt(pr)), 1 / (4 * n)};
    case Measure::pft:
      return {0.5 * (std::asin(std::sqrt(x / (n + 1))) + std::asin(std::sqrt((x + 1) / (n + 1)))), 1 / (4 * n + 2)};
    default: throw UsageError(fmt::format("proportion_effect: measure {} is not one of PR, PLO, PAS, PFT", name(m)));
  }
}

/// Effect sizes of many proportions as escalc(): the studies that `to` selects (only0: xi = 0 or
/// xi = ni) get `add` added to events and non-events (so ni grows by 2·add).
/// @throws InvalidInput (with `study()` set) for bad counts; UsageError for another measure or a
///         variance type the measure does not have.
[[nodiscard]] inline EffectSizes escalc_proportions(std::span<const Proportion> props, const EscalcOptions& options,
                                                    std::span<const std::string> labels = {}) {
  const Measure m = options.measure;
  if (m != Measure::pr && m != Measure::plo && m != Measure::pas && m != Measure::pft)
    throw UsageError(fmt::format("escalc_proportions: measure {} is not one of PR, PLO, PAS, PFT", name(m)));
  if (options.vtype == VarianceType::ls2 || (options.vtype == VarianceType::ub && m != Measure::pr))
    throw UsageError(fmt::format("measure {} has no variance type {}", name(m), name(options.vtype)));
  const double add = effective_add(options);
  EffectSizes r;
  r.measure = m;
  const std::size_t k = props.size();
  std::vector<char> zero(k), dropped(k, 0);
  for (std::size_t i = 0; i < k; ++i) {
    try {
      check_proportion(props[i], name(m));
    } catch (InvalidInput& e) {
      e.set_study(i);
      throw;
    }
    zero[i] = props[i].xi == 0 || props[i].xi == props[i].ni;
  }
  r.corrected = detail::continuity_targets(zero, dropped, options.to, add);
  r.yi.resize(k);
  r.vi.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    Proportion p = props[i];
    if (r.corrected[i]) p = {p.xi + add, p.ni + 2 * add};
    const EffectSize e = proportion_effect(m, p, options.vtype);
    r.yi[i] = e.yi;
    r.vi[i] = e.vi;
  }
  detail::finish_counts(r, add, options.to, "events and non-events", labels);
  return r;
}

}  // namespace trialstats::effect
