#include <algorithm>

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

}  // namespace

std::string to_text(const Grid& grid) {
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

std::string csv_field(const Cell& cell) {
  std::string s = cell.text;
  if (!cell.numeric && !s.empty() && (s.front() == '=' || s.front() == '+' || s.front() == '-' ||
                                      s.front() == '@' || s.front() == '\t' || s.front() == '\r'))
    s.insert(s.begin(), '\'');
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
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
