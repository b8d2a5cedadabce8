// stats/proportion.hpp: Wilson, Newcombe, relative risk and NNT.
// Reference values: tests/reference/scripts/compare_proportion.R -> fixtures/compare_proportion.json
// (R 4.2.2 prop.test for Wilson with and without Yates' correction; Newcombe's method 10 built from
// prop.test's Wilson limits; metafor 3.8.1 escalc(measure = "RR") for the log relative risk), written
// with 17 significant digits: tolerance relative 1e-8 (closed forms). Published worked examples are
// printed to 4 decimals (Newcombe 1998b Table II; Altman 1998): tolerance 5e-5 absolute.
#include <cmath>
#include <fstream>
#include <limits>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "trialstats/stats/proportion.hpp"

using namespace trialstats;
using namespace trialstats::stats;

namespace {

nlohmann::json load_fixture() {
  std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/compare_proportion.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

bool close(double got, double want, double rel = 1e-8) {
  return std::abs(got - want) <= rel * std::max(std::abs(got), std::abs(want)) + 1e-300;
}

constexpr double inf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_SUITE("stats::proportion") {
  TEST_CASE("wilson_interval agrees with R prop.test, with and without Yates' correction") {
    const auto fx = load_fixture();
    for (const auto& c : fx.at("wilson")) {
      CAPTURE(c.at("call").get<std::string>());
      const auto r = wilson_interval({c.at("x").get<double>(), c.at("n").get<double>()},
                                     {.level = c.at("level").get<double>(), .continuity = c.at("correct").get<bool>()});
      CHECK(close(r.ci.lower, c.at("lower").get<double>()));
      CHECK(close(r.ci.upper, c.at("upper").get<double>()));
    }
  }

  TEST_CASE("risk_difference: Newcombe's hybrid score interval agrees with the R construction") {
    const auto fx = load_fixture();
    for (const auto& c : fx.at("newcombe")) {
      const EventCount g1{c.at("x1").get<double>(), c.at("n1").get<double>()};
      const EventCount g2{c.at("x2").get<double>(), c.at("n2").get<double>()};
      CAPTURE(g1.x);
      CAPTURE(g1.n);
      CAPTURE(g2.x);
      CAPTURE(g2.n);
      const auto r = risk_difference(g1, g2, {.level = c.at("level").get<double>()});
      CHECK(close(r.estimate, c.at("estimate").get<double>()));
      CHECK(close(r.ci.lower, c.at("lower").get<double>()));
      CHECK(close(r.ci.upper, c.at("upper").get<double>()));
    }
  }

  TEST_CASE("risk_difference: published worked examples (4 decimals)") {
    struct Row {
      EventCount g1, g2;
      double d, lo, hi;
      const char* source;
    };
    const Row rows[] = {
        {{30, 47}, {18, 47}, 0.2553, 0.0533, 0.4301, "Altman 1998, Newcombe interval"},
        {{56, 70}, {48, 80}, 0.2000, 0.0524, 0.3339, "Newcombe 1998b Table II (a), method 10"},
        {{9, 10}, {3, 10}, 0.6000, 0.1705, 0.8090, "Newcombe 1998b Table II (b), method 10"},
    };
    for (const auto& row : rows) {
      CAPTURE(row.source);
      const auto r = risk_difference(row.g1, row.g2);
      CHECK(std::abs(r.estimate - row.d) <= 5e-5);
      CHECK(std::abs(r.ci.lower - row.lo) <= 5e-5);
      CHECK(std::abs(r.ci.upper - row.hi) <= 5e-5);
    }
  }

  TEST_CASE("risk_difference: Wald interval is symmetric around the difference") {
    const auto r = risk_difference({30, 47}, {18, 47}, {.method = DifferenceMethod::wald});
    const double se = std::sqrt(30.0 / 47 * 17 / 47 / 47 + 18.0 / 47 * 29 / 47 / 47);
    CHECK(close(r.std_error, se));
    CHECK(close(r.estimate - r.ci.lower, r.ci.upper - r.estimate));
    CHECK(close(r.ci.upper - r.estimate, 1.959963984540054 * se, 1e-12));
  }

  TEST_CASE("relative_risk agrees with metafor escalc(measure = 'RR'), with its zero-cell correction") {
    const auto fx = load_fixture();
    for (const auto& c : fx.at("relative_risk")) {
      const EventCount g1{c.at("x1").get<double>(), c.at("n1").get<double>()};
      const EventCount g2{c.at("x2").get<double>(), c.at("n2").get<double>()};
      CAPTURE(g1.x);
      CAPTURE(g2.x);
      const auto r = relative_risk(g1, g2, c.at("level").get<double>());
      CHECK(close(r.log_estimate, c.at("log_estimate").get<double>()));
      CHECK(close(r.log_std_error, c.at("log_std_error").get<double>()));
      CHECK(close(r.ci.lower, c.at("lower").get<double>()));
      CHECK(close(r.ci.upper, c.at("upper").get<double>()));
      CHECK(r.corrected == (g1.x == 0 || g2.x == 0));
      CHECK(r.warnings.size() == (r.corrected ? 1u : 0u));
    }
  }

  TEST_CASE("number_needed_to_treat: Altman's worked example, NNTB 3.92 (2.33 to 18.76)") {
    const auto r = number_needed_to_treat({30, 47}, {18, 47});
    CHECK(r.kind == NntKind::benefit);
    CHECK_FALSE(r.through_infinity);
    CHECK(std::abs(r.estimate - 3.92) <= 5e-3);
    CHECK(r.lower.kind == NntKind::benefit);
    CHECK(r.upper.kind == NntKind::benefit);
    CHECK(std::abs(r.lower.value - 2.33) <= 5e-3);
    CHECK(std::abs(r.upper.value - 18.76) <= 5e-3);
    CHECK(close(r.estimate, 1 / r.risk_difference.estimate, 1e-14));
    CHECK(close(r.lower.value, 1 / r.risk_difference.ci.upper, 1e-14));
    CHECK(close(r.upper.value, 1 / r.risk_difference.ci.lower, 1e-14));
  }

  TEST_CASE("number_needed_to_treat: an unfavourable event turns benefit into harm") {
    const auto r = number_needed_to_treat({30, 47}, {18, 47}, {.event = EventKind::unfavourable});
    CHECK(r.kind == NntKind::harm);
    CHECK(r.lower == NntLimit{NntKind::harm, number_needed_to_treat({30, 47}, {18, 47}).lower.value});
    const auto swapped = number_needed_to_treat({18, 47}, {30, 47}, {.event = EventKind::unfavourable});
    CHECK(swapped.kind == NntKind::benefit);
    CHECK(close(swapped.upper.value, 1 / 0.0533, 5e-3));
  }

  TEST_CASE("number_needed_to_treat: an interval of the difference through 0 gives NNTB x to infinity to NNTH y") {
    const auto r = number_needed_to_treat({20, 100}, {16, 100});
    const auto& d = r.risk_difference;
    REQUIRE(d.ci.lower < 0);
    REQUIRE(d.ci.upper > 0);
    CHECK(r.through_infinity);
    CHECK(r.kind == NntKind::benefit);
    CHECK(close(r.estimate, 25, 1e-12));
    CHECK(r.lower == NntLimit{NntKind::benefit, 1 / d.ci.upper});
    CHECK(r.upper == NntLimit{NntKind::harm, -1 / d.ci.lower});
    const auto none = number_needed_to_treat({10, 50}, {10, 50});
    CHECK(none.estimate == inf);
    CHECK(none.through_infinity);
  }

  TEST_CASE("proportion functions: properties") {
    SUBCASE("Wilson limits stay in [0, 1] and contain the estimate") {
      for (double x : {0.0, 1.0, 5.0, 9.0, 10.0}) {
        const auto r = wilson_interval({x, 10});
        CHECK(r.ci.lower >= 0);
        CHECK(r.ci.upper <= 1);
        CHECK(r.ci.lower <= r.estimate);
        CHECK(r.ci.upper >= r.estimate);
      }
    }
    SUBCASE("swapping the groups negates the difference and swaps the limits") {
      const auto a = risk_difference({30, 47}, {18, 47}), b = risk_difference({18, 47}, {30, 47});
      CHECK(close(a.estimate, -b.estimate, 1e-14));
      CHECK(close(a.ci.lower, -b.ci.upper, 1e-14));
      CHECK(close(a.ci.upper, -b.ci.lower, 1e-14));
    }
    SUBCASE("a wider level gives a wider interval") {
      const auto a = wilson_interval({30, 47}, {.level = 0.9}), b = wilson_interval({30, 47}, {.level = 0.99});
      CHECK(b.ci.lower < a.ci.lower);
      CHECK(b.ci.upper > a.ci.upper);
    }
  }

  TEST_CASE("proportion functions: bad input") {
    CHECK_THROWS_WITH_AS((void)wilson_interval({11, 10}),
                         "wilson_interval: x of group is 11, but must be at most n = 10", DomainError);
    CHECK_THROWS_WITH_AS((void)wilson_interval({1, 0}), "wilson_interval: n of group is 0, but must be positive",
                         DomainError);
    CHECK_THROWS_WITH_AS((void)risk_difference({-1, 10}, {1, 10}),
                         "risk_difference: x of group 1 is -1, but must be non-negative", DomainError);
    CHECK_THROWS_WITH_AS((void)relative_risk({1, 10}, {1, 10}, 1.5),
                         "relative_risk: confidence level is 1.5, but must be in (0, 1)", DomainError);
  }

}  // TEST_SUITE
