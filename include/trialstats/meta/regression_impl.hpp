// Bodies of regression.hpp (included at its end).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <boost/math/distributions/fisher_f.hpp>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/meta/heterogeneity.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/meta/regression.hpp"
#include "trialstats/stats/distributions.hpp"

namespace trialstats::meta {

namespace detail {

/// Upper tail P(F > x) of Fisher's F with (df1, df2) degrees of freedom.
[[nodiscard]] inline double f_upper_p(double x, double df1, double df2) {
  if (std::isinf(x)) return 0.0;
  return cdf(complement(boost::math::fisher_f_distribution<double, stats::Policy>(df1, df2), std::max(0.0, x)));
}

/// X with P columns (Eigen::Dynamic: any number); a fixed P lets the compiler unroll the small products.
template <int P>
using DesignMatrix = Eigen::Matrix<double, Eigen::Dynamic, P>;

/// Weighted least squares of y on X with weights a_i > 0 through a factorisation sqrt(A)·X = Q·R
/// (Q thin, k × p): β̂ = R⁻¹Qᵀ sqrt(A) y, residuals e = y − Xβ̂, RSS = Σ a e², leverages h_i = |q_i|².
/// R comes from a Householder QR, or (Factorisation::cholesky, for the many refits of a permutation
/// test) from the Cholesky factor of XᵀAX, which costs about half as much and loses accuracy with the
/// square of X's condition number instead of with the number itself (equilibrate X's columns first).
/// Every buffer is allocated once, so repeated fits of the same size allocate nothing. P fixes the
/// number of columns at compile time (the permutation refits of one or two columns); the arithmetic
/// is the same for every P.
template <int P = Eigen::Dynamic>
struct WlsWorkspace {
  enum class Factorisation { qr, cholesky };
  using Columns = DesignMatrix<P>;             ///< k × p
  using Square = Eigen::Matrix<double, P, P>;  ///< p × p
  using Coefficients = Eigen::Matrix<double, P, 1>;
  Eigen::Index k = 0, p = 0;
  Factorisation factorisation = Factorisation::qr;
  Eigen::HouseholderQR<Columns> qr;
  Columns q;      ///< thin Q
  Square r;       ///< upper triangular R
  Square s1, s2;  ///< XᵀAX; the S_f of weighted_cross_products
  Eigen::VectorXd a, sa, e, h, fitted, yk;
  Coefficients b, vp;
  double rss = 0;      ///< Σ a e² = yᵀPy
  double log_det = 0;  ///< log det(XᵀAX)

  WlsWorkspace(Eigen::Index k_, Eigen::Index p_, Factorisation f = Factorisation::qr)
      : k(k_),
        p(p_),
        factorisation(f),
        qr(f == Factorisation::qr ? k_ : 0, p_),
        q(k_, p_),
        a(k_),
        sa(k_),
        e(k_),
        h(k_),
        fitted(k_),
        yk(k_) {
    r.resize(p_, p_);
    s1.resize(p_, p_);
    s2.resize(p_, p_);
    b.resize(p_);
    vp.resize(p_);
  }

  /// The number of columns, a compile-time constant when P is fixed (the loops over columns unroll).
  [[nodiscard]] Eigen::Index cols() const {
    if constexpr (P == Eigen::Dynamic)
      return p;
    else
      return P;
  }

