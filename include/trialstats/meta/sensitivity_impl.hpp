// Bodies of sensitivity.hpp (included at its end).
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/threads.hpp"
#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/meta/sensitivity.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

namespace detail {

/// A refit with what the influence diagnostics need beyond the printed row.
struct Refit {
  RefitRow row;
  double s2w = 1;  ///< Knapp–Hartung scale factor of the refit (1 for z and t)
  double vb = 0;   ///< variance of the refit's estimate (after any Knapp–Hartung scaling)
  bool warm = false;
};

[[nodiscard]] inline RefitRow failed_row(int k) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  RefitRow r{.k = k,
             .estimate = nan,
             .se = nan,
             .statistic = nan,
             .df = std::nullopt,
             .p = nan,
             .ci = {nan, nan},
             .q = nan,
             .q_p = nan,
             .tau2 = nan,
             .i2 = nan,
             .h2 = nan,
             .ok = false};
  return r;
}

/// tau² of a refit as pool() would estimate it; ML and REML start from `warm` when given (the
/// optimum is the same: the likelihood is maximised to the same relative tolerance).
[[nodiscard]] inline Tau2Fit refit_tau2(std::span<const double> yi, std::span<const double> vi, Tau2Method method,
                                        const Tau2Options& topts, std::optional<double> warm) {
  if (warm && (method == Tau2Method::ml || method == Tau2Method::reml) && !topts.metafor_stopping) {
    const bool reml = method == Tau2Method::reml;
    const double floor = 1e-4 * harmonic_mean(vi);
    Tau2Fit fit = maximise_likelihood(yi, vi, reml, *warm, topts, floor);
    if (fit.converged) {
      // The same check as estimate_tau2: a better value on the boundary means another maximum.
      bool boundary_better = false;
      if (fit.tau2 > 0) {
        const auto at0 = profile_sums(yi, vi, 0.0, true);
        const auto at = profile_sums(yi, vi, fit.tau2, true);
        const double ll0 = reml ? at0.reml_loglik() : at0.ml_loglik();
        const double ll = reml ? at.reml_loglik() : at.ml_loglik();
        boundary_better = ll0 > ll + 1e-12 * (1 + std::fabs(ll));
      }
      if (!boundary_better) return fit;
    }
  }
  return estimate_tau2(yi, vi, method, topts);
}

/// The model of `o` fitted to (yi, vi), as pool() without Q-profile CIs, study CIs and weights.
[[nodiscard]] inline Refit refit(std::span<const double> yi, std::span<const double> vi, const PoolOptions& o,
                                 std::optional<double> warm) {
  const int k = static_cast<int>(yi.size());
  Refit out;
  const bool generic = k < 2 || (!o.tau2 && o.method == Tau2Method::genq);
  if (generic) {
    PoolOptions po = o;
    po.tau2_ci = false;
    PooledEffect p;
    try {
      p = pool(yi, vi, po);
    } catch (const NoResultError&) {
      out.row = failed_row(k);
      return out;
    }
    out.row = {.k = k,
               .estimate = p.estimate,
               .se = p.se,
               .statistic = p.statistic,
               .df = p.df,
               .p = p.p,
               .ci = p.ci,
               .q = p.het.q,
               .q_p = p.het.q_p,
               .tau2 = p.het.tau2,
               .i2 = p.het.i2,
               .h2 = p.het.h2};
    out.vb = p.se * p.se;
    out.s2w = p.test == TestMethod::knha ? knha_scale(yi, vi, p.het.tau2) : 1.0;
    return out;
  }
  Tau2Method method = o.tau2 ? Tau2Method::fixed : o.method;
  double tau2 = 0;
  if (method == Tau2Method::fixed) {
    tau2 = *o.tau2;
  } else if (method != Tau2Method::ee) {
    const Tau2Options topts{.threshold = o.threshold,
                            .max_iter = o.max_iter,
                            .step_adj = o.step_adj,
                            .metafor_stopping = o.metafor_stopping,
                            .genq_weights = {}};
    Tau2Fit fit = refit_tau2(yi, vi, method, topts, warm);
    for (std::size_t f = 0; !fit.converged && f < o.fallback.size(); ++f) {
      method = o.fallback[f];
      fit = method == Tau2Method::genq ? Tau2Fit{.converged = false} : estimate_tau2(yi, vi, method, topts);
    }
    if (!fit.converged) {
      out.row = failed_row(k);
      return out;
    }
    tau2 = fit.tau2;
  }
  double s1 = 0, swy = 0;
  for (std::size_t i = 0; i < yi.size(); ++i) {
    const double w = 1.0 / (vi[i] + tau2);
    s1 += w;
    swy += w * yi[i];
  }
  const double mu = swy / s1;
  double var = 1.0 / s1;
  if (o.test == TestMethod::knha) {
    out.s2w = knha_scale(yi, vi, tau2);
    var *= out.s2w;
  }
  const std::optional<int> df = o.test == TestMethod::z ? std::nullopt : std::optional<int>(k - 1);
  const EstimateTest t = test_estimate(mu, std::sqrt(var), df, o.level);
  RefitRow& r = out.row;
  r.k = k;
  r.estimate = mu;
  r.se = t.se;
  r.statistic = t.statistic;
  r.df = t.df;
  r.p = t.p;
  r.ci = t.ci;
  r.tau2 = tau2;
  const double qdf = static_cast<double>(k - 1);
  r.q = cochran_q(yi, vi);
  r.q_p = stats::chi_squared_upper_p(r.q, qdf);
  if (method == Tau2Method::ee || o.i2 == I2Definition::q) {
    r.i2 = i2_from_q(r.q, qdf);
    r.h2 = h2_from_q(r.q, qdf);
  } else {
    const double s2 = typical_variance(vi);
    r.i2 = i2_from_tau2(tau2, s2);
    r.h2 = h2_from_tau2(tau2, s2);
  }
  out.vb = t.se * t.se;
  out.warm = warm.has_value();
  return out;
}

