// Bodies of binary_pooling.hpp. Formulas and references: docs/methods.md, "Mantel–Haenszel and Peto".
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/meta/binary_pooling.hpp"
#include "trialstats/stats/boost_policy.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

inline std::string_view name(MhMeasure measure) {
  switch (measure) {
    case MhMeasure::odds_ratio:
      return "OR";
    case MhMeasure::risk_ratio:
      return "RR";
    case MhMeasure::risk_difference:
      return "RD";
  }
  return "?";
}

namespace detail::binary_pooling {

/// Working copy of the tables: one row per input study, `used` false for a dropped table.
struct Cells {
  std::vector<double> a, b, c, d;
  std::vector<bool> used;
  [[nodiscard]] std::size_t size() const noexcept { return a.size(); }
};

inline void validate(std::string_view where, const Tables2x2& t, const BinaryPoolingOptions& o) {
  require_same_size(where, "ai", t.ai.size(), "bi", t.bi.size());
  require_same_size(where, "ai", t.ai.size(), "ci", t.ci.size());
  require_same_size(where, "ai", t.ai.size(), "di", t.di.size());
  require_at_least(where, "number of studies", t.ai.size(), 1);
  for (std::size_t i = 0; i < t.ai.size(); ++i) {
    const std::size_t s = i + 1;
    require_nonnegative(where, fmt::format("ai of study {}", s), t.ai[i]);
    require_nonnegative(where, fmt::format("bi of study {}", s), t.bi[i]);
    require_nonnegative(where, fmt::format("ci of study {}", s), t.ci[i]);
    require_nonnegative(where, fmt::format("di of study {}", s), t.di[i]);
    require_positive(where, fmt::format("group 1 size (ai + bi) of study {}", s), t.ai[i] + t.bi[i]);
    require_positive(where, fmt::format("group 2 size (ci + di) of study {}", s), t.ci[i] + t.di[i]);
  }
  if (!(o.level > 0 && o.level < 1)) fail_check(where, "level", o.level, "in (0, 1)");
  require_nonnegative(where, "add (outcomes)", o.outcomes.add);
  require_nonnegative(where, "add (tables)", o.tables.add);
}

inline bool has_zero(const Cells& x, std::size_t i) {
  return x.a[i] == 0 || x.b[i] == 0 || x.c[i] == 0 || x.d[i] == 0;
}

/// metafor's drop00 then add/to, applied to a copy of the tables.
/// Returns the number of tables to which `add` was added.
inline int apply_correction(Cells& x, const ZeroCellCorrection& rule) {
  const std::size_t k = x.size();
  if (rule.drop00) {
    for (std::size_t i = 0; i < k; ++i)
      if ((x.a[i] == 0 && x.c[i] == 0) || (x.b[i] == 0 && x.d[i] == 0)) x.used[i] = false;
  }
  std::vector<bool> add(k, false);
  switch (rule.to) {
    case effect::ContinuityRule::all:
      for (std::size_t i = 0; i < k; ++i) add[i] = x.used[i];
      break;
    case effect::ContinuityRule::only0:
      for (std::size_t i = 0; i < k; ++i) add[i] = x.used[i] && has_zero(x, i);
      break;
    case effect::ContinuityRule::if0all: {
      bool any = false;
      for (std::size_t i = 0; i < k; ++i) any = any || (x.used[i] && has_zero(x, i));
      if (any)
        for (std::size_t i = 0; i < k; ++i) add[i] = x.used[i];
      break;
    }
    case effect::ContinuityRule::none:
      break;
  }
  int n = 0;
  if (rule.add == 0) return 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (!add[i]) continue;
    x.a[i] += rule.add;
    x.b[i] += rule.add;
    x.c[i] += rule.add;
    x.d[i] += rule.add;
    ++n;
  }
  return n;
}

inline Cells copy(const Tables2x2& t) {
  Cells x{{t.ai.begin(), t.ai.end()},
          {t.bi.begin(), t.bi.end()},
          {t.ci.begin(), t.ci.end()},
          {t.di.begin(), t.di.end()},
          std::vector<bool>(t.ai.size(), true)};
  return x;
}

/// Outcome of one study as escalc computes it (RD with the large-sample variance, vtype "LS").
enum class Outcome { log_or, log_rr, rd, peto };

struct StudyOutcomes {
  std::vector<std::optional<double>> yi, vi;
  int k_yi = 0;
};

