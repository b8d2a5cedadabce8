// Table, Column and ColumnRoles: lookups by name with "did you mean", the errors of Column::number
// at the cell, and the compact position storage.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "trialstats/io/csv.hpp"
#include "trialstats/io/table.hpp"

using trialstats::InputError;
using namespace trialstats::io;

TEST_SUITE("io::table") {

TEST_CASE("Table::find and Table::column look columns up by exact name") {
  const Table t = parse_csv("study,yi,vi\nA,1,2\n", "t.csv");
  CHECK(t.find("yi") == &t.columns()[1]);
  CHECK(t.find("YI") == nullptr);
  CHECK(t.find("") == nullptr);
  CHECK(&t.column("vi") == &t.columns()[2]);
}

TEST_CASE("Table::column: a near miss gets a 'did you mean', a far one the list of columns") {
  const Table t = parse_csv("study,yi,vi,tpos,cpos_total\nA,1,2,3,4\n", "t.csv");
  CHECK_THROWS_WITH_AS((void)t.column("Study"), "t.csv:1: no column 'Study'; did you mean 'study'?", InputError);
  CHECK_THROWS_WITH_AS((void)t.column("tpso"), "t.csv:1: no column 'tpso'; did you mean 'tpos'?", InputError);
  CHECK_THROWS_WITH_AS((void)t.column("cpos_totl"), "t.csv:1: no column 'cpos_totl'; did you mean 'cpos_total'?",
                       InputError);
  CHECK_THROWS_WITH_AS((void)t.column("weight"),
                       "t.csv:1: no column 'weight' (columns: study, yi, vi, tpos, cpos_total)", InputError);
  try {
    (void)t.column("sei");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.pos().line == 1);
    CHECK(e.pos().column == 0);
    CHECK(e.message() == "no column 'sei' (columns: study, yi, vi, tpos, cpos_total)");
  }
}

TEST_CASE("Column::number: a missing cell and a text cell are errors at the cell") {
  const Table t = parse_csv("study;vi\nA;0.1\nB;\nC;abc\nD;1,5\n", "t.csv");
  const Column& vi = t.column("vi");
  CHECK(vi.number(0) == 0.1);
  CHECK_THROWS_WITH_AS((void)vi.number(1), "t.csv:3:3: column 'vi': the value is missing", InputError);
  CHECK_THROWS_WITH_AS((void)vi.number(2), "t.csv:4:3: column 'vi': expected a number, got \"abc\"", InputError);
  CHECK_THROWS_WITH_AS(
      (void)vi.number(3),
      "t.csv:5:3: column 'vi': expected a number, got \"1,5\" (write decimals with a point: numbers are read in the C locale)",
      InputError);
  CHECK(vi.is_missing(1));
  CHECK_FALSE(vi.is_missing(2));
  CHECK(std::isnan(vi.numbers()[2]));
}

TEST_CASE("Column::text gives numbers in their shortest round-trip form") {
  const Table t = parse_csv("x\n0.1\n-2.50\n1e-5\n\n123456789\n", "t.csv");
  const Column& x = t.column("x");
  CHECK(x.text(0) == "0.1");
  CHECK(x.text(1) == "-2.5");
  CHECK(x.text(2) == "1e-05");
  CHECK(x.text(3) == "123456789");
}

TEST_CASE("Column: positions widen past 65534 and line exceptions stay with their rows") {
  auto file = std::make_shared<const std::string>("f.csv");
  auto lines = std::make_shared<std::vector<std::uint32_t>>(std::vector<std::uint32_t>{2, 3, 4});
  Column c("x", file, lines);
  c.push_number(1, 5);
  c.push_missing(65534);
  c.push_text("t", 70000);
  c.set_last_line(9);
  CHECK(c.size() == 3);
  CHECK(c.pos(0).column == 5);
  CHECK(c.pos(1).column == 65534);
  CHECK(c.pos(2).column == 70000);
  CHECK(c.pos(0).line == 2);
  CHECK(c.pos(1).line == 3);
  CHECK(c.pos(2).line == 9);
  CHECK(c.pos(2).file == "f.csv");
  CHECK(c.text(0) == "1");
  CHECK(c.is_missing(1));
  CHECK(c.text(2) == "t");
}

TEST_CASE("ColumnRoles: ROLE=NAME maps a role; unmapped roles keep their own name") {
  const Table t = parse_csv("trial,effect,var\nA,1,2\n", "t.csv");
  const ColumnRoles roles({"yi=effect", "vi=var"});
  CHECK(roles.name("yi") == "effect");
  CHECK(roles.name("study") == "study");
  CHECK(roles.find(t, "yi") == t.find("effect"));
  CHECK(roles.find(t, "study") == nullptr);
  const ColumnRoles wrong({"vi=varr"});
  CHECK_THROWS_WITH_AS((void)wrong.find(t, "vi"), "t.csv:1: no column 'varr'; did you mean 'var'?", InputError);
}

TEST_CASE("Table::release_positions: the values stay, positions name the file alone, errors too") {
  Table t = parse_csv("id,x,label\n1,2.5,a\n2,NA,b\n", "t.csv");
  t.release_positions();
  CHECK(t.rows() == 2);
  CHECK(t.column("x").numbers()[0] == 2.5);
  CHECK(t.column("x").is_missing(1));
  CHECK(t.column("label").text(1) == "b");
  CHECK(t.line(0) == 0);
  CHECK(t.column("x").pos(1).line == 0);
  CHECK(t.column("x").pos(1).file == "t.csv");
  CHECK_THROWS_WITH_AS((void)t.column("x").number(1), "t.csv: column 'x': the value is missing", InputError);
}

}  // TEST_SUITE
