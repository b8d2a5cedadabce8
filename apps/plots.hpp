// The plot options of `pool` (--forest, --funnel, --mcid, --favours, --forest-columns) and the
// writing of the plots a pooled analysis asks for.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "trialstats/io/effect_table.hpp"
#include "trialstats/io/table.hpp"
#include "trialstats/meta/bias.hpp"
#include "trialstats/render/pool.hpp"
#include "trialstats/render/svg/bubble.hpp"
#include "trialstats/render/svg/forest.hpp"
#include "trialstats/render/svg/funnel.hpp"

namespace trialstats::app {

struct PlotArgs {
  std::string forest;                       ///< --forest FILE.svg ('-': standard output)
  std::string funnel;                       ///< --funnel FILE.svg ('-': standard output)
  std::optional<double> mcid;               ///< --mcid VALUE, in the units shown on the axis
  std::string favours;                      ///< --favours "LEFT,RIGHT"
  std::vector<std::string> forest_columns;  ///< --forest-columns a,b: extra label columns of the table
  std::string forest_weights = "overall";   ///< --forest-weights overall|subgroup
};

/// Declares --forest, --funnel, --mcid, --favours, --forest-columns and --forest-weights.
void add_plot_options(CLI::App& app, PlotArgs& args);

/// True when a plot goes to standard output (then the report goes there only with -o).
[[nodiscard]] bool plot_to_stdout(const PlotArgs& args);

/// The forest options the arguments ask for: the extra columns read from `table` for the studies
/// of `effects`, the favours labels, the MCID region (±|VALUE| around no effect; for ratio measures
/// VALUE is a ratio and the region is [min(VALUE, 1/VALUE), max(VALUE, 1/VALUE)]).
/// @throws UsageError for an MCID of 0 (or 1 for ratios), InputError for an unknown column.
[[nodiscard]] render::svg::ForestOptions forest_options(const PlotArgs& args, const render::PoolReport& report,
                                                        const io::Table& table, const io::EffectTable& effects);

/// Writes the plots that `args` names (atomically; never over one of `inputs`; '-' to `out`).
/// @throws UsageError when both plots name standard output.
void write_pool_plots(const PlotArgs& args, const render::PoolReport& report, const io::Table& table,
                      const io::EffectTable& effects, const std::vector<std::string>& inputs, std::ostream& out);

/// Writes one SVG document to `path` atomically (never over one of `inputs`), or to `out` for '-'.
void write_plot(const std::string& path, const std::string& svg, const std::vector<std::string>& inputs,
                std::ostream& out);

/// The funnel plot of a small-study-effects analysis: its studies around its pooled estimate, with
/// trim-and-fill's filled studies as open markers and its adjusted estimate when trim and fill ran.
[[nodiscard]] std::string bias_funnel(const std::string& measure, std::span<const std::string> study,
                                      std::span<const double> yi, std::span<const double> vi,
                                      const meta::PooledEffect& fit, const std::optional<meta::TrimFill>& trimfill);

}  // namespace trialstats::app
