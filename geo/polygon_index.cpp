#include "geo/polygon_index.h"

namespace rfsim::geo {

PolygonIndex::PolygonIndex(std::vector<std::unique_ptr<OGRMultiPolygon>> polygons)
    : polygons_(std::move(polygons)) {
  envelopes_.resize(polygons_.size());
  for (std::size_t i = 0; i < polygons_.size(); ++i) polygons_[i]->getEnvelope(&envelopes_[i]);
}

int PolygonIndex::find(double x, double y) const {
  const OGRPoint point(x, y);
  for (std::size_t i = 0; i < polygons_.size(); ++i) {
    const OGREnvelope& envelope = envelopes_[i];
    if (x < envelope.MinX || x > envelope.MaxX || y < envelope.MinY || y > envelope.MaxY) {
      continue;
    }
    for (const OGRPolygon* part : *polygons_[i]) {
      if (part->IsPointOnSurface(&point)) return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace rfsim::geo
