// The sample figures of the drawing unit: a map of the three study provinces built with
// GDAL from the real boundaries (made-up indicator, real facility districts and
// checkpoints) and one chart of each kind on made-up but plausible series of the default
// scenario (60,000 returnees in three weeks from 5 Jan 2026, 70 % through Poipet). Used
// by the tests, which write them to build/drawing-samples/ for people to look at.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "outputs/chart_drawing.h"
#include "outputs/map_drawing.h"

namespace rfsim::samples {

/// Returnees per 1,000 residents (made up) in the districts of Banteay Meanchey,
/// Battambang and Siem Reap, from the boundaries in `data_dir`; one district without data.
outputs::MapSpec three_province_map(const std::filesystem::path& data_dir);

/// One sample figure: its name (file stem), its drawing and its size in points.
struct Figure {
  std::string name;
  outputs::DrawFunction draw;
  outputs::Size size;
};

/// Every chart kind: stacked areas, occupancy against capacity, a fan chart, several
/// lines, bars (one group and two), small multiples.
std::vector<Figure> sample_charts();

}  // namespace rfsim::samples
