// Reported test statistics found in plain text or Markdown, in APA style and its common variants:
// t(df) = x, F(df1, df2) = x, r(df) = x, χ²(df[, N = n]) = x (also χ2, χ^2, chi2, chi², X2, X²),
// z = x, and "r = x, n = N" with the sample size instead of the degrees of freedom; each followed by
// "p = / < / > / ≤ / ≥ y" or "ns" after a comma or a semicolon. Minus signs may be ASCII, Unicode
// (U+2212) or en dashes; leading zeros may be dropped (".62"); thousands separators are read
// ("N = 1,273"); p may be written with an exponent (3.6e-2); Markdown emphasis around the letters
// (*t*, *p*) is skipped.
//
// Reference: Nuijten MB, Epskamp S (2023). statcheck: Extract statistics from articles and recompute
//   p-values, R package 1.4.0 (the formats it reads; this reader reads a superset).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialstats::claims {

/// The kind of test statistic.
enum class TestKind { t, f, r, chi2, z };

[[nodiscard]] inline std::string_view name(TestKind k) {
  switch (k) {
    case TestKind::t:
      return "t";
    case TestKind::f:
      return "F";
    case TestKind::r:
      return "r";
    case TestKind::chi2:
      return "chi2";
    default:
      return "z";
  }
}

/// How a value is reported: "p = .036", "p < .001", "p ≤ .05", or "ns" (not significant).
enum class Relation { eq, lt, gt, le, ge, ns };

[[nodiscard]] inline std::string_view name(Relation r) {
  switch (r) {
    case Relation::lt:
      return "<";
    case Relation::gt:
      return ">";
    case Relation::le:
      return "<=";
    case Relation::ge:
      return ">=";
    case Relation::ns:
      return "ns";
    default:
      return "=";
  }
}

/// One statistic as the text reports it.
struct ReportedStatistic {
  std::size_t line = 0;    ///< 1-based line of its first character
  std::size_t column = 0;  ///< 1-based column, in characters (Unicode code points), of its first character
  std::string text;        ///< the text from the test's letter to the end of the p-value
  TestKind test = TestKind::t;
  std::vector<double> df;                 ///< t, r: {df}; F: {df1, df2}; χ²: {df}; z: {}
  std::optional<double> sample_size;      ///< N of "χ²(1, N = 100)" or n of "r = .3, n = 50" (r: df = n − 2)
  Relation test_relation = Relation::eq;  ///< "=" nearly always
  double value = 0;                       ///< the statistic, sign included
  int value_decimals = 0;                 ///< decimals written ("2.20" → 2)
  Relation p_relation = Relation::eq;
  double p = 0;        ///< reported p (unused for ns)
  int p_decimals = 0;  ///< decimals of p written out in full: ".036" → 3, "3.6e-2" → 3, "1.2e-5" → 6
  friend bool operator==(const ReportedStatistic&, const ReportedStatistic&) = default;
};

namespace detail {

/// A cursor over UTF-8 text that knows the line and column of where it is.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  [[nodiscard]] std::string_view text() const { return s_; }

  /// Length of the UTF-8 sequence starting at byte i (1 for bytes that start none).
  [[nodiscard]] std::size_t width(std::size_t i) const {
    const auto c = static_cast<unsigned char>(s_[i]);
    std::size_t w = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    return i + w <= s_.size() ? w : 1;
  }
  [[nodiscard]] bool at(std::size_t i, std::string_view lit) const { return s_.substr(i, lit.size()) == lit; }

 private:
  std::string_view s_;
};

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Skips spaces, tabs, line breaks and Unicode spaces (no-break, thin, narrow no-break).
inline std::size_t skip_space(const Scanner& sc, std::size_t i) {
  const auto s = sc.text();
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
      ++i;
    else if (sc.at(i, "\u00a0"))
      i += 2;
    else if (sc.at(i, "\u2009") || sc.at(i, "\u202f") || sc.at(i, "\u2002") || sc.at(i, "\u2003"))
      i += 3;
    else
      break;
  }
  return i;
}

/// Skips Markdown emphasis marks (*, _).
inline std::size_t skip_emphasis(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == '*' || s[i] == '_')) ++i;
  return i;
}