  // The products and triangular solves are written as loops over columns: for the tiny matrices of a
  // meta-regression, Eigen's blocked kernels cost more in set-up than in arithmetic.
  void fit(const Columns& x, std::span<const double> y) {
    const Eigen::Index n = cols();
    sa = a.cwiseSqrt();
    const Eigen::Map<const Eigen::VectorXd> ym(y.data(), k);
    if (factorisation == Factorisation::qr) {
      q.noalias() = sa.asDiagonal() * x;
      qr.compute(q);
      r = qr.matrixQR().topRows(n).template triangularView<Eigen::Upper>();
    } else {
      for (Eigen::Index c = 0; c < n; ++c) {  // XᵀAX (upper triangle) = RᵀR and XᵀAy, a column at a time
        q.col(c) = a.cwiseProduct(x.col(c));  // A X, overwritten by Q below
        vp(c) = q.col(c).dot(ym);
        for (Eigen::Index l = c; l < n; ++l) s1(c, l) = q.col(c).dot(x.col(l));
      }
      for (Eigen::Index j = 0; j < n; ++j) {
        double d = s1(j, j);
        for (Eigen::Index l = 0; l < j; ++l) d -= r(l, j) * r(l, j);
        r(j, j) = std::sqrt(std::max(0.0, d));
        for (Eigen::Index c = j + 1; c < n; ++c) {
          double t = s1(j, c);
          for (Eigen::Index l = 0; l < j; ++l) t -= r(l, j) * r(l, c);
          r(j, c) = t / r(j, j);
        }
        for (Eigen::Index c = 0; c < j; ++c) r(j, c) = 0;
      }
      for (Eigen::Index j = 0; j < n; ++j) {  // Rᵀ (Qᵀ sqrt(A) y) = XᵀAy
        double t = vp(j);
        for (Eigen::Index l = 0; l < j; ++l) t -= r(l, j) * vp(l);
        vp(j) = t / r(j, j);
      }
    }
    for (Eigen::Index j = 0; j < n; ++j) {  // Q = sqrt(A) X R⁻¹, column by column
      q.col(j) = sa.cwiseProduct(x.col(j));
      for (Eigen::Index l = 0; l < j; ++l) q.col(j) -= r(l, j) * q.col(l);
      q.col(j) /= r(j, j);
    }
    if (factorisation == Factorisation::qr) {
      yk = sa.cwiseProduct(ym);
      for (Eigen::Index j = 0; j < n; ++j) vp(j) = q.col(j).dot(yk);
    }
    for (Eigen::Index j = n - 1; j >= 0; --j) {  // R b = Qᵀ sqrt(A) y
      double t = vp(j);
      for (Eigen::Index l = j + 1; l < n; ++l) t -= r(j, l) * b(l);
      b(j) = t / r(j, j);
    }
    fitted.noalias() = x.lazyProduct(b);
    e = ym - fitted;
    rss = a.dot(e.cwiseAbs2());
    h = q.rowwise().squaredNorm();
    double diagonal = 1;  // det R, one logarithm
    for (Eigen::Index j = 0; j < n; ++j) diagonal *= r(j, j);
    log_det = 2 * std::log(std::fabs(diagonal));
    if (!std::isfinite(log_det)) {  // a product out of range: a logarithm per factor
      log_det = 0;
      for (Eigen::Index j = 0; j < n; ++j) log_det += 2 * std::log(std::fabs(r(j, j)));
    }
  }

  /// Σ (P y)² with P y = A e.
  [[nodiscard]] double py_squared() const { return (a.cwiseProduct(e)).squaredNorm(); }

  /// uᵀPu for u = Py: Σ a u² − |Qᵀ(sqrt(a)∘u)|².
  [[nodiscard]] double upu() {
    yk = a.cwiseProduct(e);  // u
    const double s = a.dot(yk.cwiseAbs2());
    yk = yk.cwiseProduct(sa);  // sqrt(a) ∘ u
    for (Eigen::Index j = 0; j < cols(); ++j) vp(j) = q.col(j).dot(yk);
    return s - vp.squaredNorm();
  }

