#include "grid_fixture.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <unistd.h>
#include <atomic>
#include <fstream>
#include <stdexcept>

namespace rfsim::geo::testing {
namespace {

struct LayerFeature {
  std::vector<std::string> field_values;
  std::vector<Box> parts;
};

OGRPolygon box_polygon(const Box& box) {
  OGRLinearRing ring;
  ring.addPoint(box.west, box.south);
  ring.addPoint(box.east, box.south);
  ring.addPoint(box.east, box.north);
  ring.addPoint(box.west, box.north);
  ring.closeRings();
  OGRPolygon polygon;
  polygon.addRing(&ring);
  return polygon;
}

void write_layer(const std::string& path, const std::string& driver_name, OGRwkbGeometryType type,
                 const std::vector<std::string>& field_names,
                 const std::vector<LayerFeature>& features) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  if (driver == nullptr) throw std::runtime_error("fixture: no GDAL driver " + driver_name);
  GDALDatasetUniquePtr dataset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!dataset) throw std::runtime_error("fixture: cannot create " + path);
  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRLayer* layer = dataset->CreateLayer("layer", &wgs84, type, nullptr);
  for (const std::string& name : field_names) {
    OGRFieldDefn field(name.c_str(), OFTString);
    layer->CreateField(&field);
  }
  for (const LayerFeature& source : features) {
    OGRFeature feature(layer->GetLayerDefn());
    for (std::size_t i = 0; i < field_names.size(); ++i) {
      feature.SetField(field_names[i].c_str(), source.field_values[i].c_str());
    }
    if (type == wkbPoint) {
      OGRPoint point((source.parts[0].west + source.parts[0].east) / 2,
                     (source.parts[0].south + source.parts[0].north) / 2);
      feature.SetGeometry(&point);
    } else if (source.parts.size() == 1) {
      OGRPolygon polygon = box_polygon(source.parts[0]);
      feature.SetGeometry(&polygon);
    } else {
      OGRMultiPolygon multi;
      for (const Box& part : source.parts) {
        OGRPolygon polygon = box_polygon(part);
        multi.addGeometry(&polygon);
      }
      feature.SetGeometry(&multi);
    }
    if (layer->CreateFeature(&feature) != OGRERR_NONE) {
      throw std::runtime_error("fixture: cannot write a feature to " + path);
    }
  }
}

}  // namespace

Box GridFixture::cell(int row, int column) {
  return {kWest + column * kCell, kSouth + row * kCell, kWest + (column + 1) * kCell,
          kSouth + (row + 1) * kCell};
}

std::pair<double, double> GridFixture::centre(int row, int column) {
  return {kWest + (column + 0.5) * kCell, kSouth + (row + 0.5) * kCell};
}

