// corr::partial, compare_independent, compare_dependent, p_adjust and oldham against R 4.2.2.
// Expected values: tests/reference/scripts/corr_compare.R -> fixtures/corr_compare.json:
//   partial correlations from the inverse correlation matrix (a different route from the library's
//   residual regression); Fisher's z for independent correlations and Williams' t from psych 2.2.9's
//   r.test; Steiger's Z and Zou's intervals from the equations of Steiger (1980) and Zou (2007) written
//   out in R; p.adjust (holm, BH, bonferroni); cor.test for Oldham's correlation.
// Tolerance: 1e-8 relative + 1e-14 absolute (closed forms).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/corr/adjust.hpp"
#include "trialstats/corr/change.hpp"
#include "trialstats/corr/compare.hpp"
#include "trialstats/corr/partial.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

const json& fixture() {
  static const json j = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/corr_compare.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return j;
}

void close(double actual, double expected, const std::string& what) {
  INFO(what << ": actual " << actual << ", expected " << expected);
  CHECK(std::fabs(actual - expected) <= 1e-8 * std::fabs(expected) + 1e-14);
}

}  // namespace

TEST_SUITE("corr::compare reference") {
  TEST_CASE("partial: Pearson and Spearman partial correlations agree with the inverse correlation matrix") {
    for (const auto& c : fixture()["partial"]) {
      const std::string id = c["id"];
      SUBCASE(id.c_str()) {
        const auto x = c["x"].get<std::vector<double>>(), y = c["y"].get<std::vector<double>>();
        std::vector<std::vector<double>> z;
        for (const auto& col : c["controls"]) z.push_back(col.get<std::vector<double>>());
        const std::vector<std::span<const double>> controls(z.begin(), z.end());
        const auto r = corr::partial(
            x, y, controls, {.method = c["method"] == "spearman" ? corr::Method::spearman : corr::Method::pearson});
        close(r.estimate, c["estimate"], id + " estimate");
        close(r.statistic, c["statistic"], id + " t");
        close(r.df, c["df"], id + " df");
        close(r.p, c["p"], id + " p");
        close(r.ci.lower, c["ci"][0], id + " ci lower");
        close(r.ci.upper, c["ci"][1], id + " ci upper");
      }
    }
  }

  TEST_CASE("compare_independent: psych::r.test's z and p, Zou's interval") {
    for (const auto& c : fixture()["independent"]) {
      const auto r =
          corr::compare_independent(c["r1"], c["n1"].get<std::size_t>(), c["r2"], c["n2"].get<std::size_t>());
      close(std::fabs(r.z), c["z"], "|z| (psych::r.test reports the absolute value)");
      CHECK((r.z < 0) == (r.r1 < r.r2));
      close(r.p, c["p"], "p");
      close(r.ci.lower, c["ci"][0], "Zou lower");
      close(r.ci.upper, c["ci"][1], "Zou upper");
    }
  }

  TEST_CASE("compare_dependent: Williams' t of psych::r.test, Steiger's Z, Zou's interval") {
    for (const auto& c : fixture()["dependent"]) {
      const auto r = corr::compare_dependent(c["r_jk"], c["r_jh"], c["r_kh"], c["n"].get<std::size_t>());
      close(r.williams_t, c["williams_t"], "Williams t");
      close(r.williams_p, c["williams_p"], "Williams p");
      close(r.steiger_z, c["steiger_z"], "Steiger Z");
      close(r.steiger_p, c["steiger_p"], "Steiger p");
      close(r.ci.lower, c["ci"][0], "Zou lower");
      close(r.ci.upper, c["ci"][1], "Zou upper");
    }
  }

  TEST_CASE("p_adjust: holm, BH and bonferroni as p.adjust, ties included") {
    const json& a = fixture()["adjust"];
    const auto p = a["p"].get<std::vector<double>>();
    for (auto [m, key] :
         {std::pair{corr::Adjust::holm, "holm"}, {corr::Adjust::bh, "BH"}, {corr::Adjust::bonferroni, "bonferroni"}}) {
      const auto got = corr::p_adjust(p, m);
      const auto want = a[key].get<std::vector<double>>();
      for (std::size_t i = 0; i < p.size(); ++i) close(got[i], want[i], std::string(key) + " " + std::to_string(i));
    }
  }

  TEST_CASE("oldham: cor.test of the change against the mean of pre and post") {
    const json& o = fixture()["oldham"];
    const auto pre = o["pre"].get<std::vector<double>>(), post = o["post"].get<std::vector<double>>();
    const auto r = corr::oldham(pre, post);
    close(r.estimate, o["estimate"], "estimate");
    close(r.statistic, o["statistic"], "t");
    close(r.p, o["p"], "p");
    close(r.ci.lower, o["ci"][0], "ci lower");
    close(r.ci.upper, o["ci"][1], "ci upper");
    const auto change = corr::change_scores(pre, post);
    close(corr::pearson(change, pre).estimate, o["coupled_estimate"], "coupled r");
  }
}
