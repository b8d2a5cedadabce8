// Moderator values given by name: parsing, the row of the model matrix they code, and predictions at
// them (values against metafor's predict.rma are in tests/reference/meta/reg_genq_predict_ref_test.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/predict.hpp"
#include "trialstats/meta/regression.hpp"

namespace {

using namespace trialstats;

// dat.bcg log risk ratios, sampling variances, absolute latitude, year and allocation (metafor's escalc, RR).
const std::vector<double> yi{-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732, -0.78611559, -1.62089822,
                             0.01195233,  -0.46941765, -1.37134480, -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> vi{0.325584765, 0.194581121, 0.415367965, 0.020010031, 0.051210172, 0.006905435, 0.223017248,
                             0.003961579, 0.056434210, 0.073024794, 0.012412214, 0.532505845, 0.071404660};
const std::vector<double> ablat{44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};
const std::vector<double> year{1948, 1949, 1960, 1977, 1973, 1953, 1973, 1980, 1968, 1961, 1974, 1969, 1976};
const std::vector<std::string> alloc{"random",     "random",     "random",    "random", "alternate",
                                     "alternate",  "random",     "random",    "random", "systematic",
                                     "systematic", "systematic", "systematic"};
// A second categorical moderator, to see that only the first one gets full coding without an intercept.
const std::vector<std::string> era{"old", "old", "old", "new", "new", "old", "new",
                                   "new", "new", "old", "new", "new", "new"};

std::vector<meta::ModeratorValue> study_values(const std::vector<meta::Moderator>& mods, std::size_t i) {
  std::vector<meta::ModeratorValue> out;
  for (const auto& m : mods) {
    if (m.categorical())
      out.push_back({m.name, m.levels[i]});
    else
      out.push_back({m.name, m.numbers[i]});
  }
  return out;
}

}  // namespace

TEST_SUITE("meta::predict (moderator values by name)") {
  TEST_CASE("design_row gives every study the row build_design gives it, with and without an intercept") {
    const std::vector<std::vector<meta::Moderator>> models{
        {{.name = "ablat", .numbers = ablat}},
        {{.name = "ablat", .numbers = ablat}, {.name = "alloc", .levels = alloc}},
        {{.name = "alloc", .levels = alloc, .reference = "random"}, {.name = "ablat", .numbers = ablat}},
        {{.name = "ablat", .numbers = ablat}, {.name = "year", .numbers = year}},
        {{.name = "era", .levels = era},
         {.name = "alloc", .levels = alloc, .reference = "systematic"},
         {.name = "year", .numbers = year}},
    };
    for (const auto& mods : models) {
      for (const bool intercept : {true, false}) {
        CAPTURE(mods.size());
        CAPTURE(intercept);
        const auto d = meta::build_design(mods, yi.size(), intercept);
        for (std::size_t i = 0; i < yi.size(); ++i) {
          const Eigen::RowVectorXd row = meta::design_row(mods, study_values(mods, i), intercept);
          CHECK(row == d.x.row(static_cast<Eigen::Index>(i)));
        }
      }
    }
  }

  TEST_CASE("design_row: the reference level is all zeros; without an intercept the first factor has every level") {
    const std::vector<meta::Moderator> mods{{.name = "ablat", .numbers = ablat}, {.name = "alloc", .levels = alloc}};
    using V = std::vector<meta::ModeratorValue>;
    // columns intrcpt, ablat, allocrandom, allocsystematic
    CHECK(meta::design_row(mods, V{{"ablat", 20.0}, {"alloc", "alternate"}}) == Eigen::RowVector4d(1, 20, 0, 0));
    CHECK(meta::design_row(mods, V{{"alloc", "random"}, {"ablat", 20.0}}) == Eigen::RowVector4d(1, 20, 1, 0));
    // columns ablat, allocalternate, allocrandom, allocsystematic
    CHECK(meta::design_row(mods, V{{"ablat", 20.0}, {"alloc", "alternate"}}, false) == Eigen::RowVector4d(20, 1, 0, 0));
    // a second categorical moderator keeps its reference level out without an intercept
    const std::vector<meta::Moderator> two{{.name = "alloc", .levels = alloc}, {.name = "era", .levels = era}};
    // columns allocalternate, allocrandom, allocsystematic, eraold ("new" is the reference)
    CHECK(meta::design_row(two, V{{"alloc", "systematic"}, {"era", "new"}}, false) == Eigen::RowVector4d(0, 0, 1, 0));
    CHECK(meta::design_row(two, V{{"alloc", "systematic"}, {"era", "old"}}, false) == Eigen::RowVector4d(0, 0, 1, 1));
  }

  TEST_CASE("parse_moderator_values: any order, blanks, signs and exponents; values in the moderators' order") {
    const std::vector<meta::Moderator> mods{{.name = "ablat", .numbers = ablat}, {.name = "alloc", .levels = alloc}};
    const auto v = meta::parse_moderator_values(" alloc = random , ablat=+2e1", mods);
    REQUIRE(v.size() == 2);
    CHECK(v[0].name == "ablat");
    CHECK(std::get<double>(v[0].value) == 20);
    CHECK(v[1].name == "alloc");
    CHECK(std::get<std::string>(v[1].value) == "random");
    CHECK(std::get<double>(meta::parse_moderator_values("ablat=-1.5,alloc=alternate", mods)[0].value) == -1.5);
    // a level is taken as written: a numeric-looking level of a text column stays text
    const std::vector<meta::Moderator> dose{{.name = "dose", .levels = {"10", "20", "10"}}};
    CHECK(std::get<std::string>(meta::parse_moderator_values("dose=20", dose)[0].value) == "20");
  }

  TEST_CASE("parse_moderator_values: each mistake is named") {
    const std::vector<meta::Moderator> mods{{.name = "ablat", .numbers = ablat}, {.name = "alloc", .levels = alloc}};
    CHECK_THROWS_WITH_AS((void)meta::parse_moderator_values("ablat=20,alloc", mods),
                         "expected NAME=VALUE for every moderator, got 'alloc'", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::parse_moderator_values("ablat=20,", mods),
                         "expected NAME=VALUE for every moderator, got ''", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::parse_moderator_values("ablat=,alloc=random", mods),
                         "expected NAME=VALUE for every moderator, got 'ablat='", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::parse_moderator_values("lat=20,alloc=random", mods),
                         "'lat' is not one of the moderators (ablat, alloc)", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::parse_moderator_values("ablat=20,ablat=30,alloc=random", mods),
                         "moderator 'ablat' is given twice", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::parse_moderator_values("ablat=20", mods),
                         "no value for moderator 'alloc' (every moderator needs one: ablat, alloc)", UsageError);
    for (const char* bad : {"ablat=20x,alloc=random", "ablat=twenty,alloc=random", "ablat=inf,alloc=random",
                            "ablat=nan,alloc=random", "ablat=1e999,alloc=random", "ablat=--2,alloc=random"}) {
      CAPTURE(bad);
      CHECK_THROWS_AS((void)meta::parse_moderator_values(bad, mods), UsageError);
    }
    CHECK_THROWS_WITH_AS((void)meta::parse_moderator_values("ablat=20x,alloc=random", mods),
                         "moderator 'ablat' is numeric: expected a number, got '20x'", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::parse_moderator_values("ablat=20,alloc=blocked", mods),
                         "moderator 'alloc' has no level 'blocked'; levels: alternate, random, systematic",
                         DomainError);
  }

  TEST_CASE("design_row: values that do not fit the moderators") {
    const std::vector<meta::Moderator> mods{{.name = "ablat", .numbers = ablat}, {.name = "alloc", .levels = alloc}};
    using V = std::vector<meta::ModeratorValue>;
    CHECK_THROWS_WITH_AS((void)meta::design_row(mods, V{{"ablat", 20.0}}), "design_row: no value for moderator 'alloc'",
                         UsageError);
    CHECK_THROWS_WITH_AS((void)meta::design_row(mods, V{{"ablat", 20.0}, {"alloc", "random"}, {"year", 1950.0}}),
                         "design_row: 'year' is not one of the moderators (ablat, alloc)", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::design_row(mods, V{{"ablat", 20.0}, {"alloc", "random"}, {"ablat", 2.0}}),
                         "design_row: moderator 'ablat' is given twice", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::design_row(mods, V{{"ablat", "north"}, {"alloc", "random"}}),
                         "design_row: moderator 'ablat' is numeric: expected a number", UsageError);
    CHECK_THROWS_WITH_AS((void)meta::design_row(mods, V{{"ablat", 20.0}, {"alloc", 1.0}}),
                         "design_row: moderator 'alloc' is categorical: expected a level", UsageError);
    CHECK_THROWS_AS((void)meta::design_row(mods, V{{"ablat", std::nan("")}, {"alloc", "random"}}), DomainError);
    const std::vector<meta::Moderator> bad_ref{{.name = "alloc", .levels = alloc, .reference = "blocked"}};
    CHECK_THROWS_WITH_AS(
        (void)meta::design_row(bad_ref, V{{"alloc", "random"}}),
        "design_row: alloc: reference level 'blocked' does not occur; levels: alternate, random, systematic",
        DomainError);
    CHECK_THROWS_WITH_AS((void)meta::design_row(mods, V{{"ablat", 20.0}, {"alloc", "Random"}}),
                         "design_row: moderator 'alloc' has no level 'Random'; levels: alternate, random, systematic",
                         DomainError);
  }

  TEST_CASE("predict at named values equals predict at the coded rows; a study's values give its fitted value") {
    const std::vector<meta::Moderator> mods{{.name = "ablat", .numbers = ablat}, {.name = "alloc", .levels = alloc}};
    for (const bool intercept : {true, false}) {
      CAPTURE(intercept);
      const auto d = meta::build_design(mods, yi.size(), intercept);
      const auto fit = meta::meta_regress(yi, vi, d, {.method = meta::Tau2Method::dl, .test = meta::TestMethod::knha});
      const std::vector<std::vector<meta::ModeratorValue>> at{
          meta::parse_moderator_values("ablat=20,alloc=random", mods),
          meta::parse_moderator_values("ablat=55,alloc=alternate", mods), study_values(mods, 9)};
      const auto p = meta::predict(fit, mods, at);
      REQUIRE(p.size() == 3);
      const Eigen::Index offset = intercept ? 1 : 0;
      Eigen::MatrixXd rows(3, d.x.cols() - offset);
      for (Eigen::Index i = 0; i < 3; ++i)
        rows.row(i) = meta::design_row(mods, at[static_cast<std::size_t>(i)], intercept).tail(d.x.cols() - offset);
      const auto q = meta::predict(fit, rows);
      for (std::size_t i = 0; i < 3; ++i) {
        CHECK(p[i].prediction.estimate == q[i].estimate);
        CHECK(p[i].prediction.se == q[i].se);
        CHECK(p[i].prediction.ci == q[i].ci);
        CHECK(p[i].prediction.pi == q[i].pi);
        CHECK(p[i].values.size() == 2);
        CHECK(p[i].x.size() == d.x.cols());
      }
      CHECK(p[0].values[1].name == "alloc");
      CHECK(p[2].prediction.estimate == doctest::Approx(fit.fitted[9]).epsilon(1e-12));
      // the PI is wider than the CI by tau² (DL gives tau² > 0 here)
      REQUIRE(fit.tau2 > 0);
      CHECK(p[0].prediction.pi.upper - p[0].prediction.pi.lower > p[0].prediction.ci.upper - p[0].prediction.ci.lower);
      // values for other moderators than the fit's do not fit its columns
      const std::vector<meta::Moderator> one{{.name = "ablat", .numbers = ablat}};
      const std::vector<std::vector<meta::ModeratorValue>> at_one{meta::parse_moderator_values("ablat=20", one)};
      CHECK_THROWS_AS((void)meta::predict(fit, one, at_one), DomainError);
    }
  }
}
