// Tests of the pooled estimate and prediction intervals (include/trialstats/meta/inference.hpp),
// and the distribution helpers they use (include/trialstats/stats/distributions.hpp).
// Constants: R 4.2.2 qnorm(0.975), qt(0.975, 10), qchisq(0.5, 1), 2 * pnorm(-1.96).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "trialstats/meta/inference.hpp"
#include "trialstats/stats/distributions.hpp"

using namespace trialstats;

TEST_SUITE("meta::inference") {
  TEST_CASE("distributions: critical values and p-values") {
    CHECK(stats::normal_critical(0.95) == doctest::Approx(1.959963984540054).epsilon(1e-15));
    CHECK(stats::t_critical(0.95, 10) == doctest::Approx(2.228138851986274).epsilon(1e-14));
    CHECK(stats::chi_squared_quantile(0.5, 1) == doctest::Approx(0.4549364231195724).epsilon(1e-14));
    CHECK(stats::normal_two_sided_p(1.96) == doctest::Approx(0.04999579029644087).epsilon(1e-14));
    CHECK(stats::chi_squared_upper_p(3.841458820694124, 1) == doctest::Approx(0.05).epsilon(1e-13));
    CHECK(stats::normal_two_sided_p(INFINITY) == 0);
    CHECK(stats::t_two_sided_p(-INFINITY, 3) == 0);
  }

  TEST_CASE("test_estimate: z and t tests with their CIs") {
    const auto z = meta::test_estimate(0.5, 0.25, std::nullopt, 0.95);
    CHECK(z.statistic == doctest::Approx(2));
    CHECK(z.p == doctest::Approx(stats::normal_two_sided_p(2)));
    CHECK(z.ci.lower == doctest::Approx(0.5 - 1.959963984540054 * 0.25));
    CHECK_FALSE(z.df.has_value());
    const auto t = meta::test_estimate(0.5, 0.25, 10, 0.95);
    CHECK(t.df == 10);
    CHECK(t.ci.upper == doctest::Approx(0.5 + 2.228138851986274 * 0.25));
    CHECK(t.p > z.p);
  }

  TEST_CASE("test_estimate: a zero SE gives an infinite statistic, or 0 with p = 1 for a zero estimate") {
    const auto inf = meta::test_estimate(0.3, 0, 4, 0.95);
    CHECK(std::isinf(inf.statistic));
    CHECK(inf.p == 0);
    CHECK(inf.ci == Interval{0.3, 0.3});
    const auto zero = meta::test_estimate(0, 0, 4, 0.95);
    CHECK(zero.statistic == 0);
    CHECK(zero.p == 1);
  }

  TEST_CASE("knha_scale: the weighted residual variance, 0 for identical effects") {
    const std::vector<double> y{0.1, 0.5, 0.9, 1.3}, v(4, 0.05);
    // Equal variances: Σ(y − ȳ)²/(v + tau²)/(k − 1) = 0.8/0.25/3.
    CHECK(meta::knha_scale(y, v, 0.2) == doctest::Approx(0.8 / 0.25 / 3));
    const std::vector<double> same(4, 0.7);
    CHECK(meta::knha_scale(same, v, 0.2) == 0);
  }

  TEST_CASE("prediction_interval: estimate ± crit·sqrt(se² + tau²)") {
    const auto pi = meta::prediction_interval(1, 0.3, 0.16, std::nullopt, 0.95);
    CHECK(pi.upper == doctest::Approx(1 + 1.959963984540054 * 0.5));
    const auto pit = meta::prediction_interval(1, 0.3, 0.16, 10, 0.95);
    CHECK(pit.lower == doctest::Approx(1 - 2.228138851986274 * 0.5));
  }
}
