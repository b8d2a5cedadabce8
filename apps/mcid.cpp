// trialstats mcid: is a pooled effect clinically important? The pooled effect comes from a trials
// CSV (pooled here with the options of `pool`), from `pool --format json`, or from --estimate/--se;
// the MCID from --mcid with its direction, or from the bundled instruments table.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "common.hpp"
#include "plots.hpp"
#include "pooling.hpp"
#include "trialstats/clinical/importance.hpp"
#include "trialstats/clinical/instruments.hpp"
#include "trialstats/clinical/mid_units.hpp"
#include "trialstats/clinical/responders.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/effect/measure.hpp"
#include "trialstats/io/csv.hpp"
#include "trialstats/render/mcid.hpp"
#include "trialstats/render/svg/mcid.hpp"

namespace trialstats::app {
namespace {

struct McidArgs {
  CommonArgs common;
  std::string input;  ///< trials CSV, pool JSON, or '-'
  PoolingArgs model;
  std::optional<double> estimate, se, df;
  std::optional<double> mcid;
  bool lower_is_better = false, higher_is_better = false;
  std::string instrument;
  std::string instruments_file;
  bool list_instruments = false;
  std::optional<double> baseline;
  std::optional<double> prior_sd;
  std::optional<double> control_change, change_sd;
  std::optional<double> sd, control_mean;  ///< MID conversion for SMD and ROM
  std::vector<std::string> fail_if;
  std::string plot;
  // --patients: individual patients
  std::string patients;
  std::string outcome;
  std::string baseline_period = "baseline";
  double reliability = 0.8;
  std::optional<double> functional_mean, functional_sd;
  std::string cutoff;
  std::string anchor;
  double improved_from = 5;
  std::string treatment, control;
  CLI::App* app = nullptr;
};

/// A readable check for options that must be positive numbers.
const CLI::Validator positive(
    [](const std::string& s) {
      double v = 0;
      try {
        std::size_t used = 0;
        v = std::stod(s, &used);
        if (used != s.size()) return "expected a positive number, got '" + s + "'";
      } catch (...) {
        return "expected a positive number, got '" + s + "'";
      }
      return v > 0 && std::isfinite(v) ? std::string() : "expected a positive number, got " + s;
    },
    "POSITIVE", "positive");

// ---- the instruments table ----------------------------------------------------------------------

/// The bundled table: next to an installed binary (../share/trialstats/mcid/), or in the data/ folder
/// of the source tree the binary was built in (a parent of the build folder).
std::string bundled_instruments() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path dir = exe.parent_path();
    const std::filesystem::path installed = dir.parent_path() / "share" / "trialstats" / "mcid" / "instruments.csv";
    if (std::filesystem::exists(installed, ec)) return installed.string();
    for (std::filesystem::path p = dir; !p.empty() && p != p.root_path(); p = p.parent_path()) {
      const std::filesystem::path candidate = p / "data" / "mcid" / "instruments.csv";
      if (std::filesystem::exists(candidate, ec)) return candidate.string();
    }
  }
  throw UsageError(
      "the bundled instruments table (data/mcid/instruments.csv) was not found; name one with --instruments FILE");
}

