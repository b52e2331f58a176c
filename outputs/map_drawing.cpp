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
    const LegendEntry entry{LegendEntry::Swatch::hatch, style::no_data, map.no_data_label};
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
  for (const auto& [symbol, text] : entries) {
    if (!kinds[static_cast<int>(symbol)]) continue;
    const SymbolKind kind = symbol;  // (clang 14: a lambda cannot capture a binding)
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

// Where the legend blocks go, relative to the legend's top-left corner.
struct LegendPlacement {
  Size size;
  std::vector<Point> offsets;  // per block
};

// The blocks stacked in columns of at most `height`, left to right; none when a block is
// taller than that. The last one (the scale bar) is moved down later, level with the
// map's bottom, when there is room.
std::optional<LegendPlacement> legend_columns(const std::vector<LegendBlock>& blocks,
                                              double height) {
  LegendPlacement p;
  double x = 0, y = 0, column_width = 0;
  for (const LegendBlock& b : blocks) {
    if (b.size.height > height) return std::nullopt;
    if (y > 0 && y + kGap + b.size.height > height) {  // a new column
      x += column_width + kGap * 1.5;
      y = column_width = 0;
    }
    if (y > 0) y += kGap;
    p.offsets.push_back({x, y});
    y += b.size.height;
    column_width = std::max(column_width, b.size.width);
    p.size = {x + column_width, std::max(p.size.height, y)};
  }
  return p;
}

// The blocks side by side within `width`, the last one (the scale bar) at the right end,
// else under the block before it; none when they do not fit.
std::optional<LegendPlacement> legend_row(const std::vector<LegendBlock>& blocks, double width) {
  LegendPlacement p;
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
    if (i > 0) p.size.width += kGap * 1.5;
    p.offsets.push_back({p.size.width, 0});
    p.size.width += blocks[i].size.width;
    p.size.height = std::max(p.size.height, blocks[i].size.height);
  }
  const Size scale = blocks.back().size;
  if (p.size.width + kGap * 1.5 + scale.width <= width) {
    p.size.height = std::max(p.size.height, scale.height);
    p.offsets.push_back({width - scale.width, p.size.height - scale.height});
    p.size.width = width;
  } else if (!p.offsets.empty()) {
    const Point last = p.offsets.back();
    const Size above = blocks[blocks.size() - 2].size;
    p.offsets.push_back({last.x, above.height + kGap});
    p.size.width = std::max(p.size.width, last.x + scale.width);
    p.size.height = std::max(p.size.height, above.height + kGap + scale.height);
  }
  if (p.offsets.size() < blocks.size() || p.size.width > width) return std::nullopt;
  return p;
}

// Where the map goes: the box it is clipped to, its projection, and its legend.
struct MapLayout {
  Box map_box;
  Projection project;
  Box drawn;  // the districts' extent on the canvas
  bool legend_right = true;
  LegendPlacement legend;
};

// Lays the map and its legend blocks out in `body`: legend right of the map or under it,
// whichever gives the larger map. The districts fit inside a margin, so that edges and
// symbols on the rim show whole.
MapLayout layout_map(const Box& body, const Box& extent, const std::vector<LegendBlock>& blocks) {
  const auto fit_scale = [&](const Box& box) {
    const Box inner = box.inset(kMapMargin);
    return std::min(inner.width() / extent.width(), inner.height() / extent.height());
  };
  std::optional<MapLayout> best;
  if (const auto columns = legend_columns(blocks, body.height())) {
    best = {
        {body.x0, body.y0, body.x1 - columns->size.width - kGap, body.y1}, {}, {}, true, *columns};
  }
  if (const auto row = legend_row(blocks, body.width())) {
    const Box below{body.x0, body.y0, body.x1, body.y1 - row->size.height - kGap};
    if (!best || fit_scale(below) > fit_scale(best->map_box)) best = {below, {}, {}, false, *row};
  }
  if (!best || best->map_box.width() < 4 * kMapMargin || best->map_box.height() < 4 * kMapMargin) {
    throw DrawingError("map: canvas too small for the map and its legend");
  }
  MapLayout layout = *best;
  const Box fit_box = layout.map_box.inset(kMapMargin);
  Projection& project = layout.project;
  project.scale = fit_scale(layout.map_box);
  project.min_x = extent.x0;
  project.max_y = extent.y1;
  project.origin = {fit_box.x0 + (fit_box.width() - extent.width() * project.scale) / 2,
                    fit_box.y0 + (fit_box.height() - extent.height() * project.scale) / 2};
  layout.drawn = {project.origin.x, project.origin.y,
                  project.origin.x + extent.width() * project.scale,
                  project.origin.y + extent.height() * project.scale};
  return layout;
}

// Context, districts (by class, hatched without data) and their edges, outlines.
void draw_areas(Canvas& canvas, const MapSpec& map, const Classes& classes,
                const std::vector<Colour>& colours, const Projection& project) {
  cairo_t* cr = canvas.cr();
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
}

// A label to place and how to draw each of its options.
struct MapLabel {
  LabelCandidate candidate;
  std::vector<std::string> texts;  // per option
  const Font* font;
  Colour colour;
  bool halo;
};

