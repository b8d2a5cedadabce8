// The sorting behind the rank coefficients (corr/rank.hpp): average ranks of doubles by a bucket
// sort on their order-preserving bit patterns, and the number of inversions of a sequence of ranks
// (Kendall's discordant pairs) by a Fenwick tree or a merge sort. Large inputs are split in two
// halves, the second on its own thread; the results do not depend on the split.
//
// References:
//   Knuth DE (1998). The Art of Computer Programming 3, 2nd ed., §5.2.5 (distribution sorting by the
//     leading digits, then sorting each bucket).
//   Herf M (2001). Radix tricks (order-preserving unsigned keys of IEEE doubles: flip every bit of a
//     negative number, only the sign bit of a positive one).
//   Fenwick PM (1994). A new data structure for cumulative frequency tables. Softw Pract Exper 24:327-336.
//   Knight WR (1966). A computer method for calculating Kendall's tau with ungrouped data. JASA 61:436-439
//     (discordant pairs = inversions of y in the order of x, ties in x broken by y).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <numeric>
#include <span>
#include <thread>
#include <vector>

#include "trialstats/core/threads.hpp"

namespace trialstats::corr {

/// Sums over the groups of tied values of one variable (t = size of a group), as the tie
/// corrections of Kendall's variance need them.
struct TieSums {
  std::size_t groups = 0;  ///< groups of at least two equal values
  double t1 = 0;           ///< Σ t(t-1)
  double t1_2t5 = 0;       ///< Σ t(t-1)(2t+5)
  double t1_t2 = 0;        ///< Σ t(t-1)(t-2)

