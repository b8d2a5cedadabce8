// trialstats: a command table, one parse, one place that maps errors to exit codes.
#include <algorithm>
#include <array>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "trialstats/core/error.hpp"

namespace {

using trialstats::ExitCode;
using AddCommand = trialstats::app::Subcommand (*)(CLI::App&);

// The command table: one entry per subcommand, in the order `--help` lists them.
struct Command {
  std::string_view name;
  AddCommand add;
};
const std::array<Command, 11> commands = {{
    {"describe", &trialstats::app::add_describe_command},
    {"effect", &trialstats::app::add_effect_command},
    {"pool", &trialstats::app::add_pool_command},
    {"regress", &trialstats::app::add_regress_command},
    {"sensitivity", &trialstats::app::add_sensitivity_command},
    {"bias", &trialstats::app::add_bias_command},
    {"mcid", &trialstats::app::add_mcid_command},
    {"reproduce", &trialstats::app::add_reproduce_command},
    {"corr", &trialstats::app::add_corr_command},
    {"compare", &trialstats::app::add_compare_command},
    {"check", &trialstats::app::add_check_command},
}};

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

  // A run of one command declares that command's options only (declaring them all costs about a
  // millisecond at every start); the top level (--help, --version, a mistyped command) declares all.
  const auto invoked = std::find_if(commands.begin(), commands.end(),
                                    [&](const Command& c) { return argc > 1 && c.name == argv[1]; });
  std::vector<trialstats::app::Subcommand> subcommands;
  if (invoked != commands.end()) {
    subcommands.push_back(invoked->add(app));
  } else {
    std::string examples = "Examples:\n";
    for (const Command& c : commands) {
      subcommands.push_back(c.add(app));
      examples += fmt::format("  {}\n", subcommands.back().example);
    }
    app.footer(examples + "\nRun 'trialstats COMMAND --help' for the options of a command.");
    // An unknown command: say so, and name the commands (CLI11 would only say that one is required).
    if (argc > 1 && argv[1][0] != '-') {
      std::string names;
      for (const Command& c : commands) names += fmt::format("{}{}", names.empty() ? "" : ", ", c.name);
      return fail(ExitCode::usage, fmt::format("unknown command '{}' (commands: {}); see 'trialstats --help'", argv[1], names));
    }
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
