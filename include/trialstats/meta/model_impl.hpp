// Bodies of model.hpp (included at its end).
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

namespace detail {

inline constexpr std::array<std::pair<Tau2Method, std::string_view>, 13> tau2_method_names{{
    {Tau2Method::ee, "EE"},
    {Tau2Method::dl, "DL"},
    {Tau2Method::he, "HE"},
    {Tau2Method::hs, "HS"},
    {Tau2Method::hsk, "HSk"},
    {Tau2Method::sj, "SJ"},
    {Tau2Method::ml, "ML"},
    {Tau2Method::reml, "REML"},
    {Tau2Method::eb, "EB"},
    {Tau2Method::pm, "PM"},
    {Tau2Method::pmm, "PMM"},
    {Tau2Method::genq, "GENQ"},
    {Tau2Method::fixed, "fixed"},
}};

[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

[[nodiscard]] inline bool is_iterative(Tau2Method m) {
  return m == Tau2Method::ml || m == Tau2Method::reml || m == Tau2Method::eb || m == Tau2Method::pm ||
         m == Tau2Method::pmm;
}

inline void validate_pool_input(std::span<const double> yi, std::span<const double> vi, const PoolOptions& o) {
  constexpr std::string_view where = "pool";
  require_same_size(where, "yi", yi.size(), "vi", vi.size());
  if (yi.empty()) throw NoResultError("pool: no studies to pool");
  for (std::size_t i = 0; i < yi.size(); ++i) {  // names formatted only for a failing study: this runs per fit
    if (!std::isfinite(yi[i])) require_finite(where, fmt::format("effect of study {}", i + 1), yi[i]);
    if (!(vi[i] > 0) || !std::isfinite(vi[i])) require_positive(where, fmt::format("variance of study {}", i + 1), vi[i]);
  }
  if (!(o.level > 0 && o.level < 1)) fail_check(where, "level", o.level, "between 0 and 1 (exclusive)");
  require_positive(where, "threshold", o.threshold);
  if (o.max_iter < 1) fail_check(where, "max_iter", o.max_iter, "at least 1");
  require_positive(where, "step_adj", o.step_adj);
  if (o.tau2) require_nonnegative(where, "the fixed tau²", *o.tau2);
  if (!o.tau2 && o.method == Tau2Method::fixed)
    throw UsageError("pool: method 'fixed' needs a tau² value (PoolOptions::tau2)");
  bool uses_genq = !o.tau2 && o.method == Tau2Method::genq;
  for (Tau2Method m : o.fallback) {
    if (m == Tau2Method::fixed) throw UsageError("pool: 'fixed' cannot be a fallback; give the tau² value instead");
    uses_genq = uses_genq || m == Tau2Method::genq;
  }
  if (uses_genq) {
    if (o.genq_weights.empty())
      throw UsageError("pool: method GENQ needs weights (PoolOptions::genq_weights, one per study)");
    require_same_size(where, "genq_weights", o.genq_weights.size(), "yi", yi.size());
    for (std::size_t i = 0; i < o.genq_weights.size(); ++i)
      if (!(o.genq_weights[i] > 0) || !std::isfinite(o.genq_weights[i]))
        require_positive(where, fmt::format("GENQ weight of study {}", i + 1), o.genq_weights[i]);
  }
}

}  // namespace detail

inline std::string_view name(Tau2Method method) {
  for (const auto& [m, n] : detail::tau2_method_names)
    if (m == method) return n;
  return "?";
}

inline std::optional<Tau2Method> parse_tau2_method(std::string_view text) {
  for (const auto& [m, n] : detail::tau2_method_names)
    if (detail::iequals(text, n)) return m;
  if (detail::iequals(text, "FE") || detail::iequals(text, "CE")) return Tau2Method::ee;
  return std::nullopt;
}

inline std::string_view name(TestMethod test) {
  switch (test) {
    case TestMethod::z:
      return "z";
    case TestMethod::t:
      return "t";
    case TestMethod::knha:
      return "knha";
  }
  return "?";
}

inline std::optional<TestMethod> parse_test_method(std::string_view text) {
  if (detail::iequals(text, "z")) return TestMethod::z;
  if (detail::iequals(text, "t")) return TestMethod::t;
  if (detail::iequals(text, "knha") || detail::iequals(text, "hksj") || detail::iequals(text, "hk"))
    return TestMethod::knha;
  return std::nullopt;
}

inline PooledEffect pool(std::span<const double> yi, std::span<const double> vi, const PoolOptions& o) {
  detail::validate_pool_input(yi, vi, o);
  const std::size_t n = yi.size();
  const int k = static_cast<int>(n);

  PooledEffect r;
  r.test = o.test;
  r.pi_method = o.pi;
  r.level = o.level;
  r.k = k;
  r.method = o.tau2 ? Tau2Method::fixed : o.method;

  // --- tau² -----------------------------------------------------------------------------------
  Tau2Fit fit;
  if (k == 1) {
    fit.tau2 = o.tau2.value_or(0.0);
    r.warnings.push_back({"k_is_1", o.tau2 ? "only one study: no heterogeneity test"
                                           : "only one study: tau² set to 0, no heterogeneity test"});
    if (o.test != TestMethod::z) {
      r.test = TestMethod::z;
      r.warnings.push_back({"test_set_to_z", "only one study: the z test is used (metafor: test = \"z\" when k = 1)"});
    }
  } else if (r.method == Tau2Method::fixed) {
    fit.tau2 = *o.tau2;
  } else {
    const Tau2Options topts{.threshold = o.threshold,
                            .max_iter = o.max_iter,
                            .step_adj = o.step_adj,
                            .metafor_stopping = o.metafor_stopping,
                            .genq_weights = o.genq_weights};
    fit = estimate_tau2(yi, vi, r.method, topts);
    if (!fit.converged) {
      const Tau2Method failed = r.method;
      const int failed_iterations = fit.iterations;
      std::string tried;
      bool rescued = false;
      for (Tau2Method fb : o.fallback) {
        Tau2Fit alt = estimate_tau2(yi, vi, fb, topts);
        if (alt.converged) {
          alt.iterations += failed_iterations;
          fit = std::move(alt);
          r.method = fb;
          r.warnings.push_back(
              {"tau2_not_converged", fmt::format("{} did not converge after {} iterations{}; fell back to {}",
                                                 name(failed), failed_iterations, tried, name(fb))});
          rescued = true;
          break;
        }
        tried += fmt::format(", nor did {}", name(fb));
      }
      if (!rescued)
        throw NoResultError(fmt::format(
            "pool: {} did not converge after {} iterations{}; remedies: a larger --max-iter, a smaller --step-adj "
            "(e.g. 0.5), or --fallback DL",
            name(failed), failed_iterations, tried));
    }
  }
  for (auto& w : fit.warnings) r.warnings.push_back(std::move(w));
  r.iterations = fit.iterations;
  r.converged = true;
  const double tau2 = fit.tau2;

  // --- pooled estimate and its test --------------------------------------------------------------
  const bool user_weights = r.method == Tau2Method::genq && !o.genq_weights.empty();
  r.weights.resize(n);
  double sum_w = 0, sum_wy = 0, sum_w2m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double m = vi[i] + tau2;
    const double w = user_weights ? o.genq_weights[i] : 1.0 / m;
    r.weights[i] = w;
    sum_w += w;
    sum_wy += w * yi[i];
    sum_w2m += w * w * m;
  }
  r.estimate = sum_wy / sum_w;
  double var = user_weights ? sum_w2m / (sum_w * sum_w) : 1.0 / sum_w;
  for (double& w : r.weights) w *= 100.0 / sum_w;

