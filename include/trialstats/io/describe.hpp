// A first look at a table: per column its type, how many cells are present and missing, the range
// of its numbers and its first values. What `trialstats describe` shows.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/io/table.hpp"

namespace trialstats::io {

enum class ColumnType { number, text, empty };

/// "number", "text" or "empty".
[[nodiscard]] const char* type_name(ColumnType type) noexcept;

struct ColumnSummary {
  std::string name;
  ColumnType type = ColumnType::empty;  ///< empty: every cell is missing
  std::size_t present = 0;              ///< cells that are not missing
  std::size_t missing = 0;              ///< empty or NA cells
  std::size_t numbers = 0;              ///< present cells that are numbers (in a text column too)
  double min = 0;                       ///< of the numbers; NaN when there are none
  double max = 0;                       ///< of the numbers; NaN when there are none
  std::vector<std::string> first_values;  ///< text columns: the first distinct values, at most 3
  std::optional<std::string> first_text;  ///< a text column with numbers too: its first text cell
  std::optional<SourcePos> first_text_pos;  ///< and where it stands
};

struct TableSummary {
  std::string source;
  std::size_t rows = 0;
  std::vector<ColumnSummary> columns;
};

/// The summary of every column, in the table's order.
///
/// Example:
///     const TableSummary s = describe(read_csv("data/bcg.csv"));
///     // s.columns[0].name == "trial", s.columns[0].type == ColumnType::number, s.columns[0].max == 13
[[nodiscard]] TableSummary describe(const Table& table);

/// Throws InputError at the first present cell of `column` that is not a number (Column::number's
/// message); missing cells are allowed.
void require_numbers(const Column& column);

}  // namespace trialstats::io
