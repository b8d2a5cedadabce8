// Q-profile intervals (include/trialstats/meta/confint.hpp). With equal sampling variances v,
// Q(tau²) = SS/(v + tau²), so the bounds are SS/χ² − v in closed form.
#include <doctest/doctest.h>

#include <vector>

#include "trialstats/meta/confint.hpp"
#include "trialstats/stats/distributions.hpp"

using namespace trialstats;

TEST_SUITE("meta::confint") {
  TEST_CASE("q_profile_ci: closed-form bounds for equal variances, and the I²/H² bounds they imply") {
    const std::vector<double> y{0.1, 0.5, 0.9, 1.3, -0.4, 2.0}, v(6, 0.05);
    double mean = 0;
    for (double x : y) mean += x / 6;
    double ss = 0;
    for (double x : y) ss += (x - mean) * (x - mean);
    const double upper_q = stats::chi_squared_upper_quantile(0.025, 5);
    const double lower_q = stats::chi_squared_quantile(0.025, 5);
    const auto ci = meta::q_profile_ci(y, v, 0.3, 0.95);
    CHECK(ci.tau2.lower == doctest::Approx(ss / upper_q - 0.05).epsilon(1e-13));
    CHECK(ci.tau2.upper == doctest::Approx(ss / lower_q - 0.05).epsilon(1e-13));
    CHECK(ci.i2.lower == doctest::Approx(100 * ci.tau2.lower / (0.05 + ci.tau2.lower)));
    CHECK(ci.h2.upper == doctest::Approx(ci.tau2.upper / 0.05 + 1));
    CHECK_FALSE(ci.upper_at_max);
    CHECK(ci.search_max == 100);
  }

  TEST_CASE("q_profile_ci: bounds are 0 when Q(0) lies below the quantiles") {
    const std::vector<double> y{0.1, 0.12, 0.11, 0.09}, v(4, 0.05);
    const auto both = meta::q_profile_ci(y, v, 0, 0.95);
    CHECK(both.tau2.lower == 0);
    CHECK(both.tau2.upper == 0);
    CHECK(both.i2.upper == 0);
    CHECK(both.h2.upper == 1);
    // Q(0) between the two quantiles: lower bound 0, upper bound positive.
    const std::vector<double> y2{0.0, 0.3, 0.6, 0.2}, v2(4, 0.05);
    const auto lower0 = meta::q_profile_ci(y2, v2, 0.01, 0.95);
    CHECK(lower0.tau2.lower == 0);
    CHECK(lower0.tau2.upper > 0);
  }
}
