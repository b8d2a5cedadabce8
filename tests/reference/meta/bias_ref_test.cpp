// meta::egger_test / rank_test / kendall_test / trim_and_fill / fail_safe_n / pet_peese against
// metafor 3.8.1 regtest(model = "rma" and "lm"), ranktest(), trimfill() (L0 and R0, side chosen by
// metafor, left, right), fsn() (Rosenthal, Orwin with and without a target, Rosenberg) and R 4.2.2's
// lm() (PET and PEESE fits) and cor.test(method = "kendall", exact = TRUE), on 9 metadat 1.2.0 datasets.
// Expected values: tests/reference/scripts/sens_metafor.R -> fixtures/sens_metafor.json (control
// threshold 1e-12).
//
// Tolerances: closed forms (DL, EE, lm, Kendall, fsn) 1e-8 relative + 1e-12 absolute; REML 1e-6
// relative + 1e-9 absolute (metafor's tau² stops within ~1e-12 of the optimum).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialstats/meta/bias.hpp"

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
constexpr Tol closed{1e-8, 1e-12};
constexpr Tol iterative{1e-6, 1e-9};

void close(double actual, double expected, Tol tol, const std::string& what) {
  INFO(what << ": actual " << actual << ", expected " << expected);
  if (std::isinf(expected)) {
    CHECK(actual == expected);
    return;
  }
  REQUIRE(!std::isnan(expected));
  CHECK(std::abs(actual - expected) <= tol.rel * std::abs(expected) + tol.abs);
}

}  // namespace

