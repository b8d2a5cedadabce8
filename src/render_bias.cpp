#include <cmath>
#include <string>

#include <fmt/format.h>

#include "trialstats/render/json.hpp"
#include "trialstats/render/bias.hpp"
#include "trialstats/render/grid.hpp"

namespace trialstats::render {
namespace {


json coefficient_json(const meta::Coefficient& c) {
  return {{"estimate", number_or_null(c.estimate)},
          {"se", number_or_null(c.se)},
          {"statistic", number_or_null(c.statistic)},
          {"df", optional_json(c.df)},
          {"p", number_or_null(c.p)},
          {"ci", interval_json(c.ci)}};
}

// "= 0.0123" or "< .0001", as metafor words a p-value in a sentence.
std::string p_phrase(double p, int digits) {
  const std::string v = p_value(p, digits);
  return v.front() == '<' ? "< " + v.substr(1) : "= " + v;
}

std::string test_phrase(const meta::Coefficient& c, int d) {
  if (c.df) return fmt::format("t = {}, df = {}, p {}", fixed(c.statistic, d), *c.df, p_phrase(c.p, d));
  return fmt::format("z = {}, p {}", fixed(c.statistic, d), p_phrase(c.p, d));
}

std::string egger_text(const meta::EggerTest& e, int d) {
  std::string out = fmt::format("Egger's Regression Test for Funnel Plot Asymmetry ({})\n\n", meta::name(e.model));
  if (e.model == meta::EggerModel::lm)
    out += "Model:     weighted regression with multiplicative dispersion\n";
  else
    out += fmt::format("Model:     {} meta-regression model (tau^2 estimator: {}; test {})\n",
                       e.method == meta::Tau2Method::ee ? "fixed-effects" : "mixed-effects", meta::name(e.method),
                       meta::name(e.test));
  out += "Predictor: standard error\n\n";
  out += "Test for Funnel Plot Asymmetry: " + test_phrase(e.slope, d) + "\n";
  out += fmt::format("Limit Estimate (as sei -> 0):   b = {} (CI: {}, {})\n", fixed(e.limit.estimate, d),
                     fixed(e.limit.ci.lower, d), fixed(e.limit.ci.upper, d));
  return out;
}

std::string rank_text(const meta::RankTest& r, int d) {
  return fmt::format(
      "Rank Correlation Test for Funnel Plot Asymmetry (Begg and Mazumdar)\n\n"
      "Kendall's tau = {}, p {} ({})\n",
      fixed(r.tau, d), p_phrase(r.p, d), r.exact ? "exact" : "normal approximation");
}

std::string trimfill_text(const BiasReport& r, int d) {
  const auto& t = *r.trimfill;
  std::string out = fmt::format("Trim-and-Fill Analysis (estimator {})\n\n", meta::name(t.estimator));
  out += fmt::format("Estimated number of missing studies on the {} side: {} (SE = {}){}\n", meta::name(t.side), t.k0,
                     fixed(t.k0_se, d), t.side_estimated ? "" : " (side given)");
  if (t.k0_p)
    out += fmt::format("Test of H0: no missing studies on the {} side: p-val {}\n", meta::name(t.side),
                       p_phrase(*t.k0_p, d));
  out += fmt::format("Iterations: {}\n", t.iterations);
  if (!t.filled_yi.empty()) {
    out += "\nFilled studies:\n";
    Grid g{{"study", "yi", "vi", "mirrors"}, {}};
    for (std::size_t i = 0; i < t.filled_yi.size(); ++i)
      g.rows.push_back({{fmt::format("Filled {}", i + 1), false},
                        {fixed(t.filled_yi[i], d), true},
                        {fixed(t.filled_vi[i], d), true},
                        {r.study[t.mirrored[i]], false}});
    out += to_text(g);
  }
  const auto& f = t.augmented;
  out += fmt::format("\nModel on the augmented data (k = {}; tau^2 = {}):\n", f.k, fixed(f.het.tau2, d));
  Grid m{{"estimate", "se", f.df ? "tval" : "zval", "pval", "ci.lb", "ci.ub"}, {}};
  m.rows.push_back({{fixed(f.estimate, d), true},
                    {fixed(f.se, d), true},
                    {fixed(f.statistic, d), true},
                    {p_value(f.p, d), true},
                    {fixed(f.ci.lower, d), true},
                    {fixed(f.ci.upper, d), true}});
  return out + to_text(m);
}

std::string fsn_text(const meta::FailSafeN& f, int d) {
  std::string out = "Fail-safe N Calculation Using the " + std::string(meta::name(f.type)) + " Approach\n\n";
  const std::string n = std::isinf(f.n) ? "Inf" : fmt::format("{:.0f}", f.n);
  switch (f.type) {
    case meta::FsnType::rosenthal:
      out += fmt::format("Observed Significance Level: {}\nTarget Significance Level:   {}\n", p_value(*f.p, d),
                         fmt::format("{:g}", f.alpha));
      break;
    case meta::FsnType::orwin:
      out += fmt::format("Average Effect Size: {}\nTarget Effect Size:  {}\n", fixed(*f.mean_effect, d),
                         fixed(*f.target, d));
      break;
    case meta::FsnType::rosenberg:
      out += fmt::format(
          "Average Effect Size:         {}\nObserved Significance Level: {}\nTarget Significance Level:   {}\n",
          fixed(*f.mean_effect, d), p_value(*f.p, d), fmt::format("{:g}", f.alpha));
      break;
  }
  return out + "\nFail-safe N: " + n + "\n";
}

std::string pet_peese_text(const meta::PetPeese& p, int d) {
  std::string out = "PET-PEESE (weighted regressions with multiplicative dispersion)\n\n";
  Grid g{{"model", "predictor", "intercept", "se", "tval", "df", "pval", "ci.lb", "ci.ub"}, {}};
  auto row = [&](std::string_view name, std::string_view predictor, const meta::WlsFit& f) {
    const auto& c = f.intercept;
    g.rows.push_back({{std::string(name), false},
                      {std::string(predictor), false},
                      {fixed(c.estimate, d), true},
                      {fixed(c.se, d), true},
                      {fixed(c.statistic, d), true},
                      {std::to_string(*c.df), true},
                      {p_value(c.p, d), true},
                      {fixed(c.ci.lower, d), true},
                      {fixed(c.ci.upper, d), true}});
  };
  row("PET", "sei", p.pet);
  row("PEESE", "vi", p.peese);
  out += to_text(g);
  out += fmt::format("\nRule: PEESE when PET's intercept has {} p < {:g} (PET: p {}).\n",
                     p.one_sided ? "one-sided" : "two-sided", p.alpha, p_phrase(p.pet_p, d));
  out += fmt::format("PET-PEESE estimate ({}): {} (CI: {}, {})\n", p.use_peese ? "PEESE" : "PET",
                     fixed(p.estimate.estimate, d), fixed(p.estimate.ci.lower, d), fixed(p.estimate.ci.upper, d));
  return out;
}

std::string render_text(const BiasReport& r, const RenderStyle& style) {
  const int d = style.digits;
  const bool md = style.format == OutputFormat::md;
  std::string out;
  if (!style.provenance.empty() && !md) out += "# " + style.provenance + "\n";
  const auto& f = r.fit;
  out += fmt::format("{} (k = {}{}); measure {}; test {}; {:g}% level\n",
                     f.method == meta::Tau2Method::ee ? "Equal-Effects Model" : "Random-Effects Model", f.k,
                     f.method == meta::Tau2Method::ee ? std::string() : "; tau^2 estimator: " + r.method, r.measure,
                     meta::name(f.test), f.level * 100);
  std::vector<std::string> sections;
  for (const auto& e : r.egger) sections.push_back(egger_text(e, d));
  if (r.rank) sections.push_back(rank_text(*r.rank, d));
  if (r.trimfill) sections.push_back(trimfill_text(r, d));
  if (r.fsn) sections.push_back(fsn_text(*r.fsn, d));
  if (r.pet_peese) sections.push_back(pet_peese_text(*r.pet_peese, d));
  for (const auto& s : sections) {
    if (md) {
      const auto nl = s.find('\n');
      const auto body = s.find_first_not_of('\n', nl);
      out += "\n## " + s.substr(0, nl) + "\n\n```\n" + s.substr(body) + "```\n";
    } else {
      out += "\n" + s;
    }
  }
  return out;
}

std::string render_csv(const BiasReport& r, const RenderStyle& style) {
  Grid g{{"analysis", "quantity", "value"}, {}};
  auto add = [&](const std::string& a, const std::string& q, double v) {
    g.rows.push_back({{a, false}, {q, false}, {exact(v), true}});
  };
  auto add_coef = [&](const std::string& a, const std::string& prefix, const meta::Coefficient& c) {
    add(a, prefix + "estimate", c.estimate);
    add(a, prefix + "se", c.se);
    add(a, prefix + "statistic", c.statistic);
    if (c.df) add(a, prefix + "df", *c.df);
    add(a, prefix + "p", c.p);
    add(a, prefix + "ci_lb", c.ci.lower);
    add(a, prefix + "ci_ub", c.ci.upper);
  };
  for (const auto& e : r.egger) {
    const std::string a = "egger_" + std::string(meta::name(e.model));
    add_coef(a, "slope_", e.slope);
    add_coef(a, "limit_", e.limit);
    add(a, "tau2", e.tau2);
  }
  if (r.rank) {
    add("rank", "tau", r.rank->tau);
    add("rank", "p", r.rank->p);
  }
  if (r.trimfill) {
    const auto& t = *r.trimfill;
    const std::string a = "trimfill_" + std::string(meta::name(t.estimator)) + "_" + std::string(meta::name(t.side));
    add(a, "k0", t.k0);
    add(a, "k0_se", t.k0_se);
    if (t.k0_p) add(a, "k0_p", *t.k0_p);
    for (std::size_t i = 0; i < t.filled_yi.size(); ++i) {
      add(a, fmt::format("filled_{}_yi", i + 1), t.filled_yi[i]);
      add(a, fmt::format("filled_{}_vi", i + 1), t.filled_vi[i]);
    }
    add(a, "k", t.augmented.k);
    add(a, "estimate", t.augmented.estimate);
    add(a, "se", t.augmented.se);
    add(a, "p", t.augmented.p);
    add(a, "ci_lb", t.augmented.ci.lower);
    add(a, "ci_ub", t.augmented.ci.upper);
    add(a, "tau2", t.augmented.het.tau2);
  }
  if (r.fsn) {
    const std::string a = "fsn_" + std::string(meta::name(r.fsn->type));
    add(a, "n", r.fsn->n);
    if (r.fsn->p) add(a, "p", *r.fsn->p);
    if (r.fsn->mean_effect) add(a, "mean_effect", *r.fsn->mean_effect);
    if (r.fsn->target) add(a, "target", *r.fsn->target);
  }
  if (r.pet_peese) {
    add_coef("pet", "intercept_", r.pet_peese->pet.intercept);
    add_coef("pet", "slope_", r.pet_peese->pet.slope);
    add_coef("peese", "intercept_", r.pet_peese->peese.intercept);
    add_coef("peese", "slope_", r.pet_peese->peese.slope);
    add_coef("pet_peese", "", r.pet_peese->estimate);
    add("pet_peese", "use_peese", r.pet_peese->use_peese ? 1 : 0);
  }
  std::string out;
  if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
  return out + to_csv(g);
}

}  // namespace

json bias_json(const BiasReport& r) {
  const auto& f = r.fit;
  json dropped = json::array();
  for (const auto line : r.dropped) dropped.push_back(line);
  json out = {{"analysis", "bias"},
              {"version", TRIALSTATS_VERSION},
              {"input", {{"file", r.file}, {"rows", r.rows}, {"used", r.yi.size()}, {"dropped", dropped}}},
              {"measure", r.measure},
              {"model", {{"method", r.method}, {"test", meta::name(f.test)}, {"level", f.level * 100}}},
              {"k", f.k},
              {"estimate", number_or_null(f.estimate)},
              {"se", number_or_null(f.se)},
              {"ci", interval_json(f.ci)},
              {"tau2", f.het.tau2}};
  for (const auto& e : r.egger)
    out[e.model == meta::EggerModel::rma ? "egger_rma" : "egger_lm"] = {
        {"model", meta::name(e.model)},
        {"method", e.model == meta::EggerModel::lm ? json(nullptr) : json(meta::name(e.method))},
        {"test", e.model == meta::EggerModel::lm ? "t" : meta::name(e.test)},
        {"slope", coefficient_json(e.slope)},
        {"limit_estimate", coefficient_json(e.limit)},
        {"tau2", e.tau2},
        {"sigma2", e.sigma2}};
  if (r.rank)
    out["rank_test"] = {{"tau", number_or_null(r.rank->tau)},
                        {"p", number_or_null(r.rank->p)},
                        {"exact", r.rank->exact},
                        {"z", optional_json(r.rank->z)}};
  if (r.trimfill) {
    const auto& t = *r.trimfill;
    json filled = json::array();
    for (std::size_t i = 0; i < t.filled_yi.size(); ++i)
      filled.push_back({{"study", fmt::format("Filled {}", i + 1)},
                        {"yi", t.filled_yi[i]},
                        {"vi", t.filled_vi[i]},
                        {"mirrors", r.study[t.mirrored[i]]}});
    const auto& a = t.augmented;
    out["trimfill"] = {{"estimator", meta::name(t.estimator)},
                       {"side", meta::name(t.side)},
                       {"side_estimated", t.side_estimated},
                       {"k0", t.k0},
                       {"k0_se", t.k0_se},
                       {"k0_p", optional_json(t.k0_p)},
                       {"iterations", t.iterations},
                       {"filled", filled},
                       {"augmented",
                        {{"k", a.k},
                         {"estimate", number_or_null(a.estimate)},
                         {"se", number_or_null(a.se)},
                         {"statistic", number_or_null(a.statistic)},
                         {"df", optional_json(a.df)},
                         {"p", number_or_null(a.p)},
                         {"ci", interval_json(a.ci)},
                         {"tau2", a.het.tau2},
                         {"i2", number_or_null(a.het.i2)},
                         {"q", a.het.q},
                         {"q_p", number_or_null(a.het.q_p)}}}};
  }
  if (r.fsn)
    out["fsn"] = {{"type", meta::name(r.fsn->type)},
                  {"n", number_or_null(r.fsn->n)},
                  {"alpha", r.fsn->alpha},
                  {"p", optional_json(r.fsn->p)},
                  {"mean_effect", optional_json(r.fsn->mean_effect)},
                  {"target", optional_json(r.fsn->target)}};
  if (r.pet_peese) {
    const auto& p = *r.pet_peese;
    auto fit = [](const meta::WlsFit& w) {
      return json{
          {"intercept", coefficient_json(w.intercept)}, {"slope", coefficient_json(w.slope)}, {"sigma2", w.sigma2}};
    };
    out["pet_peese"] = {{"pet", fit(p.pet)},
                        {"peese", fit(p.peese)},
                        {"alpha", p.alpha},
                        {"one_sided", p.one_sided},
                        {"pet_p", p.pet_p},
                        {"use_peese", p.use_peese},
                        {"estimate", coefficient_json(p.estimate)}};
  }
  out["warnings"] = warnings_json(r.warnings);
  return out;
}

std::string render_bias(const BiasReport& report, const RenderStyle& style) {
  switch (style.format) {
    case OutputFormat::json:
      return bias_json(report).dump(2) + '\n';
    case OutputFormat::csv:
      return render_csv(report, style);
    case OutputFormat::text:
    case OutputFormat::md:
      return render_text(report, style);
  }
  return {};
}

}  // namespace trialstats::render
