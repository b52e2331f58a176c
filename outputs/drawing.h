// The drawing core shared by rfsim's maps and charts (map_drawing.h, chart_drawing.h):
// a Canvas (Cairo for shapes, Pango for text) that one drawing function paints onto a PNG
// image, an SVG document (a file, or a string to inline into an HTML briefing) or a PDF
// page; the house style (fonts, inks); colours, sequential colour ramps and class breaks;
// nice axis numbers, number and date labels. It knows nothing of HDF5 or the simulation:
// callers hand it plain numbers and strings.
//
// Units: a Canvas measures in points (1/72 inch), x to the right, y down. Files are written
// atomically (a temporary name in the same folder, then renamed) and the output is
// deterministic: the same input gives the same PNG pixels and the same SVG and PDF bytes.
#pragma once

#include <chrono>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

typedef struct _cairo cairo_t;
typedef struct _PangoContext PangoContext;

namespace rfsim::outputs {

/// Any failure to draw or to write a drawing; `what()` names the file when there is one.
struct DrawingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------
// Geometry

struct Point {
  double x = 0, y = 0;
};

struct Size {
  double width = 0, height = 0;
};

/// An axis-aligned box, x0 <= x1 and y0 <= y1.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  /// True when the interiors intersect (boxes that only touch do not overlap).
  bool overlaps(const Box& other) const;
  /// True when `other` lies inside this box (edges included).
  bool contains(const Box& other) const;
  /// This box shrunk by `d` on every side (grown when d < 0).
  Box inset(double d) const { return {x0 + d, y0 + d, x1 - d, y1 - d}; }
};

/// Millimetres to points, for page-based sizes: a figure 170 mm wide fits A4 portrait
/// with 20 mm margins.
constexpr double mm(double millimetres) {
  return millimetres * 72.0 / 25.4;
}

// ---------------------------------------------------------------------------------------
// Colours

/// An sRGB colour, components in [0, 1].
struct Colour {
  double r = 0, g = 0, b = 0, a = 1;
  /// From "#rrggbb"; throws DrawingError on anything else.
  static Colour hex(std::string_view text);
  /// Relative luminance (WCAG), 0 for black to 1 for white.
  double luminance() const;
  /// The same colour with opacity `alpha`.
  Colour with_alpha(double alpha) const { return {r, g, b, alpha}; }
  bool operator==(const Colour&) const = default;
};

/// A continuous sequential colour ramp through evenly spaced stops, light (low values) to
/// dark (high values), so that it also reads in greyscale print.
class ColourRamp {
 public:
  explicit ColourRamp(std::vector<Colour> stops);
  /// ColorBrewer YlOrRd (yellow-orange-red), colour-blind safe and print friendly; the
  /// default for loads and needs. Colours from www.ColorBrewer.org by Cynthia A. Brewer.
  static ColourRamp yellow_orange_red();
  /// Matplotlib's viridis reversed (yellow to dark blue), perceptually uniform and
  /// colour-blind safe.
  static ColourRamp viridis();
  /// Colour at t in [0, 1] (clamped), interpolated linearly between stops.
  Colour at(double t) const;
  /// n colours for n classes, sampled evenly from the lightest to the darkest stop.
  std::vector<Colour> classes(int n) const;

 private:
  std::vector<Colour> stops_;
};

/// Eight colours for categories (lines, stacked areas, bar groups), after Okabe and Ito,
/// distinguishable with the common colour-vision deficiencies; cycles after eight.
Colour category_colour(std::size_t index);

/// The house inks and type sizes (points) of every map and chart.
namespace style {
inline const Colour ink = Colour::hex("#222222");      ///< titles, labels, axes
inline const Colour muted = Colour::hex("#5f5f5f");    ///< subtitles, tick labels, sources
inline const Colour grid = Colour::hex("#e3e3e3");     ///< grid lines
inline const Colour no_data = Colour::hex("#d9d9d9");  ///< missing values (with a hatch)
inline const Colour over = Colour::hex("#c0392b");     ///< over capacity, unmet need
inline const Colour background = Colour::hex("#ffffff");
inline constexpr double title_size = 12.5;
inline constexpr double subtitle_size = 8.5;
inline constexpr double text_size = 7.5;  ///< legends, tick labels, map labels
inline constexpr double source_size = 6.5;
inline constexpr double margin = 10;  ///< around a whole figure
}  // namespace style

// ---------------------------------------------------------------------------------------
// Class breaks and nice numbers

/// Classes of a choropleth: breaks b0 < b1 < ... < bn; class i holds [b_i, b_i+1), the last
/// class also holds bn.
struct Classes {
  std::vector<double> breaks;
  int count() const { return breaks.size() < 2 ? 0 : static_cast<int>(breaks.size()) - 1; }
  /// The class of `value`, or -1 for NaN. Values below b0 fall in class 0, above bn in
  /// the last class.
  int class_of(double value) const;
  /// "0 – 500", "500 – 1,000", ... with as many decimals as the breaks need.
  std::vector<std::string> labels() const;
};

/// About `n` classes with (roughly) equal numbers of values each; NaN ignored. Breaks are
/// rounded to a hundredth of the order of magnitude of the range of values (the first
/// down, the last up), so labels stay short. Fewer classes when values repeat. Throws
/// DrawingError when no value is finite or n < 1.
Classes quantile_classes(std::span<const double> values, int n);

/// Equal-interval classes on a nice step (1, 2, 2.5 or 5 times a power of ten) covering
/// the finite values, at most `n` classes. Throws DrawingError when no value is finite.
Classes equal_classes(std::span<const double> values, int n);

