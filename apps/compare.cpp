// trialstats compare: two-group comparisons from per-patient data (a CSV with a group and a value
// column) or from summary numbers, as R's t.test, wilcox.test, chisq.test, fisher.test, prop.test,
// binom.test, power.t.test and power.prop.test. One sub-subcommand per test.
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "trialstats/compare/contingency.hpp"
#include "trialstats/compare/mann_whitney.hpp"
#include "trialstats/compare/power.hpp"
#include "trialstats/compare/proportions.hpp"
#include "trialstats/compare/ttest.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/render/compare.hpp"
#include "trialstats/stats/proportion.hpp"

namespace trialstats::app {
namespace {

struct CompareArgs {
  CommonArgs common;
  // per-patient data
  std::string input;
  std::string group_col = "group";
  std::string value_col = "value";
  std::vector<std::string> groups;
  // summaries
  std::optional<double> mean1, sd1, n1, mean2, sd2, n2;
  // proportions
  std::optional<double> x1, x2, x, n, percent;
  std::vector<std::string> labels;
  // tables
  std::string table;
  // options
  bool student = false;
  std::string alternative = "two.sided";
  double mu = 0;
  bool exact = false, normal = false, no_correct = false, wald = false, unfavourable = false;
  double null_p = 0.5;
  double null_or = 1;
  // power
  std::optional<double> delta, sd = 1.0, power, p1, p2, power_n;
  double sig_level = 0.05;
  bool one_sided = false, strict = false;
  std::vector<CLI::App*> tests;
};

compare::Alternative alternative_of(const CompareArgs& a) {
  return compare::parse_alternative(a.alternative).value();
}

void add_alternative(CLI::App* app, CompareArgs& a) {
  app->add_option("--alternative", a.alternative, "two.sided, less or greater")
      ->check(CLI::IsMember({"two.sided", "two-sided", "less", "greater"}))
      ->capture_default_str();
}

/// The two groups of per-patient values: rows with a missing value are left out; the groups are
/// --groups A,B or the first two labels met in the group column.
struct TwoSamples {
  std::vector<double> x, y;
  render::GroupLabels labels;
};

TwoSamples read_samples(const CompareArgs& a) {
  std::string group_col = a.group_col, value_col = a.value_col;
  for (const auto& m : a.common.column_map) {  // --col group=NAME, --col value=NAME
    const auto eq = m.find('=');
    const std::string role = m.substr(0, eq), name = m.substr(eq + 1);
    if (role == "group")
      group_col = name;
    else if (role == "value")
      value_col = name;
    else
      throw UsageError(fmt::format("--col {}: compare knows the roles group and value", m));
  }
  const io::Table t = io::read_csv(a.input, csv_options(a.common));
  const io::Column& group = t.column(group_col);
  const io::Column& value = t.column(value_col);
  std::vector<std::string> names = a.groups;
  if (!names.empty() && names.size() != 2) throw UsageError("--groups takes two labels: --groups A,B");
  if (names.empty()) {
    for (std::size_t row = 0; row < t.rows(); ++row) {
      if (group.is_missing(row)) continue;
      const std::string g = group.text(row);
      if (std::find(names.begin(), names.end(), g) == names.end()) names.push_back(g);
    }
    if (names.size() != 2)
      throw UsageError(
          fmt::format("column '{}' has {} groups; name the two to compare with --groups A,B", group_col, names.size()));
  }
  TwoSamples s;
  s.labels = {names[0], names[1]};
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (group.is_missing(row) || value.is_missing(row)) continue;
    const std::string g = group.text(row);
    if (g == names[0])
      s.x.push_back(value.number(row));
    else if (g == names[1])
      s.y.push_back(value.number(row));
  }
  for (const auto& [label, v] : {std::pair{names[0], &s.x}, std::pair{names[1], &s.y}})
    if (v->empty())
      throw InputError({a.input, 0, 0}, fmt::format("group '{}' of column '{}' has no values", label, group_col));
  return s;
}

/// "30,17;18,29": rows separated by ';', counts by ','.
compare::ContingencyTable parse_table(const std::string& s) {
  compare::ContingencyTable t;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(';', start), s.size());
    const std::string row = s.substr(start, end - start);
    std::size_t cols = 0, p = 0;
    while (p <= row.size()) {
      const std::size_t q = std::min(row.find(',', p), row.size());
      const std::string cell = row.substr(p, q - p);
      std::size_t used = 0;
      double v = 0;
      try {
        v = std::stod(cell, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || cell.find_first_not_of(" ", used) != std::string::npos)
        throw UsageError(
            fmt::format("--table: '{}' is not a count (expected rows of counts such as 30,17;18,29)", cell));
      t.counts.push_back(v);
      ++cols;
      p = q + 1;
    }
    if (t.rows > 0 && cols != t.cols)
      throw UsageError(fmt::format("--table: row {} has {} counts, row 1 has {}", t.rows + 1, cols, t.cols));
    t.cols = cols;
    ++t.rows;
    start = end + 1;
  }
  return t;
}

