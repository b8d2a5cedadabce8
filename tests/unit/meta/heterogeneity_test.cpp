// Q, the typical within-study variance, I² and H² (include/trialstats/meta/heterogeneity.hpp).
#include <doctest/doctest.h>

#include <vector>

#include "trialstats/meta/heterogeneity.hpp"

using namespace trialstats;

TEST_SUITE("meta::heterogeneity") {
  TEST_CASE("cochran_q: the inverse-variance weighted sum of squares around the weighted mean") {
    const std::vector<double> y{0.1, 0.5, 0.9, 1.3}, v(4, 0.05);
    CHECK(meta::cochran_q(y, v) == doctest::Approx(16).epsilon(1e-14));
    const std::vector<double> y2{1, 3}, v2{1, 3};  // weighted mean 1.5: 0.25/1 + 2.25/3
    CHECK(meta::cochran_q(y2, v2) == doctest::Approx(1.0).epsilon(1e-14));
  }

  TEST_CASE("typical_variance: equals the common variance when all are equal") {
    const std::vector<double> v(7, 0.3);
    CHECK(meta::typical_variance(v) == doctest::Approx(0.3).epsilon(1e-14));
    const std::vector<double> v2{1, 3};  // (k − 1)Σw/((Σw)² − Σw²) = (4/3)/(16/9 − 10/9) = 2
    CHECK(meta::typical_variance(v2) == doctest::Approx(2).epsilon(1e-14));
  }

  TEST_CASE("I² and H²: from tau² and from Q, 0 rather than negative") {
    CHECK(meta::i2_from_tau2(0.5, 0.5) == doctest::Approx(50));
    CHECK(meta::h2_from_tau2(0.5, 0.5) == doctest::Approx(2));
    CHECK(meta::i2_from_tau2(0, 0.5) == 0);
    CHECK(meta::i2_from_q(16, 3) == doctest::Approx(81.25));
    CHECK(meta::h2_from_q(16, 3) == doctest::Approx(16.0 / 3));
    CHECK(meta::i2_from_q(2, 3) == 0);
    CHECK(meta::i2_from_q(0, 3) == 0);
  }
}
