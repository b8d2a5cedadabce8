#include "trialstats/render/describe.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace trialstats::render {
namespace {

using json = nlohmann::ordered_json;

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : "; ") + v;
  return out;
}

Cell number_cell(double v) { return std::isnan(v) ? Cell{"", true} : Cell{exact(v), true}; }

// "column 'vi' is text: 12 of 13 present cells are numbers; the first text cell is "n/a" (f.csv:7:4)"
std::string mixed_note(const io::ColumnSummary& c) {
  const SourcePos& pos = *c.first_text_pos;
  return fmt::format("column '{}' is text: {} of {} present cells are numbers; the first text cell is \"{}\" ({}:{}:{})",
                     c.name, c.numbers, c.present, *c.first_text, pos.file, pos.line, pos.column);
}

}  // namespace

Grid describe_grid(const io::TableSummary& summary) {
  Grid grid{.header = {"column", "type", "present", "missing", "min", "max", "first values"}, .rows = {}};
  for (const auto& c : summary.columns)
    grid.rows.push_back({{c.name, false},
                         {io::type_name(c.type), false},
                         {std::to_string(c.present), true},
                         {std::to_string(c.missing), true},
                         number_cell(c.min),
                         number_cell(c.max),
                         {join(c.first_values), false}});
  return grid;
}

std::string render_describe(const io::TableSummary& summary, const RenderStyle& style) {
  if (style.format == OutputFormat::json) {
    json j;
    j["analysis"] = "describe";
    j["version"] = TRIALSTATS_VERSION;
    j["input"] = {{"file", summary.source}, {"rows", summary.rows}, {"columns", summary.columns.size()}};
    json columns = json::array();
    for (const auto& c : summary.columns) {
      json first_text = nullptr;
      if (c.first_text)
        first_text = {{"text", *c.first_text}, {"line", c.first_text_pos->line}, {"column", c.first_text_pos->column}};
      columns.push_back({{"name", c.name},
                         {"type", io::type_name(c.type)},
                         {"present", c.present},
                         {"missing", c.missing},
                         {"numbers", c.numbers},
                         {"min", std::isnan(c.min) ? json(nullptr) : json(c.min)},
                         {"max", std::isnan(c.max) ? json(nullptr) : json(c.max)},
                         {"first_values", c.first_values},
                         {"first_text", first_text}});
    }
    j["columns"] = std::move(columns);
    j["warnings"] = json::array();
    return j.dump(2) + '\n';
  }
  const Grid grid = describe_grid(summary);
  std::string out;
  if (!style.provenance.empty() && style.format != OutputFormat::md) out += "# " + style.provenance + '\n';
  if (style.format == OutputFormat::csv) return out + to_csv(grid);
  if (style.format == OutputFormat::md) {
    out += to_markdown(grid);
    for (const auto& c : summary.columns)
      if (c.first_text) out += "\n" + mixed_note(c) + "\n";
    return out;
  }
  out += fmt::format("# {}: {} rows, {} columns; min and max of the numbers, the first values of text columns\n",
                     summary.source, summary.rows, summary.columns.size());
  out += to_text(grid);
  for (const auto& c : summary.columns)
    if (c.first_text) out += "# " + mixed_note(c) + '\n';
  return out;
}

}  // namespace trialstats::render
