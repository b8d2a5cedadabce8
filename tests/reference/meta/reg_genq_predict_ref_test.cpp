// GENQ meta-regression with user weights, metafor's default stopping rule with moderators, and predicted
// values, against metafor 3.8.1 on metadat 1.2.0 datasets. Expected values:
// tests/reference/scripts/reg_genq_predict.R -> fixtures/reg_genq_predict.json.
// Tolerances: relative 1e-8 for GENQ and DL/EE (closed forms) and for the default stopping rule (the
// same iterations as metafor, step for step); 1e-6 for predictions of REML fits, which trialstats
// converges to the optimum while metafor stops at |Δtau²| < 1e-12 (both within ~1e-10 of it).
// Predictions at moderator values given by name: the coded row exactly, the predictions at relative 1e-8
// (also for REML: see the case).
// Values below 1e-12 in magnitude are compared absolutely.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/meta/model.hpp"
#include "trialstats/meta/permutation.hpp"
#include "trialstats/meta/predict.hpp"
#include "trialstats/meta/regression.hpp"
#include "trialstats/meta/subgroup.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

const json& fixture() {
  static const json f = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/reg_genq_predict.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return f;
}

std::vector<double> values(const json& v) {
  if (v.is_array()) {
    std::vector<double> out;
    for (const auto& x : v) out.push_back(x.get<double>());
    return out;
  }
  return {v.get<double>()};
}
std::vector<std::string> names(const json& v) {
  if (v.is_array()) return v.get<std::vector<std::string>>();
  return {v.get<std::string>()};
}

void close(double actual, double expected, double rel, const std::string& what) {
  const double tol = std::max(rel * std::abs(expected), 1e-12);
  INFO(what << ": actual " << actual << ", expected " << expected);
  CHECK(std::abs(actual - expected) <= tol);
}

struct Case {
  std::vector<double> yi, vi;
  meta::Design design;
};

Case load(const json& c) {
  const json& data = fixture()["datasets"][c["dataset"].get<std::string>()];
  Case out{values(data["yi"]), values(data["vi"]), {}};
  std::vector<meta::Moderator> mods;
  for (const auto& m : names(c["mods"])) mods.push_back({.name = m, .numbers = values(data[m])});
  out.design = meta::build_design(mods, out.yi.size());
  return out;
}

/// Everything summary_of() of the script records.
void check_fit(const meta::MetaRegression& r, const json& c, double rel) {
  const auto beta = values(c["beta"]), se = values(c["se"]), z = values(c["zval"]), p = values(c["pval"]),
             lb = values(c["ci_lb"]), ub = values(c["ci_ub"]);
  REQUIRE(r.coefficients.size() == beta.size());
  for (std::size_t j = 0; j < beta.size(); ++j) {
    const auto& b = r.coefficients[j];
    CHECK(b.name == names(c["names"])[j]);
    close(b.estimate, beta[j], rel, "beta " + b.name);
    close(b.se, se[j], rel, "se " + b.name);
    close(b.statistic, z[j], rel, "zval " + b.name);
    close(b.p, p[j], rel, "pval " + b.name);
    close(b.ci.lower, lb[j], rel, "ci.lb " + b.name);
    close(b.ci.upper, ub[j], rel, "ci.ub " + b.name);
  }
  close(r.qm.statistic, c["QM"].get<double>(), rel, "QM");
  close(r.qm.p, c["QMp"].get<double>(), rel, "QMp");
  close(r.qe, c["QE"].get<double>(), 1e-8, "QE");
  close(r.qe_p, c["QEp"].get<double>(), 1e-8, "QEp");
  close(r.tau2, c["tau2"].get<double>(), rel, "tau2");
  REQUIRE(r.tau2_se.has_value());
  close(*r.tau2_se, c["se_tau2"].get<double>(), rel, "se.tau2");
  close(r.i2, c["I2"].get<double>(), rel, "I2");
  close(r.h2, c["H2"].get<double>(), rel, "H2");
  REQUIRE(r.r2.has_value());
  close(*r.r2, c["R2"].get<double>(), rel, "R2");
  const auto w = values(c["weights"]), fitted = values(c["fitted"]);
  REQUIRE(r.weights.size() == w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    close(r.weights[i], w[i], rel, "weight " + std::to_string(i + 1));
    close(r.fitted[i], fitted[i], rel, "fitted " + std::to_string(i + 1));
  }
}