  if (r.test == TestMethod::knha) {
    const double s2w = knha_scale(yi, vi, tau2);
    var *= s2w;
    if (r.method == Tau2Method::ee)
      r.warnings.push_back({"knha_common_effect", "the Knapp–Hartung method is not meant for a common-effect model"});
    if (s2w == 0)
      r.warnings.push_back({"knha_zero_scale",
                            "the Knapp–Hartung scale factor is 0 (the effects do not vary): the standard error is 0"});
  }
  const std::optional<int> df = r.test == TestMethod::z ? std::nullopt : std::optional<int>(k - 1);
  const EstimateTest t = test_estimate(r.estimate, std::sqrt(var), df, o.level);
  r.se = t.se;
  r.statistic = t.statistic;
  r.df = t.df;
  r.p = t.p;
  r.ci = t.ci;

  // --- prediction interval -----------------------------------------------------------------------
  if (r.method == Tau2Method::ee) {
    r.pi = r.ci;
    r.pi_df = r.df;
  } else {
    if (o.pi == PiMethod::same_as_test) {
      r.pi_df = r.df;
    } else {
      const bool estimated = r.method != Tau2Method::fixed;
      int d = k - 1 - (estimated ? 1 : 0);
      if (d < 1) {
        r.warnings.push_back({"pi_df_below_1", fmt::format("the prediction interval needs t with {} df; 1 df is used "
                                                           "(as metafor's pi.type = \"riley\")",
                                                           d)});
        d = 1;
      }
      r.pi_df = d;
    }
    r.pi = prediction_interval(r.estimate, r.se, tau2, r.pi_df, o.level);
  }

