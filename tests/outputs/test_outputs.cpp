// Tests of outputs/: the HDF5 schema read back through the C API (shapes,
// dtypes, attributes, values), the CSV tables, and the temp-then-rename directory rules.
#include <hdf5.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <ogr_geometry.h>

#include "outputs/reader.h"
#include "outputs/results_dir.h"
#include "outputs/writer.h"

namespace fs = std::filesystem;
using namespace rfsim;

namespace {

/// A 1 km square with its lower left corner at (x km, 0), as WKB.
std::string square_wkb(double x) {
  OGRGeometry* geometry = nullptr;
  const std::string wkt = "MULTIPOLYGON (((" + std::to_string(x * 1000) + " 0, " +
                          std::to_string(x * 1000 + 1000) + " 0, " +
                          std::to_string(x * 1000 + 1000) + " 1000, " +
                          std::to_string(x * 1000) + " 1000, " + std::to_string(x * 1000) +
                          " 0)))";
  REQUIRE(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &geometry) == OGRERR_NONE);
  std::string bytes(geometry->WkbSize(), '\0');
  geometry->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(bytes.data()), wkbVariantIso);
  OGRGeometryFactory::destroyGeometry(geometry);
  return bytes;
}

geo::Geography tiny_geography() {
  geo::Geography g;
  // (Named fields: a field added to geo::District must not shift these values.)
  auto district = [](const char* name, const char* shape_id, const char* code, const char* province,
                     double area, double population, double x, bool study) {
    geo::District d;
    d.name = name;
    d.shape_id = shape_id;
    d.code = code;
    d.province = province;
    d.area_km2 = area;
    d.population = population;
    d.x = x;
    d.study_area = study;
    d.boundary_wkb = square_wkb(x);
    return d;
  };
  g.districts = {
      district("Alpha", "SID-A", "0101", "Banteay Meanchey", 100.5, 1000, 0, true),
      district("Beta", "SID-B", "0102", "Banteay Meanchey", 200.25, 2000, 1, true),
      district("Gamma, East", "SID-C", "", "Pailin", 50, 300, 2, false),
  };
  g.input_checksums = {{"boundaries.geojson", std::string(64, 'a')}};
  return g;
}

Scenario tiny_scenario() {
  Scenario s;
  s.name = "tiny";
  s.resolved_toml = "[run]\nname = \"tiny\"\nseed = 42\n";
  s.seed = 42;
  s.replicate = 3;
  s.horizon_days = 4;
  Facility f;
  f.name = "Centre A";
  f.district_name = "Alpha";
  f.capacity = 10;
  s.facilities = {f};
  EntryPoint e;
  e.name = "Gate";
  e.district_name = "Gamma, East";
  s.entry_points = {e};
  s.services.additional_workers = 5;
  return s;
}

sim::RunResult tiny_result() {
  sim::RunResult r;
  sim::Series occ{
      "quarantine/occupancy", "persons", "Residents per facility", "day", "facility", 4, 1, {}};
  occ.values = {10, 10, 8, 0};
  sim::Series home{
      "travel/arrivals_home", "persons", "Returnees reaching home", "day", "district", 4, 3, {}};
  for (int i = 0; i < 12; ++i) home.values.push_back(i * 0.5);
  sim::Series empty{"services/empty", "cases", "No rows", "week", "district", 0, 3, {}};
  r.series = {occ, home, empty};
  r.facility_districts = {0};
  r.entry_point_districts = {2};
  r.facility_names = {"Centre A"};
  r.entry_point_names = {"Gate"};
  r.summary = {{"arrivals_total", 15}, {"peak_overflow", 5.5}};
  r.diagnostics = {{"bytes_per_agent", 20.5}};
  r.worker_recommendation = {{1, 3}, {0, 2}};
  r.agents = 15;
  return r;
}

/// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("rfsim-test-outputs-" + std::to_string(getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

