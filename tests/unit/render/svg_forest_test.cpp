// Forest plot geometry, read back from the SVG text: rows, markers through the drawn axis,
// diamond, prediction interval, no-effect line, MCID region, column layout, subgroups.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "trialstats/meta/model.hpp"
#include "trialstats/meta/subgroup.hpp"
#include "trialstats/render/svg/forest.hpp"
#include "trialstats/render/svg/svg.hpp"
#include "trialstats/stats/distributions.hpp"
#include "unit/render/svg_parse.hpp"

using namespace trialstats;
using render::svg::forest_plot;
using render::svg::ForestOptions;
using svg_test::with_class;

namespace {

// Log risk ratios and variances of the BCG trials (Colditz et al. 1994), as metafor's escalc gives them.
const std::vector<double> bcg_yi = {-0.8893113, -1.5853887, -1.3480731, -1.4415512, -0.2175473, -0.7861156, -1.6208982,
                                    0.0119523,  -0.4694176, -1.3713448, -0.3393588, 0.4459134,  -0.0173177};
const std::vector<double> bcg_vi = {0.3255848, 0.1945811, 0.4153717, 0.0200100, 0.0512101, 0.0069039, 0.2230172,
                                    0.0039626, 0.0564342, 0.0730248, 0.0124874, 0.5325058, 0.0714047};

render::PoolReport report(std::vector<double> yi, std::vector<double> vi, bool ratio) {
  render::PoolReport r;
  r.measure = ratio ? "RR" : "SMD";
  r.method = "REML";
  r.yi = std::move(yi);
  r.vi = std::move(vi);
  for (std::size_t i = 0; i < r.yi.size(); ++i) r.study.push_back("Study " + std::to_string(i + 1));
  r.fit = meta::pool(r.yi, r.vi);
  if (ratio)
    r.transformed = render::BackTransformed{"ratio",
                                            std::exp(r.fit.estimate),
                                            {std::exp(r.fit.ci.lower), std::exp(r.fit.ci.upper)},
                                            {std::exp(r.fit.pi.lower), std::exp(r.fit.pi.upper)}};
  return r;
}

constexpr double px_tol = 0.01;

}  // namespace

