// What every renderer needs to know: the output format, the digits of text output, and the
// provenance line that makes text and CSV output describe themselves.
#pragma once

#include <cmath>
#include <string>

#include <fmt/format.h>

namespace trialstats::render {

enum class OutputFormat { text, json, csv, md };

struct RenderStyle {
  OutputFormat format = OutputFormat::text;
  int digits = 4;          ///< decimals of text and Markdown output; JSON and CSV keep full precision
  std::string provenance;  ///< e.g. "trialstats 0.1.0 pool data/bcg.csv"; empty: no provenance line
};

/// A number with `digits` decimals, as metafor prints it; "NA" for NaN.
inline std::string fixed(double value, int digits) {
  if (std::isnan(value)) return "NA";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  std::string s = fmt::format("{:.{}f}", value, digits);
  if (s.find_first_not_of("-0.") == std::string::npos && s.front() == '-') s.erase(0, 1);  // no "-0.0000"
  return s;
}

/// A p-value as metafor prints it: `<.0001` below 10^-digits, else `digits` decimals (at least 1).
inline std::string p_value(double p, int digits) {
  if (std::isnan(p)) return "NA";
  if (digits < 1) digits = 1;
  const double floor = std::pow(10.0, -digits);
  if (p < floor) return "<." + std::string(static_cast<std::size_t>(digits - 1), '0') + "1";
  return fixed(p, digits);
}

/// A number at full round-trip precision (shortest form that reads back to the same double);
/// "NA" for NaN, "Inf" and "-Inf" for infinities (as `fixed`).
inline std::string exact(double value) {
  if (std::isnan(value)) return "NA";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  return fmt::format("{}", value);
}

}  // namespace trialstats::render
