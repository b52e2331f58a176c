// Unit tests of the drawing core (outputs/drawing.h) and the label rule of the maps:
// colours and ramps, class breaks, nice ticks, number and date labels, label placement,
// atomic writing.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "outputs/drawing.h"
#include "outputs/map_drawing.h"
#include "readback.h"

using namespace rfsim::outputs;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

TEST_CASE("colours: hex parsing and luminance", "[drawing]") {
  const Colour c = Colour::hex("#FF8000");
  CHECK(c.r == 1);
  CHECK(c.g == Approx(128 / 255.0));
  CHECK(c.b == 0);
  CHECK(Colour::hex("#000000").luminance() == 0);
  CHECK(Colour::hex("#ffffff").luminance() == Approx(1));
  CHECK_THROWS_WITH(Colour::hex("red"), Contains("#rrggbb"));
  CHECK_THROWS_AS(Colour::hex("#12345g"), DrawingError);
}

TEST_CASE("colour ramps run from light to dark, so classes also read in greyscale", "[drawing]") {
  for (const ColourRamp& ramp : {ColourRamp::yellow_orange_red(), ColourRamp::viridis()}) {
    CHECK(ramp.at(0) == ramp.classes(2).front());
    CHECK(ramp.at(1) == ramp.classes(2).back());
    CHECK(ramp.at(-1) == ramp.at(0));
    CHECK(ramp.at(2) == ramp.at(1));
    for (int n = 2; n <= 9; ++n) {
      const std::vector<Colour> colours = ramp.classes(n);
      REQUIRE(colours.size() == static_cast<std::size_t>(n));
      for (int i = 1; i < n; ++i) {
        INFO("n = " << n << ", class " << i);
        CHECK(colours[i].luminance() < colours[i - 1].luminance() - 0.02);
      }
    }
  }
  CHECK(ColourRamp::yellow_orange_red().at(0) == Colour::hex("#ffffcc"));
  const Colour mid = ColourRamp({Colour::hex("#000000"), Colour::hex("#ffffff")}).at(0.25);
  CHECK(mid.r == Approx(0.25));
  CHECK_THROWS_AS(ColourRamp({Colour::hex("#000000")}), DrawingError);
}

TEST_CASE("category colours: eight distinct, then they repeat", "[drawing]") {
  std::set<std::tuple<double, double, double>> seen;
  for (std::size_t i = 0; i < 8; ++i)
    seen.insert({category_colour(i).r, category_colour(i).g, category_colour(i).b});
  CHECK(seen.size() == 8);
  CHECK(category_colour(8) == category_colour(0));
}

TEST_CASE("quantile classes hold about equal numbers of values", "[drawing]") {
  std::vector<double> values;
  for (int i = 1; i <= 100; ++i) values.push_back(i);
  values.push_back(NAN);
  const Classes classes = quantile_classes(values, 5);
  CHECK(classes.breaks == std::vector<double>{1, 21, 41, 60, 80, 100});
  std::vector<int> counts(classes.count());
  for (double v : values) {
    if (!std::isnan(v)) ++counts.at(classes.class_of(v));
  }
  for (int count : counts) CHECK((count >= 19 && count <= 21));
  CHECK(classes.class_of(NAN) == -1);

  // Repeated values give fewer, still increasing classes.
  const Classes few = quantile_classes(std::vector<double>{1, 1, 1, 1, 1, 1, 5}, 4);
  CHECK(few.breaks == std::vector<double>{1, 5});
  // Small values keep distinct breaks (two significant digits).
  const Classes small =
      quantile_classes(std::vector<double>{0.011, 0.012, 0.013, 0.014, 0.0152}, 2);
  CHECK(small.breaks == std::vector<double>{0.011, 0.013, 0.0152});
  CHECK_THROWS_WITH(quantile_classes(std::vector<double>{NAN, NAN}, 3),
                    Contains("no finite value"));
  CHECK_THROWS_AS(quantile_classes(values, 0), DrawingError);
}

TEST_CASE("class membership at and beyond the breaks", "[drawing]") {
  const Classes classes{{0, 10, 20, 30}};
  CHECK(classes.count() == 3);
  CHECK(classes.class_of(-5) == 0);
  CHECK(classes.class_of(0) == 0);
  CHECK(classes.class_of(9.99) == 0);
  CHECK(classes.class_of(10) == 1);
  CHECK(classes.class_of(30) == 2);
  CHECK(classes.class_of(99) == 2);
  CHECK(Classes{}.class_of(1) == -1);
}

TEST_CASE("equal classes on nice steps, and class labels", "[drawing]") {
  const Classes classes = equal_classes(std::vector<double>{0, 13, 97, NAN}, 5);
  CHECK(classes.breaks == std::vector<double>{0, 20, 40, 60, 80, 100});
  CHECK(classes.labels().front() == "0 \u2013 20");
  CHECK(Classes{{0, 500, 1000, 1500}}.labels() ==
        std::vector<std::string>{"0 \u2013 500", "500 \u2013 1,000", "1,000 \u2013 1,500"});
  CHECK(Classes{{0, 2.5, 5}}.labels() ==
        std::vector<std::string>{"0.0 \u2013 2.5", "2.5 \u2013 5.0"});
  CHECK(Classes{{0.011, 0.013, 0.0152}}.labels().back() == "0.0130 \u2013 0.0152");
}

