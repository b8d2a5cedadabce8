// trialstats sensitivity: leave-one-out, cumulative meta-analysis, influence diagnostics and Baujat
// coordinates of a pooled analysis.
#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <numeric>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "plots.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/meta/sensitivity.hpp"
#include "trialstats/render/sensitivity.hpp"
#include "trialstats/render/svg/baujat.hpp"

namespace trialstats::app {
namespace {

struct SensitivityArgs {
  CommonArgs common;
  std::string input;
  EscalcArgs escalc;
  std::string method = "REML";
  std::optional<double> tau2;
  meta::PoolOptions pool;
  bool leave1out = false, cumul = false, influence = false, baujat = false, descending = false;
  std::string order;
  std::string baujat_plot;  ///< --baujat-plot FILE.svg
  int threads = 0;
};

std::map<std::string, meta::TestMethod> test_methods() {
  return {{"z", meta::TestMethod::z}, {"t", meta::TestMethod::t}, {"knha", meta::TestMethod::knha}};
}

/// The sort key of each study from the column `name`: numbers as they are, text by its rank.
std::vector<double> order_key(const io::Table& table, const io::EffectTable& effects, const std::string& name) {
  const io::Column& col = table.column(name);
  std::vector<double> key(effects.rows.size());
  if (col.is_numeric()) {
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = col.numbers()[effects.rows[i]];
    for (std::size_t i = 0; i < key.size(); ++i)
      if (std::isnan(key[i]))
        throw InputError(
            {effects.source, table.line(effects.rows[i]), 0},
            fmt::format("column '{}': the order of the cumulative analysis needs a value in every used row", name));
    return key;
  }
  std::vector<std::string> text(key.size());
  for (std::size_t i = 0; i < key.size(); ++i) text[i] = col.text(effects.rows[i]);
  std::vector<std::size_t> idx(key.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return text[a] < text[b]; });
  for (std::size_t r = 0; r < idx.size(); ++r)
    key[idx[r]] = r > 0 && text[idx[r]] == text[idx[r - 1]] ? key[idx[r - 1]] : static_cast<double>(r);
  return key;
}

int run_sensitivity(SensitivityArgs args, const Invocation& inv) {
  args.common.command_line = inv.command_line;
  const effect::EscalcOptions escalc = args.escalc.resolve({});
  args.pool.method = *meta::parse_tau2_method(args.method);
  if (args.tau2) args.pool.tau2 = args.tau2;
  args.pool.level = args.common.level / 100;
  args.pool.tau2_ci = false;
  if (!args.leave1out && !args.cumul && !args.influence && !args.baujat) args.leave1out = args.influence = true;
  if (!args.order.empty()) args.cumul = true;
  if (!args.baujat_plot.empty()) args.baujat = true;

  const io::Table table = io::read_csv(args.input, csv_options(args.common));
  const io::EffectTable effects = io::effects_from_table(table, io::ColumnRoles(args.common.column_map), escalc);
  if (effects.yi.empty()) throw NoResultError("no studies to analyse (every row was dropped)");
  if (effects.yi.size() < 2) throw NoResultError("sensitivity analyses need at least 2 studies, got 1");

  render::SensitivityReport r;
  r.file = effects.source;
  r.rows = table.rows();
  for (const auto row : effects.dropped) r.dropped.push_back(table.line(row));
  r.measure = std::string(effect::name(escalc.measure));
  r.study = effects.study;
  r.yi = effects.yi;
  r.vi = effects.vi;
  r.warnings = effects.warnings;
  const meta::Sensitivity s = meta::sensitivity(r.yi, r.vi, {.pool = args.pool, .threads = args.threads});
  r.full = s.full;
  r.method = std::string(meta::name(s.full.method));
  r.warnings.insert(r.warnings.end(), s.full.warnings.begin(), s.full.warnings.end());
  r.warnings.insert(r.warnings.end(), s.leave1out.warnings.begin(), s.leave1out.warnings.end());
  if (args.leave1out) r.leave1out = s.leave1out;
  if (args.influence) r.influence = s.influence;
  if (args.baujat) r.baujat = s.baujat;
  if (args.cumul) {
    const std::vector<double> key = args.order.empty() ? std::vector<double>{} : order_key(table, effects, args.order);
    meta::PoolOptions o = args.pool;
    o.method = s.full.method;
    r.cumulative = meta::cumulative(r.yi, r.vi, key, o, args.descending);
    r.order_column = args.order;
    r.descending = args.descending;
    r.warnings.insert(r.warnings.end(), r.cumulative->warnings.begin(), r.cumulative->warnings.end());
  }
  if (!args.baujat_plot.empty())
    write_plot(args.baujat_plot, render::svg::baujat_plot(s.baujat, r.study), {args.input}, inv.out);
  if (args.baujat_plot != "-" || !args.common.output.empty())
    emit(args.common, render::render_sensitivity(r, render_style(args.common)), {args.input}, inv.out);
  report_warnings(args.common, r.warnings, inv.err);
  return 0;
}

}  // namespace

