// The JSON conventions of every renderer (DESIGN.md): full precision, `null` for absent or
// non-finite numbers, intervals as [lower, upper], warnings as {code, message}.
#pragma once

#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

#include "trialstats/core/types.hpp"

namespace trialstats::render {

using json = nlohmann::ordered_json;

inline json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

template <class T>
json optional_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

inline json interval_json(const Interval& i) { return json::array({number_or_null(i.lower), number_or_null(i.upper)}); }

inline json optional_interval(const std::optional<Interval>& i) { return i ? interval_json(*i) : json(nullptr); }

inline json warnings_json(const Warnings& warnings) {
  json out = json::array();
  for (const auto& w : warnings) out.push_back({{"code", w.code}, {"message", w.message}});
  return out;
}

}  // namespace trialstats::render
