// Reading SVG text back in tests: elements with their attributes (and text content), so that
// geometry can be checked against the data through the axis drawn in the same document.
#pragma once

#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace svg_test {

struct Element {
  std::string tag;
  std::map<std::string, std::string> attrs;
  std::string content;  ///< text elements: the text between the tags, unescaped
  [[nodiscard]] double num(const std::string& name) const { return std::stod(attrs.at(name)); }
  [[nodiscard]] bool has_class(const std::string& cls) const {
    const auto it = attrs.find("class");
    if (it == attrs.end()) return false;
    const std::string padded = " " + it->second + " ";
    return padded.find(" " + cls + " ") != std::string::npos;
  }
};

/// XML text with the five entities replaced by their characters.
inline std::string unescape(std::string s) {
  const std::vector<std::pair<std::string, std::string>> entities = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities)
    for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
      s.replace(at, from.size(), to);
  return s;
}

/// Every element with that tag, in document order.
inline std::vector<Element> elements(const std::string& svg, const std::string& tag) {
  std::vector<Element> out;
  const std::regex element("<" + tag + R"(((?:\s+[\w:-]+="[^"]*")*)\s*(/>|>([^<]*)</)" + tag + ">)");
  const std::regex attribute(R"re(([\w:-]+)="([^"]*)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), element); it != std::sregex_iterator(); ++it) {
    Element e{tag, {}, unescape((*it)[3].str())};
    const std::string attrs = (*it)[1].str();
    for (auto a = std::sregex_iterator(attrs.begin(), attrs.end(), attribute); a != std::sregex_iterator(); ++a)
      e.attrs[(*a)[1].str()] = unescape((*a)[2].str());
    out.push_back(std::move(e));
  }
  return out;
}

/// Elements with that tag and class.
inline std::vector<Element> with_class(const std::string& svg, const std::string& tag, const std::string& cls) {
  std::vector<Element> out;
  for (auto& e : elements(svg, tag))
    if (e.has_class(cls)) out.push_back(std::move(e));
  return out;
}

/// Points of a polygon or polyline.
struct Point {
  double x, y;
};
inline std::vector<Point> points(const Element& e) {
  std::vector<Point> out;
  const std::string s = e.attrs.at("points");
  const std::regex pair(R"((-?[\d.]+),(-?[\d.]+))");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), pair); it != std::sregex_iterator(); ++it)
    out.push_back({std::stod((*it)[1].str()), std::stod((*it)[2].str())});
  return out;
}

/// The map value → pixel of an axis, read from its drawn ticks (the first and the last tick of
/// the axis group that `axis_index` picks, 0 = first axis in the document): positions from the
/// tick lines, values from their labels (logs of the labels on a log axis).
struct AxisMap {
  double a = 0, b = 1;  ///< px = a + b·value
  [[nodiscard]] double px(double value) const { return a + b * value; }
  [[nodiscard]] double value(double px) const { return (px - a) / b; }
};
inline AxisMap axis_map(const std::string& svg, bool vertical, bool log) {
  const auto ticks = with_class(svg, "line", "tick");
  std::vector<std::pair<double, double>> vp;  // value, px
  for (const auto& t : ticks) {
    const bool is_vertical_tick = t.num("x1") == t.num("x2");  // a tick of a horizontal axis
    if (is_vertical_tick == vertical) continue;
    const double label = std::stod(t.attrs.at("data-label"));
    vp.push_back({log ? std::log(label) : label, vertical ? t.num("y1") : t.num("x1")});
  }
  if (vp.size() < 2) throw std::runtime_error("axis with fewer than two ticks");
  const auto& [v0, p0] = vp.front();
  const auto& [v1, p1] = vp.back();
  AxisMap m;
  m.b = (p1 - p0) / (v1 - v0);
  m.a = p0 - m.b * v0;
  return m;
}

}  // namespace svg_test