  /// S_f = Qᵀ diag(f) Q for f_i = a_i (into s1) and, with `with_v`, f_i = a_i v_i (into s2).
  void weighted_cross_products(std::span<const double> v, bool with_v) {
    const Eigen::Index n = cols();
    if (with_v) yk = a.cwiseProduct(Eigen::Map<const Eigen::VectorXd>(v.data(), k));
    for (Eigen::Index c = 0; c < n; ++c) {
      for (Eigen::Index l = c; l < n; ++l) {
        s1(c, l) = s1(l, c) = q.col(c).cwiseProduct(a).dot(q.col(l));
        if (with_v) s2(c, l) = s2(l, c) = q.col(c).cwiseProduct(yk).dot(q.col(l));
      }
    }
  }
};

/// Traces of P = A − A X (XᵀAX)⁻¹ XᵀA and V = diag(v) from the thin Q of the current fit:
/// tr P = Σa − Σa h, tr PV = Σav − Σav h, tr PP = Σa² − 2Σa²h + |S_a|², tr PVP = Σa²v − 2Σa²v h + ⟨S_a, S_av⟩,
/// tr PVPV = Σa²v² − 2Σa²v²h + |S_av|², with S_f = Qᵀ diag(f) Q (docs/methods.md).
struct Traces {
  double sum_a = 0, sum_a2 = 0;
  double tr_p = 0, tr_pv = 0, tr_pp = 0, tr_pvp = 0, tr_pvpv = 0;
};

template <int P>
[[nodiscard]] Traces traces(WlsWorkspace<P>& w, std::span<const double> v, bool with_v) {
  Traces t;
  double ah = 0, a2h = 0, av = 0, avh = 0, a2v = 0, a2vh = 0, a2v2 = 0, a2v2h = 0;
  for (Eigen::Index i = 0; i < w.k; ++i) {
    const double a = w.a(i), h = w.h(i), vi = v[static_cast<std::size_t>(i)];
    t.sum_a += a;
    t.sum_a2 += a * a;
    ah += a * h;
    a2h += a * a * h;
    av += a * vi;
    avh += a * vi * h;
    a2v += a * a * vi;
    a2vh += a * a * vi * h;
    a2v2 += a * a * vi * vi;
    a2v2h += a * a * vi * vi * h;
  }
  w.weighted_cross_products(v, with_v);
  t.tr_p = t.sum_a - ah;
  t.tr_pp = t.sum_a2 - 2 * a2h + w.s1.squaredNorm();
  if (with_v) {
    t.tr_pv = av - avh;
    t.tr_pvp = a2v - 2 * a2vh + w.s1.cwiseProduct(w.s2).sum();
    t.tr_pvpv = a2v2 - 2 * a2v2h + w.s2.squaredNorm();
  }
  return t;
}

template <int P>
void set_weights(WlsWorkspace<P>& w, std::span<const double> v, double tau2) {
  for (Eigen::Index i = 0; i < w.k; ++i) w.a(i) = 1.0 / (v[static_cast<std::size_t>(i)] + tau2);
}

/// The WLS fit of y on x with weights 1/(v + tau²).
template <int P>
void fit_at(WlsWorkspace<P>& w, const DesignMatrix<P>& x, std::span<const double> y, std::span<const double> v,
            double tau2) {
  set_weights(w, v, tau2);
  w.fit(x, y);
}

/// Σ log(v_i + tau²) as the log of a product, rescaled by its binary exponent every 4 factors: one log
/// instead of k, with a rounding error below k·ε on the sum. Factors outside [1e-70, 1e70], where 4 of
/// them could leave the range of a double, take the sum of logs.
[[nodiscard]] inline double sum_log(std::span<const double> v, double tau2) {
  double product = 1;
  long exponent = 0;
  bool in_range = true;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double f = v[i] + tau2;
    in_range = in_range && f >= 1e-70 && f <= 1e70;
    product *= f;
    if ((i & 3U) == 3U) {
      int e = 0;
      product = std::frexp(product, &e);
      exponent += e;
    }
  }
  if (in_range) return std::log(product) + static_cast<double>(exponent) * std::numbers::ln2;
  double sum = 0;
  for (const double vi : v) sum += std::log(vi + tau2);
  return sum;
}

/// ML or REML with moderators: Newton's method on the log-likelihood (Fisher scoring where the
/// observed information is not positive), step halving when a step lowers the log-likelihood, the
/// boundary tau² = 0 when the score there points below 0 (as maximise_likelihood of tau2.hpp).
template <int P>
[[nodiscard]] Tau2Fit maximise_likelihood_mods(WlsWorkspace<P>& w, const DesignMatrix<P>& x, std::span<const double> y,
                                               std::span<const double> v, bool reml, double start,
                                               const RegressionOptions& o, double floor) {
  struct State {
    double ll, score, step_newton, step_fisher, magnitude;
  };
  auto eval = [&](double tau2) {
    fit_at(w, x, y, v, tau2);
    const double log_v = sum_log(v, tau2);
    const Traces t = traces(w, v, false);
    const double uu = w.py_squared();
    const double tr = reml ? t.tr_p : t.sum_a;
    const double info = 0.5 * (reml ? t.tr_pp : t.sum_a2);
    const double hess = info - w.upu();
    State s;
    s.ll = -0.5 * (log_v + (reml ? w.log_det : 0.0) + w.rss);
    s.score = 0.5 * (uu - tr);
    s.step_fisher = s.score / info;
    s.step_newton = hess < 0 ? -s.score / hess : s.step_fisher;
    s.magnitude = 0.5 * (uu + tr);
    return s;
  };
  Tau2Fit fit;
  fit.converged = false;
  double tau2 = start;
  State cur = eval(tau2);
  for (int iter = 1; iter <= o.max_iter; ++iter) {
    fit.iterations = iter;
    if (tau2 == 0 && cur.score <= 0) {
      fit.converged = true;
      break;
    }
    double step = cur.step_newton;
    if (!std::isfinite(step)) break;
    if (std::fabs(step) <= o.threshold * std::max(tau2, floor) ||
        std::fabs(cur.score) <= rounding_bound(y.size(), cur.magnitude)) {
      tau2 = std::max(0.0, tau2 + step);
      fit.converged = true;
      break;
    }
    // A step across the boundary: halve it until it lands on [0, ∞) (as metafor's Fisher scoring), so
    // that the iterations do not jump over an interior maximum to a boundary one; only within `floor`
    // of 0 is the boundary itself tried.
    if (tau2 + step < 0) {
      if (tau2 <= floor) {
        step = -tau2;
      } else {
        while (tau2 + step < 0) step /= 2;
      }
    }
    double next = std::max(0.0, tau2 + step);
    State cand = eval(next);
    const double slack = 1e-13 * (1.0 + std::fabs(cur.ll));
    for (int halving = 0; halving < 60 && !(cand.ll >= cur.ll - slack); ++halving) {
      step /= 2;
      next = std::max(0.0, tau2 + step);
      cand = eval(next);
    }
    tau2 = next;
    cur = cand;
  }
  fit.tau2 = tau2;
  return fit;
}

/// Root of yᵀP(tau²)y = target (PM, EB, PMM; decreasing and convex in tau²): Newton from 0, with
/// d(yᵀPy)/dtau² = −|Py|².
template <int P>
[[nodiscard]] Tau2Fit solve_residual_q(WlsWorkspace<P>& w, const DesignMatrix<P>& x, std::span<const double> y,
                                       std::span<const double> v, double target, const RegressionOptions& o,
                                       double floor) {
  Tau2Fit fit;
  fit.converged = false;
  double tau2 = 0;
  for (int iter = 1; iter <= o.max_iter; ++iter) {
    fit_at(w, x, y, v, tau2);
    const double g = w.rss - target;
    fit.iterations = iter;
    if (iter == 1 && g <= 0) {
      fit.converged = true;
      break;
    }
    const double uu = w.py_squared();
    const double step = uu > 0 ? g / uu : 0.0;
    tau2 = std::max(0.0, tau2 + step);
    if (std::fabs(step) <= o.threshold * std::max(tau2, floor) ||
        std::fabs(g) <= rounding_bound(y.size(), w.rss + target)) {
      fit.converged = true;
      break;
    }
  }
  fit.tau2 = tau2;
  return fit;
}

/// metafor's Fisher scoring for ML, REML and EB with moderators, step for step (rma.uni, metafor 3.8):
/// start at max(0, HE); step ML (|Py|² − Σa)/Σa², REML (|Py|² − tr P)/tr PP, EB (yᵀPy·k/(k − p) − k)/Σa,
/// halved while it would cross 0; stop when |Δtau²| < threshold, fail after max_iter + 1 steps; then
/// ML/REML set tau² to 0 when the log-likelihood at 0 is higher by more than metafor's tol (ε^¼).
/// Leaves `w` fitted at the estimate when it converges.
template <int P>
[[nodiscard]] Tau2Fit metafor_fisher_scoring_mods(WlsWorkspace<P>& w, const DesignMatrix<P>& x,
                                                  std::span<const double> y, std::span<const double> v,
                                                  Tau2Method method, const RegressionOptions& o) {
  const double k = static_cast<double>(w.k), df = k - static_cast<double>(w.p);
  w.a.setOnes();
  w.fit(x, y);
  const Traces t0 = traces(w, v, true);
  auto adjust = [&](double tau2) {
    fit_at(w, x, y, v, tau2);
    const Traces t = traces(w, v, false);
    if (method == Tau2Method::ml) return (w.py_squared() - t.sum_a) / t.sum_a2;
    if (method == Tau2Method::reml) return (w.py_squared() - t.tr_p) / t.tr_pp;
    return (w.rss * k / df - k) / t.sum_a;  // EB
  };
  auto loglik = [&](double tau2) {
    fit_at(w, x, y, v, tau2);
    return -0.5 * (sum_log(v, tau2) + (method == Tau2Method::reml ? w.log_det : 0.0) + w.rss);
  };
  Tau2Fit fit =
      metafor_fisher_loop(std::max(0.0, (w.rss - t0.tr_pv) / df), method, o.threshold, o.max_iter, 1.0, adjust, loglik);
  if (!fit.converged) return fit;
  fit_at(w, x, y, v, fit.tau2);
  return fit;
}

/// tau² of the meta-regression with the estimators of metafor 3.8 rma.uni (mods), their standard errors.
/// When it converges, it leaves `w` holding the inverse-variance fit at the estimate (not for EE or a
/// fixed tau², which it does not estimate).
template <int P>
[[nodiscard]] Tau2Fit estimate_tau2_mods(WlsWorkspace<P>& w, const DesignMatrix<P>& x, std::span<const double> y,
                                         std::span<const double> v, Tau2Method method, const RegressionOptions& o) {
  const double k = static_cast<double>(w.k);
  const double df = k - static_cast<double>(w.p);
  Tau2Fit fit;
  auto q2 = [](double c0, double c1, double c2, double t) {
    return std::sqrt(std::max(0.0, c0 + c1 * t + c2 * t * t));
  };
  switch (method) {
    case Tau2Method::ee:
    case Tau2Method::fixed:
      return fit;
    case Tau2Method::genq: {
      // P = A − AX(XᵀAX)⁻¹XᵀA with the user's weights: tau² = (yᵀPy − tr PV)/tr P (DerSimonian & Kacker 2007).
      for (Eigen::Index i = 0; i < w.k; ++i) w.a(i) = o.genq_weights[static_cast<std::size_t>(i)];
      w.fit(x, y);
      const Traces t = traces(w, v, true);
      fit.tau2 = std::max(0.0, (w.rss - t.tr_pv) / t.tr_p);
      fit.se = q2(2 * t.tr_pvpv, 4 * t.tr_pvp, 2 * t.tr_pp, fit.tau2) / t.tr_p;
      fit_at(w, x, y, v, fit.tau2);
      return fit;
    }
    case Tau2Method::he: {
      w.a.setOnes();
      w.fit(x, y);
      const Traces t = traces(w, v, true);
      fit.tau2 = std::max(0.0, (w.rss - t.tr_pv) / df);
      fit.se = q2(2 * t.tr_pvpv, 4 * t.tr_pv, 2 * df, fit.tau2) / df;
      fit_at(w, x, y, v, fit.tau2);
      return fit;
    }
    case Tau2Method::dl:
    case Tau2Method::hs:
    case Tau2Method::hsk: {
      for (Eigen::Index i = 0; i < w.k; ++i) w.a(i) = 1.0 / v[static_cast<std::size_t>(i)];
      w.fit(x, y);
      const Traces t = traces(w, v, false);
      if (method == Tau2Method::dl) {
        fit.tau2 = std::max(0.0, (w.rss - df) / t.tr_p);
        fit.se = q2(2 * df, 4 * t.tr_p, 2 * t.tr_pp, fit.tau2) / t.tr_p;
      } else {
        const double factor = method == Tau2Method::hsk ? k / df : 1.0;
        fit.tau2 = std::max(0.0, (factor * w.rss - k) / t.sum_a);
        fit.se = factor * q2(2 * df, 4 * t.tr_p, 2 * t.tr_pp, fit.tau2) / t.sum_a;
      }
      fit_at(w, x, y, v, fit.tau2);
      return fit;
    }
    case Tau2Method::sj: {
      double mean = 0;
      for (double yi : y) mean += yi;
      mean /= k;
      double tau0 = 0;
      for (double yi : y) tau0 += (yi - mean) * (yi - mean);
      tau0 /= k;
      fit_at(w, x, y, v, tau0);
      const Traces t = traces(w, v, true);
      fit.tau2 = std::max(0.0, tau0 * w.rss / df);
      fit.se = tau0 / df * q2(2 * t.tr_pvpv, 4 * t.tr_pvp, 2 * t.tr_pp, fit.tau2);
      fit_at(w, x, y, v, fit.tau2);
      return fit;
    }
    case Tau2Method::ml:
    case Tau2Method::reml: {
      const bool reml = method == Tau2Method::reml;
      if (o.metafor_stopping) {
        fit = metafor_fisher_scoring_mods(w, x, y, v, method, o);
        if (!fit.converged) return fit;
        const Traces t = traces(w, v, false);
        fit.se = reml ? std::sqrt(2 / t.tr_pp) : std::sqrt(2 / t.sum_a2);
        return fit;
      }
      const double floor = 1e-4 * harmonic_mean(v);
      // Starting value: the (untruncated) HE estimate, as metafor.
      w.a.setOnes();
      w.fit(x, y);
      const Traces t0 = traces(w, v, true);
      const double start = std::max(0.0, (w.rss - t0.tr_pv) / df);
      fit = maximise_likelihood_mods(w, x, y, v, reml, start, o, floor);
      bool at_estimate = false;  // w holds the fit at fit.tau2
      auto loglik = [&](double tau2) {
        fit_at(w, x, y, v, tau2);
        return -0.5 * (sum_log(v, tau2) + (reml ? w.log_det : 0.0) + w.rss);
      };
      if (fit.converged && fit.tau2 == 0) {  // a higher maximum inside? (as pooling: meta/tau2.hpp)
        auto score = [&](double tau2) {
          fit_at(w, x, y, v, tau2);
          const Traces t = traces(w, v, false);
          return 0.5 * (w.py_squared() - (reml ? t.tr_p : t.sum_a));
        };
        auto maximise = [&](double from) { return maximise_likelihood_mods(w, x, y, v, reml, from, o, floor); };
        if (auto inner = interior_maximum(tau2_search_bound(y, v), score, loglik, maximise)) {
          inner->iterations += fit.iterations;
          fit = std::move(*inner);
          fit.warnings.push_back({"tau2_local_maximum", std::string(boundary_local_maximum)});
        }
      } else if (fit.converged) {
        const double ll0 = loglik(0.0);
        const double ll = loglik(fit.tau2);
        at_estimate = true;
        if (ll0 > ll + 1e-12 * (1 + std::fabs(ll))) {
          at_estimate = false;
          const int used = fit.iterations;
          fit = maximise_likelihood_mods(w, x, y, v, reml, 0.0, o, floor);
          fit.iterations += used;
          fit.warnings.push_back({"tau2_local_maximum",
                                  "the iterations first reached a local maximum of the likelihood; the search "
                                  "restarted from tau² = 0"});
        }
      }
      if (!fit.converged) return fit;
      if (!at_estimate) fit_at(w, x, y, v, fit.tau2);
      const Traces t = traces(w, v, false);
      fit.se = reml ? std::sqrt(2 / t.tr_pp) : std::sqrt(2 / t.sum_a2);
      return fit;
    }
    case Tau2Method::eb:
    case Tau2Method::pm:
    case Tau2Method::pmm: {
      if (method == Tau2Method::eb && o.metafor_stopping) {
        fit = metafor_fisher_scoring_mods(w, x, y, v, method, o);
      } else {
        const double target = method == Tau2Method::pmm ? stats::chi_squared_quantile(0.5, df) : df;
        fit = solve_residual_q(w, x, y, v, target, o, 1e-4 * harmonic_mean(v));
      }
      if (!fit.converged) return fit;
      fit_at(w, x, y, v, fit.tau2);
      fit.se = std::sqrt(2 * k * k / df) / w.a.sum();
      return fit;
    }
  }
  return fit;
}

inline void validate_regression_input(std::span<const double> yi, std::span<const double> vi, const Design& d,
                                      const RegressionOptions& o) {
  constexpr std::string_view where = "meta_regress";
  require_same_size(where, "yi", yi.size(), "vi", vi.size());
  require_same_size(where, "yi", yi.size(), "the rows of the design", static_cast<std::size_t>(d.x.rows()));
  if (d.names.size() != static_cast<std::size_t>(d.x.cols()))
    throw DomainError(fmt::format("{}: the design has {} columns but {} names", where, d.x.cols(), d.names.size()));
  if (yi.empty()) throw NoResultError("meta_regress: no studies");
  if (d.x.cols() == 0) throw DomainError("meta_regress: the design has no columns (no intercept and no moderators)");
  for (std::size_t i = 0; i < yi.size(); ++i) {
    require_finite(where, fmt::format("effect of study {}", i + 1), yi[i]);
    require_positive(where, fmt::format("variance of study {}", i + 1), vi[i]);
  }
  if (!d.x.allFinite()) throw DomainError("meta_regress: the design has a value that is not finite");
  const std::size_t k = yi.size(), p = static_cast<std::size_t>(d.x.cols());
  if (k <= p)
    throw DomainError(
        fmt::format("meta_regress: {} studies for {} coefficients; a meta-regression needs more studies "
                    "than coefficients (k > p)",
                    k, p));
  if (const auto j = aliased_column(d.x)) {
    std::string before;
    for (std::size_t c = 0; c < *j; ++c) before += (c ? ", " : "") + d.names[c];
    throw DomainError(fmt::format(
        "meta_regress: the design is rank-deficient: column '{}' is a linear combination of {}; drop it or "
        "merge levels",
        d.names[*j], before.empty() ? std::string("nothing (it is zero)") : "the columns before it (" + before + ")"));
  }
  if (!(o.level > 0 && o.level < 1)) fail_check(where, "level", o.level, "between 0 and 1 (exclusive)");
  require_positive(where, "threshold", o.threshold);
  if (o.max_iter < 1) fail_check(where, "max_iter", o.max_iter, "at least 1");
  if (o.tau2) require_nonnegative(where, "the fixed tau²", *o.tau2);
  if (!o.tau2 && o.method == Tau2Method::fixed)
    throw UsageError("meta_regress: method 'fixed' needs a tau² value (RegressionOptions::tau2)");
  const bool genq = !o.tau2 && o.method == Tau2Method::genq;
  if (genq && o.genq_weights.empty())
    throw UsageError("meta_regress: method GENQ needs weights (RegressionOptions::genq_weights, one per study)");
  if (!genq && !o.genq_weights.empty())
    throw UsageError("meta_regress: weights are used by method GENQ only; choose GENQ or leave the weights out");
  if (genq) {
    require_same_size(where, "genq_weights", o.genq_weights.size(), "yi", yi.size());
    for (std::size_t i = 0; i < o.genq_weights.size(); ++i)
      if (!(o.genq_weights[i] > 0) || !std::isfinite(o.genq_weights[i]))
        require_positive(where, fmt::format("GENQ weight of study {}", i + 1), o.genq_weights[i]);
  }
  for (const std::size_t j : o.btt)
    if (j >= p)
      throw DomainError(fmt::format(
          "meta_regress: coefficient {} of the moderator test does not exist (the model has {})", j + 1, p));
}

}  // namespace detail

