// trialstats: a command table, one parse, one place that maps errors to exit codes.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "trialstats/core/error.hpp"

namespace {

using trialstats::ExitCode;
using AddCommand = trialstats::app::Subcommand (*)(CLI::App&);

// The command table: one entry per subcommand, in the order `--help` lists them.
const std::vector<AddCommand> commands = {
    &trialstats::app::add_describe_command,
    &trialstats::app::add_effect_command,
    &trialstats::app::add_pool_command,
    &trialstats::app::add_regress_command,
    &trialstats::app::add_sensitivity_command,
    &trialstats::app::add_bias_command,
    &trialstats::app::add_mcid_command,
    &trialstats::app::add_reproduce_command,
    &trialstats::app::add_corr_command,
    &trialstats::app::add_compare_command,
    &trialstats::app::add_check_command,
};

int fail(ExitCode code, const std::string& message) {
  std::cerr << "trialstats: error: " << message << '\n';
  return static_cast<int>(code);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trialstats — outcome statistics for clinical-trial evidence: effect sizes, meta-analysis,\n"
               "clinical importance, correlations and the re-derivation of published figures.",
               "trialstats"};
  app.set_version_flag("--version", std::string("trialstats ") + TRIALSTATS_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  // Usage errors in the same shape as every other error, with the way to the help of that command.
  app.failure_message([](const CLI::App* failed, const CLI::Error& e) {
    std::string command = "trialstats";
    for (const CLI::App* sub : failed->get_subcommands()) command += " " + sub->get_name();
    return fmt::format("trialstats: error: {}\nRun '{} --help' for the options.\n", e.what(), command);
  });

  std::vector<trialstats::app::Subcommand> subcommands;
  std::string examples = "Examples:\n";
  for (const AddCommand add : commands) {
    subcommands.push_back(add(app));
    examples += fmt::format("  {}\n", subcommands.back().example);
  }
  app.footer(examples + "\nRun 'trialstats COMMAND --help' for the options of a command.");

  // An unknown command: say so, and name the commands (CLI11 would only say that one is required).
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const auto& sub : subcommands) {
      names += (names.empty() ? "" : ", ") + sub.app->get_name();
      known = known || sub.app->get_name() == argv[1];
    }
    if (!known)
      return fail(ExitCode::usage, fmt::format("unknown command '{}' (commands: {}); see 'trialstats --help'", argv[1], names));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : static_cast<int>(ExitCode::usage);  // --help, --version: 0
  }

  std::string command_line = "trialstats";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  try {
    for (const auto& sub : subcommands)
      if (sub.app->parsed()) return sub.run({std::cout, std::cerr, command_line});
    return fail(ExitCode::usage, "no command given");
  } catch (const trialstats::Error& e) {
    return fail(e.exit_code(), e.what());
  } catch (const std::exception& e) {
    return fail(ExitCode::internal, fmt::format("internal error: {}", e.what()));
  }
}
