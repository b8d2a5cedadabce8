// trialstats corr: correlations of per-patient data with honest inference (Pearson, Spearman, Kendall),
// change scores with coupling warnings, partial, per group with comparisons, matrices with adjusted
// p-values, bootstrap intervals, repeated-measures correlation and a scatter plot.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "command.hpp"
#include "common.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/corr/bootstrap.hpp"
#include "trialstats/corr/change.hpp"
#include "trialstats/corr/compare.hpp"
#include "trialstats/corr/matrix.hpp"
#include "trialstats/corr/partial.hpp"
#include "trialstats/corr/pearson.hpp"
#include "trialstats/corr/rank.hpp"
#include "trialstats/corr/rmcorr.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/render/corr.hpp"
#include "trialstats/render/output.hpp"
#include "trialstats/render/svg/scatter.hpp"

namespace trialstats::app {
namespace {

struct CorrArgs {
  std::string input;
  std::string x, y;
  std::vector<std::string> pre, post;
  corr::ChangeKind change = corr::ChangeKind::difference;
  std::vector<corr::Method> methods{corr::Method::pearson};
  corr::Alternative alternative = corr::Alternative::two_sided;
  corr::ExactRule exact = corr::ExactRule::automatic;
  bool continuity = false;
  corr::RankCi rank_ci = corr::RankCi::fieller;
  std::vector<std::string> control;
  std::string by;
  std::string versus;
  std::vector<std::string> columns, with;
  corr::Adjust adjust = corr::Adjust::holm;
  std::size_t bootstrap = 0;
  std::uint64_t seed = 1;
  std::string subject;
  std::string scatter;
  std::optional<double> r;       ///< --r: a published coefficient instead of a file
  std::optional<std::size_t> n;  ///< --n: its number of pairs
  CommonArgs common;
};

const char* const long_description =
    R"(Correlates two variables of a per-patient table (--x, --y), or change scores built from
--pre/--post column pairs, and gives each coefficient with its test and confidence interval:
  pearson   t = r·sqrt((n-2)/(1-r²)) on n-2 df; CI by Fisher's z, se 1/sqrt(n-3)
  spearman  exact (n ≤ 9) or Edgeworth (AS 89, n < 1290) p without ties, else t; CI Fisher z with
            Fieller's (1.06/(n-3)) or Bonett-Wright's ((1+rho²/2)/(n-3)) variance (--rank-ci)
  kendall   tau-b in O(n log n); exact p (n < 50, no ties), else normal with tie-corrected variance;
            CI Fisher z with Fieller's variance 0.437/(n-4)
p-values follow R's cor.test. --control gives partial correlations; --by one coefficient per group with
Fisher-z tests and Zou's intervals between groups; --versus COL compares r(x,y) with r(x,COL) on the same
patients (Williams' t, Steiger's Z, Zou); --columns/--with a matrix with Holm or BH adjusted p-values;
--subject the repeated-measures correlation (Bakdash & Marusich 2017); --bootstrap percentile and BCa
intervals (reproducible with --seed on every platform). A change correlated with its own baseline, or
one column on both sides, gives a coupling warning and, for the baseline case, Oldham's correlation.
Rows with a missing value in a used column are dropped (pairwise in matrices).
Formulas and references: docs/methods.md, "Correlations".)";

/// Values that are either a view of the table's column or computed here (NaN = missing).
struct Values {
  std::vector<double> own;
  std::span<const double> view;
  Values() = default;
  explicit Values(std::span<const double> v) : view(v) {}
  explicit Values(std::vector<double> v) : own(std::move(v)), view(own) {}
  Values(Values&& o) noexcept : own(std::move(o.own)), view(own.empty() ? o.view : std::span<const double>(own)) {}
  Values& operator=(Values&&) = delete;
  Values(const Values&) = delete;
  operator std::span<const double>() const { return view; }  // NOLINT(google-explicit-constructor)
  [[nodiscard]] double operator[](std::size_t i) const { return view[i]; }
  [[nodiscard]] std::size_t size() const { return view.size(); }
};

/// A variable: its values and where they come from.
struct Variable {
  corr::VariableSource source;
  Values values;
};

/// The numbers of a column, without a copy; InputError at the first cell that is not a number.
std::span<const double> numeric_column(const io::Table& table, const std::string& name) {
  const io::Column& c = table.column(name);
  if (!c.is_numeric())
    for (std::size_t row = 0; row < c.size(); ++row)
      if (!c.is_missing(row)) (void)c.number(row);
  return c.numbers();
}

Variable plain(const io::Table& table, const std::string& name) {
  return {{.name = name, .pre = "", .post = name}, Values(numeric_column(table, name))};
}

/// The rows of a group: every row of the table (no copy), or a list.
struct Rows {
  bool all = false;
  std::size_t total = 0;
  std::vector<std::size_t> list;
  [[nodiscard]] std::size_t size() const { return all ? total : list.size(); }
};

Variable change_variable(const io::Table& table, const std::string& pre, const std::string& post,
                         corr::ChangeKind kind) {
  const auto a = numeric_column(table, pre), b = numeric_column(table, post);
  if (kind == corr::ChangeKind::percent)
    for (std::size_t row = 0; row < a.size(); ++row)
      if (a[row] == 0)
        throw InputError(table.column(pre).pos(row),
                         fmt::format("column '{}': a baseline of 0 has no percent change", pre));
  const std::string name =
      kind == corr::ChangeKind::difference ? post + "-" + pre : "100*(" + post + "-" + pre + ")/" + pre;
  return {{.name = name, .pre = pre, .post = post}, Values(corr::change_scores(a, b, kind))};
}

Values subset(std::span<const double> v, const Rows& rows) {
  if (rows.all) return Values(v);
  std::vector<double> out;
  out.reserve(rows.list.size());
  for (std::size_t r : rows.list) out.push_back(v[r]);
  return Values(std::move(out));
}

Values subset(std::span<const double> v, const std::vector<std::size_t>& rows) {
  return subset(v, Rows{.all = false, .total = v.size(), .list = rows});
}

render::CorrRow make_row(const std::string& x, const std::string& y, const std::string& kind,
                         const corr::Correlation& c) {
  render::CorrRow r;
  r.x = x;
  r.y = y;
  r.kind = kind;
  r.c = c;
  return r;
}

std::string annotation(const corr::Correlation& c) {
  return fmt::format("r = {:.2f}, {:g}% CI [{:.2f}, {:.2f}], n = {}", c.estimate, c.level * 100, c.ci.lower, c.ci.upper,
                     c.n);
}

/// Runs `f` and prefixes a DomainError's message with the group it happened in.
template <class F>
auto in_group(const std::string& group, F&& f) {
  try {
    return f();
  } catch (const DomainError& e) {
    if (group.empty()) throw;
    throw DomainError(fmt::format("group '{}': {}", group, e.what()));
  }
}

int run_corr(CorrArgs& a, const Invocation& inv) {
  a.common.command_line = inv.command_line;
  const double level = a.common.level / 100;
  const corr::CorrelationOptions copt{.level = level,
                                      .alternative = a.alternative,
                                      .exact = a.exact,
                                      .spearman_ci = a.rank_ci,
                                      .continuity = a.continuity};
  if (a.pre.size() != a.post.size())
    throw UsageError(
        fmt::format("--pre is given {} times but --post {} times; they come in pairs", a.pre.size(), a.post.size()));
  const bool matrix = !a.columns.empty();
  if (matrix && (!a.x.empty() || !a.y.empty() || !a.control.empty() || !a.versus.empty() || !a.subject.empty() ||
                 a.bootstrap > 0 || !a.scatter.empty()))
    throw UsageError(
        "--columns (a matrix) does not combine with --x, --y, --control, --versus, --subject, --bootstrap or "
        "--scatter");
  const bool pearson_only = !a.subject.empty();
  if (pearson_only && (a.methods.size() != 1 || a.methods[0] != corr::Method::pearson))
    throw UsageError("--subject: the repeated-measures correlation is Pearson's only");
  if (!a.control.empty())
    for (auto m : a.methods)
      if (m == corr::Method::kendall)
        throw UsageError("--control: partial correlations are pearson or spearman, not kendall");
  if (!a.control.empty() && (a.bootstrap > 0 || !a.subject.empty()))
    throw UsageError("--control does not combine with --bootstrap or --subject");
  if (!a.versus.empty() && std::find(a.methods.begin(), a.methods.end(), corr::Method::pearson) == a.methods.end())
    throw UsageError("--versus compares Pearson correlations: include pearson in --method");

  if (a.r) {  // a published coefficient: Pearson's test and interval from r and n alone
    if (!a.n) throw UsageError("--r needs --n (the number of pairs)");
    if (!a.input.empty()) throw UsageError("--r and --n take no input file");
    render::CorrReport from_r;
    from_r.file = "(--r, --n)";
    from_r.rows = from_r.used = *a.n;
    from_r.level = level;
    from_r.alternative = a.alternative;
    from_r.rows_out.push_back(make_row("x", "y", "correlation", corr::pearson_from_r(*a.r, *a.n, copt)));
    for (const auto& w : from_r.rows_out.back().c.warnings) from_r.warnings.push_back(w);
    emit(a.common, render::render_corr(from_r, render_style(a.common)), {}, inv.out);
    report_warnings(a.common, from_r.warnings, inv.err);
    return 0;
  }
  if (a.input.empty()) throw UsageError("an input file is required (or --r and --n)");
  io::CsvOptions csv = csv_options(a.common);
  for (const auto* names : {&a.pre, &a.post, &a.control, &a.columns, &a.with})
    csv.columns.insert(csv.columns.end(), names->begin(), names->end());
  for (const auto* name : {&a.x, &a.y, &a.by, &a.versus, &a.subject})
    if (!name->empty()) csv.columns.push_back(*name);  // the table holds only the columns used
  io::Table table = io::read_csv(a.input, csv);
  render::CorrReport report;
  report.file = table.source();
  report.rows = table.rows();
  report.level = level;
  report.alternative = a.alternative;
  if (!a.pre.empty()) report.change = std::string(corr::name(a.change));

  std::vector<Variable> changes;
  for (std::size_t i = 0; i < a.pre.size(); ++i)
    changes.push_back(change_variable(table, a.pre[i], a.post[i], a.change));

  // Groups: one unnamed group, or the values of --by in sorted order.
  std::vector<std::string> by_text;  // one per row with --by (none without: 10 million rows are 320 MB of strings)
  if (!a.by.empty()) {
    by_text.resize(table.rows());
    const io::Column& by = table.column(a.by);
    for (std::size_t row = 0; row < table.rows(); ++row)
      by_text[row] = by.is_missing(row) ? std::string() : by.text(row);
  }

  if (matrix) {
    std::vector<Variable> rows, cols;
    for (const auto& n : a.columns) rows.push_back(plain(table, n));
    for (auto& c : changes) rows.push_back(std::move(c));
    for (const auto& n : a.with) cols.push_back(plain(table, n));
    report.adjust = a.adjust;
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t row = 0; row < table.rows(); ++row)
      if (a.by.empty()) groups[""].push_back(row);
      else if (!by_text[row].empty()) groups[by_text[row]].push_back(row);
    report.used = 0;
    for (const auto& [group, members] : groups) report.used += members.size();
    for (const auto& [group, members] : groups) {
      std::vector<Values> rv, cv;
      for (const auto& v : rows) rv.push_back(subset(v.values, members));
      for (const auto& v : cols) cv.push_back(subset(v.values, members));
      std::vector<std::span<const double>> rs, cs;
      for (const auto& v : rv) rs.push_back(v);
      for (const auto& v : cv) cs.push_back(v);
      for (auto m : a.methods) {
        const auto cm = in_group(group, [&] { return corr::correlation_matrix(rs, cs, m, copt, a.adjust); });
        for (const auto& e : cm.entries) {
          render::CorrRow r =
              make_row(rows[e.row].source.name, cols.empty() ? rows[e.col].source.name : cols[e.col].source.name,
                       "correlation", e.c);
          r.adjusted_p = e.adjusted_p;
          if (!a.by.empty()) r.group = group;
          for (const auto& w :
               corr::coupling_warnings(rows[e.row].source, cols.empty() ? rows[e.col].source : cols[e.col].source))
            report.warnings.push_back(w);
          report.rows_out.push_back(std::move(r));
        }
      }
    }
    const std::string content = render::render_corr(report, render_style(a.common));
    emit(a.common, content, {a.input}, inv.out);
    report_warnings(a.common, report.warnings, inv.err);
    return 0;
  }

