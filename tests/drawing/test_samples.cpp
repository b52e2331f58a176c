// The sample figures on the real boundaries (sample_figures.h), written to
// build/drawing-samples/ as PNG, SVG and PDF for people to look at, each read back, and
// timed: a map of the study districts and each chart must render to PNG in under 100 ms of
// processor time.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "readback.h"
#include "sample_figures.h"

using namespace rfsim::outputs;
namespace fs = std::filesystem;

namespace {

const fs::path kSamplesDir = RFSIM_DRAWING_SAMPLES_DIR;
constexpr double kPixelsPerPoint = 2;  // 144 dpi
// Processor time allowed for one PNG render: 100 ms in an optimised build; AddressSanitizer
// (scripts/check-sanitizers) makes the same work two to three times slower.
#ifdef __SANITIZE_ADDRESS__
constexpr double kBudgetMs = 300;
#else
constexpr double kBudgetMs = 100;
#endif

// Processor time of this thread in milliseconds: what a render costs, whatever else runs
// on the machine (the tests run in parallel, on shared cores).
double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Writes the figure as NAME.png, NAME.svg and NAME.pdf, checks each, and returns the
// processor time of the fastest of three PNG renders (drawing, encoding, writing), in ms.
double write_and_check(const rfsim::samples::Figure& figure) {
  INFO(figure.name);
  fs::create_directories(kSamplesDir);
  const fs::path stem = kSamplesDir / figure.name;
  const int width = static_cast<int>(std::lround(figure.size.width * kPixelsPerPoint));
  const int height = static_cast<int>(std::lround(figure.size.height * kPixelsPerPoint));
  double best = INFINITY, best_wall = INFINITY;
  for (int i = 0; i < 3; ++i) {
    const double t0 = cpu_ms();
    const auto wall0 = std::chrono::steady_clock::now();
    render_png(figure.draw, stem.string() + ".png", width, height, kPixelsPerPoint);
    best = std::min(best, cpu_ms() - t0);
    best_wall =
        std::min(best_wall,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0)
                     .count());
  }
  const auto image = rfsim::readback::read_png(stem.string() + ".png");
  CHECK(image.width == width);
  CHECK(image.height == height);
  render_svg(figure.draw, stem.string() + ".svg", figure.size, figure.name);
  CHECK(rfsim::readback::parse_svg(render_svg(figure.draw, figure.size)).elements.at("path") > 10);
  render_pdf(figure.draw, stem.string() + ".pdf", figure.size);
  CHECK(rfsim::readback::render_pdf_page(stem.string() + ".pdf", 36).width ==
        std::ceil(figure.size.width / 2));
  std::cout << "drawing sample " << figure.name << ": PNG " << width << " x " << height << " px in "
            << best << " ms of processor time, " << best_wall << " ms elapsed (fastest of 3)\n";
  return best;
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
  CHECK(write_and_check({"three-provinces-map", draw, {mm(170), mm(140)}}) < kBudgetMs);
  // On a tall page the legend goes under the map.
  CHECK(write_and_check({"three-provinces-map-portrait", draw, {mm(120), mm(170)}}) < kBudgetMs);
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
    CHECK(write_and_check(figure) < kBudgetMs);
  }
}
