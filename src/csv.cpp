#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include "trialstats/io/csv.hpp"

namespace trialstats::io {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) n = 3;
  else if (b >= 0xF0 && b <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 > 0x9F) || (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 > 0x8F))
    return 0;  // overlong, surrogate or beyond U+10FFFF
  return n;
}

bool is_missing_text(std::string_view s) { return s.empty() || s == "NA"; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A finite number in the C locale, the whole field; no "nan" or "inf".
bool parse_number(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  const auto r = fast_float::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

char detect_delimiter(std::string_view text) {
  std::size_t counts[3] = {0, 0, 0};
  constexpr char candidates[3] = {',', ';', '\t'};
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    for (int k = 0; k < 3; ++k) counts[k] += (c == candidates[k]);
  }
  int best = 0;
  for (int k = 1; k < 3; ++k)
    if (counts[k] > counts[best]) best = k;
  return candidates[best];
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& source, char delimiter)
      : text_(text), source_(source), delim_(delimiter) {}

  // Next field of the current record; returns false at the end of the record.
  // `field` views the text (or `scratch_` when quotes had to be undone).
  bool next_field(std::string_view& field, std::uint32_t& column, bool& at_end_of_record);

  bool at_end() const { return i_ >= text_.size(); }
  std::size_t line() const { return line_; }
  std::size_t record_line() const { return record_line_; }
  void start_record() { record_line_ = line_; }

 private:
  std::uint32_t column_of(std::size_t pos) {
    // Characters (not bytes) since the start of the line; continuation bytes do not count.
    if (pos < col_cache_pos_ || col_cache_line_ != line_start_) {
      col_cache_pos_ = line_start_;
      col_cache_col_ = 1;
      col_cache_line_ = line_start_;
    }
    for (; col_cache_pos_ < pos; ++col_cache_pos_)
      col_cache_col_ += (static_cast<unsigned char>(text_[col_cache_pos_]) & 0xC0) != 0x80;
    return col_cache_col_;
  }
  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& message) const {
    throw InputError({source_, line, column}, message);
  }
  void check_byte(std::size_t pos) {
    const char c = text_[pos];
    if (c == '\0') fail(line_, column_of(pos), "NUL byte in the input: this looks like a binary file, not CSV");
    if (static_cast<unsigned char>(c) >= 0x80) {
      const std::size_t n = utf8_length(text_, pos);
      if (n == 0) fail(line_, column_of(pos), "invalid UTF-8 in the text");
      skip_ = n - 1;
    }
  }
  void new_line(std::size_t next_pos) {
    ++line_;
    line_start_ = next_pos;
  }

  std::string_view text_;
  const std::string& source_;
  char delim_;
  std::size_t i_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t record_line_ = 1;
  std::size_t skip_ = 0;
  std::size_t col_cache_pos_ = 0, col_cache_col_ = 1, col_cache_line_ = 0;
  std::string scratch_;
};

bool Parser::next_field(std::string_view& field, std::uint32_t& column, bool& at_end_of_record) {
  column = column_of(i_);
  const std::size_t n = text_.size();
  if (i_ < n && text_[i_] == '"') {
    const std::size_t open_line = line_, open_col = column;
    scratch_.clear();
    std::size_t j = i_ + 1;
    for (;;) {
      if (j >= n) fail(open_line, open_col, "quoted field is never closed (the quote opens here)");
      const char c = text_[j];
      if (c == '"') {
        if (j + 1 < n && text_[j + 1] == '"') {
          scratch_ += '"';
          j += 2;
          continue;
        }
        ++j;
        break;
      }
      check_byte(j);
      if (c == '\n') new_line(j + 1);
      scratch_.append(text_.substr(j, 1 + skip_));
      j += 1 + skip_;
      skip_ = 0;
    }
    // After the closing quote: a delimiter, a line end or the end of the text.
    if (j < n && text_[j] == '\r' && j + 1 < n && text_[j + 1] == '\n') ++j;
    if (j < n && text_[j] != delim_ && text_[j] != '\n')
      fail(line_, column_of(j), fmt::format("unexpected text after the closing quote of a field opened at {}:{}",
                                            open_line, open_col));
    field = scratch_;
    at_end_of_record = j >= n || text_[j] == '\n';
    if (j < n && text_[j] == '\n') new_line(j + 1);
    i_ = j + 1;
    return true;
  }
  std::size_t j = i_;
  while (j < n && text_[j] != delim_ && text_[j] != '\n') {
    if (text_[j] == '"') fail(line_, column_of(j), "quote inside an unquoted field (quote the whole field and double the quote)");
    check_byte(j);
    j += 1 + skip_;
    skip_ = 0;
  }
  std::size_t end = j;
  if (end > i_ && text_[end - 1] == '\r' && (j >= n || text_[j] == '\n')) --end;
  field = text_.substr(i_, end - i_);
  at_end_of_record = j >= n || text_[j] == '\n';
  if (j < n && text_[j] == '\n') new_line(j + 1);
  i_ = j + 1;
  return true;
}

}  // namespace

Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (trim(text).find_first_not_of("\r\n") == std::string_view::npos)
    throw InputError({source, 1, 1}, "the file is empty: expected a header row and data rows");
  const char delim = options.delimiter != 0 ? options.delimiter : detect_delimiter(text);

  Parser p(text, source, delim);
  auto file = std::make_shared<const std::string>(source);
  auto lines = std::make_shared<std::vector<std::uint32_t>>();
  std::vector<Column> columns;
  std::vector<std::uint32_t> header_columns;

  std::string_view field;
  std::uint32_t col = 0;
  bool end_of_record = false;
  p.start_record();
  do {
    p.next_field(field, col, end_of_record);
    const std::string name(trim(field));
    if (name.empty()) throw InputError({source, 1, col}, fmt::format("column {} has an empty name", columns.size() + 1));
    for (std::size_t k = 0; k < columns.size(); ++k)
      if (columns[k].name() == name)
        throw InputError({source, 1, col},
                         fmt::format("duplicate column name '{}' (also column {})", name, k + 1));
    columns.emplace_back(name, file, lines);
    header_columns.push_back(col);
  } while (!end_of_record);

  while (!p.at_end()) {
    p.start_record();
    const std::size_t line = p.record_line();
    std::size_t k = 0;
    bool blank = false;
    do {
      p.next_field(field, col, end_of_record);
      if (k == 0 && end_of_record && field.empty()) {
        blank = true;  // an empty line (also the last line end)
        break;
      }
      if (k < columns.size()) {
        double value = 0;
        if (is_missing_text(trim(field))) columns[k].push_missing(col);
        else if (parse_number(field, value)) columns[k].push_number(value, col);
        else columns[k].push_text(field, col);
      }
      ++k;
    } while (!end_of_record);
    if (blank) continue;
    if (k != columns.size())
      throw InputError({source, line, 1}, fmt::format("row has {} field{}, but the header has {}", k,
                                                      k == 1 ? "" : "s", columns.size()));
    lines->push_back(static_cast<std::uint32_t>(line));
  }
  if (lines->empty()) throw InputError({source, 1, 1}, "the file has a header but no data rows");
  return Table(source, std::move(columns), std::move(lines));
}

Table read_csv(const std::string& path, const CsvOptions& options) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return parse_csv(text, "<stdin>", options);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, fmt::format("cannot read the file: {}", std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError({path, 0, 0}, "cannot read the file");
  text = std::move(buffer).str();
  return parse_csv(text, path, options);
}

}  // namespace trialstats::io