  // Two variables: x, y from --x/--y or the change scores, in that order.
  std::vector<Variable> pool = std::move(changes);
  std::size_t next = 0;
  auto take = [&](const std::string& column, const char* what) {
    if (!column.empty()) return plain(table, column);
    if (next < pool.size()) return std::move(pool[next++]);
    throw UsageError(fmt::format("no {} variable: give --{} COL or a --pre/--post pair", what, what));
  };
  Variable x = take(a.x, "x");
  Variable y = take(a.y, "y");
  if (next < pool.size())
    throw UsageError("more --pre/--post pairs than variables to correlate; use --columns for a matrix");
  std::vector<Variable> controls;
  for (const auto& n : a.control) controls.push_back(plain(table, n));
  std::optional<Variable> versus;
  if (!a.versus.empty()) versus.emplace(plain(table, a.versus));
  std::vector<long long> subject_code;  // only with --subject (10 million rows: 80 MB)
  std::vector<bool> subject_missing;
  if (!a.subject.empty()) {
    subject_code.assign(table.rows(), 0);
    subject_missing.assign(table.rows(), false);
    const io::Column& s = table.column(a.subject);
    std::map<std::string, long long> codes;
    for (std::size_t row = 0; row < table.rows(); ++row) {
      subject_missing[row] = s.is_missing(row);
      if (!subject_missing[row])
        subject_code[row] = codes.try_emplace(s.text(row), static_cast<long long>(codes.size())).first->second;
    }
  }

