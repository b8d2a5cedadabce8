// Deriving an MCID from patient data: distribution-based (0.2 SD, 0.5 SD, the standard error of
// measurement and the minimal detectable change) and anchor-based (mean change per category of an
// external anchor such as the Patient Global Impression of Change, differences between adjacent
// categories, and the ROC cut point of change that best separates improved from not improved
// patients by Youden's J, with the AUC and DeLong's interval).
//
// References (formulas in docs/methods.md, "Deriving an MCID"):
//   Norman GR, Sloan JA, Wyrwich KW (2003). Interpretation of changes in health-related quality of
//     life: the remarkable universality of half a standard deviation. Med Care 41:582–592.
//   Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed. (0.2 SD: small effect).
//   Wyrwich KW, Tierney WM, Wolinsky FD (1999). Further evidence supporting an SEM-based criterion for
//     identifying meaningful intra-individual changes in health-related quality of life. J Clin Epidemiol 52:861–873.
//   de Vet HCW, Terwee CB, Ostelo RW, et al. (2006). Minimal changes in health status questionnaires:
//     distinction between minimally detectable change and minimally important change. Health Qual Life Outcomes 4:54.
//   Youden WJ (1950). Index for rating diagnostic tests. Cancer 3:32–35.
//   DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under two or more correlated
//     receiver operating characteristic curves: a nonparametric approach. Biometrics 44:837–845.
//   Robin X, Turck N, Hainard A, et al. (2011). pROC: an open-source package for R and S+ to analyze and
//     compare ROC curves. BMC Bioinformatics 12:77 (thresholds at midpoints; the reference implementation).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "trialstats/clinical/importance.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::clinical {

/// Distribution-based benchmarks of an outcome with SD `sd` (usually of baseline scores).
struct DistributionMcid {
  double sd = 0;
  double small = 0;                     ///< 0.2·SD (Cohen's small effect)
  double half_sd = 0;                   ///< 0.5·SD (Norman et al. 2003)
  std::optional<double> reliability{};  ///< test–retest reliability (ICC) or Cronbach's alpha
  std::optional<double> sem{};          ///< SD·√(1 − reliability)
  std::optional<double> mdc95{};        ///< 1.96·√2·SEM: the smallest change beyond measurement error (95%)
};

/// Distribution-based MCIDs: 0.2·SD, 0.5·SD and, given a reliability r in [0, 1), SEM = SD·√(1 − r)
/// and MDC95 = z₀.₉₇₅·√2·SEM (z₀.₉₇₅ = 1.959964).
/// @throws DomainError for sd ≤ 0 or a reliability outside [0, 1].
///
/// Example: SD 4.0, reliability 0.85: SEM 1.5492, MDC95 4.2941.
[[nodiscard]] inline DistributionMcid distribution_mcid(double sd, std::optional<double> reliability = std::nullopt) {
  constexpr std::string_view where = "distribution_mcid";
  require_positive(where, "SD", sd);
  DistributionMcid r;
  r.sd = sd;
  r.small = 0.2 * sd;
  r.half_sd = 0.5 * sd;
  if (reliability) {
    require_in_range(where, "reliability", *reliability, 0, 1);
    r.reliability = reliability;
    r.sem = sd * std::sqrt(1 - *reliability);
    r.mdc95 = stats::normal_critical(0.95) * std::sqrt(2.0) * *r.sem;
  }
  return r;
}

