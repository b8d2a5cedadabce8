// The plot options of `pool` and the writing of its plots.
#include "plots.hpp"

#include <cmath>

#include <fmt/format.h>

#include "trialstats/core/error.hpp"
#include "trialstats/render/output.hpp"

namespace trialstats::app {

void add_plot_options(CLI::App& app, PlotArgs& args) {
  app.add_option("--forest", args.forest, "Write a forest plot (SVG) to this file ('-': standard output)");
  app.add_option("--funnel", args.funnel,
                 "Write a contour-enhanced funnel plot (SVG) to this file ('-': standard output)");
  app.add_option("--mcid", args.mcid,
                 "Forest plot: shade the region of effects smaller than this minimal clinically important "
                 "difference (a ratio for ratio measures)");
  app.add_option("--favours", args.favours,
                 "Forest plot: labels under the axis, left and right of no effect: \"LEFT,RIGHT\" ('|' instead of "
                 "',' when a label holds a comma)");
  app.add_option("--forest-columns", args.forest_columns, "Forest plot: extra label columns from the table (a,b)")
      ->delimiter(',');
  app.add_option("--forest-weights", args.forest_weights,
                 "Forest plot with --subgroup: squares and weights from the overall model (as RevMan and R meta) "
                 "or from each subgroup's own model")
      ->check(CLI::IsMember({"overall", "subgroup"}))
      ->capture_default_str();
}

bool plot_to_stdout(const PlotArgs& args) {
  return args.forest == "-" || args.funnel == "-";
}

render::svg::ForestOptions forest_options(const PlotArgs& args, const render::PoolReport& report,
                                          const io::Table& table, const io::EffectTable& effects) {
  render::svg::ForestOptions o;
  for (const auto& name : args.forest_columns) {
    const io::Column& column = table.column(name);
    render::svg::ForestColumn c{name, {}};
    for (const auto row : effects.rows) c.values.push_back(column.text(row));
    o.columns.push_back(std::move(c));
  }
  if (report.subgroups) o = render::svg::with_subgroups(std::move(o), *report.subgroups, report.subgroup_column);
  o.weights =
      args.forest_weights == "subgroup" ? render::svg::ForestWeights::subgroup : render::svg::ForestWeights::overall;
  if (!args.favours.empty()) {
    const auto bar = args.favours.find('|');
    const auto cut = bar != std::string::npos ? bar : args.favours.find(',');
    o.favours_left = args.favours.substr(0, cut);
    if (cut != std::string::npos) o.favours_right = args.favours.substr(cut + 1);
  }
  if (args.mcid) {
    const double v = *args.mcid;
    if (render::svg::log_scale(report)) {
      if (!(v > 0) || v == 1)
        throw UsageError(fmt::format("--mcid: {} is a ratio measure; expected a ratio above 0 other than 1, got {}",
                                     report.measure, v));
      const double half = std::abs(std::log(v));
      o.mcid = Interval{-half, half};
    } else {
      if (!(v != 0) || !std::isfinite(v))
        throw UsageError(fmt::format("--mcid: expected a non-zero number, got {}", v));
      o.mcid = Interval{-std::abs(v), std::abs(v)};
    }
  }
  return o;
}

void write_plot(const std::string& path, const std::string& svg, const std::vector<std::string>& inputs,
                std::ostream& out) {
  if (path == "-") {
    out << svg;
    out.flush();
  } else {
    render::write_output(path, svg, inputs);
  }
}

std::string bias_funnel(const std::string& measure, std::span<const std::string> study, std::span<const double> yi,
                        std::span<const double> vi, const meta::PooledEffect& fit,
                        const std::optional<meta::TrimFill>& trimfill) {
  const render::svg::FunnelInput input{measure,  render::svg::ratio_measure(measure), study, yi, vi, fit.estimate,
                                       fit.level};
  return render::svg::funnel_plot(
      input, trimfill ? render::svg::with_trim_and_fill({}, *trimfill) : render::svg::FunnelOptions{});
}

void write_pool_plots(const PlotArgs& args, const render::PoolReport& report, const io::Table& table,
                      const io::EffectTable& effects, const std::vector<std::string>& inputs, std::ostream& out) {
  if (args.forest == "-" && args.funnel == "-")
    throw UsageError("--forest and --funnel cannot both write to standard output");
  auto write = [&](const std::string& path, const std::string& svg) { write_plot(path, svg, inputs, out); };
  if (!args.forest.empty())
    write(args.forest, render::svg::forest_plot(report, forest_options(args, report, table, effects)));
  if (!args.funnel.empty()) write(args.funnel, render::svg::funnel_plot(report));
}

}  // namespace trialstats::app
