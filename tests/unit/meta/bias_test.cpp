// Properties and errors of meta::egger_test, rank_test, kendall_test, trim_and_fill, fail_safe_n, pet_peese.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/bias.hpp"

namespace {

using namespace trialstats;

// dat.bcg, log risk ratios (escalc RR).
const std::vector<double> yi{-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732, -0.78611559, -1.62089822,
                             0.01195233,  -0.46941765, -1.37134480, -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> vi{0.32558477, 0.19458112, 0.41536797, 0.02001003, 0.05121017, 0.00690562, 0.22301725,
                             0.00396158, 0.05643421, 0.07302479, 0.01241221, 0.53250585, 0.07140466};

}  // namespace

TEST_SUITE("meta::bias") {
  TEST_CASE("egger_test: the lm form is PET; the EE rma form has the same coefficients, SEs without dispersion") {
    const auto lm = meta::egger_test(yi, vi, {.model = meta::EggerModel::lm});
    const auto pp = meta::pet_peese(yi, vi);
    CHECK(lm.slope.estimate == doctest::Approx(pp.pet.slope.estimate).epsilon(1e-12));
    CHECK(lm.limit.estimate == doctest::Approx(pp.pet.intercept.estimate).epsilon(1e-12));
    CHECK(*lm.slope.df == 11);
    const auto ee = meta::egger_test(yi, vi, {.pool = {.method = meta::Tau2Method::ee}});
    CHECK(ee.tau2 == 0);
    CHECK(ee.slope.estimate == doctest::Approx(lm.slope.estimate).epsilon(1e-12));
    CHECK(ee.slope.se == doctest::Approx(lm.slope.se / std::sqrt(lm.sigma2)).epsilon(1e-12));
    CHECK(!ee.slope.df.has_value());
  }

  TEST_CASE("egger_test: effects without a trend in sei give a slope of 0 (up to rounding)") {
    const std::vector<double> y{0.3, 0.3, 0.3, 0.3}, v{0.01, 0.04, 0.09, 0.16};
    const auto e = meta::egger_test(y, v);
    CHECK(std::fabs(e.slope.estimate) < 1e-12);
    CHECK(e.limit.estimate == doctest::Approx(0.3));
    CHECK(e.tau2 == 0);
  }

  TEST_CASE("egger_test: errors") {
    CHECK_THROWS_WITH_AS((void)meta::egger_test(std::vector<double>{0.1, 0.2}, std::vector<double>{0.1, 0.2}),
                         "egger_test: the number of studies is 2, but must be at least 3", DomainError);
    CHECK_THROWS_WITH_AS((void)meta::egger_test(std::vector<double>{0.1, 0.2, 0.3}, std::vector<double>{0.1, 0.1, 0.1}),
                         "egger_test: every study has the same standard error; the regression on it cannot be fitted",
                         DomainError);
    CHECK_THROWS_AS((void)meta::egger_test(yi, vi, {.pool = {.method = meta::Tau2Method::genq}}), UsageError);
    std::vector<double> bad = vi;
    bad[0] = 0;
    CHECK_THROWS_WITH_AS((void)meta::egger_test(yi, bad), "egger_test: variance of study 1 is 0, but must be positive",
                         DomainError);
  }

  TEST_CASE("kendall_test: perfect agreement, the exact distribution, ties") {
    const std::vector<double> x{1, 2, 3}, y{10, 20, 30};
    const auto r = meta::kendall_test(x, y);
    CHECK(r.tau == 1);
    CHECK(r.exact);
    CHECK(r.p == doctest::Approx(1.0 / 3));  // 2·P(T ≥ 3) = 2/6 for n = 3
    const auto f = stats::kendall_null(6);
    CHECK(std::accumulate(f.begin(), f.end(), 0.0) == doctest::Approx(1.0));
    for (std::size_t t = 0; t < f.size(); ++t) CHECK(f[t] == doctest::Approx(f[f.size() - 1 - t]));
    const auto tied = meta::kendall_test(std::vector<double>{1, 1, 2, 3}, std::vector<double>{1, 2, 3, 4});
    CHECK(!tied.exact);
    CHECK(tied.z.has_value());
    CHECK(tied.warnings.front().code == "rank_test_ties");
    const auto large = meta::kendall_test(x, y, 2);
    CHECK(!large.exact);
    CHECK(large.warnings.front().code == "rank_test_normal");
  }

  TEST_CASE("rank_test: invariant to a shift of every effect; errors") {
    std::vector<double> shifted = yi;
    for (double& y : shifted) y += 1.5;
    CHECK(meta::rank_test(shifted, vi).tau == doctest::Approx(meta::rank_test(yi, vi).tau));
    CHECK_THROWS_WITH_AS((void)meta::rank_test(std::vector<double>{0.1, 0.2}, std::vector<double>{0.1, 0.2}),
                         "rank_test: the number of studies is 2, but must be at least 3", DomainError);
  }

  TEST_CASE("trim_and_fill: a symmetric funnel needs no filling; filled studies mirror the trimmed estimate") {
    const std::vector<double> y{-0.2, 0.2, -0.1, 0.1, 0.0}, v{0.04, 0.04, 0.02, 0.02, 0.01};
    const auto s = meta::trim_and_fill(y, v, {.side = meta::FunnelSide::left});
    CHECK(s.k0 == 0);
    CHECK(s.filled_yi.empty());
    CHECK(s.augmented.k == 5);
    const auto t = meta::trim_and_fill(yi, vi, {.side = meta::FunnelSide::right});
    REQUIRE(t.k0 == static_cast<int>(t.filled_yi.size()));
    for (std::size_t i = 0; i < t.filled_yi.size(); ++i) {
      CHECK(t.filled_yi[i] == doctest::Approx(2 * t.trimmed_estimate - yi[t.mirrored[i]]));
      CHECK(t.filled_vi[i] == vi[t.mirrored[i]]);
    }
    CHECK(t.augmented.k == 13 + t.k0);
    const auto r0 = meta::trim_and_fill(yi, vi, {.estimator = meta::TrimFillEstimator::r0});
    REQUIRE(r0.k0_p.has_value());
    CHECK(*r0.k0_p == doctest::Approx(std::pow(0.5, r0.k0 + 1)));
  }

  TEST_CASE("trim_and_fill: errors") {
    CHECK_THROWS_WITH_AS((void)meta::trim_and_fill(std::vector<double>{0.1, 0.2}, std::vector<double>{0.1, 0.2}),
                         "trim_and_fill: the number of studies is 2, but must be at least 3", DomainError);
    CHECK_THROWS_WITH_AS((void)meta::trim_and_fill(yi, vi, {.max_iter = 0}),
                         "trim_and_fill: max_iter is 0, but must be at least 1", DomainError);
  }

  TEST_CASE("fail_safe_n: formulas, Orwin's target of 0, errors") {
    const auto orwin = meta::fail_safe_n(yi, vi, {.type = meta::FsnType::orwin, .target = 0.2});
    const double mean = std::accumulate(yi.begin(), yi.end(), 0.0) / 13;
    CHECK(*orwin.mean_effect == doctest::Approx(mean));
    CHECK(*orwin.target == doctest::Approx(-0.2));  // the sign of the mean (metafor)
    CHECK(orwin.n == std::ceil(13 * (mean + 0.2) / -0.2));
    const auto inf = meta::fail_safe_n(yi, vi, {.type = meta::FsnType::orwin, .target = 0.0});
    CHECK(std::isinf(inf.n));
    const std::vector<double> null_y{0.01, -0.01, 0.0}, null_v{0.1, 0.1, 0.1};
    CHECK(meta::fail_safe_n(null_y, null_v).n == 0);
    CHECK_THROWS_WITH_AS((void)meta::fail_safe_n(yi, vi, {.alpha = 1.5}),
                         "fail_safe_n: alpha is 1.5, but must be between 0 and 1 (exclusive)", DomainError);
    CHECK_THROWS_AS((void)meta::fail_safe_n(std::vector<double>{}, std::vector<double>{}), DomainError);
  }

  TEST_CASE("pet_peese: the rule follows the p-value of PET's intercept; one-sided halves it") {
    const auto two = meta::pet_peese(yi, vi, {.alpha = 0.5});
    CHECK(two.use_peese == (two.pet.intercept.p < 0.5));
    const auto one = meta::pet_peese(yi, vi, {.alpha = 0.5, .one_sided = true});
    CHECK(one.pet_p == doctest::Approx(two.pet.intercept.p / 2));
    const auto strict = meta::pet_peese(yi, vi, {.alpha = 1e-9});
    CHECK(!strict.use_peese);
    CHECK(strict.estimate.estimate == strict.pet.intercept.estimate);
    CHECK_THROWS_WITH_AS((void)meta::pet_peese(yi, vi, {.alpha = 0}),
                         "pet_peese: alpha is 0, but must be between 0 and 1 (exclusive)", DomainError);
  }
}
