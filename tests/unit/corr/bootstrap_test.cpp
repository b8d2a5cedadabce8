// Properties of corr::bootstrap (reproducibility, threads), rmcorr errors, and the scatter plot.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/corr/bootstrap.hpp"
#include "trialstats/corr/rmcorr.hpp"
#include "trialstats/render/svg/scatter.hpp"

using namespace trialstats;

namespace {
const std::vector<double> x{1.1, 2.5, 0.3, 4.4, 3.3, 2.2, 5.1, 3.0, 1.9, 4.1, 2.8, 0.9};
const std::vector<double> y{2.0, 2.9, 1.0, 3.5, 3.9, 1.5, 4.0, 2.2, 2.4, 3.0, 3.3, 1.2};

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_SUITE("corr::bootstrap") {
  TEST_CASE("bootstrap: the same seed gives the same replicates with 1, 2 or 3 threads; another seed differs") {
    const auto a =
        corr::bootstrap(corr::Method::pearson, x, y, {.replicates = 301, .seed = 9, .level = 0.95, .threads = 1});
    const auto b =
        corr::bootstrap(corr::Method::pearson, x, y, {.replicates = 301, .seed = 9, .level = 0.95, .threads = 2});
    const auto c =
        corr::bootstrap(corr::Method::pearson, x, y, {.replicates = 301, .seed = 9, .level = 0.95, .threads = 3});
    const auto d =
        corr::bootstrap(corr::Method::pearson, x, y, {.replicates = 301, .seed = 10, .level = 0.95, .threads = 2});
    CHECK(a.estimates == b.estimates);
    CHECK(a.estimates == c.estimates);
    CHECK(a.estimates != d.estimates);
    CHECK(a.percentile.lower < a.percentile.upper);
    CHECK(a.bca.lower < a.bca.upper);
  }

  TEST_CASE("rmcorr: errors") {
    const std::vector<long long> s{1, 1, 2};
    CHECK_THROWS_WITH_AS(
        (void)corr::rmcorr(s, std::vector<double>{1, 2, 3}, std::vector<double>{1, 2, 2}),
        "rmcorr: 3 observations of 2 subjects leave 0 degrees of freedom; at least 1 is needed (N - k - 1)",
        DomainError);
    const std::vector<long long> t{1, 1, 2, 2};
    CHECK_THROWS_WITH_AS((void)corr::rmcorr(t, std::vector<double>{1, 1, 3, 3}, std::vector<double>{1, 2, 2, 1}),
                         "rmcorr: x within subjects is constant (standard deviation 0); the correlation is undefined",
                         DomainError);
  }

  TEST_CASE("scatter_plot: one band, one line and n points per group, a legend line each") {
    const render::svg::ScatterInput in{.x_label = "hf change",
                                       .y_label = "fatigue change",
                                       .groups = {{.name = "a", .x = x, .y = y, .annotation = "r = 0.80"},
                                                  {.name = "b", .x = y, .y = x, .annotation = "r = 0.80"}},
                                       .level = 0.95};
    const std::string svg = render::svg::scatter_plot(in);
    CHECK(count(svg, "class=\"point\"") == 2 * x.size());
    CHECK(count(svg, "class=\"band\"") == 2);
    CHECK(count(svg, "class=\"fit\"") == 2);
    CHECK(count(svg, "class=\"annotation\"") == 2);
    CHECK_THROWS_AS((void)render::svg::least_squares_band({1, 1, 1}, {1, 2, 3}, 0, 1, 0.95, 10), DomainError);
  }
}
