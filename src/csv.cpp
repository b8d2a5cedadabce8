// The CSV reader: a streaming tokenizer over chunks of the input (never the whole file in memory),
// with a fast path for plain decimal numbers and every check on (UTF-8, NUL bytes, widths).
//
// Number conversion: plain decimals with at most 19 digits, a mantissa below 2^53 and at most 22
// decimals are converted as mantissa / 10^decimals, which IEEE division rounds correctly (Clinger
// 1990, "How to read floating point numbers accurately", the exact fast path); every other
// number goes through fast_float, which is also correctly rounded, so both give the same double.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <thread>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include "trialstats/core/threads.hpp"
#include "trialstats/io/csv.hpp"

namespace trialstats::io {
namespace {

constexpr std::array<double, 23> pow10 = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                          1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

constexpr std::size_t binary_probe_bytes = 8192;  ///< where a NUL byte marks the input as binary
constexpr std::size_t chunk_bytes = std::size_t{1} << 20;

// Length of the UTF-8 sequence at s: n > 0, 0 when invalid, -1 when cut off by `end`.
int utf8_sequence(const char* s, const char* end) {
  const auto b = static_cast<unsigned char>(s[0]);
  int n = 0;
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) n = 3;
  else if (b >= 0xF0 && b <= 0xF4) n = 4;
  else return 0;
  const std::ptrdiff_t avail = end - s;
  for (int k = 1; k < n; ++k) {
    if (k >= avail) return -1;
    if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) return 0;
  }
  const auto b1 = static_cast<unsigned char>(s[1]);
  if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 > 0x9F) || (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 > 0x8F))
    return 0;  // overlong, surrogate or beyond U+10FFFF
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// A plain decimal [-]digits[.digits] converted exactly (see the top of the file); false when the
// text is not of that form or out of the exact range. `stop` is where the number ends.
[[gnu::always_inline]] inline bool parse_plain_decimal(const char* p, const char* end, double& out, const char*& stop) {
  const char* s = p;
  const bool negative = s < end && *s == '-';
  if (negative) ++s;
  std::uint64_t mantissa = 0;
  const char* digits = s;
  while (s < end && is_digit(*s)) mantissa = mantissa * 10 + static_cast<unsigned>(*s++ - '0');
  std::ptrdiff_t n_digits = s - digits, n_decimals = 0;
  if (s < end && *s == '.') {
    const char* decimals = ++s;
    while (s < end && is_digit(*s)) mantissa = mantissa * 10 + static_cast<unsigned>(*s++ - '0');
    n_decimals = s - decimals;
    n_digits += n_decimals;
  }
  if (n_digits == 0 || n_digits > 19 || mantissa > (std::uint64_t{1} << 53)) return false;
  double v = static_cast<double>(mantissa);
  if (n_decimals > 0) v /= pow10[static_cast<std::size_t>(n_decimals)];
  out = negative ? -v : v;
  stop = s;
  return true;
}

