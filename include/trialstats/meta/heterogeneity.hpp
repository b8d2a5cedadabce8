// Heterogeneity of a set of effects: Cochran's Q, the typical within-study variance, I² and H².
//
// References (equations in docs/methods.md, section "Pooling"):
//   Cochran WG (1954). The combination of estimates from different experiments. Biometrics 10:101–129.
//   Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis. Stat Med 21:1539–1558.
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
#pragma once

#include <cstddef>
#include <span>

namespace trialstats::meta {

/// I² from the estimated tau² and the typical within-study variance (metafor), or from Q (Higgins & Thompson 2002).
enum class I2Definition { tau2, q };

/// Cochran's Q = Σ w_i (y_i − ȳ_w)², w_i = 1/v_i.
[[nodiscard]] inline double cochran_q(std::span<const double> yi, std::span<const double> vi) {
  double s1 = 0, swy = 0;
  for (std::size_t i = 0; i < yi.size(); ++i) {
    s1 += 1.0 / vi[i];
    swy += yi[i] / vi[i];
  }
  const double mean = swy / s1;
  double q = 0;
  for (std::size_t i = 0; i < yi.size(); ++i) q += (yi[i] - mean) * (yi[i] - mean) / vi[i];
  return q;
}

/// The "typical" within-study variance s² = (k − 1) Σw / ((Σw)² − Σw²), w_i = 1/v_i
/// (Higgins & Thompson 2002, eq. 9; metafor's vt). Requires k ≥ 2.
[[nodiscard]] inline double typical_variance(std::span<const double> vi) {
  double s1 = 0, s2 = 0;
  for (double v : vi) {
    s1 += 1.0 / v;
    s2 += 1.0 / (v * v);
  }
  return (static_cast<double>(vi.size()) - 1) * s1 / (s1 * s1 - s2);
}

/// I² (percent) = 100 tau² / (s² + tau²).
[[nodiscard]] inline double i2_from_tau2(double tau2, double typical) {
  return 100 * tau2 / (typical + tau2);
}
/// H² = tau²/s² + 1.
[[nodiscard]] inline double h2_from_tau2(double tau2, double typical) {
  return tau2 / typical + 1;
}
/// I² (percent) = 100 max(0, (Q − df)/Q); 0 when Q = 0.
[[nodiscard]] inline double i2_from_q(double q, double df) {
  return q > df ? 100 * (q - df) / q : 0.0;
}
/// H² = Q/df (df > 0).
[[nodiscard]] inline double h2_from_q(double q, double df) {
  return q / df;
}

}  // namespace trialstats::meta
