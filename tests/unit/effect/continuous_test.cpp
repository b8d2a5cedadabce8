#include <cmath>
#include <limits>

#include <doctest/doctest.h>

#include "trialstats/effect/continuous.hpp"

using namespace trialstats;
using namespace trialstats::effect;

namespace {
const TwoGroupMeans g{.m1i = 55, .sd1i = 47, .n1i = 155, .m2i = 75, .sd2i = 64, .n2i = 156};
}

TEST_SUITE("effect::continuous") {
  TEST_CASE("hedges_correction: the exact gamma ratio, finite for any m, tending to 1") {
    // c(2) = Gamma(1) / (1 * Gamma(1/2)) = 1/sqrt(pi)
    CHECK(hedges_correction(2) == doctest::Approx(1 / std::sqrt(std::acos(-1.0))).epsilon(1e-14));
    // c(10) against the series 1 - 3/(4m - 1) (error O(m^-2))
    CHECK(hedges_correction(10) == doctest::Approx(1 - 3.0 / 39).epsilon(1e-3));
    // Against the log-gamma formula where it has no cancellation trouble yet.
    for (const double m : {3.0, 7.5, 40.0, 300.0})
      CHECK(hedges_correction(m) ==
            doctest::Approx(std::exp(std::lgamma(m / 2) - std::log(std::sqrt(m / 2)) - std::lgamma((m - 1) / 2)))
                .epsilon(1e-12));
    // 1 - 3/(4m - 1) is within O(m^-2) of c(m): 1e-12 from m = 1e6 on.
    for (const double m : {1e6, 2e9, 3e9, 1e12, 1e300}) {
      const double c = hedges_correction(m);
      CHECK(std::isfinite(c));
      CHECK(c <= 1);  // 1 - 3/(4m) rounds to 1 past m ~ 1e16
      CHECK(c == doctest::Approx(1 - 3 / (4 * m - 1)).epsilon(1e-12));
    }
    CHECK(hedges_correction(std::numeric_limits<double>::infinity()) == 1);
    CHECK_THROWS_WITH_AS((void)hedges_correction(1), "hedges_correction: degrees of freedom m is 1, but must be greater than 1",
                         DomainError);
  }

  TEST_CASE("standardized_mean_difference: finite with the correct limit at n = 1e9") {
    const TwoGroupMeans big{.m1i = 10.5, .sd1i = 2, .n1i = 1e9, .m2i = 10, .sd2i = 2, .n2i = 1e9};
    const EffectSize e = standardized_mean_difference(big);
    CHECK(std::isfinite(e.yi));
    CHECK(e.yi == doctest::Approx(0.25 * (1 - 3 / (4 * (2e9 - 2) - 1))).epsilon(1e-13));  // d = 0.5/2, c -> 1
    CHECK(e.yi < 0.25);
    CHECK(e.vi == doctest::Approx(2e-9 + 0.0625 / 4e9).epsilon(1e-9));
  }

  TEST_CASE("standardized_mean_difference: swapping the groups flips the sign only") {
    const TwoGroupMeans s{g.m2i, g.sd2i, g.n2i, g.m1i, g.sd1i, g.n1i};
    for (const auto v : {VarianceType::ls, VarianceType::ub, VarianceType::ls2}) {
      CHECK(standardized_mean_difference(s, v).yi == doctest::Approx(-standardized_mean_difference(g, v).yi));
      CHECK(standardized_mean_difference(s, v).vi == doctest::Approx(standardized_mean_difference(g, v).vi));
    }
    CHECK(smd_heteroscedastic(s).yi == doctest::Approx(-smd_heteroscedastic(g).yi));
    CHECK(mean_difference(s).vi == mean_difference(g).vi);
    CHECK(ratio_of_means(s).yi == doctest::Approx(-ratio_of_means(g).yi));
  }

  TEST_CASE("two-group measures: bad values are InvalidInput naming the input") {
    TwoGroupMeans bad = g;
    bad.sd2i = -3;
    CHECK_THROWS_WITH_AS((void)standardized_mean_difference(bad), "SMD: sd2i is -3, but must be non-negative", DomainError);
    try {
      (void)mean_difference(bad);
      FAIL("no throw");
    } catch (const InvalidInput& e) {
      CHECK(e.role() == "sd2i");
      CHECK(e.value() == -3);
      CHECK_FALSE(e.study().has_value());
    }
    bad = g;
    bad.n1i = 0;
    CHECK_THROWS_WITH_AS((void)mean_difference(bad), "MD: n1i is 0, but must be at least 1", InvalidInput);
    bad = g;
    bad.n1i = 1;
    CHECK_THROWS_WITH_AS((void)smd_heteroscedastic(bad), "SMDH: n1i is 1, but must be at least 2", InvalidInput);
    bad = {.m1i = 1, .sd1i = 1, .n1i = 1, .m2i = 0, .sd2i = 1, .n2i = 2};
    CHECK_THROWS_WITH_AS((void)standardized_mean_difference(bad), "SMD: n2i is 2, but must be at least 3 so that n1i + n2i >= 4",
                         InvalidInput);
    bad = {.m1i = 1, .sd1i = 0, .n1i = 5, .m2i = 0, .sd2i = 0, .n2i = 5};
    CHECK_THROWS_WITH_AS((void)standardized_mean_difference(bad), "SMD: sd2i is 0, but must be positive when sd1i is 0 (pooled SD is 0)",
                         InvalidInput);
    CHECK_THROWS_WITH_AS((void)smd_heteroscedastic(bad), "SMDH: sd2i is 0, but must be positive when sd1i is 0", InvalidInput);
    bad = g;
    bad.m2i = -1;
    CHECK_THROWS_WITH_AS((void)ratio_of_means(bad), "ROM: m2i is -1, but must be positive", InvalidInput);
    bad = g;
    bad.m1i = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS((void)mean_difference(bad), "MD: m1i is inf, but must be finite", InvalidInput);
  }

  TEST_CASE("pre-post measures: MC is the plain difference; bad values are InvalidInput") {
    const PrePostMeans p{.m1i = 26.1, .m2i = 21.3, .sd1i = 6.2, .sd2i = 5.9, .ni = 20, .ri = 0.55};
    CHECK(mean_change(p).yi == doctest::Approx(4.8));
    // With ri = 1 and equal SDs the change has no variance.
    CHECK(mean_change({.m1i = 1, .m2i = 0, .sd1i = 2, .sd2i = 2, .ni = 10, .ri = 1}).vi == 0);
    CHECK_THROWS_WITH_AS((void)smd_change_score({.m1i = 1, .m2i = 0, .sd1i = 2, .sd2i = 2, .ni = 10, .ri = 1}),
                         "SMCC: ri is 1, but must be such that the SD of the change is positive", InvalidInput);
    PrePostMeans bad = p;
    bad.ri = 1.2;
    CHECK_THROWS_WITH_AS((void)mean_change(bad), "MC: ri is 1.2, but must be in [-1, 1]", InvalidInput);
    bad = p;
    bad.ni = 2;
    CHECK_THROWS_WITH_AS((void)smd_change_raw(bad), "SMCR: ni is 2, but must be at least 3", InvalidInput);
    bad = p;
    bad.sd1i = 0;
    CHECK_THROWS_WITH_AS((void)smd_change_raw(bad), "SMCR: sd1i is 0, but must be positive", InvalidInput);
    bad = p;
    bad.sd2i = -1;  // SMCR does not read sd2i
    CHECK(std::isfinite(smd_change_raw(bad).yi));
    CHECK_THROWS_WITH_AS((void)smd_change_score(bad), "SMCC: sd2i is -1, but must be non-negative", InvalidInput);
  }
}