std::string read_string_attr(hid_t loc, const char* name) {
  hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);  // the file stores UTF-8; HDF5 will not convert
  char* p = nullptr;
  REQUIRE(H5Aread(attr, type, &p) >= 0);
  std::string s = p ? p : "";
  H5free_memory(p);
  H5Tclose(type);
  H5Aclose(attr);
  return s;
}

template <typename T>
T read_number_attr(hid_t loc, const char* name, hid_t mem_type) {
  hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  T v{};
  REQUIRE(H5Aread(attr, mem_type, &v) >= 0);
  H5Aclose(attr);
  return v;
}

std::vector<hsize_t> dims_of(hid_t file, const char* path) {
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT);
  REQUIRE(ds >= 0);
  hid_t space = H5Dget_space(ds);
  int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  H5Dclose(ds);
  return dims;
}

template <typename T>
std::vector<T> read_dataset(hid_t file, const char* path, hid_t mem_type) {
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT);
  REQUIRE(ds >= 0);
  hid_t space = H5Dget_space(ds);
  std::vector<T> v(static_cast<size_t>(H5Sget_simple_extent_npoints(space)));
  if (!v.empty()) REQUIRE(H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
  H5Sclose(space);
  H5Dclose(ds);
  return v;
}

std::vector<std::string> read_strings(hid_t file, const char* path) {
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT);
  REQUIRE(ds >= 0);
  hid_t space = H5Dget_space(ds);
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);  // the file stores UTF-8; HDF5 will not convert
  std::vector<char*> p(static_cast<size_t>(H5Sget_simple_extent_npoints(space)));
  REQUIRE(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()) >= 0);
  std::vector<std::string> out(p.begin(), p.end());
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, p.data());
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(ds);
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Everything written to file descriptor 2 (where HDF5 prints its error stacks) while
/// alive, for checking that nothing was.
class CapturedStderr {
 public:
  CapturedStderr() : file_(std::tmpfile()), saved_(dup(2)) {
    std::fflush(stderr);
    dup2(fileno(file_), 2);
  }
  ~CapturedStderr() {
    restore();
    std::fclose(file_);
  }
  std::string text() {
    restore();
    std::rewind(file_);
    std::string out;
    for (int c; (c = std::fgetc(file_)) != EOF;) out += static_cast<char>(c);
    return out;
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::FILE* file_;
  int saved_;
};

bool has_temp_leftovers(const fs::path& parent) {
  for (const auto& entry : fs::directory_iterator(parent))
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("results.h5 holds meta, districts, series, summary and recommendation") {
  TempDir tmp;
  outputs::WriteOptions opt;
  opt.dir = tmp.path / "run1";
  opt.threads = 2;
  auto h5 = outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);
  REQUIRE(h5 == opt.dir / "results.h5");
  REQUIRE(fs::exists(h5));
  CHECK_FALSE(has_temp_leftovers(tmp.path));

  hid_t file = H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);

  SECTION("meta") {
    hid_t meta = H5Gopen2(file, "/meta", H5P_DEFAULT);
    CHECK(read_string_attr(meta, "file_type") == "rfsim results");
    CHECK(read_string_attr(meta, "schema_version") == outputs::kSchemaVersion);
    CHECK(!read_string_attr(meta, "rfsim_version").empty());
    CHECK(!read_string_attr(meta, "git_commit").empty());
    CHECK(read_string_attr(meta, "scenario_toml") == tiny_scenario().resolved_toml);
    CHECK(read_string_attr(meta, "created_utc").size() == 20);  // 2026-01-01T00:00:00Z
    CHECK(read_number_attr<std::uint64_t>(meta, "seed", H5T_NATIVE_UINT64) == 42);
    CHECK(read_number_attr<int>(meta, "replicate", H5T_NATIVE_INT) == 3);
    CHECK(read_number_attr<int>(meta, "threads", H5T_NATIVE_INT) == 2);
    CHECK(read_number_attr<int>(meta, "ranks", H5T_NATIVE_INT) == 1);
    H5Gclose(meta);
    auto paths = read_strings(file, "/meta/inputs/path");
    auto sums = read_strings(file, "/meta/inputs/sha256");
    REQUIRE(paths.size() == 1);
    CHECK(paths[0] == "boundaries.geojson");
    CHECK(sums[0] == std::string(64, 'a'));
  }

