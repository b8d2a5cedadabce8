// The Mann–Whitney U test (Wilcoxon rank-sum test) of two independent groups, as R's
// wilcox.test(x, y): W = rank sum of group 1 − n₁(n₁ + 1)/2 (= U₁); exact p-values from the
// distribution of W when both groups have fewer than 50 values and there are no ties, otherwise the
// normal approximation with the tie correction of the variance and a continuity correction.
//
// References (formulas in docs/methods.md, "Two-group comparisons"):
//   Mann HB, Whitney DR (1947). On a test of whether one of two random variables is stochastically
//     larger than the other. Ann Math Stat 18:50–60.
//   Wilcoxon F (1945). Individual comparisons by ranking methods. Biometrics Bulletin 1:80–83.
//   Hollander M, Wolfe DA (1973). Nonparametric Statistical Methods. Wiley, pp. 67–75 (ties).
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

#include "trialstats/compare/alternative.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::compare {

enum class RankTestMethod {
  automatic,  ///< exact when n₁ < 50, n₂ < 50 and no ties, else normal (R's exact = NULL)
  exact,      ///< exact distribution of W; falls back to normal with a warning when there are ties
  normal,     ///< normal approximation
};

struct MannWhitneyOptions {
  Alternative alternative = Alternative::two_sided;
  RankTestMethod method = RankTestMethod::automatic;
  bool continuity = true;  ///< continuity correction of the normal approximation (R's correct = TRUE)
  double mu = 0;           ///< location shift under the null: group 1 values are compared as x − mu
};

struct MannWhitneyResult {
  double w = 0;   ///< rank sum of group 1 minus n₁(n₁ + 1)/2, R's W (= U of group 1)
  double u2 = 0;  ///< n₁n₂ − W, the U of group 2
  double n1 = 0;
  double n2 = 0;
  bool exact = false;  ///< p from the exact distribution
  bool ties = false;
  std::optional<double> z;  ///< normal approximation only: (W − n₁n₂/2 − correction)/σ
  double p = 0;
  Alternative alternative = Alternative::two_sided;
  bool continuity = true;  ///< correction applied (normal approximation only)
  Warnings warnings;
};

namespace detail {

/// Midranks (1-based) of `v`, ties sharing the average of their ranks.
[[nodiscard]] inline std::vector<double> midranks(std::span<const double> v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  return rank;
}

}  // namespace detail

/// Exact distribution of the Mann–Whitney statistic W for group sizes m and n without ties:
/// element u is P(W = u), u = 0 … m·n, counted as the subsets of m ranks out of m + n with rank sum
/// u + m(m + 1)/2 (all C(m + n, m) subsets equally likely under the null).
[[nodiscard]] inline std::vector<double> mann_whitney_distribution(std::size_t m, std::size_t n) {
  const std::size_t max_u = m * n;
  // ways[j][u]: subsets of size j of the ranks seen so far whose U (= rank sum − j(j+1)/2) is u.
  std::vector<std::vector<double>> ways(m + 1, std::vector<double>(max_u + 1, 0.0));
  ways[0][0] = 1;
  for (std::size_t k = 1; k <= m + n; ++k) {  // rank k joins; a subset of size j gains k − j to U
    for (std::size_t j = std::min(k, m); j >= 1; --j) {
      const std::size_t shift = k - j;
      if (shift > n) continue;
      for (std::size_t u = max_u; u + 1 > shift; --u) ways[j][u] += ways[j - 1][u - shift];
    }
  }
  double total = 0;
  for (double w : ways[m]) total += w;
  for (double& w : ways[m]) w /= total;
  return ways[m];
}

