// Mixed-effects meta-regression y = Xβ + u + e, u ~ N(0, tau² I), e ~ N(0, diag(v)): numeric and
// categorical moderators, every tau² estimator that generalises to moderators, Wald z / t / Knapp–
// Hartung inference, the omnibus test QM of a set of coefficients, residual heterogeneity QE, I²,
// H² and the pseudo-R² of the moderators.
//
// References (equations in docs/methods.md, section "Meta-regression"):
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
//   Viechtbauer W (2005). Bias and efficiency of meta-analytic variance estimators in the
//     random-effects model. J Educ Behav Stat 30:261–293.                               (ML, REML, traces)
//   Raudenbush SW (2009). Analyzing effect sizes: random-effects models. In: Cooper H, Hedges LV,
//     Valentine JC (eds). The Handbook of Research Synthesis and Meta-Analysis, 2nd ed., 295–315. (R², QE)
//   Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression with a single
//     covariate. Stat Med 22:2693–2710.
//   Viechtbauer W et al. (2015). A comparison of procedures to test for moderators in mixed-effects
//     meta-regression models. Psychol Methods 20:360–374.                               (PMM, permutation)
//   DerSimonian R, Kacker R (2007). Random-effects model for meta-analysis of clinical trials: an
//     update. Contemp Clin Trials 28:105–114.                                           (GENQ)
//   Thompson SG, Sharp SJ (1999). Explaining heterogeneity in meta-analysis: a comparison of methods.
//     Stat Med 18:2693–2708.
//
// The linear algebra is O(k·p²): a Householder QR of the k × p weighted design, never a k × k matrix;
// the traces of the residual-maker matrix P come from identities in the thin Q (docs/methods.md).
// Bodies are in regression_impl.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/inference.hpp"
#include "trialstats/meta/tau2.hpp"

