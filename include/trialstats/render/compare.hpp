// Rendering `trialstats compare`: every two-group result as a small report (a title, a table of the
// groups when there are per-group numbers, a table of results) in text, Markdown or CSV, or as one
// JSON object with the result's fields (full precision, null for absent or infinite values).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "trialstats/compare/contingency.hpp"
#include "trialstats/compare/mann_whitney.hpp"
#include "trialstats/compare/power.hpp"
#include "trialstats/compare/proportions.hpp"
#include "trialstats/compare/ttest.hpp"
#include "trialstats/render/format.hpp"
#include "trialstats/render/grid.hpp"
#include "trialstats/render/json.hpp"
#include "trialstats/stats/proportion.hpp"

namespace trialstats::render {

/// A rendered-to-be comparison: what every format is made from.
struct CompareReport {
  std::string test;   ///< "t", "mann_whitney", "chisq", "fisher", "proportions", "proportion", "power_t", "power_prop"
  std::string title;  ///< one line saying what was compared and how
  std::optional<Grid> groups{};  ///< per-group numbers
  Grid results;                  ///< one row per quantity
  json data;                     ///< the JSON fields of the result
  Warnings warnings;
  std::vector<std::string> notes{};  ///< lines under the tables (text and Markdown)
};

namespace detail {

inline Cell num(double v, int digits) {
  return {fixed(v, digits), true};
}
inline Cell pval(double v, int digits) {
  return {p_value(v, digits), true};
}
inline Cell text(std::string s) {
  return {std::move(s), false};
}
inline std::string percent(double level) {
  return fmt::format("{:g}%", level * 100);
}

inline std::string alternative_words(compare::Alternative a, std::string_view what) {
  switch (a) {
    case compare::Alternative::less:
      return fmt::format("alternative: {} less than the null value", what);
    case compare::Alternative::greater:
      return fmt::format("alternative: {} greater than the null value", what);
    default:
      return fmt::format("alternative: {} different from the null value (two-sided)", what);
  }
}

inline json nnt_limit_json(const stats::NntLimit& l) {
  return {{"kind", l.kind == stats::NntKind::benefit ? "benefit" : "harm"}, {"value", number_or_null(l.value)}};
}

/// "NNTB 2.33 to 18.76" or "NNTB 10.2 to ∞ to NNTH 25.1".
inline std::string nnt_interval_text(const stats::NumberNeededToTreat& n, int digits) {
  const auto side = [](stats::NntKind k) { return k == stats::NntKind::benefit ? "NNTB" : "NNTH"; };
  const auto val = [&](double v) { return std::isinf(v) ? std::string("∞") : fixed(v, digits); };
  if (n.through_infinity) return fmt::format("NNTB {} to ∞ to NNTH {}", val(n.lower.value), val(n.upper.value));
  return fmt::format("{} {} to {}", side(n.lower.kind), val(n.lower.value), val(n.upper.value));
}

}  // namespace detail

/// Group labels shown in reports and JSON.
struct GroupLabels {
  std::string group1 = "group 1";
  std::string group2 = "group 2";
};

[[nodiscard]] inline CompareReport compare_report(const compare::TTestResult& r, const GroupLabels& g, int digits) {
  using namespace detail;
  CompareReport out;
  out.test = "t";
  const bool welch = r.method == compare::TTestMethod::welch;
  out.title = fmt::format("{} two-sample t-test: {} minus {}; {}", welch ? "Welch" : "Student", g.group1, g.group2,
                          alternative_words(r.alternative, "difference of means"));
  out.groups = Grid{{"group", "n", "mean", "sd"}, {}};
  for (const auto& [label, s] : {std::pair{g.group1, r.group1}, std::pair{g.group2, r.group2}})
    out.groups->rows.push_back({text(label), {exact(s.n), true}, num(s.mean, digits), num(s.sd, digits)});
  out.results = Grid{{"difference", "se", "t", "df", "p", percent(r.level) + " CI lower", "upper"}, {}};
  out.results.rows.push_back({num(r.estimate, digits), num(r.std_error, digits), num(r.statistic, digits),
                              num(r.df, digits), pval(r.p, digits), num(r.ci.lower, digits), num(r.ci.upper, digits)});
  const auto group_json = [](const std::string& label, const compare::GroupSummary& s) {
    return json{{"label", label}, {"n", s.n}, {"mean", s.mean}, {"sd", number_or_null(s.sd)}};
  };
  out.data = {{"method", welch ? "welch" : "student"},
              {"alternative", compare::name(r.alternative)},
              {"groups", json::array({group_json(g.group1, r.group1), group_json(g.group2, r.group2)})},
              {"estimate", r.estimate},
              {"mu", r.mu},
              {"std_error", r.std_error},
              {"statistic", r.statistic},
              {"df", r.df},
              {"p", r.p},
              {"level", r.level},
              {"ci", interval_json(r.ci)}};
  return out;
}

[[nodiscard]] inline CompareReport compare_report(const compare::MannWhitneyResult& r, const GroupLabels& g,
                                                  int digits) {
  using namespace detail;
  CompareReport out;
  out.test = "mann_whitney";
  const std::string how =
      r.exact ? "exact p-value"
              : fmt::format("normal approximation{}{}", r.continuity ? " with continuity correction" : "",
                            r.ties ? ", tie-corrected variance" : "");
  out.title = fmt::format("Mann-Whitney U (Wilcoxon rank-sum) test, {}: {} against {}; {}", how, g.group1, g.group2,
                          alternative_words(r.alternative, "location shift"));
  out.groups = Grid{{"group", "n", "U"}, {}};
  out.groups->rows.push_back({text(g.group1), {exact(r.n1), true}, {exact(r.w), true}});
  out.groups->rows.push_back({text(g.group2), {exact(r.n2), true}, {exact(r.u2), true}});
  out.results = Grid{{"W", "z", "p"}, {}};
  out.results.rows.push_back({{exact(r.w), true}, r.z ? num(*r.z, digits) : text(""), pval(r.p, digits)});
  out.data = {{"method", r.exact ? "exact" : "normal"},
              {"continuity", r.continuity},
              {"ties", r.ties},
              {"alternative", compare::name(r.alternative)},
              {"n", json::array({r.n1, r.n2})},
              {"w", r.w},
              {"u", json::array({r.w, r.u2})},
              {"z", r.z ? json(*r.z) : json(nullptr)},
              {"p", r.p}};
  out.warnings = r.warnings;
  return out;
}

[[nodiscard]] inline CompareReport compare_report(const compare::ChiSquareResult& r, const compare::ContingencyTable& t,
                                                  int digits) {
  using namespace detail;
  CompareReport out;
  out.test = "chisq";
  out.title = fmt::format("Pearson's chi-square test of a {} x {} table{}", t.rows, t.cols,
                          r.yates ? ", with Yates' continuity correction" : "");
  Grid groups{{"row"}, {}};
  for (std::size_t j = 0; j < t.cols; ++j) groups.header.push_back(fmt::format("col {} (expected)", j + 1));
  for (std::size_t i = 0; i < t.rows; ++i) {
    std::vector<Cell> row{text(std::to_string(i + 1))};
    for (std::size_t j = 0; j < t.cols; ++j)
      row.push_back(
          {fmt::format("{} ({})", exact(t.counts[i * t.cols + j]), fixed(r.expected[i * t.cols + j], digits)), true});
    groups.rows.push_back(std::move(row));
  }
  out.groups = std::move(groups);
  out.results = Grid{{"X-squared", "df", "p"}, {}};
  out.results.rows.push_back({num(r.statistic, digits), {exact(r.df), true}, pval(r.p, digits)});
  out.data = {{"yates", r.yates},
              {"correction", r.correction},
              {"statistic", r.statistic},
              {"df", r.df},
              {"p", r.p},
              {"rows", t.rows},
              {"cols", t.cols},
              {"observed", t.counts},
              {"expected", r.expected}};
  out.warnings = r.warnings;
  return out;
}

[[nodiscard]] inline CompareReport compare_report(const compare::FisherResult& r, const compare::Table2x2& t,
                                                  int digits) {
  using namespace detail;
  CompareReport out;
  out.test = "fisher";
  out.title = fmt::format("Fisher's exact test of a 2 x 2 table; conditional maximum-likelihood odds ratio; {}",
                          alternative_words(r.alternative, "odds ratio"));
  out.groups = Grid{{"row", "events", "non-events"}, {}};
  out.groups->rows.push_back({text("1"), {exact(t.a), true}, {exact(t.b), true}});
  out.groups->rows.push_back({text("2"), {exact(t.c), true}, {exact(t.d), true}});
  out.results = Grid{{"odds ratio", percent(r.level) + " CI lower", "upper", "p"}, {}};
  out.results.rows.push_back(
      {num(r.odds_ratio, digits), num(r.ci.lower, digits), num(r.ci.upper, digits), pval(r.p, digits)});
  out.data = {{"alternative", compare::name(r.alternative)},
              {"table", json::array({t.a, t.b, t.c, t.d})},
              {"null_odds_ratio", r.null_odds_ratio},
              {"odds_ratio", number_or_null(r.odds_ratio)},
              {"level", r.level},
              {"ci", interval_json(r.ci)},
              {"p", r.p}};
  return out;
}

/// Two proportions: risk difference (Newcombe), relative risk, NNT and prop.test's chi-square.
struct TwoProportions {
  stats::EventCount group1;
  stats::EventCount group2;
  stats::NumberNeededToTreat nnt;  ///< holds the risk difference
  stats::RelativeRisk relative_risk;
  std::optional<compare::PropTestResult> test{};  ///< none when every patient has the same outcome
};

[[nodiscard]] inline CompareReport compare_report(const TwoProportions& r, const GroupLabels& g, int digits) {
  using namespace detail;
  CompareReport out;
  out.test = "proportions";
  const auto& d = r.nnt.risk_difference;
  out.title = fmt::format(
      "Two proportions: {} against {}; difference with {} interval, relative risk on the log scale, "
      "NNT (Altman), chi-square test{}",
      g.group1, g.group2, d.method == stats::DifferenceMethod::newcombe ? "Newcombe's hybrid score" : "the Wald",
      r.test && r.test->correction > 0 ? " with continuity correction" : "");
  out.groups = Grid{{"group", "events", "n", "proportion"}, {}};
  out.groups->rows.push_back({text(g.group1), {exact(r.group1.x), true}, {exact(r.group1.n), true}, num(d.p1, digits)});
  out.groups->rows.push_back({text(g.group2), {exact(r.group2.x), true}, {exact(r.group2.n), true}, num(d.p2, digits)});
  const std::string level = percent(d.level);
  out.results = Grid{{"quantity", "estimate", level + " CI lower", "upper"}, {}};
  out.results.rows.push_back(
      {text("risk difference"), num(d.estimate, digits), num(d.ci.lower, digits), num(d.ci.upper, digits)});
  out.results.rows.push_back({text("relative risk"), num(r.relative_risk.estimate, digits),
                              num(r.relative_risk.ci.lower, digits), num(r.relative_risk.ci.upper, digits)});
  const std::string kind = r.nnt.kind == stats::NntKind::benefit ? "NNTB" : "NNTH";
  const auto limit = [&](const stats::NntLimit& l) {
    return text(fmt::format("{} {}", l.kind == stats::NntKind::benefit ? "NNTB" : "NNTH",
                            std::isinf(l.value) ? std::string("∞") : fixed(l.value, digits)));
  };
  out.results.rows.push_back({text("number needed to treat (" + kind + ")"), num(r.nnt.estimate, digits),
                              limit(r.nnt.lower), limit(r.nnt.upper)});
  if (r.nnt.through_infinity)
    out.notes.push_back(
        fmt::format("the interval of the difference includes 0, so the NNT interval passes through infinity: {}",
                    nnt_interval_text(r.nnt, digits)));
  if (!r.test)
    out.notes.push_back("no chi-square test: every patient has the same outcome");
  else
    out.notes.push_back(fmt::format("chi-square test: X-squared = {}, df = 1, p = {}", fixed(r.test->statistic, digits),
                                    p_value(r.test->p, digits)));
  out.data = {
      {"groups", json::array({{{"label", g.group1}, {"x", r.group1.x}, {"n", r.group1.n}, {"proportion", d.p1}},
                              {{"label", g.group2}, {"x", r.group2.x}, {"n", r.group2.n}, {"proportion", d.p2}}})},
      {"level", d.level},
      {"risk_difference",
       {{"estimate", d.estimate},
        {"method", d.method == stats::DifferenceMethod::newcombe ? "newcombe" : "wald"},
        {"std_error", d.std_error},
        {"ci", interval_json(d.ci)}}},
      {"relative_risk",
       {{"estimate", r.relative_risk.estimate},
        {"log_estimate", r.relative_risk.log_estimate},
        {"log_std_error", r.relative_risk.log_std_error},
        {"ci", interval_json(r.relative_risk.ci)},
        {"corrected", r.relative_risk.corrected}}},
      {"nnt",
       {{"estimate", number_or_null(r.nnt.estimate)},
        {"kind", r.nnt.kind == stats::NntKind::benefit ? "benefit" : "harm"},
        {"through_infinity", r.nnt.through_infinity},
        {"lower", nnt_limit_json(r.nnt.lower)},
        {"upper", nnt_limit_json(r.nnt.upper)}}},
      {"chisq_test", r.test ? json{{"statistic", r.test->statistic},
                                   {"df", r.test->df},
                                   {"p", r.test->p},
                                   {"correction", r.test->correction},
                                   {"ci", interval_json(r.test->ci)}}
                            : json(nullptr)}};
  out.warnings = r.relative_risk.warnings;
  if (r.test)
    for (const auto& w : r.test->warnings) out.warnings.push_back(w);
  return out;
}

/// One proportion: Wilson interval, prop.test against p₀, and (for whole counts) binom.test.
struct OneProportion {
  stats::ProportionEstimate wilson;
  compare::PropTestResult test;
  std::optional<compare::BinomTestResult> exact{};  ///< only for whole-number counts
};

[[nodiscard]] inline CompareReport compare_report(const OneProportion& r, int digits) {
  using namespace detail;
  CompareReport out;
  out.test = "proportion";
  out.title = fmt::format(
      "One proportion: {} of {}; Wilson score interval, chi-square and exact binomial tests against p0 = {}",
      exact(r.wilson.x), exact(r.wilson.n), exact(r.test.null_p));
  const std::string level = percent(r.wilson.level);
  out.results = Grid{{"method", "estimate", level + " CI lower", "upper", "p"}, {}};
  out.results.rows.push_back({text("Wilson score"), num(r.wilson.estimate, digits), num(r.wilson.ci.lower, digits),
                              num(r.wilson.ci.upper, digits), text("")});
  out.results.rows.push_back({text(r.test.correction > 0 ? "prop.test (continuity-corrected)" : "prop.test"),
                              num(r.test.estimate1, digits), num(r.test.ci.lower, digits), num(r.test.ci.upper, digits),
                              pval(r.test.p, digits)});
  if (r.exact)
    out.results.rows.push_back({text("exact binomial (Clopper-Pearson)"), num(r.exact->estimate, digits),
                                num(r.exact->ci.lower, digits), num(r.exact->ci.upper, digits),
                                pval(r.exact->p, digits)});
  else
    out.notes.push_back("no exact binomial test: the number of events is not a whole number");
  out.data = {{"x", r.wilson.x},
              {"n", r.wilson.n},
              {"estimate", r.wilson.estimate},
              {"level", r.wilson.level},
              {"null_p", r.test.null_p},
              {"wilson", {{"ci", interval_json(r.wilson.ci)}}},
              {"prop_test",
               {{"statistic", r.test.statistic},
                {"df", r.test.df},
                {"p", r.test.p},
                {"correction", r.test.correction},
                {"ci", interval_json(r.test.ci)}}},
              {"binom_test", r.exact ? json{{"p", r.exact->p}, {"ci", interval_json(r.exact->ci)}} : json(nullptr)}};
  out.warnings = r.test.warnings;
  return out;
}

[[nodiscard]] inline CompareReport compare_report(const compare::PowerTResult& r, int digits) {
  using namespace detail;
  CompareReport out;
  out.test = "power_t";
  out.title =
      fmt::format("Two-sample t-test power calculation ({}{}); n is per group{}",
                  r.sides == compare::Sides::two_sided ? "two-sided" : "one-sided", r.strict ? ", strict" : "",
                  r.solved_for == compare::PowerSolvedFor::n ? ", not rounded: recruit the next whole number" : "");
  out.results = Grid{{"n", "delta", "sd", "sig.level", "power"}, {}};
  out.results.rows.push_back({num(r.n, digits),
                              {exact(r.delta), true},
                              {exact(r.sd), true},
                              {exact(r.sig_level), true},
                              num(r.power, digits)});
  if (r.solved_for == compare::PowerSolvedFor::n)
    out.notes.push_back(fmt::format("whole patients: {} per group", std::ceil(r.n - 1e-9)));
  out.data = {{"solved_for", r.solved_for == compare::PowerSolvedFor::n ? "n" : "power"},
              {"n", r.n},
              {"n_per_group_rounded_up", std::ceil(r.n - 1e-9)},
              {"delta", r.delta},
              {"sd", r.sd},
              {"sig_level", r.sig_level},
              {"power", r.power},
              {"sides", r.sides == compare::Sides::two_sided ? "two_sided" : "one_sided"},
              {"strict", r.strict}};
  return out;
}

[[nodiscard]] inline CompareReport compare_report(const compare::PowerPropResult& r, int digits) {
  using namespace detail;
  CompareReport out;
  out.test = "power_prop";
  out.title =
      fmt::format("Two-sample comparison of proportions power calculation ({}{}); n is per group{}",
                  r.sides == compare::Sides::two_sided ? "two-sided" : "one-sided", r.strict ? ", strict" : "",
                  r.solved_for == compare::PowerSolvedFor::n ? ", not rounded: recruit the next whole number" : "");
  out.results = Grid{{"n", "p1", "p2", "sig.level", "power"}, {}};
  out.results.rows.push_back(
      {num(r.n, digits), {exact(r.p1), true}, {exact(r.p2), true}, {exact(r.sig_level), true}, num(r.power, digits)});
  if (r.solved_for == compare::PowerSolvedFor::n)
    out.notes.push_back(fmt::format("whole patients: {} per group", std::ceil(r.n - 1e-9)));
  out.data = {{"solved_for", r.solved_for == compare::PowerSolvedFor::n ? "n" : "power"},
              {"n", r.n},
              {"n_per_group_rounded_up", std::ceil(r.n - 1e-9)},
              {"p1", r.p1},
              {"p2", r.p2},
              {"sig_level", r.sig_level},
              {"power", r.power},
              {"sides", r.sides == compare::Sides::two_sided ? "two_sided" : "one_sided"},
              {"strict", r.strict}};
  return out;
}

/// The whole output in `style.format`: text (provenance, title, tables, notes), Markdown (title,
/// tables, notes), CSV (provenance, the results table), JSON ({"analysis": "compare", "test": …,
/// the result's fields, "warnings"}).
[[nodiscard]] inline std::string render_compare(const CompareReport& report, const RenderStyle& style) {
  if (style.format == OutputFormat::json) {
    json j;
    j["analysis"] = "compare";
    j["version"] = TRIALSTATS_VERSION;
    j["test"] = report.test;
    for (const auto& [key, value] : report.data.items()) j[key] = value;
    j["warnings"] = warnings_json(report.warnings);
    return j.dump(2) + '\n';
  }
  std::string out;
  if (!style.provenance.empty() && style.format != OutputFormat::md) out += "# " + style.provenance + '\n';
  if (style.format == OutputFormat::csv) return out + to_csv(report.results);
  const bool md = style.format == OutputFormat::md;
  out += (md ? "**" + report.title + "**" : report.title) + "\n\n";
  if (report.groups) out += (md ? to_markdown(*report.groups) : to_text(*report.groups)) + "\n";
  out += md ? to_markdown(report.results) : to_text(report.results);
  if (!report.notes.empty()) out += '\n';
  for (const auto& n : report.notes) out += n + '\n';
  return out;
}

}  // namespace trialstats::render
