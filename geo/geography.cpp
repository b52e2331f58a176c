#include "geo/geography.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include <ogr_api.h>

#include "geo/census_tables.h"
#include "geo/district_graph.h"
#include "geo/polygon_index.h"
#include "geo/polygon_layer.h"
#include "geo/sha256.h"

namespace rfsim::geo {
namespace {

constexpr double kSquareMetresPerKm2 = 1e6;
constexpr double kMetresPerKm = 1e3;

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::vector<std::unique_ptr<OGRMultiPolygon>> take_geometries(PolygonLayer& layer) {
  std::vector<std::unique_ptr<OGRMultiPolygon>> geometries;
  for (PolygonFeature& feature : layer.features) geometries.push_back(std::move(feature.geometry));
  return geometries;
}

std::string wkb_of(const OGRMultiPolygon& geometry) {
  std::string bytes(geometry.WkbSize(), '\0');
  geometry.exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(bytes.data()), wkbVariantIso);
  return bytes;
}

std::set<std::string> checked_study_provinces(const GeoInputs& inputs,
                                              const std::vector<std::string>& provinces) {
  std::set<std::string> study;
  for (const std::string& name : inputs.study_provinces) {
    const std::string province = canonical_province(name);
    if (std::find(provinces.begin(), provinces.end(), province) == provinces.end()) {
      std::vector<std::string> valid = provinces;
      std::sort(valid.begin(), valid.end());
      throw GeoError("geo: unknown study province '" + name + "' (provinces in " +
                     inputs.adm1_path + ": " + joined(valid) + ")");
    }
    study.insert(province);
  }
  return study;
}

/// Each district's index by its shapeID.
std::map<std::string, int> district_of_shape_id(const Geography& geography) {
  std::map<std::string, int> index;
  for (int i = 0; i < geography.size(); ++i) index[geography.districts[i].shape_id] = i;
  return index;
}

// Study-table districts: 2008 census x (2019 / 2008 total of their province). Others: 2008
// village points inside x (2019 / 2008 total of the rest of Cambodia), code matched by name.
void assign_population_and_codes(Geography& geography, const CensusTables& tables,
                                 const std::vector<double>& village_population,
                                 const std::string& adm2_path) {
  const std::map<std::string, int> index_of_shape_id = district_of_shape_id(geography);

  std::map<std::string, double> province_population_2008;
  for (const StudyDistrictCensus& row : tables.study_districts) {
    province_population_2008[row.province] += row.population_2008;
  }
  std::vector<bool> from_census(geography.size(), false);
  for (const StudyDistrictCensus& row : tables.study_districts) {
    const auto found = index_of_shape_id.find(row.shape_id);
    if (found == index_of_shape_id.end()) {
      throw GeoError(row.where + ": shapeID " + row.shape_id + " (" + row.name +
                     ") is not a district of " + adm2_path);
    }
    District& district = geography.districts[found->second];
    if (from_census[found->second]) throw GeoError(row.where + ": shapeID listed twice");
    if (district.name != row.name) {
      throw GeoError(row.where + ": name '" + row.name + "' but shapeID " + row.shape_id + " is '" +
                     district.name + "' in " + adm2_path);
    }
    if (district.province != row.province) {
      throw GeoError(row.where + ": province '" + row.province + "' but " + district.name +
                     " lies in " + district.province + " by the boundaries");
    }
    const auto total_2019 = tables.population_2019.find(row.province);
    if (total_2019 == tables.population_2019.end()) {
      throw GeoError(row.where + ": no 2019 total for " + row.province +
                     " in population_totals.csv");
    }
    district.population =
        row.population_2008 * total_2019->second / province_population_2008[row.province];
    district.code = row.code;
    from_census[found->second] = true;
  }
  // The study provinces grew more slowly than the country: scaling the rest by the
  // national factor would lose ~1% of Cambodia, so the rest gets its own factor.
  double study_2008 = 0, study_2019 = 0;
  for (const auto& [province, population_2008] : province_population_2008) {
    study_2008 += population_2008;
    study_2019 += tables.population_2019.at(province);
  }
  const double rest_2008 = tables.cambodia_population_2008 - study_2008;
  const double rest_2019 = tables.population_2019.at("Cambodia") - study_2019;
  if (rest_2008 <= 0 || rest_2019 < 0) {
    throw GeoError(
        "geo: population_totals.csv: the Cambodia totals must exceed those of the "
        "study-table provinces");
  }
  const double rest_of_country_factor = rest_2019 / rest_2008;
  for (int i = 0; i < geography.size(); ++i) {
    if (from_census[i]) continue;
    District& district = geography.districts[i];
    district.population = village_population[i] * rest_of_country_factor;
    district.code = census_district_code(tables, district.province, district.name);
  }
}

// The districts' boundaries in degrees, read again without reprojection, matched by shapeID.
void add_lonlat_boundaries(Geography& geography, const std::string& adm2_path) {
  const std::map<std::string, int> index_of_shape_id = district_of_shape_id(geography);
  PolygonLayer layer = read_polygon_layer(adm2_path, {"shapeID"}, kWgs84Epsg);
  for (PolygonFeature& feature : layer.features) {
    const auto found = index_of_shape_id.find(feature.fields[0]);
    if (found == index_of_shape_id.end())
      throw GeoError("geo: " + adm2_path + ": shapeID " + feature.fields[0] +
                     " changed between two reads of the file");
    geography.districts[found->second].lonlat_boundary_wkb = wkb_of(*feature.geometry);
  }
}

void add_checksums(Geography& geography, const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    geography.input_checksums.emplace_back(file, sha256_hex_of_file(file));
  }
}

}  // namespace

