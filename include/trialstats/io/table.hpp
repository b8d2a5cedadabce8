// A table read from a delimited text file: named columns, numbers parsed once, and the source
// position of every cell so that any later error can point at it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trialstats/core/error.hpp"

namespace trialstats::io {

namespace detail {
/// Memory for the cells of large columns: blocks of 4 MiB and more are aligned to 2 MiB and
/// advised for transparent huge pages (Linux), which saves most of the page faults of a column of
/// millions of numbers; smaller blocks come from operator new.
void* allocate_cells(std::size_t bytes);
void free_cells(void* p, std::size_t bytes) noexcept;

template <class T>
struct CellAllocator {
  using value_type = T;
  CellAllocator() = default;
  template <class U>
  explicit CellAllocator(const CellAllocator<U>&) noexcept {}
  [[nodiscard]] T* allocate(std::size_t n) { return static_cast<T*>(allocate_cells(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_cells(p, n * sizeof(T)); }
  friend bool operator==(const CellAllocator&, const CellAllocator&) noexcept { return true; }
};
}  // namespace detail

/// One column. Cells that parse as numbers are stored as doubles; the column keeps the text of
/// every cell as soon as one cell is not a number (the cells before it keep their value's
/// shortest form, e.g. "007" becomes "7"; those after it keep their text). Missing cells (empty or `NA`) are NaN in
/// `numbers()` and `is_missing()` tells them apart from text.
///
/// Storage per cell: the double, and its character column in 2 bytes (4 once a column passes
/// 65534); the line is stored once per row and shared by the columns. A cell that stands on a
/// later line than its row's first (after a quoted line break) is kept in a short exception list.
class Column {
 public:
  Column(std::string name, std::shared_ptr<const std::string> file,
         std::shared_ptr<const std::vector<std::uint32_t>> lines)
      : name_(std::move(name)), file_(std::move(file)), lines_(std::move(lines)) {}

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  /// True when every present cell is a number.
  [[nodiscard]] bool is_numeric() const noexcept { return text_.empty(); }
  [[nodiscard]] bool is_missing(std::size_t row) const noexcept {
    return std::isnan(values_[row]) && (text_.empty() || text_[row].empty());
  }
  /// The value of a cell; throws InputError at the cell when it is missing or not a number.
  [[nodiscard]] double number(std::size_t row) const;
  /// Every cell as a number, NaN where missing or text; check `is_numeric()` first.
  [[nodiscard]] std::span<const double> numbers() const noexcept { return values_; }
  /// The text of a cell (numbers in their shortest round-trip form when the column is numeric).
  [[nodiscard]] std::string text(std::size_t row) const;
  /// Where the cell stands in its file (the file alone once the positions are released).
  [[nodiscard]] SourcePos pos(std::size_t row) const {
    if (!lines_) return {*file_, 0, 0};
    return {*file_, line_of(row), column_of(row)};
  }
  /// Frees the positions of the cells (see Table::release_positions).
  void release_positions() {
    decltype(narrow_columns_)().swap(narrow_columns_);
    std::vector<std::uint32_t>().swap(wide_columns_);
    std::vector<std::pair<std::size_t, std::uint32_t>>().swap(line_exceptions_);
    lines_.reset();
  }

  // Building, used by the readers.
  void reserve(std::size_t rows);
  [[nodiscard]] std::size_t capacity() const noexcept { return values_.capacity(); }
  void push_number(double value, std::uint32_t column);
  /// A number with the text it was read from, kept when the column holds text (else dropped).
  void push_number(double value, std::uint32_t column, std::string_view text) {
    values_.push_back(value);
    push_column(column);
    if (!text_.empty()) [[unlikely]]
      push_text_only(text);
  }
  /// True while the column holds numbers only and its positions are narrow: push_plain_number applies.
  [[nodiscard]] bool takes_plain_numbers() const noexcept { return text_.empty() && wide_columns_.empty(); }
  /// A number at a column below 65535, in a column that takes_plain_numbers() (the reader's fast path).
  void push_plain_number(double value, std::uint16_t column) {
    values_.push_back(value);
    narrow_columns_.push_back(column);
  }
  void push_missing(std::uint32_t column) {
    push_number(std::numeric_limits<double>::quiet_NaN(), column, std::string_view());
  }
  void push_text(std::string_view text, std::uint32_t column);
  /// Removes the last cell (a record that the reader parses again).
  void pop_back() {
    if (!line_exceptions_.empty() && line_exceptions_.back().first + 1 == values_.size()) line_exceptions_.pop_back();
    values_.pop_back();
    if (wide_columns_.empty()) narrow_columns_.pop_back();
    else wide_columns_.pop_back();
    if (!text_.empty()) text_.pop_back();
  }
  /// The last cell pushed stands on `line`, not on its row's line (a quoted line break before it).
  void set_last_line(std::uint32_t line) { line_exceptions_.emplace_back(values_.size() - 1, line); }
  /// Appends the cells of `more` (the same column of the rows that follow, read apart), whose lines
  /// count from `line_offset` + 1; `more` is left empty. When this column holds text, the numbers of
  /// `more` keep their shortest form as text: exact only when !more.number_before_text().
  void append(Column&& more, std::uint32_t line_offset);
  /// True when a number comes before any text cell: appended after a column that holds text, its
  /// cells would lack the text they were read from (see append).
  [[nodiscard]] bool number_before_text() const noexcept {
    for (std::size_t row = 0; row < values_.size(); ++row) {
      if (!std::isnan(values_[row])) return true;
      if (!text_.empty() && !text_[row].empty()) return false;
    }
    return false;
  }

