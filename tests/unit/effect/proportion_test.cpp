#include <cmath>
#include <vector>

#include <doctest/doctest.h>

#include "trialstats/effect/proportion.hpp"

using namespace trialstats;
using namespace trialstats::effect;

TEST_SUITE("effect::proportion") {
  TEST_CASE("escalc_proportions: PR corrects xi = 0 and xi = ni; PFT adds nothing by default") {
    const std::vector<Proportion> p{{10, 10}, {3, 12}, {0, 8}};
    const EffectSizes pr = escalc_proportions(p, {.measure = Measure::pr});
    CHECK(pr.corrected == std::vector<char>{1, 0, 1});
    CHECK(pr.yi[0] == doctest::Approx(10.5 / 11));
    CHECK(pr.yi[1] == doctest::Approx(0.25));
    CHECK(pr.warnings.at(0).message == "PR: added 0.5 to the events and non-events of 2 studies (zero cells): 1, 3");
    const EffectSizes pft = escalc_proportions(p, {.measure = Measure::pft});
    CHECK(pft.corrected == std::vector<char>{0, 0, 0});
    CHECK(pft.warnings.empty());
    CHECK(pft.vi[2] == doctest::Approx(1.0 / 34));
    // PAS is bounded: asin(sqrt(1)) = pi/2 for xi = ni.
    CHECK(escalc_proportions(p, {.measure = Measure::pas}).yi[0] == doctest::Approx(std::acos(-1.0) / 2));
  }

  TEST_CASE("escalc_proportions: PLO without correction is undefined at 0 and 1") {
    const std::vector<Proportion> p{{0, 8}, {3, 12}};
    const EffectSizes r = escalc_proportions(p, {.measure = Measure::plo, .to = ContinuityRule::none});
    CHECK(r.undefined == std::vector<std::size_t>{0});
    CHECK(std::isnan(r.yi[0]));
    CHECK(r.yi[1] == doctest::Approx(std::log(3.0 / 9)));
  }

  TEST_CASE("escalc_proportions: bad counts are InvalidInput with the study") {
    const std::vector<Proportion> p{{3, 12}, {13, 12}};
    try {
      (void)escalc_proportions(p, {.measure = Measure::pr});
      FAIL("no throw");
    } catch (const InvalidInput& e) {
      CHECK(std::string(e.what()) == "PR: xi is 13, but must be at most ni = 12");
      CHECK(e.role() == "xi");
      CHECK(e.study() == 1u);
    }
    CHECK_THROWS_WITH_AS((void)check_proportion({-1, 12}), "proportion: xi is -1, but must be non-negative", InvalidInput);
    CHECK_THROWS_WITH_AS((void)check_proportion({0, 0}), "proportion: ni is 0, but must be positive", InvalidInput);
    CHECK_THROWS_WITH_AS((void)escalc_proportions(p, {.measure = Measure::plo, .vtype = VarianceType::ub}),
                         "measure PLO has no variance type UB", UsageError);
    CHECK_THROWS_WITH_AS((void)proportion_effect(Measure::rr, {1, 2}),
                         "proportion_effect: measure RR is not one of PR, PLO, PAS, PFT", UsageError);
  }
}
