// core/checks.hpp: each check passes good values silently and throws DomainError with the one
// message shape `<where>: <what> is <value>, but must be <rule>`.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "trialstats/core/checks.hpp"

using namespace trialstats;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
}

TEST_SUITE("core::checks") {

TEST_CASE("require_positive") {
  CHECK_NOTHROW(require_positive("pool", "variance of study 3", 0.2));
  CHECK_THROWS_WITH_AS(require_positive("pool", "variance of study 3", -0.2),
                       "pool: variance of study 3 is -0.2, but must be positive", DomainError);
  CHECK_THROWS_WITH_AS(require_positive("pool", "tau2", 0), "pool: tau2 is 0, but must be positive", DomainError);
  CHECK_THROWS_WITH_AS(require_positive("pool", "vi", std::nan("")), "pool: vi is nan, but must be positive", DomainError);
  CHECK_THROWS_WITH_AS(require_positive("pool", "vi", inf), "pool: vi is inf, but must be positive", DomainError);
}

TEST_CASE("require_nonnegative") {
  CHECK_NOTHROW(require_nonnegative("mcid", "sd", 0));
  CHECK_THROWS_WITH_AS(require_nonnegative("mcid", "sd", -1e-300), "mcid: sd is -1e-300, but must be non-negative",
                       DomainError);
  CHECK_THROWS_WITH_AS(require_nonnegative("mcid", "sd", inf), "mcid: sd is inf, but must be non-negative", DomainError);
}

TEST_CASE("require_finite") {
  CHECK_NOTHROW(require_finite("corr", "x[2]", -1e308));
  CHECK_THROWS_WITH_AS(require_finite("corr", "x[2]", -inf), "corr: x[2] is -inf, but must be finite", DomainError);
  CHECK_THROWS_WITH_AS(require_finite("corr", "x[2]", std::nan("")), "corr: x[2] is nan, but must be finite",
                       DomainError);
}

TEST_CASE("require_in_range: closed interval") {
  CHECK_NOTHROW(require_in_range("corr", "r", 1, -1, 1));
  CHECK_NOTHROW(require_in_range("corr", "r", -1, -1, 1));
  CHECK_THROWS_WITH_AS(require_in_range("corr", "r", 1.5, -1, 1), "corr: r is 1.5, but must be in [-1, 1]", DomainError);
  CHECK_THROWS_WITH_AS(require_in_range("pool", "level", std::nan(""), 0.5, 0.99999),
                       "pool: level is nan, but must be in [0.5, 0.99999]", DomainError);
}

TEST_CASE("require_same_size") {
  CHECK_NOTHROW(require_same_size("corr", "x", 3, "y", 3));
  CHECK_THROWS_WITH_AS(require_same_size("corr", "x", 3, "y", 4),
                       "corr: x has 3 values but y has 4; they must be the same size", DomainError);
}

TEST_CASE("require_at_least") {
  CHECK_NOTHROW(require_at_least("pool", "the number of studies", 2, 2));
  CHECK_THROWS_WITH_AS(require_at_least("pool", "the number of studies", 1, 2),
                       "pool: the number of studies is 1, but must be at least 2", DomainError);
}

}  // TEST_SUITE