inline StudyOutcomes study_outcomes(const Tables2x2& t, const ZeroCellCorrection& rule, Outcome outcome,
                                    Warnings& warnings) {
  Cells x = copy(t);
  const std::size_t k = x.size();
  const int corrected = apply_correction(x, rule);
  StudyOutcomes out{std::vector<std::optional<double>>(k), std::vector<std::optional<double>>(k), 0};
  int dropped = 0;
  int undefined = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (!x.used[i]) {
      ++dropped;
      continue;
    }
    const double a = x.a[i], b = x.b[i], c = x.c[i], d = x.d[i];
    const double n1 = a + b, n2 = c + d;
    double y = 0, v = 0;
    switch (outcome) {
      case Outcome::log_or:
        y = std::log((a / n1) / (1 - a / n1)) - std::log((c / n2) / (1 - c / n2));
        v = 1 / a + 1 / b + 1 / c + 1 / d;
        break;
      case Outcome::log_rr:
        y = std::log(a / n1) - std::log(c / n2);
        v = 1 / a - 1 / n1 + 1 / c - 1 / n2;
        break;
      case Outcome::rd: {
        const double p1 = a / n1, p2 = c / n2;
        y = p1 - p2;
        v = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
        break;
      }
      case Outcome::peto: {
        const double n = n1 + n2;
        const double xt = a + c, yt = b + d;
        const double e = xt * n1 / n;
        const double var = xt * yt * (n1 / n) * (n2 / n) / (n - 1);
        y = (a - e) / var;
        v = 1 / var;
        break;
      }
    }
    if (!std::isfinite(y) || !std::isfinite(v) || !(v > 0)) {
      ++undefined;
      continue;
    }
    out.yi[i] = y;
    out.vi[i] = v;
    ++out.k_yi;
  }
  if (rule.drop00 && dropped > 0)
    warnings.push_back({"double_zero_dropped",
                        fmt::format("{} {} with no events (or only events) in both groups left out of the study "
                                    "outcomes yi/vi used for Q",
                                    dropped, dropped == 1 ? "study" : "studies")});
  if (corrected > 0)
    warnings.push_back(
        {"zero_cell_corrected", fmt::format("{} added to every cell of {} {} for the study outcomes yi/vi", rule.add,
                                            corrected, corrected == 1 ? "study" : "studies")});
  if (undefined > 0)
    warnings.push_back(
        {"outcome_undefined", fmt::format("the outcome of {} {} is undefined (zero cell without correction) and is "
                                          "left out of Q",
                                          undefined, undefined == 1 ? "study" : "studies")});
  return out;
}

inline double normal_upper(double z) {
  return boost::math::cdf(boost::math::complement(stats::Normal(), z));
}

inline double normal_crit(double level) {
  return boost::math::quantile(boost::math::complement(stats::Normal(), (1 - level) / 2));
}

inline std::optional<double> chisq_upper(double x, int df) {
  if (df < 1) return std::nullopt;
  return boost::math::cdf(boost::math::complement(stats::ChiSquared(df), x));
}

/// Q, I², H² as rma.mh / rma.peto compute them from Q and the number of outcomes.
inline Heterogeneity het_from_q(double q, int k_yi, bool enough) {
  Heterogeneity h;
  h.q_df = std::max(k_yi - 1, 0);
  if (enough && k_yi > 1) {
    h.q = q;
    h.q_p = *chisq_upper(q, h.q_df);
    h.i2 = q > 0 ? std::max(0.0, 100 * (q - h.q_df) / q) : 0.0;
    h.h2 = q / h.q_df;
  } else {
    h.q = q;
    h.q_p = 1;
    h.i2 = 0;
    h.h2 = 1;
  }
  return h;
}

inline Cells pooled_tables(const Tables2x2& t, const ZeroCellCorrection& rule, Warnings& warnings, int& k) {
  Cells x = copy(t);
  const int corrected = apply_correction(x, rule);
  k = static_cast<int>(std::count(x.used.begin(), x.used.end(), true));
  const int dropped = static_cast<int>(x.size()) - k;
  if (dropped > 0)
    warnings.push_back({"double_zero_tables_dropped",
                        fmt::format("{} {} with no events (or only events) in both groups left out of the pooled "
                                    "estimate",
                                    dropped, dropped == 1 ? "table" : "tables")});
  if (corrected > 0)
    warnings.push_back(
        {"zero_cell_corrected_tables", fmt::format("{} added to every cell of {} {} for the pooled estimate", rule.add,
                                                   corrected, corrected == 1 ? "table" : "tables")});
  return x;
}

}  // namespace detail::binary_pooling

