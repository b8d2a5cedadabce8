// Reproducible random numbers for resampling (permutation tests, bootstrap): the same numbers on every
// platform, compiler and number of threads. Each replicate j draws from its own generator, seeded from
// (seed, j), so that the work can be split between threads in any way.
//
// References:
//   Steele GL, Lea D, Flood CH (2014). Fast splittable pseudorandom number generators. OOPSLA 2014
//     (splitmix64).
//   Blackman D, Vigna S (2021). Scrambled linear pseudorandom number generators. ACM Trans Math Softw
//     47(4):36 (xoshiro256**).
//   Lemire D (2019). Fast random integer generation in an interval. ACM Trans Model Comput Simul 29(1):3
//     (the rejection rule of uniform_index, in its exact, division-based form).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace trialstats::stats {

/// One step of splitmix64: a 64-bit mix with good avalanche, used to expand seeds.
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// The seed of replicate `index`'s own generator: splitmix64 of the pair (seed, index).
[[nodiscard]] constexpr std::uint64_t substream_seed(std::uint64_t seed, std::uint64_t index) noexcept {
  std::uint64_t state = seed + 0x9E3779B97F4A7C15ULL * index;
  return splitmix64(state);
}

/// xoshiro256**: a small, fast generator (32 bytes of state, seeded in four splitmix64 steps) for the
/// short streams of one replicate. Meets the UniformRandomBitGenerator requirements.
class Xoshiro256 {
 public:
  using result_type = std::uint64_t;
  explicit constexpr Xoshiro256(std::uint64_t seed) noexcept {
    for (auto& word : s_) word = splitmix64(seed);
  }
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }
  constexpr result_type operator()() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

/// A uniform index in [0, n) (n ≥ 1) from a 64-bit generator by rejection sampling: exactly uniform
/// and the same on every platform (std::uniform_int_distribution is implementation-defined).
template <class Engine>
[[nodiscard]] std::size_t uniform_index(Engine& engine, std::size_t n) {
  const std::uint64_t range = n;
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = max - (max % range + 1) % range;  // accept [0, limit]: a whole number of ranges
  std::uint64_t x = engine();
  while (x > limit) x = engine();
  return static_cast<std::size_t>(x % range);
}

}  // namespace trialstats::stats
