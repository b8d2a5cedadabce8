// The pooling options shared by the subcommands that pool a trials CSV (`pool`, `mcid`): the
// effect-size options, --profile, --method, --tau2, --test, --pi-df, --i2, --threshold, --max-iter,
// --step-adj, --metafor-stopping, --fallback, --no-tau2-ci; their resolution against the profile's
// conventions; and the analysis of one set of studies.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"
#include "trialstats/effect/escalc.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/meta/binary_pooling.hpp"
#include "trialstats/meta/model.hpp"
#include "trialstats/render/pool.hpp"

namespace trialstats::app {

/// The model options as given on the command line and, after `resolve_pooling`, as used.
struct PoolingArgs {
  EscalcArgs escalc;
  effect::EscalcOptions effects;  ///< resolved: profile, then the command line
  std::string profile = "metafor";
  std::string method = "REML";
  std::optional<double> tau2;
  meta::PoolOptions pool;
  std::string pi_df = "test";
  std::optional<meta::MhMeasure> binary;  ///< set for --method MH or PETO
  meta::BinaryPoolingOptions binary_options;
  CLI::Option *method_option = nullptr, *test_option = nullptr, *pi_option = nullptr, *i2_option = nullptr;
  CLI::Option* threshold_option = nullptr;
  std::vector<std::string> fallback;
  bool no_tau2_ci = false;
};

/// Declares the effect-size and model options on `app`.
void add_pooling_options(CLI::App& app, PoolingArgs& args);

/// The profile's conventions first, then whatever the command line says explicitly; `level` in percent.
/// @throws UsageError for MH or PETO with a measure they do not pool.
void resolve_pooling(PoolingArgs& args, double level);

/// The analysis of the studies `subset` (indices into `effects`), as the report shows it; `weights`
/// holds the GENQ weights aligned with `effects` (empty when there are none).
/// @throws NoResultError when `subset` is empty.
[[nodiscard]] render::PoolReport analyse_pooling(const PoolingArgs& args, const io::EffectTable& effects,
                                                 const std::vector<std::size_t>& subset,
                                                 const std::vector<double>& weights);

}  // namespace trialstats::app
