// Tests of association in contingency tables: Pearson's chi-square test of an r × c table (with
// Yates' continuity correction for 2 × 2 tables, as R's chisq.test) and Fisher's exact test of a
// 2 × 2 table with the conditional maximum-likelihood odds ratio and its exact interval
// (as R's fisher.test).
//
// References (formulas in docs/methods.md, "Two-group comparisons"):
//   Pearson K (1900). On the criterion that a given system of deviations … Phil Mag 50:157–175.
//   Yates F (1934). Contingency tables involving small numbers and the χ² test. Suppl J R Stat Soc 1:217–235.
//   Fisher RA (1935). The logic of inductive inference. J R Stat Soc 98:39–82.
//   Cornfield J (1956). A statistical problem arising from retrospective studies. Proc Third Berkeley
//     Symp 4:135–148 (conditional MLE and exact limits of the odds ratio).
//   Agresti A (2002). Categorical Data Analysis, 2nd ed. Wiley, §3.5.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include <boost/math/tools/roots.hpp>

#include "trialstats/compare/alternative.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"
#include "trialstats/stats/proportion.hpp"

namespace trialstats::compare {

/// A 2 × 2 table: row 1 is group 1 (a events, b non-events), row 2 is group 2 (c, d).
struct Table2x2 {
  double a = 0;
  double b = 0;
  double c = 0;
  double d = 0;
};

/// An r × c table of counts, row-major.
struct ContingencyTable {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> counts;  ///< rows · cols non-negative counts, row after row
};

[[nodiscard]] inline ContingencyTable to_table(const Table2x2& t) {
  return {2, 2, {t.a, t.b, t.c, t.d}};
}

struct ChiSquareOptions {
  bool yates = true;  ///< continuity correction, applied to 2 × 2 tables only (R's correct = TRUE)
};

struct ChiSquareResult {
  double statistic = 0;          ///< X² = Σ(|O − E| − c)²/E
  double df = 0;                 ///< (r − 1)(c − 1)
  double p = 0;                  ///< upper tail of χ²(df)
  bool yates = false;            ///< the correction was applied (2 × 2 table and asked for)
  double correction = 0;         ///< c = min(½, min |O − E|) with Yates, else 0
  std::vector<double> expected;  ///< E = row total · column total / N, row-major
  Warnings warnings;             ///< "small_expected" when an expected count is below 5
};

/// Pearson's chi-square test of independence of an r × c table, as R's chisq.test(x, correct = yates):
/// E_ij = R_i·C_j/N; with Yates and a 2 × 2 table, c = min(½, min_ij |O_ij − E_ij|).
/// @throws DomainError for fewer than 2 rows or columns, a negative or non-finite count, or a row or
///         column whose total is 0.
///
/// Example: `chi_square_test(to_table({30, 17, 18, 29}))` gives X² = 5.1 on 1 df with Yates.
[[nodiscard]] inline ChiSquareResult chi_square_test(const ContingencyTable& t, const ChiSquareOptions& o = {}) {
  constexpr std::string_view where = "chi_square_test";
  require_at_least(where, "number of rows", t.rows, 2);
  require_at_least(where, "number of columns", t.cols, 2);
  require_same_size(where, "the counts", t.counts.size(), "rows × columns", t.rows * t.cols);
  std::vector<double> row(t.rows, 0.0), col(t.cols, 0.0);
  double total = 0;
  for (std::size_t i = 0; i < t.rows; ++i)
    for (std::size_t j = 0; j < t.cols; ++j) {
      const double v = t.counts[i * t.cols + j];
      require_nonnegative(where, "count", v);
      row[i] += v;
      col[j] += v;
      total += v;
    }
  for (std::size_t i = 0; i < t.rows; ++i)
    if (row[i] == 0) fail_check(where, fmt::format("total of row {}", i + 1), 0, "positive");
  for (std::size_t j = 0; j < t.cols; ++j)
    if (col[j] == 0) fail_check(where, fmt::format("total of column {}", j + 1), 0, "positive");
  ChiSquareResult r;
  r.df = static_cast<double>((t.rows - 1) * (t.cols - 1));
  r.expected.resize(t.counts.size());
  double min_dev = std::numeric_limits<double>::infinity();
  bool small = false;
  for (std::size_t i = 0; i < t.rows; ++i)
    for (std::size_t j = 0; j < t.cols; ++j) {
      const double e = row[i] * col[j] / total;
      r.expected[i * t.cols + j] = e;
      min_dev = std::min(min_dev, std::fabs(t.counts[i * t.cols + j] - e));
      small = small || e < 5;
    }
  r.yates = o.yates && t.rows == 2 && t.cols == 2;
  r.correction = r.yates ? std::min(0.5, min_dev) : 0.0;
  for (std::size_t k = 0; k < t.counts.size(); ++k) {
    const double dev = std::fabs(t.counts[k] - r.expected[k]) - r.correction;
    r.statistic += dev * dev / r.expected[k];
  }
  r.p = stats::chi_squared_upper_p(r.statistic, r.df);
  if (small)
    r.warnings.push_back(
        {"small_expected", "an expected count is below 5; the chi-square approximation may be incorrect"});
  return r;
}

[[nodiscard]] inline ChiSquareResult chi_square_test(const Table2x2& t, const ChiSquareOptions& o = {}) {
  return chi_square_test(to_table(t), o);
}

struct FisherOptions {
  Alternative alternative = Alternative::two_sided;
  double level = 0.95;
  double null_odds_ratio = 1;  ///< odds ratio under the null (R's `or`)
};

struct FisherResult {
  double p = 0;
  double odds_ratio = 0;  ///< conditional maximum-likelihood estimate (0 or +∞ at the ends of the support)
  Interval ci;            ///< exact conditional interval at `level` (one-sided: 0 or +∞ at one end)
  double level = 0.95;
  Alternative alternative = Alternative::two_sided;
  double null_odds_ratio = 1;
};

namespace detail {

/// The non-central hypergeometric distribution of the top-left cell given the margins.
class NoncentralHypergeometric {
 public:
  explicit NoncentralHypergeometric(const Table2x2& t)
      : m_(t.a + t.c), n_(t.b + t.d), k_(t.a + t.b), lo_(std::max(0.0, k_ - n_)), hi_(std::min(k_, m_)) {
    // log C(m, x) + log C(n, k − x) − log C(m + n, k); the constant cancels in `density`.
    const auto log_choose = [](double a, double b) {
      return std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1);
    };
    for (double x = lo_; x <= hi_; ++x) {
      support_.push_back(x);
      log_central_.push_back(log_choose(m_, x) + log_choose(n_, k_ - x));
    }
  }
  [[nodiscard]] double lo() const { return lo_; }
  [[nodiscard]] double hi() const { return hi_; }
  [[nodiscard]] const std::vector<double>& support() const { return support_; }
  /// Probabilities at odds ratio exp(log_psi).
  [[nodiscard]] std::vector<double> density(double log_psi) const {
    std::vector<double> d(support_.size());
    double mx = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < d.size(); ++i) {
      d[i] = log_central_[i] + log_psi * support_[i];
      mx = std::max(mx, d[i]);
    }
    double s = 0;
    for (double& v : d) s += (v = std::exp(v - mx));
    for (double& v : d) v /= s;
    return d;
  }
  [[nodiscard]] double mean(double log_psi) const {
    const auto d = density(log_psi);
    double s = 0;
    for (std::size_t i = 0; i < d.size(); ++i) s += support_[i] * d[i];
    return s;
  }
  /// P(X ≤ q) (or P(X ≥ q) when `upper`) at odds ratio exp(log_psi).
  [[nodiscard]] double tail(double q, double log_psi, bool upper) const {
    const auto d = density(log_psi);
    double s = 0;
    for (std::size_t i = 0; i < d.size(); ++i)
      if (upper ? support_[i] >= q : support_[i] <= q) s += d[i];
    return s;
  }

