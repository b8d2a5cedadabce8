// Named checks that throw DomainError with one message shape:
//   `pool: variance of study 3 is -0.2, but must be positive`
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "trialstats/core/error.hpp"

namespace trialstats {

/// Throws DomainError `<where>: <what> is <value>, but must be <rule>`.
[[noreturn]] inline void fail_check(std::string_view where, std::string_view what, double value,
                                    std::string_view rule) {
  throw DomainError(fmt::format("{}: {} is {}, but must be {}", where, what, value, rule));
}

inline void require_finite(std::string_view where, std::string_view what, double value) {
  if (!std::isfinite(value)) fail_check(where, what, value, "finite");
}

inline void require_positive(std::string_view where, std::string_view what, double value) {
  if (!(value > 0) || !std::isfinite(value)) fail_check(where, what, value, "positive");
}

inline void require_nonnegative(std::string_view where, std::string_view what, double value) {
  if (!(value >= 0) || !std::isfinite(value)) fail_check(where, what, value, "non-negative");
}

inline void require_in_range(std::string_view where, std::string_view what, double value, double lo,
                             double hi) {
  if (!(value >= lo && value <= hi)) fail_check(where, what, value, fmt::format("in [{}, {}]", lo, hi));
}

inline void require_same_size(std::string_view where, std::string_view what_a, std::size_t a,
                              std::string_view what_b, std::size_t b) {
  if (a != b)
    throw DomainError(fmt::format("{}: {} has {} values but {} has {}; they must be the same size", where,
                                  what_a, a, what_b, b));
}

inline void require_at_least(std::string_view where, std::string_view what, std::size_t n, std::size_t k) {
  if (n < k) throw DomainError(fmt::format("{}: {} is {}, but must be at least {}", where, what, n, k));
}

}  // namespace trialstats
