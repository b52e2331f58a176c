// districts.gpkg: a run's indicators as a GeoPackage for QGIS and other GIS (GDAL's GPKG
// driver). Layers, all in EPSG:32648:
//   districts     polygons of the districts a report shows, one field per indicator
//                 (indicators.h) plus code, name, province, population, area, study_area;
//   facilities    points: beds, peak occupancy and its date, days over capacity, ...;
//   entry_points  points: arrivals, share, infected arrivals, busiest day;
//   weekly        a table (no geometry): each study district's social-worker figures and
//                 flows, week by week;
//   layer_styles  the QGIS styles table: districts open as a choropleth of peak returnees
//                 per 1,000 residents (one more style per indicator to choose from),
//                 facilities as squares, entry points as triangles.
#pragma once

#include <filesystem>

#include "outputs/boundaries.h"
#include "outputs/indicators.h"

namespace rfsim::outputs {

/// The layer names, in the order they are written.
inline constexpr const char* kGpkgLayers[] = {"districts", "facilities", "entry_points", "weekly",
                                              "layer_styles"};

/// Writes the GeoPackage at `path` (which must not exist). Throws OutputError naming the
/// path on failure, and then removes what it wrote.
void write_geopackage(const std::filesystem::path& path, const Results& results,
                      const RunFacts& facts, const Boundaries& boundaries);

}  // namespace rfsim::outputs