std::vector<clinical::Instrument> load_instruments(const std::string& path) {
  const io::Table t = io::read_csv(path);
  const auto text = [&](const char* col, std::size_t row) { return t.column(col).text(row); };
  const auto number = [&](const char* col, std::size_t row) { return t.column(col).number(row); };
  std::vector<clinical::Instrument> out;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    clinical::Instrument in;
    in.name = text("instrument", row);
    std::string aliases = t.column("aliases").is_missing(row) ? std::string() : text("aliases", row);
    for (std::size_t start = 0; start < aliases.size();) {
      const auto end = std::min(aliases.find(';', start), aliases.size());
      if (end > start) in.aliases.push_back(aliases.substr(start, end - start));
      start = end + 1;
    }
    in.label = text("label", row);
    in.scale_min = number("scale_min", row);
    in.scale_max = number("scale_max", row);
    in.mcid = number("mcid", row);
    if (!(in.mcid > 0))
      throw InputError(t.column("mcid").pos(row),
                       fmt::format("column 'mcid': expected a positive number, got {}", in.mcid));
    const std::string unit = text("unit", row), direction = text("direction", row);
    if (unit != "points" && unit != "percent")
      throw InputError(t.column("unit").pos(row),
                       fmt::format("column 'unit': expected points or percent, got '{}'", unit));
    in.unit = unit == "points" ? clinical::McidUnit::points : clinical::McidUnit::percent;
    if (direction != "lower_is_better" && direction != "higher_is_better")
      throw InputError(
          t.column("direction").pos(row),
          fmt::format("column 'direction': expected lower_is_better or higher_is_better, got '{}'", direction));
    in.direction =
        direction == "lower_is_better" ? clinical::Direction::lower_is_better : clinical::Direction::higher_is_better;
    in.population = text("population", row);
    in.source = text("source", row);
    out.push_back(std::move(in));
  }
  return out;
}

std::string list_instruments(const std::vector<clinical::Instrument>& table) {
  render::Grid g;
  g.header = {"instrument", "scale", "mcid", "direction", "population", "source"};
  for (const auto& in : table)
    g.rows.push_back({{in.name, false},
                      {fmt::format("{}-{}", in.scale_min, in.scale_max), false},
                      {fmt::format("{}{}", in.mcid, in.unit == clinical::McidUnit::percent ? "%" : " points"), false},
                      {std::string(clinical::name(in.direction)), false},
                      {in.population, false},
                      {in.source, false}});
  return render::to_text(g);
}

// ---- the pooled effect --------------------------------------------------------------------------

struct Pooled {
  clinical::PooledSummary summary;
  std::string measure, method, pi_formula;
  std::optional<int> k;
  std::optional<render::PoolReport> report;  ///< when pooled here
  Warnings warnings;
};

std::string pi_formula(std::optional<double> pi_df) {
  return pi_df ? fmt::format("estimate ± t(df = {})·sqrt(SE² + tau²), Higgins, Thompson & Spiegelhalter 2009",
                             render::exact(*pi_df))
               : "estimate ± z·sqrt(SE² + tau²), Higgins, Thompson & Spiegelhalter 2009";
}

Pooled from_report(render::PoolReport report) {
  Pooled p;
  const auto& f = report.fit;
  p.summary = {.estimate = f.estimate, .se = f.se, .df = {}, .tau2 = {}, .pi_df = {}, .level = f.level};
  if (f.df) p.summary.df = *f.df;
  if (f.method != meta::Tau2Method::ee && report.method != "MH" && report.method != "PETO") {
    p.summary.tau2 = f.het.tau2;
    if (f.pi_df) p.summary.pi_df = *f.pi_df;
    p.pi_formula = pi_formula(p.summary.pi_df);
  }
  p.measure = report.measure;
  p.method = report.method;
  p.k = f.k;
  p.warnings = report.warnings;
  p.warnings.insert(p.warnings.end(), f.warnings.begin(), f.warnings.end());
  p.report = std::move(report);
  return p;
}

