// Micro-benchmarks of the correlation coefficients: Pearson (two passes), rank_pairs (two sorts),
// Spearman and Kendall tau-b (merge sort) on n pairs with ties, O(n) and O(n log n).
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "trialstats/corr/pearson.hpp"
#include "trialstats/corr/rank.hpp"

namespace {

struct Data {
  std::vector<double> x, y;
};

Data make(std::size_t n) {
  std::mt19937_64 gen(3);
  std::normal_distribution<double> nd(0, 1);  // benchmark data only
  Data d{std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    d.x[i] = std::round(nd(gen) * 4000) / 100;
    d.y[i] = std::round((-0.3 * d.x[i] / 40 + nd(gen)) * 100) / 100;
  }
  return d;
}

void BM_pearson(benchmark::State& state) {
  const Data d = make(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(trialstats::corr::pearson(d.x, d.y));
  state.SetComplexityN(state.range(0));
}

void BM_rank_pairs(benchmark::State& state) {
  const Data d = make(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(trialstats::corr::rank_pairs(d.x, d.y));
  state.SetComplexityN(state.range(0));
}

void BM_spearman(benchmark::State& state) {
  const Data d = make(static_cast<std::size_t>(state.range(0)));
  const auto r = trialstats::corr::rank_pairs(d.x, d.y);
  for (auto _ : state) benchmark::DoNotOptimize(trialstats::corr::spearman(r));
  state.SetComplexityN(state.range(0));
}

void BM_kendall(benchmark::State& state) {
  const Data d = make(static_cast<std::size_t>(state.range(0)));
  const auto r = trialstats::corr::rank_pairs(d.x, d.y);
  for (auto _ : state) benchmark::DoNotOptimize(trialstats::corr::kendall(r));
  state.SetComplexityN(state.range(0));
}

}  // namespace

BENCHMARK(BM_pearson)->RangeMultiplier(8)->Range(1 << 10, 1 << 22)->Complexity(benchmark::oN);
BENCHMARK(BM_rank_pairs)->RangeMultiplier(8)->Range(1 << 10, 1 << 22)->Complexity(benchmark::oNLogN);
BENCHMARK(BM_spearman)->RangeMultiplier(8)->Range(1 << 10, 1 << 22)->Complexity(benchmark::oN);
BENCHMARK(BM_kendall)->RangeMultiplier(8)->Range(1 << 10, 1 << 22)->Complexity(benchmark::oNLogN);
