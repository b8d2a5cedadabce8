// Bodies of bias.hpp (included at its end).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/meta/bias.hpp"
#include "trialstats/stats/distributions.hpp"
#include "trialstats/stats/kendall.hpp"

namespace trialstats::meta {

namespace detail {

inline void validate_bias_input(std::string_view where, std::span<const double> yi, std::span<const double> vi,
                                std::size_t min_k) {
  require_same_size(where, "yi", yi.size(), "vi", vi.size());
  require_at_least(where, "the number of studies", yi.size(), min_k);
  for (std::size_t i = 0; i < yi.size(); ++i) {
    require_finite(where, fmt::format("effect of study {}", i + 1), yi[i]);
    require_positive(where, fmt::format("variance of study {}", i + 1), vi[i]);
  }
}

/// Weighted least squares of y on (1, x) with weights w: the pieces every estimator of a
/// meta-regression with one predictor needs. O(k).
struct Reg2 {
  Eigen::Vector2d beta;
  Eigen::Matrix2d inv;  ///< (XᵀWX)⁻¹
  double rss = 0;       ///< Σ w e² = yᵀPy
  double rss_w = 0;     ///< Σ w² e² = yᵀPPy
  double sw = 0, sw2 = 0;
  double tr_p = 0;   ///< tr(P), P = W − WX(XᵀWX)⁻¹XᵀW
  double tr_pp = 0;  ///< tr(PP)
};

template <class Weight>
[[nodiscard]] Reg2 reg2(std::span<const double> y, std::span<const double> x, Weight weight) {
  Eigen::Matrix2d a = Eigen::Matrix2d::Zero(), b = Eigen::Matrix2d::Zero(), c = Eigen::Matrix2d::Zero();
  Eigen::Vector2d xwy = Eigen::Vector2d::Zero();
  Reg2 r;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double w = weight(i);
    const Eigen::Vector2d xi(1.0, x[i]);
    const Eigen::Matrix2d xx = xi * xi.transpose();
    a += w * xx;
    b += w * w * xx;
    c += w * w * w * xx;
    xwy += w * y[i] * xi;
    r.sw += w;
    r.sw2 += w * w;
  }
  r.inv = a.inverse();
  r.beta = r.inv * xwy;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double w = weight(i);
    const double e = y[i] - r.beta(0) - r.beta(1) * x[i];
    r.rss += w * e * e;
    r.rss_w += w * w * e * e;
  }
  const Eigen::Matrix2d ab = r.inv * b;
  r.tr_p = r.sw - ab.trace();
  r.tr_pp = r.sw2 - 2 * (r.inv * c).trace() + (ab * ab).trace();
  return r;
}

/// tau² of the mixed-effects meta-regression on one predictor (metafor 3.8 rma.uni with mods),
/// with `iterations` of iterative estimators.
struct Reg2Tau2 {
  double tau2 = 0;
  int iterations = 0;
  bool converged = true;
};

