#include "common.hpp"

#include <cctype>

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
  const std::map<std::string, std::string> delimiters{{",", "comma"},     {"comma", "comma"}, {";", "semicolon"},
                                                      {"semicolon", "semicolon"}, {"tab", "tab"}, {"\t", "tab"},
                                                      {"auto", "auto"}};
  app.add_option("--delim", args.delimiter, "Input delimiter: comma, semicolon, tab (or , ; \\t); default: detected from the header")
      ->transform(CLI::CheckedTransformer(delimiters, CLI::ignore_case).description(""))
      // Runs first (transforms are applied last-added first): a readable message for other values.
      ->transform(CLI::Validator(
          [delimiters](const std::string& s) {
            std::string lower = s;
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return delimiters.count(lower) ? std::string()
                                           : "expected comma, semicolon, tab or auto, got '" + s + "'";
          },
          "", "delimiter"))
      ->option_text("comma|semicolon|tab|auto")
      ->default_str("auto");
  app.add_flag("--quiet", args.quiet, "No warnings on stderr");
  app.add_flag("!--no-provenance", args.provenance, "No '# trialstats …' provenance line in text and CSV output");
}

io::CsvOptions csv_options(const CommonArgs& args) {
  if (args.delimiter == "comma") return {.delimiter = ','};
  if (args.delimiter == "semicolon") return {.delimiter = ';'};
  if (args.delimiter == "tab") return {.delimiter = '\t'};
  return {};
}

void add_escalc_options(CLI::App& app, EscalcArgs& args, bool measure_required) {
  std::map<std::string, effect::Measure> measures;
  std::string measure_list;
  for (const auto& m : effect::measures()) {
    measures.emplace(std::string(m.name), m.measure);
    measure_list += (measure_list.empty() ? "" : ", ") + std::string(m.name);
  }
  CLI::Option* measure =
      app.add_option("--measure", args.escalc.measure, "Effect-size measure (metafor's names, any case)")
          ->transform(CLI::CheckedTransformer(measures, CLI::ignore_case).description(""))
          // Runs first (transforms apply last-added first): a readable message for unknown names.
          ->transform(CLI::Validator(
              [measure_list](const std::string& s) {
                return effect::parse_measure(s) ? std::string()
                                                : fmt::format("unknown measure '{}'; one of {}", s, measure_list);
              },
              "", "measure"))
          ->option_text("MEASURE: " + measure_list);
  if (measure_required) measure->required();
  else measure->default_str("GEN");
  args.add_option = app.add_option("--add", args.add,
                                   "Continuity correction added to zero cells/counts (default 1/2; 0 for PAS, PFT)")
                        ->check(CLI::NonNegativeNumber);
  const std::map<std::string, effect::ContinuityRule> rules{{"only0", effect::ContinuityRule::only0},
                                                            {"all", effect::ContinuityRule::all},
                                                            {"if0all", effect::ContinuityRule::if0all},
                                                            {"none", effect::ContinuityRule::none}};
  args.to_option = app.add_option("--to", args.escalc.to, "Which studies get --add: only0, all, if0all or none")
                       ->transform(CLI::CheckedTransformer(rules, CLI::ignore_case).description(""))
                       ->option_text("only0|all|if0all|none")
                       ->default_str("only0");
  args.drop00_option =
      app.add_flag("--drop00", args.escalc.drop00, "Drop 2x2 tables (and rate pairs) with no events in both groups");
  const std::map<std::string, effect::VarianceType> vtypes{
      {"LS", effect::VarianceType::ls}, {"UB", effect::VarianceType::ub}, {"LS2", effect::VarianceType::ls2}};
  args.vtype_option =
      app.add_option("--vtype", args.escalc.vtype, "Variance formula: LS (default), UB (SMD, RD, PR), LS2 (SMD, SMCC, SMCR)")
          ->transform(CLI::CheckedTransformer(vtypes, CLI::ignore_case).description(""))
          ->option_text("LS|UB|LS2")
          ->default_str("LS");
}

effect::EscalcOptions EscalcArgs::resolve(effect::EscalcOptions base) const {
  base.measure = escalc.measure;
  if (add_option->count() > 0) base.add = add;
  if (to_option->count() > 0) base.to = escalc.to;
  if (drop00_option->count() > 0) base.drop00 = escalc.drop00;
  if (vtype_option->count() > 0) base.vtype = escalc.vtype;
  return base;
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
