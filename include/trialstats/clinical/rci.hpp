// Individual patients: each patient's change, the Jacobson–Truax reliable change index and the
// classification by clinical significance (cut-offs a, b and c), and the averaging of diary entries
// (e.g. a 7-day baseline) into one baseline and one follow-up score per patient.
//
// References (formulas in docs/methods.md, "Individual patients"):
//   Jacobson NS, Truax P (1991). Clinical significance: a statistical approach to defining meaningful
//     change in psychotherapy research. J Consult Clin Psychol 59:12–19.
//   Christensen L, Mendoza JL (1986). A method of assessing change in a single subject: an alteration
//     of the RC index. Behav Ther 17:305–308 (S_diff = √2·SEM).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trialstats/clinical/derive.hpp"
#include "trialstats/clinical/importance.hpp"
#include "trialstats/clinical/responders.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::clinical {

/// Mean and SD of a population's scores.
struct Norms {
  double mean = 0;
  double sd = 0;
};

/// Jacobson & Truax's cut-offs for the end of treatment.
enum class Cutoff {
  a,  ///< two SDs beyond the dysfunctional mean, towards functioning
  b,  ///< within two SDs of the functional mean
  c,  ///< the point between the two means weighted by their SDs (needs functional norms)
};

enum class ChangeClass { recovered, improved, unchanged, deteriorated };

struct RciOptions {
  double reliability = 0.8;  ///< test–retest reliability of the instrument, in [0, 1)
  Direction direction = Direction::lower_is_better;
  std::optional<Norms> dysfunctional{};  ///< default: mean and SD of the baseline scores
  std::optional<Norms> functional{};     ///< norms of a functional population (for cut-offs b and c)
  std::optional<Cutoff> cutoff{};        ///< default: c with functional norms, else a
  double level = 0.95;                   ///< RCI criterion z (1.96 at 0.95)
};

struct PatientRci {
  double baseline = 0, followup = 0, change = 0;
  double rci = 0;         ///< change / S_diff
  bool reliable = false;  ///< |RCI| > z
  bool crossed = false;   ///< follow-up on the functional side of the cut-off
  ChangeClass cls = ChangeClass::unchanged;
};

struct RciResult {
  double sd_baseline = 0;      ///< SD used for the SEM (that of the dysfunctional norms)
  double sem = 0;              ///< SD·√(1 − reliability)
  double s_diff = 0;           ///< √2·SEM
  double criterion = 0;        ///< z at the level (1.96)
  double reliable_change = 0;  ///< the smallest reliable change: z·S_diff
  Norms dysfunctional{};
  std::optional<Norms> functional{};
  double cutoff_a = 0;
  std::optional<double> cutoff_b{}, cutoff_c{};
  Cutoff cutoff = Cutoff::a;
  double cutoff_value = 0;
  std::vector<PatientRci> patients{};
  std::size_t recovered = 0, improved = 0, unchanged = 0, deteriorated = 0;
};