  // Listwise deletion over every variable used; without --by and missing values, all rows (no copies).
  auto complete = [&](std::size_t row) {
    bool ok = std::isfinite(x.values[row]) && std::isfinite(y.values[row]) &&
              (subject_missing.empty() || !subject_missing[row]) &&
              (a.by.empty() || !by_text[row].empty());
    for (const auto& c : controls) ok = ok && std::isfinite(c.values[row]);
    if (versus) ok = ok && std::isfinite(versus->values[row]);
    return ok;
  };
  for (std::size_t row = 0; row < table.rows(); ++row)
    if (!complete(row)) report.dropped.push_back(table.line(row));
  std::map<std::string, Rows> groups;
  if (a.by.empty() && report.dropped.empty() && table.rows() > 0) {
    groups[""] = Rows{.all = true, .total = table.rows(), .list = {}};
  } else {
    for (std::size_t row = 0; row < table.rows(); ++row)
      if (complete(row)) groups[a.by.empty() ? std::string() : by_text[row]].list.push_back(row);
  }
  report.used = table.rows() - report.dropped.size();
  if (!report.dropped.empty()) {
    const std::size_t shown = std::min<std::size_t>(report.dropped.size(), 10);
    const std::vector<std::size_t> lines(report.dropped.begin(),
                                         report.dropped.begin() + static_cast<std::ptrdiff_t>(shown));
    report.warnings.push_back({"rows_dropped", fmt::format("{} of {} rows dropped for a missing value (lines {}{})",
                                                           report.dropped.size(), table.rows(), fmt::join(lines, ", "),
                                                           report.dropped.size() > shown ? ", ..." : "")});
  }
  if (groups.empty()) throw NoResultError(fmt::format("{}: no row has every variable present", table.source()));
  table.release_positions();  // every cell used is checked: 10 million rows free 80 MB before ranking
  for (const auto& w : corr::coupling_warnings(x.source, y.source)) report.warnings.push_back(w);
  const bool oldham = std::any_of(report.warnings.begin(), report.warnings.end(),
                                  [](const Warning& w) { return w.code == "baseline_coupling"; });

