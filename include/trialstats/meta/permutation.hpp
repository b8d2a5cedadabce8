// Permutation tests of a meta-regression (metafor's permutest for rma.uni): the rows of the model
// matrix are permuted against (y, v) and the model refitted; the p-value of each coefficient is the
// share of permutations whose |z| (or |t|) reaches the observed one, that of the omnibus test the
// share whose QM does. An intercept-only model flips the signs of the effects instead.
//
// References (formulas in docs/methods.md, section "Permutation tests"):
//   Higgins JPT, Thompson SG (2004). Controlling the risk of spurious findings from meta-regression.
//     Stat Med 23:1663–1682.
//   Viechtbauer W, López-López JA, Sánchez-Meca J, Marín-Martínez F (2015). A comparison of procedures
//     to test for moderators in mixed-effects meta-regression models. Psychol Methods 20:360–374.
//   Good P (2005). Permutation, Parametric, and Bootstrap Tests of Hypotheses, 3rd ed. Springer.
//
// Reproducibility: permutation j (j ≥ 1) draws from its own xoshiro256** generator seeded from
// (seed, j), with an index function of our own (rejection sampling; stats/random.hpp), so the
// numbers are the same on every platform and for any number of threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/regression.hpp"

namespace trialstats::meta {

struct PermutationOptions {
  std::size_t iterations = 1000;  ///< permutations, the observed data counted as the first (metafor's iter)
  std::uint64_t seed = 1;
  bool exact = false;    ///< enumerate every distinct permutation even when there are more than `iterations`
  unsigned threads = 0;  ///< worker threads at most; 0: one per core
  /// More threads than one start only when the first block of permutations shows that the rest would take
  /// longer than this on one thread (starting and joining a thread took 16–86 µs on a 2-core virtual
  /// machine, the first one in a process the longest); 0: always.
  std::chrono::duration<double> parallel_after{5e-4};
  double tolerance = 1.4901161193847656e-08;  ///< a permuted statistic within this of the observed one counts as
                                              ///< reaching it (metafor's comptol = sqrt(DBL_EPSILON))
  std::size_t max_exact = 100'000'000;        ///< refuse an exact test with more permutations than this
  /// When set: advanced (relaxed) by the permutations done, once per block of them, for a progress display.
  std::atomic<std::size_t>* progress = nullptr;
};

/// Permutation p-values of a fitted meta-regression.
struct PermutationTest {
  bool exact = false;            ///< every distinct permutation was enumerated
  std::size_t permutations = 0;  ///< permutations evaluated, the observed data included
  std::size_t failed = 0;        ///< refits that did not converge (left out, as metafor's na.rm)
  std::uint64_t seed = 0;
  std::vector<double> p{};  ///< one per coefficient: share with |z_perm| ≥ |z_obs| − tolerance
  double qm_p = 1;          ///< share with QM_perm ≥ QM_obs − tolerance
  MetaRegression fit{};     ///< the model on the observed data
  Warnings warnings{};
};

/// The number of distinct permutations of the rows of `x` (k! / Πm_j! over groups of equal rows), or
/// 2^k sign flips for an intercept-only design; +∞ when it does not fit in a double.
[[nodiscard]] inline double distinct_permutations(const Design& design);

/// metafor 3.8 permutest(rma(yi, vi, mods, …), iter, exact): exact when `exact` or when the
/// distinct permutations are no more than `iterations`; otherwise `iterations` − 1 random
/// permutations plus the observed data.
/// @throws what meta_regress throws for the observed data; DomainError for iterations < 2 or an exact
///         test with more than `max_exact` permutations.
/// Example:
///   auto t = meta::permutation_test(yi, vi, design, {.method = meta::Tau2Method::reml},
///                                   {.iterations = 1000, .seed = 42});
///   // t.p[1], t.qm_p
[[nodiscard]] inline PermutationTest permutation_test(std::span<const double> yi, std::span<const double> vi,
                                                      const Design& design, const RegressionOptions& options = {},
                                                      const PermutationOptions& permutation = {});

}  // namespace trialstats::meta

#include "trialstats/meta/permutation_impl.hpp"
