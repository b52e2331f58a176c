// The spatial layer of rfsim: the districts of Cambodia (ADM2) with their province,
// population and area, the district graph (shared borders, travel distances, shortest
// paths) and point placement. Everything the simulation knows about space is here.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rfsim::geo {

/// One ADM2 district. Coordinates are in the metric CRS (UTM 48N, EPSG:32648), metres.
struct District {
  std::string name;      ///< geoBoundaries shapeName, e.g. "Paoy Paet"
  std::string shape_id;  ///< geoBoundaries shapeID
  std::string code;      ///< NCDD district code ("0110"), empty where no census match
  std::string province;  ///< canonical province name, e.g. "Banteay Meanchey"
  double area_km2 = 0;
  double population = 0;  ///< 2019 estimate: 2008 census scaled (see build_geography)
  double x = 0, y = 0;    ///< a point on the surface (inside the polygon), metres
  bool study_area = false;
  int communes = 0;  ///< communes with a village point inside the district (NIS village codes)
  /// The district's boundary as read (a MultiPolygon in EPSG:32648, metres) in OGC
  /// well-known binary, little-endian: what maps of the results are drawn from.
  std::string boundary_wkb;
  /// The same boundary in WGS84 (x = longitude, y = latitude, degrees) as read, in the same
  /// encoding: where points given in degrees are placed (Locator).
  std::string lonlat_boundary_wkb;
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
  /// Index of the district with this shapeName, or -1 if none. A name shared by several
  /// districts ("Samraong", in Takeo and Oddar Meanchey) is ambiguous and gives -1: name
  /// those as "Name (Province)", e.g. "Samraong (Oddar Meanchey)". The qualified form is
  /// accepted for every district.
  int find(const std::string& name) const;
  /// The name find() resolves back to this district: the shapeName, qualified with the
  /// province ("Samraong (Takeo)") when the shapeName is not unique.
  std::string display_name(int index) const;
  /// WGS84 (lon, lat) in degrees of the district's surface point (x, y).
  std::pair<double, double> lonlat(int index) const;
  /// Travel distance in km over the district graph between two points (metres, EPSG:32648)
  /// lying in districts `from` and `to`: straight from the first point to the surface
  /// point of its district or of a district next to it, the shortest path from there to
  /// the surface point of `to` or of a district next to it, then straight to the second
  /// point; the shortest such route (straight from point to point within one district).
  /// +inf when no path exists.
  double travel_km(int from, double x0, double y0, int to, double x1, double y1) const;
  /// Indices of districts in the study area, ascending.
  std::vector<int> study_indices() const;
  /// The districts on a shortest path from `from` to `to`, both included; {from} when
  /// from == to, empty when `to` is unreachable. Throws std::out_of_range on a bad index.
  std::vector<int> path(int from, int to) const;
};

/// Where the inputs are. Paths may be any vector format GDAL reads.
struct GeoInputs {
  std::string adm1_path;     ///< provinces, field shapeName
  std::string adm2_path;     ///< districts, fields shapeName, shapeID
  std::string villages_csv;  ///< NIS 2008 village points (X,Y,VILL_CODE,VILL_NAME,TOTPOP)
  /// Canonical province names (spellings canonical_province() knows are accepted too).
  std::vector<std::string> study_provinces = {"Banteay Meanchey", "Battambang", "Siem Reap"};
  /// Folder of the project tables (census figures, province codes); empty = the geo/tables
  /// folder of the source tree this library was built from.
  std::string tables_dir;
  /// Two districts share a border when a stretch of at least min_shared_border_m of one's
  /// boundary lies within border_tolerance_m of the other. The tolerance bridges the
  /// small gaps of simplified boundaries; the minimum length keeps districts that only
  /// meet at a corner apart (no road crosses a single point).
  double border_tolerance_m = 200;
  double min_shared_border_m = 500;
};

/// Reads boundaries and population, projects to EPSG:32648, joins districts to provinces
/// (by a point on surface), derives adjacency and shortest paths. Throws GeoError naming
/// the file and what was expected on any bad input.
///
/// Population (2019 estimate): districts listed in census2008_study_districts.csv get
/// their 2008 census figure times (2019 / 2008 total of their province); every other
/// district gets the sum of the 2008 village points inside it times (2019 / 2008 total
/// of the rest of Cambodia: Cambodia minus the provinces of that table). Villages that
/// fall in no district polygon are not counted.
Geography build_geography(const GeoInputs& inputs);

/// Finds the district containing a WGS84 point (lon, lat in degrees) with GDAL
/// point-in-polygon on the districts' boundaries in degrees (District::lonlat_boundary_wkb).
/// locate() only reads: it is safe to call from several threads at once.
class Locator {
 public:
  /// Throws GeoError if a boundary is not a multipolygon in well-known binary.
  explicit Locator(const Geography& geography);
  ~Locator();
  Locator(const Locator&) = delete;
  Locator& operator=(const Locator&) = delete;
  /// District index, or -1 if the point lies in no district.
  int locate(double lon, double lat) const;

 private:
  struct Impl;
  Impl* impl_;
};

/// A WGS84 (lon, lat) point in metres of EPSG:32648, the CRS of District::x, y.
std::pair<double, double> to_metres(double lon, double lat);

/// Canonical province name for a spelling found in the data ("Bantey Meanchey" ->
/// "Banteay Meanchey", "Ratanakiri Province" -> "Ratanakiri"); unknown names unchanged.
std::string canonical_province(const std::string& name);

/// Any error in geographic input: names the file and what was expected.
struct GeoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace rfsim::geo
