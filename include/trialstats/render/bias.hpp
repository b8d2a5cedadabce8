// Rendering small-study-effect analyses (Egger's test, rank test, trim and fill, fail-safe N,
// PET-PEESE): metafor-like printouts in text and Markdown, JSON, and CSV as one row per quantity.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/bias.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/render/format.hpp"

namespace trialstats::render {

/// Everything `trialstats bias` shows; the analyses not asked for are absent.
struct BiasReport {
  std::string file;
  std::size_t rows = 0;
  std::vector<std::size_t> dropped;
  std::string measure;
  std::string method;
  std::vector<std::string> study;  ///< labels, one per study (input order)
  std::vector<double> yi, vi;
  meta::PooledEffect fit;              ///< the model on every study
  std::vector<meta::EggerTest> egger;  ///< one per form asked for (rma, lm)
  std::optional<meta::RankTest> rank;
  std::optional<meta::TrimFill> trimfill;
  std::optional<meta::FailSafeN> fsn;
  std::optional<meta::PetPeese> pet_peese;
  Warnings warnings;
};

[[nodiscard]] std::string render_bias(const BiasReport& report, const RenderStyle& style);
[[nodiscard]] nlohmann::ordered_json bias_json(const BiasReport& report);

}  // namespace trialstats::render
