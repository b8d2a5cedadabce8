// A small SVG writer: a document of elements in drawing order, XML escaping, coordinates with a
// fixed number of decimals, and an estimate of the width of text in a sans-serif font (so that
// layouts can make room for long labels without a font engine).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trialstats::render::svg {

/// The fonts every plot asks for: common sans-serif faces, then the generic family.
inline constexpr std::string_view font_family = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

/// `text` with the five XML special characters replaced by entities.
[[nodiscard]] std::string escape(std::string_view text);

/// A coordinate or length with at most 3 decimals, trailing zeros dropped, never "-0".
/// Example: num(12.5) == "12.5", num(-0.0001) == "0", num(1.0 / 3) == "0.333".
[[nodiscard]] std::string num(double value);

/// The estimated advance width in pixels of `text` (UTF-8) at `font_size` px in a sans-serif
/// font: per-character widths of Helvetica/Arial (narrow for "il.,", wide for "MW"), 0.6 em for
/// characters outside ASCII, and 8% of headroom for wider faces such as DejaVu Sans.
[[nodiscard]] double text_width(std::string_view text, double font_size, bool bold = false);

/// How text is anchored at its x position.
enum class Anchor { start, middle, end };

/// The look of one text element.
struct TextStyle {
  double size = 12;  ///< font size in px
  Anchor anchor = Anchor::start;
  bool bold = false;
  bool italic = false;
  std::string fill = "#000";
  std::string cls{};  ///< class attribute; empty: none
};

/// An SVG document. Element methods take `attrs`, further attributes written verbatim
/// (e.g. `fill="#000" class="study"`); callers escape any text they put there.
class Document {
 public:
  Document(double width, double height);
  [[nodiscard]] double width() const { return width_; }
  [[nodiscard]] double height() const { return height_; }

  void line(double x1, double y1, double x2, double y2, std::string_view attrs = {});
  void rect(double x, double y, double w, double h, std::string_view attrs = {});
  void circle(double cx, double cy, double r, std::string_view attrs = {});
  struct Point {
    double x, y;
  };
  void polygon(const std::vector<Point>& points, std::string_view attrs = {});
  void polyline(const std::vector<Point>& points, std::string_view attrs = {});
  /// Text at (x, y) with y the baseline; `content` is escaped here.
  void text(double x, double y, std::string_view content, const TextStyle& style = {});
  /// A <g> with `attrs` around the elements added until end_group().
  void begin_group(std::string_view attrs = {});
  void end_group();
  /// A clip path with id `id` of the rectangle (x, y, w, h), for `clip-path="url(#id)"`.
  void clip_rect(std::string_view id, double x, double y, double w, double h);
  /// A <title> (tooltip and accessible name) of the document or of the current group.
  void title(std::string_view content);

  /// The whole document: XML declaration, <svg> with width, height and viewBox, the elements.
  [[nodiscard]] std::string str() const;

 private:
  double width_, height_;
  std::string body_{};
  int depth_ = 1;
  void indent();
};

}  // namespace trialstats::render::svg
