#include <cmath>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "trialstats/effect/binary.hpp"

using namespace trialstats;
using namespace trialstats::effect;

TEST_SUITE("effect::binary") {
  TEST_CASE("log_risk_ratio and log_odds_ratio: the textbook values of one table") {
    const Table2x2 t{4, 119, 11, 128};
    CHECK(log_risk_ratio(t).yi == doctest::Approx(std::log((4.0 / 123) / (11.0 / 139))).epsilon(1e-14));
    CHECK(log_odds_ratio(t).yi == doctest::Approx(std::log(4.0 * 128 / (119.0 * 11))).epsilon(1e-14));
    CHECK(log_odds_ratio(t).vi == doctest::Approx(1 / 4.0 + 1 / 119.0 + 1 / 11.0 + 1 / 128.0).epsilon(1e-14));
    CHECK(risk_difference(t).yi == doctest::Approx(4.0 / 123 - 11.0 / 139).epsilon(1e-14));
  }

  TEST_CASE("escalc_2x2: only0 corrects only the tables with a zero cell, and says so") {
    const std::vector<Table2x2> t{{0, 10, 3, 7}, {2, 8, 3, 7}};
    const std::vector<std::string> labels{"Bach", "George"};
    const EffectSizes r = escalc_2x2(t, {.measure = Measure::or_}, labels);
    CHECK(r.corrected == std::vector<char>{1, 0});
    CHECK(r.yi[0] == doctest::Approx(std::log(0.5 * 7.5 / (10.5 * 3.5))).epsilon(1e-14));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "zero_cell_corrected");
    CHECK(r.warnings[0].message == "OR: added 0.5 to the cells of 1 study (zero cells): Bach");
  }

  TEST_CASE("escalc_2x2: to = none leaves a zero cell undefined; drop00 drops double zeros") {
    const std::vector<Table2x2> t{{0, 10, 0, 7}, {0, 8, 3, 7}, {2, 8, 3, 7}};
    const EffectSizes none = escalc_2x2(t, {.measure = Measure::rr, .to = ContinuityRule::none});
    CHECK(std::isnan(none.yi[0]));
    CHECK(std::isnan(none.yi[1]));
    CHECK(none.undefined == std::vector<std::size_t>{0, 1});
    CHECK(none.warnings.back().code == "effect_undefined");
    CHECK(none.warnings.back().message ==
          "RR: yi or vi is not finite for 2 studies (a zero cell without correction?): 1, 2");
    const EffectSizes d = escalc_2x2(t, {.measure = Measure::rr, .drop00 = true});
    CHECK(d.dropped00 == std::vector<std::size_t>{0});
    CHECK(d.undefined.empty());
    CHECK(std::isnan(d.yi[0]));
    CHECK(d.corrected == std::vector<char>{0, 1, 0});
    CHECK(d.warnings[0].message == "RR: dropped 1 study with no events in either group (drop00): 1");
    // if0all corrects every (kept) study as soon as one has a zero cell; add = 0 corrects nothing.
    CHECK(escalc_2x2(t, {.measure = Measure::rr, .to = ContinuityRule::if0all, .drop00 = true}).corrected ==
          std::vector<char>{0, 1, 1});
    CHECK(escalc_2x2(t, {.measure = Measure::rd, .add = 0.0}).corrected == std::vector<char>{0, 0, 0});
  }

  TEST_CASE("escalc_2x2: errors name the cell and the study") {
    const std::vector<Table2x2> t{{1, 10, 3, 7}, {2, 8, -3, 7}};
    try {
      (void)escalc_2x2(t, {.measure = Measure::peto});
      FAIL("no throw");
    } catch (const InvalidInput& e) {
      CHECK(std::string(e.what()) == "PETO: ci is -3, but must be non-negative");
      CHECK(e.role() == "ci");
      CHECK(e.study() == 1u);
    }
    CHECK_THROWS_WITH_AS((void)escalc_2x2(t, {.measure = Measure::smd}),
                         "escalc_2x2: measure SMD is not one of RR, OR, RD, PETO", UsageError);
    CHECK_THROWS_WITH_AS((void)escalc_2x2(t, {.measure = Measure::rr, .vtype = VarianceType::ub}),
                         "measure RR has no variance type UB", UsageError);
  }

  TEST_CASE("table_from_group_sizes: events above the group size are an error at ai/ci") {
    const Table2x2 t = table_from_group_sizes(3, 10, 0, 5);
    CHECK(t.bi == 7);
    CHECK(t.di == 5);
    CHECK_THROWS_WITH_AS((void)table_from_group_sizes(12, 10, 0, 5), "2x2 table: ai is 12, but must be at most n1i = 10",
                         InvalidInput);
    CHECK_THROWS_WITH_AS((void)table_from_group_sizes(1, 10, 6, 5), "2x2 table: ci is 6, but must be at most n2i = 5",
                         InvalidInput);
    CHECK_THROWS_WITH_AS((void)table_from_group_sizes(1, -10, 0, 5), "2x2 table: n1i is -10, but must be non-negative",
                         InvalidInput);
  }
}
