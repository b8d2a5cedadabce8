// Bodies of permutation.hpp (included at its end).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/error.hpp"
#include "trialstats/core/threads.hpp"
#include "trialstats/meta/permutation.hpp"
#include "trialstats/meta/regression.hpp"
#include "trialstats/stats/random.hpp"

namespace trialstats::meta {

namespace detail {

/// Buffers of one worker: refits allocate nothing beyond the first. P: the number of columns of the
/// design when it is fixed at compile time (see WlsWorkspace).
template <int P>
struct Refit {
  using Workspace = WlsWorkspace<P>;
  Workspace w;
  Workspace wa;  ///< GENQ: the fit with the user's weights
  typename Workspace::Columns x, g;
  typename Workspace::Square rinv, vcov;
  Eigen::MatrixXd sub;
  Eigen::VectorXd bsub;
  Eigen::LLT<Eigen::MatrixXd> llt;
  std::vector<double> y, z;
  std::vector<std::size_t> order;
  double qm = 0;

  Refit(Eigen::Index k, Eigen::Index p, std::size_t m)
      : w(k, p, Workspace::Factorisation::cholesky),
        wa(k, p, Workspace::Factorisation::cholesky),
        x(k, p),
        g(k, p),
        sub(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(m)),
        bsub(static_cast<Eigen::Index>(m)),
        llt(static_cast<Eigen::Index>(m)),
        y(static_cast<std::size_t>(k)),
        z(static_cast<std::size_t>(p)),
        order(static_cast<std::size_t>(k)) {
    rinv.resize(p, p);
    vcov.resize(p, p);
  }

  /// Fits (y, v) on x and sets z (z or t of each coefficient) and qm; false when tau² does not converge.
  bool fit(std::span<const double> v, const RegressionOptions& o, std::span<const std::size_t> btt) {
    const Eigen::Index k = x.rows(), p = x.cols();
    double tau2 = 0;
    const Tau2Method method = o.tau2 ? Tau2Method::fixed : o.method;
    if (method == Tau2Method::fixed) {
      tau2 = *o.tau2;
    } else if (method != Tau2Method::ee) {
      const Tau2Fit t = estimate_tau2_mods(w, x, y, v, method, o);
      if (!t.converged) return false;
      tau2 = t.tau2;
    }
    if (method == Tau2Method::fixed || method == Tau2Method::ee || method == Tau2Method::genq) fit_at(w, x, y, v, tau2);
    const bool user_weights = method == Tau2Method::genq;
    if (user_weights) {
      // GENQ: β̂ with the user's weights and the sandwich covariance, as meta_regress.
      for (Eigen::Index i = 0; i < k; ++i) wa.a(i) = o.genq_weights[static_cast<std::size_t>(i)];
      wa.fit(x, y);
      rinv.setIdentity();
      wa.r.template triangularView<Eigen::Upper>().solveInPlace(rinv);
      vcov.noalias() = rinv * rinv.transpose();
      g.noalias() = wa.a.asDiagonal() * x * vcov;  // A X (XᵀAX)⁻¹
      for (Eigen::Index i = 0; i < k; ++i) g.row(i) *= std::sqrt(v[static_cast<std::size_t>(i)] + tau2);
      vcov.noalias() = g.transpose() * g;
    } else {
      rinv.setIdentity();
      w.r.template triangularView<Eigen::Upper>().solveInPlace(rinv);
      vcov.noalias() = rinv * rinv.transpose();
    }
    const auto& beta = user_weights ? wa.b : w.b;
    if (o.test == TestMethod::knha) {
      const double s2w = w.rss <= std::numeric_limits<double>::epsilon() ? 0.0 : w.rss / static_cast<double>(k - p);
      vcov *= s2w;
    }
    for (Eigen::Index j = 0; j < p; ++j) {
      const double b = beta(j), se = std::sqrt(vcov(j, j));
      z[static_cast<std::size_t>(j)] =
          se > 0 ? b / se : (b == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), b));
    }
    const auto m = static_cast<Eigen::Index>(btt.size());
    for (Eigen::Index i = 0; i < m; ++i) {
      const auto bi = static_cast<Eigen::Index>(btt[static_cast<std::size_t>(i)]);
      bsub(i) = beta(bi);
      for (Eigen::Index j = 0; j < m; ++j)
        sub(i, j) = vcov(bi, static_cast<Eigen::Index>(btt[static_cast<std::size_t>(j)]));
    }
    llt.compute(sub);
    qm = llt.info() == Eigen::Success ? bsub.dot(llt.solve(bsub)) : std::numeric_limits<double>::quiet_NaN();
    if (o.test != TestMethod::z) qm /= static_cast<double>(m);
    return true;
  }
};

