// The exact null distribution of Kendall's statistic without ties, shared by Kendall's tau (corr/) and
// Begg and Mazumdar's rank correlation test (meta/bias).
//
// Reference: Kendall MG (1938). A new measure of rank correlation. Biometrika 30:81–93; the number of
// inversions of a random permutation, built one element at a time.
#pragma once

#include <cstddef>
#include <vector>

namespace trialstats::stats {

/// P(T = t), t = 0 … n(n−1)/2, for the number of inversions (discordant pairs) of a random permutation
/// of n untied elements.
[[nodiscard]] inline std::vector<double> kendall_null(std::size_t n) {
  std::vector<double> f{1.0}, g;
  for (std::size_t m = 2; m <= n; ++m) {  // the m-th element adds 0 … m−1 inversions
    g.assign(f.size() + m - 1, 0.0);
    double window = 0;
    for (std::size_t t = 0; t < g.size(); ++t) {
      if (t < f.size()) window += f[t];
      if (t >= m && t - m < f.size()) window -= f[t - m];
      g[t] = window / static_cast<double>(m);
    }
    f.swap(g);
  }
  return f;
}

}  // namespace trialstats::stats
