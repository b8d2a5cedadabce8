// trialstats reproduce: re-derives each claim of a manifest (TOML) from its data with the library's
// analyses (pool, mcid, corr, compare, proportion, check, instrument), judges it against the figure
// as reported, and reports the verdicts as a table, Markdown, JSON and JUnit XML.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "pooling.hpp"
#include "trialstats/claims/manifest.hpp"
#include "trialstats/claims/manifest_toml.hpp"
#include "trialstats/claims/statcheck.hpp"
#include "trialstats/clinical/importance.hpp"
#include "trialstats/compare/ttest.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/corr/pearson.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/io/table.hpp"
#include "trialstats/render/output.hpp"
#include "trialstats/render/reproduce.hpp"
#include "trialstats/stats/proportion.hpp"

namespace trialstats::app {
namespace {

using claims::Claim;
using claims::Reproduction;
using claims::Status;

struct ReproduceArgs {
  CommonArgs common;
  std::string manifest;
  std::string junit;
};

const std::string* text_option(const Claim& c, const std::string& key) {
  const auto it = c.options.find(key);
  return it == c.options.end() ? nullptr : std::get_if<std::string>(&it->second.value);
}

const std::vector<std::string>* list_option(const Claim& c, const std::string& key) {
  const auto it = c.options.find(key);
  return it == c.options.end() ? nullptr : std::get_if<std::vector<std::string>>(&it->second.value);
}

std::optional<double> number_option(const Claim& c, const std::string& key) {
  const auto it = c.options.find(key);
  if (it == c.options.end()) return std::nullopt;
  return std::get<double>(it->second.value);
}

/// A numeric result: judged against the reported figure.
Reproduction numeric(const Claim& c, double value, std::optional<Interval> ci = std::nullopt, std::string detail = {}) {
  Reproduction r;
  r.value = value;
  r.ci = ci;
  r.status = claims::judge(c.reported, value);
  r.detail = std::move(detail);
  if (r.status == Status::not_reproduced && r.detail.empty())
    r.detail = fmt::format("the reported figure admits {}", claims::describe(claims::acceptance(c.reported)));
  return r;
}

/// A categorical result: the same word or not.
Reproduction categorical(const Claim& c, std::string category, std::string detail, Status mismatch) {
  Reproduction r;
  r.category = std::move(category);
  r.status = r.category == c.reported.text ? Status::reproduced : mismatch;
  r.detail = std::move(detail);
  return r;
}

Reproduction p_result(Reproduction r) {
  r.is_p = true;
  return r;
}

/// A p-value in a detail line: three significant digits.
std::string p_text(double p) {
  return fmt::format("{:.3g}", p);
}

// ---- pool and mcid -------------------------------------------------------------------------------

struct Pooled {
  render::PoolReport report;
  double n_total = 0;
};

Pooled pool_claim(const Claim& c, double level) {
  PoolingArgs args;
  CLI::App parser;
  add_pooling_options(parser, args);
  std::vector<std::string> argv;
  for (const char* key : {"measure", "method", "test", "profile"})
    if (const std::string* v = text_option(c, key)) {
      argv.push_back(std::string("--") + key);
      argv.push_back(*v);
    }
  std::reverse(argv.begin(), argv.end());
  try {
    parser.parse(argv);
  } catch (const CLI::ParseError& e) {
    // at the option the message names, else at the claim
    SourcePos at = c.pos;
    for (const auto& [key, value] : c.options)
      if (std::string_view(e.what()).find("--" + key) != std::string_view::npos) at = value.pos;
    throw InputError(at, fmt::format("claim '{}': {}", c.id, e.what()));
  }
  resolve_pooling(args, level * 100);
  const std::vector<std::string> col = list_option(c, "col") ? *list_option(c, "col") : std::vector<std::string>{};
  const io::ColumnRoles roles(col);
  const io::Table table = io::read_csv(c.data_path);
  const io::EffectTable effects = io::effects_from_table(table, roles, args.effects);
  std::vector<std::size_t> all(effects.yi.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  Pooled p{analyse_pooling(args, effects, all, {}), 0};
  const io::Column* n1 = roles.find(table, "n1i");
  const io::Column* n2 = roles.find(table, "n2i");
  const io::Column* ni = roles.find(table, "ni");
  for (const std::size_t row : effects.rows) {
    if (n1 && n2)
      p.n_total += n1->number(row) + n2->number(row);
    else if (ni)
      p.n_total += ni->number(row);
  }
  return p;
}

Reproduction pool_result(const Claim& c, double level) {
  const Pooled p = pool_claim(c, level);
  const meta::PooledEffect& f = p.report.fit;
  const std::string& s = c.statistic;
  const std::string model = fmt::format("{} studies, {}", f.k, p.report.method);
  if (s == "estimate") return numeric(c, f.estimate, f.ci, model);
  if (s == "ratio")
    return numeric(c, std::exp(f.estimate), Interval{std::exp(f.ci.lower), std::exp(f.ci.upper)}, model);
  if (s == "percent_change") {
    const auto pct = [](double x) { return 100 * (std::exp(x) - 1); };
    return numeric(c, pct(f.estimate), Interval{pct(f.ci.lower), pct(f.ci.upper)},
                   model + "; percent change = 100·(exp(estimate) − 1)");
  }
  if (s == "ratio_ci_lower") return numeric(c, std::exp(f.ci.lower), std::nullopt, model);
  if (s == "ratio_ci_upper") return numeric(c, std::exp(f.ci.upper), std::nullopt, model);
  if (s == "p") return p_result(numeric(c, f.p, std::nullopt, model));
  if (s == "tau2") return numeric(c, f.het.tau2, f.het.tau2_ci, model);
  if (s == "i2") return numeric(c, f.het.i2, f.het.i2_ci, model);
  if (s == "k") return numeric(c, f.k, std::nullopt, model);
  if (p.n_total == 0) throw InputError({c.data_path, 1, 1}, "no n1i and n2i (or ni) columns to count patients");
  return numeric(c, p.n_total, std::nullopt, model);
}

Reproduction mcid_result(const Claim& c, double level) {
  const Pooled p = pool_claim(c, level);
  const meta::PooledEffect& f = p.report.fit;
  clinical::PooledSummary summary{.estimate = f.estimate, .se = f.se, .level = f.level};
  if (f.df) summary.df = *f.df;
  summary.tau2 = f.het.tau2;
  if (f.pi_df) summary.pi_df = *f.pi_df;
  clinical::Mcid mcid{.value = *number_option(c, "mcid")};
  if (const std::string* d = text_option(c, "direction")) {
    if (*d == "higher_is_better")
      mcid.direction = clinical::Direction::higher_is_better;
    else if (*d != "lower_is_better")
      throw InputError(c.options.at("direction").pos,
                       fmt::format("option 'direction' must be lower_is_better or higher_is_better, not '{}'", *d));
  }
  const clinical::Importance imp = clinical::assess_importance(summary, mcid);
  const std::string detail =
      fmt::format("{} studies; estimate {} [{}, {}] against MCID {}: {}; P(beyond MCID) = {}", f.k,
                  render::fixed(imp.estimate, 2), render::fixed(imp.ci.lower, 2), render::fixed(imp.ci.upper, 2),
                  render::fixed(imp.mcid, 2), clinical::name(imp.category), render::fixed(imp.p_beyond, 3));
  if (c.statistic == "estimate") return numeric(c, imp.estimate, imp.ci, detail);
  if (c.statistic == "category")
    return categorical(c, std::string(clinical::name(imp.category)), detail, Status::not_reproduced);
  // exceeds_mcid: the whole interval beyond the MCID
  Reproduction r =
      categorical(c, imp.category == clinical::Category::important ? "yes" : "no", detail, Status::not_reproduced);
  r.value = imp.estimate;
  r.ci = imp.ci;
  return r;
}

// ---- per-patient analyses ----------------------------------------------------------------------

/// A numeric column's values; `missing` marks rows without a value.
std::vector<double> column_values(const io::Table& t, const std::string& name, std::vector<char>& missing) {
  const io::Column& col = t.column(name);
  std::vector<double> v(t.rows());
  missing.resize(t.rows(), 0);
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (col.is_missing(i)) {
      missing[i] = 1;
      continue;
    }
    v[i] = col.number(i);
  }
  return v;
}

/// A variable: a column, or the change post − pre.
std::vector<double> variable(const Claim& c, const io::Table& t, const std::string& prefix,
                             std::vector<char>& missing) {
  if (const std::string* name = text_option(c, prefix)) return column_values(t, *name, missing);
  const std::string* pre = text_option(c, prefix + "_pre");
  const std::string* post = text_option(c, prefix + "_post");
  if (!pre || !post)
    throw InputError(c.pos,
                     fmt::format("claim '{}': give '{}' or both '{}_pre' and '{}_post'", c.id, prefix, prefix, prefix));
  std::vector<double> a = column_values(t, *pre, missing);
  const std::vector<double> b = column_values(t, *post, missing);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = b[i] - a[i];
  return a;
}

Reproduction corr_result(const Claim& c, double level) {
  const io::Table t = io::read_csv(c.data_path);
  std::vector<char> missing;
  const std::vector<double> x = variable(c, t, "x", missing), y = variable(c, t, "y", missing);
  std::vector<double> xs, ys;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!missing[i]) {
      xs.push_back(x[i]);
      ys.push_back(y[i]);
    }
  const corr::Correlation r = corr::pearson(xs, ys, {.level = level});
  const std::string detail =
      fmt::format("Pearson r of {} pairs, t({}) = {}, p = {}", r.n, r.df, render::fixed(r.statistic, 3), p_text(r.p));
  if (c.statistic == "r") return numeric(c, r.estimate, r.ci, detail);
  if (c.statistic == "p") return p_result(numeric(c, r.p, std::nullopt, detail));
  return numeric(c, static_cast<double>(r.n), std::nullopt, detail);
}

Reproduction compare_result(const Claim& c, double level) {
  const io::Table t = io::read_csv(c.data_path);
  const std::vector<std::string>& groups = *list_option(c, "groups");
  if (groups.size() != 2)
    throw InputError(c.options.at("groups").pos, "option 'groups' must name two groups: [\"treated\", \"control\"]");
  const io::Column& g = t.column(*text_option(c, "group"));
  std::vector<char> missing;
  std::vector<double> v = column_values(t, *text_option(c, "value"), missing);
  std::string what = "mean";
  if (const std::string* base = text_option(c, "baseline")) {
    const std::vector<double> b = column_values(t, *base, missing);
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (missing[i]) continue;
      if (b[i] == 0) throw InputError(t.column(*base).pos(i), "a baseline of 0 has no percent change");
      v[i] = 100 * (v[i] - b[i]) / b[i];
    }
    what = "mean percent change from baseline";
  } else if (const std::string* pre = text_option(c, "pre")) {
    const std::vector<double> b = column_values(t, *pre, missing);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] -= b[i];
    what = "mean change";
  }
  std::vector<double> x, y;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (missing[i] || g.is_missing(i)) continue;
    const std::string level_name = g.text(i);
    if (level_name == groups[0])
      x.push_back(v[i]);
    else if (level_name == groups[1])
      y.push_back(v[i]);
  }
  compare::TTestOptions o{.level = level};
  if (const std::string* m = text_option(c, "method")) {
    if (*m == "student")
      o.method = compare::TTestMethod::student;
    else if (*m != "welch")
      throw InputError(c.options.at("method").pos,
                       fmt::format("option 'method' must be welch or student, not '{}'", *m));
  }
  const compare::GroupSummary s1 = compare::summarize(x, "compare"), s2 = compare::summarize(y, "compare");
  const compare::TTestResult r = compare::t_test(s1, s2, o);
  const std::string detail = fmt::format("{}: {} {} (n = {}), {} {} (n = {}); {} t({}) = {}, p = {}", what, groups[0],
                                         render::fixed(s1.mean, 2), s1.n, groups[1], render::fixed(s2.mean, 2), s2.n,
                                         o.method == compare::TTestMethod::welch ? "Welch" : "Student",
                                         render::fixed(r.df, 2), render::fixed(r.statistic, 3), p_text(r.p));
  const std::string& s = c.statistic;
  if (s == "mean1") return numeric(c, s1.mean, std::nullopt, detail);
  if (s == "mean2") return numeric(c, s2.mean, std::nullopt, detail);
  if (s == "difference") return numeric(c, r.estimate, r.ci, detail);
  if (s == "percent_difference") return numeric(c, 100 * (s1.mean / s2.mean - 1), std::nullopt, detail);
  if (s == "p") return p_result(numeric(c, r.p, std::nullopt, detail));
  return numeric(c, s1.n + s2.n, std::nullopt, detail);
}

