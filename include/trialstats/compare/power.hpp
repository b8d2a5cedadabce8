// Power and sample size of a two-sample t-test and of the comparison of two proportions, as R's
// power.t.test(type = "two.sample") and power.prop.test: given n per group, the power; given the
// power, the n per group (not rounded up; round up to recruit).
//
// References (formulas in docs/methods.md, "Power and sample size"):
//   Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed., ch. 2 (t-test
//     power from the non-central t distribution).
//   Fleiss JL, Levin B, Paik MC (2003). Statistical Methods for Rates and Proportions, 3rd ed.,
//     §4.2 (normal approximation for two proportions, without continuity correction).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

#include <boost/math/distributions/non_central_t.hpp>
#include <boost/math/tools/roots.hpp>

#include "trialstats/core/checks.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::compare {

enum class Sides {
  two_sided,  ///< α/2 in each tail
  one_sided,  ///< α in one tail
};

/// What was computed from the others.
enum class PowerSolvedFor { power, n };

struct PowerOptions {
  double sig_level = 0.05;
  Sides sides = Sides::two_sided;
  bool strict = false;  ///< two-sided: add the probability of rejecting in the wrong tail (R's strict = TRUE)
};

/// Power or sample size of a two-sample t-test.
struct PowerTResult {
  double n = 0;      ///< per group
  double delta = 0;  ///< true difference of means
  double sd = 1;
  double sig_level = 0.05;
  double power = 0;
  Sides sides = Sides::two_sided;
  bool strict = false;
  PowerSolvedFor solved_for = PowerSolvedFor::power;
};

/// Power or sample size of the comparison of two proportions.
struct PowerPropResult {
  double n = 0;  ///< per group
  double p1 = 0;
  double p2 = 0;
  double sig_level = 0.05;
  double power = 0;
  Sides sides = Sides::two_sided;
  bool strict = false;
  PowerSolvedFor solved_for = PowerSolvedFor::power;
};

namespace detail {

inline void check_power_options(std::string_view where, const PowerOptions& o) {
  if (!(o.sig_level > 0 && o.sig_level < 1)) fail_check(where, "significance level", o.sig_level, "in (0, 1)");
}

inline double t_power(double n, double delta, double sd, const PowerOptions& o) {
  const double tside = o.sides == Sides::two_sided ? 2 : 1;
  const double nu = std::max(1e-7, n - 1) * 2;
  const double ncp = std::sqrt(n / 2) * delta / sd;
  const double q = quantile(complement(stats::StudentsT(nu), o.sig_level / tside));
  const boost::math::non_central_t_distribution<double, stats::Policy> t(nu, ncp);
  double power = cdf(complement(t, q));
  if (o.strict && o.sides == Sides::two_sided) power += cdf(t, -q);
  return power;
}

inline double prop_power(double n, double p1, double p2, const PowerOptions& o) {
  const double tside = o.sides == Sides::two_sided ? 2 : 1;
  const double qu = quantile(complement(stats::Normal(0.0, 1.0), o.sig_level / tside));
  const double d = std::fabs(p1 - p2), v = p1 * (1 - p1) + p2 * (1 - p2);
  const stats::Normal normal(0.0, 1.0);
  if (o.strict && o.sides == Sides::two_sided) {
    const double pbar = (p1 + p2) / 2, vbar = pbar * (1 - pbar);
    return cdf(normal, (std::sqrt(n) * d - qu * std::sqrt(2 * vbar)) / std::sqrt(v)) +
           cdf(complement(normal, (std::sqrt(n) * d + qu * std::sqrt(2 * vbar)) / std::sqrt(v)));
  }
  return cdf(normal, (std::sqrt(n) * d - qu * std::sqrt((p1 + p2) * (1 - (p1 + p2) / 2))) / std::sqrt(v));
}

/// n with power(n) = target, power increasing in n, searched from [lo, 2·lo] upwards; to within a few ulps.
template <class F>
double solve_n(F power, double target, double lo, std::string_view where) {
  const auto f = [&](double n) { return power(n) - target; };
  if (f(lo) >= 0) return lo;
  double hi = 2 * lo;
  while (f(hi) < 0) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12)
      throw NoResultError(fmt::format("{}: no sample size below 10^12 per group reaches the power", where));
  }
  std::uintmax_t iterations = 500;
  const auto r =
      boost::math::tools::toms748_solve(f, lo, hi, boost::math::tools::eps_tolerance<double>(50), iterations);
  return (r.first + r.second) / 2;
}

}  // namespace detail

