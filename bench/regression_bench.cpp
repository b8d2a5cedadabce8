// Micro-benchmarks of meta-regression (include/trialstats/meta/regression.hpp) and its permutation test.
//   One REML fit of dat.bcg's log risk ratios on absolute latitude (k = 13, p = 2).
//   A 1,000-permutation test of the same model on one thread.
//   REML fits of synthetic data of growing k with p = 4 (fixed seed), to show O(k·p²).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <random>
#include <vector>

#include "trialstats/meta/permutation.hpp"
#include "trialstats/meta/regression.hpp"

namespace {

using namespace trialstats;

// dat.bcg, escalc("RR"), and absolute latitude.
const std::vector<double> yi{-0.8893113339202054, -1.5853886572014306, -1.3480731482996928, -1.4415511900213054,
                             -0.2175473222112957, -0.7861155858188968, -1.6208982235983924, 0.0119523335238405,
                             -0.4694176487381487, -1.3713448034727846, -0.3393588283383343, 0.4459134005713783,
                             -0.0173139482168798};
const std::vector<double> vi{0.3255847650039614, 0.1943964813324122, 0.4150273185869645, 0.0200100319812406,
                             0.0512101721696309, 0.0069056184559088, 0.2230172475723152, 0.0039615792911635,
                             0.0564342105078645, 0.0730247936130923, 0.0124166238092690, 0.5325058452001528,
                             0.0714046596133271};
const std::vector<double> ablat{44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};

bool smoke() { return std::getenv("TRIALSTATS_BENCH_SMOKE") != nullptr; }

void reml_fit_bcg(benchmark::State& state) {
  const auto design = meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}}, yi.size());
  for (auto _ : state) {
    auto r = meta::meta_regress(yi, vi, design, {.method = meta::Tau2Method::reml, .r2 = false});
    benchmark::DoNotOptimize(r.tau2);
  }
}
BENCHMARK(reml_fit_bcg);

void permutations_bcg(benchmark::State& state) {
  const auto design = meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}}, yi.size());
  for (auto _ : state) {
    auto t = meta::permutation_test(yi, vi, design, {}, {.iterations = 1000, .seed = 42, .threads = 1});
    benchmark::DoNotOptimize(t.qm_p);
  }
}
BENCHMARK(permutations_bcg)->Unit(benchmark::kMillisecond);

void reml_fit_k(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u(0.01, 0.5);
  std::vector<meta::Moderator> mods{{.name = "a"}, {.name = "b"}, {.name = "c"}};
  std::vector<double> y(k), v(k);
  for (std::size_t i = 0; i < k; ++i) {
    for (auto& m : mods) m.numbers.push_back(z(rng));
    v[i] = u(rng);
    y[i] = 0.2 + 0.1 * mods[0].numbers[i] + z(rng) * std::sqrt(v[i] + 0.05);
  }
  const auto design = meta::build_design(mods, k);
  for (auto _ : state) {
    auto r = meta::meta_regress(y, v, design, {.r2 = false});
    benchmark::DoNotOptimize(r.tau2);
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(reml_fit_k)->RangeMultiplier(4)->Range(16, smoke() ? 256 : 65536)->Complexity(benchmark::oN);

}  // namespace