/// A relation sign at i: =, <, >, <=, >=, ≤, ≥; sets `end`.
inline std::optional<Relation> relation_at(const Scanner& sc, std::size_t i, std::size_t& end) {
  const auto s = sc.text();
  if (i >= s.size()) return std::nullopt;
  if (sc.at(i, "<=")) {
    end = i + 2;
    return Relation::le;
  }
  if (sc.at(i, ">=")) {
    end = i + 2;
    return Relation::ge;
  }
  if (sc.at(i, "\u2264")) {
    end = i + 3;
    return Relation::le;
  }
  if (sc.at(i, "\u2265")) {
    end = i + 3;
    return Relation::ge;
  }
  end = i + 1;
  if (s[i] == '=') return Relation::eq;
  if (s[i] == '<') return Relation::lt;
  if (s[i] == '>') return Relation::gt;
  return std::nullopt;
}

struct Number {
  double value = 0;
  int decimals = 0;  ///< decimals written out in full (mantissa decimals minus the exponent)
  std::size_t end = 0;
};

/// A number at i: optional sign (-, +, U+2212 minus, U+2013 en dash) when `signed_ok`, digits with
/// optional thousands separators ("1,273") when `thousands`, an optional fraction (".62" allowed),
/// an optional exponent ("e-2", "E-05") when `exponent`.
inline std::optional<Number> number_at(const Scanner& sc, std::size_t i, bool signed_ok, bool thousands,
                                       bool exponent) {
  const auto s = sc.text();
  bool negative = false;
  if (signed_ok && i < s.size()) {
    if (s[i] == '-' || s[i] == '+') {
      negative = s[i] == '-';
      ++i;
    } else if (sc.at(i, "\u2212") || sc.at(i, "\u2013")) {
      negative = true;
      i += 3;
    }
  }
  std::string digits;
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) {
    digits += s[j++];
    // "1,273": a comma followed by exactly three digits (and no fourth) continues the number.
    if (thousands && j + 3 < s.size() && s[j] == ',' && is_digit(s[j + 1]) && is_digit(s[j + 2]) &&
        is_digit(s[j + 3]) && (j + 4 >= s.size() || !is_digit(s[j + 4])))
      ++j;
  }
  int decimals = 0;
  if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
    digits += s[j++];
    while (j < s.size() && is_digit(s[j])) {
      digits += s[j++];
      ++decimals;
    }
  }
  if (digits.empty() || digits == ".") return std::nullopt;
  int exp10 = 0;
  if (exponent && j + 1 < s.size() && (s[j] == 'e' || s[j] == 'E')) {
    std::size_t k = j + 1;
    bool neg_exp = false;
    if (k < s.size() && (s[k] == '-' || s[k] == '+')) {
      neg_exp = s[k] == '-';
      ++k;
    } else if (sc.at(k, "\u2212")) {
      neg_exp = true;
      k += 3;
    }
    if (k < s.size() && is_digit(s[k])) {
      int e = 0;
      while (k < s.size() && is_digit(s[k]) && e < 1000) e = e * 10 + (s[k++] - '0');
      exp10 = neg_exp ? -e : e;
      digits += 'e';
      digits += std::to_string(exp10);
      j = k;
    }
  }
  Number n;
  n.value = std::strtod(digits.c_str(), nullptr) * (negative ? -1 : 1);
  n.decimals = std::max(0, decimals - exp10);
  n.end = j;
  return n;
}

/// Whether the character before byte i is part of a word: an ASCII letter or digit, or a non-ASCII
/// character other than a no-break space and the general punctuation block (spaces, dashes, quotes).
inline bool word_before(const Scanner& sc, std::size_t i) {
  const auto s = sc.text();
  std::size_t k = i - 1;
  while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
  const auto c = static_cast<unsigned char>(s[k]);
  if (c < 0x80) return is_ascii_letter(s[k]) || is_digit(s[k]);
  if (sc.at(k, "\u00a0")) return false;
  // U+2000–U+206F: E2 80 80 … E2 81 AF
  if (c == 0xE2 && k + 1 < s.size() &&
      (static_cast<unsigned char>(s[k + 1]) == 0x80 || static_cast<unsigned char>(s[k + 1]) == 0x81))
    return false;
  return true;
}

