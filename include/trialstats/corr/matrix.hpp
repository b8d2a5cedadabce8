// A matrix of correlations between sets of variables, each on its pairwise-complete observations,
// with p-values adjusted over the whole matrix (Holm, Benjamini–Hochberg, Bonferroni).
//
// References: R 4.2 stats::cor(use = "pairwise.complete.obs"), cor.test, p.adjust (see corr/adjust.hpp).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/corr/adjust.hpp"
#include "trialstats/corr/correlation.hpp"
#include "trialstats/corr/rank.hpp"

namespace trialstats::corr {

/// One cell: variable `row` of the first set against variable `col` of the second.
struct MatrixEntry {
  std::size_t row = 0, col = 0;
  Correlation c;
  double adjusted_p = 0;
};

struct CorrelationMatrix {
  Method method = Method::pearson;
  Adjust adjust = Adjust::holm;
  bool triangle = false;             ///< one set against itself: only row < col
  std::vector<MatrixEntry> entries;  ///< row by row
};

/// The pairs of (x, y) where both are finite.
struct CompletePairs {
  std::vector<double> x, y;
  std::vector<std::size_t> rows;  ///< indices kept
};

[[nodiscard]] inline CompletePairs complete_pairs(std::span<const double> x, std::span<const double> y) {
  require_same_size("complete_pairs", "x", x.size(), "y", y.size());
  CompletePairs p;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i])) {
      p.x.push_back(x[i]);
      p.y.push_back(y[i]);
      p.rows.push_back(i);
    }
  return p;
}

/// Correlations of every variable of `rows` with every variable of `cols` (or, when `cols` is empty,
/// of `rows` among themselves: the upper triangle), each on its pairwise-complete observations (NaN =
/// missing), with `adjust` applied to the p-values of all cells together.
/// @throws DomainError as the coefficient does for a cell (e.g. a constant variable, fewer than 3 pairs).
[[nodiscard]] inline CorrelationMatrix correlation_matrix(const std::vector<std::span<const double>>& rows,
                                                          const std::vector<std::span<const double>>& cols,
                                                          Method method, const CorrelationOptions& o = {},
                                                          Adjust adjust = Adjust::holm) {
  CorrelationMatrix m{.method = method, .adjust = adjust, .triangle = cols.empty(), .entries = {}};
  const auto& other = cols.empty() ? rows : cols;
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = cols.empty() ? i + 1 : 0; j < other.size(); ++j) {
      const CompletePairs p = complete_pairs(rows[i], other[j]);
      m.entries.push_back({.row = i, .col = j, .c = correlate(method, p.x, p.y, o), .adjusted_p = 0});
    }
  std::vector<double> p;
  for (const auto& e : m.entries) p.push_back(e.c.p);
  const std::vector<double> adj = p_adjust(p, adjust);
  for (std::size_t k = 0; k < m.entries.size(); ++k) m.entries[k].adjusted_p = adj[k];
  return m;
}

}  // namespace trialstats::corr
