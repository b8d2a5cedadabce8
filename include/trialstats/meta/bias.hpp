// Small-study effects (funnel-plot asymmetry, publication bias): Egger's regression test in its
// mixed-effects and its classical weighted-regression form, Begg and Mazumdar's rank correlation
// test, trim and fill, fail-safe N, PET-PEESE.
//
// References (equations in docs/methods.md, section "Small-study effects"):
//   Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in meta-analysis detected by a simple,
//     graphical test. BMJ 315:629–634.
//   Sterne JAC, Egger M (2005). Regression methods to detect publication and other bias in
//     meta-analysis. In: Rothstein HR et al. (eds), Publication Bias in Meta-Analysis. Wiley, 99–110.
//   Begg CB, Mazumdar M (1994). Operating characteristics of a rank correlation test for publication
//     bias. Biometrics 50:1088–1101.
//   Duval S, Tweedie R (2000). Trim and fill: a simple funnel-plot-based method of testing and
//     adjusting for publication bias in meta-analysis. Biometrics 56:455–463.  (also JASA 95:89–98)
//   Rosenthal R (1979). The file drawer problem and tolerance for null results. Psychol Bull 86:638–641.
//   Orwin RG (1983). A fail-safe N for effect size in meta-analysis. J Educ Stat 8:157–159.
//   Rosenberg MS (2005). The file-drawer problem revisited: a general weighted method for calculating
//     fail-safe numbers in meta-analysis. Evolution 59:464–468.
//   Stanley TD, Doucouliagos H (2014). Meta-regression approximations to reduce publication selection
//     bias. Res Synth Methods 5:60–78.                                                  (PET-PEESE)
//   Kendall MG (1938, 1945); Hollander M, Wolfe DA (1973). Nonparametric Statistical Methods. (Kendall's tau)
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/model.hpp"