  SECTION("districts") {
    CHECK(read_strings(file, "/districts/name") ==
          std::vector<std::string>{"Alpha", "Beta", "Gamma, East"});
    CHECK(read_strings(file, "/districts/code") == std::vector<std::string>{"0101", "0102", ""});
    CHECK(read_strings(file, "/districts/province")[2] == "Pailin");
    CHECK(read_dataset<double>(file, "/districts/population", H5T_NATIVE_DOUBLE) ==
          std::vector<double>{1000, 2000, 300});
    CHECK(read_dataset<double>(file, "/districts/area_km2", H5T_NATIVE_DOUBLE) ==
          std::vector<double>{100.5, 200.25, 50});
    CHECK(read_dataset<std::uint8_t>(file, "/districts/study_area", H5T_NATIVE_UINT8) ==
          std::vector<std::uint8_t>{1, 1, 0});
    CHECK(read_strings(file, "/facilities/name") == std::vector<std::string>{"Centre A"});
    CHECK(read_strings(file, "/entry_points/name") == std::vector<std::string>{"Gate"});
    CHECK(read_dataset<int>(file, "/facilities/capacity", H5T_NATIVE_INT) == std::vector<int>{10});
  }

  SECTION("district boundaries: WKB one after the other, indexed by offsets") {
    const auto offsets = read_dataset<std::int64_t>(file, "/districts/geometry_offsets",
                                                    H5T_NATIVE_INT64);
    const auto bytes = read_dataset<std::uint8_t>(file, "/districts/geometry_wkb", H5T_NATIVE_UINT8);
    REQUIRE(offsets.size() == 4);
    CHECK(offsets.front() == 0);
    CHECK(offsets.back() == static_cast<std::int64_t>(bytes.size()));
    const std::string second(bytes.begin() + offsets[1], bytes.begin() + offsets[2]);
    CHECK(second == square_wkb(1));
  }

  SECTION("series: shape, values, attributes, chunked and compressed") {
    CHECK(dims_of(file, "/series/quarantine/occupancy") == std::vector<hsize_t>{4, 1});
    CHECK(dims_of(file, "/series/travel/arrivals_home") == std::vector<hsize_t>{4, 3});
    CHECK(dims_of(file, "/series/services/empty") == std::vector<hsize_t>{0, 3});
    auto v = read_dataset<double>(file, "/series/travel/arrivals_home", H5T_NATIVE_DOUBLE);
    REQUIRE(v.size() == 12);
    CHECK(v[1 * 3 + 2] == 2.5);  // row 1, column 2
    hid_t ds = H5Dopen2(file, "/series/travel/arrivals_home", H5P_DEFAULT);
    CHECK(read_string_attr(ds, "units") == "persons");
    CHECK(read_string_attr(ds, "row_axis") == "day");
    CHECK(read_string_attr(ds, "column_axis") == "district");
    CHECK(read_string_attr(ds, "description") == "Returnees reaching home");
    hid_t dcpl = H5Dget_create_plist(ds);
    CHECK(H5Pget_layout(dcpl) == H5D_CHUNKED);
    bool deflate = false;
    for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
      unsigned flags = 0;
      size_t n = 0;
      if (H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr,
                         nullptr) == H5Z_FILTER_DEFLATE)
        deflate = true;
    }
    CHECK(deflate);
    H5Pclose(dcpl);
    H5Dclose(ds);
  }

  SECTION("summary and recommendation") {
    hid_t s = H5Gopen2(file, "/summary", H5P_DEFAULT);
    CHECK(read_number_attr<double>(s, "arrivals_total", H5T_NATIVE_DOUBLE) == 15);
    CHECK(read_number_attr<double>(s, "peak_overflow", H5T_NATIVE_DOUBLE) == 5.5);
    H5Gclose(s);
    CHECK(read_dataset<int>(file, "/recommendation/district", H5T_NATIVE_INT) ==
          std::vector<int>{1, 0});
    CHECK(read_dataset<int>(file, "/recommendation/workers", H5T_NATIVE_INT) ==
          std::vector<int>{3, 2});
    CHECK(read_strings(file, "/recommendation/district_name") ==
          std::vector<std::string>{"Beta", "Alpha"});
  }
  H5Fclose(file);
}

