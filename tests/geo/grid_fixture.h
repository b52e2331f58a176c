// A synthetic country written through GDAL for the geo unit tests: a 3x3 grid of square
// districts (0.1 degree, south-west corner at 103E 13N) in two provinces, plus one
// two-part district away from the grid, village points and project tables.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "geo/geography.h"

namespace rfsim::geo::testing {

/// A lon/lat box.
struct Box {
  double west, south, east, north;
};

struct GridDistrict {
  std::string name;
  std::string province;    ///< as spelled in the ADM1 file
  std::vector<Box> parts;  ///< one box, or several for a MultiPolygon
};

class GridFixture {
 public:
  static constexpr double kWest = 103.0, kSouth = 13.0, kCell = 0.1;
  static Box cell(int row, int column);
  /// Centre of a grid cell (row 0 = south, column 0 = west), lon/lat.
  static std::pair<double, double> centre(int row, int column);

  /// Writes adm1.geojson, adm2.gpkg, villages.csv and tables/ into a fresh temporary folder.
  GridFixture();
  ~GridFixture();
  GridFixture(const GridFixture&) = delete;
  GridFixture& operator=(const GridFixture&) = delete;

  /// Inputs pointing at the fixture files, study province "Banteay Meanchey".
  GeoInputs inputs() const;
  std::filesystem::path file(const std::string& name) const { return dir_ / name; }

  /// Writes the districts as a polygon layer (fields `name_field` and shapeID "T-<index>")
  /// with a GDAL driver ("GPKG", "GeoJSON", "ESRI Shapefile"); returns the path.
  std::string write_districts(const std::string& file_name, const std::string& driver,
                              const std::string& name_field = "shapeName") const;
  /// Writes a layer of points with a shapeName field, to test geometry-type errors.
  std::string write_points(const std::string& file_name) const;
  void write_text(const std::string& file_name, const std::string& text) const;

  const std::vector<GridDistrict>& districts() const { return districts_; }

 private:
  std::filesystem::path dir_;
  std::vector<GridDistrict> districts_;
};

}  // namespace rfsim::geo::testing
