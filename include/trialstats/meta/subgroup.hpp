// Subgroup analysis: a pooled estimate per level of a grouping variable and the test for subgroup
// differences in its two usual forms.
//
// References (formulas in docs/methods.md, section "Subgroups"):
//   Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). Introduction to Meta-Analysis. Wiley,
//     chapter 19 (separate vs pooled estimates of tau²).
//   Deeks JJ, Higgins JPT, Altman DG (2022). Analysing data and undertaking meta-analyses. Cochrane
//     Handbook for Systematic Reviews of Interventions, version 6.3, section 10.11.3.1.
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/meta/regression.hpp"

namespace trialstats::meta {

/// The two tests for subgroup differences.
enum class SubgroupTest {
  separate_tau2,  ///< each subgroup pooled with its own tau²; Wald-type Q between the subgroup estimates
                  ///< (R meta, RevMan): Q_b = Σ w_g (θ_g − θ̄)², w_g = 1/se_g², chi-square with G − 1 df
  common_tau2,    ///< mixed-effects meta-regression on the group factor with one tau²: its QM (metafor)
};

/// "separate_tau2" / "common_tau2" (JSON) and a sentence for text output.
[[nodiscard]] inline std::string_view name(SubgroupTest t) {
  return t == SubgroupTest::separate_tau2 ? "separate_tau2" : "common_tau2";
}
[[nodiscard]] inline std::string_view description(SubgroupTest t) {
  return t == SubgroupTest::separate_tau2 ? "separate tau^2 per subgroup, Wald-type Q between subgroups"
                                          : "common tau^2, mixed-effects moderator test (QM)";
}

struct SubgroupEstimate {
  std::string level;
  std::vector<std::size_t> studies;  ///< indices into the inputs
  PooledEffect fit;                  ///< meta::pool of the subgroup's studies
};

struct SubgroupDifference {
  SubgroupTest kind = SubgroupTest::separate_tau2;
  double statistic = 0;      ///< Q_b, or QM (chi-square) / QM/m (F under t and knha)
  int df1 = 0;               ///< G − 1
  std::optional<int> df2{};  ///< k − G for the F test of the common-tau² model
  double p = 1;
  std::optional<double> tau2{};  ///< the common tau² (common_tau2 only)
};

struct SubgroupAnalysis {
  std::vector<SubgroupEstimate> groups;        ///< levels in sorted (byte) order
  SubgroupDifference separate{};               ///< kind separate_tau2
  std::optional<SubgroupDifference> common{};  ///< kind common_tau2; absent when the model cannot be fitted (k ≤ G)
  Warnings warnings{};
};

/// Pools each level of `group` with `options` and tests for subgroup differences both ways.
/// @throws DomainError for sizes that differ or fewer than 2 levels; what meta::pool throws per subgroup.
/// Example:
///   auto s = meta::subgroup_analysis(yi, vi, alloc, {.method = meta::Tau2Method::reml});
///   // s.groups[0].fit.estimate, s.separate.p, s.common->p
[[nodiscard]] inline SubgroupAnalysis subgroup_analysis(std::span<const double> yi, std::span<const double> vi,
                                                        std::span<const std::string> group,
                                                        const PoolOptions& options = {});

}  // namespace trialstats::meta

#include "trialstats/meta/subgroup_impl.hpp"
