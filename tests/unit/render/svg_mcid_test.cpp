// The clinical-importance plot, read back from the SVG text: the intervals through the drawn
// axis, and the texts under the axis (direction of benefit, note on the shading) apart from each
// other and inside the document, wherever 0 falls on the axis.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "trialstats/clinical/importance.hpp"
#include "trialstats/render/svg/mcid.hpp"
#include "trialstats/render/svg/svg.hpp"
#include "unit/render/svg_parse.hpp"

using namespace trialstats;
using svg_test::with_class;

namespace {
struct Box {
  double x0, x1;
};
Box text_span(const svg_test::Element& t) {
  const double w = render::svg::text_width(t.content, t.num("font-size"));
  const std::string anchor = t.attrs.count("text-anchor") ? t.attrs.at("text-anchor") : "start";
  const double x0 = anchor == "end" ? t.num("x") - w : anchor == "middle" ? t.num("x") - w / 2 : t.num("x");
  return {x0, x0 + w};
}
}  // namespace

TEST_SUITE("render::svg::mcid") {
  TEST_CASE("mcid_plot: benefit label and shading note never overlap, whatever the position of 0") {
    using clinical::Direction;
    struct Case {
      double estimate, se, mcid;
      Direction direction;
    };
    // 0 near the left end of the axis (a large harmful estimate), in the middle, near the right end.
    for (const Case c :
         {Case{25, 12, -3, Direction::lower_is_better}, Case{-2.7, 0.45, -2, Direction::lower_is_better},
          Case{-25, 12, 3, Direction::higher_is_better}, Case{2.7, 0.45, 2, Direction::higher_is_better}}) {
      CAPTURE(c.estimate);
      render::McidReport rep;
      rep.measure = "MD";
      rep.importance = clinical::assess_importance({.estimate = c.estimate, .se = c.se}, {c.mcid, c.direction});
      const std::string svg = render::svg::mcid_plot(rep);
      const auto favours = with_class(svg, "text", "favours");
      const auto note = with_class(svg, "text", "shading-note");
      REQUIRE(favours.size() == 1);
      REQUIRE(note.size() == 1);
      const Box a = text_span(favours[0]), b = text_span(note[0]);
      const bool same_line = std::abs(favours[0].num("y") - note[0].num("y")) < favours[0].num("font-size");
      CHECK((!same_line || a.x1 <= b.x0 || b.x1 <= a.x0));
      for (const Box& box : {a, b}) {
        CHECK(box.x0 >= 0);
        CHECK(box.x1 <= 720);
      }
      // The estimate's diamond through the drawn axis.
      const auto axis = svg_test::axis_map(svg, false, false);
      const auto diamond = svg_test::points(with_class(svg, "polygon", "estimate").at(0));
      CHECK(diamond[1].x == doctest::Approx(axis.px(c.estimate)).epsilon(1e-4));
    }
  }
}
