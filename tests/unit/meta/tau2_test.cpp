// tau² estimators (include/trialstats/meta/tau2.hpp) on data with equal sampling variances, where
// every estimator has a closed form: with s² the sample variance of the effects and v the common
// variance, DL = HE = PM = EB = HSk = REML = s² − v, ML = (k − 1)/k·s² − v, HS = ML,
// SJ = τ₀²·(k − 1)s²/((v + τ₀²)(k − 1)) with τ₀² = (k − 1)s²/k, PMM: (k − 1)s²/(v + τ²) = median χ²(k − 1).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "trialstats/meta/regression.hpp"
#include "trialstats/meta/tau2.hpp"
#include "trialstats/stats/distributions.hpp"

namespace {

using namespace trialstats;
using meta::Tau2Method;

const std::vector<double> y{0.1, 0.5, 0.9, 1.3};  // mean 0.7, sum of squares 0.8, s² = 0.8/3
const std::vector<double> v(4, 0.05);
constexpr double ss = 0.8;
constexpr double s2 = 0.8 / 3;

double tau2(Tau2Method m, const meta::Tau2Options& o = {}) {
  return meta::estimate_tau2(y, v, m, o).tau2;
}

}  // namespace

TEST_SUITE("meta::tau2") {
  TEST_CASE("estimate_tau2: closed forms for equal sampling variances") {
    CHECK(tau2(Tau2Method::dl) == doctest::Approx(s2 - 0.05).epsilon(1e-13));
    CHECK(tau2(Tau2Method::he) == doctest::Approx(s2 - 0.05).epsilon(1e-13));
    CHECK(tau2(Tau2Method::hsk) == doctest::Approx(s2 - 0.05).epsilon(1e-13));
    CHECK(tau2(Tau2Method::hs) == doctest::Approx(ss / 4 - 0.05).epsilon(1e-13));
    const double tau0 = ss / 4;
    CHECK(tau2(Tau2Method::sj) == doctest::Approx(tau0 * (ss / (0.05 + tau0)) / 3).epsilon(1e-13));
    CHECK(tau2(Tau2Method::reml) == doctest::Approx(s2 - 0.05).epsilon(1e-11));
    CHECK(tau2(Tau2Method::ml) == doctest::Approx(ss / 4 - 0.05).epsilon(1e-11));
    CHECK(tau2(Tau2Method::pm) == doctest::Approx(s2 - 0.05).epsilon(1e-11));
    CHECK(tau2(Tau2Method::eb) == doctest::Approx(s2 - 0.05).epsilon(1e-11));
    const double median = stats::chi_squared_quantile(0.5, 3);
    CHECK(tau2(Tau2Method::pmm) == doctest::Approx(ss / median - 0.05).epsilon(1e-11));
    CHECK(tau2(Tau2Method::ee) == 0);
  }

  TEST_CASE("estimate_tau2: the SE of ML and REML is sqrt(2/information) at the estimate") {
    const auto reml = meta::estimate_tau2(y, v, Tau2Method::reml, {});
    const double m = 0.05 + reml.tau2;
    // Equal variances: ΣP∘P = (k − 1)/m², Σw² = k/m².
    CHECK(*reml.se == doctest::Approx(std::sqrt(2 * m * m / 3)).epsilon(1e-10));
    const auto ml = meta::estimate_tau2(y, v, Tau2Method::ml, {});
    const double mm = 0.05 + ml.tau2;
    CHECK(*ml.se == doctest::Approx(std::sqrt(2 * mm * mm / 4)).epsilon(1e-10));
  }

  TEST_CASE("estimate_tau2: GENQ with weights 1 is HE and with weights 1/v is DL, SE included") {
    const std::vector<double> yi{0.3, -0.2, 0.8, 0.1, 0.5}, vi{0.02, 0.1, 0.05, 0.3, 0.07};
    const std::vector<double> ones(5, 1.0);
    std::vector<double> inv;
    for (double x : vi) inv.push_back(1 / x);
    const auto he = meta::estimate_tau2(yi, vi, Tau2Method::he, {});
    const auto g1 = meta::estimate_tau2(yi, vi, Tau2Method::genq, {.genq_weights = ones});
    CHECK(g1.tau2 == doctest::Approx(he.tau2).epsilon(1e-13));
    CHECK(*g1.se == doctest::Approx(*he.se).epsilon(1e-12));
    const auto dl = meta::estimate_tau2(yi, vi, Tau2Method::dl, {});
    const auto gw = meta::estimate_tau2(yi, vi, Tau2Method::genq, {.genq_weights = inv});
    CHECK(gw.tau2 == doctest::Approx(dl.tau2).epsilon(1e-12));
    CHECK(*gw.se == doctest::Approx(*dl.se).epsilon(1e-12));
  }

  TEST_CASE("estimate_tau2: estimates below 0 are truncated, and ML/REML stop on the boundary") {
    const std::vector<double> yi{0.1, 0.11, 0.09}, vi{0.1, 0.2, 0.15};
    for (Tau2Method m : {Tau2Method::dl, Tau2Method::he, Tau2Method::hs, Tau2Method::hsk, Tau2Method::ml,
                         Tau2Method::reml, Tau2Method::eb, Tau2Method::pm, Tau2Method::pmm}) {
      CAPTURE(static_cast<int>(m));
      const auto fit = meta::estimate_tau2(yi, vi, m, {});
      CHECK(fit.converged);
      CHECK(fit.tau2 == 0);
    }
  }

  TEST_CASE("estimate_tau2: too few iterations are reported, not hidden") {
    // Unequal variances: the HE starting value is not the REML optimum.
    const std::vector<double> yi{0.3, -0.2, 0.8, 0.1, 0.5}, vi{0.02, 0.1, 0.05, 0.3, 0.07};
    const auto fit = meta::estimate_tau2(yi, vi, Tau2Method::reml, {.max_iter = 1});
    CHECK_FALSE(fit.converged);
    CHECK(fit.iterations == 1);
    const auto mf =
        meta::estimate_tau2(yi, vi, Tau2Method::reml, {.threshold = 1e-12, .max_iter = 1, .metafor_stopping = true});
    CHECK_FALSE(mf.converged);
    CHECK(mf.iterations == 2);  // metafor gives up when iter > maxiter
  }

  TEST_CASE("estimate_tau2: step_adj slows metafor's Fisher scoring down but reaches the same optimum") {
    const meta::Tau2Options full{.threshold = 1e-12, .max_iter = 1000, .metafor_stopping = true};
    const meta::Tau2Options half{.threshold = 1e-12, .max_iter = 1000, .step_adj = 0.5, .metafor_stopping = true};
    const std::vector<double> yi{0.3, -0.2, 0.8, 0.1, 0.5}, vi{0.02, 0.1, 0.05, 0.3, 0.07};
    const auto a = meta::estimate_tau2(yi, vi, Tau2Method::reml, full);
    const auto b = meta::estimate_tau2(yi, vi, Tau2Method::reml, half);
    CHECK(b.iterations > a.iterations);
    CHECK(b.tau2 == doctest::Approx(a.tau2).epsilon(1e-9));
    const auto ours = meta::estimate_tau2(yi, vi, Tau2Method::reml, {});
    CHECK(ours.tau2 == doctest::Approx(a.tau2).epsilon(1e-9));
  }
}

