#include "outputs/map_drawing.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace rfsim::outputs {

std::vector<int> place_labels(std::span<const LabelCandidate> candidates,
                              std::span<const Box> obstacles) {
  std::vector<Box> taken(obstacles.begin(), obstacles.end());
  std::vector<int> chosen;
  chosen.reserve(candidates.size());
  for (const LabelCandidate& candidate : candidates) {
    int pick = -1;
    for (std::size_t i = 0; i < candidate.options.size() && pick < 0; ++i) {
      const Box& box = candidate.options[i];
      if (!candidate.within.contains(box)) continue;
      if (std::none_of(taken.begin(), taken.end(), [&](const Box& t) { return t.overlaps(box); })) {
        pick = static_cast<int>(i);
        taken.push_back(box);
      }
    }
    chosen.push_back(pick);
  }
  return chosen;
}

namespace {

constexpr double kGap = 12;              // between map and legend
constexpr double kMapMargin = 6;         // between the districts and the map's edge
constexpr double kLegendMaxWidth = 150;  // legend text wraps beyond this
constexpr double kRowGap = 3;
constexpr double kMaxSquare = 13;  // side of the largest facility square
constexpr double kTriangle = 8.5;  // side of an entry-point triangle
const Font kLegendFont{style::text_size};
const Font kLegendTitleFont{style::text_size, true};
const Font kLabelFont{6.8};
const Font kSymbolLabelFont{6.8, true};
const Colour kDistrictEdge = Colour::hex("#ffffff");
const Colour kOutline = Colour::hex("#3a3a3a");
const Colour kContextFill = Colour::hex("#eeeeee");
const Colour kFacility = Colour::hex("#1d4f91");

Box bounds_of(const std::vector<Ring>& rings) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (const Ring& ring : rings) {
    for (const Point& p : ring) {
      b = {std::min(b.x0, p.x), std::min(b.y0, p.y), std::max(b.x1, p.x), std::max(b.y1, p.y)};
    }
  }
  return b;
}

double ring_area(const Ring& ring) {
  double twice = 0;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    twice += (ring[j].x + ring[i].x) * (ring[j].y - ring[i].y);
  }
  return std::fabs(twice) / 2;
}

// Projected metres to canvas points: north up, the same scale on both axes.
struct Projection {
  double scale = 1;  // points per metre
  double min_x = 0, max_y = 0;
  Point origin;  // canvas position of (min_x, max_y)
  Point operator()(Point p) const {
    return {origin.x + (p.x - min_x) * scale, origin.y + (max_y - p.y) * scale};
  }
};

// Adds the rings to the current path, leaving out vertices closer than kMinStep points to
// the last one kept: detail finer than a fraction of a pixel costs time and shows nothing
// (the district edges drawn over the fills hide any sliver it opens between neighbours).
constexpr double kMinStep = 0.25;

void add_rings(cairo_t* cr, const std::vector<Ring>& rings, const Projection& project) {
  for (const Ring& ring : rings) {
    if (ring.size() < 3) continue;
    Point last = project(ring.front());
    cairo_move_to(cr, last.x, last.y);
    for (std::size_t i = 1; i < ring.size(); ++i) {
      const Point p = project(ring[i]);
      if (std::fabs(p.x - last.x) + std::fabs(p.y - last.y) < kMinStep) continue;
      cairo_line_to(cr, p.x, p.y);
      last = p;
    }
    cairo_close_path(cr);
  }
}

// Facility squares: area proportional to beds, the largest kMaxSquare wide.
struct SquareScale {
  double max_capacity = 0;
  double side(double capacity) const {
    if (max_capacity <= 0) return kMaxSquare * 0.6;
    return std::max(3.0, kMaxSquare * std::sqrt(std::max(capacity, 0.0) / max_capacity));
  }
};

