#include "trialstats/io/describe.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace trialstats::io {

const char* type_name(ColumnType type) noexcept {
  switch (type) {
    case ColumnType::number: return "number";
    case ColumnType::text: return "text";
    case ColumnType::empty: return "empty";
  }
  return "?";
}

TableSummary describe(const Table& table) {
  constexpr std::size_t shown_values = 3;
  TableSummary out{.source = table.source(), .rows = table.rows(), .columns = {}};
  out.columns.reserve(table.cols());
  for (const Column& c : table.columns()) {
    ColumnSummary s;
    s.name = c.name();
    s.min = std::numeric_limits<double>::infinity();
    s.max = -std::numeric_limits<double>::infinity();
    const auto values = c.numbers();
    for (std::size_t r = 0; r < c.size(); ++r) {
      if (c.is_missing(r)) {
        ++s.missing;
        continue;
      }
      ++s.present;
      if (!std::isnan(values[r])) {
        ++s.numbers;
        s.min = std::min(s.min, values[r]);
        s.max = std::max(s.max, values[r]);
      } else if (!s.first_text) {
        s.first_text = c.text(r);
        s.first_text_pos = c.pos(r);
      }
      if (!c.is_numeric() && s.first_values.size() < shown_values) {
        std::string text = c.text(r);
        if (std::find(s.first_values.begin(), s.first_values.end(), text) == s.first_values.end())
          s.first_values.push_back(std::move(text));
      }
    }
    if (s.numbers == 0) s.min = s.max = std::numeric_limits<double>::quiet_NaN();
    s.type = s.present == 0 ? ColumnType::empty : c.is_numeric() ? ColumnType::number : ColumnType::text;
    if (s.numbers == 0) {  // all text: the first text cell says nothing new
      s.first_text.reset();
      s.first_text_pos.reset();
    }
    out.columns.push_back(std::move(s));
  }
  return out;
}

void require_numbers(const Column& column) {
  for (std::size_t r = 0; r < column.size(); ++r)
    if (!column.is_missing(r)) (void)column.number(r);
}

}  // namespace trialstats::io
