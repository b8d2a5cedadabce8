// Rendering sensitivity analyses (leave-one-out, cumulative, influence, Baujat): metafor-like
// tables in text and Markdown, JSON with every per-study value, CSV with one row per study.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/meta/sensitivity.hpp"
#include "trialstats/render/format.hpp"

namespace trialstats::render {

/// Everything `trialstats sensitivity` shows; the analyses not asked for are absent.
struct SensitivityReport {
  std::string file;
  std::size_t rows = 0;              ///< data rows read
  std::vector<std::size_t> dropped;  ///< line numbers of rows dropped for missing values
  std::string measure;               ///< "RR", "GEN", …
  std::string method;                ///< "REML", "DL", "EE", …
  std::vector<std::string> study;    ///< labels, one per study (input order)
  std::vector<double> yi, vi;
  meta::PooledEffect full;  ///< the model on every study
  std::optional<meta::LeaveOneOut> leave1out;
  std::optional<meta::Cumulative> cumulative;
  std::string order_column;  ///< the column the cumulative analysis is ordered by ("" = input order)
  bool descending = false;
  std::optional<meta::Influence> influence;
  std::optional<meta::Baujat> baujat;
  Warnings warnings;  ///< reading, effect sizes and the analyses
};

[[nodiscard]] std::string render_sensitivity(const SensitivityReport& report, const RenderStyle& style);
[[nodiscard]] nlohmann::ordered_json sensitivity_json(const SensitivityReport& report);

}  // namespace trialstats::render
