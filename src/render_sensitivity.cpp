#include <cmath>
#include <string>

#include <fmt/format.h>

#include "trialstats/render/json.hpp"
#include "trialstats/render/grid.hpp"
#include "trialstats/render/sensitivity.hpp"

namespace trialstats::render {
namespace {


/// Number cells: `digits` decimals in text and Markdown, full precision in CSV.
struct Numbers {
  const RenderStyle& style;
  [[nodiscard]] bool text() const { return style.format != OutputFormat::csv; }
  [[nodiscard]] Cell num(double v) const { return {text() ? fixed(v, style.digits) : exact(v), true}; }
  [[nodiscard]] Cell pval(double v) const { return {text() ? p_value(v, style.digits) : exact(v), true}; }
};

json refit_json(const meta::RefitRow& r) {
  return {{"k", r.k},
          {"estimate", number_or_null(r.estimate)},
          {"se", number_or_null(r.se)},
          {"statistic", number_or_null(r.statistic)},
          {"df", r.df ? json(*r.df) : json(nullptr)},
          {"p", number_or_null(r.p)},
          {"ci", json::array({number_or_null(r.ci.lower), number_or_null(r.ci.upper)})},
          {"q", number_or_null(r.q)},
          {"q_p", number_or_null(r.q_p)},
          {"tau2", number_or_null(r.tau2)},
          {"i2", number_or_null(r.i2)},
          {"h2", number_or_null(r.h2)}};
}

std::vector<std::string> refit_header(const meta::PooledEffect& full, bool common_effect) {
  std::vector<std::string> h{"estimate", "se", full.df ? "tval" : "zval", "pval", "ci.lb", "ci.ub", "Q", "Qp"};
  if (!common_effect) h.push_back("tau2");
  h.insert(h.end(), {"I2", "H2"});
  return h;
}

std::vector<Cell> refit_cells(const meta::RefitRow& r, const Numbers& n, bool common_effect) {
  std::vector<Cell> c{n.num(r.estimate), n.num(r.se),       n.num(r.statistic), n.pval(r.p),
                      n.num(r.ci.lower), n.num(r.ci.upper), n.num(r.q),         n.pval(r.q_p)};
  if (!common_effect) c.push_back(n.num(r.tau2));
  c.push_back({n.text() ? fixed(r.i2, 2) : exact(r.i2), true});
  c.push_back({n.text() ? fixed(r.h2, 2) : exact(r.h2), true});
  return c;
}

Grid leave1out_grid(const SensitivityReport& r, const Numbers& n) {
  const bool ee = r.full.method == meta::Tau2Method::ee;
  Grid g{{"study"}, {}};
  const auto h = refit_header(r.full, ee);
  g.header.insert(g.header.end(), h.begin(), h.end());
  for (std::size_t i = 0; i < r.leave1out->rows.size(); ++i) {
    std::vector<Cell> row{{"-" + r.study[i], false}};
    const auto c = refit_cells(r.leave1out->rows[i], n, ee);
    row.insert(row.end(), c.begin(), c.end());
    g.rows.push_back(std::move(row));
  }
  return g;
}

Grid cumul_grid(const SensitivityReport& r, const Numbers& n) {
  const bool ee = r.full.method == meta::Tau2Method::ee;
  Grid g{{"study", "k"}, {}};
  const auto h = refit_header(r.full, ee);
  g.header.insert(g.header.end(), h.begin(), h.end());
  for (std::size_t j = 0; j < r.cumulative->rows.size(); ++j) {
    std::vector<Cell> row{{"+" + r.study[r.cumulative->order[j]], false},
                          {std::to_string(r.cumulative->rows[j].k), true}};
    const auto c = refit_cells(r.cumulative->rows[j], n, ee);
    row.insert(row.end(), c.begin(), c.end());
    g.rows.push_back(std::move(row));
  }
  return g;
}

Grid influence_grid(const SensitivityReport& r, const Numbers& n) {
  Grid g{{"study", "rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat", "weight", "dfbs", "inf"}, {}};
  for (std::size_t i = 0; i < r.influence->rows.size(); ++i) {
    const auto& x = r.influence->rows[i];
    g.rows.push_back({{r.study[i], false},
                      n.num(x.rstudent),
                      n.num(x.dffits),
                      n.num(x.cook_d),
                      n.num(x.cov_r),
                      n.num(x.tau2_del),
                      n.num(x.qe_del),
                      n.num(x.hat),
                      n.num(x.weight),
                      n.num(x.dfbs),
                      {x.influential ? "*" : "", false}});
  }
  return g;
}

Grid baujat_grid(const SensitivityReport& r, const Numbers& n) {
  Grid g{{"study", "x", "y"}, {}};
  for (std::size_t i = 0; i < r.baujat->x.size(); ++i)
    g.rows.push_back({{r.study[i], false}, n.num(r.baujat->x[i]), n.num(r.baujat->y[i])});
  return g;
}

std::string model_line(const SensitivityReport& r) {
  const auto& f = r.full;
  const std::string model = f.method == meta::Tau2Method::ee
                                ? fmt::format("Equal-Effects Model (k = {})", f.k)
                                : fmt::format("Random-Effects Model (k = {}; tau^2 estimator: {})", f.k, r.method);
  return fmt::format("{}; measure {}; test {}; {:g}% level\n", model, r.measure, meta::name(f.test), f.level * 100);
}

std::string render_tables(const SensitivityReport& r, const RenderStyle& style) {
  const Numbers n{style};
  const bool md = style.format == OutputFormat::md;
  auto table = [&](const Grid& g) { return md ? to_markdown(g) : to_text(g); };
  auto heading = [&](const std::string& title) { return md ? "## " + title + "\n\n" : title + ":\n\n"; };
  std::string out;
  if (!style.provenance.empty() && !md) out += "# " + style.provenance + "\n";
  out += model_line(r);
  if (r.leave1out) {
    out += '\n';
    out += heading("Leave-One-Out Analysis");
    out += table(leave1out_grid(r, n));
  }
  if (r.cumulative) {
    const std::string by = r.order_column.empty()
                               ? std::string("in input order")
                               : fmt::format("ordered by {}{}", r.order_column, r.descending ? " (descending)" : "");
    out += '\n';
    out += heading(fmt::format("Cumulative Meta-Analysis ({})", by));
    out += table(cumul_grid(r, n));
  }
  if (r.influence) {
    out += '\n';
    out += heading("Influence Diagnostics");
    out += table(influence_grid(r, n));
    out += "\n* influential: |dffits| > 3*sqrt(1/(k-1)), pchisq(cook.d, 1) > 0.5, hat > 3/k or |dfbs| > 1\n";
  }
  if (r.baujat) {
    out += '\n';
    out += heading("Baujat Coordinates");
    out += table(baujat_grid(r, n));
    out += "\nx: contribution to Q (squared Pearson residual); y: influence on the overall estimate\n";
  }
  return out;
}

std::string render_csv(const SensitivityReport& r, const RenderStyle& style) {
  const Numbers n{style};
  const bool ee = r.full.method == meta::Tau2Method::ee;
  Grid g{{"study", "yi", "vi"}, {}};
  const std::vector<std::string> refit{"estimate", "se",  "statistic", "p",  "ci_lb", "ci_ub",
                                       "q",        "q_p", "tau2",      "i2", "h2"};
  if (r.leave1out)
    for (const auto& h : refit) g.header.push_back("loo_" + h);
  std::vector<std::size_t> position(r.yi.size());
  if (r.cumulative) {
    g.header.push_back("cumul_step");
    for (const auto& h : refit) g.header.push_back("cumul_" + h);
    for (std::size_t j = 0; j < r.cumulative->order.size(); ++j) position[r.cumulative->order[j]] = j;
  }
  if (r.influence)
    g.header.insert(g.header.end(), {"rstudent", "dffits", "cook_d", "cov_r", "tau2_del", "qe_del", "hat", "weight",
                                     "dfbs", "influential"});
  if (r.baujat) g.header.insert(g.header.end(), {"baujat_x", "baujat_y"});
  auto refit_cells_csv = [&](const meta::RefitRow& x, std::vector<Cell>& row) {
    for (double v :
         {x.estimate, x.se, x.statistic, x.p, x.ci.lower, x.ci.upper, x.q, x.q_p, ee ? 0.0 : x.tau2, x.i2, x.h2})
      row.push_back(n.num(v));
  };
  for (std::size_t i = 0; i < r.yi.size(); ++i) {
    std::vector<Cell> row{{r.study[i], false}, n.num(r.yi[i]), n.num(r.vi[i])};
    if (r.leave1out) refit_cells_csv(r.leave1out->rows[i], row);
    if (r.cumulative) {
      row.push_back({std::to_string(position[i] + 1), true});
      refit_cells_csv(r.cumulative->rows[position[i]], row);
    }
    if (r.influence) {
      const auto& x = r.influence->rows[i];
      for (double v : {x.rstudent, x.dffits, x.cook_d, x.cov_r, x.tau2_del, x.qe_del, x.hat, x.weight, x.dfbs})
        row.push_back(n.num(v));
      row.push_back({x.influential ? "true" : "false", false});
    }
    if (r.baujat) {
      row.push_back(n.num(r.baujat->x[i]));
      row.push_back(n.num(r.baujat->y[i]));
    }
    g.rows.push_back(std::move(row));
  }
  std::string out;
  if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
  return out + to_csv(g);
}

}  // namespace

json sensitivity_json(const SensitivityReport& r) {
  const auto& f = r.full;
  json dropped = json::array();
  for (const auto line : r.dropped) dropped.push_back(line);
  json studies = json::array();
  for (std::size_t i = 0; i < r.yi.size(); ++i)
    studies.push_back({{"study", r.study[i]}, {"yi", number_or_null(r.yi[i])}, {"vi", number_or_null(r.vi[i])}});
  json out = {{"analysis", "sensitivity"},
              {"version", TRIALSTATS_VERSION},
              {"input", {{"file", r.file}, {"rows", r.rows}, {"used", r.yi.size()}, {"dropped", dropped}}},
              {"measure", r.measure},
              {"model", {{"method", r.method}, {"test", meta::name(f.test)}, {"level", f.level * 100}}},
              {"k", f.k},
              {"estimate", number_or_null(f.estimate)},
              {"se", number_or_null(f.se)},
              {"tau2", f.het.tau2},
              {"studies", studies}};
  if (r.leave1out) {
    json rows = json::array();
    for (std::size_t i = 0; i < r.leave1out->rows.size(); ++i) {
      json row = {{"omitted", r.study[i]}};
      row.update(refit_json(r.leave1out->rows[i]));
      rows.push_back(row);
    }
    out["leave1out"] = rows;
  }
  if (r.cumulative) {
    json rows = json::array();
    for (std::size_t j = 0; j < r.cumulative->rows.size(); ++j) {
      json row = {{"added", r.study[r.cumulative->order[j]]}};
      row.update(refit_json(r.cumulative->rows[j]));
      rows.push_back(row);
    }
    out["cumulative"] = {{"order", r.order_column.empty() ? json(nullptr) : json(r.order_column)},
                         {"descending", r.descending},
                         {"rows", rows}};
  }
  if (r.influence) {
    json rows = json::array();
    for (std::size_t i = 0; i < r.influence->rows.size(); ++i) {
      const auto& x = r.influence->rows[i];
      rows.push_back({{"study", r.study[i]},
                      {"rstudent", number_or_null(x.rstudent)},
                      {"dffits", number_or_null(x.dffits)},
                      {"cook_d", number_or_null(x.cook_d)},
                      {"cov_r", number_or_null(x.cov_r)},
                      {"tau2_del", number_or_null(x.tau2_del)},
                      {"qe_del", number_or_null(x.qe_del)},
                      {"hat", number_or_null(x.hat)},
                      {"weight", number_or_null(x.weight)},
                      {"dfbs", number_or_null(x.dfbs)},
                      {"influential", x.influential}});
    }
    out["influence"] = {{"tau2", r.influence->tau2}, {"qe", r.influence->qe}, {"rows", rows}};
  }
  if (r.baujat) {
    json rows = json::array();
    for (std::size_t i = 0; i < r.baujat->x.size(); ++i)
      rows.push_back(
          {{"study", r.study[i]}, {"x", number_or_null(r.baujat->x[i])}, {"y", number_or_null(r.baujat->y[i])}});
    out["baujat"] = rows;
  }
  out["warnings"] = warnings_json(r.warnings);
  return out;
}

std::string render_sensitivity(const SensitivityReport& report, const RenderStyle& style) {
  switch (style.format) {
    case OutputFormat::json:
      return sensitivity_json(report).dump(2) + '\n';
    case OutputFormat::csv:
      return render_csv(report, style);
    case OutputFormat::text:
    case OutputFormat::md:
      return render_tables(report, style);
  }
  return {};
}

}  // namespace trialstats::render
