// Properties, limits and errors of Mantel–Haenszel and Peto pooling (values against metafor are in
// tests/reference/meta/binary_pooling_ref_test.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/binary_pooling.hpp"

namespace {

using namespace trialstats;
using meta::MhMeasure;

struct Data {
  std::vector<double> a, b, c, d;
  [[nodiscard]] meta::Tables2x2 tables() const { return {a, b, c, d}; }
};

// Five trials of dat.bcg (tpos, tneg, cpos, cneg) and one trial with a zero cell.
Data sample() {
  return {{4, 6, 3, 62, 33, 0},
          {119, 300, 228, 13536, 5036, 25},
          {11, 29, 11, 248, 47, 3},
          {128, 274, 209, 12619, 5761, 22}};
}

Data permuted(const Data& x, const std::vector<std::size_t>& order) {
  Data y;
  for (std::size_t i : order) {
    y.a.push_back(x.a[i]);
    y.b.push_back(x.b[i]);
    y.c.push_back(x.c[i]);
    y.d.push_back(x.d[i]);
  }
  return y;
}

meta::BinaryPoolingOptions with(MhMeasure m) {
  meta::BinaryPoolingOptions o;
  o.measure = m;
  return o;
}

bool close(double x, double y, double rel = 1e-12) {
  return std::abs(x - y) <= rel * std::max(1.0, std::abs(y));
}

}  // namespace

