// Sensitivity analyses of a random- or common-effect meta-analysis without moderators:
// leave-one-out, cumulative meta-analysis, case-deletion influence diagnostics, Baujat coordinates.
//
// References (equations in docs/methods.md, section "Sensitivity analyses"):
//   Viechtbauer W, Cheung MW-L (2010). Outlier and influence diagnostics for meta-analysis.
//     Res Synth Methods 1:112–125.                                     (rstudent, DFFITS, Cook's D, COVRATIO, DFBETAS)
//   Belsley DA, Kuh E, Welsch RE (1980). Regression Diagnostics. Wiley.      (the cut-offs of the influence rule)
//   Baujat B, Mahé C, Pignon J-P, Hill C (2002). A graphical method for exploring heterogeneity in
//     meta-analyses: application to a meta-analysis of 65 trials. Stat Med 21:2641–2652.
//   Lau J, Antman EM, Jimenez-Silva J, et al. (1992). Cumulative meta-analysis of therapeutic trials
//     for myocardial infarction. N Engl J Med 327:248–254.
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
//
// Every refit uses the PoolOptions of the full model (estimator, test, level, stopping rule, a fixed
// tau²), as metafor 3.8's leave1out / cumul / influence / baujat refit with the model's `control`.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/model.hpp"

namespace trialstats::meta {

/// One refit of the model on a subset of the studies (one row of leave-one-out or cumulative results).
struct RefitRow {
  int k = 0;  ///< studies in this fit
  double estimate = 0;
  double se = 0;
  double statistic = 0;     ///< z or t
  std::optional<int> df{};  ///< t-based tests: k − 1
  double p = 1;
  Interval ci{};
  double q = 0;    ///< Cochran's Q of the subset
  double q_p = 1;  ///< its p-value
  double tau2 = 0;
  double i2 = 0;  ///< percent
  double h2 = 1;
  bool ok = true;  ///< false when the refit had no result (then every number is NaN)
};

/// Leave-one-out results: `rows[i]` is the model fitted without study i (input order).
struct LeaveOneOut {
  std::vector<RefitRow> rows;
  Warnings warnings;
};

/// Cumulative results: `rows[j]` is the model fitted to the studies `order[0..j]`.
struct Cumulative {
  std::vector<std::size_t> order;  ///< study indices (input order, 0-based) in the order they were added
  std::vector<RefitRow> rows;
  Warnings warnings;
};

/// Case-deletion diagnostics of one study (metafor's influence.rma.uni columns).
struct InfluenceRow {
  double rstudent = 0;  ///< externally standardised (deleted) residual
  double dffits = 0;
  double cook_d = 0;         ///< Cook's distance
  double cov_r = 0;          ///< covariance ratio Var(μ̂₍₋ᵢ₎)/Var(μ̂)
  double tau2_del = 0;       ///< tau² without the study
  double qe_del = 0;         ///< Q without the study
  double hat = 0;            ///< leverage (diagonal of the hat matrix), a proportion
  double weight = 0;         ///< percent
  double dfbs = 0;           ///< DFBETAS of the intercept
  bool influential = false;  ///< metafor's rule, see `influence`
  bool ok = true;            ///< false when the refit without the study had no result (numbers are NaN)
};

struct Influence {
  int k = 0;
  double tau2 = 0;                 ///< of the full model
  double qe = 0;                   ///< Q of the full model
  std::vector<InfluenceRow> rows;  ///< input order
  Warnings warnings;
};

/// Baujat coordinates of each study (input order).
struct Baujat {
  std::vector<double> x;  ///< contribution to Q: (y_i − μ̂)²/(v_i + tau²) (a squared Pearson residual)
  std::vector<double> y;  ///< influence on the estimate: (μ̂₍₋ᵢ₎ − μ̂)²/Var(μ̂₍₋ᵢ₎)
  Warnings warnings;
};

/// Leave-one-out, influence and Baujat from one pass of case-deletion refits.
struct Sensitivity {
  PooledEffect full;  ///< the model on every study
  LeaveOneOut leave1out;
  Influence influence;
  Baujat baujat;
};

struct SensitivityOptions {
  PoolOptions pool{};  ///< the model (tau2_ci is ignored by the refits)
  int threads = 0;     ///< worker threads for the case-deletion refits; 0: all cores
};

/// Leave-one-out meta-analysis as metafor 3.8's leave1out(rma.uni): the model refitted k times,
/// each time without one study, with the options of the full model.
/// @throws DomainError for bad values (as pool), DomainError when k < 2.
/// Example:
///   auto l = meta::leave_one_out(yi, vi, {.pool = {.method = meta::Tau2Method::dl}});
///   // l.rows[2].estimate is the pooled estimate without study 3
[[nodiscard]] inline LeaveOneOut leave_one_out(std::span<const double> yi, std::span<const double> vi,
                                               const SensitivityOptions& options = {});

/// Cumulative meta-analysis as metafor 3.8's cumul(rma.uni, order): the studies sorted by `order_key`
/// (ascending, ties in input order, as R's order(); `descending` reverses the key), the model refitted
/// to the first 1, 2, …, k of them. An empty `order_key` keeps the input order.
/// @throws DomainError for bad values, a key of the wrong length or a NaN key.
[[nodiscard]] inline Cumulative cumulative(std::span<const double> yi, std::span<const double> vi,
                                           std::span<const double> order_key = {}, const PoolOptions& options = {},
                                           bool descending = false);

/// Case-deletion influence diagnostics as metafor 3.8's influence(rma.uni) for a model without
/// moderators (Viechtbauer & Cheung 2010). A study is flagged influential (metafor's rule) when any of
/// |DFFITS| > 3·sqrt(p/(k − p)), pchisq(Cook's D, p) > 0.5, hat > 3p/k, |DFBETAS| > 1 holds (p = 1).
/// @throws DomainError for bad values and when k < 2.
[[nodiscard]] inline Influence influence(std::span<const double> yi, std::span<const double> vi,
                                         const SensitivityOptions& options = {});

/// Baujat et al. (2002) coordinates as metafor 3.8's baujat(rma.uni) computes them.
/// @throws DomainError for bad values and when k < 2.
[[nodiscard]] inline Baujat baujat(std::span<const double> yi, std::span<const double> vi,
                                   const SensitivityOptions& options = {});

/// The full fit, leave-one-out, influence and Baujat from one set of case-deletion refits: O(k) work
/// per refit (REML and ML refits start from the full model's tau²), spread over `threads` workers.
/// @throws DomainError for bad values and when k < 2; NoResultError when the full model has no result.
/// Example:
///   auto s = meta::sensitivity(yi, vi);
///   // s.influence.rows[i].influential, s.baujat.x[i], s.leave1out.rows[i].tau2
[[nodiscard]] inline Sensitivity sensitivity(std::span<const double> yi, std::span<const double> vi,
                                             const SensitivityOptions& options = {});

}  // namespace trialstats::meta

#include "trialstats/meta/sensitivity_impl.hpp"
