// Inference on the pooled estimate: Wald z, t with k − 1 df, Knapp–Hartung, prediction intervals.
//
// References (equations in docs/methods.md, section "Pooling"):
//   Hartung J, Knapp G (2001). On tests of the overall treatment effect in meta-analysis with
//     normally distributed responses. Stat Med 20:1771–1782.
//   Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression with a single
//     covariate. Stat Med 22:2693–2710.
//   Higgins JPT, Thompson SG, Spiegelhalter DJ (2009). A re-evaluation of random-effects
//     meta-analysis. J R Stat Soc A 172:137–159.                                   (prediction interval)
//   Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects meta-analyses. BMJ 342:d549.
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>

#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

/// The test and CI of the pooled estimate: Wald z, t with k−1 df, or Knapp–Hartung (t, k−1 df, scaled SE).
enum class TestMethod { z, t, knha };

/// The distribution of the prediction interval: that of the test (metafor: normal for z, t_{k−1}
/// for t/knha), or t_{k−2} (Higgins, Thompson & Spiegelhalter 2009; R meta, RevMan 5; metafor
/// pi.type = "riley"). t_{k−2} counts an estimated tau² as a parameter: with a fixed tau² the df is k − 1.
enum class PiMethod { same_as_test, t_k_minus_2 };

/// A test of the pooled estimate with its confidence interval.
struct EstimateTest {
  double se = 0;         ///< after any Knapp–Hartung scaling
  double statistic = 0;  ///< estimate / se; 0 when both are 0
  double p = 1;
  Interval ci{};
  std::optional<int> df{};  ///< t-based tests
  double crit = 0;          ///< the quantile the CI uses
};

/// Knapp–Hartung scale factor s² = Σ w_i (y_i − μ̂)² / (k − 1) with w_i = 1/(v_i + tau²) and μ̂ the
/// inverse-variance estimate; 0 when the weighted residual sum of squares is ≤ DBL_EPSILON (metafor).
/// No truncation at 1 (metafor's test = "knha"; "adhoc" would truncate).
[[nodiscard]] inline double knha_scale(std::span<const double> yi, std::span<const double> vi, double tau2) {
  double s1 = 0, swy = 0;
  for (std::size_t i = 0; i < yi.size(); ++i) {
    const double w = 1.0 / (vi[i] + tau2);
    s1 += w;
    swy += w * yi[i];
  }
  const double mu = swy / s1;
  double rss = 0;
  for (std::size_t i = 0; i < yi.size(); ++i) rss += (yi[i] - mu) * (yi[i] - mu) / (vi[i] + tau2);
  if (rss <= std::numeric_limits<double>::epsilon()) return 0.0;
  return rss / (static_cast<double>(yi.size()) - 1);
}

/// Wald-type test of `estimate` with standard error `se`: z (normal) or t with `df` degrees of
/// freedom (df > 0). When se = 0 (Knapp–Hartung with identical effects) the statistic is ±∞ with
/// p = 0, or 0 with p = 1 when the estimate is 0 as well (metafor gives NaN there).
[[nodiscard]] inline EstimateTest test_estimate(double estimate, double se, std::optional<int> df, double level) {
  EstimateTest r;
  r.se = se;
  r.df = df;
  r.crit = df ? stats::t_critical(level, *df) : stats::normal_critical(level);
  if (se > 0) {
    r.statistic = estimate / se;
  } else {
    r.statistic = estimate == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), estimate);
  }
  if (estimate == 0 && se == 0) {
    r.p = 1;
  } else {
    r.p = df ? stats::t_two_sided_p(r.statistic, *df) : stats::normal_two_sided_p(r.statistic);
  }
  r.ci = {estimate - r.crit * se, estimate + r.crit * se};
  return r;
}

/// Prediction interval estimate ± crit·sqrt(se² + tau²); crit from t with `df` degrees of freedom,
/// or normal when df is absent.
[[nodiscard]] inline Interval prediction_interval(double estimate, double se, double tau2, std::optional<int> df,
                                                  double level) {
  const double crit = df ? stats::t_critical(level, *df) : stats::normal_critical(level);
  const double half = crit * std::sqrt(se * se + tau2);
  return {estimate - half, estimate + half};
}

}  // namespace trialstats::meta