/// Counts of one worker.
struct Tally {
  std::vector<std::size_t> reach, valid;  ///< per coefficient
  std::size_t qm_reach = 0, qm_valid = 0, evaluated = 0, failed = 0;
  explicit Tally(std::size_t p) : reach(p), valid(p) {}
  /// One refit's z (or t) of each coefficient and QM.
  void add(std::span<const double> z, double qm, const MetaRegression& obs, double tol) {
    ++evaluated;
    for (std::size_t j = 0; j < z.size(); ++j) {
      if (std::isnan(z[j])) continue;
      ++valid[j];
      if (std::fabs(z[j]) >= std::fabs(obs.coefficients[j].statistic) - tol) ++reach[j];
    }
    if (!std::isnan(qm)) {
      ++qm_valid;
      if (qm >= obs.qm.statistic - tol) ++qm_reach;
    }
  }
  void merge(const Tally& t) {
    for (std::size_t j = 0; j < reach.size(); ++j) {
      reach[j] += t.reach[j];
      valid[j] += t.valid[j];
    }
    qm_reach += t.qm_reach;
    qm_valid += t.qm_valid;
    evaluated += t.evaluated;
    failed += t.failed;
  }
};

/// Buffers and counts of one thread.
template <int P>
struct Worker {
  Refit<P> refit;
  Tally tally;
  std::vector<std::size_t> batch;    ///< exact: the labels of a block of permutations
  std::vector<std::uint64_t> masks;  ///< exact, intercept only: the sign flips of a block
};

/// Labels of the rows of x: equal rows share a label, labels numbered in sorted (lexicographic) row order.
[[nodiscard]] inline std::vector<std::size_t> row_labels(const Eigen::MatrixXd& x) {
  std::map<std::vector<double>, std::size_t> index;
  std::vector<std::vector<double>> rows(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    rows[static_cast<std::size_t>(i)].assign(x.cols(), 0);
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = x(i, j);
    index.emplace(rows[static_cast<std::size_t>(i)], 0);
  }
  std::size_t n = 0;
  for (auto& [row, label] : index) label = n++;
  std::vector<std::size_t> labels;
  for (const auto& row : rows) labels.push_back(index.at(row));
  return labels;
}

[[nodiscard]] inline bool intercept_only(const Design& d) {
  return d.intercept && d.x.cols() == 1;
}

}  // namespace detail

inline double distinct_permutations(const Design& design) {
  const auto k = static_cast<std::size_t>(design.x.rows());
  if (detail::intercept_only(design)) return std::ldexp(1.0, static_cast<int>(k));
  const auto labels = detail::row_labels(design.x);
  std::vector<std::size_t> counts(k, 0);
  for (auto l : labels) ++counts[l];
  // k! / Π m_j!, accumulated as a product of ratios to stay in range.
  double log_n = std::lgamma(static_cast<double>(k) + 1);
  for (auto c : counts) log_n -= std::lgamma(static_cast<double>(c) + 1);
  if (log_n > std::log(std::numeric_limits<double>::max())) return std::numeric_limits<double>::infinity();
  return std::round(std::exp(log_n));
}

