// The pooling options shared by `pool` and `mcid`, their resolution and the analysis of one set of studies.
#include "pooling.hpp"

#include <cctype>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "trialstats/core/error.hpp"
#include "trialstats/effect/binary.hpp"
#include "trialstats/meta/profile.hpp"

namespace trialstats::app {

void add_pooling_options(CLI::App& app, PoolingArgs& args) {
  add_escalc_options(app, args.escalc, false);
  app.add_option("--profile", args.profile, "Conventions of metafor, meta, revman5 or stata (docs/methods.md)")
      ->check([](const std::string& s) {
        return meta::parse_profile(s) ? std::string() : "expected metafor, meta, revman5 or stata, got " + s;
      })
      ->capture_default_str();
  args.method_option =
      app.add_option(
             "--method", args.method,
             "tau^2 estimator (REML, DL, HE, HS, HSk, SJ, ML, EB, PM, PMM, GENQ), EE, or MH / PETO for 2x2 counts")
          ->check([](const std::string& s) {
            const bool binary = s == "MH" || s == "mh" || s == "PETO" || s == "peto" || s == "Peto";
            return binary || meta::parse_tau2_method(s) ? std::string() : "unknown method " + s;
          })
          ->capture_default_str();
  app.add_option("--tau2", args.tau2, "Fix tau^2 at this value")->check(CLI::NonNegativeNumber);
  args.test_option = app.add_option("--test", args.pool.test, "Test of the pooled estimate: z, t or knha")
                         ->transform(CLI::CheckedTransformer(std::map<std::string, meta::TestMethod>{
                             {"z", meta::TestMethod::z}, {"t", meta::TestMethod::t}, {"knha", meta::TestMethod::knha}}))
                         ->default_str("z");
  args.pi_option =
      app.add_option("--pi-df", args.pi_df, "Prediction interval: as the test (normal for z), or t with k-2 df")
          ->check(CLI::IsMember({"test", "k-2"}))
          ->capture_default_str();
  args.i2_option =
      app.add_option("--i2", args.pool.i2, "I^2 and H^2 from tau^2 (metafor) or from Q (Higgins & Thompson)")
          ->transform(CLI::CheckedTransformer(std::map<std::string, meta::I2Definition>{
              {"tau2", meta::I2Definition::tau2}, {"q", meta::I2Definition::q}}))
          ->default_str("tau2");
  args.threshold_option = add_convergence_options(app, args.pool);
  app.add_option("--step-adj", args.pool.step_adj, "Step length factor of Fisher scoring")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--fallback", args.fallback, "Estimators to try, in order, when --method does not converge")
      ->delimiter(',')
      ->check(
          [](const std::string& s) { return meta::parse_tau2_method(s) ? std::string() : "unknown estimator " + s; });
  app.add_flag("--no-tau2-ci", args.no_tau2_ci, "Skip the Q-profile CIs of tau^2, I^2 and H^2");
}

void resolve_pooling(PoolingArgs& args, double level) {
  // The profile's conventions first, then whatever the command line says explicitly.
  const meta::ProfileSettings profile = meta::profile_settings(*meta::parse_profile(args.profile));
  const meta::PoolOptions defaults = profile.pool_options();
  args.effects = args.escalc.resolve(profile.escalc_options(args.escalc.escalc.measure));
  for (char& c : args.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (args.method == "MH" || args.method == "PETO") {
    const auto m = args.effects.measure;
    using effect::Measure;
    if (args.method == "PETO" && m != Measure::or_ && m != Measure::peto)
      throw UsageError(fmt::format("--method PETO pools odds ratios from 2x2 counts: use --measure OR or PETO, not {}",
                                   effect::name(m)));
    if (args.method == "MH" && m != Measure::or_ && m != Measure::rr && m != Measure::rd)
      throw UsageError(
          fmt::format("--method MH pools 2x2 counts: use --measure OR, RR or RD, not {}", effect::name(m)));
    args.binary = m == Measure::rr   ? meta::MhMeasure::risk_ratio
                  : m == Measure::rd ? meta::MhMeasure::risk_difference
                                     : meta::MhMeasure::odds_ratio;
    args.binary_options = profile.binary_pooling_options(*args.binary);
    args.binary_options.level = level / 100;
  } else {
    args.pool.method = args.method_option->count() > 0 ? *meta::parse_tau2_method(args.method) : defaults.method;
  }
  if (args.test_option->count() == 0) args.pool.test = defaults.test;
  if (args.i2_option->count() == 0) args.pool.i2 = defaults.i2;
  args.pool.pi = args.pi_option->count() == 0 ? defaults.pi
                 : args.pi_df == "k-2"        ? meta::PiMethod::t_k_minus_2
                                              : meta::PiMethod::same_as_test;
  if (args.tau2) {
    args.pool.tau2 = args.tau2;
    args.pool.method = meta::Tau2Method::fixed;
  }
  args.pool.level = level / 100;
  resolve_convergence_options(args.pool, *args.threshold_option);
  args.pool.tau2_ci = !args.no_tau2_ci;
  for (const auto& f : args.fallback) args.pool.fallback.push_back(*meta::parse_tau2_method(f));
}

render::PoolReport analyse_pooling(const PoolingArgs& args, const io::EffectTable& effects,
                                   const std::vector<std::size_t>& subset, const std::vector<double>& weights) {
  render::PoolReport r;
  r.file = effects.source;
  r.measure = std::string(effect::name(args.effects.measure));
  r.profile = args.profile;
  r.i2_definition = args.pool.i2;
  for (const auto i : subset) {
    r.study.push_back(effects.study[i]);
    r.yi.push_back(effects.yi[i]);
    r.vi.push_back(effects.vi[i]);
  }
  if (r.yi.empty()) throw NoResultError("no studies to pool (every row was dropped or the group is empty)");
  if (args.binary) {
    // Mantel-Haenszel or Peto on the counts; the study outcomes are the ones these methods define.
    std::vector<double> ai, bi, ci, di;
    const bool group_sizes = !effects.inputs.contains("bi");  // ai n1i ci n2i
    for (const auto i : subset) {
      auto count = [&](const char* role) { return effects.inputs.at(role)[i]; };
      const effect::Table2x2 t =
          group_sizes ? effect::table_from_group_sizes(count("ai"), count("n1i"), count("ci"), count("n2i"))
                      : effect::Table2x2{count("ai"), count("bi"), count("ci"), count("di")};
      ai.push_back(t.ai);
      bi.push_back(t.bi);
      ci.push_back(t.ci);
      di.push_back(t.di);
    }
    const meta::Tables2x2 tables{ai, bi, ci, di};
    auto optional_values = [](const std::vector<std::optional<double>>& v) {
      std::vector<double> out;
      for (const auto& x : v) out.push_back(x.value_or(std::nan("")));
      return out;
    };
    if (*args.binary == meta::MhMeasure::odds_ratio && args.method == "PETO") {
      const meta::PetoResult res = meta::peto(tables, args.binary_options);
      r.method = "PETO";
      r.i2_definition = meta::I2Definition::q;
      r.fit = meta::as_pooled_effect(res);
      r.yi = optional_values(res.yi);
      r.vi = optional_values(res.vi);
    } else {
      const meta::MantelHaenszelResult res = meta::mantel_haenszel(tables, args.binary_options);
      r.method = "MH";
      r.i2_definition = meta::I2Definition::q;
      r.fit = meta::as_pooled_effect(res);
      r.yi = optional_values(res.yi);
      r.vi = optional_values(res.vi);
      if (res.cmh) r.tests.push_back({"Cochran-Mantel-Haenszel Test", "cmh", "CMH", *res.cmh});
      if (res.tarone) r.tests.push_back({"Tarone's Test for Heterogeneity", "tarone", "X^2", *res.tarone});
      if (res.breslow_day) r.tests.push_back({"Breslow-Day Test", "breslow_day", "X^2", *res.breslow_day});
    }
  } else if (weights.empty()) {
    r.fit = meta::pool(r.yi, r.vi, args.pool);
    r.method = std::string(meta::name(r.fit.method));
  } else {
    meta::PoolOptions options = args.pool;
    for (const auto i : subset) options.genq_weights.push_back(weights[i]);
    r.fit = meta::pool(r.yi, r.vi, options);
    r.method = std::string(meta::name(r.fit.method));
  }
  const auto m = args.effects.measure;
  const auto scale = effect::info(m).scale;
  if (scale != effect::Scale::identity) {
    // PFT back-transforms with the harmonic mean of the sample sizes (metafor's transf.ipft.hm).
    std::vector<double> ni;
    if (m == effect::Measure::pft)
      for (const auto i : subset) ni.push_back(effects.ni[i]);
    const double n = ni.empty() ? 0 : effect::harmonic_mean(ni);
    auto back = [&](double y) { return effect::back_transform(m, y, n); };
    r.transformed = render::BackTransformed{std::string(effect::name(scale)),
                                            back(r.fit.estimate),
                                            {back(r.fit.ci.lower), back(r.fit.ci.upper)},
                                            {back(r.fit.pi.lower), back(r.fit.pi.upper)}};
  }
  return r;
}

}  // namespace trialstats::app
