// Confidence intervals for proportions and for the comparison of two independent proportions:
// the Wilson score interval of one proportion (with Yates' continuity correction as R's prop.test),
// the risk difference with Newcombe's hybrid score interval (or Wald), the relative risk with its
// log-scale interval, and the number needed to treat with Altman's interval, which passes through
// infinity when the interval of the risk difference includes 0.
//
// References (formulas in docs/methods.md, "Proportions"):
//   Wilson EB (1927). Probable inference, the law of succession, and statistical inference.
//     J Am Stat Assoc 22:209–212.
//   Newcombe RG (1998). Two-sided confidence intervals for the single proportion: comparison of seven
//     methods. Stat Med 17:857–872 (method 4: score interval with continuity correction).
//   Newcombe RG (1998). Interval estimation for the difference between independent proportions:
//     comparison of eleven methods. Stat Med 17:873–890 (method 10: hybrid score interval).
//   Altman DG (1998). Confidence intervals for the number needed to treat. BMJ 317:1309–1312.
//   Katz D, Baptista J, Azen SP, Pike MC (1978). Obtaining confidence intervals for the risk ratio in
//     cohort studies. Biometrics 34:469–474 (log relative risk and its standard error).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/types.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::stats {

/// Events `x` out of `n` in one group; `x` need not be a whole number (e.g. 86% of 1,273).
struct EventCount {
  double x = 0;  ///< events, 0 ≤ x ≤ n
  double n = 0;  ///< group size, n > 0
};

/// Options of the single-proportion interval.
struct WilsonOptions {
  double level = 0.95;      ///< confidence level, in (0, 1)
  bool continuity = false;  ///< Yates' continuity correction (Newcombe 1998a method 4; R prop.test(correct = TRUE))
  double null_p = 0.5;      ///< with `continuity`: R's prop.test caps the correction at |x − n·null_p|
};

/// One proportion with its interval.
struct ProportionEstimate {
  double x = 0;
  double n = 0;
  double estimate = 0;  ///< x / n
  Interval ci;          ///< Wilson score interval at `level`
  double level = 0.95;
};

/// Checks 0 ≤ x ≤ n and n > 0.
inline void require_event_count(std::string_view where, const EventCount& g, std::string_view group = "group") {
  require_positive(where, fmt::format("n of {}", group), g.n);
  require_nonnegative(where, fmt::format("x of {}", group), g.x);
  if (g.x > g.n) fail_check(where, fmt::format("x of {}", group), g.x, fmt::format("at most n = {}", g.n));
}

inline void require_level(std::string_view where, double level) {
  if (!(level > 0 && level < 1)) fail_check(where, "confidence level", level, "in (0, 1)");
}

/// Wilson score interval for one proportion (Wilson 1927; Newcombe 1998a methods 3 and 4):
/// p̂ = x/n, z = Φ⁻¹(1 − α/2); limits (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n).
/// With `continuity`, p̂ is moved by c/n (c = min(½, |x − n·p₀|)) away from the centre before each
/// limit, as R's prop.test(correct = TRUE); a limit whose shifted p̂ leaves [0, 1] is 0 or 1.
/// Agrees with prop.test(x, n, correct = FALSE)$conf.int.
/// @throws DomainError for n ≤ 0, x < 0, x > n or a level outside (0, 1).
///
/// Example: `wilson_interval({.x = 30, .n = 47}).ci` is [0.4965, 0.7575].
[[nodiscard]] inline ProportionEstimate wilson_interval(const EventCount& g, const WilsonOptions& options = {}) {
  constexpr std::string_view where = "wilson_interval";
  require_event_count(where, g);
  require_level(where, options.level);
  const double n = g.n, p = g.x / n, z = normal_critical(options.level);
  const double z22n = z * z / (2 * n);
  const double c = options.continuity ? std::min(0.5, std::fabs(g.x - n * options.null_p)) : 0.0;
  const auto limit = [&](double pc, double sign) {
    return (pc + z22n + sign * z * std::sqrt(pc * (1 - pc) / n + z22n / (2 * n))) / (1 + 2 * z22n);
  };
  const double pu = p + c / n, pl = p - c / n;
  const double upper = pu >= 1 ? 1.0 : limit(pu, +1);
  const double lower = pl <= 0 ? 0.0 : limit(pl, -1);
  return {g.x, n, p, {std::max(0.0, lower), std::min(1.0, upper)}, options.level};
}

