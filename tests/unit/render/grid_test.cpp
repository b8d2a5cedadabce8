// render::Grid: aligned text, Markdown, and CSV that trialstats' own reader reads back cell for cell,
// with formula-injection escaping of text cells (OWASP "CSV Injection").
#include <doctest/doctest.h>

#include <string>

#include "trialstats/io/csv.hpp"
#include "trialstats/render/grid.hpp"

using namespace trialstats::render;

TEST_SUITE("render::grid") {

TEST_CASE("to_text: text left, numbers right, two spaces between columns, no trailing blanks") {
  const Grid g{.header = {"study", "yi", "note"},
               .rows = {{{"Aronson", false}, {"-0.8893", true}, {"", false}},
                        {{"Lee", false}, {"1.5", true}, {"x", false}}}};
  CHECK(to_text(g) ==
        "study         yi  note\n"
        "Aronson  -0.8893\n"
        "Lee          1.5  x\n");
}

TEST_CASE("to_text: width counts characters, not bytes; line breaks inside a cell stay on one line") {
  const Grid g{.header = {"name", "n"}, .rows = {{{"Zürich", false}, {"1", true}}, {{"a\nb\tc", false}, {"22", true}}}};
  CHECK(to_text(g) ==
        "name      n\n"
        "Zürich    1\n"
        "a\\nb\\tc  22\n");
}

TEST_CASE("to_markdown: a header rule with right-aligned number columns, pipes escaped") {
  const Grid g{.header = {"study", "yi"}, .rows = {{{"A|B", false}, {"0.5", true}}, {{"two\nlines", false}, {"1", true}}}};
  CHECK(to_markdown(g) ==
        "| study | yi |\n"
        "| --- | ---: |\n"
        "| A\\|B | 0.5 |\n"
        "| two lines | 1 |\n");
}

TEST_CASE("csv_field: quoting and formula escaping") {
  CHECK(csv_field({"plain", false}) == "plain");
  CHECK(csv_field({"a,b", false}) == "\"a,b\"");
  CHECK(csv_field({"say \"hi\"", false}) == "\"say \"\"hi\"\"\"");
  CHECK(csv_field({"two\nlines", false}) == "\"two\nlines\"");
  CHECK(csv_field({" padded", false}) == "\" padded\"");
  // Text that a spreadsheet would run as a formula gets a leading single quote.
  CHECK(csv_field({"=HYPERLINK(\"x\")", false}) == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(csv_field({"+1+2", false}) == "'+1+2");
  CHECK(csv_field({"-2+3", false}) == "'-2+3");
  CHECK(csv_field({"@SUM(A1)", false}) == "'@SUM(A1)");
  CHECK(csv_field({"\tx", false}) == "'\tx");
  CHECK(csv_field({"\rx", false}) == "\"'\rx\"");
  // Numbers are never escaped: numeric cells, and text cells that are a plain number.
  CHECK(csv_field({"-0.8893", true}) == "-0.8893");
  CHECK(csv_field({"-1e-05", true}) == "-1e-05");
  CHECK(csv_field({"-1.5", false}) == "-1.5");
  CHECK(csv_field({"+2", false}) == "+2");
  CHECK(csv_field({"-", false}) == "'-");
}

TEST_CASE("to_csv: what parse_csv reads back is the same cells") {
  const Grid g{.header = {"study", "yi", "note, with comma"},
               .rows = {{{"Smith, J", false}, {"-0.25", true}, {"said \"no\"", false}},
                        {{"Zürich", false}, {"1e-05", true}, {"two\nlines", false}},
                        {{" padded ", false}, {"3", true}, {"plain", false}},
                        {{"-1.5", false}, {"-4", true}, {"", false}}}};
  const std::string csv = to_csv(g);
  const trialstats::io::Table t = trialstats::io::parse_csv(csv, "round-trip.csv");
  REQUIRE(t.cols() == 3);
  REQUIRE(t.rows() == g.rows.size());
  CHECK(t.names() == g.header);
  for (std::size_t r = 0; r < g.rows.size(); ++r) {
    for (std::size_t c = 0; c < 3; ++c) {
      CAPTURE(r);
      CAPTURE(c);
      const auto& column = t.columns()[c];
      if (g.rows[r][c].text.empty()) {
        CHECK(column.is_missing(r));
      } else if (g.rows[r][c].numeric) {
        CHECK(column.number(r) == std::stod(g.rows[r][c].text));
      } else {
        CHECK(column.text(r) == g.rows[r][c].text);
      }
    }
  }
}

TEST_CASE("to_csv: formula-escaped cells read back with their leading quote, never as formulas") {
  const Grid g{.header = {"label"}, .rows = {{{"=1+1", false}}, {{"@cmd", false}}}};
  CHECK(to_csv(g) == "label\n'=1+1\n'@cmd\n");
  const auto t = trialstats::io::parse_csv(to_csv(g), "f.csv");
  CHECK(t.column("label").text(0) == "'=1+1");
  CHECK(t.column("label").text(1) == "'@cmd");
}

}  // TEST_SUITE