TEST_CASE("CSV tables open in a spreadsheet") {
  TempDir tmp;
  outputs::WriteOptions opt;
  opt.dir = tmp.path / "run";
  outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);
  auto districts = slurp(opt.dir / "districts.csv");
  CHECK(districts.rfind("index,code,name,province,population,area_km2,study_area\n", 0) == 0);
  CHECK(districts.find("2,,\"Gamma, East\",Pailin,300,50,0\n") != std::string::npos);
  CHECK(slurp(opt.dir / "summary.csv") == "figure,value\narrivals_total,15\npeak_overflow,5.5\n");
  auto home = slurp(opt.dir / "series" / "travel" / "arrivals_home.csv");
  CHECK(home.rfind("day,Alpha,Beta,\"Gamma, East\"\n0,0,0.5,1\n", 0) == 0);
  auto occ = slurp(opt.dir / "series" / "quarantine" / "occupancy.csv");
  CHECK(occ == "day,Centre A\n0,10\n1,10\n2,8\n3,0\n");
}

TEST_CASE("an existing results directory is refused without force and replaced with it") {
  TempDir tmp;
  outputs::WriteOptions opt;
  opt.dir = tmp.path / "run";
  fs::create_directories(opt.dir);
  std::ofstream(opt.dir / "keep.txt") << "old";

  CHECK_THROWS_AS(outputs::check_output_dir(opt.dir, false), outputs::OutputError);
  CHECK_NOTHROW(outputs::check_output_dir(opt.dir, true));
  CHECK_THROWS_AS(outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt),
                  outputs::OutputError);
  CHECK(fs::exists(opt.dir / "keep.txt"));
  CHECK_FALSE(fs::exists(opt.dir / "results.h5"));
  CHECK_FALSE(has_temp_leftovers(tmp.path));

  opt.force = true;
  outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);
  CHECK(fs::exists(opt.dir / "results.h5"));
  CHECK_FALSE(fs::exists(opt.dir / "keep.txt"));
  CHECK_FALSE(has_temp_leftovers(tmp.path));
  // Only the results directory is left beside it: the old one was deleted.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path)) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a failed or interrupted write leaves nothing behind") {
  TempDir tmp;
  outputs::WriteOptions opt;
  opt.dir = tmp.path / "run";

  SECTION("bad series shape") {
    auto r = tiny_result();
    r.series[0].values.pop_back();
    CHECK_THROWS_AS(outputs::write_results(tiny_scenario(), tiny_geography(), r, opt),
                    outputs::OutputError);
  }
  SECTION("an HDF5 error: a series below another series' dataset") {
    auto r = tiny_result();
    r.series.push_back(r.series[0]);
    r.series.back().name = "quarantine/occupancy/by_age";  // occupancy is a dataset
    CapturedStderr err;
    try {
      outputs::write_results(tiny_scenario(), tiny_geography(), r, opt);
      FAIL("write_results did not throw");
    } catch (const outputs::OutputError& e) {
      const std::string message = e.what();
      INFO(message);
      CHECK(message.find(opt.dir.string() + ".tmp-") == 0);  // names the file
      CHECK(
          message.find("/results.h5: cannot create dataset series/quarantine/occupancy/by_age: ") !=
          std::string::npos);
      CHECK(message.find('\n') == std::string::npos);
    }
    CHECK(err.text().empty());  // HDF5 printed no error stack
  }
  SECTION("stop flag set") {
    std::atomic<bool> stop{true};
    opt.stop = &stop;
    CHECK_THROWS_AS(outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt),
                    sim::Interrupted);
  }
  CHECK_FALSE(fs::exists(opt.dir));
  CHECK_FALSE(has_temp_leftovers(tmp.path));
}