Pooled from_trials(McidArgs& args, const io::Table& table) {
  resolve_pooling(args.model, args.common.level);
  const io::EffectTable effects =
      io::effects_from_table(table, io::ColumnRoles(args.common.column_map), args.model.effects);
  std::vector<double> weights;
  if (const io::Column* w = io::ColumnRoles(args.common.column_map).find(table, "weights"))
    for (const auto row : effects.rows) weights.push_back(w->number(row));
  std::vector<std::size_t> all(effects.yi.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  render::PoolReport report = analyse_pooling(args.model, effects, all, weights);
  report.warnings = effects.warnings;
  return from_report(std::move(report));
}

Pooled from_pool_json(const std::string& text, const std::string& source, bool level_given, double level) {
  const auto fail = [&](const std::string& msg) { throw InputError({source, 0, 0}, msg); };
  nlohmann::json j;
  try {
    std::istringstream in(text);
    in >> j;
    in >> std::ws;
    if (!in.eof()) fail("expected one JSON object of `trialstats pool --format json` (not JSON Lines of --by)");
  } catch (const nlohmann::json::exception& e) {
    fail(fmt::format("not JSON of `trialstats pool --format json`: {}", e.what()));
  }
  if (!j.is_object() || j.value("analysis", "") != "pool")
    fail("expected the JSON of `trialstats pool --format json` (\"analysis\": \"pool\")");
  const auto number = [&](const nlohmann::json& v, const char* key) -> std::optional<double> {
    if (!v.contains(key) || v[key].is_null()) return std::nullopt;
    if (!v[key].is_number()) fail(fmt::format("\"{}\": expected a number", key));
    return v[key].get<double>();
  };
  const auto estimate = number(j, "estimate"), se = number(j, "se");
  if (!estimate || !se) fail("\"estimate\" and \"se\" are missing or null");
  Pooled p;
  p.summary.estimate = *estimate;
  p.summary.se = *se;
  p.summary.df = number(j, "df");
  const nlohmann::json model = j.value("model", nlohmann::json::object());
  const auto json_level = number(model, "level");
  p.summary.level = level_given || !json_level ? level / 100 : *json_level / 100;
  p.method = model.value("method", "");
  p.measure = j.value("measure", "");
  if (const auto k = number(j, "k")) p.k = static_cast<int>(*k);
  if (p.method != "EE" && p.method != "MH" && p.method != "PETO" && j.contains("heterogeneity")) {
    p.summary.tau2 = number(j["heterogeneity"], "tau2");
    p.summary.pi_df = number(model, "pi_df");
    if (p.summary.tau2) p.pi_formula = pi_formula(p.summary.pi_df);
  }
  return p;
}

std::string read_all(std::istream& in) {
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool looks_like_json(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string::npos && text[first] == '{';
}

Pooled pooled_effect(McidArgs& args) {
  const bool level_given = args.app->count("--level") > 0;
  if (args.estimate) {
    Pooled p;
    p.summary = {.estimate = *args.estimate,
                 .se = *args.se,
                 .df = args.df,
                 .tau2 = args.model.tau2,
                 .pi_df = args.df,
                 .level = args.common.level / 100};
    if (args.model.tau2) p.pi_formula = pi_formula(args.df);
    p.measure = args.model.escalc.escalc.measure == effect::Measure::gen
                    ? ""
                    : std::string(effect::name(args.model.escalc.escalc.measure));
    return p;
  }
  if (args.input.empty())
    throw UsageError("give a trials CSV, '-' (CSV or `pool --format json` on standard input), or --estimate and --se");
  std::string text;
  if (args.input == "-") {
    text = read_all(std::cin);
  } else {
    std::ifstream in(args.input, std::ios::binary);
    if (!in) throw InputError({args.input, 0, 0}, "cannot open the file");
    // JSON of `pool` is small; a CSV is read by the CSV reader (which streams it).
    char c = 0;
    while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {
    }
    if (c != '{') {
      const io::Table table = io::read_csv(args.input, csv_options(args.common));
      return from_trials(args, table);
    }
    in.seekg(0);
    text = read_all(in);
  }
  const std::string source = args.input == "-" ? "<stdin>" : args.input;
  if (looks_like_json(text)) return from_pool_json(text, source, level_given, args.common.level);
  return from_trials(args, io::parse_csv(text, source, csv_options(args.common)));
}

// ---- the MCID -----------------------------------------------------------------------------------

std::vector<clinical::Category> parse_fail_if(const std::vector<std::string>& names) {
  using clinical::Category;
  std::vector<Category> out;
  for (const auto& n : names) {
    if (n == "not-important") {
      out.insert(out.end(), {Category::possibly_important, Category::significant_possibly_unimportant,
                             Category::trivial, Category::inconclusive});
      continue;
    }
    for (const Category c : {Category::important, Category::possibly_important,
                             Category::significant_possibly_unimportant, Category::trivial, Category::inconclusive}) {
      std::string hyphen(clinical::name(c));
      std::replace(hyphen.begin(), hyphen.end(), '_', '-');
      if (n == hyphen) out.push_back(c);
    }
  }
  return out;
}

// ---- individual patients ------------------------------------------------------------------------

int run_patients(McidArgs& args, const Invocation& inv, std::optional<clinical::Mcid> mcid,
                 clinical::Direction direction, std::optional<clinical::Instrument> instrument) {
  const io::Table t = io::read_csv(args.patients, csv_options(args.common));
  const io::ColumnRoles roles(args.common.column_map);
  const auto column = [&](const std::string& role) -> const io::Column& {
    if (const io::Column* c = roles.find(t, role)) return *c;
    return t.column(roles.name(role));  // throws, naming the columns there are
  };
  const auto value_of = [&](const io::Column& c, std::size_t row) {
    if (c.is_missing(row)) return std::nan("");
    return c.number(row);
  };
  render::PatientReport rep;
  rep.file = args.patients;
  rep.direction = direction;
  rep.level = args.common.level / 100;
  rep.reliability = args.reliability;
  rep.instrument = std::move(instrument);
  const bool diary = roles.find(t, "period") != nullptr;
  rep.diary = diary;
  const io::Column* arm_column = roles.find(t, "arm");
  std::vector<std::string> patient, arm;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    patient.push_back(column("patient").text(row));
    arm.push_back(arm_column ? arm_column->text(row) : std::string("all"));
  }
  if (diary) {
    if (args.outcome.empty())
      throw UsageError("--patients with a 'period' column (a diary): name the outcome column with --outcome");
    const io::Column& period = column("period");
    const io::Column& value = t.column(args.outcome);
    const auto is_baseline = std::make_unique<bool[]>(t.rows());
    std::vector<double> values;
    for (std::size_t row = 0; row < t.rows(); ++row) {
      is_baseline[row] = period.text(row) == args.baseline_period;
      values.push_back(value_of(value, row));
    }
    rep.patients = clinical::average_diary(patient, arm, std::span<const bool>(is_baseline.get(), t.rows()), values);
    rep.outcome = args.outcome;
  } else {
    const io::Column& b = column("baseline");
    const io::Column& f = column("followup");
    for (std::size_t row = 0; row < t.rows(); ++row)
      rep.patients.push_back({patient[row], arm[row], b.number(row), f.number(row), 1, 1});
    rep.outcome = args.outcome.empty() ? "followup - baseline" : args.outcome;
  }
  std::vector<double> pre, post, change;
  for (const auto& p : rep.patients) {
    pre.push_back(p.baseline);
    post.push_back(p.followup);
    change.push_back(p.followup - p.baseline);
  }
  clinical::RciOptions rci{.reliability = args.reliability, .direction = direction, .level = rep.level};
  if (args.functional_mean) rci.functional = clinical::Norms{*args.functional_mean, *args.functional_sd};
  if ((args.cutoff == "b" || args.cutoff == "c") && !args.functional_mean)
    throw UsageError(
        fmt::format("--cutoff {}: give the norms of a functional population with --functional-mean and "
                    "--functional-sd (cut-off a needs none)",
                    args.cutoff));
  if (!args.cutoff.empty())
    rci.cutoff = args.cutoff == "a"   ? clinical::Cutoff::a
                 : args.cutoff == "b" ? clinical::Cutoff::b
                                      : clinical::Cutoff::c;
  rep.rci = clinical::reliable_change(pre, post, rci);
  rep.distribution = clinical::distribution_mcid(rep.rci.dysfunctional.sd, args.reliability);
  if (mcid) rep.mcid = clinical::threshold(*mcid);

  rep.arms = clinical::summarise_arms(rep.patients, rep.rci, mcid);
  // Responders: treatment vs control.
  if (mcid && rep.arms.size() >= 2) {
    std::string treatment = args.treatment, control = args.control;
    if (control.empty() && treatment.empty() && rep.arms.size() == 2) {
      for (const auto& a : rep.arms)
        if (a.arm == "control") control = a.arm;
      for (const auto& a : rep.arms)
        if (a.arm != control && !control.empty()) treatment = a.arm;
    }
    if (treatment.empty() || control.empty())
      throw UsageError(
          fmt::format("--patients: {} arms; name the two to compare with --treatment and --control", rep.arms.size()));
    std::vector<double> ct, cc;
    for (std::size_t i = 0; i < rep.patients.size(); ++i) {
      if (rep.patients[i].arm == treatment) ct.push_back(change[i]);
      if (rep.patients[i].arm == control) cc.push_back(change[i]);
    }
    if (ct.empty() || cc.empty())
      throw UsageError(fmt::format("--treatment {} / --control {}: no patients in arm '{}'", treatment, control,
                                   ct.empty() ? treatment : control));
    rep.treatment = treatment;
    rep.control = control;
    rep.responders = clinical::arm_responders(ct, cc, *mcid, rep.level);
  }
  // Anchor-based derivation.
  if (!args.anchor.empty()) {
    const io::Column& a = t.column(args.anchor);
    std::vector<double> anchor;
    for (const auto& p : rep.patients) {
      std::optional<double> v;
      for (std::size_t row = 0; row < t.rows(); ++row) {
        if (patient[row] != p.patient || a.is_missing(row)) continue;
        const double x = a.number(row);
        if (v && *v != x)
          throw InputError(a.pos(row), fmt::format("column '{}': patient {} has anchor values {} and {}; one value per "
                                                   "patient",
                                                   args.anchor, p.patient, *v, x));
        v = x;
      }
      if (!v)
        throw InputError({args.patients, 0, 0},
                         fmt::format("column '{}': patient {} has no anchor value", args.anchor, p.patient));
      anchor.push_back(*v);
    }
    rep.anchor = args.anchor;
    rep.improved_from = args.improved_from;
    rep.anchor_groups = clinical::anchor_groups(change, anchor);
    const auto improved = std::make_unique<bool[]>(anchor.size());
    for (std::size_t i = 0; i < anchor.size(); ++i) improved[i] = anchor[i] >= args.improved_from;
    rep.roc = clinical::roc_mcid(change, std::span<const bool>(improved.get(), anchor.size()), direction, rep.level);
    rep.anchor_values = anchor;
  }
  emit(args.common, render::render_patients(rep, render_style(args.common)), {args.patients}, inv.out);
  return 0;
}

int run_mcid(McidArgs args, const Invocation& inv) {
  args.common.command_line = inv.command_line;
  const auto table_path = [&] { return args.instruments_file.empty() ? bundled_instruments() : args.instruments_file; };
  if (args.list_instruments) {
    emit(args.common, list_instruments(load_instruments(table_path())), {}, inv.out);
    return 0;
  }
  // The MCID and its direction: from the instruments table or the command line.
  render::McidReport report;
  clinical::Mcid mcid;
  if (!args.instrument.empty()) {
    const auto table = load_instruments(table_path());
    const clinical::InstrumentMatch match = clinical::find_instrument(table, args.instrument);
    if (!match.instrument) {
      std::string hint;
      for (std::size_t i = 0; i < match.suggestions.size(); ++i)
        hint += (i ? (i + 1 == match.suggestions.size() ? " or " : ", ") : "") + match.suggestions[i];
      throw UsageError(fmt::format("unknown instrument '{}'{}; 'trialstats mcid --list-instruments' lists them",
                                   args.instrument, hint.empty() ? "" : " (did you mean " + hint + "?)"));
    }
    const clinical::Instrument& in = *match.instrument;
    if ((args.lower_is_better && in.direction != clinical::Direction::lower_is_better) ||
        (args.higher_is_better && in.direction != clinical::Direction::higher_is_better))
      throw UsageError(fmt::format("--instrument {}: its direction is {}, which the direction flag contradicts",
                                   in.name, clinical::name(in.direction)));
    if (in.unit == clinical::McidUnit::percent && !args.baseline)
      throw UsageError(
          fmt::format("--instrument {}: its MCID is {}% of the baseline score; give the mean baseline "
                      "score with --baseline ({} to {})",
                      in.name, in.mcid, in.scale_min, in.scale_max));
    mcid = {clinical::mcid_points(in, args.baseline), in.direction};
    report.instrument = in;
    report.baseline = args.baseline;
  } else if (!args.patients.empty() && !args.mcid) {
    if (!args.lower_is_better && !args.higher_is_better)
      throw UsageError("--patients: say which direction is better, --lower-is-better or --higher-is-better");
    return run_patients(
        args, inv, std::nullopt,
        args.lower_is_better ? clinical::Direction::lower_is_better : clinical::Direction::higher_is_better,
        std::nullopt);
  } else {
    if (!args.mcid)
      throw UsageError(
          "give the MCID: --mcid VALUE with --lower-is-better or --higher-is-better, or --instrument NAME");
    if (!args.lower_is_better && !args.higher_is_better)
      throw UsageError(
          fmt::format("--mcid {}: say which direction is better, --lower-is-better (e.g. pain, fatigue) "
                      "or --higher-is-better (e.g. function, quality of life)",
                      *args.mcid));
    mcid = {*args.mcid,
            args.lower_is_better ? clinical::Direction::lower_is_better : clinical::Direction::higher_is_better};
    if (*args.mcid == 0 || !std::isfinite(*args.mcid))
      throw UsageError(fmt::format("--mcid: expected a non-zero number, got {}", *args.mcid));
  }
  report.mcid_given = mcid.value;
  if (!args.patients.empty()) return run_patients(args, inv, mcid, mcid.direction, report.instrument);

  Pooled pooled = pooled_effect(args);
  report.input = args.estimate ? "arguments" : pooled.report ? "trials" : "pool_json";
  report.file = args.estimate ? "" : args.input;
  report.measure = pooled.measure;
  report.method = pooled.method;
  report.k = pooled.k;
  report.pi_formula = pooled.pi_formula;
  report.warnings = pooled.warnings;

  // Ratio measures are pooled as logs: the MCID is a ratio, compared on the log scale.
  const auto measure = effect::parse_measure(pooled.measure);
  const bool rom_in_units = measure == effect::Measure::rom && args.control_mean;
  if (measure && effect::info(*measure).scale == effect::Scale::ratio && !rom_in_units) {
    if (report.instrument || args.sd)
      throw UsageError(fmt::format("{} is a ratio measure: give the MCID as a ratio with --mcid{}", pooled.measure,
                                   measure == effect::Measure::rom ? ", or in outcome units with --control-mean" : ""));
    if (!(mcid.value > 0) || mcid.value == 1)
      throw UsageError(fmt::format("--mcid: {} is a ratio measure; expected a ratio above 0 other than 1, got {}",
                                   pooled.measure, mcid.value));
    report.log_scale = true;
    mcid.value = std::fabs(std::log(mcid.value));
  }
  // SMD and ROM: the MCID (outcome units) on the pooled scale.
  const double raw = clinical::threshold(mcid);
  if (measure && (*measure == effect::Measure::smd || *measure == effect::Measure::smdh) && !report.log_scale) {
    if (!args.sd)
      throw UsageError(
          fmt::format("{} is standardised: give --sd (the SD of the outcome) to put the MCID of {} on its "
                      "scale",
                      pooled.measure, render::exact(raw)));
    render::MidConversion c;
    c.formula = "MCID / SD";
    c.raw_mcid = raw;
    c.reference = *args.sd;
    c.pooled_mcid = clinical::mcid_on_smd_scale(raw, *args.sd);
    mcid.value = c.pooled_mcid;
    report.conversion = c;
  } else if (rom_in_units) {
    report.log_scale = true;
    render::MidConversion c;
    c.formula = "ln((control mean + MCID) / control mean)";
    c.raw_mcid = raw;
    c.reference = *args.control_mean;
    if (!(*args.control_mean + raw > 0))
      throw UsageError(fmt::format("--control-mean {}: the control mean plus the MCID ({}) must stay above 0",
                                   *args.control_mean, render::exact(raw)));
    c.pooled_mcid = clinical::mcid_on_rom_scale(raw, *args.control_mean);
    mcid.value = c.pooled_mcid;
    report.conversion = c;
  }
  if (args.sd && !report.conversion)
    throw UsageError("--sd converts the MCID for a pooled SMD; the pooled measure is not one");
  if (args.control_mean && !report.conversion)
    throw UsageError("--control-mean converts the MCID for a pooled ROM; the pooled measure is not one");

  report.importance = clinical::assess_importance(pooled.summary, mcid, {.prior_sd = args.prior_sd});
  if (report.conversion) {
    const clinical::MidUnits u =
        clinical::mid_units(report.importance.estimate, report.importance.ci, report.conversion->pooled_mcid);
    report.conversion->mid_units = u.estimate;
    report.conversion->mid_units_ci = u.ci;
  }
  if (args.control_change) {
    if (report.log_scale || report.conversion)
      throw UsageError("--control-change: responders are computed for a mean difference (MD) in outcome units");
    report.change = clinical::NormalChange{*args.control_change, *args.change_sd};
    report.responders =
        clinical::normal_responders(report.importance.estimate, report.importance.ci, *report.change, mcid);
  }

  if (!args.plot.empty()) write_plot(args.plot, render::svg::mcid_plot(report), {args.input}, inv.out);
  if (args.plot != "-" || !args.common.output.empty())
    emit(args.common, render::render_mcid(report, render_style(args.common)), {args.input}, inv.out);
  report_warnings(args.common, report.warnings, inv.err);
  report_warnings(args.common, report.importance.warnings, inv.err);

  for (const auto c : parse_fail_if(args.fail_if))
    if (c == report.importance.category) {
      inv.err << fmt::format("trialstats: check failed: the effect is {} (--fail-if {})\n",
                             clinical::name(report.importance.category), fmt::join(args.fail_if, ","));
      return static_cast<int>(ExitCode::check_failed);
    }
  return 0;
}

}  // namespace

