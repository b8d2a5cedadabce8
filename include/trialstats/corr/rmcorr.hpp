// Repeated-measures correlation: the common within-subject association of two measures taken on
// several occasions per subject (an ANCOVA with subject as a factor).
//
// References:
//   Bland JM, Altman DG (1995). Calculating correlation coefficients with repeated observations:
//     Part 1 - correlation within subjects. BMJ 310:446.
//   Bakdash JZ, Marusich LR (2017). Repeated measures correlation. Front Psychol 8:456
//     (r_rm = sign(b)·sqrt(SS_x/(SS_x + SS_error)); df = N - k - 1; CI by Fisher z with the
//     effective sample size df + 2, as the rmcorr package since 0.5).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/corr/correlation.hpp"
#include "trialstats/corr/pearson.hpp"

namespace trialstats::corr {

/// The repeated-measures correlation and the number of subjects it used.
struct RepeatedMeasuresCorrelation {
  Correlation c;             ///< estimate, t on N-k-1 df, p, Fisher-z CI with se 1/sqrt(N-k-2)
  std::size_t subjects = 0;  ///< k: subjects with at least two observations
};

/// r_rm of (x, y) with `subject` codes (any integers): both measures centred on their subject's mean,
/// r_rm = Σx̃ỹ/sqrt(Σx̃²Σỹ²), equal to sign(b)·sqrt(SS_x/(SS_x+SS_error)) of the ANCOVA y ~ subject + x;
/// t = r·sqrt(df/(1-r²)) with df = N - k - 1 (the F test of x); CI tanh(atanh r ± q/sqrt(df - 1)).
/// Subjects with one observation add nothing to the within-subject sums but, as in lm(), count in k and N.
/// @throws DomainError for sizes that differ, non-finite values, df < 1, or no within-subject variation.
/// Example: `rmcorr(patient_codes, hf, fatigue)`.
[[nodiscard]] inline RepeatedMeasuresCorrelation rmcorr(std::span<const long long> subject, std::span<const double> x,
                                                        std::span<const double> y, double level = 0.95,
                                                        Alternative alternative = Alternative::two_sided) {
  constexpr std::string_view where = "rmcorr";
  detail::check_level(where, level);
  require_same_size(where, "subject", subject.size(), "x", x.size());
  require_same_size(where, "x", x.size(), "y", y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) fail_check(where, fmt::format("x[{}]", i + 1), x[i], "finite");
    if (!std::isfinite(y[i])) fail_check(where, fmt::format("y[{}]", i + 1), y[i], "finite");
  }
  std::unordered_map<long long, std::size_t> index;
  std::vector<double> sx, sy, count;
  std::vector<std::size_t> g(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto [it, added] = index.try_emplace(subject[i], sx.size());
    if (added) {
      sx.push_back(0);
      sy.push_back(0);
      count.push_back(0);
    }
    g[i] = it->second;
    sx[g[i]] += x[i];
    sy[g[i]] += y[i];
    count[g[i]] += 1;
  }
  const std::size_t k = sx.size(), n = x.size();
  if (n < k + 2)
    throw DomainError(
        fmt::format("rmcorr: {} observations of {} subjects leave {} degrees of freedom; at least 1 "
                    "is needed (N - k - 1)",
                    n, k, static_cast<long long>(n) - static_cast<long long>(k) - 1));
  double sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - sx[g[i]] / count[g[i]], dy = y[i] - sy[g[i]] / count[g[i]];
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  detail::require_varying(where, "x within subjects", sxx);
  detail::require_varying(where, "y within subjects", syy);
  RepeatedMeasuresCorrelation out;
  out.subjects = k;
  Correlation& c = out.c;
  c.method = Method::pearson;
  c.n = n;
  c.estimate = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
  c.alternative = alternative;
  c.level = level;
  const double df = static_cast<double>(n - k - 1);
  detail::t_inference(c, df, df > 1 ? 1 / std::sqrt(df - 1) : std::nan(""), CiMethod::fisher_z);
  if (!(df > 1)) c.warnings.push_back({"no_ci_rmcorr", "df = 1: no Fisher-z confidence interval"});
  return out;
}

}  // namespace trialstats::corr
