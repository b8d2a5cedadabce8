// claims/reported.hpp: where findings are, what is read and what is left alone.
#include <cstdint>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "trialstats/claims/statcheck.hpp"

using namespace trialstats::claims;

TEST_SUITE("claims::reported") {
  TEST_CASE("find_reported_statistics: line and column in characters, several per line") {
    const std::string text =
        "# Results\n"
        "\n"
        "Fatigue fell (t(28) = 2.20, p = .036).\n"
        "Change scores correlated: χ²(1) = 4.5, p = .03 and r(92) = −.62, p < .001.\n";
    const auto found = find_reported_statistics(text);
    REQUIRE(found.size() == 3);
    CHECK(found[0].line == 3);
    CHECK(found[0].column == 15);
    CHECK(found[0].text == "t(28) = 2.20, p = .036");
    CHECK(found[1].line == 4);
    CHECK(found[1].column == 27);
    CHECK(found[2].line == 4);
    CHECK(found[2].column == 52);  // χ and ² count as one character each
    CHECK(found[2].text == "r(92) = −.62, p < .001");
    CHECK(found[2].value == -0.62);
  }

  TEST_CASE("find_reported_statistics: what is not a reported statistic is skipped") {
    CHECK(find_reported_statistics("the test(5) = 3, p = .01").empty());  // t inside a word
    CHECK(find_reported_statistics("t(28) = 2.20").empty());              // no p
    CHECK(find_reported_statistics("r = .30, p = .03").empty());          // r with neither df nor n
    CHECK(find_reported_statistics("r(30) = 1.30, p = .03").empty());     // r outside [-1, 1]
    CHECK(find_reported_statistics("F(2) = 3.1, p = .04").empty());       // F needs two df
    CHECK(find_reported_statistics("t(28) = 2.20, p = 1.3").empty());     // p above 1
  }

  TEST_CASE("find_reported_statistics: forms statcheck does not read") {
    const auto f = find_reported_statistics("chi-square(2, N = 1,273) = 6.1; p ≥ .047 and Chi2(1) = 2, n.s.");
    REQUIRE(f.size() == 2);
    CHECK(f[0].test == TestKind::chi2);
    CHECK(f[0].sample_size == 1273);
    CHECK(f[0].p_relation == Relation::ge);
    CHECK(f[0].p_decimals == 3);
    CHECK(f[1].p_relation == Relation::ns);
    CHECK(f[1].value_decimals == 0);
    const auto e = find_reported_statistics("z = 2.1, p = 3.6E-2");
    REQUIRE(e.size() == 1);
    CHECK(e[0].p == doctest::Approx(0.036).epsilon(1e-15));
    CHECK(e[0].p_decimals == 3);
  }

  TEST_CASE("check_statistic: notes and alpha") {
    const auto zero = check_text("t(28) = 2.20, p = .000");
    REQUIRE(zero.findings.size() == 1);
    CHECK_FALSE(zero.findings[0].consistent);
    CHECK(zero.findings[0].note == FindingNote::p_zero);
    // ns at alpha .05 is p > .05; at alpha .01 the same p = .036 is not significant either.
    CHECK_FALSE(check_text("t(28) = 2.20, ns").findings[0].consistent);
    CHECK(check_text("t(28) = 2.20, ns", {.alpha = 0.01}).findings[0].consistent);
    const auto result = check_text("t(28) = 2.20, p = .06; F(1, 20) = 4.35, p = .05");
    CHECK(result.inconsistent() == 1);
    CHECK(result.decision_errors() == 1);
  }

}  // TEST_SUITE

TEST_SUITE("claims::reported robustness") {
  TEST_CASE("check_text: degrees of freedom that are not positive give a warning, not a result") {
    const auto r = check_text("t(0) = 2.1, p = .04; F(0, 20) = 3.1, p = .05; t(20) = 2.1, p = .049");
    REQUIRE(r.findings.size() == 1);
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0].code == "unusable_statistic");
    CHECK(r.warnings[0].message ==
          "line 1, column 1: \"t(0) = 2.1, p = .04\" has degrees of freedom that are not positive; not checked");
  }

  TEST_CASE("check_text: random mixtures of the pieces of reported statistics never fail and locate what they find") {
    const std::vector<std::string> pieces = {
        "t",    "F",   "r",    "z",    "χ²", "chi2", "X2", "(",        ")",    "28", "0",      "1,273", ".",
        "2.20", "−",   "-",    "–",    "=",  "<",    ">",  "≤",        "≥",    ", ", "; ",     "p",     "P",
        "ns",   "e-2", "N = ", "n = ", " ",  "\n",   "*",  "\xe2\x88", "\xce", "1e", "9999999"};
    std::uint64_t state = 20261130;
    const auto next = [&state] {  // xorshift64
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state;
    };
    std::size_t found = 0;
    for (int i = 0; i < 20000; ++i) {
      // A statistic built slot by slot (each slot sometimes replaced by a random piece), between random pieces.
      const auto pick = [&](const std::vector<std::string>& v) {
        return next() % 8 == 0 ? pieces[next() % pieces.size()] : v[next() % v.size()];
      };
      std::string text;
      for (std::size_t k = next() % 4; k > 0; --k) text += pieces[next() % pieces.size()];
      text += pick({"t", "F", "r", "z", "χ²", "chi2", "X2", "*t*"});
      text += pick({"(28)", "(2, 45)", "(1, N = 1,273)", "(1, n = 94)", "", "(0)", "(45.3)"});
      text += pick({" = ", "=", " < ", " ≤ "});
      text += pick({"2.20", "−.62", "-0.62", "12.4", "0", "1,234.5", ".5"});
      text += pick({", ", "; ", ",\n", ", n = 94, "});
      text += pick({"p = .036", "p < .001", "p ≥ .05", "ns", "p = 3.6e-2", "*p* = .04", "p = .000"});
      for (std::size_t k = next() % 4; k > 0; --k) text += pieces[next() % pieces.size()];
      const CheckResult result = check_text(text);
      for (const auto& f : result.findings) {
        ++found;
        CHECK(text.find(f.reported.text) != std::string::npos);
        CHECK(f.reported.line >= 1);
        CHECK(f.reported.column >= 1);
        CHECK(f.computed_p >= 0);
        CHECK(f.computed_p <= 1);
      }
    }
    CHECK(found > 1000);  // 1,493 with this seed
  }

}  // TEST_SUITE
