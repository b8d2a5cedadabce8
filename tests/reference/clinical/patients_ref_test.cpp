// clinical::average_diary, reliable_change, arm_responders, distribution_mcid, anchor_groups and
// roc_mcid on the synthetic symptom diary (tests/inputs/mcid/diary.csv) against base R 4.2.2
// (aggregate, sd, qnorm, prop.test) and pROC 1.18.0 (roc, coords "best" Youden, ci.auc DeLong).
// Expected values: tests/reference/scripts/clinical_patients.R -> fixtures/clinical_patients.json.
// Tolerance: 1e-8 relative + 1e-12 absolute (closed forms throughout).
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/clinical/derive.hpp"
#include "trialstats/clinical/rci.hpp"
#include "trialstats/clinical/responders.hpp"
#include "trialstats/io/csv.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;
using namespace trialstats::clinical;

const json& fixture() {
  static const json j = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/clinical_patients.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return j;
}

void close(double got, double expected) {
  CHECK(got == doctest::Approx(expected).epsilon(1e-8).scale(1e-4));
}

std::vector<PatientScores> pain() {
  const io::Table t = io::read_csv(std::string(TRIALSTATS_TEST_INPUTS) + "/mcid/diary.csv");
  std::vector<std::string> patient, arm;
  const auto baseline = std::make_unique<bool[]>(t.rows());
  std::vector<double> value;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    patient.push_back(t.column("patient").text(i));
    arm.push_back(t.column("arm").text(i));
    baseline[i] = t.column("period").text(i) == "baseline";
    value.push_back(t.column("pain").numbers()[i]);
  }
  return average_diary(patient, arm, std::span<const bool>(baseline.get(), t.rows()), value);
}

}  // namespace

TEST_SUITE("clinical::patients (reference)") {
  TEST_CASE("average_diary: 7-day means per patient and period, missed entries skipped, as R's aggregate") {
    const auto p = pain();
    const json& e = fixture()["pain"];
    REQUIRE(p.size() == e["patient"].size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      CHECK(p[i].patient == e["patient"][i].get<std::string>());
      CHECK(p[i].arm == e["arm"][i].get<std::string>());
      close(p[i].baseline, e["baseline"][i]);
      close(p[i].followup, e["followup"][i]);
    }
  }

  TEST_CASE("reliable_change: SEM, S_diff, RCI, cut-offs a, b, c and the classes (Jacobson & Truax 1991)") {
    const auto p = pain();
    std::vector<double> b, f;
    for (const auto& x : p) {
      b.push_back(x.baseline);
      f.push_back(x.followup);
    }
    const json& e = fixture()["rci"];
    const RciResult a = reliable_change(b, f, {.reliability = e["reliability"]});
    close(a.sem, e["sem"]);
    close(a.s_diff, e["s_diff"]);
    close(a.cutoff_a, e["cutoff_a"]);
    CHECK(a.cutoff == Cutoff::a);
    for (std::size_t i = 0; i < p.size(); ++i) {
      close(a.patients[i].rci, e["rci"][i]);
      CHECK(name(a.patients[i].cls) == e["class_a"][i].get<std::string>());
    }
    const RciResult c = reliable_change(
        b, f, {.reliability = e["reliability"], .functional = Norms{e["functional_mean"], e["functional_sd"]}});
    close(*c.cutoff_b, e["cutoff_b"]);
    close(*c.cutoff_c, e["cutoff_c"]);
    CHECK(c.cutoff == Cutoff::c);
    for (std::size_t i = 0; i < p.size(); ++i) CHECK(name(c.patients[i].cls) == e["class_c"][i].get<std::string>());
  }

  TEST_CASE("arm_responders: responders per arm with Wilson and Newcombe intervals, as prop.test and by hand") {
    const auto p = pain();
    std::vector<double> t, c;
    for (const auto& x : p) (x.arm == "treatment" ? t : c).push_back(x.followup - x.baseline);
    const json& e = fixture()["responders"];
    const ArmResponders r = arm_responders(t, c, {e["mcid"], Direction::lower_is_better});
    CHECK(r.treatment.x == e["treatment"][0]);
    CHECK(r.control.x == e["control"][0]);
    close(r.treatment.ci.lower, e["wilson_treatment"][0]);
    close(r.treatment.ci.upper, e["wilson_treatment"][1]);
    close(r.control.ci.lower, e["wilson_control"][0]);
    close(r.control.ci.upper, e["wilson_control"][1]);
    close(r.risk_difference.estimate, e["rd"]);
    close(r.risk_difference.ci.lower, e["rd_ci"][0]);
    close(r.risk_difference.ci.upper, e["rd_ci"][1]);
    close(r.nnt.estimate, e["nnt"]);
  }

  TEST_CASE("distribution_mcid and anchor_groups: SEM, MDC95, mean change per PGIC level") {
    const json& d = fixture()["distribution"];
    const DistributionMcid m = distribution_mcid(d["sd"], d["reliability"].get<double>());
    close(*m.sem, d["sem"]);
    close(*m.mdc95, d["mdc95"]);
    const auto p = pain();
    const io::Table t = io::read_csv(std::string(TRIALSTATS_TEST_INPUTS) + "/mcid/diary.csv");
    std::vector<double> change, anchor;
    for (const auto& x : p) {
      change.push_back(x.followup - x.baseline);
      for (std::size_t i = 0; i < t.rows(); ++i)
        if (t.column("patient").text(i) == x.patient) {
          anchor.push_back(t.column("pgic").number(i));
          break;
        }
    }
    const json& a = fixture()["anchor"];
    const auto g = anchor_groups(change, anchor);
    REQUIRE(g.size() == a["level"].size());
    for (std::size_t i = 0; i < g.size(); ++i) {
      CHECK(g[i].level == a["level"][i]);
      CHECK(g[i].n == a["n"][i]);
      close(g[i].mean, a["mean"][i]);
      close(g[i].sd, a["sd"][i]);
    }

    SUBCASE("roc_mcid: Youden cut point, AUC and DeLong CI as pROC (PGIC >= 5 is improved)") {
      const auto improved = std::make_unique<bool[]>(anchor.size());
      for (std::size_t i = 0; i < anchor.size(); ++i) improved[i] = anchor[i] >= 5;
      const RocMcid r =
          roc_mcid(change, std::span<const bool>(improved.get(), anchor.size()), Direction::lower_is_better);
      const json& e = fixture()["roc"];
      CHECK(r.cases == e["cases"]);
      CHECK(r.controls == e["controls"]);
      close(r.threshold, e["thresholds"]);
      close(r.sensitivity, e["sensitivity"]);
      close(r.specificity, e["specificity"]);
      close(r.mcid, e["mcid"]);
      close(r.auc, e["auc"]);
      close(r.auc_se, e["auc_se"]);
      close(r.auc_ci.lower, e["auc_ci"][0]);
      close(r.auc_ci.upper, e["auc_ci"][1]);
    }
  }
}
