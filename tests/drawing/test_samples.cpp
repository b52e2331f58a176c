// The sample figures on the real boundaries (sample_figures.h), written to
// build/drawing-samples/ as PNG, SVG and PDF for people to look at, each read back. (What
// they cost is measured by scripts/bench, never by a timed test.)
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "readback.h"
#include "sample_figures.h"

using namespace rfsim::outputs;
namespace fs = std::filesystem;

namespace {

const fs::path kSamplesDir = RFSIM_DRAWING_SAMPLES_DIR;
constexpr double kPixelsPerPoint = 2;  // 144 dpi

// Writes the figure as NAME.png, NAME.svg and NAME.pdf and checks each.
void write_and_check(const rfsim::samples::Figure& figure) {
  INFO(figure.name);
  fs::create_directories(kSamplesDir);
  const fs::path stem = kSamplesDir / figure.name;
  const int width = static_cast<int>(std::lround(figure.size.width * kPixelsPerPoint));
  const int height = static_cast<int>(std::lround(figure.size.height * kPixelsPerPoint));
  render_png(figure.draw, stem.string() + ".png", width, height, kPixelsPerPoint);
  const auto image = rfsim::readback::read_png(stem.string() + ".png");
  CHECK(image.width == width);
  CHECK(image.height == height);
  render_svg(figure.draw, stem.string() + ".svg", figure.size, figure.name);
  CHECK(rfsim::readback::parse_svg(render_svg(figure.draw, figure.size)).elements.at("path") > 10);
  render_pdf(figure.draw, stem.string() + ".pdf", figure.size);
  CHECK(rfsim::readback::render_pdf_page(stem.string() + ".pdf", 36).width ==
        std::ceil(figure.size.width / 2));
}

}  // namespace

TEST_CASE("sample: map of the three provinces from the real boundaries", "[drawing][real]") {
  const fs::path data_dir = RFSIM_TEST_DATA_DIR;
  if (!fs::exists(data_dir / "geoBoundaries-KHM-ADM2-simplified.geojson")) {
    FAIL("missing boundaries in " << data_dir << ": run scripts/fetch-data");
  }
  const MapSpec map = rfsim::samples::three_province_map(data_dir);
  CHECK(map.areas.size() == 35);
  CHECK(map.outlines.size() == 3);
  CHECK(map.context.size() == 197 - 35);
  const DrawFunction draw = [&map](Canvas& c) { draw_map(c, map); };
  write_and_check({"three-provinces-map", draw, {mm(170), mm(140)}});
  // On a tall page the legend goes under the map.
  write_and_check({"three-provinces-map-portrait", draw, {mm(120), mm(170)}});
  // Labels: the checkpoints, the legend, and the districts whose names fit (most of them).
  const std::string text = rfsim::readback::pdf_text(kSamplesDir / "three-provinces-map.pdf");
  for (const char* expected : {"Poipet", "Phsar Prum", "No data", "1,000 beds", "50 km"}) {
    CHECK_THAT(text, Catch::Matchers::Contains(expected));
  }
  int labelled = 0;
  for (const MapArea& area : map.areas) {
    std::string name = area.name;  // a label may be split over two lines
    std::replace(name.begin(), name.end(), ' ', '\n');
    labelled += text.find(area.name) != std::string::npos || text.find(name) != std::string::npos;
  }
  CHECK(labelled >= 24);
}

TEST_CASE("sample: one chart of each kind", "[drawing]") {
  for (const rfsim::samples::Figure& figure : rfsim::samples::sample_charts()) {
    write_and_check(figure);
  }
}
