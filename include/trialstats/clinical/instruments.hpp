// Published MCIDs of outcome instruments (the bundled table data/mcid/instruments.csv): an entry
// per instrument with its scale, MCID, direction of benefit, the population it was derived in and
// its source; lookup by name or alias with a did-you-mean suggestion for unknown names.
//
// Reference for the suggestion: Levenshtein VI (1966). Binary codes capable of correcting deletions,
//   insertions, and reversals. Soviet Physics Doklady 10:707–710 (edit distance).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trialstats/clinical/importance.hpp"
#include "trialstats/core/checks.hpp"

namespace trialstats::clinical {

/// How an instrument's MCID is expressed.
enum class McidUnit {
  points,   ///< points of the instrument's scale
  percent,  ///< percent of the baseline score (needs the baseline to become points)
};

/// One published MCID.
struct Instrument {
  std::string name{};                  ///< e.g. "mfi20_general_fatigue"
  std::vector<std::string> aliases{};  ///< other accepted names, e.g. "MFI-20 GF"
  std::string label{};                 ///< e.g. "MFI-20 general fatigue subscale"
  double scale_min = 0;
  double scale_max = 0;
  double mcid = 0;  ///< in `unit`, positive
  McidUnit unit = McidUnit::points;
  Direction direction = Direction::lower_is_better;
  std::string population{};  ///< the population the MCID was derived in
  std::string source{};      ///< citation
};

/// The MCID of an instrument in points of its scale: `mcid` for points, mcid/100 · baseline for a
/// percentage of the baseline score.
/// @throws DomainError when a percentage MCID has no baseline, or the baseline lies outside the scale
///         or gives an MCID of 0.
[[nodiscard]] inline double mcid_points(const Instrument& in, std::optional<double> baseline) {
  constexpr std::string_view where = "mcid_points";
  if (in.unit == McidUnit::points) return in.mcid;
  if (!baseline)
    throw DomainError(
        fmt::format("{}: the MCID of {} is {}% of the baseline score; give the baseline (mean baseline "
                    "score, {} to {})",
                    where, in.name, in.mcid, in.scale_min, in.scale_max));
  require_in_range(where, "baseline score", *baseline, in.scale_min, in.scale_max);
  const double points = in.mcid / 100 * *baseline;
  if (points == 0) fail_check(where, "baseline score", *baseline, "different from 0 for a percentage MCID");
  return std::fabs(points);
}

namespace detail {
[[nodiscard]] inline std::string fold(std::string_view s) {
  std::string out{};
  for (const char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
/// Levenshtein distance (unit costs).
[[nodiscard]] inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace detail

/// The result of a lookup: the instrument, or the closest names.
struct InstrumentMatch {
  const Instrument* instrument = nullptr;  ///< null when no name matches
  std::vector<std::string> suggestions{};  ///< when unmatched: the names nearest by edit distance (at most 3)
};

/// Finds `name` among the names and aliases of `table`, ignoring case and every character that is not a
/// letter or digit ("MFI-20 GF" = "mfi20gf"). When none matches, suggests the names whose folded edit
/// distance is smallest, if that distance is at most max(2, a third of the name's length).
[[nodiscard]] inline InstrumentMatch find_instrument(std::span<const Instrument> table, std::string_view name) {
  const std::string key = detail::fold(name);
  InstrumentMatch m;
  std::size_t best = std::string::npos;
  std::vector<std::string> nearest{};
  for (const auto& in : table) {
    std::size_t d = detail::edit_distance(key, detail::fold(in.name));
    if (d == 0) return {&in, {}};
    for (const auto& a : in.aliases) {
      const std::size_t da = detail::edit_distance(key, detail::fold(a));
      if (da == 0) return {&in, {}};
      d = std::min(d, da);
    }
    if (d < best) {
      best = d;
      nearest = {in.name};
    } else if (d == best) {
      nearest.push_back(in.name);
    }
  }
  if (best <= std::max<std::size_t>(2, key.size() / 3)) {
    if (nearest.size() > 3) nearest.resize(3);
    m.suggestions = nearest;
  }
  return m;
}

}  // namespace trialstats::clinical
