// The forest plot: layout (columns measured with text_width), rows, axis, markers, footer.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "trialstats/effect/measure.hpp"
#include "trialstats/render/svg/axis.hpp"
#include "trialstats/render/svg/forest.hpp"
#include "trialstats/render/svg/svg.hpp"

namespace trialstats::render::svg {

std::string measure_title(const std::string& measure) {
  static const std::vector<std::pair<std::string, std::string>> titles = {{"RR", "Risk Ratio"},
                                                                          {"OR", "Odds Ratio"},
                                                                          {"PETO", "Odds Ratio (Peto)"},
                                                                          {"RD", "Risk Difference"},
                                                                          {"ROM", "Ratio of Means"},
                                                                          {"IRR", "Incidence Rate Ratio"},
                                                                          {"IRD", "Incidence Rate Difference"},
                                                                          {"MD", "Mean Difference"},
                                                                          {"SMD", "Standardised Mean Difference"},
                                                                          {"SMDH", "Standardised Mean Difference"},
                                                                          {"MC", "Mean Change"},
                                                                          {"SMCR", "Standardised Mean Change"},
                                                                          {"SMCC", "Standardised Mean Change"},
                                                                          {"COR", "Correlation"},
                                                                          {"ZCOR", "Fisher's z"},
                                                                          {"PR", "Proportion"},
                                                                          {"PLO", "Log Odds"},
                                                                          {"PAS", "Arcsine Proportion"},
                                                                          {"PFT", "Freeman-Tukey Proportion"},
                                                                          {"GEN", "Effect"}};
  for (const auto& [key, title] : titles)
    if (key == measure) return title;
  return measure;
}

ForestOptions with_subgroups(ForestOptions options, const meta::SubgroupAnalysis& analysis, const std::string& column) {
  for (const auto& g : analysis.groups)
    options.subgroups.push_back({column.empty() ? g.level : column + " = " + g.level, g.studies, g.fit});
  options.subgroup_test = meta::ChiSquareTest{analysis.separate.statistic, analysis.separate.df1, analysis.separate.p};
  return options;
}

bool log_scale(const PoolReport& report) {
  return report.transformed && report.transformed->scale == "ratio";
}

bool ratio_measure(std::string_view measure) {
  const auto m = effect::parse_measure(measure);
  return m && effect::info(*m).scale == effect::Scale::ratio;
}

namespace {

std::string p_text(double p) {
  if (std::isnan(p)) return "p = NA";
  if (p < 0.001) return "p < 0.001";
  return fmt::format("p = {:.3f}", p);
}

// "0.49 [0.34, 0.70]" on the shown scale (exp on a log axis); "NA" parts for missing values;
// ratios that would round to 0 with more decimals ("0.02 [0.002, 0.15]").
struct Numbers {
  bool log;
  int digits;
  [[nodiscard]] std::string value(double v) const {
    if (!std::isfinite(v)) return "NA";
    if (!log) return tick_label(v, digits);
    // A ratio is never 0: below 10^-digits, decimals down to its first significant digit (0.002).
    const double ratio = std::exp(v);
    int d = digits;
    if (ratio > 0 && ratio < 0.5 * std::pow(10.0, -digits))
      d = std::max(digits, static_cast<int>(-std::floor(std::log10(ratio))));
    return tick_label(ratio, d);
  }
  [[nodiscard]] std::string interval(Interval i) const { return "[" + value(i.lower) + ", " + value(i.upper) + "]"; }
  [[nodiscard]] std::string estimate(double e, Interval i) const { return value(e) + " " + interval(i); }
};

enum class RowKind { heading, study, summary, prediction, note };

struct Row {
  RowKind kind;
  std::size_t study = 0;                    // study rows: index into the report
  const meta::PooledEffect* fit = nullptr;  // summary and prediction rows
  bool overall = false;
  std::string label;                                         // heading, summary, prediction and note rows
  double weight = std::numeric_limits<double>::quiet_NaN();  // summary rows: percent shown in the Weight column
};

std::string heterogeneity_text(const meta::PooledEffect& fit, bool common_effect) {
  std::string s = "Heterogeneity: ";
  if (!common_effect) s += fmt::format("τ² = {:.2f}; ", fit.het.tau2);  // τ²
  s += fmt::format("I² = {:.0f}%; Q = {:.2f}, df = {}, {}", fit.het.i2, fit.het.q, fit.het.q_df, p_text(fit.het.q_p));
  return s;
}

std::string overall_test_text(const meta::PooledEffect& fit) {
  const std::string stat =
      fit.df ? fmt::format("t({}) = {:.2f}", *fit.df, fit.statistic) : fmt::format("z = {:.2f}", fit.statistic);
  return "Test for overall effect: " + stat + ", " + p_text(fit.p);
}

}  // namespace

std::string forest_plot(const PoolReport& report, const ForestOptions& o) {
  const bool log = log_scale(report);
  const Numbers numbers{log, o.digits};
  const auto& fit = report.fit;
  const std::size_t k = report.yi.size();
  const bool common_effect =
      report.method == "EE" || report.method == "FE" || report.method == "MH" || report.method == "PETO";
  const double fs = o.font_size, small = fs - 1.5, rh = o.row_height, margin = 12, gap = 14;
  const int level = static_cast<int>(std::lround(fit.level * 100));

  // Rows, top to bottom.
  std::vector<Row> rows;
  const std::string model_label = common_effect ? (report.method == "MH"     ? "Common-effect model (Mantel-Haenszel)"
                                                   : report.method == "PETO" ? "Common-effect model (Peto)"
                                                                             : "Common-effect model")
                                                : "Random-effects model (" + report.method + ")";
  // The weight of each study as the squares and the Weight column show it: its weight in the overall
  // model, or (ForestWeights::subgroup) in its subgroup's own model.
  const bool by_subgroup = !o.subgroups.empty() && o.weights == ForestWeights::subgroup;
  std::vector<double> shown(k, std::numeric_limits<double>::quiet_NaN());
  if (!by_subgroup && fit.weights.size() == k) shown = fit.weights;
  if (by_subgroup)
    for (const auto& g : o.subgroups)
      for (std::size_t j = 0; j < g.studies.size() && j < g.fit.weights.size(); ++j)
        if (g.studies[j] < k) shown[g.studies[j]] = g.fit.weights[j];
  if (o.subgroups.empty()) {
    for (std::size_t i = 0; i < k; ++i) rows.push_back({RowKind::study, i, nullptr, false, {}});
  } else {
    for (const auto& g : o.subgroups) {
      rows.push_back({RowKind::heading, 0, nullptr, false, g.name});
      double total = 0;
      for (const auto i : g.studies) {
        rows.push_back({RowKind::study, i, nullptr, false, {}});
        if (i < k) total += shown[i];
      }
      rows.push_back({RowKind::summary, 0, &g.fit, false, "Subtotal (k = " + std::to_string(g.fit.k) + ")",
                      by_subgroup ? 100.0 : total});
      rows.push_back({RowKind::note, 0, &g.fit, false, heterogeneity_text(g.fit, common_effect)});
    }
  }
  rows.push_back({RowKind::summary, 0, &fit, true, o.subgroups.empty() ? model_label : "Overall: " + model_label,
                  by_subgroup ? std::numeric_limits<double>::quiet_NaN() : 100.0});
  const bool show_pi = !common_effect && (fit.pi.lower != fit.ci.lower || fit.pi.upper != fit.ci.upper);
  if (show_pi) rows.push_back({RowKind::prediction, 0, &fit, true, "Prediction interval"});

  // Footer lines under the axis.
  std::vector<std::string> footer = {heterogeneity_text(fit, common_effect), overall_test_text(fit)};
  if (o.subgroup_test)
    footer.push_back(fmt::format("Test for subgroup differences: Q = {:.2f}, df = {}, {}", o.subgroup_test->statistic,
                                 o.subgroup_test->df, p_text(o.subgroup_test->p.value_or(std::nan("")))));

  // Column widths, measured.
  const std::string study_header = "Study";
  double label_w = text_width(study_header, fs, true);
  double note_w = 0;
  for (const auto& r : rows) {
    if (r.kind == RowKind::study)
      label_w = std::max(label_w, text_width(report.study[r.study], fs) + (o.subgroups.empty() ? 0 : 10));
    else if (r.kind == RowKind::note)
      note_w = std::max(note_w, text_width(r.label, small));
    else
      label_w = std::max(label_w, text_width(r.label, fs, r.kind != RowKind::prediction));
  }
  std::vector<double> col_w;
  for (const auto& c : o.columns) {
    double w = text_width(c.title, fs, true);
    for (const auto& v : c.values) w = std::max(w, text_width(v, fs));
    col_w.push_back(w);
  }
  double cols_total = 0;
  for (const double w : col_w) cols_total += w + gap;
  label_w = std::max(label_w, note_w - cols_total);  // subgroup notes span the label columns

  const std::string num_header = fmt::format("{} [{}% CI]", report.measure, level);
  double num_w = text_width(num_header, fs, true);
  for (const auto& r : rows) {
    if (r.kind == RowKind::study)
      num_w = std::max(num_w, text_width(numbers.estimate(report.yi[r.study], fit.study_ci[r.study]), fs));
    if (r.kind == RowKind::summary)
      num_w = std::max(num_w, text_width(numbers.estimate(r.fit->estimate, r.fit->ci), fs, true));
    if (r.kind == RowKind::prediction) num_w = std::max(num_w, text_width(numbers.interval(r.fit->pi), fs));
  }
  const bool show_weights = std::any_of(shown.begin(), shown.end(), [](double w) { return std::isfinite(w); });
  const std::string weight_header = "Weight";
  double weight_w = show_weights ? text_width(weight_header, fs, true) : 0;
  if (show_weights) weight_w = std::max(weight_w, text_width("100.0%", fs, true));

  // The axis domain: every CI, the pooled CI and PI, no effect, the MCID region.
  double lo = 0, hi = 0;
  auto cover = [&](double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  };
  for (std::size_t i = 0; i < k; ++i) {
    cover(report.yi[i]);
    if (i < fit.study_ci.size()) cover(fit.study_ci[i].lower), cover(fit.study_ci[i].upper);
  }
  for (const auto& r : rows)
    if (r.fit)
      cover(r.fit->ci.lower), cover(r.fit->ci.upper), cover(show_pi ? r.fit->pi.lower : 0),
          cover(show_pi ? r.fit->pi.upper : 0);
  if (o.mcid) cover(o.mcid->lower), cover(o.mcid->upper);

  // Horizontal layout; the left margin grows when the left "favours" label needs room.
  const double favours_w_left = o.favours_left.empty() ? 0 : text_width("← " + o.favours_left, small);
  const double favours_w_right = o.favours_right.empty() ? 0 : text_width(o.favours_right + " →", small);
  auto make_axis = [&](double x0) {
    return log ? log_axis(lo, hi, x0, x0 + o.plot_width) : linear_axis(lo, hi, x0, x0 + o.plot_width, 6);
  };
  double left = margin;
  double plot_x0 = left + label_w + gap + cols_total;
  Axis axis = make_axis(plot_x0);
  const double shift = std::max(0.0, margin - (axis.to_px(0) - 8 - favours_w_left));
  left += shift;
  plot_x0 += shift;
  axis = make_axis(plot_x0);
  const double null_x = axis.to_px(0);
  const double plot_x1 = plot_x0 + o.plot_width;
  const double num_right = plot_x1 + gap + num_w;
  const double weight_right = num_right + (show_weights ? gap + weight_w : 0);
  double width = std::max(weight_right + margin, null_x + 8 + favours_w_right + margin);
  for (const auto& f : footer) width = std::max(width, left + text_width(f, small) + margin);

  // Vertical layout.
  const double header_top = margin;
  const double rows_top = header_top + rh + 4;
  auto row_y = [&](std::size_t i) {  // centre of row i; a gap before the overall summary
    double y = rows_top + rh * (static_cast<double>(i) + 0.5);
    for (std::size_t j = 0; j <= i && j < rows.size(); ++j)
      if (rows[j].kind == RowKind::summary && rows[j].overall) {
        y += rh * 0.5;
        break;
      }
    return y;
  };
  const double rows_bottom = row_y(rows.size() - 1) + rh * 0.5 + 4;
  const double axis_y = rows_bottom;
  const double tick_label_y = axis_y + 5 + fs * 1.05;
  const bool favours = !o.favours_left.empty() || !o.favours_right.empty();
  const double favours_y = tick_label_y + (favours ? small * 1.5 : 0);
  const double title_y = favours_y + fs * 1.6;
  const double footer_y0 = title_y + small * 2;
  const double height = footer_y0 + small * 1.45 * static_cast<double>(footer.size() - 1) + margin;

  Document doc(std::ceil(width), std::ceil(height));
  const auto baseline = [&](double centre, double size) { return centre + size * 0.35; };
  doc.title(fmt::format("Forest plot: {} studies, {}", k, measure_title(report.measure)));

  // MCID region and no-effect line behind everything.
  if (o.mcid) {
    const double a = std::max(axis.to_px(o.mcid->lower), plot_x0), b = std::min(axis.to_px(o.mcid->upper), plot_x1);
    doc.rect(a, rows_top, std::max(0.0, b - a), axis_y - rows_top, "class=\"mcid\" fill=\"#dcebf7\"");
    doc.text((a + b) / 2, baseline(header_top + rh / 2, small), "MCID",
             {.size = small, .anchor = Anchor::middle, .fill = "#31628f", .cls = "mcid-label"});
  }
  doc.line(null_x, rows_top, null_x, axis_y, "class=\"no-effect\" stroke=\"#000\" stroke-width=\"1\"");

  // Header.
  const TextStyle head{.size = fs, .bold = true, .cls = "header"};
  const double head_y = baseline(header_top + rh / 2, fs);
  doc.text(left, head_y, study_header, head);
  {
    double x = left + label_w + gap;
    for (std::size_t j = 0; j < o.columns.size(); ++j) {
      doc.text(x, head_y, o.columns[j].title, head);
      x += col_w[j] + gap;
    }
  }
  doc.text(num_right, head_y, num_header, {.size = fs, .anchor = Anchor::end, .bold = true, .cls = "header"});
  if (show_weights)
    doc.text(weight_right, head_y, weight_header, {.size = fs, .anchor = Anchor::end, .bold = true, .cls = "header"});
  doc.line(left, header_top + rh, width - margin, header_top + rh, "stroke=\"#000\" stroke-width=\"0.75\"");

  // Rows.
  double max_weight = 0;
  for (const double w : shown)
    if (std::isfinite(w)) max_weight = std::max(max_weight, w);
  const double max_box = rh * 0.8;
  for (std::size_t ri = 0; ri < rows.size(); ++ri) {
    const Row& r = rows[ri];
    const double y = row_y(ri);
    const double ty = baseline(y, fs);
    switch (r.kind) {
      case RowKind::heading:
        doc.text(left, ty, r.label, {.size = fs, .bold = true, .cls = "subgroup-heading"});
        break;
      case RowKind::note:
        doc.text(left + 10, baseline(y, small), r.label,
                 {.size = small, .italic = true, .fill = "#333", .cls = "note"});
        break;
      case RowKind::study: {
        const std::size_t i = r.study;
        doc.begin_group(fmt::format("class=\"study\" data-study=\"{}\"", i));
        doc.text(left + (o.subgroups.empty() ? 0 : 10), ty, report.study[i], {.size = fs, .cls = "study-label"});
        double x = left + label_w + gap;
        for (std::size_t j = 0; j < o.columns.size(); ++j) {
          doc.text(x, ty, i < o.columns[j].values.size() ? o.columns[j].values[i] : "", {.size = fs, .cls = "column"});
          x += col_w[j] + gap;
        }
        const Interval ci = i < fit.study_ci.size() ? fit.study_ci[i] : Interval{NAN, NAN};
        if (std::isfinite(report.yi[i]) && std::isfinite(ci.lower) && std::isfinite(ci.upper)) {
          doc.line(axis.to_px(ci.lower), y, axis.to_px(ci.upper), y,
                   "class=\"ci\" stroke=\"#000\" stroke-width=\"1.25\"");
          const bool sized = max_weight > 0 && std::isfinite(shown[i]);
          const double side = std::max(3.0, max_box * std::sqrt(sized ? std::max(0.0, shown[i]) / max_weight : 1.0));
          doc.rect(axis.to_px(report.yi[i]) - side / 2, y - side / 2, side, side, "class=\"box\" fill=\"#4d4d4d\"");
        }
        doc.text(num_right, ty, numbers.estimate(report.yi[i], ci),
                 {.size = fs, .anchor = Anchor::end, .cls = "estimate"});
        if (show_weights && std::isfinite(shown[i]))
          doc.text(weight_right, ty, fmt::format("{:.1f}%", shown[i]),
                   {.size = fs, .anchor = Anchor::end, .cls = "weight"});
        doc.end_group();
        break;
      }
      case RowKind::summary: {
        const auto& f = *r.fit;
        doc.begin_group(fmt::format("class=\"summary{}\"", r.overall ? " overall" : " subgroup"));
        doc.text(left, ty, r.label, {.size = fs, .bold = true, .cls = "summary-label"});
        const double h = rh * 0.7;
        doc.polygon({{axis.to_px(f.ci.lower), y},
                     {axis.to_px(f.estimate), y - h / 2},
                     {axis.to_px(f.ci.upper), y},
                     {axis.to_px(f.estimate), y + h / 2}},
                    fmt::format("class=\"diamond\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.75\"",
                                r.overall ? "#000" : "#7f7f7f"));
        doc.text(num_right, ty, numbers.estimate(f.estimate, f.ci),
                 {.size = fs, .anchor = Anchor::end, .bold = true, .cls = "estimate"});
        if (show_weights && std::isfinite(r.weight))
          doc.text(weight_right, ty, fmt::format("{:.1f}%", r.weight),
                   {.size = fs, .anchor = Anchor::end, .bold = true, .cls = "weight"});
        doc.end_group();
        break;
      }
      case RowKind::prediction: {
        const auto& f = *r.fit;
        doc.begin_group("class=\"prediction\"");
        doc.text(left, ty, r.label, {.size = fs, .cls = "summary-label"});
        const double a = axis.to_px(f.pi.lower), b = axis.to_px(f.pi.upper), cap = rh * 0.25;
        doc.line(a, y, b, y, "class=\"pi\" stroke=\"#000\" stroke-width=\"2\"");
        doc.line(a, y - cap, a, y + cap, "stroke=\"#000\" stroke-width=\"1.25\"");
        doc.line(b, y - cap, b, y + cap, "stroke=\"#000\" stroke-width=\"1.25\"");
        doc.text(num_right, ty, numbers.interval(f.pi), {.size = fs, .anchor = Anchor::end, .cls = "estimate"});
        doc.end_group();
        break;
      }
    }
  }

  // Axis, favours labels, title.
  const std::string title =
      o.axis_title.empty() ? measure_title(report.measure) + (log ? " (log scale)" : "") : o.axis_title;
  draw_x_axis(doc, axis, axis_y, {.font_size = small, .title = {}});
  if (!o.favours_left.empty())
    doc.text(null_x - 8, favours_y, "← " + o.favours_left, {.size = small, .anchor = Anchor::end, .cls = "favours"});
  if (!o.favours_right.empty())
    doc.text(null_x + 8, favours_y, o.favours_right + " →", {.size = small, .anchor = Anchor::start, .cls = "favours"});
  doc.text((plot_x0 + plot_x1) / 2, title_y, title, {.size = fs, .anchor = Anchor::middle, .cls = "axis-title"});

  // Heterogeneity and tests.
  for (std::size_t i = 0; i < footer.size(); ++i)
    doc.text(left, footer_y0 + small * 1.45 * static_cast<double>(i), footer[i], {.size = small, .cls = "footer"});
  return doc.str();
}

}  // namespace trialstats::render::svg
