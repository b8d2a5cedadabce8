// What every correlation coefficient of trialstats returns: the estimate with its test and
// interval, in one aggregate; and the Fisher-z interval that most of them share.
//
// References:
//   Fisher RA (1921). On the "probable error" of a coefficient of correlation deduced from a small
//     sample. Metron 1:3-32 (z = atanh r, variance 1/(n-3)).
//   R Core Team (2022). R 4.2: stats::cor.test (conventions for statistics, p-values and intervals).
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string_view>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::corr {

/// The coefficient.
enum class Method { pearson, spearman, kendall };

/// The alternative hypothesis (R's cor.test names: two.sided, less, greater).
enum class Alternative { two_sided, less, greater };

/// How a confidence interval was obtained.
enum class CiMethod {
  none,              ///< no interval (e.g. Pearson with n = 3)
  fisher_z,          ///< tanh(atanh r ± z·se), se = 1/sqrt(n-3) (Pearson; cor.test)
  fisher_z_fieller,  ///< Fisher z with Fieller, Hartley & Pearson's variance (1.06/(n-3) Spearman, 0.437/(n-4) Kendall)
  fisher_z_bonett_wright,  ///< Fisher z with Bonett & Wright's variance (1 + r²/2)/(n-3) (Spearman)
  percentile,              ///< bootstrap percentile
  bca,                     ///< bootstrap bias-corrected and accelerated
};

/// How the p-value was obtained.
enum class PMethod {
  t,          ///< Student's t with `df` degrees of freedom
  normal,     ///< standard normal statistic
  exact,      ///< the exact permutation distribution (no ties)
  edgeworth,  ///< Edgeworth series of AS 89 (Spearman, 10 ≤ n < 1290, no ties; as R)
};

/// The statistic shown next to the p-value, as R's cor.test names it.
enum class Statistic {
  t,  ///< t = r·sqrt(df/(1-r²))
  z,  ///< z = S/sqrt(var S) (Kendall, normal approximation)
  s,  ///< S = Σd² = (n³-n)(1-rho)/6 (Spearman, exact or Edgeworth)
  T,  ///< T = number of concordant pairs (Kendall, exact)
};

/// When to use the exact null distribution (R's `exact = NULL, TRUE, FALSE`).
enum class ExactRule {
  automatic,  ///< as R: Spearman n < 1290 (enumeration n ≤ 9, Edgeworth above), Kendall n < 50; never with ties
  always,     ///< whenever there are no ties (Spearman still n < 1290)
  never,      ///< t (Spearman) or normal (Kendall) approximation
};

/// Variance of Fisher's z for a Spearman coefficient.
enum class RankCi { fieller, bonett_wright };

struct CorrelationOptions {
  double level = 0.95;  ///< confidence level, in (0, 1)
  Alternative alternative = Alternative::two_sided;
  ExactRule exact = ExactRule::automatic;
  RankCi spearman_ci = RankCi::fieller;
  bool continuity = false;  ///< continuity correction of R (Kendall and Spearman approximations)
};

/// One coefficient with its inference.
struct Correlation {
  Method method = Method::pearson;
  std::size_t n = 0;  ///< complete pairs used
  double estimate = std::numeric_limits<double>::quiet_NaN();
  Interval ci{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  CiMethod ci_method = CiMethod::none;
  double statistic = std::numeric_limits<double>::quiet_NaN();
  Statistic statistic_kind = Statistic::t;
  double df = std::numeric_limits<double>::quiet_NaN();  ///< NaN when the statistic has no degrees of freedom
  double p = std::numeric_limits<double>::quiet_NaN();
  PMethod p_method = PMethod::t;
  Alternative alternative = Alternative::two_sided;
  double level = 0.95;
  Warnings warnings;
};

[[nodiscard]] constexpr std::string_view name(Method m) {
  switch (m) {
    case Method::pearson:
      return "pearson";
    case Method::spearman:
      return "spearman";
    case Method::kendall:
      return "kendall";
  }
  return "";
}
[[nodiscard]] constexpr std::string_view name(Alternative a) {
  switch (a) {
    case Alternative::two_sided:
      return "two.sided";
    case Alternative::less:
      return "less";
    case Alternative::greater:
      return "greater";
  }
  return "";
}
[[nodiscard]] constexpr std::string_view name(CiMethod m) {
  switch (m) {
    case CiMethod::none:
      return "none";
    case CiMethod::fisher_z:
      return "fisher_z";
    case CiMethod::fisher_z_fieller:
      return "fisher_z_fieller";
    case CiMethod::fisher_z_bonett_wright:
      return "fisher_z_bonett_wright";
    case CiMethod::percentile:
      return "percentile";
    case CiMethod::bca:
      return "bca";
  }
  return "";
}
[[nodiscard]] constexpr std::string_view name(PMethod m) {
  switch (m) {
    case PMethod::t:
      return "t";
    case PMethod::normal:
      return "normal";
    case PMethod::exact:
      return "exact";
    case PMethod::edgeworth:
      return "edgeworth";
  }
  return "";
}
[[nodiscard]] constexpr std::string_view name(Statistic s) {
  switch (s) {
    case Statistic::t:
      return "t";
    case Statistic::z:
      return "z";
    case Statistic::s:
      return "S";
    case Statistic::T:
      return "T";
  }
  return "";
}

/// Interval for a correlation on Fisher's z scale: tanh(atanh(r) ± q·se), with q the normal quantile
/// for `level` (two-sided: (1+level)/2; one-sided: level, the other bound at ∓1), as cor.test.
[[nodiscard]] inline Interval fisher_z_interval(double r, double se, double level, Alternative alternative) {
  const double z = std::atanh(r);
  switch (alternative) {
    case Alternative::two_sided: {
      const double q = stats::normal_critical(level);
      return {std::tanh(z - q * se), std::tanh(z + q * se)};
    }
    case Alternative::less:
      return {-1.0, std::tanh(z + stats::normal_critical(2 * level - 1) * se)};
    case Alternative::greater:
      return {std::tanh(z - stats::normal_critical(2 * level - 1) * se), 1.0};
  }
  return {};
}

/// p-value of a t statistic for the alternative (less: P(T ≤ t); greater: P(T ≥ t); two-sided: doubled smaller tail).
[[nodiscard]] inline double t_p_value(double t, double df, Alternative alternative) {
  const stats::StudentsT dist(df);
  if (std::isinf(t)) {
    const double lower = t < 0 ? 0.0 : 1.0;
    return alternative == Alternative::less ? lower : alternative == Alternative::greater ? 1 - lower : 0.0;
  }
  switch (alternative) {
    case Alternative::less:
      return cdf(dist, t);
    case Alternative::greater:
      return cdf(complement(dist, t));
    case Alternative::two_sided:
      return stats::t_two_sided_p(t, df);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

/// p-value of a standard normal statistic for the alternative.
[[nodiscard]] inline double normal_p_value(double z, Alternative alternative) {
  const stats::Normal dist(0.0, 1.0);
  if (std::isinf(z)) {
    const double lower = z < 0 ? 0.0 : 1.0;
    return alternative == Alternative::less ? lower : alternative == Alternative::greater ? 1 - lower : 0.0;
  }
  switch (alternative) {
    case Alternative::less:
      return cdf(dist, z);
    case Alternative::greater:
      return cdf(complement(dist, z));
    case Alternative::two_sided:
      return stats::normal_two_sided_p(z);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

/// t = r·sqrt(df/(1-r²)) (±Inf for |r| = 1).
[[nodiscard]] inline double t_of_r(double r, double df) {
  if (std::fabs(r) >= 1)
    return r > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  return r * std::sqrt(df / (1 - r * r));
}

namespace detail {
inline void check_level(std::string_view where, double level) {
  if (!(level > 0 && level < 1)) fail_check(where, "level", level, "between 0 and 1 (exclusive)");
}
}  // namespace detail

}  // namespace trialstats::corr
