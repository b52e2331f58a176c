// Unit tests of build_geography and Locator on the synthetic grid of GridFixture.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <thread>

#include "geo/geography.h"
#include "geo/sha256.h"
#include "grid_fixture.h"

using Catch::Matchers::Contains;
using rfsim::geo::build_geography;
using rfsim::geo::GeoError;
using rfsim::geo::Geography;
using rfsim::geo::Locator;
using rfsim::geo::testing::GridFixture;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Index of a grid cell in the fixture's district order (row-major, then "Split").
int cell_index(int row, int column) {
  return row * 3 + column;
}
constexpr int kSplit = 9;

// Area of a lon/lat box on the authalic sphere, km2: independent of GDAL and UTM.
double spherical_box_area_km2(double south, double north, double width_degrees) {
  constexpr double kRadiusKm = 6371.0072;
  constexpr double kRadiansPerDegree = M_PI / 180;
  return kRadiusKm * kRadiusKm * width_degrees * kRadiansPerDegree *
         (std::sin(north * kRadiansPerDegree) - std::sin(south * kRadiansPerDegree));
}

}  // namespace

TEST_CASE("grid: districts keep the file order, names and shapeIDs", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  REQUIRE(geography.size() == 10);
  for (int i = 0; i < geography.size(); ++i) {
    CHECK(geography.districts[i].name == fixture.districts()[i].name);
    CHECK(geography.districts[i].shape_id == "T-" + std::to_string(i));
  }
}

TEST_CASE("grid: provinces are joined by point on surface and spelled canonically", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  for (int row = 0; row < 3; ++row) {
    CHECK(geography.districts[cell_index(row, 0)].province == "Banteay Meanchey");
    CHECK(geography.districts[cell_index(row, 1)].province == "Banteay Meanchey");
    CHECK(geography.districts[cell_index(row, 2)].province == "Ratanakiri");
  }
  // Split's centroid lies in the western province's gap square; its surface point does not.
  CHECK(geography.districts[kSplit].province == "Ratanakiri");
}

TEST_CASE("grid: areas are those of the projected squares", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  for (int row = 0; row < 3; ++row) {
    const double south = GridFixture::kSouth + row * GridFixture::kCell;
    const double expected = spherical_box_area_km2(south, south + GridFixture::kCell, 0.1);
    for (int column = 0; column < 3; ++column) {
      CHECK(geography.districts[cell_index(row, column)].area_km2 ==
            Approx(expected).epsilon(0.01));
    }
  }
  CHECK(geography.districts[kSplit].area_km2 ==
        Approx(spherical_box_area_km2(13.0, 13.1, 0.1) + spherical_box_area_km2(13.2, 13.3, 0.1))
            .epsilon(0.01));
}

TEST_CASE("grid: adjacency is 4-neighbour and a shared corner is not a border", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  for (int a = 0; a < 9; ++a) {
    for (int b = 0; b < 9; ++b) {
      const int row_gap = std::abs(a / 3 - b / 3), column_gap = std::abs(a % 3 - b % 3);
      INFO(geography.districts[a].name << " - " << geography.districts[b].name);
      CHECK(geography.adjacency(a, b) == (row_gap + column_gap == 1 ? 1 : 0));
    }
    CHECK(geography.adjacency(a, kSplit) == 0);
  }
  CHECK(geography.adjacency.transpose() == geography.adjacency);
}

TEST_CASE("grid: edge lengths join the square centres", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  const auto& centre_district = geography.districts[cell_index(1, 1)];
  const auto& east_district = geography.districts[cell_index(1, 2)];
  // One cell is 0.1 degree: about 10.8 km east-west and 11.1 km north-south at 13N.
  const double east_west = geography.edge_km(cell_index(1, 1), cell_index(1, 2));
  const double north_south = geography.edge_km(cell_index(1, 1), cell_index(2, 1));
  CHECK(east_west == Approx(10.84).epsilon(0.01));
  CHECK(north_south == Approx(11.06).epsilon(0.01));
  CHECK(east_west == Approx(std::hypot(centre_district.x - east_district.x,
                                       centre_district.y - east_district.y) /
                            1000));
  CHECK(geography.edge_km(0, 0) == 0);
  CHECK(geography.edge_km(cell_index(0, 0), cell_index(1, 1)) == kInfinity);
}

