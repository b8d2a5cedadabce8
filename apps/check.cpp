// trialstats check: finds the test statistics a text reports (t, F, r, χ², z with their p-values)
// and recomputes each p as statcheck does; or, with --grim, tests whether a reported mean (and SD)
// of integer data is possible at all (GRIM, GRIMMER).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "trialstats/claims/grim.hpp"
#include "trialstats/claims/statcheck.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/render/check.hpp"

namespace trialstats::app {
namespace {

struct CheckArgs {
  CommonArgs common;
  std::string input;
  double alpha = 0.05;
  std::string fail_on = "never";
  std::string grim_mean, grim_sd;
  std::optional<double> n;
  double items = 1;
};

std::string read_text(const std::string& path) {
  if (path == "-") return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError({path, 0, 0}, "cannot read the file: it is a folder");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, fmt::format("cannot open the file: {}", std::strerror(errno)));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A number as written on the command line and its decimals ("5.19" → 5.19, 2).
std::pair<double, int> number_with_decimals(const std::string& s, const char* option) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size() || !std::isfinite(v))
    throw UsageError(fmt::format("{}: expected a number such as 5.19, got '{}'", option, s));
  const auto dot = s.find('.');
  return {v, dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1)};
}

const char* const long_description = R"(Finds the test statistics a text or Markdown file reports and recomputes their
p-values, as statcheck does and more widely: t(df) = x, F(df1, df2) = x, r(df) = x,
χ²(df) = x (also χ2, chi2, X2; with N = or n =), z = x, and r = x, n = N; each followed after a
comma or semicolon by p = / < / > / ≤ / ≥ y or ns. Minus signs may be Unicode, leading
zeros dropped (−.62), p written with an exponent (3.6e-2). A result is inconsistent when no value
that rounds to the reported statistic gives the reported p; a decision error when it is
inconsistent and significance at --alpha flips. A note says when a one-tailed test would make
it consistent. Line and column (in characters) locate each finding.

With --grim MEAN --n N [--items K] [--sd SD] it tests instead whether a mean of N answers to K
integer items, reported with the decimals written, is possible (GRIM), and the SD too (GRIMMER).
Formulas and references: docs/methods.md, "Checking reported statistics".)";

}  // namespace

Subcommand add_check_command(CLI::App& parent) {
  auto args = std::make_shared<CheckArgs>();
  CheckArgs& a = *args;
  CLI::App* app = parent.add_subcommand("check", "Recompute the p-values a text reports (statcheck), GRIM and GRIMMER");
  app->description(std::string("Recompute the p-values a text reports; GRIM and GRIMMER.\n\n") + long_description);
  const std::string example = "trialstats check paper.md --fail-on inconsistent";
  app->footer("Examples:\n  " + example + "\n  trialstats check --grim 5.19 --n 28\n");
  app->add_option("file", a.input, "Text or Markdown file ('-' reads standard input)");
  app->add_option("--alpha", a.alpha, "Significance level for decision errors; 'ns' means p > alpha")
      ->check(CLI::Range(0.0001, 0.5))
      ->capture_default_str();
  app->add_option("--fail-on", a.fail_on, "Exit 1 when a finding is inconsistent or a decision error (never: always 0)")
      ->check(CLI::IsMember({"never", "inconsistent", "decision-error"}))
      ->capture_default_str();
  auto* grim =
      app->add_option("--grim", a.grim_mean, "GRIM: a reported mean, with its decimals as written (e.g. 5.19)");
  app->add_option("--n", a.n, "GRIM: the number of respondents")->needs(grim);
  app->add_option("--items", a.items, "GRIM: integer items averaged per respondent")
      ->needs(grim)
      ->capture_default_str();
  app->add_option("--sd", a.grim_sd, "GRIMMER: the reported SD, with its decimals as written")->needs(grim);
  add_common_options(*app, a.common);

  auto run = [args](const Invocation& inv) -> int {
    CheckArgs& a = *args;
    a.common.command_line = inv.command_line;
    const render::RenderStyle style = render_style(a.common);
    if (!a.grim_mean.empty()) {
      if (!a.input.empty()) throw UsageError("give either a FILE to check or --grim, not both");
      if (!a.n) throw UsageError("--grim needs --n, the number of respondents");
      const auto [mean, mean_decimals] = number_with_decimals(a.grim_mean, "--grim");
      claims::ReportedMean m{.mean = mean, .mean_decimals = mean_decimals, .n = *a.n, .items = a.items};
      if (!a.grim_sd.empty()) {
        const auto [sd, sd_decimals] = number_with_decimals(a.grim_sd, "--sd");
        m.sd = sd;
        m.sd_decimals = sd_decimals;
      }
      const claims::GrimResult r = claims::grim_test(m);
      emit(a.common, render::render_grim(m, r, style), {}, inv.out);
      const bool bad =
          r.mean == claims::GrimVerdict::inconsistent || (r.sd && *r.sd == claims::GrimVerdict::inconsistent);
      return a.fail_on != "never" && bad ? static_cast<int>(ExitCode::check_failed) : 0;
    }
    if (a.input.empty()) throw UsageError("give a FILE to check ('-' for standard input) or --grim MEAN --n N");
    const std::string text = read_text(a.input);
    const claims::CheckResult result = claims::check_text(text, {.alpha = a.alpha});
    report_warnings(a.common, result.warnings, inv.err);
    emit(a.common, render::render_check(result, a.input == "-" ? "standard input" : a.input, style), {a.input},
         inv.out);
    if (a.fail_on == "inconsistent" && result.inconsistent() > 0) return static_cast<int>(ExitCode::check_failed);
    if (a.fail_on == "decision-error" && result.decision_errors() > 0) return static_cast<int>(ExitCode::check_failed);
    return 0;
  };
  return {app, example, run};
}

}  // namespace trialstats::app
