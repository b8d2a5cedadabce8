// The Baujat plot: a labelled scatter of contribution to Q against influence.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "trialstats/render/svg/axis.hpp"
#include "trialstats/render/svg/baujat.hpp"
#include "trialstats/render/svg/svg.hpp"

namespace trialstats::render::svg {

namespace {
struct Box {
  double x0, y0, x1, y1;
  [[nodiscard]] bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};
}  // namespace

std::string baujat_plot(const meta::Baujat& b, std::span<const std::string> labels, const BaujatOptions& o) {
  const double fs = o.font_size, small = fs - 1, r = 4;
  const std::size_t k = std::min(b.x.size(), b.y.size());
  double x_max = 0, y_max = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (std::isfinite(b.x[i])) x_max = std::max(x_max, b.x[i]);
    if (std::isfinite(b.y[i])) y_max = std::max(y_max, b.y[i]);
  }
  if (!(x_max > 0)) x_max = 1;
  if (!(y_max > 0)) y_max = 1;
  const double top = 16, right = o.width - 20;
  const double left = 14 + (fs + 1) + 8 + widest_tick_label(linear_axis(0, y_max, 1, 0, 6), small) + 10;
  const double bottom = o.height - (5 + small * 1.05 + fs * 1.6 + 14);
  // Points stay off the frame: the axes map onto the plot area less a small inset.
  const double inset = 8;
  const Axis x = linear_axis(0, x_max, left + inset, right - inset, 6);
  const Axis y = linear_axis(0, y_max, bottom - inset, top + inset, 6);

  Document doc(o.width, o.height);
  doc.title(fmt::format("Baujat plot: {} studies", k));
  doc.rect(left, top, right - left, bottom - top, "fill=\"none\" stroke=\"#000\" stroke-width=\"0.75\"");
  draw_x_axis(doc, x, bottom, {.font_size = small, .title = o.x_title});
  draw_y_axis(doc, y, left, {.font_size = small, .title = o.y_title, .cls = "y"});

  // Points first, so that labels can avoid them; then labels, largest coordinates first.
  std::vector<Box> taken, label_boxes;  // points; labels
  std::vector<std::size_t> shown;
  for (std::size_t i = 0; i < k; ++i) {
    if (!std::isfinite(b.x[i]) || !std::isfinite(b.y[i])) continue;
    const double px = x.to_px(b.x[i]), py = y.to_px(b.y[i]);
    const std::string label = i < labels.size() ? labels[i] : std::to_string(i + 1);
    doc.begin_group(fmt::format("class=\"study\" data-study=\"{}\"", i));
    doc.title(label);
    doc.circle(px, py, r, "class=\"point\" fill=\"#4d4d4d\"");
    doc.end_group();
    taken.push_back({px - r, py - r, px + r, py + r});
    shown.push_back(i);
  }
  std::sort(shown.begin(), shown.end(), [&](std::size_t a, std::size_t c) {
    return b.x[a] / x_max + b.y[a] / y_max > b.x[c] / x_max + b.y[c] / y_max;
  });
  const Box area{left, top, right, bottom};
  for (const auto i : shown) {
    const double px = x.to_px(b.x[i]), py = y.to_px(b.y[i]);
    const std::string label = i < labels.size() ? labels[i] : std::to_string(i + 1);
    const double w = text_width(label, small) + 2, h = small + 2;
    // Candidate places around the point at growing distances; the first free one inside the
    // plot wins, else the one with the least overlap. Labels away from their point get a leader.
    struct Place {
      double x, baseline;
      Anchor anchor;
      Box box;
      double distance;
    };
    std::vector<Place> places;
    for (const double d : {3.0, 9.0, 16.0, 26.0}) {
      const double g = r + d, up = py - g, down = py + g;
      places.push_back({px + g, py + h * 0.35, Anchor::start, {px + g, py - h * 0.65, px + g + w, py + h * 0.35}, d});
      places.push_back({px - g, py + h * 0.35, Anchor::end, {px - g - w, py - h * 0.65, px - g, py + h * 0.35}, d});
      places.push_back({px, up, Anchor::middle, {px - w / 2, up - h * 0.8, px + w / 2, up + h * 0.2}, d});
      places.push_back({px, down + h * 0.8, Anchor::middle, {px - w / 2, down, px + w / 2, down + h}, d});
      places.push_back(
          {px + g * 0.7, up, Anchor::start, {px + g * 0.7, up - h * 0.8, px + g * 0.7 + w, up + h * 0.2}, d});
      places.push_back(
          {px - g * 0.7, up, Anchor::end, {px - g * 0.7 - w, up - h * 0.8, px - g * 0.7, up + h * 0.2}, d});
      places.push_back(
          {px + g * 0.7, down + h * 0.8, Anchor::start, {px + g * 0.7, down, px + g * 0.7 + w, down + h}, d});
      places.push_back(
          {px - g * 0.7, down + h * 0.8, Anchor::end, {px - g * 0.7 - w, down, px - g * 0.7, down + h}, d});
      // Above and below, slid sideways into the plot: for labels wider than the room on either side.
      const double x0 = std::clamp(px - w / 2, area.x0, std::max(area.x0, area.x1 - w));
      places.push_back({x0, up, Anchor::start, {x0, up - h * 0.8, x0 + w, up + h * 0.2}, d});
      places.push_back({x0, down + h * 0.8, Anchor::start, {x0, down, x0 + w, down + h}, d});
    }
    // The first place inside the plot that overlaps no point and no label wins; else the place
    // inside that overlaps no label and covers the least of the points. A label with neither is
    // left out (a crowded corner would otherwise be an unreadable heap of text); its study's
    // name stays the tooltip of its point.
    const Place* chosen = nullptr;
    double least = std::numeric_limits<double>::infinity();
    for (const auto& p : places) {
      const bool inside = p.box.x0 >= area.x0 && p.box.x1 <= area.x1 && p.box.y0 >= area.y0 && p.box.y1 <= area.y1;
      if (!inside ||
          std::any_of(label_boxes.begin(), label_boxes.end(), [&](const Box& t) { return t.overlaps(p.box); }))
        continue;
      double covered = 0;
      for (const auto& t : taken)
        covered += std::max(0.0, std::min(t.x1, p.box.x1) - std::max(t.x0, p.box.x0)) *
                   std::max(0.0, std::min(t.y1, p.box.y1) - std::max(t.y0, p.box.y0));
      if (covered < least) least = covered, chosen = &p;
      if (covered == 0) break;
    }
    if (chosen == nullptr) continue;
    if (chosen->distance > 3) {
      // A leader from the point's edge towards the nearest point of the label's box.
      const double cx = std::clamp(px, chosen->box.x0, chosen->box.x1),
                   cy = std::clamp(py, chosen->box.y0, chosen->box.y1);
      const double len = std::hypot(cx - px, cy - py);
      if (len > r + 2)
        doc.line(px + (cx - px) * r / len, py + (cy - py) * r / len, cx - (cx - px) * 1.5 / len,
                 cy - (cy - py) * 1.5 / len, "class=\"leader\" stroke=\"#888\" stroke-width=\"0.75\"");
    }
    label_boxes.push_back(chosen->box);
    doc.text(chosen->x, chosen->baseline, label,
             {.size = small, .anchor = chosen->anchor, .cls = fmt::format("point-label study-{}", i)});
  }
  return doc.str();
}

}  // namespace trialstats::render::svg
