// Mantel–Haenszel and Peto pooling against metafor 3.8.1 rma.mh / rma.peto on metadat 1.2.0 datasets.
// Expected values: tests/reference/scripts/mh_binary_pooling.R -> fixtures/mh_binary_pooling.json.
// Closed forms: relative tolerance 1e-8 (absolute 1e-12 where the expected value is 0).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/meta/binary_pooling.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

json load_fixture() {
  std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/mh_binary_pooling.json");
  REQUIRE(in.good());
  return json::parse(in);
}

void check_close(double actual, double expected, const std::string& what) {
  const double tol = expected == 0 ? 1e-12 : 1e-8 * std::abs(expected);
  INFO(what << ": actual " << actual << ", expected " << expected);
  CHECK(std::abs(actual - expected) <= tol);
}

void check_value(double actual, const json& expected, const std::string& what) {
  INFO(what);
  REQUIRE(expected.is_number());
  check_close(actual, expected.get<double>(), what);
}

effect::ContinuityRule rule(const std::string& s) {
  if (s == "only0") return effect::ContinuityRule::only0;
  if (s == "all") return effect::ContinuityRule::all;
  if (s == "if0all") return effect::ContinuityRule::if0all;
  REQUIRE(s == "none");
  return effect::ContinuityRule::none;
}

// metafor's two-element add / to / drop00, a single value meaning (value, 0 / "none" / FALSE).
meta::BinaryPoolingOptions options_of(const json& o, meta::MhMeasure measure) {
  auto at = [](const json& v, std::size_t i) -> std::optional<json> {
    if (!v.is_array()) return i == 0 ? std::optional<json>(v) : std::nullopt;
    return i < v.size() ? std::optional<json>(v[i]) : std::nullopt;
  };
  meta::BinaryPoolingOptions opt;
  opt.measure = measure;
  opt.outcomes.add = at(o["add"], 0)->get<double>();
  opt.outcomes.to = rule(at(o["to"], 0)->get<std::string>());
  opt.outcomes.drop00 = at(o["drop00"], 0)->get<bool>();
  opt.tables.add = at(o["add"], 1) ? at(o["add"], 1)->get<double>() : 0.0;
  opt.tables.to = at(o["to"], 1) ? rule(at(o["to"], 1)->get<std::string>()) : effect::ContinuityRule::none;
  opt.tables.drop00 = at(o["drop00"], 1) ? at(o["drop00"], 1)->get<bool>() : false;
  opt.level = o["level"].get<double>() / 100;
  return opt;
}

struct Case {
  std::vector<double> ai, bi, ci, di;
  std::vector<bool> complete;  // metafor omits tables with a missing count
};

Case tables_of(const json& data) {
  Case c;
  const std::size_t k = data["ai"].size();
  for (std::size_t i = 0; i < k; ++i) {
    const bool ok =
        !data["ai"][i].is_null() && !data["bi"][i].is_null() && !data["ci"][i].is_null() && !data["di"][i].is_null();
    c.complete.push_back(ok);
    if (!ok) continue;
    c.ai.push_back(data["ai"][i].get<double>());
    c.bi.push_back(data["bi"][i].get<double>());
    c.ci.push_back(data["ci"][i].get<double>());
    c.di.push_back(data["di"][i].get<double>());
  }
  return c;
}

// yi/vi of the complete tables (metafor's yi.f keeps every input row).
void check_outcomes(const std::vector<std::optional<double>>& actual, const json& expected, const Case& c,
                    const std::string& what) {
  std::size_t j = 0;
  for (std::size_t i = 0; i < c.complete.size(); ++i) {
    if (!c.complete[i]) continue;
    REQUIRE(j < actual.size());
    const std::string label = what + "[" + std::to_string(i + 1) + "]";
    INFO(label);
    if (expected[i].is_null()) {
      CHECK_FALSE(actual[j].has_value());
    } else {
      REQUIRE(actual[j].has_value());
      check_close(*actual[j], expected[i].get<double>(), label);
    }
    ++j;
  }
  CHECK(j == actual.size());
}

// Weights of the tables in the pool: metafor leaves out tables dropped by the second drop00.
void check_weights(const std::vector<double>& actual, const json& expected, const Case& c, bool drop00_tables) {
  std::size_t e = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const bool dropped = drop00_tables && ((c.ai[i] == 0 && c.ci[i] == 0) || (c.bi[i] == 0 && c.di[i] == 0));
    if (dropped) {
      CHECK(actual[i] == 0);
      continue;
    }
    REQUIRE(e < expected.size());
    check_close(actual[i], expected[e].get<double>(), "weight[" + std::to_string(i + 1) + "]");
    ++e;
  }
  CHECK(e == expected.size());
}

