// Effect sizes of 2x2 tables (events/non-events in two groups): log risk ratio (RR), log odds ratio
// (OR), risk difference (RD) and Peto's log odds ratio (PETO), with metafor 3.8's continuity
// corrections (add, to, drop00).
//
// References (formulas in docs/methods.md, "Effect sizes"):
//   Fleiss JL, Berlin JA (2009). Effect sizes for dichotomous data. In: Cooper H, Hedges LV,
//     Valentine JC (eds), The Handbook of Research Synthesis and Meta-Analysis, 2nd ed., 237–253.
//   Yusuf S, Peto R, Lewis J, Collins R, Sleight P (1985). Beta blockade during and after myocardial
//     infarction. Prog Cardiovasc Dis 27:335–371 (Peto's method).
//   Viechtbauer W (2022). metafor 3.8 escalc(): add, to, drop00.
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "trialstats/effect/measure.hpp"

namespace trialstats::effect {

/// A 2x2 table: events `ai` and non-events `bi` in group 1, `ci` and `di` in group 2.
struct Table2x2 {
  double ai = 0, bi = 0, ci = 0, di = 0;
};

/// A table from events and group sizes (metafor's ai, n1i, ci, n2i).
/// @throws InvalidInput for negative counts or events above the group size.
[[nodiscard]] inline Table2x2 table_from_group_sizes(double ai, double n1i, double ci, double n2i) {
  detail::need_nonnegative("2x2 table", "ai", ai);
  detail::need_nonnegative("2x2 table", "n1i", n1i);
  detail::need_nonnegative("2x2 table", "ci", ci);
  detail::need_nonnegative("2x2 table", "n2i", n2i);
  if (ai > n1i) detail::fail_input("2x2 table", "ai", ai, fmt::format("at most n1i = {}", n1i));
  if (ci > n2i) detail::fail_input("2x2 table", "ci", ci, fmt::format("at most n2i = {}", n2i));
  return {ai, n1i - ai, ci, n2i - ci};
}

/// @throws InvalidInput for a negative or non-finite count.
inline void check_table(const Table2x2& t, std::string_view where = "2x2 table") {
  detail::need_nonnegative(where, "ai", t.ai);
  detail::need_nonnegative(where, "bi", t.bi);
  detail::need_nonnegative(where, "ci", t.ci);
  detail::need_nonnegative(where, "di", t.di);
}

/// True when a cell is 0 (metafor's "only0" selection).
[[nodiscard]] inline bool has_zero_cell(const Table2x2& t) noexcept {
  return t.ai == 0 || t.bi == 0 || t.ci == 0 || t.di == 0;
}

/// True for no events in both groups, or only events in both (metafor's drop00 selection).
[[nodiscard]] inline bool is_double_zero(const Table2x2& t) noexcept {
  return (t.ai == 0 && t.ci == 0) || (t.bi == 0 && t.di == 0);
}

/// `add` added to every cell.
[[nodiscard]] inline Table2x2 add_to_cells(const Table2x2& t, double add) noexcept {
  return {t.ai + add, t.bi + add, t.ci + add, t.di + add};
}

/// RR: yi = log(p1/p2), vi = 1/ai − 1/n1i + 1/ci − 1/n2i, on the counts as given (no correction;
/// a zero cell gives an infinite value).
[[nodiscard]] inline EffectSize log_risk_ratio(const Table2x2& t) {
  check_table(t, "RR");
  const double n1 = t.ai + t.bi, n2 = t.ci + t.di;
  return {std::log(t.ai / n1) - std::log(t.ci / n2), 1 / t.ai - 1 / n1 + 1 / t.ci - 1 / n2};
}

/// OR: yi = log(ai di / (bi ci)) (as log-odds of group 1 minus group 2), vi = 1/ai + 1/bi + 1/ci + 1/di.
[[nodiscard]] inline EffectSize log_odds_ratio(const Table2x2& t) {
  check_table(t, "OR");
  const double p1 = t.ai / (t.ai + t.bi), p2 = t.ci / (t.ci + t.di);
  return {std::log(p1 / (1 - p1)) - std::log(p2 / (1 - p2)), 1 / t.ai + 1 / t.bi + 1 / t.ci + 1 / t.di};
}

/// RD: yi = p1 − p2; vi (LS) = p1(1 − p1)/n1i + p2(1 − p2)/n2i, (UB) with n − 1 in the denominators.
[[nodiscard]] inline EffectSize risk_difference(const Table2x2& t, VarianceType vtype = VarianceType::ls) {
  check_table(t, "RD");
  const double n1 = t.ai + t.bi, n2 = t.ci + t.di;
  const double p1 = t.ai / n1, p2 = t.ci / n2;
  const double k = vtype == VarianceType::ub ? 1.0 : 0.0;
  return {p1 - p2, p1 * (1 - p1) / (n1 - k) + p2 * (1 - p2) / (n2 - k)};
}

/// PETO: with N = n1i + n2i, E = (ai + ci) n1i / N and V = (ai + ci)(bi + di) n1i n2i / (N² (N − 1)),
/// yi = (ai − E)/V and vi = 1/V (Yusuf et al. 1985).
[[nodiscard]] inline EffectSize peto_log_odds_ratio(const Table2x2& t) {
  check_table(t, "PETO");
  const double n1 = t.ai + t.bi, n2 = t.ci + t.di, n = n1 + n2;
  const double xt = t.ai + t.ci, yt = t.bi + t.di;
  const double e = xt * n1 / n;
  const double v = xt * yt * (n1 / n) * (n2 / n) / (n - 1);
  return {(t.ai - e) / v, 1 / v};
}

/// Effect sizes of many 2x2 tables under `options` (measure RR, OR, RD or PETO), as escalc():
/// drop00 drops double-zero studies first, then `add` goes to the cells of the studies that `to`
/// selects; results that are not finite become NaN and are listed in `undefined`.
/// @param labels optional study labels for the warnings.
/// @throws InvalidInput (with `study()` set) for a negative count; UsageError for another measure
///         or a variance type the measure does not have.
[[nodiscard]] inline EffectSizes escalc_2x2(std::span<const Table2x2> tables, const EscalcOptions& options,
                                            std::span<const std::string> labels = {}) {
  const Measure m = options.measure;
  if (m != Measure::rr && m != Measure::or_ && m != Measure::rd && m != Measure::peto)
    throw UsageError(fmt::format("escalc_2x2: measure {} is not one of RR, OR, RD, PETO", name(m)));
  if (options.vtype == VarianceType::ls2 || (options.vtype == VarianceType::ub && m != Measure::rd))
    throw UsageError(fmt::format("measure {} has no variance type {}", name(m), name(options.vtype)));
  const double add = effective_add(options);
  EffectSizes r;
  r.measure = m;
  const std::size_t k = tables.size();
  std::vector<char> zero(k), dropped(k);
  for (std::size_t i = 0; i < k; ++i) {
    try {
      check_table(tables[i], name(m));
    } catch (InvalidInput& e) {
      e.set_study(i);
      throw;
    }
    zero[i] = has_zero_cell(tables[i]);
    dropped[i] = options.drop00 && is_double_zero(tables[i]);
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
    const Table2x2 t = r.corrected[i] ? add_to_cells(tables[i], add) : tables[i];
    EffectSize e{};
    switch (m) {
      case Measure::rr: e = log_risk_ratio(t); break;
      case Measure::or_: e = log_odds_ratio(t); break;
      case Measure::rd: e = risk_difference(t, options.vtype); break;
      default: e = peto_log_odds_ratio(t); break;
    }
    r.yi[i] = e.yi;
    r.vi[i] = e.vi;
  }
  detail::finish_counts(r, add, options.to, "cells", labels);
  return r;
}

}  // namespace trialstats::effect
