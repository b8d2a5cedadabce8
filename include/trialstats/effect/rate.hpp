// Effect sizes of incidence rates in two groups (events x1i, x2i over person-times t1i, t2i): the
// log incidence rate ratio (IRR) and the incidence rate difference (IRD), with metafor 3.8's
// continuity corrections (add, to, drop00).
//
// References (formulas in docs/methods.md, "Effect sizes"):
//   Rothman KJ, Greenland S, Lash TL (2008). Modern Epidemiology, 3rd ed., ch. 14.
//   Viechtbauer W (2022). metafor 3.8 escalc().
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "trialstats/effect/measure.hpp"

namespace trialstats::effect {

/// Events and person-time of two groups.
struct TwoRates {
  double x1i = 0, x2i = 0;  ///< events
  double t1i = 0, t2i = 0;  ///< person-times
};

/// @throws InvalidInput for a negative count or a person-time <= 0.
inline void check_rates(const TwoRates& r, std::string_view where = "rates") {
  detail::need_nonnegative(where, "x1i", r.x1i);
  detail::need_nonnegative(where, "x2i", r.x2i);
  detail::need_positive(where, "t1i", r.t1i);
  detail::need_positive(where, "t2i", r.t2i);
}

/// IRR: yi = log(x1i/t1i) − log(x2i/t2i), vi = 1/x1i + 1/x2i (counts as given).
[[nodiscard]] inline EffectSize log_rate_ratio(const TwoRates& r) {
  check_rates(r, "IRR");
  return {std::log(r.x1i / r.t1i) - std::log(r.x2i / r.t2i), 1 / r.x1i + 1 / r.x2i};
}

/// IRD: yi = x1i/t1i − x2i/t2i, vi = x1i/t1i² + x2i/t2i².
[[nodiscard]] inline EffectSize rate_difference(const TwoRates& r) {
  check_rates(r, "IRD");
  const double ir1 = r.x1i / r.t1i, ir2 = r.x2i / r.t2i;
  return {ir1 - ir2, ir1 / r.t1i + ir2 / r.t2i};
}

/// Effect sizes of many pairs of rates as escalc(): drop00 drops studies with x1i = x2i = 0, then
/// `add` goes to both counts of the studies `to` selects (only0: a zero count).
/// @throws InvalidInput (with `study()` set) for bad values; UsageError for another measure or vtype.
[[nodiscard]] inline EffectSizes escalc_rates(std::span<const TwoRates> rates, const EscalcOptions& options,
                                              std::span<const std::string> labels = {}) {
  const Measure m = options.measure;
  if (m != Measure::irr && m != Measure::ird)
    throw UsageError(fmt::format("escalc_rates: measure {} is not one of IRR, IRD", name(m)));
  if (options.vtype != VarianceType::ls)
    throw UsageError(fmt::format("measure {} has no variance type {}", name(m), name(options.vtype)));
  const double add = effective_add(options);
  EffectSizes r;
  r.measure = m;
  const std::size_t k = rates.size();
  std::vector<char> zero(k), dropped(k);
  for (std::size_t i = 0; i < k; ++i) {
    try {
      check_rates(rates[i], name(m));
    } catch (InvalidInput& e) {
      e.set_study(i);
      throw;
    }
    zero[i] = rates[i].x1i == 0 || rates[i].x2i == 0;
    dropped[i] = options.drop00 && rates[i].x1i == 0 && rates[i].x2i == 0;
    if (dropped[i]) r.dropped00.push_back(i);
  }
  r.corrected = detail::continuity_targets(zero, dropped, options.to, add);
  r.yi.resize(k);
  r.vi.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    if (dropped[i]) {
      r.yi[i] = r.vi[i] = std::nan("");
      continue;
    }
    TwoRates x = rates[i];
    if (r.corrected[i]) {
      x.x1i += add;
      x.x2i += add;
    }
    const EffectSize e = m == Measure::irr ? log_rate_ratio(x) : rate_difference(x);
    r.yi[i] = e.yi;
    r.vi[i] = e.vi;
  }
  detail::finish_counts(r, add, options.to, "counts", labels);
  return r;
}

}  // namespace trialstats::effect