inline std::optional<std::size_t> aliased_column(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd z = x;
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    const double n = z.col(j).norm();
    if (n > 0) z.col(j) /= n;
  }
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    if (z.col(j).squaredNorm() == 0) return static_cast<std::size_t>(j);
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(z.leftCols(j + 1));
    qr.setThreshold(1e-10);
    if (qr.rank() < j + 1) return static_cast<std::size_t>(j);
  }
  return std::nullopt;
}

namespace detail {

inline std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

/// The levels of a categorical moderator in the order of its design columns: the reference level
/// first (the first in byte order unless `m.reference` names another), then the others in byte order.
/// @throws DomainError when `m.reference` is not one of the levels (its message starts with `where`).
inline std::vector<std::string> coded_levels(std::string_view where, const Moderator& m) {
  std::vector<std::string> levels = m.levels;
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  if (m.reference) {
    if (std::find(levels.begin(), levels.end(), *m.reference) == levels.end())
      throw DomainError(fmt::format("{}{}: reference level '{}' does not occur; levels: {}", where, m.name,
                                    *m.reference, joined(levels)));
    std::stable_partition(levels.begin(), levels.end(), [&](const std::string& l) { return l == *m.reference; });
  }
  return levels;
}

}  // namespace detail

inline Design build_design(std::span<const Moderator> moderators, std::size_t k, bool intercept) {
  constexpr std::string_view where = "build_design";
  std::vector<std::pair<std::string, Eigen::VectorXd>> cols;
  const auto n = static_cast<Eigen::Index>(k);
  if (intercept) cols.emplace_back("intrcpt", Eigen::VectorXd::Ones(n));
  bool full_coding = !intercept;
  for (const Moderator& m : moderators) {
    if (m.categorical()) {
      require_same_size(where, fmt::format("moderator '{}'", m.name), m.levels.size(), "the studies", k);
      const std::vector<std::string> levels = detail::coded_levels("build_design: ", m);
      for (std::size_t l = full_coding ? 0 : 1; l < levels.size(); ++l) {  // the reference level: no column
        Eigen::VectorXd c(n);
        for (Eigen::Index i = 0; i < n; ++i) c(i) = m.levels[static_cast<std::size_t>(i)] == levels[l] ? 1.0 : 0.0;
        cols.emplace_back(m.name + levels[l], std::move(c));
      }
      full_coding = false;
    } else {
      require_same_size(where, fmt::format("moderator '{}'", m.name), m.numbers.size(), "the studies", k);
      Eigen::VectorXd c(n);
      for (Eigen::Index i = 0; i < n; ++i) {
        const double v = m.numbers[static_cast<std::size_t>(i)];
        require_finite(where, fmt::format("moderator '{}' of study {}", m.name, i + 1), v);
        c(i) = v;
      }
      cols.emplace_back(m.name, std::move(c));
    }
  }
  Design d;
  d.intercept = intercept;
  d.x.resize(n, static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) {
    d.x.col(static_cast<Eigen::Index>(j)) = cols[j].second;
    d.names.push_back(cols[j].first);
  }
  return d;
}

