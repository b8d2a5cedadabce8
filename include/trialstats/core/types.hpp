// Small value types shared by every part of trialstats.
#pragma once

#include <string>
#include <vector>

namespace trialstats {

/// A closed interval, e.g. a confidence or prediction interval.
struct Interval {
  double lower = 0;
  double upper = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// A condition worth telling the user that still gives a result (metafor's warnings):
/// `code` is stable and machine-readable, `message` is a sentence.
struct Warning {
  std::string code;     ///< e.g. "tau2_not_converged", "k_is_1", "zero_cell_corrected"
  std::string message;  ///< e.g. "REML did not converge after 100 iterations; fell back to DL"
  friend bool operator==(const Warning&, const Warning&) = default;
};

using Warnings = std::vector<Warning>;

}  // namespace trialstats
