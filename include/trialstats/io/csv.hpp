// RFC 4180 delimited text: quoted fields (with delimiters, doubled quotes and newlines inside),
// CRLF or LF line ends, an optional UTF-8 byte-order mark, comma, semicolon or tab.
#pragma once

#include <string>
#include <string_view>

#include "trialstats/io/table.hpp"

namespace trialstats::io {

struct CsvOptions {
  char delimiter = 0;  ///< ',', ';' or '\t'; 0 detects it from the header row
};

/// Reads a file ("-" reads standard input). Throws InputError at `file:line:column` for a missing
/// or unreadable file, an empty file, a header without rows, duplicate column names, a row of
/// the wrong width, an unterminated quote, NUL bytes and invalid UTF-8.
[[nodiscard]] Table read_csv(const std::string& path, const CsvOptions& options = {});

/// Parses text already in memory; `source` names it in error messages.
[[nodiscard]] Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options = {});

}  // namespace trialstats::io
