// Axes of the plots: a linear map from data values to pixels with "nice" tick values, on a linear
// scale (ticks at 1, 2, 2.5 or 5 times a power of ten) or on a log scale shown in ratio units
// (ticks at 1, 2 and 5 times a power of ten: 0.1, 0.2, 0.5, 1, 2, 5, …), and the drawing of an
// axis line with its ticks, tick labels and title.
#pragma once

#include <string>
#include <vector>

#include "trialstats/render/svg/svg.hpp"

namespace trialstats::render::svg {

enum class AxisScale {
  linear,  ///< values and labels in the same units
  log,     ///< values are natural logs (e.g. log risk ratios); labels are exp(value)
};

/// A tick: its position as a data value, and its label (for a log axis, in ratio units).
struct Tick {
  double value = 0;     ///< in data units (natural log units on a log axis)
  std::string label{};  ///< e.g. "0.5"; on a log axis the label is exp(value)
};

/// A map from the data interval [lo, hi] to the pixel interval [px_lo, px_hi] (px_hi may be
/// smaller than px_lo: vertical axes and inverted axes), with its ticks.
struct Axis {
  AxisScale scale = AxisScale::linear;
  double lo = 0, hi = 1;        ///< domain, in data units (natural logs on a log axis)
  double px_lo = 0, px_hi = 1;  ///< pixel positions of lo and hi
  std::vector<Tick> ticks{};    ///< ascending values, all inside [lo, hi]

  /// The pixel position of `value` (data units); linear in `value`, also outside the domain.
  [[nodiscard]] double to_px(double value) const { return px_lo + (value - lo) / (hi - lo) * (px_hi - px_lo); }
  /// The data value at pixel position `px`; the inverse of to_px.
  [[nodiscard]] double from_px(double px) const { return lo + (px - px_lo) / (px_hi - px_lo) * (hi - lo); }
  [[nodiscard]] bool contains(double value) const { return value >= lo && value <= hi; }
};

/// A linear axis whose domain is [lo, hi] widened to the nearest ticks outside it, with about
/// `target_ticks` ticks at multiples of 1, 2, 2.5 or 5 times a power of ten. Non-finite bounds
/// are replaced by 0 and 1; an empty interval is widened by 1 on each side (or 10% of |lo|).
/// Example: linear_axis(0.13, 0.92, 0, 100).ticks values 0, 0.2, 0.4, 0.6, 0.8, 1.
[[nodiscard]] Axis linear_axis(double lo, double hi, double px_lo, double px_hi, int target_ticks = 6);

/// A log axis for ratios: `log_lo`, `log_hi` are natural logs; ticks at log(m·10^e) for m in
/// {1, 2, 5} (only powers of ten when that gives more than `max_ticks`), the domain widened to
/// the nearest tick outside [log_lo, log_hi]. An empty interval is widened to [1/2, 2] times it.
/// A range narrower than a factor of 3 gets evenly spaced ratios instead (linear_axis's steps on
/// exp(log_lo)..exp(log_hi), about 5 of them), so that a narrow range never shows only two ticks.
/// Example: log_axis(log(0.3), log(1.4), 0, 100) has ticks 0.2, 0.5, 1, 2 (as labels);
/// log_axis(log(1.08), log(1.3), 0, 100) has ticks 1.05, 1.10, 1.15, 1.20, 1.25, 1.30.
[[nodiscard]] Axis log_axis(double log_lo, double log_hi, double px_lo, double px_hi, int max_ticks = 9);

/// A tick label: `value` with `decimals` decimals (0 decimals for integers), never "-0".
[[nodiscard]] std::string tick_label(double value, int decimals);

/// The look of a drawn axis.
struct AxisLook {
  double font_size = 11;
  double tick_length = 5;
  std::string title{};    ///< below an x axis, rotated left of a y axis; empty: none
  std::string cls = "x";  ///< added to the class of the axis group: "axis x"
};

/// Draws a horizontal axis at pixel row `y`: the line from px_lo to px_hi, ticks downwards with
/// their labels below (`<line class="tick" data-label="…">`), and the title under the labels.
/// Returns the y of the lowest baseline drawn.
double draw_x_axis(Document& doc, const Axis& axis, double y, const AxisLook& look = {});

/// Draws a vertical axis at pixel column `x`: ticks to the left with labels right-aligned to
/// them, and the title rotated by -90 degrees left of the labels.
/// Returns the x of the leftmost text drawn.
double draw_y_axis(Document& doc, const Axis& axis, double x, const AxisLook& look = {});

/// The widest tick label of `axis` at `font_size`, as text_width estimates it.
[[nodiscard]] double widest_tick_label(const Axis& axis, double font_size);

}  // namespace trialstats::render::svg