[[nodiscard]] inline Reg2Tau2 reg2_tau2(std::span<const double> y, std::span<const double> x, std::span<const double> v,
                                        Tau2Method method, const PoolOptions& o) {
  const std::size_t n = y.size();
  const double k = static_cast<double>(n);
  constexpr double p = 2;
  Reg2Tau2 out;
  auto at = [&](double tau2) { return reg2(y, x, [&](std::size_t i) { return 1.0 / (v[i] + tau2); }); };
  auto hedges = [&] {  // OLS residuals; tr((I − H)V)
    const Reg2 r = reg2(y, x, [](std::size_t) { return 1.0; });
    Eigen::Matrix2d xvx = Eigen::Matrix2d::Zero();
    double sv = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Eigen::Vector2d xi(1.0, x[i]);
      xvx += v[i] * xi * xi.transpose();
      sv += v[i];
    }
    return (r.rss - (sv - (r.inv * xvx).trace())) / (k - p);
  };
  switch (method) {
    case Tau2Method::ee:
      return out;
    case Tau2Method::fixed:
      out.tau2 = o.tau2.value_or(0.0);
      return out;
    case Tau2Method::dl: {
      const Reg2 r = reg2(y, x, [&](std::size_t i) { return 1.0 / v[i]; });
      out.tau2 = std::max(0.0, (r.rss - (k - p)) / r.tr_p);
      return out;
    }
    case Tau2Method::he:
      out.tau2 = std::max(0.0, hedges());
      return out;
    case Tau2Method::hs:
    case Tau2Method::hsk: {
      const Reg2 r = reg2(y, x, [&](std::size_t i) { return 1.0 / v[i]; });
      const double factor = method == Tau2Method::hsk ? k / (k - p) : 1.0;
      out.tau2 = std::max(0.0, (factor * r.rss - k) / r.sw);
      return out;
    }
    case Tau2Method::sj: {
      double mean = 0;
      for (double yy : y) mean += yy;
      mean /= k;
      double tau0 = 0;
      for (double yy : y) tau0 += (yy - mean) * (yy - mean);
      tau0 /= k;
      const Reg2 r = at(tau0);
      out.tau2 = std::max(0.0, tau0 * r.rss / (k - p));
      return out;
    }
    case Tau2Method::genq:
      throw UsageError("egger_test: GENQ needs study weights; use another tau² estimator for the regression");
    case Tau2Method::ml:
    case Tau2Method::reml: {
      // Fisher scoring from max(0, HE) (as metafor), run to the optimum: stop when the step is below
      // threshold·max(tau², floor) (metafor_stopping: below threshold).
      const bool reml = method == Tau2Method::reml;
      const double floor = 1e-4 * harmonic_mean(v);
      double tau2 = std::max(0.0, hedges());
      out.converged = false;
      const int max_iter = std::max(o.max_iter, 1000);
      for (int iter = 1; iter <= max_iter; ++iter) {
        const Reg2 r = at(tau2);
        const double score = reml ? r.rss_w - r.tr_p : r.rss_w - r.sw;
        const double info = reml ? r.tr_pp : r.sw2;
        double step = score / info * o.step_adj;
        out.iterations = iter;
        if (tau2 == 0 && step <= 0) {
          out.converged = true;
          break;
        }
        while (tau2 + step < 0) step /= 2;
        if (tau2 + step == 0 ||
            std::fabs(step) <= (o.metafor_stopping ? o.threshold : o.threshold * std::max(tau2, floor))) {
          tau2 += step;
          out.converged = true;
          break;
        }
        tau2 += step;
      }
      out.tau2 = std::max(0.0, tau2);
      return out;
    }
    case Tau2Method::eb:
    case Tau2Method::pm:
    case Tau2Method::pmm: {
      // Root of yᵀPy(tau²) = target (decreasing, convex): Newton from 0, monotone from the left.
      const double target = method == Tau2Method::pmm ? stats::chi_squared_quantile(0.5, k - p) : k - p;
      const double floor = 1e-4 * harmonic_mean(v);
      double tau2 = 0;
      out.converged = false;
      const int max_iter = std::max(o.max_iter, 1000);
      for (int iter = 1; iter <= max_iter; ++iter) {
        const Reg2 r = at(tau2);
        out.iterations = iter;
        const double g = r.rss - target;
        if (iter == 1 && g <= 0) {
          out.converged = true;
          break;
        }
        const double step = r.rss_w > 0 ? g / r.rss_w : 0.0;
        tau2 = std::max(0.0, tau2 + step);
        if (std::fabs(step) <= o.threshold * std::max(tau2, floor) ||
            std::fabs(g) <= rounding_bound(n, r.rss + target)) {
          out.converged = true;
          break;
        }
      }
      out.tau2 = tau2;
      return out;
    }
  }
  return out;
}

[[nodiscard]] inline Coefficient coefficient(double estimate, double se, std::optional<int> df, double level) {
  const EstimateTest t = test_estimate(estimate, se, df, level);
  return {.estimate = estimate, .se = t.se, .statistic = t.statistic, .df = t.df, .p = t.p, .ci = t.ci};
}

/// Weighted least squares of y on (1, x), weights 1/v, multiplicative dispersion, t with k − 2 df
/// (R's lm(y ~ x, weights = 1/v)).
[[nodiscard]] inline WlsFit wls(std::span<const double> y, std::span<const double> x, std::span<const double> v,
                                double level) {
  const Reg2 r = reg2(y, x, [&](std::size_t i) { return 1.0 / v[i]; });
  const int df = static_cast<int>(y.size()) - 2;
  WlsFit f;
  f.sigma2 = r.rss / df;
  f.intercept = coefficient(r.beta(0), std::sqrt(f.sigma2 * r.inv(0, 0)), df, level);
  f.slope = coefficient(r.beta(1), std::sqrt(f.sigma2 * r.inv(1, 1)), df, level);
  return f;
}

