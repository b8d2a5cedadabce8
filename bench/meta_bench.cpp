// Micro-benchmarks of meta::pool (include/trialstats/meta/model.hpp).
//   REML and DL for dat.bcg (k = 13, log risk ratios), with and without the Q-profile CIs;
//   REML + Q-profile CIs for synthetic data of growing k up to 100,000 (fixed seed).
// TRIALSTATS_BENCH_SMOKE=1 shrinks the synthetic sizes (CI smoke run).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numbers>
#include <random>
#include <vector>

#include "trialstats/meta/model.hpp"

namespace {

using namespace trialstats;

// dat.bcg, escalc("RR").
const std::vector<double> bcg_yi{-0.8893113339202054, -1.5853886572014306, -1.3480731482996928, -1.4415511900213054,
                                 -0.2175473222112957, -0.7861155858188968, -1.6208982235983924, 0.0119523335238405,
                                 -0.4694176487381487, -1.3713448034727846, -0.3393588283383343, 0.4459134005713783,
                                 -0.0173139482168798};
const std::vector<double> bcg_vi{0.3255847650039614, 0.1943964813324122, 0.4150273185869645, 0.0200100319812406,
                                 0.0512101721696309, 0.0069056184559088, 0.2230172475723152, 0.0039615792911635,
                                 0.0564342105078645, 0.0730247936130923, 0.0124166238092690, 0.5325058452001528,
                                 0.0714046596133271};

bool smoke() {
  return std::getenv("TRIALSTATS_BENCH_SMOKE") != nullptr;
}

/// Random-effects data: v_i uniform on [0.01, 0.21], y_i = 0.3 + N(0, 0.05 + v_i), from a fixed
/// mt19937_64 stream through our own uniform (53-bit) and Box–Muller transforms, so that every
/// platform gets the same numbers.
struct Synthetic {
  std::vector<double> yi, vi;
  explicit Synthetic(std::int64_t k) {
    std::mt19937_64 rng(20240601);
    auto uniform = [&rng] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53; };
    yi.reserve(static_cast<std::size_t>(k));
    vi.reserve(static_cast<std::size_t>(k));
    for (std::int64_t i = 0; i < k; ++i) {
      const double v = 0.01 + 0.2 * uniform();
      const double z = std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform());
      vi.push_back(v);
      yi.push_back(0.3 + std::sqrt(0.05 + v) * z);
    }
  }
};

void bm_reml_bcg(benchmark::State& state) {
  const meta::PoolOptions o{.tau2_ci = state.range(0) != 0};
  for (auto _ : state) {
    auto r = meta::pool(bcg_yi, bcg_vi, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_reml_bcg)->ArgName("qprofile")->Arg(0)->Arg(1);

void bm_dl_bcg(benchmark::State& state) {
  const meta::PoolOptions o{.method = meta::Tau2Method::dl, .tau2_ci = state.range(0) != 0};
  for (auto _ : state) {
    auto r = meta::pool(bcg_yi, bcg_vi, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_dl_bcg)->ArgName("qprofile")->Arg(0)->Arg(1);

void bm_tau2_reml_bcg(benchmark::State& state) {
  const meta::Tau2Options o{};
  for (auto _ : state) {
    auto fit = meta::estimate_tau2(bcg_yi, bcg_vi, meta::Tau2Method::reml, o);
    benchmark::DoNotOptimize(fit);
  }
}
BENCHMARK(bm_tau2_reml_bcg);

void bm_reml_qprofile(benchmark::State& state) {
  const Synthetic data(state.range(0));
  const meta::PoolOptions o{};
  for (auto _ : state) {
    auto r = meta::pool(data.yi, data.vi, o);
    benchmark::DoNotOptimize(r);
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(bm_reml_qprofile)
    ->RangeMultiplier(10)
    ->Range(100, smoke() ? 1000 : 100000)
    ->Unit(benchmark::kMicrosecond)
    ->Complexity(benchmark::oN);

}  // namespace
