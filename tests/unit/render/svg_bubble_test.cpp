// Bubble plot geometry, read back from the SVG text: bubbles through both drawn axes with areas
// proportional to the weights, the regression line, and a band symmetric around it.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/predict.hpp"
#include "trialstats/meta/regression.hpp"
#include "trialstats/render/svg/bubble.hpp"
#include "trialstats/stats/distributions.hpp"
#include "unit/render/svg_parse.hpp"

using namespace trialstats;
using render::svg::bubble_plot;
using svg_test::with_class;

namespace {
// BCG trials: log risk ratios, variances and absolute latitude (as in svg_forest_test.cpp).
const std::vector<double> yi = {-0.8893113, -1.5853887, -1.3480731, -1.4415512, -0.2175473, -0.7861156, -1.6208982,
                                0.0119523,  -0.4694176, -1.3713448, -0.3393588, 0.4459134,  -0.0173177};
const std::vector<double> vi = {0.3255848, 0.1945811, 0.4153717, 0.0200100, 0.0512101, 0.0069039, 0.2230172,
                                0.0039626, 0.0564342, 0.0730248, 0.0124874, 0.5325058, 0.0714047};
const std::vector<double> ablat = {44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};
constexpr double px_tol = 0.01;

meta::MetaRegression fit() {
  const std::vector<meta::Moderator> mods = {{.name = "ablat", .numbers = ablat}};
  return meta::meta_regress(yi, vi, meta::build_design(mods, yi.size()));
}
}  // namespace

TEST_SUITE("render::svg::bubble") {
  TEST_CASE("regression_band: b0 + b1 x with the Wald band from the coefficients' covariance") {
    const auto r = fit();
    const auto band = render::svg::regression_band(r, 10, 60, 6);
    REQUIRE(band.x.size() == 6);
    const double z = stats::normal_critical(0.95);
    for (std::size_t i = 0; i < band.x.size(); ++i) {
      const double x = 10 + 10.0 * static_cast<double>(i);
      CHECK(band.x[i] == doctest::Approx(x));
      CHECK(band.fit[i] == doctest::Approx(r.coefficients[0].estimate + r.coefficients[1].estimate * x));
      const double se = std::sqrt(r.vcov(0, 0) + 2 * x * r.vcov(0, 1) + x * x * r.vcov(1, 1));
      CHECK(band.upper[i] == doctest::Approx(band.fit[i] + z * se));
      CHECK(band.lower[i] == doctest::Approx(band.fit[i] - z * se));
    }
    // The band is meta::predict's CI (no computation of its own).
    const auto pred = meta::predict(r, band.x);
    for (std::size_t i = 0; i < band.x.size(); ++i) {
      CHECK(band.fit[i] == pred[i].estimate);
      CHECK(band.lower[i] == pred[i].ci.lower);
      CHECK(band.upper[i] == pred[i].ci.upper);
    }
    // At a coefficient's own x the band is its CI: x = 0 gives the intercept's CI.
    const auto at0 = render::svg::regression_band(r, 0, 1, 2);
    CHECK(at0.lower[0] == doctest::Approx(r.coefficients[0].ci.lower));
    CHECK(at0.upper[0] == doctest::Approx(r.coefficients[0].ci.upper));
  }

  TEST_CASE("bubble_plot: bubbles at (moderator, yi) through the drawn axes, areas proportional to weights") {
    const auto r = fit();
    const std::string svg =
        bubble_plot({.moderator = "ablat", .measure = "RR", .log_scale = true, .x = ablat, .yi = yi, .regression = &r});
    const auto x = svg_test::axis_map(svg, false, false);
    const auto y = svg_test::axis_map(svg, true, true);
    const auto bubbles = with_class(svg, "circle", "bubble");
    REQUIRE(bubbles.size() == yi.size());
    // Drawn heaviest first: find each study's bubble by its position.
    double w_max = 0;
    for (const double w : r.weights) w_max = std::max(w_max, w);
    std::size_t matched = 0;
    for (std::size_t i = 0; i < yi.size(); ++i)
      for (const auto& b : bubbles)
        if (std::abs(b.num("cx") - x.px(ablat[i])) < px_tol && std::abs(b.num("cy") - y.px(yi[i])) < px_tol) {
          ++matched;
          CHECK(std::pow(b.num("r"), 2) / std::pow(18.0, 2) == doctest::Approx(r.weights[i] / w_max).epsilon(1e-3));
          break;
        }
    CHECK(matched == yi.size());
  }

  TEST_CASE("bubble_plot: the regression line and a band symmetric around it") {
    const auto r = fit();
    const std::string svg =
        bubble_plot({.moderator = "ablat", .measure = "MD", .x = ablat, .yi = yi, .regression = &r});
    const auto x = svg_test::axis_map(svg, false, false);
    const auto y = svg_test::axis_map(svg, true, false);
    const auto line = with_class(svg, "line", "regression-line");
    REQUIRE(line.size() == 1);
    const double b0 = r.coefficients[0].estimate, b1 = r.coefficients[1].estimate;
    CHECK(std::abs(line[0].num("x1") - x.px(13)) < px_tol);
    CHECK(std::abs(line[0].num("x2") - x.px(55)) < px_tol);
    CHECK(std::abs(line[0].num("y1") - y.px(b0 + b1 * 13)) < px_tol);
    CHECK(std::abs(line[0].num("y2") - y.px(b0 + b1 * 55)) < px_tol);
    const auto band = svg_test::points(with_class(svg, "polygon", "band").at(0));
    REQUIRE(band.size() == 202);
    for (std::size_t i = 0; i < 101; ++i) {
      const auto& up = band[i];
      const auto& lo = band[201 - i];
      CHECK(up.x == doctest::Approx(lo.x));
      const double mid = y.px(b0 + b1 * x.value(up.x));
      CHECK(std::abs((up.y + lo.y) / 2 - mid) < 2 * px_tol);
      CHECK(up.y < lo.y);
    }
  }

  TEST_CASE("bubble_plot: a regression that is not intercept + one moderator is refused") {
    const std::vector<double> grp = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
    const std::vector<meta::Moderator> mods = {{.name = "ablat", .numbers = ablat}, {.name = "grp", .numbers = grp}};
    const auto r = meta::meta_regress(yi, vi, meta::build_design(mods, yi.size()));
    CHECK_THROWS_WITH_AS(bubble_plot({.moderator = "ablat", .x = ablat, .yi = yi, .regression = &r}),
                         "a bubble plot needs a meta-regression with an intercept and one numeric moderator",
                         UsageError);
    CHECK_THROWS_AS(bubble_plot({.moderator = "ablat", .x = ablat, .yi = yi}), UsageError);
  }
}
