// Rank correlations: Spearman's rho and Kendall's tau-b, with the p-values of R's cor.test
// (exact, Edgeworth series, t or normal approximations) and Fisher-z intervals.
//
// References:
//   Spearman C (1904). The proof and measurement of association between two things. Am J Psychol 15:72-101.
//   Kendall MG (1945). The treatment of ties in ranking problems. Biometrika 33:239-251 (tau-b; variance of S with
//   ties). Knight WR (1966). A computer method for calculating Kendall's tau with ungrouped data. JASA 61:436-439
//     (O(n log n): sort by x, count exchanges of a merge sort on y).
//   Best DJ, Roberts DE (1975). Algorithm AS 89: the upper tail probabilities of Spearman's rho.
//     Appl Stat 24:377-379 (exact enumeration for small n, Edgeworth series above; as R's prho.c).
//   Fieller EC, Hartley HO, Pearson ES (1957). Tests for rank correlation coefficients I. Biometrika 44:470-481
//     (var atanh rho ≈ 1.06/(n-3); var atanh tau ≈ 0.437/(n-4)).
//   Bonett DG, Wright TA (2000). Sample size requirements for estimating Pearson, Kendall and Spearman
//     correlations. Psychometrika 65:23-28 (var atanh rho ≈ (1 + rho²/2)/(n-3)).
//   R 4.2 stats::cor.test(method = "spearman" | "kendall").
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/corr/correlation.hpp"
#include "trialstats/corr/pearson.hpp"
#include "trialstats/corr/rank_sort.hpp"
#include "trialstats/stats/kendall.hpp"

namespace trialstats::corr {

/// Both variables as doubled average ranks (1-based; ties share the mean rank; doubled so that
/// they stay integers), with their tie sums, and y's ranks in the order of x (ties in x broken by y)
/// with the pairs tied in both. Computed once for Spearman and Kendall.
struct RankedPairs {
  std::vector<std::uint32_t> rx2, ry2;  ///< 2 × average rank
  std::vector<std::uint32_t> y_by_x;    ///< ry2 in the order of (x, y)
  TieSums ties_x, ties_y;
  std::uint64_t joint_ties = 0;  ///< pairs tied in both x and y
  [[nodiscard]] std::size_t size() const noexcept { return rx2.size(); }
  [[nodiscard]] bool has_ties() const noexcept { return ties_x.groups + ties_y.groups > 0; }
};

namespace detail {

/// P(S ≥ is) (or P(S < is) when `lower`) of S = Σd² under independence, as AS 89 in R's prho.c:
/// exact enumeration of the n! permutations for n ≤ 9, Edgeworth series above.
[[nodiscard]] inline double spearman_tail(std::size_t n, double is, bool lower) {
  double pv = lower ? 0.0 : 1.0;
  if (n <= 1 || is <= 0) return pv;
  const double nd = static_cast<double>(n);
  const double n3 = nd * (nd * nd - 1) / 3;  // the largest S
  if (is > n3) return 1 - pv;
  if (n <= 9) {
    std::vector<int> perm(n);
    std::iota(perm.begin(), perm.end(), 1);
    double count = 0, total = 0;
    do {
      double s = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double d = static_cast<double>(static_cast<int>(i) + 1 - perm[i]);
        s += d * d;
      }
      if (s >= is) ++count;
      ++total;
    } while (std::next_permutation(perm.begin(), perm.end()));
    return (lower ? total - count : count) / total;
  }
  // Edgeworth series (AS 89): x = rho·sqrt(n-1) for the S just below `is`, plus a correction term.
  const double b = 1 / nd;
  const double x = (6 * (is - 1) * b / (nd * nd - 1) - 1) * std::sqrt(nd - 1);
  const double x2 = x * x;
  constexpr double c1 = 0.2274, c2 = 0.2531, c3 = 0.1745, c4 = 0.0758, c5 = 0.1033, c6 = 0.3932, c7 = 0.0879,
                   c8 = 0.0151, c9 = 0.0072, c10 = 0.0831, c11 = 0.0131, c12 = 4.6e-4;
  const double u =
      x * b *
      (c1 + b * (c2 + c3 * b) +
       x2 * (-c4 + b * (c5 + c6 * b) - x2 * b * (c7 + c8 * b - x2 * (c9 - c10 * b + x2 * b * (c11 - c12 * x2)))));
  const double corr = u / std::exp(x2 / 2);
  const stats::Normal normal(0.0, 1.0);
  pv = lower ? -corr + cdf(normal, x) : corr + cdf(complement(normal, x));
  return std::clamp(pv, 0.0, 1.0);
}

inline void rank_ci(Correlation& c, double variance_numerator, double n_offset, CiMethod method) {
  const double nn = static_cast<double>(c.n);
  if (nn - n_offset > 0 && std::fabs(c.estimate) < 1) {
    c.ci = fisher_z_interval(c.estimate, std::sqrt(variance_numerator / (nn - n_offset)), c.level, c.alternative);
    c.ci_method = method;
  } else if (nn - n_offset > 0) {  // |r| = 1: the interval collapses on the estimate's side
    c.ci = fisher_z_interval(c.estimate, 1.0, c.level, c.alternative);
    c.ci_method = method;
  }
}

}  // namespace detail