Subcommand add_mcid_command(CLI::App& parent) {
  auto args = std::make_shared<McidArgs>();
  CLI::App* app = parent.add_subcommand("mcid", "Clinical importance: a pooled effect against the MCID");
  args->app = app;
  app->description(
      "Clinical importance: a pooled effect against the MCID\n\n"
      "Classifies the effect by its CI against 0 and the minimal clinically important difference (important;\n"
      "possibly important; significant but possibly unimportant; trivial; inconclusive), gives P(true mean\n"
      "effect beyond the MCID) (normal or t; optionally under a sceptical prior N(0, s^2)), and with tau^2 the\n"
      "share of settings whose true effect lies beyond the MCID from the prediction distribution (Higgins,\n"
      "Thompson & Spiegelhalter 2009). The pooled effect comes from a trials CSV (pooled with the options of\n"
      "`pool`), from `pool --format json` (a file or '-'), or from --estimate and --se. Formulas: docs/methods.md.");
  app->add_option("file", args->input,
                  "Trials CSV, or the JSON of `trialstats pool --format json` ('-': standard input)");
  add_common_options(*app, args->common);
  add_pooling_options(*app, args->model);
  auto* estimate =
      app->add_option("--estimate", args->estimate, "The pooled effect, instead of a file")->excludes("file");
  auto* se = app->add_option("--se", args->se, "Its standard error")->check(positive);
  estimate->needs(se);
  se->needs(estimate);
  app->add_option("--df", args->df, "With --estimate: df of a t-based CI and PI (default: normal)")
      ->check(positive)
      ->needs(estimate);
  auto* mcid =
      app->add_option("--mcid", args->mcid, "The MCID, in the units of the effect (a ratio for ratio measures)");
  auto* lower = app->add_flag("--lower-is-better", args->lower_is_better,
                              "Lower values of the outcome are better (pain, fatigue)");
  auto* higher = app->add_flag("--higher-is-better", args->higher_is_better,
                               "Higher values are better (function, quality of life)");
  lower->excludes(higher);
  auto* instrument = app->add_option("--instrument", args->instrument,
                                     "Take the MCID from the instruments table (see --list-instruments)");
  instrument->excludes(mcid);
  app->add_option("--instruments", args->instruments_file,
                  "Another instruments table (the columns of data/mcid/instruments.csv)")
      ->check(CLI::ExistingFile);
  app->add_flag("--list-instruments", args->list_instruments, "List the instruments table and exit");
  app->add_option("--baseline", args->baseline, "Mean baseline score, for an MCID given as a percentage of baseline")
      ->needs(instrument);
  app->add_option("--prior-sd", args->prior_sd, "Also P(beyond the MCID) under a sceptical prior N(0, SD^2)")
      ->check(positive);
  auto* cc = app->add_option("--control-change", args->control_change,
                             "Mean change in the control arm: responders under normal change");
  auto* csd = app->add_option("--change-sd", args->change_sd, "SD of change (with --control-change)")->check(positive);
  cc->needs(csd);
  csd->needs(cc);
  app->add_option("--sd", args->sd, "SMD: the outcome's SD, to put the MCID on the standardised scale")
      ->check(positive);
  app->add_option("--control-mean", args->control_mean,
                  "ROM: the control arm's mean, to put the MCID on the log ratio scale")
      ->check(positive);
  app->add_option("--fail-if", args->fail_if,
                  "Exit 1 when the category is one of these: important, possibly-important, "
                  "significant-possibly-unimportant, trivial, inconclusive, not-important")
      ->delimiter(',')
      ->check(CLI::IsMember({"important", "possibly-important", "significant-possibly-unimportant", "trivial",
                             "inconclusive", "not-important"}));
  auto* patients = app->add_option("--patients", args->patients,
                                   "Individual patients: a CSV with patient, arm and baseline, followup columns, or a "
                                   "diary (patient, arm, period, one column per outcome) averaged per period")
                       ->check(CLI::ExistingFile)
                       ->excludes("file")
                       ->excludes(estimate);
  app->add_option("--outcome", args->outcome, "--patients diary: the outcome column")->needs(patients);
  app->add_option("--baseline-period", args->baseline_period, "--patients diary: the period value of baseline entries")
      ->needs(patients)
      ->capture_default_str();
  app->add_option("--reliability", args->reliability, "--patients: test-retest reliability for the SEM and the RCI")
      ->check(CLI::Range(0.0, 0.999999))
      ->needs(patients)
      ->capture_default_str();
  auto* fmean = app->add_option("--functional-mean", args->functional_mean,
                                "--patients: mean of a functional population (cut-offs b, c)")
                    ->needs(patients);
  auto* fsd = app->add_option("--functional-sd", args->functional_sd, "--patients: SD of a functional population")
                  ->check(positive)
                  ->needs(patients);
  fmean->needs(fsd);
  fsd->needs(fmean);
  app->add_option("--cutoff", args->cutoff,
                  "--patients: Jacobson-Truax cut-off a, b or c (default c with functional norms, else a)")
      ->check(CLI::IsMember({"a", "b", "c"}))
      ->needs(patients);
  app->add_option("--anchor", args->anchor,
                  "--patients: anchor column (e.g. PGIC): mean change per level and the ROC cut point")
      ->needs(patients);
  app->add_option("--improved-from", args->improved_from, "--anchor: values at or above this count as improved")
      ->needs(patients)
      ->capture_default_str();
  app->add_option("--treatment", args->treatment,
                  "--patients: the treatment arm (default: the arm that is not 'control')")
      ->needs(patients);
  app->add_option("--control", args->control, "--patients: the control arm")->needs(patients);
  app->add_option("--plot", args->plot,
                  "Write the estimate, CI and PI against 0 and the MCID (SVG) to this file ('-': standard output)");
  const std::string example = "trialstats mcid --estimate -2.7 --se 0.45 --mcid -2 --lower-is-better";
  app->footer("Examples:\n  " + example +
              "\n  trialstats mcid trials.csv --measure MD --instrument mfi20_general_fatigue --prior-sd 2"
              "\n  trialstats pool trials.csv --measure MD --format json | trialstats mcid - --instrument pain_nrs");
  return {app, example, [args](const Invocation& inv) { return run_mcid(*args, inv); }};
}

}  // namespace trialstats::app
