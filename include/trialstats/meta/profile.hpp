// Profiles: the defaults of other meta-analysis software, as one set of choices, each with the
// document that states it. A profile maps to PoolOptions (tau², test, prediction interval, I²), to the
// options of Mantel–Haenszel pooling and to the effect-size conventions (Hedges' g, zero cells).
//
// Sources (quoted in docs/methods.md, section "Profiles", with the setting each one supports):
//   metafor 3.8.1 help pages: rma.uni, print.rma, predict.rma, escalc, rma.mh (Viechtbauer 2010).
//   R package meta, settings.meta() (the defaults it resets to, and its "RevMan5" setting), metacont()
//     documentation and NEWS for versions 5.0-0, 5.0-1 and 5.1-0 (Schwarzer; Balduzzi et al. 2019).
//   Cochrane Handbook for Systematic Reviews of Interventions 5.1, sections 9.4.4 and 9.4.10.
//   Stata 16 Meta-Analysis Reference Manual, [META] meta esize (Quick start), and a default
//     `meta summarize` printout.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "trialstats/effect/measure.hpp"
#include "trialstats/meta/binary_pooling.hpp"
#include "trialstats/meta/model.hpp"

namespace trialstats::meta {

/// Whose defaults to follow. `meta` is the R package meta (version 6 defaults), `revman5` Review
/// Manager 5 (as reproduced by meta's settings.meta("RevMan5")), `stata` Stata 16+'s `meta` suite.
enum class Profile { metafor, meta, revman5, stata };

/// Hedges' g and its sampling variance, with N = n1 + n2 and m = N − 2.
enum class SmdConvention {
  /// Exact correction J(m) = Γ(m/2) / (√(m/2) Γ((m−1)/2)); variance 1/n1 + 1/n2 + g²/(2N)
  /// (metafor's vtype "LS", Hedges 1982 eq. 8).
  exact_ls,
  /// Exact correction; unbiased variance 1/n1 + 1/n2 + (1 − (m−2)/(m J²)) g² (Hedges 1983; metafor's
  /// vtype "UB"; meta's exact.smd = TRUE, White & Thomas 2005).
  exact_ub,
  /// Approximate correction J = 1 − 3/(4N − 9); variance N/(n1 n2) + g²/(2(N − 3.94))
  /// (RevMan 5; meta's exact.smd = FALSE).
  approx_revman5,
};

/// A setting with the document it comes from. `documented` is false when no document stating the
/// setting could be found: the value is then metafor's convention, used as a stand-in, and `source`
/// says so.
template <class T>
struct Sourced {
  T value;
  std::string_view source;
  bool documented = true;
};

/// Everything a profile implies for pooling.
struct ProfileSettings {
  Profile profile = Profile::metafor;
  std::string_view target;                  ///< the software version the settings describe
  Sourced<Tau2Method> tau2;                 ///< estimator of the random-effects model
  Sourced<TestMethod> test;                 ///< test and CI of the pooled effect
  Sourced<bool> prediction_interval;        ///< whether the default output shows a prediction interval
  Sourced<PiMethod> pi;                     ///< distribution of the prediction interval when shown
  Sourced<I2Definition> i2;                 ///< I² (and H²) from tau² or from Q
  Sourced<SmdConvention> smd;               ///< Hedges' g and its variance
  Sourced<ZeroCellCorrection> zero_cells;   ///< study outcomes of OR, RR, RD for inverse-variance pooling
  Sourced<ZeroCellCorrection> mh_outcomes;  ///< study outcomes that enter Q of a Mantel–Haenszel pool
  Sourced<ZeroCellCorrection> mh_tables;    ///< counts that enter the Mantel–Haenszel estimate itself
  /// Risk ratio with a zero cell: true when the correction adds `add` to all four cells, so each group
  /// size grows by 2·add (metafor, RevMan 5); false when the group sizes grow by `add` only
  /// (meta's RR.Cochrane = FALSE).
  Sourced<bool> rr_group_size_twice;
  /// Q of a Mantel–Haenszel analysis (and the DL tau² based on it) is centred on the MH estimate
  /// (meta's Q.Cochrane; metafor's rma.mh) rather than on the inverse-variance estimate.
  Sourced<bool> mh_q_around_mh;