void check_test(const std::optional<meta::ChiSquareTest>& t, const json& stat, const json& p, int df,
                const std::string& what) {
  INFO(what);
  if (stat.is_null()) {
    CHECK_FALSE(t.has_value());
    return;
  }
  REQUIRE(t.has_value());
  check_value(t->statistic, stat, what);
  CHECK(t->df == df);
  if (p.is_null()) {
    CHECK_FALSE(t->p.has_value());
  } else {
    REQUIRE(t->p.has_value());
    check_value(*t->p, p, what + " p");
  }
}

meta::MhMeasure measure_of(const std::string& m) {
  if (m == "OR") return meta::MhMeasure::odds_ratio;
  if (m == "RR") return meta::MhMeasure::risk_ratio;
  REQUIRE(m == "RD");
  return meta::MhMeasure::risk_difference;
}

}  // namespace

TEST_SUITE("meta::binary_pooling reference") {
  TEST_CASE("mantel_haenszel and peto match metafor 3.8.1 rma.mh and rma.peto on metadat datasets") {
    const json fx = load_fixture();
    CHECK(fx["metafor_version"] == "3.8.1");
    for (const json& cs : fx["cases"]) {
      const std::string label = cs["dataset"].get<std::string>() + " " + cs["method"].get<std::string>() + " " +
                                cs["measure"].get<std::string>() + " " + cs["options"].get<std::string>();
      SUBCASE(label.c_str()) {
        INFO(cs["call"].get<std::string>());
        const Case c = tables_of(cs["data"]);
        const json& e = cs["expected"];
        const auto opt = options_of(fx["option_sets"][cs["options"].get<std::string>()], measure_of(cs["measure"]));
        const meta::Tables2x2 t{c.ai, c.bi, c.ci, c.di};
        if (cs["method"] == "MH") {
          const auto r = meta::mantel_haenszel(t, opt);
          check_value(r.estimate, e["estimate"], "estimate");
          check_value(r.se, e["se"], "se");
          check_value(r.z, e["z"], "z");
          check_value(r.p, e["p"], "p");
          check_value(r.ci.lower, e["ci_lower"], "ci lower");
          check_value(r.ci.upper, e["ci_upper"], "ci upper");
          CHECK(r.k == e["k"].get<int>());
          CHECK(r.k_yi == e["k_yi"].get<int>());
          check_value(r.het.q, e["q"], "Q");
          check_value(r.het.q_p, e["q_p"], "Q p");
          check_value(r.het.i2, e["i2"], "I2");
          check_value(r.het.h2, e["h2"], "H2");
          CHECK(r.het.q_df == std::max(e["k_yi"].get<int>() - 1, 0));
          const int df_tarone = e["k_pos"].is_null() ? 0 : e["k_pos"].get<int>() - 1;
          check_test(r.cmh, e["cmh_corrected"], e["cmh_corrected_p"], 1, "CMH corrected");
          check_test(r.cmh_uncorrected, e["cmh_uncorrected"], e["cmh_uncorrected_p"], 1, "CMH uncorrected");
          check_test(r.tarone, e["tarone"], e["tarone_p"], df_tarone, "Tarone");
          check_test(r.breslow_day, e["breslow_day"], e["breslow_day_p"], df_tarone, "Breslow-Day");
          if (!e["k_pos"].is_null()) CHECK(r.k_pos == e["k_pos"].get<int>());
          check_weights(r.weights, e["weights"], c, opt.tables.drop00);
          check_outcomes(r.yi, e["yi"], c, "yi");
          check_outcomes(r.vi, e["vi"], c, "vi");
        } else {
          const auto r = meta::peto(t, opt);
          check_value(r.estimate, e["estimate"], "estimate");
          check_value(r.se, e["se"], "se");
          check_value(r.z, e["z"], "z");
          check_value(r.p, e["p"], "p");
          check_value(r.ci.lower, e["ci_lower"], "ci lower");
          check_value(r.ci.upper, e["ci_upper"], "ci upper");
          CHECK(r.k == e["k"].get<int>());
          CHECK(r.k_yi == e["k_yi"].get<int>());
          CHECK(r.k_pos == e["k_pos"].get<int>());
          check_value(r.het.q, e["q"], "Q");
          check_value(r.het.q_p, e["q_p"], "Q p");
          check_value(r.het.i2, e["i2"], "I2");
          check_value(r.het.h2, e["h2"], "H2");
          check_weights(r.weights, e["weights"], c, opt.tables.drop00);
          check_outcomes(r.yi, e["yi"], c, "yi");
          check_outcomes(r.vi, e["vi"], c, "vi");
        }
      }
    }
    CHECK(fx["cases"].size() >= 100);
  }
}
