// Change scores and the traps of correlating them: mathematical coupling (a change correlated with
// its own baseline, or the same measurement on both sides) and Oldham's alternative.
//
// References:
//   Oldham PD (1962). A note on the analysis of repeated measurements of the same subjects.
//     J Chronic Dis 15:969-977 (correlate post - pre with (pre + post)/2, not with pre).
//   Tu YK, Gilthorpe MS (2007). Revisiting the relation between change and initial value: a review and
//     evaluation. Stat Med 26:443-457 (coupling; Oldham's method; its null is equal variances).
//   Archie JP (1981). Mathematic coupling of data. Ann Surg 193:296-303.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/corr/correlation.hpp"
#include "trialstats/corr/pearson.hpp"

namespace trialstats::corr {

enum class ChangeKind {
  difference,  ///< post - pre
  percent,     ///< 100·(post - pre)/pre
};

[[nodiscard]] constexpr std::string_view name(ChangeKind k) {
  return k == ChangeKind::difference ? "difference" : "percent";
}

/// Per-subject change: post - pre, or 100·(post - pre)/pre. NaN in either gives NaN (a missing change).
/// @throws DomainError for sizes that differ, or a zero baseline with `percent`.
[[nodiscard]] inline std::vector<double> change_scores(std::span<const double> pre, std::span<const double> post,
                                                       ChangeKind kind = ChangeKind::difference) {
  require_same_size("change_scores", "pre", pre.size(), "post", post.size());
  std::vector<double> out(pre.size());
  for (std::size_t i = 0; i < pre.size(); ++i) {
    if (kind == ChangeKind::percent && pre[i] == 0)
      throw DomainError(fmt::format("change_scores: baseline {} is 0; a percent change is undefined", i + 1));
    out[i] = kind == ChangeKind::difference ? post[i] - pre[i] : 100 * (post[i] - pre[i]) / pre[i];
  }
  return out;
}

/// Where a correlated variable comes from: a column, or the change between two columns.
struct VariableSource {
  std::string name;  ///< as shown, e.g. "hf_post-hf_pre"
  std::string pre;   ///< the baseline column of a change; empty for a plain column
  std::string post;  ///< the follow-up column of a change, or the plain column
  [[nodiscard]] bool is_change() const noexcept { return !pre.empty(); }
};

/// Warnings of mathematical coupling between two variables:
/// `baseline_coupling` when one is a change and the other its own baseline (or follow-up): the two
/// share the measurement error of that column, so r is biased (towards -sqrt((1-ρ)/2) for pre under
/// equal variances) even with no real relation; use Oldham's correlation;
/// `shared_variable` when both use one column otherwise.
[[nodiscard]] inline Warnings coupling_warnings(const VariableSource& x, const VariableSource& y) {
  Warnings w;
  auto cols = [](const VariableSource& v) {
    std::vector<std::string> c{v.post};
    if (v.is_change()) c.push_back(v.pre);
    return c;
  };
  const auto cx = cols(x), cy = cols(y);
  std::string shared;
  for (const auto& a : cx)
    if (std::find(cy.begin(), cy.end(), a) != cy.end()) shared = a;
  if (shared.empty()) return w;
  const bool baseline = (x.is_change() && !y.is_change() && (y.post == x.pre || y.post == x.post)) ||
                        (y.is_change() && !x.is_change() && (x.post == y.pre || x.post == y.post));
  if (baseline) {
    const VariableSource& ch = x.is_change() ? x : y;
    w.push_back({"baseline_coupling",
                 fmt::format("{} is correlated with its own component {}: mathematical coupling biases r even without "
                             "a real relation; Oldham's correlation of the change with the mean of {} and {} is the "
                             "alternative",
                             ch.name, shared, ch.pre, ch.post)});
  } else {
    w.push_back({"shared_variable", fmt::format("{} and {} both contain column {}: mathematical coupling; the "
                                                "correlation is not evidence of a relation between them",
                                                x.name, y.name, shared)});
  }
  return w;
}

/// Oldham's correlation: Pearson's r of (post - pre) with (pre + post)/2, with its t test and Fisher-z CI.
/// It is 0 when pre and post have equal variances, whatever their correlation: it tests whether the
/// change depends on the initial level without the coupling of corr(post - pre, pre).
/// @throws DomainError as pearson().
[[nodiscard]] inline Correlation oldham(std::span<const double> pre, std::span<const double> post,
                                        const CorrelationOptions& o = {}) {
  require_same_size("oldham", "pre", pre.size(), "post", post.size());
  std::vector<double> change(pre.size()), mean(pre.size());
  for (std::size_t i = 0; i < pre.size(); ++i) {
    change[i] = post[i] - pre[i];
    mean[i] = (pre[i] + post[i]) / 2;
  }
  return pearson(change, mean, o);
}

}  // namespace trialstats::corr