inline void require_varying(std::string_view where, std::span<const double> x, std::string_view what) {
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  if (*lo == *hi)
    throw DomainError(
        fmt::format("{}: every study has the same {}; the regression on it cannot be fitted", where, what));
}

}  // namespace detail

inline EggerTest egger_test(std::span<const double> yi, std::span<const double> vi, const EggerOptions& eo) {
  constexpr std::string_view where = "egger_test";
  detail::validate_bias_input(where, yi, vi, 3);
  const std::size_t n = yi.size();
  std::vector<double> sei(n);
  for (std::size_t i = 0; i < n; ++i) sei[i] = std::sqrt(vi[i]);
  detail::require_varying(where, sei, "standard error");
  const PoolOptions& o = eo.pool;
  if (!(o.level > 0 && o.level < 1)) fail_check(where, "level", o.level, "between 0 and 1 (exclusive)");
  EggerTest e;
  e.model = eo.model;
  e.level = o.level;
  e.k = static_cast<int>(n);
  const int df = e.k - 2;
  if (eo.model == EggerModel::lm) {
    const WlsFit f = detail::wls(yi, sei, vi, o.level);
    e.method = Tau2Method::ee;
    e.test = TestMethod::t;
    e.slope = f.slope;
    e.limit = f.intercept;
    e.sigma2 = f.sigma2;
    return e;
  }
  e.method = o.tau2 ? Tau2Method::fixed : o.method;
  e.test = o.test;
  detail::Reg2Tau2 t = detail::reg2_tau2(yi, sei, vi, e.method, o);
  for (std::size_t f = 0; !t.converged && f < o.fallback.size(); ++f) {
    e.warnings.push_back({"tau2_not_converged", fmt::format("{} did not converge in the regression; tried {}",
                                                            name(e.method), name(o.fallback[f]))});
    e.method = o.fallback[f];
    t = detail::reg2_tau2(yi, sei, vi, e.method, o);
  }
  if (!t.converged)
    throw NoResultError(
        fmt::format("egger_test: {} did not converge after {} iterations", name(e.method), t.iterations));
  e.tau2 = t.tau2;
  e.iterations = t.iterations;
  const detail::Reg2 r = detail::reg2(yi, sei, [&](std::size_t i) { return 1.0 / (vi[i] + t.tau2); });
  double s2w = 1;
  if (o.test == TestMethod::knha) {
    s2w = r.rss <= std::numeric_limits<double>::epsilon() ? 0.0 : r.rss / df;
    e.sigma2 = s2w;
  }
  const std::optional<int> d = o.test == TestMethod::z ? std::nullopt : std::optional<int>(df);
  e.slope = detail::coefficient(r.beta(1), std::sqrt(s2w * r.inv(1, 1)), d, o.level);
  e.limit = detail::coefficient(r.beta(0), std::sqrt(s2w * r.inv(0, 0)), d, o.level);
  return e;
}

