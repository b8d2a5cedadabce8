// The SVG writer: escaping, numbers, text widths, element output.
#include <doctest/doctest.h>

#include <cmath>

#include "trialstats/render/svg/svg.hpp"

using namespace trialstats::render::svg;

TEST_SUITE("render::svg::writer") {
  TEST_CASE("escape: the five XML special characters") {
    CHECK(escape("a < b & c > d \"e\" 'f'") == "a &lt; b &amp; c &gt; d &quot;e&quot; &apos;f&apos;");
    CHECK(escape("Ferguson & Simes") == "Ferguson &amp; Simes");
    CHECK(escape("τ² plain") == "τ² plain");
  }

  TEST_CASE("num: at most 3 decimals, no trailing zeros, never -0") {
    CHECK(num(12.5) == "12.5");
    CHECK(num(12.0) == "12");
    CHECK(num(1.0 / 3) == "0.333");
    CHECK(num(-0.0001) == "0");
    CHECK(num(-2.0005) == "-2.001");
    CHECK(num(NAN) == "0");
  }

  TEST_CASE("text_width: grows with the text and the font size; wide and narrow letters") {
    CHECK(text_width("", 12) == 0);
    CHECK(text_width("WWW", 12) > text_width("iii", 12) * 3);
    CHECK(text_width("Aronson", 24) == doctest::Approx(2 * text_width("Aronson", 12)));
    CHECK(text_width("Aronson", 12, true) > text_width("Aronson", 12));
    // A non-ASCII character counts once, not once per byte.
    CHECK(text_width("τ", 10) == doctest::Approx(text_width("x", 10) * 600 / 500));
    // Helvetica's digits are 0.556 em; with the headroom factor 1.08.
    CHECK(text_width("0", 10) == doctest::Approx(5.56 * 1.08));
  }

  TEST_CASE("Document: elements in order, text escaped, size and viewBox") {
    Document doc(200, 100.5);
    doc.line(0, 1, 2, 3, "stroke=\"#000\"");
    doc.rect(1, 2, 3, 4);
    doc.text(10, 20, "A & B", {.size = 11, .anchor = Anchor::end, .bold = true, .cls = "label"});
    doc.begin_group("class=\"g\"");
    doc.circle(5, 6, 2);
    doc.end_group();
    const std::string s = doc.str();
    CHECK(s.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" "
                  "height=\"100.5\" viewBox=\"0 0 200 100.5\"",
                  0) == 0);
    CHECK(s.find("<line x1=\"0\" y1=\"1\" x2=\"2\" y2=\"3\" stroke=\"#000\"/>") != std::string::npos);
    CHECK(s.find("<text x=\"10\" y=\"20\" font-size=\"11\" text-anchor=\"end\" font-weight=\"bold\" class=\"label\">A "
                 "&amp; B</text>") != std::string::npos);
    CHECK(s.find("  <g class=\"g\">\n    <circle cx=\"5\" cy=\"6\" r=\"2\"/>\n  </g>\n") != std::string::npos);
    CHECK(s.find("sans-serif") != std::string::npos);
    CHECK(s.size() - s.rfind("</svg>\n") == 7);
  }
}
