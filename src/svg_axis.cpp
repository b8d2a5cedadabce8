// Axes: nice ticks on linear and log scales, and their drawing.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "trialstats/render/svg/axis.hpp"

namespace trialstats::render::svg {

std::string tick_label(double value, int decimals) {
  std::string s = fmt::format("{:.{}f}", value, std::max(0, decimals));
  if (s.find_first_not_of("-0.") == std::string::npos && s.front() == '-') s.erase(0, 1);
  return s;
}

Axis linear_axis(double lo, double hi, double px_lo, double px_hi, int target_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= 1e-12 * std::max(1.0, std::abs(lo))) {
    const double pad = lo == 0 ? 1 : 0.1 * std::abs(lo);
    lo -= pad;
    hi += pad;
  }
  target_ticks = std::max(2, target_ticks);
  // The step: 1, 2, 2.5 or 5 times a power of ten, the first that gives at most target_ticks intervals.
  const double raw = (hi - lo) / target_ticks;
  const int exponent = static_cast<int>(std::floor(std::log10(raw)));
  const double power = std::pow(10.0, exponent);
  double mantissa = 10;
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * power >= raw * (1 - 1e-9)) {
      mantissa = m;
      break;
    }
  const double step = mantissa * power;
  int decimals = -exponent + (mantissa == 2.5 ? 1 : 0) - (mantissa == 10 ? 1 : 0);
  const double first = std::floor(lo / step + 1e-9), last = std::ceil(hi / step - 1e-9);
  Axis axis;
  axis.lo = first * step;
  axis.hi = last * step;
  axis.px_lo = px_lo;
  axis.px_hi = px_hi;
  for (double i = first; i <= last + 0.5; ++i) {
    const double v = i * step;
    axis.ticks.push_back({v, tick_label(v, decimals)});
  }
  return axis;
}

Axis log_axis(double log_lo, double log_hi, double px_lo, double px_hi, int max_ticks) {
  if (!std::isfinite(log_lo) || !std::isfinite(log_hi)) log_lo = std::log(0.5), log_hi = std::log(2.0);
  if (log_lo > log_hi) std::swap(log_lo, log_hi);
  if (log_hi - log_lo < 1e-9) {
    log_lo -= std::log(2.0);
    log_hi += std::log(2.0);
  }
  // Candidates m·10^e, written as decimal strings so that labels are exact ("0.2", not 0.2000…04).
  struct Candidate {
    double log_value;
    std::string label;
  };
  auto candidates = [&](const std::vector<int>& mantissas) {
    std::vector<Candidate> out;
    const int e_lo = static_cast<int>(std::floor(log_lo / std::log(10.0))) - 1;
    const int e_hi = static_cast<int>(std::ceil(log_hi / std::log(10.0))) + 1;
    for (int e = e_lo; e <= e_hi; ++e)
      for (const int m : mantissas) {
        const double value = m * std::pow(10.0, e);
        out.push_back({std::log(value), tick_label(value, std::max(0, -e))});
      }
    return out;
  };
  auto select = [&](const std::vector<Candidate>& all) {
    // The candidates inside the range plus the nearest one outside on each side.
    std::vector<Candidate> chosen;
    std::size_t first = 0, last = all.size() - 1;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].log_value <= log_lo + 1e-12) first = i;
    for (std::size_t i = all.size(); i-- > 0;)
      if (all[i].log_value >= log_hi - 1e-12) last = i;
    for (std::size_t i = first; i <= last; ++i) chosen.push_back(all[i]);
    return chosen;
  };
  // A range narrower than a factor of 3 holds at most two of the ticks 1, 2, 5 · 10^e (e.g. only 1 and 2
  // for ratios of 1.08 to 1.3): evenly spaced ratios instead (1.05, 1.10, …, 1.30), at their logs.
  if (log_hi - log_lo < std::log(3.0)) {
    const Axis ratios = linear_axis(std::exp(log_lo), std::exp(log_hi), px_lo, px_hi, 5);
    if (ratios.lo > 0) {
      Axis axis;
      axis.scale = AxisScale::log;
      axis.lo = std::log(ratios.lo);
      axis.hi = std::log(ratios.hi);
      axis.px_lo = px_lo;
      axis.px_hi = px_hi;
      for (const auto& t : ratios.ticks) axis.ticks.push_back({std::log(t.value), t.label});
      return axis;
    }
  }
  std::vector<Candidate> chosen = select(candidates({1, 2, 5}));
  if (static_cast<int>(chosen.size()) > max_ticks) chosen = select(candidates({1}));
  if (static_cast<int>(chosen.size()) > max_ticks) {
    // Very wide ranges: every n-th power of ten, keeping 1.
    std::vector<Candidate> thinned;
    const std::size_t every =
        (chosen.size() + static_cast<std::size_t>(max_ticks) - 1) / static_cast<std::size_t>(max_ticks);
    for (const auto& c : chosen) {
      const long e = std::lround(c.log_value / std::log(10.0));
      if (e % static_cast<long>(every) == 0) thinned.push_back(c);
    }
    if (thinned.front().log_value > log_lo) thinned.insert(thinned.begin(), chosen.front());
    if (thinned.back().log_value < log_hi) thinned.push_back(chosen.back());
    chosen = thinned;
  }
  Axis axis;
  axis.scale = AxisScale::log;
  axis.lo = chosen.front().log_value;
  axis.hi = chosen.back().log_value;
  axis.px_lo = px_lo;
  axis.px_hi = px_hi;
  for (auto& c : chosen) axis.ticks.push_back({c.log_value, std::move(c.label)});
  return axis;
}

