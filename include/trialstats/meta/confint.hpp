// Q-profile confidence intervals for tau², and the I² and H² intervals derived from them.
//
// References (equations in docs/methods.md, section "Pooling"):
//   Viechtbauer W (2007). Confidence intervals for the amount of heterogeneity in meta-analysis.
//     Stat Med 26:37–52.
//   metafor 3.8 confint.rma.uni (type = "QP"): the bounds, their search interval and edge cases.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/heterogeneity.hpp"
#include "trialstats/meta/tau2.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

/// Q-profile interval of tau² with the I² and H² intervals that follow from it.
struct QProfileCi {
  Interval tau2{};
  Interval i2{};              ///< percent, 100 tau²/(s² + tau²) at each bound
  Interval h2{};              ///< tau²/s² + 1 at each bound
  double search_max = 100;    ///< upper end of the search interval: max(100, 10·tau²)
  bool lower_at_max = false;  ///< Q(search_max) is still above its quantile: lower bound set to search_max
  bool upper_at_max = false;  ///< the same for the upper bound ("> search_max" in metafor)
};

namespace detail {

/// Root of Q(tau²) = target in [lo, hi] with Q(lo) > target > Q(hi). Q is decreasing and convex,
/// so Newton's step from the left stays left of the root; a bisection step replaces any step that
/// leaves the bracket (rounding).
[[nodiscard]] inline double q_profile_root(std::span<const double> yi, std::span<const double> vi, double target,
                                           double lo, double hi) {
  double x = lo;
  for (int iter = 0; iter < 200; ++iter) {
    const auto s = profile_sums(yi, vi, x);
    const double g = s.q - target;
    if (g > 0)
      lo = x;
    else
      hi = x;
    if (g == 0) return x;
    double next = s.a > 0 ? x + g / s.a : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 4e-16 * std::max(next, 1e-300) || hi - lo <= 4e-16 * hi) return next;
    x = next;
  }
  return x;
}

}  // namespace detail

/// Q-profile CI of tau² (Viechtbauer 2007): the tau² values at which the generalised Q statistic
/// Q(tau²) = Σ (y_i − ȳ_w)²/(v_i + tau²) equals the upper and lower alpha/2 quantiles of
/// chi-square(k − 1), searched on [0, max(100, 10·tau²)] as metafor 3.8 does: a bound is 0 when
/// Q(0) is already below its quantile, and search_max (flagged) when Q(search_max) is still above it.
/// @param tau2 the point estimate (sets the search interval), @param level e.g. 0.95, k ≥ 2.
/// Example:
///   auto ci = meta::q_profile_ci(yi, vi, fit.tau2, 0.95);  // ci.tau2.lower, ci.i2.upper, …
[[nodiscard]] inline QProfileCi q_profile_ci(std::span<const double> yi, std::span<const double> vi, double tau2,
                                             double level) {
  const double df = static_cast<double>(yi.size()) - 1;
  const double alpha = 1 - level;
  const double crit_u = stats::chi_squared_upper_quantile(alpha / 2, df);  // large
  const double crit_l = stats::chi_squared_quantile(alpha / 2, df);        // small
  QProfileCi ci;
  ci.search_max = std::max(100.0, 10 * tau2);
  const double q_min = detail::profile_sums(yi, vi, 0.0).q;
  const double q_max = detail::profile_sums(yi, vi, ci.search_max).q;
  double lb = 0, ub = 0;
  if (q_min < crit_l) {
    lb = ub = 0;
  } else {
    if (q_max > crit_l) {
      ub = ci.search_max;
      ci.upper_at_max = true;
    } else {
      ub = detail::q_profile_root(yi, vi, crit_l, 0.0, ci.search_max);
    }
    if (q_max > crit_u) {
      lb = ub = ci.search_max;
      ci.lower_at_max = ci.upper_at_max = true;
    } else if (q_min < crit_u) {
      lb = 0;
    } else {
      lb = detail::q_profile_root(yi, vi, crit_u, 0.0, ub);
    }
  }
  ci.tau2 = {lb, ub};
  const double s2 = typical_variance(vi);
  ci.i2 = {i2_from_tau2(lb, s2), i2_from_tau2(ub, s2)};
  ci.h2 = {h2_from_tau2(lb, s2), h2_from_tau2(ub, s2)};
  return ci;
}

}  // namespace trialstats::meta
