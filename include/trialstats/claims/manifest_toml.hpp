// Reading a claims manifest (TOML, with toml++): every claim checked against the schema of its
// analysis before anything is computed, each mistake reported at its line and column.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "trialstats/claims/manifest.hpp"
#include "trialstats/core/error.hpp"

namespace trialstats::claims {

/// The type an option must have.
enum class OptionType { text, number, list };

/// What an analysis accepts: its options (with types), the statistics it can extract, whether it reads a data file.
struct AnalysisSchema {
  std::string_view name;
  bool needs_data = true;
  std::map<std::string, OptionType, std::less<>> options;
  std::vector<std::string_view> statistics;
  std::vector<std::string_view> required;  ///< options that must be given
};

/// The analyses a manifest may name.
[[nodiscard]] inline const std::vector<AnalysisSchema>& analysis_schemas() {
  using enum OptionType;
  static const std::map<std::string, OptionType, std::less<>> pooling = {
      {"measure", text}, {"method", text}, {"test", text}, {"profile", text}, {"col", list}};
  static const std::vector<AnalysisSchema> schemas = [] {
    std::vector<AnalysisSchema> s;
    s.push_back(
        {"pool",
         true,
         pooling,
         {"estimate", "ratio", "ratio_ci_lower", "ratio_ci_upper", "percent_change", "p", "tau2", "i2", "k", "n"},
         {"measure"}});
    auto mcid = pooling;
    mcid.emplace("mcid", number);
    mcid.emplace("direction", text);
    s.push_back({"mcid", true, mcid, {"estimate", "category", "exceeds_mcid"}, {"measure", "mcid"}});
    s.push_back({"corr",
                 true,
                 {{"x", text}, {"y", text}, {"x_pre", text}, {"x_post", text}, {"y_pre", text}, {"y_post", text}},
                 {"r", "p", "n"},
                 {}});
    s.push_back(
        {"compare",
         true,
         {{"group", text}, {"value", text}, {"baseline", text}, {"pre", text}, {"groups", list}, {"method", text}},
         {"mean1", "mean2", "difference", "percent_difference", "p", "n"},
         {"group", "value", "groups"}});
    s.push_back({"proportion", true, {{"column", text}}, {"percent", "proportion", "x", "n"}, {"column"}});
    s.push_back({"check", false, {{"text", text}}, {"consistent", "computed_p"}, {"text"}});
    s.push_back({"instrument", true, {{"name", text}}, {"scale_min", "scale_max", "mcid"}, {"name"}});
    return s;
  }();
  return schemas;
}

namespace detail {

inline SourcePos pos_of(const std::string& file, const toml::source_region& r) {
  return {file, static_cast<std::size_t>(r.begin.line), static_cast<std::size_t>(r.begin.column)};
}

inline std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date or time";
  }
}

inline std::string join(const std::vector<std::string_view>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + std::string(x);
  return s;
}

inline std::string text_field(const std::string& file, const toml::table& t, std::string_view key, bool required,
                              const SourcePos& owner) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) throw InputError(owner, fmt::format("the claim has no '{}' (a string)", key));
    return {};
  }
  if (!n->is_string())
    throw InputError(pos_of(file, n->source()), fmt::format("'{}' must be a string, not {}", key, type_name(*n)));
  return std::string(*n->value<std::string>());
}

}  // namespace detail