  // --- heterogeneity -----------------------------------------------------------------------------
  Heterogeneity& h = r.het;
  h.tau2 = tau2;
  h.tau = std::sqrt(tau2);
  h.tau2_se = fit.se;
  if (k == 1) {
    h.q = 0;
    h.q_df = 0;
    h.q_p = 1;
    h.i2 = 0;
    h.h2 = 1;
  } else {
    const double qdf = static_cast<double>(k - 1);
    h.q = cochran_q(yi, vi);
    h.q_df = k - 1;
    h.q_p = stats::chi_squared_upper_p(h.q, qdf);
    const double s2 = typical_variance(vi);
    if (r.method == Tau2Method::ee || o.i2 == I2Definition::q) {
      h.i2 = i2_from_q(h.q, qdf);
      h.h2 = h2_from_q(h.q, qdf);
    } else {
      h.i2 = i2_from_tau2(tau2, s2);
      h.h2 = h2_from_tau2(tau2, s2);
    }
    if (o.tau2_ci && r.method != Tau2Method::ee && r.method != Tau2Method::fixed) {
      const QProfileCi ci = q_profile_ci(yi, vi, tau2, o.level);
      h.tau2_ci = ci.tau2;
      h.i2_ci = ci.i2;
      h.h2_ci = ci.h2;
      if (ci.upper_at_max)
        r.warnings.push_back(
            {"tau2_ci_at_search_limit",
             fmt::format("the Q-profile {} bound of tau² lies above {} (the end of the search interval)",
                         ci.lower_at_max ? "lower and upper" : "upper", ci.search_max)});
    }
  }

  // --- studies -----------------------------------------------------------------------------------
  const double z = stats::normal_critical(o.level);
  r.study_ci.resize(n);
  double vmin = vi[0], vmax = vi[0];
  for (std::size_t i = 0; i < n; ++i) {
    const double half = z * std::sqrt(vi[i]);
    r.study_ci[i] = {yi[i] - half, yi[i] + half};
    vmin = std::min(vmin, vi[i]);
    vmax = std::max(vmax, vi[i]);
  }
  if (vmax / vmin >= 1e7)
    r.warnings.push_back({"extreme_variance_ratio",
                          "the largest sampling variance is at least 1e7 times the smallest; results may be unstable"});
  return r;
}

}  // namespace trialstats::meta
