// The SVG writer: elements, escaping, number formatting, text width estimates.
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "trialstats/render/svg/svg.hpp"

namespace trialstats::render::svg {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double value) {
  if (!std::isfinite(value)) return "0";
  std::string s = fmt::format("{:.3f}", value);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

namespace {
// Advance widths of Helvetica (1/1000 em) for the printable ASCII characters 32..126.
constexpr std::array<int, 95> helvetica = {
    278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // ' ' .. '/'
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // '0' .. '?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // '@' .. 'O'
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // 'P' .. '_'
    333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // '`' .. 'o'
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // 'p' .. '~'
}  // namespace

double text_width(std::string_view text, double font_size, bool bold) {
  double units = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 32 && c < 127)
      units += helvetica[c - 32];
    else if ((c & 0xC0) != 0x80)
      units += 600;  // the first byte of a non-ASCII character
  }
  return units / 1000 * font_size * (bold ? 1.08 : 1.0) * 1.08;
}

Document::Document(double width, double height) : width_(width), height_(height) {}

void Document::indent() {
  body_.append(static_cast<std::size_t>(2 * depth_), ' ');
}

void Document::line(double x1, double y1, double x2, double y2, std::string_view attrs) {
  indent();
  body_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}{}/>\n", num(x1), num(y1), num(x2), num(y2),
                       attrs.empty() ? "" : " ", attrs);
}

void Document::rect(double x, double y, double w, double h, std::string_view attrs) {
  indent();
  body_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}{}/>\n", num(x), num(y), num(w), num(h),
                       attrs.empty() ? "" : " ", attrs);
}

void Document::circle(double cx, double cy, double r, std::string_view attrs) {
  indent();
  body_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{}{}/>\n", num(cx), num(cy), num(r),
                       attrs.empty() ? "" : " ", attrs);
}

namespace {
std::string points_attr(const std::vector<Document::Point>& points) {
  std::string s;
  for (const auto& p : points) {
    if (!s.empty()) s += ' ';
    s += num(p.x) + ',' + num(p.y);
  }
  return s;
}
}  // namespace

void Document::polygon(const std::vector<Point>& points, std::string_view attrs) {
  indent();
  body_ += fmt::format("<polygon points=\"{}\"{}{}/>\n", points_attr(points), attrs.empty() ? "" : " ", attrs);
}

void Document::polyline(const std::vector<Point>& points, std::string_view attrs) {
  indent();
  body_ += fmt::format("<polyline points=\"{}\" fill=\"none\"{}{}/>\n", points_attr(points), attrs.empty() ? "" : " ",
                       attrs);
}

void Document::text(double x, double y, std::string_view content, const TextStyle& style) {
  indent();
  std::string attrs = fmt::format("x=\"{}\" y=\"{}\" font-size=\"{}\"", num(x), num(y), num(style.size));
  if (style.anchor == Anchor::middle) attrs += " text-anchor=\"middle\"";
  if (style.anchor == Anchor::end) attrs += " text-anchor=\"end\"";
  if (style.bold) attrs += " font-weight=\"bold\"";
  if (style.italic) attrs += " font-style=\"italic\"";
  if (style.fill != "#000") attrs += " fill=\"" + escape(style.fill) + "\"";
  if (!style.cls.empty()) attrs += " class=\"" + escape(style.cls) + "\"";
  body_ += fmt::format("<text {}>{}</text>\n", attrs, escape(content));
}

void Document::begin_group(std::string_view attrs) {
  indent();
  body_ += fmt::format("<g{}{}>\n", attrs.empty() ? "" : " ", attrs);
  ++depth_;
}

void Document::end_group() {
  --depth_;
  indent();
  body_ += "</g>\n";
}

void Document::clip_rect(std::string_view id, double x, double y, double w, double h) {
  indent();
  body_ += fmt::format("<clipPath id=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n",
                       escape(id), num(x), num(y), num(w), num(h));
}

void Document::title(std::string_view content) {
  indent();
  body_ += fmt::format("<title>{}</title>\n", escape(content));
}

std::string Document::str() const {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"{2}\">\n"
      "  <rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#fff\"/>\n"
      "{3}</svg>\n",
      num(width_), num(height_), escape(font_family), body_);
}

}  // namespace trialstats::render::svg
