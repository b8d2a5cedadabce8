// Bootstrap confidence intervals of a correlation: percentile and BCa, from pairs resampled with a
// generator whose output is the same on every platform, split over threads without changing it.
//
// References:
//   Efron B (1987). Better bootstrap confidence intervals. JASA 82:171-185 (BCa).
//   Efron B, Tibshirani RJ (1993). An Introduction to the Bootstrap. Chapman & Hall, ch. 13-14
//     (percentile; BCa with z0 = Φ⁻¹(#{θ* < θ̂}/B) and the acceleration a = ΣL³/(6(ΣL²)^1.5)).
//   Davison AC, Hinkley DV (1997). Bootstrap Methods and their Application. CUP, eq. 5.8 (order
//     statistics interpolated on the normal scale, as boot::boot.ci's norm.inter); §2.7.3 (jackknife
//     influence values L_i = (n-1)(t - t_(-i)), as boot::empinf(type = "jack")).
//   ISO C++ [rand.eng.mers]: std::mt19937_64 gives the same sequence for the same seed everywhere;
//     indices are drawn by rejection (no implementation-defined distribution).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/threads.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/corr/correlation.hpp"
#include "trialstats/corr/pearson.hpp"
#include "trialstats/corr/rank.hpp"
#include "trialstats/stats/distributions.hpp"
#include "trialstats/stats/random.hpp"

namespace trialstats::corr {

struct BootstrapOptions {
  std::size_t replicates = 2000;  ///< B
  std::uint64_t seed = 1;
  double level = 0.95;
  unsigned threads = 2;  ///< work split; the result does not depend on it
};

/// Percentile and BCa intervals, with what they were computed from.
struct BootstrapCi {
  std::size_t replicates = 0;  ///< B requested
  std::size_t valid = 0;       ///< replicates with a defined coefficient (a resample with a constant variable has none)
  Interval percentile{std::nan(""), std::nan("")};
  Interval bca{std::nan(""), std::nan("")};
  double bias_correction = std::nan("");  ///< z0
  double acceleration = std::nan("");     ///< a
  std::vector<double> estimates;          ///< the valid replicates, in replicate order
  Warnings warnings;
};

namespace detail {

/// The coefficient alone, NaN when it is undefined (a constant resample).
[[nodiscard]] inline double coefficient(Method m, std::span<const double> x, std::span<const double> y) {
  try {
    switch (m) {
      case Method::pearson:
        return pearson_r(x, y);
      case Method::spearman:
        return spearman(rank_pairs(x, y)).estimate;
      case Method::kendall:
        return kendall(rank_pairs(x, y)).estimate;
    }
  } catch (const DomainError&) {
  }
  return std::nan("");
}

/// boot::norm.inter: the alpha quantile of sorted `t` from the order statistic (B+1)·alpha,
/// interpolated on the normal scale between neighbours; the extremes when it falls outside.
[[nodiscard]] inline double norm_inter(const std::vector<double>& t, double alpha) {
  const std::size_t b = t.size();
  const double rk = static_cast<double>(b + 1) * alpha;
  const double k = std::trunc(rk);
  if (k <= 0) return t.front();
  if (k >= static_cast<double>(b)) return t.back();
  const auto ki = static_cast<std::size_t>(k);
  if (k == rk) return t[ki - 1];
  const stats::Normal normal(0.0, 1.0);
  const double z = quantile(normal, alpha), z1 = quantile(normal, k / static_cast<double>(b + 1)),
               z2 = quantile(normal, (k + 1) / static_cast<double>(b + 1));
  return t[ki - 1] + (z - z1) / (z2 - z1) * (t[ki] - t[ki - 1]);
}

}  // namespace detail

/// Percentile and BCa intervals from given replicates `t` of an estimate `t0` and its leave-one-out
/// (jackknife) estimates (as boot::boot.ci(type = c("perc", "bca")) with L = empinf(type = "jack")).
/// Percentile: the (1∓level)/2 quantiles; BCa: the quantiles Φ(z0 + (z0+z_α)/(1 - a(z0+z_α))) with
/// z0 = Φ⁻¹(#{t < t0}/B) and a = ΣL³/(6(ΣL²)^1.5), L_i = (n-1)(t0 - t_(-i)) the jackknife influence values.
/// Non-finite replicates are left out (counted in `valid`).
/// @throws DomainError with fewer than 2 valid replicates or a level outside (0, 1).
[[nodiscard]] inline BootstrapCi bootstrap_intervals(double t0, std::span<const double> t,
                                                     std::span<const double> jackknife, double level) {
  detail::check_level("bootstrap_intervals", level);
  BootstrapCi out;
  out.replicates = t.size();
  for (double v : t)
    if (std::isfinite(v)) out.estimates.push_back(v);
  out.valid = out.estimates.size();
  require_at_least("bootstrap_intervals", "the number of valid replicates", out.valid, 2);
  std::vector<double> sorted = out.estimates;
  std::sort(sorted.begin(), sorted.end());
  const double alpha = (1 - level) / 2;
  out.percentile = {detail::norm_inter(sorted, alpha), detail::norm_inter(sorted, 1 - alpha)};
  const double below =
      static_cast<double>(std::count_if(sorted.begin(), sorted.end(), [t0](double v) { return v < t0; }));
  const stats::Normal normal(0.0, 1.0);
  const double frac = below / static_cast<double>(out.valid);
  double sum2 = 0, sum3 = 0;  // jackknife influence values L_i = (n-1)(t0 - t_(-i)) (Davison & Hinkley §2.7.3)
  const auto nj =
      static_cast<double>(std::count_if(jackknife.begin(), jackknife.end(), [](double v) { return std::isfinite(v); }));
  for (double v : jackknife)
    if (std::isfinite(v)) {
      const double l = (nj - 1) * (t0 - v);
      sum2 += l * l;
      sum3 += l * l * l;
    }
  if (frac <= 0 || frac >= 1 || !(sum2 > 0)) {
    out.warnings.push_back({"bca_undefined",
                            "every bootstrap replicate lies on one side of the estimate (or the "
                            "jackknife has no spread): no BCa interval"});
    return out;
  }
  out.bias_correction = quantile(normal, frac);
  out.acceleration = sum3 / (6 * std::pow(sum2, 1.5));
  auto adjusted = [&](double a) {
    const double z = out.bias_correction + quantile(normal, a);
    return cdf(normal, out.bias_correction + z / (1 - out.acceleration * z));
  };
  out.bca = {detail::norm_inter(sorted, adjusted(alpha)), detail::norm_inter(sorted, adjusted(1 - alpha))};
  const double rk_lo = static_cast<double>(out.valid + 1) * adjusted(alpha),
               rk_hi = static_cast<double>(out.valid + 1) * adjusted(1 - alpha);
  if (!(rk_lo > 1 && rk_hi < static_cast<double>(out.valid)))
    out.warnings.push_back({"bca_extreme", "the BCa limits use the extreme order statistics; use more replicates"});
  return out;
}

/// Leave-one-out estimates of the coefficient (NaN where undefined).
[[nodiscard]] inline std::vector<double> jackknife(Method m, std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  std::vector<double> out(n), xs(n - 1), ys(n - 1);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t k = 0;
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) {
        xs[k] = x[j];
        ys[k] = y[j];
        ++k;
      }
    out[i] = detail::coefficient(m, xs, ys);
  }
  return out;
}

