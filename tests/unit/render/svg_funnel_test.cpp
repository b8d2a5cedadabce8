// Funnel plot geometry, read back from the SVG text: points through both drawn axes, the
// inverted standard-error axis, contours symmetric around no effect, pseudo CI lines, open markers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "trialstats/meta/bias.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/render/svg/funnel.hpp"
#include "trialstats/stats/distributions.hpp"
#include "unit/render/svg_parse.hpp"

using namespace trialstats;
using render::svg::funnel_plot;
using svg_test::with_class;

namespace {

const std::vector<double> yi = {-0.8893113, -1.5853887, -1.3480731, -1.4415512, -0.2175473, -0.7861156, -1.6208982,
                                0.0119523,  -0.4694176, -1.3713448, -0.3393588, 0.4459134,  -0.0173177};
const std::vector<double> vi = {0.3255848, 0.1945811, 0.4153717, 0.0200100, 0.0512101, 0.0069039, 0.2230172,
                                0.0039626, 0.0564342, 0.0730248, 0.0124874, 0.5325058, 0.0714047};

render::PoolReport report(bool ratio) {
  render::PoolReport r;
  r.measure = ratio ? "RR" : "MD";
  r.method = "REML";
  r.yi = yi;
  r.vi = vi;
  for (std::size_t i = 0; i < yi.size(); ++i) r.study.push_back("Study " + std::to_string(i + 1));
  r.fit = meta::pool(r.yi, r.vi);
  if (ratio) r.transformed = render::BackTransformed{"ratio", std::exp(r.fit.estimate), {}, {}};
  return r;
}

constexpr double px_tol = 0.01;

}  // namespace