std::string canonical_province(const std::string& name) {
  static const std::map<std::string, std::string> kVariantSpellings = {
      {"Bantey Meanchey", "Banteay Meanchey"},
      {"Otdar Meanchey", "Oddar Meanchey"},
      {"Mondul Kiri", "Mondulkiri"},
      {"Ratanak Kiri", "Ratanakiri"},
      {"Siemreap", "Siem Reap"},
      {"Tboung Khmum", "Tbong Khmum"}};
  std::string base = name;
  if (base.ends_with(" Province")) base.erase(base.size() - std::string(" Province").size());
  const auto variant = kVariantSpellings.find(base);
  return variant == kVariantSpellings.end() ? base : variant->second;
}

Geography build_geography(const GeoInputs& inputs) {
  if (!(inputs.border_tolerance_m >= 0) || !(inputs.min_shared_border_m >= 0)) {
    throw GeoError("geo: border_tolerance_m and min_shared_border_m must be >= 0 metres");
  }
  PolygonLayer province_layer =
      read_polygon_layer(inputs.adm1_path, {"shapeName"}, kUtmZone48NEpsg);
  std::vector<std::string> province_names;
  for (const PolygonFeature& feature : province_layer.features) {
    province_names.push_back(canonical_province(feature.fields[0]));
  }
  const PolygonIndex provinces(take_geometries(province_layer));
  const std::set<std::string> study = checked_study_provinces(inputs, province_names);

  PolygonLayer district_layer =
      read_polygon_layer(inputs.adm2_path, {"shapeName", "shapeID"}, kUtmZone48NEpsg);
  Geography geography;
  std::set<std::string> shape_ids;
  for (const PolygonFeature& feature : district_layer.features) {
    District district;
    district.name = feature.fields[0];
    district.shape_id = feature.fields[1];
    const std::string which = "geo: " + inputs.adm2_path + ": district " + district.name +
                              " (shapeID " + district.shape_id + ")";
    if (!shape_ids.insert(district.shape_id).second) throw GeoError(which + ": shapeID repeated");
    district.area_km2 = feature.geometry->get_Area() / kSquareMetresPerKm2;
    const std::unique_ptr<OGRGeometry> surface_point(OGRGeometry::FromHandle(
        OGR_G_PointOnSurface(OGRGeometry::ToHandle(feature.geometry.get()))));
    if (!surface_point || wkbFlatten(surface_point->getGeometryType()) != wkbPoint) {
      throw GeoError(which + ": GDAL finds no point on its surface (invalid polygon?)");
    }
    district.x = surface_point->toPoint()->getX();
    district.y = surface_point->toPoint()->getY();
    const int province = provinces.find(district.x, district.y);
    if (province < 0) {
      throw GeoError(which + ": its surface point lies in no province of " + inputs.adm1_path);
    }
    district.province = province_names[province];
    district.study_area = study.contains(district.province);
    district.boundary_wkb = wkb_of(*feature.geometry);
    geography.districts.push_back(std::move(district));
  }
  const PolygonIndex districts(take_geometries(district_layer));
  add_lonlat_boundaries(geography, inputs.adm2_path);

  const CensusTables tables =
      read_census_tables(inputs.tables_dir.empty() ? RFSIM_TABLES_DIR : inputs.tables_dir);
  const VillageTotals villages = village_totals(inputs.villages_csv, districts);
  assign_population_and_codes(geography, tables, villages.population_2008, inputs.adm2_path);
  for (int i = 0; i < geography.size(); ++i) geography.districts[i].communes = villages.communes[i];

  const int n = geography.size();
  geography.adjacency =
      shared_border_adjacency(districts, inputs.border_tolerance_m, inputs.min_shared_border_m);
  geography.edge_km = Eigen::MatrixXd::Constant(n, n, std::numeric_limits<double>::infinity());
  for (int i = 0; i < n; ++i) {
    geography.edge_km(i, i) = 0;
    for (int j = 0; j < n; ++j) {
      if (geography.adjacency(i, j) == 0) continue;
      const District& a = geography.districts[i];
      const District& b = geography.districts[j];
      geography.edge_km(i, j) = std::hypot(a.x - b.x, a.y - b.y) / kMetresPerKm;
    }
  }
  ShortestPaths paths = all_shortest_paths(geography.edge_km);
  geography.path_km = std::move(paths.km);
  geography.next_hop = std::move(paths.next_hop);

  add_checksums(geography, province_layer.files);
  add_checksums(geography, district_layer.files);
  add_checksums(geography, {inputs.villages_csv});
  add_checksums(geography, tables.files);
  return geography;
}

