// The Baujat plot (Baujat et al. 2002, "A graphical method for exploring heterogeneity in
// meta-analyses", Stat Med 21:2641): each study's contribution to Cochran's Q on the x axis
// against its influence on the pooled estimate on the y axis, each point labelled with its study.
// Studies in the upper right both add heterogeneity and move the result.
#pragma once

#include <span>
#include <string>

#include "trialstats/meta/sensitivity.hpp"

namespace trialstats::render::svg {

struct BaujatOptions {
  std::string x_title = "Contribution to overall heterogeneity (Q)";
  std::string y_title = "Influence on the pooled estimate";
  double width = 600, height = 460;  ///< px of the whole document
  double font_size = 12;
};

/// The Baujat plot of `baujat` (meta::baujat's coordinates, input order) with one label per point
/// from `labels` (study numbers when empty). Both axes start at 0. Labels go right of their point,
/// else left, above or below (slid sideways when wider than the room beside the point), whichever
/// first overlaps no other label or point and stays inside the plot; farther away with a leader
/// line when none near is free; else where it overlaps no label and covers the least of the
/// points. A label that cannot avoid other labels is left out (crowded clusters of many
/// studies); every point keeps its study's name as its tooltip (<title>).
/// Example: std::string svg = baujat_plot(meta::baujat(yi, vi), study_labels);
[[nodiscard]] std::string baujat_plot(const meta::Baujat& baujat, std::span<const std::string> labels,
                                      const BaujatOptions& options = {});

}  // namespace trialstats::render::svg