  render::svg::ScatterInput scatter{.x_label = x.source.name, .y_label = y.source.name, .groups = {}, .level = level};
  struct GroupPearson {
    std::string name;
    corr::Correlation c;
    double n_eff;
  };
  std::vector<GroupPearson> for_comparison;
  for (const auto& [group, members] : groups) {
    const auto xs = subset(x.values, members), ys = subset(y.values, members);
    auto add = [&](render::CorrRow r) {
      if (!a.by.empty()) r.group = group;
      for (const auto& w : r.c.warnings)
        report.warnings.push_back({w.code, (group.empty() ? "" : "group '" + group + "': ") + w.message});
      report.rows_out.push_back(std::move(r));
    };
    if (!a.subject.empty()) {
      std::vector<long long> codes;
      if (members.all)
        codes = subject_code;
      else
        for (std::size_t r : members.list) codes.push_back(subject_code[r]);
      const auto rm = in_group(group, [&] { return corr::rmcorr(codes, xs, ys, level, a.alternative); });
      render::CorrRow row = make_row(x.source.name, y.source.name, "rmcorr", rm.c);
      row.subjects = rm.subjects;
      add(std::move(row));
      for_comparison.push_back({group, rm.c, static_cast<double>(rm.c.df) + 2});
    } else if (!controls.empty()) {
      std::vector<Values> cv;
      for (const auto& c : controls) cv.push_back(subset(c.values, members));
      std::vector<std::span<const double>> cs;
      for (const auto& v : cv) cs.push_back(v);
      for (auto m : a.methods) {
        const auto c = in_group(group, [&] {
          return corr::partial(xs, ys, cs, {.method = m, .level = level, .alternative = a.alternative});
        });
        render::CorrRow row = make_row(x.source.name, y.source.name, "partial", c);
        row.controls = a.control;
        add(std::move(row));
        if (m == corr::Method::pearson)
          for_comparison.push_back({group, c, static_cast<double>(c.n - controls.size())});
      }
    } else {
      std::optional<corr::RankedPairs> ranks;
      for (auto m : a.methods) {
        const auto c = in_group(group, [&] {
          if (m == corr::Method::pearson) return corr::pearson(xs, ys, copt);
          if (!ranks) ranks = corr::rank_pairs(xs, ys);
          return m == corr::Method::spearman ? corr::spearman(*ranks, copt) : corr::kendall(*ranks, copt);
        });
        render::CorrRow row = make_row(x.source.name, y.source.name, "correlation", c);
        if (a.bootstrap > 0) {
          const auto b = in_group(group, [&] {
            return corr::bootstrap(m, xs, ys,
                                   {.replicates = a.bootstrap, .seed = a.seed, .level = level, .threads = 2});
          });
          row.bootstrap = render::CorrBootstrap{.replicates = b.replicates,
                                                .valid = b.valid,
                                                .seed = a.seed,
                                                .percentile = b.percentile,
                                                .bca = b.bca,
                                                .bias_correction = b.bias_correction,
                                                .acceleration = b.acceleration};
          for (const auto& w : b.warnings) report.warnings.push_back(w);
        }
        add(std::move(row));
        if (m == corr::Method::pearson) for_comparison.push_back({group, c, static_cast<double>(c.n)});
      }
      if (oldham) {
        const Variable& ch = x.source.is_change() ? x : y;
        const auto pre = subset(numeric_column(table, ch.source.pre), members);
        const auto post = subset(numeric_column(table, ch.source.post), members);
        const auto c = in_group(group, [&] { return corr::oldham(pre, post, copt); });
        add(make_row(ch.source.name, "(" + ch.source.pre + "+" + ch.source.post + ")/2", "oldham", c));
      }
      if (versus) {
        const auto vs = subset(versus->values, members);
        const auto r_xv = in_group(group, [&] { return corr::pearson(xs, vs, copt); });
        const auto r_yv = in_group(group, [&] { return corr::pearson(ys, vs, copt); });
        const auto r_xy = corr::pearson_r(xs, ys);
        add(make_row(x.source.name, versus->source.name, "correlation", r_xv));
        const auto d = in_group(group, [&] {
          return corr::compare_dependent(r_xy, r_xv.estimate, r_yv.estimate, xs.size(), level, a.alternative);
        });
        const std::string first = x.source.name + "~" + y.source.name + (group.empty() ? "" : " [" + group + "]");
        const std::string second =
            x.source.name + "~" + versus->source.name + (group.empty() ? "" : " [" + group + "]");
        for (const auto& [test, stat, df, p] : {std::tuple{"williams_t", d.williams_t, d.williams_df, d.williams_p},
                                                std::tuple{"steiger_z", d.steiger_z, std::nan(""), d.steiger_p}})
          report.comparisons.push_back({.kind = "dependent",
                                        .first = first,
                                        .second = second,
                                        .r1 = d.r_jk,
                                        .r2 = d.r_jh,
                                        .n1 = d.n,
                                        .n2 = d.n,
                                        .difference = d.difference,
                                        .test = test,
                                        .statistic = stat,
                                        .df = df,
                                        .p = p,
                                        .ci = d.ci});
      }
    }
    if (!a.scatter.empty()) {
      const auto c = in_group(group, [&] { return corr::pearson(xs, ys, copt); });
      scatter.groups.push_back({.name = group,
                                .x = {xs.view.begin(), xs.view.end()},
                                .y = {ys.view.begin(), ys.view.end()},
                                .annotation = annotation(c)});
    }
  }
  // Independent comparisons between every two groups.
  for (std::size_t i = 0; i < for_comparison.size(); ++i)
    for (std::size_t j = i + 1; j < for_comparison.size(); ++j) {
      const auto& g1 = for_comparison[i];
      const auto& g2 = for_comparison[j];
      const auto c = corr::compare_independent(g1.c.estimate, static_cast<std::size_t>(g1.n_eff), g2.c.estimate,
                                               static_cast<std::size_t>(g2.n_eff), level, a.alternative);
      report.comparisons.push_back({.kind = "independent",
                                    .first = g1.name,
                                    .second = g2.name,
                                    .r1 = c.r1,
                                    .r2 = c.r2,
                                    .n1 = g1.c.n,
                                    .n2 = g2.c.n,
                                    .difference = c.difference,
                                    .test = "fisher_z",
                                    .statistic = c.z,
                                    .df = std::nan(""),
                                    .p = c.p,
                                    .ci = c.ci});
    }
  if (a.scatter == "-") {  // the plot on standard output; the report only to -o
    inv.out << render::svg::scatter_plot(scatter);
    if (!a.common.output.empty() && a.common.output != "-")
      render::write_output(a.common.output, render::render_corr(report, render_style(a.common)), {a.input});
    report_warnings(a.common, report.warnings, inv.err);
    return 0;
  }
  if (!a.scatter.empty()) render::write_output(a.scatter, render::svg::scatter_plot(scatter), {a.input});
  emit(a.common, render::render_corr(report, render_style(a.common)), {a.input}, inv.out);
  report_warnings(a.common, report.warnings, inv.err);
  return 0;
}

}  // namespace

