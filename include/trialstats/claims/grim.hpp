// GRIM and GRIMMER: whether a reported mean (and SD) of integer-valued data is possible at all.
// With n respondents answering `items` integer items, every mean is a multiple of 1/(n·items); a
// mean reported to d decimals is possible only if some integer total T gives T/(n·items) within
// half a unit of the last decimal of it (GRIM). The SD adds two conditions (GRIMMER): for an integer
// total T of the item sums y (y = items × response), the sum of squares Q = Σy² = (n − 1)·s_y² + T²/n
// must be an integer inside the range the rounding of the SD allows, and Q must have the parity of
// T (y² and y are both odd or both even).
//
// Limits: both tests are necessary conditions only (a consistent mean may still be impossible on a
// bounded scale); rounding of the reported values is taken as "either way" at exact halves, so
// rounding up and banker's rounding both pass.
//
// References (formulas in docs/methods.md, "Checking reported statistics"):
//   Brown NJL, Heathers JAJ (2017). The GRIM test: a simple technique detects numerous anomalies in
//     the reporting of results in psychology. Soc Psychol Personal Sci 8:363–369.
//   Anaya J (2016). The GRIMMER test: a method for testing the validity of reported measures of
//     variability. PeerJ Preprints 4:e2400v1.
//   Allard A (2018). Analytic-GRIMMER: a new way of testing the possibility of standard deviations.
//     https://aurelienallard.netlify.app/post/anaytic-grimmer-possibility-standard-deviations/
#pragma once

#include <cmath>
#include <optional>
#include <string_view>

#include "trialstats/core/checks.hpp"

namespace trialstats::claims {

/// A mean (and optionally SD) as reported, with its decimals and the sample it describes.
struct ReportedMean {
  double mean = 0;
  int mean_decimals = 2;       ///< decimals the mean is reported with
  double n = 0;                ///< respondents, a whole number ≥ 1
  double items = 1;            ///< integer items averaged per respondent, a whole number ≥ 1
  std::optional<double> sd{};  ///< reported SD (n − 1 denominator), for GRIMMER
  int sd_decimals = 2;
};

enum class GrimVerdict {
  consistent,    ///< some integer data give these numbers (as far as the test can tell)
  inconsistent,  ///< no integer data give them
  not_testable,  ///< GRIM: n·items ≥ 10^decimals, every mean is possible
};

[[nodiscard]] inline std::string_view name(GrimVerdict v) {
  switch (v) {
    case GrimVerdict::inconsistent:
      return "inconsistent";
    case GrimVerdict::not_testable:
      return "not testable";
    default:
      return "consistent";
  }
}

struct GrimResult {
  GrimVerdict mean = GrimVerdict::consistent;  ///< GRIM
  std::optional<GrimVerdict> sd;               ///< GRIMMER, when an SD was given
  std::optional<double> nearest_mean;          ///< a possible mean closest to the reported one
  double granularity = 0;                      ///< 1/(n·items)
};

namespace detail {

inline bool rounds_to(double value, double reported, int decimals) {
  const double half = 0.5 * std::pow(10.0, -decimals);
  return std::fabs(value - reported) <= half * (1 + 1e-9) + 1e-12;
}

}  // namespace detail

/// GRIM (Brown & Heathers 2017) and, with an SD, GRIMMER (Anaya 2016; Allard 2018).
/// @throws DomainError for n or items that are not whole numbers ≥ 1, a negative SD or decimals
///         outside 0–10.
///
/// Example: `grim_test({.mean = 5.19, .mean_decimals = 2, .n = 28}).mean` is inconsistent
/// (145/28 = 5.18, 146/28 = 5.21).
[[nodiscard]] inline GrimResult grim_test(const ReportedMean& m) {
  constexpr std::string_view where = "grim_test";
  if (!(m.n >= 1) || m.n != std::floor(m.n)) fail_check(where, "n", m.n, "a whole number of at least 1");
  if (!(m.items >= 1) || m.items != std::floor(m.items))
    fail_check(where, "items", m.items, "a whole number of at least 1");
  require_finite(where, "mean", m.mean);
  if (m.mean_decimals < 0 || m.mean_decimals > 10)
    fail_check(where, "decimals of the mean", m.mean_decimals, "in 0–10");
  const double units = m.n * m.items;  // the mean is a multiple of 1/units
  GrimResult r;
  r.granularity = 1 / units;
  // Candidate totals around mean·units.
  const double centre = std::round(m.mean * units);
  double best = centre;
  bool any = false;
  for (double t = centre - 2; t <= centre + 2; ++t) {
    if (detail::rounds_to(t / units, m.mean, m.mean_decimals)) any = true;
    if (std::fabs(t / units - m.mean) < std::fabs(best / units - m.mean)) best = t;
  }
  r.nearest_mean = best / units;
  const bool testable = units < std::pow(10.0, m.mean_decimals);
  r.mean = any ? (testable ? GrimVerdict::consistent : GrimVerdict::not_testable) : GrimVerdict::inconsistent;
  if (!m.sd) return r;
  require_nonnegative(where, "SD", *m.sd);
  if (m.sd_decimals < 0 || m.sd_decimals > 10) fail_check(where, "decimals of the SD", m.sd_decimals, "in 0–10");
  if (r.mean == GrimVerdict::inconsistent) {
    r.sd = GrimVerdict::inconsistent;
    return r;
  }
  if (m.n < 2) {
    r.sd = GrimVerdict::not_testable;
    return r;
  }
  // Work on the item sums y = items × response (integers): mean_y = items·mean, sd_y = items·sd.
  const double n = m.n, k = m.items;
  const double half_sd = 0.5 * std::pow(10.0, -m.sd_decimals);
  const double sd_lo = std::max(0.0, *m.sd - half_sd) * k, sd_hi = (*m.sd + half_sd) * k;
  bool possible = false;
  for (double t = centre - 2; t <= centre + 2 && !possible; ++t) {  // T = Σy = n·mean_y
    if (!detail::rounds_to(t / units, m.mean, m.mean_decimals)) continue;
    const double q_lo = (n - 1) * sd_lo * sd_lo + t * t / n, q_hi = (n - 1) * sd_hi * sd_hi + t * t / n;
    // integers in [q_lo, q_hi] (with a little slack for the rounding of the inputs) of T's parity
    for (double q = std::ceil(q_lo - 1e-9); q <= q_hi + 1e-9 && !possible; ++q)
      possible = std::fmod(std::fabs(q - t), 2.0) == 0;
  }
  r.sd = possible ? GrimVerdict::consistent : GrimVerdict::inconsistent;
  return r;
}

}  // namespace trialstats::claims