/// Reliable change and clinical significance (Jacobson & Truax 1991) of each patient.
/// With s = benefit_sign (−1 when lower is better) and z the normal quantile at `level`:
///   SEM = SD₀·√(1 − r), S_diff = √2·SEM, RCI = (post − pre)/S_diff, reliable when |RCI| > z;
///   a = M_dys + s·2·SD_dys, b = M_func − s·2·SD_func, c = (SD_func·M_dys + SD_dys·M_func)/(SD_dys + SD_func);
///   recovered: reliable improvement (s·RCI > z) and s·(post − cut-off) ≥ 0; improved: reliable improvement
///   only; deteriorated: s·RCI < −z; unchanged otherwise.
/// @throws DomainError for different sizes, fewer than 2 patients (without dysfunctional norms),
///         non-finite scores, a reliability outside [0, 1), non-positive SDs, or cut-off b or c without
///         functional norms.
[[nodiscard]] inline RciResult reliable_change(std::span<const double> baseline, std::span<const double> followup,
                                               const RciOptions& options = {}) {
  constexpr std::string_view where = "reliable_change";
  require_same_size(where, "baseline", baseline.size(), "follow-up", followup.size());
  require_at_least(where, "patients", baseline.size(), 1);
  require_in_range(where, "reliability", options.reliability, 0, 1);
  if (options.reliability == 1) fail_check(where, "reliability", 1, "below 1 (no measurement error leaves no RCI)");
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    require_finite(where, "baseline score", baseline[i]);
    require_finite(where, "follow-up score", followup[i]);
  }
  RciResult r;
  if (options.dysfunctional) {
    r.dysfunctional = *options.dysfunctional;
  } else {
    require_at_least(where, "patients (for the SD of baseline scores)", baseline.size(), 2);
    r.dysfunctional = {std::accumulate(baseline.begin(), baseline.end(), 0.0) / static_cast<double>(baseline.size()),
                       sample_sd(baseline)};
  }
  require_positive(where, "SD of the dysfunctional population", r.dysfunctional.sd);
  const double s = benefit_sign(options.direction);
  r.sd_baseline = r.dysfunctional.sd;
  r.sem = r.sd_baseline * std::sqrt(1 - options.reliability);
  r.s_diff = std::sqrt(2.0) * r.sem;
  r.criterion = stats::normal_critical(options.level);
  r.reliable_change = r.criterion * r.s_diff;
  r.cutoff_a = r.dysfunctional.mean + s * 2 * r.dysfunctional.sd;
  if (options.functional) {
    const Norms f = *options.functional;
    require_positive(where, "SD of the functional population", f.sd);
    r.functional = f;
    r.cutoff_b = f.mean - s * 2 * f.sd;
    r.cutoff_c = (f.sd * r.dysfunctional.mean + r.dysfunctional.sd * f.mean) / (r.dysfunctional.sd + f.sd);
  }
  r.cutoff = options.cutoff.value_or(options.functional ? Cutoff::c : Cutoff::a);
  if (r.cutoff != Cutoff::a && !options.functional)
    throw DomainError(fmt::format("{}: cut-off {} needs the norms of a functional population", where,
                                  r.cutoff == Cutoff::b ? "b" : "c"));
  r.cutoff_value = r.cutoff == Cutoff::a ? r.cutoff_a : r.cutoff == Cutoff::b ? *r.cutoff_b : *r.cutoff_c;
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    PatientRci p;
    p.baseline = baseline[i];
    p.followup = followup[i];
    p.change = followup[i] - baseline[i];
    p.rci = p.change / r.s_diff;
    p.reliable = std::fabs(p.rci) > r.criterion;
    p.crossed = s * (p.followup - r.cutoff_value) >= 0;
    if (s * p.rci > r.criterion)
      p.cls = p.crossed ? ChangeClass::recovered : ChangeClass::improved;
    else if (s * p.rci < -r.criterion)
      p.cls = ChangeClass::deteriorated;
    else
      p.cls = ChangeClass::unchanged;
    (p.cls == ChangeClass::recovered      ? r.recovered
     : p.cls == ChangeClass::improved     ? r.improved
     : p.cls == ChangeClass::deteriorated ? r.deteriorated
                                          : r.unchanged)++;
    r.patients.push_back(p);
  }
  return r;
}

/// "recovered", "improved", "unchanged", "deteriorated"; "a", "b", "c".
[[nodiscard]] constexpr std::string_view name(ChangeClass c) {
  switch (c) {
    case ChangeClass::recovered:
      return "recovered";
    case ChangeClass::improved:
      return "improved";
    case ChangeClass::unchanged:
      return "unchanged";
    case ChangeClass::deteriorated:
      return "deteriorated";
  }
  return "unchanged";
}
[[nodiscard]] constexpr std::string_view name(Cutoff c) {
  return c == Cutoff::a ? "a" : c == Cutoff::b ? "b" : "c";
}

/// One patient's scores after averaging the diary entries of each period.
struct PatientScores {
  std::string patient;
  std::string arm;
  double baseline = 0;  ///< mean of the baseline entries
  double followup = 0;  ///< mean of the follow-up entries
  std::size_t baseline_entries = 0, followup_entries = 0;
};