// A finite number in the C locale, the whole (trimmed) field; no "nan" or "inf".
bool parse_number(std::string_view s, double& out) {
  if (s.empty()) return false;
  if (s.front() == '+') {
    s.remove_prefix(1);
    if (s.empty() || s.front() == '+' || s.front() == '-') return false;
  }
  const auto r = fast_float::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

enum class Kind : unsigned char { number, missing, text };
enum class Status : unsigned char { record, blank, need_more, end };

struct Field {
  Kind kind = Kind::missing;
  bool quoted = false;
  bool escaped = false;   ///< the text is in `own` (doubled quotes undone)
  double value = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string_view text;  ///< the field's text (into the input, or into `own`)
  std::string own;        ///< a quoted field with doubled quotes, undone

  /// The text (`own` is re-read here because the staging vector may have moved it).
  [[nodiscard]] std::string_view content() const { return escaped ? std::string_view(own) : text; }
};

void classify(Field& f) {
  const std::string_view t = trim(f.content());
  if (!f.quoted) f.text = t;
  if (t.empty() || t == "NA") f.kind = Kind::missing;
  else if (parse_number(t, f.value)) f.kind = Kind::number;
  else f.kind = Kind::text;
}

class Reader {
 public:
  Reader(std::string source, const CsvOptions& options, std::uint64_t total_bytes)
      : source_(std::move(source)), delim_(options.delimiter), wanted_(options.columns), total_bytes_(total_bytes),
        file_(std::make_shared<const std::string>(source_)), lines_(std::make_shared<std::vector<std::uint32_t>>()) {
    if (delim_ != 0 && delim_ != ',' && delim_ != ';' && delim_ != '\t')
      throw UsageError(fmt::format("the delimiter must be ',', ';' or a tab, got '{}'", delim_));
  }

  /// Parses the whole records of [p, end); returns where the first unparsed record starts.
  /// With `eof` the input ends at `end` and everything is consumed.
  const char* consume(const char* p, const char* end, bool eof);
  Table finish();

  // Reading in two halves (read_split): the header alone first, then a reader for the rows from a
  // line start on (lines counted from 1 there), parsed apart and appended after this reader's rows.
  void stop_after_header(bool stop) { stop_after_header_ = stop; }
  [[nodiscard]] bool has_header() const noexcept { return have_header_; }
  [[nodiscard]] Reader second_half(std::uint64_t bytes) const;
  /// False when a column holds text here and `later` read a number in it before any text: those
  /// numbers' own text is not kept (a column keeps text only from its first text cell on).
  [[nodiscard]] bool can_append(const Reader& later) const {
    for (std::size_t k = 0; k < columns_.size(); ++k)
      if (!columns_[k].is_numeric() && later.columns_[k].number_before_text()) return false;
    return true;
  }
  void append(Reader&& later);

 private:
  bool prepare(const char*& p, const char* end, bool eof);
  Status parse_record(const char*& p, const char* end, bool eof) {
    pushed_ = 0;
    const Status s = parse_fields(p, end, eof);
    if (s == Status::need_more || s == Status::blank) undo();
    return s;
  }
  Status parse_fields(const char*& p, const char* end, bool eof);
  bool parse_plain_row(const char*& p, const char* end);
  [[nodiscard]] bool plain_columns() const {
    if (n_header_ > max_plain_columns) return false;
    for (const Column& c : columns_)
      if (!c.takes_plain_numbers()) return false;
    return true;
  }
  /// A data field goes straight into its column (header fields stay in `staging_`).
  void deliver(std::size_t k, const Field& f, std::uint32_t record_line) {
    if (k < n_header_) {
      if (slot_[k] < 0) return;  // a column not read
      Column& c = columns_[static_cast<std::size_t>(slot_[k])];
      switch (f.kind) {
        case Kind::number: c.push_number(f.value, f.column, f.quoted ? trim(f.content()) : f.text); break;
        case Kind::missing: c.push_missing(f.column); break;
        case Kind::text: c.push_text(f.content(), f.column); break;
      }
      if (f.line != record_line) [[unlikely]]
        c.set_last_line(f.line);
      ++pushed_;
    } else if (k == n_header_) {
      extra_line_ = f.line;
      extra_column_ = f.column;
    }
  }
  /// Takes back the cells of a record that is parsed again with more input, or is blank.
  void undo() {
    for (std::size_t k = 0; k < pushed_; ++k) columns_[k].pop_back();
    pushed_ = 0;
  }
  void take_header();
  void commit_row(std::uint32_t record_line);
  void grow();
  Field& slot(std::size_t k) {
    if (have_header_) return current_;
    if (k >= limit_) return overflow_;
    if (k >= staging_.size()) staging_.resize(k + 1);
    return staging_[k];
  }
  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& message) const {
    throw InputError({source_, line, column}, message);
  }
  [[noreturn]] void fail_nul(std::size_t line, std::size_t column) const {
    fail(line, column, "NUL byte: this is a binary file, not CSV text (a spreadsheet or a compressed file? export it as CSV)");
  }
  [[noreturn]] void fail_utf8(std::size_t line, std::size_t column, char byte) const {
    fail(line, column, fmt::format("invalid UTF-8 (byte 0x{:02X}): the file must be UTF-8 text; save it as UTF-8",
                                   static_cast<unsigned char>(byte)));
  }

  std::string source_;
  char delim_;
  std::vector<std::string> wanted_;  ///< CsvOptions::columns
  std::vector<int> slot_;            ///< per header column: its index in columns_, or -1 when not read
  std::size_t n_header_ = 0;         ///< columns in the header
  std::uint64_t total_bytes_;
  std::shared_ptr<const std::string> file_;
  std::shared_ptr<std::vector<std::uint32_t>> lines_;
  std::vector<Column> columns_;
  bool prepared_ = false;
  bool have_header_ = false;
  std::array<bool, 256> stop_unquoted_{};  ///< bytes that end the fast scan of an unquoted field
  std::array<bool, 256> stop_quoted_{};    ///< the same inside quotes
  std::uint32_t line_ = 1;                 ///< line where the next record starts
  std::vector<Field> staging_;             ///< the fields of the record being parsed
  Field overflow_;                         ///< fields past `limit_` (a ragged row), counted only
  Field current_;                          ///< the field being parsed, in a data row
  std::size_t pushed_ = 0;                 ///< cells of the current record in the columns
  bool plain_rows_ = false;                ///< every column takes plain numbers: try parse_plain_row
  static constexpr std::size_t max_plain_columns = 64;
  std::uint32_t extra_line_ = 0, extra_column_ = 0;  ///< where a field too many starts
  std::size_t limit_ = static_cast<std::size_t>(-1);
  std::size_t n_fields_ = 0;
  std::uint32_t end_line_ = 0, end_column_ = 0;  ///< where the record's last field ends
  std::uint64_t bytes_before_rows_ = 0;          ///< BOM and header
  std::uint64_t row_bytes_ = 0;                  ///< bytes of the data rows read so far
  std::size_t rows_ = 0;
  std::size_t capacity_ = 0;
  bool stop_after_header_ = false;
};

