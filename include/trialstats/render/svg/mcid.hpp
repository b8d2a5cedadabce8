// The plot of `trialstats mcid --plot`: the pooled estimate with its CI (and PI, and the sceptical
// posterior's interval when there is one) on one axis with no effect, ±MCID and the region of
// effects smaller than the MCID shaded; the category in the title.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "trialstats/render/mcid.hpp"
#include "trialstats/render/svg/axis.hpp"
#include "trialstats/render/svg/svg.hpp"

namespace trialstats::render::svg {

/// The SVG document of an importance analysis (width 720 px; one row per interval).
[[nodiscard]] inline std::string mcid_plot(const McidReport& rep) {
  const auto& r = rep.importance;
  const double m = std::fabs(r.mcid);
  struct Row {
    std::string label, detail;
    double estimate;
    Interval interval;
    std::string cls;
  };
  std::vector<Row> rows;
  const int pct = static_cast<int>(std::lround(r.level * 100));
  const auto shown = [&](double v) { return rep.log_scale ? std::exp(v) : v; };
  const auto value = [&](double v) { return fmt::format("{:.2f}", shown(v)); };
  rows.push_back({fmt::format("Mean effect ({}% CI)", pct),
                  fmt::format("{} [{}, {}]", value(r.estimate), value(r.ci.lower), value(r.ci.upper)), r.estimate, r.ci,
                  "ci"});
  if (r.pi)
    rows.push_back({"Prediction interval", fmt::format("[{}, {}]", value(r.pi->lower), value(r.pi->upper)), r.estimate,
                    *r.pi, "pi"});
  if (r.sceptical)
    rows.push_back({fmt::format("Sceptical prior N(0, {}²)", exact(r.sceptical->prior_sd)),
                    fmt::format("{} [{}, {}]", value(r.sceptical->mean), value(r.sceptical->interval.lower),
                                value(r.sceptical->interval.upper)),
                    r.sceptical->mean, r.sceptical->interval, "posterior"});

  double lo = std::min({0.0, -m, r.ci.lower}), hi = std::max({0.0, m, r.ci.upper});
  for (const auto& row : rows) {
    lo = std::min(lo, row.interval.lower);
    hi = std::max(hi, row.interval.upper);
  }
  const double label_w = 190, detail_w = 170, left = 20, right = 20, top = 58, row_h = 34;
  const double width = 720, plot_x0 = left + label_w, plot_x1 = width - right - detail_w;
  const double plot_h = row_h * static_cast<double>(rows.size()) + 16;
  const double height = top + plot_h + 92;
  const Axis axis = rep.log_scale ? log_axis(lo, hi, plot_x0, plot_x1) : linear_axis(lo, hi, plot_x0, plot_x1);

  Document doc(width, height);
  doc.title(fmt::format("Clinical importance: {}", mcid_detail::category_title(r.category)));
  doc.text(left, 22, fmt::format("Clinical importance: {}", mcid_detail::category_title(r.category)),
           {.size = 15, .bold = true, .cls = "title"});
  std::string sub = fmt::format(
      "MCID {} ({}); P(beyond the MCID) = {:.3f}", value(r.mcid),
      r.direction == clinical::Direction::lower_is_better ? "lower is better" : "higher is better", r.p_beyond);
  if (r.share_beyond) sub += fmt::format("; share of settings beyond = {:.3f}", *r.share_beyond);
  doc.text(left, 42, sub, {.size = 12, .fill = "#333", .cls = "subtitle"});

  const double y0 = top, y1 = top + plot_h;
  // Effects smaller than the MCID: the shaded band between -MCID and +MCID.
  const double bx0 = axis.to_px(std::max(-m, axis.lo)), bx1 = axis.to_px(std::min(m, axis.hi));
  doc.rect(bx0, y0, bx1 - bx0, plot_h, "class=\"mcid-region\" fill=\"#e8e8e8\"");
  doc.line(axis.to_px(0), y0, axis.to_px(0), y1, "class=\"null\" stroke=\"#000\" stroke-width=\"1\"");
  for (const double v : {-m, m})
    doc.line(axis.to_px(v), y0, axis.to_px(v), y1,
             fmt::format("class=\"mcid{}\" stroke=\"#b03030\" stroke-width=\"1.2\" stroke-dasharray=\"5,3\"",
                         v == r.mcid ? " benefit" : " harm"));
  doc.text(axis.to_px(r.mcid), y0 - 4, "MCID",
           {.size = 10, .anchor = Anchor::middle, .fill = "#b03030", .cls = "mcid-label"});

  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const double y = y0 + 8 + row_h * (static_cast<double>(i) + 0.5);
    doc.begin_group(fmt::format("class=\"row {}\"", row.cls));
    doc.text(left, y + 4, row.label, {.size = 12});
    doc.text(width - right, y + 4, row.detail, {.size = 12, .anchor = Anchor::end});
    const double a = axis.to_px(std::max(row.interval.lower, axis.lo)),
                 b = axis.to_px(std::min(row.interval.upper, axis.hi));
    const std::string colour = row.cls == "pi" ? "#4a7ab5" : row.cls == "posterior" ? "#6a6a6a" : "#000";
    doc.line(a, y, b, y, fmt::format("stroke=\"{}\" stroke-width=\"{}\"", colour, row.cls == "pi" ? 6 : 2));
    if (row.cls == "ci") {
      const double x = axis.to_px(r.estimate);
      doc.polygon({{x - 8, y}, {x, y - 7}, {x + 8, y}, {x, y + 7}}, "class=\"estimate\" fill=\"#000\"");
    } else if (row.cls == "posterior") {
      doc.circle(axis.to_px(row.estimate), y, 4.5, "fill=\"#6a6a6a\"");
    }
    doc.end_group();
  }
  AxisLook look;
  look.title = rep.measure.empty() ? "Effect" : rep.measure;
  const double axis_bottom = draw_x_axis(doc, axis, y1, look);
  // The direction of benefit at its end of the axis, the note on the shading at the other end
  // (a note centred on 0 ran into the benefit label whenever 0 lay near that end).
  const bool lower_better = r.direction == clinical::Direction::lower_is_better;
  doc.text(lower_better ? plot_x0 : plot_x1, axis_bottom + 20, lower_better ? "← benefit" : "benefit →",
           {.size = 11,
            .anchor = lower_better ? Anchor::start : Anchor::end,
            .italic = true,
            .fill = "#333",
            .cls = "favours"});
  doc.text(lower_better ? plot_x1 : plot_x0, axis_bottom + 20, "shaded: effects smaller than the MCID",
           {.size = 10, .anchor = lower_better ? Anchor::end : Anchor::start, .fill = "#555", .cls = "shading-note"});
  return doc.str();
}

}  // namespace trialstats::render::svg
