// trialstats pool: read a trials CSV, compute or read effect sizes, pool them, render.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "plots.hpp"
#include "progress.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/effect/binary.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/meta/binary_pooling.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/meta/profile.hpp"
#include "trialstats/meta/subgroup.hpp"
#include "trialstats/render/pool.hpp"

namespace trialstats::app {
namespace {

struct PoolArgs {
  CommonArgs common;
  std::string input;
  EscalcArgs escalc;
  effect::EscalcOptions effects;          ///< resolved: profile, then the command line
  std::string profile = "metafor";
  std::string method = "REML";
  std::optional<double> tau2;
  meta::PoolOptions pool;
  std::string pi_df = "test";
  std::optional<meta::MhMeasure> binary;  ///< set for --method MH or PETO
  meta::BinaryPoolingOptions binary_options;
  CLI::Option *method_option = nullptr, *test_option = nullptr, *pi_option = nullptr, *i2_option = nullptr;
  std::vector<std::string> fallback;
  std::vector<double> weights;            ///< the 'weights' column of the used rows (GENQ), aligned with the effects
  CLI::Option* threshold_option = nullptr;
  bool no_tau2_ci = false;
  render::PoolRenderOptions render;
  bool no_studies = false;
  std::string by;
  std::string subgroup;  ///< --subgroup COL
  std::string shard;  ///< "i/n"
  int threads = 0;
  PlotArgs plots;  ///< --forest, --funnel and their options
};

/// The analysis of one set of studies, as the report shows it.
render::PoolReport analyse(const PoolArgs& args, const io::EffectTable& effects, const std::vector<std::size_t>& subset) {
  render::PoolReport r;
  r.file = effects.source;
  r.measure = std::string(effect::name(args.effects.measure));
  r.profile = args.profile;
  r.i2_definition = args.pool.i2;
  for (const auto i : subset) {
    r.study.push_back(effects.study[i]);
    r.yi.push_back(effects.yi[i]);
    r.vi.push_back(effects.vi[i]);
  }
  if (r.yi.empty()) throw NoResultError("no studies to pool (every row was dropped or the group is empty)");
  if (args.binary) {
    // Mantel-Haenszel or Peto on the counts; the study outcomes are the ones these methods define.
    std::vector<double> ai, bi, ci, di;
    const bool group_sizes = !effects.inputs.contains("bi");  // ai n1i ci n2i
    for (const auto i : subset) {
      auto count = [&](const char* role) { return effects.inputs.at(role)[i]; };
      const effect::Table2x2 t = group_sizes ? effect::table_from_group_sizes(count("ai"), count("n1i"), count("ci"), count("n2i"))
                                             : effect::Table2x2{count("ai"), count("bi"), count("ci"), count("di")};
      ai.push_back(t.ai);
      bi.push_back(t.bi);
      ci.push_back(t.ci);
      di.push_back(t.di);
    }
    const meta::Tables2x2 tables{ai, bi, ci, di};
    auto optional_values = [](const std::vector<std::optional<double>>& v) {
      std::vector<double> out;
      for (const auto& x : v) out.push_back(x.value_or(std::nan("")));
      return out;
    };
    if (*args.binary == meta::MhMeasure::odds_ratio && args.method == "PETO") {
      const meta::PetoResult res = meta::peto(tables, args.binary_options);
      r.method = "PETO";
      r.i2_definition = meta::I2Definition::q;
      r.fit = meta::as_pooled_effect(res);
      r.yi = optional_values(res.yi);
      r.vi = optional_values(res.vi);
    } else {
      const meta::MantelHaenszelResult res = meta::mantel_haenszel(tables, args.binary_options);
      r.method = "MH";
      r.i2_definition = meta::I2Definition::q;
      r.fit = meta::as_pooled_effect(res);
      r.yi = optional_values(res.yi);
      r.vi = optional_values(res.vi);
      if (res.cmh) r.tests.push_back({"Cochran-Mantel-Haenszel Test", "cmh", "CMH", *res.cmh});
      if (res.tarone) r.tests.push_back({"Tarone's Test for Heterogeneity", "tarone", "X^2", *res.tarone});
      if (res.breslow_day) r.tests.push_back({"Breslow-Day Test", "breslow_day", "X^2", *res.breslow_day});
    }
  } else if (args.weights.empty()) {
    r.fit = meta::pool(r.yi, r.vi, args.pool);
    r.method = std::string(meta::name(r.fit.method));
  } else {
    meta::PoolOptions options = args.pool;
    for (const auto i : subset) options.genq_weights.push_back(args.weights[i]);
    r.fit = meta::pool(r.yi, r.vi, options);
    r.method = std::string(meta::name(r.fit.method));
  }
  const auto m = args.effects.measure;
  const auto scale = effect::info(m).scale;
  if (scale != effect::Scale::identity) {
    // PFT back-transforms with the harmonic mean of the sample sizes (metafor's transf.ipft.hm).
    std::vector<double> ni;
    if (m == effect::Measure::pft)
      for (const auto i : subset) ni.push_back(effects.ni[i]);
    const double n = ni.empty() ? 0 : effect::harmonic_mean(ni);
    auto back = [&](double y) { return effect::back_transform(m, y, n); };
    r.transformed = render::BackTransformed{std::string(effect::name(scale)), back(r.fit.estimate),
                                            {back(r.fit.ci.lower), back(r.fit.ci.upper)},
                                            {back(r.fit.pi.lower), back(r.fit.pi.upper)}};
  }
  return r;
}

std::pair<std::size_t, std::size_t> parse_shard(const std::string& s) {
  const auto slash = s.find('/');
  const auto i = std::stoul(s.substr(0, slash)), n = std::stoul(s.substr(slash + 1));
  return {i, n};
}

// The groups of `by` in order of first appearance (also those whose every row was dropped), each
// with the indices of its studies in `effects`.
struct Groups {
  std::vector<std::string> names;
  std::vector<std::vector<std::size_t>> members;
};

Groups group_studies(const io::Column& by, const io::EffectTable& effects, std::size_t rows) {
  Groups g;
  std::vector<std::size_t> group_of_row(rows);
  auto assign = [&](auto key_of) {  // key_of(row): a hashable key of the row's group value
    std::unordered_map<decltype(key_of(std::size_t{0})), std::size_t> index;
    for (std::size_t row = 0; row < rows; ++row) {
      auto [it, inserted] = index.try_emplace(key_of(row), g.names.size());
      if (inserted) g.names.push_back(by.text(row));
      group_of_row[row] = it->second;
    }
  };
  if (by.is_numeric()) assign([&](std::size_t row) { return by.numbers()[row]; });  // no text per row
  else assign([&](std::size_t row) { return by.text(row); });
  g.members.resize(g.names.size());
  for (std::size_t i = 0; i < effects.rows.size(); ++i) g.members[group_of_row[effects.rows[i]]].push_back(i);
  return g;
}

int run_batch(const PoolArgs& args, const io::Table& table, const io::EffectTable& effects, const Invocation& inv) {
  Groups groups = group_studies(table.column(args.by), effects, table.rows());
  std::vector<std::size_t> mine;  // indices into groups, this shard's
  const auto [shard, shards] = args.shard.empty() ? std::pair<std::size_t, std::size_t>{1, 1} : parse_shard(args.shard);
  for (std::size_t g = shard - 1; g < groups.names.size(); g += shards) mine.push_back(g);

  // Workers take the next group, analyse it and, for the streaming formats, render its line at once.
  const render::RenderStyle style = render_style(args.common);
  const bool streaming = style.format == render::OutputFormat::csv || style.format == render::OutputFormat::json;
  std::vector<render::BatchEntry> entries(mine.size());
  std::vector<std::string> lines(streaming ? mine.size() : 0);
  std::atomic<std::size_t> next{0};
  Progress progress("pool: analyses", mine.size());
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < mine.size();) {
      render::BatchEntry& e = entries[i];
      e.group = groups.names[mine[i]];
      try {
        e.report = analyse(args, effects, groups.members[mine[i]]);
      } catch (const Error& err) {
        e.error = err.what();
      }
      if (streaming) {
        lines[i] = render::render_pool_batch_line(args.by, e, style, args.render);
        e = {};
      }
      progress.tick();
    }
  };
  const unsigned n_threads =
      args.threads > 0 ? unsigned(args.threads) : std::max(1u, std::thread::hardware_concurrency());
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 1; t < n_threads; ++t) workers.emplace_back(work);
    work();
  }
  std::string out;
  if (streaming) {
    out = render::render_pool_batch_head(args.by, style);
    for (const auto& line : lines) out += line;
  } else {
    out = render::render_pool_batch(args.by, entries, style, args.render);
  }
  emit(args.common, out, {args.input}, inv.out);
  return 0;
}