bool Reader::prepare(const char*& p, const char* end, bool eof) {
  const char* s = p;
  if (end - s < 3 && !eof) return false;
  if (end - s >= 2 && (std::memcmp(s, "\xFF\xFE", 2) == 0 || std::memcmp(s, "\xFE\xFF", 2) == 0))
    fail(1, 1, "the file is UTF-16 text, not UTF-8: save it as CSV in UTF-8");
  if (end - s >= 3 && std::memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
  if (delim_ == 0) {  // the most frequent of , ; tab in the header row, outside quotes
    std::size_t counts[3] = {0, 0, 0};
    constexpr char candidates[3] = {',', ';', '\t'};
    bool quoted = false, seen_text = false, complete = false;
    for (const char* c = s; c < end; ++c) {
      if (*c == '"') quoted = !quoted;
      if (quoted) continue;
      if (*c == '\n') {
        if (seen_text) {
          complete = true;
          break;
        }
        continue;  // blank lines before the header
      }
      if (*c != '\r' && *c != ' ') seen_text = true;
      for (int k = 0; k < 3; ++k) counts[k] += (*c == candidates[k]);
    }
    if (!complete && !eof) return false;
    int best = 0;
    for (int k = 1; k < 3; ++k)
      if (counts[k] > counts[best]) best = k;
    delim_ = candidates[best];
  }
  // A NUL byte near the start: a binary file. Say so before any other complaint about its bytes.
  const std::size_t probe = std::min<std::size_t>(binary_probe_bytes, static_cast<std::size_t>(end - p));
  if (const void* nul = std::memchr(p, '\0', probe)) {
    std::size_t line = 1, column = 1;
    for (const char* c = s; c < static_cast<const char*>(nul); ++c) {
      if (*c == '\n') {
        ++line;
        column = 1;
      } else {
        column += (static_cast<unsigned char>(*c) & 0xC0) != 0x80;
      }
    }
    fail_nul(line, column);
  }
  for (int b = 0x80; b < 256; ++b) stop_unquoted_[b] = stop_quoted_[b] = true;
  for (const char c : {'\n', '"', '\0'}) stop_unquoted_[static_cast<unsigned char>(c)] = true;
  stop_unquoted_[static_cast<unsigned char>(delim_)] = true;
  for (const char c : {'\n', '"', '\0'}) stop_quoted_[static_cast<unsigned char>(c)] = true;
  bytes_before_rows_ = static_cast<std::uint64_t>(s - p);
  p = s;
  prepared_ = true;
  return true;
}

Status Reader::parse_fields(const char*& p_in, const char* end, bool eof) {
  const char* p = p_in;
  if (p == end) return eof ? Status::end : Status::need_more;
  std::uint32_t line = line_;
  const char* line_start = p;
  std::ptrdiff_t continuation = 0;  // UTF-8 continuation bytes on this line before the scan point
  auto column_at = [&](const char* at) { return static_cast<std::uint32_t>(at - line_start - continuation + 1); };
  const char delim = delim_;
  std::size_t k = 0;
  for (;; ++k) {
    Field& f = slot(k);
    // Blanks before a field are not part of it (they may stand before an opening quote).
    while (p < end && (*p == ' ' || *p == '\t') && *p != delim) ++p;
    if (p == end && !eof) return Status::need_more;
    f.line = line;
    f.column = column_at(p);
    f.quoted = false;
    f.escaped = false;
    const char* q = p;  // the field's terminator: delimiter, '\n' or `end` (only at eof)

    if (p < end && *p == '"') {
      // Quoted: verbatim up to the closing quote; "" is one quote.
      f.quoted = true;
      const std::uint32_t open_line = line, open_column = f.column;
      const char* segment = p + 1;
      q = p + 1;
      for (;;) {
        while (q < end && !stop_quoted_[static_cast<unsigned char>(*q)]) ++q;
        if (q == end) {
          if (!eof) return Status::need_more;
          fail(open_line, open_column, "this quoted field is never closed: the file ends inside it");
        }
        const char c = *q;
        if (c == '"') {
          if (q + 1 == end && !eof) return Status::need_more;
          if (q + 1 < end && q[1] == '"') {
            if (!f.escaped) f.own.clear();
            f.escaped = true;
            f.own.append(segment, q + 1);
            q += 2;
            segment = q;
            continue;
          }
          break;
        }
        if (c == '\n') {
          ++line;
          line_start = q + 1;
          continuation = 0;
          ++q;
        } else if (c == '\0') {
          fail_nul(line, column_at(q));
        } else {
          const int n = utf8_sequence(q, end);
          if (n < 0 && !eof) return Status::need_more;
          if (n <= 0) fail_utf8(line, column_at(q), c);
          continuation += n - 1;
          q += n;
        }
      }
      if (f.escaped) {
        f.own.append(segment, q);
      } else {
        f.text = std::string_view(p + 1, static_cast<std::size_t>(q - p - 1));
      }
      ++q;  // the closing quote
      while (q < end && (*q == ' ' || *q == '\t') && *q != delim) ++q;
      if (q < end && *q == '\r') {
        if (q + 1 == end && !eof) return Status::need_more;
        if (q + 1 == end || q[1] == '\n') ++q;
      }
      if (q == end && !eof) return Status::need_more;
      if (q < end && *q != delim && *q != '\n')
        fail(line, column_at(q), fmt::format("unexpected text after the closing quote of the field that opens at {}:{}",
                                             open_line, open_column));
      classify(f);
    } else {
      // Unquoted. First the fast path: a plain decimal number right up to the terminator.
      bool done = false;
      if (p < end && (is_digit(*p) || *p == '-' || *p == '.')) {
        const char* stop = nullptr;
        if (parse_plain_decimal(p, end, f.value, stop)) {
          if (stop == end) {
            if (!eof) return Status::need_more;
            done = true;
          } else if (*stop == delim || *stop == '\n') {
            done = true;
          } else if (*stop == '\r' && stop + 1 < end && stop[1] == '\n') {
            done = true;
            f.text = std::string_view(p, static_cast<std::size_t>(stop - p));
            q = stop + 1;
            f.kind = Kind::number;
          }
          if (done && q == p) {
            f.text = std::string_view(p, static_cast<std::size_t>(stop - p));
            q = stop;
            f.kind = Kind::number;
          }
        }
      }
      if (!done) {
        q = p;
        for (;;) {
          while (q < end && !stop_unquoted_[static_cast<unsigned char>(*q)]) ++q;
          if (q == end) {
            if (!eof) return Status::need_more;
            break;
          }
          const char c = *q;
          if (c == delim || c == '\n') break;
          if (c == '"')
            fail(line, column_at(q), "a quote inside an unquoted field: quote the whole field and double the quotes inside it");
          if (c == '\0') fail_nul(line, column_at(q));
          const int n = utf8_sequence(q, end);
          if (n < 0 && !eof) return Status::need_more;
          if (n <= 0) fail_utf8(line, column_at(q), c);
          continuation += n - 1;
          q += n;
        }
        const char* text_end = q;
        if (text_end > p && text_end[-1] == '\r') --text_end;
        f.text = std::string_view(p, static_cast<std::size_t>(text_end - p));
        classify(f);
      }
    }

    // q is at the field's terminator.
    if (have_header_) deliver(k, f, line_);
    if (q < end && *q == delim) {
      p = q + 1;
      continue;
    }
    n_fields_ = k + 1;
    end_line_ = line;
    end_column_ = column_at(q < end && q > p_in && q[-1] == '\r' ? q - 1 : q);
    if (q == end) {
      p_in = end;
    } else {  // '\n'
      p_in = q + 1;
      ++line;
    }
    line_ = line;
    const Field& first = have_header_ ? current_ : staging_[0];
    const bool blank = k == 0 && !first.quoted && trim(first.content()).empty();
    return blank ? Status::blank : Status::record;
  }
}

// The fast path of a data row: every field read a number (or, in a column not read, printable
// ASCII), ended by exactly the delimiter (the last one by the line end), no blanks, no quotes,
// within the buffer. These bytes are ASCII, so the UTF-8 and NUL checks hold and characters are
// bytes. Anything else returns false with nothing stored, and the general parser takes the row.
bool Reader::parse_plain_row(const char*& p_in, const char* end) {
  const std::size_t n = n_header_;
  const char* p = p_in;
  // The cells go straight into the columns; a row that leaves the fast path takes them back.
  std::size_t pushed = 0;
  auto give_up = [&] {
    for (std::size_t j = 0; j < pushed; ++j) columns_[j].pop_back();
    return false;
  };
  for (std::size_t k = 0; k < n; ++k) {
    const char* stop = p;
    double value = 0;
    if (slot_[k] < 0) {  // a column not read: printable ASCII without quotes, up to its terminator
      while (stop < end && *stop >= ' ' && *stop <= '~' && *stop != '"' && *stop != delim_) ++stop;
      if (stop == end) return give_up();
    } else if (!parse_plain_decimal(p, end, value, stop)) {
      // More digits than the exact fast path takes, or an exponent: fast_float, still on this path.
      const auto r = fast_float::from_chars(p, end, value);
      if (r.ec != std::errc() || r.ptr == p || !std::isfinite(value)) return give_up();
      stop = r.ptr;
    }
    if (stop == end) return give_up();
    if (*stop != (k + 1 < n ? delim_ : '\n')) {
      if (k + 1 < n || *stop != '\r' || stop + 1 == end || stop[1] != '\n') return give_up();
      ++stop;
    }
    if (slot_[k] >= 0) {
      const std::ptrdiff_t column = p - p_in + 1;
      if (column >= 0xFFFF) return give_up();
      columns_[static_cast<std::size_t>(slot_[k])].push_plain_number(value, static_cast<std::uint16_t>(column));
      ++pushed;
    }
    p = stop + 1;
  }
  lines_->push_back(line_);
  ++line_;
  ++rows_;
  row_bytes_ += static_cast<std::uint64_t>(p - p_in);
  p_in = p;
  return true;
}

void Reader::take_header() {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < n_fields_; ++k) {
    const Field& f = staging_[k];
    std::string name(trim(f.content()));
    if (name.empty()) fail(f.line, f.column, fmt::format("column {} of the header has no name", k + 1));
    for (std::size_t j = 0; j < names.size(); ++j)
      if (names[j] == name)
        fail(f.line, f.column, fmt::format("duplicate column name '{}' (also column {} of the header)", name, j + 1));
    names.push_back(std::move(name));
  }
  n_header_ = names.size();
  limit_ = n_header_ + 1;
  if (!wanted_.empty()) {  // only these columns; a name not in the header fails as Table::column does
    std::vector<Column> all;
    for (const auto& name : names) all.emplace_back(name, file_, lines_);
    const Table header(source_, std::move(all), lines_);
    for (const auto& name : wanted_) (void)header.column(name);
  }
  for (auto& name : names) {
    const bool read = wanted_.empty() || std::find(wanted_.begin(), wanted_.end(), name) != wanted_.end();
    slot_.push_back(read ? static_cast<int>(columns_.size()) : -1);
    if (read) columns_.emplace_back(std::move(name), file_, lines_);
  }
  have_header_ = true;
}