// The symbols, then their labels and the district labels: symbol labels first (right of
// the symbol, else left, above, below), district labels in order of size, each where it
// fits without covering another label or a symbol.
void draw_symbols_and_labels(Canvas& canvas, const MapSpec& map, const Classes& classes,
                             const std::vector<Colour>& colours, const MapLayout& layout,
                             const SquareScale& squares) {
  const Projection& project = layout.project;
  std::vector<Box> obstacles;
  std::vector<MapLabel> labels;
  for (const MapSymbol& s : map.symbols) {
    const Point at = project(s.at);
    const double side = squares.side(s.capacity);
    draw_symbol(canvas, s.kind, at, side);
    const Box box = symbol_box(s.kind, at, side);
    obstacles.push_back(box.inset(-1));
    if (s.label.empty()) continue;
    MapLabel label{{{}, layout.map_box}, {}, &kSymbolLabelFont, style::ink, true};
    const Point anchors[] = {
        {box.x1 + 2, at.y}, {box.x0 - 2, at.y}, {at.x, box.y0 - 1}, {at.x, box.y1 + 1}};
    const Align aligns[] = {Align::left, Align::right, Align::centre, Align::centre};
    const VAlign valigns[] = {VAlign::middle, VAlign::middle, VAlign::bottom, VAlign::top};
    for (int k = 0; k < 4; ++k) {
      label.candidate.options.push_back(
          canvas.text_box(s.label, anchors[k], kSymbolLabelFont, aligns[k], valigns[k]));
      label.texts.push_back(s.label);
    }
    labels.push_back(std::move(label));
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
    MapLabel label{{{}, within}, {}, &kLabelFont, dark ? style::background : style::ink, !dark};
    const std::vector<std::string> texts = label_forms(area.name);
    std::vector<Box> boxes;
    for (const std::string& text : texts) {
      boxes.push_back(canvas.text_box(text, at, kLabelFont, Align::centre, VAlign::middle));
    }
    for (const Point& d : label_offsets()) {
      for (std::size_t t = 0; t < texts.size(); ++t) {
        label.candidate.options.push_back(
            {boxes[t].x0 + d.x, boxes[t].y0 + d.y, boxes[t].x1 + d.x, boxes[t].y1 + d.y});
        label.texts.push_back(texts[t]);
      }
    }
    labels.push_back(std::move(label));
  }
  std::vector<LabelCandidate> candidates;
  for (const MapLabel& label : labels) candidates.push_back(label.candidate);
  const std::vector<int> placed = place_labels(candidates, obstacles);
  for (std::size_t i = 0; i < placed.size(); ++i) {
    if (placed[i] < 0) continue;
    const Box& box = labels[i].candidate.options[placed[i]];
    canvas.text(labels[i].texts[placed[i]], {(box.x0 + box.x1) / 2, box.y0}, *labels[i].font,
                labels[i].colour, Align::centre, VAlign::top, labels[i].halo);
  }
}

}  // namespace

void draw_map(Canvas& canvas, const MapSpec& map) {
  Box extent{INFINITY, INFINITY, -INFINITY, -INFINITY};
  std::vector<double> values;
  for (const MapArea& area : map.areas) {
    const Box b = bounds_of(area.rings);
    extent = {std::min(extent.x0, b.x0), std::min(extent.y0, b.y0), std::max(extent.x1, b.x1),
              std::max(extent.y1, b.y1)};
    values.push_back(area.value);
  }
  if (!(extent.x1 > extent.x0 && extent.y1 > extent.y0)) {
    throw DrawingError("map '" + map.titles.title + "': no district with a polygon to draw");
  }
  const auto missing = [](double v) { return std::isnan(v); };
  const bool any_missing = std::any_of(values.begin(), values.end(), missing);
  const Classes classes = !map.classes.breaks.empty() ? map.classes
                          : std::all_of(values.begin(), values.end(), missing)
                              ? Classes{}
                              : quantile_classes(values, 5);
  const std::vector<Colour> colours = map.ramp.classes(classes.count());
  SquareScale squares;
  for (const MapSymbol& s : map.symbols) {
    if (s.kind == SymbolKind::facility) {
      squares.max_capacity = std::max(squares.max_capacity, s.capacity);
    }
  }

  const Box page{0, 0, canvas.size().width, canvas.size().height};
  const Box body = draw_titles(canvas, map.titles, page.inset(style::margin));
  std::vector<LegendBlock> blocks;
  if (classes.count() > 0 || any_missing) {
    blocks.push_back(classes_block(canvas, map, classes, colours, any_missing));
  }
  if (auto symbols = symbols_block(canvas, map, squares)) blocks.push_back(std::move(*symbols));
  // The scale block joins the legend. Its size hardly depends on the scale (the bar is at
  // most 70 pt long), so a first one measured at the scale of the whole body lays out.
  blocks.push_back(scale_block(
      canvas, std::min(body.width() / extent.width(), body.height() / extent.height())));
  const MapLayout layout = layout_map(body, extent, blocks);
  blocks.back() = scale_block(canvas, layout.project.scale);

  cairo_t* cr = canvas.cr();
  cairo_save(cr);
  canvas.clip(layout.map_box);
  draw_areas(canvas, map, classes, colours, layout.project);
  draw_symbols_and_labels(canvas, map, classes, colours, layout, squares);
  cairo_restore(cr);

  // Legend: a column right of the map, from the map's top (higher if it would not fit),
  // with the scale bar level with the map's bottom when there is room; or a row under it.
  const double column_top =
      std::max(body.y0, std::min(layout.drawn.y0, body.y1 - layout.legend.size.height));
  const Point origin = layout.legend_right ? Point{layout.map_box.x1 + kGap, column_top}
                                           : Point{body.x0, layout.map_box.y1 + kGap};
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    Point at{origin.x + layout.legend.offsets[i].x, origin.y + layout.legend.offsets[i].y};
    if (layout.legend_right && i + 1 == blocks.size()) {
      at.y = std::max(at.y, layout.drawn.y1 - blocks[i].size.height);
    }
    blocks[i].draw(canvas, at);
  }
}

}  // namespace rfsim::outputs
