// corr::bootstrap_intervals, jackknife and rmcorr against R 4.2.2.
// Expected values: tests/reference/scripts/corr_boot_rmcorr.R -> fixtures/corr_boot_rmcorr.json:
//   boot 1.3's boot.ci(type = c("perc", "bca"), L = empinf(type = "jack")) on replicates drawn by R
//   (the same replicates are given to bootstrap_intervals); the repeated-measures correlation from the
//   ANCOVA lm(y ~ factor(subject) + x) with drop1()'s type-III sums of squares and psych::r.con(r, df + 2)
//   (the rmcorr package is not in Debian; this is the computation the package performs).
// Tolerance: 1e-8 relative + 1e-12 absolute (closed forms; boot's interpolation is reproduced exactly).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/corr/bootstrap.hpp"
#include "trialstats/corr/rmcorr.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

const json& fixture() {
  static const json j = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/corr_boot_rmcorr.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return j;
}

void close(double actual, double expected, const std::string& what) {
  INFO(what << ": actual " << actual << ", expected " << expected);
  CHECK(std::fabs(actual - expected) <= 1e-8 * std::fabs(expected) + 1e-12);
}

corr::Method method(const std::string& m) {
  return m == "spearman" ? corr::Method::spearman : m == "kendall" ? corr::Method::kendall : corr::Method::pearson;
}

}  // namespace

TEST_SUITE("corr::bootstrap and rmcorr reference") {
  TEST_CASE("bootstrap_intervals: percentile and BCa of boot.ci on the same replicates; jackknife values") {
    for (const auto& c : fixture()["bootstrap"]) {
      const std::string id = c["id"];
      SUBCASE(id.c_str()) {
        const auto x = c["x"].get<std::vector<double>>(), y = c["y"].get<std::vector<double>>();
        const auto jack = corr::jackknife(method(c["method"]), x, y);
        const auto want = c["jackknife"].get<std::vector<double>>();
        REQUIRE(jack.size() == want.size());
        for (std::size_t i = 0; i < jack.size(); ++i) close(jack[i], want[i], id + " jackknife " + std::to_string(i));
        const auto t = c["t"].get<std::vector<double>>();
        const auto b = corr::bootstrap_intervals(c["t0"], t, jack, c["level"]);
        close(b.percentile.lower, c["percentile"][0], id + " percentile lower");
        close(b.percentile.upper, c["percentile"][1], id + " percentile upper");
        close(b.bca.lower, c["bca"][0], id + " BCa lower");
        close(b.bca.upper, c["bca"][1], id + " BCa upper");
      }
    }
  }

  TEST_CASE("rmcorr: the ANCOVA's r, df, p and the rmcorr package's interval") {
    for (const auto& c : fixture()["rmcorr"]) {
      const std::string id = c["id"];
      SUBCASE(id.c_str()) {
        const auto s = c["subject"].get<std::vector<long long>>();
        const auto r = corr::rmcorr(s, c["x"].get<std::vector<double>>(), c["y"].get<std::vector<double>>());
        close(r.c.estimate, c["estimate"], id + " r");
        close(r.c.df, c["df"], id + " df");
        close(r.c.p, c["p"], id + " p");
        close(r.c.ci.lower, c["ci"][0], id + " ci lower");
        close(r.c.ci.upper, c["ci"][1], id + " ci upper");
        CHECK(r.subjects == c["subjects"].get<std::size_t>());
      }
    }
  }
}
