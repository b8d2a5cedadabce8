// corr::pearson / spearman / kendall against R 4.2.2's cor.test on 119 simulated samples (n 5 to 500,
// with and without ties, every alternative, exact and approximate p-values, continuity corrections),
// and the article's r = -0.62, n = 94.
// Expected values: tests/reference/scripts/corr_cortest.R -> fixtures/corr_cortest.json.
// The rank coefficients' Fisher-z intervals are not in cor.test: the script computes them from the
// published variances (Fieller et al. 1957; Bonett & Wright 2000).
//
// Tolerance: 1e-8 relative + 1e-14 absolute (closed forms; p-values of the Edgeworth series and the
// exact distributions are sums of a few terms).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/corr/pearson.hpp"
#include "trialstats/corr/rank.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

const json& fixture() {
  static const json j = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/corr_cortest.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return j;
}

std::vector<double> vec(const json& v) {
  return v.get<std::vector<double>>();
}

void close(double actual, double expected, const std::string& what, double rel = 1e-8, double abs = 1e-14) {
  INFO(what << ": actual " << actual << ", expected " << expected);
  CHECK(std::fabs(actual - expected) <= rel * std::fabs(expected) + abs);
}

corr::Alternative alternative(const std::string& s) {
  return s == "less"      ? corr::Alternative::less
         : s == "greater" ? corr::Alternative::greater
                          : corr::Alternative::two_sided;
}

corr::ExactRule exact(const std::string& s) {
  return s == "always" ? corr::ExactRule::always : s == "never" ? corr::ExactRule::never : corr::ExactRule::automatic;
}

}  // namespace

TEST_SUITE("corr::cor.test reference") {
  TEST_CASE("pearson, spearman and kendall agree with R's cor.test") {
    for (const auto& c : fixture()["cases"]) {
      const std::string id = c["id"].get<std::string>();
      SUBCASE(id.c_str()) {
        const auto x = vec(c["x"]), y = vec(c["y"]);
        const corr::CorrelationOptions o{.level = 0.95,
                                         .alternative = alternative(c["alternative"]),
                                         .exact = exact(c["exact"]),
                                         .continuity = c["continuity"].get<bool>()};
        const std::string m = c["method"];
        const corr::Correlation r = m == "pearson"    ? corr::pearson(x, y, o)
                                    : m == "spearman" ? corr::spearman(x, y, o)
                                                      : corr::kendall(x, y, o);
        CHECK(r.n == c["n"].get<std::size_t>());
        close(r.estimate, c["estimate"], id + " estimate");
        close(r.p, c["p"], id + " p");
        const std::string stat = c["statistic_name"];
        if (stat == std::string(corr::name(r.statistic_kind))) {
          close(r.statistic, c["statistic"], id + " statistic");
        } else {  // Spearman with ties or exact = FALSE: R shows S, the p-value comes from t
          CHECK(stat == "S");
          CHECK(r.statistic_kind == corr::Statistic::t);
          CHECK(r.p_method == corr::PMethod::t);
        }
        if (c["df"].is_number())
          close(r.df, c["df"], id + " df");
        else if (r.statistic_kind != corr::Statistic::t)
          CHECK(std::isnan(r.df));
        else
          close(r.df, static_cast<double>(r.n) - 2, id + " df of the t approximation");
        if (c["ci"].is_array()) {
          close(r.ci.lower, c["ci"][0], id + " ci lower");
          close(r.ci.upper, c["ci"][1], id + " ci upper");
        }
        if (m == "spearman") {
          const auto bw =
              corr::spearman(x, y, {.alternative = o.alternative, .spearman_ci = corr::RankCi::bonett_wright});
          CHECK(bw.ci_method == corr::CiMethod::fisher_z_bonett_wright);
          close(bw.ci.lower, c["ci_bonett_wright"][0], id + " Bonett-Wright lower");
          close(bw.ci.upper, c["ci_bonett_wright"][1], id + " Bonett-Wright upper");
        }
      }
    }
  }

  TEST_CASE("the article: r = -0.62, n = 94 gives t(92) = -7.58, p = 2.7e-11, CI [-0.731, -0.477]") {
    const json& a = fixture()["article"];
    const corr::Correlation c = corr::pearson_from_r(-0.62, 94);
    close(c.statistic, a["t"], "t");
    close(c.df, a["df"], "df");
    close(c.p, a["p"], "p");
    close(c.ci.lower, a["ci"][0], "ci lower");
    close(c.ci.upper, a["ci"][1], "ci upper");
    // As the article prints them.
    CHECK(std::round(c.statistic * 100) / 100 == doctest::Approx(-7.58));
    CHECK(c.p == doctest::Approx(2.7e-11).epsilon(0.01));
    CHECK(std::round(c.ci.lower * 1000) / 1000 == doctest::Approx(-0.731));
    CHECK(std::round(c.ci.upper * 1000) / 1000 == doctest::Approx(-0.477));
  }
}
