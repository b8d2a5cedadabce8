// Baujat plot geometry, read back from the SVG text: points through both drawn axes, one label
// per study, labels that do not overlap each other and stay inside the plot.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "trialstats/meta/sensitivity.hpp"
#include "trialstats/render/svg/baujat.hpp"
#include "trialstats/render/svg/svg.hpp"
#include "unit/render/svg_parse.hpp"

using namespace trialstats;
using render::svg::baujat_plot;
using svg_test::with_class;

namespace {
// Log risk ratios and variances of the BCG trials (as in svg_forest_test.cpp).
const std::vector<double> yi = {-0.8893113, -1.5853887, -1.3480731, -1.4415512, -0.2175473, -0.7861156, -1.6208982,
                                0.0119523,  -0.4694176, -1.3713448, -0.3393588, 0.4459134,  -0.0173177};
const std::vector<double> vi = {0.3255848, 0.1945811, 0.4153717, 0.0200100, 0.0512101, 0.0069039, 0.2230172,
                                0.0039626, 0.0564342, 0.0730248, 0.0124874, 0.5325058, 0.0714047};
const std::vector<std::string> labels = {
    "Aronson",         "Ferguson & Simes",   "Rosenthal et al", "Hart & Sutherland", "Frimodt-Moller et al",
    "Stein & Aronson", "Vandiviere et al",   "TPT Madras",      "Coetzee & Berjak",  "Rosenthal et al",
    "Comstock et al",  "Comstock & Webster", "Comstock et al"};
constexpr double px_tol = 0.01;
}  // namespace

