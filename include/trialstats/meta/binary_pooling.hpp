// Pooling 2x2 tables directly from their counts: the Mantel–Haenszel common-effect estimators of the
// odds ratio, risk ratio and risk difference, and Peto's one-step odds ratio, as metafor's rma.mh and
// rma.peto compute them (metafor 3.8).
//
// References (formulas in docs/methods.md, section "Mantel–Haenszel and Peto"):
//   Mantel N, Haenszel W (1959). Statistical aspects of the analysis of data from retrospective studies
//     of disease. J Natl Cancer Inst 22:719–748.
//   Cochran WG (1954). Some methods for strengthening the common chi² tests. Biometrics 10:417–451.
//   Robins J, Breslow N, Greenland S (1986). Estimators of the Mantel–Haenszel variance consistent in
//     both sparse data and large-strata limiting models. Biometrics 42:311–323.
//   Greenland S, Robins JM (1985). Estimation of a common effect parameter from sparse follow-up data.
//     Biometrics 41:55–68.
//   Sato T, Greenland S, Robins JM (1989). On the variance estimator for the Mantel–Haenszel risk
//     difference. Biometrics 45:1323–1324.
//   Tarone RE (1985). On heterogeneity tests based on efficient scores. Biometrika 72:91–95.
//   Breslow NE, Day NE (1980). Statistical methods in cancer research, vol. 1. IARC, Lyon.
//   Yusuf S, Peto R, Lewis J, Collins R, Sleight P (1985). Beta blockade during and after myocardial
//     infarction: an overview of the randomized trials. Prog Cardiovasc Dis 27:335–371.
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/effect/measure.hpp"
#include "trialstats/meta/model.hpp"