/// Runs body(i) for i in [0, n) on `threads` workers (0: all cores), each with its own scratch.
template <class Body>
void parallel_for(std::size_t n, int threads, Body body) {
  unsigned workers = threads > 0 ? static_cast<unsigned>(threads) : std::max(1u, std::thread::hardware_concurrency());
  workers = static_cast<unsigned>(std::min<std::size_t>(workers, std::max<std::size_t>(1, n / 16)));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    std::vector<double> y, v;
    for (std::size_t i; (i = next.fetch_add(1)) < n;) body(i, y, v);
  };
  std::vector<std::jthread> pool_threads;
  for (unsigned t = 1; t < workers; ++t) pool_threads.push_back(start_thread(work));
  work();
}

inline void validate_sensitivity(std::string_view where, std::span<const double> yi, std::span<const double> vi) {
  require_same_size(where, "yi", yi.size(), "vi", vi.size());
  require_at_least(where, "the number of studies", yi.size(), 2);
}

inline void note_failures(Warnings& w, const std::vector<RefitRow>& rows, std::string_view what) {
  std::string which;
  int n = 0;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!rows[i].ok) {
      which += fmt::format("{}{}", n++ ? ", " : "", i + 1);
    }
  if (n > 0)
    w.push_back({"refit_failed", fmt::format("{} had no result for {} {} ({}): its values are NA", what,
                                             n == 1 ? "row" : "rows", which, "the estimator did not converge")});
}

}  // namespace detail