inline RankTest kendall_test(std::span<const double> x, std::span<const double> y, int exact_max_k) {
  require_same_size("kendall_test", "x", x.size(), "y", y.size());
  require_at_least("kendall_test", "the number of pairs", x.size(), 2);
  const std::size_t n = x.size();
  RankTest r;
  r.k = static_cast<int>(n);
  // Concordant minus discordant pairs; ties in x or y count in neither (tau-b).
  double s = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      const double sgn = (dx > 0) - (dx < 0);
      const double sgy = (dy > 0) - (dy < 0);
      s += sgn * sgy;
    }
  auto tie_groups = [n](std::span<const double> v) {
    std::vector<double> sorted(v.begin(), v.end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> sizes;
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i;
      while (j < n && sorted[j] == sorted[i]) ++j;
      if (j - i > 1) sizes.push_back(static_cast<double>(j - i));
      i = j;
    }
    return sizes;
  };
  const auto tx = tie_groups(x), ty = tie_groups(y);
  const double nn = static_cast<double>(n);
  const double t0 = nn * (nn - 1) / 2;
  double t1 = 0, t2 = 0;
  for (double t : tx) t1 += t * (t - 1) / 2;
  for (double t : ty) t2 += t * (t - 1) / 2;
  r.tau = s / std::sqrt((t0 - t1) * (t0 - t2));
  const bool ties = !tx.empty() || !ty.empty();
  if (!ties && r.k <= exact_max_k) {
    // R: q = round((tau + 1)·n(n−1)/4) concordant pairs; P(T ≤ q) or P(T ≥ q), doubled.
    r.exact = true;
    const auto f = stats::kendall_null(n);
    const double concordant = std::nearbyint((r.tau + 1) * nn * (nn - 1) / 4);
    const auto q = static_cast<std::size_t>(concordant);
    double p = 0;
    if (concordant > nn * (nn - 1) / 4) {
      for (std::size_t t = q; t < f.size(); ++t) p += f[t];  // 1 − P(T ≤ q − 1)
    } else {
      for (std::size_t t = 0; t <= q; ++t) p += f[t];
    }
    r.p = std::min(1.0, 2 * p);
    return r;
  }
  r.exact = false;
  auto sum = [](const std::vector<double>& v, auto term) {
    double acc = 0;
    for (double t : v) acc += term(t);
    return acc;
  };
  const double v0 = nn * (nn - 1) * (2 * nn + 5);
  const double vt = sum(tx, [](double t) { return t * (t - 1) * (2 * t + 5); });
  const double vu = sum(ty, [](double t) { return t * (t - 1) * (2 * t + 5); });
  const double v1 = sum(tx, [](double t) { return t * (t - 1); }) * sum(ty, [](double t) { return t * (t - 1); });
  const double v2 =
      sum(tx, [](double t) { return t * (t - 1) * (t - 2); }) * sum(ty, [](double t) { return t * (t - 1) * (t - 2); });
  const double var_s = (v0 - vt - vu) / 18 + v1 / (2 * nn * (nn - 1)) + v2 / (9 * nn * (nn - 1) * (nn - 2));
  const double s_tau = r.tau * std::sqrt((t0 - t1) * (t0 - t2));
  r.z = s_tau / std::sqrt(var_s);
  r.p = stats::normal_two_sided_p(*r.z);
  if (ties)
    r.warnings.push_back({"rank_test_ties", "ties in the ranks: the p-value comes from the normal approximation"});
  else
    r.warnings.push_back({"rank_test_normal", fmt::format("k = {} is above {}: the p-value comes from the normal "
                                                          "approximation instead of the exact distribution",
                                                          r.k, exact_max_k)});
  return r;
}

inline RankTest rank_test(std::span<const double> yi, std::span<const double> vi, int exact_max_k) {
  detail::validate_bias_input("rank_test", yi, vi, 3);
  const std::size_t n = yi.size();
  double sw = 0, swy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sw += 1.0 / vi[i];
    swy += yi[i] / vi[i];
  }
  const double theta = swy / sw;
  const double vb = 1.0 / sw;
  std::vector<double> ystar(n);
  for (std::size_t i = 0; i < n; ++i) ystar[i] = (yi[i] - theta) / std::sqrt(vi[i] - vb);
  return kendall_test(ystar, vi, exact_max_k);
}

