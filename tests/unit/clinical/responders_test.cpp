// clinical/responders.hpp: the 30/47 vs 18/47 example (Altman 1998; Newcombe 1998b), counting
// responders from changes, and the NNT interval through infinity.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "trialstats/clinical/responders.hpp"

using namespace trialstats;
using namespace trialstats::clinical;

TEST_SUITE("clinical::responders") {
  TEST_CASE("arm_responders: 30/47 vs 18/47 gives RD 0.2553 [0.0533, 0.4301], NNTB 3.92 (2.33 to 18.76)") {
    // Published to 4 (RD) and 2 (NNT) decimals: tolerance half a unit of the last digit.
    const ArmResponders r = arm_responders({30, 47}, {18, 47});
    CHECK(r.risk_difference.estimate == doctest::Approx(0.2553).epsilon(0).scale(1).epsilon(5e-5));
    CHECK(std::fabs(r.risk_difference.ci.lower - 0.0533) < 5e-5);
    CHECK(std::fabs(r.risk_difference.ci.upper - 0.4301) < 5e-5);
    CHECK(std::fabs(r.nnt.estimate - 3.92) < 5e-3);
    CHECK(std::fabs(r.nnt.lower.value - 2.33) < 5e-3);
    CHECK(std::fabs(r.nnt.upper.value - 18.76) < 5e-3);
    CHECK_FALSE(r.nnt.through_infinity);
    CHECK(std::fabs(r.relative_risk.estimate - 30.0 / 18.0) < 1e-12);
  }

  TEST_CASE("arm_responders from changes: a change responds when it reaches the MCID in the good direction") {
    const Mcid mcid{2, Direction::lower_is_better};
    CHECK(responds(-2.0, mcid));
    CHECK_FALSE(responds(-1.99, mcid));
    CHECK_FALSE(responds(3.0, mcid));
    const std::vector<double> t{-3, -2, -1, 0, -4}, c{-1, 0, 1, -2.5};
    const ArmResponders r = arm_responders(t, c, mcid);
    CHECK(r.treatment.x == 3);
    CHECK(r.treatment.n == 5);
    CHECK(r.control.x == 1);
    CHECK(r.control.n == 4);
    CHECK(r.risk_difference.estimate == doctest::Approx(0.6 - 0.25));
  }

  TEST_CASE("normal_responders: an effect CI through 0 gives an NNT interval through infinity") {
    const NormalResponders r =
        normal_responders(-0.5, {-1.5, 0.5}, {.control_mean = -1, .sd = 3}, {2, Direction::lower_is_better});
    CHECK(r.nnt_through_infinity);
    CHECK(r.nnt_lower.kind == stats::NntKind::benefit);
    CHECK(r.nnt_upper.kind == stats::NntKind::harm);
    CHECK(r.risk_difference > 0);
    CHECK(r.nnt == doctest::Approx(1 / r.risk_difference));
  }

  TEST_CASE("responders: errors") {
    CHECK_THROWS_WITH_AS(
        (void)normal_responders(-1, {-2, 0}, {.control_mean = 0, .sd = 0}, {2, Direction::lower_is_better}),
        "normal_responders: SD of change is 0, but must be positive", DomainError);
    const std::vector<double> none, one{1};
    CHECK_THROWS_WITH_AS((void)arm_responders(none, one, {2, Direction::lower_is_better}),
                         "arm_responders: patients of the treatment arm is 0, but must be at least 1", DomainError);
    CHECK_THROWS_WITH_AS((void)arm_responders(one, one, {0, Direction::lower_is_better}),
                         "arm_responders: MCID is 0, but must be different from 0", DomainError);
  }
}
