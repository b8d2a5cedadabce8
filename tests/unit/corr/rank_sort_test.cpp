// corr/rank_sort.hpp against the simple versions: ranks from std::sort with midranks, the order of
// (x, y) from std::sort, tied pairs and inversions by the O(n²) definitions; on random data with many
// ties, across the one-bucket (n < 4096), bucket and two-thread (n ≥ 100,000) paths.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "trialstats/corr/rank.hpp"
#include "trialstats/corr/rank_sort.hpp"

namespace {

using namespace trialstats::corr;

// Doubled midranks by std::sort of the indices.
std::vector<std::uint32_t> simple_ranks(const std::vector<double>& v, TieSums& ties) {
  std::vector<std::size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<std::uint32_t> r2(v.size());
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i + 1;
    while (j < idx.size() && v[idx[j]] == v[idx[i]]) ++j;
    for (std::size_t k = i; k < j; ++k) r2[idx[k]] = static_cast<std::uint32_t>(i + j + 1);
    ties.add_group(j - i);
    i = j;
  }
  return r2;
}

std::uint64_t naive_inversions(const std::vector<std::uint32_t>& a) {
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = i + 1; j < a.size(); ++j) c += a[i] > a[j];
  return c;
}

// Values with many ties (k distinct magnitudes, both signs, -0 among them) or none (k = 0).
std::vector<double> sample(std::mt19937_64& gen, std::size_t n, std::uint64_t k) {
  std::normal_distribution<double> normal(0.0, 1.0);  // test data only
  std::vector<double> v(n);
  for (auto& x : v) {
    if (k == 0) {
      x = normal(gen) * 1e3;
    } else {
      const auto u = static_cast<double>(gen() % k) / 4;
      x = gen() % 2 ? -u : u;  // -0.0 when u = 0
    }
  }
  return v;
}

}  // namespace