void Reader::grow() {
  std::size_t target = 0;
  if (rows_ == 0) {
    target = 256;
  } else if (total_bytes_ > bytes_before_rows_ && row_bytes_ > 0) {
    // Rows still to come, from the mean width of the rows so far; 2% to spare.
    const double per_row = static_cast<double>(row_bytes_) / static_cast<double>(rows_);
    const double estimate = static_cast<double>(total_bytes_ - bytes_before_rows_) / per_row;
    target = static_cast<std::size_t>(estimate * 1.02) + 64;
  }
  // Without a size (a pipe), or when the estimate fell short: a quarter more each time, which keeps
  // the spare capacity and the copy of one column during a growth small next to the data.
  target = std::max(target, rows_ + rows_ / 4 + 64);
  if (target <= capacity_) target = capacity_ + capacity_ / 4 + 64;
  for (auto& c : columns_) c.reserve(target);
  lines_->reserve(target);
  capacity_ = target;
}

void Reader::commit_row(std::uint32_t record_line) {
  const std::size_t n = n_header_;
  if (n_fields_ != n) {
    const std::string message = fmt::format("this row has {} field{}, but the header has {} column{}", n_fields_,
                                            n_fields_ == 1 ? "" : "s", n, n == 1 ? "" : "s");
    if (n_fields_ < n) fail(end_line_, end_column_, message);
    fail(extra_line_, extra_column_, message + " (a delimiter inside a value that is not quoted?)");
  }
  lines_->push_back(record_line);
  ++rows_;
}