Reproduction proportion_result(const Claim& c, double level) {
  const io::Table t = io::read_csv(c.data_path);
  const io::Column& col = t.column(*text_option(c, "column"));
  double x = 0, n = 0;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (col.is_missing(i)) continue;
    const double v = col.number(i);
    if (v != 0 && v != 1) throw InputError(col.pos(i), fmt::format("expected 0 or 1, got {}", v));
    x += v;
    n += 1;
  }
  const stats::ProportionEstimate p = stats::wilson_interval({x, n}, {.level = level});
  const std::string detail = fmt::format("{} of {}; Wilson interval", x, n);
  if (c.statistic == "percent")
    return numeric(c, 100 * p.estimate, Interval{100 * p.ci.lower, 100 * p.ci.upper}, detail);
  if (c.statistic == "proportion") return numeric(c, p.estimate, p.ci, detail);
  if (c.statistic == "x") return numeric(c, x, std::nullopt, detail);
  return numeric(c, n, std::nullopt, detail);
}

Reproduction check_result(const Claim& c) {
  const claims::CheckResult res = claims::check_text(*text_option(c, "text"));
  if (res.findings.size() != 1)
    throw InputError(
        c.options.at("text").pos,
        fmt::format("option 'text' must report exactly one statistic with its p-value; found {}", res.findings.size()));
  const claims::Finding& f = res.findings.front();
  const std::string detail = fmt::format("'{}': recomputed p = {}{}", f.reported.text, p_text(f.computed_p),
                                         f.decision_error ? " (decision error)" : "");
  if (c.statistic == "computed_p") return p_result(numeric(c, f.computed_p, std::nullopt, detail));
  return categorical(c, f.consistent ? "consistent" : "inconsistent", detail, Status::inconsistent);
}

