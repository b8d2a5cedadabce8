// The one Boost.Math policy of trialstats (STYLE.md 3.2.6): doubles stay doubles (no promotion to
// long double, as in Boost's own t_test.hpp) and domain errors are thrown.
//
// Reference: Boost.Math, "Policies: Controlling Precision, Error Handling etc."
//   https://www.boost.org/doc/libs/release/libs/math/doc/html/policy.html
#pragma once

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/policies/policy.hpp>

namespace trialstats::stats {

/// `promote_double<false>`; every other policy is Boost's default (domain errors throw).
using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

using Normal = boost::math::normal_distribution<double, Policy>;
using StudentsT = boost::math::students_t_distribution<double, Policy>;
using ChiSquared = boost::math::chi_squared_distribution<double, Policy>;

}  // namespace trialstats::stats