  void add_group(std::size_t size) {
    if (size < 2) return;
    const double t = static_cast<double>(size);
    ++groups;
    t1 += t * (t - 1);
    t1_2t5 += t * (t - 1) * (2 * t + 5);
    t1_t2 += t * (t - 1) * (t - 2);
  }
  void add(const TieSums& o) {
    groups += o.groups;
    t1 += o.t1;
    t1_2t5 += o.t1_2t5;
    t1_t2 += o.t1_t2;
  }
};

namespace detail {

/// From this many values on, the work is split over two threads.
inline constexpr std::size_t parallel_from = 100000;

/// Runs first() here and second() on a second thread when `parallel` (else after first()); an
/// exception of either is rethrown here.
template <class F1, class F2>
void run_both(bool parallel, F1&& first, F2&& second) {
  if (!parallel) {
    first();
    second();
    return;
  }
  std::exception_ptr failed;
  std::jthread other = start_thread([&] {
    try {
      second();
    } catch (...) {
      failed = std::current_exception();
    }
  });
  try {
    first();
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (failed) std::rethrow_exception(failed);
}

/// An unsigned key with the order of the doubles: the sign bit set for positive numbers, every bit
/// flipped for negative ones; -0 and +0 share the key of +0. `v` must not be NaN.
[[nodiscard]] inline std::uint64_t order_key(double v) noexcept {
  const auto u = std::bit_cast<std::uint64_t>(v + 0.0);  // -0 + 0 = +0
  return (u >> 63) != 0 ? ~u : u | (std::uint64_t{1} << 63);
}

/// The buckets of a distribution sort on order_key: the 12 leading bits (sign and exponent) give a
/// class; a class of c values is cut into 2^b buckets by the b leading bits of its 52 remaining
/// ones, b the least with c/2^b ≤ `target` (so dense classes get many buckets, empty ones none).
class KeyBuckets {
 public:
  static constexpr std::size_t target = 512;  ///< mean values per bucket aimed at

  /// From the class counts (4096 entries).
  explicit KeyBuckets(const std::array<std::uint32_t, 4096>& counts) {
    std::uint32_t next = 0;
    for (std::size_t c = 0; c < 4096; ++c) {
      base_[c] = next;
      unsigned b = 0;
      while (b < 24 && (counts[c] >> b) > target) ++b;
      shift_[c] = static_cast<std::uint8_t>(52 - b);
      if (counts[c] > 0) next += std::uint32_t{1} << b;
    }
    size_ = next;
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::uint32_t operator()(std::uint64_t key) const noexcept {
    const auto c = static_cast<std::size_t>(key >> 52);
    constexpr std::uint64_t low = (std::uint64_t{1} << 52) - 1;
    return base_[c] + static_cast<std::uint32_t>((key & low) >> shift_[c]);
  }

 private:
  std::array<std::uint32_t, 4096> base_{};
  std::array<std::uint8_t, 4096> shift_{};
  std::size_t size_ = 0;
};

/// What rank_values computes besides the ranks: the tie sums of the values and, with a secondary
/// key, the pairs tied in both.
struct RankSums {
  TieSums ties;
  std::uint64_t joint = 0;  ///< pairs equal in the value and in the secondary key
};

/// Doubled average ranks of `v` (1-based; ties share the mean; doubled so that they are integers)
/// into r2, by index, and the tie sums of v.
/// With `secondary` (one key per value, e.g. the ranks of a second variable) also `by_order`: the
/// secondary keys in the order of (v, secondary), and the pairs tied in both (Kendall's joint ties).
/// Values are distributed into buckets by their leading bits (KeyBuckets), each bucket is sorted on
/// its own (std::sort of (key, secondary, index)), and the ranks follow from the bucket's position.
/// Below 4096 values: one bucket. `v` holds no NaN and fewer than 2^31 values.
inline RankSums rank_values(std::span<const double> v, std::span<const std::uint32_t> secondary,
                            std::vector<std::uint32_t>& r2, std::vector<std::uint32_t>* by_order) {
  const std::size_t n = v.size();
  const bool parallel = n >= parallel_from;
  r2.resize(n);
  std::vector<std::uint32_t> own;
  std::vector<std::uint32_t>& order = by_order != nullptr ? *by_order : own;  // indices by bucket
  order.resize(n);
  std::vector<std::uint32_t> start;  // first position of each bucket, and n
  if (n < 4096) {
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    start = {0, static_cast<std::uint32_t>(n)};
  } else {
    const std::size_t mid = n / 2;
    std::array<std::uint32_t, 4096> classes[2]{};
    auto count_classes = [&](std::size_t part, std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) ++classes[part][order_key(v[i]) >> 52];
    };
    run_both(parallel, [&] { count_classes(0, 0, mid); }, [&] { count_classes(1, mid, n); });
    for (std::size_t c = 0; c < 4096; ++c) classes[0][c] += classes[1][c];
    const KeyBuckets bucket(classes[0]);
    std::vector<std::uint32_t> next[2] = {std::vector<std::uint32_t>(bucket.size()),
                                          std::vector<std::uint32_t>(bucket.size())};
    auto count = [&](std::size_t part, std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) ++next[part][bucket(order_key(v[i]))];
    };
    run_both(parallel, [&] { count(0, 0, mid); }, [&] { count(1, mid, n); });
    // The first half's values of a bucket before the second half's: within a bucket, by index.
    start.resize(bucket.size() + 1);
    std::uint32_t at = 0;
    for (std::size_t b = 0; b < bucket.size(); ++b) {
      start[b] = at;
      const std::uint32_t first = next[0][b];
      next[0][b] = at;
      at += first;
      const std::uint32_t second = next[1][b];
      next[1][b] = at;
      at += second;
    }
    start.back() = at;
    auto scatter = [&](std::size_t part, std::size_t lo, std::size_t hi) {
      std::uint32_t* to = next[part].data();
      for (std::size_t i = lo; i < hi; ++i) order[to[bucket(order_key(v[i]))]++] = static_cast<std::uint32_t>(i);
    };
    run_both(parallel, [&] { scatter(0, 0, mid); }, [&] { scatter(1, mid, n); });
  }

  // Each bucket: sorted, then its runs of equal values give ranks (positions are global).
  struct Entry {
    std::uint64_t key;
    std::uint32_t second;
    std::uint32_t index;
  };
  const bool with_secondary = !secondary.empty();
  constexpr std::size_t prefetch_distance = 24;
  auto rank_buckets = [&](std::size_t b_lo, std::size_t b_hi, RankSums& sums) {
    std::vector<Entry> e;
    for (std::size_t b = b_lo; b < b_hi; ++b) {
      const std::size_t lo = start[b], m = start[b + 1] - lo;
      if (m == 0) continue;
      e.resize(m);
      bool sorted = true;  // already in (key, secondary) order, e.g. one value
      for (std::size_t k = 0; k < m; ++k) {
        if (k + prefetch_distance < m) {  // the indices are scattered over the whole input: load ahead
          const std::uint32_t ahead = order[lo + k + prefetch_distance];
          __builtin_prefetch(v.data() + ahead);
          if (with_secondary) __builtin_prefetch(secondary.data() + ahead);
        }
        const std::uint32_t i = order[lo + k];
        e[k] = {order_key(v[i]), with_secondary ? secondary[i] : 0U, i};
        if (k > 0 && sorted)
          sorted = e[k - 1].key < e[k].key || (e[k - 1].key == e[k].key && e[k - 1].second <= e[k].second);
      }
      if (!sorted)
        std::sort(e.begin(), e.end(), [](const Entry& a, const Entry& c) {
          return a.key < c.key || (a.key == c.key && a.second < c.second);
        });
      for (std::size_t i = 0; i < m;) {
        std::size_t j = i + 1;
        while (j < m && e[j].key == e[i].key) ++j;
        const auto rank2 = static_cast<std::uint32_t>(2 * lo + i + j + 1);  // 2 × ((lo+i+1) + (lo+j))/2
        for (std::size_t k = i; k < j; ++k) r2[e[k].index] = rank2;
        sums.ties.add_group(j - i);
        if (with_secondary) {
          for (std::size_t k = i; k < j; ++k) order[lo + k] = e[k].second;  // the bucket is read already
          for (std::size_t a = i; a < j;) {
            std::size_t c = a + 1;
            while (c < j && e[c].second == e[a].second) ++c;
            sums.joint += static_cast<std::uint64_t>(c - a) * (c - a - 1) / 2;
            a = c;
          }
        }
        i = j;
      }
    }
  };
  const std::size_t buckets = start.size() - 1;
  const auto split = static_cast<std::size_t>(
      std::lower_bound(start.begin(), start.end() - 1, static_cast<std::uint32_t>(n / 2)) - start.begin());
  RankSums parts[2];
  run_both(
      parallel, [&] { rank_buckets(0, split, parts[0]); }, [&] { rank_buckets(split, buckets, parts[1]); });
  parts[0].ties.add(parts[1].ties);
  parts[0].joint += parts[1].joint;
  if (by_order == nullptr) std::vector<std::uint32_t>().swap(own);
  return parts[0];
}

/// Strict inversions of a[lo, hi) (pairs i < j with a[i] > a[j]) by a bottom-up merge sort that
/// leaves the range sorted; `buf` is scratch of the same length.
[[nodiscard]] inline std::uint64_t merge_count(std::uint32_t* a, std::uint32_t* buf, std::size_t n) {
  std::uint64_t inv = 0;
  constexpr std::size_t run = 16;  // small runs by insertion sort first, counting the moves
  for (std::size_t lo = 0; lo < n; lo += run) {
    const std::size_t hi = std::min(n, lo + run);
    for (std::size_t i = lo + 1; i < hi; ++i) {
      const std::uint32_t key = a[i];
      std::size_t j = i;
      while (j > lo && a[j - 1] > key) {
        a[j] = a[j - 1];
        --j;
      }
      inv += i - j;
      a[j] = key;
    }
  }
  std::uint32_t* src = a;
  std::uint32_t* dst = buf;
  for (std::size_t width = run; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      const std::size_t mid = std::min(n, lo + width), hi = std::min(n, lo + 2 * width);
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {  // without branches on the data: they are unpredictable
        const std::uint32_t l = src[i], r = src[j];
        const bool right = r < l;
        dst[k++] = right ? r : l;
        inv += right ? mid - i : 0;
        j += right;
        i += !right;
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    std::swap(src, dst);
  }
  if (src != a) std::copy(src, src + n, a);
  return inv;
}

/// Distinct values of a sequence of integers and the rank of each among them (0-based), by a
/// bitmap with a running count per 64-bit word.
class DenseRanks {
 public:
  explicit DenseRanks(std::span<const std::uint32_t> a) {
    const std::uint32_t top = a.empty() ? 0 : *std::max_element(a.begin(), a.end());
    bits_.assign(top / 64 + 1, 0);
    for (const std::uint32_t x : a) bits_[x / 64] |= std::uint64_t{1} << (x % 64);
    before_.resize(bits_.size());
    std::uint32_t total = 0;
    for (std::size_t w = 0; w < bits_.size(); ++w) {
      before_[w] = total;
      total += static_cast<std::uint32_t>(std::popcount(bits_[w]));
    }
    size_ = total;
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::uint32_t operator()(std::uint32_t x) const noexcept {
    const std::uint64_t below = bits_[x / 64] & ((std::uint64_t{1} << (x % 64)) - 1);
    return before_[x / 64] + static_cast<std::uint32_t>(std::popcount(below));
  }

 private:
  std::vector<std::uint64_t> bits_;
  std::vector<std::uint32_t> before_;
  std::size_t size_ = 0;
};

/// Number of pairs i < j with a[i] > a[j] (strict inversions). With at most 2^16 distinct values,
/// a Fenwick tree over their ranks (O(n log m), in cache); else a merge sort (O(n log n)). From
/// 100,000 values the two halves are counted on two threads and the pairs across them after.
[[nodiscard]] inline std::uint64_t count_inversions(std::span<const std::uint32_t> a) {
  const std::size_t n = a.size();
  if (n < 2) return 0;
  const bool parallel = n >= parallel_from;
  const std::size_t mid = n / 2;
  std::uint64_t inv[2] = {0, 0};
  const DenseRanks dense(a);
  const std::size_t m = dense.size();
  if (m <= (std::size_t{1} << 16)) {
    std::vector<std::uint32_t> below_first(m + 1, 0);  // then: values of the first half above each rank
    auto fenwick = [&](std::size_t part, std::size_t lo, std::size_t hi) {
      std::vector<std::uint32_t> tree(m + 1, 0);  // tree[k]: counts of ranks (k - lowbit(k), k]
      std::uint64_t count = 0;
      for (std::size_t i = lo; i < hi; ++i) {
        const std::uint32_t r = dense(a[i]) + 1;  // 1-based
        std::uint64_t at_most = 0;                // seen so far with rank ≤ r
        for (std::uint32_t k = r; k > 0; k &= k - 1) at_most += tree[k];
        count += (i - lo) - at_most;
        for (std::size_t k = r; k <= m; k += k & (~k + 1)) ++tree[k];
      }
      inv[part] = count;
      if (part == 0)
        for (std::size_t i = lo; i < hi; ++i) ++below_first[dense(a[i])];
    };
    run_both(parallel, [&] { fenwick(0, 0, mid); }, [&] { fenwick(1, mid, n); });
    // below_first[r] becomes the number of values of the first half with a rank above r.
    std::uint32_t above = 0;
    for (std::size_t r = m; r-- > 0;) {
      const std::uint32_t here = below_first[r];
      below_first[r] = above;
      above += here;
    }
    std::uint64_t cross[2] = {0, 0};
    const std::size_t q = mid + (n - mid) / 2;
    auto across = [&](std::size_t part, std::size_t lo, std::size_t hi) {
      std::uint64_t c = 0;
      for (std::size_t j = lo; j < hi; ++j) c += below_first[dense(a[j])];
      cross[part] = c;
    };
    run_both(parallel, [&] { across(0, mid, q); }, [&] { across(1, q, n); });
    return inv[0] + inv[1] + cross[0] + cross[1];
  }
  std::vector<std::uint32_t> work(a.begin(), a.end()), buf(n);
  run_both(
      parallel, [&] { inv[0] = merge_count(work.data(), buf.data(), mid); },
      [&] { inv[1] = merge_count(work.data() + mid, buf.data() + mid, n - mid); });
  std::uint64_t cross = 0;  // the two sorted halves: pairs across them
  for (std::size_t i = 0, j = mid; i < mid && j < n;) {
    const bool right = work[j] < work[i];
    cross += right ? mid - i : 0;
    j += right;
    i += !right;
  }
  return inv[0] + inv[1] + cross;
}

}  // namespace detail
}  // namespace trialstats::corr
