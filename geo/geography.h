// The spatial layer of rfsim: the districts of Cambodia (ADM2) with their province,
// population and area, the district graph (shared borders, travel distances, shortest
// paths) and point placement. Everything the simulation knows about space is here.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <string>
#include <vector>

namespace rfsim::geo {

/// One ADM2 district. Coordinates are in the metric CRS (UTM 48N, EPSG:32648), metres.
struct District {
  std::string name;       ///< geoBoundaries shapeName, e.g. "Paoy Paet"
  std::string shape_id;   ///< geoBoundaries shapeID
  std::string code;       ///< NCDD district code ("0110"), empty where no census match
  std::string province;   ///< canonical province name, e.g. "Banteay Meanchey"
  double area_km2 = 0;
  double population = 0;  ///< 2019 estimate: 2008 census scaled to 2019 province totals
  double x = 0, y = 0;    ///< a point on the surface (inside the polygon), metres
  bool study_area = false;
};

/// Districts plus the graph between them. Indices into `districts` are the district ids
/// used everywhere else (agents, series columns).
struct Geography {
  std::vector<District> districts;
  /// adjacency(i,j) = 1 when districts i and j share a border (touch or overlap), else 0.
  Eigen::MatrixXi adjacency;
  /// Road-like travel distance in km between adjacent districts (straight line between
  /// their surface points); 0 on the diagonal and +inf where not adjacent.
  Eigen::MatrixXd edge_km;
  /// Shortest-path distance in km over the adjacency graph between any two districts
  /// (+inf if unreachable).
  Eigen::MatrixXd path_km;
  /// next_hop(i,j) = the district after i on a shortest path from i to j (j if adjacent,
  /// i if i==j, -1 if unreachable).
  Eigen::MatrixXi next_hop;
  /// SHA-256 of every input file read, as (path, hex digest), for provenance.
  std::vector<std::pair<std::string, std::string>> input_checksums;

  int size() const { return static_cast<int>(districts.size()); }
  /// Index of the district with this shapeName (or "Name (Province)" when the name is
  /// not unique); -1 if none.
  int find(const std::string& name) const;
  /// Indices of districts in the study area, ascending.
  std::vector<int> study_indices() const;
  /// The districts on a shortest path from `from` to `to`, both included.
  std::vector<int> path(int from, int to) const;
};

/// Where the inputs are. Paths may be any vector format GDAL reads.
struct GeoInputs {
  std::string adm1_path;     ///< provinces, field shapeName
  std::string adm2_path;     ///< districts, fields shapeName, shapeID
  std::string villages_csv;  ///< NIS 2008 village points (X,Y,VILL_CODE,VILL_NAME,TOTPOP)
  std::vector<std::string> study_provinces;  ///< canonical names
};

/// Reads boundaries and population, projects to EPSG:32648, joins districts to provinces
/// (by a point on surface), derives adjacency and shortest paths. Throws GeoError naming
/// the file and what was expected on any bad input.
Geography build_geography(const GeoInputs& inputs);

/// Finds the district containing a WGS84 point (lon, lat in degrees) with GDAL
/// point-in-polygon on the district polygons kept by a Locator.
class Locator {
 public:
  explicit Locator(const std::string& adm2_path, const Geography& geography);
  ~Locator();
  Locator(const Locator&) = delete;
  Locator& operator=(const Locator&) = delete;
  /// District index, or -1 if the point lies in no district.
  int locate(double lon, double lat) const;

 private:
  struct Impl;
  Impl* impl_;
};

/// Canonical province name for a spelling found in the data ("Bantey Meanchey" ->
/// "Banteay Meanchey", "Ratanakiri Province" -> "Ratanakiri"); unknown names unchanged.
std::string canonical_province(const std::string& name);

/// Any error in geographic input: names the file and what was expected.
struct GeoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace rfsim::geo
