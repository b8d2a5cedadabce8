// render::render_describe in each format, from a summary built by hand.
#include <doctest/doctest.h>

#include <limits>

#include <nlohmann/json.hpp>

#include "trialstats/render/describe.hpp"

using namespace trialstats;
using namespace trialstats::render;

namespace {

io::TableSummary example() {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  io::ColumnSummary study;
  study.name = "study";
  study.type = io::ColumnType::text;
  study.present = 2;
  study.min = study.max = nan;
  study.first_values = {"Smith, J", "Lee"};
  io::ColumnSummary vi;
  vi.name = "vi";
  vi.type = io::ColumnType::text;
  vi.present = 2;
  vi.numbers = 1;
  vi.min = vi.max = 0.25;
  vi.first_values = {"0.25", "n/a"};
  vi.first_text = "n/a";
  vi.first_text_pos = SourcePos{"t.csv", 3, 8};
  return {.source = "t.csv", .rows = 2, .columns = {study, vi}};
}

}  // namespace

TEST_SUITE("render::describe") {

TEST_CASE("render_describe: text has provenance, a legend, the grid and a note for a mixed column") {
  const std::string out = render_describe(example(), {.format = OutputFormat::text, .digits = 4, .provenance = "trialstats describe t.csv"});
  CHECK(out ==
        "# trialstats describe t.csv\n"
        "# t.csv: 2 rows, 2 columns; min and max of the numbers, the first values of text columns\n"
        "column  type  present  missing   min   max  first values\n"
        "study   text        2        0              Smith, J; Lee\n"
        "vi      text        2        0  0.25  0.25  0.25; n/a\n"
        "# column 'vi' is text: 1 of 2 present cells are numbers; the first text cell is \"n/a\" (t.csv:3:8)\n");
}

TEST_CASE("render_describe: CSV is the grid after the provenance line") {
  const std::string out = render_describe(example(), {.format = OutputFormat::csv, .digits = 4, .provenance = "p"});
  CHECK(out ==
        "# p\n"
        "column,type,present,missing,min,max,first values\n"
        "study,text,2,0,,,\"Smith, J; Lee\"\n"
        "vi,text,2,0,0.25,0.25,0.25; n/a\n");
}

TEST_CASE("render_describe: JSON has null for absent values and the first text cell's position") {
  const auto j = nlohmann::json::parse(render_describe(example(), {.format = OutputFormat::json, .digits = 4, .provenance = ""}));
  CHECK(j["analysis"] == "describe");
  CHECK(j["input"]["rows"] == 2);
  CHECK(j["columns"][0]["min"].is_null());
  CHECK(j["columns"][0]["first_text"].is_null());
  CHECK(j["columns"][1]["min"] == 0.25);
  CHECK(j["columns"][1]["first_text"]["text"] == "n/a");
  CHECK(j["columns"][1]["first_text"]["line"] == 3);
  CHECK(j["columns"][1]["first_text"]["column"] == 8);
  CHECK(j["warnings"].empty());
}

TEST_CASE("render_describe: Markdown has no provenance line") {
  const std::string out = render_describe(example(), {.format = OutputFormat::md, .digits = 4, .provenance = "p"});
  CHECK(out.rfind("| column | type |", 0) == 0);
  CHECK(out.find("\ncolumn 'vi' is text") != std::string::npos);
}

}  // TEST_SUITE