TEST_SUITE("render::svg::funnel") {
  TEST_CASE("funnel_plot: each study at (yi, sqrt(vi)) through the drawn axes; standard error inverted") {
    for (const bool ratio : {true, false}) {
      CAPTURE(ratio);
      const auto r = report(ratio);
      const std::string svg = funnel_plot(r);
      const auto x = svg_test::axis_map(svg, false, ratio);
      const auto y = svg_test::axis_map(svg, true, false);
      CHECK(y.b > 0);  // larger standard errors lower on the page
      const auto points = with_class(svg, "circle", "point");
      REQUIRE(points.size() == yi.size());
      for (std::size_t i = 0; i < yi.size(); ++i) {
        CHECK(std::abs(points[i].num("cx") - x.px(yi[i])) < px_tol);
        CHECK(std::abs(points[i].num("cy") - y.px(std::sqrt(vi[i]))) < px_tol);
      }
      const auto none = with_class(svg, "line", "no-effect");
      CHECK(std::abs(none[0].num("x1") - x.px(0)) < px_tol);
    }
  }

  TEST_CASE("funnel_plot: contours are symmetric around no effect with half-widths z·SE") {
    for (const bool ratio : {true, false}) {
      CAPTURE(ratio);
      const std::string svg = funnel_plot(report(ratio));
      const auto x = svg_test::axis_map(svg, false, ratio);
      const auto y = svg_test::axis_map(svg, true, false);
      const auto contours = with_class(svg, "polygon", "contour");
      REQUIRE(contours.size() == 3);
      for (const auto& c : contours) {
        const double level = std::stod(c.attrs.at("data-level"));
        const auto p = svg_test::points(c);
        REQUIRE(p.size() == 3);
        CHECK(std::abs(p[0].x - x.px(0)) < px_tol);  // apex at no effect, SE 0
        CHECK(std::abs(p[0].y - y.px(0)) < px_tol);
        CHECK(std::abs((p[1].x + p[2].x) / 2 - x.px(0)) < px_tol);  // symmetric base
        CHECK(p[1].y == doctest::Approx(p[2].y));
        const double se = y.value(p[1].y);
        CHECK(x.value(p[1].x) == doctest::Approx(stats::normal_critical(level) * se).epsilon(1e-4));
      }
      // Widest (99%) first, so that the narrower ones are painted over it.
      CHECK(contours[0].attrs.at("data-level") == "0.99");
      CHECK(contours[2].attrs.at("data-level") == "0.90");
    }
  }

  TEST_CASE("funnel_plot: pseudo confidence lines meet at the estimate and open by z·SE") {
    const auto r = report(true);
    const std::string svg = funnel_plot(r);
    const auto x = svg_test::axis_map(svg, false, true);
    const auto y = svg_test::axis_map(svg, true, false);
    const auto lines = with_class(svg, "polyline", "pseudo-ci");
    REQUIRE(lines.size() == 1);
    const auto p = svg_test::points(lines[0]);
    REQUIRE(p.size() == 3);
    CHECK(std::abs(p[1].x - x.px(r.fit.estimate)) < px_tol);
    CHECK(std::abs(p[1].y - y.px(0)) < px_tol);
    const double se = y.value(p[0].y), z = stats::normal_critical(0.95);
    CHECK(std::abs(p[0].x - x.px(r.fit.estimate - z * se)) < px_tol);
    CHECK(std::abs(p[2].x - x.px(r.fit.estimate + z * se)) < px_tol);
    const auto estimate = with_class(svg, "line", "estimate");
    CHECK(std::abs(estimate[0].num("x1") - x.px(r.fit.estimate)) < px_tol);
  }

  TEST_CASE("funnel_plot: trim-and-fill studies are open markers; no contours when asked") {
    const auto r = report(false);
    const std::string svg = funnel_plot(
        r, {.contours = false, .filled = {{0.9, 0.5, "filled 1"}, {1.2, 0.3, "filled 2"}}, .adjusted_estimate = -0.4});
    const auto x = svg_test::axis_map(svg, false, false);
    const auto y = svg_test::axis_map(svg, true, false);
    const auto filled = with_class(svg, "circle", "filled");
    REQUIRE(filled.size() == 2);
    CHECK(filled[0].attrs.at("fill") == "#fff");
    CHECK(std::abs(filled[1].num("cx") - x.px(1.2)) < px_tol);
    CHECK(std::abs(filled[1].num("cy") - y.px(0.3)) < px_tol);
    CHECK(with_class(svg, "polygon", "contour").empty());
    const auto adjusted = with_class(svg, "line", "adjusted-estimate");
    REQUIRE(adjusted.size() == 1);
    CHECK(std::abs(adjusted[0].num("x1") - x.px(-0.4)) < px_tol);
    CHECK(svg.find("Filled (trim and fill)") != std::string::npos);
  }

  TEST_CASE("with_trim_and_fill: trim and fill's studies as open markers, its estimate as the adjusted line") {
    const meta::TrimFill tf = meta::trim_and_fill(yi, vi);
    REQUIRE(tf.k0 > 0);
    const auto o = render::svg::with_trim_and_fill({}, tf);
    REQUIRE(o.filled.size() == static_cast<std::size_t>(tf.k0));
    for (std::size_t i = 0; i < o.filled.size(); ++i) {
      CHECK(o.filled[i].yi == tf.filled_yi[i]);
      CHECK(o.filled[i].se == std::sqrt(tf.filled_vi[i]));
    }
    REQUIRE(o.adjusted_estimate);
    CHECK(*o.adjusted_estimate == tf.augmented.estimate);
    const auto fit = meta::pool(yi, vi);
    const std::string svg = funnel_plot(render::svg::FunnelInput{"RR", true, {}, yi, vi, fit.estimate, 0.95}, o);
    const auto x = svg_test::axis_map(svg, false, true);
    const auto y = svg_test::axis_map(svg, true, false);
    const auto filled = with_class(svg, "circle", "filled");
    REQUIRE(filled.size() == o.filled.size());
    for (std::size_t i = 0; i < filled.size(); ++i) {
      CHECK(std::abs(filled[i].num("cx") - x.px(tf.filled_yi[i])) < px_tol);
      CHECK(std::abs(filled[i].num("cy") - y.px(std::sqrt(tf.filled_vi[i]))) < px_tol);
    }
    CHECK(with_class(svg, "circle", "point").size() == yi.size());
  }
  TEST_CASE("funnel_plot: every marker inside the frame, also at the largest standard error and the widest effect") {
    // The largest standard error on a nice tick (0.03), effects on ticks at the ends of the x axis.
    const std::vector<double> y_ratio = {std::log(1.085), std::log(1.15), std::log(1.18), std::log(1.23),
                                         std::log(1.3)};
    const std::vector<double> v_ratio = {0.0009, 0.018 * 0.018, 0.025 * 0.025, 0.022 * 0.022, 0.0004};
    const std::vector<double> y_linear = {-0.4, 0.1, 0.2, 0.3, 10};
    const std::vector<double> v_linear = {0.04, 0.09, 0.16, 0.25, 0.01};
    for (const bool log : {true, false}) {
      CAPTURE(log);
      const auto& ys = log ? y_ratio : y_linear;
      const auto& vs = log ? v_ratio : v_linear;
      const std::string svg = funnel_plot(render::svg::FunnelInput{log ? "ROM" : "MD", log, {}, ys, vs, ys[2], 0.95},
                                          {.filled = {{ys[4] + 0.01, std::sqrt(vs[0]), "filled"}}});
      const auto frames = svg_test::elements(svg, "rect");
      const auto frame = *std::find_if(frames.begin(), frames.end(), [](const auto& e) {
        return e.attrs.count("stroke") && e.attrs.at("stroke") == "#000" && e.attrs.at("fill") == "none";
      });
      const double x0 = frame.num("x"), y0 = frame.num("y");
      const double x1 = x0 + frame.num("width"), y1 = y0 + frame.num("height");
      auto markers = with_class(svg, "circle", "point");
      const auto filled = with_class(svg, "circle", "filled");
      markers.insert(markers.end(), filled.begin(), filled.end());
      REQUIRE(markers.size() == 6);
      for (const auto& m : markers) {
        CHECK(m.num("cx") - m.num("r") >= x0);
        CHECK(m.num("cx") + m.num("r") <= x1);
        CHECK(m.num("cy") - m.num("r") >= y0);
        CHECK(m.num("cy") + m.num("r") <= y1);
      }
      // Still through the drawn axes.
      const auto x = svg_test::axis_map(svg, false, log);
      const auto y = svg_test::axis_map(svg, true, false);
      for (std::size_t i = 0; i < ys.size(); ++i) {
        CHECK(std::abs(markers[i].num("cx") - x.px(ys[i])) < px_tol);
        CHECK(std::abs(markers[i].num("cy") - y.px(std::sqrt(vs[i]))) < px_tol);
      }
    }
  }
}