TEST_SUITE("corr::rank_sort") {
  TEST_CASE("order_key: the order and the equalities of doubles, -0 equal to +0") {
    const double denorm = std::numeric_limits<double>::denorm_min(), big = std::numeric_limits<double>::max();
    std::vector<double> v{0.0, -0.0, 1.0, -1.0, 0.5, -0.5, denorm, -denorm, big, -big, 1e-300, -1e-300, 3.25, 3.25};
    std::mt19937_64 gen(11);
    const auto more = sample(gen, 200, 0);
    v.insert(v.end(), more.begin(), more.end());
    bool ok = true;
    for (double a : v)
      for (double b : v)
        ok = ok && ((a < b) == (detail::order_key(a) < detail::order_key(b))) &&
             ((a == b) == (detail::order_key(a) == detail::order_key(b)));
    CHECK(ok);
  }

  TEST_CASE("rank_values: the midranks and tie sums of std::sort, one bucket, buckets and two threads") {
    std::mt19937_64 gen(21);
    for (const std::size_t n : {std::size_t{5}, std::size_t{100}, std::size_t{3000}, std::size_t{5000},
                                std::size_t{20000}, std::size_t{120000}}) {
      for (const std::uint64_t k : {std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{50}, std::uint64_t{5000}}) {
        CAPTURE(n);
        CAPTURE(k);
        const auto v = sample(gen, n, k);
        TieSums expected_ties;
        const auto expected = simple_ranks(v, expected_ties);
        std::vector<std::uint32_t> r2;
        const auto sums = detail::rank_values(v, {}, r2, nullptr);
        CHECK(r2 == expected);
        CHECK(sums.ties.groups == expected_ties.groups);
        CHECK(sums.ties.t1 == expected_ties.t1);
        CHECK(sums.ties.t1_2t5 == expected_ties.t1_2t5);
        CHECK(sums.ties.t1_t2 == expected_ties.t1_t2);
      }
    }
  }

  TEST_CASE("rank_values with a secondary key: its order by (x, key) and the pairs tied in both") {
    std::mt19937_64 gen(31);
    for (const std::size_t n : {std::size_t{7}, std::size_t{2500}, std::size_t{9000}, std::size_t{110000}}) {
      for (const std::uint64_t k : {std::uint64_t{0}, std::uint64_t{4}, std::uint64_t{300}}) {
        CAPTURE(n);
        CAPTURE(k);
        const auto x = sample(gen, n, k);
        std::vector<std::uint32_t> sec(n);
        for (auto& s : sec) s = static_cast<std::uint32_t>(gen() % (k == 0 ? 1000000 : 2 * k + 1));
        std::vector<std::pair<double, std::uint32_t>> pairs(n);
        for (std::size_t i = 0; i < n; ++i) pairs[i] = {x[i] + 0.0, sec[i]};
        std::sort(pairs.begin(), pairs.end());
        std::vector<std::uint32_t> expected(n);
        std::uint64_t joint = 0;
        for (std::size_t i = 0; i < n;) {
          std::size_t j = i + 1;
          while (j < n && pairs[j] == pairs[i]) ++j;
          joint += static_cast<std::uint64_t>(j - i) * (j - i - 1) / 2;
          i = j;
        }
        for (std::size_t i = 0; i < n; ++i) expected[i] = pairs[i].second;
        std::vector<std::uint32_t> r2, by_order;
        const auto sums = detail::rank_values(x, sec, r2, &by_order);
        TieSums ties;
        CHECK(r2 == simple_ranks(x, ties));
        CHECK(by_order == expected);
        CHECK(sums.joint == joint);
        CHECK(sums.ties.t1 == ties.t1);
      }
    }
  }

  TEST_CASE("count_inversions: the pairwise count, by the Fenwick tree (few values) and the merge sort (many)") {
    std::mt19937_64 gen(41);
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{17}, std::size_t{1000},
                                std::size_t{3000}}) {
      for (const std::uint32_t k : {1U, 2U, 40U, 200000U}) {
        CAPTURE(n);
        CAPTURE(k);
        std::vector<std::uint32_t> a(n);
        for (auto& x : a) x = static_cast<std::uint32_t>(gen() % k);
        CHECK(detail::count_inversions(a) == naive_inversions(a));
        std::vector<std::uint32_t> work = a, buf(n);
        CHECK(detail::merge_count(work.data(), buf.data(), n) == naive_inversions(a));
        CHECK(std::is_sorted(work.begin(), work.end()));
      }
    }
  }

  TEST_CASE("count_inversions: two threads across the halves give the one-thread merge count") {
    std::mt19937_64 gen(51);
    for (const std::uint32_t k : {5U, 60000U, 4000000U}) {  // Fenwick tree (few and many values), merge sort
      CAPTURE(k);
      std::vector<std::uint32_t> a(150001);
      for (auto& x : a) x = static_cast<std::uint32_t>(gen() % k);
      std::vector<std::uint32_t> work = a, buf(a.size());
      CHECK(detail::count_inversions(a) == detail::merge_count(work.data(), buf.data(), a.size()));
    }
  }

  TEST_CASE("kendall: the bucket path (n ≥ 4096) equals the pairwise definition, with ties") {
    std::mt19937_64 gen(61);
    const std::size_t n = 5000;
    const auto x = sample(gen, n, 40), y0 = sample(gen, n, 30);
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = y0[i] + std::round(x[i]);
    double s = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) s += ((x[i] > x[j]) - (x[i] < x[j])) * ((y[i] > y[j]) - (y[i] < y[j]));
    const auto rp = rank_pairs(x, y);
    const double n0 = static_cast<double>(n) * (n - 1) / 2;
    CHECK(kendall(rp).estimate ==
          doctest::Approx(s / std::sqrt((n0 - rp.ties_x.t1 / 2) * (n0 - rp.ties_y.t1 / 2))).epsilon(1e-12));
  }
}
