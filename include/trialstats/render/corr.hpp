// Rendering the results of `trialstats corr`: one row (or JSON object) per coefficient, then the
// comparisons of coefficients, as aligned text, Markdown, CSV or JSON (DESIGN.md's rules).
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/types.hpp"
#include "trialstats/corr/adjust.hpp"
#include "trialstats/corr/correlation.hpp"
#include "trialstats/render/format.hpp"
#include "trialstats/render/grid.hpp"
#include "trialstats/render/json.hpp"

namespace trialstats::render {

/// Bootstrap intervals of one coefficient.
struct CorrBootstrap {
  std::size_t replicates = 0;  ///< requested
  std::size_t valid = 0;       ///< replicates with a defined coefficient
  std::uint64_t seed = 0;
  Interval percentile;
  Interval bca;
  double bias_correction = 0;  ///< z0
  double acceleration = 0;     ///< a
};

/// One coefficient as shown: which variables, which group, the result.
struct CorrRow {
  std::string x, y;
  std::string kind = "correlation";   ///< "correlation", "partial", "oldham", "rmcorr"
  std::optional<std::string> group;   ///< --by value
  std::vector<std::string> controls;  ///< partial: the covariates
  corr::Correlation c;
  std::optional<double> adjusted_p;  ///< in a matrix
  std::optional<CorrBootstrap> bootstrap;
  std::optional<std::size_t> subjects;  ///< rmcorr: number of subjects
};

/// One comparison of two coefficients.
struct CorrComparison {
  std::string kind;           ///< "independent" or "dependent"
  std::string first, second;  ///< labels of the two coefficients, e.g. "acupuncture", "control" or "x~y", "x~z"
  double r1 = 0, r2 = 0;
  std::size_t n1 = 0, n2 = 0;
  double difference = 0;
  std::string test;  ///< "fisher_z", "williams_t", "steiger_z"
  double statistic = 0;
  double df = std::nan("");
  double p = 0;
  Interval ci;  ///< Zou's interval for r1 - r2
};

struct CorrReport {
  std::string file;
  std::size_t rows = 0;              ///< data rows read
  std::size_t used = 0;              ///< rows with every variable present
  std::vector<std::size_t> dropped;  ///< lines of the rows dropped for missing values
  double level = 0.95;
  corr::Alternative alternative = corr::Alternative::two_sided;
  std::optional<corr::Adjust> adjust;  ///< matrices only
  std::string change;                  ///< "difference" or "percent" when change scores are used
  std::vector<CorrRow> rows_out;
  std::vector<CorrComparison> comparisons;
  Warnings warnings;
};

namespace detail_corr {

inline std::string level_percent(double level) {
  return fmt::format("{:g}%", level * 100);
}

inline json coefficient_json(const CorrRow& r, const CorrReport& report) {
  json j;
  j["x"] = r.x;
  j["y"] = r.y;
  if (r.group) j["group"] = *r.group;
  j["kind"] = r.kind;
  if (!r.controls.empty()) j["controls"] = r.controls;
  j["method"] = corr::name(r.c.method);
  j["n"] = r.c.n;
  if (r.subjects) j["subjects"] = *r.subjects;
  j["estimate"] = number_or_null(r.c.estimate);
  j["ci"] = r.c.ci_method == corr::CiMethod::none ? json(nullptr) : interval_json(r.c.ci);
  j["ci_method"] = r.c.ci_method == corr::CiMethod::none ? json(nullptr) : json(corr::name(r.c.ci_method));
  j["statistic"] = number_or_null(r.c.statistic);
  j["statistic_name"] = corr::name(r.c.statistic_kind);
  j["df"] = number_or_null(r.c.df);
  j["p"] = number_or_null(r.c.p);
  j["p_method"] = corr::name(r.c.p_method);
  if (report.adjust) j["adjusted_p"] = r.adjusted_p ? number_or_null(*r.adjusted_p) : json(nullptr);
  if (r.bootstrap) {
    const auto& b = *r.bootstrap;
    j["bootstrap"] = {{"replicates", b.replicates},
                      {"valid", b.valid},
                      {"seed", b.seed},
                      {"percentile", interval_json(b.percentile)},
                      {"bca", interval_json(b.bca)},
                      {"bias_correction", number_or_null(b.bias_correction)},
                      {"acceleration", number_or_null(b.acceleration)}};
  }
  j["warnings"] = warnings_json(r.c.warnings);
  return j;
}

inline json comparison_json(const CorrComparison& c) {
  return {{"kind", c.kind},
          {"first", c.first},
          {"second", c.second},
          {"r1", number_or_null(c.r1)},
          {"r2", number_or_null(c.r2)},
          {"n1", c.n1},
          {"n2", c.n2},
          {"difference", number_or_null(c.difference)},
          {"test", c.test},
          {"statistic", number_or_null(c.statistic)},
          {"df", number_or_null(c.df)},
          {"p", number_or_null(c.p)},
          {"ci", interval_json(c.ci)},
          {"ci_method", "zou"}};
}

inline std::string num(double v, const RenderStyle& s) {
  return s.format == OutputFormat::csv ? exact(v) : fixed(v, s.digits);
}
inline std::string pval(double v, const RenderStyle& s) {
  return s.format == OutputFormat::csv ? exact(v) : p_value(v, s.digits);
}

}  // namespace detail_corr

/// The coefficients as a grid: x, y, [group], method, n, estimate, ci_lb, ci_ub, stat, statistic, df,
/// p, [p_adj], p_method, ci_method; [boot_lb, boot_ub, bca_lb, bca_ub] when bootstrapped.
[[nodiscard]] inline Grid corr_grid(const CorrReport& report, const RenderStyle& style) {
  using detail_corr::num;
  using detail_corr::pval;
  bool groups = false, boot = false;
  for (const auto& r : report.rows_out) {
    groups = groups || r.group.has_value();
    boot = boot || r.bootstrap.has_value();
  }
  Grid g;
  g.header = {"x", "y"};
  if (groups) g.header.push_back("group");
  for (const char* h : {"method", "n", "estimate", "ci_lb", "ci_ub", "stat", "statistic", "df", "p"})
    g.header.push_back(h);
  if (report.adjust) g.header.push_back("p_adj");
  g.header.push_back("p_method");
  g.header.push_back("ci_method");
  if (boot)
    for (const char* h : {"perc_lb", "perc_ub", "bca_lb", "bca_ub"}) g.header.push_back(h);
  for (const auto& r : report.rows_out) {
    std::vector<Cell> row{{r.x, false}, {r.y, false}};
    if (groups) row.push_back({r.group.value_or(""), false});
    std::string method(corr::name(r.c.method));
    if (r.kind != "correlation") method = r.kind + (r.c.method == corr::Method::pearson ? "" : "-" + method);
    row.push_back({method, false});
    row.push_back({std::to_string(r.c.n), true});
    row.push_back({num(r.c.estimate, style), true});
    row.push_back({num(r.c.ci.lower, style), true});
    row.push_back({num(r.c.ci.upper, style), true});
    row.push_back({std::string(corr::name(r.c.statistic_kind)), false});
    row.push_back({num(r.c.statistic, style), true});
    row.push_back({std::isnan(r.c.df) ? "" : exact(r.c.df), true});
    row.push_back({pval(r.c.p, style), true});
    if (report.adjust) row.push_back({r.adjusted_p ? pval(*r.adjusted_p, style) : "", true});
    row.push_back({std::string(corr::name(r.c.p_method)), false});
    row.push_back({std::string(corr::name(r.c.ci_method)), false});
    if (boot) {
      if (r.bootstrap) {
        for (double v : {r.bootstrap->percentile.lower, r.bootstrap->percentile.upper, r.bootstrap->bca.lower,
                         r.bootstrap->bca.upper})
          row.push_back({num(v, style), true});
      } else {
        for (int k = 0; k < 4; ++k) row.push_back({"", true});
      }
    }
    g.rows.push_back(std::move(row));
  }
  return g;
}

/// The comparisons as a grid: kind, first, second, r1, r2, difference, ci_lb, ci_ub (Zou), test, statistic, df, p.
[[nodiscard]] inline Grid corr_comparison_grid(const CorrReport& report, const RenderStyle& style) {
  using detail_corr::num;
  using detail_corr::pval;
  Grid g;
  g.header = {"kind", "first", "second", "r1", "r2", "difference", "zou_lb", "zou_ub", "test", "statistic", "df", "p"};
  for (const auto& c : report.comparisons)
    g.rows.push_back({{c.kind, false},
                      {c.first, false},
                      {c.second, false},
                      {num(c.r1, style), true},
                      {num(c.r2, style), true},
                      {num(c.difference, style), true},
                      {num(c.ci.lower, style), true},
                      {num(c.ci.upper, style), true},
                      {c.test, false},
                      {num(c.statistic, style), true},
                      {std::isnan(c.df) ? "" : exact(c.df), true},
                      {pval(c.p, style), true}});
  return g;
}

/// The whole output of `trialstats corr` in `style.format`.
[[nodiscard]] inline std::string render_corr(const CorrReport& report, const RenderStyle& style) {
  if (style.format == OutputFormat::json) {
    json j;
    j["analysis"] = "corr";
    j["version"] = TRIALSTATS_VERSION;
    j["input"] = {{"file", report.file}, {"rows", report.rows}, {"used", report.used}, {"dropped", report.dropped}};
    j["level"] = report.level * 100;
    j["alternative"] = corr::name(report.alternative);
    j["change"] = report.change.empty() ? json(nullptr) : json(report.change);
    j["adjust"] = report.adjust ? json(corr::name(*report.adjust)) : json(nullptr);
    json coefficients = json::array();
    for (const auto& r : report.rows_out) coefficients.push_back(detail_corr::coefficient_json(r, report));
    j["coefficients"] = std::move(coefficients);
    json comparisons = json::array();
    for (const auto& c : report.comparisons) comparisons.push_back(detail_corr::comparison_json(c));
    j["comparisons"] = std::move(comparisons);
    j["warnings"] = warnings_json(report.warnings);
    return j.dump(2) + '\n';
  }
  const Grid grid = corr_grid(report, style);
  std::string out;
  if (!style.provenance.empty() && style.format != OutputFormat::md) out += "# " + style.provenance + '\n';
  if (style.format == OutputFormat::csv) {
    out += to_csv(grid);
    if (!report.comparisons.empty()) out += '\n' + to_csv(corr_comparison_grid(report, style));
    return out;
  }
  if (style.format == OutputFormat::md) {
    out += to_markdown(grid);
    if (!report.comparisons.empty()) out += '\n' + to_markdown(corr_comparison_grid(report, style));
    return out;
  }
  out += fmt::format("# {}: {} of {} rows used; {} CI; {} tests", report.file, report.used, report.rows,
                     detail_corr::level_percent(report.level),
                     report.alternative == corr::Alternative::two_sided
                         ? "two-sided"
                         : "one-sided (" + std::string(corr::name(report.alternative)) + ")");
  if (!report.change.empty())
    out += fmt::format("; change scores: {}", report.change == "percent" ? "100·(post-pre)/pre" : "post-pre");
  if (report.adjust) out += fmt::format("; p_adj: {}", corr::name(*report.adjust));
  out += "\n# stat: t (df), z (normal), S = sum of squared rank differences, T = concordant pairs\n";
  out += to_text(grid);
  if (!report.comparisons.empty()) {
    out += fmt::format("\n# comparisons: r1 - r2 with Zou's (2007) {} CI\n", detail_corr::level_percent(report.level));
    out += to_text(corr_comparison_grid(report, style));
  }
  return out;
}

}  // namespace trialstats::render
