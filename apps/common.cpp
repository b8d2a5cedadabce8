#include "common.hpp"

#include <fmt/format.h>

#include "trialstats/core/error.hpp"
#include "trialstats/render/output.hpp"

namespace trialstats::app {

void add_common_options(CLI::App& app, CommonArgs& args) {
  const std::map<std::string, render::OutputFormat> formats{{"text", render::OutputFormat::text},
                                                             {"json", render::OutputFormat::json},
                                                             {"csv", render::OutputFormat::csv},
                                                             {"md", render::OutputFormat::md}};
  app.add_option("--format", args.format, "Output format: text, json, csv or md")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->default_str("text");
  app.add_option("-o,--output", args.output, "Write the output to FILE (atomically; never over an input)");
  app.add_option("--digits", args.digits, "Decimals in text and Markdown output")
      ->check(CLI::Range(0, 15))
      ->capture_default_str();
  app.add_option("--level", args.level, "Confidence level in percent")
      ->check(CLI::Range(50.0, 99.999))
      ->capture_default_str();
  app.add_option("--col", args.column_map, "Map a column role to a column name: ROLE=NAME (repeatable)")
      ->check([](const std::string& s) {
        const auto eq = s.find('=');
        return (eq == std::string::npos || eq == 0 || eq + 1 == s.size()) ? std::string("expected ROLE=NAME, got " + s)
                                                                         : std::string();
      });
  app.add_flag("--quiet", args.quiet, "No warnings on stderr");
  app.add_flag("!--no-provenance", args.provenance, "No '# trialstats …' provenance line in text and CSV output");
}

render::RenderStyle render_style(const CommonArgs& args) {
  return {.format = args.format,
          .digits = args.digits,
          .provenance = args.provenance ? args.command_line : std::string()};
}

void emit(const CommonArgs& args, const std::string& content, const std::vector<std::string>& inputs,
          std::ostream& out) {
  if (args.output.empty() || args.output == "-") {
    out << content;
    out.flush();
  } else {
    render::write_output(args.output, content, inputs);
  }
}

}  // namespace trialstats::app

namespace trialstats::app {

void report_warnings(const CommonArgs& args, const Warnings& warnings, std::ostream& err) {
  if (args.quiet || args.format == render::OutputFormat::json) return;
  for (const auto& w : warnings) err << "trialstats: warning: " << w.message << '\n';
}

}  // namespace trialstats::app
