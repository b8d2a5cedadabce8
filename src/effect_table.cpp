#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "trialstats/effect/escalc.hpp"
#include "trialstats/io/effect_table.hpp"

namespace trialstats::io {
namespace {

std::string join(std::span<const std::string_view> roles) {
  std::string out;
  for (const auto r : roles) out += (out.empty() ? "" : ", ") + std::string(r);
  return out;
}


}  // namespace

EffectTable effects_from_table(const Table& table, const ColumnRoles& roles, const effect::EscalcOptions& options) {
  const effect::Measure m = options.measure;
  const auto& info = effect::info(m);

  // Which role set: the primary one unless only the alternative is complete.
  auto present = [&](std::span<const std::string_view> set) {
    if (set.empty()) return false;
    for (const auto r : set)
      if (roles.find(table, std::string(r)) == nullptr) return false;
    return true;
  };
  std::span<const std::string_view> used = info.roles;
  if (!present(info.roles)) {
    if (present(info.alt_roles)) {
      used = info.alt_roles;
    } else {
      std::vector<std::string> missing;
      for (const auto r : info.roles)
        if (roles.find(table, std::string(r)) == nullptr) missing.emplace_back(r);
      std::string needs = join(info.roles);
      if (!info.alt_roles.empty()) needs += " (or " + join(info.alt_roles) + ")";
      throw InputError({table.source(), 1, 0},
                       fmt::format("measure {} needs columns {}; missing: {} (map one with --col {}=NAME)", info.name,
                                   needs, fmt::join(missing, ", "), missing.front()));
    }
  }

  std::vector<const Column*> cols;
  for (const auto r : used) cols.push_back(roles.find(table, std::string(r)));
  const Column* study_col = roles.find(table, "study");

  EffectTable out;
  out.source = table.source();
  out.measure = m;
  auto label = [&](std::size_t row) { return study_col != nullptr ? study_col->text(row) : std::to_string(row + 1); };

  // Complete rows only; a cell that is text rather than a number is an error at the cell.
  std::vector<std::size_t> complete, missing_rows;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    bool any_missing = false;
    for (const Column* c : cols) any_missing = any_missing || c->is_missing(row);
    if (any_missing) {
      missing_rows.push_back(row);
      continue;
    }
    for (const Column* c : cols) (void)c->number(row);
    complete.push_back(row);
  }

  effect::RoleColumns values;
  for (std::size_t j = 0; j < used.size(); ++j) {
    auto& v = values[std::string(used[j])];
    v.reserve(complete.size());
    for (const auto row : complete) v.push_back(cols[j]->number(row));
  }
  std::vector<std::string> labels;
  labels.reserve(complete.size());
  for (const auto row : complete) labels.push_back(label(row));

  effect::EffectSizes es;
  try {
    es = effect::escalc(values, options, labels);
  } catch (const effect::InvalidInput& e) {
    const std::size_t row = complete.at(e.study().value_or(0));
    std::size_t j = 0;
    while (j < used.size() && used[j] != e.role()) ++j;
    if (j == used.size()) throw;  // not a column of ours: report as it is
    const Column& c = *cols[j];
    const std::string label = c.name() == e.role() ? fmt::format("column '{}'", c.name())
                                                   : fmt::format("column '{}' ({})", c.name(), e.role());
    throw InputError(c.pos(row), fmt::format("{}: {}", label, e.what()));
  }

  if (!missing_rows.empty()) {
    std::vector<std::string> missing_labels;
    for (const auto row : missing_rows) missing_labels.push_back(label(row));
    std::vector<std::size_t> order(missing_rows.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    out.warnings.push_back({"rows_dropped_missing",
                            fmt::format("dropped {} {} with a missing value in a column {} needs: {}",
                                        missing_rows.size(), missing_rows.size() == 1 ? "row" : "rows", info.name,
                                        effect::detail::study_list(order, missing_labels))});
  }
  for (auto& w : es.warnings) out.warnings.push_back(std::move(w));

  const bool reads_ni = std::find(used.begin(), used.end(), "ni") != used.end();
  std::vector<std::size_t> kept;  // indices into `complete` of the rows with an effect size
  kept.reserve(complete.size());
  for (std::size_t i = 0; i < complete.size(); ++i)
    if (!std::isnan(es.yi[i]) && !std::isnan(es.vi[i])) kept.push_back(i);  // else dropped by drop00 or undefined
  auto select = [&](auto& v) {  // v restricted to the kept rows, in place
    if (kept.size() == v.size()) return;
    for (std::size_t j = 0; j < kept.size(); ++j)
      if (kept[j] != j) v[j] = std::move(v[kept[j]]);
    v.resize(kept.size());
  };
  if (es.corrected.empty()) es.corrected.assign(complete.size(), 0);
  for (auto* v : {&es.yi, &es.vi}) select(*v);
  select(es.corrected);
  select(labels);
  select(complete);
  for (auto& [role, v] : values) select(v);
  out.yi = std::move(es.yi);
  out.vi = std::move(es.vi);
  out.corrected = std::move(es.corrected);
  out.study = std::move(labels);
  out.inputs = std::move(values);
  if (reads_ni) out.ni = out.inputs.at("ni");
  std::vector<char> used_row(table.rows(), 0);
  for (const auto row : complete) used_row[row] = 1;
  out.rows = std::move(complete);
  for (std::size_t row = 0; row < table.rows(); ++row)
    if (!used_row[row]) out.dropped.push_back(row);
  return out;
}

EffectColumns effect_columns(const EffectTable& effects, std::size_t table_rows, double level, bool transform) {
  const double nan = std::nan("");
  EffectColumns out;
  out.measure = effects.measure;
  out.level = level;
  out.yi.assign(table_rows, nan);
  out.vi = out.sei = out.ci_lb = out.ci_ub = out.yi;
  out.corrected.assign(table_rows, 0);
  const effect::Scale scale = effect::info(effects.measure).scale;
  if (transform && scale != effect::Scale::identity) {
    out.scale = scale;
    out.t_yi = out.t_ci_lb = out.t_ci_ub = out.yi;
  }
  for (std::size_t i = 0; i < effects.rows.size(); ++i) {
    const std::size_t row = effects.rows[i];
    const double yi = effects.yi[i], vi = effects.vi[i];
    const Interval ci = effect::wald_interval(yi, vi, level);
    out.yi[row] = yi;
    out.vi[row] = vi;
    out.sei[row] = std::sqrt(vi);
    out.ci_lb[row] = ci.lower;
    out.ci_ub[row] = ci.upper;
    out.corrected[row] = effects.corrected[i];
    if (out.scale) {
      const double n = effects.ni.empty() ? nan : effects.ni[i];
      out.t_yi[row] = effect::back_transform(effects.measure, yi, n);
      out.t_ci_lb[row] = effect::back_transform(effects.measure, ci.lower, n);
      out.t_ci_ub[row] = effect::back_transform(effects.measure, ci.upper, n);
    }
  }
  return out;
}

}  // namespace trialstats::io