inline TrimFill trim_and_fill(std::span<const double> yi, std::span<const double> vi, const TrimFillOptions& to) {
  constexpr std::string_view where = "trim_and_fill";
  detail::validate_bias_input(where, yi, vi, 3);
  if (to.max_iter < 1) fail_check(where, "max_iter", to.max_iter, "at least 1");
  const std::size_t n = yi.size();
  const double k = static_cast<double>(n);
  PoolOptions o = to.pool;
  o.tau2_ci = false;
  TrimFill tf;
  tf.estimator = to.estimator;
  tf.k = static_cast<int>(n);
  if (to.side) {
    tf.side = *to.side;
    tf.side_estimated = false;
  } else {
    // metafor: the sign of the slope of rma(yi, vi, mods = sqrt(vi), method) (z test; the sign does not
    // depend on the test).
    std::vector<double> sei(n);
    for (std::size_t i = 0; i < n; ++i) sei[i] = std::sqrt(vi[i]);
    detail::require_varying(where, sei, "standard error (needed to choose the side; give it instead)");
    PoolOptions eo = o;
    eo.test = TestMethod::z;
    const EggerTest e = egger_test(yi, vi, {.model = EggerModel::rma, .pool = eo});
    tf.side = e.slope.estimate < 0 ? FunnelSide::right : FunnelSide::left;
    tf.side_estimated = true;
  }
  const double sign = tf.side == FunnelSide::right ? -1.0 : 1.0;
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return sign * yi[a] < sign * yi[b]; });
  std::vector<double> y(n), v(n);
  for (std::size_t j = 0; j < n; ++j) {
    y[j] = sign * yi[idx[j]];
    v[j] = vi[idx[j]];
  }
  PoolOptions trim_opts = o;
  trim_opts.test = TestMethod::z;
  int k0 = 0, k0_prev = -1;
  double beta = 0, k0_se = 0;
  std::vector<double> centred(n);
  std::vector<std::size_t> rank_order(n);
  while (k0 != k0_prev) {
    k0_prev = k0;
    ++tf.iterations;
    if (tf.iterations > to.max_iter)
      throw NoResultError(fmt::format("trim_and_fill: k0 did not settle within {} iterations", to.max_iter));
    const std::size_t kept = n - static_cast<std::size_t>(k0);
    beta = pool(std::span(y).first(kept), std::span(v).first(kept), trim_opts).estimate;
    for (std::size_t j = 0; j < n; ++j) centred[j] = y[j] - beta;
    // Ranks of |centred|, ties in order of position (R's rank(ties.method = "first")).
    std::iota(rank_order.begin(), rank_order.end(), std::size_t{0});
    std::stable_sort(rank_order.begin(), rank_order.end(),
                     [&](std::size_t a, std::size_t b) { return std::fabs(centred[a]) < std::fabs(centred[b]); });
    std::vector<double> signed_rank(n);
    for (std::size_t r = 0; r < n; ++r) {
      const std::size_t j = rank_order[r];
      const double sgn = (centred[j] > 0) - (centred[j] < 0);
      signed_rank[j] = sgn * static_cast<double>(r + 1);
    }
    double k0_raw = 0;
    if (to.estimator == TrimFillEstimator::r0) {
      double max_neg = 0;  // largest rank among negative deviations (0 when there is none)
      for (double sr : signed_rank)
        if (sr < 0) max_neg = std::max(max_neg, -sr);
      k0_raw = (k - max_neg) - 1;
      k0_se = std::sqrt(2 * std::max(0.0, k0_raw) + 2);
    } else {
      double sr_pos = 0;
      for (double sr : signed_rank)
        if (sr > 0) sr_pos += sr;
      k0_raw = (4 * sr_pos - k * (k + 1)) / (2 * k - 1);
      const double var_sr = (k * (k + 1) * (2 * k + 1) + 10 * std::pow(k0_raw, 3) + 27 * k0_raw * k0_raw + 17 * k0_raw -
                             18 * k * k0_raw * k0_raw - 18 * k * k0_raw + 6 * k * k * k0_raw) /
                            24;
      k0_se = 4 * std::sqrt(var_sr) / (2 * k - 1);
    }
    k0 = static_cast<int>(std::max(0.0, std::nearbyint(k0_raw)));  // R's round(): half to even
    k0 = std::min(k0, static_cast<int>(n) - 1);
    k0_se = std::max(0.0, k0_se);
  }
  tf.k0 = k0;
  tf.k0_se = k0_se;
  tf.trimmed_estimate = sign * beta;
  if (to.estimator == TrimFillEstimator::r0) tf.k0_p = std::pow(0.5, k0 + 1);
  std::vector<double> ya(yi.begin(), yi.end()), va(vi.begin(), vi.end());
  for (std::size_t j = n - static_cast<std::size_t>(k0); j < n; ++j) {
    const double filled = sign * (2 * beta - y[j]);  // the mirror image about the trimmed estimate
    tf.filled_yi.push_back(filled);
    tf.filled_vi.push_back(v[j]);
    tf.mirrored.push_back(idx[j]);
    ya.push_back(filled);
    va.push_back(v[j]);
  }
  tf.augmented = pool(ya, va, o);
  tf.warnings = tf.augmented.warnings;
  return tf;
}

