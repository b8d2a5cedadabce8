// The effect-size measures of trialstats: their registry (metafor's names, the columns each one
// needs, the scale of its back-transformation), the options of their computation (continuity
// corrections, variance types) with metafor 3.8's escalc() defaults, the error that names the
// offending input, and the back-transformations.
//
// References (formulas in docs/methods.md, "Effect sizes"):
//   Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package. J Stat Softw 36(3).
//   Viechtbauer W (2022). metafor 3.8: escalc() documentation (measures, add, to, drop00, vtype).
//   Miller JJ (1978). The inverse of the Freeman-Tukey double arcsine transformation. Am Stat 32:138.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "trialstats/core/checks.hpp"
#include "trialstats/core/error.hpp"
#include "trialstats/core/types.hpp"

namespace trialstats::effect {

/// The measures, named after metafor's `measure` argument (`or_` is "OR"; `gen` reads yi and vi as given).
enum class Measure { md, smd, smdh, rom, mc, smcr, smcc, rr, or_, rd, peto, cor, zcor, pr, plo, pas, pft, irr, ird, gen };

/// Which studies get the continuity correction `add` (metafor's `to`): only those with a zero cell
/// (count), every study, every study as soon as one has a zero cell, or none.
enum class ContinuityRule { only0, all, if0all, none };

/// The sampling-variance formula (metafor's `vtype`) of the measures that have variants.
/// `ls`: large-sample approximation (metafor's default); `ub`: unbiased estimate (SMD, RD, PR);
/// `ls2`: large-sample approximation computed from the uncorrected d and scaled by c(m)² (SMD, SMCC, SMCR).
enum class VarianceType { ls, ub, ls2 };

/// The scale on which a measure's back-transformation reports it.
enum class Scale {
  identity,     ///< no back-transformation (differences, correlations, proportions themselves)
  ratio,        ///< exp: log ratios (ROM, RR, OR, PETO, IRR)
  correlation,  ///< tanh: Fisher's z (ZCOR)
  proportion,   ///< inverse logit (PLO), inverse arcsine (PAS), inverse Freeman–Tukey (PFT)
};

/// What the registry knows about a measure.
struct MeasureInfo {
  Measure measure;
  std::string_view name;                     ///< metafor's name: "MD", "SMD", …
  std::string_view description;              ///< one line
  std::span<const std::string_view> roles;   ///< the columns it needs, in metafor's names
  std::span<const std::string_view> alt_roles;  ///< another set that also works (2x2: ai n1i ci n2i; GEN: yi sei); may be empty
  Scale scale;
};

namespace detail {
inline constexpr std::array<std::string_view, 6> two_group_roles{"m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"};
inline constexpr std::array<std::string_view, 6> prepost_roles{"m1i", "m2i", "sd1i", "sd2i", "ni", "ri"};
inline constexpr std::array<std::string_view, 5> smcr_roles{"m1i", "m2i", "sd1i", "ni", "ri"};
inline constexpr std::array<std::string_view, 4> table_roles{"ai", "bi", "ci", "di"};
inline constexpr std::array<std::string_view, 4> table_n_roles{"ai", "n1i", "ci", "n2i"};
inline constexpr std::array<std::string_view, 2> cor_roles{"ri", "ni"};
inline constexpr std::array<std::string_view, 2> prop_roles{"xi", "ni"};
inline constexpr std::array<std::string_view, 4> rate_roles{"x1i", "x2i", "t1i", "t2i"};
inline constexpr std::array<std::string_view, 2> gen_roles{"yi", "vi"};
inline constexpr std::array<std::string_view, 2> gen_se_roles{"yi", "sei"};
inline constexpr std::span<const std::string_view> none{};

inline constexpr std::array<MeasureInfo, 20> registry{{
    {Measure::md, "MD", "mean difference m1i - m2i", two_group_roles, none, Scale::identity},
    {Measure::smd, "SMD", "standardized mean difference, Hedges' g (exact bias correction)", two_group_roles, none,
     Scale::identity},
    {Measure::smdh, "SMDH", "standardized mean difference with heteroscedastic variances (Bonett)", two_group_roles,
     none, Scale::identity},
    {Measure::rom, "ROM", "log ratio of means", two_group_roles, none, Scale::ratio},
    {Measure::mc, "MC", "mean change m1i - m2i (pre-post, one group)", prepost_roles, none, Scale::identity},
    {Measure::smcr, "SMCR", "standardized mean change, raw-score standardization by sd1i", smcr_roles, none,
     Scale::identity},
    {Measure::smcc, "SMCC", "standardized mean change, change-score standardization", prepost_roles, none,
     Scale::identity},
    {Measure::rr, "RR", "log risk ratio", table_roles, table_n_roles, Scale::ratio},
    {Measure::or_, "OR", "log odds ratio", table_roles, table_n_roles, Scale::ratio},
    {Measure::rd, "RD", "risk difference", table_roles, table_n_roles, Scale::identity},
    {Measure::peto, "PETO", "log odds ratio, Peto's one-step method", table_roles, table_n_roles, Scale::ratio},
    {Measure::cor, "COR", "raw correlation coefficient", cor_roles, none, Scale::identity},
    {Measure::zcor, "ZCOR", "Fisher's r-to-z transformed correlation", cor_roles, none, Scale::correlation},
    {Measure::pr, "PR", "raw proportion", prop_roles, none, Scale::identity},
    {Measure::plo, "PLO", "logit transformed proportion", prop_roles, none, Scale::proportion},
    {Measure::pas, "PAS", "arcsine square root transformed proportion", prop_roles, none, Scale::proportion},
    {Measure::pft, "PFT", "Freeman-Tukey double arcsine transformed proportion", prop_roles, none,
     Scale::proportion},
    {Measure::irr, "IRR", "log incidence rate ratio", rate_roles, none, Scale::ratio},
    {Measure::ird, "IRD", "incidence rate difference", rate_roles, none, Scale::identity},
    {Measure::gen, "GEN", "effect sizes given as yi with vi (or sei)", gen_roles, gen_se_roles, Scale::identity},
}};
}  // namespace detail

/// Every measure, in the registry's order.
[[nodiscard]] inline std::span<const MeasureInfo> measures() noexcept { return detail::registry; }

/// The registry entry of a measure.
[[nodiscard]] inline const MeasureInfo& info(Measure m) noexcept {
  return detail::registry[static_cast<std::size_t>(m)];
}

/// metafor's name of a measure ("SMD").
[[nodiscard]] inline std::string_view name(Measure m) noexcept { return info(m).name; }

/// The measure of a name, case-insensitive ("smd", "SMD"); nullopt for an unknown name.
[[nodiscard]] inline std::optional<Measure> parse_measure(std::string_view text) noexcept {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  for (const auto& m : detail::registry) {
    if (m.name.size() != text.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < text.size() && same; ++i) same = lower(m.name[i]) == lower(text[i]);
    if (same) return m.measure;
  }
  return std::nullopt;
}

/// Name of a scale: "identity", "ratio", "correlation", "proportion".
[[nodiscard]] inline std::string_view name(Scale s) noexcept {
  switch (s) {
    case Scale::ratio: return "ratio";
    case Scale::correlation: return "correlation";
    case Scale::proportion: return "proportion";
    case Scale::identity: break;
  }
  return "identity";
}

/// metafor's spelling of a continuity rule ("only0", "all", "if0all", "none").
[[nodiscard]] inline std::string_view name(ContinuityRule r) noexcept {
  switch (r) {
    case ContinuityRule::all: return "all";
    case ContinuityRule::if0all: return "if0all";
    case ContinuityRule::none: return "none";
    case ContinuityRule::only0: break;
  }
  return "only0";
}

/// metafor's spelling of a variance type ("LS", "UB", "LS2").
[[nodiscard]] inline std::string_view name(VarianceType v) noexcept {
  switch (v) {
    case VarianceType::ub: return "UB";
    case VarianceType::ls2: return "LS2";
    case VarianceType::ls: break;
  }
  return "LS";
}

/// Options of the effect-size computation, with metafor 3.8 escalc() defaults.
struct EscalcOptions {
  Measure measure = Measure::gen;
  /// Added to the cells/counts of the studies `to` selects (2x2 tables, proportions, rates).
  /// Absent: metafor's default for the measure, 1/2, except 0 for PAS and PFT (see `default_add`).
  std::optional<double> add = std::nullopt;
  ContinuityRule to = ContinuityRule::only0;
  /// Drop studies with no events in both groups (or events in every subject of both groups) before
  /// correcting; metafor's default is to keep them.
  bool drop00 = false;
  /// SMD: ls, ub or ls2; SMCC, SMCR: ls or ls2; RD, PR: ls or ub. Other measures: ls only.
  VarianceType vtype = VarianceType::ls;
};

/// metafor's default `add`: 0 for PAS and PFT (variance-stabilising transformations need none), else 1/2.
[[nodiscard]] inline double default_add(Measure m) noexcept {
  return (m == Measure::pas || m == Measure::pft) ? 0.0 : 0.5;
}

/// The `add` in force for `options`.
[[nodiscard]] inline double effective_add(const EscalcOptions& options) noexcept {
  return options.add.value_or(default_add(options.measure));
}

/// One study's effect size and its sampling variance.
struct EffectSize {
  double yi = 0;  ///< effect size on the analysis scale (log scale for ratios)
  double vi = 0;  ///< sampling variance
};

/// A bad input value: a DomainError that also names the input (in metafor's role name, e.g.
/// "sd1i") and, once known, the study (0-based) it belongs to.
class InvalidInput : public DomainError {
 public:
  InvalidInput(std::string role, double value, const std::string& message)
      : DomainError(message), role_(std::move(role)), value_(value) {}
  [[nodiscard]] const std::string& role() const noexcept { return role_; }
  [[nodiscard]] double value() const noexcept { return value_; }
  [[nodiscard]] std::optional<std::size_t> study() const noexcept { return study_; }
  void set_study(std::size_t s) noexcept { study_ = s; }

