// Predicted values of a fitted meta-regression at new moderator values: the estimated average effect
// x₀ᵀβ̂ with its standard error, confidence interval and prediction interval, as metafor 3.8's
// predict.rma(fit, newmods) with its default prediction interval; and the row of the model matrix
// for moderator values given by name (a number, or a level of a categorical moderator), coded as
// build_design codes the studies.
//
// References (equations in docs/methods.md, section "Predicted values"):
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
//   Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects meta-analyses. BMJ 342:d549.
//   Thompson SG, Higgins JPT (2002). How should meta-regression analyses be undertaken and interpreted?
//     Stat Med 21:1559–1573.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
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

/// The value of one moderator at which to predict.
struct ModeratorValue {
  std::string name;                               ///< the moderator's name (its column)
  std::variant<double, std::string> value = 0.0;  ///< a number (numeric moderator) or a level (categorical)
};

/// A prediction at moderator values given by name.
struct PredictionAt {
  std::vector<ModeratorValue> values{};  ///< one per moderator, in the order of the moderators
  Eigen::RowVectorXd x{};                ///< the row of the model matrix (the intercept's 1 first, if any)
  Prediction prediction{};
};

namespace detail {

inline std::vector<std::string> moderator_names(std::span<const Moderator> moderators) {
  std::vector<std::string> names;
  for (const auto& m : moderators) names.push_back(m.name);
  return names;
}

inline std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// The levels of categorical moderator `m` in coding order (coded_levels), after checking that `level`
/// is one of them (DomainError listing them otherwise).
inline std::vector<std::string> require_level(std::string_view where, const Moderator& m, const std::string& level) {
  auto levels = coded_levels(where, m);
  if (std::find(levels.begin(), levels.end(), level) == levels.end()) {
    std::sort(levels.begin(), levels.end());
    throw DomainError(
        fmt::format("{}moderator '{}' has no level '{}'; levels: {}", where, m.name, level, joined(levels)));
  }
  return levels;
}

}  // namespace detail

/// Parses moderator values written NAME=VALUE,NAME=VALUE (the command line's `--predict`): every
/// moderator named once, a numeric one with a finite number (as C++ `from_chars` reads it, e.g. 20,
/// -1.5, 2e3), a categorical one with one of its levels. Blanks around names and values are ignored.
/// @returns one value per moderator, in the order of `moderators`.
/// @throws UsageError for an item without '=' or with an empty name or value, a name that is not a
///         moderator, a moderator named twice or not at all, a number that does not parse or is not
///         finite; DomainError for a level that does not occur in the data (listing the levels).
/// Example:
///   auto at = meta::parse_moderator_values("ablat=20,alloc=random", moderators);
///   auto row = meta::design_row(moderators, at);   // 1, 20, 1, 0  (intrcpt, ablat, allocrandom, allocsystematic)
[[nodiscard]] inline std::vector<ModeratorValue> parse_moderator_values(std::string_view text,
                                                                        std::span<const Moderator> moderators) {
  std::vector<std::optional<ModeratorValue>> found(moderators.size());
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = detail::trimmed(text.substr(start, comma - start));
    start = comma + 1;
    const auto eq = item.find('=');
    const std::string_view name = eq == std::string_view::npos ? item : detail::trimmed(item.substr(0, eq));
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : detail::trimmed(item.substr(eq + 1));
    if (eq == std::string_view::npos || name.empty() || value.empty())
      throw UsageError(fmt::format("expected NAME=VALUE for every moderator, got '{}'", item));
    const auto it =
        std::find_if(moderators.begin(), moderators.end(), [&](const Moderator& m) { return m.name == name; });
    if (it == moderators.end())
      throw UsageError(fmt::format("'{}' is not one of the moderators ({})", name,
                                   detail::joined(detail::moderator_names(moderators))));
    const auto j = static_cast<std::size_t>(it - moderators.begin());
    if (found[j]) throw UsageError(fmt::format("moderator '{}' is given twice", name));
    ModeratorValue v{.name = it->name};
    if (it->categorical()) {
      v.value = std::string(value);
      (void)detail::require_level("", *it, std::get<std::string>(v.value));
    } else {
      const std::string_view digits = value.front() == '+' ? value.substr(1) : value;
      double x = 0;
      const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), x);
      if (r.ec != std::errc() || r.ptr != digits.data() + digits.size() || !std::isfinite(x))
        throw UsageError(fmt::format("moderator '{}' is numeric: expected a number, got '{}'", name, value));
      v.value = x;
    }
    found[j] = std::move(v);
  }
  std::vector<ModeratorValue> out;
  for (std::size_t j = 0; j < moderators.size(); ++j) {
    if (!found[j])
      throw UsageError(fmt::format("no value for moderator '{}' (every moderator needs one: {})", moderators[j].name,
                                   detail::joined(detail::moderator_names(moderators))));
    out.push_back(std::move(*found[j]));
  }
  return out;
}

