// clinical/instruments.hpp: lookup by name and alias, did-you-mean suggestions, percentage MCIDs.
#include <doctest/doctest.h>

#include <vector>

#include "trialstats/clinical/instruments.hpp"

using namespace trialstats;
using namespace trialstats::clinical;

namespace {
std::vector<Instrument> table() {
  return {{.name = "pain_nrs", .aliases = {"NRS"}, .scale_min = 0, .scale_max = 10, .mcid = 2},
          {.name = "fiq_total",
           .aliases = {"FIQ"},
           .scale_min = 0,
           .scale_max = 100,
           .mcid = 14,
           .unit = McidUnit::percent},
          {.name = "mfi20_general_fatigue", .aliases = {"MFI-20 GF"}, .scale_min = 4, .scale_max = 20, .mcid = 2}};
}
}  // namespace

TEST_SUITE("clinical::instruments") {
  TEST_CASE("find_instrument: names and aliases ignore case and punctuation") {
    const auto t = table();
    CHECK(find_instrument(t, "pain_nrs").instrument == &t[0]);
    CHECK(find_instrument(t, "PAIN-NRS").instrument == &t[0]);
    CHECK(find_instrument(t, "nrs").instrument == &t[0]);
    CHECK(find_instrument(t, "mfi20 gf").instrument == &t[2]);
  }

  TEST_CASE("find_instrument: unknown names get the nearest names, far ones none") {
    const auto t = table();
    const auto m = find_instrument(t, "fiq_totl");
    CHECK(m.instrument == nullptr);
    REQUIRE(m.suggestions.size() == 1);
    CHECK(m.suggestions[0] == "fiq_total");
    CHECK(find_instrument(t, "hamilton depression rating").suggestions.empty());
  }

  TEST_CASE("mcid_points: points as they are, percentages of the baseline") {
    const auto t = table();
    CHECK(mcid_points(t[0], std::nullopt) == 2);
    CHECK(mcid_points(t[1], 60.0) == doctest::Approx(8.4));
    CHECK_THROWS_AS((void)mcid_points(t[1], std::nullopt), DomainError);
    CHECK_THROWS_WITH_AS((void)mcid_points(t[1], 120.0), "mcid_points: baseline score is 120, but must be in [0, 100]",
                         DomainError);
  }
}
