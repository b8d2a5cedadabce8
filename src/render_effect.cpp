#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "trialstats/render/effect.hpp"

namespace trialstats::render {
namespace {

using json = nlohmann::ordered_json;

std::string prefix(effect::Scale scale) { return std::string(effect::name(scale)); }

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string level_text(double level) { return fmt::format("{}%", level * 100); }

}  // namespace

Grid effect_grid(const io::Table& table, const io::EffectColumns& columns, const RenderStyle& style) {
  Grid grid;
  grid.header = table.names();
  for (const char* h : {"yi", "vi", "sei", "ci_lb", "ci_ub"}) grid.header.emplace_back(h);
  if (columns.scale) {
    const std::string p = prefix(*columns.scale);
    grid.header.push_back(p);
    grid.header.push_back(p + "_ci_lb");
    grid.header.push_back(p + "_ci_ub");
  }
  const bool full = style.format == OutputFormat::csv || style.format == OutputFormat::json;
  auto num = [&](double v) { return Cell{full ? exact(v) : fixed(v, style.digits), true}; };
  for (std::size_t row = 0; row < table.rows(); ++row) {
    std::vector<Cell> cells;
    for (const auto& c : table.columns()) cells.push_back({c.text(row), c.is_numeric()});
    for (const auto* v : {&columns.yi, &columns.vi, &columns.sei, &columns.ci_lb, &columns.ci_ub})
      cells.push_back(num((*v)[row]));
    if (columns.scale)
      for (const auto* v : {&columns.t_yi, &columns.t_ci_lb, &columns.t_ci_ub}) cells.push_back(num((*v)[row]));
    grid.rows.push_back(std::move(cells));
  }
  return grid;
}

std::string render_effect(const io::Table& table, const io::EffectTable& effects, const io::EffectColumns& columns,
                          const effect::EscalcOptions& options, const RenderStyle& style) {
  const auto& info = effect::info(options.measure);
  if (style.format == OutputFormat::json) {
    json j;
    j["analysis"] = "effect";
    j["version"] = TRIALSTATS_VERSION;
    json dropped = json::array();
    for (const auto row : effects.dropped) dropped.push_back(row + 1);
    j["input"] = {{"file", table.source()},
                  {"rows", table.rows()},
                  {"used", effects.rows.size()},
                  {"dropped", dropped}};
    j["measure"] = info.name;
    j["description"] = info.description;
    j["options"] = {{"add", effect::effective_add(options)},
                    {"to", effect::name(options.to)},
                    {"drop00", options.drop00},
                    {"vtype", effect::name(options.vtype)}};
    j["level"] = columns.level * 100;
    j["transformed"] = columns.scale ? json{{"scale", prefix(*columns.scale)}} : json(nullptr);
    j["columns"] = table.names();
    json studies = json::array();
    std::size_t used = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
      json s;
      s["row"] = row + 1;
      json values = json::object();
      for (const auto& c : table.columns()) {
        if (c.is_missing(row))
          values[c.name()] = nullptr;
        else if (const double v = c.numbers()[row]; c.is_numeric() && v == std::trunc(v) && std::abs(v) < 9e15)
          values[c.name()] = static_cast<long long>(v);
        else if (c.is_numeric())
          values[c.name()] = v;
        else
          values[c.name()] = c.text(row);
      }
      const bool has = used < effects.rows.size() && effects.rows[used] == row;
      s["study"] = has ? json(effects.study[used]) : json(nullptr);
      s["values"] = std::move(values);
      s["yi"] = number(columns.yi[row]);
      s["vi"] = number(columns.vi[row]);
      s["sei"] = number(columns.sei[row]);
      s["ci"] = has ? json::array({columns.ci_lb[row], columns.ci_ub[row]}) : json(nullptr);
      s["corrected"] = columns.corrected[row] != 0;
      if (columns.scale)
        s["transformed"] = has ? json{{"yi", number(columns.t_yi[row])},
                                                {"ci", {number(columns.t_ci_lb[row]), number(columns.t_ci_ub[row])}}}
                               : json(nullptr);
      if (has) ++used;
      studies.push_back(std::move(s));
    }
    j["studies"] = std::move(studies);
    json warnings = json::array();
    for (const auto& w : effects.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}});
    j["warnings"] = std::move(warnings);
    return j.dump(2) + '\n';
  }

  const Grid grid = effect_grid(table, columns, style);
  std::string out;
  if (!style.provenance.empty() && style.format != OutputFormat::md) out += "# " + style.provenance + '\n';
  switch (style.format) {
    case OutputFormat::csv: return out + to_csv(grid);
    case OutputFormat::md: return to_markdown(grid);
    default: break;
  }
  out += fmt::format("# {} ({}): yi = effect size, vi = sampling variance, sei = standard error, "
                     "ci_lb/ci_ub = {} Wald CI\n",
                     info.name, info.description, level_text(columns.level));
  if (columns.scale)
    out += fmt::format("# {0}, {0}_ci_lb, {0}_ci_ub: yi and its CI back-transformed to the {0} scale\n",
                       prefix(*columns.scale));
  return out + to_text(grid);
}

}  // namespace trialstats::render
