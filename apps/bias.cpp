// trialstats bias: small-study effects — Egger's regression test, the rank correlation test, trim and
// fill, fail-safe N and PET-PEESE.
#include <map>
#include <memory>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "plots.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/meta/bias.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/render/bias.hpp"

namespace trialstats::app {
namespace {

struct BiasArgs {
  CommonArgs common;
  std::string input;
  EscalcArgs escalc;
  std::string method = "REML";
  std::optional<double> tau2;
  meta::PoolOptions pool;
  std::vector<meta::EggerModel> egger;
  bool rank = false;
  std::optional<meta::TrimFillEstimator> trimfill;
  std::optional<meta::FunnelSide> side;
  std::optional<meta::FsnType> fsn;
  std::optional<double> target;
  double fsn_alpha = 0.05;
  bool pet_peese = false;
  double pet_alpha = 0.10;
  bool pet_one_sided = false;
  std::string funnel;  ///< --funnel FILE.svg
};

/// A check with a plain message before the mapping to an enum (CLI11's own message lists the mapping).
CLI::Validator one_of(std::vector<std::string> names) {
  return CLI::Validator(
      [names](const std::string& s) {
        for (const auto& n : names)
          if (CLI::detail::to_lower(n) == CLI::detail::to_lower(s)) return std::string();
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        return fmt::format("expected one of {}, got '{}'", list, s);
      },
      "", "one_of");
}

template <class T>
void append(Warnings& to, const T& from) {
  to.insert(to.end(), from.begin(), from.end());
}

int run_bias(BiasArgs args, const Invocation& inv) {
  args.common.command_line = inv.command_line;
  const effect::EscalcOptions escalc = args.escalc.resolve({});
  args.pool.method = *meta::parse_tau2_method(args.method);
  if (args.tau2) args.pool.tau2 = args.tau2;
  args.pool.level = args.common.level / 100;
  args.pool.tau2_ci = false;
  if (args.target && args.fsn != meta::FsnType::orwin)
    throw UsageError("--target is the effect size Orwin's fail-safe N reduces to: use it with --fsn Orwin");
  const bool all = args.egger.empty() && !args.rank && !args.trimfill && !args.fsn && !args.pet_peese;
  if (all) {
    args.egger = {meta::EggerModel::rma, meta::EggerModel::lm};
    args.rank = args.pet_peese = true;
    args.trimfill = meta::TrimFillEstimator::l0;
    args.fsn = meta::FsnType::rosenthal;
  }
  if (args.side && !args.trimfill) args.trimfill = meta::TrimFillEstimator::l0;

  const io::Table table = io::read_csv(args.input, csv_options(args.common));
  const io::EffectTable effects = io::effects_from_table(table, io::ColumnRoles(args.common.column_map), escalc);
  if (effects.yi.size() < 3)
    throw NoResultError(fmt::format("small-study-effect methods need at least 3 studies, got {}", effects.yi.size()));

  render::BiasReport r;
  r.file = effects.source;
  r.rows = table.rows();
  for (const auto row : effects.dropped) r.dropped.push_back(table.line(row));
  r.measure = std::string(effect::name(escalc.measure));
  r.study = effects.study;
  r.yi = effects.yi;
  r.vi = effects.vi;
  r.warnings = effects.warnings;
  r.fit = meta::pool(r.yi, r.vi, args.pool);
  r.method = std::string(meta::name(r.fit.method));
  append(r.warnings, r.fit.warnings);
  meta::PoolOptions model = args.pool;
  model.method = r.fit.method == meta::Tau2Method::fixed ? args.pool.method : r.fit.method;
  for (const auto m : args.egger) {
    r.egger.push_back(meta::egger_test(r.yi, r.vi, {.model = m, .pool = model}));
    append(r.warnings, r.egger.back().warnings);
  }
  if (args.rank) {
    r.rank = meta::rank_test(r.yi, r.vi);
    append(r.warnings, r.rank->warnings);
  }
  if (args.trimfill) {
    r.trimfill = meta::trim_and_fill(r.yi, r.vi, {.estimator = *args.trimfill, .side = args.side, .pool = model});
    append(r.warnings, r.trimfill->warnings);
  }
  if (args.fsn)
    r.fsn = meta::fail_safe_n(r.yi, r.vi, {.type = *args.fsn, .alpha = args.fsn_alpha, .target = args.target});
  if (args.pet_peese) {
    r.pet_peese = meta::pet_peese(r.yi, r.vi,
                                  {.alpha = args.pet_alpha, .one_sided = args.pet_one_sided, .level = args.pool.level});
    append(r.warnings, r.pet_peese->warnings);
  }
  if (!args.funnel.empty())
    write_plot(args.funnel, bias_funnel(r.measure, r.study, r.yi, r.vi, r.fit, r.trimfill), {args.input}, inv.out);
  if (args.funnel != "-" || !args.common.output.empty())
    emit(args.common, render::render_bias(r, render_style(args.common)), {args.input}, inv.out);
  report_warnings(args.common, r.warnings, inv.err);
  return 0;
}

}  // namespace

Subcommand add_bias_command(CLI::App& parent) {
  auto args = std::make_shared<BiasArgs>();
  CLI::App* app =
      parent.add_subcommand("bias", "Small-study effects: Egger, rank test, trim and fill, fail-safe N, PET-PEESE");
  app->description(
      "Small-study effects: Egger, rank test, trim and fill, fail-safe N, PET-PEESE\n\n"
      "Egger's regression test (--egger rma: mixed-effects meta-regression on the standard error, metafor's\n"
      "regtest default; --egger lm: weighted regression with multiplicative dispersion, Egger et al. 1997)\n"
      "with the limit estimate as sei -> 0; Begg & Mazumdar's rank correlation test; trim and fill (Duval &\n"
      "Tweedie 2000, L0 or R0); fail-safe N (Rosenthal, Orwin, Rosenberg); PET-PEESE (Stanley & Doucouliagos\n"
      "2014). Default: all of them (Egger in both forms, trim and fill L0, fail-safe N Rosenthal).\n"
      "Formulas: docs/methods.md.");
  app->add_option("file", args->input, "Trials CSV ('-' reads standard input)")->required();
  add_common_options(*app, args->common);
  add_escalc_options(*app, args->escalc, false);
  app->add_option("--egger", args->egger,
                  "Egger's regression test: rma (mixed-effects) or lm (weighted regression); repeatable")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, meta::EggerModel>{{"rma", meta::EggerModel::rma}, {"lm", meta::EggerModel::lm}},
          CLI::ignore_case))
      ->transform(one_of({"rma", "lm"}))
      ->option_text("rma|lm");
  app->add_flag("--rank", args->rank, "Begg and Mazumdar's rank correlation test");
  app->add_option("--trimfill", args->trimfill, "Trim and fill with estimator L0 or R0")
      ->transform(
          CLI::CheckedTransformer(std::map<std::string, meta::TrimFillEstimator>{{"L0", meta::TrimFillEstimator::l0},
                                                                                 {"R0", meta::TrimFillEstimator::r0}},
                                  CLI::ignore_case))
      ->transform(one_of({"L0", "R0"}))
      ->option_text("L0|R0");
  app->add_option("--funnel", args->funnel,
                  "Write a contour-enhanced funnel plot (SVG) to this file ('-': standard output); trim and fill's "
                  "filled studies as open markers");
  app->add_option("--side", args->side,
                  "Trim and fill: side of the funnel plot with missing studies (default: from Egger's slope)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, meta::FunnelSide>{{"left", meta::FunnelSide::left}, {"right", meta::FunnelSide::right}},
          CLI::ignore_case))
      ->transform(one_of({"left", "right"}))
      ->option_text("left|right");
  app->add_option("--fsn", args->fsn, "Fail-safe N: Rosenthal, Orwin or Rosenberg")
      ->transform(CLI::CheckedTransformer(std::map<std::string, meta::FsnType>{{"Rosenthal", meta::FsnType::rosenthal},
                                                                               {"Orwin", meta::FsnType::orwin},
                                                                               {"Rosenberg", meta::FsnType::rosenberg}},
                                          CLI::ignore_case))
      ->transform(one_of({"Rosenthal", "Orwin", "Rosenberg"}))
      ->option_text("Rosenthal|Orwin|Rosenberg");
  app->add_option("--target", args->target,
                  "Orwin's fail-safe N: the effect size to reduce the mean to (default: half of it)");
  app->add_option("--fsn-alpha", args->fsn_alpha, "Fail-safe N (Rosenthal, Rosenberg): significance level")
      ->check(CLI::Range(1e-10, 0.999999))
      ->capture_default_str();
  app->add_flag("--pet-peese", args->pet_peese, "PET-PEESE conditional estimate");
  app->add_option("--pet-alpha", args->pet_alpha, "PET-PEESE: PEESE when PET's intercept has p below this")
      ->check(CLI::Range(1e-10, 0.999999))
      ->capture_default_str();
  app->add_flag("--pet-one-sided", args->pet_one_sided,
                "PET-PEESE: one-sided p of PET's intercept (default two-sided)");
  app->add_option("--method", args->method, "tau^2 estimator (REML, DL, HE, HS, HSk, SJ, ML, EB, PM, PMM) or EE")
      ->check([](const std::string& s) {
        const auto m = meta::parse_tau2_method(s);
        return m && *m != meta::Tau2Method::genq && *m != meta::Tau2Method::fixed ? std::string()
                                                                                  : "unknown method " + s;
      })
      ->capture_default_str();
  app->add_option("--tau2", args->tau2, "Fix tau^2 at this value")->check(CLI::NonNegativeNumber);
  app->add_option("--test", args->pool.test, "Test of the pooled estimate and of Egger's rma form: z, t or knha")
      ->transform(CLI::CheckedTransformer(std::map<std::string, meta::TestMethod>{
          {"z", meta::TestMethod::z}, {"t", meta::TestMethod::t}, {"knha", meta::TestMethod::knha}}))
      ->default_str("z");
  CLI::Option* threshold = add_convergence_options(*app, args->pool);
  const std::string example =
      "trialstats bias data/bcg.csv --measure RR --col ai=tpos --col bi=tneg --col ci=cpos "
      "--col di=cneg --egger rma --trimfill L0";
  app->footer("Example:\n  " + example);
  return {app, example, [args, threshold](const Invocation& inv) {
            resolve_convergence_options(args->pool, *threshold);
            return run_bias(*args, inv);
          }};
}

}  // namespace trialstats::app