TEST_SUITE("meta::tau2") {
  TEST_CASE("estimate_tau2: REML with two maxima, the lower on the boundary, finds the higher") {
    // Analysis 7733 of `Rscript bench/compare/gen_batch.R out.csv 10000 13` (seed 20261130). Its
    // restricted likelihood falls from tau² = 0 (logLik −9.6617) to a dip near 0.01 and rises to a
    // higher peak near 0.09 (−9.6114): metafor 3.8.1, logLik(rma(yi, vi, tau2 = t), REML = TRUE) for
    // t = 0, 0.01 and 0.0906. Reference maximum: rma(yi, vi, method = "REML",
    // control = list(threshold = 1e-12, maxiter = 1000)):
    // tau² 0.090572818971953073, estimate −0.17539650745768642.
    const std::vector<double> yi{0.06050956809420438,  -0.050184863915188227, -0.10232198342811749, -0.0068994694208254215,
                                 0.22622763342932845,  -0.033092570524615506, -0.0063772708190920624, -1.4713772654463633,
                                 -0.40526106891219726, -0.12270669762709566,  0.74092657595122136,   -0.23230932228090162,
                                 -1.3896283797522946};
    const std::vector<double> vi{0.12529924632282927, 0.016529428383801132, 0.013569550942629576, 0.1220734032196924,
                                 0.17908968000439929, 0.17066724296426403,  0.087635138276964425, 0.19044071277137847,
                                 0.16174375905888155, 0.025856844615191221, 0.17346126374090093,  0.083860864336602392,
                                 0.16174064697232099};
    const meta::Tau2Fit fit = meta::estimate_tau2(yi, vi, Tau2Method::reml, {});
    CHECK(fit.converged);
    CHECK(fit.tau2 == doctest::Approx(0.090572818971953073).epsilon(1e-6));  // iterative: 1e-6
    REQUIRE(fit.warnings.size() == 1);
    CHECK(fit.warnings[0].code == "tau2_local_maximum");
    // Meta-regression runs the same search: an intercept-only model gives the same maximum.
    const meta::Design d{Eigen::MatrixXd::Ones(13, 1), {"intrcpt"}, true};
    const auto r = meta::meta_regress(yi, vi, d, {.method = Tau2Method::reml});
    CHECK(r.tau2 == doctest::Approx(0.090572818971953073).epsilon(1e-6));
    CHECK(r.coefficients[0].estimate == doctest::Approx(-0.17539650745768642).epsilon(1e-6));
    // ML has its maximum on the boundary here (metafor: 6.3e-14, i.e. 0), and no warning.
    const meta::Tau2Fit ml = meta::estimate_tau2(yi, vi, Tau2Method::ml, {});
    CHECK(ml.tau2 == 0);
    CHECK(ml.warnings.empty());
  }
}
