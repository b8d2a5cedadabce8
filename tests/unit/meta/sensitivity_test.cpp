// Properties and errors of meta::sensitivity, leave_one_out, cumulative, influence and baujat.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/sensitivity.hpp"

namespace {

using namespace trialstats;

// dat.bcg, log risk ratios (escalc RR).
const std::vector<double> yi{-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732, -0.78611559, -1.62089822,
                             0.01195233,  -0.46941765, -1.37134480, -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> vi{0.32558477, 0.19458112, 0.41536797, 0.02001003, 0.05121017, 0.00690562, 0.22301725,
                             0.00396158, 0.05643421, 0.07302479, 0.01241221, 0.53250585, 0.07140466};

std::vector<double> without(const std::vector<double>& v, std::size_t i) {
  std::vector<double> out = v;
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(i));
  return out;
}

}  // namespace

TEST_SUITE("meta::sensitivity") {
  TEST_CASE("leave_one_out: each row is the pooled analysis of the other studies") {
    for (const auto method :
         {meta::Tau2Method::reml, meta::Tau2Method::dl, meta::Tau2Method::pm, meta::Tau2Method::ee}) {
      const meta::PoolOptions o{.method = method, .tau2_ci = false};
      const auto l = meta::leave_one_out(yi, vi, {.pool = o});
      REQUIRE(l.rows.size() == yi.size());
      for (std::size_t i = 0; i < yi.size(); ++i) {
        const auto p = meta::pool(without(yi, i), without(vi, i), o);
        CHECK(l.rows[i].k == 12);
        CHECK(l.rows[i].estimate == doctest::Approx(p.estimate).epsilon(1e-9));
        CHECK(l.rows[i].se == doctest::Approx(p.se).epsilon(1e-9));
        CHECK(l.rows[i].tau2 == doctest::Approx(p.het.tau2).epsilon(1e-9));
        CHECK(l.rows[i].q == doctest::Approx(p.het.q).epsilon(1e-12));
        CHECK(l.rows[i].i2 == doctest::Approx(p.het.i2).epsilon(1e-9));
      }
    }
  }

  TEST_CASE("sensitivity: one worker or two give the same numbers; study order permutes the rows") {
    const auto one = meta::sensitivity(yi, vi, {.threads = 1});
    const auto two = meta::sensitivity(yi, vi, {.threads = 2});
    for (std::size_t i = 0; i < yi.size(); ++i) {
      CHECK(one.leave1out.rows[i].estimate == two.leave1out.rows[i].estimate);
      CHECK(one.influence.rows[i].rstudent == two.influence.rows[i].rstudent);
    }
    std::vector<double> ry(yi.rbegin(), yi.rend()), rv(vi.rbegin(), vi.rend());
    const auto rev = meta::sensitivity(ry, rv);
    const std::size_t n = yi.size();
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(rev.leave1out.rows[n - 1 - i].estimate == doctest::Approx(one.leave1out.rows[i].estimate).epsilon(1e-9));
      CHECK(rev.influence.rows[n - 1 - i].cook_d == doctest::Approx(one.influence.rows[i].cook_d).epsilon(1e-7));
      CHECK(rev.baujat.y[n - 1 - i] == doctest::Approx(one.baujat.y[i]).epsilon(1e-7));
    }
  }

  TEST_CASE("influence: hat values sum to 1, weights to 100, cov.r is positive") {
    const auto inf = meta::influence(yi, vi);
    double hat = 0, weight = 0;
    for (const auto& r : inf.rows) {
      hat += r.hat;
      weight += r.weight;
      CHECK(r.cov_r > 0);
      CHECK(r.ok);
    }
    CHECK(hat == doctest::Approx(1.0));
    CHECK(weight == doctest::Approx(100.0));
  }

  TEST_CASE("baujat: under the common-effect model the x coordinates add up to Q") {
    const meta::PoolOptions o{.method = meta::Tau2Method::ee, .tau2_ci = false};
    const auto b = meta::baujat(yi, vi, {.pool = o});
    const auto p = meta::pool(yi, vi, o);
    CHECK(std::accumulate(b.x.begin(), b.x.end(), 0.0) == doctest::Approx(p.het.q).epsilon(1e-12));
  }

  TEST_CASE("influence: a fixed tau² stays fixed in every refit") {
    const auto inf = meta::influence(yi, vi, {.pool = {.tau2 = 0.1, .tau2_ci = false}});
    for (const auto& r : inf.rows) CHECK(r.tau2_del == 0.1);
  }

  TEST_CASE("leave_one_out: with k = 2 each row is the other study alone") {
    const std::vector<double> y{0.2, 0.6}, v{0.04, 0.09};
    const auto l = meta::leave_one_out(y, v);
    CHECK(l.rows[0].k == 1);
    CHECK(l.rows[0].estimate == doctest::Approx(0.6));
    CHECK(l.rows[0].se == doctest::Approx(0.3));
    CHECK(l.rows[1].estimate == doctest::Approx(0.2));
    CHECK(l.rows[0].tau2 == 0);
    CHECK(l.rows[0].q_p == 1);
  }

  TEST_CASE("cumulative: the last row is the full analysis, the first a single study; keys sort stably") {
    const auto c = meta::cumulative(yi, vi);
    const auto p = meta::pool(yi, vi);
    CHECK(c.rows.back().estimate == doctest::Approx(p.estimate).epsilon(1e-9));
    CHECK(c.rows.back().tau2 == doctest::Approx(p.het.tau2).epsilon(1e-9));
    CHECK(c.rows.front().k == 1);
    CHECK(c.rows.front().estimate == doctest::Approx(yi[0]));
    CHECK(c.rows.front().q == 0);
    const std::vector<double> key{3, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5};
    const auto s = meta::cumulative(yi, vi, key);
    CHECK(s.order == std::vector<std::size_t>{4, 5, 6, 7, 8, 9, 10, 11, 1, 3, 2, 0, 12});
    const auto d = meta::cumulative(yi, vi, key, {}, true);
    CHECK(d.order.front() == 12);
    CHECK(d.order[1] == 0);
  }

  TEST_CASE("errors: k = 1, sizes, bad values, order keys") {
    const std::vector<double> one{0.5}, v1{0.1};
    CHECK_THROWS_WITH_AS((void)meta::leave_one_out(one, v1),
                         "leave_one_out: the number of studies is 1, but must be at least 2", DomainError);
    CHECK_THROWS_WITH_AS((void)meta::influence(one, v1),
                         "influence: the number of studies is 1, but must be at least 2", DomainError);
    CHECK_THROWS_WITH_AS((void)meta::baujat(one, v1), "baujat: the number of studies is 1, but must be at least 2",
                         DomainError);
    CHECK_THROWS_WITH_AS((void)meta::sensitivity(yi, std::vector<double>{0.1, 0.2}),
                         "sensitivity: yi has 13 values but vi has 2; they must be the same size", DomainError);
    std::vector<double> bad = vi;
    bad[2] = -0.1;
    CHECK_THROWS_WITH_AS((void)meta::sensitivity(yi, bad), "pool: variance of study 3 is -0.1, but must be positive",
                         DomainError);
    CHECK_THROWS_WITH_AS((void)meta::cumulative(yi, vi, std::vector<double>{1, 2}),
                         "cumulative: the order key has 2 values but yi has 13; they must be the same size",
                         DomainError);
    std::vector<double> key(13, 1.0);
    key[4] = std::nan("");
    CHECK_THROWS_WITH_AS((void)meta::cumulative(yi, vi, key),
                         "cumulative: the order key of study 5 is nan, but must be a number", DomainError);
    CHECK_THROWS_AS((void)meta::cumulative(std::vector<double>{}, std::vector<double>{}), NoResultError);
  }
}
