// Claims of a publication and the rules that decide whether a re-derived value reproduces them:
// how a reported figure was written ("−32", "2.70", "< 0.001", a tolerance, a category) fixes the
// set of values that would have been reported the same way.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "trialstats/core/error.hpp"
#include "trialstats/core/types.hpp"

namespace trialstats::claims {

/// How a figure was reported.
enum class ReportedForm {
  decimals,   ///< a number as written: every value that rounds to it, half a unit of its last digit either side
  below,      ///< "< 0.001", "≤ 0.05": values below (or at) the bound
  above,      ///< "> 0.2", "≥ 0.8": values above (or at) the bound
  tolerance,  ///< a number with an explicit tolerance: |value − reported| ≤ tolerance
  category,   ///< a word: the analysis must give the same word (e.g. "important", "consistent")
};

/// A reported figure.
struct Reported {
  ReportedForm form = ReportedForm::decimals;
  double value = 0;        ///< the number (or bound)
  int decimals = 0;        ///< decimals written (form decimals)
  double tolerance = 0;    ///< form tolerance
  bool inclusive = false;  ///< "≤" / "≥"
  bool percent = false;    ///< written with a % sign (the value is in percent)
  std::string text;        ///< as written in the manifest
};

/// The values a reported figure admits: [lower, upper], each end open or closed.
struct Acceptance {
  double lower = -HUGE_VAL;
  double upper = HUGE_VAL;
  bool lower_open = false;
  bool upper_open = false;
};

namespace detail {

/// Replaces the Unicode minus (U+2212), en dash and "≤"/"≥" by their ASCII forms; trims spaces.
inline std::string ascii_number_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s.substr(i, 3) == "\xE2\x88\x92" || s.substr(i, 3) == "\xE2\x80\x93") {  // − –
      out += '-';
      i += 3;
    } else if (s.substr(i, 3) == "\xE2\x89\xA4") {  // ≤
      out += "<=";
      i += 3;
    } else if (s.substr(i, 3) == "\xE2\x89\xA5") {  // ≥
      out += ">=";
      i += 3;
    } else if (s[i] == ',' && i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
               std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      i += 1;  // thousands separator "1,273"
    } else if (s[i] != ' ') {
      out += s[i++];
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace detail

/// Reads a reported figure written as text: "-32", "−2.7", "86%", "1,412", "< 0.001", "<.03", "≤ 0.05",
/// "> 0.2"; any other word is a category ("important", "consistent"). Decimals count as written
/// ("2.70" → 2, ".62" → 2).
/// @throws DomainError when a comparison is followed by no number.
[[nodiscard]] inline Reported parse_reported(std::string_view text) {
  Reported r;
  r.text = std::string(text);
  std::string s = detail::ascii_number_text(text);
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '<' || s[0] == '>')) {
    r.form = s[0] == '<' ? ReportedForm::below : ReportedForm::above;
    i = 1;
    if (i < s.size() && s[i] == '=') {
      r.inclusive = true;
      ++i;
    }
  }
  std::string number = s.substr(i);
  if (!number.empty() && number.back() == '%') {
    r.percent = true;
    number.pop_back();
  }
  std::size_t used = 0;
  double v = 0;
  bool ok = !number.empty();
  if (ok) {
    try {
      v = std::stod(number, &used);
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok || used != number.size() || !std::isfinite(v)) {
    if (r.form != ReportedForm::decimals)
      throw DomainError(fmt::format("reported value '{}': expected a number after the comparison", text));
    r.form = ReportedForm::category;
    r.percent = false;
    return r;
  }
  r.value = v;
  const auto dot = number.find('.');
  const auto exp = number.find_first_of("eE");
  if (dot != std::string::npos)
    r.decimals = static_cast<int>((exp == std::string::npos ? number.size() : exp) - dot - 1);
  return r;
}

/// A number reported with an explicit tolerance.
[[nodiscard]] inline Reported reported_with_tolerance(double value, double tolerance) {
  Reported r;
  r.form = ReportedForm::tolerance;
  r.value = value;
  r.tolerance = tolerance;
  r.text = fmt::format("{} ± {}", value, tolerance);
  return r;
}

/// The values that would have been reported as `r`:
///   decimals d: [x − ½·10^−d, x + ½·10^−d] (every value that rounds to x, either rounding of the halves);
///   "< b": (−∞, b); "≤ b": (−∞, b]; "> b", "≥ b" likewise; tolerance t: [x − t, x + t].
/// @throws DomainError for a category, which admits no interval.
[[nodiscard]] inline Acceptance acceptance(const Reported& r) {
  switch (r.form) {
    case ReportedForm::decimals: {
      const double half = 0.5 * std::pow(10.0, -r.decimals);
      return {r.value - half, r.value + half, false, false};
    }
    case ReportedForm::below:
      return {-HUGE_VAL, r.value, false, !r.inclusive};
    case ReportedForm::above:
      return {r.value, HUGE_VAL, !r.inclusive, false};
    case ReportedForm::tolerance:
      return {r.value - r.tolerance, r.value + r.tolerance, false, false};
    case ReportedForm::category:
      break;
  }
  throw DomainError(fmt::format("reported value '{}' is a category, not a number", r.text));
}

/// Whether `value` lies in the acceptance set. A relative slack of 1e-12 absorbs binary
/// representation at the ends (0.5·10^−d is not exact in binary).
[[nodiscard]] inline bool admits(const Acceptance& a, double value) {
  if (!std::isfinite(value)) return false;
  const double slack = 1e-12 * std::max({1.0, std::fabs(a.lower) < HUGE_VAL ? std::fabs(a.lower) : 1.0,
                                         std::fabs(a.upper) < HUGE_VAL ? std::fabs(a.upper) : 1.0});
  const bool lower_ok = a.lower_open ? value > a.lower : value >= a.lower - slack;
  const bool upper_ok = a.upper_open ? value < a.upper : value <= a.upper + slack;
  return lower_ok && upper_ok;
}

/// The acceptance set as text: "[-32.5, -31.5]", "< 0.001", "≤ 0.05".
[[nodiscard]] inline std::string describe(const Acceptance& a) {
  if (a.lower == -HUGE_VAL) return fmt::format("{} {}", a.upper_open ? "<" : "<=", a.upper);
  if (a.upper == HUGE_VAL) return fmt::format("{} {}", a.lower_open ? ">" : ">=", a.lower);
  return fmt::format("{}{}, {}{}", a.lower_open ? "(" : "[", a.lower, a.upper, a.upper_open ? ")" : "]");
}

/// The verdict on one claim.
enum class Status {
  reproduced,      ///< the re-derived value lies in the reported figure's acceptance set
  not_reproduced,  ///< it does not
  inconsistent,    ///< the reported figures contradict each other (a recomputed p, a known scale)
  error,           ///< the analysis could not be run (its message says why)
};

[[nodiscard]] constexpr std::string_view name(Status s) {
  switch (s) {
    case Status::reproduced:
      return "reproduced";
    case Status::not_reproduced:
      return "not reproduced";
    case Status::inconsistent:
      return "inconsistent";
    case Status::error:
      return "error";
  }
  return "error";
}

/// A value of a claim's option table, with where it is written.
struct OptionValue {
  std::variant<std::string, double, bool, std::vector<std::string>> value;
  SourcePos pos;
};

/// One claim of a manifest.
struct Claim {
  std::string id;         ///< short name, unique in the manifest
  std::string text;       ///< the claim as the publication words it
  std::string analysis;   ///< pool, mcid, corr, compare, proportion, check, instrument
  std::string data;       ///< data file, relative to the manifest's folder as written
  std::string data_path;  ///< data file as opened (resolved against the manifest's folder)
  std::string statistic;  ///< what to extract, e.g. "percent_change", "r", "p"
  Reported reported;
  std::map<std::string, OptionValue> options;
  SourcePos pos;           ///< the claim's table in the manifest
  SourcePos reported_pos;  ///< its `reported` value
};

struct Manifest {
  std::string path;
  std::string title;
  std::optional<double> level;  ///< confidence level of the intervals shown next to reproduced values (else --level)
  std::vector<Claim> claims;
};

/// What re-deriving a claim gives.
struct Reproduction {
  Status status = Status::error;
  std::optional<double> value;  ///< the re-derived number (absent for categories and errors)
  std::optional<Interval> ci;   ///< its interval, when the analysis has one
  std::string category;         ///< the re-derived word, for category claims
  std::string detail;           ///< why (the error message, the category of importance, …)
  bool is_p = false;            ///< the value is a p-value (shown as one)
};

/// Judges a re-derived number against the reported figure (not for categories).
[[nodiscard]] inline Status judge(const Reported& reported, double value) {
  return admits(acceptance(reported), value) ? Status::reproduced : Status::not_reproduced;
}

}  // namespace trialstats::claims
