// The settings each profile implies (profile -> settings), with their sources. The end-to-end values of
// each profile on data/bcg.csv are in tests/reference/fixtures/profiles_bcg.json
// (tests/reference/scripts/mh_profiles_bcg.R).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/effect/binary.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/meta/profile.hpp"

namespace {

using namespace trialstats;
using meta::Profile;

constexpr Profile all_profiles[] = {Profile::metafor, Profile::meta, Profile::revman5, Profile::stata};

template <class F>
void for_each_setting(const meta::ProfileSettings& s, F f) {
  f("tau2", s.tau2.source, s.tau2.documented);
  f("test", s.test.source, s.test.documented);
  f("prediction_interval", s.prediction_interval.source, s.prediction_interval.documented);
  f("pi", s.pi.source, s.pi.documented);
  f("i2", s.i2.source, s.i2.documented);
  f("smd", s.smd.source, s.smd.documented);
  f("zero_cells", s.zero_cells.source, s.zero_cells.documented);
  f("mh_outcomes", s.mh_outcomes.source, s.mh_outcomes.documented);
  f("mh_tables", s.mh_tables.source, s.mh_tables.documented);
  f("rr_group_size_twice", s.rr_group_size_twice.source, s.rr_group_size_twice.documented);
  f("mh_q_around_mh", s.mh_q_around_mh.source, s.mh_q_around_mh.documented);
}

bool same(const meta::ZeroCellCorrection& a, const meta::ZeroCellCorrection& b) {
  return a.add == b.add && a.to == b.to && a.drop00 == b.drop00;
}

}  // namespace