Subcommand add_sensitivity_command(CLI::App& parent) {
  auto args = std::make_shared<SensitivityArgs>();
  CLI::App* app = parent.add_subcommand("sensitivity", "Leave-one-out, cumulative, influence and Baujat analyses");
  app->description(
      "Leave-one-out, cumulative, influence and Baujat analyses\n\n"
      "Refits the model without each study (leave-one-out, as metafor's leave1out), adding studies one at a\n"
      "time (--cumul, ordered by --order COL), and reports case-deletion diagnostics (Viechtbauer & Cheung\n"
      "2010: externally standardised residuals, DFFITS, Cook's distance, covariance ratio, tau^2 and Q\n"
      "without the study, hat values, weights, DFBETAS, metafor's influential flag) and Baujat et al.\n"
      "(2002) coordinates. Default: leave-one-out and influence. Formulas: docs/methods.md.");
  app->add_option("file", args->input, "Trials CSV ('-' reads standard input)")->required();
  add_common_options(*app, args->common);
  add_escalc_options(*app, args->escalc, false);
  app->add_flag("--leave1out", args->leave1out, "Leave-one-out analysis");
  app->add_flag("--cumul", args->cumul, "Cumulative meta-analysis (input order, or --order COL)");
  app->add_option("--order", args->order, "Column to order the cumulative analysis by (ascending; implies --cumul)");
  app->add_flag("--descending", args->descending, "Order the cumulative analysis by --order descending")
      ->needs("--order");
  app->add_flag("--influence", args->influence, "Influence diagnostics");
  app->add_flag("--baujat", args->baujat, "Baujat coordinates (contribution to Q, influence on the estimate)");
  app->add_option("--baujat-plot", args->baujat_plot, "Write a Baujat plot (SVG) to this file ('-': standard output)");
  app->add_option("--method", args->method, "tau^2 estimator (REML, DL, HE, HS, HSk, SJ, ML, EB, PM, PMM) or EE")
      ->check([](const std::string& s) {
        const auto m = meta::parse_tau2_method(s);
        return m && *m != meta::Tau2Method::genq && *m != meta::Tau2Method::fixed ? std::string()
                                                                                  : "unknown method " + s;
      })
      ->capture_default_str();
  app->add_option("--tau2", args->tau2, "Fix tau^2 at this value")->check(CLI::NonNegativeNumber);
  app->add_option("--test", args->pool.test, "Test of the pooled estimate: z, t or knha")
      ->transform(CLI::CheckedTransformer(test_methods()))
      ->default_str("z");
  CLI::Option* threshold = add_convergence_options(*app, args->pool);
  app->add_option("--threads", args->threads, "Worker threads for the refits (default: all cores)")
      ->check(CLI::PositiveNumber);
  const std::string example =
      "trialstats sensitivity data/bcg.csv --measure RR --col ai=tpos --col bi=tneg "
      "--col ci=cpos --col di=cneg --influence --baujat";
  app->footer("Example:\n  " + example);
  return {app, example, [args, threshold](const Invocation& inv) {
            resolve_convergence_options(args->pool, *threshold);
            return run_sensitivity(*args, inv);
          }};
}

}  // namespace trialstats::app
