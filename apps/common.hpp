// Options every subcommand shares (DESIGN.md, CLI contract) and the helpers that turn them into
// library options: output format, output file, digits, confidence level, column roles.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "trialstats/core/types.hpp"
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
  std::string command_line;                ///< the invocation, for the provenance line (set by main)
};

/// Declares --format, -o, --digits, --level, --col, --quiet and --no-provenance on a subcommand.
void add_common_options(CLI::App& app, CommonArgs& args);

/// The render style the common options ask for.
[[nodiscard]] render::RenderStyle render_style(const CommonArgs& args);

/// Writes the rendered output: to -o atomically, or to `out`.
void emit(const CommonArgs& args, const std::string& content, const std::vector<std::string>& inputs,
          std::ostream& out);

/// Prints `trialstats: warning: …` lines on `err` in text output unless --quiet (JSON carries them itself).
void report_warnings(const CommonArgs& args, const Warnings& warnings, std::ostream& err);

}  // namespace trialstats::app