TEST_CASE("read_results reads back everything results.h5 holds") {
  TempDir tmp;
  outputs::WriteOptions opt;
  opt.dir = tmp.path / "run";
  opt.threads = 2;
  const auto scenario = tiny_scenario();
  const auto result = tiny_result();
  const auto h5 = outputs::write_results(scenario, tiny_geography(), result, opt);
  const auto r = outputs::read_results(opt.dir);  // a directory works as well as the file
  CHECK(r.path == h5);

  const auto& m = r.meta;
  CHECK(m.file_type == outputs::kFileType);
  CHECK(m.schema_version == outputs::kSchemaVersion);
  CHECK(!m.rfsim_version.empty());
  CHECK(!m.git_commit.empty());
  CHECK(m.seed == 42);
  CHECK(m.replicate == 3);
  CHECK(m.scenario_name == "tiny");
  CHECK(m.scenario_toml == scenario.resolved_toml);
  CHECK(m.horizon_days == 4);
  CHECK(m.created_utc.size() == 20);
  CHECK(m.threads == 2);
  CHECK(m.ranks == 1);
  CHECK(m.agents == 15);
  CHECK(m.diagnostics == std::map<std::string, double>{{"bytes_per_agent", 20.5}});

  REQUIRE(r.inputs.size() == 1);
  CHECK(r.inputs[0].path == "boundaries.geojson");
  CHECK(r.inputs[0].sha256 == std::string(64, 'a'));

  REQUIRE(r.districts.size() == 3);
  CHECK(r.districts[2].name == "Gamma, East");
  CHECK(r.districts[2].code.empty());
  CHECK(r.districts[2].province == "Pailin");
  CHECK(r.districts[1].shape_id == "SID-B");
  CHECK(r.districts[1].population == 2000);
  CHECK(r.districts[1].area_km2 == 200.25);
  CHECK(r.districts[2].x == 2);
  CHECK(r.districts[0].study_area);
  CHECK_FALSE(r.districts[2].study_area);
  for (int i = 0; i < 3; ++i) CHECK(r.districts[i].boundary_wkb == square_wkb(i));

  REQUIRE(r.facilities.size() == 1);
  CHECK(r.facilities[0].name == "Centre A");
  CHECK(r.facilities[0].district == 0);
  CHECK(r.facilities[0].capacity == 10);
  REQUIRE(r.entry_points.size() == 1);
  CHECK(r.entry_points[0].name == "Gate");
  CHECK(r.entry_points[0].district == 2);

  REQUIRE(r.series.size() == result.series.size());
  for (const auto& written : result.series) {
    INFO(written.name);
    const auto* s = r.find_series(written.name);
    REQUIRE(s != nullptr);
    CHECK(s->units == written.units);
    CHECK(s->description == written.description);
    CHECK(s->row_axis == written.row_axis);
    CHECK(s->column_axis == written.column_axis);
    CHECK(s->rows == static_cast<std::uint64_t>(written.rows));
    CHECK(s->columns == static_cast<std::uint64_t>(written.columns));
    CHECK(s->values == written.values);
  }
  CHECK(r.find_series("travel/arrivals_home")->at(1, 2) == 2.5);
  CHECK(r.find_series("no/such/series") == nullptr);

  CHECK(r.summary == result.summary);
  REQUIRE(r.recommendation.size() == 2);
  CHECK(r.recommendation[0].district == 1);
  CHECK(r.recommendation[0].district_name == "Beta");
  CHECK(r.recommendation[0].workers == 3);
  CHECK(r.additional_workers == 5);
}

TEST_CASE("a geography without boundaries (built in code) writes none, and reads back without") {
  TempDir tmp;
  outputs::WriteOptions opt;
  opt.dir = tmp.path / "run";
  auto geography = tiny_geography();
  geography.districts[1].boundary_wkb.clear();
  outputs::write_results(tiny_scenario(), geography, tiny_result(), opt);
  const auto r = outputs::read_results(opt.dir);
  REQUIRE(r.districts.size() == 3);
  for (const auto& d : r.districts) CHECK(d.boundary_wkb.empty());
}

