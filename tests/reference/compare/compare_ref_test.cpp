// Every test of compare/ against R 4.2.2 (stats): t.test, wilcox.test, chisq.test, fisher.test,
// prop.test, binom.test, power.t.test, power.prop.test.
// Source: tests/reference/scripts/compare_tests.R -> tests/reference/fixtures/compare_tests.json (each
// case records its R call; values with 17 significant digits). Tolerance: relative 1e-8 (closed forms
// and exact sums; the root-found quantities are compared with R runs whose root finder was tightened:
// fisher.test's uniroot to 1e-15, power.*.test's tol to 1e-12, so that both sides are exact to far
// below 1e-8). fisher.test's default estimate and limits are also checked, on the scale its uniroot
// searches (t = ψ when ψ ≤ 1, else 1/ψ), to twice uniroot's default tolerance (2 × 1.22e-4).
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "trialstats/compare/contingency.hpp"
#include "trialstats/compare/mann_whitney.hpp"
#include "trialstats/compare/power.hpp"
#include "trialstats/compare/proportions.hpp"
#include "trialstats/compare/ttest.hpp"

using namespace trialstats;
using namespace trialstats::compare;
using nlohmann::json;

namespace {

const json& fixture() {
  static const json fx = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/compare_tests.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return fx;
}

bool close(double got, const json& want, double rel = 1e-8) {
  if (want.is_null()) return std::isinf(got) || std::isnan(got);
  const double w = want.get<double>();
  return std::abs(got - w) <= rel * std::max(std::abs(got), std::abs(w)) + 1e-300;
}

// R's fisher.test finds ψ (or 1/ψ) in (0, 1) with uniroot(tol = .Machine$double.eps^0.25).
bool within_uniroot_tol(double got, const json& want) {
  if (want.is_null() || std::isinf(got)) return want.is_null() && std::isinf(got);
  const auto t = [](double v) { return v <= 1 ? v : 1 / v; };
  return std::abs(t(got) - t(want.get<double>())) <= 2 * 1.220703125e-4;
}

Alternative alt_of(const json& c) {
  return parse_alternative(c.at("alternative").get<std::string>()).value();
}

std::vector<double> values(const json& v) {
  return v.get<std::vector<double>>();
}

Table2x2 table_of(const json& c) {
  const auto t = values(c.at("table"));
  return {t[0], t[1], t[2], t[3]};
}

}  // namespace

