// Integration tests of the geo module on the real boundaries and census data of the data
// directory (RFSIM_TEST_DATA_DIR, filled by scripts/fetch-data).
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "geo/geography.h"
#include "geo/sha256.h"

using Catch::Matchers::Contains;
using rfsim::geo::Geography;
using rfsim::geo::GeoInputs;
using rfsim::geo::Locator;

namespace {

const std::filesystem::path kDataDir = RFSIM_TEST_DATA_DIR;

// The inputs on the real data; fails the test (never skips) when a file is missing.
GeoInputs real_inputs() {
  GeoInputs inputs;
  inputs.adm1_path = (kDataDir / "geoBoundaries-KHM-ADM1-simplified.geojson").string();
  inputs.adm2_path = (kDataDir / "geoBoundaries-KHM-ADM2-simplified.geojson").string();
  inputs.villages_csv = (kDataDir / "nis-census-2008-villages.csv").string();
  for (const auto& path : {inputs.adm1_path, inputs.adm2_path, inputs.villages_csv}) {
    if (!std::filesystem::exists(path)) {
      FAIL("missing " << path << ": run scripts/fetch-data to fill the data directory " << kDataDir
                      << " (or set RFSIM_DATA when configuring)");
    }
  }
  return inputs;
}

// Built once per test process.
const Geography& real_geography() {
  static const Geography geography = rfsim::geo::build_geography(real_inputs());
  return geography;
}

const Locator& real_locator() {
  static const Locator locator(real_geography());
  return locator;
}

int index_of(const std::string& name) {
  const int index = real_geography().find(name);
  INFO(name);
  REQUIRE(index >= 0);
  return index;
}

}  // namespace

TEST_CASE("real data: every district of Cambodia, each in a province", "[geo][real]") {
  const Geography& geography = real_geography();
  REQUIRE(geography.size() == 197);
  std::set<std::string> provinces, shape_ids;
  for (const auto& district : geography.districts) {
    INFO(district.name);
    CHECK(district.area_km2 > 0);
    CHECK(district.population >= 0);
    provinces.insert(district.province);
    shape_ids.insert(district.shape_id);
  }
  CHECK(shape_ids.size() == 197);
  CHECK(provinces.size() == 25);
  CHECK(provinces.contains("Banteay Meanchey"));
  CHECK(provinces.contains("Ratanakiri"));
  CHECK_FALSE(provinces.contains("Bantey Meanchey"));
}

TEST_CASE("real data: 35 study districts with province, census code and population",
          "[geo][real]") {
  const Geography& geography = real_geography();
  const std::vector<int> study = geography.study_indices();
  REQUIRE(study.size() == 35);
  std::map<std::string, double> province_population;
  for (int i : study) {
    const auto& district = geography.districts[i];
    INFO(district.name);
    CHECK(district.population > 0);
    CHECK(district.code.size() == 4);
    province_population[district.province] += district.population;
  }
  REQUIRE(province_population.size() == 3);
  CHECK(province_population["Banteay Meanchey"] == Approx(861883).margin(1));
  CHECK(province_population["Battambang"] == Approx(997169).margin(1));
  CHECK(province_population["Siem Reap"] == Approx(1014234).margin(1));
  CHECK(geography.districts[index_of("Paoy Paet")].code == "0110");
  CHECK(geography.districts[index_of("Paoy Paet")].population ==
        Approx(107989.0 * 861883 / 677872));
}

TEST_CASE("real data: districts outside the study area", "[geo][real]") {
  const Geography& geography = real_geography();
  double national = 0;
  for (const auto& district : geography.districts) national += district.population;
  // The village points add up to the 2008 census within 0.2%.
  CHECK(national == Approx(15552221).epsilon(0.005));
  const auto& sala_krau = geography.districts[index_of("Sala Krau")];
  CHECK(sala_krau.province == "Pailin");
  CHECK(sala_krau.code == "2402");
  CHECK_FALSE(sala_krau.study_area);
  CHECK(sala_krau.population > 0);
}

