// Options every subcommand shares (DESIGN.md, CLI contract) and the helpers that turn them into
// library options: output format, output file, digits, confidence level, column roles.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "trialstats/core/types.hpp"
#include "trialstats/effect/measure.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/table.hpp"
#include "trialstats/render/format.hpp"

namespace trialstats::app {

struct CommonArgs {
  render::OutputFormat format = render::OutputFormat::text;
  std::string output;                      ///< -o FILE; empty: standard output
  int digits = 4;                          ///< --digits
  double level = 95;                       ///< --level, in percent
  std::vector<std::string> column_map;     ///< --col ROLE=NAME, repeatable
  bool quiet = false;                      ///< --quiet: no warnings on stderr
  bool provenance = true;                  ///< --no-provenance turns the '# trialstats …' line off
  std::string delimiter = "auto";          ///< --delim: comma, semicolon, tab or auto (detected)
  std::string command_line;                ///< the invocation, for the provenance line (set by main)
};

/// Declares --format, -o, --digits, --level, --col, --delim, --quiet and --no-provenance on a subcommand.
void add_common_options(CLI::App& app, CommonArgs& args);

/// --threshold, --max-iter and --metafor-stopping of the iterative tau² estimators, on the fields of
/// `o` (meta::Tau2Options, PoolOptions or RegressionOptions). Returns the --threshold option, which
/// resolve_convergence_options() needs after parsing.
template <class Options>
CLI::Option* add_convergence_options(CLI::App& app, Options& o) {
  CLI::Option* threshold = app.add_option("--threshold", o.threshold, "Convergence threshold of iterative estimators")
                               ->check(CLI::PositiveNumber)
                               ->capture_default_str();
  app.add_option("--max-iter", o.max_iter, "Iterations of iterative estimators")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--metafor-stopping", o.metafor_stopping,
               "Stop ML, REML and EB as metafor does (|change of tau^2| < threshold, default then 1e-5), to "
               "reproduce its figures");
  return threshold;
}

/// With --metafor-stopping and no --threshold, metafor's default threshold (1e-5, rma.uni's control).
template <class Options>
void resolve_convergence_options(Options& o, const CLI::Option& threshold) {
  if (o.metafor_stopping && threshold.count() == 0) o.threshold = 1e-5;
}

/// The CSV reading options the common options ask for (--delim).
[[nodiscard]] io::CsvOptions csv_options(const CommonArgs& args);

/// The effect-size options shared by `effect` and `pool`: --measure, --add, --to, --drop00, --vtype.
struct EscalcArgs {
  effect::EscalcOptions escalc;
  double add = 0.5;
  CLI::Option* add_option = nullptr;
  CLI::Option* to_option = nullptr;
  CLI::Option* drop00_option = nullptr;
  CLI::Option* vtype_option = nullptr;
  /// `base` (e.g. a profile's conventions) with the options given on the command line on top.
  [[nodiscard]] effect::EscalcOptions resolve(effect::EscalcOptions base) const;
};

/// Declares --measure (required when `measure_required`, else defaulting to GEN), --add, --to, --drop00, --vtype.
void add_escalc_options(CLI::App& app, EscalcArgs& args, bool measure_required);

/// The render style the common options ask for.
[[nodiscard]] render::RenderStyle render_style(const CommonArgs& args);

/// Writes the rendered output: to -o atomically, or to `out`.
void emit(const CommonArgs& args, const std::string& content, const std::vector<std::string>& inputs,
          std::ostream& out);

/// Prints `trialstats: warning: …` lines on `err` in text output unless --quiet (JSON carries them itself).
void report_warnings(const CommonArgs& args, const Warnings& warnings, std::ostream& err);

}  // namespace trialstats::app
