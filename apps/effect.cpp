// trialstats effect: effect sizes and sampling variances of every row of a table (metafor's escalc).
#include <memory>
#include <string>

#include <fmt/format.h>

#include "command.hpp"
#include "common.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/effect/measure.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/render/effect.hpp"

namespace trialstats::app {
namespace {

struct EffectArgs {
  std::string input;
  EscalcArgs escalc;  ///< --measure, --add, --to, --drop00, --vtype (shared with pool)
  bool transform = false;
  CommonArgs common;
};

const char* const long_description = R"(Computes one effect size (yi) and its sampling variance (vi) per row, as metafor 3.8's
escalc() does with its default options, and appends yi, vi, sei and a Wald CI to the table.
  continuous, two groups  MD, SMD (Hedges' g, exact correction), SMDH, ROM   m1i sd1i n1i m2i sd2i n2i
  pre-post, one group     MC, SMCC (m1i m2i sd1i sd2i ni ri), SMCR (m1i m2i sd1i ni ri)
  2x2 tables              RR, OR, RD, PETO                                  ai bi ci di  or  ai n1i ci n2i
  correlations            COR, ZCOR                                         ri ni
  proportions             PR, PLO, PAS, PFT                                 xi ni
  incidence rates         IRR, IRD                                          x1i x2i t1i t2i
  given                   GEN                                               yi vi  or  yi sei
Columns are found by these names; map others with --col ROLE=NAME, and the study labels with
--col study=NAME. Zero cells/counts get --add (1/2; 0 for PAS and PFT) as --to says (only0:
only studies with a zero). Rows with a missing value are dropped with a warning.
Formulas and references: docs/methods.md, "Effect sizes" (Viechtbauer 2010, J Stat Softw 36(3)).)";

}  // namespace

Subcommand add_effect_command(CLI::App& parent) {
  auto args = std::make_shared<EffectArgs>();
  CLI::App* app = parent.add_subcommand("effect", "Effect sizes and sampling variances per study (like metafor's escalc)");
  app->description(std::string("Effect sizes and sampling variances per study (like metafor's escalc).\n\n") +
                   long_description);
  const std::string example =
      "trialstats effect data/bcg.csv --measure RR --col ai=tpos --col bi=tneg --col ci=cpos --col di=cneg "
      "--col study=author";
  app->footer("Example:\n  " + example + "\n");

  app->add_option("file", args->input, "Input CSV file ('-' reads standard input)")->required();
  add_escalc_options(*app, args->escalc, true);
  app->add_flag("--transform", args->transform,
                "Also give yi and its CI back-transformed (exp for ratios, tanh for ZCOR, proportions for PLO/PAS/PFT)");
  add_common_options(*app, args->common);

  auto run = [args](const Invocation& inv) -> int {
    EffectArgs& a = *args;
    a.common.command_line = inv.command_line;
    const effect::EscalcOptions options = a.escalc.resolve({});
    const io::Table table = io::read_csv(a.input, csv_options(a.common));
    const io::EffectTable effects = io::effects_from_table(table, io::ColumnRoles(a.common.column_map), options);
    if (effects.rows.empty())
      throw NoResultError(fmt::format("{}: no row has an effect size (all {} dropped)", table.source(), table.rows()));
    Warnings warnings = effects.warnings;
    if (a.transform && effect::info(options.measure).scale == effect::Scale::identity)
      warnings.push_back({"no_back_transform", fmt::format("measure {} has no back-transformation; --transform ignored",
                                                           effect::name(options.measure))});
    const io::EffectColumns columns = io::effect_columns(effects, table.rows(), a.common.level / 100, a.transform);
    io::EffectTable shown = effects;
    shown.warnings = warnings;
    emit(a.common, render::render_effect(table, shown, columns, options, render_style(a.common)), {a.input}, inv.out);
    report_warnings(a.common, warnings, inv.err);
    return 0;
  };
  return {app, example, run};
}

}  // namespace trialstats::app