 private:
  double m_, n_, k_, lo_, hi_;
  std::vector<double> support_;
  std::vector<double> log_central_;
};

/// Root of a function of log ψ that increases (or decreases) in log ψ, found by TOMS 748 on a
/// bracket grown from [−1, 1] until it changes sign; to within a few ulps of log ψ.
template <class F>
[[nodiscard]] double solve_log_odds(F f) {
  double lo = -1, hi = 1;
  for (int i = 0; i < 200 && f(lo) * f(hi) > 0; ++i) {
    lo *= 2;
    hi *= 2;
  }
  if (f(lo) == 0) return lo;
  if (f(hi) == 0) return hi;
  std::uintmax_t iterations = 500;
  const auto root =
      boost::math::tools::toms748_solve(f, lo, hi, boost::math::tools::eps_tolerance<double>(50), iterations);
  return (root.first + root.second) / 2;
}

}  // namespace detail

/// Fisher's exact test of a 2 × 2 table, as R's fisher.test: the conditional distribution of `a` given
/// the margins is non-central hypergeometric with odds ratio ψ. Two-sided p sums the probabilities
/// (at ψ₀) no larger than that of the observed table (×(1 + 10⁻⁷), as R). The estimate solves
/// E_ψ[a] = a; the limits solve P_ψ(X ≥ a) = α/2 (lower) and P_ψ(X ≤ a) = α/2 (upper); both are
/// found on log ψ to full double precision (R's uniroot stops at 1.2·10⁻⁴).
/// @throws DomainError for negative, non-integer or non-finite counts, an empty table, or a bad level.
///
/// Example: `fisher_exact_test({3, 1, 1, 3})` (Fisher's tea tasting) has p = 0.4857.
[[nodiscard]] inline FisherResult fisher_exact_test(const Table2x2& t, const FisherOptions& o = {}) {
  constexpr std::string_view where = "fisher_exact_test";
  for (double v : {t.a, t.b, t.c, t.d}) {
    require_nonnegative(where, "count", v);
    if (v != std::floor(v)) fail_check(where, "count", v, "a whole number");
  }
  stats::require_level(where, o.level);
  if (t.a + t.b + t.c + t.d == 0) throw DomainError("fisher_exact_test: the table has no patients");
  if (!(o.null_odds_ratio >= 0)) fail_check(where, "null odds ratio", o.null_odds_ratio, "non-negative");
  const detail::NoncentralHypergeometric h(t);
  const double x = t.a, lo = h.lo(), hi = h.hi();
  constexpr double inf = std::numeric_limits<double>::infinity();
  FisherResult r;
  r.level = o.level;
  r.alternative = o.alternative;
  r.null_odds_ratio = o.null_odds_ratio;
  const double psi0 = o.null_odds_ratio;
  const auto tail_at = [&](double psi, bool upper) {
    if (psi == 0) return (upper ? x <= lo : x >= lo) ? 1.0 : 0.0;
    if (psi == inf) return (upper ? x <= hi : x >= hi) ? 1.0 : 0.0;
    return std::min(1.0, h.tail(x, std::log(psi), upper));
  };
  switch (o.alternative) {
    case Alternative::less:
      r.p = tail_at(psi0, false);
      break;
    case Alternative::greater:
      r.p = tail_at(psi0, true);
      break;
    default:
      if (psi0 == 0)
        r.p = x == lo ? 1 : 0;
      else if (psi0 == inf)
        r.p = x == hi ? 1 : 0;
      else {
        const auto d = h.density(std::log(psi0));
        const double observed = d[static_cast<std::size_t>(x - lo)] * (1 + 1e-7);
        double s = 0;
        for (double v : d)
          if (v <= observed) s += v;
        r.p = std::min(1.0, s);
      }
  }
  // Conditional MLE: the mean of the distribution is increasing in log ψ.
  if (x == lo)
    r.odds_ratio = 0;
  else if (x == hi)
    r.odds_ratio = inf;
  else
    r.odds_ratio = std::exp(detail::solve_log_odds([&](double lp) { return h.mean(lp) - x; }));
  const auto lower_limit = [&](double alpha) {  // P_ψ(X ≥ x) = alpha, increasing in ψ
    if (x == lo) return 0.0;
    return std::exp(detail::solve_log_odds([&](double lp) { return h.tail(x, lp, true) - alpha; }));
  };
  const auto upper_limit = [&](double alpha) {  // P_ψ(X ≤ x) = alpha, decreasing in ψ
    if (x == hi) return inf;
    return std::exp(detail::solve_log_odds([&](double lp) { return alpha - h.tail(x, lp, false); }));
  };
  switch (o.alternative) {
    case Alternative::less:
      r.ci = {0, upper_limit(1 - o.level)};
      break;
    case Alternative::greater:
      r.ci = {lower_limit(1 - o.level), inf};
      break;
    default:
      r.ci = {lower_limit((1 - o.level) / 2), upper_limit((1 - o.level) / 2)};
  }
  return r;
}

}  // namespace trialstats::compare