double widest_tick_label(const Axis& axis, double font_size) {
  double w = 0;
  for (const auto& t : axis.ticks) w = std::max(w, text_width(t.label, font_size));
  return w;
}

double draw_x_axis(Document& doc, const Axis& axis, double y, const AxisLook& look) {
  doc.begin_group(fmt::format("class=\"axis {}\" stroke=\"#000\"", escape(look.cls)));
  doc.line(axis.px_lo, y, axis.px_hi, y, "class=\"axis-line\"");
  for (const auto& t : axis.ticks) {
    const double x = axis.to_px(t.value);
    doc.line(x, y, x, y + look.tick_length, fmt::format("class=\"tick\" data-label=\"{}\"", escape(t.label)));
  }
  doc.end_group();
  const double label_y = y + look.tick_length + look.font_size * 1.05;
  for (const auto& t : axis.ticks)
    doc.text(axis.to_px(t.value), label_y, t.label,
             {.size = look.font_size, .anchor = Anchor::middle, .cls = "tick-label"});
  double bottom = label_y;
  if (!look.title.empty()) {
    bottom = label_y + look.font_size * 1.6;
    doc.text((axis.px_lo + axis.px_hi) / 2, bottom, look.title,
             {.size = look.font_size + 1, .anchor = Anchor::middle, .cls = "axis-title"});
  }
  return bottom;
}

double draw_y_axis(Document& doc, const Axis& axis, double x, const AxisLook& look) {
  doc.begin_group(fmt::format("class=\"axis {}\" stroke=\"#000\"", escape(look.cls)));
  doc.line(x, axis.px_lo, x, axis.px_hi, "class=\"axis-line\"");
  for (const auto& t : axis.ticks) {
    const double y = axis.to_px(t.value);
    doc.line(x - look.tick_length, y, x, y, fmt::format("class=\"tick\" data-label=\"{}\"", escape(t.label)));
  }
  doc.end_group();
  const double label_x = x - look.tick_length - 3;
  for (const auto& t : axis.ticks)
    doc.text(label_x, axis.to_px(t.value) + look.font_size * 0.35, t.label,
             {.size = look.font_size, .anchor = Anchor::end, .cls = "tick-label"});
  double left = label_x - widest_tick_label(axis, look.font_size);
  if (!look.title.empty()) {
    const double title_x = left - 6;
    const double mid = (axis.px_lo + axis.px_hi) / 2;
    doc.begin_group(fmt::format("transform=\"rotate(-90 {} {})\"", num(title_x), num(mid)));
    doc.text(title_x, mid, look.title, {.size = look.font_size + 1, .anchor = Anchor::middle, .cls = "axis-title"});
    doc.end_group();
    left = title_x - (look.font_size + 1);
  }
  return left;
}

}  // namespace trialstats::render::svg
