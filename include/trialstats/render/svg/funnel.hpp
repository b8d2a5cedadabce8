// The contour-enhanced funnel plot (Light & Pillemer 1984; Sterne & Egger 2001, J Clin Epidemiol
// 54:1046; Peters et al. 2008, J Clin Epidemiol 61:991): each study's effect against its standard
// error, the y axis inverted so that the largest studies are at the top; shaded regions around
// the null effect where a study of that standard error would be significant at the contour levels
// (|y| > z_(1-α/2)·SE); pseudo confidence lines around the pooled estimate (estimate ± z·SE);
// studies added by trim-and-fill as open markers.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "trialstats/meta/bias.hpp"
#include "trialstats/render/pool.hpp"

namespace trialstats::render::svg {

/// One point of a funnel plot.
struct FunnelPoint {
  double yi = 0;        ///< effect, in the units of the report's yi
  double se = 0;        ///< its standard error, sqrt(vi)
  std::string label{};  ///< shown as a tooltip
};

struct FunnelOptions {
  bool contours = true;                                     ///< shade the significance contours
  std::vector<double> contour_levels = {0.90, 0.95, 0.99};  ///< two-sided levels, ascending
  std::vector<FunnelPoint> filled{};                        ///< trim-and-fill's imputed studies: open markers
  std::optional<double> adjusted_estimate{};                ///< trim-and-fill's estimate: a dashed line
  std::string axis_title{};                                 ///< empty: from the measure
  double width = 620, height = 460;                         ///< px of the whole document
  double font_size = 12;
};

/// What a funnel plot is drawn from: the studies and the pooled estimate of any analysis.
struct FunnelInput {
  std::string measure{};                 ///< "RR", "SMD", … (axis title)
  bool log_scale = false;                ///< ratio measure: log axis labelled in ratio units
  std::span<const std::string> study{};  ///< labels (tooltips); may be empty
  std::span<const double> yi{}, vi{};    ///< effects and sampling variances (non-finite or vi ≤ 0: skipped)
  double estimate = 0;                   ///< pooled estimate: apex of the pseudo confidence lines
  double level = 0.95;                   ///< of the pseudo confidence lines
};

/// The funnel plot of `input` as an SVG document (see the overload for a PoolReport).
[[nodiscard]] std::string funnel_plot(const FunnelInput& input, const FunnelOptions& options = {});

/// `options` with trim-and-fill's filled studies as open markers and its augmented estimate
/// as the dashed adjusted-estimate line.
[[nodiscard]] FunnelOptions with_trim_and_fill(FunnelOptions options, const meta::TrimFill& trimfill);

/// The funnel plot of `report` (its yi and sqrt(vi), the fit's estimate and level) as an SVG
/// document. Contour lines are the lines |y| = z·SE with z the normal quantile of each level,
/// centred on no effect (0, or 1 on a ratio axis); the pseudo confidence lines use the fit's level.
/// Example: std::string svg = funnel_plot(report, {.filled = imputed});
[[nodiscard]] std::string funnel_plot(const PoolReport& report, const FunnelOptions& options = {});

}  // namespace trialstats::render::svg