TEST_SUITE("render::svg::baujat") {
  TEST_CASE("baujat_plot: each study at (contribution to Q, influence) through the drawn axes") {
    const meta::Baujat b = meta::baujat(yi, vi);
    const std::string svg = baujat_plot(b, labels);
    const auto x = svg_test::axis_map(svg, false, false);
    const auto y = svg_test::axis_map(svg, true, false);
    CHECK(y.b < 0);  // influence grows upwards
    const auto points = with_class(svg, "circle", "point");
    REQUIRE(points.size() == yi.size());
    for (std::size_t i = 0; i < yi.size(); ++i) {
      CHECK(std::abs(points[i].num("cx") - x.px(b.x[i])) < px_tol);
      CHECK(std::abs(points[i].num("cy") - y.px(b.y[i])) < px_tol);
    }
    // Both axes start at 0.
    const auto ticks = with_class(svg, "line", "tick");
    CHECK(ticks.front().attrs.at("data-label") == "0.0");
  }

  TEST_CASE("baujat_plot: one label per study, no two labels overlap, all inside the document") {
    const meta::Baujat b = meta::baujat(yi, vi);
    const std::string svg = baujat_plot(b, labels);
    const auto texts = with_class(svg, "text", "point-label");
    REQUIRE(texts.size() == yi.size());
    struct Box {
      double x0, y0, x1, y1;
    };
    std::vector<Box> boxes;
    for (const auto& t : texts) {
      const double w = render::svg::text_width(t.content, t.num("font-size")), h = t.num("font-size");
      const std::string anchor = t.attrs.count("text-anchor") ? t.attrs.at("text-anchor") : "start";
      const double x0 = anchor == "end" ? t.num("x") - w : anchor == "middle" ? t.num("x") - w / 2 : t.num("x");
      boxes.push_back({x0, t.num("y") - 0.75 * h, x0 + w, t.num("y") + 0.2 * h});
      CHECK(x0 >= 0);
      CHECK(x0 + w <= 600);
    }
    for (std::size_t i = 0; i < boxes.size(); ++i)
      for (std::size_t j = i + 1; j < boxes.size(); ++j) {
        CAPTURE(texts[i].content);
        CAPTURE(texts[j].content);
        const bool overlap = boxes[i].x0 < boxes[j].x1 && boxes[j].x0 < boxes[i].x1 && boxes[i].y0 < boxes[j].y1 &&
                             boxes[j].y0 < boxes[i].y1;
        CHECK_FALSE(overlap);
      }
    // Every study's label is there (the ampersand escaped in the document).
    for (const auto& l : labels)
      CHECK(std::any_of(texts.begin(), texts.end(), [&](const auto& t) { return t.content == l; }));
    CHECK(svg.find("Ferguson &amp; Simes") != std::string::npos);
  }

  TEST_CASE(
      "baujat_plot: 45 studies with long labels: labels inside the plot, none overlapping, crowded ones left out") {
    // Deterministic effects with one outlier group; every seventh label too long for either side of its point.
    std::vector<double> y45, v45;
    std::vector<std::string> names;
    for (int i = 0; i < 45; ++i) {
      y45.push_back(2.5 + 1.5 * std::sin(1.7 * i) + (i % 11 == 0 ? 3.0 : 0.0));
      v45.push_back(0.2 + 0.05 * (i % 9));
      names.push_back(i % 7 == 0
                          ? "Very Long Investigator Name and Colleagues Multicentre Trial " + std::to_string(i + 1)
                          : "Study " + std::to_string(i + 1));
    }
    const meta::Baujat b = meta::baujat(y45, v45);
    const std::string svg = baujat_plot(b, names);
    // The plot frame: the first rectangle after the background.
    const auto rects = svg_test::elements(svg, "rect");
    REQUIRE(rects.size() >= 2);
    const double fx0 = rects[1].num("x"), fy0 = rects[1].num("y");
    const double fx1 = fx0 + rects[1].num("width"), fy1 = fy0 + rects[1].num("height");
    const auto texts = with_class(svg, "text", "point-label");
    CHECK(texts.size() >= 10);
    CHECK(texts.size() <= 45);
    struct Box {
      double x0, y0, x1, y1;
    };
    std::vector<Box> boxes;
    for (const auto& t : texts) {
      CAPTURE(t.content);
      const double w = render::svg::text_width(t.content, t.num("font-size")), h = t.num("font-size");
      const std::string anchor = t.attrs.count("text-anchor") ? t.attrs.at("text-anchor") : "start";
      const double x0 = anchor == "end" ? t.num("x") - w : anchor == "middle" ? t.num("x") - w / 2 : t.num("x");
      boxes.push_back({x0, t.num("y") - 0.75 * h, x0 + w, t.num("y") + 0.2 * h});
      CHECK(x0 >= fx0);
      CHECK(x0 + w <= fx1);
      CHECK(boxes.back().y0 >= fy0);
      CHECK(boxes.back().y1 <= fy1);
    }
    std::size_t overlaps = 0;
    for (std::size_t i = 0; i < boxes.size(); ++i)
      for (std::size_t j = i + 1; j < boxes.size(); ++j)
        overlaps += boxes[i].x0 < boxes[j].x1 && boxes[j].x0 < boxes[i].x1 && boxes[i].y0 < boxes[j].y1 &&
                    boxes[j].y0 < boxes[i].y1;
    CHECK(overlaps == 0);
    // The study farthest up and right (largest x/max + y/max) is labelled, and some long label is.
    std::size_t top = 0;
    double x_max = 0, y_max = 0;
    for (std::size_t i = 0; i < 45; ++i) x_max = std::max(x_max, b.x[i]), y_max = std::max(y_max, b.y[i]);
    for (std::size_t i = 1; i < 45; ++i)
      if (b.x[i] / x_max + b.y[i] / y_max > b.x[top] / x_max + b.y[top] / y_max) top = i;
    CHECK(std::any_of(texts.begin(), texts.end(), [&](const auto& t) { return t.content == names[top]; }));
    CHECK(std::any_of(texts.begin(), texts.end(), [&](const auto& t) { return t.content.size() > 40; }));
    // Every study keeps its name as the tooltip of its point.
    for (const auto& n : names) CHECK(svg.find("<title>" + n + "</title>") != std::string::npos);
  }

  TEST_CASE("baujat_plot: study numbers without labels; non-finite points left out") {
    meta::Baujat b{{0.5, NAN, 1.5}, {0.1, 0.2, 0.3}, {}};
    const std::string svg = baujat_plot(b, {});
    CHECK(with_class(svg, "circle", "point").size() == 2);
    const auto texts = with_class(svg, "text", "point-label");
    REQUIRE(texts.size() == 2);
    CHECK((texts[0].content == "3" || texts[1].content == "3"));
  }
}