inline CoefficientTest test_coefficients(const MetaRegression& fit, std::span<const std::size_t> btt) {
  if (btt.empty()) throw DomainError("test_coefficients: no coefficients to test");
  const auto m = static_cast<Eigen::Index>(btt.size());
  Eigen::VectorXd b(m);
  Eigen::MatrixXd v(m, m);
  for (Eigen::Index i = 0; i < m; ++i) {
    const std::size_t bi = btt[static_cast<std::size_t>(i)];
    if (bi >= fit.coefficients.size())
      throw DomainError(fmt::format("test_coefficients: coefficient {} does not exist (the model has {})", bi + 1,
                                    fit.coefficients.size()));
    b(i) = fit.coefficients[bi].estimate;
    for (Eigen::Index j = 0; j < m; ++j)
      v(i, j) = fit.vcov(static_cast<Eigen::Index>(bi), static_cast<Eigen::Index>(btt[static_cast<std::size_t>(j)]));
  }
  CoefficientTest t;
  t.coefficients.assign(btt.begin(), btt.end());
  t.df1 = static_cast<int>(m);
  Eigen::LLT<Eigen::MatrixXd> llt(v);
  double qm = std::numeric_limits<double>::quiet_NaN();
  if (llt.info() == Eigen::Success) qm = b.dot(llt.solve(b));
  if (fit.test == TestMethod::z) {
    t.statistic = qm;
    t.p = std::isnan(qm) ? qm : stats::chi_squared_upper_p(qm, static_cast<double>(m));
  } else {
    t.statistic = qm / static_cast<double>(m);
    t.df2 = fit.k - fit.p;
    t.p = std::isnan(qm) ? qm : detail::f_upper_p(t.statistic, static_cast<double>(m), static_cast<double>(*t.df2));
  }
  return t;
}

