#include <cmath>
#include <string>

#include <doctest/doctest.h>

#include "trialstats/effect/continuous.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/effect_table.hpp"

using namespace trialstats;
using namespace trialstats::effect;
using trialstats::io::ColumnRoles;
using trialstats::io::effects_from_table;
using trialstats::io::parse_csv;

namespace {
const char* const two_groups =
    "study,m1i,sd1i,n1i,m2i,sd2i,n2i\n"
    "A,55,47,155,75,64,156\n"
    "B,27,7,31,29,4,32\n"
    "C,64,17,75,119,29,71\n";
}

TEST_SUITE("io::effect_table") {
  TEST_CASE("effects_from_table: computes every row with the study labels") {
    const auto t = parse_csv(two_groups, "t.csv");
    const auto e = effects_from_table(t, ColumnRoles({}), {.measure = Measure::smd});
    CHECK(e.study == std::vector<std::string>{"A", "B", "C"});
    CHECK(e.rows == std::vector<std::size_t>{0, 1, 2});
    CHECK(e.dropped.empty());
    CHECK(e.warnings.empty());
    CHECK(e.yi[1] == standardized_mean_difference({27, 7, 31, 29, 4, 32}).yi);
    CHECK(e.measure == Measure::smd);
  }

  TEST_CASE("effects_from_table: a missing column is an error at the header listing every needed column") {
    const auto t = parse_csv("m1i,sd1i,n1i,m2i,n2i\n1,2,3,4,5\n", "t.csv");
    CHECK_THROWS_WITH_AS(
        (void)effects_from_table(t, ColumnRoles({}), {.measure = Measure::smd}),
        "t.csv:1: measure SMD needs columns m1i, sd1i, n1i, m2i, sd2i, n2i; missing: sd2i (map one with --col sd2i=NAME)",
        InputError);
    CHECK_THROWS_WITH_AS((void)effects_from_table(t, ColumnRoles({}), {.measure = Measure::rr}),
                         "t.csv:1: measure RR needs columns ai, bi, ci, di (or ai, n1i, ci, n2i); missing: ai, bi, ci, "
                         "di (map one with --col ai=NAME)",
                         InputError);
    // A role mapped to a column that does not exist is an error too (from the table, with a suggestion).
    CHECK_THROWS_AS((void)effects_from_table(t, ColumnRoles({"sd2i=sd_2"}), {.measure = Measure::smd}), InputError);
  }

  TEST_CASE("effects_from_table: a bad value is an error at its cell naming the column and the role") {
    const auto t = parse_csv("study,m1i,sd1i,n1i,m2i,sdc,n2i\nA,1,2,10,1,2,10\nB,1,2,10,1,-3,10\n", "t.csv");
    CHECK_THROWS_WITH_AS((void)effects_from_table(t, ColumnRoles({"sd2i=sdc"}), {.measure = Measure::md}),
                         "t.csv:3:12: column 'sdc' (sd2i): MD: sd2i is -3, but must be non-negative", InputError);
    const auto r = parse_csv("ai,n1i,ci,n2i\n3,10,2,10\n12,10,2,10\n", "r.csv");
    CHECK_THROWS_WITH_AS((void)effects_from_table(r, ColumnRoles({}), {.measure = Measure::or_}),
                         "r.csv:3:1: column 'ai': 2x2 table: ai is 12, but must be at most n1i = 10", InputError);
    const auto text = parse_csv("ri,ni\n0.3,20\nhigh,30\n", "c.csv");
    CHECK_THROWS_WITH_AS((void)effects_from_table(text, ColumnRoles({}), {.measure = Measure::cor}),
                         "c.csv:3:1: column 'ri': expected a number, got \"high\"", InputError);
    const auto r2 = parse_csv("ri,ni\n0.3,20\n1.3,30\n", "c.csv");
    CHECK_THROWS_WITH_AS((void)effects_from_table(r2, ColumnRoles({}), {.measure = Measure::zcor}),
                         "c.csv:3:1: column 'ri': ZCOR: ri is 1.3, but must be in (-1, 1)", InputError);
  }

  TEST_CASE("effects_from_table: rows with a missing value are dropped with a warning") {
    const auto t = parse_csv("trial,ai,n1i,ci,n2i\nX,3,10,2,10\nY,NA,10,2,10\nZ,1,8,,9\nW,0,10,0,12\n", "t.csv");
    const auto e = effects_from_table(t, ColumnRoles({"study=trial"}), {.measure = Measure::rr, .drop00 = true});
    CHECK(e.study == std::vector<std::string>{"X"});
    CHECK(e.dropped == std::vector<std::size_t>{1, 2, 3});
    REQUIRE(e.warnings.size() == 2);
    CHECK(e.warnings[0].code == "rows_dropped_missing");
    CHECK(e.warnings[0].message == "dropped 2 rows with a missing value in a column RR needs: Y, Z");
    CHECK(e.warnings[1].message == "RR: dropped 1 study with no events in either group (drop00): W");
  }

  TEST_CASE("effects_from_table: zero cells are corrected and flagged; undefined rows are dropped") {
    const auto t = parse_csv("ai,bi,ci,di\n0,10,3,7\n2,8,3,7\n", "t.csv");
    const auto e = effects_from_table(t, ColumnRoles({}), {.measure = Measure::or_});
    CHECK(e.corrected == std::vector<char>{1, 0});
    CHECK(e.warnings.at(0).message == "OR: added 0.5 to the cells of 1 study (zero cells): 1");
    const auto n = effects_from_table(t, ColumnRoles({}), {.measure = Measure::or_, .to = ContinuityRule::none});
    CHECK(n.rows == std::vector<std::size_t>{1});
    CHECK(n.dropped == std::vector<std::size_t>{0});
    CHECK(n.warnings.at(0).code == "effect_undefined");
  }

  TEST_CASE("effects_from_table: GEN reads yi with vi, or yi with sei") {
    const auto v = parse_csv("yi,vi\n0.5,0.04\n", "g.csv");
    CHECK(effects_from_table(v, ColumnRoles({}), {}).vi == std::vector<double>{0.04});
    const auto s = parse_csv("est,se\n0.5,0.2\n", "g.csv");
    const auto e = effects_from_table(s, ColumnRoles({"yi=est", "sei=se"}), {});
    CHECK(e.vi[0] == doctest::Approx(0.04).epsilon(1e-15));
    CHECK(e.study == std::vector<std::string>{"1"});
    const auto bad = parse_csv("yi,sei\n0.5,-0.2\n", "g.csv");
    CHECK_THROWS_WITH_AS((void)effects_from_table(bad, ColumnRoles({}), {}),
                         "g.csv:2:5: column 'sei': GEN: sei is -0.2, but must be non-negative", InputError);
  }

  TEST_CASE("effect_columns: Wald CIs and back-transforms, NaN for dropped rows") {
    const auto t = parse_csv("xi,ni\n3,10\n,12\n10,10\n", "p.csv");
    const auto e = effects_from_table(t, ColumnRoles({}), {.measure = Measure::pft});
    REQUIRE(e.ni == std::vector<double>{10, 10});
    const auto c = io::effect_columns(e, t.rows(), 0.95, true);
    CHECK(std::isnan(c.yi[1]));
    CHECK(c.scale == Scale::proportion);
    CHECK(c.t_yi[0] == doctest::Approx(0.3).epsilon(1e-12));
    CHECK(c.t_yi[2] == doctest::Approx(1).epsilon(1e-12));
    CHECK(c.sei[0] == doctest::Approx(std::sqrt(1.0 / 42)));
    CHECK(c.ci_ub[0] - c.yi[0] == doctest::Approx(1.959963984540054 * c.sei[0]));
    CHECK_FALSE(io::effect_columns(e, t.rows(), 0.95, false).scale.has_value());
  }
}
