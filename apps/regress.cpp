// trialstats regress: meta-regression of effect sizes on study-level moderators, with optional
// permutation tests; read → compute → render.
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "plots.hpp"
#include "progress.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/meta/permutation.hpp"
#include "trialstats/meta/predict.hpp"
#include "trialstats/meta/regression.hpp"
#include "trialstats/render/regression.hpp"

namespace trialstats::app {
namespace {

struct RegressArgs {
  CommonArgs common;
  std::string input;
  EscalcArgs escalc;
  std::vector<std::string> mods;
  std::vector<std::string> refs;  ///< COL=LEVEL
  bool no_intercept = false;
  std::vector<std::string> predict;  ///< NAME=VALUE,NAME=VALUE: one prediction per use
  std::string bubble;                ///< --bubble FILE.svg
  std::string method = "REML";
  std::string weights;  ///< --weights COL (GENQ)
  CLI::Option* threshold_option = nullptr;
  std::optional<double> tau2;
  meta::RegressionOptions options;
  std::vector<std::size_t> btt;  ///< 1-based, as metafor
  std::size_t permutations = 0;
  std::uint64_t seed = 1;
  bool exact = false;
  unsigned threads = 0;
};

const char* const long_description =
    R"(Mixed-effects meta-regression y = Xb + u + e of the effect sizes yi (sampling variances vi,
read from the file or computed from raw columns with --measure) on the moderators of --mods:
a numeric column is a numeric moderator, a text column a categorical one (dummy coding, the
first level in sorted order as reference; --ref COL=LEVEL to change it). tau^2 of the residual
heterogeneity by REML (default), ML, EB, PM, PMM, DL, HE, HS, HSk or SJ, GENQ with --weights COL
(generalised Q statistic; the coefficients use the same weights), EE for a fixed-effects model, or
fixed with --tau2. --metafor-stopping stops ML, REML and EB as metafor does. Wald z tests
(default), t, or Knapp-Hartung (--test knha, F test of moderators). Test of moderators QM (all
coefficients but the intercept, or --btt), residual heterogeneity QE, I^2, H^2 and the pseudo-R^2.
--predict NAME=VALUE,...: the predicted average effect at these moderator values (a number for a
numeric moderator, a level for a categorical one) with its CI and PI, as metafor's predict.rma.
--permutations N: permutation p-values as metafor's permutest (exact when the distinct
permutations are no more than N), reproducible with --seed.
Formulas: docs/methods.md, "Meta-regression", "Predicted values" and "Permutation tests".)";