 private:
  static constexpr std::uint32_t narrow_limit = 0xFFFF;
  void push_text_only(std::string_view text);
  void push_column(std::uint32_t column) {
    if (column < narrow_limit && wide_columns_.empty()) [[likely]] {
      narrow_columns_.push_back(static_cast<std::uint16_t>(column));
      return;
    }
    widen_and_push(column);
  }
  void widen_and_push(std::uint32_t column) {
    if (wide_columns_.empty()) {  // first wide column: widen the ones before it
      wide_columns_.reserve(std::max(narrow_columns_.capacity(), narrow_columns_.size() + 1));
      wide_columns_.assign(narrow_columns_.begin(), narrow_columns_.end());
      decltype(narrow_columns_)().swap(narrow_columns_);
    }
    wide_columns_.push_back(column);
  }
  [[nodiscard]] std::size_t column_of(std::size_t row) const {
    return wide_columns_.empty() ? narrow_columns_[row] : wide_columns_[row];
  }
  [[nodiscard]] std::size_t line_of(std::size_t row) const {
    if (!line_exceptions_.empty()) {
      const auto it = std::lower_bound(line_exceptions_.begin(), line_exceptions_.end(),
                                       std::pair<std::size_t, std::uint32_t>{row, 0});
      if (it != line_exceptions_.end() && it->first == row) return it->second;
    }
    return (*lines_)[row];
  }

  std::string name_;
  std::shared_ptr<const std::string> file_;
  std::shared_ptr<const std::vector<std::uint32_t>> lines_;  ///< line of each row, shared by the columns
  std::vector<double, detail::CellAllocator<double>> values_;
  std::vector<std::uint16_t, detail::CellAllocator<std::uint16_t>> narrow_columns_;  ///< character column of each cell, while all are < 65535
  std::vector<std::uint32_t> wide_columns_;    ///< the same once one is not
  std::vector<std::pair<std::size_t, std::uint32_t>> line_exceptions_;  ///< (row, line), by row
  std::vector<std::string> text_;              ///< empty while every cell is a number
};

/// A whole table: a header row of unique names, then rows of equal width.
class Table {
 public:
  Table() = default;
  Table(std::string source, std::vector<Column> columns, std::shared_ptr<const std::vector<std::uint32_t>> lines)
      : source_(std::move(source)), columns_(std::move(columns)), lines_(std::move(lines)) {}

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] std::size_t rows() const noexcept { return columns_.empty() ? 0 : columns_.front().size(); }
  [[nodiscard]] std::size_t cols() const noexcept { return columns_.size(); }
  [[nodiscard]] const std::vector<Column>& columns() const noexcept { return columns_; }
  [[nodiscard]] std::vector<std::string> names() const;
  /// The column of that name, or nullptr.
  [[nodiscard]] const Column* find(std::string_view name) const noexcept;
  /// The column of that name; throws InputError at the header, with a "did you mean" for near misses.
  [[nodiscard]] const Column& column(std::string_view name) const;
  /// The line of a data row (line 1 is the header); 0 once the positions are released.
  [[nodiscard]] std::size_t line(std::size_t row) const { return lines_ ? (*lines_)[row] : 0; }
  /// Frees the line of every row and the column of every cell (a quarter to a half of the memory of a
  /// numeric table), for a caller that has checked every cell it uses: errors then name the file alone.
  void release_positions() {
    for (auto& c : columns_) c.release_positions();
    lines_.reset();
  }

 private:
  std::string source_;
  std::vector<Column> columns_;
  std::shared_ptr<const std::vector<std::uint32_t>> lines_;
};

/// Column roles (metafor's names: yi, vi, ai, n1i, …) mapped to the names of a table's columns,
/// from "ROLE=NAME" entries (the --col option); a role not mapped keeps its own name.
class ColumnRoles {
 public:
  explicit ColumnRoles(const std::vector<std::string>& column_map);
  [[nodiscard]] std::string name(const std::string& role) const;
  /// The column for a role, or nullptr when the table has none.
  [[nodiscard]] const Column* find(const Table& table, const std::string& role) const;

 private:
  std::map<std::string, std::string> map_;
};

}  // namespace trialstats::io
