// claims/grim.hpp: GRIM and GRIMMER against every data set of small samples on a 1–5 scale (no real
// data set may be called impossible), and against impossible values worked out by hand.
#include <cmath>
#include <vector>

#include <doctest/doctest.h>

#include "trialstats/claims/grim.hpp"

using namespace trialstats;
using namespace trialstats::claims;

namespace {

double round_to(double x, int d) {
  return std::round(x * std::pow(10.0, d)) / std::pow(10.0, d);
}

// Every multiset of n values in 1..5 (non-decreasing sequences).
void each_dataset(int n, std::vector<int>& cur, int lo, const auto& f) {
  if (static_cast<int>(cur.size()) == n) return f(cur);
  for (int v = lo; v <= 5; ++v) {
    cur.push_back(v);
    each_dataset(n, cur, v, f);
    cur.pop_back();
  }
}

}  // namespace

TEST_SUITE("claims::grim") {
  TEST_CASE("grim_test: every mean and SD of real integer data is consistent (n = 2..7, 1–5 scale)") {
    int checked = 0;
    for (int n = 2; n <= 7; ++n) {
      std::vector<int> cur;
      each_dataset(n, cur, 1, [&](const std::vector<int>& x) {
        double s = 0, ss = 0;
        for (int v : x) s += v;
        const double mean = s / n;
        for (int v : x) ss += (v - mean) * (v - mean);
        const double sd = std::sqrt(ss / (n - 1));
        for (int d : {1, 2, 3}) {
          const auto r = grim_test(
              {.mean = round_to(mean, d), .mean_decimals = d, .n = double(n), .sd = round_to(sd, d), .sd_decimals = d});
          CHECK(r.mean != GrimVerdict::inconsistent);
          CHECK(r.sd != GrimVerdict::inconsistent);
          ++checked;
        }
      });
    }
    CHECK(checked > 1000);
  }

  TEST_CASE("grim_test: multi-item scales use the granularity 1/(n items)") {
    // 3 respondents, 2 items: item sums 3, 4, 8 -> mean of items 15/6 = 2.50, SD of means 1.32
    const auto ok = grim_test({.mean = 2.50, .n = 3, .items = 2, .sd = 1.32});
    CHECK(ok.granularity == doctest::Approx(1.0 / 6));
    CHECK(ok.mean == GrimVerdict::consistent);
    CHECK(ok.sd == GrimVerdict::consistent);
    CHECK(grim_test({.mean = 2.40, .n = 3, .items = 2}).mean == GrimVerdict::inconsistent);  // 14/6 = 2.33, 15/6 = 2.50
  }

  TEST_CASE("grim_test: impossible values worked out by hand") {
    // Brown & Heathers (2017): a mean of 5.19 from 28 integers: 145/28 = 5.18, 146/28 = 5.21.
    const auto r = grim_test({.mean = 5.19, .n = 28});
    CHECK(r.mean == GrimVerdict::inconsistent);
    CHECK(*r.nearest_mean == doctest::Approx(145.0 / 28));
    // Not testable: 120 respondents, 2 decimals: every mean is a multiple of 1/120 < .01.
    CHECK(grim_test({.mean = 5.19, .n = 120}).mean == GrimVerdict::not_testable);
    // GRIMMER, range: n = 5, mean 3.00 (T = 15): SD 0.10 needs Σx² in [45.036, 45.044], no integer.
    CHECK(grim_test({.mean = 3.00, .n = 5, .sd = 0.10}).sd == GrimVerdict::inconsistent);
    // GRIMMER, parity: n = 3, mean 2.00 (T = 6): SD 0.71 needs Σx² = 13, odd while T is even.
    const auto parity = grim_test({.mean = 2.00, .n = 3, .sd = 0.71});
    CHECK(parity.mean == GrimVerdict::consistent);
    CHECK(parity.sd == GrimVerdict::inconsistent);
    // and SD 1.73 (0, 3, 3: Σx² = 18) is possible.
    CHECK(grim_test({.mean = 2.00, .n = 3, .sd = 1.73}).sd == GrimVerdict::consistent);
  }

  TEST_CASE("grim_test: errors") {
    CHECK_THROWS_WITH_AS((void)grim_test({.mean = 2, .n = 2.5}),
                         "grim_test: n is 2.5, but must be a whole number of at least 1", DomainError);
    CHECK_THROWS_WITH_AS((void)grim_test({.mean = 2, .n = 10, .sd = -1}),
                         "grim_test: SD is -1, but must be non-negative", DomainError);
  }

}  // TEST_SUITE
