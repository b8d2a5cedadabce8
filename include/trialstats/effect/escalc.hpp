// One entry point for every measure: effect sizes from columns named by metafor's roles
// ("m1i", "ai", "ri", …), as metafor 3.8's escalc() computes them.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "trialstats/effect/binary.hpp"
#include "trialstats/effect/continuous.hpp"
#include "trialstats/effect/correlation.hpp"
#include "trialstats/effect/measure.hpp"
#include "trialstats/effect/proportion.hpp"
#include "trialstats/effect/rate.hpp"

namespace trialstats::effect {

/// Columns by role name, each with one value per study (no missing values).
using RoleColumns = std::map<std::string, std::vector<double>, std::less<>>;

namespace detail {
inline std::span<const double> role(const RoleColumns& cols, std::string_view r) {
  const auto it = cols.find(r);
  if (it == cols.end()) throw UsageError(fmt::format("escalc: no values for {}", r));
  return it->second;
}
inline bool has_roles(const RoleColumns& cols, std::span<const std::string_view> roles) {
  if (roles.empty()) return false;
  for (const auto r : roles)
    if (cols.find(r) == cols.end()) return false;
  return true;
}
template <class F>
EffectSizes per_study(Measure m, std::size_t k, F&& f) {
  EffectSizes r;
  r.measure = m;
  r.yi.resize(k);
  r.vi.resize(k);
  r.corrected.assign(k, 0);
  for (std::size_t i = 0; i < k; ++i) {
    try {
      const EffectSize e = f(i);
      r.yi[i] = e.yi;
      r.vi[i] = e.vi;
    } catch (InvalidInput& e) {
      e.set_study(i);
      throw;
    }
  }
  return r;
}
}  // namespace detail

/// The roles `options.measure` reads from `cols`: its primary set when all are present, else its
/// alternative set (2x2: ai n1i ci n2i; GEN: yi sei), else the primary set.
[[nodiscard]] inline std::span<const std::string_view> roles_in_use(Measure m, const RoleColumns& cols) {
  const auto& in = info(m);
  if (!detail::has_roles(cols, in.roles) && detail::has_roles(cols, in.alt_roles)) return in.alt_roles;
  return in.roles;
}

/// Effect sizes of every study for `options.measure` from its role columns (all the same length).
/// @param labels optional study labels for warnings.
/// @throws InvalidInput (a DomainError, with `role()` and `study()`) for a bad value; UsageError
///         when a role is missing or the variance type does not apply to the measure.
[[nodiscard]] inline EffectSizes escalc(const RoleColumns& cols, const EscalcOptions& options,
                                        std::span<const std::string> labels = {}) {
  const Measure m = options.measure;
  const auto roles = roles_in_use(m, cols);
  const std::size_t k = detail::role(cols, roles.front()).size();
  for (const auto r : roles) require_same_size("escalc", roles.front(), k, r, detail::role(cols, r).size());
  auto col = [&](std::string_view r) { return detail::role(cols, r); };
  auto only_ls = [&] {
    if (options.vtype != VarianceType::ls)
      throw UsageError(fmt::format("measure {} has no variance type {}", name(m), name(options.vtype)));
  };
  switch (m) {
    case Measure::md:
    case Measure::smd:
    case Measure::smdh:
    case Measure::rom: {
      if (m != Measure::smd) only_ls();
      const auto m1 = col("m1i"), s1 = col("sd1i"), n1 = col("n1i"), m2 = col("m2i"), s2 = col("sd2i"), n2 = col("n2i");
      return detail::per_study(m, k, [&](std::size_t i) {
        const TwoGroupMeans g{m1[i], s1[i], n1[i], m2[i], s2[i], n2[i]};
        if (m == Measure::md) return mean_difference(g);
        if (m == Measure::smd) return standardized_mean_difference(g, options.vtype);
        if (m == Measure::smdh) return smd_heteroscedastic(g);
        return ratio_of_means(g);
      });
    }
    case Measure::mc:
    case Measure::smcr:
    case Measure::smcc: {
      if (m == Measure::mc || options.vtype == VarianceType::ub) only_ls();
      const auto m1 = col("m1i"), m2 = col("m2i"), s1 = col("sd1i"), ni = col("ni"), ri = col("ri");
      const std::span<const double> s2 = m == Measure::smcr ? std::span<const double>() : col("sd2i");
      return detail::per_study(m, k, [&](std::size_t i) {
        const PrePostMeans p{m1[i], m2[i], s1[i], s2.empty() ? 0.0 : s2[i], ni[i], ri[i]};
        if (m == Measure::mc) return mean_change(p);
        if (m == Measure::smcc) return smd_change_score(p, options.vtype);
        return smd_change_raw(p, options.vtype);
      });
    }
    case Measure::rr:
    case Measure::or_:
    case Measure::rd:
    case Measure::peto: {
      std::vector<Table2x2> t(k);
      const bool with_n = roles[1] == "n1i";
      const auto a = col("ai"), c = col("ci");
      const auto b = col(with_n ? "n1i" : "bi"), d = col(with_n ? "n2i" : "di");
      for (std::size_t i = 0; i < k; ++i) {
        try {
          t[i] = with_n ? table_from_group_sizes(a[i], b[i], c[i], d[i]) : Table2x2{a[i], b[i], c[i], d[i]};
        } catch (InvalidInput& e) {
          e.set_study(i);
          throw;
        }
      }
      return escalc_2x2(t, options, labels);
    }
    case Measure::cor:
    case Measure::zcor: {
      only_ls();
      const auto ri = col("ri"), ni = col("ni");
      return detail::per_study(m, k, [&](std::size_t i) {
        return m == Measure::cor ? correlation(ri[i], ni[i]) : fisher_z(ri[i], ni[i]);
      });
    }
    case Measure::pr:
    case Measure::plo:
    case Measure::pas:
    case Measure::pft: {
      const auto xi = col("xi"), ni = col("ni");
      std::vector<Proportion> p(k);
      for (std::size_t i = 0; i < k; ++i) p[i] = {xi[i], ni[i]};
      return escalc_proportions(p, options, labels);
    }
    case Measure::irr:
    case Measure::ird: {
      const auto x1 = col("x1i"), x2 = col("x2i"), t1 = col("t1i"), t2 = col("t2i");
      std::vector<TwoRates> r(k);
      for (std::size_t i = 0; i < k; ++i) r[i] = {x1[i], x2[i], t1[i], t2[i]};
      return escalc_rates(r, options, labels);
    }
    case Measure::gen: break;
  }
  only_ls();
  const auto yi = col("yi");
  const bool with_se = roles[1] == "sei";
  const auto v = col(with_se ? "sei" : "vi");
  return detail::per_study(m, k, [&](std::size_t i) {
    detail::need_finite("GEN", "yi", yi[i]);
    detail::need_nonnegative("GEN", with_se ? "sei" : "vi", v[i]);
    return EffectSize{yi[i], with_se ? v[i] * v[i] : v[i]};
  });
}

}  // namespace trialstats::effect