const char* Reader::consume(const char* p, const char* end, bool eof) {
  if (!prepared_ && !prepare(p, end, eof)) return p;
  for (;;) {
    const char* record = p;
    const std::uint32_t record_line = line_;
    if (have_header_) {
      if (rows_ == capacity_) grow();
      if (plain_rows_ && parse_plain_row(p, end)) continue;
    }
    const Status s = parse_record(p, end, eof);
    if (s == Status::need_more) return record;
    if (s == Status::end) return p;
    const auto bytes = static_cast<std::uint64_t>(p - record);
    if (s == Status::blank) {
      (have_header_ ? row_bytes_ : bytes_before_rows_) += bytes;
      continue;
    }
    if (!have_header_) {
      take_header();
      bytes_before_rows_ += bytes;
      plain_rows_ = plain_columns();
      if (stop_after_header_) return p;
    } else {
      commit_row(record_line);
      row_bytes_ += bytes;
      plain_rows_ = plain_columns();
    }
  }
}

Reader Reader::second_half(std::uint64_t bytes) const {
  Reader r(source_, CsvOptions{.delimiter = delim_, .columns = wanted_}, bytes + bytes_before_rows_);
  r.slot_ = slot_;
  r.n_header_ = n_header_;
  for (const Column& c : columns_) r.columns_.emplace_back(c.name(), r.file_, r.lines_);
  r.prepared_ = prepared_;
  r.have_header_ = have_header_;
  r.stop_unquoted_ = stop_unquoted_;
  r.stop_quoted_ = stop_quoted_;
  r.line_ = 1;
  r.plain_rows_ = r.plain_columns();
  r.limit_ = limit_;
  r.bytes_before_rows_ = bytes_before_rows_;
  return r;
}