inline FailSafeN fail_safe_n(std::span<const double> yi, std::span<const double> vi, const FsnOptions& fo) {
  constexpr std::string_view where = "fail_safe_n";
  const bool needs_vi = fo.type != FsnType::orwin || fo.weighted;
  if (needs_vi) {
    detail::validate_bias_input(where, yi, vi, 1);
  } else {
    require_at_least(where, "the number of studies", yi.size(), 1);
    for (std::size_t i = 0; i < yi.size(); ++i) require_finite(where, fmt::format("effect of study {}", i + 1), yi[i]);
  }
  if (!(fo.alpha > 0 && fo.alpha < 1)) fail_check(where, "alpha", fo.alpha, "between 0 and 1 (exclusive)");
  if (fo.target) require_finite(where, "target", *fo.target);
  const std::size_t n = yi.size();
  const double k = static_cast<double>(n);
  FailSafeN r;
  r.type = fo.type;
  r.alpha = fo.alpha;
  r.k = static_cast<int>(n);
  const stats::Normal normal(0.0, 1.0);
  double fsn = 0;
  switch (fo.type) {
    case FsnType::rosenthal: {
      double sz = 0;
      for (std::size_t i = 0; i < n; ++i) sz += yi[i] / std::sqrt(vi[i]);
      const double z = std::fabs(sz / std::sqrt(k));
      r.p = cdf(complement(normal, z));
      const double za = quantile(complement(normal, fo.alpha));
      fsn = std::max(0.0, k * (z / za) * (z / za) - k);
      break;
    }
    case FsnType::orwin: {
      double mean = 0;
      if (fo.weighted) {
        double sw = 0;
        for (std::size_t i = 0; i < n; ++i) {
          sw += 1.0 / vi[i];
          mean += yi[i] / vi[i];
        }
        mean /= sw;
      } else {
        for (double y : yi) mean += y;
        mean /= k;
      }
      double target = fo.target.value_or(mean / 2);
      r.mean_effect = mean;
      if (target == 0) {
        fsn = std::numeric_limits<double>::infinity();
      } else {
        if ((target > 0) != (mean > 0)) target = -target;
        fsn = std::max(0.0, k * (mean - target) / target);
      }
      r.target = target;
      break;
    }
    case FsnType::rosenberg: {
      double sw = 0, swy = 0;
      for (std::size_t i = 0; i < n; ++i) {
        sw += 1.0 / vi[i];
        swy += yi[i] / vi[i];
      }
      const double mean = swy / sw;
      r.mean_effect = mean;
      const double z = mean / std::sqrt(1 / sw);
      const double za = quantile(complement(normal, fo.alpha / 2));
      const double wp = (swy / za) * (swy / za) - sw;
      r.p = 2 * cdf(complement(normal, std::fabs(z)));
      fsn = std::max(0.0, k * wp / sw);
      break;
    }
  }
  // metafor: round up unless within sqrt(machine epsilon) of an integer.
  if (!std::isinf(fsn) && std::fabs(fsn - std::nearbyint(fsn)) >= std::sqrt(std::numeric_limits<double>::epsilon()))
    fsn = std::ceil(fsn);
  else if (!std::isinf(fsn))
    fsn = std::nearbyint(fsn);
  r.n = fsn;
  return r;
}

inline PetPeese pet_peese(std::span<const double> yi, std::span<const double> vi, const PetPeeseOptions& po) {
  constexpr std::string_view where = "pet_peese";
  detail::validate_bias_input(where, yi, vi, 3);
  if (!(po.alpha > 0 && po.alpha < 1)) fail_check(where, "alpha", po.alpha, "between 0 and 1 (exclusive)");
  if (!(po.level > 0 && po.level < 1)) fail_check(where, "level", po.level, "between 0 and 1 (exclusive)");
  const std::size_t n = yi.size();
  std::vector<double> sei(n);
  for (std::size_t i = 0; i < n; ++i) sei[i] = std::sqrt(vi[i]);
  detail::require_varying(where, sei, "standard error");
  PetPeese r;
  r.k = static_cast<int>(n);
  r.alpha = po.alpha;
  r.one_sided = po.one_sided;
  r.pet = detail::wls(yi, sei, vi, po.level);
  r.peese = detail::wls(yi, vi, vi, po.level);
  r.pet_p = po.one_sided ? r.pet.intercept.p / 2 : r.pet.intercept.p;
  r.use_peese = r.pet_p < po.alpha;
  r.estimate = r.use_peese ? r.peese.intercept : r.pet.intercept;
  return r;
}

}  // namespace trialstats::meta
