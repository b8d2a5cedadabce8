// Rendering a meta-regression: a printout like metafor's print of rma with moderators, JSON with
// snake_case keys at full precision, and the coefficient table as CSV or Markdown; predicted values at
// given moderator values after the coefficients, in every format.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/permutation.hpp"
#include "trialstats/meta/predict.hpp"
#include "trialstats/meta/regression.hpp"
#include "trialstats/render/format.hpp"

namespace trialstats::render {

/// Everything one meta-regression shows.
struct RegressionReport {
  std::string file;
  std::size_t rows = 0;                 ///< data rows read
  std::vector<std::size_t> dropped;     ///< line numbers of rows dropped (missing effect or moderator)
  std::string measure;                  ///< "RR", "GEN", …
  std::vector<std::string> moderators;  ///< as given with --mods
  meta::MetaRegression fit;
  std::optional<meta::CoefficientTest> btt;  ///< the test asked for with --btt
  std::optional<meta::PermutationTest> permutation;
  std::vector<meta::PredictionAt> predictions;  ///< asked for with --predict, on the scale of the effect sizes
  Warnings warnings;                            ///< of reading and dropping; the fit's own are in `fit`
};

[[nodiscard]] std::string render_regression(const RegressionReport& report, const RenderStyle& style);
[[nodiscard]] nlohmann::ordered_json regression_json(const RegressionReport& report);

}  // namespace trialstats::render
