// The district graph: which districts share a border (from their projected polygons) and
// all-pairs shortest paths over the resulting weighted graph.
#pragma once

#include <Eigen/Core>

#include "geo/polygon_index.h"

namespace rfsim::geo {

/// adjacency(i,j) = 1 when at least min_shared_m metres of one district's boundary lie
/// within tolerance_m of the other (see GeoInputs), else 0; 0 on the diagonal.
Eigen::MatrixXi shared_border_adjacency(const PolygonIndex& districts, double tolerance_m,
                                        double min_shared_m);

struct ShortestPaths {
  Eigen::MatrixXd km;        ///< +inf where unreachable
  Eigen::MatrixXi next_hop;  ///< as Geography::next_hop
};

/// Floyd-Warshall over edge lengths (+inf = no edge). Ties keep the first path found, so
/// the result depends only on the input.
ShortestPaths all_shortest_paths(const Eigen::MatrixXd& edge_km);

}  // namespace rfsim::geo
