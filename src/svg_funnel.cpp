// The contour-enhanced funnel plot.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "trialstats/render/svg/axis.hpp"
#include "trialstats/render/svg/forest.hpp"
#include "trialstats/render/svg/funnel.hpp"
#include "trialstats/render/svg/svg.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::render::svg {

std::string funnel_plot(const PoolReport& report, const FunnelOptions& options) {
  return funnel_plot(FunnelInput{report.measure, log_scale(report), report.study, report.yi, report.vi,
                                 report.fit.estimate, report.fit.level},
                     options);
}

FunnelOptions with_trim_and_fill(FunnelOptions options, const meta::TrimFill& trimfill) {
  for (std::size_t i = 0; i < trimfill.filled_yi.size() && i < trimfill.filled_vi.size(); ++i)
    options.filled.push_back(
        {trimfill.filled_yi[i], std::sqrt(trimfill.filled_vi[i]), "filled study " + std::to_string(i + 1)});
  if (trimfill.k0 > 0) options.adjusted_estimate = trimfill.augmented.estimate;
  return options;
}

std::string funnel_plot(const FunnelInput& in, const FunnelOptions& o) {
  const bool log = in.log_scale;
  const double fs = o.font_size, small = fs - 1;
  std::vector<FunnelPoint> points;
  for (std::size_t i = 0; i < in.yi.size() && i < in.vi.size(); ++i)
    if (std::isfinite(in.yi[i]) && std::isfinite(in.vi[i]) && in.vi[i] > 0)
      points.push_back({in.yi[i], std::sqrt(in.vi[i]), i < in.study.size() ? in.study[i] : ""});
  double se_max = 0;
  for (const auto& p : points) se_max = std::max(se_max, p.se);
  for (const auto& p : o.filled) se_max = std::max(se_max, p.se);
  if (!(se_max > 0)) se_max = 1;

  // Legend items: the contour shades, then the markers; laid out in rows that fit the plot width.
  std::vector<double> levels = o.contour_levels;
  std::sort(levels.begin(), levels.end());
  const std::vector<std::string> shades = {"#ffffff", "#e3e3e3", "#c6c6c6", "#a8a8a8", "#8a8a8a"};
  const std::size_t n_levels = std::min(levels.size(), shades.size() - 1);
  const bool contours = o.contours && n_levels > 0;
  enum class Key { swatch, open, dashed };
  struct Item {
    Key key;
    std::string fill, label;
    double x = 0;
    int row = 0;
  };
  std::vector<Item> items;
  if (contours) {
    auto p_of = [&](std::size_t j) { return tick_label(1 - levels[j], 2); };
    items.push_back({Key::swatch, shades[0], "p > " + p_of(0)});
    for (std::size_t j = 1; j < n_levels; ++j)
      items.push_back({Key::swatch, shades[j], p_of(j) + " < p < " + p_of(j - 1)});
    items.push_back({Key::swatch, shades[n_levels], "p < " + p_of(n_levels - 1)});
  }
  if (!o.filled.empty()) items.push_back({Key::open, "", "Filled (trim and fill)"});
  if (o.adjusted_estimate) items.push_back({Key::dashed, "", "Adjusted estimate"});

  // Markers stay inside the frame: the standard error axis reaches at least marker + 1 px below
  // the largest standard error (for the plot height with every legend item on its own row, the
  // smallest it can be): se_max / (1 - (marker + 1) / height) or more.
  const double marker = 4;
  {
    const double min_height =
        o.height - (5 + small * 1.05 + fs * 1.6 + small * 0.6 + static_cast<double>(items.size()) * small * 1.6 + 12) -
        16;
    if (min_height > 4 * (marker + 1)) se_max /= 1 - (marker + 1) / min_height;
  }
  // Left margin: y tick labels and the rotated y title (tick labels do not depend on pixels).
  const double left = 14 + (fs + 1) + 8 + widest_tick_label(linear_axis(0, se_max, 1, 0, 5), small) + 10;
  const double right = o.width - 20;
  int legend_rows = items.empty() ? 0 : 1;
  {
    double lx = left;
    for (auto& item : items) {
      const double w = small + 6 + text_width(item.label, small) + 14;
      if (lx > left && lx + w - 14 > right) {
        lx = left;
        ++legend_rows;
      }
      item.x = lx;
      item.row = legend_rows - 1;
      lx += w;
    }
  }

  // Axes: y is the standard error from 0 (top) down to a nice maximum; x covers the studies,
  // no effect, and the pseudo confidence region at the bottom of the plot.
  const double top = 16;
  const double x_title_h = fs * 1.6, legend_row_h = small * 1.6;
  const double bottom = o.height - (5 + small * 1.05 + x_title_h + small * 0.6 + legend_rows * legend_row_h + 12);
  const Axis probe = linear_axis(0, se_max, top, bottom, 5);
  const double se_bottom = probe.hi;
  const double z = stats::normal_critical(in.level);
  double lo = 0, hi = 0;
  auto cover = [&](double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  };
  for (const auto& p : points) cover(p.yi);
  for (const auto& p : o.filled) cover(p.yi);
  cover(in.estimate - z * se_bottom);
  cover(in.estimate + z * se_bottom);
  Axis x = log ? log_axis(lo, hi, left, right) : linear_axis(lo, hi, left, right, 7);
  // A study closer than marker + 1 px to either end of the x axis: the axis goes on to its next tick.
  for (int pass = 0; pass < 2; ++pass) {
    bool near_lo = false, near_hi = false;
    auto check = [&](double v) {
      if (!std::isfinite(v)) return;
      near_lo = near_lo || x.to_px(v) < x.px_lo + marker + 1;
      near_hi = near_hi || x.to_px(v) > x.px_hi - marker - 1;
    };
    for (const auto& p : points) check(p.yi);
    for (const auto& p : o.filled) check(p.yi);
    if (!near_lo && !near_hi) break;
    const double nudge = 1e-6 * (x.hi - x.lo);
    if (near_lo) lo = x.lo - nudge;
    if (near_hi) hi = x.hi + nudge;
    x = log ? log_axis(lo, hi, left, right) : linear_axis(lo, hi, left, right, 7);
  }
  Axis y = linear_axis(0, se_max, top, bottom, 5);  // to_px(0) = top: inverted
  const double x0 = x.px_lo, x1 = x.px_hi;

  Document doc(o.width, o.height);
  doc.title(fmt::format("Funnel plot: {} studies, {}", points.size(), measure_title(in.measure)));
  doc.clip_rect("funnel-area", x0, top, x1 - x0, bottom - top);

  // Contours: the plot area in the darkest shade (most significant), then one triangle per level,
  // widest first, each lighter; inside the narrowest, white.
  doc.begin_group("clip-path=\"url(#funnel-area)\"");
  if (contours) {
    const std::size_t n = n_levels;
    doc.rect(x0, top, x1 - x0, bottom - top, fmt::format("class=\"contour-outside\" fill=\"{}\"", shades[n]));
    for (std::size_t j = n; j-- > 0;) {
      const double zj = stats::normal_critical(levels[j]);
      doc.polygon({{x.to_px(0), y.to_px(0)},
                   {x.to_px(zj * se_bottom), y.to_px(se_bottom)},
                   {x.to_px(-zj * se_bottom), y.to_px(se_bottom)}},
                  fmt::format("class=\"contour\" data-level=\"{}\" fill=\"{}\"", tick_label(levels[j], 2), shades[j]));
    }
  }
  // No effect (dotted), the pooled estimate and its pseudo confidence lines.
  doc.line(x.to_px(0), top, x.to_px(0), bottom, "class=\"no-effect\" stroke=\"#555\" stroke-dasharray=\"2,3\"");
  const double e = in.estimate;
  doc.line(x.to_px(e), top, x.to_px(e), bottom, "class=\"estimate\" stroke=\"#000\" stroke-width=\"1\"");
  doc.polyline({{x.to_px(e - z * se_bottom), y.to_px(se_bottom)},
                {x.to_px(e), y.to_px(0)},
                {x.to_px(e + z * se_bottom), y.to_px(se_bottom)}},
               "class=\"pseudo-ci\" stroke=\"#000\" stroke-dasharray=\"6,4\"");
  if (o.adjusted_estimate)
    doc.line(x.to_px(*o.adjusted_estimate), top, x.to_px(*o.adjusted_estimate), bottom,
             "class=\"adjusted-estimate\" stroke=\"#b2182b\" stroke-width=\"1.25\" stroke-dasharray=\"4,3\"");
  doc.end_group();
  doc.rect(x0, top, x1 - x0, bottom - top, "fill=\"none\" stroke=\"#000\" stroke-width=\"0.75\"");

  // Studies: filled; imputed studies: open.
  for (const auto& p : points) {
    doc.begin_group("class=\"study\"");
    doc.title(p.label);
    doc.circle(x.to_px(p.yi), y.to_px(p.se), marker, "class=\"point\" fill=\"#000\"");
    doc.end_group();
  }
  for (const auto& p : o.filled)
    doc.circle(x.to_px(p.yi), y.to_px(p.se), marker,
               "class=\"filled\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.25\"");

  const std::string title =
      o.axis_title.empty() ? measure_title(in.measure) + (log ? " (log scale)" : "") : o.axis_title;
  const double x_bottom = draw_x_axis(doc, x, bottom, {.font_size = small, .title = title});
  draw_y_axis(doc, y, x0, {.font_size = small, .title = "Standard error", .cls = "y"});

  // Legend.
  for (const auto& item : items) {
    const double ly = x_bottom + small * 0.6 + legend_row_h * (item.row + 1);
    const double mid = ly - small * 0.35;
    switch (item.key) {
      case Key::swatch:
        doc.rect(item.x, ly - small * 0.85, small, small * 0.85 + 1,
                 fmt::format("fill=\"{}\" stroke=\"#000\" stroke-width=\"0.5\"", item.fill));
        break;
      case Key::open:
        doc.circle(item.x + small / 2, mid, 4, "fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.25\"");
        break;
      case Key::dashed:
        doc.line(item.x - 2, mid, item.x + small + 2, mid,
                 "stroke=\"#b2182b\" stroke-width=\"1.25\" stroke-dasharray=\"4,3\"");
        break;
    }
    doc.text(item.x + small + 6, ly, item.label, {.size = small, .cls = "legend"});
  }
  return doc.str();
}

}  // namespace trialstats::render::svg
