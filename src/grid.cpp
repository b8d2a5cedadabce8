#include <algorithm>
#include <charconv>

#include "trialstats/render/grid.hpp"

namespace trialstats::render {
namespace {

std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::size_t w = display_width(s);
  if (w >= width) return s;
  const std::string fill(width - w, ' ');
  return right ? fill + s : s + fill;
}

// Line breaks and tabs inside a cell would break the columns: shown as \n, \r and \t.
std::string one_line(const std::string& s) {
  if (s.find_first_of("\n\r\t") == std::string::npos) return s;
  std::string out;
  for (const char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out;
}

std::string to_text_flat(const Grid& grid) {
  const std::size_t ncol = grid.header.size();
  std::vector<std::size_t> width(ncol, 0);
  std::vector<bool> right(ncol, false);
  for (std::size_t c = 0; c < ncol; ++c) width[c] = display_width(grid.header[c]);
  for (const auto& row : grid.rows)
    for (std::size_t c = 0; c < ncol && c < row.size(); ++c) {
      width[c] = std::max(width[c], display_width(row[c].text));
      right[c] = right[c] || row[c].numeric;
    }
  auto line = [&](auto cell_text, auto is_right) {
    std::string out;
    for (std::size_t c = 0; c < ncol; ++c) {
      if (c > 0) out += "  ";
      out += pad(cell_text(c), width[c], is_right(c));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + '\n';
  };
  std::string out = line([&](std::size_t c) { return grid.header[c]; }, [&](std::size_t c) { return bool(right[c]); });
  for (const auto& row : grid.rows)
    out += line([&](std::size_t c) { return c < row.size() ? row[c].text : std::string(); },
                [&](std::size_t c) { return c < row.size() && row[c].numeric; });
  return out;
}

}  // namespace

std::string to_text(const Grid& grid) {
  Grid flat = grid;
  for (auto& h : flat.header) h = one_line(h);
  for (auto& row : flat.rows)
    for (auto& cell : row) cell.text = one_line(cell.text);
  return to_text_flat(flat);
}

std::string to_markdown(const Grid& grid) {
  auto escape = [](const std::string& s) {
    std::string out;
    for (const char c : s) {
      if (c == '|') out += '\\';
      out += (c == '\n') ? ' ' : c;
    }
    return out;
  };
  std::string out = "|";
  for (const auto& h : grid.header) out += ' ' + escape(h) + " |";
  out += "\n|";
  for (std::size_t c = 0; c < grid.header.size(); ++c) {
    const bool right = std::any_of(grid.rows.begin(), grid.rows.end(),
                                   [&](const auto& row) { return c < row.size() && row[c].numeric; });
    out += right ? " ---: |" : " --- |";
  }
  out += '\n';
  for (const auto& row : grid.rows) {
    out += '|';
    for (const auto& cell : row) out += ' ' + escape(cell.text) + " |";
    out += '\n';
  }
  return out;
}

namespace {

// A whole cell that is a plain number ("-1.5", "+2", "1e-3"): a spreadsheet reads it as a number.
bool is_number_text(const std::string& s) {
  const char* begin = s.data() + (!s.empty() && s.front() == '+' ? 1 : 0);
  const char* end = s.data() + s.size();
  double v = 0;
  const auto r = std::from_chars(begin, end, v);
  return begin != end && r.ec == std::errc() && r.ptr == end;
}

}  // namespace

std::string csv_field(const Cell& cell) {
  std::string s = cell.text;
  if (!cell.numeric && !s.empty() &&
      (s.front() == '=' || s.front() == '+' || s.front() == '-' || s.front() == '@' || s.front() == '\t' ||
       s.front() == '\r') &&
      !is_number_text(s))
    s.insert(s.begin(), '\'');
  const bool padded = !s.empty() && (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t');
  if (!padded && s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string to_csv(const Grid& grid) {
  std::string out;
  for (std::size_t c = 0; c < grid.header.size(); ++c) {
    if (c > 0) out += ',';
    out += csv_field({grid.header[c], false});
  }
  out += '\n';
  for (const auto& row : grid.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      out += csv_field(row[c]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace trialstats::render