TEST_CASE("grid: shortest paths, next hops and path reconstruction", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  const int from = cell_index(0, 0), to = cell_index(2, 2);
  const double east_west = geography.edge_km(cell_index(0, 0), cell_index(0, 1));
  const double north_south = geography.edge_km(cell_index(0, 0), cell_index(1, 0));
  CHECK(geography.path_km(from, to) == Approx(2 * east_west + 2 * north_south).epsilon(1e-3));
  CHECK(geography.path_km(from, to) == Approx(geography.path_km(to, from)));
  CHECK(geography.path_km(from, from) == 0);

  const std::vector<int> path = geography.path(from, to);
  REQUIRE(path.size() == 5);
  CHECK(path.front() == from);
  CHECK(path.back() == to);
  double along = 0;
  for (std::size_t k = 1; k < path.size(); ++k) {
    CHECK(geography.adjacency(path[k - 1], path[k]) == 1);
    CHECK(geography.next_hop(path[k - 1], to) == path[k]);
    along += geography.edge_km(path[k - 1], path[k]);
  }
  CHECK(along == Approx(geography.path_km(from, to)));

  CHECK(geography.next_hop(from, cell_index(0, 1)) == cell_index(0, 1));
  CHECK(geography.next_hop(from, from) == from);
  CHECK(geography.path(from, from) == std::vector<int>{from});

  // Split touches nothing: unreachable.
  CHECK(geography.path_km(from, kSplit) == kInfinity);
  CHECK(geography.next_hop(from, kSplit) == -1);
  CHECK(geography.path(from, kSplit).empty());
  CHECK_THROWS_AS(geography.path(from, 10), std::out_of_range);
}

TEST_CASE("grid: travel between points goes from the point, not from its district's centre",
          "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  const auto& dist = geography.districts;
  const int centre = cell_index(1, 1), east = cell_index(1, 2), west = cell_index(1, 0);
  // From a point in the centre cell close to its east edge: the east cell is nearer than
  // the west one, though both are one edge away from the centre cell's surface point.
  const auto [x0, y0] = rfsim::geo::to_metres(103.195, 13.15);
  const double to_east = geography.travel_km(centre, x0, y0, east, dist[east].x, dist[east].y);
  const double to_west = geography.travel_km(centre, x0, y0, west, dist[west].x, dist[west].y);
  CHECK(to_east < to_west);
  CHECK(geography.edge_km(centre, east) == Approx(geography.edge_km(centre, west)).epsilon(0.01));
  // Between two surface points of neighbours: the edge itself.
  CHECK(geography.travel_km(centre, dist[centre].x, dist[centre].y, east, dist[east].x,
                            dist[east].y) == Approx(geography.edge_km(centre, east)));
  // The same point: zero. An unreachable district: infinity.
  CHECK(geography.travel_km(centre, x0, y0, centre, x0, y0) <= 1e-9);
  CHECK(geography.travel_km(centre, x0, y0, kSplit, dist[kSplit].x, dist[kSplit].y) ==
        kInfinity);
}

TEST_CASE("grid: population from the census table and from village points", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  // Western districts: 2008 census 1000..6000 x (42000 / 21000).
  const int west[] = {cell_index(0, 0), cell_index(0, 1), cell_index(1, 0),
                      cell_index(1, 1), cell_index(2, 0), cell_index(2, 1)};
  double expected = 2000;
  for (int i : west) {
    CHECK(geography.districts[i].population == Approx(expected));
    expected += 2000;
  }
  // Elsewhere: village points inside x 3; the point outside every district is lost.
  CHECK(geography.districts[cell_index(0, 2)].population == Approx(450));
  CHECK(geography.districts[cell_index(1, 2)].population == Approx(30));
  CHECK(geography.districts[cell_index(2, 2)].population == 0);
  CHECK(geography.districts[kSplit].population == Approx(15));
}

TEST_CASE("grid: NCDD codes from the study table, else by province code and name", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  CHECK(geography.districts[cell_index(0, 0)].code == "0110");
  CHECK(geography.districts[cell_index(1, 2)].code == "1602");  // "Krong Ban Lung", not 0102
  CHECK(geography.districts[cell_index(0, 2)].code.empty());
}