inline MantelHaenszelResult mantel_haenszel(const Tables2x2& tables, const BinaryPoolingOptions& options) {
  namespace bp = detail::binary_pooling;
  constexpr std::string_view where = "mantel_haenszel";
  bp::validate(where, tables, options);

  MantelHaenszelResult r;
  r.measure = options.measure;
  r.level = options.level;
  const std::size_t n_all = tables.ai.size();

  const bp::Outcome outcome = options.measure == MhMeasure::odds_ratio   ? bp::Outcome::log_or
                              : options.measure == MhMeasure::risk_ratio ? bp::Outcome::log_rr
                                                                         : bp::Outcome::rd;
  bp::StudyOutcomes so = bp::study_outcomes(tables, options.outcomes, outcome, r.warnings);
  r.yi = std::move(so.yi);
  r.vi = std::move(so.vi);
  r.k_yi = so.k_yi;

  const bp::Cells x = bp::pooled_tables(tables, options.tables, r.warnings, r.k);
  if (r.k == 0)
    throw NoResultError(std::string(where) + ": every table was dropped (no events, or only events, in both groups)");

  // Sums over the tables in the pool.
  std::vector<double> w(n_all, 0.0);
  double beta = 0, var = 0;
  switch (options.measure) {
    case MhMeasure::odds_ratio: {
      double R = 0, S = 0, PR = 0, PS_QR = 0, QS = 0;
      for (std::size_t i = 0; i < n_all; ++i) {
        if (!x.used[i]) continue;
        const double a = x.a[i], b = x.b[i], c = x.c[i], d = x.d[i], n = a + b + c + d;
        const double P = a / n + d / n, Q = b / n + c / n, Ri = (a / n) * d, Si = (b / n) * c;
        R += Ri;
        S += Si;
        PR += P * Ri;
        PS_QR += P * Si + Q * Ri;
        QS += Q * Si;
        w[i] = Si;
      }
      if (R == 0)
        throw NoResultError(std::string(where) +
                            ": the pooled odds ratio is 0 and its logarithm does not exist (sum of ai*di/n is 0)");
      if (S == 0) throw NoResultError(std::string(where) + ": the pooled odds ratio is infinite (sum of bi*ci/n is 0)");
      beta = std::log(R / S);
      var = 0.5 * (PR / (R * R) + PS_QR / (R * S) + QS / (S * S));
      break;
    }
    case MhMeasure::risk_ratio: {
      double R = 0, S = 0, sa = 0, sc = 0, num = 0;
      for (std::size_t i = 0; i < n_all; ++i) {
        if (!x.used[i]) continue;
        const double a = x.a[i], b = x.b[i], c = x.c[i], d = x.d[i];
        const double n1 = a + b, n2 = c + d, n = n1 + n2;
        R += a * (n2 / n);
        S += c * (n1 / n);
        sa += a;
        sc += c;
        num += (n1 / n) * (n2 / n) * (a + c) - (a / n) * c;
        w[i] = (c / n) * n1;
      }
      if (sa == 0)
        throw NoResultError(std::string(where) +
                            ": the pooled risk ratio is 0 and its logarithm does not exist (no events in group 1)");
      if (sc == 0)
        throw NoResultError(std::string(where) + ": the pooled risk ratio is infinite (no events in group 2)");
      beta = std::log(R / S);
      var = num / (R * S);
      break;
    }
    case MhMeasure::risk_difference: {
      double num = 0, den = 0, s1 = 0, s2 = 0;
      for (std::size_t i = 0; i < n_all; ++i) {
        if (!x.used[i]) continue;
        const double a = x.a[i], b = x.b[i], c = x.c[i], d = x.d[i];
        const double n1 = a + b, n2 = c + d, n = n1 + n2;
        num += a * (n2 / n) - c * (n1 / n);
        den += n1 * (n2 / n);
        w[i] = (n1 / n) * n2;
      }
      beta = num / den;
      for (std::size_t i = 0; i < n_all; ++i) {
        if (!x.used[i]) continue;
        const double a = x.a[i], b = x.b[i], c = x.c[i], d = x.d[i];
        const double n1 = a + b, n2 = c + d, n = n1 + n2;
        s1 += c * (n1 / n) * (n1 / n) - a * (n2 / n) * (n2 / n) + (n1 / n) * (n2 / n) * (n2 - n1) / 2;
        s2 += a * (n2 - c) / n + c * (n1 - a) / n;
      }
      var = (beta * s1 + s2 / 2) / (den * den);
      break;
    }
  }
  if (!(var > 0) || !std::isfinite(var))
    throw NoResultError(fmt::format("{}: the variance of the pooled {} is {}, so no test or interval exists", where,
                                    name(options.measure), var));
  r.estimate = beta;
  r.se = std::sqrt(var);
  r.z = beta / r.se;
  r.p = 2 * bp::normal_upper(std::abs(r.z));
  const double crit = bp::normal_crit(options.level);
  r.ci = {beta - crit * r.se, beta + crit * r.se};

  double wsum = 0;
  for (double wi : w) wsum += wi;
  r.weights.assign(n_all, 0.0);
  for (std::size_t i = 0; i < n_all; ++i) r.weights[i] = w[i] / wsum * 100;

  // Cochran's Q of the study outcomes around the MH estimate.
  double q = 0;
  for (std::size_t i = 0; i < n_all; ++i)
    if (r.yi[i]) q += (*r.yi[i] - beta) * (*r.yi[i] - beta) / *r.vi[i];
  r.het = bp::het_from_q(r.k_yi > 1 ? std::max(0.0, q) : 0.0, r.k_yi, true);
  if (r.k_yi < 2)
    r.warnings.push_back(
        {"q_undefined", fmt::format("Q needs at least 2 study outcomes, got {}; Q = 0 reported", r.k_yi)});

  if (options.measure != MhMeasure::odds_ratio) return r;

  // Cochran–Mantel–Haenszel test (metafor's MH: hypergeometric variance with n − 1).
  double sxt = 0, syt = 0, dev = 0, vsum = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    if (!x.used[i]) continue;
    const double a = x.a[i], b = x.b[i], c = x.c[i], d = x.d[i];
    const double n1 = a + b, n2 = c + d, n = n1 + n2, xt = a + c, yt = b + d;
    sxt += xt;
    syt += yt;
    dev += a - (n1 / n) * xt;
    vsum += (n1 / n) * (n2 / n) * (xt * (yt / (n - 1)));
  }
  if (sxt == 0 || syt == 0) {
    r.warnings.push_back({"cmh_undefined",
                          "the Cochran–Mantel–Haenszel test does not exist: every table has only "
                          "events or only non-events"});
  } else {
    const double corrected = std::pow(std::abs(dev) - 0.5, 2) / vsum;
    const double uncorrected = std::pow(std::abs(dev), 2) / vsum;
    r.cmh = ChiSquareTest{corrected, 1, bp::chisq_upper(corrected, 1)};
    r.cmh_uncorrected = ChiSquareTest{uncorrected, 1, bp::chisq_upper(uncorrected, 1)};
  }

  // Tarone's test and the Breslow–Day test: expected a-cells under the common MH odds ratio.
  const double psi = std::exp(beta);
  double bd = 0, dsum = 0, isum = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    if (!x.used[i]) continue;
    const double a = x.a[i], b = x.b[i], c = x.c[i], d = x.d[i];
    const double n1 = a + b, n2 = c + d, n = n1 + n2, xt = a + c, yt = b + d;
    double n11 = 0;
    if (psi == 1) {
      n11 = (n1 / n) * xt;
    } else {
      const double A = psi * (n1 + xt) + (n2 - xt);
      const double B = std::sqrt(A * A - 4 * n1 * xt * psi * (psi - 1));
      n11 = (A - B) / (2 * (psi - 1));
    }
    if (!(n11 > 0 && xt > 0 && yt > 0)) continue;
    ++r.k_pos;
    const double n12 = n1 - n11, n21 = xt - n11, n22 = n11 - n1 - xt + n;
    const double vi = 1 / (1 / n11 + 1 / n12 + 1 / n21 + 1 / n22);
    bd += (a - n11) * (a - n11) / vi;
    dsum += a - n11;
    isum += vi;
  }
  bd = std::max(0.0, bd);
  const double ta = std::max(0.0, bd - dsum * dsum / isum);
  if (r.k_pos > 0) {
    r.breslow_day = ChiSquareTest{bd, r.k_pos - 1, bp::chisq_upper(bd, r.k_pos - 1)};
    r.tarone = ChiSquareTest{ta, r.k_pos - 1, bp::chisq_upper(ta, r.k_pos - 1)};
  }
  if (r.k_pos < 2)
    r.warnings.push_back(
        {"tarone_undefined",
         fmt::format("Tarone's test needs at least 2 informative tables, got {}; no p-value", r.k_pos)});
  return r;
}