namespace trialstats::meta {

/// One coefficient of a regression with its test and CI.
struct Coefficient {
  double estimate = 0;
  double se = 0;
  double statistic = 0;     ///< z or t
  std::optional<int> df{};  ///< t-based tests
  double p = 1;
  Interval ci{};
};

/// Which form of Egger's test: metafor's default mixed-effects meta-regression (`rma`) or the classical
/// weighted least squares with a multiplicative dispersion parameter (`lm`).
enum class EggerModel { rma, lm };

/// Egger's regression test: y_i = b0 + b1·sei_i (+ u_i) + e_i, a test of b1 = 0; b0 is the limit
/// estimate (the expected effect of a study with sei → 0).
struct EggerTest {
  EggerModel model = EggerModel::rma;
  Tau2Method method = Tau2Method::reml;  ///< the tau² estimator (rma)
  TestMethod test = TestMethod::z;       ///< rma: the model's test; lm: t
  double level = 0.95;
  int k = 0;
  Coefficient slope;   ///< b1 (the test for funnel-plot asymmetry)
  Coefficient limit;   ///< b0: the limit estimate as sei → 0, with its CI
  double tau2 = 0;     ///< residual heterogeneity (rma; 0 for lm and EE)
  double sigma2 = 1;   ///< dispersion (lm: residual mean square; rma with knha: the scale factor)
  int iterations = 0;  ///< of an iterative tau² estimator
  Warnings warnings;
};

struct EggerOptions {
  EggerModel model = EggerModel::rma;
  PoolOptions pool{};  ///< the model: tau² estimator, test, level, stopping rule
};

/// Egger's regression test as metafor 3.8's regtest(x, model, predictor = "sei").
/// rma: mixed-effects meta-regression on sei with the model's tau² estimator (every estimator but
/// GENQ) and test (z; t and knha with k − 2 df). lm: weighted least squares with weights 1/v_i and
/// multiplicative dispersion, t test with k − 2 df.
/// @throws DomainError for bad values, k < 3 or equal standard errors (the design has rank 1);
///         UsageError for GENQ; NoResultError when tau² does not converge.
/// Example:
///   auto e = meta::egger_test(yi, vi, {.model = meta::EggerModel::lm});
///   // e.slope.statistic, e.slope.p, e.limit.estimate, e.limit.ci
[[nodiscard]] inline EggerTest egger_test(std::span<const double> yi, std::span<const double> vi,
                                          const EggerOptions& options = {});

/// Begg and Mazumdar's rank correlation test.
struct RankTest {
  int k = 0;
  double tau = 0;           ///< Kendall's tau-b between standardised effects and variances
  double p = 1;             ///< two-sided
  bool exact = true;        ///< exact permutation distribution (no ties, k ≤ exact_max_k) or normal approximation
  std::optional<double> z;  ///< the normal statistic S/sqrt(Var S) when not exact
  Warnings warnings;
};

/// Begg & Mazumdar (1994) as metafor 3.8's ranktest: Kendall's tau between
/// y*_i = (y_i − μ̂)/sqrt(v_i − 1/Σw) (μ̂ the common-effect estimate, w = 1/v) and v_i; the p-value as
/// R's cor.test(exact = TRUE): the exact distribution of Kendall's statistic without ties, the normal
/// approximation with the tie-corrected variance otherwise. The exact distribution is used up to
/// `exact_max_k` studies (O(k³) work), the normal approximation above (warning `rank_test_normal`).
/// @throws DomainError for bad values or k < 3.
[[nodiscard]] inline RankTest rank_test(std::span<const double> yi, std::span<const double> vi, int exact_max_k = 1000);

/// Kendall's tau-b of (x, y) and the p-value of R's cor.test(method = "kendall", exact = TRUE).
[[nodiscard]] inline RankTest kendall_test(std::span<const double> x, std::span<const double> y,
                                           int exact_max_k = 1000);

enum class TrimFillEstimator { l0, r0 };
enum class FunnelSide { left, right };

struct TrimFillOptions {
  TrimFillEstimator estimator = TrimFillEstimator::l0;
  std::optional<FunnelSide> side{};  ///< where studies are missing; absent: from the sign of Egger's slope
  int max_iter = 100;
  PoolOptions pool{};  ///< the model, used for the trimmed and the augmented fits
};

/// Trim and fill: the estimated number of missing studies, the filled studies and the augmented fit.
struct TrimFill {
  TrimFillEstimator estimator = TrimFillEstimator::l0;
  FunnelSide side = FunnelSide::left;
  bool side_estimated = true;  ///< the side came from the sign of Egger's slope (metafor's rule)
  int k = 0;                   ///< observed studies
  int k0 = 0;                  ///< estimated missing studies
  double k0_se = 0;
  std::optional<double> k0_p{};  ///< R0 only: P(R0 ≥ k0) under no asymmetry
  int iterations = 0;
  double trimmed_estimate = 0;    ///< estimate of the trimmed data at the last iteration
  std::vector<double> filled_yi;  ///< the filled studies, mirror images of the k0 most extreme ones
  std::vector<double> filled_vi;
  std::vector<std::size_t> mirrored;  ///< index (input order) of the study each filled one mirrors
  PooledEffect augmented;             ///< the model on the observed plus filled studies (the observed when k0 = 0)
  Warnings warnings;
};

/// Trim and fill (Duval & Tweedie 2000) as metafor 3.8's trimfill(rma.uni): L0 or R0, side from
/// the sign of the slope of the mixed-effects regression on sqrt(v_i) with the model's estimator
/// (negative: missing on the right) unless given, iterations until k0 repeats.
/// @throws DomainError for bad values or k < 3; NoResultError when k0 does not settle within max_iter.
[[nodiscard]] inline TrimFill trim_and_fill(std::span<const double> yi, std::span<const double> vi,
                                            const TrimFillOptions& options = {});

enum class FsnType { rosenthal, orwin, rosenberg };

struct FsnOptions {
  FsnType type = FsnType::rosenthal;
  double alpha = 0.05;
  std::optional<double> target{};  ///< Orwin: the effect to reduce to (default: half the mean effect)
  bool weighted = false;           ///< Orwin: inverse-variance weighted mean (metafor's `weighted`)
};

struct FailSafeN {
  FsnType type = FsnType::rosenthal;
  double n = 0;  ///< the fail-safe number (Inf for an Orwin target of 0)
  double alpha = 0.05;
  std::optional<double> p{};            ///< Rosenthal: one-sided p of Stouffer's z; Rosenberg: two-sided p
  std::optional<double> mean_effect{};  ///< Orwin, Rosenberg
  std::optional<double> target{};       ///< Orwin
  int k = 0;
};

/// Fail-safe N as metafor 3.8's fsn: Rosenthal (Stouffer's method), Orwin, Rosenberg.
/// @throws DomainError for bad values, alpha outside (0, 1).
[[nodiscard]] inline FailSafeN fail_safe_n(std::span<const double> yi, std::span<const double> vi,
                                           const FsnOptions& options = {});

/// One weighted least squares fit with weights 1/v_i and multiplicative dispersion (PET or PEESE).
struct WlsFit {
  Coefficient intercept;  ///< the bias-corrected effect
  Coefficient slope;
  double sigma2 = 0;  ///< residual mean square
};

struct PetPeeseOptions {
  double alpha = 0.10;     ///< PEESE when PET's intercept test has p < alpha
  bool one_sided = false;  ///< one-sided p (in the direction of PET's intercept) instead of two-sided
  double level = 0.95;
};

/// PET-PEESE (Stanley & Doucouliagos 2014): PET = WLS of y_i on sei_i, PEESE = WLS of y_i on v_i
/// (weights 1/v_i, multiplicative dispersion, t tests with k − 2 df). PET's intercept significant at
/// `alpha` → PEESE's intercept is the estimate, else PET's. The default (two-sided at 0.10) is the
/// same decision as a one-sided test at 0.05 in the direction of the estimate.
struct PetPeese {
  int k = 0;
  WlsFit pet;
  WlsFit peese;
  double alpha = 0.10;
  bool one_sided = false;
  double pet_p = 1;  ///< the p-value the rule used
  bool use_peese = false;
  Coefficient estimate;  ///< the conditional estimate (PEESE's or PET's intercept)
  Warnings warnings;
};

/// @throws DomainError for bad values, k < 3 or equal variances.
[[nodiscard]] inline PetPeese pet_peese(std::span<const double> yi, std::span<const double> vi,
                                        const PetPeeseOptions& options = {});

[[nodiscard]] inline std::string_view name(EggerModel m) {
  return m == EggerModel::rma ? "rma" : "lm";
}
[[nodiscard]] inline std::string_view name(TrimFillEstimator e) {
  return e == TrimFillEstimator::l0 ? "L0" : "R0";
}
[[nodiscard]] inline std::string_view name(FunnelSide s) {
  return s == FunnelSide::left ? "left" : "right";
}
[[nodiscard]] inline std::string_view name(FsnType t) {
  return t == FsnType::rosenthal ? "Rosenthal" : t == FsnType::orwin ? "Orwin" : "Rosenberg";
}

}  // namespace trialstats::meta

#include "trialstats/meta/bias_impl.hpp"
