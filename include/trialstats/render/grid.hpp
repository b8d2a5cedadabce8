// A grid of cells, the common form of every tabular output: aligned text, Markdown, and CSV with
// spreadsheet-safe text cells.
#pragma once

#include <string>
#include <vector>

namespace trialstats::render {

struct Cell {
  std::string text;
  bool numeric = false;  ///< numbers align right and are never escaped in CSV
};

struct Grid {
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

/// Aligned columns separated by two spaces; numbers right-aligned, text left-aligned; line breaks
/// and tabs inside a cell shown as \n, \r and \t.
[[nodiscard]] std::string to_text(const Grid& grid);
/// A GitHub-flavoured Markdown table.
[[nodiscard]] std::string to_markdown(const Grid& grid);
/// RFC 4180 CSV with LF line ends; text cells that a spreadsheet would run as a formula (starting
/// with =, +, -, @, tab or carriage return, and not a plain number such as "-1.5") are prefixed
/// with a single quote (OWASP, "CSV Injection"). What trialstats' reader reads back is the same cells.
[[nodiscard]] std::string to_csv(const Grid& grid);
/// One CSV field: quoted when it holds a comma, quote or line end, or starts or ends with a blank;
/// formula-escaped when text.
[[nodiscard]] std::string csv_field(const Cell& cell);

}  // namespace trialstats::render