/// Power of a two-sample t-test with n per group (R's power.t.test(n, delta, sd, sig.level)):
/// ν = 2(n − 1), λ = √(n/2)·δ/σ, power = P(T′_{ν,λ} > t_{ν,1−α/k}) with k = 2 (two-sided) or 1;
/// with `strict`, plus P(T′_{ν,λ} < −t_{ν,1−α/2}). δ is taken as |δ| when two-sided.
/// @throws DomainError for n < 2, sd ≤ 0, a non-finite δ or a significance level outside (0, 1).
///
/// Example: `power_t_test_power(20, 1, 1).power` is 0.8689528.
[[nodiscard]] inline PowerTResult power_t_test_power(double n, double delta, double sd, const PowerOptions& o = {}) {
  constexpr std::string_view where = "power_t_test";
  if (!(n >= 2) || !std::isfinite(n)) fail_check(where, "n per group", n, "at least 2");
  require_finite(where, "delta", delta);
  require_positive(where, "sd", sd);
  detail::check_power_options(where, o);
  if (o.sides == Sides::two_sided) delta = std::fabs(delta);
  return {n, delta, sd, o.sig_level, detail::t_power(n, delta, sd, o), o.sides, o.strict, PowerSolvedFor::power};
}

/// Sample size per group of a two-sample t-test for the given power: the n (≥ 2, not rounded) at
/// which `power_t_test_power` equals `power`.
/// @throws DomainError for δ = 0, sd ≤ 0, a power outside (0, 1) or a significance level outside (0, 1);
///         NoResultError when no n below 10¹² reaches the power.
///
/// Example: `power_t_test_n(1, 1, 0.9).n` is 22.02110.
[[nodiscard]] inline PowerTResult power_t_test_n(double delta, double sd, double power, const PowerOptions& o = {}) {
  constexpr std::string_view where = "power_t_test";
  require_finite(where, "delta", delta);
  if (delta == 0) fail_check(where, "delta", delta, "non-zero");
  require_positive(where, "sd", sd);
  if (!(power > 0 && power < 1)) fail_check(where, "power", power, "in (0, 1)");
  detail::check_power_options(where, o);
  if (o.sides == Sides::two_sided) delta = std::fabs(delta);
  const double n = detail::solve_n([&](double m) { return detail::t_power(m, delta, sd, o); }, power, 2, where);
  return {n, delta, sd, o.sig_level, detail::t_power(n, delta, sd, o), o.sides, o.strict, PowerSolvedFor::n};
}

/// Power of the comparison of two proportions with n per group (R's power.prop.test):
/// power = Φ((√n·|p₁ − p₂| − z_{1−α/k}·√((p₁ + p₂)(1 − (p₁ + p₂)/2))) / √(p₁q₁ + p₂q₂)); with `strict`
/// the two-tailed form with p̄ = (p₁ + p₂)/2.
/// @throws DomainError for n ≤ 0, p outside (0, 1) or a significance level outside (0, 1).
///
/// Example: `power_prop_test_power(50, 0.5, 0.75).power` is 0.7401659.
[[nodiscard]] inline PowerPropResult power_prop_test_power(double n, double p1, double p2, const PowerOptions& o = {}) {
  constexpr std::string_view where = "power_prop_test";
  require_positive(where, "n per group", n);
  if (!(p1 > 0 && p1 < 1)) fail_check(where, "p1", p1, "in (0, 1)");
  if (!(p2 > 0 && p2 < 1)) fail_check(where, "p2", p2, "in (0, 1)");
  detail::check_power_options(where, o);
  return {n, p1, p2, o.sig_level, detail::prop_power(n, p1, p2, o), o.sides, o.strict, PowerSolvedFor::power};
}

/// Sample size per group for comparing two proportions with the given power (not rounded).
/// @throws DomainError for p₁ = p₂, p outside (0, 1), a power or significance level outside (0, 1).
///
/// Example: `power_prop_test_n(0.5, 0.75, 0.9).n` is 76.70693.
[[nodiscard]] inline PowerPropResult power_prop_test_n(double p1, double p2, double power, const PowerOptions& o = {}) {
  constexpr std::string_view where = "power_prop_test";
  if (!(p1 > 0 && p1 < 1)) fail_check(where, "p1", p1, "in (0, 1)");
  if (!(p2 > 0 && p2 < 1)) fail_check(where, "p2", p2, "in (0, 1)");
  if (p1 == p2) fail_check(where, "p1 − p2", 0, "non-zero");
  if (!(power > 0 && power < 1)) fail_check(where, "power", power, "in (0, 1)");
  detail::check_power_options(where, o);
  const double n = detail::solve_n([&](double m) { return detail::prop_power(m, p1, p2, o); }, power, 1, where);
  return {n, p1, p2, o.sig_level, detail::prop_power(n, p1, p2, o), o.sides, o.strict, PowerSolvedFor::n};
}

}  // namespace trialstats::compare
