// The alternative hypothesis of a two-group test, shared by every test under compare/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trialstats::compare {

/// Which deviation from the null the p-value counts, as R's `alternative` argument.
enum class Alternative {
  two_sided,  ///< "two.sided"
  less,       ///< "less": group 1 below group 2 (or below the null value)
  greater,    ///< "greater"
};

[[nodiscard]] inline std::string_view name(Alternative a) {
  switch (a) {
    case Alternative::less:
      return "less";
    case Alternative::greater:
      return "greater";
    default:
      return "two.sided";
  }
}

/// "two.sided" (or "two-sided"), "less", "greater"; nullopt otherwise.
[[nodiscard]] inline std::optional<Alternative> parse_alternative(std::string_view s) {
  if (s == "two.sided" || s == "two-sided") return Alternative::two_sided;
  if (s == "less") return Alternative::less;
  if (s == "greater") return Alternative::greater;
  return std::nullopt;
}

}  // namespace trialstats::compare
