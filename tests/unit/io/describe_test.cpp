// io::describe: counts, ranges, types and first values per column, written by hand from the inputs.
#include <doctest/doctest.h>

#include <cmath>

#include "trialstats/io/csv.hpp"
#include "trialstats/io/describe.hpp"

using trialstats::InputError;
using namespace trialstats::io;

TEST_SUITE("io::describe") {

TEST_CASE("describe: number, text and empty columns") {
  const Table t = parse_csv("study,yi,vi,note\nA,0.5,0.04,\nB,-1.25,n/a,NA\nA,,0.1,\nC,2,0.02,\nD,0,0.3,\n", "t.csv");
  const TableSummary s = describe(t);
  CHECK(s.source == "t.csv");
  CHECK(s.rows == 5);
  REQUIRE(s.columns.size() == 4);

  const ColumnSummary& study = s.columns[0];
  CHECK(study.name == "study");
  CHECK(study.type == ColumnType::text);
  CHECK(study.present == 5);
  CHECK(study.missing == 0);
  CHECK(study.numbers == 0);
  CHECK(std::isnan(study.min));
  CHECK(study.first_values == std::vector<std::string>{"A", "B", "C"});  // distinct, at most 3
  CHECK_FALSE(study.first_text.has_value());

  const ColumnSummary& yi = s.columns[1];
  CHECK(yi.type == ColumnType::number);
  CHECK(yi.present == 4);
  CHECK(yi.missing == 1);
  CHECK(yi.min == -1.25);
  CHECK(yi.max == 2);
  CHECK(yi.first_values.empty());

  const ColumnSummary& vi = s.columns[2];
  CHECK(vi.type == ColumnType::text);
  CHECK(vi.numbers == 4);
  CHECK(vi.min == 0.02);
  CHECK(vi.max == 0.3);
  REQUIRE(vi.first_text.has_value());
  CHECK(*vi.first_text == "n/a");
  CHECK(vi.first_text_pos->line == 3);
  CHECK(vi.first_text_pos->column == 9);
  CHECK(vi.first_values == std::vector<std::string>{"0.04", "n/a", "0.1"});

  const ColumnSummary& note = s.columns[3];
  CHECK(note.type == ColumnType::empty);
  CHECK(note.present == 0);
  CHECK(note.missing == 5);
  CHECK(std::string(type_name(note.type)) == "empty");
}

TEST_CASE("require_numbers: missing cells pass, the first text cell is the error") {
  const Table t = parse_csv("a,b\n1,2\n,x\n3,y\n", "t.csv");
  CHECK_NOTHROW(require_numbers(t.column("a")));
  CHECK_THROWS_WITH_AS(require_numbers(t.column("b")), "t.csv:3:2: column 'b': expected a number, got \"x\"", InputError);
}

}  // TEST_SUITE