GridFixture::GridFixture() {
  static std::atomic<int> counter{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("rfsim-geo-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_ / "tables");

  // Columns 0-1 are "Bantey Meanchey", column 2 "Ratanakiri Province" (spellings of the
  // real ADM1 file). "Twin" is a name used in both provinces.
  const std::string west = "Bantey Meanchey", east = "Ratanakiri Province";
  const char* names[3][3] = {
      {"D00", "D01", "D02"}, {"D10", "Twin", "Ban Lung"}, {"D20", "D21", "Twin"}};
  for (int row = 0; row < 3; ++row) {
    for (int column = 0; column < 3; ++column) {
      districts_.push_back({names[row][column], column < 2 ? west : east, {cell(row, column)}});
    }
  }
  // "Split": two squares east of the grid whose centroid falls in the gap between them,
  // which belongs to the western province; its point on surface is in the eastern one.
  const Box split_south{103.5, 13.0, 103.6, 13.1}, gap{103.5, 13.1, 103.6, 13.2},
      split_north{103.5, 13.2, 103.6, 13.3};
  districts_.push_back({"Split", east, {split_south, split_north}});

  write_layer(file("adm1.geojson").string(), "GeoJSON", wkbUnknown, {"shapeName"},
              {{{west}, {{kWest, kSouth, kWest + 2 * kCell, kSouth + 3 * kCell}, gap}},
               {{east},
                {{kWest + 2 * kCell, kSouth, kWest + 3 * kCell, kSouth + 3 * kCell},
                 split_south,
                 split_north}}});
  write_districts("adm2.gpkg", "GPKG");

  // Village points (lon, lat, population); one lies outside every district.
  const auto [d02_lon, d02_lat] = centre(0, 2);
  const auto [ban_lung_lon, ban_lung_lat] = centre(1, 2);
  const auto [d00_lon, d00_lat] = centre(0, 0);
  write_text("villages.csv", "X,Y,VILL_CODE,VILL_NAME,TOTPOP\n" + std::to_string(d02_lon) + "," +
                                 std::to_string(d02_lat) + ",\"16000101\",A,\"100\"\n" +
                                 std::to_string(d02_lon + 0.01) + "," + std::to_string(d02_lat) +
                                 ",\"16000102\",\"B, east\",50\n" + std::to_string(ban_lung_lon) +
                                 "," + std::to_string(ban_lung_lat) + ",\"16020101\",C,10\n" +
                                 "103.55,13.05,\"16000201\",D,5\n" + std::to_string(d00_lon) + "," +
                                 std::to_string(d00_lat) + ",\"01000101\",E,77\n" +
                                 "104.5,13.5,\"16000301\",Outside,999\n");

  // Study districts: the six western ones, 1000..6000 people in 2008 (21000 in total),
  // scaled to 42000 in 2019 (factor 2). Elsewhere: villages x 3, the growth of the rest of
  // the country ((45000 - 42000) / (22000 - 21000)).
  std::string study = "ncdd_code,name,shapeID,province,pop2008,source\n";
  int index = 0, population = 1000;
  for (const GridDistrict& district : districts_) {
    if (district.province == west) {
      study += "01" + std::to_string(10 + index) + "," + district.name + ",T-" +
               std::to_string(index) + ",Banteay Meanchey," + std::to_string(population) +
               ",fixture\n";
      population += 1000;
    }
    ++index;
  }
  write_text("tables/census2008_study_districts.csv", study);
  write_text("tables/census2008_districts.csv",
             "ncdd_code,name,pop2008,source\n1601,Andoung Meas,1,fixture\n"
             "1602,Krong Ban Lung,2,fixture\n0102,Ban Lung,3,fixture\n");
  write_text("tables/population_totals.csv",
             "area,year,population,source\nBanteay Meanchey,2019,42000,fixture\n"
             "Cambodia,2019,45000,fixture\nCambodia,2008,22000,fixture\n");
  write_text("tables/provinces.csv",
             "province,census2008_code,source\nBanteay Meanchey,01,fixture\n"
             "Ratanakiri,16,fixture\n");
}

GridFixture::~GridFixture() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

GeoInputs GridFixture::inputs() const {
  GeoInputs inputs;
  inputs.adm1_path = file("adm1.geojson").string();
  inputs.adm2_path = file("adm2.gpkg").string();
  inputs.villages_csv = file("villages.csv").string();
  inputs.study_provinces = {"Banteay Meanchey"};
  inputs.tables_dir = file("tables").string();
  return inputs;
}

std::string GridFixture::write_districts(const std::string& file_name, const std::string& driver,
                                         const std::string& name_field) const {
  std::vector<LayerFeature> features;
  for (std::size_t i = 0; i < districts_.size(); ++i) {
    features.push_back({{districts_[i].name, "T-" + std::to_string(i)}, districts_[i].parts});
  }
  const std::string path = file(file_name).string();
  write_layer(path, driver, wkbUnknown, {name_field, "shapeID"}, features);
  return path;
}

std::string GridFixture::write_points(const std::string& file_name) const {
  const std::string path = file(file_name).string();
  write_layer(path, "GeoJSON", wkbPoint, {"shapeName", "shapeID"},
              {{{"A", "T-0"}, {cell(0, 0)}}, {{"B", "T-1"}, {cell(0, 1)}}});
  return path;
}

void GridFixture::write_text(const std::string& file_name, const std::string& text) const {
  std::ofstream(file(file_name), std::ios::binary) << text;
}

}  // namespace rfsim::geo::testing
