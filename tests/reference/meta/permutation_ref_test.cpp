// Permutation tests against metafor 3.8.1 permutest(rma(...), exact = TRUE) on small k (every distinct
// permutation of the model matrix rows enumerated, so the p-values are exact numbers: they are compared
// at 1e-12). Random permutations cannot reproduce R's random number stream; they are checked
// statistically: with N permutations the p-value is within 5 binomial standard errors (plus 1/N) of
// metafor's exact p-value. Expected values: tests/reference/scripts/reg_regression.R -> fixtures/reg_regression.json.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/meta/permutation.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

std::vector<double> numbers(const json& v) {
  if (!v.is_array()) return {v.get<double>()};
  std::vector<double> out;
  for (const auto& x : v) out.push_back(x.get<double>());
  return out;
}
std::vector<std::string> strings(const json& v) {
  if (v.is_array()) return v.get<std::vector<std::string>>();
  return {v.get<std::string>()};
}

struct Case {
  std::vector<double> yi, vi;
  meta::Design design;
  meta::RegressionOptions options;
  json expected;
};

std::vector<Case> cases() {
  std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/reg_regression.json");
  REQUIRE(in.good());
  const json f = json::parse(in);
  std::vector<Case> out;
  for (const json& c : f["permutations"]) {
    const json& data = f["datasets"][c["dataset"].get<std::string>()];
    const auto y = numbers(data["yi"]), v = numbers(data["vi"]);
    Case cs;
    std::vector<meta::Moderator> mods;
    for (const auto& n : strings(c["mods"])) mods.push_back({.name = n});
    for (double r : numbers(c["rows"])) {
      const auto i = static_cast<std::size_t>(r) - 1;
      cs.yi.push_back(y[i]);
      cs.vi.push_back(v[i]);
      for (auto& m : mods) {
        const json& col = data["moderators"][m.name];
        if (col["type"] == "categorical")
          m.levels.push_back(col["values"][i].get<std::string>());
        else
          m.numbers.push_back(col["values"][i].get<double>());
      }
    }
    cs.design = meta::build_design(mods, cs.yi.size());
    cs.options.method = *meta::parse_tau2_method(c["method"].get<std::string>());
    cs.options.test = *meta::parse_test_method(c["test"].get<std::string>());
    cs.expected = c;
    out.push_back(std::move(cs));
  }
  return out;
}

}  // namespace

TEST_SUITE("meta::permutation (metafor)") {
  TEST_CASE("permutation_test: exact p-values equal metafor's permutest(exact = TRUE)") {
    for (const auto& c : cases()) {
      CAPTURE(c.expected["dataset"].get<std::string>());
      CAPTURE(c.expected["method"].get<std::string>());
      const auto t = meta::permutation_test(c.yi, c.vi, c.design, c.options, {.iterations = 1000, .exact = true});
      CHECK(t.exact);
      CHECK(t.permutations == c.expected["iter"].get<std::size_t>());
      const auto p = numbers(c.expected["pval"]);
      REQUIRE(t.p.size() == p.size());
      for (std::size_t j = 0; j < p.size(); ++j) CHECK(std::abs(t.p[j] - p[j]) <= 1e-12);
      CHECK(std::abs(t.qm_p - c.expected["QMp"].get<double>()) <= 1e-12);
    }
  }

  TEST_CASE("permutation_test: random permutations agree with the exact p-values within binomial error") {
    for (const auto& c : cases()) {
      CAPTURE(c.expected["dataset"].get<std::string>());
      const std::size_t n = 2000;
      const auto t = meta::permutation_test(c.yi, c.vi, c.design, c.options, {.iterations = n, .seed = 20261130});
      if (t.exact) continue;  // fewer distinct permutations than n: already covered above
      CHECK(t.permutations == n);
      const auto p = numbers(c.expected["pval"]);
      for (std::size_t j = 0; j < p.size(); ++j) {
        const double bound = 5 * std::sqrt(p[j] * (1 - p[j]) / n) + 1.0 / n;
        CHECK(std::abs(t.p[j] - p[j]) <= bound);
      }
      const double q = c.expected["QMp"].get<double>();
      CHECK(std::abs(t.qm_p - q) <= 5 * std::sqrt(q * (1 - q) / n) + 1.0 / n);
    }
  }
}
