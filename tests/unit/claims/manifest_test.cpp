// Claims manifests: how a reported figure is read and which values it admits; the manifest reader's
// errors at their line and column.
#include <doctest/doctest.h>

#include <string>

#include "trialstats/claims/manifest.hpp"
#include "trialstats/claims/manifest_toml.hpp"
#include "trialstats/core/error.hpp"

using namespace trialstats;
using namespace trialstats::claims;

TEST_CASE("reported figures: decimals as written, Unicode minus, percent, thousands") {
  const Reported a = parse_reported(
      "\xE2\x88\x92"
      "2.70");  // −2.70
  CHECK(a.form == ReportedForm::decimals);
  CHECK(a.value == -2.7);
  CHECK(a.decimals == 2);
  const Reported b = parse_reported("-32%");
  CHECK(b.value == -32);
  CHECK(b.decimals == 0);
  CHECK(b.percent);
  CHECK(parse_reported("1,412").value == 1412);
  CHECK(parse_reported(".62").decimals == 2);
  CHECK(parse_reported("important").form == ReportedForm::category);
  CHECK_THROWS_AS((void)parse_reported("< soon"), DomainError);
}

TEST_CASE("acceptance: half a unit of the last digit either side, ends included") {
  const Acceptance a = acceptance(parse_reported("-32"));
  CHECK(a.lower == -32.5);
  CHECK(a.upper == -31.5);
  CHECK(admits(a, -32.5));
  CHECK(admits(a, -31.5));
  CHECK_FALSE(admits(a, -32.51));
  CHECK_FALSE(admits(a, -31.49));
  // 0.62 ± 0.005: 0.625 is not exact in binary; the end still counts as admitted
  const Acceptance r = acceptance(parse_reported("-0.62"));
  CHECK(admits(r, -0.625));
  CHECK(admits(r, -0.615));
  CHECK_FALSE(admits(r, -0.6151 + 0.0002));
  CHECK_FALSE(admits(r, std::nan("")));
}

TEST_CASE("acceptance: bounds and explicit tolerances") {
  const Acceptance lt = acceptance(parse_reported("< 0.001"));
  CHECK(admits(lt, 2.67e-11));
  CHECK_FALSE(admits(lt, 0.001));
  const Acceptance le = acceptance(parse_reported("\xE2\x89\xA4 0.05"));  // ≤ 0.05
  CHECK(admits(le, 0.05));
  CHECK_FALSE(admits(le, 0.0501));
  const Acceptance gt = acceptance(parse_reported(">0.2"));
  CHECK_FALSE(admits(gt, 0.2));
  CHECK(admits(gt, 0.21));
  const Acceptance t = acceptance(reported_with_tolerance(18, 1));
  CHECK(admits(t, 17));
  CHECK(admits(t, 19));
  CHECK_FALSE(admits(t, 19.01));
  CHECK(judge(parse_reported("86%"), 86.02) == Status::reproduced);
  CHECK(judge(parse_reported("86%"), 86.6) == Status::not_reproduced);
  CHECK_THROWS_AS((void)acceptance(parse_reported("yes")), DomainError);
}

namespace {
std::string input(const char* name) {
  return std::string(TRIALSTATS_TEST_INPUTS) + "/reproduce/" + name;
}

/// The position an InputError names.
SourcePos error_at(const char* name) {
  try {
    (void)read_manifest(input(name));
  } catch (const InputError& e) {
    return e.pos();
  }
  FAIL("no InputError");
  return {};
}
}  // namespace

TEST_CASE("read_manifest: claims, options and data paths") {
  const Manifest m = read_manifest(input("pass.toml"));
  REQUIRE(m.claims.size() == 2);
  CHECK(m.title == "BCG vaccine trials (Colditz et al. 1994)");
  CHECK_FALSE(m.level.has_value());
  const Claim& c = m.claims[0];
  CHECK(c.id == "bcg-rr");
  CHECK(c.analysis == "pool");
  CHECK(c.statistic == "ratio");
  CHECK(c.reported.decimals == 2);
  CHECK(c.pos.line == 3);
  CHECK(c.reported_pos.line == 9);
  CHECK(std::get<std::string>(c.options.at("measure").value) == "RR");
  CHECK(std::get<std::vector<std::string>>(c.options.at("col").value).size() == 4);
  CHECK(c.data_path.ends_with("data/bcg.csv"));
}

TEST_CASE("read_manifest: malformed manifests are errors at their line and column") {
  SourcePos p = error_at("unknown_analysis.toml");
  CHECK(p.line == 3);
  CHECK(p.column == 12);
  p = error_at("missing_data.toml");
  CHECK(p.line == 4);
  p = error_at("wrong_type.toml");
  CHECK(p.line == 9);
  CHECK(p.column == 8);
  p = error_at("syntax.toml");
  CHECK(p.line == 2);
  p = error_at("unknown_option.toml");
  CHECK(p.line == 7);
  p = error_at("numeric_without_tolerance.toml");
  CHECK(p.line == 6);
  CHECK(error_at("none.toml").line == 0);
}
