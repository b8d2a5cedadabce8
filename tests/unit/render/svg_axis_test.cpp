// Axes: nice linear ticks, 1-2-5 log ticks in ratio units, the pixel map and its inverse.
#include <doctest/doctest.h>

#include <cmath>

#include "trialstats/render/svg/axis.hpp"

using namespace trialstats::render::svg;

namespace {
std::vector<std::string> labels(const Axis& a) {
  std::vector<std::string> out;
  for (const auto& t : a.ticks) out.push_back(t.label);
  return out;
}
}  // namespace

TEST_SUITE("render::svg::axis") {
  TEST_CASE("linear_axis: nice steps, domain widened to the outer ticks") {
    const Axis a = linear_axis(0.13, 0.92, 0, 100);
    CHECK(labels(a) == std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
    CHECK(a.lo == 0);
    CHECK(a.hi == doctest::Approx(1.0));
    const Axis b = linear_axis(-2.2, 1.3, 0, 100);
    CHECK(labels(b) == std::vector<std::string>{"-3", "-2", "-1", "0", "1", "2"});
    const Axis b8 = linear_axis(-2.2, 1.3, 0, 100, 8);
    CHECK(labels(b8) == std::vector<std::string>{"-2.5", "-2.0", "-1.5", "-1.0", "-0.5", "0.0", "0.5", "1.0", "1.5"});
    const Axis c = linear_axis(0, 0.8, 0, 100, 5);
    CHECK(labels(c) == std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8"});
    const Axis d = linear_axis(-37, 512, 0, 100, 6);
    CHECK(labels(d) == std::vector<std::string>{"-100", "0", "100", "200", "300", "400", "500", "600"});
    const Axis e = linear_axis(0, 0.25, 0, 100, 4);
    CHECK(labels(e) == std::vector<std::string>{"0.0", "0.1", "0.2", "0.3"});
  }

  TEST_CASE("linear_axis: to_px and from_px are inverse; reversed pixel ranges") {
    const Axis a = linear_axis(-1, 3, 400, 100);
    CHECK(a.to_px(a.lo) == 400);
    CHECK(a.to_px(a.hi) == 100);
    for (const double v : {-1.0, 0.3, 2.9}) CHECK(a.from_px(a.to_px(v)) == doctest::Approx(v));
    CHECK(a.to_px(1) == doctest::Approx(250));
  }

  TEST_CASE("linear_axis: degenerate and non-finite ranges") {
    const Axis a = linear_axis(2, 2, 0, 100);
    CHECK(a.lo < 2);
    CHECK(a.hi > 2);
    const Axis b = linear_axis(0, 0, 0, 100);
    CHECK(a.ticks.size() >= 2);
    CHECK(b.lo <= -1);
    CHECK(b.hi >= 1);
    const Axis c = linear_axis(NAN, 1, 0, 100);
    CHECK(c.lo == 0);
    CHECK(c.hi == 1);
  }

  TEST_CASE("log_axis: ticks at 1, 2, 5 times powers of ten, labelled in ratio units") {
    const Axis a = log_axis(std::log(0.3), std::log(1.4), 0, 100);
    CHECK(a.scale == AxisScale::log);
    CHECK(labels(a) == std::vector<std::string>{"0.2", "0.5", "1", "2"});
    for (const auto& t : a.ticks) CHECK(std::exp(t.value) == doctest::Approx(std::stod(t.label)));
    CHECK(a.lo == doctest::Approx(std::log(0.2)));
    CHECK(a.hi == doctest::Approx(std::log(2.0)));
    const Axis b = log_axis(std::log(0.08), std::log(6.5), 0, 100);
    CHECK(labels(b) == std::vector<std::string>{"0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"});
  }

  TEST_CASE("log_axis: wide ranges keep powers of ten, then every n-th") {
    const Axis a = log_axis(std::log(0.002), std::log(300.0), 0, 100);
    CHECK(labels(a) == std::vector<std::string>{"0.001", "0.01", "0.1", "1", "10", "100", "1000"});
    const Axis b = log_axis(std::log(1e-9), std::log(1e9), 0, 100, 9);
    CHECK(b.ticks.size() <= 11);
    CHECK(b.lo <= std::log(1e-9));
    CHECK(b.hi >= std::log(1e9));
    bool has_one = false;
    for (const auto& t : b.ticks) has_one = has_one || t.label == "1";
    CHECK(has_one);
  }

  TEST_CASE("log_axis: a range narrower than a factor of 3 gets evenly spaced ratios, not two ticks") {
    // Ratios of means 1.08 to 1.3 (sleep efficiency trials): 1-2-5 ticks would be 1 and 2 only.
    const Axis a = log_axis(std::log(1.08), std::log(1.3), 0, 100);
    CHECK(a.scale == AxisScale::log);
    CHECK(labels(a) == std::vector<std::string>{"1.05", "1.10", "1.15", "1.20", "1.25", "1.30"});
    for (const auto& t : a.ticks) CHECK(std::exp(t.value) == doctest::Approx(std::stod(t.label)));
    CHECK(a.lo <= std::log(1.08));
    CHECK(a.hi >= std::log(1.3));
    CHECK(a.to_px(a.lo) == doctest::Approx(0));
    CHECK(a.to_px(a.hi) == doctest::Approx(100));
    // Below 1 too (ratios 0.47 to 1): ticks 0.4 to 1 instead of 0.2, 0.5, 1.
    const Axis b = log_axis(std::log(0.47), 0, 0, 100);
    CHECK(labels(b).size() >= 4);
    CHECK(b.lo <= std::log(0.47));
    CHECK(b.hi >= 0);
    CHECK(std::exp(b.lo) > 0.3);
    // A factor of 3 or more keeps the 1-2-5 ticks.
    CHECK(labels(log_axis(std::log(0.5), std::log(1.6), 0, 100)) == std::vector<std::string>{"0.5", "1", "2"});
  }

  TEST_CASE("log_axis: an empty range is widened to half and twice the value") {
    const Axis a = log_axis(0, 0, 0, 100);
    CHECK(labels(a) == std::vector<std::string>{"0.5", "1", "2"});
  }

  TEST_CASE("tick_label: fixed decimals, never -0") {
    CHECK(tick_label(-0.0001, 2) == "0.00");
    CHECK(tick_label(2.5, 1) == "2.5");
    CHECK(tick_label(100, -2) == "100");
  }

  TEST_CASE("draw_x_axis: one tick line per tick at its pixel position, labels below") {
    const Axis a = linear_axis(0, 1, 50, 250, 5);
    Document doc(300, 100);
    const double bottom = draw_x_axis(doc, a, 40, {.title = "Effect"});
    const std::string s = doc.str();
    CHECK(s.find("<line x1=\"50\" y1=\"40\" x2=\"50\" y2=\"45\" class=\"tick\" data-label=\"0.0\"/>") !=
          std::string::npos);
    CHECK(s.find("<line x1=\"250\" y1=\"40\" x2=\"250\" y2=\"45\" class=\"tick\" data-label=\"1.0\"/>") !=
          std::string::npos);
    CHECK(s.find(">Effect</text>") != std::string::npos);
    CHECK(bottom > 45);
  }
}