/// Interval methods for the difference of two independent proportions.
enum class DifferenceMethod {
  newcombe,  ///< hybrid score interval from the two Wilson intervals (Newcombe 1998b method 10)
  wald,      ///< p₁ − p₂ ± z·√(p₁q₁/n₁ + p₂q₂/n₂) (Newcombe 1998b method 1), not clipped
};

struct RiskDifferenceOptions {
  double level = 0.95;
  DifferenceMethod method = DifferenceMethod::newcombe;
};

/// p₁ − p₂ with its interval.
struct RiskDifference {
  double p1 = 0;
  double p2 = 0;
  double estimate = 0;   ///< p₁ − p₂
  double std_error = 0;  ///< Wald standard error √(p₁q₁/n₁ + p₂q₂/n₂) (reported for every method)
  Interval ci;
  DifferenceMethod method = DifferenceMethod::newcombe;
  double level = 0.95;
};

/// Difference of two independent proportions, group 1 minus group 2.
/// Newcombe (1998b, method 10): with Wilson limits (l₁, u₁), (l₂, u₂),
/// L = d − √((p₁ − l₁)² + (u₂ − p₂)²), U = d + √((u₁ − p₁)² + (p₂ − l₂)²).
/// @throws DomainError for bad counts or level.
///
/// Example: `risk_difference({30, 47}, {18, 47})` is 0.2553 with interval [0.0533, 0.4301]
/// (Newcombe 1998b; Altman 1998, Table).
[[nodiscard]] inline RiskDifference risk_difference(const EventCount& g1, const EventCount& g2,
                                                    const RiskDifferenceOptions& options = {}) {
  constexpr std::string_view where = "risk_difference";
  require_event_count(where, g1, "group 1");
  require_event_count(where, g2, "group 2");
  require_level(where, options.level);
  const double p1 = g1.x / g1.n, p2 = g2.x / g2.n, d = p1 - p2;
  const double se = std::sqrt(p1 * (1 - p1) / g1.n + p2 * (1 - p2) / g2.n);
  Interval ci;
  if (options.method == DifferenceMethod::newcombe) {
    const Interval w1 = wilson_interval(g1, {.level = options.level}).ci;
    const Interval w2 = wilson_interval(g2, {.level = options.level}).ci;
    ci.lower = d - std::sqrt((p1 - w1.lower) * (p1 - w1.lower) + (w2.upper - p2) * (w2.upper - p2));
    ci.upper = d + std::sqrt((w1.upper - p1) * (w1.upper - p1) + (p2 - w2.lower) * (p2 - w2.lower));
  } else {
    const double z = normal_critical(options.level);
    ci = {d - z * se, d + z * se};
  }
  return {p1, p2, d, se, ci, options.method, options.level};
}

/// p₁ / p₂ with its interval from the log scale.
struct RelativeRisk {
  double estimate = 0;  ///< (x₁/n₁) / (x₂/n₂), after any correction
  double log_estimate = 0;
  double log_std_error = 0;  ///< √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)
  Interval ci;               ///< exp(log RR ± z·SE)
  double level = 0.95;
  bool corrected = false;  ///< ½ was added to every cell because x₁ or x₂ was 0
  Warnings warnings;
};

/// Relative risk of group 1 against group 2 (Katz et al. 1978). When x₁ or x₂ is 0, ½ is added to
/// events and non-events of both groups (so each n grows by 1), as metafor's escalc default, and a
/// warning "zero_cell_corrected" is returned.
/// @throws DomainError for bad counts or level.
///
/// Example: `relative_risk({30, 47}, {18, 47}).estimate` is 1.6667.
[[nodiscard]] inline RelativeRisk relative_risk(EventCount g1, EventCount g2, double level = 0.95) {
  constexpr std::string_view where = "relative_risk";
  require_event_count(where, g1, "group 1");
  require_event_count(where, g2, "group 2");
  require_level(where, level);
  RelativeRisk r;
  r.level = level;
  if (g1.x == 0 || g2.x == 0) {
    g1 = {g1.x + 0.5, g1.n + 1};
    g2 = {g2.x + 0.5, g2.n + 1};
    r.corrected = true;
    r.warnings.push_back({"zero_cell_corrected", "a group has no events; 1/2 was added to every cell"});
  }
  r.log_estimate = std::log((g1.x / g1.n) / (g2.x / g2.n));
  r.estimate = std::exp(r.log_estimate);
  r.log_std_error = std::sqrt(1 / g1.x - 1 / g1.n + 1 / g2.x - 1 / g2.n);
  const double z = normal_critical(level);
  r.ci = {std::exp(r.log_estimate - z * r.log_std_error), std::exp(r.log_estimate + z * r.log_std_error)};
  return r;
}