/// The letter(s) of a test at i, preceded by no letter; sets `end` after them (and any emphasis).
inline std::optional<TestKind> test_at(const Scanner& sc, std::size_t i, std::size_t& end) {
  const auto s = sc.text();
  if (i > 0 && word_before(sc, i)) return std::nullopt;  // inside a word: "test(", "at"
  struct Form {
    std::string_view text;
    TestKind kind;
  };
  // Longest first.
  static constexpr Form forms[] = {
      {"chi-squared", TestKind::chi2},
      {"Chi-squared", TestKind::chi2},
      {"chi-square", TestKind::chi2},
      {"Chi-square", TestKind::chi2},
      {"\u03c7\u00b2", TestKind::chi2},
      {"\u03c7^2", TestKind::chi2},
      {"\u03c72", TestKind::chi2},
      {"chi\u00b2", TestKind::chi2},
      {"Chi\u00b2", TestKind::chi2},
      {"chi^2", TestKind::chi2},
      {"chi2", TestKind::chi2},
      {"Chi2", TestKind::chi2},
      {"X\u00b2", TestKind::chi2},
      {"X^2", TestKind::chi2},
      {"X2", TestKind::chi2},
      {"\u03c7", TestKind::chi2},
      {"t", TestKind::t},
      {"F", TestKind::f},
      {"r", TestKind::r},
      {"z", TestKind::z},
      {"Z", TestKind::z},
  };
  for (const auto& f : forms) {
    if (!sc.at(i, f.text)) continue;
    std::size_t j = i + f.text.size();
    // the letter must end a word: "t(", "t =", "*t*(" but not "test"
    if (j < s.size() && (is_ascii_letter(s[j]) || is_digit(s[j]))) continue;
    end = skip_emphasis(s, j);
    return f.kind;
  }
  return std::nullopt;
}

/// "(df)", "(df1, df2)" or "(df, N = n)"; fills `out`.
inline bool dfs_at(const Scanner& sc, std::size_t i, TestKind kind, ReportedStatistic& out, std::size_t& end) {
  const auto s = sc.text();
  i = skip_space(sc, i);
  if (i >= s.size() || s[i] != '(') return false;
  i = skip_space(sc, i + 1);
  auto d1 = number_at(sc, i, false, false, false);
  if (!d1) return false;
  out.df = {d1->value};
  i = skip_space(sc, d1->end);
  if (kind == TestKind::f) {
    if (i >= s.size() || s[i] != ',') return false;
    auto d2 = number_at(sc, skip_space(sc, i + 1), false, false, false);
    if (!d2) return false;
    out.df.push_back(d2->value);
    i = skip_space(sc, d2->end);
  } else if (kind == TestKind::chi2 && i < s.size() && s[i] == ',') {
    std::size_t j = skip_space(sc, i + 1);
    if (j >= s.size() || (s[j] != 'N' && s[j] != 'n')) return false;
    j = skip_space(sc, skip_emphasis(s, j + 1));
    if (j >= s.size() || s[j] != '=') return false;
    auto n = number_at(sc, skip_space(sc, j + 1), false, true, false);
    if (!n) return false;
    out.sample_size = n->value;
    i = skip_space(sc, n->end);
  }
  if (i >= s.size() || s[i] != ')') return false;
  end = i + 1;
  return true;
}

/// ", " or "; " (with any spacing) at i; returns the position after it.
inline std::optional<std::size_t> separator_at(const Scanner& sc, std::size_t i) {
  const auto s = sc.text();
  i = skip_space(sc, i);
  if (i < s.size() && (s[i] == ',' || s[i] == ';')) return skip_space(sc, i + 1);
  return std::nullopt;
}