Subcommand add_corr_command(CLI::App& parent) {
  auto args = std::make_shared<CorrArgs>();
  CLI::App* app = parent.add_subcommand(
      "corr", "Correlations with tests and intervals (Pearson, Spearman, Kendall, partial, repeated measures)");
  app->description(
      std::string(
          "Correlations with tests and intervals (Pearson, Spearman, Kendall, partial, repeated measures).\n\n") +
      long_description);
  const std::string example =
      "trialstats corr tests/inputs/corr/hrv_fatigue.csv --pre hf_pre --post hf_post --pre fatigue_pre --post "
      "fatigue_post "
      "--method pearson,spearman,kendall --by arm";
  app->footer("Example:\n  " + example + "\n");
  app->add_option("file", args->input, "Input CSV file ('-' reads standard input)");
  app->add_option("--r", args->r, "A published Pearson r: its t test and Fisher-z CI (with --n; no file)")
      ->check(CLI::Range(-1.0, 1.0));
  app->add_option("--n", args->n, "Number of pairs behind --r")
      ->check(CLI::Range(std::size_t{3}, std::size_t{1} << 40));
  app->add_option("--x", args->x, "First variable (a column)");
  app->add_option("--y", args->y, "Second variable (a column)");
  app->add_option("--pre", args->pre, "Baseline column of a change score (repeatable, paired with --post)");
  app->add_option("--post", args->post, "Follow-up column of a change score (repeatable, paired with --pre)");
  const std::map<std::string, corr::ChangeKind> kinds{{"difference", corr::ChangeKind::difference},
                                                      {"percent", corr::ChangeKind::percent}};
  app->add_option("--change", args->change, "Change score: difference (post-pre) or percent (100·(post-pre)/pre)")
      ->transform(CLI::CheckedTransformer(kinds, CLI::ignore_case))
      ->default_str("difference");
  const std::map<std::string, corr::Method> methods{
      {"pearson", corr::Method::pearson}, {"spearman", corr::Method::spearman}, {"kendall", corr::Method::kendall}};
  app->add_option("--method", args->methods, "Coefficients, comma-separated: pearson, spearman, kendall")
      ->delimiter(',')
      ->transform(CLI::CheckedTransformer(methods, CLI::ignore_case))
      ->default_str("pearson");
  const std::map<std::string, corr::Alternative> alternatives{{"two.sided", corr::Alternative::two_sided},
                                                              {"two-sided", corr::Alternative::two_sided},
                                                              {"less", corr::Alternative::less},
                                                              {"greater", corr::Alternative::greater}};
  app->add_option("--alternative", args->alternative, "Alternative hypothesis: two.sided, less or greater")
      ->transform(CLI::CheckedTransformer(alternatives, CLI::ignore_case).description(""))
      ->option_text("two.sided|less|greater")
      ->default_str("two.sided");
  const std::map<std::string, corr::ExactRule> exact{
      {"auto", corr::ExactRule::automatic}, {"yes", corr::ExactRule::always}, {"no", corr::ExactRule::never}};
  app->add_option("--exact", args->exact, "Exact p-values of rank coefficients: auto (as R), yes, no")
      ->transform(CLI::CheckedTransformer(exact, CLI::ignore_case))
      ->default_str("auto");
  app->add_flag("--continuity", args->continuity, "Continuity correction of the rank approximations (as R)");
  const std::map<std::string, corr::RankCi> rank_ci{{"fieller", corr::RankCi::fieller},
                                                    {"bonett-wright", corr::RankCi::bonett_wright}};
  app->add_option("--rank-ci", args->rank_ci, "Variance of Fisher's z for Spearman: fieller or bonett-wright")
      ->transform(CLI::CheckedTransformer(rank_ci, CLI::ignore_case))
      ->default_str("fieller");
  app->add_option("--control", args->control, "Covariates of a partial correlation, comma-separated")->delimiter(',');
  app->add_option("--by", args->by, "One analysis per value of this column, with comparisons between groups");
  app->add_option("--versus", args->versus, "Compare r(x,y) with r(x,COL) on the same rows (Williams, Steiger, Zou)");
  app->add_option("--columns", args->columns, "A correlation matrix of these columns (comma-separated)")
      ->delimiter(',');
  app->add_option("--with", args->with, "Matrix columns: correlate --columns with these instead of among themselves")
      ->delimiter(',');
  const std::map<std::string, corr::Adjust> adjust{{"holm", corr::Adjust::holm},
                                                   {"BH", corr::Adjust::bh},
                                                   {"fdr", corr::Adjust::bh},
                                                   {"bonferroni", corr::Adjust::bonferroni},
                                                   {"none", corr::Adjust::none}};
  app->add_option("--adjust", args->adjust, "p-value adjustment of a matrix: holm, BH, bonferroni, none")
      ->transform(CLI::CheckedTransformer(adjust, CLI::ignore_case))
      ->default_str("holm");
  app->add_option("--bootstrap", args->bootstrap, "Bootstrap replicates for percentile and BCa intervals")
      ->check(CLI::Range(std::size_t{2}, std::size_t{10000000}));
  app->add_option("--seed", args->seed, "Seed of the bootstrap (same numbers on every platform)")
      ->capture_default_str();
  app->add_option("--subject", args->subject,
                  "Subject column: repeated-measures correlation (several rows per subject)");
  app->add_option("--scatter", args->scatter, "Write a scatter plot with the least-squares line and its band (SVG)");
  add_common_options(*app, args->common);
  auto run = [args](const Invocation& inv) { return run_corr(*args, inv); };
  return {app, example, run};
}

}  // namespace trialstats::app