TEST_CASE("grid: study flag follows the study provinces", "[geo][grid]") {
  GridFixture fixture;
  auto inputs = fixture.inputs();
  CHECK(build_geography(inputs).study_indices() == std::vector<int>{0, 1, 3, 4, 6, 7});
  inputs.study_provinces = {"Ratanakiri Province"};
  CHECK(build_geography(inputs).study_indices() == std::vector<int>{2, 5, 8, 9});
  inputs.study_provinces = {"Atlantis"};
  CHECK_THROWS_WITH(build_geography(inputs), Contains("unknown study province 'Atlantis'") &&
                                                 Contains("Banteay Meanchey, Ratanakiri"));
}

TEST_CASE("grid: find by name, qualified by province when the name is shared", "[geo][grid]") {
  GridFixture fixture;
  const Geography geography = build_geography(fixture.inputs());
  CHECK(geography.find("D21") == cell_index(2, 1));
  CHECK(geography.find("Twin") == -1);
  CHECK(geography.find("Twin (Banteay Meanchey)") == cell_index(1, 1));
  CHECK(geography.find("Twin (Ratanakiri)") == cell_index(2, 2));
  CHECK(geography.find("Twin (Bantey Meanchey)") == cell_index(1, 1));
  CHECK(geography.find("D21 (Banteay Meanchey)") == cell_index(2, 1));
  CHECK(geography.find("D21 (Ratanakiri)") == -1);
  CHECK(geography.find("Nowhere") == -1);
  CHECK(geography.display_name(cell_index(2, 2)) == "Twin (Ratanakiri)");
  CHECK(geography.display_name(cell_index(2, 1)) == "D21");
  for (int i = 0; i < geography.size(); ++i) CHECK(geography.find(geography.display_name(i)) == i);
}

TEST_CASE("grid: the locator places points in their district, -1 outside", "[geo][grid]") {
  GridFixture fixture;
  const auto inputs = fixture.inputs();
  const Geography geography = build_geography(inputs);
  const Locator locator(geography);
  for (int row = 0; row < 3; ++row) {
    for (int column = 0; column < 3; ++column) {
      const auto [lon, lat] = GridFixture::centre(row, column);
      CHECK(locator.locate(lon, lat) == cell_index(row, column));
    }
  }
  CHECK(locator.locate(103.55, 13.25) == kSplit);
  CHECK(locator.locate(103.55, 13.15) == -1);  // the gap between Split's parts
  CHECK(locator.locate(104.5, 13.5) == -1);
  CHECK(locator.locate(102.99, 13.05) == -1);
}

TEST_CASE("grid: the locator gives the same answers from several threads", "[geo][grid]") {
  GridFixture fixture;
  const auto inputs = fixture.inputs();
  const Geography geography = build_geography(inputs);
  const Locator locator(geography);
  constexpr int kSteps = 200;
  auto sweep = [&locator](std::vector<int>& found) {
    for (int k = 0; k < kSteps; ++k) {
      found.push_back(locator.locate(102.95 + 0.7 * k / kSteps, 12.95 + 0.4 * k / kSteps));
    }
  };
  std::vector<int> expected;
  sweep(expected);
  std::vector<std::vector<int>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) threads.emplace_back(sweep, std::ref(result));
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) CHECK(result == expected);
}

TEST_CASE("grid: the same districts read from GeoJSON, GeoPackage and Shapefile agree",
          "[geo][grid]") {
  GridFixture fixture;
  auto inputs = fixture.inputs();
  const Geography from_gpkg = build_geography(inputs);
  for (const auto& [file_name, driver] :
       {std::pair{"adm2.geojson", "GeoJSON"}, std::pair{"adm2.shp", "ESRI Shapefile"}}) {
    INFO(driver);
    inputs.adm2_path = fixture.write_districts(file_name, driver);
    const Geography other = build_geography(inputs);
    REQUIRE(other.size() == from_gpkg.size());
    for (int i = 0; i < other.size(); ++i) {
      CHECK(other.districts[i].name == from_gpkg.districts[i].name);
      CHECK(other.districts[i].province == from_gpkg.districts[i].province);
      CHECK(other.districts[i].area_km2 == Approx(from_gpkg.districts[i].area_km2));
      CHECK(other.districts[i].population == Approx(from_gpkg.districts[i].population));
    }
    CHECK(other.adjacency == from_gpkg.adjacency);
  }
}