TEST_SUITE("meta::bias reference") {
  TEST_CASE("Egger's test (rma and lm), rank test, fail-safe N and PET-PEESE match metafor 3.8.1 and lm()") {
    for (const auto& c : fixture()["cases"]) {
      const std::string name = c["name"];
      SUBCASE(name.c_str()) {
        const auto yi = vec(c["yi"]), vi = vec(c["vi"]);
        for (const auto& m : c["models"]) {
          meta::PoolOptions o;
          o.method = *meta::parse_tau2_method(m["method"].get<std::string>());
          o.test = *meta::parse_test_method(m["test"].get<std::string>());
          const Tol tol = m["method"] == "REML" ? iterative : closed;
          const std::string what =
              name + " regtest rma " + m["method"].get<std::string>() + " " + m["test"].get<std::string>();
          const auto e = meta::egger_test(yi, vi, {.model = meta::EggerModel::rma, .pool = o});
          const json& ex = m["regtest_rma"];
          close(e.slope.statistic, num(ex["statistic"]), tol, what + " statistic");
          close(e.slope.p, num(ex["p"]), tol, what + " p");
          close(e.slope.estimate, num(ex["slope"]), tol, what + " slope");
          close(e.slope.se, num(ex["slope_se"]), tol, what + " slope se");
          close(e.limit.estimate, num(ex["limit"]), tol, what + " limit");
          close(e.limit.ci.lower, num(ex["limit_ci"][0]), tol, what + " limit ci.lb");
          close(e.limit.ci.upper, num(ex["limit_ci"][1]), tol, what + " limit ci.ub");
          close(e.tau2, num(ex["tau2"]), tol, what + " tau2");
          if (ex["df"].is_number()) {
            REQUIRE(e.slope.df.has_value());
            CHECK(*e.slope.df == ex["df"].get<int>());
          } else {
            CHECK(!e.slope.df.has_value());
          }
        }
        {
          const auto e = meta::egger_test(yi, vi, {.model = meta::EggerModel::lm});
          const json& ex = c["regtest_lm"];
          close(e.slope.statistic, num(ex["statistic"]), closed, name + " regtest lm t");
          close(e.slope.p, num(ex["p"]), closed, name + " regtest lm p");
          CHECK(*e.slope.df == ex["df"].get<int>());
          close(e.slope.estimate, num(ex["slope"]), closed, name + " regtest lm slope");
          close(e.limit.estimate, num(ex["limit"]), closed, name + " regtest lm limit");
          close(e.limit.ci.lower, num(ex["limit_ci"][0]), closed, name + " regtest lm ci.lb");
          close(e.limit.ci.upper, num(ex["limit_ci"][1]), closed, name + " regtest lm ci.ub");
        }
        {
          const auto r = meta::rank_test(yi, vi);
          close(r.tau, num(c["ranktest"]["tau"]), closed, name + " ranktest tau");
          close(r.p, num(c["ranktest"]["p"]), closed, name + " ranktest p");
        }
        for (const auto& f : c["fsn"]) {
          const std::string type = f["type"];
          meta::FsnOptions fo;
          fo.type = type == "Rosenthal" ? meta::FsnType::rosenthal
                    : type == "Orwin"   ? meta::FsnType::orwin
                                        : meta::FsnType::rosenberg;
          if (f["target_given"].is_number()) fo.target = f["target_given"].get<double>();
          const auto r = meta::fail_safe_n(yi, vi, fo);
          const std::string what = name + " fsn " + type;
          close(r.n, num(f["n"]), closed, what + " n");
          if (f["p"].is_number()) close(*r.p, num(f["p"]), closed, what + " p");
          if (f["mean"].is_number()) close(*r.mean_effect, num(f["mean"]), closed, what + " mean");
          if (f["target"].is_number()) close(*r.target, num(f["target"]), closed, what + " target");
        }
        {
          const auto pp = meta::pet_peese(yi, vi);
          auto check_fit = [&](const meta::WlsFit& fit, const json& ex, const std::string& what) {
            close(fit.intercept.estimate, num(ex["intercept"]), closed, what + " intercept");
            close(fit.intercept.se, num(ex["intercept_se"]), closed, what + " intercept se");
            close(fit.intercept.statistic, num(ex["intercept_t"]), closed, what + " intercept t");
            close(fit.intercept.p, num(ex["intercept_p"]), closed, what + " intercept p");
            close(fit.intercept.ci.lower, num(ex["intercept_ci"][0]), closed, what + " intercept ci.lb");
            close(fit.intercept.ci.upper, num(ex["intercept_ci"][1]), closed, what + " intercept ci.ub");
            close(fit.slope.estimate, num(ex["slope"]), closed, what + " slope");
            close(fit.slope.se, num(ex["slope_se"]), closed, what + " slope se");
            close(fit.slope.p, num(ex["slope_p"]), closed, what + " slope p");
            close(fit.sigma2, num(ex["sigma2"]), closed, what + " sigma2");
          };
          check_fit(pp.pet, c["pet"], name + " PET");
          check_fit(pp.peese, c["peese"], name + " PEESE");
          CHECK(pp.use_peese == (num(c["pet"]["intercept_p"]) < 0.10));
        }
      }
    }
  }

  TEST_CASE("trim and fill matches metafor 3.8.1 for L0 and R0 on either side") {
    for (const auto& c : fixture()["cases"]) {
      const auto yi = vec(c["yi"]), vi = vec(c["vi"]);
      for (const auto& m : c["models"]) {
        if (!m.contains("trimfill")) continue;
        meta::PoolOptions o;
        o.method = *meta::parse_tau2_method(m["method"].get<std::string>());
        const Tol tol = m["method"] == "REML" ? iterative : closed;
        for (const auto& t : m["trimfill"]) {
          const std::string what = c["name"].get<std::string>() + " " + m["method"].get<std::string>() + " " +
                                   t["estimator"].get<std::string>() + " side " + t["side_given"].get<std::string>();
          SUBCASE(what.c_str()) {
            meta::TrimFillOptions to;
            to.estimator = t["estimator"] == "L0" ? meta::TrimFillEstimator::l0 : meta::TrimFillEstimator::r0;
            if (t["side_given"] == "left") to.side = meta::FunnelSide::left;
            if (t["side_given"] == "right") to.side = meta::FunnelSide::right;
            to.pool = o;
            const auto r = meta::trim_and_fill(yi, vi, to);
            CHECK(meta::name(r.side) == t["side"].get<std::string>());
            CHECK(r.k0 == t["k0"].get<int>());
            close(r.k0_se, num(t["k0_se"]), closed, what + " se.k0");
            if (t["k0_p"].is_number()) {
              REQUIRE(r.k0_p.has_value());
              close(*r.k0_p, num(t["k0_p"]), closed, what + " p.k0");
            }
            const auto fy = vec(t["filled_yi"]), fv = vec(t["filled_vi"]);
            REQUIRE(r.filled_yi.size() == fy.size());
            for (std::size_t i = 0; i < fy.size(); ++i) {
              close(r.filled_yi[i], fy[i], tol, what + " filled yi");
              close(r.filled_vi[i], fv[i], closed, what + " filled vi");
            }
            CHECK(r.augmented.k == t["k"].get<int>());
            close(r.augmented.estimate, num(t["estimate"]), tol, what + " estimate");
            close(r.augmented.se, num(t["se"]), tol, what + " se");
            close(r.augmented.ci.lower, num(t["ci"][0]), tol, what + " ci.lb");
            close(r.augmented.ci.upper, num(t["ci"][1]), tol, what + " ci.ub");
            close(r.augmented.p, num(t["p"]), tol, what + " p");
            close(r.augmented.het.tau2, num(t["tau2"]), tol, what + " tau2");
          }
        }
      }
    }
  }

  TEST_CASE("Kendall's test with ties and with more than 50 pairs matches cor.test(exact = TRUE)") {
    for (const auto& c : fixture()["kendall"]) {
      const auto x = vec(c["x"]), y = vec(c["y"]);
      const auto r = meta::kendall_test(x, y);
      close(r.tau, num(c["tau"]), closed, "Kendall tau");
      close(r.p, num(c["p"]), closed, "Kendall p");
    }
  }
}