/// Bootstrap of the coefficient `m` of (x, y): B resamples of the n pairs with replacement; replicate
/// b draws its indices from std::mt19937_64 seeded with SplitMix64(seed + b), so the replicates are the
/// same on every platform and for any number of threads (replicates are split into contiguous blocks).
/// Percentile and BCa intervals as bootstrap_intervals (the jackknife of the full sample gives a).
/// @throws DomainError as the coefficient does for the full sample, B < 2, or threads = 0.
/// Example: `bootstrap(Method::pearson, hf, fatigue, {.replicates = 2000, .seed = 42})`.
[[nodiscard]] inline BootstrapCi bootstrap(Method m, std::span<const double> x, std::span<const double> y,
                                           const BootstrapOptions& o = {}) {
  constexpr std::string_view where = "bootstrap";
  detail::check_pairs(where, x, y);
  require_at_least(where, "the number of replicates", o.replicates, 2);
  require_at_least(where, "the number of threads", o.threads, 1);
  const double t0 = correlate(m, x, y, {.level = o.level}).estimate;  // throws for a constant variable
  const std::size_t n = x.size(), b = o.replicates;
  std::vector<double> t(b);
  auto work = [&](std::size_t from, std::size_t to) {
    std::vector<double> xs(n), ys(n);
    for (std::size_t r = from; r < to; ++r) {
      std::uint64_t state = o.seed + r;
      std::mt19937_64 gen(stats::splitmix64(state));
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t k = stats::uniform_index(gen, n);
        xs[i] = x[k];
        ys[i] = y[k];
      }
      t[r] = detail::coefficient(m, xs, ys);
    }
  };
  const std::size_t threads = std::min<std::size_t>(o.threads, b);
  std::vector<std::jthread> pool;
  for (std::size_t k = 1; k < threads; ++k)
    pool.push_back(start_thread([&work, from = b * k / threads, to = b * (k + 1) / threads] { work(from, to); }));
  work(0, b / threads);
  for (auto& th : pool) th.join();
  BootstrapCi out = bootstrap_intervals(t0, t, jackknife(m, x, y), o.level);
  if (out.valid < b)
    out.warnings.push_back(
        {"bootstrap_undefined",
         fmt::format("{} of {} bootstrap resamples had a constant variable and were left out", b - out.valid, b)});
  return out;
}

}  // namespace trialstats::corr