/// Ranks both variables (average ranks for ties): y first, then x with y's ranks breaking its ties,
/// each by a bucket sort of the values' bit patterns (detail::rank_values; two threads from 100,000 pairs).
/// @throws DomainError for different sizes, n < 3, non-finite values, more than 2^31 - 1 pairs.
[[nodiscard]] inline RankedPairs rank_pairs(std::span<const double> x, std::span<const double> y) {
  detail::check_pairs("rank_pairs", x, y);
  if (x.size() >= (std::size_t{1} << 31)) throw DomainError("rank_pairs: more than 2^31 - 1 pairs");
  RankedPairs r;
  r.ties_y = detail::rank_values(y, {}, r.ry2, nullptr).ties;
  const detail::RankSums sx = detail::rank_values(x, r.ry2, r.rx2, &r.y_by_x);
  r.ties_x = sx.ties;
  r.joint_ties = sx.joint;
  return r;
}

/// Average ranks (1-based; ties get the mean of their positions), as R's rank(ties.method = "average").
[[nodiscard]] inline std::vector<double> average_ranks(std::span<const double> v) {
  std::vector<std::uint32_t> r2;
  (void)detail::rank_values(v, {}, r2, nullptr);
  std::vector<double> out(r2.size());
  for (std::size_t i = 0; i < r2.size(); ++i) out[i] = r2[i] / 2.0;
  return out;
}

/// Spearman's rho of ranked pairs: Pearson's r of the average ranks. p-value as cor.test: without ties
/// and n < 1290 from the distribution of S = Σd² (exact n ≤ 9, AS 89 Edgeworth series above; statistic S),
/// else from t = rho·sqrt((n-2)/(1-rho²)) on n-2 df (statistic t). CI: Fisher z with Fieller's
/// (1.06/(n-3)) or Bonett–Wright's ((1 + rho²/2)/(n-3)) variance.
/// @throws DomainError when a variable is constant.
[[nodiscard]] inline Correlation spearman(const RankedPairs& rp, const CorrelationOptions& o = {}) {
  constexpr std::string_view where = "spearman";
  detail::check_level(where, o.level);
  const std::size_t n = rp.size();
  require_at_least(where, "the number of pairs", n, 3);
  const double nd = static_cast<double>(n);
  const double mean2 = nd + 1;  // mean of doubled ranks
  double sxx = 0, syy = 0, sxy = 0, sdd = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = rp.rx2[i] - mean2, b = rp.ry2[i] - mean2;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
    const double d = static_cast<double>(rp.rx2[i]) - static_cast<double>(rp.ry2[i]);
    sdd += d * d;
  }
  detail::require_varying(where, "x", sxx);
  detail::require_varying(where, "y", syy);
  Correlation c{.method = Method::spearman, .n = n, .alternative = o.alternative, .level = o.level, .warnings = {}};
  c.estimate = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
  const bool ties = rp.has_ties();
  const bool exact = !ties && n < 1290 && o.exact != ExactRule::never;
  const double q = (nd * nd * nd - nd) * (1 - c.estimate) / 6;  // R's S
  if (exact) {
    const double s = ties ? q : sdd / 4;  // Σd², exactly (an integer) without ties
    c.statistic = s;
    c.statistic_kind = Statistic::s;
    c.p_method = n <= 9 ? PMethod::exact : PMethod::edgeworth;
    const double is = std::nearbyint(s);
    const double upper = detail::spearman_tail(n, is, false);     // P(S ≥ s): rho this small or smaller
    const double lower = detail::spearman_tail(n, is + 2, true);  // P(S ≤ s): rho this large or larger
    switch (o.alternative) {
      case Alternative::greater:
        c.p = lower;
        break;
      case Alternative::less:
        c.p = upper;
        break;
      case Alternative::two_sided:
        c.p = std::min(1.0, 2 * (s > (nd * nd * nd - nd) / 6 ? upper : lower));
        break;
    }
  } else {
    double r = c.estimate;
    if (o.continuity) r = 1 - q / ((nd * nd * nd - nd) / 6 + 1);
    c.statistic = t_of_r(r, nd - 2);
    c.statistic_kind = Statistic::t;
    c.df = nd - 2;
    c.p = t_p_value(c.statistic, c.df, o.alternative);
    c.p_method = PMethod::t;
    if (ties && o.exact == ExactRule::always)
      c.warnings.push_back({"exact_with_ties", "ties in the ranks: no exact p-value; the t approximation is used"});
  }
  if (o.spearman_ci == RankCi::fieller)
    detail::rank_ci(c, 1.06, 3, CiMethod::fisher_z_fieller);
  else
    detail::rank_ci(c, 1 + c.estimate * c.estimate / 2, 3, CiMethod::fisher_z_bonett_wright);
  return c;
}