TEST_SUITE("meta::profile") {
  TEST_CASE("profile_settings: metafor follows metafor 3.8 defaults") {
    const auto s = meta::profile_settings(Profile::metafor);
    CHECK(s.profile == Profile::metafor);
    CHECK(s.tau2.value == meta::Tau2Method::reml);
    CHECK(s.test.value == meta::TestMethod::z);
    CHECK(s.pi.value == meta::PiMethod::same_as_test);
    CHECK(s.i2.value == meta::I2Definition::tau2);
    CHECK_FALSE(s.prediction_interval.value);
    CHECK(s.smd.value == meta::SmdConvention::exact_ls);
    CHECK(same(s.zero_cells.value, {0.5, effect::ContinuityRule::only0, false}));
    CHECK(s.rr_group_size_twice.value);
    CHECK(s.mh_q_around_mh.value);
    // The MH options are exactly those of mantel_haenszel's defaults (metafor's rma.mh).
    const auto mh = s.binary_pooling_options(meta::MhMeasure::odds_ratio);
    const meta::BinaryPoolingOptions defaults;
    CHECK(same(mh.outcomes, defaults.outcomes));
    CHECK(same(mh.tables, defaults.tables));
    CHECK(mh.level == defaults.level);
    // ... and the escalc options those of effect::EscalcOptions' defaults.
    const effect::EscalcOptions escalc_defaults;
    const auto e = s.escalc_options(effect::Measure::rr);
    CHECK(e.measure == effect::Measure::rr);
    CHECK(e.add == 0.5);
    CHECK(e.to == escalc_defaults.to);
    CHECK(e.drop00 == escalc_defaults.drop00);
    CHECK(s.smd_vtype() == effect::VarianceType::ls);
  }

  TEST_CASE("profile_settings: meta follows R meta 6.1 defaults (REML, z, I² from Q, HTS prediction interval)") {
    const auto s = meta::profile_settings(Profile::meta);
    CHECK(s.tau2.value == meta::Tau2Method::reml);
    CHECK(s.test.value == meta::TestMethod::z);
    CHECK(s.pi.value == meta::PiMethod::t_k_minus_2);
    CHECK(s.i2.value == meta::I2Definition::q);
    CHECK_FALSE(s.prediction_interval.value);
    CHECK(s.smd.value == meta::SmdConvention::exact_ub);
    CHECK(s.smd_vtype() == effect::VarianceType::ub);
    CHECK(same(s.zero_cells.value, {0.5, effect::ContinuityRule::only0, true}));
    CHECK(same(s.mh_tables.value, {0.5, effect::ContinuityRule::only0, true}));  // MH.exact = FALSE
    CHECK_FALSE(s.rr_group_size_twice.value);                                    // RR.Cochrane = FALSE
    CHECK(s.mh_q_around_mh.value);                                               // Q.Cochrane = TRUE
  }

  TEST_CASE("profile_settings: revman5 is DerSimonian–Laird, z, I² from Q, 0.5 added to zero cells for MH too") {
    const auto s = meta::profile_settings(Profile::revman5);
    CHECK(s.tau2.value == meta::Tau2Method::dl);
    CHECK(s.test.value == meta::TestMethod::z);
    CHECK(s.i2.value == meta::I2Definition::q);
    CHECK_FALSE(s.prediction_interval.value);
    CHECK(s.pi.value == meta::PiMethod::t_k_minus_2);
    CHECK_FALSE(s.pi.documented);  // the RevMan 5 document itself was not available
    CHECK(s.smd.value == meta::SmdConvention::approx_revman5);
    CHECK_FALSE(s.smd_vtype().has_value());
    CHECK(same(s.zero_cells.value, {0.5, effect::ContinuityRule::only0, true}));
    CHECK(same(s.mh_tables.value, {0.5, effect::ContinuityRule::only0, true}));
    CHECK(s.rr_group_size_twice.value);
    const auto o = s.pool_options();
    CHECK(o.method == meta::Tau2Method::dl);
    CHECK(o.test == meta::TestMethod::z);
    CHECK(o.i2 == meta::I2Definition::q);
    CHECK(o.pi == meta::PiMethod::t_k_minus_2);
  }

  TEST_CASE("profile_settings: stata is REML, z, I² from tau²; what was not found is marked as such") {
    const auto s = meta::profile_settings(Profile::stata);
    CHECK(s.tau2.value == meta::Tau2Method::reml);
    CHECK(s.tau2.documented);
    CHECK(s.test.value == meta::TestMethod::z);
    CHECK(s.test.documented);
    CHECK(s.i2.value == meta::I2Definition::tau2);
    CHECK(s.i2.documented);
    CHECK_FALSE(s.pi.documented);
    CHECK_FALSE(s.smd.documented);
    CHECK_FALSE(s.zero_cells.documented);
    CHECK_FALSE(s.mh_tables.documented);
    // Stand-ins are metafor's values.
    const auto m = meta::profile_settings(Profile::metafor);
    CHECK(s.pi.value == m.pi.value);
    CHECK(s.smd.value == m.smd.value);
    CHECK(same(s.zero_cells.value, m.zero_cells.value));
  }

  TEST_CASE("profile_settings: every setting of every profile names its source") {
    for (Profile p : all_profiles) {
      const auto s = meta::profile_settings(p);
      CAPTURE(meta::name(p));
      CHECK(s.profile == p);
      CHECK_FALSE(s.target.empty());
      for_each_setting(s, [&](const char* what, std::string_view source, bool documented) {
        CAPTURE(what);
        CHECK(source.size() > 10);
        // An undocumented setting says so in its source.
        CHECK(documented == (source.find("not found") == std::string_view::npos &&
                             source.find("was not available") == std::string_view::npos));
      });
    }
  }

  TEST_CASE("profile_settings: pool_options carries tau², test, PI and I² and keeps the other defaults") {
    const meta::PoolOptions defaults;
    for (Profile p : all_profiles) {
      const auto s = meta::profile_settings(p);
      const auto o = s.pool_options();
      CHECK(o.method == s.tau2.value);
      CHECK(o.test == s.test.value);
      CHECK(o.pi == s.pi.value);
      CHECK(o.i2 == s.i2.value);
      CHECK(o.level == defaults.level);
      CHECK(o.max_iter == defaults.max_iter);
    }
  }

  TEST_CASE("profile settings agree with the settings recorded in the BCG fixture") {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/profiles_bcg.json");
    REQUIRE(in.good());
    const auto fx = nlohmann::json::parse(in);
    for (Profile p : all_profiles) {
      CAPTURE(meta::name(p));
      const auto& recorded = fx["profiles"][std::string(meta::name(p))]["settings"];
      const auto s = meta::profile_settings(p);
      CHECK(recorded["tau2"].get<std::string>() == meta::name(s.tau2.value));
      CHECK(recorded["test"].get<std::string>() == (s.test.value == meta::TestMethod::z ? "z" : "knha"));
      CHECK(recorded["i2"].get<std::string>() == (s.i2.value == meta::I2Definition::q ? "q" : "tau2"));
      if (recorded.contains("pi"))
        CHECK(recorded["pi"].get<std::string>() ==
              (s.pi.value == meta::PiMethod::t_k_minus_2 ? "t_k_minus_2" : "same_as_test"));
    }
  }

  TEST_CASE("pool with each profile's options reproduces the profile's BCG values (profiles_bcg.json)") {
    // Log risk ratios of data/bcg.csv with the profile's zero-cell rule (BCG has no zero cell).
    const io::Table t = io::read_csv(std::string(TRIALSTATS_DATA) + "/bcg.csv");
    std::vector<effect::Table2x2> tables;
    for (std::size_t r = 0; r < t.rows(); ++r)
      tables.push_back({t.column("tpos").number(r), t.column("tneg").number(r), t.column("cpos").number(r),
                        t.column("cneg").number(r)});
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/profiles_bcg.json");
    REQUIRE(in.good());
    const auto fx = nlohmann::json::parse(in);
    for (Profile p : all_profiles) {
      CAPTURE(meta::name(p));
      const auto s = meta::profile_settings(p);
      const auto es = effect::escalc_2x2(tables, s.escalc_options(effect::Measure::rr));
      const auto fit = meta::pool(es.yi, es.vi, s.pool_options());
      // REML is iterative (fixture at its optimum): 1e-6 relative; DL is closed form: 1e-8.
      const double tol = fx["tolerance"][s.tau2.value == meta::Tau2Method::reml ? "REML" : "DL"].get<double>();
      const auto& e = fx["profiles"][std::string(meta::name(p))]["expected"];
      auto check = [&](const char* what, double actual) {
        const double expected = e[what]["value"].get<double>();
        INFO(what << ": " << actual << " vs " << expected << " (" << e[what]["source"].get<std::string>() << ")");
        CHECK(std::abs(actual - expected) <= tol * std::abs(expected));
      };
      check("estimate", fit.estimate);
      check("se", fit.se);
      check("z", fit.statistic);
      check("p", fit.p);
      check("tau2", fit.het.tau2);
      check("q", fit.het.q);
      check("q_p", fit.het.q_p);
      check("i2", fit.het.i2);
      check("h2", fit.het.h2);
      CHECK(fit.het.q_df == e["q_df"]["value"].get<int>());
      const auto& ci = e["ci"]["value"];
      CHECK(std::abs(fit.ci.lower - ci[0].get<double>()) <= tol * std::abs(ci[0].get<double>()));
      CHECK(std::abs(fit.ci.upper - ci[1].get<double>()) <= tol * std::abs(ci[1].get<double>()));
      if (e.contains("pi")) {
        const auto& pi = e["pi"]["value"];
        CHECK(std::abs(fit.pi.lower - pi[0].get<double>()) <= tol * std::abs(pi[0].get<double>()));
        CHECK(std::abs(fit.pi.upper - pi[1].get<double>()) <= tol * std::abs(pi[1].get<double>()));
      }
    }
  }

  TEST_CASE("name and parse_profile round-trip, case-insensitively") {
    for (Profile p : all_profiles) {
      CHECK(meta::parse_profile(meta::name(p)) == p);
    }
    CHECK(meta::parse_profile("RevMan5") == Profile::revman5);
    CHECK(meta::parse_profile("STATA") == Profile::stata);
    CHECK_FALSE(meta::parse_profile("revman").has_value());
    CHECK_FALSE(meta::parse_profile("").has_value());
    CHECK(meta::name(meta::SmdConvention::exact_ls) == "exact_ls");
    CHECK(meta::name(meta::SmdConvention::exact_ub) == "exact_ub");
    CHECK(meta::name(meta::SmdConvention::approx_revman5) == "approx_revman5");
  }
}
