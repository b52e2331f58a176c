#include "outputs/drawing.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <png.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>

namespace rfsim::outputs {

// ---------------------------------------------------------------------------------------
// Geometry and colours

bool Box::overlaps(const Box& o) const {
  return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
}

bool Box::contains(const Box& o) const {
  return x0 <= o.x0 && o.x1 <= x1 && y0 <= o.y0 && o.y1 <= y1;
}

Colour Colour::hex(std::string_view text) {
  const auto bad = [&] {
    return DrawingError("colour: expected #rrggbb, got '" + std::string(text) + "'");
  };
  if (text.size() != 7 || text[0] != '#') throw bad();
  double channels[3];
  for (int i = 0; i < 3; ++i) {
    int value = 0;
    for (char c : text.substr(1 + 2 * i, 2)) {
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) throw bad();
      value = value * 16 + digit;
    }
    channels[i] = value / 255.0;
  }
  return {channels[0], channels[1], channels[2], 1};
}

double Colour::luminance() const {
  const auto linear = [](double c) {
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

ColourRamp::ColourRamp(std::vector<Colour> stops) : stops_(std::move(stops)) {
  if (stops_.size() < 2) throw DrawingError("colour ramp: needs at least two stops");
}

ColourRamp ColourRamp::yellow_orange_red() {
  return ColourRamp({Colour::hex("#ffffcc"), Colour::hex("#ffeda0"), Colour::hex("#fed976"),
                     Colour::hex("#feb24c"), Colour::hex("#fd8d3c"), Colour::hex("#fc4e2a"),
                     Colour::hex("#e31a1c"), Colour::hex("#bd0026"), Colour::hex("#800026")});
}

ColourRamp ColourRamp::viridis() {
  return ColourRamp({Colour::hex("#fde725"), Colour::hex("#b5de2b"), Colour::hex("#6ece58"),
                     Colour::hex("#35b779"), Colour::hex("#1f9e89"), Colour::hex("#26828e"),
                     Colour::hex("#31688e"), Colour::hex("#3e4989"), Colour::hex("#482878"),
                     Colour::hex("#440154")});
}

Colour ColourRamp::at(double t) const {
  t = std::clamp(std::isnan(t) ? 0.0 : t, 0.0, 1.0);
  const double position = t * static_cast<double>(stops_.size() - 1);
  const std::size_t i = std::min(static_cast<std::size_t>(position), stops_.size() - 2);
  const double f = position - static_cast<double>(i);
  const Colour& a = stops_[i];
  const Colour& b = stops_[i + 1];
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f,
          a.a + (b.a - a.a) * f};
}

std::vector<Colour> ColourRamp::classes(int n) const {
  std::vector<Colour> colours;
  for (int i = 0; i < n; ++i) colours.push_back(at(n == 1 ? 0.5 : i / double(n - 1)));
  return colours;
}

Colour category_colour(std::size_t index) {
  static const Colour palette[] = {Colour::hex("#0072b2"), Colour::hex("#e69f00"),
                                   Colour::hex("#009e73"), Colour::hex("#d55e00"),
                                   Colour::hex("#56b4e9"), Colour::hex("#cc79a7"),
                                   Colour::hex("#f0e442"), Colour::hex("#000000")};
  return palette[index % std::size(palette)];
}

// ---------------------------------------------------------------------------------------
// Class breaks and nice numbers

namespace {

std::vector<double> finite_sorted(std::span<const double> values) {
  std::vector<double> finite;
  for (double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.empty()) throw DrawingError("classes: no finite value to classify");
  std::sort(finite.begin(), finite.end());
  return finite;
}

// The rounding unit for class breaks of values spanning `range`: a hundredth of its
// order of magnitude (range 60 -> 1, range 0.004 -> 0.0001).
double break_resolution(double range) {
  return range > 0 ? std::pow(10.0, std::floor(std::log10(range)) - 1) : 1;
}

// `x` rounded by `how` (std::floor, std::round, std::ceil) to a multiple of `unit` (a power
// of ten), dividing by an exact power of ten below 1 so that 0.013 comes out as 0.013.
double snap(double x, double unit, double (*how)(double)) {
  if (unit >= 1) return how(x / unit) * unit;
  const double scale = std::round(1 / unit);
  return how(x * scale) / scale;
}

// The smallest step of the form {1, 2, 2.5, 5} x 10^k that is at least `raw`.
double nice_step_at_least(double raw) {
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * power >= raw * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

}  // namespace

int Classes::class_of(double value) const {
  if (std::isnan(value) || count() == 0) return -1;
  const auto above = std::upper_bound(breaks.begin() + 1, breaks.end() - 1, value);
  return static_cast<int>(above - (breaks.begin() + 1));
}

std::vector<std::string> Classes::labels() const {
  int decimals = 0;
  for (double b : breaks) decimals = std::max(decimals, decimals_needed(b));
  std::vector<std::string> labels;
  for (int i = 0; i < count(); ++i) {
    labels.push_back(format_number(breaks[i], decimals) + " \u2013 " +
                     format_number(breaks[i + 1], decimals));
  }
  return labels;
}

Classes quantile_classes(std::span<const double> values, int n) {
  if (n < 1) throw DrawingError("classes: need at least one class");
  const std::vector<double> sorted = finite_sorted(values);
  const double unit = break_resolution(sorted.back() - sorted.front());
  const double lo = snap(sorted.front(), unit, std::floor);
  const double hi = snap(sorted.back(), unit, std::ceil);
  Classes classes{{lo}};
  for (int i = 1; i < n; ++i) {
    const double position = i * static_cast<double>(sorted.size() - 1) / n;
    const std::size_t k = static_cast<std::size_t>(position);
    const double q =
        sorted[k] + (position - k) * (sorted[std::min(k + 1, sorted.size() - 1)] - sorted[k]);
    const double b = snap(q, unit, std::round);
    if (b > classes.breaks.back() && b < hi) classes.breaks.push_back(b);
  }
  classes.breaks.push_back(std::max(hi, lo + unit));
  return classes;
}

Classes equal_classes(std::span<const double> values, int n) {
  if (n < 1) throw DrawingError("classes: need at least one class");
  const std::vector<double> sorted = finite_sorted(values);
  return {nice_ticks(sorted.front(), sorted.back(), n + 1)};
}

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) {
    throw DrawingError("ticks: bad range " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  max_ticks = std::max(max_ticks, 2);
  if (hi == lo) hi = lo == 0 ? 1 : lo + std::fabs(lo);
  double step = nice_step_at_least((hi - lo) / (max_ticks - 1));
  while (true) {
    const double first = std::floor(lo / step + 1e-9) * step;
    const double last = std::ceil(hi / step - 1e-9) * step;
    const int count = static_cast<int>(std::lround((last - first) / step)) + 1;
    if (count <= max_ticks) {
      std::vector<double> ticks;
      for (int i = 0; i < count; ++i) {
        const double t = first + i * step;
        ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
      }
      return ticks;
    }
    step = nice_step_at_least(step * 1.0001);
  }
}

double nice_floor(double x) {
  if (!(x > 0) || !std::isfinite(x)) throw DrawingError("nice_floor: needs a positive number");
  const double power = std::pow(10.0, std::floor(std::log10(x)));
  for (double m : {5.0, 2.0, 1.0}) {
    if (m * power <= x * (1 + 1e-9)) return m * power;
  }
  return power;
}

std::string format_number(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", std::max(decimals, 0), std::fabs(value));
  std::string digits(buffer);
  const std::size_t point = digits.find('.');
  const std::size_t integer_digits = std::min(point, digits.size());
  const bool zero = digits.find_first_not_of("0.") == std::string::npos;
  std::string out = value < 0 && !zero ? "\u2212" : "";
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && k < integer_digits && (integer_digits - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return out;
}

int decimals_needed(double x) {
  x = std::fabs(x);
  for (int decimals = 0; decimals < 6; ++decimals) {
    const double scaled = x * std::pow(10.0, decimals);
    if (std::fabs(scaled - std::round(scaled)) <= 1e-9 * std::max(1.0, scaled)) return decimals;
  }
  return 6;
}

std::string day_month(std::chrono::sys_days day) {
  static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::year_month_day date(day);
  return std::to_string(static_cast<unsigned>(date.day())) + " " +
         months[static_cast<unsigned>(date.month()) - 1];
}

// ---------------------------------------------------------------------------------------
// Canvas

namespace {

constexpr const char* kFontFamily = "DejaVu Sans";

struct LayoutDeleter {
  void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

LayoutPtr make_layout(PangoContext* context, std::string_view text, const Font& font,
                      double wrap_width = -1) {
  LayoutPtr layout(pango_layout_new(context));
  PangoFontDescription* description = pango_font_description_new();
  pango_font_description_set_family_static(description, kFontFamily);
  pango_font_description_set_absolute_size(description, font.size * PANGO_SCALE);
  pango_font_description_set_weight(description,
                                    font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(description,
                                   font.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description(layout.get(), description);
  pango_font_description_free(description);
  if (wrap_width > 0) {
    pango_layout_set_width(layout.get(), static_cast<int>(wrap_width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD);
  }
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

// Logical extent in points and the first baseline, from the top.
struct Extent {
  double width, height, baseline;
};

Extent extent_of(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return {logical.width / double(PANGO_SCALE), logical.height / double(PANGO_SCALE),
          pango_layout_get_baseline(layout) / double(PANGO_SCALE)};
}

Box anchored_box(const Extent& e, Point at, Align align, VAlign valign) {
  const double x = align == Align::left     ? at.x
                   : align == Align::centre ? at.x - e.width / 2
                                            : at.x - e.width;
  const double y = valign == VAlign::top      ? at.y
                   : valign == VAlign::middle ? at.y - e.height / 2
                   : valign == VAlign::bottom ? at.y - e.height
                                              : at.y - e.baseline;
  return {x, y, x + e.width, y + e.height};
}

}  // namespace

Canvas::Canvas(cairo_t* cr, Size size) : cr_(cr), size_(size) {
  pango_ = pango_font_map_create_context(pango_cairo_font_map_get_default());
  // Unhinted metrics and unrounded glyph positions: text is laid out the same at every
  // scale and on every surface, so PNG, SVG and PDF agree.
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(pango_, options);
  cairo_font_options_destroy(options);
  pango_cairo_context_set_resolution(pango_, 72);  // font sizes in points = user units
  pango_context_set_round_glyph_positions(pango_, FALSE);
  pango_cairo_update_context(cr_, pango_);
}

Canvas::~Canvas() {
  g_object_unref(pango_);
}

void Canvas::set_colour(const Colour& c) {
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
}

void Canvas::clip(const Box& box) {
  double x0 = box.x0, y0 = box.y0, x1 = box.x1, y1 = box.y1;
  cairo_user_to_device(cr_, &x0, &y0);
  cairo_user_to_device(cr_, &x1, &y1);
  cairo_save(cr_);
  cairo_identity_matrix(cr_);
  cairo_rectangle(cr_, std::floor(std::min(x0, x1)), std::floor(std::min(y0, y1)),
                  std::ceil(std::max(x0, x1)) - std::floor(std::min(x0, x1)),
                  std::ceil(std::max(y0, y1)) - std::floor(std::min(y0, y1)));
  cairo_restore(cr_);  // the path survives the restore; the clip is set below
  cairo_clip(cr_);
}

Size Canvas::measure(std::string_view text, const Font& font) const {
  const Extent e = extent_of(make_layout(pango_, text, font).get());
  return {e.width, e.height};
}

Box Canvas::text_box(std::string_view text, Point at, const Font& font, Align align,
                     VAlign valign) const {
  return anchored_box(extent_of(make_layout(pango_, text, font).get()), at, align, valign);
}

Box Canvas::text(std::string_view text, Point at, const Font& font, const Colour& colour,
                 Align align, VAlign valign, bool halo) {
  const LayoutPtr layout = make_layout(pango_, text, font);
  pango_layout_set_alignment(layout.get(), align == Align::left     ? PANGO_ALIGN_LEFT
                                           : align == Align::centre ? PANGO_ALIGN_CENTER
                                                                    : PANGO_ALIGN_RIGHT);
  const Box box = anchored_box(extent_of(layout.get()), at, align, valign);
  cairo_save(cr_);
  cairo_move_to(cr_, box.x0, box.y0);
  if (halo) {
    pango_cairo_layout_path(cr_, layout.get());
    set_colour(style::background.with_alpha(0.85));
    cairo_set_line_width(cr_, font.size * 0.28);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr_);
    cairo_move_to(cr_, box.x0, box.y0);
  }
  set_colour(colour);
  pango_cairo_show_layout(cr_, layout.get());
  cairo_restore(cr_);
  return box;
}

double Canvas::paragraph_height(std::string_view text, double width, const Font& font) const {
  if (text.empty()) return 0;
  return extent_of(make_layout(pango_, text, font, width).get()).height;
}

double Canvas::paragraph(std::string_view text, Point top_left, double width, const Font& font,
                         const Colour& colour) {
  if (text.empty()) return 0;
  const LayoutPtr layout = make_layout(pango_, text, font, width);
  cairo_save(cr_);
  cairo_move_to(cr_, top_left.x, top_left.y);
  set_colour(colour);
  pango_cairo_show_layout(cr_, layout.get());
  cairo_restore(cr_);
  return extent_of(layout.get()).height;
}

// ---------------------------------------------------------------------------------------
// Rendering

namespace {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
struct ContextDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void check(cairo_status_t status, const std::string& what) {
  if (status != CAIRO_STATUS_SUCCESS) {
    throw DrawingError(what + ": " + cairo_status_to_string(status));
  }
}

void check_size(Size size) {
  if (!(size.width > 0 && size.height > 0 && size.width < 1e5 && size.height < 1e5)) {
    throw DrawingError("bad size " + std::to_string(size.width) + " x " +
                       std::to_string(size.height) + " pt");
  }
}

// libpng's output and error message while it encodes.
struct PngOutput {
  std::string bytes;
  char error[200] = "";
};

void on_png_error(png_structp png, png_const_charp message) {
  std::snprintf(static_cast<PngOutput*>(png_get_error_ptr(png))->error, sizeof PngOutput::error,
                "%s", message);
  png_longjmp(png, 1);
}

void on_png_write(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<PngOutput*>(png_get_io_ptr(png));
  try {
    out->bytes.append(reinterpret_cast<const char*>(data), length);
  } catch (const std::bad_alloc&) {
    png_error(png, "out of memory");
  }
}

// Encodes an RGB24 image surface as an 8-bit RGB PNG. libpng is used directly rather than
// cairo_surface_write_to_png for speed: zlib level 3 without row filters encodes flat-
// coloured maps and charts about three times faster and smaller than Cairo's defaults.
std::string encode_png(cairo_surface_t* surface) {
  const int width = cairo_image_surface_get_width(surface);
  const int height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  PngOutput out;
  std::vector<unsigned char> row(static_cast<std::size_t>(width) * 3);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &out, on_png_error, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw DrawingError("png: cannot start libpng");
  }
  if (setjmp(png_jmpbuf(png))) {  // an error inside libpng lands here
    png_destroy_write_struct(&png, &info);
    throw DrawingError(std::string("png: ") + out.error);
  }
  png_set_write_fn(png, &out, on_png_write, nullptr);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, 3);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_write_info(png, info);
  for (int y = 0; y < height; ++y) {
    const auto* pixels =
        reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
    for (int x = 0; x < width; ++x) {  // RGB24 pixels are native-endian 0x00RRGGBB words
      row[3 * x] = static_cast<unsigned char>(pixels[x] >> 16);
      row[3 * x + 1] = static_cast<unsigned char>(pixels[x] >> 8);
      row[3 * x + 2] = static_cast<unsigned char>(pixels[x]);
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return std::move(out.bytes);
}

// Paints the background, runs `draw` on a canvas of `size` points scaled by `scale`, and
// finishes the surface (vector surfaces write their document then; an image surface is
// only flushed, to be encoded after); a Cairo error becomes a DrawingError.
void paint(cairo_surface_t* surface, const DrawFunction& draw, Size size, double scale) {
  check(cairo_surface_status(surface), "cairo");
  {
    ContextPtr cr(cairo_create(surface));
    cairo_scale(cr.get(), scale, scale);
    Canvas canvas(cr.get(), size);
    canvas.set_colour(style::background);
    cairo_paint(cr.get());
    draw(canvas);
    check(cairo_status(cr.get()), "cairo");
  }
  if (cairo_surface_get_type(surface) == CAIRO_SURFACE_TYPE_IMAGE) {
    cairo_surface_flush(surface);
  } else {
    cairo_surface_finish(surface);
  }
  check(cairo_surface_status(surface), "cairo");
}

// Renames every id of an SVG document (id="X", and the references href="#X" and url(#X))
// to `prefix` followed by the rank of X's first appearance. Cairo numbers some ids from
// process-wide counters; ranks make the document depend on the drawing only.
std::string rename_svg_ids(const std::string& svg, const std::string& prefix) {
  std::map<std::string, std::size_t, std::less<>> ranks;
  std::string out;
  out.reserve(svg.size() + svg.size() / 20);
  constexpr std::string_view kMarkers[] = {"id=\"", "href=\"#", "url(#"};
  // Where each marker next appears at or after i (searched again only once i has passed
  // it: a marker that no longer appears is not looked for through the rest of the
  // document at every id).
  std::size_t found[std::size(kMarkers)];
  for (std::size_t m = 0; m < std::size(kMarkers); ++m) found[m] = svg.find(kMarkers[m]);
  std::size_t i = 0;
  while (i < svg.size()) {
    std::size_t next = std::string::npos, start = 0;
    for (std::size_t m = 0; m < std::size(kMarkers); ++m) {
      if (found[m] < i) found[m] = svg.find(kMarkers[m], i);
      if (found[m] < next) {
        next = found[m];
        start = found[m] + kMarkers[m].size();
      }
    }
    const std::size_t end = next == std::string::npos ? next : svg.find_first_of("\")", start);
    if (end == std::string::npos) {
      out.append(svg, i);
      break;
    }
    out.append(svg, i, start - i);
    const auto [rank, added] = ranks.try_emplace(svg.substr(start, end - start), ranks.size());
    out += prefix;
    out += std::to_string(rank->second);
    i = end;
  }
  return out;
}

// `text` with the five XML special characters escaped.
std::string xml_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
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

std::string svg_document(const DrawFunction& draw, Size size, std::string_view title) {
  check_size(size);
  std::string svg;
  SurfacePtr surface(
      cairo_svg_surface_create_for_stream(append_to_string, &svg, size.width, size.height));
  cairo_svg_surface_restrict_to_version(surface.get(), CAIRO_SVG_VERSION_1_1);
  cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
  paint(surface.get(), draw, size, 1);
  svg = rename_svg_ids(svg, "");
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a of the document
  for (unsigned char c : svg) hash = (hash ^ c) * 1099511628211ull;
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "r%08x-", static_cast<unsigned>(hash ^ (hash >> 32)));
  svg = rename_svg_ids(svg, prefix);
  if (!title.empty()) {
    const std::size_t root = svg.find("<svg");
    const std::size_t end = root == std::string::npos ? root : svg.find('>', root);
    if (end == std::string::npos) throw DrawingError("svg: Cairo wrote no <svg> element");
    svg.insert(end + 1, "\n<title>" + xml_escaped(title) + "</title>");
  }
  return svg;
}

// Writes the bytes that `render` makes to `path` atomically; a DrawingError while
// rendering is reported as "cannot render PATH: ...".
void render_to_file(const std::string& path, const std::function<std::string()>& render) {
  std::string bytes;
  try {
    bytes = render();
  } catch (const DrawingError& e) {
    throw DrawingError("cannot render " + path + ": " + e.what());
  }
  write_file_atomically(path, bytes);
}

}  // namespace

void render_png(const DrawFunction& draw, const std::string& path, int width_px, int height_px,
                double px_per_pt) {
  render_to_file(path, [&] {
    if (width_px <= 0 || height_px <= 0 || width_px > 20000 || height_px > 20000 ||
        !(px_per_pt > 0)) {
      throw DrawingError("bad size " + std::to_string(width_px) + " x " +
                         std::to_string(height_px) + " px");
    }
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px));
    paint(surface.get(), draw, {width_px / px_per_pt, height_px / px_per_pt}, px_per_pt);
    return encode_png(surface.get());
  });
}

std::string render_svg(const DrawFunction& draw, Size size, std::string_view title) {
  return svg_document(draw, size, title);
}

void render_svg(const DrawFunction& draw, const std::string& path, Size size,
                std::string_view title) {
  render_to_file(path, [&] { return svg_document(draw, size, title); });
}

void render_pdf(const DrawFunction& draw, const std::string& path, Size size) {
  render_to_file(path, [&] {
    check_size(size);
    std::string pdf;
    {
      SurfacePtr surface(
          cairo_pdf_surface_create_for_stream(append_to_string, &pdf, size.width, size.height));
      // An empty creation date leaves it out: the same drawing gives the same bytes.
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, "");
      paint(surface.get(), draw, size, 1);
    }
    return pdf;
  });
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  const auto fail = [&](const std::string& reason) {
    return DrawingError("cannot write " + path + ": " + reason);
  };
  if (path.empty()) throw fail("empty path");
  // A name no other writer uses (process id, counter); created with the usual permissions
  // (0666 less the umask), unlike mkstemp's 0600.
  static std::atomic<unsigned> counter{0};
  const std::string temporary =
      path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) throw fail(std::strerror(errno));
  std::size_t written = 0;
  int error = 0;
  while (written < bytes.size() && error == 0) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno != EINTR) error = errno;
    if (n > 0) written += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && std::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    throw fail(std::strerror(error));
  }
}