 private:
  std::string role_;
  double value_;
  std::optional<std::size_t> study_;
};

namespace detail {
/// Throws InvalidInput with the message shape of core/checks.hpp.
[[noreturn]] inline void fail_input(std::string_view where, std::string_view role, double value,
                                    std::string_view rule) {
  throw InvalidInput(std::string(role), value, fmt::format("{}: {} is {}, but must be {}", where, role, value, rule));
}
inline void need_finite(std::string_view where, std::string_view role, double v) {
  if (!std::isfinite(v)) fail_input(where, role, v, "finite");
}
inline void need_nonnegative(std::string_view where, std::string_view role, double v) {
  if (!(v >= 0) || !std::isfinite(v)) fail_input(where, role, v, "non-negative");
}
inline void need_positive(std::string_view where, std::string_view role, double v) {
  if (!(v > 0) || !std::isfinite(v)) fail_input(where, role, v, "positive");
}
inline void need_at_least(std::string_view where, std::string_view role, double v, double lo) {
  if (!(v >= lo) || !std::isfinite(v)) fail_input(where, role, v, fmt::format("at least {}", lo));
}
inline void need_correlation(std::string_view where, std::string_view role, double v) {
  if (!(v >= -1 && v <= 1)) fail_input(where, role, v, "in [-1, 1]");
}
}  // namespace detail

/// Effect sizes of a set of studies, with what happened on the way.
struct EffectSizes {
  Measure measure = Measure::gen;
  std::vector<double> yi, vi;         ///< NaN for a study dropped (drop00) or whose value is undefined
  std::vector<char> corrected;        ///< 1 where the continuity correction was added
  std::vector<std::size_t> dropped00; ///< studies dropped by `drop00` (0-based)
  std::vector<std::size_t> undefined; ///< studies whose yi or vi is infinite or NaN (metafor: NA), e.g. a zero cell with to = none
  Warnings warnings;
};

namespace detail {
/// "Aronson, Ferguson & Simes" from labels, or "studies 1, 4" from 0-based indices.
inline std::string study_list(std::span<const std::size_t> idx, std::span<const std::string> labels) {
  std::string out;
  for (std::size_t i = 0; i < idx.size(); ++i) {
    if (i > 0) out += ", ";
    if (i == 8 && idx.size() > 9) {
      out += fmt::format("and {} more", idx.size() - 8);
      break;
    }
    out += idx[i] < labels.size() ? labels[idx[i]] : std::to_string(idx[i] + 1);
  }
  return out;
}

/// Which studies get the correction under `to`, from which have a zero cell (and are not dropped).
/// None when `add` is 0 (nothing would change).
inline std::vector<char> continuity_targets(std::span<const char> zero, std::span<const char> dropped,
                                            ContinuityRule to, double add) {
  std::vector<char> out(zero.size(), 0);
  if (add == 0) return out;
  bool any0 = false;
  for (std::size_t i = 0; i < zero.size(); ++i) any0 = any0 || (zero[i] && !dropped[i]);
  for (std::size_t i = 0; i < zero.size(); ++i) {
    if (dropped[i]) continue;
    switch (to) {
      case ContinuityRule::all: out[i] = 1; break;
      case ContinuityRule::only0: out[i] = zero[i]; break;
      case ContinuityRule::if0all: out[i] = any0; break;
      case ContinuityRule::none: break;
    }
  }
  return out;
}

/// Warnings shared by the count-based measures; marks non-finite results as undefined (NaN).
inline void finish_counts(EffectSizes& r, double add, ContinuityRule to, std::string_view cells,
                          std::span<const std::string> labels) {
  if (!r.dropped00.empty())
    r.warnings.push_back({"double_zero_dropped", fmt::format("{}: dropped {} {} with no events in either group (drop00): {}",
                                                             name(r.measure), r.dropped00.size(),
                                                             r.dropped00.size() == 1 ? "study" : "studies",
                                                             study_list(r.dropped00, labels))});
  std::vector<std::size_t> corrected;
  for (std::size_t i = 0; i < r.corrected.size(); ++i)
    if (r.corrected[i]) corrected.push_back(i);
  if (!corrected.empty() && add != 0 && to != ContinuityRule::all)
    r.warnings.push_back({"zero_cell_corrected",
                          fmt::format("{}: added {} to the {} of {} {} ({}): {}", name(r.measure), add, cells,
                                      corrected.size(), corrected.size() == 1 ? "study" : "studies",
                                      to == ContinuityRule::only0 ? "zero cells" : "a study has a zero cell",
                                      study_list(corrected, labels))});
  for (std::size_t i = 0; i < r.yi.size(); ++i) {
    if (std::isnan(r.yi[i]) && std::isnan(r.vi[i])) {
      bool was_dropped = false;
      for (const auto d : r.dropped00) was_dropped = was_dropped || d == i;
      if (was_dropped) continue;
    }
    if (!std::isfinite(r.yi[i]) || !std::isfinite(r.vi[i]) || r.vi[i] < 0) {
      r.yi[i] = r.vi[i] = std::nan("");
      r.undefined.push_back(i);
    }
  }
  if (!r.undefined.empty())
    r.warnings.push_back({"effect_undefined", fmt::format("{}: yi or vi is not finite for {} {} (a zero cell without correction?): {}",
                                                          name(r.measure), r.undefined.size(),
                                                          r.undefined.size() == 1 ? "study" : "studies",
                                                          study_list(r.undefined, labels))});
}
}  // namespace detail

/// Wald confidence interval yi ± z_{(1+level)/2} sqrt(vi).
/// @param level in (0, 1), e.g. 0.95. @throws DomainError for a level outside (0, 1).
[[nodiscard]] inline Interval wald_interval(double yi, double vi, double level) {
  if (!(level > 0 && level < 1)) fail_check("wald_interval", "level", level, "in (0, 1)");
  const double z = boost::math::quantile(boost::math::normal_distribution<double>(), (1 + level) / 2);
  const double half = z * std::sqrt(vi);
  return {yi - half, yi + half};
}

/// Inverse of the Freeman–Tukey double arcsine transformation for a sample of size n (Miller 1978),
/// as metafor's transf.ipft: 0 below the transform of 0, 1 above the transform of 1.
/// For a pooled estimate, pass the harmonic mean of the studies' sample sizes (metafor's transf.ipft.hm).
[[nodiscard]] inline double inverse_freeman_tukey(double y, double n) {
  require_positive("inverse_freeman_tukey", "n", n);
  auto pft = [n](double p) {
    const double x = p * n;
    return 0.5 * (std::asin(std::sqrt(x / (n + 1))) + std::asin(std::sqrt((x + 1) / (n + 1))));
  };
  if (y > pft(1)) return 1;
  if (y < pft(0)) return 0;
  const double s = std::sin(2 * y);
  const double c = std::cos(2 * y);
  const double sign = (c > 0) - (c < 0);
  const double inner = s + (s - 1 / s) / n;
  return 0.5 * (1 - sign * std::sqrt(1 - inner * inner));
}

/// Harmonic mean of sample sizes, the n of `inverse_freeman_tukey` for pooled estimates.
[[nodiscard]] inline double harmonic_mean(std::span<const double> n) {
  require_at_least("harmonic_mean", "number of sample sizes", n.size(), 1);
  double s = 0;
  for (const double x : n) {
    require_positive("harmonic_mean", "sample size", x);
    s += 1 / x;
  }
  return static_cast<double>(n.size()) / s;
}

/// Back-transforms a value of `m` to the measure's `Scale`: exp (ratios), tanh (ZCOR), inverse
/// logit (PLO), sin² clamped to [0, 1] (PAS, metafor's transf.iarcsin), identity otherwise.
/// PFT needs a sample size: use `inverse_freeman_tukey`; here it throws DomainError.
[[nodiscard]] inline double back_transform(Measure m, double y) {
  switch (m) {
    case Measure::rom:
    case Measure::rr:
    case Measure::or_:
    case Measure::peto:
    case Measure::irr: return std::exp(y);
    case Measure::zcor: return std::tanh(y);
    case Measure::plo: return 1 / (1 + std::exp(-y));
    case Measure::pas:
      if (y < 0) return 0;
      if (y > std::asin(1.0)) return 1;
      return std::sin(y) * std::sin(y);
    case Measure::pft:
      throw DomainError("back_transform: PFT needs a sample size; use inverse_freeman_tukey(y, n)");
    default: return y;
  }
}

/// Back-transform with the sample size PFT needs (ignored by every other measure).
[[nodiscard]] inline double back_transform(Measure m, double y, double n) {
  return m == Measure::pft ? inverse_freeman_tukey(y, n) : back_transform(m, y);
}

}  // namespace trialstats::effect
