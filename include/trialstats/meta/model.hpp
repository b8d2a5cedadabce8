// Pooling effect sizes: the common-effect model and the random-effects model with every common
// tau² estimator, Wald z / t / Knapp–Hartung inference, prediction intervals, heterogeneity.
//
// References (details and equations in docs/methods.md):
//   Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
//     random-effects model. J Educ Behav Stat 30:261–293.
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
//   Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression with a single
//     covariate. Stat Med 22:2693–2710.
//   Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis. Stat Med 21:1539–1558.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "trialstats/core/types.hpp"

namespace trialstats::meta {

/// How tau² is obtained. `ee` is the common (equal/fixed) effect model, tau² = 0.
enum class Tau2Method { ee, dl, he, hs, hsk, sj, ml, reml, eb, pm, pmm, genq, fixed };

/// The test and CI of the pooled estimate: Wald z, t with k−1 df, or Knapp–Hartung (t, k−1 df, scaled SE).
enum class TestMethod { z, t, knha };

/// I² from the estimated tau² and the typical within-study variance (metafor), or from Q (Higgins & Thompson 2002).
enum class I2Definition { tau2, q };

/// The distribution of the prediction interval: that of the test (metafor: normal for z, t_{k−1}
/// for t/knha), or t_{k−2} (Higgins, Thompson & Spiegelhalter 2009; R meta, RevMan 5).
enum class PiMethod { same_as_test, t_k_minus_2 };

struct PoolOptions {
  Tau2Method method = Tau2Method::reml;
  std::optional<double> tau2;            ///< a fixed tau² (method becomes `fixed`)
  TestMethod test = TestMethod::z;
  double level = 0.95;                   ///< of CIs and the PI
  PiMethod pi = PiMethod::same_as_test;
  I2Definition i2 = I2Definition::tau2;
  double threshold = 1e-10;              ///< iterative estimators: relative change of tau² that ends the iterations
  int max_iter = 100;
  double step_adj = 1;                   ///< step length factor of Fisher scoring (metafor's stepadj)
  bool metafor_stopping = false;         ///< stop as metafor does: |Δtau²| < threshold, nothing else
  std::vector<Tau2Method> fallback;      ///< tried in order when `method` does not converge
  bool tau2_ci = true;                   ///< Q-profile CIs for tau², I², H²
};

struct Heterogeneity {
  double q = 0;                          ///< Cochran's Q (inverse-variance weights)
  int q_df = 0;                          ///< k − 1
  double q_p = 0;                        ///< upper tail of chi-square(q_df); NaN when k = 1
  double tau2 = 0;
  std::optional<double> tau2_se;         ///< absent for estimators without one
  double tau = 0;
  double i2 = 0;                         ///< percent
  double h2 = 1;
  std::optional<Interval> tau2_ci, i2_ci, h2_ci;  ///< Q-profile (Viechtbauer 2007)
};

/// A pooled estimate with everything a report needs.
struct PooledEffect {
  Tau2Method method = Tau2Method::reml;  ///< the estimator that produced tau² (after any fallback)
  TestMethod test = TestMethod::z;
  PiMethod pi_method = PiMethod::same_as_test;
  double level = 0.95;
  int k = 0;                             ///< number of studies
  double estimate = 0;
  double se = 0;
  double statistic = 0;                  ///< z or t
  std::optional<int> df;                 ///< t-based tests: k − 1
  double p = 0;
  Interval ci;
  Interval pi;                           ///< prediction interval; equals ci under a common-effect model
  std::optional<int> pi_df;              ///< df of the t distribution of the PI, absent when normal
  Heterogeneity het;
  std::vector<double> weights;           ///< percent, one per study, in input order
  std::vector<Interval> study_ci;        ///< yi ± crit·sqrt(vi) with the normal quantile at `level`
  int iterations = 0;                    ///< of the iterative estimator, 0 for closed forms
  bool converged = true;
  Warnings warnings;
};

/// Pools `yi` with sampling variances `vi` (same length, vi > 0, finite).
/// @throws DomainError for bad values, NoResultError when k = 0 or the estimator does not converge
///         and no fallback is given.
[[nodiscard]] PooledEffect pool(std::span<const double> yi, std::span<const double> vi, const PoolOptions& options = {});

/// Names as metafor spells them ("REML", "DL", "EE", …) and back.
[[nodiscard]] std::string_view name(Tau2Method method);
[[nodiscard]] std::optional<Tau2Method> parse_tau2_method(std::string_view name);

}  // namespace trialstats::meta
