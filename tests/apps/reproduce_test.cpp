// `trialstats reproduce` run in-process on the bundled manifests: every re-derived value and interval
// against metafor and base R (tests/reference/scripts/reproduce_claims.R), and the verdicts.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "command.hpp"

namespace {

using nlohmann::json;

/// Runs `trialstats reproduce MANIFEST --format json` in-process; `code` receives the exit code.
json run_reproduce(const std::string& manifest, int& code) {
  CLI::App app{"test"};
  const auto sub = trialstats::app::add_reproduce_command(app);
  const std::vector<std::string> args = {"trialstats", "reproduce", manifest, "--format", "json"};
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  std::ostringstream out, err;
  code = sub.run({out, err, "trialstats reproduce"});
  return json::parse(out.str());
}

json fixture() {
  std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/reproduce_claims.json");
  REQUIRE(in);
  return json::parse(in);
}

// Relative 1e-8 (the fixture runs metafor's REML to |Δτ²| < 1e-12, so that the iterative estimates agree).
void check_against(const json& claims, const json& reference, double tolerance) {
  for (const auto& c : claims) {
    const std::string id = c["id"];
    if (!reference.contains(id)) continue;
    CAPTURE(id);
    const json& r = reference[id];
    const double want = r["value"];
    CHECK(c["value"].get<double>() == doctest::Approx(want).epsilon(tolerance));
    if (!r["ci"].is_null()) {
      REQUIRE(c["ci"].is_array());
      CHECK(c["ci"][0].get<double>() == doctest::Approx(r["ci"][0].get<double>()).epsilon(tolerance));
      CHECK(c["ci"][1].get<double>() == doctest::Approx(r["ci"][1].get<double>()).epsilon(tolerance));
    }
  }
}

}  // namespace

TEST_CASE("reproduce: the fibromyalgia claims against R, and their verdicts") {
  int code = 0;
  const json j = run_reproduce(std::string(TRIALSTATS_DATA) + "/../examples/fibromyalgia/claims.toml", code);
  const json ref = fixture()["claims"];
  check_against(j["claims"], ref, 1e-8);
  std::size_t compared = 0;
  for (const auto& c : j["claims"]) compared += ref.contains(c["id"].get<std::string>());
  CHECK(compared == 12);
  // One claim contradicts the instrument (the MFI-20 ranges from 4): exit 1.
  CHECK(code == 1);
  CHECK(j["summary"]["inconsistent"] == 1);
  for (const auto& c : j["claims"])
    if (c["id"] == "mfi-scale-min")
      CHECK(c["status"] == "inconsistent");
    else
      CHECK(c["status"] == "reproduced");
}

TEST_CASE("reproduce: Colditz et al. (1994) against metafor") {
  int code = 0;
  const json j = run_reproduce(std::string(TRIALSTATS_DATA) + "/../examples/published/claims.toml", code);
  check_against(j["claims"], fixture()["claims"], 1e-8);
  CHECK(code == 0);
  CHECK(j["summary"]["reproduced"] == 4);
}