int run_regress(RegressArgs a, const Invocation& inv) {
  a.common.command_line = inv.command_line;
  const effect::EscalcOptions escalc = a.escalc.resolve({});
  a.options.method = *meta::parse_tau2_method(a.method);
  if (a.tau2) {
    a.options.tau2 = a.tau2;
    a.options.method = meta::Tau2Method::fixed;
  }
  a.options.level = a.common.level / 100;
  resolve_convergence_options(a.options, *a.threshold_option);
  const bool genq = a.options.method == meta::Tau2Method::genq;
  if (!genq && !a.weights.empty())
    throw UsageError(fmt::format("--weights {}: weights are used by --method GENQ only (method {})", a.weights,
                                 a.tau2 ? std::string("fixed") : a.method));
  for (const auto b : a.btt) {
    if (b < 1) throw UsageError("--btt: coefficients are numbered from 1");
  }

  const io::Table table = io::read_csv(a.input, csv_options(a.common));
  const io::EffectTable effects = io::effects_from_table(table, io::ColumnRoles(a.common.column_map), escalc);

  std::map<std::string, std::string> refs;
  for (const auto& r : a.refs) {
    const auto eq = r.find('=');
    refs[r.substr(0, eq)] = r.substr(eq + 1);
  }
  for (const auto& [col, level] : refs)
    if (std::find(a.mods.begin(), a.mods.end(), col) == a.mods.end())
      throw UsageError(fmt::format("--ref {}={}: '{}' is not one of the moderators (--mods)", col, level, col));

  // Studies with a missing moderator are dropped, each named in a warning.
  render::RegressionReport report;
  report.file = effects.source;
  report.rows = table.rows();
  report.measure = std::string(effect::name(escalc.measure));
  report.moderators = a.mods;
  report.warnings = effects.warnings;
  for (const auto row : effects.dropped) report.dropped.push_back(table.line(row));
  const io::Column* weight_column = nullptr;
  if (genq)
    weight_column =
        a.weights.empty() ? io::ColumnRoles(a.common.column_map).find(table, "weights") : &table.column(a.weights);
  if (genq && !weight_column)
    throw UsageError("--method GENQ needs --weights COL: the weights of the generalised Q statistic, one per study");
  std::vector<const io::Column*> columns;
  for (const auto& m : a.mods) {
    const io::Column& c = table.column(m);
    if (c.is_numeric() && refs.count(m))
      throw UsageError(fmt::format("--ref {}={}: '{}' is a numeric moderator; a reference level needs a text column", m,
                                   refs[m], m));
    columns.push_back(&c);
  }
  std::vector<double> yi, vi;
  std::vector<meta::Moderator> moderators;
  for (std::size_t j = 0; j < a.mods.size(); ++j) {
    meta::Moderator m{.name = a.mods[j]};
    if (refs.count(a.mods[j])) m.reference = refs[a.mods[j]];
    moderators.push_back(std::move(m));
  }
  for (std::size_t i = 0; i < effects.yi.size(); ++i) {
    const std::size_t row = effects.rows[i];
    std::string missing;
    for (std::size_t j = 0; j < columns.size() && missing.empty(); ++j)
      if (columns[j]->is_missing(row)) missing = a.mods[j];
    if (missing.empty() && weight_column && weight_column->is_missing(row)) missing = weight_column->name();
    if (!missing.empty()) {
      report.dropped.push_back(table.line(row));
      report.warnings.push_back(
          {"moderator_missing", fmt::format("{}:{}: moderator '{}' is missing; the study is dropped", table.source(),
                                            table.line(row), missing)});
      continue;
    }
    yi.push_back(effects.yi[i]);
    vi.push_back(effects.vi[i]);
    if (weight_column) {
      const double w = weight_column->number(row);
      if (!(w > 0))
        throw InputError(weight_column->pos(row),
                         fmt::format("column '{}': a GENQ weight must be positive, got {}", weight_column->name(), w));
      a.options.genq_weights.push_back(w);
    }
    for (std::size_t j = 0; j < columns.size(); ++j) {
      if (columns[j]->is_numeric())
        moderators[j].numbers.push_back(columns[j]->numbers()[row]);
      else
        moderators[j].levels.push_back(columns[j]->text(row));
    }
  }
  std::sort(report.dropped.begin(), report.dropped.end());
  if (yi.empty()) throw NoResultError("no studies left after dropping rows with missing values");

  const meta::Design design = meta::build_design(moderators, yi.size(), !a.no_intercept);
  std::vector<std::vector<meta::ModeratorValue>> predict_at;
  for (const auto& text : a.predict) {
    try {
      predict_at.push_back(meta::parse_moderator_values(text, moderators));
    } catch (const UsageError& e) {
      throw UsageError(fmt::format("--predict {}: {}", text, e.what()));
    } catch (const DomainError& e) {
      throw DomainError(fmt::format("--predict {}: {}", text, e.what()));
    }
  }
  for (auto& b : a.btt) {
    if (b > static_cast<std::size_t>(design.x.cols()))
      throw UsageError(fmt::format("--btt {}: the model has {} coefficients", b, design.x.cols()));
  }
  report.fit = meta::meta_regress(yi, vi, design, a.options);
  report.predictions = meta::predict(report.fit, moderators, predict_at);
  if (!a.btt.empty()) {
    std::vector<std::size_t> btt;
    for (const auto b : a.btt) btt.push_back(b - 1);
    std::sort(btt.begin(), btt.end());
    btt.erase(std::unique(btt.begin(), btt.end()), btt.end());
    report.btt = meta::test_coefficients(report.fit, btt);
  }
  if (a.permutations > 0) {
    // A progress line on a terminal: permutations done of the total (every distinct one when exact).
    const double distinct = meta::distinct_permutations(design);
    const bool exact = a.exact || distinct <= static_cast<double>(a.permutations);
    const std::size_t total = exact && distinct < 1e18 ? static_cast<std::size_t>(distinct) : a.permutations;
    Progress progress("permutations", total);
    report.permutation = meta::permutation_test(yi, vi, design, a.options,
                                                {.iterations = a.permutations,
                                                 .seed = a.seed,
                                                 .exact = a.exact,
                                                 .threads = a.threads,
                                                 .progress = &progress.counter()});
  }
  if (!a.bubble.empty()) {
    if (moderators.size() != 1 || moderators[0].categorical() || a.no_intercept)
      throw UsageError("--bubble draws a regression on one numeric moderator with an intercept: give one numeric "
                       "column in --mods");
    const render::svg::BubbleInput bubble{.moderator = a.mods[0], .measure = report.measure,
                                          .log_scale = render::svg::ratio_measure(report.measure),
                                          .x = moderators[0].numbers, .yi = yi, .regression = &report.fit};
    write_plot(a.bubble, render::svg::bubble_plot(bubble), {a.input}, inv.out);
  }
  if (a.bubble != "-" || !a.common.output.empty())
    emit(a.common, render::render_regression(report, render_style(a.common)), {a.input}, inv.out);
  report_warnings(a.common, report.warnings, inv.err);
  report_warnings(a.common, report.fit.warnings, inv.err);
  if (report.permutation) report_warnings(a.common, report.permutation->warnings, inv.err);
  return 0;
}

}  // namespace

