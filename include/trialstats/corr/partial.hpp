// Partial correlation of x and y controlling for covariates: the correlation of the residuals of
// x and y after least-squares regression on the covariates (and an intercept), tested on n-2-k df.
//
// References:
//   Fisher RA (1924). The distribution of the partial correlation coefficient. Metron 3:329-332
//     (t = r·sqrt((n-2-k)/(1-r²)); Fisher z with se 1/sqrt(n-3-k)).
//   Kim S (2015). ppcor: an R package for a fast calculation to semi-partial correlation coefficients.
//     Commun Stat Appl Methods 22:665-674 (the same test and the Spearman variant on ranks).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/corr/correlation.hpp"
#include "trialstats/corr/pearson.hpp"
#include "trialstats/corr/rank.hpp"

namespace trialstats::corr {

struct PartialOptions {
  Method method = Method::pearson;  ///< pearson, or spearman (every variable replaced by its ranks); not kendall
  double level = 0.95;
  Alternative alternative = Alternative::two_sided;
};

/// Partial correlation of x and y given the `controls` (each a column of the same length).
/// r = corr(residual of x on [1, Z], residual of y on [1, Z]); t = r·sqrt((n-2-k)/(1-r²)) on n-2-k df;
/// CI tanh(atanh r ± q/sqrt(n-3-k)). With no controls it is the ordinary coefficient.
/// @throws DomainError for sizes that differ, non-finite values, n < k+3, collinear controls, a
///         variable that the controls explain completely, or method = kendall.
/// Example: `partial(hf_change, fatigue_change, {age, fatigue_pre})`.
[[nodiscard]] inline Correlation partial(std::span<const double> x, std::span<const double> y,
                                         const std::vector<std::span<const double>>& controls,
                                         const PartialOptions& o = {}) {
  constexpr std::string_view where = "partial";
  detail::check_level(where, o.level);
  if (o.method == Method::kendall)
    throw DomainError("partial: Kendall's tau has no partial form here; use pearson or spearman");
  detail::check_pairs(where, x, y);
  const std::size_t n = x.size(), k = controls.size();
  for (std::size_t j = 0; j < k; ++j) {
    require_same_size(where, "x", n, fmt::format("control {}", j + 1), controls[j].size());
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(controls[j][i]))
        fail_check(where, fmt::format("control {} [{}]", j + 1, i + 1), controls[j][i], "finite");
  }
  require_at_least(where, "the number of pairs", n, k + 3);
  auto column = [&](std::span<const double> v) {
    Eigen::VectorXd out(static_cast<Eigen::Index>(n));
    if (o.method == Method::spearman) {
      const std::vector<double> r = average_ranks(v);
      for (std::size_t i = 0; i < n; ++i) out(static_cast<Eigen::Index>(i)) = r[i];
    } else {
      for (std::size_t i = 0; i < n; ++i) out(static_cast<Eigen::Index>(i)) = v[i];
    }
    return out;
  };
  Eigen::MatrixXd z(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k + 1));
  z.col(0).setOnes();
  for (std::size_t j = 0; j < k; ++j) z.col(static_cast<Eigen::Index>(j + 1)) = column(controls[j]);
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(z);
  if (qr.rank() < z.cols())
    throw DomainError("partial: the controls are collinear (or one is constant); drop one of them");
  const Eigen::VectorXd vx = column(x), vy = column(y);
  const Eigen::VectorXd ex = vx - z * qr.solve(vx);
  const Eigen::VectorXd ey = vy - z * qr.solve(vy);
  const std::vector<double> rx(ex.data(), ex.data() + n), ry(ey.data(), ey.data() + n);
  const detail::Moments m = detail::moments(rx, ry);
  // A residual that is zero up to rounding: x (or y) is a linear function of the controls.
  const double tol = 1e-12;
  if (!(m.sxx > tol * vx.squaredNorm()))
    throw DomainError("partial: x is a linear function of the controls; the partial correlation is undefined");
  if (!(m.syy > tol * vy.squaredNorm()))
    throw DomainError("partial: y is a linear function of the controls; the partial correlation is undefined");
  Correlation c{.method = o.method,
                .n = n,
                .estimate = detail::r_of(m),
                .alternative = o.alternative,
                .level = o.level,
                .warnings = {}};
  const double nk = static_cast<double>(n) - static_cast<double>(k);
  detail::t_inference(c, nk - 2, nk > 3 ? 1 / std::sqrt(nk - 3) : std::nan(""), CiMethod::fisher_z);
  if (!(nk > 3))
    c.warnings.push_back({"no_ci_partial", "n - k = 3: no Fisher-z confidence interval (it needs n - k > 3)"});
  return c;
}

}  // namespace trialstats::corr
