// Tests of maps and charts on small made-up inputs, through every output format: PNG
// decoded at its size with the class colours in it, SVG well-formed with resolvable and
// document-unique ids, PDF rendered by pdftoppm with its text found by pdftotext; the same
// input gives the same bytes; bad inputs and failed writes raise DrawingError and leave
// nothing behind.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "outputs/chart_drawing.h"
#include "outputs/map_drawing.h"
#include "readback.h"

using namespace rfsim::outputs;
using Catch::Matchers::Contains;
using rfsim::readback::TempDir;
namespace fs = std::filesystem;

namespace {

const std::chrono::sys_days kStart = std::chrono::year{2026} / std::chrono::January / 5;

// A 3 x 3 grid of 10 km squares named A1..C3 with values 1..8 and one without data, a
// province outline around it, and one symbol of each kind.
MapSpec grid_map() {
  MapSpec map;
  map.titles = {"Grid map", "Nine squares", "Test source"};
  map.legend_title = "Value";
  map.units = "units";
  for (int row = 0; row < 3; ++row) {
    for (int col = 0; col < 3; ++col) {
      const double x = 400000 + col * 10000, y = 1500000 + row * 10000;
      MapArea area;
      area.name = std::string(1, static_cast<char>('A' + row)) + std::to_string(col + 1);
      area.rings = {{{x, y}, {x + 10000, y}, {x + 10000, y + 10000}, {x, y + 10000}}};
      area.value = row * 3 + col == 4 ? NAN : row * 3 + col + 1;
      map.areas.push_back(area);
    }
  }
  map.outlines = {{{{{400000, 1500000}, {430000, 1500000}, {430000, 1530000}, {400000, 1530000}}}}};
  map.classes = {{1, 3, 5, 7, 9}};
  map.symbols = {{SymbolKind::facility, {402000, 1502000}, 500, ""},
                 {SymbolKind::formal_entry, {428000, 1528000}, 0, "Gate"},
                 {SymbolKind::informal_entry, {428000, 1502000}, 0, ""}};
  return map;
}

TimeChart capacity_chart(double peak) {
  TimeChart chart;
  chart.titles = {"Occupancy", "", ""};
  chart.y_units = "Beds";
  chart.time = {kStart};
  Series load{"Occupied", {}};
  for (int t = 0; t < 60; ++t) load.values.push_back(peak * std::sin(t / 59.0 * M_PI));
  chart.plot.lines.push_back(load);
  chart.plot.capacity = Capacity{"Capacity", {100}, 0, "Over capacity"};
  return chart;
}

DrawFunction map_drawing(const MapSpec& map) {
  return [map](Canvas& canvas) { draw_map(canvas, map); };
}
DrawFunction chart_drawing(const TimeChart& chart) {
  return [chart](Canvas& canvas) { draw_time_chart(canvas, chart); };
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Pixels that are clearly red (the over-capacity shade), in an image.
std::size_t reddish(const rfsim::readback::Image& image) {
  std::size_t n = 0;
  for (std::uint32_t p : image.pixels) {
    const int r = p >> 16 & 0xff, g = p >> 8 & 0xff, b = p & 0xff;
    if (r > g + 50 && r > b + 50) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("map to PNG: decodes at its size, each class in its colour, no data hatched",
          "[drawing]") {
  TempDir dir;
  const MapSpec map = grid_map();
  const fs::path png = dir.path / "map.png";
  render_png(map_drawing(map), png.string(), 800, 600);
  const auto image = rfsim::readback::read_png(png);
  CHECK(image.width == 800);
  CHECK(image.height == 600);
  const std::vector<Colour> colours = map.ramp.classes(4);
  for (const Colour& c : colours) CHECK(image.count(c) > 2000);
  CHECK(image.count(style::no_data) > 300);
  // A bigger px_per_pt gives the same drawing at a higher resolution.
  render_png(map_drawing(map), png.string(), 1600, 1200, 4);
  const auto sharp = rfsim::readback::read_png(png);
  CHECK(sharp.width == 1600);
  CHECK(sharp.count(colours[0]) == Approx(4.0 * image.count(colours[0])).epsilon(0.05));
}

TEST_CASE("map legend: beside a map on a wide page, under it on a tall one", "[drawing]") {
  TempDir dir;
  const MapSpec map = grid_map();
  const Colour lightest = map.ramp.classes(4).front();
  // Pixels of the lightest class (square A1, south-west, and its legend swatch) in the
  // region [x0, x1) x [y0, y1) of an image, in fractions of its size.
  const auto count_in = [&](const rfsim::readback::Image& image, double x0, double x1, double y0,
                            double y1) {
    rfsim::readback::Image region;
    for (int y = static_cast<int>(y0 * image.height); y < y1 * image.height; ++y) {
      for (int x = static_cast<int>(x0 * image.width); x < x1 * image.width; ++x) {
        region.pixels.push_back(image.pixels[y * image.width + x]);
      }
    }
    return region.count(lightest);
  };
  render_png(map_drawing(map), (dir.path / "wide.png").string(), 900, 450);
  render_png(map_drawing(map), (dir.path / "tall.png").string(), 450, 900);
  const auto wide = rfsim::readback::read_png(dir.path / "wide.png");
  const auto tall = rfsim::readback::read_png(dir.path / "tall.png");
  CHECK(count_in(wide, 0.5, 1, 0, 1) > 100);  // the swatch, right of the map
  CHECK(count_in(wide, 0.5, 1, 0.85, 1) == 0);
  CHECK(count_in(tall, 0, 1, 0.75, 1) > 100);  // the swatch, under the map
  CHECK(count_in(tall, 0.85, 1, 0, 0.7) == 0);
}

TEST_CASE("map to SVG: well-formed, titled, every reference resolves in the same document",
          "[drawing]") {
  const MapSpec map = grid_map();
  const std::string text = render_svg(map_drawing(map), {400, 300}, "Grid map & <more>");
  const rfsim::readback::Svg svg = rfsim::readback::parse_svg(text);
  CHECK(svg.title == "Grid map & <more>");
  CHECK(svg.view_box == "0 0 400 300");
  CHECK(svg.elements.at("path") >= 9);
  CHECK(svg.elements.count("use") > 0);  // glyphs of the text
  REQUIRE_FALSE(svg.references.empty());
  for (const std::string& ref : svg.references) {
    INFO(ref);
    CHECK(svg.ids.count(ref) == 1);
  }
  // Another drawing defines no id of the first: both can be inlined in one page.
  const rfsim::readback::Svg other =
      rfsim::readback::parse_svg(render_svg(chart_drawing(capacity_chart(150)), {400, 300}));
  for (const std::string& id : other.ids) CHECK(svg.ids.count(id) == 0);
}

TEST_CASE("map to PDF: a PDF that pdftoppm renders, with the labels as text", "[drawing]") {
  TempDir dir;
  const fs::path pdf = dir.path / "map.pdf";
  render_pdf(map_drawing(grid_map()), pdf.string(), {mm(170), mm(120)});
  CHECK(read_file(pdf).starts_with("%PDF-"));
  const auto page = rfsim::readback::render_pdf_page(pdf, 72);
  CHECK(page.width == std::ceil(mm(170)));
  CHECK(page.height == std::ceil(mm(120)));
  const std::string text = rfsim::readback::pdf_text(pdf);
  for (const char* expected :
       {"Grid map", "Nine squares", "Test source", "No data", "A1", "C3", "Gate",
        "Formal point of entry", "Informal crossing", "500 beds", "km"}) {
    CHECK_THAT(text, Contains(expected));
  }
}

TEST_CASE("the same input gives the same PNG, SVG and PDF bytes", "[drawing]") {
  TempDir dir;
  const DrawFunction draw = map_drawing(grid_map());
  for (int i = 0; i < 2; ++i) {
    render_png(draw, (dir.path / ("m" + std::to_string(i) + ".png")).string(), 500, 400);
    render_pdf(draw, (dir.path / ("m" + std::to_string(i) + ".pdf")).string(), {250, 200});
    render_svg(draw, (dir.path / ("m" + std::to_string(i) + ".svg")).string(), {250, 200});
  }
  for (const char* ext : {".png", ".pdf", ".svg"}) {
    INFO(ext);
    const std::string first = read_file(dir.path / ("m0" + std::string(ext)));
    CHECK(first.size() > 1000);
    CHECK(first == read_file(dir.path / ("m1" + std::string(ext))));
  }
  CHECK(read_file(dir.path / "m0.svg") == render_svg(draw, {250, 200}));
}

TEST_CASE("capacity chart: the part above capacity is shaded, and only that", "[drawing]") {
  TempDir dir;
  render_png(chart_drawing(capacity_chart(150)), (dir.path / "over.png").string(), 800, 500);
  render_png(chart_drawing(capacity_chart(80)), (dir.path / "under.png").string(), 800, 500);
  const std::size_t over = reddish(rfsim::readback::read_png(dir.path / "over.png"));
  const std::size_t under = reddish(rfsim::readback::read_png(dir.path / "under.png"));
  CHECK(under < 1000);  // the legend swatch only
  CHECK(over > under + 5000);
}

TEST_CASE("charts of every kind render to every format", "[drawing]") {
  TempDir dir;
  TimeChart lines;
  lines.titles = {"Lines and bands", "A fan chart", "Source"};
  lines.time = {kStart, 0, 7};
  lines.plot.bands = {{"5-95 %", {1, 2, 3, 4}, {5, 7, 9, 11}},
                      {"25-75 %", {2, 3, 4, 5}, {4, 6, 8, 10}}};
  lines.plot.lines = {{"Median", {3, 4.5, 6, 7.5}},
                      {"Observed", {2.5, NAN, 7, 8}, std::nullopt, true}};
  TimeChart stacked;
  stacked.titles = {"Stacked areas", "", ""};
  stacked.time = {kStart};
  stacked.plot.areas = {{"Poipet", std::vector<double>(30, 70)},
                        {"Informal", std::vector<double>(30, 30)}};
  BarChart bars;
  bars.titles = {"Bars", "", ""};
  bars.units = "workers";
  bars.categories = {"Paoy Paet", "Malai", "Thma Puok"};
  bars.groups = {{"Needed", {12, 4, 3}}, {"Deployed", {8, 4, 1}}};
  SmallMultiples multiples;
  multiples.titles = {"Small multiples", "", ""};
  multiples.time = {kStart, 0, 7};
  for (const char* name : {"Alpha", "Beta", "Gamma", "Delta", "Epsilon"}) {
    multiples.panels.push_back(
        {name, {{}, {}, {{"Need", {1, 3, 5, 4, 2}}}, Capacity{"Deployed", {3}, 0, "Unmet"}}});
  }
  const std::vector<std::pair<std::string, DrawFunction>> drawings = {
      {"lines", chart_drawing(lines)},
      {"stacked", chart_drawing(stacked)},
      {"bars", [bars](Canvas& c) { draw_bar_chart(c, bars); }},
      {"multiples", [multiples](Canvas& c) { draw_small_multiples(c, multiples); }}};
  for (const auto& [name, draw] : drawings) {
    INFO(name);
    const fs::path png = dir.path / (name + ".png"), pdf = dir.path / (name + ".pdf");
    render_png(draw, png.string(), 700, 450);
    CHECK(rfsim::readback::read_png(png).width == 700);
    CHECK(rfsim::readback::parse_svg(render_svg(draw, {350, 225})).elements.at("path") > 5);
    render_pdf(draw, pdf.string(), {350, 225});
    const std::string text = rfsim::readback::pdf_text(pdf);
    CHECK_THAT(text, Contains(name == "lines"     ? "Lines and bands"
                              : name == "stacked" ? "Stacked areas"
                              : name == "bars"    ? "Bars"
                                                  : "Small multiples"));
  }
  // Dates on the time axis read "5 Jan" (weekly ticks from the start date), values with
  // thousands separators, panels by name.
  render_pdf(drawings[0].second, (dir.path / "lines.pdf").string(), {350, 225});
  const std::string text = rfsim::readback::pdf_text(dir.path / "lines.pdf");
  CHECK_THAT(text, Contains("5 Jan 2026") && Contains("12 Jan") && Contains("Observed") &&
                       Contains("25-75 %"));
  // Bar values keep a decimal the axis ticks do not need.
  BarChart halves;
  halves.titles = {"Halves", "", ""};
  halves.categories = {"a", "b", "c"};
  halves.groups = {{"g", {2.5, 7.5, 5}}};
  render_pdf([halves](Canvas& c) { draw_bar_chart(c, halves); }, (dir.path / "halves.pdf").string(),
             {350, 225});
  CHECK_THAT(rfsim::readback::pdf_text(dir.path / "halves.pdf"),
             Contains("2.5") && Contains("7.5") && Contains("5.0"));
  render_pdf(drawings[3].second, (dir.path / "multiples.pdf").string(), {350, 300});
  const std::string panels = rfsim::readback::pdf_text(dir.path / "multiples.pdf");
  CHECK_THAT(panels, Contains("Epsilon") && Contains("Unmet"));
}

TEST_CASE("bad inputs and failed writes: DrawingError, nothing written", "[drawing]") {
  TempDir dir;
  const fs::path out = dir.path / "out.png";
  CHECK_THROWS_WITH(render_png(map_drawing(MapSpec{}), out.string(), 400, 300),
                    Contains("cannot render " + out.string() + ": map") && Contains("no district"));
  TimeChart chart = capacity_chart(150);
  chart.plot.bands = {{"5-95 %", {1, 2}, {3}}};
  CHECK_THROWS_WITH(render_png(chart_drawing(chart), out.string(), 400, 300),
                    Contains("band '5-95 %'"));
  chart = capacity_chart(150);
  chart.plot.capacity->values = {1, 2, 3};
  CHECK_THROWS_WITH(render_svg(chart_drawing(chart), {200, 100}), Contains("expected 1 or 60"));
  chart.plot.capacity->load = 3;
  CHECK_THROWS_WITH(render_svg(chart_drawing(chart), {200, 100}), Contains("compares with line 3"));
  BarChart bars;
  bars.categories = {"a", "b"};
  bars.groups = {{"g", {1}}};
  CHECK_THROWS_WITH(
      render_pdf([bars](Canvas& c) { draw_bar_chart(c, bars); }, out.string(), {200, 100}),
      Contains("1 values for 2 categories"));
  CHECK_THROWS_AS(render_png(map_drawing(grid_map()), out.string(), 0, 300), DrawingError);
  CHECK_THROWS_WITH(render_png(chart_drawing(capacity_chart(150)), out.string(), 60, 40),
                    Contains("too small"));
  CHECK(fs::is_empty(dir.path));
  const std::string unwritable = (dir.path / "missing" / "chart.pdf").string();
  CHECK_THROWS_WITH(render_pdf(chart_drawing(capacity_chart(150)), unwritable, {300, 200}),
                    Contains(unwritable) && Contains("No such file"));
  CHECK(fs::is_empty(dir.path));
}
