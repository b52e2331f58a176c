// The district boundaries stored in results.h5 (WKB, EPSG:32648), made ready for the
// report's formats: OGR geometries for the GeoPackage, rings for the drawn maps, province
// outlines as unions of their districts, and simplified GeoJSON in WGS84 (lon/lat) for the
// briefing's web map.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "outputs/map_drawing.h"
#include "outputs/reader.h"

class OGRMultiPolygon;

namespace rfsim::outputs {

class Boundaries {
 public:
  /// Decodes every district's boundary. Throws OutputError naming the file when it holds
  /// none (written before schema 2.4: rerun the scenario) or a boundary does not decode.
  explicit Boundaries(const Results& results);
  ~Boundaries();
  Boundaries(const Boundaries&) = delete;
  Boundaries& operator=(const Boundaries&) = delete;

  int size() const { return static_cast<int>(districts_.size()); }
  /// District i's MultiPolygon (EPSG:32648).
  const OGRMultiPolygon& district(int i) const { return *districts_.at(i); }
  /// District i's rings (outer boundaries and holes alike), for draw_map, simplified to
  /// kDrawingToleranceM: far below a pixel at the scale of a map of the study area, and
  /// several times fewer points to draw and to inline as SVG.
  const std::vector<Ring>& rings(int i) const;
  static constexpr double kDrawingToleranceM = 200;
  /// The outline of the union of `districts` (gaps of up to ~200 m between simplified
  /// boundaries closed), as rings; computed once per set of districts.
  const std::vector<Ring>& outline(const std::vector<int>& districts) const;
  /// Province outlines of the provinces of `districts`: each the union of all its districts.
  std::vector<MapOutline> province_outlines(const Results& results,
                                            std::span<const int> districts) const;
  /// The districts whose bounding box meets the box of `districts` grown by `margin_m`, but
  /// for `districts` themselves: the grey context around a map.
  std::vector<int> neighbours(std::span<const int> districts, double margin_m) const;
  /// The rings of the neighbours() of `districts`, cut to that box: what a map draws grey
  /// around its districts.
  std::vector<std::vector<Ring>> context_rings(std::span<const int> districts,
                                               double margin_m) const;
  /// A GeoJSON geometry (MultiPolygon, lon/lat with 5 decimals) of district i, simplified
  /// to `tolerance_m` (topology of the district kept).
  std::string geojson_wgs84(int i, double tolerance_m) const;

 private:
  std::vector<std::unique_ptr<OGRMultiPolygon>> districts_;
  mutable std::map<std::vector<int>, std::vector<Ring>> outlines_;
  mutable std::map<int, std::vector<Ring>> rings_;
};

}  // namespace rfsim::outputs