Reproduction instrument_result(const Claim& c) {
  const io::Table t = io::read_csv(c.data_path);
  const io::Column& names = t.column("instrument");
  const std::string& wanted = *text_option(c, "name");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (names.text(i) != wanted) continue;
    const double lo = t.column("scale_min").number(i), hi = t.column("scale_max").number(i);
    const std::string detail = fmt::format("{}: scale {} to {}, MCID {} {}", wanted, lo, hi, t.column("mcid").number(i),
                                           t.column("unit").text(i));
    const double v = c.statistic == "scale_min" ? lo : c.statistic == "scale_max" ? hi : t.column("mcid").number(i);
    Reproduction r = numeric(c, v, std::nullopt, detail);
    // A scale's range is a fact of the instrument: a different figure contradicts it.
    if (r.status == Status::not_reproduced && c.statistic != "mcid") r.status = Status::inconsistent;
    return r;
  }
  throw InputError(c.options.at("name").pos, fmt::format("instrument '{}' is not in {}", wanted, c.data));
}

/// Re-derives one claim. Errors of the data or the analysis become the claim's `error` status.
Reproduction reproduce(const Claim& c, double level) {
  try {
    if (c.analysis == "pool") return pool_result(c, level);
    if (c.analysis == "mcid") return mcid_result(c, level);
    if (c.analysis == "corr") return corr_result(c, level);
    if (c.analysis == "compare") return compare_result(c, level);
    if (c.analysis == "proportion") return proportion_result(c, level);
    if (c.analysis == "check") return check_result(c);
    return instrument_result(c);
  } catch (const InputError& e) {
    if (e.pos().file == c.pos.file) throw;  // a mistake of the manifest itself: exit 3
    Reproduction r;
    r.status = Status::error;
    r.detail = e.what();
    return r;
  } catch (const Error& e) {
    Reproduction r;
    r.status = Status::error;
    r.detail = e.what();
    return r;
  }
}