TEST_CASE("grid: checksums cover every input file, shapefile parts included", "[geo][grid]") {
  GridFixture fixture;
  auto inputs = fixture.inputs();
  inputs.adm2_path = fixture.write_districts("adm2.shp", "ESRI Shapefile");
  const Geography geography = build_geography(inputs);
  auto checksum_of = [&](const std::string& ending) {
    for (const auto& [path, digest] : geography.input_checksums) {
      if (path.ends_with(ending)) return digest;
    }
    return std::string();
  };
  for (const char* ending :
       {"adm1.geojson", "adm2.shp", "adm2.dbf", "adm2.shx", "adm2.prj", "villages.csv",
        "census2008_study_districts.csv", "census2008_districts.csv", "population_totals.csv",
        "provinces.csv"}) {
    INFO(ending);
    CHECK(checksum_of(ending).size() == 64);
  }
  CHECK(checksum_of("villages.csv") ==
        rfsim::geo::sha256_hex_of_file(fixture.file("villages.csv").string()));
}

TEST_CASE("grid: bad inputs give errors naming the file and what was expected", "[geo][grid]") {
  GridFixture fixture;
  auto inputs = fixture.inputs();

  SECTION("missing boundary file") {
    inputs.adm2_path = fixture.file("missing.geojson").string();
    CHECK_THROWS_WITH(build_geography(inputs),
                      Contains(inputs.adm2_path) && Contains("cannot open as a vector dataset"));
  }
  SECTION("districts without shapeName") {
    inputs.adm2_path = fixture.write_districts("no-names.geojson", "GeoJSON", "name");
    CHECK_THROWS_WITH(build_geography(inputs),
                      Contains(inputs.adm2_path) && Contains("layer has no field 'shapeName'"));
  }
  SECTION("points instead of polygons") {
    inputs.adm2_path = fixture.write_points("points.geojson");
    CHECK_THROWS_WITH(build_geography(inputs),
                      Contains("expected Polygon/MultiPolygon geometries, feature 0 has Point"));
  }
  SECTION("a village population that is not a number") {
    fixture.write_text(
        "villages.csv",
        "X,Y,VILL_CODE,VILL_NAME,TOTPOP\n103.05,13.05,1,A,10\n103.05,13.05,2,B,abc\n");
    CHECK_THROWS_WITH(build_geography(inputs),
                      Contains("villages.csv: row 3: TOTPOP 'abc' is not a number"));
  }
  SECTION("a negative border tolerance") {
    inputs.border_tolerance_m = -1;
    CHECK_THROWS_WITH(build_geography(inputs), Contains("border_tolerance_m"));
  }
  SECTION("a missing villages file") {
    inputs.villages_csv = fixture.file("none.csv").string();
    CHECK_THROWS_WITH(build_geography(inputs), Contains("none.csv: cannot open"));
  }
  SECTION("a study table district that the boundaries do not have") {
    fixture.write_text("tables/census2008_study_districts.csv",
                       "ncdd_code,name,shapeID,province,pop2008,source\n"
                       "0199,Ghost,T-99,Banteay Meanchey,5,fixture\n");
    CHECK_THROWS_WITH(build_geography(inputs),
                      Contains("census2008_study_districts.csv: row 2: shapeID T-99 (Ghost) is "
                               "not a district of"));
  }
  SECTION("a study table province that contradicts the boundaries") {
    fixture.write_text("tables/census2008_study_districts.csv",
                       "ncdd_code,name,shapeID,province,pop2008,source\n"
                       "0199,D02,T-2,Banteay Meanchey,5,fixture\n");
    CHECK_THROWS_WITH(build_geography(inputs),
                      Contains("row 2: province 'Banteay Meanchey' but D02 lies in Ratanakiri"));
  }
  SECTION("a locator on a boundary that is not well-known binary") {
    Geography geography = build_geography(inputs);
    geography.districts[1].lonlat_boundary_wkb = "not wkb";
    CHECK_THROWS_WITH(Locator(geography), Contains("boundary in degrees of D01") &&
                                              Contains("not well-known binary"));
  }
}
