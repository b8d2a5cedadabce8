// Pearson's product-moment correlation with its t test and Fisher-z confidence interval.
//
// References:
//   Pearson K (1896). Mathematical contributions to the theory of evolution III. Phil Trans R Soc A 187:253-318.
//   Fisher RA (1915). Frequency distribution of the values of the correlation coefficient in samples from
//     an indefinitely large population. Biometrika 10:507-521 (t = r·sqrt((n-2)/(1-r²)) on n-2 df).
//   Fisher RA (1921). Metron 1:3-32 (z = atanh r, se 1/sqrt(n-3)).
//   R 4.2 stats::cor.test(method = "pearson"): the same statistic, p-value and interval.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/corr/correlation.hpp"

namespace trialstats::corr {

namespace detail {

/// Checks shared by every coefficient: same size, at least 3 pairs, finite values.
inline void check_pairs(std::string_view where, std::span<const double> x, std::span<const double> y) {
  require_same_size(where, "x", x.size(), "y", y.size());
  require_at_least(where, "the number of pairs", x.size(), 3);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) fail_check(where, fmt::format("x[{}]", i + 1), x[i], "finite");
    if (!std::isfinite(y[i])) fail_check(where, fmt::format("y[{}]", i + 1), y[i], "finite");
  }
}

/// Centred sums of squares and cross-products (two passes, for accuracy).
struct Moments {
  double sxx = 0, syy = 0, sxy = 0, mean_x = 0, mean_y = 0;
};

[[nodiscard]] inline Moments moments(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  Moments m{.mean_x = mx, .mean_y = my};
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    m.sxx += dx * dx;
    m.syy += dy * dy;
    m.sxy += dx * dy;
  }
  return m;
}

inline void require_varying(std::string_view where, std::string_view what, double ss) {
  if (!(ss > 0))
    throw DomainError(
        fmt::format("{}: {} is constant (standard deviation 0); the correlation is undefined", where, what));
}

/// r from centred sums, clamped to [-1, 1] against rounding.
[[nodiscard]] inline double r_of(const Moments& m) {
  const double r = m.sxy / std::sqrt(m.sxx * m.syy);
  return r > 1 ? 1.0 : r < -1 ? -1.0 : r;
}

/// Fills statistic, df, p (t test) and the Fisher-z interval with the given se (when finite).
inline void t_inference(Correlation& c, double df, double se, CiMethod ci_method) {
  c.statistic = t_of_r(c.estimate, df);
  c.statistic_kind = Statistic::t;
  c.df = df;
  c.p = t_p_value(c.statistic, df, c.alternative);
  c.p_method = PMethod::t;
  if (std::isfinite(se) && se > 0) {
    c.ci = fisher_z_interval(c.estimate, se, c.level, c.alternative);
    c.ci_method = ci_method;
  }
}

}  // namespace detail

/// The Pearson coefficient alone (no inference): Σ(x-x̄)(y-ȳ)/sqrt(Σ(x-x̄)²Σ(y-ȳ)²).
/// @throws DomainError for different sizes, n < 3, non-finite values or a constant variable.
[[nodiscard]] inline double pearson_r(std::span<const double> x, std::span<const double> y) {
  constexpr std::string_view where = "pearson";
  detail::check_pairs(where, x, y);
  const detail::Moments m = detail::moments(x, y);
  detail::require_varying(where, "x", m.sxx);
  detail::require_varying(where, "y", m.syy);
  return detail::r_of(m);
}

/// Inference for a Pearson coefficient `r` of `n` pairs, as cor.test: t = r·sqrt((n-2)/(1-r²)) on n-2 df,
/// CI tanh(atanh r ± q/sqrt(n-3)) (none for n = 3, with a warning).
/// @param r the coefficient, in [-1, 1]; @param n pairs, at least 3.
/// Example: `pearson_from_r(-0.62, 94)` gives t(92) = -7.58, p = 2.7e-11, CI [-0.731, -0.477].
[[nodiscard]] inline Correlation pearson_from_r(double r, std::size_t n, const CorrelationOptions& o = {}) {
  constexpr std::string_view where = "pearson";
  require_in_range(where, "r", r, -1, 1);
  require_at_least(where, "the number of pairs", n, 3);
  detail::check_level(where, o.level);
  Correlation c{
      .method = Method::pearson, .n = n, .estimate = r, .alternative = o.alternative, .level = o.level, .warnings = {}};
  const double nn = static_cast<double>(n);
  detail::t_inference(c, nn - 2, n > 3 ? 1 / std::sqrt(nn - 3) : std::nan(""), CiMethod::fisher_z);
  if (n == 3) c.warnings.push_back({"no_ci_n3", "n = 3: no Fisher-z confidence interval (it needs n > 3)"});
  return c;
}

/// Pearson's r of paired samples, with its t test and Fisher-z interval (R: cor.test(x, y)).
/// @throws DomainError for different sizes, n < 3, non-finite values or a constant variable.
/// Example: `pearson(hrv_change, fatigue_change, {.level = 0.95})`.
[[nodiscard]] inline Correlation pearson(std::span<const double> x, std::span<const double> y,
                                         const CorrelationOptions& o = {}) {
  return pearson_from_r(pearson_r(x, y), x.size(), o);
}

}  // namespace trialstats::corr