TEST_SUITE("render::svg::forest") {
  TEST_CASE("forest_plot: one row per study, labels in order") {
    const auto r = report(bcg_yi, bcg_vi, true);
    const std::string svg = forest_plot(r);
    const auto rows = svg_test::elements(svg, "g");
    const auto labels = with_class(svg, "text", "study-label");
    REQUIRE(labels.size() == r.yi.size());
    for (std::size_t i = 0; i < labels.size(); ++i) CHECK(labels[i].content == r.study[i]);
    CHECK(with_class(svg, "rect", "box").size() == r.yi.size());
    CHECK(with_class(svg, "line", "ci").size() == r.yi.size());
    // Rows go down the page at equal steps.
    for (std::size_t i = 2; i < labels.size(); ++i)
      CHECK(labels[i].num("y") - labels[i - 1].num("y") == doctest::Approx(labels[1].num("y") - labels[0].num("y")));
  }

  TEST_CASE("forest_plot: squares and CI lines map back to the values through the drawn log axis") {
    const auto r = report(bcg_yi, bcg_vi, true);
    const std::string svg = forest_plot(r);
    const auto axis = svg_test::axis_map(svg, false, true);
    const auto boxes = with_class(svg, "rect", "box");
    const auto cis = with_class(svg, "line", "ci");
    const auto labels = with_class(svg, "text", "study-label");
    REQUIRE(boxes.size() == r.yi.size());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      const double cx = boxes[i].num("x") + boxes[i].num("width") / 2;
      CHECK(std::abs(cx - axis.px(r.yi[i])) < px_tol);
      CHECK(std::abs(cis[i].num("x1") - axis.px(r.fit.study_ci[i].lower)) < px_tol);
      CHECK(std::abs(cis[i].num("x2") - axis.px(r.fit.study_ci[i].upper)) < px_tol);
      // The square sits on its CI line, and the line is in the row of its label.
      const double cy = boxes[i].num("y") + boxes[i].num("height") / 2;
      CHECK(std::abs(cy - cis[i].num("y1")) < px_tol);
      CHECK(std::abs(labels[i].num("y") - cy) < 12);
      CHECK(boxes[i].num("width") == doctest::Approx(boxes[i].num("height")));
    }
  }

  TEST_CASE("forest_plot: square areas are proportional to the weights") {
    const auto r = report(bcg_yi, bcg_vi, true);
    const auto boxes = with_class(forest_plot(r), "rect", "box");
    const std::size_t heaviest =
        static_cast<std::size_t>(std::max_element(r.fit.weights.begin(), r.fit.weights.end()) - r.fit.weights.begin());
    const double a0 = std::pow(boxes[heaviest].num("width"), 2);
    for (std::size_t i = 0; i < boxes.size(); ++i)
      CHECK(std::pow(boxes[i].num("width"), 2) / a0 ==
            doctest::Approx(r.fit.weights[i] / r.fit.weights[heaviest]).epsilon(1e-3));
  }

  TEST_CASE("forest_plot: the diamond's centre is the estimate and its tips the CI") {
    const auto r = report(bcg_yi, bcg_vi, true);
    const std::string svg = forest_plot(r);
    const auto axis = svg_test::axis_map(svg, false, true);
    const auto diamonds = with_class(svg, "polygon", "diamond");
    REQUIRE(diamonds.size() == 1);
    const auto p = svg_test::points(diamonds[0]);
    REQUIRE(p.size() == 4);
    CHECK(std::abs(p[0].x - axis.px(r.fit.ci.lower)) < px_tol);
    CHECK(std::abs(p[2].x - axis.px(r.fit.ci.upper)) < px_tol);
    CHECK(std::abs(p[1].x - axis.px(r.fit.estimate)) < px_tol);
    CHECK(std::abs(p[3].x - axis.px(r.fit.estimate)) < px_tol);
    CHECK(p[0].y == doctest::Approx(p[2].y));
    CHECK((p[1].y + p[3].y) / 2 == doctest::Approx(p[0].y));
    // The prediction interval bar below it.
    const auto pi = with_class(svg, "line", "pi");
    REQUIRE(pi.size() == 1);
    CHECK(std::abs(pi[0].num("x1") - axis.px(r.fit.pi.lower)) < px_tol);
    CHECK(std::abs(pi[0].num("x2") - axis.px(r.fit.pi.upper)) < px_tol);
    CHECK(pi[0].num("y1") > p[3].y);
  }

  TEST_CASE("forest_plot: a log axis in ratio units maps 1 to the no-effect line") {
    const auto r = report(bcg_yi, bcg_vi, true);
    const std::string svg = forest_plot(r);
    const auto line = with_class(svg, "line", "no-effect");
    REQUIRE(line.size() == 1);
    bool found = false;
    std::vector<std::string> labels;
    for (const auto& t : with_class(svg, "line", "tick")) {
      labels.push_back(t.attrs.at("data-label"));
      if (t.attrs.at("data-label") == "1") {
        found = true;
        CHECK(std::abs(t.num("x1") - line[0].num("x1")) < px_tol);
      }
    }
    CHECK(found);
    // 1-2-5 ticks in ratio units around the data (RR from about 0.08 to 6.5).
    CHECK(labels == std::vector<std::string>{"0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"});
    CHECK(svg.find("Risk Ratio (log scale)") != std::string::npos);
    // The numeric column shows ratios.
    const auto est = with_class(svg, "text", "estimate");
    CHECK(est[0].content == "0.41 [0.13, 1.26]");
  }

  TEST_CASE("forest_plot: a ratio that rounds to 0 is shown to its first significant digit, never as 0.00") {
    // Study 1: ratio 0.02 with CI lower bound 0.002 (zero-cell studies give such intervals).
    const double se = (std::log(0.02) - std::log(0.002)) / stats::normal_critical(0.95);
    const auto r = report({std::log(0.02), std::log(0.7), std::log(0.8)}, {se * se, 0.04, 0.02}, true);
    const auto texts = with_class(forest_plot(r), "text", "estimate");
    REQUIRE(texts.size() >= 3);
    CHECK(texts[0].content == "0.02 [0.002, 0.20]");
    CHECK(texts[1].content.find("0.70 [") == 0);  // the usual decimals elsewhere
    for (const auto& t : texts) CHECK(t.content.find("0.00,") == std::string::npos);
  }

  TEST_CASE("forest_plot: a difference measure has a linear axis with no effect at 0") {
    const auto r = report({0.2, 0.5, -0.1, 0.35}, {0.04, 0.09, 0.05, 0.02}, false);
    const std::string svg = forest_plot(r);
    const auto axis = svg_test::axis_map(svg, false, false);
    const auto line = with_class(svg, "line", "no-effect");
    CHECK(std::abs(line[0].num("x1") - axis.px(0)) < px_tol);
    const auto boxes = with_class(svg, "rect", "box");
    for (std::size_t i = 0; i < boxes.size(); ++i)
      CHECK(std::abs(boxes[i].num("x") + boxes[i].num("width") / 2 - axis.px(r.yi[i])) < px_tol);
    CHECK(svg.find("(log scale)") == std::string::npos);
  }

  TEST_CASE("forest_plot: the MCID region spans the given interval") {
    const auto r = report(bcg_yi, bcg_vi, true);
    const std::string svg = forest_plot(r, {.mcid = Interval{std::log(0.8), -std::log(0.8)}});
    const auto axis = svg_test::axis_map(svg, false, true);
    const auto band = with_class(svg, "rect", "mcid");
    REQUIRE(band.size() == 1);
    CHECK(std::abs(band[0].num("x") - axis.px(std::log(0.8))) < px_tol);
    CHECK(std::abs(band[0].num("x") + band[0].num("width") - axis.px(-std::log(0.8))) < px_tol);
  }

  TEST_CASE("forest_plot: long labels widen the label column instead of running into the plot") {
    auto r = report(bcg_yi, bcg_vi, true);
    r.study[3] = "A very long study label that would run into the plot, Hart & Sutherland (1977)";
    const std::string svg = forest_plot(r, {.columns = {{"Year", std::vector<std::string>(13, "1977")}}});
    const auto labels = with_class(svg, "text", "study-label");
    const auto column = with_class(svg, "text", "column");
    const double label_end = labels[3].num("x") + render::svg::text_width(r.study[3], 12);
    CHECK(label_end < column[3].num("x"));
    const auto ticks = with_class(svg, "line", "tick");
    CHECK(column[3].num("x") + render::svg::text_width("1977", 12) < ticks.front().num("x1"));
    // The escaped ampersand.
    CHECK(svg.find("Hart &amp; Sutherland") != std::string::npos);
    // The numeric column starts right of the plot.
    const auto est = with_class(svg, "text", "estimate");
    CHECK(est[0].num("x") - render::svg::text_width(est[0].content, 12) > ticks.back().num("x1"));
  }

  TEST_CASE("forest_plot: heterogeneity, overall test and favours labels") {
    const auto r = report(bcg_yi, bcg_vi, true);
    const std::string svg = forest_plot(r, {.favours_left = "Favours vaccine", .favours_right = "Favours control"});
    const auto footer = with_class(svg, "text", "footer");
    REQUIRE(footer.size() == 2);
    CHECK(footer[0].content == "Heterogeneity: τ² = 0.31; I² = 92%; Q = 152.22, df = 12, p < 0.001");
    CHECK(footer[1].content == "Test for overall effect: z = -3.97, p < 0.001");
    const auto favours = with_class(svg, "text", "favours");
    const auto line = with_class(svg, "line", "no-effect");
    REQUIRE(favours.size() == 2);
    CHECK(favours[0].num("x") < line[0].num("x1"));
    CHECK(favours[0].attrs.at("text-anchor") == "end");
    CHECK(favours[1].num("x") > line[0].num("x1"));
  }

  TEST_CASE("forest_plot: a left favours label wider than the room left of no effect shifts the plot") {
    const auto r = report({0.1, 0.3}, {0.01, 0.02}, false);
    const std::string label(60, 'W');
    const std::string svg = forest_plot(r, {.favours_left = label});
    const auto favours = with_class(svg, "text", "favours");
    CHECK(favours[0].num("x") - render::svg::text_width("← " + label, 10.5) >= 12 - px_tol);
  }

  TEST_CASE("forest_plot: subgroup blocks with their own diamonds") {
    const auto r = report(bcg_yi, bcg_vi, true);
    ForestOptions o;
    std::vector<std::size_t> a = {0, 1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12};
    auto sub = [&](const std::vector<std::size_t>& idx) {
      std::vector<double> y, v;
      for (auto i : idx) y.push_back(r.yi[i]), v.push_back(r.vi[i]);
      return meta::pool(y, v);
    };
    o.subgroups = {{"alloc = random", a, sub(a)}, {"alloc = other", b, sub(b)}};
    o.subgroup_test = meta::ChiSquareTest{1.5, 1, 0.22};
    const std::string svg = forest_plot(r, o);
    const auto axis = svg_test::axis_map(svg, false, true);
    const auto headings = with_class(svg, "text", "subgroup-heading");
    REQUIRE(headings.size() == 2);
    CHECK(headings[1].content == "alloc = other");
    const auto diamonds = with_class(svg, "polygon", "diamond");
    REQUIRE(diamonds.size() == 3);
    for (std::size_t g = 0; g < 2; ++g) {
      const auto p = svg_test::points(diamonds[g]);
      CHECK(std::abs(p[1].x - axis.px(o.subgroups[g].fit.estimate)) < px_tol);
      CHECK(std::abs(p[0].x - axis.px(o.subgroups[g].fit.ci.lower)) < px_tol);
      CHECK(std::abs(p[2].x - axis.px(o.subgroups[g].fit.ci.upper)) < px_tol);
    }
    // Study rows in block order: the second block's first study below the first block's diamond.
    const auto labels = with_class(svg, "text", "study-label");
    REQUIRE(labels.size() == 13);
    CHECK(labels[7].num("y") > svg_test::points(diamonds[0])[0].y);
    CHECK(with_class(svg, "text", "note").size() == 2);
    CHECK(with_class(svg, "text", "footer").back().content ==
          "Test for subgroup differences: Q = 1.50, df = 1, p = 0.220");
  }

  TEST_CASE("forest_plot: subgroup squares sized by the overall weights (default) or the subgroup's own") {
    const auto r = report(bcg_yi, bcg_vi, true);
    ForestOptions o;
    const std::vector<std::size_t> a = {0, 1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12};
    auto sub = [&](const std::vector<std::size_t>& idx) {
      std::vector<double> y, v;
      for (auto i : idx) y.push_back(r.yi[i]), v.push_back(r.vi[i]);
      return meta::pool(y, v);
    };
    o.subgroups = {{"A", a, sub(a)}, {"B", b, sub(b)}};
    // Boxes and weight texts come in drawing order, which here is the input order.
    auto areas = [](const std::string& svg) {
      std::vector<double> out;
      for (const auto& box : with_class(svg, "rect", "box")) out.push_back(std::pow(box.num("width"), 2));
      return out;
    };
    {
      const std::string svg = forest_plot(r, o);
      const auto area = areas(svg);
      const double max_w = *std::max_element(r.fit.weights.begin(), r.fit.weights.end());
      const double max_a = *std::max_element(area.begin(), area.end());
      REQUIRE(area.size() == 13);
      for (std::size_t i = 0; i < 13; ++i)
        CHECK(area[i] / max_a == doctest::Approx(r.fit.weights[i] / max_w).epsilon(1e-3));
      // Study weights, then the subtotal of block A (the sum of its overall weights), …, then the overall 100%.
      const auto weights = with_class(svg, "text", "weight");
      REQUIRE(weights.size() == 13 + 2 + 1);
      double sum_a = 0;
      for (auto i : a) sum_a += r.fit.weights[i];
      CHECK(weights[7].content == fmt::format("{:.1f}%", sum_a));
      CHECK(weights.back().content == "100.0%");
    }
    {
      o.weights = render::svg::ForestWeights::subgroup;
      const std::string svg = forest_plot(r, o);
      const auto area = areas(svg);
      std::vector<double> own(13);
      for (std::size_t j = 0; j < a.size(); ++j) own[a[j]] = o.subgroups[0].fit.weights[j];
      for (std::size_t j = 0; j < b.size(); ++j) own[b[j]] = o.subgroups[1].fit.weights[j];
      const double max_w = *std::max_element(own.begin(), own.end());
      const double max_a = *std::max_element(area.begin(), area.end());
      for (std::size_t i = 0; i < 13; ++i) CHECK(area[i] / max_a == doctest::Approx(own[i] / max_w).epsilon(1e-3));
      const auto weights = with_class(svg, "text", "weight");
      REQUIRE(weights.size() == 13 + 2);  // each subtotal 100%, no overall weight
      CHECK(weights[0].content == fmt::format("{:.1f}%", own[0]));
      CHECK(weights[7].content == "100.0%");
    }
  }

  TEST_CASE("forest_plot: a common-effect model has no prediction interval and no tau²") {
    auto r = report(bcg_yi, bcg_vi, true);
    r.method = "EE";
    r.fit = meta::pool(r.yi, r.vi, {.method = meta::Tau2Method::ee});
    const std::string svg = forest_plot(r);
    CHECK(with_class(svg, "line", "pi").empty());
    CHECK(svg.find("τ²") == std::string::npos);
    CHECK(svg.find("Common-effect model") != std::string::npos);
  }

  TEST_CASE("forest_plot: studies without an estimate get a row but no marker") {
    auto r = report(bcg_yi, bcg_vi, true);
    r.yi[2] = std::nan("");
    r.fit.study_ci[2] = {std::nan(""), std::nan("")};
    const std::string svg = forest_plot(r);
    CHECK(with_class(svg, "text", "study-label").size() == 13);
    CHECK(with_class(svg, "rect", "box").size() == 12);
    CHECK(with_class(svg, "text", "estimate")[2].content == "NA [NA, NA]");
  }

  TEST_CASE("with_subgroups: one block per level of meta::subgroup_analysis, with its test for differences") {
    const auto r = report(bcg_yi, bcg_vi, true);
    const std::vector<std::string> alloc = {"random",     "alternate",  "random",    "random", "alternate",
                                            "alternate",  "random",     "random",    "random", "systematic",
                                            "systematic", "systematic", "systematic"};
    const auto analysis = meta::subgroup_analysis(r.yi, r.vi, alloc);
    const auto o = render::svg::with_subgroups({}, analysis, "alloc");
    REQUIRE(o.subgroups.size() == analysis.groups.size());
    CHECK(o.subgroups[0].name == "alloc = " + analysis.groups[0].level);
    CHECK(o.subgroup_test->statistic == analysis.separate.statistic);
    const std::string svg = forest_plot(r, o);
    const auto axis = svg_test::axis_map(svg, false, true);
    const auto diamonds = with_class(svg, "polygon", "diamond");
    REQUIRE(diamonds.size() == analysis.groups.size() + 1);
    for (std::size_t g = 0; g < analysis.groups.size(); ++g)
      CHECK(std::abs(svg_test::points(diamonds[g])[1].x - axis.px(analysis.groups[g].fit.estimate)) < px_tol);
    // Every study once, block by block.
    const auto labels = with_class(svg, "text", "study-label");
    CHECK(labels.size() == r.yi.size());
  }
}
