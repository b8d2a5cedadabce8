// From a table to effect sizes: the columns a measure needs, looked up through column roles, turned
// into yi and vi, with every bad value reported at its cell.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/effect/measure.hpp"
#include "trialstats/io/table.hpp"

namespace trialstats::io {

/// Effect sizes of the rows of a table that could be computed; rows with a missing value are dropped.
struct EffectTable {
  std::string source;
  std::vector<std::string> study;        ///< the 'study' role's column, else "1", "2", … (data row numbers)
  std::vector<double> yi, vi;
  std::vector<std::size_t> rows;         ///< table row of each study (0-based data row)
  std::vector<std::size_t> dropped;      ///< table rows dropped for a missing value
  Warnings warnings;
};

/// Reads `yi` with `vi` or `sei` (measure GEN), or computes them from the raw columns of `options.measure`.
/// @throws InputError at the cell for bad values, or at the header naming the columns a measure needs.
[[nodiscard]] EffectTable effects_from_table(const Table& table, const ColumnRoles& roles,
                                             const effect::EscalcOptions& options);

}  // namespace trialstats::io
