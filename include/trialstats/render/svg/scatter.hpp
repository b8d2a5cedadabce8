// Scatter plot of a correlation: the points, the least-squares line of y on x with the confidence
// band of its mean, and r with its CI in a legend above the plot; one colour per group (--by).
//
// Band: ŷ(x) ± t(n-2)·s·sqrt(1/n + (x - x̄)²/Sxx), s² = residual variance (e.g. Draper NR, Smith H
// (1998). Applied Regression Analysis, 3rd ed., Wiley, §3.4).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/error.hpp"
#include "trialstats/render/svg/axis.hpp"
#include "trialstats/render/svg/svg.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::render::svg {

/// One group of points and the line annotation shown for it.
struct ScatterGroup {
  std::string name;          ///< legend label; empty for a single group
  std::vector<double> x, y;  ///< complete pairs
  std::string annotation;    ///< e.g. "r = -0.44 [-0.59, -0.26]"
};

struct ScatterInput {
  std::string x_label, y_label;
  std::vector<ScatterGroup> groups;
  double level = 0.95;  ///< of the band
};

struct ScatterOptions {
  double width = 640, height = 480;
  double font_size = 12;
  double radius = 3.2;
  int band_points = 60;
};

/// The least-squares line and its pointwise band at `points` equally spaced x from lo to hi.
struct LineBand {
  std::vector<double> x, fit, lower, upper;
};

/// @throws DomainError with fewer than 3 points or a constant x.
[[nodiscard]] inline LineBand least_squares_band(const std::vector<double>& x, const std::vector<double>& y, double lo,
                                                 double hi, double level, int points) {
  const std::size_t n = x.size();
  if (n < 3) throw DomainError("scatter: a line needs at least 3 points");
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0)) throw DomainError("scatter: x is constant; no line");
  const double b = sxy / sxx, a = my - b * mx;
  double rss = 0;
  for (std::size_t i = 0; i < n; ++i) rss += (y[i] - a - b * x[i]) * (y[i] - a - b * x[i]);
  const double df = static_cast<double>(n) - 2;
  const double s = std::sqrt(rss / df);
  const double q = stats::t_critical(level, df);
  LineBand band;
  for (int k = 0; k < points; ++k) {
    const double v = lo + (hi - lo) * k / (points - 1);
    const double fit = a + b * v;
    const double half = q * s * std::sqrt(1.0 / static_cast<double>(n) + (v - mx) * (v - mx) / sxx);
    band.x.push_back(v);
    band.fit.push_back(fit);
    band.lower.push_back(fit - half);
    band.upper.push_back(fit + half);
  }
  return band;
}

