// claims/: every string of tests/reference/fixtures/check_statcheck.json (made by
// tests/reference/scripts/check_statcheck.R) read and recomputed as statcheck 1.4.0 does: the
// statistic, its degrees of freedom, the reported p, the recomputed p (relative 1e-8: R's pt/pf/
// pchisq/pnorm against Boost.Math), the consistent / decision-error verdicts (exact) and whether a
// one-tailed reading makes an inconsistent result consistent (statcheck with OneTailedTxt = TRUE).
// The strings statcheck does not find (or mis-reads) carry statcheck's own rules applied to the
// numbers they contain, as the fixture's `source` says.
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "trialstats/claims/statcheck.hpp"

using namespace trialstats::claims;
using nlohmann::json;

TEST_SUITE("claims::statcheck reference") {
  TEST_CASE("check_text agrees with statcheck 1.4.0 on every string of the fixture") {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/check_statcheck.json");
    REQUIRE(in.good());
    const json fx = json::parse(in);
    REQUIRE(fx.at("cases").size() >= 40);
    std::size_t not_found_by_statcheck = 0;
    for (const auto& c : fx.at("cases")) {
      const std::string text = c.at("text");
      CAPTURE(text);
      CAPTURE(c.at("source").get<std::string>());
      const auto result = check_text(text);
      REQUIRE(result.findings.size() == 1);
      const Finding& f = result.findings[0];
      CHECK(name(f.reported.test) == c.at("test").get<std::string>());
      CHECK(f.reported.df == c.at("df").get<std::vector<double>>());
      CHECK(f.reported.value == c.at("value").get<double>());
      CHECK(name(f.reported.p_relation) == c.at("p_comparison").get<std::string>());
      if (!c.at("p_value").is_null()) CHECK(f.reported.p == c.at("p_value").get<double>());
      const double want = c.at("computed_p").get<double>();
      CHECK(std::abs(f.computed_p - want) <= 1e-8 * want);
      CHECK(f.consistent == c.at("consistent").get<bool>());
      CHECK(f.decision_error == c.at("decision_error").get<bool>());
      CHECK((f.note == FindingNote::one_tailed) == c.at("one_tailed_consistent").get<bool>());
      if (c.contains("statcheck_found") && !c.at("statcheck_found").get<bool>()) ++not_found_by_statcheck;
    }
    CHECK(not_found_by_statcheck >= 10);
  }

}  // TEST_SUITE
