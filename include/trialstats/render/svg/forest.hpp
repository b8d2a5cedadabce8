// The forest plot of a pooled analysis (Lewis & Clarke 2001, "Forest plots: trying to see the wood
// and the trees", BMJ 322:1479): one row per study with its estimate as a square of area
// proportional to its weight and its CI as a line, the pooled estimate as a diamond spanning its
// CI, the prediction interval as a bar (Riley, Higgins & Deeks 2011, BMJ 342:d549), optional
// subgroup blocks with their own diamonds, a heterogeneity line, "favours" labels, a vertical
// line at no effect, an optional shaded MCID region, and the numeric columns "estimate [CI]" and
// weight. Ratio measures are drawn on a log axis labelled in ratio units.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/binary_pooling.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/meta/subgroup.hpp"
#include "trialstats/render/pool.hpp"

namespace trialstats::render::svg {

/// An extra label column left of the plot, e.g. the year or the sample sizes.
struct ForestColumn {
  std::string title{};                ///< header, e.g. "Year"
  std::vector<std::string> values{};  ///< one per study, in the report's order
};

/// A block of studies with its own pooled estimate (subgroup analysis).
struct ForestSubgroup {
  std::string name{};                  ///< heading of the block, e.g. "alloc = random"
  std::vector<std::size_t> studies{};  ///< indices into the report's studies, in drawing order
  meta::PooledEffect fit{};            ///< the subgroup's own pool (estimate, ci, pi, het)
};

/// Which weights size the squares (and fill the Weight column) of a forest plot with subgroup blocks.
enum class ForestWeights {
  overall,   ///< each study's weight in the overall model, in percent of the total; a subtotal row shows the sum
             ///< of its studies' weights (RevMan, R meta's forest, metafor's showweights)
  subgroup,  ///< each study's weight in its own subgroup's model, in percent of the subgroup (each subtotal 100%)
};

/// What to draw besides the report, and how.
struct ForestOptions {
  std::vector<ForestColumn> columns{};                 ///< extra label columns, after the study label
  std::vector<ForestSubgroup> subgroups{};             ///< empty: the studies in the report's order
  std::optional<meta::ChiSquareTest> subgroup_test{};  ///< test for subgroup differences (Q between)
  ForestWeights weights = ForestWeights::overall;      ///< subgroup blocks only: which weights the squares show
  std::optional<Interval> mcid{};                      ///< shaded region, in the units of yi (logs for ratios)
  std::string favours_left{};                          ///< e.g. "Favours vaccine"
  std::string favours_right{};                         ///< e.g. "Favours control"
  std::string axis_title{};                            ///< empty: from the measure, e.g. "Risk Ratio (log scale)"
  int digits = 2;                                      ///< decimals of the numeric column
  double font_size = 12;                               ///< px
  double row_height = 20;                              ///< px
  double plot_width = 320;                             ///< px of the plot area
};

/// `options` with one block per subgroup of `analysis` (headed "COLUMN = level", in the analysis'
/// order) and its test for subgroup differences with separate tau² per subgroup (Q between).
[[nodiscard]] ForestOptions with_subgroups(ForestOptions options, const meta::SubgroupAnalysis& analysis,
                                           const std::string& column);

/// The name of a measure for an axis title: "RR" → "Risk Ratio", unknown names unchanged.
[[nodiscard]] std::string measure_title(const std::string& measure);

/// Whether the report's measure is drawn on a log axis (back-transformed scale "ratio").
[[nodiscard]] bool log_scale(const PoolReport& report);

/// Whether a measure named `measure` ("RR", "OR", "ROM", "IRR", "PETO", …) is a log ratio.
[[nodiscard]] bool ratio_measure(std::string_view measure);

/// The forest plot of `report` as a self-contained SVG document. Geometry only: the positions
/// come from the report's yi, study CIs, weights and fit through the axis map; on a log axis the
/// labels and the numeric column show exp of the values.
/// Example: std::string svg = forest_plot(report, {.favours_left = "Favours BCG"});
[[nodiscard]] std::string forest_plot(const PoolReport& report, const ForestOptions& options = {});

}  // namespace trialstats::render::svg