TEST_CASE("real data: Paoy Paet borders Ou Chrov and Malai and no far district", "[geo][real]") {
  const Geography& geography = real_geography();
  const int paoy_paet = index_of("Paoy Paet");
  CHECK(geography.adjacency(paoy_paet, index_of("Ou Chrov")) == 1);
  CHECK(geography.adjacency(paoy_paet, index_of("Malai")) == 1);
  for (const char* far :
       {"Siem Reap", "Battambang", "Serei Saophoan", "Thma Puok", "Sala Krau", "Mongkol Borei"}) {
    INFO(far);
    CHECK(geography.adjacency(paoy_paet, index_of(far)) == 0);
  }
  CHECK(geography.adjacency.transpose() == geography.adjacency);
  CHECK(geography.adjacency.diagonal().sum() == 0);
}

TEST_CASE("real data: the district graph connects the whole country", "[geo][real]") {
  const Geography& geography = real_geography();
  CHECK(geography.path_km.allFinite());
  CHECK((geography.next_hop.array() >= 0).all());
}

TEST_CASE("real data: checkpoints land in their districts", "[geo][real]") {
  const Geography& geography = real_geography();
  const Locator& locator = real_locator();
  CHECK(locator.locate(102.55768, 13.65692) == index_of("Paoy Paet"));  // Poipet
  const int phsar_prum = locator.locate(102.49574, 12.93107);
  CHECK(phsar_prum == index_of("Sala Krau"));
  CHECK(geography.districts.at(phsar_prum).province == "Pailin");
  CHECK(locator.locate(103.7002, 14.43193) == index_of("Samraong (Oddar Meanchey)"));  // O'Smach
  CHECK(locator.locate(102.44575, 13.09124) == index_of("Kamrieng"));                  // Doung
  CHECK(locator.locate(102.73663, 13.77373) == index_of("Ou Chrov"));   // Ou Beichoan
  CHECK(locator.locate(104.108, 14.378) == index_of("Anlong Veaeng"));  // Choam
  CHECK(locator.locate(100.5, 13.75) == -1);                            // Bangkok
}

TEST_CASE("real data: Samraong needs its province", "[geo][real]") {
  const Geography& geography = real_geography();
  CHECK(geography.find("Samraong") == -1);
  const int north = index_of("Samraong (Oddar Meanchey)");
  const int south = index_of("Samraong (Takeo)");
  CHECK(north != south);
  CHECK(geography.display_name(north) == "Samraong (Oddar Meanchey)");
}

TEST_CASE("real data: from Phsar Prum (Sala Krau) to Siem Reap through Battambang", "[geo][real]") {
  const Geography& geography = real_geography();
  const int from = index_of("Sala Krau"), to = index_of("Siem Reap");
  const std::vector<int> path = geography.path(from, to);
  REQUIRE(path.size() >= 3);
  bool through_battambang = false;
  double along = 0;
  for (std::size_t k = 1; k < path.size(); ++k) {
    CHECK(geography.adjacency(path[k - 1], path[k]) == 1);
    along += geography.edge_km(path[k - 1], path[k]);
    through_battambang =
        through_battambang || geography.districts[path[k]].province == "Battambang";
  }
  CHECK(through_battambang);
  CHECK(along == Approx(geography.path_km(from, to)));
  // Longer than the straight line, but not absurdly so.
  const auto& a = geography.districts[from];
  const auto& b = geography.districts[to];
  const double straight_km = std::hypot(a.x - b.x, a.y - b.y) / 1000;
  CHECK(geography.path_km(from, to) >= straight_km);
  CHECK(geography.path_km(from, to) < 1.5 * straight_km);
}

TEST_CASE("real data: checksums of every input file", "[geo][real]") {
  const Geography& geography = real_geography();
  const GeoInputs inputs = real_inputs();
  REQUIRE(geography.input_checksums.size() == 7);
  std::map<std::string, std::string> digests(geography.input_checksums.begin(),
                                             geography.input_checksums.end());
  CHECK(digests.at(inputs.adm2_path) == rfsim::geo::sha256_hex_of_file(inputs.adm2_path));
  CHECK(digests.contains(inputs.adm1_path));
  CHECK(digests.contains(inputs.villages_csv));
}

TEST_CASE("real data: an unknown study province lists the valid ones", "[geo][real]") {
  GeoInputs inputs = real_inputs();
  inputs.study_provinces = {"Banteay Meanchey", "Siam Reap"};
  CHECK_THROWS_WITH(rfsim::geo::build_geography(inputs),
                    Contains("unknown study province 'Siam Reap'") &&
                        Contains("Battambang, Kampong Cham") && Contains("Tbong Khmum"));
}
