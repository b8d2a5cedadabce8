// clinical::assess_importance and clinical::normal_responders against R 4.2.2 (pnorm, pt, qnorm, qt)
// and metafor 3.8.1 (rma REML, predict: CI and PI of a pooled analysis).
// Expected values: tests/reference/scripts/clinical_importance.R -> fixtures/clinical_importance.json.
// Tolerance: 1e-8 relative + 1e-12 absolute for closed forms; 1e-6 relative for the metafor-pooled
// case (REML's tau² from an iterative root, control threshold 1e-12).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "trialstats/clinical/importance.hpp"
#include "trialstats/clinical/responders.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/meta/model.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;
using namespace trialstats::clinical;

const json& fixture() {
  static const json j = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/clinical_importance.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return j;
}

std::optional<double> opt(const json& c, const char* key) {
  if (!c.contains(key) || !c[key].is_number()) return std::nullopt;
  return c[key].get<double>();
}

void close(double got, double expected, double rel = 1e-8) {
  CHECK(got == doctest::Approx(expected).epsilon(rel).scale(1e-4));
}

Direction direction(const json& c) {
  return c["direction"] == "lower_is_better" ? Direction::lower_is_better : Direction::higher_is_better;
}

void check_case(const json& c, const Importance& r, double rel) {
  close(r.ci.lower, c["ci"][0], rel);
  close(r.ci.upper, c["ci"][1], rel);
  CHECK(name(r.category) == c["category"].get<std::string>());
  close(r.p_beyond, c["p_beyond"], rel);
  close(r.p_harm_beyond, c["p_harm_beyond"], rel);
  if (c.contains("sceptical")) {
    REQUIRE(r.sceptical);
    close(r.sceptical->mean, c["sceptical"]["mean"], rel);
    close(r.sceptical->sd, c["sceptical"]["sd"], rel);
    close(r.sceptical->interval.lower, c["sceptical"]["interval"][0], rel);
    close(r.sceptical->interval.upper, c["sceptical"]["interval"][1], rel);
    close(r.sceptical->p_beyond, c["sceptical"]["p_beyond"], rel);
  }
  if (c.contains("pi")) {
    REQUIRE(r.pi);
    close(r.pi->lower, c["pi"][0], rel);
    close(r.pi->upper, c["pi"][1], rel);
    close(*r.share_beyond, c["share_beyond"], rel);
  } else {
    CHECK_FALSE(r.pi);
    CHECK_FALSE(r.share_beyond);
  }
}

}  // namespace

TEST_SUITE("clinical::importance (reference)") {
  TEST_CASE("assess_importance: every category, normal and t, PI and sceptical prior, as R computes them") {
    for (const auto& c : fixture()["cases"]) {
      SUBCASE(c["name"].get<std::string>().c_str()) {
        const PooledSummary in{.estimate = c["estimate"],
                               .se = c["se"],
                               .df = opt(c, "df"),
                               .tau2 = opt(c, "tau2"),
                               .pi_df = opt(c, "pi_df"),
                               .level = c["level"]};
        const Importance r = assess_importance(in, {c["mcid"], direction(c)}, {.prior_sd = opt(c, "prior_sd")});
        check_case(c, r, 1e-8);
      }
    }
  }

  TEST_CASE("assess_importance: a REML pool of the synthetic fatigue trials, CI and PI as metafor's predict()") {
    const json& c = fixture()["pooled"];
    const io::Table t = io::read_csv(std::string(TRIALSTATS_TEST_INPUTS) + "/mcid/fatigue_trials.csv");
    const io::EffectTable e = io::effects_from_table(t, io::ColumnRoles({}), {.measure = effect::Measure::md});
    const meta::PooledEffect fit = meta::pool(e.yi, e.vi);
    close(fit.estimate, c["estimate"], 1e-6);
    close(fit.het.tau2, c["tau2"], 1e-6);
    const Importance r = assess_importance({.estimate = fit.estimate, .se = fit.se, .tau2 = fit.het.tau2},
                                           {-2, Direction::lower_is_better});
    check_case(c, r, 1e-6);
    close(r.pi->lower, c["metafor_pi"][0], 1e-6);
    close(r.pi->upper, c["metafor_pi"][1], 1e-6);
    close(fit.pi.lower, r.pi->lower, 1e-12);  // the same formula as meta::pool's PI
  }

  TEST_CASE("normal_responders: proportions, RD and NNT under normal change (Anzures-Cabrera 2011), as pnorm") {
    for (const auto& c : fixture()["responders"]) {
      const NormalResponders r =
          normal_responders(c["effect"], {c["effect_ci"][0], c["effect_ci"][1]},
                            {.control_mean = c["control_mean"], .sd = c["sd"]}, {c["mcid"], direction(c)});
      close(r.control, c["control"]);
      close(r.treatment, c["treatment"]);
      close(r.treatment_ci.lower, c["treatment_ci"][0]);
      close(r.treatment_ci.upper, c["treatment_ci"][1]);
      close(r.risk_difference, c["rd"]);
      close(r.risk_difference_ci.lower, c["rd_ci"][0]);
      close(r.risk_difference_ci.upper, c["rd_ci"][1]);
      close(r.nnt, c["nnt"]);
    }
  }
}