/// The row of the model matrix that build_design(moderators, k, intercept) gives a study with these
/// moderator values: 1 for the intercept; the number of a numeric moderator; for a categorical one, 1
/// in the column of its level and 0 in its other columns (all 0 at the reference level; without an
/// intercept the first categorical moderator has a column for every level). `values` are matched to
/// the moderators by name, in any order.
/// @throws UsageError for a moderator without a value, a value that names no moderator or names one
///         twice, a level for a numeric moderator or a number for a categorical one; DomainError for a
///         non-finite number or a level that does not occur.
/// Example:
///   auto row = meta::design_row(mods, std::vector<meta::ModeratorValue>{{"ablat", 20.0}, {"alloc", "random"}});
[[nodiscard]] inline Eigen::RowVectorXd design_row(std::span<const Moderator> moderators,
                                                   std::span<const ModeratorValue> values, bool intercept = true) {
  constexpr std::string_view where = "design_row: ";
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& name = values[i].name;
    if (std::none_of(moderators.begin(), moderators.end(), [&](const Moderator& m) { return m.name == name; }))
      throw UsageError(fmt::format("{}'{}' is not one of the moderators ({})", where, name,
                                   detail::joined(detail::moderator_names(moderators))));
    for (std::size_t j = 0; j < i; ++j)
      if (values[j].name == name) throw UsageError(fmt::format("{}moderator '{}' is given twice", where, name));
  }
  std::vector<double> row;
  if (intercept) row.push_back(1);
  bool full_coding = !intercept;
  for (const Moderator& m : moderators) {
    const auto v =
        std::find_if(values.begin(), values.end(), [&](const ModeratorValue& x) { return x.name == m.name; });
    if (v == values.end()) throw UsageError(fmt::format("{}no value for moderator '{}'", where, m.name));
    if (m.categorical()) {
      const auto* level = std::get_if<std::string>(&v->value);
      if (!level) throw UsageError(fmt::format("{}moderator '{}' is categorical: expected a level", where, m.name));
      const auto levels = detail::require_level(where, m, *level);
      for (std::size_t l = full_coding ? 0 : 1; l < levels.size(); ++l) row.push_back(levels[l] == *level ? 1 : 0);
      full_coding = false;
    } else {
      const auto* number = std::get_if<double>(&v->value);
      if (!number) throw UsageError(fmt::format("{}moderator '{}' is numeric: expected a number", where, m.name));
      require_finite("design_row", fmt::format("moderator '{}'", m.name), *number);
      row.push_back(*number);
    }
  }
  return Eigen::Map<const Eigen::RowVectorXd>(row.data(), static_cast<Eigen::Index>(row.size()));
}

/// Predicted values at moderator values given by name (one set of values per prediction): the row of
/// each from design_row, then predict(). `moderators` are those the fit's design was built from.
/// @throws as design_row, and DomainError when the rows do not fit the model.
/// Example:
///   auto p = meta::predict(fit, mods, std::vector{meta::parse_moderator_values("ablat=20,alloc=random", mods)});
///   // p[0].prediction.estimate, p[0].prediction.ci, p[0].prediction.pi
[[nodiscard]] inline std::vector<PredictionAt> predict(const MetaRegression& fit, std::span<const Moderator> moderators,
                                                       std::span<const std::vector<ModeratorValue>> at) {
  const Eigen::Index offset = fit.intercept ? 1 : 0;
  std::vector<PredictionAt> out;
  Eigen::MatrixXd newmods(static_cast<Eigen::Index>(at.size()), std::max<Eigen::Index>(0, fit.p - offset));
  for (std::size_t i = 0; i < at.size(); ++i) {
    PredictionAt r;
    r.x = design_row(moderators, at[i], fit.intercept);
    if (r.x.size() != fit.p)
      throw DomainError(
          fmt::format("predict: the model has {} coefficients, but the moderators code {} columns", fit.p, r.x.size()));
    for (const auto& m : moderators) {
      const auto v =
          std::find_if(at[i].begin(), at[i].end(), [&](const ModeratorValue& x) { return x.name == m.name; });
      r.values.push_back(*v);
    }
    newmods.row(static_cast<Eigen::Index>(i)) = r.x.tail(fit.p - offset);
    out.push_back(std::move(r));
  }
  const auto p = predict(fit, newmods);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].prediction = p[i];
  return out;
}

}  // namespace trialstats::meta
