#include <cmath>
#include <string>
#include <variant>

#include <fmt/format.h>

#include "trialstats/render/json.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/render/grid.hpp"
#include "trialstats/render/regression.hpp"

namespace trialstats::render {
namespace {


std::string stars(double p) {
  if (p < 0.001) return "***";
  if (p < 0.01) return "**";
  if (p < 0.05) return "*";
  if (p < 0.1) return ".";
  return "";
}

// "= 0.0123" or "< .0001", as metafor words a p-value in a sentence.
std::string p_phrase(double p, int digits) {
  const std::string v = p_value(p, digits);
  return v.front() == '<' ? "< " + v.substr(1) : "= " + v;
}

// "coefficient 2" or "coefficients 2:4" / "coefficients 2,4", 1-based as metafor.
std::string coefficient_list(const std::vector<std::size_t>& c) {
  if (c.size() == 1) return fmt::format("coefficient {}", c[0] + 1);
  bool run = true;
  for (std::size_t i = 1; i < c.size(); ++i) run = run && c[i] == c[i - 1] + 1;
  if (run) return fmt::format("coefficients {}:{}", c.front() + 1, c.back() + 1);
  std::string s;
  for (auto j : c) s += (s.empty() ? "" : ",") + std::to_string(j + 1);
  return "coefficients " + s;
}

std::string test_line(const meta::CoefficientTest& t, int d, const std::optional<double>& perm_p) {
  const std::string p = perm_p ? "p-val* " + p_phrase(*perm_p, d) : "p-val " + p_phrase(t.p, d);
  if (t.df2) return fmt::format("F(df1 = {}, df2 = {}) = {}, {}\n", t.df1, *t.df2, fixed(t.statistic, d), p);
  return fmt::format("QM(df = {}) = {}, {}\n", t.df1, fixed(t.statistic, d), p);
}

json test_json(const meta::MetaRegression& f, const meta::CoefficientTest& t) {
  json names = json::array();
  for (auto j : t.coefficients) names.push_back(f.coefficients[j].name);
  return {{"coefficients", names}, {"distribution", t.df2 ? "F" : "chisq"}, {"statistic", number_or_null(t.statistic)},
          {"df1", t.df1},          {"df2", optional_json(t.df2)},           {"p", number_or_null(t.p)}};
}

Grid coefficient_grid(const RegressionReport& r, const RenderStyle& style) {
  const auto& f = r.fit;
  const bool text = style.format == OutputFormat::text || style.format == OutputFormat::md;
  const int d = style.digits;
  auto num = [&](double v) { return Cell{text ? fixed(v, d) : exact(v), true}; };
  Grid g;
  g.header = {text ? "" : "coefficient", "estimate", "se", f.df ? "tval" : "zval"};
  if (f.df) g.header.push_back("df");
  g.header.push_back("pval");
  if (r.permutation) g.header.push_back("pval*");
  g.header.insert(g.header.end(), {"ci.lb", "ci.ub"});
  if (style.format == OutputFormat::text) g.header.push_back("");
  for (std::size_t j = 0; j < f.coefficients.size(); ++j) {
    const auto& c = f.coefficients[j];
    std::vector<Cell> row{{c.name, false}, num(c.estimate), num(c.se), num(c.statistic)};
    if (f.df) row.push_back({std::to_string(*f.df), true});
    row.push_back({text ? p_value(c.p, d) : exact(c.p), true});
    if (r.permutation) row.push_back({text ? p_value(r.permutation->p[j], d) : exact(r.permutation->p[j]), true});
    row.insert(row.end(), {num(c.ci.lower), num(c.ci.upper)});
    if (style.format == OutputFormat::text) row.push_back({stars(r.permutation ? r.permutation->p[j] : c.p), false});
    g.rows.push_back(std::move(row));
  }
  return g;
}

// Predicted values: the moderator values (a column per moderator), then pred, se, ci.lb, ci.ub, pi.lb,
// pi.ub as metafor's print of predict.rma.
Grid prediction_grid(const RegressionReport& r, const RenderStyle& style) {
  const bool text = style.format == OutputFormat::text || style.format == OutputFormat::md;
  auto num = [&](double v) { return Cell{text ? fixed(v, style.digits) : exact(v), true}; };
  Grid g;
  for (const auto& m : r.predictions.front().values) g.header.push_back(m.name);
  g.header.insert(g.header.end(), {"pred", "se", "ci.lb", "ci.ub", "pi.lb", "pi.ub"});
  for (const auto& p : r.predictions) {
    std::vector<Cell> row;
    for (const auto& m : p.values) {
      if (const auto* level = std::get_if<std::string>(&m.value))
        row.push_back({*level, false});
      else
        row.push_back({exact(std::get<double>(m.value)), true});
    }
    const auto& e = p.prediction;
    for (const double v : {e.estimate, e.se, e.ci.lower, e.ci.upper, e.pi.lower, e.pi.upper}) row.push_back(num(v));
    g.rows.push_back(std::move(row));
  }
  return g;
}

json predictions_json(const RegressionReport& r) {
  json out = json::array();
  for (const auto& p : r.predictions) {
    json at = json::object();
    for (const auto& m : p.values) {
      if (const auto* level = std::get_if<std::string>(&m.value))
        at[m.name] = *level;
      else
        at[m.name] = number_or_null(std::get<double>(m.value));
    }
    json x = json::array();
    for (Eigen::Index j = 0; j < p.x.size(); ++j) x.push_back(number_or_null(p.x(j)));
    const auto& e = p.prediction;
    out.push_back({{"at", at},
                   {"x", x},
                   {"estimate", number_or_null(e.estimate)},
                   {"se", number_or_null(e.se)},
                   {"ci", interval_json(e.ci)},
                   {"pi", interval_json(e.pi)}});
  }
  return out;
}

std::string render_text(const RegressionReport& r, const RenderStyle& style) {
  const auto& f = r.fit;
  const int d = style.digits;
  auto x = [d](double v) { return fixed(v, d); };
  std::string out;
  if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
  const bool ee = f.method == meta::Tau2Method::ee;
  if (ee)
    out += fmt::format("Equal-Effects with Moderators Model (k = {})\n", f.k);
  else
    out += fmt::format("Mixed-Effects Model (k = {}; tau^2 estimator: {})\n", f.k, meta::name(f.method));
  out += fmt::format("Measure {}; test {}; {}% level\n\n", r.measure, meta::name(f.test),
                     fmt::format("{:g}", f.level * 100));
  if (!ee) {
    out += fmt::format("tau^2 (estimated amount of residual heterogeneity):     {}{}\n", x(f.tau2),
                       f.tau2_se ? fmt::format(" (SE = {})", x(*f.tau2_se)) : std::string());
    out += fmt::format("tau (square root of estimated tau^2 value):             {}\n", x(f.tau));
  }
  out += fmt::format("I^2 (residual heterogeneity / unaccounted variability): {}%\n", fixed(f.i2, 2));
  out += fmt::format("H^2 (unaccounted variability / sampling variability):   {}\n", fixed(f.h2, 2));
  if (f.r2) out += fmt::format("R^2 (amount of heterogeneity accounted for):            {}%\n", fixed(*f.r2, 2));
  out += fmt::format("\nTest for Residual Heterogeneity:\nQE(df = {}) = {}, p-val {}\n", f.qe_df, x(f.qe),
                     p_phrase(f.qe_p, d));
  const std::optional<double> perm_qm = r.permutation ? std::optional<double>(r.permutation->qm_p) : std::nullopt;
  out +=
      fmt::format("\nTest of Moderators ({}):\n{}", coefficient_list(f.qm.coefficients), test_line(f.qm, d, perm_qm));
  if (r.btt)
    out += fmt::format("\nTest of Moderators ({}):\n{}", coefficient_list(r.btt->coefficients),
                       test_line(*r.btt, d, std::nullopt));
  out += "\nModel Results:\n\n" + to_text(coefficient_grid(r, style));
  out += "\n---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n";
  if (r.permutation) {
    const auto& p = *r.permutation;
    out += fmt::format("\n* {} permutation test: {} permutations{}{}\n", p.exact ? "exact" : "approximate",
                       p.permutations, p.exact ? std::string() : fmt::format(", seed {}", p.seed),
                       p.failed ? fmt::format(", {} refits failed", p.failed) : std::string());
  }
  if (!r.predictions.empty()) out += "\nPredicted Values:\n\n" + to_text(prediction_grid(r, style));
  return out;
}

}  // namespace

json regression_json(const RegressionReport& r) {
  const auto& f = r.fit;
  json dropped = json::array();
  for (auto line : r.dropped) dropped.push_back(line);
  json coefficients = json::array();
  for (std::size_t j = 0; j < f.coefficients.size(); ++j) {
    const auto& c = f.coefficients[j];
    json e = {{"name", c.name},     {"estimate", number_or_null(c.estimate)},
              {"se", number_or_null(c.se)}, {"statistic", number_or_null(c.statistic)},
              {"p", number_or_null(c.p)},   {"ci", interval_json(c.ci)}};
    if (r.permutation) e["permutation_p"] = number_or_null(r.permutation->p[j]);
    coefficients.push_back(e);
  }
  json vcov = json::array();
  for (Eigen::Index i = 0; i < f.vcov.rows(); ++i) {
    json row = json::array();
    for (Eigen::Index j = 0; j < f.vcov.cols(); ++j) row.push_back(number_or_null(f.vcov(i, j)));
    vcov.push_back(row);
  }
  json moderator_test = test_json(f, f.qm);
  if (r.permutation) moderator_test["permutation_p"] = number_or_null(r.permutation->qm_p);
  json warnings = json::array();
  for (const auto* list : {&r.warnings, &f.warnings, r.permutation ? &r.permutation->warnings : nullptr})
    if (list)
      for (const auto& w : *list) warnings.push_back({{"code", w.code}, {"message", w.message}});
  return {
      {"analysis", "regress"},
      {"version", TRIALSTATS_VERSION},
      {"input", {{"file", r.file}, {"rows", r.rows}, {"used", f.k}, {"dropped", dropped}}},
      {"measure", r.measure},
      {"moderators", r.moderators},
      {"model",
       {{"method", meta::name(f.method)},
        {"test", meta::name(f.test)},
        {"level", f.level * 100},
        {"intercept", f.intercept},
        {"iterations", f.iterations},
        {"converged", f.converged}}},
      {"k", f.k},
      {"p", f.p},
      {"df", optional_json(f.df)},
      {"knha_scale", f.test == meta::TestMethod::knha ? json(f.knha_scale) : json(nullptr)},
      {"coefficients", coefficients},
      {"vcov", vcov},
      {"moderator_test", moderator_test},
      {"btt_test", r.btt ? test_json(f, *r.btt) : json(nullptr)},
      {"heterogeneity",
       {{"tau2", f.tau2},
        {"tau2_se", optional_json(f.tau2_se)},
        {"tau", f.tau},
        {"i2", number_or_null(f.i2)},
        {"h2", number_or_null(f.h2)},
        {"qe", number_or_null(f.qe)},
        {"qe_df", f.qe_df},
        {"qe_p", number_or_null(f.qe_p)},
        {"r2", optional_json(f.r2)},
        {"tau2_null", optional_json(f.tau2_null)}}},
      {"permutation", r.permutation ? json{{"permutations", r.permutation->permutations},
                                           {"exact", r.permutation->exact},
                                           {"seed", r.permutation->seed},
                                           {"failed", r.permutation->failed}}
                                    : json(nullptr)},
      {"predictions", r.predictions.empty() ? json(nullptr) : predictions_json(r)},
      {"warnings", warnings},
  };
}

std::string render_regression(const RegressionReport& r, const RenderStyle& style) {
  switch (style.format) {
    case OutputFormat::text:
      return render_text(r, style);
    case OutputFormat::json:
      return regression_json(r).dump(2) + '\n';
    case OutputFormat::csv: {
      std::string out;
      if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
      out += to_csv(coefficient_grid(r, style));
      if (!r.predictions.empty()) out += "\n" + to_csv(prediction_grid(r, style));
      return out;
    }
    case OutputFormat::md: {
      std::string out = to_markdown(coefficient_grid(r, style));
      if (!r.predictions.empty()) out += "\n" + to_markdown(prediction_grid(r, style));
      return out;
    }
  }
  return {};
}

}  // namespace trialstats::render
