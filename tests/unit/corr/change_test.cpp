// Properties and errors of corr::change_scores, coupling_warnings, oldham, partial, compare_*, p_adjust.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <span>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/corr/adjust.hpp"
#include "trialstats/corr/change.hpp"
#include "trialstats/corr/compare.hpp"
#include "trialstats/corr/matrix.hpp"
#include "trialstats/corr/partial.hpp"

using namespace trialstats;

TEST_SUITE("corr::change") {
  TEST_CASE("change_scores: difference and percent; a zero baseline has no percent change") {
    const std::vector<double> pre{10, 20, 40}, post{12, 15, 40};
    CHECK(corr::change_scores(pre, post) == std::vector<double>{2, -5, 0});
    CHECK(corr::change_scores(pre, post, corr::ChangeKind::percent) == std::vector<double>{20, -25, 0});
    CHECK_THROWS_WITH_AS(
        (void)corr::change_scores(std::vector<double>{0, 1}, std::vector<double>{1, 1}, corr::ChangeKind::percent),
        "change_scores: baseline 1 is 0; a percent change is undefined", DomainError);
  }

  TEST_CASE("coupling_warnings: a change against its baseline, a shared column, and none") {
    const corr::VariableSource hf{.name = "hf_post-hf_pre", .pre = "hf_pre", .post = "hf_post"};
    const corr::VariableSource hf_pre{.name = "hf_pre", .pre = "", .post = "hf_pre"};
    const corr::VariableSource fat{.name = "fatigue_post-fatigue_pre", .pre = "fatigue_pre", .post = "fatigue_post"};
    const corr::VariableSource ratio{.name = "lf_hf_post-hf_post", .pre = "hf_post", .post = "lf_hf_post"};
    REQUIRE(corr::coupling_warnings(hf, hf_pre).size() == 1);
    CHECK(corr::coupling_warnings(hf, hf_pre)[0].code == "baseline_coupling");
    CHECK(corr::coupling_warnings(hf_pre, hf)[0].code == "baseline_coupling");
    CHECK(corr::coupling_warnings(hf, ratio)[0].code == "shared_variable");
    CHECK(corr::coupling_warnings(hf, fat).empty());
  }

  TEST_CASE(
      "coupling: with independent pre and post of equal variance, corr(change, pre) is near -0.71, Oldham's near 0") {
    std::mt19937_64 gen(11);
    std::normal_distribution<double> nd(0, 1);  // only the size of the effect is checked, not exact values
    std::vector<double> pre(4000), post(4000);
    for (std::size_t i = 0; i < pre.size(); ++i) {
      pre[i] = nd(gen);
      post[i] = nd(gen);
    }
    const auto change = corr::change_scores(pre, post);
    CHECK(corr::pearson(change, pre).estimate == doctest::Approx(-std::sqrt(0.5)).epsilon(0.05));
    CHECK(std::fabs(corr::oldham(pre, post).estimate) < 0.05);
  }

  TEST_CASE("partial: no controls is the ordinary Pearson test; errors") {
    const std::vector<double> x{1.1, 2.5, 0.3, 4.4, 3.3, 2.2, 5.1}, y{2.0, 2.9, 1.0, 3.5, 3.9, 1.5, 4.0};
    const auto a = corr::partial(x, y, {});
    const auto b = corr::pearson(x, y);
    CHECK(a.estimate == doctest::Approx(b.estimate).epsilon(1e-12));
    CHECK(a.p == doctest::Approx(b.p).epsilon(1e-10));
    const std::vector<std::span<const double>> self{std::span<const double>(x)};
    CHECK_THROWS_WITH_AS((void)corr::partial(x, y, self),
                         "partial: x is a linear function of the controls; the partial correlation is undefined",
                         DomainError);
    const std::vector<double> k(7, 1.0);
    const std::vector<std::span<const double>> constant{std::span<const double>(k)};
    CHECK_THROWS_WITH_AS((void)corr::partial(x, y, constant),
                         "partial: the controls are collinear (or one is constant); drop one of them", DomainError);
    CHECK_THROWS_AS((void)corr::partial(x, y, {}, {.method = corr::Method::kendall}), DomainError);
  }

  TEST_CASE("compare: equal correlations give z = 0 and an interval around 0; errors") {
    const auto i = corr::compare_independent(0.4, 50, 0.4, 80);
    CHECK(i.z == 0);
    CHECK(i.ci.lower < 0);
    CHECK(i.ci.upper > 0);
    const auto d = corr::compare_dependent(0.3, 0.3, 0.5, 100);
    CHECK(d.williams_t == 0);
    CHECK(d.steiger_z == 0);
    CHECK_THROWS_WITH_AS((void)corr::compare_independent(1.0, 50, 0.4, 80),
                         "compare_independent: r1 is 1, but must be in (-1, 1)", DomainError);
    CHECK_THROWS_WITH_AS((void)corr::compare_dependent(0.9, -0.9, 0.9, 50),
                         "compare_dependent: the three correlations do not form a positive definite matrix",
                         DomainError);
  }

  TEST_CASE("p_adjust: NaN stays NaN and does not count; none leaves p alone; out of range throws") {
    const std::vector<double> p{0.01, NAN, 0.02};
    const auto h = corr::p_adjust(p, corr::Adjust::holm);
    CHECK(h[0] == doctest::Approx(0.02));
    CHECK(std::isnan(h[1]));
    CHECK(h[2] == doctest::Approx(0.02));
    CHECK(corr::p_adjust(p, corr::Adjust::none)[2] == 0.02);
    CHECK_THROWS_AS((void)corr::p_adjust(std::vector<double>{1.5}, corr::Adjust::bh), DomainError);
  }

  TEST_CASE("correlation_matrix: the triangle of one set, pairwise-complete cells, adjusted p-values") {
    const std::vector<double> a{1, 2, 3, 4, 5, 6}, b{2, 1, 4, 3, 6, NAN}, c{6, 4, 5, 3, 1, 2};
    const auto m = corr::correlation_matrix({a, b, c}, {}, corr::Method::pearson, {}, corr::Adjust::holm);
    REQUIRE(m.entries.size() == 3);
    CHECK(m.entries[0].c.n == 5);  // a, b: the last row is missing in b
    CHECK(m.entries[1].c.n == 6);
    std::vector<double> p;
    for (const auto& e : m.entries) p.push_back(e.c.p);
    const auto adj = corr::p_adjust(p, corr::Adjust::holm);
    for (std::size_t i = 0; i < 3; ++i) CHECK(m.entries[i].adjusted_p == adj[i]);
    const auto r = corr::correlation_matrix({a}, {b, c}, corr::Method::spearman, {}, corr::Adjust::bh);
    CHECK(r.entries.size() == 2);
    CHECK(!r.triangle);
  }
}
