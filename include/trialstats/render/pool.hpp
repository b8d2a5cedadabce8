// Rendering a pooled analysis: a metafor-like printout, JSON in DESIGN.md's shape, CSV and Markdown.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/core/types.hpp"
#include "trialstats/meta/binary_pooling.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/meta/subgroup.hpp"
#include "trialstats/render/format.hpp"

namespace trialstats::render {

/// The pooled estimate on the scale of the original measure (e.g. exp for log risk ratios).
struct BackTransformed {
  std::string scale;      ///< "ratio", "correlation", "proportion", …
  double estimate = 0;
  Interval ci;
  Interval pi;
};

/// A further test of a pooled analysis, e.g. Cochran–Mantel–Haenszel or Tarone's.
struct NamedTest {
  std::string name;       ///< "Cochran-Mantel-Haenszel Test"
  std::string key;        ///< JSON key: "cmh", "tarone", …
  std::string symbol;     ///< "CMH", "X^2"
  meta::ChiSquareTest test;
};

/// Everything one pooled analysis shows: where the data came from, the model, the studies.
struct PoolReport {
  std::string file;
  std::size_t rows = 0;                  ///< data rows read
  std::vector<std::size_t> dropped;      ///< line numbers of rows dropped for missing values
  std::string measure;                   ///< "RR", "SMD", "GEN", …
  std::string profile = "metafor";
  meta::I2Definition i2_definition = meta::I2Definition::tau2;
  std::vector<std::string> study;        ///< labels, one per pooled study
  std::vector<double> yi, vi;
  std::string method;                    ///< "REML", "DL", "EE", "MH", "PETO", …
  meta::PooledEffect fit;                ///< MH and Peto in the same shape (meta::as_pooled_effect)
  std::vector<NamedTest> tests;          ///< further tests (MH: CMH, Tarone, Breslow–Day)
  std::optional<BackTransformed> transformed;
  Warnings warnings;                     ///< of reading and effect sizes; the fit's own are in `fit`
  std::string subgroup_column;           ///< pool --subgroup COL
  std::optional<meta::SubgroupAnalysis> subgroups;  ///< per-level estimates and both tests for subgroup differences
};

struct PoolRenderOptions {
  bool stars = false;                    ///< significance stars after the p-value, as metafor prints them
  bool studies = true;                   ///< the per-study table (JSON: the `studies` array)
};

/// The whole report in the style's format.
[[nodiscard]] std::string render_pool(const PoolReport& report, const RenderStyle& style,
                                      const PoolRenderOptions& options = {});
/// DESIGN.md's JSON object of one analysis; `studies` empty unless `with_studies`.
[[nodiscard]] nlohmann::ordered_json pool_json(const PoolReport& report, bool with_studies = true);

/// One analysis of a batch (`pool --by COL`): its group value and either a report or an error.
struct BatchEntry {
  std::string group;
  std::optional<PoolReport> report;
  std::string error;                     ///< why there is no report
};

/// One row per analysis (text, CSV, Markdown) or one JSON object per line (JSON Lines).
[[nodiscard]] std::string render_pool_batch(const std::string& by, const std::vector<BatchEntry>& entries,
                                            const RenderStyle& style, const PoolRenderOptions& options = {});
/// The streaming formats of a batch (CSV, JSON Lines) piece by piece, so that the lines can be
/// rendered where they are computed: the head (provenance and CSV header; empty for JSON) and one line.
[[nodiscard]] std::string render_pool_batch_head(const std::string& by, const RenderStyle& style);
[[nodiscard]] std::string render_pool_batch_line(const std::string& by, const BatchEntry& entry, const RenderStyle& style,
                                                 const PoolRenderOptions& options = {});

}  // namespace trialstats::render
