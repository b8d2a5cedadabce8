// Properties of the permutation tests: reproducibility for a seed whatever the number of threads,
// exact enumeration counts, the random index function (values against metafor are in
// tests/reference/meta/permutation_ref_test.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/permutation.hpp"

namespace {

using namespace trialstats;

const std::vector<double> yi{-0.889, -1.585, -1.348, -1.442, -0.218, -0.786, -1.621,
                             0.012,  -0.469, -1.371, -0.339, 0.446,  -0.017};
const std::vector<double> vi{0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223, 0.004, 0.056, 0.073, 0.012, 0.533, 0.071};
const std::vector<double> ablat{44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};

meta::Design design() {
  return meta::build_design(std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}}, yi.size());
}

}  // namespace

TEST_SUITE("meta::permutation") {
  TEST_CASE("permutation_test: the same seed gives the same p-values on 1 and 2 threads") {
    // Designs of 1, 2 and 3 columns: the refits are compiled for 1 and 2 columns and for any number.
    const std::vector<double> year{48, 49, 60, 77, 73, 53, 73, 80, 68, 61, 74, 69, 76};
    const std::vector<meta::Design> designs{
        meta::build_design(std::vector<meta::Moderator>{}, yi.size()), design(),
        meta::build_design(
            std::vector<meta::Moderator>{{.name = "ablat", .numbers = ablat}, {.name = "year", .numbers = year}},
            yi.size())};
    for (const auto& d : designs) {
      CAPTURE(d.x.cols());
      const auto a = meta::permutation_test(yi, vi, d, {}, {.iterations = 300, .seed = 9, .threads = 1});
      // parallel_after 0: the second thread starts whatever the first block took.
      const auto b =
          meta::permutation_test(yi, vi, d, {}, {.iterations = 300, .seed = 9, .threads = 2, .parallel_after = {}});
      CHECK_FALSE(a.exact);
      CHECK(a.permutations == 300);
      CHECK(a.p == b.p);
      CHECK(a.qm_p == b.qm_p);
    }
  }

  TEST_CASE("permutation_test: p-values are counts over the permutations, the observed data included") {
    const auto t = meta::permutation_test(yi, vi, design(), {}, {.iterations = 200, .seed = 1});
    for (double p : t.p) {
      CHECK(p >= 1.0 / 200);
      CHECK(std::abs(p * 200 - std::round(p * 200)) < 1e-9);
    }
  }

  TEST_CASE("distinct_permutations: k!/prod m! for repeated rows, 2^k sign flips without moderators") {
    CHECK(meta::distinct_permutations(design()) ==
          doctest::Approx(13.0 * 12 * 11 * 10 * 9 * 8 * 7 * 6 * 5 * 4 * 3 / 8));
    const meta::Design only{Eigen::MatrixXd::Ones(5, 1), {"intrcpt"}, true};
    CHECK(meta::distinct_permutations(only) == 32);
  }

  TEST_CASE("permutation_test: an intercept-only model enumerates every sign flip when exact") {
    const meta::Design only{Eigen::MatrixXd::Ones(6, 1), {"intrcpt"}, true};
    const std::vector<double> y{0.1, 0.4, 0.3, 0.5, 0.2, 0.6}, v(6, 0.04);
    const auto t = meta::permutation_test(y, v, only, {.method = meta::Tau2Method::dl}, {.iterations = 1000});
    CHECK(t.exact);
    CHECK(t.permutations == 64);
    CHECK(t.p[0] == doctest::Approx(2.0 / 64));  // all signs + or all − reach |z| of the data
  }

  TEST_CASE("permutation_test: fewer than 2 iterations is an error") {
    CHECK_THROWS_WITH_AS((void)meta::permutation_test(yi, vi, design(), {}, {.iterations = 1}),
                         "permutation_test: iterations is 1, but must be at least 2", DomainError);
  }
}
