// meta::pool against metafor 3.8.1 rma.uni / predict / confint (metadat 1.2.0 datasets), for every
// tau² estimator × test (z, t, knha) on 16 datasets (k = 1, k = 2, tau² on the 0 boundary, equal
// effects, a case where metafor's Fisher scoring diverges), two of them also at a 90 % level.
// Expected values: tests/reference/scripts/meta_pool.R -> fixtures/meta_pool.json (control threshold
// 1e-12, tol 1e-12, so that metafor's iterative answers and Q-profile bounds are the optimum itself).
//
// Tolerances (relative, with an absolute floor for values that are 0 or cross 0):
//   closed-form estimators (EE, DL, HE, HS, HSk, SJ, GENQ, fixed tau²): 1e-8;
//   iterative estimators (ML, REML, EB, PM, PMM): 1e-6 — metafor stops when |Δtau²| < 1e-12, and
//     PM/PMM come from uniroot with tol 1e-12, so metafor's tau² itself carries ~1e-12 absolute error;
//   Q-profile bounds: 1e-8 relative + 1e-10 absolute — confint(control = list(tol = 1e-12)).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/meta/model.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

const json& fixture() {
  static const json j = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/meta_pool.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return j;
}

/// A fixture number: a JSON number, or "Inf", "-Inf", "NaN", "NA" (as R writes them).
double num(const json& v) {
  if (v.is_number()) return v.get<double>();
  REQUIRE(v.is_string());
  const auto s = v.get<std::string>();
  if (s == "Inf") return std::numeric_limits<double>::infinity();
  if (s == "-Inf") return -std::numeric_limits<double>::infinity();
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> vec(const json& v) {
  std::vector<double> out;
  for (const auto& x : v) out.push_back(num(x));
  return out;
}

struct Tol {
  double rel;
  double abs;
};

void check_close(double actual, double expected, Tol tol, const std::string& what) {
  INFO(what << ": actual " << actual << ", expected " << expected);
  if (std::isinf(expected)) {
    CHECK(actual == expected);
    return;
  }
  REQUIRE(std::isfinite(expected));
  CHECK(std::abs(actual - expected) <= tol.rel * std::abs(expected) + tol.abs);
}

bool is_iterative(meta::Tau2Method m) {
  using M = meta::Tau2Method;
  return m == M::ml || m == M::reml || m == M::eb || m == M::pm || m == M::pmm;
}

}  // namespace

