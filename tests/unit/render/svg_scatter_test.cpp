// Scatter plot geometry, read back from the SVG text: points through both drawn axes, the legend
// above the plot area with each swatch level with its text and all swatches in one column, and
// every text inside the document.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "trialstats/render/svg/scatter.hpp"
#include "trialstats/render/svg/svg.hpp"
#include "unit/render/svg_parse.hpp"

using namespace trialstats;
using render::svg::scatter_plot;
using render::svg::ScatterGroup;
using render::svg::ScatterInput;
using svg_test::with_class;

namespace {
constexpr double px_tol = 0.01;

/// `groups` groups of 12 points on lines of different slopes, x from 0 to 55, with named groups
/// (one name very long) when there are more than one.
ScatterInput input(std::size_t groups) {
  const std::string names[] = {"acupuncture", "control", "sham acupuncture", "usual care", "tui na"};
  ScatterInput in{
      .x_label = "rmssd_post-rmssd_pre", .y_label = "fatigue_post-fatigue_pre", .groups = {}, .level = 0.95};
  for (std::size_t k = 0; k < groups; ++k) {
    ScatterGroup g{.name = groups > 1 ? names[k % 5] : "", .x = {}, .y = {}, .annotation = {}};
    for (int i = 0; i < 12; ++i) {
      const double x = 5.0 * i - static_cast<double>(k);
      g.x.push_back(x);
      g.y.push_back(-0.1 * static_cast<double>(k + 1) * x + ((i * 7 + static_cast<int>(k)) % 5 - 2) * 0.4);
    }
    g.annotation = "r = -0.62, 95% CI [-0.75, -0.45], n = 12";
    in.groups.push_back(std::move(g));
  }
  return in;
}

struct Box {
  double x0, y0, x1, y1;
};
/// The estimated box of a text element (anchor, font size, baseline).
Box text_box(const svg_test::Element& t) {
  const double size = t.num("font-size"), w = render::svg::text_width(t.content, size);
  const std::string anchor = t.attrs.count("text-anchor") ? t.attrs.at("text-anchor") : "start";
  const double x0 = anchor == "end" ? t.num("x") - w : anchor == "middle" ? t.num("x") - w / 2 : t.num("x");
  return {x0, t.num("y") - 0.75 * size, x0 + w, t.num("y") + 0.2 * size};
}

/// The plot area: the frame rectangle (grey stroke).
Box plot_area(const std::string& svg) {
  for (const auto& r : svg_test::elements(svg, "rect"))
    if (r.attrs.count("stroke") && r.attrs.at("stroke") == "#ccc")
      return {r.num("x"), r.num("y"), r.num("x") + r.num("width"), r.num("y") + r.num("height")};
  throw std::runtime_error("no plot frame");
}
}  // namespace

TEST_SUITE("render::svg::scatter") {
  TEST_CASE("scatter_plot: every point at (x, y) through the drawn axes, inside the plot area") {
    const ScatterInput in = input(2);
    const std::string svg = scatter_plot(in);
    const auto ax = svg_test::axis_map(svg, false, false);
    const auto ay = svg_test::axis_map(svg, true, false);
    CHECK(ay.b < 0);
    const Box area = plot_area(svg);
    const auto points = with_class(svg, "circle", "point");
    REQUIRE(points.size() == 24);
    std::size_t i = 0;
    for (const auto& g : in.groups)
      for (std::size_t j = 0; j < g.x.size(); ++j, ++i) {
        CHECK(std::abs(points[i].num("cx") - ax.px(g.x[j])) < px_tol);
        CHECK(std::abs(points[i].num("cy") - ay.px(g.y[j])) < px_tol);
        // The whole marker inside (the plot area clips): also for x = 0 and x = 55 - k, near ticks.
        const double r = points[i].num("r");
        CHECK(points[i].num("cx") - r >= area.x0);
        CHECK(points[i].num("cx") + r <= area.x1);
        CHECK(points[i].num("cy") - r >= area.y0);
        CHECK(points[i].num("cy") + r <= area.y1);
      }
  }

  TEST_CASE("scatter_plot: legend above the plot, swatches in one column level with their texts") {
    for (const std::size_t groups : {std::size_t{1}, std::size_t{2}, std::size_t{5}}) {
      CAPTURE(groups);
      const std::string svg = scatter_plot(input(groups));
      const Box area = plot_area(svg);
      const auto keys = with_class(svg, "rect", "legend-key");
      const auto texts = with_class(svg, "text", "annotation");
      REQUIRE(keys.size() == groups);
      REQUIRE(texts.size() == groups);
      for (std::size_t k = 0; k < groups; ++k) {
        CAPTURE(k);
        const double size = texts[k].num("font-size");
        // The swatch's centre on the middle of the capitals; one column; the text just right of it.
        const double key_mid = keys[k].num("y") + keys[k].num("height") / 2;
        CHECK(key_mid == doctest::Approx(texts[k].num("y") - 0.35 * size).epsilon(1e-6));
        CHECK(keys[k].num("x") == doctest::Approx(keys[0].num("x")));
        CHECK(texts[k].num("x") == doctest::Approx(texts[0].num("x")));
        CHECK(texts[k].attrs.count("text-anchor") == 0);  // left-aligned
        CHECK(texts[k].num("x") > keys[k].num("x") + keys[k].num("width"));
        CHECK(texts[k].num("x") - (keys[k].num("x") + keys[k].num("width")) < size);
        // Above the plot area: no point or band can lie under it.
        const Box box = text_box(texts[k]);
        CHECK(box.y1 <= area.y0);
        CHECK(keys[k].num("y") + keys[k].num("height") <= area.y0);
        // Lines do not overlap each other.
        if (k > 0) CHECK(text_box(texts[k - 1]).y1 <= box.y0);
      }
    }
  }

  TEST_CASE("scatter_plot: every text inside the document, long group names shortened") {
    ScatterInput in = input(5);
    in.groups[2].name = "sham acupuncture at non-acupoints with superficial needling, as in the protocol of 2019";
    const std::string svg = scatter_plot(in);
    for (const auto& t : svg_test::elements(svg, "text")) {
      CAPTURE(t.content);
      const Box b = text_box(t);
      if (t.has_class("axis-title") && t.content == in.y_label) continue;  // rotated; see below
      CHECK(b.x0 >= 0);
      CHECK(b.x1 <= 640);
      CHECK(b.y0 >= 0);
      CHECK(b.y1 <= 480);
    }
    const auto texts = with_class(svg, "text", "annotation");
    REQUIRE(texts.size() == 5);
    CHECK(texts[2].content.find("sham acupuncture at") == 0);
    CHECK(texts[2].content.find("…: r = -0.62") != std::string::npos);
    // The rotated y title: its baseline right of the document's left edge by at least its size.
    const auto titles = with_class(svg, "text", "axis-title");
    REQUIRE(titles.size() == 2);
    const auto& y_title = titles[1];
    CHECK(y_title.num("x") - y_title.num("font-size") >= 0);
    CHECK(y_title.num("x") < with_class(svg, "text", "tick-label").back().num("x"));
  }
}
