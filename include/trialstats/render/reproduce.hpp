// The report of `trialstats reproduce`: one row per claim (reported, reproduced with its interval,
// status) as text, Markdown or JSON, and a JUnit XML file in which each claim is a test case.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "trialstats/claims/manifest.hpp"
#include "trialstats/render/format.hpp"
#include "trialstats/render/json.hpp"
#include "trialstats/render/svg/svg.hpp"

namespace trialstats::render {

/// One judged claim.
struct ReproducedClaim {
  const claims::Claim* claim = nullptr;
  claims::Reproduction result;
};

struct ReproduceReport {
  std::string manifest;
  std::string title;
  double level = 0.95;
  std::vector<ReproducedClaim> claims;
  [[nodiscard]] std::size_t count(claims::Status s) const {
    std::size_t n = 0;
    for (const auto& c : claims) n += c.result.status == s;
    return n;
  }
};

namespace detail {

/// The re-derived value as a cell: "−31.8 [−36.0, −27.4]" with `digits` decimals, or the category.
inline std::string reproduced_cell(const claims::Reproduction& r, int digits) {
  if (!r.category.empty()) return r.category;
  if (!r.value) return "—";
  if (r.is_p) return p_value(*r.value, digits);
  const bool whole = !r.ci && std::fabs(*r.value) < 1e15 && *r.value == std::round(*r.value);
  std::string s = whole ? fmt::format("{}", static_cast<long long>(*r.value)) : fixed(*r.value, digits);
  if (r.ci) s += fmt::format(" [{}, {}]", fixed(r.ci->lower, digits), fixed(r.ci->upper, digits));
  return s;
}

inline std::string md_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}


/// Characters (UTF-8 code points) of a cell: "—" and "−" take one column.
inline std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

inline std::string pad(const std::string& s, std::size_t width) {
  const std::size_t n = columns(s);
  return n >= width ? s : s + std::string(width - n, ' ');
}

inline std::string summary_line(const ReproduceReport& r) {
  using claims::Status;
  const std::size_t errors = r.count(Status::error);
  return fmt::format("{} claims: {} reproduced, {} not reproduced, {} inconsistent, {} error{}", r.claims.size(),
                     r.count(Status::reproduced), r.count(Status::not_reproduced), r.count(Status::inconsistent),
                     errors, errors == 1 ? "" : "s");
}

}  // namespace detail