// ---------------------------------------------------------------------------------------
// Pieces every figure has

Box draw_titles(Canvas& canvas, const Titles& titles, Box area) {
  const double width = area.width();
  double top = area.y0;
  const Font title_font{style::title_size, true};
  const Font subtitle_font{style::subtitle_size};
  const Font source_font{style::source_size};
  if (!titles.title.empty()) {
    top += canvas.paragraph(titles.title, {area.x0, top}, width, title_font, style::ink);
  }
  if (!titles.subtitle.empty()) {
    top += 2 + canvas.paragraph(titles.subtitle, {area.x0, top + 2}, width, subtitle_font,
                                style::muted);
  }
  if (!titles.title.empty() || !titles.subtitle.empty()) top += 8;
  double bottom = area.y1;
  if (!titles.source.empty()) {
    const double height = canvas.paragraph_height(titles.source, width, source_font);
    bottom -= height;
    canvas.paragraph(titles.source, {area.x0, bottom}, width, source_font, style::muted);
    bottom -= 6;
  }
  if (bottom - top < 20) throw DrawingError("figure too small for its titles");
  return {area.x0, top, area.x1, bottom};
}

void draw_swatch(Canvas& canvas, const LegendEntry& entry, Box box) {
  cairo_t* cr = canvas.cr();
  cairo_save(cr);
  switch (entry.swatch) {
    case LegendEntry::Swatch::fill:
    case LegendEntry::Swatch::hatch:
      cairo_rectangle(cr, box.x0, box.y0, box.width(), box.height());
      if (entry.swatch == LegendEntry::Swatch::hatch) {
        cairo_save(cr);
        fill_no_data(canvas);
        cairo_restore(cr);
      } else {
        canvas.set_colour(entry.colour);
        cairo_fill(cr);
      }
      break;
    case LegendEntry::Swatch::line:
    case LegendEntry::Swatch::dashed_line: {
      const double y = (box.y0 + box.y1) / 2;
      cairo_move_to(cr, box.x0, y);
      cairo_line_to(cr, box.x1, y);
      canvas.set_colour(entry.colour);
      cairo_set_line_width(cr, 1.6);
      if (entry.swatch == LegendEntry::Swatch::dashed_line) {
        const double dash[] = {3.5, 2};
        cairo_set_dash(cr, dash, 2, 0);
      }
      cairo_stroke(cr);
      break;
    }
  }
  cairo_restore(cr);
}

void fill_no_data(Canvas& canvas) {
  cairo_t* cr = canvas.cr();
  cairo_save(cr);
  canvas.set_colour(style::no_data);
  cairo_fill_preserve(cr);
  double x0, y0, x1, y1;
  cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
  cairo_clip(cr);
  // Lines x + y = c on multiples of the spacing, so neighbouring areas' hatches align.
  const double spacing = 3;
  for (double c = std::floor((x0 + y0) / spacing) * spacing; c < x1 + y1; c += spacing) {
    cairo_move_to(cr, c - y1, y1);
    cairo_line_to(cr, c - y0, y0);
  }
  canvas.set_colour(style::muted);
  cairo_set_line_width(cr, 0.4);
  cairo_stroke(cr);
  cairo_restore(cr);
}

}  // namespace rfsim::outputs
