// trialstats pool: read a trials CSV, compute or read effect sizes, pool them, render.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "plots.hpp"
#include "pooling.hpp"
#include "progress.hpp"
#include "trialstats/core/threads.hpp"
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
  PoolingArgs model;                      ///< effect-size and model options (shared with `mcid`)
  std::vector<double> weights;            ///< the 'weights' column of the used rows (GENQ), aligned with the effects
  render::PoolRenderOptions render;
  bool no_studies = false;
  std::string by;
  std::string subgroup;  ///< --subgroup COL
  std::string shard;  ///< "i/n"
  int threads = 0;
  PlotArgs plots;  ///< --forest, --funnel and their options
};

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
    using Key = decltype(key_of(std::size_t{0}));
    std::unordered_map<Key, std::size_t> index;
    Key previous{};
    for (std::size_t row = 0; row < rows; ++row) {
      Key key = key_of(row);
      if (row > 0 && key == previous) {  // a group's rows are usually together: no lookup
        group_of_row[row] = group_of_row[row - 1];
        continue;
      }
      previous = key;
      auto [it, inserted] = index.try_emplace(std::move(key), g.names.size());
      if (inserted) g.names.push_back(by.text(row));
      group_of_row[row] = it->second;
    }
  };
  // A numeric column is keyed by its values' bits, not by text; its missing cells share one key, as
  // they share "" in a text column.
  if (by.is_numeric())
    assign([&](std::size_t row) {
      const double v = by.numbers()[row];
      return std::isnan(v) ? ~std::uint64_t{0} : std::bit_cast<std::uint64_t>(v == 0 ? 0.0 : v);
    });
  else assign([&](std::size_t row) { return by.text(row); });
  std::vector<std::size_t> sizes(g.names.size());
  for (const auto row : effects.rows) ++sizes[group_of_row[row]];
  g.members.resize(g.names.size());
  for (std::size_t j = 0; j < sizes.size(); ++j) g.members[j].reserve(sizes[j]);
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
  PoolingArgs model = args.model;
  if (style.format != render::OutputFormat::json) model.pool.tau2_ci = false;  // the table has no column for them
  std::vector<render::BatchEntry> entries(streaming ? 0 : mine.size());
  std::vector<std::string> lines(streaming ? mine.size() : 0);
  std::atomic<std::size_t> next{0};
  Progress progress("pool: analyses", mine.size());
  auto work = [&] {
    render::BatchEntry line_entry;  // streaming: rendered at once, then reused
    for (std::size_t i; (i = next.fetch_add(1)) < mine.size();) {
      render::BatchEntry& e = streaming ? line_entry : entries[i];
      e.group = groups.names[mine[i]];
      e.error.clear();
      try {
        e.report = analyse_pooling(model, effects, groups.members[mine[i]], args.weights);
      } catch (const Error& err) {
        e.report.reset();
        e.error = err.what();
      }
      if (streaming) lines[i] = render::render_pool_batch_line(args.by, e, style, args.render);
      progress.tick();
    }
  };
  const unsigned n_threads =
      args.threads > 0 ? unsigned(args.threads) : std::max(1u, std::thread::hardware_concurrency());
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 1; t < n_threads; ++t) workers.push_back(start_thread(work));
    work();
  }
  std::string out;
  if (streaming) {
    out = render::render_pool_batch_head(args.by, style);
    std::size_t size = out.size();
    for (const auto& line : lines) size += line.size();
    out.reserve(size);
    for (const auto& line : lines) out += line;
  } else {
    out = render::render_pool_batch(args.by, entries, style, args.render);
  }
  emit(args.common, out, {args.input}, inv.out);
  return 0;
}

int run_pool(PoolArgs args, const Invocation& inv) {
  args.common.command_line = inv.command_line;
  resolve_pooling(args.model, args.common.level);
  args.render.studies = !args.no_studies;

  const io::Table table = io::read_csv(args.input, csv_options(args.common));
  const io::EffectTable effects = io::effects_from_table(table, io::ColumnRoles(args.common.column_map), args.model.effects);
  if (const io::Column* weights = io::ColumnRoles(args.common.column_map).find(table, "weights"))
    for (const auto row : effects.rows) args.weights.push_back(weights->number(row));
  if (!args.by.empty() && (!args.plots.forest.empty() || !args.plots.funnel.empty()))
    throw UsageError("--forest and --funnel draw one analysis; they cannot be combined with --by");
  if (!args.by.empty()) return run_batch(args, table, effects, inv);

  std::vector<std::size_t> all(effects.yi.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  render::PoolReport report = analyse_pooling(args.model, effects, all, args.weights);
  report.rows = table.rows();
  for (const auto row : effects.dropped) report.dropped.push_back(table.line(row));
  report.warnings = effects.warnings;
  if (!args.subgroup.empty()) {
    if (args.model.binary) throw UsageError("--subgroup pools by inverse variance; it cannot be combined with --method MH or PETO");
    const io::Column& column = table.column(args.subgroup);
    std::vector<std::string> labels;
    for (const auto row : effects.rows) {
      if (column.is_missing(row))
        throw InputError(column.pos(row), fmt::format("column '{}': the subgroup is missing", args.subgroup));
      labels.push_back(column.text(row));
    }
    report.subgroup_column = args.subgroup;
    meta::PoolOptions options = args.model.pool;
    options.genq_weights = args.weights;  // GENQ: one per study, aligned with the effects
    report.subgroups = meta::subgroup_analysis(effects.yi, effects.vi, labels, options);
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
  add_pooling_options(*app, args->model);
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
