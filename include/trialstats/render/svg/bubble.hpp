// The bubble plot of a meta-regression on one numeric moderator (Thompson & Higgins 2002, "How
// should meta-regression analyses be undertaken and interpreted?", Stat Med 21:1559): each study's
// effect against its moderator value as a circle whose area is proportional to its weight in the
// model, the fitted line b0 + b1·x and its confidence band.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "trialstats/meta/regression.hpp"

namespace trialstats::render::svg {

/// The fitted line of a meta-regression with an intercept and one numeric moderator, and its
/// pointwise confidence band, at ascending moderator values `x`: meta::predict's estimate and CI
/// (metafor's predict.rma: fit = b0 + b1·x ∓ c·sqrt(V00 + 2·x·V01 + x²·V11)).
struct RegressionBand {
  std::vector<double> x{}, fit{}, lower{}, upper{};
};

/// `n` (≥ 2) equally spaced points from `x_lo` to `x_hi`.
/// @throws UsageError unless `regression` has an intercept and exactly one other coefficient.
[[nodiscard]] RegressionBand regression_band(const meta::MetaRegression& regression, double x_lo, double x_hi,
                                             int n = 101);

/// What a bubble plot is drawn from.
struct BubbleInput {
  std::string moderator{};                           ///< x axis title, e.g. "ablat"
  std::string measure{};                             ///< "RR", … (y axis title)
  bool log_scale = false;                            ///< ratio measure: log y axis labelled in ratio units
  std::span<const double> x{};                       ///< moderator value of each study
  std::span<const double> yi{};                      ///< effects
  std::span<const std::string> study{};              ///< labels (tooltips); may be empty
  const meta::MetaRegression* regression = nullptr;  ///< intercept + one numeric moderator; weights in percent
};

struct BubbleOptions {
  double width = 620, height = 460;  ///< px of the whole document
  double font_size = 12;
  double max_radius = 18;  ///< px of the heaviest study's circle
};

/// The bubble plot as an SVG document: circles of area proportional to the model's weights, the
/// regression line and its confidence band (regression_band) over the range of the moderator.
/// @throws UsageError when the regression is not intercept + one numeric moderator or sizes differ.
[[nodiscard]] std::string bubble_plot(const BubbleInput& input, const BubbleOptions& options = {});

}  // namespace trialstats::render::svg