inline PetoResult peto(const Tables2x2& tables, const BinaryPoolingOptions& options) {
  namespace bp = detail::binary_pooling;
  constexpr std::string_view where = "peto";
  bp::validate(where, tables, options);

  PetoResult r;
  r.level = options.level;
  const std::size_t n_all = tables.ai.size();
  bp::StudyOutcomes so = bp::study_outcomes(tables, options.outcomes, bp::Outcome::peto, r.warnings);
  r.yi = std::move(so.yi);
  r.vi = std::move(so.vi);
  r.k_yi = so.k_yi;

  const bp::Cells x = bp::pooled_tables(tables, options.tables, r.warnings, r.k);
  if (r.k == 0)
    throw NoResultError(std::string(where) + ": every table was dropped (no events, or only events, in both groups)");

  std::vector<double> v(n_all, 0.0), dev(n_all, 0.0);
  double vsum = 0, devsum = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    if (!x.used[i]) continue;
    const double a = x.a[i], b = x.b[i], c = x.c[i], d = x.d[i];
    const double n1 = a + b, n2 = c + d, n = n1 + n2, xt = a + c, yt = b + d;
    dev[i] = a - xt * n1 / n;
    v[i] = xt * yt * (n1 / n) * (n2 / n) / (n - 1);
    vsum += v[i];
    devsum += dev[i];
  }
  if (vsum == 0)
    throw NoResultError(std::string(where) +
                        ": one of the two outcomes never occurs in any table, so Peto's method cannot be used");
  r.estimate = devsum / vsum;
  r.se = std::sqrt(1 / vsum);
  r.z = r.estimate / r.se;
  r.p = 2 * bp::normal_upper(std::abs(r.z));
  const double crit = bp::normal_crit(options.level);
  r.ci = {r.estimate - crit * r.se, r.estimate + crit * r.se};

  double q = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    if (!x.used[i] || !(v[i] > 0)) continue;
    ++r.k_pos;
    q += dev[i] * dev[i] / v[i];
  }
  q = std::max(0.0, q - devsum * devsum / vsum);
  r.het = bp::het_from_q(q, r.k_yi, r.k_pos > 1);
  if (r.k_pos < 2 || r.k_yi < 2)
    r.warnings.push_back({"q_undefined", "Peto's Q needs at least 2 informative tables; Q p-value 1 reported"});

  r.weights.assign(n_all, 0.0);
  for (std::size_t i = 0; i < n_all; ++i) r.weights[i] = v[i] / vsum * 100;
  return r;
}

namespace detail::binary {

template <class Result>
PooledEffect as_pooled_effect(const Result& r) {
  PooledEffect p;
  p.method = Tau2Method::ee;
  p.test = TestMethod::z;
  p.level = r.level;
  p.k = r.k;
  p.estimate = r.estimate;
  p.se = r.se;
  p.statistic = r.z;
  p.p = r.p;
  p.ci = r.ci;
  p.pi = r.ci;
  p.het = r.het;
  p.weights = r.weights;
  const double crit = stats::normal_critical(r.level);
  for (std::size_t i = 0; i < r.yi.size(); ++i) {
    if (r.yi[i] && r.vi[i]) {
      const double half = crit * std::sqrt(*r.vi[i]);
      p.study_ci.push_back({*r.yi[i] - half, *r.yi[i] + half});
    } else {
      p.study_ci.push_back({std::nan(""), std::nan("")});
    }
  }
  p.warnings = r.warnings;
  return p;
}

}  // namespace detail::binary

inline PooledEffect as_pooled_effect(const MantelHaenszelResult& result) { return detail::binary::as_pooled_effect(result); }
inline PooledEffect as_pooled_effect(const PetoResult& result) { return detail::binary::as_pooled_effect(result); }

}  // namespace trialstats::meta