/// Nice axis ticks from at most `lo` to at least `hi` (both become ticks), at most
/// `max_ticks` of them (>= 2), on a step of 1, 2, 2.5 or 5 times a power of ten.
std::vector<double> nice_ticks(double lo, double hi, int max_ticks);

/// A nice number close to `x` > 0 and not above it: 1, 2 or 5 times a power of ten.
double nice_floor(double x);

/// `value` with `decimals` decimals and thousands separators: "12,345", "2.5".
std::string format_number(double value, int decimals = 0);

/// Decimals (0 to 6) needed to write `x` exactly: 2 for 0.25, 1 for 2.5, 0 for 2500. Tick
/// labels take those of their step.
int decimals_needed(double x);

/// "5 Jan" for a date.
std::string day_month(std::chrono::sys_days day);

// ---------------------------------------------------------------------------------------
// Canvas and text

struct Font {
  double size = style::text_size;  ///< points
  bool bold = false;
  bool italic = false;
};

enum class Align { left, centre, right };
/// Which part of the text box the anchor point is: its top, its middle, the baseline of
/// its first line, or its bottom.
enum class VAlign { top, middle, baseline, bottom };

/// What a drawing function draws on: a Cairo context whose user units are points and whose
/// drawable area is (0, 0)-(size().width, size().height), plus text set with Pango in the
/// house font (DejaVu Sans). Text metrics are the same on every surface (no hinted
/// metrics), so a layout made for the PNG is the layout of the SVG and the PDF.
class Canvas {
 public:
  Canvas(cairo_t* cr, Size size);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  cairo_t* cr() const { return cr_; }
  Size size() const { return size_; }

  void set_colour(const Colour& colour);
  /// Restricts drawing to `box` (until the enclosing cairo_restore), its edges moved out to
  /// whole device pixels: a pixel-aligned rectangle clips images at no cost, any other
  /// clip costs a mask.
  void clip(const Box& box);

  /// Width and height of `text` set on one line (lines split at '\n') in `font`.
  Size measure(std::string_view text, const Font& font) const;
  /// The box `text` would occupy if drawn with text(at, ...).
  Box text_box(std::string_view text, Point at, const Font& font, Align align = Align::left,
               VAlign valign = VAlign::baseline) const;
  /// Draws `text` anchored at `at`; returns its box. With `halo`, a white outline behind
  /// the glyphs keeps the text legible over lines and fills.
  Box text(std::string_view text, Point at, const Font& font, const Colour& colour,
           Align align = Align::left, VAlign valign = VAlign::baseline, bool halo = false);
  /// Height of `text` wrapped to `width`.
  double paragraph_height(std::string_view text, double width, const Font& font) const;
  /// Draws `text` wrapped to `width` with its top-left corner at `top_left`; returns the
  /// height used.
  double paragraph(std::string_view text, Point top_left, double width, const Font& font,
                   const Colour& colour);

 private:
  cairo_t* cr_;
  Size size_;
  PangoContext* pango_;
};

/// Draws one figure on a canvas. The same function renders to every format.
using DrawFunction = std::function<void(Canvas&)>;

/// Renders `draw` to a PNG of width_px x height_px pixels at `px_per_pt` pixels per point
/// (the canvas is width_px / px_per_pt points wide; 2 gives 144 dpi) and writes it to
/// `path` atomically. Throws DrawingError naming the path on failure; nothing is left
/// at `path` or beside it then.
void render_png(const DrawFunction& draw, const std::string& path, int width_px, int height_px,
                double px_per_pt = 2);

/// Renders `draw` on a canvas of `size` points to an SVG document, for inlining into
/// HTML: the root <svg> has a viewBox and a size in px (one per point), `title` (if any)
/// as its <title> (the accessible name; text is drawn as glyph outlines), and every id it
/// defines (glyphs, clips) starts with a prefix derived from the content, so that several
/// SVGs inlined into one page never refer to each other's definitions.
std::string render_svg(const DrawFunction& draw, Size size, std::string_view title = {});
/// The same document written to `path` atomically.
void render_svg(const DrawFunction& draw, const std::string& path, Size size,
                std::string_view title = {});

/// Renders `draw` as a one-page PDF of `size` points (fonts embedded, text selectable, no
/// creation date) and writes it to `path` atomically.
void render_pdf(const DrawFunction& draw, const std::string& path, Size size);

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into
/// place when complete. Throws DrawingError "cannot write PATH: REASON" on failure and
/// leaves no temporary file behind.
void write_file_atomically(const std::string& path, std::string_view bytes);

// ---------------------------------------------------------------------------------------
// Pieces every figure has

/// The title and subtitle at the top of a figure and the source line at its foot.
struct Titles {
  std::string title;
  std::string subtitle = "";  ///< one or two lines saying what is shown, and when
  std::string source = "";    ///< e.g. "rfsim 0.1.0, scenario default, seed 20200321"
};

/// Draws `titles` inside `area` (title and subtitle wrapped at the top, source at the
/// bottom) and returns the box left between them for the body of the figure.
Box draw_titles(Canvas& canvas, const Titles& titles, Box area);

/// One entry of a legend: its swatch and its text.
struct LegendEntry {
  enum class Swatch { fill, line, dashed_line, hatch };
  Swatch swatch = Swatch::fill;
  Colour colour;
  std::string text;
};

/// Size of one legend swatch (points): wide enough to show a dashed line.
inline constexpr Size kSwatch{14, 8};

/// Draws the swatch of `entry` in the box `box`.
void draw_swatch(Canvas& canvas, const LegendEntry& entry, Box box);

/// Fills the current path with the no-data look: light grey with dark diagonal hatching.
/// The path is consumed.
void fill_no_data(Canvas& canvas);

}  // namespace rfsim::outputs
