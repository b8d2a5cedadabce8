// RFC 4180 delimited text: quoted fields (with delimiters, doubled quotes and newlines inside),
// CRLF or LF line ends, an optional UTF-8 byte-order mark, comma, semicolon or tab.
//
// The dialect, in full (docs/cli.md, "Input files"):
// - the first non-blank line is the header: unique, non-empty column names;
// - the delimiter is the one of ',', ';' and tab that occurs most often in the header outside
//   quotes (a comma when none does), unless CsvOptions::delimiter names it;
// - blank lines are skipped; every other row has exactly one field per header column;
// - spaces and tabs around an unquoted field are not part of it; a quoted field is taken verbatim;
// - a field is missing when it is empty or `NA`; a number when the whole field is a finite decimal
//   number in the C locale (`-1.5`, `2e-3`, `+4`), whatever the user's locale; otherwise text;
// - the text must be UTF-8 and hold no NUL byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trialstats/io/table.hpp"

namespace trialstats::io {

struct CsvOptions {
  char delimiter = 0;  ///< ',', ';' or '\t'; 0 detects it from the header row
  /// Read only these columns (all when empty): the others are checked for the dialect's rules but
  /// not stored. A name the header lacks is an InputError at the header, with a "did you mean".
  std::vector<std::string> columns{};
  /// Inputs of at least this many bytes (a regular file, or text in memory) are parsed in two
  /// halves on two threads, with the same result; 0 (the default): never. The halves are stored
  /// apart and then joined, which costs a copy of the second half and its memory meanwhile: on a
  /// 10-million-row file (188 MB) it took 0.05-0.1 s more processor time and 40 MB more memory,
  /// for no wall-time gain that could be measured on a loaded machine.
  std::uint64_t split_from_bytes = 0;
};

/// Reads a file ("-" reads standard input, named `<stdin>` in messages), in chunks: the file is
/// never held whole in memory. Throws InputError at `file:line:column` (1-based; line 1 is the
/// header; columns count characters) for a file that cannot be opened or read (file name only),
/// an empty file, a header without data rows, an empty or duplicate column name, a row of the
/// wrong width, a quote that is never closed (at the opening quote), a quote inside an unquoted
/// field, text after a closing quote, a NUL byte (a binary file) and invalid UTF-8.
///
/// Example:
///     const Table t = read_csv("data/bcg.csv");
///     const Column& tpos = t.column("tpos");   // "did you mean" when misspelt
///     double first = tpos.number(0);           // InputError at the cell when not a number
[[nodiscard]] Table read_csv(const std::string& path, const CsvOptions& options = {});

/// Parses text already in memory, with the same rules; `source` names it in error messages.
[[nodiscard]] Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options = {});

}  // namespace trialstats::io
