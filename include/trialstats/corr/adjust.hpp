// p-values adjusted for multiple comparisons, as R's p.adjust.
//
// References:
//   Holm S (1979). A simple sequentially rejective multiple test procedure. Scand J Stat 6:65-70.
//   Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate. J R Stat Soc B 57:289-300.
//   R 4.2 stats::p.adjust (methods "holm", "BH", "bonferroni").
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/checks.hpp"

namespace trialstats::corr {

enum class Adjust { none, holm, bh, bonferroni };

[[nodiscard]] constexpr std::string_view name(Adjust a) {
  switch (a) {
    case Adjust::none:
      return "none";
    case Adjust::holm:
      return "holm";
    case Adjust::bh:
      return "BH";
    case Adjust::bonferroni:
      return "bonferroni";
  }
  return "";
}

/// Adjusted p-values, in the order of `p` (R: p.adjust(p, method)). NaN entries stay NaN and do not count in m.
/// Holm: p̃_(i) = max_{j ≤ i} min(1, (m-j+1) p_(j)) (ascending order); BH: p̃_(i) = min_{j ≥ i} min(1, m/j p_(j));
/// Bonferroni: min(1, m p).
/// @throws DomainError for a p-value outside [0, 1].
[[nodiscard]] inline std::vector<double> p_adjust(std::span<const double> p, Adjust method) {
  std::vector<double> out(p.begin(), p.end());
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i])) continue;
    require_in_range("p_adjust", fmt::format("p[{}]", i + 1), p[i], 0, 1);
    idx.push_back(i);
  }
  const double m = static_cast<double>(idx.size());
  if (method == Adjust::none || idx.empty()) return out;
  if (method == Adjust::bonferroni) {
    for (std::size_t i : idx) out[i] = std::min(1.0, m * p[i]);
    return out;
  }
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  if (method == Adjust::holm) {
    double running = 0;
    for (std::size_t j = 0; j < idx.size(); ++j) {
      running = std::max(running, std::min(1.0, (m - static_cast<double>(j)) * p[idx[j]]));
      out[idx[j]] = running;
    }
  } else {  // BH
    double running = 1;
    for (std::size_t j = idx.size(); j-- > 0;) {
      running = std::min(running, std::min(1.0, m / static_cast<double>(j + 1) * p[idx[j]]));
      out[idx[j]] = running;
    }
  }
  return out;
}

}  // namespace trialstats::corr
