// trialstats describe: a first look at a CSV file, one row per column (type, present and missing
// cells, range of the numbers, first values); the reader's checks, end to end.
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "common.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/describe.hpp"
#include "trialstats/render/describe.hpp"

namespace trialstats::app {
namespace {

struct DescribeArgs {
  std::string input;
  std::vector<std::string> numeric;  ///< --numeric NAME: columns that must hold numbers only
  CommonArgs common;
};

const char* const long_description = R"(Reads a CSV file with every check of the reader (docs/cli.md, "Input files") and shows,
for each column: its type (number: every present cell is a number; text; empty: every cell
is missing), how many cells are present and missing (empty or NA), the smallest and largest
number, and the first distinct values of text columns. A text column that also holds numbers
gets a note with its first text cell and where it stands. --numeric NAME makes it an error
(exit 3, at the cell) when that column holds anything but numbers.)";

}  // namespace

Subcommand add_describe_command(CLI::App& parent) {
  auto args = std::make_shared<DescribeArgs>();
  CLI::App* app = parent.add_subcommand("describe", "A first look at a CSV file: each column's type, counts and range");
  app->description(std::string("A first look at a CSV file: each column's type, counts and range.\n\n") +
                   long_description);
  const std::string example = "trialstats describe data/bcg.csv";
  app->footer("Example:\n  " + example + "\n");
  app->add_option("file", args->input, "Input CSV file ('-' reads standard input)")->required();
  app->add_option("--numeric", args->numeric, "Require column NAME to hold only numbers (repeatable)")
      ->option_text("NAME");
  add_common_options(*app, args->common);

  auto run = [args](const Invocation& inv) -> int {
    DescribeArgs& a = *args;
    a.common.command_line = inv.command_line;
    const io::Table table = io::read_csv(a.input, csv_options(a.common));
    for (const auto& name : a.numeric) io::require_numbers(table.column(name));
    emit(a.common, render::render_describe(io::describe(table), render_style(a.common)), {a.input}, inv.out);
    return 0;
  };
  return {app, example, run};
}

}  // namespace trialstats::app