/// Reads and checks a manifest. Keys: `title`, `level` (in (0, 1), default 0.95) and one `[[claim]]`
/// table per claim with `id`, `text`, `analysis`, `data` (relative to the manifest's folder; not for
/// `check`), `statistic`, `reported` (a string such as "-32", "< 0.001", "important", or a number
/// with `tolerance`), and an `options` table checked against the analysis's schema.
/// @throws InputError at the manifest's line and column for a syntax error, an unknown key, analysis,
///         statistic or option, a value of the wrong type, a missing required key, a data file that
///         does not exist, or a duplicate id; for a file that cannot be read, at line 0.
[[nodiscard]] inline Manifest read_manifest(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError({path, 0, 0}, std::filesystem::exists(path, ec) ? "cannot read the manifest: it is not a file"
                                                                     : "cannot open the manifest: no such file");
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw InputError(detail::pos_of(path, e.source()), fmt::format("not valid TOML: {}", e.description()));
  }
  Manifest m;
  m.path = path;
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  for (const auto& [key, node] : root) {
    const std::string k(key.str());
    if (k != "title" && k != "level" && k != "claim")
      throw InputError(detail::pos_of(path, key.source()),
                       fmt::format("unknown key '{}' (the manifest has title, level and [[claim]] tables)", k));
  }
  m.title = detail::text_field(path, root, "title", false, {path, 1, 1});
  if (const toml::node* lv = root.get("level")) {
    if (!lv->is_number() || !(*lv->value<double>() > 0 && *lv->value<double>() < 1))
      throw InputError(detail::pos_of(path, lv->source()), "'level' must be a number in (0, 1), e.g. 0.95");
    m.level = *lv->value<double>();
  }
  const toml::node* claims_node = root.get("claim");
  if (!claims_node) throw InputError({path, 1, 1}, "the manifest has no [[claim]] tables");
  const toml::array* claims = claims_node->as_array();
  if (!claims || !claims->is_array_of_tables())
    throw InputError(detail::pos_of(path, claims_node->source()), "'claim' must be an array of tables: [[claim]]");

  std::set<std::string> ids;
  static const std::set<std::string, std::less<>> claim_keys = {"id",        "text",     "analysis",  "data",
                                                                "statistic", "reported", "tolerance", "options"};
  for (const toml::node& cn : *claims) {
    const toml::table& t = *cn.as_table();
    Claim c;
    c.pos = detail::pos_of(path, t.source());
    for (const auto& [key, node] : t)
      if (!claim_keys.contains(key.str()))
        throw InputError(detail::pos_of(path, key.source()),
                         fmt::format("unknown key '{}' in a claim (keys: id, text, analysis, data, statistic, "
                                     "reported, tolerance, options)",
                                     key.str()));
    c.id = detail::text_field(path, t, "id", true, c.pos);
    if (!ids.insert(c.id).second)
      throw InputError(detail::pos_of(path, t.get("id")->source()), fmt::format("duplicate claim id '{}'", c.id));
    c.text = detail::text_field(path, t, "text", false, c.pos);
    c.analysis = detail::text_field(path, t, "analysis", true, c.pos);
    const AnalysisSchema* schema = nullptr;
    std::vector<std::string_view> names;
    for (const auto& s : analysis_schemas()) {
      names.push_back(s.name);
      if (s.name == c.analysis) schema = &s;
    }
    if (!schema)
      throw InputError(detail::pos_of(path, t.get("analysis")->source()),
                       fmt::format("unknown analysis '{}' (analyses: {})", c.analysis, detail::join(names)));
    c.statistic = detail::text_field(path, t, "statistic", true, c.pos);
    if (std::find(schema->statistics.begin(), schema->statistics.end(), c.statistic) == schema->statistics.end())
      throw InputError(detail::pos_of(path, t.get("statistic")->source()),
                       fmt::format("analysis '{}' has no statistic '{}' (statistics: {})", c.analysis, c.statistic,
                                   detail::join(schema->statistics)));

    // data
    const toml::node* dn = t.get("data");
    if (schema->needs_data) {
      c.data = detail::text_field(path, t, "data", true, c.pos);
      const std::filesystem::path resolved =
          std::filesystem::path(c.data).is_absolute() ? std::filesystem::path(c.data) : folder / c.data;
      c.data_path = resolved.lexically_normal().string();
      if (!std::filesystem::is_regular_file(resolved, ec))
        throw InputError(detail::pos_of(path, dn->source()),
                         fmt::format("data file '{}' not found (looked for {})", c.data, c.data_path));
    } else if (dn) {
      throw InputError(detail::pos_of(path, dn->source()), fmt::format("analysis '{}' reads no data file", c.analysis));
    }

    // reported
    const toml::node* rn = t.get("reported");
    if (!rn)
      throw InputError(c.pos,
                       "the claim has no 'reported' value (a string such as \"-32\" or \"< 0.001\", or a number)");
    c.reported_pos = detail::pos_of(path, rn->source());
    const toml::node* tn = t.get("tolerance");
    if (tn && !(tn->is_number() && *tn->value<double>() >= 0))
      throw InputError(detail::pos_of(path, tn->source()),
                       fmt::format("'tolerance' must be a non-negative number, not {}", detail::type_name(*tn)));
    if (rn->is_string()) {
      if (tn)
        throw InputError(detail::pos_of(path, tn->source()),
                         "'tolerance' goes with a numeric 'reported'; a string is judged by its decimals");
      try {
        c.reported = parse_reported(*rn->value<std::string>());
      } catch (const DomainError& e) {
        throw InputError(c.reported_pos, e.what());
      }
    } else if (rn->is_number()) {
      if (!tn)
        throw InputError(c.reported_pos,
                         "a numeric 'reported' needs a 'tolerance'; write the figure as a string (\"-2.7\") to "
                         "judge it by its decimals");
      c.reported = reported_with_tolerance(*rn->value<double>(), *tn->value<double>());
    } else {
      throw InputError(c.reported_pos,
                       fmt::format("'reported' must be a string or a number, not {}", detail::type_name(*rn)));
    }
    const bool categorical = c.statistic == "category" || c.statistic == "exceeds_mcid" || c.statistic == "consistent";
    if (categorical != (c.reported.form == ReportedForm::category))
      throw InputError(c.reported_pos,
                       categorical ? fmt::format("statistic '{}' is a word; 'reported' must be one (e.g. \"{}\")",
                                                 c.statistic, c.statistic == "category" ? "important" : "yes")
                                   : fmt::format("statistic '{}' is a number; 'reported' '{}' is not one", c.statistic,
                                                 c.reported.text));

    // options
    if (const toml::node* on = t.get("options")) {
      const toml::table* ot = on->as_table();
      if (!ot)
        throw InputError(detail::pos_of(path, on->source()),
                         fmt::format("'options' must be a table, not {}", detail::type_name(*on)));
      for (const auto& [key, node] : *ot) {
        const std::string k(key.str());
        const auto it = schema->options.find(k);
        if (it == schema->options.end()) {
          std::vector<std::string_view> known;
          for (const auto& [n, _] : schema->options) known.push_back(n);
          throw InputError(
              detail::pos_of(path, key.source()),
              fmt::format("analysis '{}' has no option '{}' (options: {})", c.analysis, k, detail::join(known)));
        }
        const SourcePos op = detail::pos_of(path, node.source());
        OptionValue v{.value = std::string(), .pos = op};
        switch (it->second) {
          case OptionType::text:
            if (!node.is_string())
              throw InputError(op, fmt::format("option '{}' must be a string, not {}", k, detail::type_name(node)));
            v.value = std::string(*node.value<std::string>());
            break;
          case OptionType::number:
            if (!node.is_number())
              throw InputError(op, fmt::format("option '{}' must be a number, not {}", k, detail::type_name(node)));
            v.value = *node.value<double>();
            break;
          case OptionType::list: {
            const toml::array* a = node.as_array();
            if (!a || !a->is_homogeneous(toml::node_type::string))
              throw InputError(op, fmt::format("option '{}' must be an array of strings", k));
            std::vector<std::string> items;
            for (const auto& item : *a) items.emplace_back(*item.value<std::string>());
            v.value = std::move(items);
            break;
          }
        }
        c.options.emplace(k, std::move(v));
      }
    }
    for (const auto req : schema->required)
      if (!c.options.contains(std::string(req)))
        throw InputError(c.pos, fmt::format("claim '{}': analysis '{}' needs the option '{}'", c.id, c.analysis, req));
    m.claims.push_back(std::move(c));
  }
  return m;
}

}  // namespace trialstats::claims