inline Sensitivity sensitivity(std::span<const double> yi, std::span<const double> vi, const SensitivityOptions& so) {
  detail::validate_sensitivity("sensitivity", yi, vi);
  PoolOptions o = so.pool;
  o.tau2_ci = false;
  Sensitivity s;
  s.full = pool(yi, vi, o);
  // The refits use the estimator that produced the full fit's tau² (after any fallback), as metafor
  // refits with x$method.
  o.method = s.full.method == Tau2Method::fixed ? o.method : s.full.method;
  const std::size_t n = yi.size();
  const int k = static_cast<int>(n);
  const double tau2 = s.full.het.tau2;
  const double mu = s.full.estimate;
  const double vb = s.full.se * s.full.se;
  const std::optional<double> warm = tau2;

  std::vector<detail::Refit> fits(n);
  std::vector<double> vb_all(n, std::numeric_limits<double>::quiet_NaN());  // Σ_j 1/(v_j + tau²₍₋ᵢ₎) over all k
  detail::parallel_for(n, so.threads, [&](std::size_t i, std::vector<double>& y, std::vector<double>& v) {
    y.assign(yi.begin(), yi.end());
    v.assign(vi.begin(), vi.end());
    y.erase(y.begin() + static_cast<std::ptrdiff_t>(i));
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
    fits[i] = detail::refit(y, v, o, warm);
    if (fits[i].row.ok) {
      double sw = 0;
      for (std::size_t j = 0; j < n; ++j) sw += 1.0 / (vi[j] + fits[i].row.tau2);
      vb_all[i] = 1.0 / sw;
    }
  });

  s.leave1out.rows.resize(n);
  for (std::size_t i = 0; i < n; ++i) s.leave1out.rows[i] = fits[i].row;
  detail::note_failures(s.leave1out.warnings, s.leave1out.rows, "leave-one-out: the refit without a study");

  Influence& inf = s.influence;
  inf.k = k;
  inf.tau2 = tau2;
  inf.qe = s.full.het.q;
  inf.rows.resize(n);
  double sum_w = 0;
  for (std::size_t i = 0; i < n; ++i) sum_w += 1.0 / (vi[i] + tau2);
  const double dffits_cut = 3 * std::sqrt(1.0 / (k - 1));
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  s.baujat.x.resize(n);
  s.baujat.y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    InfluenceRow& r = inf.rows[i];
    const double w = 1.0 / (vi[i] + tau2);
    r.hat = w / sum_w;
    r.weight = 100 * r.hat;
    const double e = yi[i] - mu;
    s.baujat.x[i] = e * e / (tau2 + vi[i]);
    const detail::Refit& f = fits[i];
    if (!f.row.ok) {
      r = {.rstudent = nan,
           .dffits = nan,
           .cook_d = nan,
           .cov_r = nan,
           .tau2_del = nan,
           .qe_del = nan,
           .hat = r.hat,
           .weight = r.weight,
           .dfbs = nan,
           .influential = false,
           .ok = false};
      s.baujat.y[i] = nan;
      continue;
    }
    const double bdel = f.row.estimate;
    const double t2 = f.row.tau2;
    r.tau2_del = t2;
    r.qe_del = f.row.q;
    const double diff = mu - bdel;
    r.dffits = diff / std::sqrt(f.s2w * r.hat * (t2 + vi[i]));
    r.dfbs = diff / std::sqrt(f.s2w * vb_all[i]);
    r.cook_d = diff * diff / vb;
    r.cov_r = f.vb / vb;
    double resid = yi[i] - bdel;
    if (std::fabs(resid) < 100 * std::numeric_limits<double>::epsilon()) resid = 0;
    r.rstudent = resid / std::sqrt(vi[i] * f.s2w + f.vb + t2 * f.s2w);
    r.influential = std::fabs(r.dffits) > dffits_cut || stats::chi_squared_upper_p(r.cook_d, 1) < 0.5 ||
                    r.hat > 3.0 / k || std::fabs(r.dfbs) > 1;
    s.baujat.y[i] = diff * diff / f.vb;
  }
  inf.warnings = s.leave1out.warnings;
  s.baujat.warnings = s.leave1out.warnings;
  return s;
}

inline LeaveOneOut leave_one_out(std::span<const double> yi, std::span<const double> vi,
                                 const SensitivityOptions& options) {
  detail::validate_sensitivity("leave_one_out", yi, vi);
  return sensitivity(yi, vi, options).leave1out;
}

inline Influence influence(std::span<const double> yi, std::span<const double> vi, const SensitivityOptions& options) {
  detail::validate_sensitivity("influence", yi, vi);
  return sensitivity(yi, vi, options).influence;
}

inline Baujat baujat(std::span<const double> yi, std::span<const double> vi, const SensitivityOptions& options) {
  detail::validate_sensitivity("baujat", yi, vi);
  return sensitivity(yi, vi, options).baujat;
}

inline Cumulative cumulative(std::span<const double> yi, std::span<const double> vi, std::span<const double> order_key,
                             const PoolOptions& options, bool descending) {
  constexpr std::string_view where = "cumulative";
  require_same_size(where, "yi", yi.size(), "vi", vi.size());
  if (yi.empty()) throw NoResultError("cumulative: no studies");
  if (!order_key.empty()) {
    require_same_size(where, "the order key", order_key.size(), "yi", yi.size());
    for (std::size_t i = 0; i < order_key.size(); ++i)
      if (std::isnan(order_key[i]))
        fail_check(where, fmt::format("the order key of study {}", i + 1), order_key[i], "a number");
  }
  // Validate every study once, with pool's messages.
  PoolOptions o = options;
  o.tau2_ci = false;
  (void)pool(yi, vi, o);

  Cumulative c;
  const std::size_t n = yi.size();
  c.order.resize(n);
  std::iota(c.order.begin(), c.order.end(), std::size_t{0});
  if (!order_key.empty())
    std::stable_sort(c.order.begin(), c.order.end(), [&](std::size_t a, std::size_t b) {
      return descending ? order_key[a] > order_key[b] : order_key[a] < order_key[b];
    });
  std::vector<double> y(n), v(n);
  for (std::size_t j = 0; j < n; ++j) {
    y[j] = yi[c.order[j]];
    v[j] = vi[c.order[j]];
  }
  c.rows.resize(n);
  std::optional<double> warm;
  for (std::size_t j = 0; j < n; ++j) {
    const detail::Refit f = detail::refit(std::span(y).first(j + 1), std::span(v).first(j + 1), o, warm);
    c.rows[j] = f.row;
    if (f.row.ok && j >= 1) warm = f.row.tau2;
  }
  detail::note_failures(c.warnings, c.rows, "cumulative: the fit");
  return c;
}

}  // namespace trialstats::meta
