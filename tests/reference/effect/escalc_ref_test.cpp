// Every measure against metafor 3.8.1 escalc() on metadat 1.2.0 datasets, with the default options
// and the continuity-correction and variance-type variants.
// Source: tests/reference/scripts/effect_escalc.R -> tests/reference/fixtures/effect_escalc.json
// (values written with 17 significant digits). Tolerance: relative 1e-8 (closed forms; the two
// programs differ only in the order of floating-point operations).
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "trialstats/effect/escalc.hpp"

using namespace trialstats;
using namespace trialstats::effect;

namespace {

nlohmann::json load_fixture() {
  std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/effect_escalc.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

bool close(double got, double want, double rel = 1e-8) {
  return std::abs(got - want) <= rel * std::max(std::abs(got), std::abs(want)) + 1e-300;
}

EscalcOptions options_of(const nlohmann::json& c) {
  EscalcOptions o;
  o.measure = parse_measure(c.at("measure").get<std::string>()).value();
  const auto& opt = c.at("options");
  if (opt.is_object()) {
    if (opt.contains("add")) o.add = opt.at("add").get<double>();
    if (opt.contains("drop00")) o.drop00 = opt.at("drop00").get<bool>();
    if (opt.contains("to")) {
      const auto to = opt.at("to").get<std::string>();
      o.to = to == "all" ? ContinuityRule::all : to == "if0all" ? ContinuityRule::if0all
             : to == "none" ? ContinuityRule::none : ContinuityRule::only0;
    }
    if (opt.contains("vtype")) {
      const auto v = opt.at("vtype").get<std::string>();
      o.vtype = v == "UB" ? VarianceType::ub : v == "LS2" ? VarianceType::ls2 : VarianceType::ls;
    }
  }
  return o;
}

}  // namespace

TEST_SUITE("effect::escalc reference") {
  TEST_CASE("escalc: yi and vi of every measure match metafor 3.8.1 escalc") {
    const auto fixture = load_fixture();
    CHECK(fixture.at("metafor_version") == "3.8.1");
    CHECK(fixture.at("metadat_version") == "1.2.0");
    std::size_t compared = 0;
    for (const auto& c : fixture.at("cases")) {
      const std::string case_name = c.at("name");
      SUBCASE(case_name.c_str()) {
        const EscalcOptions options = options_of(c);
        // Rows with a missing input are left out, as effects_from_table does; metafor gives NA for them.
        const auto& inputs = c.at("inputs");
        const std::size_t k = c.at("yi").size();
        std::vector<std::size_t> complete;
        for (std::size_t i = 0; i < k; ++i) {
          bool ok = true;
          for (const auto& [role, values] : inputs.items()) ok = ok && !values.at(i).is_null();
          if (ok) complete.push_back(i);
        }
        RoleColumns cols;
        for (const auto& [role, values] : inputs.items())
          for (const auto i : complete) cols[role].push_back(values.at(i).get<double>());
        const EffectSizes es = escalc(cols, options);
        REQUIRE(es.yi.size() == complete.size());
        for (std::size_t i = 0; i < k; ++i) {
          const auto pos = std::find(complete.begin(), complete.end(), i);
          const auto& want_yi = c.at("yi").at(i);
          const auto& want_vi = c.at("vi").at(i);
          INFO("study " << i + 1);
          if (pos == complete.end()) {
            CHECK(want_yi.is_null());
            continue;
          }
          const std::size_t j = static_cast<std::size_t>(pos - complete.begin());
          if (c.contains("exact")) {
            // n = 1e9: metafor's own c(m) loses ~4e-6 to cancellation in lgamma(m/2) - lgamma((m-1)/2)
            // (see the script); compare with the values computed there without that cancellation.
            const double yi = c.at("exact").at("yi").at(i), vi = c.at("exact").at("vi").at(i);
            CHECK(std::isfinite(es.yi[j]));
            CHECK_MESSAGE(close(es.yi[j], yi, 1e-12), "yi ", es.yi[j], " vs ", yi);
            CHECK_MESSAGE(close(es.vi[j], vi, 1e-12), "vi ", es.vi[j], " vs ", vi);
            ++compared;
            continue;
          }
          if (want_yi.is_null() || want_vi.is_null()) {
            CHECK(std::isnan(es.yi[j]));
            CHECK(std::isnan(es.vi[j]));
            continue;
          }
          CHECK_MESSAGE(close(es.yi[j], want_yi.get<double>()), "yi ", es.yi[j], " vs ", want_yi.get<double>());
          CHECK_MESSAGE(close(es.vi[j], want_vi.get<double>()), "vi ", es.vi[j], " vs ", want_vi.get<double>());
          ++compared;
        }
      }
    }
    CHECK(compared > 0);
  }

  TEST_CASE("escalc: every measure of the registry is covered by a reference case") {
    const auto fixture = load_fixture();
    for (const auto& m : measures()) {
      bool found = false;
      for (const auto& c : fixture.at("cases")) found = found || c.at("measure") == std::string(m.name);
      CHECK_MESSAGE(found, m.name);
    }
  }
}