/// The scatter plot as an SVG document.
/// @throws DomainError for a group with fewer than 3 points or a constant x.
[[nodiscard]] inline std::string scatter_plot(const ScatterInput& in, const ScatterOptions& o = {}) {
  static const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                        "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  std::vector<LineBand> bands;
  for (const auto& g : in.groups)
    for (std::size_t i = 0; i < g.x.size(); ++i) {
      xlo = std::min(xlo, g.x[i]);
      xhi = std::max(xhi, g.x[i]);
      ylo = std::min(ylo, g.y[i]);
      yhi = std::max(yhi, g.y[i]);
    }
  for (const auto& g : in.groups) {
    const auto [lo, hi] = std::minmax_element(g.x.begin(), g.x.end());
    bands.push_back(
        least_squares_band(g.x, g.y, g.x.empty() ? 0 : *lo, g.x.empty() ? 1 : *hi, in.level, o.band_points));
    for (double v : bands.back().lower) ylo = std::min(ylo, v);
    for (double v : bands.back().upper) yhi = std::max(yhi, v);
  }
  // The legend (one line per group: swatch, name, r with its CI) stands above the plot area, so
  // that it never covers points or bands; swatches in one column, texts left-aligned after them.
  const double line_h = o.font_size + 6, swatch = 10, right = 20, bottom = 56;
  const double legend_top = 10, top = legend_top + line_h * static_cast<double>(in.groups.size()) + 8;
  // A point closer than its radius + 1 px to an end of an axis would be cut by the plot's clip:
  // that axis goes on to its next tick (tried twice).
  const auto clear_of_ends = [&](double lo, double hi, double px_lo, double px_hi, bool vertical) {
    Axis a = linear_axis(lo, hi, px_lo, px_hi);
    for (int pass = 0; pass < 2; ++pass) {
      bool near_lo = false, near_hi = false;
      for (const auto& g : in.groups)
        for (const double v : vertical ? g.y : g.x) {
          near_lo = near_lo || std::abs(a.to_px(v) - a.px_lo) < o.radius + 1;
          near_hi = near_hi || std::abs(a.to_px(v) - a.px_hi) < o.radius + 1;
        }
      if (!near_lo && !near_hi) break;
      const double nudge = 1e-6 * (a.hi - a.lo);
      if (near_lo) lo = a.lo - nudge;
      if (near_hi) hi = a.hi + nudge;
      a = linear_axis(lo, hi, px_lo, px_hi);
    }
    return a;
  };
  const Axis ay = clear_of_ends(ylo, yhi, o.height - bottom, top, true);
  const double small = o.font_size - 1;
  // Room for the y title, the tick labels and the ticks left of the plot.
  const double left = 14 + (small + 1) + 6 + widest_tick_label(ay, small) + 8 + 5;
  const Axis ax = clear_of_ends(xlo, xhi, left, o.width - right, false);
  Document doc(o.width, o.height);
  doc.title(fmt::format("{} against {}", in.y_label, in.x_label));
  doc.rect(left, top, o.width - left - right, o.height - top - bottom, R"(fill="none" stroke="#ccc")");
  doc.clip_rect("plot-area", left, top, o.width - left - right, o.height - top - bottom);
  draw_x_axis(doc, ax, o.height - bottom, {.font_size = small, .tick_length = 5, .title = in.x_label, .cls = "x"});
  draw_y_axis(doc, ay, left, {.font_size = small, .tick_length = 5, .title = in.y_label, .cls = "y"});
  for (std::size_t k = 0; k < in.groups.size(); ++k) {
    const auto& g = in.groups[k];
    const std::string colour = palette[k % (sizeof palette / sizeof *palette)];
    const LineBand& b = bands[k];
    doc.begin_group(fmt::format(R"svg(class="group" data-group="{}" clip-path="url(#plot-area)")svg", escape(g.name)));
    if (!g.name.empty()) doc.title(g.name);
    std::vector<Document::Point> poly;
    for (std::size_t i = 0; i < b.x.size(); ++i) poly.push_back({ax.to_px(b.x[i]), ay.to_px(b.upper[i])});
    for (std::size_t i = b.x.size(); i-- > 0;) poly.push_back({ax.to_px(b.x[i]), ay.to_px(b.lower[i])});
    doc.polygon(poly, fmt::format(R"(class="band" fill="{}" fill-opacity="0.15" stroke="none")", colour));
    for (std::size_t i = 0; i < g.x.size(); ++i)
      doc.circle(ax.to_px(g.x[i]), ay.to_px(g.y[i]), o.radius,
                 fmt::format(R"(class="point" fill="{}" fill-opacity="0.7" stroke="#fff" stroke-width="0.5")", colour));
    doc.line(ax.to_px(b.x.front()), ay.to_px(b.fit.front()), ax.to_px(b.x.back()), ay.to_px(b.fit.back()),
             fmt::format(R"(class="fit" stroke="{}" stroke-width="2")", colour));
    doc.end_group();
  }
  const double text_x = left + swatch + 6, room = o.width - right - text_x;
  for (std::size_t k = 0; k < in.groups.size(); ++k) {
    const auto& g = in.groups[k];
    // A group name too long for the line is shortened (whole UTF-8 characters) and ends in "…".
    std::string name = g.name;
    auto label = [&] { return name.empty() ? g.annotation : name + ": " + g.annotation; };
    if (text_width(label(), o.font_size) > room && !name.empty()) {
      while (!name.empty() && text_width(label() + "…", o.font_size) > room) {
        while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80) name.pop_back();
        if (!name.empty()) name.pop_back();
      }
      name += "…";
    }
    const double baseline = legend_top + line_h * static_cast<double>(k) + o.font_size;
    // The swatch centred on the middle of the capitals (0.35 em above the baseline).
    doc.rect(left, baseline - 0.35 * o.font_size - swatch / 2, swatch, swatch,
             fmt::format(R"(class="legend-key" fill="{}")", palette[k % (sizeof palette / sizeof *palette)]));
    doc.text(text_x, baseline, label(),
             {.size = o.font_size,
              .anchor = Anchor::start,
              .bold = false,
              .italic = false,
              .fill = "#000",
              .cls = "annotation"});
  }
  return doc.str();
}

}  // namespace trialstats::render::svg