inline MetaRegression meta_regress(std::span<const double> yi, std::span<const double> vi, const Design& design,
                                   const RegressionOptions& o) {
  detail::validate_regression_input(yi, vi, design, o);
  const Eigen::MatrixXd& x = design.x;
  const Eigen::Index k = x.rows(), p = x.cols();
  MetaRegression r;
  r.method = o.tau2 ? Tau2Method::fixed : o.method;
  r.test = o.test;
  r.level = o.level;
  r.k = static_cast<int>(k);
  r.p = static_cast<int>(p);
  r.intercept = design.intercept;
  const int df_resid = r.k - r.p;

  detail::WlsWorkspace<> w(k, p);
  Tau2Fit fit;
  if (r.method == Tau2Method::fixed) {
    fit.tau2 = *o.tau2;
  } else {
    fit = detail::estimate_tau2_mods(w, x, yi, vi, r.method, o);
    if (!fit.converged)
      throw NoResultError(
          fmt::format("meta_regress: {} did not converge after {} iterations; remedies: a larger "
                      "--max-iter or another estimator (e.g. DL)",
                      name(r.method), fit.iterations));
  }
  r.iterations = fit.iterations;
  r.warnings = fit.warnings;
  r.tau2 = fit.tau2;
  r.tau = std::sqrt(fit.tau2);
  r.tau2_se = fit.se;

  // Coefficients at the final tau² (the estimators leave w fitted there).
  if (r.method == Tau2Method::fixed || r.method == Tau2Method::ee) detail::fit_at(w, x, yi, vi, r.tau2);
  const bool user_weights = r.method == Tau2Method::genq;
  Eigen::VectorXd beta = w.b, fitted = w.fitted, weights = w.a;
  if (user_weights) {
    // β̂ = (XᵀAX)⁻¹XᵀAy with the GENQ weights and the sandwich covariance (XᵀAX)⁻¹XᵀA M AX(XᵀAX)⁻¹, M = V + tau²I;
    // the Knapp–Hartung factor stays that of the inverse-variance fit (w), as metafor.
    detail::WlsWorkspace<> wa(k, p);
    for (Eigen::Index i = 0; i < k; ++i) wa.a(i) = o.genq_weights[static_cast<std::size_t>(i)];
    wa.fit(x, yi);
    const Eigen::MatrixXd rinv = wa.r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
    Eigen::MatrixXd g = wa.a.asDiagonal() * x * (rinv * rinv.transpose());  // A X (XᵀAX)⁻¹
    Eigen::VectorXd m(k);
    for (Eigen::Index i = 0; i < k; ++i) m(i) = vi[static_cast<std::size_t>(i)] + r.tau2;
    r.vcov = g.transpose() * m.asDiagonal() * g;
    beta = wa.b;
    fitted = wa.fitted;
    weights = wa.a;
  } else {
    const Eigen::MatrixXd rinv = w.r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
    r.vcov = rinv * rinv.transpose();
  }
  if (r.test == TestMethod::knha) {
    r.knha_scale = w.rss <= std::numeric_limits<double>::epsilon() ? 0.0 : w.rss / df_resid;
    r.vcov *= r.knha_scale;
    if (r.method == Tau2Method::ee)
      r.warnings.push_back({"knha_common_effect", "the Knapp–Hartung method is not meant for a common-effect model"});
    if (r.knha_scale == 0)
      r.warnings.push_back({"knha_zero_scale", "the Knapp–Hartung scale factor is 0: the standard errors are 0"});
  }
  if (r.test != TestMethod::z) r.df = df_resid;
  for (Eigen::Index j = 0; j < p; ++j) {
    const EstimateTest t = test_estimate(beta(j), std::sqrt(r.vcov(j, j)), r.df, o.level);
    r.coefficients.push_back({design.names[static_cast<std::size_t>(j)], beta(j), t.se, t.statistic, t.p, t.ci});
  }
  r.fitted.assign(fitted.data(), fitted.data() + k);
  const double sum_a = weights.sum();
  for (Eigen::Index i = 0; i < k; ++i) r.weights.push_back(100 * weights(i) / sum_a);

  // Test of moderators.
  std::vector<std::size_t> btt = o.btt;
  if (btt.empty()) {
    const std::size_t first = design.intercept && p > 1 ? 1 : 0;
    for (std::size_t j = first; j < static_cast<std::size_t>(p); ++j) btt.push_back(j);
  }
  std::sort(btt.begin(), btt.end());
  btt.erase(std::unique(btt.begin(), btt.end()), btt.end());
  r.qm = test_coefficients(r, btt);
  if (std::isnan(r.qm.statistic))
    r.warnings.push_back(
        {"qm_undefined", "the covariance of the tested coefficients is singular: no test of moderators"});

  // Residual heterogeneity with weights 1/v.
  for (Eigen::Index i = 0; i < k; ++i) w.a(i) = 1.0 / vi[static_cast<std::size_t>(i)];
  w.fit(x, yi);
  const detail::Traces t_fe = detail::traces(w, vi, false);
  r.qe = std::max(0.0, w.rss);
  r.qe_df = df_resid;
  r.qe_p = stats::chi_squared_upper_p(r.qe, df_resid);
  const double vt = static_cast<double>(df_resid) / t_fe.tr_p;
  if (r.method == Tau2Method::ee) {
    r.i2 = r.qe > 0 ? std::max(0.0, 100 * (r.qe - df_resid) / r.qe) : 0.0;
    r.h2 = r.qe / df_resid;
  } else {
    r.i2 = i2_from_tau2(r.tau2, vt);
    r.h2 = h2_from_tau2(r.tau2, vt);
  }

  // Pseudo-R² against the model without moderators (metafor's r2def "1"; adjusted weighted R² for EE).
  if (o.r2 && design.intercept && p > 1 && r.method != Tau2Method::fixed) {
    if (r.method == Tau2Method::ee) {
      const double q0 = cochran_q(yi, vi);
      r.r2 = q0 > 0 ? std::max(0.0, 100 * (1 - (r.qe / q0) * (r.k - 1.0) / df_resid)) : 0.0;
    } else {
      const Tau2Fit null = estimate_tau2(yi, vi, r.method,
                                         {.threshold = o.threshold,
                                          .max_iter = o.max_iter,
                                          .metafor_stopping = o.metafor_stopping,
                                          .genq_weights = o.genq_weights});
      if (!null.converged) {
        r.warnings.push_back({"r2_null_not_converged", "the model without moderators did not converge: no R²"});
      } else {
        r.tau2_null = null.tau2;
        r.r2 = null.tau2 == 0 ? 0.0 : std::max(0.0, 100 * (null.tau2 - r.tau2) / null.tau2);
      }
    }
  }
  return r;
}

}  // namespace trialstats::meta