void Reader::append(Reader&& later) {
  const std::uint32_t offset = line_ - 1;  // `later` counted its first line as 1
  for (std::size_t k = 0; k < columns_.size(); ++k) columns_[k].append(std::move(later.columns_[k]), offset);
  lines_->reserve(lines_->size() + later.lines_->size());
  for (const std::uint32_t line : *later.lines_) lines_->push_back(line + offset);
  std::vector<std::uint32_t>().swap(*later.lines_);
  rows_ += later.rows_;
  row_bytes_ += later.row_bytes_;
  line_ = later.line_ + offset;
}

Table Reader::finish() {
  if (!have_header_) fail(1, 1, "the file is empty: expected a header row and data rows");
  if (rows_ == 0) fail(1, 1, "the file has a header row but no data rows");
  return Table(source_, std::move(columns_), std::move(lines_));
}

// Feeds a reader with the bytes of [begin, end) of an input, in chunks from `read_at(buffer, bytes,
// offset)` (which returns the bytes read, 0 at the end of the input); a record cut by the end of a
// chunk is parsed again with the next chunk after it (the chunk grows when one record is larger
// than it). With `eof` the input ends at `end`; else parsing stops before a record that `end` cuts.
// Returns the offset of the first byte not consumed.
template <class ReadAt>
std::uint64_t parse_range(Reader& reader, ReadAt&& read_at, std::uint64_t begin, std::uint64_t end, bool eof) {
  std::size_t capacity = chunk_bytes;
  auto buffer = std::make_unique_for_overwrite<char[]>(capacity);
  std::size_t start = 0, length = 0;
  std::uint64_t offset = begin;  // of the next byte to read
  bool at_end = false;
  for (;;) {
    if (start > 0) {
      std::memmove(buffer.get(), buffer.get() + start, length - start);
      length -= start;
      start = 0;
    }
    if (length == capacity) {
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity * 2);
      std::memcpy(bigger.get(), buffer.get(), length);
      buffer = std::move(bigger);
      capacity *= 2;
    }
    while (length < capacity && !at_end) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity - length, end - offset));
      const std::size_t n = want == 0 ? 0 : read_at(buffer.get() + length, want, offset);
      if (n == 0) at_end = true;
      length += n;
      offset += n;
    }
    const char* next = reader.consume(buffer.get(), buffer.get() + length, at_end && eof);
    start = static_cast<std::size_t>(next - buffer.get());
    if (at_end) return offset - (length - start);
  }
}

