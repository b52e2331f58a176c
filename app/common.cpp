// What the subcommands share (see common.h).
#include "app/common.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "geo/geography_cache.h"
#include "outputs/report.h"
#include "sim/places.h"

namespace rfsim::app {

CLI::Validator whole_number(const std::string& expected, std::int64_t lo, std::int64_t hi) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::int64_t v = 0;
        const char* end = text.data() + text.size();
        auto [p, ec] = std::from_chars(text.data(), end, v);
        if (text.empty() || ec != std::errc() || p != end || v < lo || v > hi)
          return "expected " + expected + " (got '" + text + "')";
        return "";
      },
      "");
}

std::string figure(double v) {
  char buf[64];
  if (std::isfinite(v) && std::fabs(v) < 1e15 && v == std::floor(v))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string scenario_label(const Scenario& s, const std::string& path) {
  std::string name = s.name.empty() ? std::filesystem::path(path).stem().string() : s.name;
  for (char& c : name)
    if (c == '/' || c == '\\' || c == ' ') c = '_';
  return name.empty() ? std::string("scenario") : name;
}

std::filesystem::path default_output(const Scenario& s, const std::string& path,
                                     const std::string& suffix) {
  return std::filesystem::path("runs") / (scenario_label(s, path) + suffix);
}

geo::Geography scenario_geography(const Scenario& s) {
  return geo::load_geography(sim::geo_inputs(s), geo::GeographyCache::from_environment());
}

void notice(const std::string& line) {
  std::cerr << "rfsim: " << line << "\n";
}

std::string one_line(std::string message) {
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  return message;
}

std::filesystem::path write_briefing(const std::filesystem::path& dir, bool no_report) {
  if (no_report) return {};
  try {
    return outputs::write_report(dir);
  } catch (const std::exception& e) {
    throw std::runtime_error(e.what() + std::string(" (the results in ") + dir.string() +
                             " are complete; `rfsim report " + dir.string() +
                             "` writes the report again)");
  }
}

}  // namespace rfsim::app