TEST_SUITE("compare::reference") {
  TEST_CASE("t_test agrees with R t.test (Welch and Student, every alternative), from values and from summaries") {
    for (const auto& c : fixture().at("t_test")) {
      const auto& d = fixture().at("datasets").at(c.at("data").get<std::string>());
      const auto x = values(d.at("x")), y = values(d.at("y"));
      CAPTURE(c.at("data").get<std::string>());
      CAPTURE(c.at("call").get<std::string>());
      const TTestOptions o{.method = c.at("var_equal").get<bool>() ? TTestMethod::student : TTestMethod::welch,
                           .alternative = alt_of(c),
                           .mu = c.at("mu").get<double>(),
                           .level = c.at("level").get<double>()};
      for (const auto& r : {t_test(x, y, o), t_test(summarize(x), summarize(y), o)}) {
        CHECK(close(r.statistic, c.at("statistic")));
        CHECK(close(r.df, c.at("df")));
        CHECK(close(r.p, c.at("p")));
        CHECK(close(r.std_error, c.at("std_error")));
        CHECK(close(r.estimate, c.at("estimate")));
        CHECK(close(r.ci.lower, c.at("lower")));
        CHECK(close(r.ci.upper, c.at("upper")));
      }
    }
  }

  TEST_CASE("mann_whitney_test agrees with R wilcox.test (exact and normal, with and without correction)") {
    for (const auto& c : fixture().at("wilcox_test")) {
      const auto& d = fixture().at("datasets").at(c.at("data").get<std::string>());
      CAPTURE(c.at("data").get<std::string>());
      CAPTURE(c.at("call").get<std::string>());
      const MannWhitneyOptions o{.alternative = alt_of(c),
                                 .method = c.at("exact") == "auto" ? RankTestMethod::automatic : RankTestMethod::normal,
                                 .continuity = c.at("correct").get<bool>(),
                                 .mu = c.value("mu", 0.0)};
      const auto r = mann_whitney_test(values(d.at("x")), values(d.at("y")), o);
      CHECK(close(r.w, c.at("statistic")));
      CHECK(close(r.p, c.at("p")));
      const std::string method = c.at("method");
      CHECK(r.exact == (method.find("exact") != std::string::npos));
      CHECK(r.z.has_value() == !r.exact);
    }
  }

  TEST_CASE("chi_square_test agrees with R chisq.test, with and without Yates' correction") {
    for (const auto& c : fixture().at("chisq_test")) {
      CAPTURE(c.at("call").get<std::string>());
      const auto r = chi_square_test(table_of(c), {.yates = c.at("correct").get<bool>()});
      CHECK(close(r.statistic, c.at("statistic")));
      CHECK(close(r.df, c.at("df")));
      CHECK(close(r.p, c.at("p")));
      const auto e = values(c.at("expected"));
      for (std::size_t k = 0; k < 4; ++k) CHECK(close(r.expected[k], json(e[k])));
    }
    const auto& c = fixture().at("chisq_test_3x3");
    CAPTURE(c.at("call").get<std::string>());
    const auto r = chi_square_test(ContingencyTable{3, 3, values(c.at("counts"))});
    CHECK_FALSE(r.yates);
    CHECK(close(r.statistic, c.at("statistic")));
    CHECK(close(r.df, c.at("df")));
    CHECK(close(r.p, c.at("p")));
  }

  TEST_CASE("fisher_exact_test agrees with R fisher.test: p, conditional MLE and exact limits") {
    for (const auto& c : fixture().at("fisher_test")) {
      CAPTURE(c.at("call").get<std::string>());
      const auto r = fisher_exact_test(table_of(c), {.alternative = alt_of(c), .level = c.at("level").get<double>()});
      CHECK(close(r.p, c.at("p")));
      CHECK(close(r.odds_ratio, c.at("estimate")));
      CHECK(close(r.ci.lower, c.at("lower")));
      CHECK(close(r.ci.upper, c.at("upper")));
      CHECK(within_uniroot_tol(r.odds_ratio, c.at("estimate_default")));
      CHECK(within_uniroot_tol(r.ci.lower, c.at("lower_default")));
      CHECK(within_uniroot_tol(r.ci.upper, c.at("upper_default")));
    }
  }

  TEST_CASE("prop_test agrees with R prop.test for one and two proportions") {
    for (const auto& c : fixture().at("prop_test")) {
      CAPTURE(c.at("call").get<std::string>());
      const PropTestOptions o{
          .alternative = alt_of(c), .continuity = c.at("correct").get<bool>(), .null_p = c.value("null_p", 0.5)};
      const auto r = c.at("groups") == 1 ? prop_test(EventCount{c.at("x").get<double>(), c.at("n").get<double>()}, o)
                                         : prop_test(EventCount{c.at("x1").get<double>(), c.at("n1").get<double>()},
                                                     EventCount{c.at("x2").get<double>(), c.at("n2").get<double>()}, o);
      CHECK(close(r.statistic, c.at("statistic")));
      CHECK(close(r.p, c.at("p")));
      CHECK(close(r.ci.lower, c.at("lower")));
      CHECK(close(r.ci.upper, c.at("upper")));
    }
  }

  TEST_CASE("binom_test agrees with R binom.test: exact p and Clopper-Pearson limits") {
    for (const auto& c : fixture().at("binom_test")) {
      CAPTURE(c.at("call").get<std::string>());
      const auto r = binom_test(
          {c.at("x").get<double>(), c.at("n").get<double>()},
          {.alternative = alt_of(c), .level = c.at("level").get<double>(), .null_p = c.at("null_p").get<double>()});
      CHECK(close(r.p, c.at("p")));
      CHECK(close(r.ci.lower, c.at("lower")));
      CHECK(close(r.ci.upper, c.at("upper")));
    }
  }

  TEST_CASE("power_t_test and power_prop_test agree with R power.t.test and power.prop.test") {
    const auto options = [](const json& c) {
      return PowerOptions{.sig_level = c.at("sig_level").get<double>(),
                          .sides = c.at("sides") == "two.sided" ? Sides::two_sided : Sides::one_sided,
                          .strict = c.at("strict").get<bool>()};
    };
    for (const auto& c : fixture().at("power_t_test")) {
      CAPTURE(c.at("call").get<std::string>());
      if (c.at("solve") == "power") {
        const auto r = power_t_test_power(c.at("n").get<double>(), c.at("delta").get<double>(),
                                          c.at("sd").get<double>(), options(c));
        CHECK(close(r.power, c.at("power")));
      } else {
        const auto r = power_t_test_n(c.at("delta").get<double>(), c.at("sd").get<double>(),
                                      c.at("power").get<double>(), options(c));
        CHECK(close(r.n, c.at("n")));
        CHECK(close(r.power, c.at("power"), 1e-10));
      }
    }
    for (const auto& c : fixture().at("power_prop_test")) {
      CAPTURE(c.at("call").get<std::string>());
      if (c.at("solve") == "power") {
        const auto r = power_prop_test_power(c.at("n").get<double>(), c.at("p1").get<double>(),
                                             c.at("p2").get<double>(), options(c));
        CHECK(close(r.power, c.at("power")));
      } else {
        const auto r = power_prop_test_n(c.at("p1").get<double>(), c.at("p2").get<double>(),
                                         c.at("power").get<double>(), options(c));
        CHECK(close(r.n, c.at("n")));
      }
    }
  }

}  // TEST_SUITE
