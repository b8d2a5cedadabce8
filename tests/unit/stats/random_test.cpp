// stats/random.hpp: the generators are fixed algorithms, so their outputs are fixed numbers.
// Reference values: splitmix64 from state 0 gives 0xE220A8397B1DCDAF (the test vector quoted with
// Vigna's reference implementation); the xoshiro256** outputs below were computed by hand-transcribing
// the authors' reference C code (xoshiro256starstar.c) into Python integer arithmetic, seeded with four
// splitmix64 steps from 42.
#include <cstdint>
#include <set>

#include <doctest/doctest.h>

#include "trialstats/stats/random.hpp"

using namespace trialstats::stats;

TEST_SUITE("stats/random") {
  TEST_CASE("splitmix64 and xoshiro256** give the reference outputs") {
    std::uint64_t state = 0;
    CHECK(splitmix64(state) == 0xE220A8397B1DCDAFULL);
    Xoshiro256 g(42);
    CHECK(g() == 0x15780B2E0C2EC716ULL);
    CHECK(g() == 0x6104D9866D113A7EULL);
    CHECK(g() == 0xAE17533239E499A1ULL);
    CHECK(substream_seed(1, 5) == 0xC34D0BFF90150280ULL);  // splitmix64 of state 1 + 5·golden ratio
  }

  TEST_CASE("uniform_index stays in range, reaches every value and depends on the engine's output only") {
    Xoshiro256 a(5), b(5);
    for (std::size_t n : {1u, 2u, 3u, 7u, 1000u}) {
      std::set<std::size_t> seen;
      for (int i = 0; i < 20000; ++i) {
        const auto x = uniform_index(a, n);
        CHECK(x < n);
        CHECK(x == uniform_index(b, n));
        seen.insert(x);
      }
      CHECK(seen.size() == n);
    }
    CHECK(substream_seed(1, 0) != substream_seed(1, 1));
  }
}
