// `trialstats pool` run in-process: options reach the library, profiles apply their conventions, and
// the JSON output has DESIGN.md's shape.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "trialstats/core/error.hpp"

namespace {

using nlohmann::json;

const std::string bcg = std::string(TRIALSTATS_DATA) + "/bcg.csv";
const std::vector<std::string> bcg_rr = {bcg, "--measure", "RR", "--col", "ai=tpos", "--col", "bi=tneg",
                                         "--col",     "ci=cpos", "--col", "di=cneg"};

// Runs `trialstats pool ARGS` in-process and returns what it wrote to stdout.
std::string run_pool(std::vector<std::string> args) {
  CLI::App app{"test"};
  const auto sub = trialstats::app::add_pool_command(app);
  args.insert(args.begin(), "pool");
  std::vector<const char*> argv{"trialstats"};
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  std::ostringstream out, err;
  REQUIRE(sub.run({out, err, "trialstats pool"}) == 0);
  return out.str();
}

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

bool close(double got, double expected, double rel) {
  return std::abs(got - expected) <= rel * std::max(1.0, std::abs(expected));
}

}  // namespace

TEST_SUITE("apps::pool") {
  TEST_CASE("pool: each profile reproduces its reference values end to end") {
    // tests/reference/fixtures/profiles_bcg.json: metafor 3.8.1 calls standing in for each tool's
    // documented defaults (tests/reference/scripts/mh_profiles_bcg.R; sources in the fixture).
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/profiles_bcg.json");
    const json fixture = json::parse(in);
    for (const auto& [profile, entry] : fixture["profiles"].items()) {
      SUBCASE(profile.c_str()) {
        const json got = json::parse(run_pool(with(bcg_rr, {"--profile", profile, "--format", "json"})));
        const std::string method = entry["settings"]["tau2"];
        const double rel = fixture["tolerance"][method];
        const auto& e = entry["expected"];
        CHECK(got["model"]["profile"] == profile);
        CHECK(got["model"]["method"] == method);
        CHECK(got["model"]["i2"] == entry["settings"]["i2"]);
        CHECK(close(got["estimate"], e["estimate"]["value"], rel));
        CHECK(close(got["se"], e["se"]["value"], rel));
        CHECK(close(got["statistic"], e["z"]["value"], rel));
        CHECK(close(got["p"], e["p"]["value"], rel));
        CHECK(close(got["ci"][0], e["ci"]["value"][0], rel));
        CHECK(close(got["ci"][1], e["ci"]["value"][1], rel));
        CHECK(close(got["heterogeneity"]["tau2"], e["tau2"]["value"], rel));
        CHECK(close(got["heterogeneity"]["q"], e["q"]["value"], 1e-8));
        CHECK(close(got["heterogeneity"]["i2"], e["i2"]["value"], rel));
        CHECK(close(got["heterogeneity"]["h2"], e["h2"]["value"], rel));
        if (e.contains("pi")) {
          CHECK(close(got["pi"][0], e["pi"]["value"][0], rel));
          CHECK(close(got["pi"][1], e["pi"]["value"][1], rel));
        }
      }
    }
  }

  TEST_CASE("pool: an option given on the command line overrides the profile") {
    const json got = json::parse(run_pool(with(bcg_rr, {"--profile", "revman5", "--method", "REML", "--format", "json"})));
    CHECK(got["model"]["method"] == "REML");
    CHECK(got["model"]["i2"] == "q");  // still the profile's
  }

  TEST_CASE("pool: JSON output has the documented keys in order") {
    const json got = json::parse(run_pool(with(bcg_rr, {"--format", "json"})));
    const auto ordered = nlohmann::ordered_json::parse(run_pool(with(bcg_rr, {"--format", "json"})));
    std::vector<std::string> keys;
    for (const auto& [k, v] : ordered.items()) keys.push_back(k);
    const std::vector<std::string> expected{"analysis", "version", "input", "measure", "model", "k", "estimate",
                                            "se", "statistic", "df", "p", "ci", "pi", "transformed",
                                            "heterogeneity", "studies", "warnings"};
    CHECK(keys == expected);
    CHECK(got["k"] == 13);
    CHECK(got["input"]["used"] == 13);
    CHECK(got["studies"].size() == 13);
    CHECK(got["transformed"]["scale"] == "ratio");
    CHECK(close(got["transformed"]["estimate"], std::exp(got["estimate"].get<double>()), 1e-15));
  }

  TEST_CASE("pool: GENQ takes its weights from the column mapped to 'weights'") {
    // metafor 3.8.1: d <- escalc("RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg);
    //   rma(yi, vi, weights = tpos+tneg+cpos+cneg, data = d, method = "GENQ"), printed with %.17g
    const std::string file = std::string(TRIALSTATS_TEST_INPUTS) + "/pool/bcg_with_n.csv";
    std::vector<std::string> args = bcg_rr;
    args[0] = file;
    const json got = json::parse(run_pool(with(args, {"--method", "GENQ", "--col", "weights=n", "--format", "json"})));
    CHECK(close(got["estimate"], -0.23558201328809408, 1e-8));
    CHECK(close(got["se"], 0.2771904097224312, 1e-8));
    CHECK(close(got["heterogeneity"]["tau2"], 0.23914540688208955, 1e-8));
  }

  TEST_CASE("pool: Mantel-Haenszel is refused for a continuous measure") {
    CLI::App app{"test"};
    const auto sub = trialstats::app::add_pool_command(app);
    const char* argv[] = {"trialstats", "pool", TRIALSTATS_DATA "/bcg.csv", "--measure", "MD", "--method", "MH"};
    app.parse(7, argv);
    std::ostringstream out, err;
    CHECK_THROWS_WITH_AS(sub.run({out, err, ""}), "--method MH pools 2x2 counts: use --measure OR, RR or RD, not MD",
                         trialstats::UsageError);
  }

  TEST_CASE("pool --by: one analysis per group, in order of appearance, each shard a disjoint part") {
    const std::string file = std::string(TRIALSTATS_TEST_INPUTS) + "/pool/batch.csv";
    const std::string all = run_pool({file, "--by", "analysis", "--format", "json"});
    std::vector<json> lines;
    std::istringstream in(all);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0]["group"]["value"] == "b");
    CHECK(lines[1]["group"]["value"] == "a");
    CHECK(lines[2]["error"].get<std::string>().find("no studies") != std::string::npos);
    CHECK(lines[3]["k"] == 1);
    // Each analysis equals the same data pooled on its own.
    const json alone = json::parse(run_pool({std::string(TRIALSTATS_TEST_INPUTS) + "/pool/batch_a.csv", "--format", "json"}));
    CHECK(lines[1]["estimate"] == alone["estimate"]);
    CHECK(lines[1]["heterogeneity"]["tau2"] == alone["heterogeneity"]["tau2"]);
    // Shards 1/2 and 2/2 together are the whole run.
    const std::string s1 = run_pool({file, "--by", "analysis", "--format", "json", "--shard", "1/2"});
    const std::string s2 = run_pool({file, "--by", "analysis", "--format", "json", "--shard", "2/2"});
    std::istringstream a1(s1), a2(s2);
    std::string l;
    std::vector<std::string> got;
    while (std::getline(a1, l)) got.push_back(l);
    while (std::getline(a2, l)) got.push_back(l);
    CHECK(got.size() == 4);
  }
}
