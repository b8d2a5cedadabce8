// From a table to effect sizes: the columns a measure needs, looked up through column roles, turned
// into yi and vi, with every bad value reported at its cell.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/effect/escalc.hpp"
#include "trialstats/effect/measure.hpp"
#include "trialstats/io/table.hpp"

namespace trialstats::io {

/// Effect sizes of the rows of a table that could be computed; rows with a missing value, rows
/// dropped by drop00 and rows whose effect size is undefined (e.g. a zero cell with to = none) are dropped.
struct EffectTable {
  std::string source;
  effect::Measure measure = effect::Measure::gen;
  std::vector<std::string> study;        ///< the 'study' role's column, else "1", "2", … (data row numbers)
  std::vector<double> yi, vi;
  std::vector<double> ni;                ///< the 'ni' column of the used rows when the measure reads one (PFT back-transform), else empty
  effect::RoleColumns inputs;            ///< the measure's columns by role (ai, n1i, …), aligned with `yi`
  std::vector<char> corrected;           ///< 1 where the continuity correction was added
  std::vector<std::size_t> rows;         ///< table row of each study (0-based data row)
  std::vector<std::size_t> dropped;      ///< table rows dropped (0-based data rows), each named in a warning
  Warnings warnings;
};

/// Reads `yi` with `vi` or `sei` (measure GEN), or computes them from the raw columns of `options.measure`.
/// @throws InputError at the header naming every column the measure needs and those missing
///         ("measure SMD needs columns m1i, sd1i, n1i, m2i, sd2i, n2i; missing: sd2i (map one with --col sd2i=NAME)"),
///         at the cell for a value that is not a number or outside the measure's domain.
[[nodiscard]] EffectTable effects_from_table(const Table& table, const ColumnRoles& roles,
                                             const effect::EscalcOptions& options);

/// The columns appended to each row of the input table by `trialstats effect`: NaN for dropped rows.
struct EffectColumns {
  effect::Measure measure = effect::Measure::gen;
  double level = 0.95;
  std::vector<double> yi, vi, sei, ci_lb, ci_ub;  ///< one per table row
  std::vector<char> corrected;                    ///< one per table row
  /// Back-transformed yi and CI (exp, tanh, inverse logit/arcsine/Freeman–Tukey with the study's ni),
  /// when asked for and the measure has a back-transformation.
  std::optional<effect::Scale> scale;
  std::vector<double> t_yi, t_ci_lb, t_ci_ub;
};

/// Wald CIs at `level` (in (0, 1)) and, when `transform`, the back-transformed values of every row.
[[nodiscard]] EffectColumns effect_columns(const EffectTable& effects, std::size_t table_rows, double level,
                                           bool transform);

}  // namespace trialstats::io
