// Properties, limits and errors of meta-regression (values against metafor are in
// tests/reference/meta/regression_ref_test.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/meta/regression.hpp"

namespace {

using namespace trialstats;
using meta::Tau2Method;

// dat.bcg log risk ratios, sampling variances and absolute latitude (metafor's escalc, measure RR).
const std::vector<double> yi{-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732, -0.78611559, -1.62089822,
                             0.01195233,  -0.46941765, -1.37134480, -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> vi{0.325584765, 0.194581121, 0.415367965, 0.020010031, 0.051210172, 0.006905435, 0.223017248,
                             0.003961579, 0.056434210, 0.073024794, 0.012412214, 0.532505845, 0.071404660};
const std::vector<double> ablat{44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};
const std::vector<std::string> alloc{"random",     "random",     "random",    "random", "alternate",
                                     "alternate",  "random",     "random",    "random", "systematic",
                                     "systematic", "systematic", "systematic"};

bool close(double x, double y, double rel = 1e-9) {
  return std::abs(x - y) <= rel * std::max(1.0, std::abs(y));
}

}  // namespace

TEST_SUITE("meta::regression") {
  TEST_CASE("build_design: intercept, numeric column and treatment coding with sorted levels") {
    const std::vector<meta::Moderator> mods{{.name = "ablat", .numbers = ablat}, {.name = "alloc", .levels = alloc}};
    const auto d = meta::build_design(mods, yi.size());
    CHECK(d.names == std::vector<std::string>{"intrcpt", "ablat", "allocrandom", "allocsystematic"});
    CHECK(d.x(0, 0) == 1);
    CHECK(d.x(4, 2) == 0);
    CHECK(d.x(0, 2) == 1);
    CHECK(d.x(9, 3) == 1);
    const auto without =
        meta::build_design(std::vector<meta::Moderator>{{.name = "alloc", .levels = alloc}}, yi.size(), false);
    CHECK(without.names == std::vector<std::string>{"allocalternate", "allocrandom", "allocsystematic"});
    const auto releveled = meta::build_design(
        std::vector<meta::Moderator>{{.name = "alloc", .levels = alloc, .reference = "random"}}, yi.size());
    CHECK(releveled.names == std::vector<std::string>{"intrcpt", "allocalternate", "allocsystematic"});
  }

  TEST_CASE("build_design: an unknown reference level is an error that lists the levels") {
    const std::vector<meta::Moderator> mods{{.name = "alloc", .levels = alloc, .reference = "blocked"}};
    CHECK_THROWS_WITH_AS(
        (void)meta::build_design(mods, yi.size()),
        "build_design: alloc: reference level 'blocked' does not occur; levels: alternate, random, systematic",
        DomainError);
  }

  TEST_CASE("meta_regress: an intercept-only design gives meta::pool's estimate, tau² and Q") {
    const meta::Design d{Eigen::MatrixXd::Ones(13, 1), {"intrcpt"}, true};
    for (auto m : {Tau2Method::dl, Tau2Method::reml, Tau2Method::ml, Tau2Method::pm, Tau2Method::he, Tau2Method::sj,
                   Tau2Method::hs, Tau2Method::hsk, Tau2Method::eb, Tau2Method::pmm}) {
      CAPTURE(meta::name(m));
      const auto r = meta::meta_regress(yi, vi, d, {.method = m});
      const auto p = meta::pool(yi, vi, {.method = m, .tau2_ci = false});
      CHECK(close(r.coefficients[0].estimate, p.estimate, 1e-8));
      CHECK(close(r.coefficients[0].se, p.se, 1e-8));
      CHECK(close(r.tau2, p.het.tau2, 1e-8));
      CHECK(close(r.qe, p.het.q));
      CHECK(close(r.i2, p.het.i2, 1e-8));
      CHECK_FALSE(r.r2.has_value());
    }
  }

  TEST_CASE("meta_regress: invariant to the order of the studies") {
    const auto d = meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}}, yi.size());
    std::vector<double> y2(yi.rbegin(), yi.rend()), v2(vi.rbegin(), vi.rend()), a2(ablat.rbegin(), ablat.rend());
    const auto d2 = meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = a2}}, yi.size());
    const auto r = meta::meta_regress(yi, vi, d), r2 = meta::meta_regress(y2, v2, d2);
    CHECK(close(r.coefficients[1].estimate, r2.coefficients[1].estimate, 1e-10));
    CHECK(close(r.tau2, r2.tau2, 1e-9));
    CHECK(close(r.qm.statistic, r2.qm.statistic, 1e-9));
  }

  TEST_CASE("meta_regress: a moderator that explains everything gives tau² = 0 and R² = 100") {
    std::vector<double> y(13), v(13, 0.05);
    for (std::size_t i = 0; i < 13; ++i) y[i] = 0.5 - 0.02 * ablat[i];
    const auto d = meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}}, 13);
    const auto r = meta::meta_regress(y, v, d);
    CHECK(r.tau2 == 0);
    CHECK(close(r.coefficients[1].estimate, -0.02));
    CHECK(r.qe < 1e-20);
    REQUIRE(r.r2.has_value());
    CHECK(close(*r.r2, 100));
  }

  TEST_CASE("meta_regress: errors name the problem") {
    SUBCASE("rank-deficient design names the aliased moderator") {
      std::vector<double> twice(ablat);
      for (double& a : twice) a *= 2;
      const auto d = meta::build_design(
          std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}, {.name = "ablat2", .numbers = twice}}, 13);
      CHECK_THROWS_WITH_AS((void)meta::meta_regress(yi, vi, d),
                           "meta_regress: the design is rank-deficient: column 'ablat2' is a linear combination of the "
                           "columns before it (intrcpt, ablat); drop it or merge levels",
                           DomainError);
    }
    SUBCASE("k <= p") {
      const std::vector<double> y{1, 2}, v{1, 1}, m{0, 1};
      const auto d = meta::build_design(std::vector<meta::Moderator>{{.name = "m", .numbers = m}}, 2);
      CHECK_THROWS_WITH_AS((void)meta::meta_regress(y, v, d),
                           "meta_regress: 2 studies for 2 coefficients; a meta-regression needs more studies than "
                           "coefficients (k > p)",
                           DomainError);
    }
    SUBCASE("GENQ") {
      const auto d = meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}}, 13);
      CHECK_THROWS_AS((void)meta::meta_regress(yi, vi, d, {.method = Tau2Method::genq}), UsageError);
    }
    SUBCASE("a btt index past the coefficients") {
      const auto d = meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}}, 13);
      CHECK_THROWS_WITH_AS((void)meta::meta_regress(yi, vi, d, {.btt = {2}}),
                           "meta_regress: coefficient 3 of the moderator test does not exist (the model has 2)",
                           DomainError);
    }
    SUBCASE("a non-positive variance") {
      std::vector<double> v(vi);
      v[3] = 0;
      const auto d = meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}}, 13);
      CHECK_THROWS_WITH_AS((void)meta::meta_regress(yi, v, d),
                           "meta_regress: variance of study 4 is 0, but must be positive", DomainError);
    }
  }

  TEST_CASE("test_coefficients: one coefficient's QM is its squared z") {
    const auto d = meta::build_design(
        std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}, {.name = "alloc", .levels = alloc}}, 13);
    const auto r = meta::meta_regress(yi, vi, d);
    const std::vector<std::size_t> one{1};
    const auto t = meta::test_coefficients(r, one);
    CHECK(close(t.statistic, r.coefficients[1].statistic * r.coefficients[1].statistic));
    CHECK(close(t.p, r.coefficients[1].p));
    CHECK(r.qm.df1 == 3);
  }
}