  /// The inverse-variance pooling choices: tau², test, PI distribution, I² definition; other fields
  /// keep PoolOptions' defaults.
  [[nodiscard]] PoolOptions pool_options() const;
  /// The Mantel–Haenszel / Peto options for `measure`.
  [[nodiscard]] BinaryPoolingOptions binary_pooling_options(MhMeasure measure) const;
  /// The escalc-style options of a 2x2 measure (add / to / drop00).
  [[nodiscard]] effect::EscalcOptions escalc_options(effect::Measure measure) const;
  /// metafor's vtype for the SMD convention, absent for approx_revman5 (which has no metafor vtype).
  [[nodiscard]] std::optional<effect::VarianceType> smd_vtype() const;
};

/// The settings a profile implies, with their sources.
/// Example:
///   auto s = meta::profile_settings(meta::Profile::revman5);
///   auto fit = meta::pool(yi, vi, s.pool_options());   // DerSimonian–Laird, z, I² from Q
[[nodiscard]] ProfileSettings profile_settings(Profile profile);

/// "metafor", "meta", "revman5", "stata", and back (case-insensitive).
[[nodiscard]] std::string_view name(Profile profile);
[[nodiscard]] std::optional<Profile> parse_profile(std::string_view text);
/// "exact_ls", "exact_ub", "approx_revman5".
[[nodiscard]] std::string_view name(SmdConvention smd);

}  // namespace trialstats::meta

// ---------------------------------------------------------------------------------------------------
// Bodies.