/// The report in the style's format (text, md, json).
[[nodiscard]] inline std::string render_reproduce(const ReproduceReport& report, const RenderStyle& style) {
  const int digits = style.digits;
  const int level_pct = static_cast<int>(std::lround(report.level * 100));
  if (style.format == OutputFormat::json) {
    nlohmann::ordered_json j;
    j["manifest"] = report.manifest;
    j["title"] = report.title;
    j["level"] = report.level;
    j["claims"] = nlohmann::ordered_json::array();
    for (const auto& rc : report.claims) {
      const auto& c = *rc.claim;
      nlohmann::ordered_json o;
      o["id"] = c.id;
      o["text"] = c.text;
      o["analysis"] = c.analysis;
      o["data"] = c.data.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.data);
      o["statistic"] = c.statistic;
      o["reported"] = c.reported.text;
      if (c.reported.form == claims::ReportedForm::category) {
        o["accepted"] = c.reported.text;
      } else {
        o["accepted"] = claims::describe(claims::acceptance(c.reported));
      }
      o["value"] = rc.result.value ? number_or_null(*rc.result.value) : nlohmann::ordered_json(nullptr);
      o["ci"] = rc.result.ci ? interval_json(*rc.result.ci) : nlohmann::ordered_json(nullptr);
      o["category"] =
          rc.result.category.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(rc.result.category);
      o["status"] = claims::name(rc.result.status);
      o["detail"] = rc.result.detail;
      j["claims"].push_back(std::move(o));
    }
    j["summary"] = {{"claims", report.claims.size()},
                    {"reproduced", report.count(claims::Status::reproduced)},
                    {"not_reproduced", report.count(claims::Status::not_reproduced)},
                    {"inconsistent", report.count(claims::Status::inconsistent)},
                    {"error", report.count(claims::Status::error)}};
    return j.dump(2) + "\n";
  }
  std::string out;
  if (style.format == OutputFormat::md) {
    if (!report.title.empty()) out += fmt::format("## {}\n\n", report.title);
    out +=
        fmt::format("| Claim | Reported | Reproduced [{}% CI] | Status | Detail |\n|---|---|---|---|---|\n", level_pct);
    for (const auto& rc : report.claims) {
      const std::string status = std::string(claims::name(rc.result.status));
      out += fmt::format("| {} | {} | {} | {} | {} |\n", detail::md_escape(rc.claim->id),
                         detail::md_escape(rc.claim->reported.text),
                         detail::md_escape(detail::reproduced_cell(rc.result, digits)),
                         rc.result.status == claims::Status::reproduced ? status : "**" + status + "**",
                         detail::md_escape(rc.result.detail));
    }
    out += "\n" + detail::summary_line(report) + ".\n";
    return out;
  }
  if (!style.provenance.empty()) out += "# " + style.provenance + "\n";
  if (!report.title.empty()) out += report.title + "\n\n";
  const std::string value_header = fmt::format("reproduced [{}% CI]", level_pct);
  std::size_t w_id = 5, w_rep = 8, w_val = value_header.size();
  std::vector<std::string> cells;
  for (const auto& rc : report.claims) {
    w_id = std::max(w_id, detail::columns(rc.claim->id));
    w_rep = std::max(w_rep, detail::columns(rc.claim->reported.text));
    cells.push_back(detail::reproduced_cell(rc.result, digits));
    w_val = std::max(w_val, detail::columns(cells.back()));
  }
  out += detail::pad("claim", w_id) + "  " + detail::pad("reported", w_rep) + "  " + detail::pad(value_header, w_val) +
         "  status\n";
  for (std::size_t i = 0; i < report.claims.size(); ++i) {
    const auto& rc = report.claims[i];
    out += detail::pad(rc.claim->id, w_id) + "  " + detail::pad(rc.claim->reported.text, w_rep) + "  " +
           detail::pad(cells[i], w_val) + "  " + std::string(claims::name(rc.result.status)) + "\n";
    if (!rc.result.detail.empty()) out += fmt::format("{:<{}}  {}\n", "", w_id, rc.result.detail);
  }
  out += "\n" + detail::summary_line(report) + "\n";
  return out;
}

/// JUnit XML: one test suite (the manifest), one test case per claim; a claim not reproduced or
/// inconsistent is a failure, an analysis that could not run an error.
[[nodiscard]] inline std::string render_junit(const ReproduceReport& report, int digits = 4) {
  using claims::Status;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  const std::size_t failures = report.count(Status::not_reproduced) + report.count(Status::inconsistent);
  out += fmt::format("<testsuites tests=\"{}\" failures=\"{}\" errors=\"{}\">\n", report.claims.size(), failures,
                     report.count(Status::error));
  out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
                     svg::escape(report.title.empty() ? report.manifest : report.title), report.claims.size(),
                     failures, report.count(Status::error));
  for (const auto& rc : report.claims) {
    const auto& c = *rc.claim;
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", svg::escape(report.manifest),
                       svg::escape(c.id));
    if (rc.result.status == Status::reproduced) {
      out += "/>\n";
      continue;
    }
    const std::string message = fmt::format("{}: reported {}, reproduced {}", claims::name(rc.result.status),
                                            c.reported.text, detail::reproduced_cell(rc.result, digits));
    const char* tag = rc.result.status == Status::error ? "error" : "failure";
    out += fmt::format(">\n      <{} message=\"{}\">{}</{}>\n    </testcase>\n", tag, svg::escape(message),
                       svg::escape(c.text + (rc.result.detail.empty() ? "" : "\n" + rc.result.detail)), tag);
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace trialstats::render
