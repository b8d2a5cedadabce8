#include <cmath>

#include <doctest/doctest.h>

#include "trialstats/effect/correlation.hpp"

using namespace trialstats;
using namespace trialstats::effect;

TEST_SUITE("effect::correlation") {
  TEST_CASE("correlation and fisher_z: values and their symmetry in r") {
    CHECK(correlation(0.3, 51).vi == doctest::Approx(0.91 * 0.91 / 50));
    CHECK(fisher_z(0.3, 53).yi == doctest::Approx(std::atanh(0.3)).epsilon(1e-15));
    CHECK(fisher_z(-0.3, 53).yi == doctest::Approx(-std::atanh(0.3)).epsilon(1e-15));
    CHECK(fisher_z(0.3, 53).vi == doctest::Approx(0.02));
    CHECK(correlation(1, 10).vi == 0);
  }

  TEST_CASE("correlation and fisher_z: bad values are InvalidInput") {
    CHECK_THROWS_WITH_AS((void)correlation(1.5, 10), "COR: ri is 1.5, but must be in [-1, 1]", InvalidInput);
    CHECK_THROWS_WITH_AS((void)correlation(0.5, 1), "COR: ni is 1, but must be at least 2", InvalidInput);
    CHECK_THROWS_WITH_AS((void)fisher_z(1, 10), "ZCOR: ri is 1, but must be in (-1, 1)", InvalidInput);
    CHECK_THROWS_WITH_AS((void)fisher_z(0.5, 3), "ZCOR: ni is 3, but must be greater than 3", InvalidInput);
    CHECK_THROWS_WITH_AS((void)fisher_z(std::nan(""), 30), "ZCOR: ri is nan, but must be in (-1, 1)", DomainError);
  }
}
