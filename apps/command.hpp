// The shape of a subcommand: `add_<name>_command` declares it on the parent app (options,
// validators, help, example) and returns how to run it once the command line is parsed.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace trialstats::app {

/// What a parsed subcommand runs with.
struct Invocation {
  std::ostream& out;
  std::ostream& err;
  std::string command_line;  ///< "trialstats pool data/bcg.csv …", for provenance lines
};

struct Subcommand {
  CLI::App* app = nullptr;
  std::string example;  ///< one worked example, shown in `trialstats --help`
  /// Reads, computes, renders; returns the exit code. Errors are thrown (main maps them).
  std::function<int(const Invocation&)> run;
};

// One declaration per subcommand; main.cpp's command table lists them.
Subcommand add_effect_command(CLI::App& parent);
Subcommand add_pool_command(CLI::App& parent);
Subcommand add_describe_command(CLI::App& parent);
Subcommand add_regress_command(CLI::App& parent);
Subcommand add_sensitivity_command(CLI::App& parent);
Subcommand add_bias_command(CLI::App& parent);
Subcommand add_mcid_command(CLI::App& parent);
Subcommand add_reproduce_command(CLI::App& parent);
Subcommand add_corr_command(CLI::App& parent);
Subcommand add_compare_command(CLI::App& parent);
Subcommand add_check_command(CLI::App& parent);

}  // namespace trialstats::app