TEST_SUITE("meta::binary_pooling") {
  TEST_CASE("mantel_haenszel: one table gives the table's own estimate and Woolf / Katz / Wald variance") {
    const Data x{{7}, {13}, {3}, {27}};
    const auto o = meta::mantel_haenszel(x.tables(), with(MhMeasure::odds_ratio));
    CHECK(close(o.estimate, std::log(7.0 * 27 / (13.0 * 3))));
    CHECK(close(o.se * o.se, 1 / 7.0 + 1 / 13.0 + 1 / 3.0 + 1 / 27.0));
    const auto r = meta::mantel_haenszel(x.tables(), with(MhMeasure::risk_ratio));
    CHECK(close(r.estimate, std::log((7.0 / 20) / (3.0 / 30))));
    CHECK(close(r.se * r.se, 1 / 7.0 - 1 / 20.0 + 1 / 3.0 - 1 / 30.0));
    const auto d = meta::mantel_haenszel(x.tables(), with(MhMeasure::risk_difference));
    CHECK(close(d.estimate, 7.0 / 20 - 3.0 / 30));
    CHECK(close(d.se * d.se, 0.35 * 0.65 / 20 + 0.1 * 0.9 / 30));
    // k = 1: Q is 0 with p = 1, I² = 0, H² = 1, and a warning says so.
    CHECK(o.k == 1);
    CHECK(o.het.q == 0);
    CHECK(o.het.q_df == 0);
    CHECK(o.het.q_p == 1);
    CHECK(o.het.i2 == 0);
    CHECK(o.het.h2 == 1);
    CHECK(std::any_of(o.warnings.begin(), o.warnings.end(), [](const Warning& w) { return w.code == "q_undefined"; }));
    REQUIRE(o.weights.size() == 1);
    CHECK(o.weights[0] == doctest::Approx(100));
  }

  TEST_CASE("mantel_haenszel: CMH test of one table is the hypergeometric score test (O - E)^2 / V") {
    // O = 7, E = 10 * 20 / 50 = 4, V = 10 * 40 * 20 * 30 / (50^2 * 49) = 96 / 49.
    const Data x{{7}, {13}, {3}, {27}};
    const auto o = meta::mantel_haenszel(x.tables(), with(MhMeasure::odds_ratio));
    REQUIRE(o.cmh.has_value());
    REQUIRE(o.cmh_uncorrected.has_value());
    CHECK(close(o.cmh->statistic, 2.5 * 2.5 * 49 / 96));
    CHECK(close(o.cmh_uncorrected->statistic, 9.0 * 49 / 96));
    CHECK(o.cmh->df == 1);
    // Tarone / Breslow–Day with one informative table: statistic 0, df 0, no p-value.
    REQUIRE(o.tarone.has_value());
    CHECK(o.tarone->df == 0);
    CHECK_FALSE(o.tarone->p.has_value());
    CHECK(std::any_of(o.warnings.begin(), o.warnings.end(),
                      [](const Warning& w) { return w.code == "tarone_undefined"; }));
  }

  TEST_CASE("peto: one table gives (O - E) / V with SE 1 / sqrt(V)") {
    const Data x{{7}, {13}, {3}, {27}};
    const auto p = meta::peto(x.tables());
    CHECK(close(p.estimate, 3.0 * 49 / 96));
    CHECK(close(p.se, std::sqrt(49.0 / 96)));
    CHECK(p.k == 1);
    CHECK(p.k_pos == 1);
    CHECK(p.het.q_p == 1);
  }

  TEST_CASE("mantel_haenszel and peto: results do not depend on the order of the studies") {
    const Data x = sample();
    const std::vector<std::size_t> order{5, 2, 0, 4, 1, 3};
    const Data y = permuted(x, order);
    for (MhMeasure m : {MhMeasure::odds_ratio, MhMeasure::risk_ratio, MhMeasure::risk_difference}) {
      CAPTURE(meta::name(m));
      const auto r1 = meta::mantel_haenszel(x.tables(), with(m));
      const auto r2 = meta::mantel_haenszel(y.tables(), with(m));
      CHECK(close(r1.estimate, r2.estimate));
      CHECK(close(r1.se, r2.se));
      CHECK(close(r1.het.q, r2.het.q, 1e-10));
      CHECK(r1.k_yi == r2.k_yi);
      for (std::size_t j = 0; j < order.size(); ++j) CHECK(close(r2.weights[j], r1.weights[order[j]]));
      if (m == MhMeasure::odds_ratio) {
        CHECK(close(r1.cmh->statistic, r2.cmh->statistic));
        CHECK(close(r1.tarone->statistic, r2.tarone->statistic, 1e-9));
      }
    }
    const auto p1 = meta::peto(x.tables());
    const auto p2 = meta::peto(y.tables());
    CHECK(close(p1.estimate, p2.estimate));
    CHECK(close(p1.het.q, p2.het.q, 1e-10));
  }

  TEST_CASE("mantel_haenszel and peto: swapping the two groups negates the estimate") {
    const Data x = sample();
    const Data swapped{x.c, x.d, x.a, x.b};
    for (MhMeasure m : {MhMeasure::odds_ratio, MhMeasure::risk_ratio, MhMeasure::risk_difference}) {
      CAPTURE(meta::name(m));
      const auto r1 = meta::mantel_haenszel(x.tables(), with(m));
      const auto r2 = meta::mantel_haenszel(swapped.tables(), with(m));
      CHECK(close(r2.estimate, -r1.estimate));
      CHECK(close(r2.ci.lower, -r1.ci.upper));
      CHECK(close(r2.p, r1.p, 1e-10));
      CHECK(close(r2.het.q, r1.het.q, 1e-10));
    }
    const auto o1 = meta::mantel_haenszel(x.tables());
    const auto o2 = meta::mantel_haenszel(swapped.tables());
    CHECK(close(o2.se, o1.se));
    CHECK(close(o2.cmh->statistic, o1.cmh->statistic));
    CHECK(close(o2.tarone->statistic, o1.tarone->statistic, 1e-9));
    const auto p1 = meta::peto(x.tables());
    const auto p2 = meta::peto(swapped.tables());
    CHECK(close(p2.estimate, -p1.estimate));
    CHECK(close(p2.se, p1.se));
  }

  TEST_CASE("mantel_haenszel: swapping events and non-events negates the log odds ratio") {
    const Data x = sample();
    const Data flipped{x.b, x.a, x.d, x.c};
    const auto r1 = meta::mantel_haenszel(x.tables());
    const auto r2 = meta::mantel_haenszel(flipped.tables());
    CHECK(close(r2.estimate, -r1.estimate));
    CHECK(close(r2.se, r1.se));
  }

  TEST_CASE("mantel_haenszel: a table without events leaves OR and RR unchanged and is dropped from Q") {
    const Data x = sample();
    Data y = x;
    y.a.push_back(0);
    y.b.push_back(50);
    y.c.push_back(0);
    y.d.push_back(40);
    for (MhMeasure m : {MhMeasure::odds_ratio, MhMeasure::risk_ratio}) {
      const auto r1 = meta::mantel_haenszel(x.tables(), with(m));
      const auto r2 = meta::mantel_haenszel(y.tables(), with(m));
      CHECK(close(r2.estimate, r1.estimate));
      CHECK(close(r2.se, r1.se));
      CHECK(close(r2.het.q, r1.het.q));
      CHECK(r2.k == r1.k + 1);    // still in the pool (metafor), contributing nothing
      CHECK(r2.k_yi == r1.k_yi);  // but without an outcome
      CHECK_FALSE(r2.yi.back().has_value());
      CHECK(r2.weights.back() == 0);
      CHECK(std::any_of(r2.warnings.begin(), r2.warnings.end(),
                        [](const Warning& w) { return w.code == "double_zero_dropped"; }));
    }
    // The zero-cell trial of the sample got 1/2 added for its outcome, and a warning says so.
    const auto r = meta::mantel_haenszel(x.tables());
    CHECK(r.yi.back().has_value());
    CHECK(close(*r.yi.back(), std::log(0.5 / 25.5) - std::log(3.5 / 22.5)));  // 0/25 vs 3/22, plus 1/2
    CHECK(std::any_of(r.warnings.begin(), r.warnings.end(),
                      [](const Warning& w) { return w.code == "zero_cell_corrected"; }));
  }

  TEST_CASE("mantel_haenszel: dropping double-zero tables from the pool sets their weight to 0") {
    Data y = sample();
    y.a.push_back(0);
    y.b.push_back(50);
    y.c.push_back(0);
    y.d.push_back(40);
    auto o = with(MhMeasure::risk_difference);
    const auto kept = meta::mantel_haenszel(y.tables(), o);
    o.tables.drop00 = true;
    const auto dropped = meta::mantel_haenszel(y.tables(), o);
    CHECK(kept.weights.back() > 0);  // a double-zero table pulls the RD towards 0
    CHECK(dropped.weights.back() == 0);
    CHECK(dropped.k == kept.k - 1);
    CHECK(std::abs(dropped.estimate) > std::abs(kept.estimate));
  }

  TEST_CASE("mantel_haenszel and peto: the confidence level widens the interval") {
    const Data x = sample();
    auto o = with(MhMeasure::odds_ratio);
    o.level = 0.99;
    const auto r99 = meta::mantel_haenszel(x.tables(), o);
    const auto r95 = meta::mantel_haenszel(x.tables());
    CHECK(r99.ci.upper - r99.ci.lower > r95.ci.upper - r95.ci.lower);
    CHECK(close((r99.ci.upper - r99.estimate) / r99.se, 2.5758293035489004, 1e-12));
  }

  TEST_CASE("mantel_haenszel and peto: invalid input throws DomainError with a message naming the value") {
    const std::vector<double> a{4, 6}, b{119, 300}, c{11, 29}, d{128, 274};
    const std::vector<double> neg{4, -1}, nan{4, std::numeric_limits<double>::quiet_NaN()}, short_{4};
    const std::vector<double> zero{0, 0}, empty;
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({neg, b, c, d}),
                         "mantel_haenszel: ai of study 2 is -1, but must be non-negative", DomainError);
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({a, b, c, nan}),
                         "mantel_haenszel: di of study 2 is nan, but must be non-negative", DomainError);
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({a, short_, c, d}),
                         "mantel_haenszel: ai has 2 values but bi has 1; they must be the same size", DomainError);
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({empty, empty, empty, empty}),
                         "mantel_haenszel: number of studies is 0, but must be at least 1", DomainError);
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({a, b, zero, zero}),
                         "mantel_haenszel: group 2 size (ci + di) of study 1 is 0, but must be positive", DomainError);
    CHECK_THROWS_WITH_AS(meta::peto({zero, zero, c, d}),
                         "peto: group 1 size (ai + bi) of study 1 is 0, but must be positive", DomainError);
    meta::BinaryPoolingOptions o;
    o.level = 95;
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({a, b, c, d}, o), "mantel_haenszel: level is 95, but must be in (0, 1)",
                         DomainError);
    o.level = 0.95;
    o.outcomes.add = -0.5;
    CHECK_THROWS_WITH_AS(meta::peto({a, b, c, d}, o), "peto: add (outcomes) is -0.5, but must be non-negative",
                         DomainError);
    o.outcomes.add = 0.5;
    o.tables.add = -1;
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({a, b, c, d}, o),
                         "mantel_haenszel: add (tables) is -1, but must be non-negative", DomainError);
  }

  TEST_CASE("mantel_haenszel and peto: estimates that do not exist throw NoResultError") {
    const std::vector<double> zero{0, 0}, b{10, 20}, c{3, 4}, d{7, 16}, n{10, 20};
    // No events in group 1: the odds ratio and risk ratio are 0, their logarithms do not exist.
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({zero, b, c, d}),
                         "mantel_haenszel: the pooled odds ratio is 0 and its logarithm does not exist (sum of "
                         "ai*di/n is 0)",
                         NoResultError);
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({zero, b, c, d}, with(MhMeasure::risk_ratio)),
                         "mantel_haenszel: the pooled risk ratio is 0 and its logarithm does not exist (no events "
                         "in group 1)",
                         NoResultError);
    // No events in group 2.
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({c, d, zero, b}),
                         "mantel_haenszel: the pooled odds ratio is infinite (sum of bi*ci/n is 0)", NoResultError);
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({c, d, zero, b}, with(MhMeasure::risk_ratio)),
                         "mantel_haenszel: the pooled risk ratio is infinite (no events in group 2)", NoResultError);
    // No events at all: the risk difference is 0 with variance 0.
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({zero, n, zero, n}, with(MhMeasure::risk_difference)),
                         "mantel_haenszel: the variance of the pooled RD is 0, so no test or interval exists",
                         NoResultError);
    CHECK_THROWS_WITH_AS(meta::peto({zero, n, zero, n}),
                         "peto: one of the two outcomes never occurs in any table, so Peto's method cannot be used",
                         NoResultError);
    // Every table dropped from the pool.
    meta::BinaryPoolingOptions o;
    o.tables.drop00 = true;
    CHECK_THROWS_WITH_AS(meta::mantel_haenszel({zero, n, zero, n}, o),
                         "mantel_haenszel: every table was dropped (no events, or only events, in both groups)",
                         NoResultError);
    CHECK_THROWS_WITH_AS(meta::peto({zero, n, zero, n}, o),
                         "peto: every table was dropped (no events, or only events, in both groups)", NoResultError);
  }

  TEST_CASE("name: metafor's spelling of the MH measures") {
    CHECK(meta::name(MhMeasure::odds_ratio) == "OR");
    CHECK(meta::name(MhMeasure::risk_ratio) == "RR");
    CHECK(meta::name(MhMeasure::risk_difference) == "RD");
  }
}