Subcommand add_regress_command(CLI::App& parent) {
  auto args = std::make_shared<RegressArgs>();
  CLI::App* app = parent.add_subcommand("regress", "Meta-regression on study-level moderators, with permutation tests");
  app->description(std::string("Meta-regression on study-level moderators, with permutation tests\n\n") +
                   long_description);
  app->add_option("file", args->input, "Trials CSV ('-' reads standard input)")->required();
  add_common_options(*app, args->common);
  add_escalc_options(*app, args->escalc, false);
  app->add_option("--mods", args->mods, "Moderator columns, comma-separated (text columns are categorical)")
      ->delimiter(',')
      ->required();
  app->add_option("--ref", args->refs, "Reference level of a categorical moderator: COL=LEVEL (repeatable)")
      ->check([](const std::string& s) {
        const auto eq = s.find('=');
        return (eq == std::string::npos || eq == 0 || eq + 1 == s.size()) ? "expected COL=LEVEL, got " + s
                                                                          : std::string();
      });
  app->add_flag("--no-intercept", args->no_intercept, "Leave the intercept out of the model");
  app->add_option("--predict", args->predict,
                  "Predicted effect at moderator values NAME=VALUE,... naming every moderator (repeatable: one "
                  "prediction per use)")
      ->allow_extra_args(false);
  app->add_option("--bubble", args->bubble,
                  "Write a bubble plot (SVG) of the regression on one numeric moderator ('-': standard output)");
  app->add_option("--method", args->method,
                  "tau^2 estimator: REML, ML, EB, PM, PMM, DL, HE, HS, HSk, SJ, GENQ (with --weights), or EE")
      ->check([](const std::string& s) {
        const auto m = meta::parse_tau2_method(s);
        if (!m || *m == meta::Tau2Method::fixed) return "unknown method " + s;
        return std::string();
      })
      ->capture_default_str();
  app->add_option("--weights", args->weights,
                  "GENQ: column of the study weights of the generalised Q statistic (also the coefficients' weights)");
  app->add_option("--tau2", args->tau2, "Fix tau^2 at this value")->check(CLI::NonNegativeNumber);
  app->add_option("--test", args->options.test, "Tests of the coefficients: z, t or knha (F test of moderators)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, meta::TestMethod>{
          {"z", meta::TestMethod::z}, {"t", meta::TestMethod::t}, {"knha", meta::TestMethod::knha}}))
      ->default_str("z");
  app->add_option("--btt", args->btt, "Also test these coefficients (1-based, comma-separated), as metafor's btt")
      ->delimiter(',');
  args->threshold_option = add_convergence_options(*app, args->options);
  app->add_option("--permutations", args->permutations,
                  "Permutation test with N permutations (the data counted as one)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{100'000'000}));
  app->add_option("--seed", args->seed, "Seed of the permutations")->capture_default_str()->needs("--permutations");
  app->add_flag("--exact", args->exact, "Enumerate every distinct permutation")->needs("--permutations");
  app->add_option("--threads", args->threads, "Worker threads of the permutation test (default: all cores)")
      ->check(CLI::PositiveNumber);
  const std::string example =
      "trialstats regress data/bcg.csv --measure RR --col ai=tpos --col bi=tneg --col ci=cpos --col di=cneg --col "
      "study=author --mods ablat";
  app->footer("Example:\n  " + example);
  return {app, example, [args](const Invocation& inv) { return run_regress(*args, inv); }};
}

}  // namespace trialstats::app