/// Spearman's rho of paired samples (R: cor.test(x, y, method = "spearman")); see the overload above.
/// Example: `spearman(hf_change, fatigue_change).p`.
[[nodiscard]] inline Correlation spearman(std::span<const double> x, std::span<const double> y,
                                          const CorrelationOptions& o = {}) {
  return spearman(rank_pairs(x, y), o);
}

/// Kendall's tau-b of ranked pairs in O(n log n) (Knight 1966). p-value as cor.test: without ties and
/// n < 50 from the exact distribution of T = concordant pairs (statistic T), else z = S/sqrt(var S) with
/// Kendall's tie-corrected variance of S = concordant − discordant (statistic z). CI: Fisher z with
/// Fieller's variance 0.437/(n-4).
/// @throws DomainError when a variable is constant.
[[nodiscard]] inline Correlation kendall(const RankedPairs& rp, const CorrelationOptions& o = {}) {
  constexpr std::string_view where = "kendall";
  detail::check_level(where, o.level);
  const std::size_t n = rp.size();
  require_at_least(where, "the number of pairs", n, 3);
  if (rp.ties_x.groups == 1 && rp.ties_x.t1 == static_cast<double>(n) * (static_cast<double>(n) - 1))
    detail::require_varying(where, "x", 0);
  if (rp.ties_y.groups == 1 && rp.ties_y.t1 == static_cast<double>(n) * (static_cast<double>(n) - 1))
    detail::require_varying(where, "y", 0);
  const std::uint64_t joint = rp.joint_ties;  // pairs tied in both
  const std::uint64_t discordant = detail::count_inversions(rp.y_by_x);
  const double nd = static_cast<double>(n);
  const double n0 = nd * (nd - 1) / 2, n1 = rp.ties_x.t1 / 2, n2 = rp.ties_y.t1 / 2;
  const double s = n0 - n1 - n2 + static_cast<double>(joint) - 2 * static_cast<double>(discordant);
  Correlation c{.method = Method::kendall, .n = n, .alternative = o.alternative, .level = o.level, .warnings = {}};
  c.estimate = std::clamp(s / std::sqrt((n0 - n1) * (n0 - n2)), -1.0, 1.0);
  const bool ties = rp.has_ties();
  const bool exact = !ties && (o.exact == ExactRule::automatic ? n < 50 : o.exact == ExactRule::always && n <= 1000);
  if (exact) {
    const std::vector<double> f = stats::kendall_null(n);
    const auto q = static_cast<std::size_t>(n0) - static_cast<std::size_t>(discordant);  // concordant pairs
    double lower = 0, upper = 0;                                                         // P(T ≤ q), P(T ≥ q)
    for (std::size_t t = 0; t <= q; ++t) lower += f[t];
    for (std::size_t t = q; t < f.size(); ++t) upper += f[t];
    c.statistic = static_cast<double>(q);
    c.statistic_kind = Statistic::T;
    c.p_method = PMethod::exact;
    switch (o.alternative) {
      case Alternative::greater:
        c.p = std::min(1.0, upper);
        break;
      case Alternative::less:
        c.p = std::min(1.0, lower);
        break;
      case Alternative::two_sided:
        c.p = std::min(1.0, 2 * (static_cast<double>(q) > n0 / 2 ? upper : lower));
        break;
    }
  } else {
    const double v0 = nd * (nd - 1) * (2 * nd + 5);
    const double var_s = (v0 - rp.ties_x.t1_2t5 - rp.ties_y.t1_2t5) / 18 +
                         rp.ties_x.t1 * rp.ties_y.t1 / (2 * nd * (nd - 1)) +
                         rp.ties_x.t1_t2 * rp.ties_y.t1_t2 / (9 * nd * (nd - 1) * (nd - 2));
    double sc = s;
    if (o.continuity) sc = (s > 0 ? 1 : s < 0 ? -1 : 0) * (std::fabs(s) - 1);
    c.statistic = sc / std::sqrt(var_s);
    c.statistic_kind = Statistic::z;
    c.p = normal_p_value(c.statistic, o.alternative);
    c.p_method = PMethod::normal;
    if (ties && o.exact == ExactRule::always)
      c.warnings.push_back(
          {"exact_with_ties", "ties in the ranks: no exact p-value; the normal approximation is used"});
  }
  detail::rank_ci(c, 0.437, 4, CiMethod::fisher_z_fieller);
  return c;
}

/// Kendall's tau-b of paired samples (R: cor.test(x, y, method = "kendall")); see the overload above.
[[nodiscard]] inline Correlation kendall(std::span<const double> x, std::span<const double> y,
                                         const CorrelationOptions& o = {}) {
  return kendall(rank_pairs(x, y), o);
}

/// Any of the three coefficients by name.
[[nodiscard]] inline Correlation correlate(Method m, std::span<const double> x, std::span<const double> y,
                                           const CorrelationOptions& o = {}) {
  switch (m) {
    case Method::pearson:
      return pearson(x, y, o);
    case Method::spearman:
      return spearman(x, y, o);
    case Method::kendall:
      return kendall(x, y, o);
  }
  return {};
}

}  // namespace trialstats::corr
