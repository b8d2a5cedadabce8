#include <algorithm>
#include <charconv>
#include <iterator>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <numeric>

#include <sys/mman.h>

#include <fmt/format.h>

#include "trialstats/io/table.hpp"

namespace trialstats::io {

namespace detail {
namespace {
constexpr std::size_t large_block = std::size_t{4} << 20;
constexpr std::size_t huge_page = std::size_t{2} << 20;
}  // namespace

// Large blocks are mapped directly (not through malloc, whose heap may keep freed blocks in the
// resident set) and unmapped when freed; aligned to 2 MiB so that huge pages can back them.
void* allocate_cells(std::size_t bytes) {
  if (bytes < large_block) return ::operator new(bytes);
  const std::size_t size = (bytes + huge_page - 1) / huge_page * huge_page;
  void* raw = ::mmap(nullptr, size + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + huge_page - 1) / huge_page * huge_page;
  if (aligned > start) ::munmap(raw, aligned - start);
  const std::uintptr_t tail = start + size + huge_page - (aligned + size);
  if (tail > 0) ::munmap(reinterpret_cast<void*>(aligned + size), tail);
  void* p = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
  (void)::madvise(p, size, MADV_HUGEPAGE);  // advice only
#endif
  return p;
}

void free_cells(void* p, std::size_t bytes) noexcept {
  if (bytes < large_block) {
    ::operator delete(p);
    return;
  }
  ::munmap(p, (bytes + huge_page - 1) / huge_page * huge_page);
}
}  // namespace detail


std::string Column::text(std::size_t row) const {
  if (!text_.empty()) return text_[row];
  const double v = values_[row];
  if (std::isnan(v)) return {};
  // Whole numbers (study ids, years) print as integers, which is what fmt's shortest form gives them.
  if (std::trunc(v) == v && std::fabs(v) < 1e15 && (v != 0 || !std::signbit(v)))
    return std::to_string(static_cast<long long>(v));
  return fmt::format("{}", v);
}

namespace {

// "1,5" or "-12,25": a number written with a decimal comma.
bool looks_like_decimal_comma(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  const auto comma = s.find(',');
  if (comma == std::string_view::npos || comma == 0 || comma + 1 == s.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != comma && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

}  // namespace

double Column::number(std::size_t row) const {
  const double v = values_[row];
  if (!std::isnan(v)) return v;
  if (is_missing(row)) throw InputError(pos(row), fmt::format("column '{}': the value is missing", name_));
  std::string message = fmt::format("column '{}': expected a number, got \"{}\"", name_, text_[row]);
  if (looks_like_decimal_comma(text_[row])) message += " (write decimals with a point: numbers are read in the C locale)";
  throw InputError(pos(row), message);
}

void Column::reserve(std::size_t rows) {
  values_.reserve(rows);
  if (wide_columns_.empty()) narrow_columns_.reserve(rows);
  else wide_columns_.reserve(rows);
  if (!text_.empty()) text_.reserve(rows);
}

void Column::push_text_only(std::string_view text) { text_.emplace_back(text); }

void Column::push_number(double value, std::uint32_t column) {
  values_.push_back(value);
  push_column(column);
  if (!text_.empty()) text_.push_back(std::isnan(value) ? std::string() : fmt::format("{}", value));
}

void Column::push_text(std::string_view text, std::uint32_t column) {
  if (text_.empty()) {  // first text cell: keep the text of the numbers before it
    text_.reserve(values_.capacity());
    for (const double v : values_) text_.push_back(std::isnan(v) ? std::string() : fmt::format("{}", v));
  }
  values_.push_back(std::numeric_limits<double>::quiet_NaN());
  push_column(column);
  text_.emplace_back(text);
}

void Column::append(Column&& more, std::uint32_t line_offset) {
  const std::size_t before = values_.size();
  if (!more.text_.empty() && text_.empty()) {  // text from now on: keep the text of the numbers before it
    text_.reserve(std::max(values_.capacity(), before + more.size()));
    for (const double v : values_) text_.push_back(std::isnan(v) ? std::string() : fmt::format("{}", v));
  }
  if (!text_.empty()) {
    text_.reserve(before + more.size());
    if (more.text_.empty())
      for (const double v : more.values_) text_.push_back(std::isnan(v) ? std::string() : fmt::format("{}", v));
    else
      std::move(more.text_.begin(), more.text_.end(), std::back_inserter(text_));
  }
  values_.reserve(before + more.size());
  values_.insert(values_.end(), more.values_.begin(), more.values_.end());
  decltype(more.values_)().swap(more.values_);
  if (wide_columns_.empty() && more.wide_columns_.empty()) {
    narrow_columns_.reserve(before + more.size());
    narrow_columns_.insert(narrow_columns_.end(), more.narrow_columns_.begin(), more.narrow_columns_.end());
  } else {
    if (wide_columns_.empty()) {
      wide_columns_.reserve(before + more.size());
      wide_columns_.assign(narrow_columns_.begin(), narrow_columns_.end());
      decltype(narrow_columns_)().swap(narrow_columns_);
    }
    wide_columns_.reserve(before + more.size());
    if (more.wide_columns_.empty())
      wide_columns_.insert(wide_columns_.end(), more.narrow_columns_.begin(), more.narrow_columns_.end());
    else
      wide_columns_.insert(wide_columns_.end(), more.wide_columns_.begin(), more.wide_columns_.end());
  }
  decltype(more.narrow_columns_)().swap(more.narrow_columns_);
  for (const auto& [row, line] : more.line_exceptions_) line_exceptions_.emplace_back(before + row, line + line_offset);
  more = Column(more.name_, more.file_, more.lines_);
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

// Edit distance with transpositions (optimal string alignment), case-insensitive: the basis of
// "did you mean". Insertions, deletions, substitutions and swaps of neighbours cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
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
  // A near miss: a case difference, a typo or two in a long name.
  if (best != nullptr && best_distance <= std::max<std::size_t>(1, (name.size() + 2) / 4))
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