int Geography::find(const std::string& name) const {
  auto unique_match = [this](auto&& matches) {
    int found = -1;
    for (int i = 0; i < size(); ++i) {
      if (!matches(districts[i])) continue;
      if (found >= 0) return -1;
      found = i;
    }
    return found;
  };
  bool exists = false;
  for (const District& district : districts) exists = exists || district.name == name;
  if (exists) return unique_match([&](const District& d) { return d.name == name; });

  const std::size_t open = name.rfind(" (");
  if (open == std::string::npos || !name.ends_with(')')) return -1;
  const std::string base = name.substr(0, open);
  const std::string province = canonical_province(name.substr(open + 2, name.size() - open - 3));
  return unique_match([&](const District& d) { return d.name == base && d.province == province; });
}

std::pair<double, double> Geography::lonlat(int index) const {
  double x = districts.at(index).x, y = districts.at(index).y;
  if (!transformation_to_wgs84(kUtmZone48NEpsg)->Transform(1, &x, &y))
    throw GeoError("geo: cannot transform the point of " + display_name(index) + " to WGS84");
  return {x, y};
}

double Geography::travel_km(int from, double x0, double y0, int to, double x1,
                            double y1) const {
  auto near = [&](int d) {
    std::vector<int> out{d};
    for (int j = 0; j < size(); ++j)
      if (adjacency(d, j)) out.push_back(j);
    return out;
  };
  // Two points of one district: straight from one to the other.
  double best = from == to ? std::hypot(x1 - x0, y1 - y0) / kMetresPerKm
                           : std::numeric_limits<double>::infinity();
  for (int j : near(from)) {
    const double first =
        std::hypot(x0 - districts[j].x, y0 - districts[j].y) / kMetresPerKm;
    for (int k : near(to)) {
      const double last = std::hypot(x1 - districts[k].x, y1 - districts[k].y) / kMetresPerKm;
      best = std::min(best, first + path_km(j, k) + last);
    }
  }
  return best;
}

std::pair<double, double> to_metres(double lon, double lat) {
  double x = lon, y = lat;
  if (!transformation_from_wgs84(kUtmZone48NEpsg)->Transform(1, &x, &y))
    throw GeoError("geo: cannot project (" + std::to_string(lon) + ", " + std::to_string(lat) +
                   ") to EPSG:32648");
  return {x, y};
}

std::string Geography::display_name(int index) const {
  const District& district = districts.at(index);
  const auto namesakes = std::count_if(districts.begin(), districts.end(),
                                       [&](const District& d) { return d.name == district.name; });
  return namesakes > 1 ? district.name + " (" + district.province + ")" : district.name;
}

std::vector<int> Geography::study_indices() const {
  std::vector<int> indices;
  for (int i = 0; i < size(); ++i) {
    if (districts[i].study_area) indices.push_back(i);
  }
  return indices;
}

std::vector<int> Geography::path(int from, int to) const {
  if (from < 0 || from >= size() || to < 0 || to >= size()) {
    throw std::out_of_range("Geography::path: district index out of range");
  }
  if (next_hop(from, to) < 0) return {};
  std::vector<int> districts_on_path{from};
  for (int at = from; at != to;) {
    at = next_hop(at, to);
    districts_on_path.push_back(at);
  }
  return districts_on_path;
}

struct Locator::Impl {
  PolygonIndex polygons;  ///< polygon i is district i's
};

Locator::Locator(const Geography& geography) : impl_(nullptr) {
  std::vector<std::unique_ptr<OGRMultiPolygon>> polygons;
  for (int i = 0; i < geography.size(); ++i) {
    const std::string& wkb = geography.districts[i].lonlat_boundary_wkb;
    OGRGeometry* read = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &read, wkb.size()) !=
            OGRERR_NONE ||
        !read) {
      delete read;
      throw GeoError("geo: the boundary in degrees of " + geography.display_name(i) +
                     " is not well-known binary");
    }
    std::unique_ptr<OGRGeometry> geometry(read);
    if (wkbFlatten(geometry->getGeometryType()) != wkbMultiPolygon)
      throw GeoError("geo: the boundary in degrees of " + geography.display_name(i) +
                     " is not a multipolygon");
    polygons.emplace_back(geometry.release()->toMultiPolygon());
  }
  impl_ = new Impl{PolygonIndex(std::move(polygons))};
}

Locator::~Locator() {
  delete impl_;
}

int Locator::locate(double lon, double lat) const {
  return impl_->polygons.find(lon, lat);
}

}  // namespace rfsim::geo
