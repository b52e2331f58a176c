#include "geo/district_graph.h"

#include <ogr_api.h>

#include <algorithm>
#include <limits>
#include <memory>

namespace rfsim::geo {
namespace {

double length_m(const OGRGeometry& geometry) {
  return OGR_G_Length(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&geometry)));
}

bool envelopes_within(const OGREnvelope& a, const OGREnvelope& b, double distance) {
  return a.MinX <= b.MaxX + distance && b.MinX <= a.MaxX + distance &&
         a.MinY <= b.MaxY + distance && b.MinY <= a.MaxY + distance;
}

}  // namespace

Eigen::MatrixXi shared_border_adjacency(const PolygonIndex& districts, double tolerance_m,
                                        double min_shared_m) {
  const int n = districts.size();
  std::vector<std::unique_ptr<OGRGeometry>> boundaries, buffers;
  std::vector<OGREnvelope> envelopes(n);
  for (int i = 0; i < n; ++i) {
    const OGRMultiPolygon& polygon = districts.polygon(i);
    boundaries.emplace_back(polygon.Boundary());
    buffers.emplace_back(polygon.Buffer(tolerance_m, 8));
    polygon.getEnvelope(&envelopes[i]);
  }
  auto boundary_length_near = [&](int from, int to) {
    const std::unique_ptr<OGRGeometry> near(boundaries[from]->Intersection(buffers[to].get()));
    return near ? length_m(*near) : 0.0;
  };

  Eigen::MatrixXi adjacency = Eigen::MatrixXi::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (!envelopes_within(envelopes[i], envelopes[j], tolerance_m)) continue;
      if (districts.polygon(i).Distance(&districts.polygon(j)) > tolerance_m) continue;
      const double shared = std::max(boundary_length_near(i, j), boundary_length_near(j, i));
      if (shared >= min_shared_m) adjacency(i, j) = adjacency(j, i) = 1;
    }
  }
  return adjacency;
}

ShortestPaths all_shortest_paths(const Eigen::MatrixXd& edge_km) {
  const int n = static_cast<int>(edge_km.rows());
  ShortestPaths paths{edge_km, Eigen::MatrixXi::Constant(n, n, -1)};
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i == j) {
        paths.km(i, j) = 0;
        paths.next_hop(i, j) = i;
      } else if (edge_km(i, j) < std::numeric_limits<double>::infinity()) {
        paths.next_hop(i, j) = j;
      }
    }
  }
  for (int k = 0; k < n; ++k) {
    for (int i = 0; i < n; ++i) {
      const double via_k = paths.km(i, k);
      if (i == k || via_k == std::numeric_limits<double>::infinity()) continue;
      for (int j = 0; j < n; ++j) {
        if (via_k + paths.km(k, j) < paths.km(i, j)) {
          paths.km(i, j) = via_k + paths.km(k, j);
          paths.next_hop(i, j) = paths.next_hop(i, k);
        }
      }
    }
  }
  return paths;
}

}  // namespace rfsim::geo
