// Recomputing reported p-values, with statcheck's rules: the p-value of the reported statistic,
// whether the reported p can come from it once the rounding of the statistic is taken into account
// (consistent / inconsistent), and whether the inconsistency flips significance at alpha
// (decision error). A note says when a one-tailed reading would make an inconsistent result
// consistent.
//
// Rules (docs/methods.md, "Checking reported statistics"):
//   p: t: 2·P(T_df > |t|); F: P(F_{df1,df2} > F); r: as t with t = r·√(df/(1 − r²)); χ²: P(χ²_df > x);
//   z: 2·P(Z > |z|). A statistic written with d decimals stands for any value within ½·10⁻ᵈ of it:
//   p_hi is the p of |x| − ½·10⁻ᵈ (at least 0), p_lo that of |x| + ½·10⁻ᵈ. "p = y" (k decimals) is
//   consistent when round(p_lo, k) ≤ y ≤ round(p_hi, k); "p < y" when y ≥ p_lo; "p > y" when y ≤ p_hi;
//   "ns" is read as p > alpha; "p = 0" is never consistent. Decision errors follow statcheck's
//   table with p = alpha counted as significant.
//
// Reference: Nuijten MB, Hartgerink CHJ, van Assen MALM, Epskamp S, Wicherts JM (2016). The
//   prevalence of statistical reporting errors in psychology (1985–2013). Behav Res Methods
//   48:1205–1226; statcheck 1.4.0 (R package), functions error_test and decision_error_test.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <boost/math/distributions/fisher_f.hpp>

#include "trialstats/claims/reported.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::claims {

/// What the check adds to a consistent or inconsistent verdict.
enum class FindingNote {
  none,
  one_tailed,  ///< inconsistent as a two-tailed p, consistent as a one-tailed one (t, r, z only)
  p_zero,      ///< p reported as 0, which no test gives: write p < .001
};

[[nodiscard]] inline std::string_view describe(FindingNote n) {
  switch (n) {
    case FindingNote::one_tailed:
      return "consistent if the test was one-tailed";
    case FindingNote::p_zero:
      return "a p-value cannot be 0; report it as p < .001";
    default:
      return "";
  }
}

struct CheckOptions {
  double alpha = 0.05;  ///< significance level for decision errors; "ns" means p > alpha
};

/// One reported statistic and what recomputing it says.
struct Finding {
  ReportedStatistic reported;
  double computed_p = 0;  ///< from the statistic as written, two-tailed for t, r, z
  bool consistent = true;
  bool decision_error = false;  ///< inconsistent and on the other side of alpha
  FindingNote note = FindingNote::none;
};

/// Every finding of a text.
struct CheckResult {
  std::vector<Finding> findings;
  Warnings warnings;
  [[nodiscard]] std::size_t inconsistent() const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return !f.consistent; }));
  }
  [[nodiscard]] std::size_t decision_errors() const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.decision_error; }));
  }
};