TEST_SUITE("meta::model reference") {
  TEST_CASE("pool: matches metafor rma.uni for every dataset, tau² estimator and test") {
    const json& fx = fixture();
    CHECK(fx["metafor_version"] == "3.8.1");
    CHECK(fx["metadat_version"] == "1.2.0");
    for (const auto& ds : fx["datasets"]) {
      const auto yi = vec(ds["yi"]);
      const auto vi = vec(ds["vi"]);
      const std::string dname = ds["name"];
      for (const auto& f : ds["fits"]) {
        const std::string mname = f["method"];
        const std::string tname = f["test"];
        const double level = num(f["level"]);
        const std::string lname = level == 0.95 ? "" : " level " + std::to_string(level);
        SUBCASE((dname + " " + mname + " " + tname + lname).c_str()) {
          meta::PoolOptions o;
          o.method = meta::parse_tau2_method(mname).value();
          o.test = meta::parse_test_method(tname).value();
          o.level = level;
          if (mname == "fixed") o.tau2 = num(f["tau2_fixed"]);
          if (mname == "GENQ") o.genq_weights = vec(f["genq_weights"]);
          const auto r = meta::pool(yi, vi, o);
          const bool iterative = is_iterative(o.method);
          // Values that do not depend on tau² (Q) or are exact at tau² = 0 keep the closed-form tolerance.
          const Tol t{iterative ? 1e-6 : 1e-8, iterative ? 1e-10 : 1e-12};
          const double scale = std::sqrt(r.se * r.se + r.het.tau2) + 1e-300;  // for values that cross 0
          const Tol loc{t.rel, t.rel * scale};

          check_close(r.estimate, num(f["estimate"]), loc, "estimate");
          check_close(r.se, num(f["se"]), t, "se");
          if (num(f["se"]) == 0 && num(f["estimate"]) == 0) {
            CHECK(r.statistic == 0);  // metafor: NaN (0/0); documented as 0 with p = 1
            CHECK(r.p == 1);
          } else {
            check_close(r.statistic, num(f["statistic"]), Tol{t.rel, t.abs}, "statistic");
            check_close(r.p, num(f["p"]), Tol{t.rel * 10, 1e-300}, "p");
          }
          check_close(r.ci.lower, num(f["ci"][0]), loc, "ci.lb");
          check_close(r.ci.upper, num(f["ci"][1]), loc, "ci.ub");
          if (f["pi"].is_array()) {
            check_close(r.pi.lower, num(f["pi"][0]), loc, "pi.lb");
            check_close(r.pi.upper, num(f["pi"][1]), loc, "pi.ub");
          } else {
            // metafor prints no PI for a common-effect model or k = 1: ours equals the CI.
            CHECK(r.pi == r.ci);
          }
          if (f.contains("pi_riley") && f["pi_riley"].is_array() && o.method != meta::Tau2Method::ee) {
            meta::PoolOptions o2 = o;
            o2.pi = meta::PiMethod::t_k_minus_2;
            const auto r2 = meta::pool(yi, vi, o2);
            check_close(r2.pi.lower, num(f["pi_riley"][0]), loc, "pi (t_{k-2}).lb");
            check_close(r2.pi.upper, num(f["pi_riley"][1]), loc, "pi (t_{k-2}).ub");
          }
          check_close(r.het.tau2, num(f["tau2"]), t, "tau2");
          if (f["se_tau2"].is_number() && mname != "fixed" && r.k > 1) {
            REQUIRE(r.het.tau2_se.has_value());
            check_close(*r.het.tau2_se, num(f["se_tau2"]), t, "se.tau2");
          }
          check_close(r.het.i2, num(f["i2"]), Tol{t.rel, t.abs * 100}, "I2");
          check_close(r.het.h2, num(f["h2"]), t, "H2");
          check_close(r.het.q, num(f["qe"]), Tol{1e-8, 1e-12}, "QE");
          check_close(r.het.q_p, num(f["qep"]), Tol{1e-8, 1e-300}, "QEp");
          const auto w = vec(f["weights"]);
          REQUIRE(r.weights.size() == w.size());
          for (std::size_t i = 0; i < w.size(); ++i) check_close(r.weights[i], w[i], t, "weight");
          if (f.contains("tau2_ci")) {
            REQUIRE(r.het.tau2_ci.has_value());
            const Tol qp{1e-8, 1e-10};
            check_close(r.het.tau2_ci->lower, num(f["tau2_ci"][0]), qp, "tau2 ci.lb");
            check_close(r.het.tau2_ci->upper, num(f["tau2_ci"][1]), qp, "tau2 ci.ub");
            check_close(r.het.i2_ci->lower, num(f["i2_ci"][0]), Tol{1e-8, 1e-8}, "I2 ci.lb");
            check_close(r.het.i2_ci->upper, num(f["i2_ci"][1]), Tol{1e-8, 1e-8}, "I2 ci.ub");
            check_close(r.het.h2_ci->lower, num(f["h2_ci"][0]), qp, "H2 ci.lb");
            check_close(r.het.h2_ci->upper, num(f["h2_ci"][1]), qp, "H2 ci.ub");
          } else {
            CHECK_FALSE(r.het.tau2_ci.has_value());
          }
          // Every warning metafor gives has its counterpart.
          for (const auto& wmsg : f["warnings"]) {
            const std::string m = wmsg;
            std::string code;
            if (m.find("Setting argument test") != std::string::npos) code = "test_set_to_z";
            if (m.find("Knapp & Hartung method is not meant") != std::string::npos) code = "knha_common_effect";
            if (m.find("local maximum") != std::string::npos) code = "tau2_local_maximum";
            INFO("metafor warning: " << m);
            REQUIRE_FALSE(code.empty());
            bool found = false;
            for (const auto& ours : r.warnings) found = found || ours.code == code;
            CHECK(found);
          }
        }
      }
    }
  }

  TEST_CASE("pool: metafor_stopping reproduces metafor's default Fisher scoring, including its failure") {
    const json& fx = fixture();
    for (const auto& ds : fx["datasets"]) {
      const auto yi = vec(ds["yi"]);
      const auto vi = vec(ds["vi"]);
      if (yi.size() < 2) continue;
      for (const auto& f : ds["fits"]) {
        if (!f.contains("metafor_default_converged")) continue;
        const std::string mname = f["method"];
        SUBCASE((std::string(ds["name"]) + " " + mname).c_str()) {
          meta::PoolOptions o{.method = meta::parse_tau2_method(mname).value(),
                              .threshold = 1e-5,  // metafor's defaults
                              .max_iter = 100,
                              .metafor_stopping = true};
          if (f["metafor_default_converged"].get<bool>()) {
            const auto r = meta::pool(yi, vi, o);
            // The same iterations in the same order: only rounding differs.
            check_close(r.het.tau2, num(f["metafor_default_tau2"]), Tol{1e-9, 1e-15}, "tau2 (metafor's rule)");
          } else {
            CHECK_THROWS_AS(static_cast<void>(meta::pool(yi, vi, o)), NoResultError);
            o.fallback = {meta::Tau2Method::dl};
            const auto r = meta::pool(yi, vi, o);
            CHECK(r.method == meta::Tau2Method::dl);
            REQUIRE_FALSE(r.warnings.empty());
            CHECK(r.warnings[0].code == "tau2_not_converged");
            // Without metafor's rule the same estimator converges to metafor's optimum (stepadj 0.5 there).
            const auto opt = meta::pool(yi, vi, {.method = o.method});
            CHECK(opt.converged);
            check_close(opt.het.tau2, num(f["tau2"]), Tol{1e-6, 1e-10}, "tau2 (optimum)");
          }
        }
      }
    }
  }
}
