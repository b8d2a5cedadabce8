// Properties and errors of corr::pearson, spearman, kendall, average_ranks.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/corr/pearson.hpp"
#include "trialstats/corr/rank.hpp"

namespace {

using namespace trialstats;

// Kendall's S = concordant − discordant by the O(n²) definition.
double naive_s(const std::vector<double>& x, const std::vector<double>& y) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      const double a = (x[i] > x[j]) - (x[i] < x[j]), b = (y[i] > y[j]) - (y[i] < y[j]);
      s += a * b;
    }
  return s;
}

}  // namespace

TEST_SUITE("corr::rank") {
  TEST_CASE("kendall: the O(n log n) tau-b equals the pairwise definition, with and without ties") {
    std::mt19937_64 gen(7);
    for (int rep = 0; rep < 20; ++rep) {
      const std::size_t n = 5 + static_cast<std::size_t>(rep) * 37;
      std::vector<double> x(n), y(n);
      for (std::size_t i = 0; i < n; ++i) {
        x[i] = static_cast<double>(gen() % (rep % 2 ? 7 : 1000000));
        y[i] = static_cast<double>(gen() % (rep % 3 ? 5 : 1000000)) + 0.01 * x[i];
      }
      const auto rp = corr::rank_pairs(x, y);
      const double nn = static_cast<double>(n), n0 = nn * (nn - 1) / 2;
      const double expected = naive_s(x, y) / std::sqrt((n0 - rp.ties_x.t1 / 2) * (n0 - rp.ties_y.t1 / 2));
      CHECK(corr::kendall(rp).estimate == doctest::Approx(expected).epsilon(1e-12));
    }
  }

  TEST_CASE("rank_pairs: from 100,000 pairs y is ranked on a second thread, with the same ranks") {
    std::mt19937_64 gen(5);
    std::vector<double> x(120000), y(120000);
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<double>(gen() % 5000);
      y[i] = static_cast<double>(gen() % 300);
    }
    const auto rp = corr::rank_pairs(x, y);
    const auto ry = corr::average_ranks(y);
    bool same = true;
    for (std::size_t i = 0; i < y.size(); ++i) same = same && rp.ry2[i] == 2 * ry[i];
    CHECK(same);
    CHECK(rp.ties_y.groups == 300);
  }

  TEST_CASE("average_ranks: ties share the mean of their positions") {
    const std::vector<double> v{3.0, 1.0, 3.0, 2.0, 3.0};
    CHECK(corr::average_ranks(v) == std::vector<double>{4, 1, 4, 2, 4});
  }

  TEST_CASE("coefficients are symmetric, invariant to the order of the pairs, and change sign with y") {
    const std::vector<double> x{1.1, 2.5, 0.3, 4.4, 3.3, 2.2, 5.1}, y{2.0, 2.9, 1.0, 3.5, 3.9, 1.5, 4.0};
    std::vector<double> xr(x.rbegin(), x.rend()), yr(y.rbegin(), y.rend()), ny;
    for (double v : y) ny.push_back(-v);
    for (auto m : {corr::Method::pearson, corr::Method::spearman, corr::Method::kendall}) {
      const auto c = corr::correlate(m, x, y);
      CHECK(corr::correlate(m, y, x).estimate == doctest::Approx(c.estimate).epsilon(1e-14));
      CHECK(corr::correlate(m, xr, yr).estimate == doctest::Approx(c.estimate).epsilon(1e-14));
      CHECK(corr::correlate(m, x, ny).estimate == doctest::Approx(-c.estimate).epsilon(1e-14));
      CHECK(corr::correlate(m, x, ny).p == doctest::Approx(c.p).epsilon(1e-12));
      CHECK(c.ci.lower < c.estimate);
      CHECK(c.estimate < c.ci.upper);
    }
  }

  TEST_CASE("perfect association: estimate 1, p from the extreme tail, infinite t for Pearson") {
    const std::vector<double> x{1, 2, 3, 4, 5, 6}, y{2, 4, 6, 8, 10, 12.5};
    CHECK(corr::spearman(x, y).estimate == 1.0);
    CHECK(corr::kendall(x, y).estimate == 1.0);
    CHECK(corr::kendall(x, y).p == doctest::Approx(2.0 / 720));  // two-sided, 1/6! in each tail
    const auto p = corr::pearson(x, x);
    CHECK(p.estimate == 1.0);
    CHECK(std::isinf(p.statistic));
    CHECK(p.p == 0.0);
  }

  TEST_CASE("n = 3: Pearson has no interval and says so") {
    const auto c = corr::pearson(std::vector<double>{1, 2, 3}, std::vector<double>{1, 3, 2});
    CHECK(c.ci_method == corr::CiMethod::none);
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].code == "no_ci_n3");
  }

  TEST_CASE("errors: sizes, too few pairs, constant variables, non-finite values, level") {
    const std::vector<double> a{1, 2, 3, 4}, b{1, 2, 3}, k{5, 5, 5, 5};
    CHECK_THROWS_WITH_AS((void)corr::pearson(a, b), "pearson: x has 4 values but y has 3; they must be the same size",
                         DomainError);
    CHECK_THROWS_WITH_AS((void)corr::pearson(std::vector<double>{1, 2}, std::vector<double>{1, 2}),
                         "pearson: the number of pairs is 2, but must be at least 3", DomainError);
    CHECK_THROWS_WITH_AS((void)corr::pearson(a, k),
                         "pearson: y is constant (standard deviation 0); the correlation is undefined", DomainError);
    CHECK_THROWS_WITH_AS((void)corr::spearman(k, a),
                         "spearman: x is constant (standard deviation 0); the correlation is undefined", DomainError);
    CHECK_THROWS_WITH_AS((void)corr::kendall(a, k),
                         "kendall: y is constant (standard deviation 0); the correlation is undefined", DomainError);
    CHECK_THROWS_WITH_AS((void)corr::kendall(a, std::vector<double>{1, NAN, 2, 3}),
                         "rank_pairs: y[2] is nan, but must be finite", DomainError);
    CHECK_THROWS_WITH_AS((void)corr::pearson(a, a, {.level = 1.5}),
                         "pearson: level is 1.5, but must be between 0 and 1 (exclusive)", DomainError);
    CHECK_THROWS_AS((void)corr::pearson_from_r(1.2, 10), DomainError);
  }
}