namespace detail {

/// p of a statistic; `two_tailed` applies to t, r and z.
inline double p_of(TestKind kind, double x, const std::vector<double>& df, bool two_tailed) {
  const double tails = two_tailed ? 2 : 1;
  switch (kind) {
    case TestKind::t:
      return std::isinf(x) ? 0.0 : tails * cdf(complement(stats::StudentsT(df.at(0)), std::fabs(x)));
    case TestKind::r: {
      const double r = std::fabs(x);
      if (r >= 1) return 0.0;
      const double t = r / std::sqrt((1 - r * r) / df.at(0));
      return tails * cdf(complement(stats::StudentsT(df.at(0)), t));
    }
    case TestKind::f:
      return cdf(
          complement(boost::math::fisher_f_distribution<double, stats::Policy>(df.at(0), df.at(1)), std::max(0.0, x)));
    case TestKind::chi2:
      return stats::chi_squared_upper_p(x, df.at(0));
    default:
      return tails * cdf(complement(stats::Normal(0.0, 1.0), std::fabs(x)));
  }
}

/// round(x, d) as R's round for the values met here (half away from zero).
inline double round_to(double x, int d) {
  const double f = std::pow(10.0, d);
  return std::round(x * f) / f;
}

/// statcheck's error_test: whether the reported p cannot come from the statistic as rounded.
inline bool is_error(const ReportedStatistic& r, Relation p_rel, double p, bool two_tailed) {
  if (p <= 0) return true;  // pZeroError
  const double half = 0.5 / std::pow(10.0, r.value_decimals);
  const double a = std::fabs(r.value);
  const double p_hi = p_of(r.test, std::max(0.0, a - half), r.df, two_tailed);
  const double p_lo = p_of(r.test, a + half, r.df, two_tailed);
  const bool lt = p_rel == Relation::lt || p_rel == Relation::le;
  const bool gt = p_rel == Relation::gt || p_rel == Relation::ge;
  switch (r.test_relation) {
    case Relation::lt:
      if (lt) return p < p_hi;
      if (gt) return false;
      return p < round_to(p_hi, r.p_decimals);
    case Relation::gt:
      if (lt) return false;
      if (gt) return p > p_lo;
      return p > round_to(p_lo, r.p_decimals);
    default:
      if (lt) return p < p_lo;
      if (gt) return p > p_hi;
      return p > round_to(p_hi, r.p_decimals) || p < round_to(p_lo, r.p_decimals);
  }
}

/// statcheck's decision_error_test with pEqualAlphaSig = TRUE.
inline bool is_decision_error(Relation test_rel, Relation p_rel, double p, double computed, double alpha) {
  const bool lt = p_rel == Relation::lt || p_rel == Relation::le;
  const bool gt = p_rel == Relation::gt || p_rel == Relation::ge;
  switch (test_rel) {
    case Relation::lt:
      if (gt) return false;
      return p <= alpha && computed >= alpha;
    case Relation::gt:
      if (lt) return false;
      if (gt) return p >= alpha && computed <= alpha;
      return p > alpha && computed <= alpha;
    default:
      if (lt) return p <= alpha && computed > alpha;
      if (gt) return p >= alpha && computed <= alpha;
      return (p <= alpha && computed > alpha) || (p > alpha && computed <= alpha);
  }
}

}  // namespace detail

/// Recomputes one reported statistic with statcheck's rules (see the top of this header).
///
/// Example: `check_statistic(find_reported_statistics("t(28) = 2.20, p = .02")[0])` is inconsistent
/// (p = .036) without a decision error.
[[nodiscard]] inline Finding check_statistic(const ReportedStatistic& r, const CheckOptions& o = {}) {
  Finding f;
  f.reported = r;
  f.computed_p = detail::p_of(r.test, r.value, r.df, true);
  const Relation rel = r.p_relation == Relation::ns ? Relation::gt : r.p_relation;
  const double p = r.p_relation == Relation::ns ? o.alpha : r.p;
  const bool error = detail::is_error(r, rel, p, true);
  f.consistent = !error;
  f.decision_error = error && detail::is_decision_error(r.test_relation, rel, p, f.computed_p, o.alpha);
  if (error && p <= 0)
    f.note = FindingNote::p_zero;
  else if (error && r.test != TestKind::f && r.test != TestKind::chi2 && !detail::is_error(r, rel, p, false))
    f.note = FindingNote::one_tailed;
  return f;
}

/// Finds and recomputes every reported statistic in `text`. A statistic with degrees of freedom that
/// are not positive (t(0) = …) or a value too large for a double is not checked; a warning
/// "unusable_statistic" names it.
[[nodiscard]] inline CheckResult check_text(std::string_view text, const CheckOptions& o = {}) {
  CheckResult result;
  for (const auto& r : find_reported_statistics(text)) {
    const bool df_ok = std::all_of(r.df.begin(), r.df.end(), [](double d) { return d > 0 && std::isfinite(d); });
    if (!df_ok || !std::isfinite(r.value)) {
      result.warnings.push_back(
          {"unusable_statistic",
           fmt::format("line {}, column {}: \"{}\" has {}; not checked", r.line, r.column, r.text,
                       df_ok ? "a value too large to read" : "degrees of freedom that are not positive")});
      continue;
    }
    result.findings.push_back(check_statistic(r, o));
  }
  return result;
}

}  // namespace trialstats::claims