void draw_symbol(Canvas& canvas, SymbolKind kind, Point at, double square_side) {
  cairo_t* cr = canvas.cr();
  cairo_save(cr);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  if (kind == SymbolKind::facility) {
    cairo_rectangle(cr, at.x - square_side / 2, at.y - square_side / 2, square_side, square_side);
    canvas.set_colour(kFacility.with_alpha(0.9));
    cairo_fill_preserve(cr);
    canvas.set_colour(style::background);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
  } else {
    const double h = kTriangle * std::sqrt(3.0) / 2;
    cairo_move_to(cr, at.x, at.y - h * 2 / 3);
    cairo_line_to(cr, at.x + kTriangle / 2, at.y + h / 3);
    cairo_line_to(cr, at.x - kTriangle / 2, at.y + h / 3);
    cairo_close_path(cr);
    const bool formal = kind == SymbolKind::formal_entry;
    canvas.set_colour(formal ? style::ink : style::background);
    cairo_fill_preserve(cr);
    canvas.set_colour(formal ? style::background : style::ink);
    cairo_set_line_width(cr, formal ? 0.8 : 1.3);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

Box symbol_box(SymbolKind kind, Point at, double square_side) {
  const double half = kind == SymbolKind::facility ? square_side / 2 : kTriangle / 2;
  return {at.x - half, at.y - half, at.x + half, at.y + half};
}

// A legend block: measured first, drawn later at its top-left corner.
struct LegendBlock {
  Size size;
  std::function<void(Canvas&, Point)> draw;
};

// A row of the legend: a swatch (drawn by `swatch` in its box) and a text.
struct LegendRow {
  double swatch_width, swatch_height;
  std::function<void(Canvas&, Box)> swatch;
  std::string text;
};

LegendBlock rows_block(Canvas& canvas, const std::string& title, const std::string& subtitle,
                       std::vector<LegendRow> rows) {
  double width = 0, height = 0;
  double title_width = std::min(kLegendMaxWidth, canvas.measure(title, kLegendTitleFont).width);
  double subtitle_width = std::min(kLegendMaxWidth, canvas.measure(subtitle, kLegendFont).width);
  double swatch_column = 0;
  for (const LegendRow& row : rows) swatch_column = std::max(swatch_column, row.swatch_width);
  for (const LegendRow& row : rows) {
    const Size text = canvas.measure(row.text, kLegendFont);
    width = std::max(width, swatch_column + 5 + text.width);
    height += std::max(row.swatch_height, text.height) + kRowGap;
  }
  width = std::max({width, title_width, subtitle_width});
  const double title_height =
      title.empty() ? 0 : canvas.paragraph_height(title, width, kLegendTitleFont) + 1;
  const double subtitle_height =
      subtitle.empty() ? 0 : canvas.paragraph_height(subtitle, width, kLegendFont);
  height += title_height + subtitle_height + 4;
  auto draw = [=](Canvas& c, Point at) {
    double y = at.y;
    if (!title.empty()) y += c.paragraph(title, at, width, kLegendTitleFont, style::ink) + 1;
    if (!subtitle.empty()) y += c.paragraph(subtitle, {at.x, y}, width, kLegendFont, style::muted);
    y += 4;
    for (const LegendRow& row : rows) {
      const double text_height = c.measure(row.text, kLegendFont).height;
      const double row_height = std::max(row.swatch_height, text_height);
      const double cx = at.x + swatch_column / 2, cy = y + row_height / 2;
      row.swatch(c, {cx - row.swatch_width / 2, cy - row.swatch_height / 2,
                     cx + row.swatch_width / 2, cy + row.swatch_height / 2});
      c.text(row.text, {at.x + swatch_column + 5, cy}, kLegendFont, style::ink, Align::left,
             VAlign::middle);
      y += row_height + kRowGap;
    }
  };
  return {{width, height}, draw};
}

LegendBlock classes_block(Canvas& canvas, const MapSpec& map, const Classes& classes,
                          const std::vector<Colour>& colours, bool any_missing) {
  std::vector<LegendRow> rows;
  const std::vector<std::string> labels = classes.labels();
  for (int i = 0; i < classes.count(); ++i) {
    const LegendEntry entry{LegendEntry::Swatch::fill, colours[i], labels[i]};
    rows.push_back({kSwatch.width, kSwatch.height + 2,
                    [entry](Canvas& c, Box box) { draw_swatch(c, entry, box); }, labels[i]});
  }
  if (any_missing) {
    const LegendEntry entry{LegendEntry::Swatch::hatch, style::no_data, "No data"};
    rows.push_back({kSwatch.width, kSwatch.height + 2,
                    [entry](Canvas& c, Box box) { draw_swatch(c, entry, box); }, entry.text});
  }
  return rows_block(canvas, map.legend_title, map.units, std::move(rows));
}

std::optional<LegendBlock> symbols_block(Canvas& canvas, const MapSpec& map,
                                         const SquareScale& squares) {
  bool kinds[3] = {false, false, false};
  for (const MapSymbol& s : map.symbols) kinds[static_cast<int>(s.kind)] = true;
  if (!kinds[0] && !kinds[1] && !kinds[2]) return std::nullopt;
  std::vector<LegendRow> rows;
  if (kinds[0]) {
    std::vector<double> references;
    if (squares.max_capacity > 0) {
      const double large = nice_floor(squares.max_capacity);
      if (large / 4 >= 1) references.push_back(nice_floor(large / 4));
      references.push_back(large);
    }
    if (references.empty()) references.push_back(0);
    for (double beds : references) {
      const double side = squares.side(beds);
      rows.push_back({kMaxSquare, side,
                      [side](Canvas& c, Box box) {
                        draw_symbol(c, SymbolKind::facility,
                                    {(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2}, side);
                      },
                      squares.max_capacity > 0 ? format_number(beds) + " beds" : "Facility"});
    }
  }
  const std::pair<SymbolKind, const char*> entries[] = {
      {SymbolKind::formal_entry, "Formal point of entry"},
      {SymbolKind::informal_entry, "Informal crossing"}};
  for (const auto& [kind, text] : entries) {
    if (!kinds[static_cast<int>(kind)]) continue;
    rows.push_back({kMaxSquare, kTriangle,
                    [kind](Canvas& c, Box box) {
                      draw_symbol(c, kind, {(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2 + 1}, 0);
                    },
                    text});
  }
  return rows_block(canvas, kinds[0] ? map.capacity_title : "", "", std::move(rows));
}

// The scale bar (a nice length in km) and the north arrow, side by side.
LegendBlock scale_block(Canvas& canvas, double points_per_metre) {
  const double km = nice_floor(70 / points_per_metre / 1000);
  const double length = km * 1000 * points_per_metre;
  const Size unit = canvas.measure(format_number(km) + " km", kLegendFont);
  const double arrow_width = 12, arrow_height = 24;
  const double width = length + unit.width / 2 + 14 + arrow_width;
  const double height = std::max(arrow_height, 6 + 2 + unit.height);
  auto draw = [=](Canvas& c, Point at) {
    cairo_t* cr = c.cr();
    // Scale bar: two halves, dark then light, at the bottom of the block.
    const double y = at.y + height - unit.height - 8;
    for (int half = 0; half < 2; ++half) {
      cairo_rectangle(cr, at.x + half * length / 2, y, length / 2, 4);
      c.set_colour(half == 0 ? style::ink : style::background);
      cairo_fill_preserve(cr);
      c.set_colour(style::ink);
      cairo_set_line_width(cr, 0.6);
      cairo_stroke(cr);
    }
    c.text("0", {at.x, y + 6}, kLegendFont, style::ink, Align::centre, VAlign::top);
    c.text(format_number(km / 2, decimals_needed(km / 2)), {at.x + length / 2, y + 6}, kLegendFont,
           style::ink, Align::centre, VAlign::top);
    c.text(format_number(km) + " km", {at.x + length, y + 6}, kLegendFont, style::ink, Align::left,
           VAlign::top);
    // North arrow: "N" over an arrowhead, right of the bar.
    const double ax = at.x + width - arrow_width / 2;
    c.text("N", {ax, at.y}, Font{8, true}, style::ink, Align::centre, VAlign::top);
    const double top = at.y + 10, bottom = at.y + arrow_height;
    cairo_move_to(cr, ax, top);
    cairo_line_to(cr, ax + arrow_width / 2 - 1, bottom);
    cairo_line_to(cr, ax, bottom - 4);
    cairo_close_path(cr);
    c.set_colour(style::ink);
    cairo_fill(cr);
    cairo_move_to(cr, ax, top);
    cairo_line_to(cr, ax - arrow_width / 2 + 1, bottom);
    cairo_line_to(cr, ax, bottom - 4);
    cairo_close_path(cr);
    cairo_set_line_width(cr, 0.7);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_stroke(cr);
  };
  return {{width, height}, draw};
}

// The text forms a district label may take: one line, then two lines split at the space
// nearest the middle.
std::vector<std::string> label_forms(const std::string& name) {
  std::vector<std::string> forms{name};
  std::size_t best = std::string::npos;
  for (std::size_t i = name.find(' '); i != std::string::npos; i = name.find(' ', i + 1)) {
    const auto distance = [&](std::size_t at) {
      return std::abs(static_cast<long>(at) - static_cast<long>(name.size() / 2));
    };
    if (best == std::string::npos || distance(i) < distance(best)) best = i;
  }
  if (best != std::string::npos)
    forms.push_back(name.substr(0, best) + "\n" + name.substr(best + 1));
  return forms;
}

// Offsets (points) by which a district label may move from its label point, nearest first:
// up to 6 sideways and 12 up or down, in steps of 3.
const std::vector<Point>& label_offsets() {
  static const std::vector<Point> offsets = [] {
    std::vector<Point> o;
    for (double dy = -12; dy <= 12; dy += 3) {
      for (double dx = -6; dx <= 6; dx += 3) o.push_back({dx, dy});
    }
    std::stable_sort(o.begin(), o.end(),
                     [](Point a, Point b) { return std::hypot(a.x, a.y) < std::hypot(b.x, b.y); });
    return o;
  }();
  return offsets;
}

}  // namespace

void draw_map(Canvas& canvas, const MapSpec& map) {
  cairo_t* cr = canvas.cr();
  Box extent{INFINITY, INFINITY, -INFINITY, -INFINITY};
  std::vector<double> values;
  bool any_missing = false;
  for (const MapArea& area : map.areas) {
    const Box b = bounds_of(area.rings);
    extent = {std::min(extent.x0, b.x0), std::min(extent.y0, b.y0), std::max(extent.x1, b.x1),
              std::max(extent.y1, b.y1)};
    values.push_back(area.value);
    any_missing = any_missing || std::isnan(area.value);
  }
  if (!(extent.x1 > extent.x0 && extent.y1 > extent.y0)) {
    throw DrawingError("map '" + map.titles.title + "': no district with a polygon to draw");
  }
  const bool any_value =
      std::any_of(values.begin(), values.end(), [](double v) { return !std::isnan(v); });
  const Classes classes = !map.classes.breaks.empty() ? map.classes
                          : any_value                 ? quantile_classes(values, 5)
                                                      : Classes{};
  const std::vector<Colour> colours = map.ramp.classes(classes.count());

  SquareScale squares;
  for (const MapSymbol& s : map.symbols) {
    if (s.kind == SymbolKind::facility)
      squares.max_capacity = std::max(squares.max_capacity, s.capacity);
  }

  // Layout: titles, then the map beside (right) or above (bottom) the legend, whichever
  // gives the larger map.
  const Box page{0, 0, canvas.size().width, canvas.size().height};
  const Box body = draw_titles(canvas, map.titles, page.inset(style::margin));
  std::vector<LegendBlock> blocks;
  if (classes.count() > 0 || any_missing)
    blocks.push_back(classes_block(canvas, map, classes, colours, any_missing));
  if (auto symbols = symbols_block(canvas, map, squares)) blocks.push_back(std::move(*symbols));
  const auto fit_scale = [&](Box box) {
    return std::min(box.width() / extent.width(), box.height() / extent.height());
  };
  double column_width = 0, row_height = 0, row_width = 0;
  for (const LegendBlock& b : blocks) {
    column_width = std::max(column_width, b.size.width);
    row_height = std::max(row_height, b.size.height);
    row_width += b.size.width + kGap * 1.5;
  }
  const Box map_right{body.x0, body.y0, body.x1 - column_width - kGap, body.y1};
  const double scale_right = fit_scale(map_right);
  // Scale bar sized from a first guess of the scale; its block joins the legend.
  const Box map_below_guess{body.x0, body.y0, body.x1, body.y1 - row_height - kGap};
  const bool legend_right =
      row_width > body.width() || scale_right >= fit_scale(map_below_guess) * 0.95;
  LegendBlock scale = scale_block(canvas, legend_right ? scale_right : fit_scale(map_below_guess));
  Box map_box;
  if (legend_right) {
    column_width = std::max(column_width, scale.size.width);
    map_box = {body.x0, body.y0, body.x1 - column_width - kGap, body.y1};
  } else {
    row_height = std::max(row_height, scale.size.height);
    map_box = {body.x0, body.y0, body.x1, body.y1 - row_height - kGap};
  }
  // The districts fit inside a margin, so that edges and symbols on the rim show whole.
  const Box fit_box = map_box.inset(kMapMargin);
  scale = scale_block(canvas, fit_scale(fit_box));

  Projection project;
  project.scale = fit_scale(fit_box);
  project.min_x = extent.x0;
  project.max_y = extent.y1;
  project.origin = {fit_box.x0 + (fit_box.width() - extent.width() * project.scale) / 2,
                    fit_box.y0 + (fit_box.height() - extent.height() * project.scale) / 2};
  const Box drawn{project.origin.x, project.origin.y,
                  project.origin.x + extent.width() * project.scale,
                  project.origin.y + extent.height() * project.scale};

  // Context, districts, province outlines: clipped to the map box.
  cairo_save(cr);
  canvas.clip(map_box);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);  // round joins on every vertex cost time
  // Edges are stroked one polygon at a time: Cairo strokes many small paths much faster
  // than one big one.
  const auto stroke = [&](const std::vector<Ring>& rings) {
    add_rings(cr, rings, project);
    cairo_stroke(cr);
  };
  for (const auto& rings : map.context) add_rings(cr, rings, project);
  canvas.set_colour(kContextFill);
  cairo_fill(cr);
  canvas.set_colour(style::background);
  cairo_set_line_width(cr, 0.5);
  for (const auto& rings : map.context) stroke(rings);
  for (const MapArea& area : map.areas) {
    add_rings(cr, area.rings, project);
    const int k = classes.class_of(area.value);
    if (k < 0) {
      fill_no_data(canvas);
    } else {
      canvas.set_colour(colours[k]);
      cairo_fill(cr);
    }
  }
  canvas.set_colour(kDistrictEdge);
  cairo_set_line_width(cr, 0.6);
  for (const MapArea& area : map.areas) stroke(area.rings);
  canvas.set_colour(kOutline);
  cairo_set_line_width(cr, 1.1);
  for (const MapOutline& outline : map.outlines) stroke(outline.rings);

  // Symbols, then labels: symbol labels first, district labels in order of size, each
  // where it fits without covering another label or a symbol.
  std::vector<Box> obstacles;
  std::vector<LabelCandidate> candidates;
  struct Pending {
    std::string text;
    Box box;
    Colour colour;
    bool halo;
    const Font* font;
  };
  std::vector<std::vector<Pending>> pending;
  for (const MapSymbol& s : map.symbols) {
    const Point at = project(s.at);
    const double side = squares.side(s.capacity);
    draw_symbol(canvas, s.kind, at, side);
    const Box box = symbol_box(s.kind, at, side);
    obstacles.push_back(box.inset(-1));
    if (s.label.empty()) continue;
    // Right of the symbol, else left, above, below.
    LabelCandidate candidate{{}, map_box};
    std::vector<Pending> forms;
    const Point anchors[] = {
        {box.x1 + 2, at.y}, {box.x0 - 2, at.y}, {at.x, box.y0 - 1}, {at.x, box.y1 + 1}};
    const Align aligns[] = {Align::left, Align::right, Align::centre, Align::centre};
    const VAlign valigns[] = {VAlign::middle, VAlign::middle, VAlign::bottom, VAlign::top};
    for (int k = 0; k < 4; ++k) {
      const Box text =
          canvas.text_box(s.label, anchors[k], kSymbolLabelFont, aligns[k], valigns[k]);
      candidate.options.push_back(text);
      forms.push_back({s.label, text, style::ink, true, &kSymbolLabelFont});
    }
    candidates.push_back(std::move(candidate));
    pending.push_back(std::move(forms));
  }
  std::vector<std::size_t> order;
  std::vector<double> sizes;
  std::vector<const Ring*> largest;
  for (const MapArea& area : map.areas) {
    const Ring* best = nullptr;
    for (const Ring& ring : area.rings) {
      if (ring.size() >= 3 && (!best || ring_area(ring) > ring_area(*best))) best = &ring;
    }
    largest.push_back(best);
    sizes.push_back(best ? ring_area(*best) : 0);
    if (best && !area.name.empty()) order.push_back(&area - map.areas.data());
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  for (std::size_t i : order) {
    const MapArea& area = map.areas[i];
    const Box b = bounds_of({*largest[i]});
    const Point top_left = project({b.x0, b.y1}), bottom_right = project({b.x1, b.y0});
    const Box within{top_left.x, top_left.y, bottom_right.x, bottom_right.y};
    const Point at = area.label_at
                         ? project(*area.label_at)
                         : Point{(within.x0 + within.x1) / 2, (within.y0 + within.y1) / 2};
    const int k = classes.class_of(area.value);
    const bool dark = k >= 0 && colours[k].luminance() < 0.3;
    // On the label point, on one line or two; else moved by a few points, nearest first
    // (e.g. clear of a symbol standing there).
    LabelCandidate candidate{{}, within};
    std::vector<Pending> forms;
    const std::vector<std::string> texts = label_forms(area.name);
    std::vector<Box> boxes;
    for (const std::string& text : texts)
      boxes.push_back(canvas.text_box(text, at, kLabelFont, Align::centre, VAlign::middle));
    for (const Point& d : label_offsets()) {
      for (std::size_t t = 0; t < texts.size(); ++t) {
        const Box box{boxes[t].x0 + d.x, boxes[t].y0 + d.y, boxes[t].x1 + d.x, boxes[t].y1 + d.y};
        candidate.options.push_back(box);
        forms.push_back({texts[t], box, dark ? style::background : style::ink, !dark, &kLabelFont});
      }
    }
    candidates.push_back(std::move(candidate));
    pending.push_back(std::move(forms));
  }
  const std::vector<int> placed = place_labels(candidates, obstacles);
  for (std::size_t i = 0; i < placed.size(); ++i) {
    if (placed[i] < 0) continue;
    const Pending& p = pending[i][placed[i]];
    canvas.text(p.text, {(p.box.x0 + p.box.x1) / 2, p.box.y0}, *p.font, p.colour, Align::centre,
                VAlign::top, p.halo);
  }
  cairo_restore(cr);

  // Legend: a column right of the map (scale bar at its foot, level with the map's
  // bottom), or a row under it.
  if (legend_right) {
    const double x = map_box.x1 + kGap;
    double y = drawn.y0;
    for (const LegendBlock& b : blocks) {
      b.draw(canvas, {x, y});
      y += b.size.height + kGap;
    }
    scale.draw(canvas, {x, std::max(y, drawn.y1 - scale.size.height)});
  } else {
    double x = body.x0;
    const double y = map_box.y1 + kGap;
    for (const LegendBlock& b : blocks) {
      b.draw(canvas, {x, y});
      x += b.size.width + kGap * 1.5;
    }
    scale.draw(canvas, {body.x1 - scale.size.width, y + row_height - scale.size.height});
  }
}

}  // namespace rfsim::outputs