int run_pool(PoolArgs args, const Invocation& inv) {
  args.common.command_line = inv.command_line;
  // The profile's conventions first, then whatever the command line says explicitly.
  const meta::ProfileSettings profile = meta::profile_settings(*meta::parse_profile(args.profile));
  const meta::PoolOptions defaults = profile.pool_options();
  args.effects = args.escalc.resolve(profile.escalc_options(args.escalc.escalc.measure));
  for (char& c : args.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (args.method == "MH" || args.method == "PETO") {
    const auto m = args.effects.measure;
    using effect::Measure;
    if (args.method == "PETO" && m != Measure::or_ && m != Measure::peto)
      throw UsageError(fmt::format("--method PETO pools odds ratios from 2x2 counts: use --measure OR or PETO, not {}",
                                   effect::name(m)));
    if (args.method == "MH" && m != Measure::or_ && m != Measure::rr && m != Measure::rd)
      throw UsageError(fmt::format("--method MH pools 2x2 counts: use --measure OR, RR or RD, not {}", effect::name(m)));
    args.binary = m == Measure::rr ? meta::MhMeasure::risk_ratio
                  : m == Measure::rd ? meta::MhMeasure::risk_difference
                                     : meta::MhMeasure::odds_ratio;
    args.binary_options = profile.binary_pooling_options(*args.binary);
    args.binary_options.level = args.common.level / 100;
  } else {
    args.pool.method = args.method_option->count() > 0 ? *meta::parse_tau2_method(args.method) : defaults.method;
  }
  if (args.test_option->count() == 0) args.pool.test = defaults.test;
  if (args.i2_option->count() == 0) args.pool.i2 = defaults.i2;
  args.pool.pi = args.pi_option->count() == 0  ? defaults.pi
                 : args.pi_df == "k-2"          ? meta::PiMethod::t_k_minus_2
                                                : meta::PiMethod::same_as_test;
  if (args.tau2) {
    args.pool.tau2 = args.tau2;
    args.pool.method = meta::Tau2Method::fixed;
  }
  args.pool.level = args.common.level / 100;
  if (args.pool.metafor_stopping && args.threshold_option->count() == 0) args.pool.threshold = 1e-5;  // metafor's default
  args.pool.tau2_ci = !args.no_tau2_ci;
  for (const auto& f : args.fallback) args.pool.fallback.push_back(*meta::parse_tau2_method(f));
  args.render.studies = !args.no_studies;

  const io::Table table = io::read_csv(args.input, {.delimiter = 0});
  const io::EffectTable effects = io::effects_from_table(table, io::ColumnRoles(args.common.column_map), args.effects);
  if (const io::Column* weights = io::ColumnRoles(args.common.column_map).find(table, "weights"))
    for (const auto row : effects.rows) args.weights.push_back(weights->number(row));
  if (!args.by.empty() && (!args.plots.forest.empty() || !args.plots.funnel.empty()))
    throw UsageError("--forest and --funnel draw one analysis; they cannot be combined with --by");
  if (!args.by.empty()) return run_batch(args, table, effects, inv);

  std::vector<std::size_t> all(effects.yi.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  render::PoolReport report = analyse(args, effects, all);
  report.rows = table.rows();
  for (const auto row : effects.dropped) report.dropped.push_back(table.line(row));
  report.warnings = effects.warnings;
  if (!args.subgroup.empty()) {
    if (args.binary) throw UsageError("--subgroup pools by inverse variance; it cannot be combined with --method MH or PETO");
    const io::Column& column = table.column(args.subgroup);
    std::vector<std::string> labels;
    for (const auto row : effects.rows) {
      if (column.is_missing(row))
        throw InputError(column.pos(row), fmt::format("column '{}': the subgroup is missing", args.subgroup));
      labels.push_back(column.text(row));
    }
    report.subgroup_column = args.subgroup;
    report.subgroups = meta::subgroup_analysis(effects.yi, effects.vi, labels, args.pool);
    report_warnings(args.common, report.subgroups->warnings, inv.err);
  }
  write_pool_plots(args.plots, report, table, effects, {args.input}, inv.out);
  if (!plot_to_stdout(args.plots) || !args.common.output.empty())
    emit(args.common, render::render_pool(report, render_style(args.common), args.render), {args.input}, inv.out);
  report_warnings(args.common, report.warnings, inv.err);
  report_warnings(args.common, report.fit.warnings, inv.err);
  return 0;
}

}  // namespace

Subcommand add_pool_command(CLI::App& parent) {
  auto args = std::make_shared<PoolArgs>();
  CLI::App* app = parent.add_subcommand("pool", "Pool effect sizes: common- or random-effects meta-analysis");
  app->description(
      "Pool effect sizes: common- or random-effects meta-analysis\n\n"
      "Inverse-variance pooling of yi with sampling variances vi (read from the file, or computed from raw\n"
      "columns with --measure). tau^2 by REML (default) or DL, HE, HS, HSk, SJ, ML, EB, PM, PMM, GENQ; EE\n"
      "for the common-effect model. Wald z tests (default), t, or Knapp-Hartung (--test knha); prediction\n"
      "interval; Cochran's Q, I^2, H^2 and Q-profile CIs (Viechtbauer 2007). Formulas: docs/methods.md.");
  app->add_option("file", args->input, "Trials CSV ('-' reads standard input)")->required();
  add_common_options(*app, args->common);
  add_escalc_options(*app, args->escalc, false);
  app->add_option("--profile", args->profile, "Conventions of metafor, meta, revman5 or stata (docs/methods.md)")
      ->check([](const std::string& s) {
        return meta::parse_profile(s) ? std::string() : "expected metafor, meta, revman5 or stata, got " + s;
      })
      ->capture_default_str();
  args->method_option =
      app->add_option("--method", args->method, "tau^2 estimator (REML, DL, HE, HS, HSk, SJ, ML, EB, PM, PMM, GENQ), EE, or MH / PETO for 2x2 counts")
          ->check([](const std::string& s) {
            const bool binary = s == "MH" || s == "mh" || s == "PETO" || s == "peto" || s == "Peto";
            return binary || meta::parse_tau2_method(s) ? std::string() : "unknown method " + s;
          })
          ->capture_default_str();
  app->add_option("--tau2", args->tau2, "Fix tau^2 at this value")->check(CLI::NonNegativeNumber);
  args->test_option = app->add_option("--test", args->pool.test, "Test of the pooled estimate: z, t or knha")
      ->transform(CLI::CheckedTransformer(std::map<std::string, meta::TestMethod>{
          {"z", meta::TestMethod::z}, {"t", meta::TestMethod::t}, {"knha", meta::TestMethod::knha}}))
      ->default_str("z");
  args->pi_option = app->add_option("--pi-df", args->pi_df, "Prediction interval: as the test (normal for z), or t with k-2 df")
      ->check(CLI::IsMember({"test", "k-2"}))
      ->capture_default_str();
  args->i2_option = app->add_option("--i2", args->pool.i2, "I^2 and H^2 from tau^2 (metafor) or from Q (Higgins & Thompson)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, meta::I2Definition>{{"tau2", meta::I2Definition::tau2}, {"q", meta::I2Definition::q}}))
      ->default_str("tau2");
  args->threshold_option = app->add_option("--threshold", args->pool.threshold, "Convergence threshold of iterative estimators")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app->add_option("--max-iter", args->pool.max_iter, "Iterations of iterative estimators")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app->add_option("--step-adj", args->pool.step_adj, "Step length factor of Fisher scoring")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app->add_flag("--metafor-stopping", args->pool.metafor_stopping,
                "Stop iterating as metafor does (|change of tau^2| < threshold), for reproducing its figures");
  app->add_option("--fallback", args->fallback, "Estimators to try, in order, when --method does not converge")
      ->delimiter(',')
      ->check([](const std::string& s) {
        return meta::parse_tau2_method(s) ? std::string() : "unknown estimator " + s;
      });
  app->add_flag("--no-tau2-ci", args->no_tau2_ci, "Skip the Q-profile CIs of tau^2, I^2 and H^2");
  app->add_flag("--stars", args->render.stars, "Significance stars after the p-value");
  app->add_flag("--no-studies", args->no_studies, "Leave out the per-study table (and the studies array of JSON)");
  add_plot_options(*app, args->plots);
  app->add_option("--by", args->by, "Run one analysis per value of this column (JSON Lines with --format json)");
  app->add_option("--subgroup", args->subgroup,
                  "Also pool each value of this column and test for subgroup differences (separate and common tau^2)")
      ->excludes("--by");
  app->add_option("--shard", args->shard, "With --by: take every n-th group, starting at the i-th (i/n)")
      ->check([](const std::string& s) {
        const auto slash = s.find('/');
        std::size_t i = 0, n = 0;
        try {
          i = std::stoul(s.substr(0, slash));
          n = std::stoul(s.substr(slash + 1));
        } catch (...) {
        }
        return (slash == std::string::npos || i < 1 || n < 1 || i > n) ? "expected i/n with 1 <= i <= n" : "";
      })
      ->needs("--by");
  app->add_option("--threads", args->threads, "With --by: worker threads (default: all cores)")->check(CLI::PositiveNumber);
  const std::string example =
      "trialstats pool data/bcg.csv --measure RR --col ai=tpos --col bi=tneg --col ci=cpos --col di=cneg";
  app->footer("Example:\n  " + example);
  return {app, example, [args](const Invocation& inv) { return run_pool(*args, inv); }};
}

}  // namespace trialstats::app
