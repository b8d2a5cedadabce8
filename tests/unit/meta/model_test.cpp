// Properties, limits, warnings and errors of meta::pool (include/trialstats/meta/model.hpp).
// Values against metafor are in tests/reference/meta/model_ref_test.cpp; here the library is checked
// against itself (invariances) and against its documented behaviour.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/model.hpp"

namespace {

using namespace trialstats;
using meta::PoolOptions;
using meta::Tau2Method;
using meta::TestMethod;

// dat.bcg, escalc("RR"): log risk ratios and their sampling variances.
const std::vector<double> bcg_yi{-0.8893113339202054, -1.5853886572014306, -1.3480731482996928, -1.4415511900213054,
                                 -0.2175473222112957, -0.7861155858188968, -1.6208982235983924, 0.0119523335238405,
                                 -0.4694176487381487, -1.3713448034727846, -0.3393588283383343, 0.4459134005713783,
                                 -0.0173139482168798};
const std::vector<double> bcg_vi{0.3255847650039614, 0.1943964813324122, 0.4150273185869645, 0.0200100319812406,
                                 0.0512101721696309, 0.0069056184559088, 0.2230172475723152, 0.0039615792911635,
                                 0.0564342105078645, 0.0730247936130923, 0.0124166238092690, 0.5325058452001528,
                                 0.0714046596133271};

const std::vector<Tau2Method> all_estimators{Tau2Method::ee,  Tau2Method::dl, Tau2Method::he,  Tau2Method::hs,
                                             Tau2Method::hsk, Tau2Method::sj, Tau2Method::ml,  Tau2Method::reml,
                                             Tau2Method::eb,  Tau2Method::pm, Tau2Method::pmm, Tau2Method::genq};

PoolOptions options_for(Tau2Method m, std::size_t k, TestMethod test = TestMethod::z) {
  PoolOptions o;
  o.method = m;
  o.test = test;
  if (m == Tau2Method::genq) o.genq_weights.assign(k, 1.0);
  return o;
}

bool close(double a, double b, double rel = 1e-12, double abs = 1e-14) {
  return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + abs;
}

bool has_warning(const meta::PooledEffect& r, const std::string& code) {
  return std::any_of(r.warnings.begin(), r.warnings.end(), [&](const Warning& w) { return w.code == code; });
}

void check_all_finite(const meta::PooledEffect& r) {
  CHECK(std::isfinite(r.estimate));
  CHECK(std::isfinite(r.se));
  CHECK(std::isfinite(r.p));
  CHECK(std::isfinite(r.ci.lower));
  CHECK(std::isfinite(r.ci.upper));
  CHECK(std::isfinite(r.pi.lower));
  CHECK(std::isfinite(r.pi.upper));
  CHECK(std::isfinite(r.het.q));
  CHECK(std::isfinite(r.het.q_p));
  CHECK(std::isfinite(r.het.tau2));
  CHECK(std::isfinite(r.het.i2));
  CHECK(std::isfinite(r.het.h2));
  for (double w : r.weights) CHECK(std::isfinite(w));
}

}  // namespace

