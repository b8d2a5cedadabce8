// Rendering `trialstats check`: one row per reported statistic (where, what, the reported and the
// recomputed p, the verdict, a note) in text, Markdown or CSV; JSON in the shape
// {"findings": [{"line", "column", "text", "test", "df", "value", "reported_p": {"comparison", "value"},
// "computed_p", "consistent", "decision_error", "note"}], "warnings": []}. GRIM / GRIMMER results
// render the same ways.
#pragma once

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "trialstats/claims/grim.hpp"
#include "trialstats/claims/statcheck.hpp"
#include "trialstats/render/format.hpp"
#include "trialstats/render/grid.hpp"
#include "trialstats/render/json.hpp"

namespace trialstats::render {

namespace detail {

inline std::string verdict(const claims::Finding& f) {
  if (f.consistent) return "consistent";
  return f.decision_error ? "decision error" : "inconsistent";
}

/// The reported p as written: "= .036" → "p = 0.036", "ns".
inline std::string reported_p_text(const claims::ReportedStatistic& r) {
  if (r.p_relation == claims::Relation::ns) return "ns";
  return fmt::format("p {} {}", claims::name(r.p_relation), fixed(r.p, std::max(r.p_decimals, 1)));
}

/// The computed p with enough digits to compare with the reported one (two more than it has,
/// at least 4), in scientific form below 10⁻⁴.
inline std::string computed_p_text(double p, int reported_decimals) {
  if (p != 0 && p < 1e-4) return fmt::format("{:.2e}", p);
  return fixed(p, std::max(4, reported_decimals + 2));
}

}  // namespace detail

/// One row per finding: line, column, test, statistic (as written), reported p, computed p, verdict, note.
[[nodiscard]] inline Grid check_grid(const claims::CheckResult& result) {
  Grid grid{{"line", "column", "statistic", "reported", "computed p", "verdict", "note"}, {}};
  for (const auto& f : result.findings) {
    grid.rows.push_back({{std::to_string(f.reported.line), true},
                         {std::to_string(f.reported.column), true},
                         {f.reported.text, false},
                         {detail::reported_p_text(f.reported), false},
                         {detail::computed_p_text(f.computed_p, f.reported.p_decimals), true},
                         {detail::verdict(f), false},
                         {std::string(claims::describe(f.note)), false}});
  }
  return grid;
}

[[nodiscard]] inline json check_json(const claims::CheckResult& result) {
  json findings = json::array();
  for (const auto& f : result.findings) {
    const auto& r = f.reported;
    json df = json::array();
    for (double d : r.df)
      df.push_back(d == std::floor(d) && std::fabs(d) < 1e15 ? json(static_cast<long long>(d)) : json(d));
    findings.push_back(
        {{"line", r.line},
         {"column", r.column},
         {"text", r.text},
         {"test", claims::name(r.test)},
         {"df", df},
         {"value", r.value},
         {"reported_p",
          {{"comparison", claims::name(r.p_relation)},
           {"value", r.p_relation == claims::Relation::ns ? json(nullptr) : json(r.p)}}},
         {"computed_p", f.computed_p},
         {"consistent", f.consistent},
         {"decision_error", f.decision_error},
         {"note", f.note == claims::FindingNote::none ? json(nullptr) : json(claims::describe(f.note))}});
  }
  return {{"findings", findings}, {"warnings", warnings_json(result.warnings)}};
}

/// The whole output of a text check in `style.format`; `source` names the input in the text header.
[[nodiscard]] inline std::string render_check(const claims::CheckResult& result, const std::string& source,
                                              const RenderStyle& style) {
  if (style.format == OutputFormat::json) return check_json(result).dump(2) + '\n';
  const Grid grid = check_grid(result);
  std::string out;
  if (!style.provenance.empty() && style.format != OutputFormat::md) out += "# " + style.provenance + '\n';
  if (style.format == OutputFormat::csv) return out + to_csv(grid);
  const std::string summary =
      fmt::format("{}: {} reported statistics, {} inconsistent, {} with a decision error (significance at alpha flips)",
                  source, result.findings.size(), result.inconsistent(), result.decision_errors());
  if (style.format == OutputFormat::md)
    return out + summary + "\n\n" + (result.findings.empty() ? "" : to_markdown(grid));
  out += "# " + summary + "\n";
  if (!result.findings.empty()) out += to_text(grid);
  return out;
}

/// GRIM / GRIMMER of one reported mean (and SD).
[[nodiscard]] inline std::string render_grim(const claims::ReportedMean& m, const claims::GrimResult& r,
                                             const RenderStyle& style) {
  if (style.format == OutputFormat::json) {
    json j = {{"grim",
               {{"mean", m.mean},
                {"mean_decimals", m.mean_decimals},
                {"n", m.n},
                {"items", m.items},
                {"granularity", r.granularity},
                {"verdict", claims::name(r.mean)},
                {"nearest_possible_mean", optional_json(r.nearest_mean)}}},
              {"grimmer", r.sd ? json{{"sd", *m.sd}, {"sd_decimals", m.sd_decimals}, {"verdict", claims::name(*r.sd)}}
                               : json(nullptr)},
              {"warnings", json::array()}};
    return j.dump(2) + '\n';
  }
  Grid grid{{"test", "reported", "n", "items", "verdict", "note"}, {}};
  const std::string mean_text = fmt::format("mean {:.{}f}", m.mean, m.mean_decimals);
  std::string note;
  if (r.mean == claims::GrimVerdict::inconsistent)
    note = fmt::format("nearest possible mean {:.{}f}", *r.nearest_mean, m.mean_decimals + 2);
  else if (r.mean == claims::GrimVerdict::not_testable)
    note = fmt::format("n x items = {} is not below 10^{}: every mean is possible", m.n * m.items, m.mean_decimals);
  grid.rows.push_back({{"GRIM", false},
                       {mean_text, false},
                       {exact(m.n), true},
                       {exact(m.items), true},
                       {std::string(claims::name(r.mean)), false},
                       {note, false}});
  if (r.sd)
    grid.rows.push_back({{"GRIMMER", false},
                         {fmt::format("SD {:.{}f}", *m.sd, m.sd_decimals), false},
                         {exact(m.n), true},
                         {exact(m.items), true},
                         {std::string(claims::name(*r.sd)), false},
                         {r.mean == claims::GrimVerdict::inconsistent ? "the mean is impossible already" : "", false}});
  std::string out;
  if (!style.provenance.empty() && style.format != OutputFormat::md) out += "# " + style.provenance + '\n';
  if (style.format == OutputFormat::csv) return out + to_csv(grid);
  return out + (style.format == OutputFormat::md ? to_markdown(grid) : to_text(grid));
}

}  // namespace trialstats::render