std::string label(const json& c) {
  return c["dataset"].get<std::string>() + " ~ " + c["mods"].dump() + " " +
         (c.contains("weight_column") ? "weights " + c["weight_column"].get<std::string>() + " " : "") +
         (c.contains("method") ? c["method"].get<std::string>() + " " : "") + c["test"].get<std::string>();
}

}  // namespace

TEST_SUITE("meta::regression GENQ, stopping rule, predict (metafor)") {
  TEST_CASE("GENQ with moderators and user weights equals rma(weights, method = \"GENQ\")") {
    const json& f = fixture();
    REQUIRE(f["versions"]["metafor"] == "3.8.1");
    REQUIRE(f["genq"].size() == 14);
    for (const json& c : f["genq"]) {
      CAPTURE(label(c));
      const Case d = load(c);
      meta::RegressionOptions o{.method = meta::Tau2Method::genq,
                                .test = *meta::parse_test_method(c["test"].get<std::string>())};
      const std::string wname = c["weight_column"];
      if (wname == "1/vi") {
        for (const double v : d.vi) o.genq_weights.push_back(1 / v);
      } else {
        o.genq_weights = values(fixture()["datasets"][c["dataset"].get<std::string>()][wname]);
      }
      const auto r = meta::meta_regress(d.yi, d.vi, d.design, o);
      CHECK(r.method == meta::Tau2Method::genq);
      check_fit(r, c, 1e-8);
    }
  }

  TEST_CASE("GENQ subgroups: each level with its own studies' weights, Q between and the common-tau² QM") {
    const json& f = fixture();
    REQUIRE(f["subgroups"].size() == 2);
    for (const json& c : f["subgroups"]) {
      const json& data = f["datasets"][c["dataset"].get<std::string>()];
      CAPTURE(c["weight_column"].get<std::string>());
      const auto yi = values(data["yi"]), vi = values(data["vi"]);
      const auto group = names(data[c["column"].get<std::string>()]);
      const auto analysis = meta::subgroup_analysis(
          yi, vi, group, {.method = meta::Tau2Method::genq, .genq_weights = values(data[c["weight_column"]])});
      const auto est = values(c["estimate"]), se = values(c["se"]), tau2 = values(c["tau2"]);
      REQUIRE(analysis.groups.size() == est.size());
      for (std::size_t g = 0; g < est.size(); ++g) {
        CHECK(analysis.groups[g].level == names(c["levels"])[g]);
        close(analysis.groups[g].fit.estimate, est[g], 1e-8, "estimate");
        close(analysis.groups[g].fit.se, se[g], 1e-8, "se");
        close(analysis.groups[g].fit.het.tau2, tau2[g], 1e-8, "tau2");
      }
      close(analysis.separate.statistic, c["Qb"].get<double>(), 1e-8, "Q between");
      close(analysis.separate.p, c["Qb_p"].get<double>(), 1e-8, "Q between p");
      REQUIRE(analysis.common.has_value());
      close(analysis.common->statistic, c["QM"].get<double>(), 1e-8, "QM");
      close(analysis.common->p, c["QMp"].get<double>(), 1e-8, "QMp");
      close(analysis.common->tau2.value_or(-1), c["common_tau2"].get<double>(), 1e-8, "common tau2");
    }
  }

  TEST_CASE("GENQ: weights are required, and used by GENQ only") {
    const std::vector<double> yi{0.1, 0.3, 0.2, 0.5}, vi{0.01, 0.02, 0.03, 0.04}, x{1, 2, 3, 5};
    const auto d = meta::build_design(std::vector<meta::Moderator>{{.name = "x", .numbers = x}}, 4);
    CHECK_THROWS_AS((void)meta::meta_regress(yi, vi, d, {.method = meta::Tau2Method::genq}), UsageError);
    CHECK_THROWS_AS(
        (void)meta::meta_regress(yi, vi, d, {.method = meta::Tau2Method::reml, .genq_weights = {1, 1, 1, 1}}),
        UsageError);
    CHECK_THROWS_AS((void)meta::meta_regress(yi, vi, d, {.method = meta::Tau2Method::genq, .genq_weights = {1, 1}}),
                    DomainError);
    CHECK_THROWS_AS(
        (void)meta::meta_regress(yi, vi, d, {.method = meta::Tau2Method::genq, .genq_weights = {1, 0, 1, 1}}),
        DomainError);
  }

  TEST_CASE("GENQ: exact permutation p-values equal permutest(exact = TRUE); the progress counter reaches the total") {
    const json& f = fixture();
    REQUIRE(f["permutations"].size() == 2);
    for (const json& c : f["permutations"]) {
      CAPTURE(label(c));
      const Case d = load(c);
      const meta::RegressionOptions o{.method = meta::Tau2Method::genq,
                                      .test = *meta::parse_test_method(c["test"].get<std::string>()),
                                      .genq_weights = values(f["datasets"][c["dataset"].get<std::string>()]["n"])};
      std::atomic<std::size_t> done{0};
      const auto t = meta::permutation_test(d.yi, d.vi, d.design, o,
                                            {.exact = true, .threads = 2, .parallel_after = {}, .progress = &done});
      CHECK(t.exact);
      CHECK(t.permutations == c["permutations"].get<std::size_t>());
      CHECK(done.load() == t.permutations);
      const auto p = values(c["pval"]);
      REQUIRE(t.p.size() == p.size());
      // Exact p-values are ratios of counts: equal to rounding.
      for (std::size_t j = 0; j < p.size(); ++j) CHECK(std::abs(t.p[j] - p[j]) <= 1e-12);
      CHECK(std::abs(t.qm_p - c["QMp"].get<double>()) <= 1e-12);
    }
  }

  TEST_CASE("metafor_stopping reproduces metafor's default control with moderators") {
    const json& f = fixture();
    REQUIRE(f["stopping"].size() == 12);
    for (const json& c : f["stopping"]) {
      CAPTURE(label(c));
      const Case d = load(c);
      const auto method = *meta::parse_tau2_method(c["method"].get<std::string>());
      const auto r =
          meta::meta_regress(d.yi, d.vi, d.design, {.method = method, .threshold = 1e-5, .metafor_stopping = true});
      check_fit(r, c, 1e-8);
      // The default rule stops away from the optimum, which the default options of trialstats reach.
      const double optimum = c["converged_tau2"].get<double>();
      CHECK(std::abs(c["tau2"].get<double>() - optimum) > 1e-6 * optimum);
      const auto converged = meta::meta_regress(d.yi, d.vi, d.design, {.method = method});
      close(converged.tau2, optimum, 1e-6, "converged tau2");
      const auto cb = values(c["converged_beta"]);
      for (std::size_t j = 0; j < cb.size(); ++j) close(converged.coefficients[j].estimate, cb[j], 1e-6, "converged b");
    }
  }

  TEST_CASE("predict at moderator values given by name equals predict.rma at R's model.matrix row") {
    const json& f = fixture();
    REQUIRE(f["predict_values"].size() == 9);
    for (const json& c : f["predict_values"]) {
      const bool intercept = c["intercept"].get<bool>();
      CAPTURE(label(c) + (intercept ? "" : " without intercept") +
              (c["ref"].is_object() ? " ref " + c["ref"].dump() : ""));
      const json& data = f["datasets"][c["dataset"].get<std::string>()];
      const auto yi = values(data["yi"]), vi = values(data["vi"]);
      std::vector<meta::Moderator> mods;
      for (const auto& name : names(c["mods"])) {
        meta::Moderator m{.name = name};
        if (data[name][0].is_string()) {
          m.levels = names(data[name]);
          if (c["ref"].is_object() && c["ref"].contains(name)) m.reference = c["ref"][name].get<std::string>();
        } else {
          m.numbers = values(data[name]);
        }
        mods.push_back(std::move(m));
      }
      const auto design = meta::build_design(mods, yi.size(), intercept);
      CHECK(design.names == names(c["names"]));
      const auto method = *meta::parse_tau2_method(c["method"].get<std::string>());
      const auto fit = meta::meta_regress(
          yi, vi, design, {.method = method, .test = *meta::parse_test_method(c["test"].get<std::string>())});
      std::vector<std::vector<meta::ModeratorValue>> at;
      for (const json& point : c["at"]) {
        std::vector<meta::ModeratorValue> v;
        for (const auto& [name, value] : point.items()) {
          if (value.is_string())
            v.push_back({name, value.get<std::string>()});
          else
            v.push_back({name, value.get<double>()});
        }
        at.push_back(std::move(v));
      }
      const auto p = meta::predict(fit, mods, at);
      // Relative 1e-8 for REML too, though its tau² is iterative: the script runs metafor to |Δtau²| < 1e-12
      // and trialstats stops at a relative change below 1e-10 with a vanishing score, both at the optimum.
      const double rel = 1e-8;
      const auto pred = values(c["pred"]), se = values(c["se"]), cl = values(c["ci_lb"]), cu = values(c["ci_ub"]),
                 pl = values(c["pi_lb"]), pu = values(c["pi_ub"]);
      REQUIRE(p.size() == pred.size());
      for (std::size_t i = 0; i < p.size(); ++i) {
        CAPTURE(i);
        const auto row = values(c["rows"][i]);
        REQUIRE(p[i].x.size() == static_cast<Eigen::Index>(row.size()));
        for (std::size_t j = 0; j < row.size(); ++j) CHECK(p[i].x(static_cast<Eigen::Index>(j)) == row[j]);
        close(p[i].prediction.estimate, pred[i], rel, "pred");
        close(p[i].prediction.se, se[i], rel, "se");
        close(p[i].prediction.ci.lower, cl[i], rel, "ci.lb");
        close(p[i].prediction.ci.upper, cu[i], rel, "ci.ub");
        if (pl.empty()) {  // metafor gives no PI for a common-effect model; trialstats' equals the CI
          CHECK(p[i].prediction.pi == p[i].prediction.ci);
        } else {
          close(p[i].prediction.pi.lower, pl[i], rel, "pi.lb");
          close(p[i].prediction.pi.upper, pu[i], rel, "pi.ub");
        }
      }
    }
  }

  TEST_CASE("predict equals predict.rma(newmods): fitted values, CI and PI") {
    const json& f = fixture();
    REQUIRE(f["predict"].size() == 8);
    for (const json& c : f["predict"]) {
      CAPTURE(label(c));
      const Case d = load(c);
      const auto method = *meta::parse_tau2_method(c["method"].get<std::string>());
      const auto fit = meta::meta_regress(
          d.yi, d.vi, d.design, {.method = method, .test = *meta::parse_test_method(c["test"].get<std::string>())});
      const double rel = method == meta::Tau2Method::reml ? 1e-6 : 1e-8;
      const json& rows = c["newmods"];
      Eigen::MatrixXd at(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
      for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < rows[i].size(); ++j)
          at(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j].get<double>();
      const auto p = meta::predict(fit, at);
      const auto pred = values(c["pred"]), se = values(c["se"]), cl = values(c["ci_lb"]), cu = values(c["ci_ub"]),
                 pl = values(c["pi_lb"]), pu = values(c["pi_ub"]);
      REQUIRE(p.size() == pred.size());
      for (std::size_t i = 0; i < p.size(); ++i) {
        CAPTURE(i);
        close(p[i].estimate, pred[i], rel, "pred");
        close(p[i].se, se[i], rel, "se");
        close(p[i].ci.lower, cl[i], rel, "ci.lb");
        close(p[i].ci.upper, cu[i], rel, "ci.ub");
        if (pl.empty()) {  // metafor gives no PI for a common-effect model; trialstats' equals the CI
          CHECK(p[i].pi == p[i].ci);
        } else {
          close(p[i].pi.lower, pl[i], rel, "pi.lb");
          close(p[i].pi.upper, pu[i], rel, "pi.ub");
        }
      }
      if (at.cols() == 1) {  // the one-moderator overload gives the same
        std::vector<double> x;
        for (Eigen::Index i = 0; i < at.rows(); ++i) x.push_back(at(i, 0));
        CHECK(meta::predict(fit, x)[1].estimate == p[1].estimate);
      }
      CHECK_THROWS_AS((void)meta::predict(fit, Eigen::MatrixXd::Zero(1, at.cols() + 1)), DomainError);
    }
  }
}
