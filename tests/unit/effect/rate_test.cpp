#include <cmath>
#include <vector>

#include <doctest/doctest.h>

#include "trialstats/effect/rate.hpp"

using namespace trialstats;
using namespace trialstats::effect;

TEST_SUITE("effect::rate") {
  TEST_CASE("log_rate_ratio and rate_difference: values of one pair") {
    const TwoRates r{9, 19, 413, 398};
    CHECK(log_rate_ratio(r).yi == doctest::Approx(std::log((9.0 / 413) / (19.0 / 398))).epsilon(1e-14));
    CHECK(log_rate_ratio(r).vi == doctest::Approx(1 / 9.0 + 1 / 19.0).epsilon(1e-14));
    CHECK(rate_difference(r).vi == doctest::Approx(9.0 / (413.0 * 413) + 19.0 / (398.0 * 398)).epsilon(1e-14));
  }

  TEST_CASE("escalc_rates: zero counts are corrected, double zeros dropped on request") {
    const std::vector<TwoRates> r{{0, 3, 100, 100}, {0, 0, 50, 60}, {4, 5, 80, 90}};
    const EffectSizes a = escalc_rates(r, {.measure = Measure::irr});
    CHECK(a.corrected == std::vector<char>{1, 1, 0});
    CHECK(a.yi[1] == doctest::Approx(std::log(60.0 / 50)));
    const EffectSizes d = escalc_rates(r, {.measure = Measure::irr, .drop00 = true});
    CHECK(d.dropped00 == std::vector<std::size_t>{1});
    CHECK(std::isnan(d.yi[1]));
  }

  TEST_CASE("escalc_rates: bad values are InvalidInput") {
    const std::vector<TwoRates> r{{1, 3, 100, 0}};
    try {
      (void)escalc_rates(r, {.measure = Measure::ird});
      FAIL("no throw");
    } catch (const InvalidInput& e) {
      CHECK(std::string(e.what()) == "IRD: t2i is 0, but must be positive");
      CHECK(e.study() == 0u);
    }
    CHECK_THROWS_WITH_AS((void)log_rate_ratio({-1, 3, 10, 10}), "IRR: x1i is -1, but must be non-negative", InvalidInput);
    CHECK_THROWS_WITH_AS((void)escalc_rates(r, {.measure = Measure::ird, .vtype = VarianceType::ub}),
                         "measure IRD has no variance type UB", UsageError);
  }
}