namespace trialstats::meta {

/// One moderator: numeric (`numbers`) or categorical (`levels`, one label per study).
struct Moderator {
  std::string name;                        ///< column name, e.g. "ablat" or "alloc"
  std::vector<double> numbers{};           ///< numeric moderator: one value per study
  std::vector<std::string> levels{};       ///< categorical moderator: one level per study
  std::optional<std::string> reference{};  ///< categorical: reference level (default: the first in sorted order)
  [[nodiscard]] bool categorical() const { return !levels.empty(); }
};

/// A model matrix with named columns, as R's model.matrix(~ mods) builds it.
struct Design {
  Eigen::MatrixXd x;               ///< k × p
  std::vector<std::string> names;  ///< "intrcpt", "ablat", "allocrandom", …
  bool intercept = true;           ///< the first column is the intercept
};

/// Builds the model matrix: an intercept column "intrcpt" (unless `intercept` is false), a column per
/// numeric moderator, and treatment (dummy) coding of a categorical moderator: one column per level
/// but the reference, named moderator name + level (R: `allocrandom`). Levels are sorted by byte
/// order (R's factor() in the C locale); without an intercept the first categorical moderator gets
/// a column for every level (as R's model.matrix).
/// @throws DomainError for sizes that differ from `k`, non-finite numbers, a reference level that does
///         not occur ("alloc: reference level 'foo' does not occur; levels: alternate, random, systematic").
/// Example:
///   auto d = meta::build_design({{.name = "ablat", .numbers = lat}}, lat.size());
[[nodiscard]] inline Design build_design(std::span<const Moderator> moderators, std::size_t k, bool intercept = true);

/// How to fit a meta-regression (metafor 3.8 rma.uni(yi, vi, mods, method, test, btt) defaults).
struct RegressionOptions {
  Tau2Method method = Tau2Method::reml;  ///< EE, DL, HE, HS, HSk, SJ, ML, REML, EB, PM, PMM, GENQ (with weights)
  std::optional<double> tau2{};          ///< a fixed tau² (method becomes `fixed`)
  TestMethod test = TestMethod::z;
  double level = 0.95;
  double threshold = 1e-10;  ///< iterative estimators: relative change of tau² that ends them
  int max_iter = 100;
  std::vector<std::size_t> btt{};  ///< 0-based coefficients of the omnibus test; empty: all but the intercept
  bool r2 = true;                  ///< fit the model without moderators for the pseudo-R²
  /// ML/REML/EB: metafor's Fisher scoring and its stopping rule (|Δtau²| below `threshold`, whose metafor
  /// default is 1e-5), to reproduce its figures.
  bool metafor_stopping = false;
  /// GENQ only: weights a_i of the generalised Q statistic, one per study, also used for the coefficients
  /// (metafor's `weights` argument).
  std::vector<double> genq_weights{};
};

/// One coefficient with its Wald-type test and CI.
struct RegressionCoefficient {
  std::string name;
  double estimate = 0;
  double se = 0;
  double statistic = 0;  ///< z or t
  double p = 1;
  Interval ci{};
};

/// Wald-type test that a set of coefficients are all 0 (metafor's QM): chi-square with m df, or
/// F(m, k − p) = QM/m under test t or knha.
struct CoefficientTest {
  std::vector<std::size_t> coefficients{};  ///< 0-based indices
  double statistic = 0;                     ///< QM (chi-square) or QM/m (F)
  int df1 = 0;                              ///< m
  std::optional<int> df2{};                 ///< k − p for the F test
  double p = 1;
};

/// A fitted meta-regression.
struct MetaRegression {
  Tau2Method method = Tau2Method::reml;
  TestMethod test = TestMethod::z;
  double level = 0.95;
  int k = 0;  ///< studies
  int p = 0;  ///< coefficients
  bool intercept = true;
  std::vector<RegressionCoefficient> coefficients{};
  Eigen::MatrixXd vcov{};   ///< p × p covariance of the coefficients (after Knapp–Hartung scaling)
  std::optional<int> df{};  ///< k − p for t and knha
  double knha_scale = 1;    ///< s² of Knapp–Hartung; 1 otherwise
  CoefficientTest qm{};     ///< test of moderators
  double qe = 0;            ///< residual heterogeneity Q_E (weights 1/v)
  int qe_df = 0;            ///< k − p
  double qe_p = 1;
  double tau2 = 0;  ///< residual tau²
  std::optional<double> tau2_se{};
  double tau = 0;
  double i2 = 0;                      ///< residual I² (percent), metafor's (k − p)/tr(P) typical variance
  double h2 = 1;                      ///< residual H²
  std::optional<double> r2{};         ///< pseudo-R² in percent, max(0, (tau²₀ − tau²)/tau²₀); absent without
                                      ///< an intercept, without moderators, or for a fixed tau²
  std::optional<double> tau2_null{};  ///< tau²₀ of the model without moderators (R² only)
  std::vector<double> fitted{};       ///< Xβ̂, one per study
  std::vector<double> weights{};      ///< percent, 1/(v + tau²) normalised (GENQ: genq_weights normalised)
  int iterations = 0;
  bool converged = true;
  Warnings warnings{};
};

/// Fits the mixed-effects meta-regression of `yi` (sampling variances `vi`) on `design` as metafor
/// 3.8's rma.uni(yi, vi, mods = design, intercept = FALSE, method, test, btt). Iterative estimators
/// converge to the optimum itself (relative change below `threshold`), not to metafor's looser rule,
/// unless `metafor_stopping` asks for that rule. GENQ (DerSimonian & Kacker 2007) estimates tau² from
/// the generalised Q statistic with the weights `genq_weights` and fits the coefficients with the same
/// weights, their covariance the sandwich (XᵀAX)⁻¹XᵀA(V + tau²I)AX(XᵀAX)⁻¹ (times the Knapp–Hartung
/// factor of the inverse-variance fit under knha), as metafor's rma.uni(weights, method = "GENQ").
/// @throws DomainError for bad values (also a GENQ weight that is not finite and positive), a
///         rank-deficient design (naming the aliased column), k ≤ p; UsageError for GENQ without weights,
///         weights without GENQ, or `fixed` without a value; NoResultError when tau² does not converge.
/// Example:
///   auto d = meta::build_design(mods, yi.size());
///   auto r = meta::meta_regress(yi, vi, d, {.method = meta::Tau2Method::reml});
///   // r.coefficients[1].estimate, r.qm.p, r.tau2, r.r2
[[nodiscard]] inline MetaRegression meta_regress(std::span<const double> yi, std::span<const double> vi,
                                                 const Design& design, const RegressionOptions& options = {});

/// Wald-type test of the coefficients `btt` (0-based) of a fitted model: metafor's anova(fit, btt).
/// @throws DomainError for an empty set or an index ≥ p.
[[nodiscard]] inline CoefficientTest test_coefficients(const MetaRegression& fit, std::span<const std::size_t> btt);

/// The first column (in order) that is a linear combination of the columns before it, or none.
[[nodiscard]] inline std::optional<std::size_t> aliased_column(const Eigen::MatrixXd& x);

}  // namespace trialstats::meta

#include "trialstats/meta/regression_impl.hpp"