namespace trialstats::meta {

namespace detail::profile {

inline constexpr std::string_view not_found =
    "not found in the documentation available; metafor's convention stands in";

inline ProfileSettings metafor() {
  using effect::ContinuityRule;
  ProfileSettings s;
  s.profile = Profile::metafor;
  s.target = "metafor 3.8.1";
  s.tau2 = {Tau2Method::reml, "metafor 3.8.1, ?rma.uni, Usage: method=\"REML\""};
  s.test = {TestMethod::z, "metafor 3.8.1, ?rma.uni, Usage: test=\"z\" (Wald-type tests and CIs)"};
  s.prediction_interval = {false, "metafor 3.8.1: print.rma shows no prediction interval; predict.rma computes it"};
  s.pi = {PiMethod::same_as_test,
          "metafor 3.8.1, ?predict.rma, Note: standard normal critical values, t with k-p df after "
          "test=\"t\"/\"knha\""};
  s.i2 = {I2Definition::tau2,
          "metafor 3.8.1, ?print.rma, Note: I^2 = 100% tau^2/(tau^2 + v), v the typical within-study variance "
          "(Higgins & Thompson 2002, eq. 9)"};
  s.smd = {SmdConvention::exact_ls,
           "metafor 3.8.1, ?escalc: measure SMD, vtype=\"LS\" by default (Hedges 1982, eq. 8), exact bias "
           "correction"};
  s.zero_cells = {{0.5, ContinuityRule::only0, false},
                  "metafor 3.8.1, ?escalc, Usage: add=1/2, to=\"only0\", drop00=FALSE"};
  s.mh_outcomes = {{0.5, ContinuityRule::only0, true},
                   "metafor 3.8.1, ?rma.mh, Usage: add=1/2, to=\"only0\", drop00=TRUE (first element: study "
                   "outcomes)"};
  s.mh_tables = {{0.0, ContinuityRule::none, false},
                 "metafor 3.8.1, ?rma.mh, Details: with single values no adjustment is made to the counts for "
                 "the Mantel-Haenszel method"};
  s.rr_group_size_twice = {true, "metafor 3.8.1, ?escalc: add is added to all four cells ai, bi, ci, di"};
  s.mh_q_around_mh = {true, "metafor 3.8.1, rma.mh: Q = sum w_i (y_i - MH estimate)^2 (source of rma.mh)"};
  return s;
}

inline ProfileSettings meta() {
  using effect::ContinuityRule;
  ProfileSettings s;
  s.profile = Profile::meta;
  s.target = "R package meta 6.1 (settings.meta defaults; REML since 5.0-0, exact SMD since 5.1-0)";
  s.tau2 = {Tau2Method::reml,
            "meta, settings.meta() defaults: method.tau = \"REML\"; NEWS 5.0-0: REML replaces "
            "DerSimonian-Laird as default"};
  s.test = {TestMethod::z,
            "meta, settings.meta() defaults: method.random.ci = \"classic\" (hakn = FALSE before 6.0-0)"};
  s.prediction_interval = {false, "meta, settings.meta() defaults: prediction = FALSE"};
  s.pi = {PiMethod::t_k_minus_2,
          "meta, settings.meta() defaults: method.predict = \"HTS\" (Higgins, Thompson & Spiegelhalter 2009: "
          "t with k-2 df)"};
  s.i2 = {I2Definition::q, "meta, settings.meta() defaults: method.i2 = \"q\" (I^2 = (Q - df)/Q)"};
  s.smd = {SmdConvention::exact_ub,
           "meta, ?metacont: method.smd = \"Hedges\", exact.smd = TRUE (NEWS 5.1-0: exact formulae by "
           "default, White & Thomas 2005); the variance equals metafor's vtype \"UB\""};
  s.zero_cells = {{0.5, ContinuityRule::only0, true},
                  "meta, settings.meta() defaults: incr = 0.5, method.incr = \"only0\", allstudies = FALSE "
                  "(double-zero studies left out for OR and RR)"};
  s.mh_outcomes = s.zero_cells;
  s.mh_tables = {{0.5, ContinuityRule::only0, true},
                 "meta, settings.meta() defaults: MH.exact = FALSE (incr is added to studies with a zero cell "
                 "for the Mantel-Haenszel estimate), allstudies = FALSE"};
  s.rr_group_size_twice = {false,
                           "meta, settings.meta() defaults: RR.Cochrane = FALSE (incr, not 2*incr, added to the "
                           "group sizes of the risk ratio)"};
  s.mh_q_around_mh = {true, "meta, settings.meta() defaults: Q.Cochrane = TRUE (NEWS 5.0-1)"};
  return s;
}

inline ProfileSettings revman5() {
  using effect::ContinuityRule;
  ProfileSettings s;
  s.profile = Profile::revman5;
  s.target = "Review Manager 5.3/5.4, as reproduced by R meta's settings.meta(\"RevMan5\")";
  s.tau2 = {Tau2Method::dl,
            "meta, settings.meta(\"RevMan5\"): method.tau = \"DL\", the only method in RevMan 5; Cochrane "
            "Handbook 5.1 section 9.4.4: one random-effects method (DerSimonian and Laird)"};
  s.test = {TestMethod::z,
            "meta, settings.meta(\"RevMan5\"): method.random.ci = \"classic\", the only method in RevMan 5"};
  s.prediction_interval = {false, "meta, settings.meta(\"RevMan5\"): prediction = FALSE"};
  s.pi = {PiMethod::t_k_minus_2,
          "RevMan 5 shows none; when asked for, meta's method.predict = \"HTS\" (t with k-2 df) applies. The "
          "RevMan 5 statistical methods document itself was not available",
          false};
  s.i2 = {I2Definition::q,
          "RevMan 5 reports I^2 = (Q - df)/Q (Higgins & Thompson 2002), as meta does (method.i2 = \"q\") "
          "under settings.meta(\"RevMan5\")"};
  s.smd = {SmdConvention::approx_revman5,
           "meta, ?metacont: with exact.smd = FALSE the approximations of Hedges (1981) for g and its standard "
           "error are used, as in RevMan 5 (J = 1 - 3/(4N - 9), variance N/(n1 n2) + g^2/(2(N - 3.94)))"};
  s.zero_cells = {{0.5, ContinuityRule::only0, true},
                  "Cochrane Handbook 5.1 section 9.4.4: RevMan adds 0.5 to each cell of the 2x2 table of a "
                  "study with a zero cell; double-zero studies left out as by meta's allstudies = FALSE"};
  s.mh_outcomes = s.zero_cells;
  s.mh_tables = {{0.5, ContinuityRule::only0, true},
                 "meta, settings.meta(\"RevMan5\"): MH.exact = FALSE (0.5 added to zero-cell studies for the "
                 "Mantel-Haenszel estimate too)"};
  s.rr_group_size_twice = {true,
                           "meta, settings.meta(\"RevMan5\"): RR.Cochrane = TRUE (2*incr added to the group "
                           "sizes, as RevMan 5)"};
  s.mh_q_around_mh = {true,
                      "meta, settings.meta(\"RevMan5\"): Q.Cochrane = TRUE (Q around the MH estimate, as "
                      "RevMan 5)"};
  return s;
}

inline ProfileSettings stata() {
  ProfileSettings s = metafor();
  s.profile = Profile::stata;
  s.target = "Stata 16+ meta suite (meta esize, meta summarize)";
  s.tau2 = {Tau2Method::reml,
            "Stata 16 [META] meta esize, Quick start: random(dlaird) used \"instead of the default REML method\""};
  s.test = {TestMethod::z, "Stata [META] meta summarize, default output: \"Test of theta = 0: z\""};
  s.prediction_interval = {false,
                           "Stata [META] meta summarize: the default output shows no prediction interval "
                           "(option predinterval asks for one)"};
  s.pi = {PiMethod::same_as_test, not_found, false};
  s.i2 = {I2Definition::tau2,
          "Stata [META] meta summarize, default REML output: I2 = 5.30% with Q = 6.34 on 9 df, which Q-based "
          "I^2 would put at 0, so I^2 is computed from tau^2"};
  s.smd = {SmdConvention::exact_ls, not_found, false};
  s.zero_cells = {s.zero_cells.value, not_found, false};
  s.mh_outcomes = {s.mh_outcomes.value, not_found, false};
  s.mh_tables = {s.mh_tables.value, not_found, false};
  s.rr_group_size_twice = {true, not_found, false};
  s.mh_q_around_mh = {true, not_found, false};
  return s;
}

}  // namespace detail::profile

inline ProfileSettings profile_settings(Profile profile) {
  switch (profile) {
    case Profile::meta:
      return detail::profile::meta();
    case Profile::revman5:
      return detail::profile::revman5();
    case Profile::stata:
      return detail::profile::stata();
    case Profile::metafor:
      break;
  }
  return detail::profile::metafor();
}

inline PoolOptions ProfileSettings::pool_options() const {
  PoolOptions o;
  o.method = tau2.value;
  o.test = test.value;
  o.pi = pi.value;
  o.i2 = i2.value;
  return o;
}

inline BinaryPoolingOptions ProfileSettings::binary_pooling_options(MhMeasure measure) const {
  BinaryPoolingOptions o;
  o.measure = measure;
  o.outcomes = mh_outcomes.value;
  o.tables = mh_tables.value;
  return o;
}

inline effect::EscalcOptions ProfileSettings::escalc_options(effect::Measure measure) const {
  effect::EscalcOptions o;
  o.measure = measure;
  o.add = zero_cells.value.add;
  o.to = zero_cells.value.to;
  o.drop00 = zero_cells.value.drop00;
  if (measure == effect::Measure::smd) o.vtype = smd_vtype().value_or(effect::VarianceType::ls);
  return o;
}

inline std::optional<effect::VarianceType> ProfileSettings::smd_vtype() const {
  switch (smd.value) {
    case SmdConvention::exact_ls:
      return effect::VarianceType::ls;
    case SmdConvention::exact_ub:
      return effect::VarianceType::ub;
    case SmdConvention::approx_revman5:
      break;
  }
  return std::nullopt;
}

inline std::string_view name(Profile profile) {
  switch (profile) {
    case Profile::meta:
      return "meta";
    case Profile::revman5:
      return "revman5";
    case Profile::stata:
      return "stata";
    case Profile::metafor:
      break;
  }
  return "metafor";
}

inline std::optional<Profile> parse_profile(std::string_view text) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  for (Profile p : {Profile::metafor, Profile::meta, Profile::revman5, Profile::stata}) {
    const std::string_view n = name(p);
    if (n.size() != text.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < n.size() && same; ++i) same = n[i] == lower(text[i]);
    if (same) return p;
  }
  return std::nullopt;
}

inline std::string_view name(SmdConvention smd) {
  switch (smd) {
    case SmdConvention::exact_ub:
      return "exact_ub";
    case SmdConvention::approx_revman5:
      return "approx_revman5";
    case SmdConvention::exact_ls:
      break;
  }
  return "exact_ls";
}

}  // namespace trialstats::meta