TEST_SUITE("meta::model") {
  TEST_CASE("pool: the result does not depend on the order of the studies") {
    std::vector<std::size_t> idx(bcg_yi.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::mt19937_64 rng(20240601);
    std::shuffle(idx.begin(), idx.end(), rng);
    std::vector<double> y2, v2;
    for (auto i : idx) {
      y2.push_back(bcg_yi[i]);
      v2.push_back(bcg_vi[i]);
    }
    for (Tau2Method m : all_estimators) {
      CAPTURE(meta::name(m));
      const auto a = meta::pool(bcg_yi, bcg_vi, options_for(m, 13, TestMethod::knha));
      const auto b = meta::pool(y2, v2, options_for(m, 13, TestMethod::knha));
      CHECK(close(a.estimate, b.estimate, 1e-10));
      CHECK(close(a.se, b.se, 1e-10));
      CHECK(close(a.het.tau2, b.het.tau2, 1e-9, 1e-15));
      CHECK(close(a.het.q, b.het.q, 1e-12));
      CHECK(close(a.pi.upper, b.pi.upper, 1e-10));
      for (std::size_t j = 0; j < idx.size(); ++j) CHECK(close(a.weights[idx[j]], b.weights[j], 1e-9));
      if (a.het.tau2_ci) CHECK(close(a.het.tau2_ci->upper, b.het.tau2_ci->upper, 1e-10));
    }
  }

  TEST_CASE("pool: rescaling the effects by c rescales estimate by c and tau2 by c², leaving I², Q and p unchanged") {
    const double c = 3.5, shift = 2.0;
    std::vector<double> y2, v2;
    for (std::size_t i = 0; i < bcg_yi.size(); ++i) {
      y2.push_back(c * bcg_yi[i] + shift);
      v2.push_back(c * c * bcg_vi[i]);
    }
    for (Tau2Method m : all_estimators) {
      CAPTURE(meta::name(m));
      const auto a = meta::pool(bcg_yi, bcg_vi, options_for(m, 13));
      const auto b = meta::pool(y2, v2, options_for(m, 13));
      CHECK(close(c * a.estimate + shift, b.estimate, 1e-9));
      CHECK(close(c * a.se, b.se, 1e-9));
      CHECK(close(c * c * a.het.tau2, b.het.tau2, 1e-8, 1e-14));
      CHECK(close(a.het.i2, b.het.i2, 1e-8, 1e-12));
      CHECK(close(a.het.q, b.het.q, 1e-10));
      CHECK(close(c * c * a.het.tau2_ci.value_or(Interval{}).upper, b.het.tau2_ci.value_or(Interval{}).upper, 1e-8));
    }
  }

  TEST_CASE("pool: one study gives its own effect, tau2 = 0 and no heterogeneity test, with a warning") {
    const std::vector<double> y{0.4}, v{0.09};
    for (Tau2Method m : all_estimators) {
      CAPTURE(meta::name(m));
      const auto r = meta::pool(y, v, options_for(m, 1, TestMethod::knha));
      CHECK(r.k == 1);
      CHECK(r.estimate == doctest::Approx(0.4));
      CHECK(r.se == doctest::Approx(0.3));
      CHECK(r.test == TestMethod::z);
      CHECK_FALSE(r.df.has_value());
      CHECK(r.het.tau2 == 0);
      CHECK(r.het.q == 0);
      CHECK(r.het.q_df == 0);
      CHECK(r.het.q_p == 1);
      CHECK(r.het.i2 == 0);
      CHECK(r.het.h2 == 1);
      CHECK_FALSE(r.het.tau2_ci.has_value());
      CHECK(r.pi == r.ci);
      CHECK(r.weights == std::vector<double>{100.0});
      CHECK(has_warning(r, "k_is_1"));
      CHECK(has_warning(r, "test_set_to_z"));
      check_all_finite(r);
    }
    const auto fixed = meta::pool(y, v, {.tau2 = 0.16});
    CHECK(fixed.se == doctest::Approx(0.5));
    CHECK(fixed.method == Tau2Method::fixed);
  }

  TEST_CASE("pool: identical effects give tau2 = 0, Q = 0 and no NaN, including Knapp–Hartung's zero scale") {
    const std::vector<double> v{0.1, 0.2, 0.05, 0.3, 0.15};
    for (double value : {0.25, 0.0}) {
      const std::vector<double> y(v.size(), value);
      for (Tau2Method m : all_estimators) {
        for (TestMethod t : {TestMethod::z, TestMethod::t, TestMethod::knha}) {
          CAPTURE(meta::name(m));
          CAPTURE(meta::name(t));
          const auto r = meta::pool(y, v, options_for(m, v.size(), t));
          CHECK(r.estimate == doctest::Approx(value));
          CHECK(r.het.tau2 == 0);
          CHECK(r.het.q == doctest::Approx(0).epsilon(1e-20));
          CHECK(r.het.i2 == 0);
          if (r.het.tau2_ci) {
            CHECK(r.het.tau2_ci->lower == 0);
            CHECK(r.het.tau2_ci->upper == 0);
          }
          if (t == TestMethod::knha) {
            CHECK(r.se == 0);
            CHECK(has_warning(r, "knha_zero_scale"));
            if (value == 0) {
              CHECK(r.statistic == 0);
              CHECK(r.p == 1);
            } else {
              CHECK(std::isinf(r.statistic));
              CHECK(r.p == 0);
            }
          } else {
            CHECK(std::isfinite(r.statistic));
          }
          CHECK(std::isfinite(r.p));
          CHECK(std::isfinite(r.het.h2));
        }
      }
    }
  }

  TEST_CASE("pool: the common-effect model has tau2 = 0, I² from Q, and a PI equal to the CI") {
    const auto r = meta::pool(bcg_yi, bcg_vi, {.method = Tau2Method::ee});
    CHECK(r.het.tau2 == 0);
    CHECK_FALSE(r.het.tau2_se.has_value());
    CHECK_FALSE(r.het.tau2_ci.has_value());
    CHECK(r.pi == r.ci);
    const double df = 12;
    CHECK(r.het.i2 == doctest::Approx(100 * (r.het.q - df) / r.het.q));
    CHECK(r.het.h2 == doctest::Approx(r.het.q / df));
    const auto knha = meta::pool(bcg_yi, bcg_vi, {.method = Tau2Method::ee, .test = TestMethod::knha});
    CHECK(has_warning(knha, "knha_common_effect"));
  }

  TEST_CASE("pool: I² and H² from Q on request") {
    const auto r = meta::pool(bcg_yi, bcg_vi, {.i2 = meta::I2Definition::q});
    CHECK(r.het.i2 == doctest::Approx(100 * (r.het.q - 12) / r.het.q));
    CHECK(r.het.h2 == doctest::Approx(r.het.q / 12));
    const auto d = meta::pool(bcg_yi, bcg_vi);
    CHECK(d.het.i2 != doctest::Approx(r.het.i2));
  }

  TEST_CASE("pool: weights are percentages and study CIs use the normal quantile") {
    const auto r = meta::pool(bcg_yi, bcg_vi, {.level = 0.9});
    CHECK(std::accumulate(r.weights.begin(), r.weights.end(), 0.0) == doctest::Approx(100));
    const double z = 1.6448536269514722;
    for (std::size_t i = 0; i < bcg_yi.size(); ++i) {
      CHECK(r.study_ci[i].lower == doctest::Approx(bcg_yi[i] - z * std::sqrt(bcg_vi[i])));
      CHECK(r.study_ci[i].upper == doctest::Approx(bcg_yi[i] + z * std::sqrt(bcg_vi[i])));
    }
    const auto r95 = meta::pool(bcg_yi, bcg_vi);
    CHECK((r.ci.upper - r.ci.lower) / (r95.ci.upper - r95.ci.lower) == doctest::Approx(z / 1.959963984540054));
  }

  TEST_CASE("pool: ML and REML stop at a vanishing score, not at metafor's looser rule") {
    for (Tau2Method m : {Tau2Method::ml, Tau2Method::reml}) {
      CAPTURE(meta::name(m));
      const auto r = meta::pool(bcg_yi, bcg_vi, {.method = m});
      REQUIRE(r.converged);
      CHECK(r.iterations >= 1);
      CHECK(r.iterations < 20);
      const auto s = meta::detail::profile_sums(bcg_yi, bcg_vi, r.het.tau2);
      const double score = m == Tau2Method::reml ? s.reml_score() : s.ml_score();
      const double fisher = m == Tau2Method::reml ? s.reml_fisher() : s.ml_fisher();
      CHECK(std::abs(score / fisher) <= 1e-9 * r.het.tau2);
      // metafor's default rule (|Δtau²| < 1e-5) stops short of the optimum.
      const auto mf = meta::pool(bcg_yi, bcg_vi, {.method = m, .threshold = 1e-5, .metafor_stopping = true});
      CHECK(std::abs(mf.het.tau2 - r.het.tau2) > 1e-9);
      CHECK(std::abs(mf.het.tau2 - r.het.tau2) < 1e-4);
    }
  }

  TEST_CASE("pool: EB and PM solve the same equation for an intercept-only model") {
    const auto eb = meta::pool(bcg_yi, bcg_vi, {.method = Tau2Method::eb});
    const auto pm = meta::pool(bcg_yi, bcg_vi, {.method = Tau2Method::pm});
    CHECK(eb.het.tau2 == pm.het.tau2);
    const auto s = meta::detail::profile_sums(bcg_yi, bcg_vi, pm.het.tau2);
    CHECK(s.q == doctest::Approx(12).epsilon(1e-12));
  }

  TEST_CASE("pool: a fixed tau2 is used as given, with no SE and no CI") {
    const auto r = meta::pool(bcg_yi, bcg_vi, {.tau2 = 0.1});
    CHECK(r.method == Tau2Method::fixed);
    CHECK(r.het.tau2 == 0.1);
    CHECK_FALSE(r.het.tau2_se.has_value());
    CHECK_FALSE(r.het.tau2_ci.has_value());
    const auto t2 = meta::pool(bcg_yi, bcg_vi, {.tau2 = 0.1, .pi = meta::PiMethod::t_k_minus_2});
    CHECK(t2.pi_df == 12);  // tau² not estimated: k − 1
  }

  TEST_CASE("pool: the t_{k-2} prediction interval, and its 1-df floor for k = 2") {
    const auto r = meta::pool(bcg_yi, bcg_vi, {.pi = meta::PiMethod::t_k_minus_2});
    CHECK(r.pi_df == 11);
    CHECK(r.pi.upper - r.pi.lower > meta::pool(bcg_yi, bcg_vi).pi.upper - meta::pool(bcg_yi, bcg_vi).pi.lower);
    const std::vector<double> y{0.1, 0.9}, v{0.04, 0.05};
    const auto k2 = meta::pool(y, v, {.pi = meta::PiMethod::t_k_minus_2});
    CHECK(k2.pi_df == 1);
    CHECK(has_warning(k2, "pi_df_below_1"));
    check_all_finite(k2);
    const auto z = meta::pool(y, v);
    CHECK_FALSE(z.pi_df.has_value());
    const auto t = meta::pool(y, v, {.test = TestMethod::t});
    CHECK(t.pi_df == 1);
    CHECK(t.df == 1);
  }

  TEST_CASE("pool: a Q-profile bound beyond the search interval is set to its end, with a warning") {
    const std::vector<double> y{-100, 100}, v{0.01, 0.01};
    const auto r = meta::pool(y, v, {.method = Tau2Method::dl});
    REQUIRE(r.het.tau2_ci.has_value());
    CHECK(r.het.tau2_ci->upper == doctest::Approx(10 * r.het.tau2));
    CHECK(has_warning(r, "tau2_ci_at_search_limit"));
    CHECK(r.het.tau2_ci->lower > 0);
  }

  TEST_CASE("pool: non-convergence falls back in order with a warning, or throws with remedies") {
    const PoolOptions one_step{.method = Tau2Method::reml, .max_iter = 1};
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(bcg_yi, bcg_vi, one_step)),
                         "pool: REML did not converge after 1 iterations; remedies: a larger --max-iter, a smaller "
                         "--step-adj (e.g. 0.5), or --fallback DL",
                         NoResultError);
    PoolOptions with_fallback = one_step;
    with_fallback.fallback = {Tau2Method::ml, Tau2Method::dl};
    const auto r = meta::pool(bcg_yi, bcg_vi, with_fallback);
    CHECK(r.method == Tau2Method::dl);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] ==
          Warning{"tau2_not_converged", "REML did not converge after 1 iterations, nor did ML; fell back to DL"});
    const auto dl = meta::pool(bcg_yi, bcg_vi, {.method = Tau2Method::dl});
    CHECK(r.het.tau2 == dl.het.tau2);
    CHECK(r.estimate == dl.estimate);
    PoolOptions none_works = one_step;
    none_works.fallback = {Tau2Method::ml};
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(bcg_yi, bcg_vi, none_works)),
                         "pool: REML did not converge after 1 iterations, nor did ML; remedies: a larger --max-iter, "
                         "a smaller --step-adj (e.g. 0.5), or --fallback DL",
                         NoResultError);
  }

  TEST_CASE("pool: REML converges for 100,000 studies") {
    std::mt19937_64 rng(7);
    std::vector<double> y, v;
    for (int i = 0; i < 100000; ++i) {
      const double u1 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53;
      const double u2 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53;
      v.push_back(0.01 + 0.2 * u1);
      y.push_back(0.3 + (u2 - 0.5));
    }
    const auto r = meta::pool(y, v);
    CHECK(r.converged);
    CHECK(r.het.tau2 > 0);
    REQUIRE(r.het.tau2_ci.has_value());
    // The Q-profile interval is built around Q(tau²) = k − 1, i.e. it always contains the PM estimate
    // (with uniform, not normal, deviations REML and PM differ by more than the interval's width).
    const auto pm = meta::pool(y, v, {.method = Tau2Method::pm});
    CHECK(r.het.tau2_ci->lower < pm.het.tau2);
    CHECK(r.het.tau2_ci->upper > pm.het.tau2);
    CHECK(pm.het.tau2_ci == r.het.tau2_ci);
  }

  TEST_CASE("pool: every bad input throws with its type and message") {
    const std::vector<double> y3{0.1, 0.2, 0.3}, v3{0.1, 0.1, 0.1}, v2{0.1, 0.1};
    const std::vector<double> none;
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(none, none)), "pool: no studies to pool", NoResultError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v2)),
                         "pool: yi has 3 values but vi has 2; they must be the same size", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, std::vector<double>{0.1, -0.2, 0.1})),
                         "pool: variance of study 2 is -0.2, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, std::vector<double>{0.1, 0.1, 0})),
                         "pool: variance of study 3 is 0, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, std::vector<double>{INFINITY, 0.1, 0.1})),
                         "pool: variance of study 1 is inf, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, std::vector<double>{0.1, NAN, 0.1})),
                         "pool: variance of study 2 is nan, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(std::vector<double>{0.1, -INFINITY, 0.3}, v3)),
                         "pool: effect of study 2 is -inf, but must be finite", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(std::vector<double>{NAN, 0.1, 0.3}, v3)),
                         "pool: effect of study 1 is nan, but must be finite", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, {.level = 95})),
                         "pool: level is 95, but must be between 0 and 1 (exclusive)", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, {.level = 0})),
                         "pool: level is 0, but must be between 0 and 1 (exclusive)", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, {.threshold = 0})),
                         "pool: threshold is 0, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, {.max_iter = 0})),
                         "pool: max_iter is 0, but must be at least 1", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, {.step_adj = -1})),
                         "pool: step_adj is -1, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, {.tau2 = -0.5})),
                         "pool: the fixed tau² is -0.5, but must be non-negative", DomainError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, {.method = Tau2Method::fixed})),
                         "pool: method 'fixed' needs a tau² value (PoolOptions::tau2)", UsageError);
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, {.method = Tau2Method::genq})),
                         "pool: method GENQ needs weights (PoolOptions::genq_weights, one per study)", UsageError);
    PoolOptions genq{.method = Tau2Method::genq};
    genq.genq_weights = {1, 2};
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, genq)),
                         "pool: genq_weights has 2 values but yi has 3; they must be the same size", DomainError);
    genq.genq_weights = {1, 0, 2};
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, genq)),
                         "pool: GENQ weight of study 2 is 0, but must be positive", DomainError);
    PoolOptions fb;
    fb.fallback = {Tau2Method::fixed};
    CHECK_THROWS_WITH_AS(static_cast<void>(meta::pool(y3, v3, fb)),
                         "pool: 'fixed' cannot be a fallback; give the tau² value instead", UsageError);
  }

  TEST_CASE("name and parse_tau2_method round-trip metafor's spellings") {
    for (Tau2Method m : all_estimators) CHECK(meta::parse_tau2_method(meta::name(m)) == m);
    CHECK(meta::name(Tau2Method::hsk) == "HSk");
    CHECK(meta::parse_tau2_method("reml") == Tau2Method::reml);
    CHECK(meta::parse_tau2_method("FE") == Tau2Method::ee);
    CHECK(meta::parse_tau2_method("CE") == Tau2Method::ee);
    CHECK(meta::parse_tau2_method("fixed") == Tau2Method::fixed);
    CHECK_FALSE(meta::parse_tau2_method("REMLX").has_value());
    for (TestMethod t : {TestMethod::z, TestMethod::t, TestMethod::knha})
      CHECK(meta::parse_test_method(meta::name(t)) == t);
    CHECK(meta::parse_test_method("HKSJ") == TestMethod::knha);
    CHECK_FALSE(meta::parse_test_method("wald").has_value());
  }
}
