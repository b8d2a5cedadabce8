// Predicted values of a fitted meta-regression at new moderator values: the estimated average effect
// x₀ᵀβ̂ with its standard error, confidence interval and prediction interval, as metafor 3.8's
// predict.rma(fit, newmods) with its default prediction interval.
//
// References (equations in docs/methods.md, section "Predicted values"):
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
//   Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects meta-analyses. BMJ 342:d549.
//   Thompson SG, Higgins JPT (2002). How should meta-regression analyses be undertaken and interpreted?
//     Stat Med 21:1559–1573.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/meta/regression.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

/// One predicted value.
struct Prediction {
  double estimate = 0;  ///< x₀ᵀβ̂
  double se = 0;        ///< sqrt(x₀ᵀ V x₀), V the coefficients' covariance (Knapp–Hartung scaled under knha)
  Interval ci{};        ///< estimate ∓ c·se, c the normal quantile (z) or t(k − p) quantile (t, knha)
  Interval pi{};        ///< estimate ∓ c·sqrt(se² + tau²), the same c: where the true effect of a new study
                        ///< with these moderator values is expected (equals ci for EE or tau² = 0)
};

/// Predicted values at the rows of `newmods`: one column per coefficient but the intercept (metafor's
/// `newmods`), the intercept's 1 put first when the model has one; a model without an intercept takes
/// a row per coefficient. Categorical moderators take their 0/1 dummy columns, in the design's order.
/// @throws DomainError when `newmods` has the wrong number of columns or a value that is not finite.
/// Example:
///   auto fit = meta::meta_regress(yi, vi, meta::build_design(mods, yi.size()));
///   Eigen::MatrixXd at(3, 1);
///   at << 10, 30, 50;                       // ablat
///   auto p = meta::predict(fit, at);        // p[1].estimate, p[1].ci, p[1].pi
[[nodiscard]] inline std::vector<Prediction> predict(const MetaRegression& fit, const Eigen::MatrixXd& newmods) {
  constexpr std::string_view where = "predict";
  const auto p = static_cast<Eigen::Index>(fit.coefficients.size());
  const Eigen::Index offset = fit.intercept ? 1 : 0;
  if (fit.vcov.rows() != p || fit.vcov.cols() != p)
    throw DomainError(fmt::format("{}: the fit has {} coefficients but a {} × {} covariance", where, p, fit.vcov.rows(),
                                  fit.vcov.cols()));
  if (newmods.cols() != p - offset)
    throw DomainError(fmt::format("{}: the model has {} moderator column{}, but the new values have {}", where,
                                  p - offset, p - offset == 1 ? "" : "s", newmods.cols()));
  const double c = fit.df ? stats::t_critical(fit.level, *fit.df) : stats::normal_critical(fit.level);
  Eigen::VectorXd beta(p), x0(p);
  for (Eigen::Index j = 0; j < p; ++j) beta(j) = fit.coefficients[static_cast<std::size_t>(j)].estimate;
  std::vector<Prediction> out;
  out.reserve(static_cast<std::size_t>(newmods.rows()));
  for (Eigen::Index i = 0; i < newmods.rows(); ++i) {
    if (fit.intercept) x0(0) = 1;
    for (Eigen::Index j = 0; j < newmods.cols(); ++j) {
      require_finite(where, fmt::format("moderator value {} of row {}", j + 1, i + 1), newmods(i, j));
      x0(j + offset) = newmods(i, j);
    }
    Prediction r;
    r.estimate = x0.dot(beta);
    r.se = std::sqrt(std::max(0.0, x0.dot(fit.vcov * x0)));
    r.ci = {r.estimate - c * r.se, r.estimate + c * r.se};
    const double spread = std::sqrt(r.se * r.se + fit.tau2);
    r.pi = {r.estimate - c * spread, r.estimate + c * spread};
    out.push_back(r);
  }
  return out;
}

/// Predicted values of a model with one moderator column, at the values `x`.
[[nodiscard]] inline std::vector<Prediction> predict(const MetaRegression& fit, std::span<const double> x) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(x.size()), 1);
  for (std::size_t i = 0; i < x.size(); ++i) m(static_cast<Eigen::Index>(i), 0) = x[i];
  return predict(fit, m);
}

}  // namespace trialstats::meta