namespace trialstats::meta {

/// The 2x2 tables of k studies, one value per study in each span (metafor's names):
///
///              event   no event
///   group 1     ai        bi
///   group 2     ci        di
///
/// Counts must be finite and non-negative, and both groups of every table non-empty; they need not be
/// integers (a table may carry a correction already). Missing tables are the caller's to drop.
struct Tables2x2 {
  std::span<const double> ai;
  std::span<const double> bi;
  std::span<const double> ci;
  std::span<const double> di;
};

/// The effect measure of a Mantel–Haenszel pool.
enum class MhMeasure {
  odds_ratio,       ///< OR, pooled on the log scale
  risk_ratio,       ///< RR, pooled on the log scale
  risk_difference,  ///< RD
};

/// A continuity-correction rule (metafor's add / to / drop00).
struct ZeroCellCorrection {
  double add = 0.5;                                           ///< amount added to each of the four cells (non-negative)
  effect::ContinuityRule to = effect::ContinuityRule::only0;  ///< which tables receive it (metafor's `to`)
  bool drop00 = true;  ///< leave out tables with no events, or only events, in both groups
};

/// Options of `mantel_haenszel` and `peto`. The defaults are those of metafor's rma.mh / rma.peto.
struct BinaryPoolingOptions {
  MhMeasure measure = MhMeasure::odds_ratio;  ///< ignored by `peto`
  /// For the study outcomes yi/vi (which enter Q, I², H² and study-level output): metafor's first
  /// element of add/to/drop00, by default 1/2 added to tables with a zero cell, double-zero tables dropped.
  ZeroCellCorrection outcomes{.add = 0.5, .to = effect::ContinuityRule::only0, .drop00 = true};
  /// For the pooled estimate itself: metafor's second element, by default no correction and no table
  /// dropped (a double-zero table contributes nothing to the OR and RR estimators anyway).
  ZeroCellCorrection tables{.add = 0.0, .to = effect::ContinuityRule::none, .drop00 = false};
  double level = 0.95;  ///< of the confidence interval, in (0, 1)
};

/// A chi-square test.
struct ChiSquareTest {
  double statistic = 0;
  int df = 0;
  std::optional<double> p;  ///< upper tail of chi-square(df); absent when df < 1
};

/// A Mantel–Haenszel pool (metafor's rma.mh).
struct MantelHaenszelResult {
  MhMeasure measure = MhMeasure::odds_ratio;
  double level = 0.95;
  int k = 0;            ///< tables in the pooled estimate
  int k_yi = 0;         ///< studies with an outcome yi (Q has k_yi − 1 df)
  double estimate = 0;  ///< log OR, log RR, or RD
  double se = 0;        ///< Robins–Breslow–Greenland (OR), Greenland–Robins (RR), Sato (RD)
  double z = 0;
  double p = 0;  ///< two-sided, normal
  Interval ci;   ///< estimate ± z_{(1+level)/2}·se
  /// Q of the outcomes yi/vi around the MH estimate; I² = (Q − df)/Q and H² = Q/df; tau2 = 0.
  /// With fewer than two outcomes: Q = 0, p = 1, I² = 0, H² = 1 (as metafor).
  Heterogeneity het;
  /// Odds ratio only, absent otherwise or when every table has only events or only non-events:
  std::optional<ChiSquareTest> cmh;              ///< Cochran–Mantel–Haenszel test, continuity correction 1/2
  std::optional<ChiSquareTest> cmh_uncorrected;  ///< the same without the correction
  std::optional<ChiSquareTest> tarone;           ///< Tarone's test of homogeneity (k_pos − 1 df)
  std::optional<ChiSquareTest> breslow_day;      ///< Breslow–Day test (without Tarone's correction)
  int k_pos = 0;                          ///< tables entering Tarone's and the Breslow–Day test (odds ratio only)
  std::vector<double> weights;            ///< MH weights in percent, input order; 0 for a dropped table
  std::vector<std::optional<double>> yi;  ///< study outcomes, input order; absent when dropped/undefined
  std::vector<std::optional<double>> vi;
  Warnings warnings;
};

/// Peto's one-step odds ratio (metafor's rma.peto).
struct PetoResult {
  double level = 0.95;
  int k = 0;            ///< tables in the pooled estimate
  int k_yi = 0;         ///< studies with an outcome yi (Q is reported with k_yi − 1 df)
  int k_pos = 0;        ///< tables with a positive hypergeometric variance
  double estimate = 0;  ///< log OR
  double se = 0;
  double z = 0;
  double p = 0;
  Interval ci;
  Heterogeneity het;                      ///< Peto's Q, with I² and H² from Q; tau2 = 0
  std::vector<double> weights;            ///< percent (V_i / ΣV), input order; 0 for a dropped table
  std::vector<std::optional<double>> yi;  ///< (O_i − E_i)/V_i, input order
  std::vector<std::optional<double>> vi;  ///< 1/V_i
  Warnings warnings;
};

/// Mantel–Haenszel pooled OR, RR or RD of 2x2 tables, with CMH, Tarone and Breslow–Day tests (OR) and
/// Cochran's Q of the study outcomes, exactly as metafor 3.8 rma.mh.
/// Mantel & Haenszel (1959); variances: Robins, Breslow & Greenland (1986) eq. 13 (OR), Greenland &
/// Robins (1985) (RR), Sato, Greenland & Robins (1989) (RD); Tarone (1985).
/// @param tables counts, same length k ≥ 1
/// @param options measure, continuity corrections, level
/// @returns the pooled estimate (log scale for OR and RR) with its tests and per-study weights
/// @throws DomainError for negative or non-finite counts, an empty group, spans of unequal size, k = 0,
///         a level outside (0, 1) or a negative `add`
/// @throws NoResultError when the estimate does not exist (e.g. no events in one group of every table)
///
/// Example:
///   std::vector<double> a{4, 6, 3}, b{119, 300, 228}, c{11, 29, 11}, d{128, 274, 209};
///   auto r = meta::mantel_haenszel({a, b, c, d}, {.measure = meta::MhMeasure::risk_ratio});
///   double rr = std::exp(r.estimate);
[[nodiscard]] MantelHaenszelResult mantel_haenszel(const Tables2x2& tables, const BinaryPoolingOptions& options = {});

/// Peto's one-step log odds ratio Σ(O − E)/ΣV with SE 1/√ΣV and Peto's Q, exactly as metafor 3.8
/// rma.peto (Yusuf et al. 1985). `options.measure` is ignored.
/// @throws DomainError as `mantel_haenszel`
/// @throws NoResultError when ΣV = 0 (one of the two outcomes never occurs in any table)
[[nodiscard]] PetoResult peto(const Tables2x2& tables, const BinaryPoolingOptions& options = {});

/// Names as metafor spells them: "OR", "RR", "RD".
[[nodiscard]] std::string_view name(MhMeasure measure);

/// The result in the shape of an inverse-variance pool (a common-effect model: method `ee`, z test,
/// PI = CI), so that one report shows every pooling method. Studies without an outcome have NaN
/// yi-based CIs; the MH-specific tests stay in the MantelHaenszelResult.
[[nodiscard]] PooledEffect as_pooled_effect(const MantelHaenszelResult& result);
[[nodiscard]] PooledEffect as_pooled_effect(const PetoResult& result);

}  // namespace trialstats::meta

#include "trialstats/meta/binary_pooling_impl.hpp"
