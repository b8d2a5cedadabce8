#include <algorithm>
#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "trialstats/render/json.hpp"
#include "trialstats/render/grid.hpp"
#include "trialstats/render/pool.hpp"

namespace trialstats::render {
namespace {


std::string pi_description(const meta::PooledEffect& f) {
  if (f.pi_df) return fmt::format("t(df = {}): estimate ± t·sqrt(se² + tau²)", *f.pi_df);
  return "normal: estimate ± z·sqrt(se² + tau²)";
}

// "= 0.0123" or "< .0001", as metafor words a p-value in a sentence.
std::string p_phrase(double p, int digits) {
  const std::string v = p_value(p, digits);
  return v.front() == '<' ? "< " + v.substr(1) : "= " + v;
}

bool is_common_effect(const meta::PooledEffect& f) { return f.method == meta::Tau2Method::ee; }

std::string stars(double p) {
  if (p < 0.001) return "***";
  if (p < 0.01) return "**";
  if (p < 0.05) return "*";
  if (p < 0.1) return ".";
  return "";
}

Warnings all_warnings(const PoolReport& r) {
  Warnings w = r.warnings;
  w.insert(w.end(), r.fit.warnings.begin(), r.fit.warnings.end());
  return w;
}

Grid study_grid(const PoolReport& r, const RenderStyle& style) {
  Grid g{{"study", "yi", "vi", "weight", "ci_lb", "ci_ub"}, {}};
  const bool text = style.format == OutputFormat::text || style.format == OutputFormat::md;
  auto num = [&](double v) { return Cell{text ? fixed(v, style.digits) : exact(v), true}; };
  for (std::size_t i = 0; i < r.yi.size(); ++i)
    g.rows.push_back({Cell{r.study[i], false}, num(r.yi[i]), num(r.vi[i]), num(r.fit.weights[i]),
                      num(r.fit.study_ci[i].lower), num(r.fit.study_ci[i].upper)});
  return g;
}

// pool --subgroup: one row per level, then both tests for subgroup differences.
std::string subgroup_text(const PoolReport& r, const RenderStyle& style) {
  const auto& s = *r.subgroups;
  const int d = style.digits;
  auto x = [d](double v) { return fixed(v, d); };
  Grid g{{"level", "k", "estimate", "se", "pval", "ci.lb", "ci.ub", "tau^2", "I^2(%)"}, {}};
  for (const auto& e : s.groups)
    g.rows.push_back({{e.level, false}, {std::to_string(e.fit.k), true}, {x(e.fit.estimate), true}, {x(e.fit.se), true},
                      {p_value(e.fit.p, d), true}, {x(e.fit.ci.lower), true}, {x(e.fit.ci.upper), true},
                      {x(e.fit.het.tau2), true}, {fixed(e.fit.het.i2, 2), true}});
  std::string out = fmt::format("\nSubgroups ({}):\n{}", r.subgroup_column, to_text(g));
  out += "\nTest for Subgroup Differences:\n";
  out += fmt::format("{}: Q(df = {}) = {}, p-val {}\n", meta::description(s.separate.kind), s.separate.df1,
                     x(s.separate.statistic), p_phrase(s.separate.p, d));
  if (s.common) {
    const auto& c = *s.common;
    const std::string stat = c.df2 ? fmt::format("F(df1 = {}, df2 = {})", c.df1, *c.df2) : fmt::format("QM(df = {})", c.df1);
    out += fmt::format("{}: {} = {}, p-val {} (tau^2 = {})\n", meta::description(c.kind), stat, x(c.statistic),
                       p_phrase(c.p, d), x(c.tau2.value_or(0)));
  }
  return out;
}

json subgroup_json(const PoolReport& r) {
  const auto& s = *r.subgroups;
  json groups = json::array();
  for (const auto& e : s.groups)
    groups.push_back({{"level", e.level}, {"k", e.fit.k}, {"estimate", number_or_null(e.fit.estimate)},
                      {"se", number_or_null(e.fit.se)}, {"statistic", number_or_null(e.fit.statistic)},
                      {"df", optional_json(e.fit.df)}, {"p", number_or_null(e.fit.p)}, {"ci", interval_json(e.fit.ci)},
                      {"tau2", e.fit.het.tau2}, {"i2", number_or_null(e.fit.het.i2)}, {"q", e.fit.het.q},
                      {"warnings", warnings_json(e.fit.warnings)}});
  json tests = json::array();
  auto test = [](const meta::SubgroupDifference& t) {
    return json{{"kind", meta::name(t.kind)},          {"description", meta::description(t.kind)},
                {"statistic", number_or_null(t.statistic)}, {"df1", t.df1},
                {"df2", optional_json(t.df2)},           {"p", number_or_null(t.p)},
                {"tau2", optional_json(t.tau2)}};
  };
  tests.push_back(test(s.separate));
  if (s.common) tests.push_back(test(*s.common));
  return {{"column", r.subgroup_column}, {"groups", groups}, {"tests", tests}, {"warnings", warnings_json(s.warnings)}};
}

std::string render_text(const PoolReport& r, const RenderStyle& style, const PoolRenderOptions& options) {
  const auto& f = r.fit;
  const auto& h = f.het;
  const int d = style.digits;
  auto x = [d](double v) { return fixed(v, d); };
  std::string out;
  if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
  if (r.method == "MH" || r.method == "PETO")
    out += fmt::format("Equal-Effects Model (k = {}; {})\n", f.k, r.method == "MH" ? "Mantel-Haenszel" : "Peto");
  else if (is_common_effect(f))
    out += fmt::format("Equal-Effects Model (k = {})\n", f.k);
  else
    out += fmt::format("Random-Effects Model (k = {}; tau^2 estimator: {})\n", f.k, r.method);
  out += fmt::format("Profile: {} (measure {}; test {}; I^2 from {}; {}% level)\n", r.profile, r.measure,
                     meta::name(f.test), r.i2_definition == meta::I2Definition::q ? "Q" : "tau^2", fmt::format("{:g}", f.level * 100));
  out += '\n';
  if (!is_common_effect(f)) {
    out += fmt::format("tau^2 (estimated amount of total heterogeneity): {}{}\n", x(h.tau2),
                       h.tau2_se ? fmt::format(" (SE = {})", x(*h.tau2_se)) : std::string());
    out += fmt::format("tau (square root of estimated tau^2 value):      {}\n", x(h.tau));
  }
  if (f.k > 1) {
    out += fmt::format("I^2 (total heterogeneity / total variability):   {}%\n", fixed(h.i2, 2));
    out += fmt::format("H^2 (total variability / sampling variability):  {}\n", fixed(h.h2, 2));
  }
  if (h.tau2_ci) {
    out += "\nHeterogeneity CIs (Q-profile):\n";
    Grid g{{"", "estimate", "ci.lb", "ci.ub"}, {}};
    g.rows.push_back({{"tau^2", false}, {x(h.tau2), true}, {x(h.tau2_ci->lower), true}, {x(h.tau2_ci->upper), true}});
    if (h.i2_ci)
      g.rows.push_back({{"I^2(%)", false}, {x(h.i2), true}, {x(h.i2_ci->lower), true}, {x(h.i2_ci->upper), true}});
    if (h.h2_ci)
      g.rows.push_back({{"H^2", false}, {x(h.h2), true}, {x(h.h2_ci->lower), true}, {x(h.h2_ci->upper), true}});
    out += to_text(g);
  }
  if (f.k > 1)
    out += fmt::format("\nTest for Heterogeneity:\nQ(df = {}) = {}, p-val {}\n", h.q_df, x(h.q),
                       p_phrase(h.q_p, d));

  out += "\nModel Results:\n\n";
  const bool t_test = f.df.has_value();
  Grid m{{"estimate", "se", t_test ? "tval" : "zval"}, {}};
  if (t_test) m.header.push_back("df");
  m.header.insert(m.header.end(), {"pval", "ci.lb", "ci.ub"});
  std::vector<Cell> row{{x(f.estimate), true}, {x(f.se), true}, {x(f.statistic), true}};
  if (t_test) row.push_back({std::to_string(*f.df), true});
  row.insert(row.end(), {{p_value(f.p, d), true}, {x(f.ci.lower), true}, {x(f.ci.upper), true}});
  if (options.stars) {
    m.header.push_back("");
    row.push_back({stars(f.p), false});
  }
  m.rows.push_back(row);
  out += to_text(m);
  if (options.stars) out += "\n---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n";
  if (!r.tests.empty()) out += '\n';
  for (const auto& t : r.tests)
    out += fmt::format("{:<33}{} = {}, df = {}, p-val {}\n", t.name + ":", t.symbol, x(t.test.statistic), t.test.df,
                       t.test.p ? p_phrase(*t.test.p, d) : std::string("NA"));

  if (!is_common_effect(f))
    out += fmt::format("\nPrediction interval ({}):\n{}", pi_description(f),
                       to_text({{"pi.lb", "pi.ub"}, {{{x(f.pi.lower), true}, {x(f.pi.upper), true}}}}));
  if (r.transformed) {
    const auto& t = *r.transformed;
    Grid g{{"estimate", "ci.lb", "ci.ub"}, {{{x(t.estimate), true}, {x(t.ci.lower), true}, {x(t.ci.upper), true}}}};
    if (!is_common_effect(f)) {
      g.header.insert(g.header.end(), {"pi.lb", "pi.ub"});
      g.rows[0].insert(g.rows[0].end(), {{x(t.pi.lower), true}, {x(t.pi.upper), true}});
    }
    out += fmt::format("\nBack-transformed ({} scale):\n{}", t.scale, to_text(g));
  }
  if (r.subgroups) out += subgroup_text(r, style);
  if (options.studies) out += "\nStudies:\n" + to_text(study_grid(r, style));
  return out;
}

}  // namespace

json pool_json(const PoolReport& r, bool with_studies) {
  const auto& f = r.fit;
  const auto& h = f.het;
  json dropped = json::array();
  for (const auto line : r.dropped) dropped.push_back(line);
  json studies = json::array();
  for (std::size_t i = 0; with_studies && i < r.yi.size(); ++i)
    studies.push_back({{"study", r.study[i]}, {"yi", number_or_null(r.yi[i])}, {"vi", number_or_null(r.vi[i])}, {"weight", number_or_null(f.weights[i])},
                       {"ci", interval_json(f.study_ci[i])}});
  json out = {
      {"analysis", "pool"},
      {"version", TRIALSTATS_VERSION},
      {"input", {{"file", r.file}, {"rows", r.rows}, {"used", r.yi.size()}, {"dropped", dropped}}},
      {"measure", r.measure},
      {"model",
       {{"profile", r.profile},
        {"method", r.method},
        {"test", meta::name(f.test)},
        {"level", f.level * 100},
        {"i2", r.i2_definition == meta::I2Definition::q ? "q" : "tau2"},
        {"pi_df", optional_json(f.pi_df)},
        {"iterations", f.iterations},
        {"converged", f.converged}}},
      {"k", f.k},
      {"estimate", number_or_null(f.estimate)},
      {"se", number_or_null(f.se)},
      {"statistic", number_or_null(f.statistic)},
      {"df", optional_json(f.df)},
      {"p", number_or_null(f.p)},
      {"ci", interval_json(f.ci)},
      {"pi", interval_json(f.pi)},
      {"transformed", nullptr},
      {"heterogeneity",
       {{"tau2", h.tau2},
        {"tau2_se", optional_json(h.tau2_se)},
        {"tau", h.tau},
        {"i2", number_or_null(h.i2)},
        {"h2", number_or_null(h.h2)},
        {"q", h.q},
        {"q_df", h.q_df},
        {"q_p", number_or_null(h.q_p)},
        {"tau2_ci", optional_interval(h.tau2_ci)},
        {"i2_ci", optional_interval(h.i2_ci)},
        {"h2_ci", optional_interval(h.h2_ci)}}},
      {"studies", studies},
      {"warnings", warnings_json(all_warnings(r))},
  };
  if (!r.tests.empty()) {
    json tests = json::object();
    for (const auto& t : r.tests)
      tests[t.key] = {{"statistic", t.test.statistic}, {"df", t.test.df}, {"p", optional_json(t.test.p)}};
    out["tests"] = tests;
  }
  if (r.transformed)
    out["transformed"] = {{"scale", r.transformed->scale},
                          {"estimate", r.transformed->estimate},
                          {"ci", interval_json(r.transformed->ci)},
                          {"pi", interval_json(r.transformed->pi)}};
  if (r.subgroups) out["subgroups"] = subgroup_json(r);
  return out;
}

std::string render_pool(const PoolReport& report, const RenderStyle& style, const PoolRenderOptions& options) {
  switch (style.format) {
    case OutputFormat::text: return render_text(report, style, options);
    case OutputFormat::json: return pool_json(report, options.studies).dump(2) + '\n';
    case OutputFormat::csv: return render_pool_batch("", {BatchEntry{"", report, ""}}, style, options);
    case OutputFormat::md: {
      std::string out = render_pool_batch("", {BatchEntry{"", report, ""}}, style, options);
      if (options.studies) out += "\n" + to_markdown(study_grid(report, style));
      return out;
    }
  }
  return {};
}

namespace {

std::vector<std::string> batch_header(const std::string& by) {
  std::vector<std::string> h;
  if (!by.empty()) h.push_back(by);
  h.insert(h.end(), {"k", "method", "test", "estimate", "se", "statistic", "df", "p", "ci_lb", "ci_ub", "pi_lb",
                     "pi_ub", "tau2", "tau2_se", "i2", "h2", "q", "q_df", "q_p", "converged", "iterations", "warnings",
                     "error"});
  return h;
}

std::vector<Cell> batch_row(const std::string& by, const BatchEntry& e, const RenderStyle& style) {
  const bool text = style.format != OutputFormat::csv;
  auto num = [&](double v) { return Cell{text ? fixed(v, style.digits) : exact(v), true}; };
  std::vector<Cell> row;
  if (!by.empty()) row.push_back({e.group, false});
  if (!e.report) {
    row.resize(batch_header(by).size());
    row.back() = {e.error, false};
    return row;
  }
  const auto& f = e.report->fit;
  const auto& h = f.het;
  std::string warnings;
  for (const auto& w : all_warnings(*e.report)) warnings += (warnings.empty() ? "" : "; ") + w.code;
  row.insert(row.end(),
             {{std::to_string(f.k), true}, {e.report->method, false}, {std::string(meta::name(f.test)), false},
              num(f.estimate), num(f.se), num(f.statistic), {f.df ? std::to_string(*f.df) : std::string(), true},
              {text ? p_value(f.p, style.digits) : exact(f.p), true}, num(f.ci.lower), num(f.ci.upper),
              num(f.pi.lower), num(f.pi.upper), num(h.tau2), h.tau2_se ? num(*h.tau2_se) : Cell{"", true},
              num(h.i2), num(h.h2), num(h.q), {std::to_string(h.q_df), true},
              {text ? p_value(h.q_p, style.digits) : exact(h.q_p), true}, {f.converged ? "true" : "false", false},
              {std::to_string(f.iterations), true}, {warnings, false}, {"", false}});
  return row;
}

}  // namespace

std::string render_pool_batch_head(const std::string& by, const RenderStyle& style) {
  if (style.format == OutputFormat::json) return {};
  std::string out = style.provenance.empty() ? std::string() : "# " + style.provenance + "\n";
  const auto header = batch_header(by);
  for (std::size_t c = 0; c < header.size(); ++c) out += (c > 0 ? "," : "") + csv_field({header[c], false});
  return out + '\n';
}

std::string render_pool_batch_line(const std::string& by, const BatchEntry& e, const RenderStyle& style,
                                   const PoolRenderOptions& options) {
  if (style.format == OutputFormat::json) {
    json j = e.report ? pool_json(*e.report, options.studies) : json{{"analysis", "pool"}, {"error", e.error}};
    if (!by.empty()) j["group"] = {{"column", by}, {"value", e.group}};
    return j.dump() + '\n';
  }
  // CSV, written straight into one buffer: this runs once per analysis of a batch.
  fmt::memory_buffer buf;
  auto out = std::back_inserter(buf);
  auto text = [&](const std::string& s) { fmt::format_to(out, FMT_COMPILE("{},"), csv_field({s, false})); };
  auto word = [&](std::string_view s) { fmt::format_to(out, FMT_COMPILE("{},"), s); };  // needs no quoting
  auto num = [&](double v) {
    if (std::isnan(v)) word("NA");
    else fmt::format_to(out, FMT_COMPILE("{},"), v);
  };
  auto integer = [&](long v) { fmt::format_to(out, FMT_COMPILE("{},"), v); };
  if (!by.empty()) text(e.group);
  if (!e.report) {
    for (std::size_t c = by.empty() ? 0 : 1; c + 1 < batch_header(by).size(); ++c) buf.push_back(',');
    fmt::format_to(out, "{}\n", csv_field({e.error, false}));
    return fmt::to_string(buf);
  }
  const auto& f = e.report->fit;
  const auto& h = f.het;
  integer(f.k);
  word(e.report->method);
  word(meta::name(f.test));
  for (const double v : {f.estimate, f.se, f.statistic}) num(v);
  f.df ? integer(*f.df) : buf.push_back(',');
  for (const double v : {f.p, f.ci.lower, f.ci.upper, f.pi.lower, f.pi.upper, h.tau2}) num(v);
  h.tau2_se ? num(*h.tau2_se) : buf.push_back(',');
  for (const double v : {h.i2, h.h2, h.q}) num(v);
  integer(h.q_df);
  num(h.q_p);
  word(f.converged ? "true" : "false");
  integer(f.iterations);
  bool first = true;  // the warning codes, separated by "; "
  for (const Warnings* ws : {&e.report->warnings, &f.warnings})
    for (const auto& w : *ws) {
      fmt::format_to(out, "{}{}", first ? "" : "; ", w.code);
      first = false;
    }
  buf.push_back(',');
  buf.push_back('\n');  // the error column stays empty
  return fmt::to_string(buf);
}

std::string render_pool_batch(const std::string& by, const std::vector<BatchEntry>& entries, const RenderStyle& style,
                              const PoolRenderOptions& options) {
  if (style.format == OutputFormat::json || style.format == OutputFormat::csv) {
    std::string out = render_pool_batch_head(by, style);
    for (const auto& e : entries) out += render_pool_batch_line(by, e, style, options);
    return out;
  }
  Grid g{batch_header(by), {}};
  for (const auto& e : entries) g.rows.push_back(batch_row(by, e, style));
  std::string out;
  if (style.format == OutputFormat::md) return to_markdown(g);
  if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
  return out + to_text(g);
}

}  // namespace trialstats::render