/// The sample SD (n − 1 denominator); NaN for fewer than 2 values.
[[nodiscard]] inline double sample_sd(std::span<const double> x) {
  if (x.size() < 2) return std::nan("");
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double ss = 0;
  for (const double v : x) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

/// Change in one anchor category.
struct AnchorGroup {
  double level = 0;  ///< the anchor value (e.g. PGIC 1–7)
  std::size_t n = 0;
  double mean = 0;                                 ///< mean change
  double sd = 0;                                   ///< SD of change; NaN for n = 1
  std::optional<double> difference_to_previous{};  ///< mean − mean of the next lower level present
};

/// Mean change per anchor level, in ascending order of level, with the difference of each mean to the
/// mean of the level below it (the anchor-based MCID is read off the "minimally improved" level, or
/// its difference to the "no change" level).
/// @throws DomainError for different sizes, no patients, or non-finite values.
[[nodiscard]] inline std::vector<AnchorGroup> anchor_groups(std::span<const double> change,
                                                            std::span<const double> anchor) {
  constexpr std::string_view where = "anchor_groups";
  require_same_size(where, "change", change.size(), "anchor", anchor.size());
  require_at_least(where, "patients", change.size(), 1);
  std::vector<double> levels;
  for (std::size_t i = 0; i < change.size(); ++i) {
    require_finite(where, "change", change[i]);
    require_finite(where, "anchor", anchor[i]);
    levels.push_back(anchor[i]);
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  std::vector<AnchorGroup> out;
  for (const double level : levels) {
    std::vector<double> x;
    for (std::size_t i = 0; i < change.size(); ++i)
      if (anchor[i] == level) x.push_back(change[i]);
    AnchorGroup g;
    g.level = level;
    g.n = x.size();
    g.mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
    g.sd = sample_sd(x);
    if (!out.empty()) g.difference_to_previous = g.mean - out.back().mean;
    out.push_back(g);
  }
  return out;
}

/// One point of the ROC curve: patients with score ≥ threshold are called improved.
struct RocPoint {
  double threshold = 0;  ///< on the score scale (benefit_sign · change)
  double sensitivity = 0;
  double specificity = 0;
};

/// The ROC analysis of change against a binary anchor (improved or not).
struct RocMcid {
  std::size_t cases = 0;          ///< improved by the anchor
  std::size_t controls = 0;       ///< not improved
  std::vector<RocPoint> curve{};  ///< thresholds ascending, from −∞ (sensitivity 1) to +∞ (specificity 1)
  double youden_j = 0;            ///< max over thresholds of sensitivity + specificity − 1
  double threshold = 0;           ///< the score cut point with the largest J (the lowest one on ties)
  double sensitivity = 0, specificity = 0;
  double mcid = 0;       ///< the cut point in change units: benefit_sign · threshold
  std::size_t ties = 0;  ///< other thresholds with the same J
  double auc = 0;        ///< P(score of an improved patient > that of a not improved one) + ½ P(tie)
  double auc_se = 0;     ///< DeLong et al. (1988)
  Interval auc_ci{};     ///< AUC ± z·SE, clipped to [0, 1] (pROC's ci.auc, method "delong")
  double level = 0.95;
};

/// ROC cut point of change by Youden's J, AUC and DeLong's CI.
/// The score is s·change (s = benefit_sign(direction)), so that larger scores mean more improvement
/// and patients with score ≥ threshold are called improved; the candidate thresholds are −∞, the
/// midpoints between consecutive distinct scores, and +∞ (as pROC). The MCID is s·threshold: for
/// lower is better, a change of at most −|MCID| counts as improvement.
/// AUC (Mann–Whitney) with DeLong's variance S10/n₁ + S01/n₀ from the structural components
/// V10ᵢ = mean_j ψ(Xᵢ, Yⱼ), V01ⱼ = mean_i ψ(Xᵢ, Yⱼ), ψ = 1, ½, 0 for X > Y, X = Y, X < Y.
/// @throws DomainError for different sizes, non-finite values, or fewer than 2 cases or 2 controls.
[[nodiscard]] inline RocMcid roc_mcid(std::span<const double> change, std::span<const bool> improved,
                                      Direction direction, double level = 0.95) {
  constexpr std::string_view where = "roc_mcid";
  require_same_size(where, "change", change.size(), "improved", improved.size());
  if (!(level > 0 && level < 1)) fail_check(where, "confidence level", level, "in (0, 1)");
  const double s = benefit_sign(direction);
  std::vector<double> x, y;  // scores of cases and controls
  for (std::size_t i = 0; i < change.size(); ++i) {
    require_finite(where, "change", change[i]);
    (improved[i] ? x : y).push_back(s * change[i]);
  }
  require_at_least(where, "improved patients", x.size(), 2);
  require_at_least(where, "patients not improved", y.size(), 2);
  RocMcid r;
  r.cases = x.size();
  r.controls = y.size();
  r.level = level;
  const double n1 = static_cast<double>(x.size()), n0 = static_cast<double>(y.size());

  // Thresholds: -inf, midpoints of the distinct scores, +inf.
  std::vector<double> all(x);
  all.insert(all.end(), y.begin(), y.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<double> thresholds{-std::numeric_limits<double>::infinity()};
  for (std::size_t i = 0; i + 1 < all.size(); ++i) thresholds.push_back((all[i] + all[i + 1]) / 2);
  thresholds.push_back(std::numeric_limits<double>::infinity());
  r.youden_j = -1;
  for (const double t : thresholds) {
    const double tp = static_cast<double>(std::count_if(x.begin(), x.end(), [&](double v) { return v >= t; }));
    const double tn = static_cast<double>(std::count_if(y.begin(), y.end(), [&](double v) { return v < t; }));
    RocPoint p{t, tp / n1, tn / n0};
    r.curve.push_back(p);
    const double j = p.sensitivity + p.specificity - 1;
    if (j > r.youden_j + 1e-12) {
      r.youden_j = j;
      r.threshold = t;
      r.sensitivity = p.sensitivity;
      r.specificity = p.specificity;
      r.ties = 0;
    } else if (std::fabs(j - r.youden_j) <= 1e-12) {
      ++r.ties;
    }
  }
  r.mcid = s * r.threshold;

  // AUC and DeLong's structural components.
  const auto psi = [](double a, double b) { return a > b ? 1.0 : a == b ? 0.5 : 0.0; };
  std::vector<double> v10(x.size(), 0.0), v01(y.size(), 0.0);
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = 0; j < y.size(); ++j) {
      const double p = psi(x[i], y[j]);
      v10[i] += p / n0;
      v01[j] += p / n1;
    }
  r.auc = std::accumulate(v10.begin(), v10.end(), 0.0) / n1;
  const auto variance = [](const std::vector<double>& v, double mean) {
    double ss = 0;
    for (const double e : v) ss += (e - mean) * (e - mean);
    return ss / static_cast<double>(v.size() - 1);
  };
  r.auc_se = std::sqrt(variance(v10, r.auc) / n1 + variance(v01, r.auc) / n0);
  const double z = stats::normal_critical(level);
  r.auc_ci = {std::max(0.0, r.auc - z * r.auc_se), std::min(1.0, r.auc + z * r.auc_se)};
  return r;
}

}  // namespace trialstats::clinical
