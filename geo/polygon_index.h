// Point-in-polygon lookup over a list of multipolygons: an envelope prefilter, then GDAL's
// ring tests. Read-only after construction, so find() is safe from several threads.
#pragma once

#include <ogr_geometry.h>

#include <memory>
#include <vector>

namespace rfsim::geo {

class PolygonIndex {
 public:
  explicit PolygonIndex(std::vector<std::unique_ptr<OGRMultiPolygon>> polygons);

  /// Index of the first polygon containing (x, y) (inside its outer ring and outside its
  /// holes), -1 if none.
  int find(double x, double y) const;
  int size() const { return static_cast<int>(polygons_.size()); }
  const OGRMultiPolygon& polygon(int index) const { return *polygons_.at(index); }

 private:
  std::vector<std::unique_ptr<OGRMultiPolygon>> polygons_;
  std::vector<OGREnvelope> envelopes_;
};

}  // namespace rfsim::geo
