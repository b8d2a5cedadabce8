// Subgroup analysis against metafor 3.8.1: a separate rma per level, rma(estimates, sei, method = "FE")
// on the subgroup estimates (its QE is the Q between subgroups with separate tau²) and
// rma(yi, vi, mods = ~ factor(group)) (its QM is the test with a common tau²).
// Expected values: tests/reference/scripts/reg_regression.R -> fixtures/reg_regression.json ("subgroups").
// Tolerance relative 1e-6: the estimators are iterative (REML, ML) in most cases (see regression_ref_test.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/meta/subgroup.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

std::vector<double> numbers(const json& v) {
  if (!v.is_array()) return {v.get<double>()};
  std::vector<double> out;
  for (const auto& x : v) out.push_back(x.get<double>());
  return out;
}

void check_close(double actual, double expected, const std::string& what) {
  INFO(what << ": actual " << actual << ", expected " << expected);
  CHECK(std::abs(actual - expected) <= std::max(1e-6 * std::abs(expected), 1e-12));
}

}  // namespace

TEST_SUITE("meta::subgroup (metafor)") {
  TEST_CASE("subgroup_analysis: per-level fits and both tests for subgroup differences equal metafor's") {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/reg_regression.json");
    REQUIRE(in.good());
    const json f = json::parse(in);
    REQUIRE(f["subgroups"].size() >= 6);
    for (const json& c : f["subgroups"]) {
      const std::string label = c["dataset"].get<std::string>() + " by " + c["group"].get<std::string>() + " " +
                                c["method"].get<std::string>() + "/" + c["test"].get<std::string>();
      CAPTURE(label);
      const json& data = f["datasets"][c["dataset"].get<std::string>()];
      const auto yi = numbers(data["yi"]), vi = numbers(data["vi"]);
      const auto group = data["moderators"][c["group"].get<std::string>()]["values"].get<std::vector<std::string>>();
      meta::PoolOptions o;
      o.method = *meta::parse_tau2_method(c["method"].get<std::string>());
      o.test = *meta::parse_test_method(c["test"].get<std::string>());
      const auto s = meta::subgroup_analysis(yi, vi, group, o);
      REQUIRE(s.groups.size() == c["levels"].size());
      for (std::size_t g = 0; g < s.groups.size(); ++g) {
        const json& e = c["levels"][g];
        CHECK(s.groups[g].level == e["level"].get<std::string>());
        CHECK(s.groups[g].fit.k == e["k"].get<int>());
        check_close(s.groups[g].fit.estimate, e["estimate"].get<double>(), "estimate " + s.groups[g].level);
        check_close(s.groups[g].fit.se, e["se"].get<double>(), "se " + s.groups[g].level);
        check_close(s.groups[g].fit.het.tau2, e["tau2"].get<double>(), "tau2 " + s.groups[g].level);
        check_close(s.groups[g].fit.p, e["p"].get<double>(), "p " + s.groups[g].level);
      }
      CHECK(s.separate.kind == meta::SubgroupTest::separate_tau2);
      check_close(s.separate.statistic, c["q_between"].get<double>(), "Q between");
      CHECK(s.separate.df1 == c["q_between_df"].get<int>());
      check_close(s.separate.p, c["q_between_p"].get<double>(), "Q between p");
      REQUIRE(s.common.has_value());
      CHECK(s.common->kind == meta::SubgroupTest::common_tau2);
      check_close(s.common->statistic, c["common_qm"].get<double>(), "QM");
      check_close(s.common->p, c["common_p"].get<double>(), "QM p");
      check_close(*s.common->tau2, c["common_tau2"].get<double>(), "common tau2");
      CHECK(s.common->df1 == c["common_df"][0].get<int>());
    }
  }
}