// Reads a file descriptor from its current position to its end (a pipe too).
Table read_descriptor(int fd, const std::string& source, const CsvOptions& options, std::uint64_t total) {
  Reader reader(source, options, total);
  auto read_at = [&](char* to, std::size_t bytes, std::uint64_t) -> std::size_t {
    for (;;) {
      const ssize_t n = ::read(fd, to, bytes);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR)
        throw InputError({source, 0, 0}, fmt::format("cannot read the file: {}", std::strerror(errno)));
    }
  };
  (void)parse_range(reader, read_at, 0, std::numeric_limits<std::uint64_t>::max(), true);
  return reader.finish();
}

// Large inputs in two halves on two threads: the header first, then the rows before and after the
// first line start past the middle, each by its own reader; the second's rows are appended to the
// first's. The split is valid when the first reader, given the bytes up to it, stops exactly there
// (the split is then a record boundary, not inside a quoted field). When it is not, or the second
// half meets an error (whose line numbers would count from the split), or a column that holds text in
// the first half has a number in the second before any text (its text was not kept), there is no result and the
// caller reads the input again in one piece, which reports the first error of the file at its place.
// An error in the first half is the file's first error and is thrown as it is.
template <class ReadAt>
std::optional<Table> read_split(ReadAt&& read_at, const std::string& source, const CsvOptions& options,
                                std::uint64_t size) {
  Reader first(source, options, size);
  first.stop_after_header(true);
  std::vector<char> head(static_cast<std::size_t>(std::min<std::uint64_t>(size, chunk_bytes)));
  std::size_t got = 0;
  while (got < head.size()) {
    const std::size_t n = read_at(head.data() + got, head.size() - got, got);
    if (n == 0) return std::nullopt;
    got += n;
  }
  const char* header_end = first.consume(head.data(), head.data() + got, got == size);
  if (!first.has_header()) return std::nullopt;
  first.stop_after_header(false);
  const auto rows_begin = static_cast<std::uint64_t>(header_end - head.data());
  // The split: just after the first '\n' from the middle of the rows on.
  const std::uint64_t middle = rows_begin + (size - rows_begin) / 2;
  std::vector<char> window(static_cast<std::size_t>(std::min<std::uint64_t>(size - middle, 1 << 16)));
  const std::size_t seen = window.empty() ? 0 : read_at(window.data(), window.size(), middle);
  const void* newline = std::memchr(window.data(), '\n', seen);
  if (newline == nullptr) return std::nullopt;
  const std::uint64_t split = middle + static_cast<std::uint64_t>(static_cast<const char*>(newline) - window.data()) + 1;
  if (split >= size) return std::nullopt;
  Reader second = first.second_half(size - split);
  std::uint64_t first_end = 0;
  bool second_failed = false;
  std::exception_ptr second_crash;  // not an input error (e.g. out of memory): thrown as it is
  std::jthread other = start_thread([&] {
    try {
      (void)parse_range(second, read_at, split, size, true);
    } catch (const Error&) {
      second_failed = true;
    } catch (...) {
      second_crash = std::current_exception();
    }
  });
  try {
    first_end = parse_range(first, read_at, rows_begin, split, false);
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (second_crash) std::rethrow_exception(second_crash);
  if (first_end != split || second_failed || !first.can_append(second)) return std::nullopt;
  first.append(std::move(second));
  return first.finish();
}

}  // namespace

Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options) {
  if (options.split_from_bytes > 0 && text.size() >= options.split_from_bytes) {
    auto read_at = [&](char* to, std::size_t bytes, std::uint64_t offset) -> std::size_t {
      if (offset >= text.size()) return 0;
      const std::size_t n = std::min<std::size_t>(bytes, text.size() - static_cast<std::size_t>(offset));
      std::memcpy(to, text.data() + offset, n);
      return n;
    };
    if (auto table = read_split(read_at, source, options, text.size())) return std::move(*table);
  }
  Reader reader(source, options, text.size());
  (void)reader.consume(text.data(), text.data() + text.size(), true);
  return reader.finish();
}

