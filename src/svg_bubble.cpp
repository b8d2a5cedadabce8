// The bubble plot of a meta-regression on one numeric moderator.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/predict.hpp"
#include "trialstats/render/svg/axis.hpp"
#include "trialstats/render/svg/bubble.hpp"
#include "trialstats/render/svg/forest.hpp"
#include "trialstats/render/svg/svg.hpp"

namespace trialstats::render::svg {

namespace {
void require_simple_regression(const meta::MetaRegression& r) {
  if (!r.intercept || r.coefficients.size() != 2 || r.vcov.rows() != 2 || r.vcov.cols() != 2)
    throw UsageError("a bubble plot needs a meta-regression with an intercept and one numeric moderator");
}
}  // namespace

RegressionBand regression_band(const meta::MetaRegression& r, double x_lo, double x_hi, int n) {
  require_simple_regression(r);
  n = std::max(2, n);
  RegressionBand band;
  for (int i = 0; i < n; ++i) band.x.push_back(x_lo + (x_hi - x_lo) * i / (n - 1));
  for (const meta::Prediction& p : meta::predict(r, band.x)) {
    band.fit.push_back(p.estimate);
    band.lower.push_back(p.ci.lower);
    band.upper.push_back(p.ci.upper);
  }
  return band;
}

std::string bubble_plot(const BubbleInput& in, const BubbleOptions& o) {
  if (!in.regression) throw UsageError("a bubble plot needs the meta-regression it shows");
  const meta::MetaRegression& reg = *in.regression;
  require_simple_regression(reg);
  const std::size_t k = in.yi.size();
  if (in.x.size() != k || reg.weights.size() != k)
    throw UsageError(
        fmt::format("bubble plot: {} effects, {} moderator values and {} weights", k, in.x.size(), reg.weights.size()));
  const double fs = o.font_size, small = fs - 1;
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY, w_max = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (!std::isfinite(in.x[i]) || !std::isfinite(in.yi[i])) continue;
    x_lo = std::min(x_lo, in.x[i]), x_hi = std::max(x_hi, in.x[i]);
    y_lo = std::min(y_lo, in.yi[i]), y_hi = std::max(y_hi, in.yi[i]);
    w_max = std::max(w_max, reg.weights[i]);
  }
  if (!std::isfinite(x_lo)) x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  const RegressionBand band = regression_band(reg, x_lo, x_hi);
  for (std::size_t i = 0; i < band.x.size(); ++i)
    y_lo = std::min(y_lo, band.lower[i]), y_hi = std::max(y_hi, band.upper[i]);

  const double top = 16, right = o.width - 20;
  const auto make_y = [&](double px_lo, double px_hi) {
    return in.log_scale ? log_axis(y_lo, y_hi, px_lo, px_hi) : linear_axis(y_lo, y_hi, px_lo, px_hi, 6);
  };
  const double left = 14 + (fs + 1) + 8 + widest_tick_label(make_y(1, 0), small) + 10;
  const double bottom = o.height - (5 + small * 1.05 + fs * 1.6 + 14);
  // Bubbles stay inside the frame: the axes map onto the plot area less the largest radius.
  const double inset = o.max_radius + 2;
  const Axis x = linear_axis(x_lo, x_hi, left + inset, right - inset, 6);
  const Axis y = make_y(bottom - inset, top + inset);

  Document doc(o.width, o.height);
  doc.title(fmt::format("Bubble plot: {} studies, {} against {}", k, measure_title(in.measure), in.moderator));
  doc.clip_rect("bubble-area", left, top, right - left, bottom - top);
  doc.begin_group("clip-path=\"url(#bubble-area)\"");
  std::vector<Document::Point> outline;
  for (std::size_t i = 0; i < band.x.size(); ++i) outline.push_back({x.to_px(band.x[i]), y.to_px(band.upper[i])});
  for (std::size_t i = band.x.size(); i-- > 0;) outline.push_back({x.to_px(band.x[i]), y.to_px(band.lower[i])});
  doc.polygon(outline, "class=\"band\" fill=\"#c6dbef\" fill-opacity=\"0.7\"");
  if (!in.log_scale || y.contains(0))
    doc.line(left, y.to_px(0), right, y.to_px(0), "class=\"no-effect\" stroke=\"#555\" stroke-dasharray=\"2,3\"");
  doc.line(x.to_px(band.x.front()), y.to_px(band.fit.front()), x.to_px(band.x.back()), y.to_px(band.fit.back()),
           "class=\"regression-line\" stroke=\"#08519c\" stroke-width=\"1.5\"");
  // Heaviest studies first, so that small bubbles stay visible on top.
  std::vector<std::size_t> order(k);
  for (std::size_t i = 0; i < k; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return reg.weights[a] > reg.weights[b]; });
  for (const auto i : order) {
    if (!std::isfinite(in.x[i]) || !std::isfinite(in.yi[i])) continue;
    const double radius = w_max > 0 ? o.max_radius * std::sqrt(std::max(0.0, reg.weights[i]) / w_max) : 4;
    doc.begin_group(fmt::format("class=\"study\" data-study=\"{}\"", i));
    doc.title(i < in.study.size() ? in.study[i] : "study " + std::to_string(i + 1));
    doc.circle(x.to_px(in.x[i]), y.to_px(in.yi[i]), std::max(radius, 1.5),
               "class=\"bubble\" fill=\"#6b6b6b\" fill-opacity=\"0.45\" stroke=\"#000\" stroke-width=\"0.75\"");
    doc.end_group();
  }
  doc.end_group();
  doc.rect(left, top, right - left, bottom - top, "fill=\"none\" stroke=\"#000\" stroke-width=\"0.75\"");
  draw_x_axis(doc, x, bottom, {.font_size = small, .title = in.moderator});
  draw_y_axis(
      doc, y, left,
      {.font_size = small, .title = measure_title(in.measure) + (in.log_scale ? " (log scale)" : ""), .cls = "y"});
  return doc.str();
}

}  // namespace trialstats::render::svg
