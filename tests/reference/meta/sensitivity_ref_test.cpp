// meta::sensitivity / leave_one_out / cumulative / influence / baujat against metafor 3.8.1
// leave1out(), cumul() (input order and ordered by vi), influence() (every column, DFBETAS and the
// influential flag) and baujat() on 9 metadat 1.2.0 datasets, for REML (z and knha), DL and EE models.
// Expected values: tests/reference/scripts/sens_metafor.R -> fixtures/sens_metafor.json (control
// threshold 1e-12, inherited by every refit).
//
// Tolerances (relative, plus an absolute floor for values that are 0 or cross 0):
//   DL and EE (closed forms): 1e-8 relative + 1e-12 absolute;
//   REML (iterative): 1e-6 relative + 1e-9 absolute (I²: 1e-7 absolute, see check_rows) — metafor stops when |Δtau²| <
//   1e-12, so its
//     tau² carries ~1e-12 absolute error, which values divided by small variances magnify.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/meta/sensitivity.hpp"

namespace {

using json = nlohmann::json;
using namespace trialstats;

const json& fixture() {
  static const json j = [] {
    std::ifstream in(std::string(TRIALSTATS_FIXTURES) + "/sens_metafor.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return j;
}

double num(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
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
  double rel, abs;
};

void close(double actual, double expected, Tol tol, const std::string& what) {
  INFO(what << ": actual " << actual << ", expected " << expected);
  if (std::isnan(expected)) {
    CHECK(std::isnan(actual));
    return;
  }
  if (std::isinf(expected)) {
    CHECK(actual == expected);
    return;
  }
  CHECK(std::abs(actual - expected) <= tol.rel * std::abs(expected) + tol.abs);
}

meta::PoolOptions model_options(const json& m) {
  meta::PoolOptions o;
  o.method = *meta::parse_tau2_method(m["method"].get<std::string>());
  o.test = *meta::parse_test_method(m["test"].get<std::string>());
  o.tau2_ci = false;
  return o;
}

Tol tolerance(const json& m) {
  return m["method"] == "REML" ? Tol{1e-6, 1e-9} : Tol{1e-8, 1e-12};
}

void check_rows(const std::vector<meta::RefitRow>& rows, const json& ex, Tol tol, const std::string& what) {
  const auto n = rows.size();
  REQUIRE(ex["estimate"].size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = rows[i];
    const std::string at = what + " row " + std::to_string(i + 1);
    close(r.estimate, num(ex["estimate"][i]), tol, at + " estimate");
    close(r.se, num(ex["se"][i]), tol, at + " se");
    close(r.statistic, num(ex["statistic"][i]), tol, at + " statistic");
    close(r.p, num(ex["p"][i]), tol, at + " p");
    close(r.ci.lower, num(ex["ci_lb"][i]), tol, at + " ci.lb");
    close(r.ci.upper, num(ex["ci_ub"][i]), tol, at + " ci.ub");
    close(r.q, num(ex["q"][i]), {1e-8, 1e-12}, at + " Q");
    close(r.q_p, num(ex["q_p"][i]), {1e-8, 1e-12}, at + " Qp");
    close(r.tau2, num(ex["tau2"][i]), tol, at + " tau2");
    // I² = 100·tau²/(tau² + s²): near the 0 boundary metafor's tau² stops ~1e-11 above 0 (its last
    // Fisher step below 1e-12), which I² in percent shows as ~1e-9; hence an absolute floor of 1e-7.
    close(r.i2, num(ex["i2"][i]), {tol.rel, std::max(tol.abs, 1e-7)}, at + " I2");
    close(r.h2, num(ex["h2"][i]), tol, at + " H2");
  }
}

}  // namespace

TEST_SUITE("meta::sensitivity reference") {
  TEST_CASE("leave-one-out, cumulative, influence and Baujat match metafor 3.8.1") {
    const json& fx = fixture();
    CHECK(fx["metafor_version"] == "3.8.1");
    CHECK(fx["metadat_version"] == "1.2.0");
    for (const auto& c : fx["cases"]) {
      const auto yi = vec(c["yi"]), vi = vec(c["vi"]);
      for (const auto& m : c["models"]) {
        const std::string what =
            c["name"].get<std::string>() + " " + m["method"].get<std::string>() + " " + m["test"].get<std::string>();
        SUBCASE(what.c_str()) {
          const meta::PoolOptions o = model_options(m);
          const Tol tol = tolerance(m);
          const auto s = meta::sensitivity(yi, vi, {.pool = o, .threads = 2});
          close(s.full.estimate, num(m["estimate"]), tol, what + " estimate");
          check_rows(s.leave1out.rows, m["leave1out"], tol, what + " leave1out");

          const auto cu = meta::cumulative(yi, vi, {}, o);
          check_rows(cu.rows, m["cumul"], tol, what + " cumul");
          const auto cv = meta::cumulative(yi, vi, vi, o);
          check_rows(cv.rows, m["cumul_vi"], tol, what + " cumul by vi");

          const json& inf = m["influence"];
          REQUIRE(inf["rstudent"].size() == yi.size());
          for (std::size_t i = 0; i < yi.size(); ++i) {
            const auto& r = s.influence.rows[i];
            const std::string at = what + " influence row " + std::to_string(i + 1);
            close(r.rstudent, num(inf["rstudent"][i]), tol, at + " rstudent");
            close(r.dffits, num(inf["dffits"][i]), tol, at + " dffits");
            close(r.cook_d, num(inf["cook_d"][i]), tol, at + " cook.d");
            close(r.cov_r, num(inf["cov_r"][i]), tol, at + " cov.r");
            close(r.tau2_del, num(inf["tau2_del"][i]), tol, at + " tau2.del");
            close(r.qe_del, num(inf["qe_del"][i]), {1e-8, 1e-12}, at + " QE.del");
            close(r.hat, num(inf["hat"][i]), tol, at + " hat");
            close(r.weight, num(inf["weight"][i]), tol, at + " weight");
            close(r.dfbs, num(inf["dfbs"][i]), tol, at + " dfbs");
            INFO(at);
            CHECK(r.influential == inf["influential"][i].get<bool>());
          }
          const auto& b = m["baujat"];
          for (std::size_t i = 0; i < yi.size(); ++i) {
            close(s.baujat.x[i], num(b["x"][i]), tol, what + " baujat x " + std::to_string(i + 1));
            close(s.baujat.y[i], num(b["y"][i]), tol, what + " baujat y " + std::to_string(i + 1));
          }
        }
      }
    }
  }
}