TEST_CASE("nice ticks cover the range on a step of 1, 2, 2.5 or 5 times a power of ten",
          "[drawing]") {
  CHECK(nice_ticks(0, 1234, 6) == std::vector<double>{0, 250, 500, 750, 1000, 1250});
  CHECK(nice_ticks(0, 7, 8) == std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(nice_ticks(0, 0.9, 5) == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
  CHECK(nice_ticks(5, 5, 4).size() >= 2);
  for (const auto& [lo, hi, max] : {std::tuple{-3.0, 7.0, 6}, std::tuple{0.0, 61234.0, 5},
                                    std::tuple{12.0, 13.7, 7}, std::tuple{0.0, 3e-4, 4}}) {
    INFO(lo << " to " << hi << ", at most " << max);
    const std::vector<double> ticks = nice_ticks(lo, hi, max);
    REQUIRE(ticks.size() >= 2);
    CHECK(static_cast<int>(ticks.size()) <= max);
    CHECK(ticks.front() <= lo);
    CHECK(ticks.back() >= hi);
    const double step = ticks[1] - ticks[0];
    const double mantissa = step / std::pow(10, std::floor(std::log10(step)));
    CHECK((mantissa == Approx(1) || mantissa == Approx(2) || mantissa == Approx(2.5) ||
           mantissa == Approx(5)));
  }
  CHECK_THROWS_AS(nice_ticks(2, 1, 5), DrawingError);
  CHECK_THROWS_AS(nice_ticks(0, NAN, 5), DrawingError);
  CHECK(nice_floor(73) == 50);
  CHECK(nice_floor(0.3) == Approx(0.2));
  CHECK(nice_floor(1) == 1);
  CHECK(nice_floor(19.99) == 10);
}

TEST_CASE("numbers and dates as people read them", "[drawing]") {
  CHECK(format_number(12345.678, 1) == "12,345.7");
  CHECK(format_number(999.6) == "1,000");
  CHECK(format_number(1234567) == "1,234,567");
  CHECK(format_number(123) == "123");
  CHECK(format_number(-1500) == "\u22121,500");
  CHECK(format_number(-0.0001) == "0");
  CHECK(format_number(NAN) == "n/a");
  CHECK(decimals_needed(0.25) == 2);
  CHECK(decimals_needed(2.5) == 1);
  CHECK(decimals_needed(0.1) == 1);
  CHECK(decimals_needed(2500) == 0);
  CHECK(decimals_needed(-0.0152) == 4);
  CHECK(decimals_needed(1 / 3.0) == 6);
  using namespace std::chrono;
  CHECK(day_month(sys_days(year{2026} / January / 5)) == "5 Jan");
  CHECK(day_month(sys_days(year{2024} / February / 29)) == "29 Feb");
  CHECK(day_month(sys_days(year{2026} / January / 5) + days(360)) == "31 Dec");
}

TEST_CASE("boxes overlap only when their interiors meet", "[drawing]") {
  const Box a{0, 0, 10, 10};
  CHECK(a.overlaps({5, 5, 15, 15}));
  CHECK_FALSE(a.overlaps({10, 0, 20, 10}));  // shares an edge
  CHECK_FALSE(a.overlaps({11, 0, 20, 10}));
  CHECK(a.contains({0, 0, 10, 10}));
  CHECK_FALSE(a.contains({-1, 0, 5, 5}));
}

TEST_CASE("label rule: a label overlapping an earlier one or not fitting its box is left out",
          "[drawing]") {
  const Box area{0, 0, 100, 100};
  const LabelCandidate first{{{10, 10, 40, 20}}, area};
  const LabelCandidate overlapping{{{30, 15, 60, 25}}, area};
  const LabelCandidate touching{{{40, 10, 70, 20}}, area};
  const LabelCandidate too_wide{{{90, 50, 130, 60}}, area};
  CHECK(place_labels(std::vector{first, overlapping, touching, too_wide}) ==
        std::vector<int>{0, -1, 0, -1});
  // The order is the priority: reversed, the other one of the overlapping pair wins.
  CHECK(place_labels(std::vector{overlapping, first}) == std::vector<int>{0, -1});
  // A second form (e.g. on two lines) is taken when the first does not fit.
  const LabelCandidate two_forms{{{30, 15, 60, 25}, {30, 22, 50, 40}}, area};
  CHECK(place_labels(std::vector{first, two_forms}) == std::vector<int>{0, 1});
  // Obstacles (symbols) block labels too.
  const std::vector<Box> symbols{{12, 12, 16, 16}};
  CHECK(place_labels(std::vector{first, touching}, symbols) == std::vector<int>{-1, 0});
}

TEST_CASE("files are written atomically, with the path and reason on failure", "[drawing]") {
  rfsim::readback::TempDir dir;
  const fs::path file = dir.path / "out.txt";
  write_file_atomically(file.string(), "first");
  write_file_atomically(file.string(), "second");
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "second");

  const fs::path missing = dir.path / "no-such-folder" / "out.png";
  CHECK_THROWS_WITH(write_file_atomically(missing.string(), "x"),
                    Contains(missing.string()) && Contains("No such file or directory"));
  const fs::path folder = dir.path / "a-folder";
  fs::create_directory(folder);
  CHECK_THROWS_WITH(write_file_atomically(folder.string(), "x"),
                    Contains("cannot write " + folder.string()) && Contains("directory"));
  // Nothing half-written is left beside the target.
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path))
    names.insert(entry.path().filename().string());
  CHECK(names == std::set<std::string>{"a-folder", "out.txt"});
  CHECK(fs::is_empty(folder));
}