const char* const long_description = R"(Two-group comparisons, one test per subcommand, agreeing with R's stats package:
  t             Student or Welch t-test with the CI of the difference (t.test), from a CSV of
                per-patient values (--group COL --value COL) or from --mean1 --sd1 --n1 --mean2 --sd2 --n2
  mann-whitney  Mann-Whitney U / Wilcoxon rank-sum test (wilcox.test): exact for n < 50 per group
                without ties, else normal with tie and continuity corrections
  chisq         Pearson chi-square test of a table, Yates-corrected for 2 x 2 (chisq.test)
  fisher        Fisher's exact test of a 2 x 2 table with the conditional MLE odds ratio (fisher.test)
  proportions   two proportions: difference with Newcombe's interval, relative risk, NNT with
                Altman's interval, chi-square test (prop.test)
  proportion    one proportion (e.g. 86% of 1,273): Wilson interval, prop.test, binom.test
  power-t       power or n per group of a two-sample t-test (power.t.test)
  power-prop    power or n per group for two proportions (power.prop.test)
Formulas and references: docs/methods.md, "Two-group comparisons".)";

}  // namespace

Subcommand add_compare_command(CLI::App& parent) {
  auto args = std::make_shared<CompareArgs>();
  CompareArgs& a = *args;
  CLI::App* app =
      parent.add_subcommand("compare", "Two-group tests: t, Mann-Whitney, chi-square, Fisher, proportions, power");
  app->description(std::string("Two-group tests from per-patient data or summary numbers.\n\n") + long_description);
  const std::string example = "trialstats compare proportions --x1 30 --n1 47 --x2 18 --n2 47";
  app->footer("Examples:\n  " + example +
              "\n  trialstats compare t --mean1 -32.1 --sd1 18 --n1 60 --mean2 -20.4 --sd2 19 --n2 58"
              "\n  trialstats compare power-t --delta 0.5 --power 0.8\n");
  app->require_subcommand(1);

  const auto data_options = [&](CLI::App* sub) {
    sub->add_option("file", a.input, "CSV of per-patient values, one row per patient ('-' reads standard input)");
    sub->add_option("--group", a.group_col, "Column holding the group of each patient")->capture_default_str();
    sub->add_option("--value", a.value_col, "Column holding the outcome value")->capture_default_str();
    sub->add_option("--groups", a.groups, "The two groups to compare, group 1 first (default: the first two met)")
        ->delimiter(',')
        ->option_text("A,B");
  };

  CLI::App* t = app->add_subcommand("t", "Student or Welch two-sample t-test with the CI of the difference");
  data_options(t);
  for (auto [name, field, help] : {std::tuple{"--mean1", &a.mean1, "Mean of group 1"},
                                   {"--sd1", &a.sd1, "SD of group 1"},
                                   {"--n1", &a.n1, "Size of group 1"},
                                   {"--mean2", &a.mean2, "Mean of group 2"},
                                   {"--sd2", &a.sd2, "SD of group 2"},
                                   {"--n2", &a.n2, "Size of group 2"}})
    t->add_option(name, *field, help);
  t->add_flag("--student", a.student, "Pooled variance (var.equal = TRUE); default Welch");
  t->add_option("--mu", a.mu, "Difference of means under the null")->capture_default_str();
  add_alternative(t, a);
  add_common_options(*t, a.common);

  CLI::App* mw = app->add_subcommand("mann-whitney", "Mann-Whitney U (Wilcoxon rank-sum) test");
  data_options(mw);
  mw->add_flag("--exact", a.exact, "Exact p-value (normal approximation when there are ties)");
  mw->add_flag("--normal", a.normal, "Normal approximation even for small samples")->excludes("--exact");
  mw->add_flag("--no-correct", a.no_correct, "No continuity correction in the normal approximation");
  mw->add_option("--mu", a.mu, "Location shift under the null")->capture_default_str();
  add_alternative(mw, a);
  add_common_options(*mw, a.common);

  CLI::App* chisq = app->add_subcommand("chisq", "Pearson chi-square test of a contingency table");
  chisq->add_option("--table", a.table, "Counts, rows separated by ';': e.g. 30,17;18,29")->required();
  chisq->add_flag("--no-correct", a.no_correct, "No Yates continuity correction (2 x 2 tables)");
  add_common_options(*chisq, a.common);

  CLI::App* fisher = app->add_subcommand("fisher", "Fisher's exact test of a 2 x 2 table");
  fisher->add_option("--table", a.table, "Counts a,b;c,d: row 1 events, non-events; row 2 events, non-events")
      ->required();
  fisher->add_option("--or", a.null_or, "Odds ratio under the null")->capture_default_str();
  add_alternative(fisher, a);
  add_common_options(*fisher, a.common);

  CLI::App* props = app->add_subcommand("proportions", "Two proportions: difference (Newcombe), RR, NNT, chi-square");
  props->add_option("--x1", a.x1, "Events in group 1")->required();
  props->add_option("--n1", a.n1, "Size of group 1")->required();
  props->add_option("--x2", a.x2, "Events in group 2")->required();
  props->add_option("--n2", a.n2, "Size of group 2")->required();
  props->add_option("--labels", a.labels, "Names of the two groups")->delimiter(',')->option_text("A,B");
  props->add_flag("--wald", a.wald, "Wald interval of the difference instead of Newcombe's");
  props->add_flag("--unfavourable", a.unfavourable, "The event is harmful (e.g. death): fewer events is a benefit");
  props->add_flag("--no-correct", a.no_correct, "No continuity correction in the chi-square test");
  add_common_options(*props, a.common);

  CLI::App* prop = app->add_subcommand("proportion", "One proportion: Wilson interval, prop.test, binom.test");
  auto* xo = prop->add_option("--x", a.x, "Events");
  prop->add_option("--percent", a.percent, "Events as a percentage of n (e.g. 86 for 86%)")->excludes(xo);
  prop->add_option("--n", a.n, "Sample size")->required();
  prop->add_option("--p0", a.null_p, "Proportion under the null")->capture_default_str();
  prop->add_flag("--no-correct", a.no_correct, "No continuity correction in prop.test");
  add_alternative(prop, a);
  add_common_options(*prop, a.common);

  CLI::App* pt = app->add_subcommand("power-t", "Power or sample size of a two-sample t-test");
  pt->add_option("--delta", a.delta, "True difference of means")->required();
  pt->add_option("--sd", a.sd, "Standard deviation")->capture_default_str();
  auto* ptn = pt->add_option("--n", a.power_n, "Patients per group: compute the power");
  pt->add_option("--power", a.power, "Power: compute the patients per group")->excludes(ptn);
  pt->add_option("--sig-level", a.sig_level, "Significance level")->capture_default_str();
  pt->add_flag("--one-sided", a.one_sided, "One-sided test");
  pt->add_flag("--strict", a.strict, "Count rejections in the wrong tail too (two-sided)");
  add_common_options(*pt, a.common);

  CLI::App* pp = app->add_subcommand("power-prop", "Power or sample size for comparing two proportions");
  pp->add_option("--p1", a.p1, "Proportion in group 1")->required();
  pp->add_option("--p2", a.p2, "Proportion in group 2")->required();
  auto* ppn = pp->add_option("--n", a.power_n, "Patients per group: compute the power");
  pp->add_option("--power", a.power, "Power: compute the patients per group")->excludes(ppn);
  pp->add_option("--sig-level", a.sig_level, "Significance level")->capture_default_str();
  pp->add_flag("--one-sided", a.one_sided, "One-sided test");
  pp->add_flag("--strict", a.strict, "Count rejections in the wrong tail too (two-sided)");
  add_common_options(*pp, a.common);

  a.tests = {t, mw, chisq, fisher, props, prop, pt, pp};

  auto run = [args](const Invocation& inv) -> int {
    CompareArgs& a = *args;
    a.common.command_line = inv.command_line;
    const double level = a.common.level / 100;
    const int digits = a.common.digits;
    std::string parsed;
    for (CLI::App* sub : a.tests)
      if (sub->parsed()) parsed = sub->get_name();
    std::vector<std::string> inputs;
    render::CompareReport report;
    if (parsed == "t") {
      const compare::TTestOptions o{.method = a.student ? compare::TTestMethod::student : compare::TTestMethod::welch,
                                    .alternative = alternative_of(a),
                                    .mu = a.mu,
                                    .level = level};
      const bool summary = a.mean1 || a.sd1 || a.n1 || a.mean2 || a.sd2 || a.n2;
      if (summary) {
        if (!a.input.empty()) throw UsageError("give either a FILE or --mean1 … --n2, not both");
        if (!(a.mean1 && a.sd1 && a.n1 && a.mean2 && a.sd2 && a.n2))
          throw UsageError("summary numbers need all of --mean1 --sd1 --n1 --mean2 --sd2 --n2");
        report = render::compare_report(compare::t_test(compare::GroupSummary{*a.mean1, *a.sd1, *a.n1},
                                                        compare::GroupSummary{*a.mean2, *a.sd2, *a.n2}, o),
                                        render::GroupLabels{}, digits);
      } else {
        if (a.input.empty())
          throw UsageError("give a FILE of per-patient values or --mean1 --sd1 --n1 --mean2 --sd2 --n2");
        const TwoSamples s = read_samples(a);
        inputs.push_back(a.input);
        report = render::compare_report(compare::t_test(s.x, s.y, o), s.labels, digits);
      }
    } else if (parsed == "mann-whitney") {
      if (a.input.empty()) throw UsageError("give a FILE of per-patient values");
      const TwoSamples s = read_samples(a);
      inputs.push_back(a.input);
      const compare::MannWhitneyOptions o{.alternative = alternative_of(a),
                                          .method = a.exact    ? compare::RankTestMethod::exact
                                                    : a.normal ? compare::RankTestMethod::normal
                                                               : compare::RankTestMethod::automatic,
                                          .continuity = !a.no_correct,
                                          .mu = a.mu};
      report = render::compare_report(compare::mann_whitney_test(s.x, s.y, o), s.labels, digits);
    } else if (parsed == "chisq") {
      const auto table = parse_table(a.table);
      report = render::compare_report(compare::chi_square_test(table, {.yates = !a.no_correct}), table, digits);
    } else if (parsed == "fisher") {
      const auto table = parse_table(a.table);
      if (table.rows != 2 || table.cols != 2)
        throw UsageError("--table: Fisher's exact test needs a 2 x 2 table, a,b;c,d");
      const compare::Table2x2 t2{table.counts[0], table.counts[1], table.counts[2], table.counts[3]};
      report = render::compare_report(
          compare::fisher_exact_test(t2,
                                     {.alternative = alternative_of(a), .level = level, .null_odds_ratio = a.null_or}),
          t2, digits);
    } else if (parsed == "proportions") {
      if (!a.labels.empty() && a.labels.size() != 2) throw UsageError("--labels takes two names: --labels A,B");
      const stats::EventCount g1{*a.x1, *a.n1}, g2{*a.x2, *a.n2};
      render::TwoProportions r{
          .group1 = g1,
          .group2 = g2,
          .nnt = stats::number_needed_to_treat(
              g1, g2,
              {.level = level,
               .method = a.wald ? stats::DifferenceMethod::wald : stats::DifferenceMethod::newcombe,
               .event = a.unfavourable ? stats::EventKind::unfavourable : stats::EventKind::favourable}),
          .relative_risk = stats::relative_risk(g1, g2, level)};
      const double events = g1.x + g2.x;
      if (events > 0 && events < g1.n + g2.n)
        r.test = compare::prop_test(g1, g2, {.level = level, .continuity = !a.no_correct});
      const render::GroupLabels labels =
          a.labels.empty() ? render::GroupLabels{} : render::GroupLabels{a.labels[0], a.labels[1]};
      report = render::compare_report(r, labels, digits);
    } else if (parsed == "proportion") {
      if (!a.x && !a.percent) throw UsageError("give the events with --x or --percent");
      const double x = a.x ? *a.x : *a.percent / 100 * *a.n;
      const stats::EventCount g{x, *a.n};
      render::OneProportion r{
          .wilson = stats::wilson_interval(g, {.level = level}),
          .test = compare::prop_test(
              g, {.alternative = alternative_of(a), .level = level, .continuity = !a.no_correct, .null_p = a.null_p})};
      if (x == std::floor(x))
        r.exact = compare::binom_test(g, {.alternative = alternative_of(a), .level = level, .null_p = a.null_p});
      report = render::compare_report(r, digits);
    } else if (parsed == "power-t" || parsed == "power-prop") {
      const compare::PowerOptions o{.sig_level = a.sig_level,
                                    .sides = a.one_sided ? compare::Sides::one_sided : compare::Sides::two_sided,
                                    .strict = a.strict};
      if (!a.power_n && !a.power) throw UsageError("give --n (to compute the power) or --power (to compute n)");
      if (parsed == "power-t")
        report = a.power_n ? render::compare_report(compare::power_t_test_power(*a.power_n, *a.delta, *a.sd, o), digits)
                           : render::compare_report(compare::power_t_test_n(*a.delta, *a.sd, *a.power, o), digits);
      else
        report = a.power_n ? render::compare_report(compare::power_prop_test_power(*a.power_n, *a.p1, *a.p2, o), digits)
                           : render::compare_report(compare::power_prop_test_n(*a.p1, *a.p2, *a.power, o), digits);
    }
    report_warnings(a.common, report.warnings, inv.err);
    emit(a.common, render::render_compare(report, render_style(a.common)), inputs, inv.out);
    return 0;
  };
  return {app, example, run};
}

}  // namespace trialstats::app