/// Whether the event counted is a good or a bad outcome: it decides whether p₁ > p₂ is a benefit.
enum class EventKind {
  favourable,    ///< e.g. response: more events in group 1 is a benefit (NNTB)
  unfavourable,  ///< e.g. death: fewer events in group 1 is a benefit
};

enum class NntKind {
  benefit,  ///< NNTB: patients to treat for one more to benefit
  harm,     ///< NNTH: patients to treat for one more to be harmed
};

/// One end of an NNT interval; `value` may be +∞.
struct NntLimit {
  NntKind kind = NntKind::benefit;
  double value = 0;
  friend bool operator==(const NntLimit&, const NntLimit&) = default;
};

/// Number needed to treat with Altman's interval.
/// When the interval of the risk difference excludes 0, `lower` and `upper` are of the same kind and
/// read "NNTB 2.33 to 18.76". When it includes 0 (`through_infinity`), the interval is the set
/// "NNTB lower.value to ∞ to NNTH upper.value": `lower` is always the benefit side and `upper` the harm side.
struct NumberNeededToTreat {
  double estimate = 0;              ///< 1/|d|, +∞ when d = 0
  NntKind kind = NntKind::benefit;  ///< of the point estimate
  NntLimit lower;
  NntLimit upper;
  bool through_infinity = false;
  RiskDifference risk_difference;  ///< the difference the NNT comes from (group 1 − group 2)
};

struct NntOptions {
  double level = 0.95;
  DifferenceMethod method = DifferenceMethod::newcombe;
  EventKind event = EventKind::favourable;
};

/// Number needed to treat (Altman 1998): NNT = 1/|d| with d = p₁ − p₂ counted in the direction of
/// benefit (d for favourable events, −d for unfavourable ones); the limits are the reciprocals of the
/// limits of the interval of d. If that interval includes 0, the NNT interval goes through infinity:
/// NNTB 1/U to ∞ to NNTH 1/|L|. A limit of exactly 0 gives ∞.
/// @throws DomainError for bad counts or level.
///
/// Example: `number_needed_to_treat({30, 47}, {18, 47})` is NNTB 3.92 (2.33 to 18.76).
[[nodiscard]] inline NumberNeededToTreat number_needed_to_treat(const EventCount& g1, const EventCount& g2,
                                                                const NntOptions& options = {}) {
  NumberNeededToTreat r;
  r.risk_difference = risk_difference(g1, g2, {.level = options.level, .method = options.method});
  const double sign = options.event == EventKind::favourable ? 1.0 : -1.0;
  // The difference and its limits on the benefit scale: positive is benefit.
  const double d = sign * r.risk_difference.estimate;
  double lo = sign * r.risk_difference.ci.lower, hi = sign * r.risk_difference.ci.upper;
  if (lo > hi) std::swap(lo, hi);
  constexpr double inf = std::numeric_limits<double>::infinity();
  const auto recip = [](double v) { return v == 0 ? inf : 1 / std::fabs(v); };
  r.estimate = recip(d);
  r.kind = d >= 0 ? NntKind::benefit : NntKind::harm;
  if (lo > 0) {
    r.lower = {NntKind::benefit, recip(hi)};
    r.upper = {NntKind::benefit, recip(lo)};
  } else if (hi < 0) {
    r.lower = {NntKind::harm, recip(lo)};
    r.upper = {NntKind::harm, recip(hi)};
  } else {
    r.through_infinity = true;
    r.lower = {NntKind::benefit, recip(hi)};
    r.upper = {NntKind::harm, recip(lo)};
  }
  return r;
}

}  // namespace trialstats::stats
