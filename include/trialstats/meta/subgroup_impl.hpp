// Bodies of subgroup.hpp (included at its end).
#pragma once

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/meta/subgroup.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

inline SubgroupAnalysis subgroup_analysis(std::span<const double> yi, std::span<const double> vi,
                                          std::span<const std::string> group, const PoolOptions& o) {
  require_same_size("subgroup_analysis", "yi", yi.size(), "group", group.size());
  require_same_size("subgroup_analysis", "yi", yi.size(), "vi", vi.size());
  std::vector<std::string> levels(group.begin(), group.end());
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  if (levels.size() < 2)
    throw DomainError(fmt::format("subgroup_analysis: {} subgroup{}; a test for subgroup differences needs at least 2",
                                  levels.size(), levels.size() == 1 ? "" : "s"));
  SubgroupAnalysis s;
  PoolOptions per = o;
  per.tau2_ci = false;
  for (const auto& level : levels) {
    SubgroupEstimate g;
    g.level = level;
    std::vector<double> y, v;
    if (!o.genq_weights.empty()) per.genq_weights.clear();
    for (std::size_t i = 0; i < group.size(); ++i)
      if (group[i] == level) {
        g.studies.push_back(i);
        y.push_back(yi[i]);
        v.push_back(vi[i]);
        if (i < o.genq_weights.size()) per.genq_weights.push_back(o.genq_weights[i]);  // GENQ: the group's weights
      }
    g.fit = pool(y, v, per);
    s.groups.push_back(std::move(g));
  }
  // Separate tau²: the subgroup estimates pooled with a common effect; their Q is the test.
  std::vector<double> est, var;
  for (const auto& g : s.groups) {
    est.push_back(g.fit.estimate);
    var.push_back(g.fit.se * g.fit.se);
  }
  const int df = static_cast<int>(levels.size()) - 1;
  if (std::all_of(var.begin(), var.end(), [](double x) { return x > 0; })) {
    s.separate.statistic = cochran_q(est, var);
    s.separate.p = stats::chi_squared_upper_p(s.separate.statistic, df);
  } else {
    s.separate.statistic = std::numeric_limits<double>::quiet_NaN();
    s.separate.p = std::numeric_limits<double>::quiet_NaN();
    s.warnings.push_back({"subgroup_se_zero", "a subgroup estimate has standard error 0: no Q between subgroups"});
  }
  s.separate.df1 = df;

  // Common tau²: the moderator test of the group factor.
  if (yi.size() > levels.size()) {
    const std::vector<Moderator> mods{
        {.name = "group", .levels = std::vector<std::string>(group.begin(), group.end())}};
    const Design d = build_design(mods, yi.size());
    RegressionOptions ro{
        .method = o.method,
        .tau2 = o.tau2,
        .test = o.test,
        .level = o.level,
        .threshold = o.threshold,
        .max_iter = o.max_iter,
        .btt = {},
        .r2 = false,
        .metafor_stopping = o.metafor_stopping,
        .genq_weights = o.tau2 || o.method != Tau2Method::genq ? std::vector<double>{} : o.genq_weights};
    try {
      const MetaRegression r = meta_regress(yi, vi, d, ro);
      s.common = SubgroupDifference{SubgroupTest::common_tau2, r.qm.statistic, r.qm.df1, r.qm.df2, r.qm.p, r.tau2};
      for (const auto& w : r.warnings) s.warnings.push_back(w);
    } catch (const Error& e) {
      s.warnings.push_back({"common_tau2_failed", fmt::format("no common-tau² test: {}", e.what())});
    }
  } else {
    s.warnings.push_back({"common_tau2_too_few_studies",
                          fmt::format("no common-tau² test: {} studies for {} subgroups", yi.size(), levels.size())});
  }
  return s;
}

}  // namespace trialstats::meta
