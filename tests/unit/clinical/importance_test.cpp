// clinical/importance.hpp: the worked example by hand, the classification rules at their
// boundaries, symmetry between the two directions, and every error.
#include <doctest/doctest.h>

#include <cmath>

#include "trialstats/clinical/importance.hpp"

using namespace trialstats;
using namespace trialstats::clinical;

TEST_SUITE("clinical::importance") {
  TEST_CASE("assess_importance: MD -2.7, SE 0.45, MCID -2 lower is better (the seed article's fatigue result)") {
    // By hand: 1.959964·0.45 = 0.881984, CI [-3.581984, -1.818016]; P = Φ(0.7/0.45) = Φ(1.555556) = 0.940098.
    const Importance r = assess_importance({.estimate = -2.7, .se = 0.45}, {-2.0, Direction::lower_is_better});
    CHECK(r.ci.lower == doctest::Approx(-3.581984).epsilon(1e-6));
    CHECK(r.ci.upper == doctest::Approx(-1.818016).epsilon(1e-6));
    CHECK(r.category == Category::possibly_important);
    CHECK(r.side == Side::benefit);
    CHECK(r.p_beyond == doctest::Approx(0.940098).epsilon(1e-5));
    CHECK(r.mcid == -2.0);
    CHECK_FALSE(r.pi);
  }

  TEST_CASE("assess_importance: the sign of --mcid does not matter; the direction does") {
    const auto a = assess_importance({.estimate = -2.7, .se = 0.45}, {2.0, Direction::lower_is_better});
    const auto b = assess_importance({.estimate = -2.7, .se = 0.45}, {-2.0, Direction::lower_is_better});
    CHECK(a.p_beyond == b.p_beyond);
    CHECK(a.mcid == b.mcid);
    // Mirrored: higher is better with +2.7 is the same analysis.
    const auto c = assess_importance({.estimate = 2.7, .se = 0.45}, {2.0, Direction::higher_is_better});
    CHECK(c.category == a.category);
    CHECK(c.p_beyond == doctest::Approx(a.p_beyond).epsilon(1e-14));
    CHECK(c.mcid == 2.0);
  }

  TEST_CASE("classify: boundaries (a CI limit exactly at the MCID counts as beyond it)") {
    CHECK(classify(3, 2, 4, 2) == Category::important);
    CHECK(classify(-3, -4, -2, 2) == Category::important);
    CHECK(classify(2, 1, 3, 2) == Category::possibly_important);  // estimate at the MCID reaches it
    CHECK(classify(1.9, 1, 3, 2) == Category::significant_possibly_unimportant);
    CHECK(classify(0.5, -1.9, 1.9, 2) == Category::trivial);
    CHECK(classify(0.5, 0.1, 1.9, 2) == Category::trivial);  // significant but inside ±MCID: precise and trivial
    CHECK(classify(0, -2, 1, 2) == Category::inconclusive);  // reaches -MCID while including 0
    CHECK(classify(3, -1, 7, 2) == Category::inconclusive);  // beyond, but the CI includes 0
  }

  TEST_CASE("assess_importance: P(beyond) + P(inside) + P(harm beyond) = 1; a sceptical prior shrinks towards 0") {
    const auto r = assess_importance({.estimate = -2.7, .se = 0.45}, {2, Direction::lower_is_better}, {.prior_sd = 1});
    CHECK(r.p_beyond + r.p_harm_beyond < 1);
    REQUIRE(r.sceptical);
    CHECK(std::fabs(r.sceptical->mean) < 2.7);
    CHECK(r.sceptical->p_beyond < r.p_beyond);
    // A very wide prior gives back the flat-prior answer.
    const auto w =
        assess_importance({.estimate = -2.7, .se = 0.45}, {2, Direction::lower_is_better}, {.prior_sd = 1e6});
    CHECK(w.sceptical->p_beyond == doctest::Approx(w.p_beyond).epsilon(1e-9));
  }

  TEST_CASE("assess_importance: with tau² = 0 the share beyond equals P(beyond), with a warning") {
    const auto r = assess_importance({.estimate = -2.7, .se = 0.45, .tau2 = 0.0}, {2, Direction::lower_is_better});
    REQUIRE(r.share_beyond);
    CHECK(*r.share_beyond == doctest::Approx(r.p_beyond).epsilon(1e-14));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "tau2_is_0");
    // More heterogeneity: the share moves towards 1/2.
    const auto h = assess_importance({.estimate = -2.7, .se = 0.45, .tau2 = 4.0}, {2, Direction::lower_is_better});
    CHECK(*h.share_beyond < r.p_beyond);
    CHECK(*h.share_beyond > 0.5);
  }

  TEST_CASE("assess_importance: errors") {
    const PooledSummary ok{.estimate = -2.7, .se = 0.45};
    CHECK_THROWS_WITH_AS((void)assess_importance(ok, {0.0, Direction::lower_is_better}),
                         "assess_importance: MCID is 0, but must be different from 0", DomainError);
    CHECK_THROWS_WITH_AS((void)assess_importance(ok, {NAN, Direction::lower_is_better}),
                         "assess_importance: MCID is nan, but must be finite", DomainError);
    CHECK_THROWS_WITH_AS((void)assess_importance({.estimate = 1, .se = 0}, {2, Direction::lower_is_better}),
                         "assess_importance: standard error is 0, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS((void)assess_importance({.estimate = 1, .se = 1, .df = 0.0}, {2, Direction::lower_is_better}),
                         "assess_importance: df is 0, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(
        (void)assess_importance({.estimate = 1, .se = 1, .tau2 = -1.0}, {2, Direction::lower_is_better}),
        "assess_importance: tau2 is -1, but must be non-negative", DomainError);
    CHECK_THROWS_WITH_AS((void)assess_importance(ok, {2, Direction::lower_is_better}, {.prior_sd = 0.0}),
                         "assess_importance: SD of the sceptical prior is 0, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(
        (void)assess_importance({.estimate = 1, .se = 1, .level = 1.5}, {2, Direction::lower_is_better}),
        "assess_importance: confidence level is 1.5, but must be in (0, 1)", DomainError);
  }
}

#include "trialstats/clinical/mid_units.hpp"

TEST_SUITE("clinical::mid_units") {
  TEST_CASE("MCID on the SMD and ROM scales, and MID units") {
    CHECK(mcid_on_smd_scale(-2, 4) == -0.5);
    CHECK(mcid_on_rom_scale(-2, 12) == doctest::Approx(std::log(10.0 / 12.0)));
    const MidUnits u = mid_units(-0.75, {-1.0, -0.5}, -0.5);
    CHECK(u.estimate == -1.5);
    CHECK(u.ci.lower == -2);
    CHECK(u.ci.upper == -1);
    CHECK_THROWS_WITH_AS((void)mcid_on_rom_scale(-12, 12),
                         "mcid_on_rom_scale: control mean + MCID is 0, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS((void)mcid_on_smd_scale(2, 0), "mcid_on_smd_scale: SD is 0, but must be positive",
                         DomainError);
  }
}
