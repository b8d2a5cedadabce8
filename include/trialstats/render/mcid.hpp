// Rendering the clinical importance of a pooled effect (`trialstats mcid`): a printout a clinician
// reads (category, sentence, the rule that produced it, probabilities), JSON in DESIGN.md's shape,
// and one CSV / Markdown row; and the per-patient analysis (`mcid --patients`): reliable change,
// responders per arm, distribution- and anchor-based MCIDs.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "trialstats/clinical/derive.hpp"
#include "trialstats/clinical/importance.hpp"
#include "trialstats/clinical/instruments.hpp"
#include "trialstats/clinical/rci.hpp"
#include "trialstats/clinical/responders.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/render/format.hpp"
#include "trialstats/render/grid.hpp"
#include "trialstats/render/json.hpp"

namespace trialstats::render {

/// The MCID's conversion to the pooled scale (SMD, ROM): the MCID in the outcome's units and the
/// value it gave on the pooled scale.
struct MidConversion {
  std::string formula{};  ///< e.g. "MCID / SD", "ln((mean_c + MCID) / mean_c)"
  double raw_mcid = 0;    ///< in the outcome's units, signed as the direction of benefit
  double pooled_mcid = 0;
  double reference = 0;  ///< the SD (SMD) or control-arm mean (ROM) used
  double mid_units = 0;  ///< the pooled estimate divided by the pooled-scale MCID
  Interval mid_units_ci{};
};

/// Everything one importance analysis shows.
struct McidReport {
  std::string input{};    ///< "trials", "pool_json" or "arguments"
  std::string file{};     ///< the trials CSV or JSON file; "-" for standard input; empty for arguments
  std::string measure{};  ///< "MD", "SMD", …; empty when not known
  std::string method{};   ///< tau² estimator or "EE"; empty when not known
  std::optional<int> k{};
  bool log_scale = false;  ///< ratio measure: the estimate, CI, PI and MCID are logs
  double mcid_given = 0;   ///< the MCID as given (a ratio for ratio measures)
  std::optional<clinical::Instrument> instrument{};
  std::optional<double> baseline{};  ///< for a percentage MCID
  std::optional<MidConversion> conversion{};
  clinical::Importance importance{};
  std::optional<clinical::NormalChange> change{};
  std::optional<clinical::NormalResponders> responders{};
  std::string pi_formula{};  ///< the PI's formula in words, when there is a PI
  Warnings warnings{};
};

namespace mcid_detail {

inline std::string category_title(clinical::Category c) {
  using clinical::Category;
  switch (c) {
    case Category::important:
      return "important";
    case Category::possibly_important:
      return "possibly important but imprecise";
    case Category::significant_possibly_unimportant:
      return "statistically significant but possibly unimportant";
    case Category::trivial:
      return "trivial";
    case Category::inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

inline std::string side_word(clinical::Side s) {
  return s == clinical::Side::harm ? "harm" : "benefit";
}

}  // namespace mcid_detail

/// One sentence a clinician reads, e.g. "The effect may be clinically important, but the confidence
/// interval also includes effects smaller than the MCID."
[[nodiscard]] inline std::string importance_sentence(const clinical::Importance& r) {
  using clinical::Category;
  const std::string side = mcid_detail::side_word(r.side);
  switch (r.category) {
    case Category::important:
      return fmt::format(
          "The effect is clinically important ({}): every effect in the confidence interval is at least "
          "as large as the MCID.",
          side);
    case Category::possibly_important:
      return fmt::format(
          "The effect may be clinically important ({}): the estimate reaches the MCID, but the "
          "confidence interval also includes effects smaller than the MCID.",
          side);
    case Category::significant_possibly_unimportant:
      return fmt::format(
          "The effect is statistically significant ({}) but may not be clinically important: the "
          "estimate is smaller than the MCID, although the confidence interval reaches it.",
          side);
    case Category::trivial:
      return "Any effect is too small to matter: the whole confidence interval lies between -MCID and +MCID.";
    case Category::inconclusive:
      return "The evidence is inconclusive: the confidence interval includes no effect and also effects at least as "
             "large as the MCID.";
  }
  return {};
}

/// The rule that produced the category, with the numbers (`digits` decimals).
[[nodiscard]] inline std::string importance_rule(const clinical::Importance& r, int digits) {
  using clinical::Category;
  const auto f = [&](double v) { return fixed(v, digits); };
  const double m = std::fabs(r.mcid);
  const std::string ci = fmt::format("[{}, {}]", f(r.ci.lower), f(r.ci.upper));
  const std::string band = fmt::format("[{}, {}]", f(-m), f(m));
  switch (r.category) {
    case Category::important:
      return fmt::format("important: the whole CI {} lies beyond the MCID ({} on the {} side)", ci,
                         f(r.side == clinical::Side::harm ? -r.mcid : r.mcid), mcid_detail::side_word(r.side));
    case Category::possibly_important:
      return fmt::format(
          "possibly important: the CI {} excludes 0 and the estimate {} reaches the MCID {}, but the "
          "CI crosses the MCID",
          ci, f(r.estimate), f(r.side == clinical::Side::harm ? -r.mcid : r.mcid));
    case Category::significant_possibly_unimportant:
      return fmt::format(
          "significant, possibly unimportant: the CI {} excludes 0, the estimate {} is inside {} and the "
          "CI crosses the MCID",
          ci, f(r.estimate), band);
    case Category::trivial:
      return fmt::format("trivial: the whole CI {} lies inside {} (-MCID, +MCID)", ci, band);
    case Category::inconclusive:
      return fmt::format("inconclusive: the CI {} includes 0 and reaches beyond {} (-MCID, +MCID)", ci, band);
  }
  return {};
}

/// DESIGN.md's JSON object of an importance analysis.
[[nodiscard]] inline json mcid_json(const McidReport& rep) {
  const auto& r = rep.importance;
  json input = {{"source", rep.input}, {"file", rep.file.empty() ? json(nullptr) : json(rep.file)}};
  json instrument = nullptr;
  if (rep.instrument) {
    const auto& in = *rep.instrument;
    instrument = {{"name", in.name},
                  {"label", in.label},
                  {"scale", {in.scale_min, in.scale_max}},
                  {"mcid", in.mcid},
                  {"unit", in.unit == clinical::McidUnit::percent ? "percent" : "points"},
                  {"direction", clinical::name(in.direction)},
                  {"population", in.population},
                  {"source", in.source},
                  {"baseline", optional_json(rep.baseline)}};
  }
  json sceptical = nullptr;
  if (r.sceptical)
    sceptical = {{"prior_sd", r.sceptical->prior_sd},
                 {"mean", r.sceptical->mean},
                 {"sd", r.sceptical->sd},
                 {"interval", interval_json(r.sceptical->interval)},
                 {"p_beyond_mcid", r.sceptical->p_beyond}};
  json responders = nullptr;
  if (rep.responders) {
    const auto& p = *rep.responders;
    const auto limit = [](const stats::NntLimit& l) {
      return json{{"kind", l.kind == stats::NntKind::benefit ? "benefit" : "harm"}, {"value", number_or_null(l.value)}};
    };
    responders = {{"control_mean_change", rep.change->control_mean},
                  {"sd_change", rep.change->sd},
                  {"control", p.control},
                  {"treatment", p.treatment},
                  {"treatment_ci", interval_json(p.treatment_ci)},
                  {"risk_difference", p.risk_difference},
                  {"risk_difference_ci", interval_json(p.risk_difference_ci)},
                  {"nnt", number_or_null(p.nnt)},
                  {"nnt_kind", p.nnt_kind == stats::NntKind::benefit ? "benefit" : "harm"},
                  {"nnt_ci", {limit(p.nnt_lower), limit(p.nnt_upper)}},
                  {"nnt_through_infinity", p.nnt_through_infinity}};
  }
  json conversion = nullptr;
  if (rep.conversion)
    conversion = {
        {"formula", rep.conversion->formula},     {"mcid_outcome_units", rep.conversion->raw_mcid},
        {"reference", rep.conversion->reference}, {"mcid_pooled_scale", rep.conversion->pooled_mcid},
        {"mid_units", rep.conversion->mid_units}, {"mid_units_ci", interval_json(rep.conversion->mid_units_ci)}};
  Warnings warnings = rep.warnings;
  warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
  return json{{"analysis", "mcid"},
              {"version", TRIALSTATS_VERSION},
              {"input", input},
              {"measure", rep.measure.empty() ? json(nullptr) : json(rep.measure)},
              {"method", rep.method.empty() ? json(nullptr) : json(rep.method)},
              {"k", optional_json(rep.k)},
              {"scale", rep.log_scale ? "log" : "identity"},
              {"mcid", r.mcid},
              {"mcid_given", rep.mcid_given},
              {"direction", clinical::name(r.direction)},
              {"instrument", instrument},
              {"mid_conversion", conversion},
              {"level", r.level * 100},
              {"category", clinical::name(r.category)},
              {"side", clinical::name(r.side)},
              {"sentence", importance_sentence(r)},
              {"rule", importance_rule(r, 4)},
              {"estimate", r.estimate},
              {"se", r.se},
              {"df", optional_json(r.df)},
              {"ci", interval_json(r.ci)},
              {"tau2", optional_json(r.tau2)},
              {"pi", optional_interval(r.pi)},
              {"pi_df", optional_json(r.pi_df)},
              {"pi_formula", rep.pi_formula.empty() ? json(nullptr) : json(rep.pi_formula)},
              {"p_beyond_mcid", r.p_beyond},
              {"p_harm_beyond_mcid", r.p_harm_beyond},
              {"sceptical", sceptical},
              {"share_beyond_mcid", optional_json(r.share_beyond)},
              {"responders", responders},
              {"warnings", warnings_json(warnings)}};
}

namespace mcid_detail {

inline Grid row_grid(const McidReport& rep, const RenderStyle& style) {
  const auto& r = rep.importance;
  const bool text = style.format != OutputFormat::csv;
  const auto num = [&](double v) { return Cell{text ? fixed(v, style.digits) : exact(v), true}; };
  const auto opt = [&](const std::optional<double>& v) { return v ? num(*v) : Cell{text ? "" : "NA", true}; };
  Grid g;
  g.header = {"category", "estimate",      "se",    "ci_lb", "ci_ub",
              "mcid",     "p_beyond_mcid", "pi_lb", "pi_ub", "share_beyond_mcid"};
  g.rows.push_back({Cell{std::string(clinical::name(r.category)), false}, num(r.estimate), num(r.se), num(r.ci.lower),
                    num(r.ci.upper), num(r.mcid), num(r.p_beyond),
                    opt(r.pi ? std::optional<double>(r.pi->lower) : std::nullopt),
                    opt(r.pi ? std::optional<double>(r.pi->upper) : std::nullopt), opt(r.share_beyond)});
  return g;
}

inline std::string nnt_text(const clinical::NormalResponders& p, int digits) {
  const auto kind = [](stats::NntKind k) { return k == stats::NntKind::benefit ? "NNTB" : "NNTH"; };
  const auto v = [&](double x) { return std::isinf(x) ? std::string("Inf") : fixed(x, 2); };
  (void)digits;
  std::string ci = p.nnt_through_infinity
                       ? fmt::format("{} {} to Inf to {} {}", kind(p.nnt_lower.kind), v(p.nnt_lower.value),
                                     kind(p.nnt_upper.kind), v(p.nnt_upper.value))
                       : fmt::format("{} to {}", v(p.nnt_lower.value), v(p.nnt_upper.value));
  return fmt::format("{} {} ({})", kind(p.nnt_kind), v(p.nnt), ci);
}

inline std::string text(const McidReport& rep, const RenderStyle& style) {
  const auto& r = rep.importance;
  const int d = style.digits;
  const auto f = [&](double v) { return fixed(v, d); };
  std::string out{};
  if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
  std::string what = "Clinical importance of ";
  if (rep.input == "arguments")
    what += "the given effect";
  else
    what += "the pooled effect";
  std::vector<std::string> facts{};
  if (!rep.measure.empty()) facts.push_back("measure " + rep.measure);
  if (!rep.method.empty()) facts.push_back("method " + rep.method);
  if (rep.k) facts.push_back(fmt::format("k = {}", *rep.k));
  if (!facts.empty()) {
    what += " (";
    for (std::size_t i = 0; i < facts.size(); ++i) what += (i ? "; " : "") + facts[i];
    what += ")";
  }
  out += what + "\n\n";
  const std::string dist = r.df ? fmt::format("t, df = {}", exact(*r.df)) : "normal";
  out += fmt::format("Estimate:  {} (SE {}; {}% CI [{}, {}], {})\n", f(r.estimate), f(r.se), exact(r.level * 100),
                     f(r.ci.lower), f(r.ci.upper), dist);
  out += fmt::format("MCID:      {} ({})", f(r.mcid),
                     r.direction == clinical::Direction::lower_is_better ? "lower is better" : "higher is better");
  if (rep.log_scale && !rep.conversion) out += fmt::format("; log of the ratio {}", exact(rep.mcid_given));
  out += "\n";
  if (rep.instrument) {
    const auto& in = *rep.instrument;
    out += fmt::format("           {}: {} {}", in.label, exact(in.mcid),
                       in.unit == clinical::McidUnit::percent ? "% of the baseline score" : "points");
    if (rep.baseline) out += fmt::format(" (baseline {})", exact(*rep.baseline));
    out += fmt::format("\n           derived in: {}\n           source: {}\n", in.population, in.source);
  }
  if (rep.conversion) {
    const auto& c = *rep.conversion;
    out += fmt::format("           on the pooled scale: {} = {} (MCID {} in outcome units, reference {})\n", c.formula,
                       f(c.pooled_mcid), f(c.raw_mcid), f(c.reference));
    out += fmt::format("           estimate in MID units: {} [{}, {}]\n", f(c.mid_units), f(c.mid_units_ci.lower),
                       f(c.mid_units_ci.upper));
  }
  out += fmt::format("\nCategory:  {}\n", category_title(r.category));
  out += "  " + importance_sentence(r) + "\n";
  out += "  Rule: " + importance_rule(r, d) + "\n\n";
  out += fmt::format("P(true mean effect beyond the MCID) = {} ({}, flat prior)\n", fixed(r.p_beyond, d), dist);
  out += fmt::format("P(true mean effect beyond the MCID on the harm side) = {}\n", fixed(r.p_harm_beyond, d));
  if (r.sceptical) {
    const auto& s = *r.sceptical;
    out += fmt::format(
        "Sceptical prior N(0, {}^2): posterior mean {} (SD {}; {}% interval [{}, {}]), "
        "P(beyond the MCID) = {}\n",
        exact(s.prior_sd), f(s.mean), f(s.sd), exact(r.level * 100), f(s.interval.lower), f(s.interval.upper),
        fixed(s.p_beyond, d));
  }
  if (r.pi) {
    out += fmt::format("\nPrediction interval: [{}, {}] ({}; tau^2 = {})\n", f(r.pi->lower), f(r.pi->upper),
                       rep.pi_formula, f(*r.tau2));
    out += fmt::format("Expected share of settings whose true effect lies beyond the MCID: {}\n",
                       fixed(*r.share_beyond, d));
  }
  if (rep.responders) {
    const auto& p = *rep.responders;
    out += fmt::format("\nResponders (change beyond the MCID; normal change, SD {}, control mean change {}):\n",
                       exact(rep.change->sd), exact(rep.change->control_mean));
    out += fmt::format("  control    {}\n  treatment  {} [{}, {}]\n  RD         {} [{}, {}]\n  {}\n",
                       fixed(p.control, d), fixed(p.treatment, d), fixed(p.treatment_ci.lower, d),
                       fixed(p.treatment_ci.upper, d), fixed(p.risk_difference, d),
                       fixed(p.risk_difference_ci.lower, d), fixed(p.risk_difference_ci.upper, d), nnt_text(p, d));
  }
  return out;
}

}  // namespace mcid_detail

/// The report in the style's format: text, JSON, or one CSV / Markdown row.
[[nodiscard]] inline std::string render_mcid(const McidReport& rep, const RenderStyle& style) {
  switch (style.format) {
    case OutputFormat::text:
      return mcid_detail::text(rep, style);
    case OutputFormat::json:
      return mcid_json(rep).dump(2) + '\n';
    case OutputFormat::csv: {
      std::string out = style.provenance.empty() ? "" : "# " + style.provenance + "\n";
      return out + to_csv(mcid_detail::row_grid(rep, style));
    }
    case OutputFormat::md:
      return to_markdown(mcid_detail::row_grid(rep, style));
  }
  return {};
}

}  // namespace trialstats::render

// ---------------------------------------------------------------------------------------------------
// Individual patients (`trialstats mcid --patients`).

namespace trialstats::render {

/// Everything a per-patient analysis shows.
struct PatientReport {
  std::string file;
  std::string outcome;
  bool diary = false;  ///< entries averaged per period
  std::vector<clinical::PatientScores> patients{};
  clinical::Direction direction = clinical::Direction::lower_is_better;
  std::optional<double> mcid{};  ///< threshold on the change scale (sign of benefit)
  std::optional<clinical::Instrument> instrument{};
  double reliability = 0;
  clinical::RciResult rci{};
  std::vector<clinical::ArmChange> arms{};
  std::optional<clinical::ArmResponders> responders{};  ///< treatment vs control
  std::string treatment, control;
  clinical::DistributionMcid distribution{};
  std::string anchor;        ///< anchor column; empty: none
  double improved_from = 0;  ///< anchor values ≥ this are "improved"
  std::vector<clinical::AnchorGroup> anchor_groups{};
  std::optional<clinical::RocMcid> roc{};
  std::vector<double> anchor_values{};  ///< per patient
  double level = 0.95;
};

namespace mcid_detail {

inline json proportion_json(const stats::ProportionEstimate& p) {
  return {{"responders", p.x}, {"n", p.n}, {"proportion", p.estimate}, {"ci", interval_json(p.ci)}};
}

inline json nnt_json(const stats::NumberNeededToTreat& n) {
  const auto kind = [](stats::NntKind k) { return k == stats::NntKind::benefit ? "benefit" : "harm"; };
  return {{"estimate", number_or_null(n.estimate)},
          {"kind", kind(n.kind)},
          {"ci",
           {{{"kind", kind(n.lower.kind)}, {"value", number_or_null(n.lower.value)}},
            {{"kind", kind(n.upper.kind)}, {"value", number_or_null(n.upper.value)}}}},
          {"through_infinity", n.through_infinity}};
}

inline std::string nnt_line(const stats::NumberNeededToTreat& n) {
  const auto kind = [](stats::NntKind k) { return k == stats::NntKind::benefit ? "NNTB" : "NNTH"; };
  const auto v = [](double x) { return std::isinf(x) ? std::string("Inf") : fixed(x, 2); };
  if (n.through_infinity)
    return fmt::format("{} {} ({} {} to Inf to {} {})", kind(n.kind), v(n.estimate), kind(n.lower.kind),
                       v(n.lower.value), kind(n.upper.kind), v(n.upper.value));
  return fmt::format("{} {} ({} to {})", kind(n.kind), v(n.estimate), v(n.lower.value), v(n.upper.value));
}

inline Grid patient_grid(const PatientReport& rep, const RenderStyle& style) {
  const bool text = style.format != OutputFormat::csv;
  const auto num = [&](double v) { return Cell{text ? fixed(v, style.digits) : exact(v), true}; };
  Grid g;
  g.header = {"patient", "arm", "baseline", "followup", "change", "rci", "class"};
  if (rep.mcid) g.header.push_back("responder");
  for (std::size_t i = 0; i < rep.patients.size(); ++i) {
    const auto& p = rep.patients[i];
    const auto& r = rep.rci.patients[i];
    std::vector<Cell> row{{p.patient, false},
                          {p.arm, false},
                          num(p.baseline),
                          num(p.followup),
                          num(r.change),
                          num(r.rci),
                          {std::string(clinical::name(r.cls)), false}};
    if (rep.mcid) row.push_back({clinical::responds(r.change, {*rep.mcid, rep.direction}) ? "yes" : "no", false});
    g.rows.push_back(std::move(row));
  }
  return g;
}

}  // namespace mcid_detail

/// JSON of a per-patient analysis.
[[nodiscard]] inline json patients_json(const PatientReport& rep) {
  using namespace mcid_detail;
  const auto& r = rep.rci;
  json arms = json::array();
  for (const auto& a : rep.arms)
    arms.push_back({{"arm", a.arm},
                    {"n", a.n},
                    {"mean_change", number_or_null(a.mean_change)},
                    {"sd_change", number_or_null(a.sd_change)},
                    {"recovered", a.recovered},
                    {"improved", a.improved},
                    {"unchanged", a.unchanged},
                    {"deteriorated", a.deteriorated},
                    {"responders", optional_json(a.responders)}});
  json responders = nullptr;
  if (rep.responders) {
    const auto& x = *rep.responders;
    responders = {{"treatment_arm", rep.treatment},
                  {"control_arm", rep.control},
                  {"treatment", proportion_json(x.treatment)},
                  {"control", proportion_json(x.control)},
                  {"risk_difference",
                   {{"estimate", x.risk_difference.estimate},
                    {"ci", interval_json(x.risk_difference.ci)},
                    {"method", "newcombe_hybrid_score"}}},
                  {"relative_risk",
                   {{"estimate", number_or_null(x.relative_risk.estimate)}, {"ci", interval_json(x.relative_risk.ci)}}},
                  {"nnt", nnt_json(x.nnt)}};
  }
  json roc = nullptr;
  if (rep.roc) {
    const auto& c = *rep.roc;
    roc = {{"anchor", rep.anchor},
           {"improved_from", rep.improved_from},
           {"cases", c.cases},
           {"controls", c.controls},
           {"threshold_convention", "improved when benefit_sign * change >= threshold; thresholds at midpoints"},
           {"threshold", c.threshold},
           {"mcid", c.mcid},
           {"youden_j", c.youden_j},
           {"sensitivity", c.sensitivity},
           {"specificity", c.specificity},
           {"tied_thresholds", c.ties},
           {"auc", c.auc},
           {"auc_se", c.auc_se},
           {"auc_ci", interval_json(c.auc_ci)}};
  }
  json groups = json::array();
  for (const auto& g : rep.anchor_groups)
    groups.push_back({{"level", g.level},
                      {"n", g.n},
                      {"mean_change", g.mean},
                      {"sd_change", number_or_null(g.sd)},
                      {"difference_to_previous", optional_json(g.difference_to_previous)}});
  json patients = json::array();
  for (std::size_t i = 0; i < rep.patients.size(); ++i) {
    const auto& p = rep.patients[i];
    const auto& q = r.patients[i];
    json row = {{"patient", p.patient}, {"arm", p.arm}, {"baseline", p.baseline},        {"followup", p.followup},
                {"change", q.change},   {"rci", q.rci}, {"class", clinical::name(q.cls)}};
    if (rep.diary) {
      row["baseline_entries"] = p.baseline_entries;
      row["followup_entries"] = p.followup_entries;
    }
    if (rep.mcid) row["responder"] = clinical::responds(q.change, {*rep.mcid, rep.direction});
    patients.push_back(row);
  }
  const auto& d = rep.distribution;
  return json{{"analysis", "mcid_patients"},
              {"version", TRIALSTATS_VERSION},
              {"input",
               {{"file", rep.file}, {"outcome", rep.outcome}, {"diary", rep.diary}, {"patients", rep.patients.size()}}},
              {"direction", clinical::name(rep.direction)},
              {"mcid", optional_json(rep.mcid)},
              {"instrument", rep.instrument ? json(rep.instrument->name) : json(nullptr)},
              {"level", rep.level * 100},
              {"rci",
               {{"reliability", rep.reliability},
                {"sd_baseline", r.sd_baseline},
                {"sem", r.sem},
                {"s_diff", r.s_diff},
                {"criterion", r.criterion},
                {"reliable_change", r.reliable_change},
                {"cutoff_a", r.cutoff_a},
                {"cutoff_b", optional_json(r.cutoff_b)},
                {"cutoff_c", optional_json(r.cutoff_c)},
                {"cutoff", clinical::name(r.cutoff)},
                {"cutoff_value", r.cutoff_value},
                {"recovered", r.recovered},
                {"improved", r.improved},
                {"unchanged", r.unchanged},
                {"deteriorated", r.deteriorated}}},
              {"arms", arms},
              {"responders", responders},
              {"distribution",
               {{"sd_baseline", d.sd},
                {"sd_0_2", d.small},
                {"sd_0_5", d.half_sd},
                {"reliability", optional_json(d.reliability)},
                {"sem", optional_json(d.sem)},
                {"mdc95", optional_json(d.mdc95)}}},
              {"anchor_groups", rep.anchor.empty() ? json(nullptr) : groups},
              {"roc", roc},
              {"patients", patients},
              {"warnings", json::array()}};
}

/// The per-patient report in the style's format (CSV and Markdown: one row per patient).
[[nodiscard]] inline std::string render_patients(const PatientReport& rep, const RenderStyle& style) {
  using namespace mcid_detail;
  if (style.format == OutputFormat::json) return patients_json(rep).dump(2) + '\n';
  if (style.format == OutputFormat::csv)
    return (style.provenance.empty() ? "" : "# " + style.provenance + "\n") + to_csv(patient_grid(rep, style));
  if (style.format == OutputFormat::md) return to_markdown(patient_grid(rep, style));
  const int dg = style.digits;
  const auto f = [&](double v) { return fixed(v, dg); };
  const auto& r = rep.rci;
  std::string out;
  if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
  out += fmt::format("Individual patients: {} ({} patients{}; {})\n\n", rep.outcome, rep.patients.size(),
                     rep.diary ? "; diary entries averaged per period" : "",
                     rep.direction == clinical::Direction::lower_is_better ? "lower is better" : "higher is better");
  out += fmt::format(
      "Reliable change (Jacobson & Truax 1991): reliability {}, SD of baseline {}, SEM {}, S_diff {},\n"
      "  reliable change |change| > {} (|RCI| > {})\n",
      exact(rep.reliability), f(r.sd_baseline), f(r.sem), f(r.s_diff), f(r.reliable_change), f(r.criterion));
  out += fmt::format("  cut-off a {}", f(r.cutoff_a));
  if (r.cutoff_b) out += fmt::format(", b {}, c {}", f(*r.cutoff_b), f(*r.cutoff_c));
  out += fmt::format("; classes use cut-off {} = {}\n\n", clinical::name(r.cutoff), f(r.cutoff_value));
  Grid arms;
  arms.header = {"arm", "n", "mean change", "SD", "recovered", "improved", "unchanged", "deteriorated"};
  if (rep.mcid) arms.header.push_back("responders");
  for (const auto& a : rep.arms) {
    std::vector<Cell> row{{a.arm, false},
                          {std::to_string(a.n), true},
                          {f(a.mean_change), true},
                          {f(a.sd_change), true},
                          {std::to_string(a.recovered), true},
                          {std::to_string(a.improved), true},
                          {std::to_string(a.unchanged), true},
                          {std::to_string(a.deteriorated), true}};
    if (rep.mcid) row.push_back({std::to_string(*a.responders), true});
    arms.rows.push_back(std::move(row));
  }
  out += to_text(arms) + "\n";
  if (rep.responders) {
    const auto& x = *rep.responders;
    out += fmt::format("Responders (change beyond the MCID {}), {} vs {}:\n", f(*rep.mcid), rep.treatment, rep.control);
    out += fmt::format("  {:<10} {}/{} = {} (Wilson {}% CI [{}, {}])\n", rep.treatment, exact(x.treatment.x),
                       exact(x.treatment.n), f(x.treatment.estimate), exact(rep.level * 100), f(x.treatment.ci.lower),
                       f(x.treatment.ci.upper));
    out += fmt::format("  {:<10} {}/{} = {} (Wilson {}% CI [{}, {}])\n", rep.control, exact(x.control.x),
                       exact(x.control.n), f(x.control.estimate), exact(rep.level * 100), f(x.control.ci.lower),
                       f(x.control.ci.upper));
    out += fmt::format("  RD {} (Newcombe hybrid score CI [{}, {}]); RR {} [{}, {}]; {}\n\n",
                       f(x.risk_difference.estimate), f(x.risk_difference.ci.lower), f(x.risk_difference.ci.upper),
                       f(x.relative_risk.estimate), f(x.relative_risk.ci.lower), f(x.relative_risk.ci.upper),
                       nnt_line(x.nnt));
  }
  const auto& d = rep.distribution;
  out += fmt::format("Distribution-based MCID (SD of baseline {}): 0.2 SD = {}, 0.5 SD = {}", f(d.sd), f(d.small),
                     f(d.half_sd));
  if (d.sem) out += fmt::format(", SEM = {}, MDC95 = {}", f(*d.sem), f(*d.mdc95));
  out += "\n";
  if (!rep.anchor.empty()) {
    out += fmt::format("\nAnchor-based MCID ({}):\n", rep.anchor);
    Grid g;
    g.header = {"level", "n", "mean change", "SD", "difference to previous"};
    for (const auto& a : rep.anchor_groups)
      g.rows.push_back({{exact(a.level), true},
                        {std::to_string(a.n), true},
                        {f(a.mean), true},
                        {f(a.sd), true},
                        {a.difference_to_previous ? f(*a.difference_to_previous) : "", true}});
    out += to_text(g);
    if (rep.roc) {
      const auto& c = *rep.roc;
      out += fmt::format(
          "ROC ({} >= {} improved: {} of {}): Youden cut point {} (change {} {}), J = {}, sensitivity {}, "
          "specificity {}{}\n  AUC {} (DeLong {}% CI [{}, {}])\n",
          rep.anchor, exact(rep.improved_from), c.cases, c.cases + c.controls, f(c.threshold),
          rep.direction == clinical::Direction::lower_is_better ? "<=" : ">=", f(c.mcid), f(c.youden_j),
          f(c.sensitivity), f(c.specificity),
          c.ties ? fmt::format(" ({} other cut points tie)", c.ties) : std::string(), f(c.auc), exact(c.level * 100),
          f(c.auc_ci.lower), f(c.auc_ci.upper));
    }
  }
  return out;
}

}  // namespace trialstats::render