const char* const long_description =
    R"(Re-derives each claim of a manifest (TOML) from its data and judges it against the figure as
the publication reports it. Each [[claim]] names its analysis (pool, mcid, corr, compare,
proportion, check, instrument), its data file (relative to the manifest), its options, the
statistic to extract and the reported figure. A figure written with d decimals admits every
value within half a unit of its last digit; "< 0.001" admits values below the bound; a numeric
'reported' with 'tolerance' admits reported ± tolerance; a word (e.g. "yes", "important",
"consistent") must be re-derived as the same word.

Status: reproduced, not reproduced, inconsistent (the figures contradict each other or a known
fact), error (the analysis could not run). Exit 1 when any claim is not reproduced; a malformed
manifest (syntax, unknown analysis, statistic or option, wrong type, missing data file) is an
error at its line and column, exit 3. Rules: docs/methods.md, "Reproducing claims".)";

}  // namespace

Subcommand add_reproduce_command(CLI::App& parent) {
  auto args = std::make_shared<ReproduceArgs>();
  ReproduceArgs& a = *args;
  CLI::App* app = parent.add_subcommand("reproduce", "Re-derive the claims of a manifest and judge each");
  app->description(std::string("Re-derive the claims of a manifest and judge each.\n\n") + long_description);
  const std::string example = "trialstats reproduce examples/fibromyalgia/claims.toml --junit claims.xml";
  app->footer("Examples:\n  " + example + "\n  trialstats reproduce examples/published/claims.toml --format md\n");
  app->add_option("manifest", a.manifest, "The claims manifest (TOML)")->required();
  app->add_option("--junit", a.junit, "Also write a JUnit XML file, one test case per claim");
  add_common_options(*app, a.common);

  auto run = [args](const Invocation& inv) -> int {
    ReproduceArgs& a = *args;
    a.common.command_line = inv.command_line;
    if (a.common.format == render::OutputFormat::csv) throw UsageError("reproduce writes text, md or json, not csv");
    const claims::Manifest m = claims::read_manifest(a.manifest);
    const double level = m.level ? *m.level : a.common.level / 100;
    render::ReproduceReport report{.manifest = a.manifest, .title = m.title, .level = level, .claims = {}};
    std::vector<std::string> inputs{a.manifest};
    for (const Claim& c : m.claims) {
      report.claims.push_back({&c, reproduce(c, level)});
      if (!c.data_path.empty()) inputs.push_back(c.data_path);
    }
    if (!a.junit.empty()) render::write_output(a.junit, render::render_junit(report, a.common.digits), inputs);
    emit(a.common, render::render_reproduce(report, render_style(a.common)), inputs, inv.out);
    return report.count(Status::reproduced) == report.claims.size() ? 0 : static_cast<int>(ExitCode::check_failed);
  };
  return {app, example, run};
}

}  // namespace trialstats::app
