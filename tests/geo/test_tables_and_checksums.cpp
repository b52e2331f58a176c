// Unit tests of the CSV reader, the SHA-256 digests (FIPS 180-4 examples) and the
// consistency of the committed project tables in geo/tables.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "base/text.h"
#include "geo/csv_table.h"
#include "geo/geography.h"
#include "geo/sha256.h"

using Catch::Matchers::Contains;
using rfsim::geo::CsvTable;
using rfsim::geo::GeoError;

namespace {

std::string write_temporary(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string table_path(const std::string& name) {
  return std::string(RFSIM_SOURCE_DIR) + "/geo/tables/" + name;
}

}  // namespace

TEST_CASE("sha256: FIPS 180-4 examples", "[geo][sha256]") {
  CHECK(rfsim::geo::sha256_hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(rfsim::geo::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(rfsim::geo::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(rfsim::geo::sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: a file's digest is that of its bytes", "[geo][sha256]") {
  const std::string bytes(200000, 'a');  // more than one read buffer
  const std::string path = write_temporary("rfsim-geo-sha.bin", bytes);
  CHECK(rfsim::geo::sha256_hex_of_file(path) == rfsim::geo::sha256_hex(bytes));
  std::filesystem::remove(path);
  CHECK_THROWS_AS(rfsim::geo::sha256_hex_of_file(path), GeoError);
}

TEST_CASE("csv: quoted fields, CRLF, blank lines and row numbers", "[geo][csv]") {
  const std::string path = write_temporary(
      "rfsim-geo-table.csv", "a,b,c\r\n\"1\",\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n2,,-3.5\r\n");
  const CsvTable table = CsvTable::read(path);
  REQUIRE(table.row_count() == 2);
  CHECK(table.text(0, table.column("b")) == "x, y");
  CHECK(table.text(0, table.column("c")) == "say \"hi\"");
  CHECK(table.number(0, table.column("a")) == 1);
  CHECK(table.text(1, table.column("b")).empty());
  CHECK(table.number(1, table.column("c")) == -3.5);
  CHECK(table.where(1) == "geo: " + path + ": row 4");
  CHECK_THROWS_WITH(table.column("d"), Contains(path + ": no column 'd'"));
  CHECK_THROWS_WITH(table.number(1, table.column("b")), Contains("row 4: b '' is not a number"));
  std::filesystem::remove(path);
}

TEST_CASE("csv: the one splitter trims unquoted cells and keeps quoted ones", "[geo][csv]") {
  using rfsim::text::csv_cells;
  using V = std::vector<std::string>;
  CHECK(csv_cells("a, b ,c\r") == V{"a", "b", "c"});
  CHECK(csv_cells(" \" x, y \" ,2") == V{" x, y ", "2"});
  CHECK(csv_cells("\"say \"\"hi\"\"\",,") == V{"say \"hi\"", "", ""});
  CHECK(csv_cells("") == V{""});
  CHECK_THROWS_WITH(csv_cells("1,\"2"), Contains("a quoted field is not closed"));
}

TEST_CASE("csv: malformed rows are reported with their row", "[geo][csv]") {
  CHECK_THROWS_WITH(CsvTable::read(write_temporary("rfsim-geo-bad.csv", "a,b\n1,2\n3\n")),
                    Contains("row 3: 1 fields, the header has 2"));
  CHECK_THROWS_WITH(CsvTable::read(write_temporary("rfsim-geo-bad.csv", "a,b\n\"1,2\n")),
                    Contains("row 2: a quoted field is not closed"));
  CHECK_THROWS_WITH(CsvTable::read(write_temporary("rfsim-geo-bad.csv", "")),
                    Contains("empty file"));
  std::filesystem::remove(std::filesystem::temp_directory_path() / "rfsim-geo-bad.csv");
}

TEST_CASE("tables: the 2008 totals agree with the committed census district tables",
          "[geo][tables]") {
  const CsvTable districts = CsvTable::read(table_path("census2008_districts.csv"));
  double national = 0;
  for (std::size_t row = 0; row < districts.row_count(); ++row) {
    national += districts.number(row, districts.column("pop2008"));
  }
  CHECK(districts.row_count() == 193);
  const CsvTable totals = CsvTable::read(table_path("population_totals.csv"));
  std::map<std::string, double> by_year_and_area;
  for (std::size_t row = 0; row < totals.row_count(); ++row) {
    by_year_and_area[totals.text(row, totals.column("year")) + " " +
                     totals.text(row, totals.column("area"))] =
        totals.number(row, totals.column("population"));
  }
  CHECK(by_year_and_area["2008 Cambodia"] == national);
  CHECK(by_year_and_area["2019 Cambodia"] == 15552221);
  CHECK(by_year_and_area["2019 Banteay Meanchey"] == 861883);
  CHECK(by_year_and_area["2019 Battambang"] == 997169);
  CHECK(by_year_and_area["2019 Siem Reap"] == 1014234);

  const CsvTable study = CsvTable::read(table_path("census2008_study_districts.csv"));
  std::map<std::string, double> province_2008;
  for (std::size_t row = 0; row < study.row_count(); ++row) {
    province_2008[study.text(row, study.column("province"))] +=
        study.number(row, study.column("pop2008"));
  }
  CHECK(study.row_count() == 35);
  CHECK(province_2008["Banteay Meanchey"] == 677872);
  CHECK(province_2008["Battambang"] == 1025174);
  CHECK(province_2008["Siem Reap"] == 896443);
}

TEST_CASE("canonical_province: spellings of the data files", "[geo][tables]") {
  using rfsim::geo::canonical_province;
  CHECK(canonical_province("Bantey Meanchey") == "Banteay Meanchey");
  CHECK(canonical_province("Ratanakiri Province") == "Ratanakiri");
  CHECK(canonical_province("Siem Reap") == "Siem Reap");
  CHECK(canonical_province("Nowhere") == "Nowhere");
}
