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
//   Viechtbauer W (2007). Confidence intervals for the amount of heterogeneity in meta-analysis. Stat Med 26:37–52.
//
// The enums live with their concept: Tau2Method in tau2.hpp, TestMethod and PiMethod in inference.hpp,
// I2Definition in heterogeneity.hpp. Bodies are in model_impl.hpp.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/confint.hpp"
#include "trialstats/meta/heterogeneity.hpp"
#include "trialstats/meta/inference.hpp"
#include "trialstats/meta/tau2.hpp"

namespace trialstats::meta {

/// How to pool. The defaults are metafor 3.8's, except the stopping rule of the iterative estimators
/// (see `threshold` and `metafor_stopping`).
struct PoolOptions {
  Tau2Method method = Tau2Method::reml;
  std::optional<double> tau2{};  ///< a fixed tau² (method becomes `fixed`)
  TestMethod test = TestMethod::z;
  double level = 0.95;  ///< of CIs and the PI
  PiMethod pi = PiMethod::same_as_test;
  I2Definition i2 = I2Definition::tau2;
  double threshold = 1e-10;  ///< iterative estimators: relative change of tau² that ends the iterations
                             ///< (absolute change with metafor_stopping; metafor's default is 1e-5)
  int max_iter = 100;
  double step_adj = 1;                 ///< step length factor of Fisher scoring (metafor's stepadj)
  bool metafor_stopping = false;       ///< ML/REML/EB: metafor's Fisher scoring, stop when |Δtau²| < threshold
  std::vector<Tau2Method> fallback{};  ///< tried in order when `method` does not converge
  bool tau2_ci = true;                 ///< Q-profile CIs for tau², I², H²
  std::vector<double> genq_weights{};  ///< GENQ only: weights a_i of the generalised Q statistic, one per study,
                                       ///< also used for the pooled estimate (metafor's `weights` argument)
};

struct Heterogeneity {
  double q = 0;    ///< Cochran's Q (inverse-variance weights)
  int q_df = 0;    ///< k − 1
  double q_p = 1;  ///< upper tail of chi-square(q_df); 1 when k = 1 (metafor)
  double tau2 = 0;
  std::optional<double> tau2_se{};  ///< absent for estimators without one
  double tau = 0;
  double i2 = 0;  ///< percent
  double h2 = 1;
  std::optional<Interval> tau2_ci{}, i2_ci{}, h2_ci{};  ///< Q-profile (Viechtbauer 2007); absent for EE, a fixed
                                                        ///< tau², k = 1 or PoolOptions::tau2_ci = false
};

/// A pooled estimate with everything a report needs.
struct PooledEffect {
  Tau2Method method = Tau2Method::reml;  ///< the estimator that produced tau² (after any fallback)
  TestMethod test = TestMethod::z;
  PiMethod pi_method = PiMethod::same_as_test;
  double level = 0.95;
  int k = 0;  ///< number of studies
  double estimate = 0;
  double se = 0;
  double statistic = 0;     ///< z or t
  std::optional<int> df{};  ///< t-based tests: k − 1
  double p = 0;
  Interval ci{};
  Interval pi{};               ///< prediction interval; equals ci under a common-effect model
  std::optional<int> pi_df{};  ///< df of the t distribution of the PI, absent when normal
  Heterogeneity het{};
  std::vector<double> weights{};     ///< percent, one per study, in input order (GENQ: of genq_weights)
  std::vector<Interval> study_ci{};  ///< yi ± crit·sqrt(vi) with the normal quantile at `level`
  int iterations = 0;                ///< of the iterative estimator, 0 for closed forms
  bool converged = true;
  Warnings warnings{};
};

/// Pools `yi` with sampling variances `vi` (same length, vi > 0, finite) under the common-effect
/// model (`ee`) or a random-effects model with the chosen tau² estimator, as metafor 3.8's
/// rma.uni(yi, vi, method, test) with an intercept only (Viechtbauer 2010).
/// k = 1: tau² = 0 (or the fixed value), Q = 0, p = 1, I² = 0, H² = 1, z test, warning `k_is_1`.
/// Non-convergence: the fallbacks in order (warning `tau2_not_converged`), else NoResultError.
/// @param yi effects, @param vi their sampling variances, @param options see PoolOptions.
/// @returns the pooled estimate, its test, CI and PI, heterogeneity, study weights and warnings.
/// @throws DomainError for bad values (non-finite yi, vi ≤ 0, sizes, level, GENQ weights),
///         UsageError for contradicting options (GENQ without weights, `fixed` without tau2),
///         NoResultError when k = 0 or no estimator converges.
/// Example:
///   auto r = meta::pool(yi, vi, {.method = meta::Tau2Method::dl, .test = meta::TestMethod::knha});
///   // r.estimate, r.ci.lower, r.het.tau2, r.het.i2, r.warnings
[[nodiscard]] inline PooledEffect pool(std::span<const double> yi, std::span<const double> vi,
                                       const PoolOptions& options = {});

/// Names as metafor spells them ("REML", "DL", "EE", "HSk", "GENQ", …; `fixed` is "fixed") and back.
/// Parsing ignores case and also accepts metafor's aliases "FE" and "CE" for EE.
[[nodiscard]] inline std::string_view name(Tau2Method method);
[[nodiscard]] inline std::optional<Tau2Method> parse_tau2_method(std::string_view name);

/// "z", "t", "knha" and back (parsing also accepts "hksj" and "hk" for knha, ignoring case).
[[nodiscard]] inline std::string_view name(TestMethod test);
[[nodiscard]] inline std::optional<TestMethod> parse_test_method(std::string_view name);

}  // namespace trialstats::meta

#include "trialstats/meta/model_impl.hpp"
