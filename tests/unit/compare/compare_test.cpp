// compare/: properties, edge cases and errors of the two-group tests (reference values are in
// tests/reference/compare/compare_ref_test.cpp).
#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>

#include "trialstats/compare/contingency.hpp"
#include "trialstats/compare/mann_whitney.hpp"
#include "trialstats/compare/power.hpp"
#include "trialstats/compare/proportions.hpp"
#include "trialstats/compare/ttest.hpp"

using namespace trialstats;
using namespace trialstats::compare;

TEST_SUITE("compare") {
  TEST_CASE("t_test: swapping the groups negates t and the interval, keeps p") {
    const std::vector<double> x{5.1, 4.8, 6.0, 5.5, 5.9}, y{4.0, 4.4, 5.2, 3.9};
    for (auto m : {TTestMethod::welch, TTestMethod::student}) {
      const auto a = t_test(x, y, {.method = m}), b = t_test(y, x, {.method = m});
      CHECK(a.statistic == doctest::Approx(-b.statistic).epsilon(1e-14));
      CHECK(a.p == doctest::Approx(b.p).epsilon(1e-14));
      CHECK(a.ci.lower == doctest::Approx(-b.ci.upper).epsilon(1e-14));
    }
  }

  TEST_CASE("t_test: Welch and Student agree when groups have equal n and equal SD") {
    const auto w = t_test(GroupSummary{5, 2, 30}, GroupSummary{4, 2, 30});
    const auto s = t_test(GroupSummary{5, 2, 30}, GroupSummary{4, 2, 30}, {.method = TTestMethod::student});
    CHECK(w.statistic == doctest::Approx(s.statistic).epsilon(1e-14));
    CHECK(w.df == doctest::Approx(58).epsilon(1e-14));
  }

  TEST_CASE("t_test: errors") {
    CHECK_THROWS_WITH_AS((void)t_test(GroupSummary{5, 2, 1}, GroupSummary{4, 2, 30}),
                         "t_test: n of group 1 is 1, but must be at least 2", DomainError);
    CHECK_THROWS_WITH_AS((void)t_test(GroupSummary{5, 0, 3}, GroupSummary{5, 0, 3}),
                         "t_test: the data are essentially constant (standard error of the difference is 0)",
                         DomainError);
    CHECK_THROWS_WITH_AS((void)t_test(GroupSummary{5, -1, 3}, GroupSummary{5, 1, 3}),
                         "t_test: SD of group 1 is -1, but must be non-negative", DomainError);
    const std::vector<double> bad{1, std::numeric_limits<double>::quiet_NaN()}, ok{1, 2};
    CHECK_THROWS_AS((void)t_test(bad, ok), DomainError);
  }

  TEST_CASE("mann_whitney_distribution: sums to 1, symmetric, matches small cases counted by hand") {
    const auto d = mann_whitney_distribution(2, 2);  // 6 subsets: U = 0,1,2,2,3,4
    REQUIRE(d.size() == 5);
    CHECK(d[0] == doctest::Approx(1.0 / 6));
    CHECK(d[2] == doctest::Approx(2.0 / 6));
    const auto e = mann_whitney_distribution(7, 5);
    double s = 0;
    for (double v : e) s += v;
    CHECK(s == doctest::Approx(1).epsilon(1e-14));
    for (std::size_t u = 0; u < e.size(); ++u) CHECK(e[u] == doctest::Approx(e[e.size() - 1 - u]).epsilon(1e-12));
  }

  TEST_CASE(
      "mann_whitney_test: W + U2 = n1 n2; ties force the normal approximation with a warning when exact is asked") {
    const std::vector<double> x{1, 2, 2, 5}, y{2, 3, 4};
    const auto r = mann_whitney_test(x, y, {.method = RankTestMethod::exact});
    CHECK(r.w + r.u2 == 12);
    CHECK(r.ties);
    CHECK_FALSE(r.exact);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "ties_no_exact");
    CHECK_THROWS_WITH_AS((void)mann_whitney_test(std::vector<double>{1, 1}, std::vector<double>{1}),
                         "mann_whitney_test: every value is tied; the test is undefined", DomainError);
    CHECK_THROWS_WITH_AS((void)mann_whitney_test(std::vector<double>{}, std::vector<double>{1}),
                         "mann_whitney_test: number of values in group 1 is 0, but must be at least 1", DomainError);
  }

  TEST_CASE("chi_square_test: warns on small expected counts; rejects an empty row") {
    const auto r = chi_square_test(Table2x2{3, 1, 1, 3});
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "small_expected");
    CHECK_THROWS_WITH_AS((void)chi_square_test(Table2x2{0, 0, 1, 3}),
                         "chi_square_test: total of row 1 is 0, but must be positive", DomainError);
  }

  TEST_CASE("fisher_exact_test: the tea-tasting table, ends of the support, errors") {
    const auto tea = fisher_exact_test({3, 1, 1, 3});
    CHECK(tea.p == doctest::Approx(34.0 / 70).epsilon(1e-12));  // (1 + 16 + 16 + 1)/70
    const auto zero = fisher_exact_test({0, 10, 5, 5});
    CHECK(zero.odds_ratio == 0);
    CHECK(zero.ci.lower == 0);
    const auto top = fisher_exact_test({10, 0, 5, 5});
    CHECK(std::isinf(top.odds_ratio));
    CHECK(std::isinf(top.ci.upper));
    CHECK_THROWS_WITH_AS((void)fisher_exact_test({1.5, 1, 1, 1}),
                         "fisher_exact_test: count is 1.5, but must be a whole number", DomainError);
  }

  TEST_CASE("binom_test and prop_test: errors") {
    CHECK_THROWS_WITH_AS((void)binom_test({2.5, 10}), "binom_test: x is 2.5, but must be a whole number", DomainError);
    CHECK_THROWS_WITH_AS((void)prop_test({0, 10}, {0, 12}),
                         "prop_test: every patient has the same outcome; the test is undefined", DomainError);
    CHECK_THROWS_WITH_AS((void)prop_test({3, 10}, PropTestOptions{.null_p = 1}),
                         "prop_test: null proportion is 1, but must be in (0, 1)", DomainError);
  }

  TEST_CASE("power: solving for n and back gives the power; power grows with n") {
    const auto n = power_t_test_n(0.5, 1, 0.8);
    CHECK(power_t_test_power(n.n, 0.5, 1).power == doctest::Approx(0.8).epsilon(1e-10));
    CHECK(power_t_test_power(30, 0.5, 1).power < power_t_test_power(31, 0.5, 1).power);
    const auto m = power_prop_test_n(0.2, 0.3, 0.9);
    CHECK(power_prop_test_power(m.n, 0.2, 0.3).power == doctest::Approx(0.9).epsilon(1e-10));
    CHECK_THROWS_WITH_AS((void)power_t_test_n(0, 1, 0.8), "power_t_test: delta is 0, but must be non-zero",
                         DomainError);
    CHECK_THROWS_WITH_AS((void)power_prop_test_n(0.2, 0.3, 1.2), "power_prop_test: power is 1.2, but must be in (0, 1)",
                         DomainError);
  }

}  // TEST_SUITE