/// Mann–Whitney U / Wilcoxon rank-sum test of group 1 against group 2 (R's wilcox.test(x, y)).
/// Exact: two-sided p = min(1, 2·min(P(W ≤ w), P(W ≥ w))) in R's form. Normal: z = (W − n₁n₂/2 − c)/σ,
/// σ² = n₁n₂/12·((N + 1) − Σ(t³ − t)/(N(N − 1))) over tie groups of size t, c = ½·sign(W − n₁n₂/2)
/// (two-sided), ½ (greater) or −½ (less) with the continuity correction.
/// @throws DomainError for an empty group or a value that is not finite.
///
/// Example: `mann_whitney_test(std::vector{1.8, 3.1, 4.2}, std::vector{0.2, 0.9, 1.1, 1.7})` is exact, W = 12.
[[nodiscard]] inline MannWhitneyResult mann_whitney_test(std::span<const double> x, std::span<const double> y,
                                                         const MannWhitneyOptions& o = {}) {
  constexpr std::string_view where = "mann_whitney_test";
  require_at_least(where, "number of values in group 1", x.size(), 1);
  require_at_least(where, "number of values in group 2", y.size(), 1);
  require_finite(where, "null shift", o.mu);
  std::vector<double> all;
  all.reserve(x.size() + y.size());
  for (double v : x) {
    require_finite(where, "value of group 1", v);
    all.push_back(v - o.mu);
  }
  for (double v : y) {
    require_finite(where, "value of group 2", v);
    all.push_back(v);
  }
  const std::vector<double> rank = detail::midranks(all);
  MannWhitneyResult r;
  r.alternative = o.alternative;
  r.n1 = static_cast<double>(x.size());
  r.n2 = static_cast<double>(y.size());
  double sum1 = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sum1 += rank[i];
  r.w = sum1 - r.n1 * (r.n1 + 1) / 2;
  r.u2 = r.n1 * r.n2 - r.w;
  std::vector<double> sorted = rank;
  std::sort(sorted.begin(), sorted.end());
  double tie_sum = 0;  // Σ(t³ − t) over groups of equal ranks
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    const double t = static_cast<double>(j - i);
    tie_sum += t * t * t - t;
    i = j;
  }
  r.ties = tie_sum > 0;
  bool exact =
      o.method == RankTestMethod::exact || (o.method == RankTestMethod::automatic && x.size() < 50 && y.size() < 50);
  if (exact && r.ties) {
    exact = false;
    if (o.method == RankTestMethod::exact)
      r.warnings.push_back({"ties_no_exact", "cannot compute the exact p-value with ties; normal approximation used"});
  }
  if (exact) {
    r.exact = true;
    r.continuity = false;
    const std::vector<double> dist = mann_whitney_distribution(x.size(), y.size());
    const auto w = static_cast<std::size_t>(std::llround(r.w));
    const auto lower = [&](std::size_t q) {  // P(W ≤ q)
      double s = 0;
      for (std::size_t u = 0; u <= q && u < dist.size(); ++u) s += dist[u];
      return std::min(1.0, s);
    };
    const auto upper = [&](std::size_t q) {  // P(W ≥ q)
      double s = 0;
      for (std::size_t u = q; u < dist.size(); ++u) s += dist[u];
      return std::min(1.0, s);
    };
    switch (o.alternative) {
      case Alternative::less:
        r.p = lower(w);
        break;
      case Alternative::greater:
        r.p = upper(w);
        break;
      default:
        r.p = std::min(1.0, 2 * (r.w > r.n1 * r.n2 / 2 ? upper(w) : lower(w)));
    }
    return r;
  }
  const double big_n = r.n1 + r.n2;
  const double sigma = std::sqrt(r.n1 * r.n2 / 12 * ((big_n + 1) - tie_sum / (big_n * (big_n - 1))));
  double z = r.w - r.n1 * r.n2 / 2;
  double c = 0;
  if (o.continuity) {
    switch (o.alternative) {
      case Alternative::less:
        c = -0.5;
        break;
      case Alternative::greater:
        c = 0.5;
        break;
      default:
        c = z > 0 ? 0.5 : (z < 0 ? -0.5 : 0.0);
    }
  }
  r.continuity = o.continuity;
  if (sigma == 0) throw DomainError("mann_whitney_test: every value is tied; the test is undefined");
  z = (z - c) / sigma;
  r.z = z;
  const stats::Normal normal(0.0, 1.0);
  switch (o.alternative) {
    case Alternative::less:
      r.p = cdf(normal, z);
      break;
    case Alternative::greater:
      r.p = cdf(complement(normal, z));
      break;
    default:
      r.p = 2 * std::min(cdf(normal, z), cdf(complement(normal, z)));
  }
  return r;
}

}  // namespace trialstats::compare