/// Averages diary entries per patient and period (e.g. a 7-day baseline): entry i belongs to
/// `patient[i]` (in `arm[i]`) and is a baseline entry when `is_baseline[i]`, else a follow-up entry.
/// Patients keep the order of their first entry. Missing values (NaN) are skipped.
/// @throws DomainError for different sizes, a patient in two arms, or a patient without a baseline or
///         a follow-up value.
[[nodiscard]] inline std::vector<PatientScores> average_diary(std::span<const std::string> patient,
                                                              std::span<const std::string> arm,
                                                              std::span<const bool> is_baseline,
                                                              std::span<const double> value) {
  constexpr std::string_view where = "average_diary";
  require_same_size(where, "patient", patient.size(), "value", value.size());
  require_same_size(where, "arm", arm.size(), "value", value.size());
  require_same_size(where, "period", is_baseline.size(), "value", value.size());
  std::vector<PatientScores> out;
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto [it, inserted] = index.try_emplace(patient[i], out.size());
    if (inserted) out.push_back({patient[i], arm[i], 0, 0, 0, 0});
    PatientScores& p = out[it->second];
    if (p.arm != arm[i])
      throw DomainError(fmt::format("{}: patient {} is in arm '{}' and in arm '{}'", where, patient[i], p.arm, arm[i]));
    if (std::isnan(value[i])) continue;
    require_finite(where, "value", value[i]);
    if (is_baseline[i]) {
      p.baseline += value[i];
      ++p.baseline_entries;
    } else {
      p.followup += value[i];
      ++p.followup_entries;
    }
  }
  for (auto& p : out) {
    if (p.baseline_entries == 0 || p.followup_entries == 0)
      throw DomainError(fmt::format("{}: patient {} has no {} value", where, p.patient,
                                    p.baseline_entries == 0 ? "baseline" : "follow-up"));
    p.baseline /= static_cast<double>(p.baseline_entries);
    p.followup /= static_cast<double>(p.followup_entries);
  }
  return out;
}

/// One arm's patients: their change and how they are classified.
struct ArmChange {
  std::string arm{};
  std::size_t n = 0;
  double mean_change = 0;
  double sd_change = 0;  ///< NaN for one patient
  std::size_t recovered = 0, improved = 0, unchanged = 0, deteriorated = 0;
  std::optional<std::size_t> responders{};  ///< patients whose change reaches the MCID, when one is given
};

/// Per-arm summaries, arms in order of first appearance: n, mean and SD of change, the Jacobson–Truax
/// classes of `rci` (computed on the same patients, in the same order) and, with an MCID, responders.
/// @throws DomainError when `rci` does not hold one result per patient.
[[nodiscard]] inline std::vector<ArmChange> summarise_arms(std::span<const PatientScores> patients,
                                                           const RciResult& rci,
                                                           std::optional<Mcid> mcid = std::nullopt) {
  require_same_size("summarise_arms", "patients", patients.size(), "RCI results", rci.patients.size());
  std::vector<ArmChange> arms;
  std::vector<std::vector<double>> changes;
  for (std::size_t i = 0; i < patients.size(); ++i) {
    auto it = std::find_if(arms.begin(), arms.end(), [&](const ArmChange& a) { return a.arm == patients[i].arm; });
    if (it == arms.end()) {
      arms.push_back({.arm = patients[i].arm, .responders = mcid ? std::optional<std::size_t>(0) : std::nullopt});
      changes.emplace_back();
      it = arms.end() - 1;
    }
    const double change = rci.patients[i].change;
    changes[static_cast<std::size_t>(it - arms.begin())].push_back(change);
    ++it->n;
    const ChangeClass c = rci.patients[i].cls;
    ++(c == ChangeClass::recovered      ? it->recovered
       : c == ChangeClass::improved     ? it->improved
       : c == ChangeClass::deteriorated ? it->deteriorated
                                        : it->unchanged);
    if (mcid && responds(change, *mcid)) ++*it->responders;
  }
  for (std::size_t a = 0; a < arms.size(); ++a) {
    arms[a].mean_change = std::accumulate(changes[a].begin(), changes[a].end(), 0.0) / static_cast<double>(arms[a].n);
    arms[a].sd_change = sample_sd(changes[a]);
  }
  return arms;
}

}  // namespace trialstats::clinical
