#include <cmath>
#include <string>

#include <doctest/doctest.h>

#include "trialstats/effect/measure.hpp"

using namespace trialstats;
using namespace trialstats::effect;

TEST_SUITE("effect::measure") {
  TEST_CASE("info: the registry is indexed by the enum and uses metafor's names") {
    CHECK(measures().size() == 20);
    for (const auto& m : measures()) {
      CHECK(info(m.measure).name == m.name);
      CHECK_FALSE(m.description.empty());
      CHECK_FALSE(m.roles.empty());
    }
    CHECK(name(Measure::or_) == "OR");
    CHECK(name(Measure::smd) == "SMD");
    CHECK(info(Measure::smcr).roles.size() == 5);  // sd2i is not needed
    CHECK(info(Measure::rr).alt_roles[1] == "n1i");
    CHECK(info(Measure::gen).alt_roles[1] == "sei");
  }

  TEST_CASE("parse_measure: case-insensitive, nullopt for unknown names") {
    CHECK(parse_measure("smd") == Measure::smd);
    CHECK(parse_measure("SmDh") == Measure::smdh);
    CHECK(parse_measure("OR") == Measure::or_);
    CHECK(parse_measure("or_") == std::nullopt);
    CHECK(parse_measure("") == std::nullopt);
    CHECK(parse_measure("SMD ") == std::nullopt);
    for (const auto& m : measures()) CHECK(parse_measure(m.name) == m.measure);
  }

  TEST_CASE("default_add: 1/2, but 0 for PAS and PFT (metafor 3.8)") {
    CHECK(default_add(Measure::rr) == 0.5);
    CHECK(default_add(Measure::peto) == 0.5);
    CHECK(default_add(Measure::pr) == 0.5);
    CHECK(default_add(Measure::pas) == 0.0);
    CHECK(default_add(Measure::pft) == 0.0);
    CHECK(effective_add({.measure = Measure::pft, .add = 0.25}) == 0.25);
  }

  TEST_CASE("wald_interval: symmetric around yi with the normal quantile") {
    const Interval ci = wald_interval(1.0, 0.04, 0.95);
    CHECK(ci.lower == doctest::Approx(1 - 1.959963984540054 * 0.2).epsilon(1e-14));
    CHECK(ci.upper == doctest::Approx(1 + 1.959963984540054 * 0.2).epsilon(1e-14));
    CHECK_THROWS_WITH_AS((void)wald_interval(0, 1, 95), "wald_interval: level is 95, but must be in (0, 1)",
                         DomainError);
  }

  TEST_CASE("back_transform: exp, tanh, inverse logit, inverse arcsine, identity") {
    CHECK(back_transform(Measure::rr, std::log(0.5)) == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(back_transform(Measure::irr, 0) == 1);
    CHECK(back_transform(Measure::zcor, std::atanh(0.3)) == doctest::Approx(0.3).epsilon(1e-15));
    CHECK(back_transform(Measure::plo, std::log(0.25 / 0.75)) == doctest::Approx(0.25).epsilon(1e-15));
    CHECK(back_transform(Measure::pas, std::asin(std::sqrt(0.3))) == doctest::Approx(0.3).epsilon(1e-15));
    CHECK(back_transform(Measure::pas, -0.1) == 0);  // clamped as transf.iarcsin
    CHECK(back_transform(Measure::pas, 2.0) == 1);
    CHECK(back_transform(Measure::smd, 0.7) == 0.7);
    CHECK(info(Measure::rr).scale == Scale::ratio);
    CHECK(name(info(Measure::zcor).scale) == "correlation");
    CHECK_THROWS_WITH_AS((void)back_transform(Measure::pft, 0.5),
                         "back_transform: PFT needs a sample size; use inverse_freeman_tukey(y, n)", DomainError);
  }

  TEST_CASE("inverse_freeman_tukey: inverts the double arcsine transform for the same n") {
    for (const double n : {5.0, 17.0, 250.0})
      for (const double p : {0.0, 0.1, 0.5, 0.93, 1.0}) {
        const double x = p * n;
        const double y = 0.5 * (std::asin(std::sqrt(x / (n + 1))) + std::asin(std::sqrt((x + 1) / (n + 1))));
        CHECK(inverse_freeman_tukey(y, n) == doctest::Approx(p).epsilon(1e-9));
      }
    CHECK(inverse_freeman_tukey(-1, 10) == 0);
    CHECK(inverse_freeman_tukey(2, 10) == 1);
    CHECK(back_transform(Measure::pft, 0.2, 30) == inverse_freeman_tukey(0.2, 30));
    CHECK_THROWS_WITH_AS((void)inverse_freeman_tukey(0.5, 0), "inverse_freeman_tukey: n is 0, but must be positive",
                         DomainError);
  }

  TEST_CASE("harmonic_mean: of sample sizes, for pooled PFT estimates") {
    const double n[] = {10, 20, 40};
    CHECK(harmonic_mean(n) == doctest::Approx(3.0 / (0.1 + 0.05 + 0.025)));
    const double bad[] = {10, 0};
    CHECK_THROWS_WITH_AS((void)harmonic_mean(bad), "harmonic_mean: sample size is 0, but must be positive", DomainError);
  }
}