TEST_CASE("read_info reads what rfsim info prints, without the series values") {
  TempDir tmp;
  outputs::WriteOptions opt;
  opt.dir = tmp.path / "run";
  outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);
  const auto info = outputs::read_info(opt.dir / "results.h5");
  REQUIRE(info.series.size() == 3);
  CHECK(info.find_series("travel/arrivals_home")->rows == 4);
  CHECK(info.find_series("travel/arrivals_home")->values.empty());
  std::ostringstream out;
  outputs::print_info(info, out);
  const std::string text = out.str();
  CHECK(text.find("scenario     tiny (") == 0);
  CHECK(text.find("seed 42, replicate 3") != std::string::npos);
  CHECK(text.find("3 districts (2 in the study area), 1 facilities, 1 entry points") !=
        std::string::npos);
  CHECK(text.find("travel/arrivals_home") != std::string::npos);
  CHECK(text.find("[4 day x 3 district] persons") != std::string::npos);
  CHECK(text.find("peak_overflow                            5.5") != std::string::npos);
  CHECK(text.find("Beta                                     3") != std::string::npos);
}

namespace {

/// The message of the OutputError read_results(path) throws ("" if it reads the file).
std::string read_error(const fs::path& path) {
  try {
    outputs::read_results(path);
  } catch (const outputs::OutputError& e) {
    return e.what();
  }
  return "";
}

/// A results file written from the tiny run, then changed by `edit` (HDF5 C API).
template <typename Edit>
fs::path edited_results(const TempDir& tmp, const std::string& name, Edit edit) {
  outputs::WriteOptions opt;
  opt.dir = tmp.path / name;
  const auto h5 = outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);
  const hid_t file = H5Fopen(h5.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(file >= 0);
  edit(file);
  REQUIRE(H5Fclose(file) >= 0);
  return h5;
}

void set_string_attr(hid_t file, const char* object, const char* name, const char* value) {
  const hid_t obj = H5Oopen(file, object, H5P_DEFAULT);
  REQUIRE(obj >= 0);
  if (H5Aexists(obj, name) > 0) REQUIRE(H5Adelete(obj, name) >= 0);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  REQUIRE(H5Awrite(attr, type, &value) >= 0);
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
  H5Oclose(obj);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("read_results refuses what it cannot read, naming the file") {
  TempDir tmp;
  std::string message;

  SECTION("a missing file, or a directory without results.h5") {
    message = read_error(tmp.path / "missing.h5");
    CHECK(message == (tmp.path / "missing.h5").string() + ": no such file");
    message = read_error(tmp.path);
    CHECK(message == (tmp.path / "results.h5").string() + ": no such file");
  }
  SECTION("a file that is not HDF5") {
    const auto path = tmp.path / "not.h5";
    std::ofstream(path) << "plain text";
    CHECK(read_error(path) == path.string() + ": not an rfsim results file (not an HDF5 file)");
  }
  SECTION("an HDF5 file without /meta") {
    const auto path = tmp.path / "other.h5";
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file >= 0);
    H5Gclose(H5Gcreate2(file, "data", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(file);
    CHECK(read_error(path) == path.string() + ": not an rfsim results file (no /meta group)");
  }
  SECTION("an HDF5 file of another type") {
    const auto path = edited_results(tmp, "other", [](hid_t f) {
      set_string_attr(f, "/meta", "file_type", "openmc statepoint");
    });
    CHECK(read_error(path) == path.string() +
                                  ": not an rfsim results file (/meta@file_type is 'openmc "
                                  "statepoint', expected 'rfsim results')");
  }
  SECTION("a file of schema 2.1 or later without a file type") {
    const auto path = edited_results(tmp, "untyped", [](hid_t f) {
      REQUIRE(H5Adelete_by_name(f, "/meta", "file_type", H5P_DEFAULT) >= 0);
    });
    CHECK(read_error(path) == path.string() + ": not an rfsim results file (no /meta@file_type)");
  }
  SECTION("a file of schema major version 3") {
    const auto path = edited_results(
        tmp, "v3", [](hid_t f) { set_string_attr(f, "/meta", "schema_version", "3.0"); });
    message = read_error(path);
    INFO(message);
    CHECK(message.rfind(path.string() + ": written by rfsim ", 0) == 0);
    CHECK(contains(message, " with results schema 3.0, which this rfsim ("));
    CHECK(contains(message, ") cannot read: it reads schema 1.x and 2.x"));
  }
  SECTION("a schema version that is not MAJOR.MINOR") {
    const auto path = edited_results(
        tmp, "vx", [](hid_t f) { set_string_attr(f, "/meta", "schema_version", "1"); });
    CHECK(read_error(path) ==
          path.string() +
              ": not an rfsim results file (/meta@schema_version '1' is not MAJOR.MINOR)");
  }
  SECTION("a truncated file") {
    outputs::WriteOptions opt;
    opt.dir = tmp.path / "run";
    const auto h5 = outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);
    const auto path = tmp.path / "truncated.h5";
    fs::copy_file(h5, path);
    fs::resize_file(path, fs::file_size(h5) / 2);
    CapturedStderr err;
    message = read_error(path);
    INFO(message);
    CHECK(message.rfind(
              path.string() + ": cannot open it as HDF5 (the file is damaged or incomplete): ",
              0) == 0);
    CHECK(contains(message, "truncated"));
    CHECK(err.text().empty());  // HDF5 printed nothing itself
  }
  SECTION("a dataset the schema requires is missing") {
    const auto path = edited_results(tmp, "nopop", [](hid_t f) {
      REQUIRE(H5Ldelete(f, "/districts/population", H5P_DEFAULT) >= 0);
    });
    CHECK(read_error(path) == path.string() +
                                  ": /districts/population is missing (the file is incomplete or "
                                  "was not written by rfsim)");
  }
  SECTION("a series that is not a table") {
    const auto path = edited_results(tmp, "flat", [](hid_t f) {
      hsize_t n[1] = {4};
      const hid_t space = H5Screate_simple(1, n, nullptr);
      const hid_t ds = H5Dcreate2(f, "/series/flat", H5T_IEEE_F64LE, space, H5P_DEFAULT,
                                  H5P_DEFAULT, H5P_DEFAULT);
      REQUIRE(ds >= 0);
      H5Dclose(ds);
      H5Sclose(space);
    });
    CHECK(read_error(path) ==
          path.string() + ": /series/flat has 1 dimensions, expected 2 ([rows, columns])");
  }
}

TEST_CASE("read_results reads any MINOR version of the MAJOR versions it knows") {
  TempDir tmp;
  for (const char* version : {"2.9", "1.4"}) {
    INFO(version);
    const auto path = edited_results(tmp, std::string("v") + version, [&](hid_t f) {
      set_string_attr(f, "/meta", "schema_version", version);
    });
    CHECK(read_error(path).empty());
    CHECK(outputs::read_results(path).meta.schema_version == version);
  }
}

TEST_CASE("read_results reads schema 1.0 and 2.0 files, written before /meta@file_type") {
  TempDir tmp;
  for (const char* version : {"1.0", "2.0"}) {
    INFO(version);
    const auto path = edited_results(tmp, std::string("v") + version, [&](hid_t f) {
      REQUIRE(H5Adelete_by_name(f, "/meta", "file_type", H5P_DEFAULT) >= 0);
      set_string_attr(f, "/meta", "schema_version", version);
    });
    CHECK(read_error(path).empty());
    const auto r = outputs::read_results(path);
    CHECK(r.meta.schema_version == version);
    CHECK(r.meta.file_type.empty());
    CHECK(r.districts.size() == 3);
  }
}

TEST_CASE("a run removes the stale temporaries of dead runs beside it, and only those") {
  TempDir tmp;
  // No process has an id this large (the kernel's pid_max is at most 2^22).
  const std::string dead = "999999937";
  const std::string live = std::to_string(getppid());
  auto make = [&](const std::string& name, const char* file) {
    fs::create_directories(tmp.path / name);
    if (file) std::ofstream(tmp.path / name / file) << "x";
  };
  make("run.tmp-" + dead, "results.h5");   // killed while writing this same DIR
  make("other.tmp-" + dead, nullptr);      // killed before it wrote anything
  make("live.tmp-" + live, "results.h5");  // a live process is still writing it
  make("notes.tmp-" + dead, "notes.txt");  // not a results temporary: the user's
  make("mine.tmp-" + std::to_string(getpid()), "results.h5");  // this process's: never
  make("odd.tmp-0" + dead, "results.h5");                      // not a process id
  std::ofstream(tmp.path / ("file.tmp-" + dead)) << "a file, not a directory";

  std::vector<std::string> notices;
  outputs::WriteOptions opt;
  opt.dir = tmp.path / "run";
  opt.notice = [&](const std::string& line) { notices.push_back(line); };
  outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);

  REQUIRE(notices.size() == 1);
  const auto stale = [&](const std::string& name) { return (tmp.path / name).string(); };
  // Directory order is the file system's: either order is one line naming both.
  const std::string a = stale("other.tmp-" + dead), b = stale("run.tmp-" + dead);
  const std::string head =
      "removed stale temporary results directories left by runs that no longer exist: ";
  CHECK((notices[0] == head + a + " and " + b || notices[0] == head + b + " and " + a));
  CHECK_FALSE(fs::exists(tmp.path / ("run.tmp-" + dead)));
  CHECK_FALSE(fs::exists(tmp.path / ("other.tmp-" + dead)));
  CHECK(fs::exists(tmp.path / ("live.tmp-" + live) / "results.h5"));
  CHECK(fs::exists(tmp.path / ("notes.tmp-" + dead) / "notes.txt"));
  CHECK(fs::exists(tmp.path / ("mine.tmp-" + std::to_string(getpid())) / "results.h5"));
  CHECK(fs::exists(tmp.path / ("odd.tmp-0" + dead)));
  CHECK(fs::exists(tmp.path / ("file.tmp-" + dead)));
  CHECK(fs::exists(tmp.path / "run" / "results.h5"));

  SECTION("nothing stale: nothing said") {
    notices.clear();
    opt.dir = tmp.path / "run2";
    outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);
    CHECK(notices.empty());
  }
  SECTION("one stale temporary, and this process's own name left by an earlier process") {
    make("again.tmp-" + dead, nullptr);
    const std::string own = "run3.tmp-" + std::to_string(getpid());
    make(own, "results.h5");
    notices.clear();
    opt.dir = tmp.path / "run3";
    outputs::write_results(tiny_scenario(), tiny_geography(), tiny_result(), opt);
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].find("removed stale temporary results directories left by runs that no "
                          "longer exist: ") == 0);
    CHECK(notices[0].find(stale("again.tmp-" + dead)) != std::string::npos);
    CHECK(notices[0].find(stale(own)) != std::string::npos);
    CHECK(fs::exists(tmp.path / "run3" / "results.h5"));
    CHECK_FALSE(fs::exists(tmp.path / own));
  }
}

TEST_CASE("a temporary held by a writer of this process is not taken for stale") {
  TempDir tmp;
  outputs::StagedDir first(tmp.path / "a", false);
  REQUIRE(fs::exists(first.path()));
  // A second writer in this process (an ensemble writing runs side by side) cleans up.
  CHECK(outputs::remove_stale_temporaries(tmp.path, tmp.path / "b.tmp-1").empty());
  CHECK(fs::exists(first.path()));
  // Even named as its own, a locked temporary is left alone.
  CHECK(outputs::remove_stale_temporaries(tmp.path, first.path()).empty());
  CHECK(fs::exists(first.path()));
}