inline PermutationTest permutation_test(std::span<const double> yi, std::span<const double> vi, const Design& design,
                                        const RegressionOptions& options, const PermutationOptions& po) {
  if (po.iterations < 2)
    throw DomainError(fmt::format("permutation_test: iterations is {}, but must be at least 2", po.iterations));
  RegressionOptions o = options;
  o.r2 = false;
  PermutationTest result;
  result.fit = meta_regress(yi, vi, design, o);
  result.seed = po.seed;
  const MetaRegression& obs = result.fit;
  const Eigen::Index k = design.x.rows(), p = design.x.cols();
  const std::vector<std::size_t> btt = obs.qm.coefficients;
  const bool flips = detail::intercept_only(design);

  const double distinct = distinct_permutations(design);
  result.exact = po.exact || distinct <= static_cast<double>(po.iterations);
  if (result.exact && !(distinct <= static_cast<double>(po.max_exact)))
    throw DomainError(
        fmt::format("permutation_test: an exact test needs {:.4g} permutations, more than the limit of {}; "
                    "use random permutations",
                    distinct, po.max_exact));
  const std::size_t total = result.exact ? static_cast<std::size_t>(distinct) : po.iterations;

  // The permutation of index j: exact ones come from a shared enumerator in chunks; random ones are
  // drawn from their own substream. Index 0 of a random test is the observed data (as metafor).
  std::vector<std::size_t> labels = flips ? std::vector<std::size_t>{} : detail::row_labels(design.x);
  // The refits factor XᵀAX (Cholesky), so X's columns are scaled to unit length first: z, t and QM do
  // not change with the scale of a column, and the condition number no longer does either.
  Eigen::MatrixXd xs = design.x;
  for (Eigen::Index j = 0; j < p; ++j)
    if (const double norm = xs.col(j).norm(); norm > 0) xs.col(j) /= norm;
  std::vector<Eigen::Index> representative(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < labels.size(); ++i) representative[labels[i]] = static_cast<Eigen::Index>(i);
  std::vector<std::size_t> enumerator = labels;
  std::sort(enumerator.begin(), enumerator.end());
  std::uint64_t flip_counter = 0;
  std::mutex enumerator_mutex;
  std::atomic<std::size_t> next{0};
  constexpr std::size_t chunk = 64;

  detail::Tally tally(static_cast<std::size_t>(p));
  std::mutex tally_mutex;
  // One block of permutations on the thread of `w` (a detail::Worker); false when none is left.
  auto run_chunk = [&](auto& w) {
    auto& [r, mine, batch, masks] = w;
    const std::size_t start = next.fetch_add(chunk);
    if (start >= total) return false;
    const std::size_t end = std::min(total, start + chunk);
    if (result.exact) {  // exact: chunk × k labels (or one flip mask per permutation)
      std::lock_guard lock(enumerator_mutex);
      batch.clear();
      masks.clear();
      for (std::size_t j = start; j < end; ++j) {
        if (flips) {
          masks.push_back(flip_counter++);
        } else {
          batch.insert(batch.end(), enumerator.begin(), enumerator.end());
          std::next_permutation(enumerator.begin(), enumerator.end());
        }
      }
    }
    for (std::size_t j = start; j < end; ++j) {
      const std::size_t local = j - start;
      if (flips) {
        r.x = xs;
        std::uint64_t mask = 0;
        stats::Xoshiro256 engine(stats::substream_seed(po.seed, j));
        if (result.exact) mask = masks[local];
        for (Eigen::Index i = 0; i < k; ++i) {
          const bool flip = result.exact ? ((mask >> i) & 1U) != 0 : (!(j == 0) && (engine() >> 63) != 0);
          r.y[static_cast<std::size_t>(i)] = flip ? -yi[static_cast<std::size_t>(i)] : yi[static_cast<std::size_t>(i)];
        }
      } else {
        std::copy(yi.begin(), yi.end(), r.y.begin());
        if (result.exact) {
          for (Eigen::Index i = 0; i < k; ++i)
            r.x.row(i) =
                xs.row(representative[batch[local * static_cast<std::size_t>(k) + static_cast<std::size_t>(i)]]);
        } else {
          std::iota(r.order.begin(), r.order.end(), std::size_t{0});
          if (j > 0) {
            stats::Xoshiro256 engine(stats::substream_seed(po.seed, j));
            for (std::size_t i = r.order.size() - 1; i > 0; --i)
              std::swap(r.order[i], r.order[stats::uniform_index(engine, i + 1)]);
          }
          for (Eigen::Index i = 0; i < k; ++i)
            r.x.row(i) = xs.row(static_cast<Eigen::Index>(r.order[static_cast<std::size_t>(i)]));
        }
      }
      if (r.fit(vi, o, btt))
        mine.add(r.z, r.qm, obs, po.tolerance);
      else
        ++mine.failed;
    }
    if (po.progress) po.progress->fetch_add(end - start, std::memory_order_relaxed);
    return true;
  };
  const unsigned threads = po.threads > 0 ? po.threads : std::max(1u, std::thread::hardware_concurrency());
  // This thread starts alone; more threads join only when its first block shows that the rest would
  // take longer than po.parallel_after: a thread start costs more than a short test gains from it.
  auto run = [&]<int P>() {
    auto work = [&](detail::Worker<P>& w) {
      while (run_chunk(w)) {
      }
      std::lock_guard lock(tally_mutex);
      tally.merge(w.tally);
    };
    std::vector<detail::Worker<P>> workers;  // every thread's buffers, allocated by this thread
    workers.reserve(threads);
    const auto add_worker = [&] {
      workers.push_back({{k, p, btt.size()}, detail::Tally(static_cast<std::size_t>(p)), {}, {}});
    };
    add_worker();
    const auto started = std::chrono::steady_clock::now();
    if (!run_chunk(workers[0])) {
      tally.merge(workers[0].tally);
      return;
    }
    const std::chrono::duration<double> first = std::chrono::steady_clock::now() - started;
    const double done = static_cast<double>(chunk);
    const bool parallel = threads > 1 && first * ((static_cast<double>(total) - done) / done) > po.parallel_after;
    std::vector<std::jthread> pool;
    for (unsigned t = 1; parallel && t < threads; ++t) {
      add_worker();
      pool.push_back(start_thread([&work, &w = workers.back()] { work(w); }));
    }
    work(workers[0]);
  };
  if (p == 1)
    run.template operator()<1>();
  else if (p == 2)
    run.template operator()<2>();
  else
    run.template operator()<Eigen::Dynamic>();
  result.permutations = tally.evaluated + tally.failed;
  result.failed = tally.failed;
  for (std::size_t j = 0; j < static_cast<std::size_t>(p); ++j)
    result.p.push_back(tally.valid[j]
                           ? std::min(1.0, static_cast<double>(tally.reach[j]) / static_cast<double>(tally.valid[j]))
                           : std::numeric_limits<double>::quiet_NaN());
  result.qm_p = tally.qm_valid ? static_cast<double>(tally.qm_reach) / static_cast<double>(tally.qm_valid)
                               : std::numeric_limits<double>::quiet_NaN();
  if (tally.failed > 0)
    result.warnings.push_back(
        {"permutation_fits_failed",
         fmt::format("{} of {} refits did not converge and were left out", tally.failed, result.permutations)});
  return result;
}

}  // namespace trialstats::meta
