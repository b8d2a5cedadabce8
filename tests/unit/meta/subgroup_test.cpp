// Properties and errors of subgroup analysis (values against metafor are in
// tests/reference/meta/subgroup_ref_test.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "trialstats/core/error.hpp"
#include "trialstats/meta/subgroup.hpp"

namespace {

using namespace trialstats;

const std::vector<double> yi{-0.889, -1.585, -1.348, -1.442, -0.218, -0.786, -1.621,
                             0.012,  -0.469, -1.371, -0.339, 0.446,  -0.017};
const std::vector<double> vi{0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223, 0.004, 0.056, 0.073, 0.012, 0.533, 0.071};
const std::vector<std::string> alloc{"random",     "random",     "random",    "random", "alternate",
                                     "alternate",  "random",     "random",    "random", "systematic",
                                     "systematic", "systematic", "systematic"};

}  // namespace

TEST_SUITE("meta::subgroup") {
  TEST_CASE("subgroup_analysis: one pooled estimate per level in sorted order, both tests labelled") {
    const auto s = meta::subgroup_analysis(yi, vi, alloc, {.method = meta::Tau2Method::dl});
    REQUIRE(s.groups.size() == 3);
    CHECK(s.groups[0].level == "alternate");
    CHECK(s.groups[0].studies == std::vector<std::size_t>{4, 5});
    CHECK(s.groups[1].fit.k == 7);
    CHECK(s.separate.kind == meta::SubgroupTest::separate_tau2);
    CHECK(s.separate.df1 == 2);
    REQUIRE(s.common.has_value());
    CHECK(s.common->kind == meta::SubgroupTest::common_tau2);
    CHECK(s.common->df1 == 2);
    CHECK(meta::name(s.common->kind) == "common_tau2");
  }

  TEST_CASE("subgroup_analysis: with a common effect both tests are the same Q between") {
    const auto s = meta::subgroup_analysis(yi, vi, alloc, {.method = meta::Tau2Method::ee});
    REQUIRE(s.common.has_value());
    CHECK(std::abs(s.separate.statistic - s.common->statistic) <= 1e-9 * s.separate.statistic);
  }

  TEST_CASE("subgroup_analysis: the Q between does not depend on the labels' spelling or order of studies") {
    std::vector<std::string> relabelled;
    for (const auto& a : alloc) relabelled.push_back("g_" + a);
    const auto s1 = meta::subgroup_analysis(yi, vi, alloc), s2 = meta::subgroup_analysis(yi, vi, relabelled);
    CHECK(std::abs(s1.separate.statistic - s2.separate.statistic) <= 1e-12);
  }

  TEST_CASE("subgroup_analysis: errors") {
    const std::vector<std::string> one(yi.size(), "all");
    CHECK_THROWS_WITH_AS((void)meta::subgroup_analysis(yi, vi, one),
                         "subgroup_analysis: 1 subgroup; a test for subgroup differences needs at least 2",
                         DomainError);
    const std::vector<std::string> short_group{"a", "b"};
    CHECK_THROWS_AS((void)meta::subgroup_analysis(yi, vi, short_group), DomainError);
  }
}
