#include <algorithm>
#include <charconv>
#include <numeric>

#include <fmt/format.h>

#include "trialstats/io/table.hpp"

namespace trialstats::io {

std::string Column::text(std::size_t row) const {
  if (!text_.empty()) return text_[row];
  if (std::isnan(values_[row])) return {};
  return fmt::format("{}", values_[row]);
}

void Column::reserve(std::size_t rows) {
  values_.reserve(rows);
  columns_.reserve(rows);
}

void Column::push_text(std::string_view text, std::uint32_t column) {
  if (text_.empty()) {  // first text cell: keep the text of the numbers before it
    text_.reserve(values_.capacity());
    for (std::size_t r = 0; r < values_.size(); ++r) text_.push_back(Column::text(r));
  }
  values_.push_back(std::nan(""));
  columns_.push_back(column);
  text_.emplace_back(text);
}

std::vector<std::string> Table::names() const {
  std::vector<std::string> out;
  out.reserve(columns_.size());
  for (const auto& c : columns_) out.push_back(c.name());
  return out;
}

const Column* Table::find(std::string_view name) const noexcept {
  const auto it = std::find_if(columns_.begin(), columns_.end(), [&](const Column& c) { return c.name() == name; });
  return it == columns_.end() ? nullptr : &*it;
}

namespace {

// Levenshtein distance, case-insensitive: the basis of "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

const Column& Table::column(std::string_view name) const {
  if (const Column* c = find(name)) return *c;
  std::string message = fmt::format("no column '{}'", name);
  const Column* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& c : columns_) {
    const std::size_t d = edit_distance(name, c.name());
    if (best == nullptr || d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  if (best != nullptr && best_distance <= std::max<std::size_t>(2, name.size() / 3))
    message += fmt::format("; did you mean '{}'?", best->name());
  else
    message += fmt::format(" (columns: {})", fmt::join(names(), ", "));
  throw InputError({source_, 1, 0}, message);
}

ColumnRoles::ColumnRoles(const std::vector<std::string>& column_map) {
  for (const auto& entry : column_map) {
    const auto eq = entry.find('=');
    map_[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
}

std::string ColumnRoles::name(const std::string& role) const {
  const auto it = map_.find(role);
  return it == map_.end() ? role : it->second;
}

const Column* ColumnRoles::find(const Table& table, const std::string& role) const {
  const auto it = map_.find(role);
  if (it != map_.end()) return &table.column(it->second);  // mapped explicitly: must exist
  return table.find(role);
}

}  // namespace trialstats::io