Table read_csv(const std::string& path, const CsvOptions& options) {
  if (path == "-") {
    struct stat st {};
    const bool known = ::fstat(STDIN_FILENO, &st) == 0;
    if (known && S_ISDIR(st.st_mode)) throw InputError({"<stdin>", 0, 0}, "cannot read the file: it is a folder");
    const bool regular = known && S_ISREG(st.st_mode);
    return read_descriptor(STDIN_FILENO, "<stdin>", options, regular ? static_cast<std::uint64_t>(st.st_size) : 0);
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError({path, 0, 0}, fmt::format("cannot open the file: {}", std::strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  std::uint64_t size = 0;
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw InputError({path, 0, 0}, "cannot read the file: it is a folder");
    if (S_ISREG(st.st_mode)) size = static_cast<std::uint64_t>(st.st_size);
  }
  if (options.split_from_bytes > 0 && size >= options.split_from_bytes) {
    auto read_at = [&](char* to, std::size_t bytes, std::uint64_t offset) -> std::size_t {
      for (;;) {
        const ssize_t n = ::pread(fd, to, bytes, static_cast<off_t>(offset));
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR)
          throw InputError({path, 0, 0}, fmt::format("cannot read the file: {}", std::strerror(errno)));
      }
    };
    if (auto table = read_split(read_at, path, options, size)) return std::move(*table);
  }
  return read_descriptor(fd, path, options, size);  // pread left the file position at 0
}

}  // namespace trialstats::io