/// Tries to read one reported statistic starting at byte i.
inline std::optional<ReportedStatistic> statistic_at(const Scanner& sc, std::size_t i, std::size_t& end) {
  const auto s = sc.text();
  ReportedStatistic r;
  std::size_t j = 0;
  const auto kind = test_at(sc, i, j);
  if (!kind) return std::nullopt;
  r.test = *kind;
  const bool needs_df = *kind != TestKind::z;
  bool has_df = false;
  if (needs_df) {
    std::size_t k = 0;
    if (dfs_at(sc, j, *kind, r, k)) {
      has_df = true;
      j = k;
    } else if (*kind != TestKind::r) {
      return std::nullopt;  // only r may give n instead of df
    } else {
      r.df.clear();
      r.sample_size.reset();
    }
  }
  j = skip_space(sc, j);
  std::size_t k = 0;
  const auto rel = relation_at(sc, j, k);
  if (!rel || *rel == Relation::ns) return std::nullopt;
  r.test_relation = *rel == Relation::le ? Relation::lt : *rel == Relation::ge ? Relation::gt : *rel;
  const auto value = number_at(sc, skip_space(sc, k), true, true, false);
  if (!value) return std::nullopt;
  r.value = value->value;
  r.value_decimals = value->decimals;
  auto next = separator_at(sc, value->end);
  if (!next) return std::nullopt;
  j = *next;
  if (r.test == TestKind::r && !has_df) {  // "r = .30, n = 50, p = …"
    if (j >= s.size() || (s[j] != 'n' && s[j] != 'N')) return std::nullopt;
    std::size_t m = skip_space(sc, skip_emphasis(s, j + 1));
    if (m >= s.size() || s[m] != '=') return std::nullopt;
    const auto n = number_at(sc, skip_space(sc, m + 1), false, true, false);
    if (!n || n->value < 3) return std::nullopt;
    r.sample_size = n->value;
    r.df = {n->value - 2};
    next = separator_at(sc, n->end);
    if (!next) return std::nullopt;
    j = *next;
  }
  // "ns" / "n.s."
  const std::size_t e = skip_emphasis(s, j);
  for (std::string_view ns : {"n.s.", "ns", "n.s"}) {
    if (sc.at(e, ns) && (e + ns.size() >= s.size() || !is_ascii_letter(s[e + ns.size()]))) {
      r.p_relation = Relation::ns;
      end = e + ns.size();
      r.text = std::string(s.substr(i, end - i));
      return r;
    }
  }
  if (e >= s.size() || (s[e] != 'p' && s[e] != 'P')) return std::nullopt;
  if (e + 1 < s.size() && (is_ascii_letter(s[e + 1]) || is_digit(s[e + 1]))) return std::nullopt;
  j = skip_space(sc, skip_emphasis(s, e + 1));
  const auto prel = relation_at(sc, j, k);
  if (!prel) return std::nullopt;
  r.p_relation = *prel;
  const auto p = number_at(sc, skip_space(sc, k), false, false, true);
  if (!p || p->value > 1) return std::nullopt;
  r.p = p->value;
  r.p_decimals = p->decimals;
  end = p->end;
  r.text = std::string(s.substr(i, end - i));
  return r;
}

}  // namespace detail

/// Every reported statistic in `text`, in reading order, with its line and column. Statistics that
/// cannot be read as a whole (no p-value, an r outside [−1, 1], r with neither df nor n) are skipped.
///
/// Example: `find_reported_statistics("as r(92) = −.62, p < .001")` gives one r with df 92, value
/// −0.62, p < .001, at line 1, column 4.
[[nodiscard]] inline std::vector<ReportedStatistic> find_reported_statistics(std::string_view text) {
  std::vector<ReportedStatistic> out;
  const detail::Scanner sc(text);
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t end = 0;
    if (auto r = detail::statistic_at(sc, i, end); r && !(r->test == TestKind::r && std::fabs(r->value) > 1)) {
      r->line = line;
      r->column = column;
      // advance the position over the statistic
      for (std::size_t k = i; k < end;) {
        if (text[k] == '\n') {
          ++line;
          column = 1;
          ++k;
        } else {
          ++column;
          k += sc.width(k);
        }
      }
      i = end;
      out.push_back(std::move(*r));
      continue;
    }
    if (text[i] == '\n') {
      ++line;
      column = 1;
      ++i;
    } else {
      ++column;
      i += sc.width(i);
    }
  }
  return out;
}

}  // namespace trialstats::claims
