// Unit tests of the geography cache (geo/geography_cache.h) on the synthetic grid.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "geo/geography_cache.h"
#include "grid_fixture.h"

using Catch::Matchers::Contains;
using rfsim::geo::build_geography;
using rfsim::geo::cached_geography;
using rfsim::geo::Geography;
using rfsim::geo::geography_bytes;
using rfsim::geo::GeographyCache;
using rfsim::geo::kCacheEntries;
using rfsim::geo::load_geography;
using rfsim::geo::store_geography;
using rfsim::geo::testing::GridFixture;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> found;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir)) found.push_back(e.path());
  return found;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("cache: the entry gives back the built geography, number for number", "[geo][cache]") {
  GridFixture fixture;
  const GeographyCache cache{fixture.file("cache")};
  const std::string built = geography_bytes(build_geography(fixture.inputs()));
  CHECK_FALSE(cached_geography(fixture.inputs(), cache));
  CHECK(geography_bytes(load_geography(fixture.inputs(), cache)) == built);  // builds, stores
  REQUIRE(entries(cache.dir).size() == 1);
  CHECK(entries(cache.dir)[0].extension() == ".geography");
  const std::optional<Geography> cached = cached_geography(fixture.inputs(), cache);
  REQUIRE(cached);
  CHECK(geography_bytes(*cached) == built);
  CHECK(geography_bytes(load_geography(fixture.inputs(), cache)) == built);
  CHECK(cached->districts[3].lonlat_boundary_wkb ==
        build_geography(fixture.inputs()).districts[3].lonlat_boundary_wkb);
  CHECK(entries(cache.dir).size() == 1);
}

TEST_CASE("cache: an edited input file, other parameters or a damaged entry are not used",
          "[geo][cache]") {
  GridFixture fixture;
  const GeographyCache cache{fixture.file("cache")};
  const Geography first = load_geography(fixture.inputs(), cache);
  REQUIRE(cached_geography(fixture.inputs(), cache));

  SECTION("a census table edited") {
    const fs::path villages = fixture.inputs().villages_csv;
    std::string text = read(villages);
    const auto at = text.rfind(",10");  // a village's population, the last column
    REQUIRE(at != std::string::npos);
    text.replace(at, 3, ",90");
    std::ofstream(villages, std::ios::binary | std::ios::trunc) << text;
    CHECK_FALSE(cached_geography(fixture.inputs(), cache));
    const Geography again = load_geography(fixture.inputs(), cache);
    CHECK(geography_bytes(again) == geography_bytes(build_geography(fixture.inputs())));
    CHECK(geography_bytes(again) != geography_bytes(first));
    CHECK(cached_geography(fixture.inputs(), cache));  // stored again
  }
  SECTION("another border tolerance or study province") {
    rfsim::geo::GeoInputs other = fixture.inputs();
    other.border_tolerance_m += 1;
    CHECK_FALSE(cached_geography(other, cache));
    other = fixture.inputs();
    other.study_provinces = {"Ratanakiri"};
    CHECK_FALSE(cached_geography(other, cache));
    CHECK(geography_bytes(load_geography(other, cache)) == geography_bytes(build_geography(other)));
    CHECK(entries(cache.dir).size() == 2);
  }
  SECTION("a damaged or truncated entry") {
    const fs::path entry = entries(cache.dir).at(0);
    std::string bytes = read(entry);
    SECTION("one byte changed") {
      bytes[bytes.size() / 2] ^= 1;
    }
    SECTION("truncated") {
      bytes.resize(bytes.size() / 2);
    }
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << bytes;
    CHECK_FALSE(cached_geography(fixture.inputs(), cache));
    CHECK(geography_bytes(load_geography(fixture.inputs(), cache)) == geography_bytes(first));
    CHECK(cached_geography(fixture.inputs(), cache));  // written whole again
  }
  SECTION("an input file gone: the build says which") {
    fs::remove(fixture.inputs().villages_csv);
    CHECK_FALSE(cached_geography(fixture.inputs(), cache));
    CHECK_THROWS_WITH(load_geography(fixture.inputs(), cache), Contains("villages.csv"));
  }
}

TEST_CASE("cache: a cache that cannot be written costs only the build", "[geo][cache]") {
  GridFixture fixture;
  fixture.write_text("not-a-folder", "a file where the cache folder would be");
  const GeographyCache cache{fixture.file("not-a-folder")};
  CHECK(geography_bytes(load_geography(fixture.inputs(), cache)) ==
        geography_bytes(build_geography(fixture.inputs())));
  CHECK(fs::is_regular_file(cache.dir));
  CHECK_FALSE(cached_geography(fixture.inputs(), cache));
  // No cache at all: always built.
  CHECK(geography_bytes(load_geography(fixture.inputs(), GeographyCache{})) ==
        geography_bytes(build_geography(fixture.inputs())));
}

TEST_CASE("cache: the least recently used entries go beyond the limit", "[geo][cache]") {
  GridFixture fixture;
  const GeographyCache cache{fixture.file("cache")};
  rfsim::geo::GeoInputs inputs = fixture.inputs();
  const Geography geography = build_geography(inputs);
  store_geography(inputs, cache, geography);
  const auto first = entries(cache.dir).at(0);
  fs::last_write_time(first, fs::file_time_type::clock::now() + std::chrono::hours(1));
  for (int k = 1; k <= kCacheEntries + 2; ++k) {
    rfsim::geo::GeoInputs other = inputs;
    other.min_shared_border_m += k;
    fs::last_write_time(first, fs::file_time_type::clock::now() + std::chrono::hours(1));
    store_geography(other, cache, geography);
  }
  CHECK(entries(cache.dir).size() == static_cast<std::size_t>(kCacheEntries));
  CHECK(fs::exists(first));  // the most recently used
  CHECK(cached_geography(inputs, cache));
}

TEST_CASE("cache: the folder comes from the environment", "[geo][cache]") {
  // The variables as they were, put back at the end.
  std::vector<std::pair<const char*, std::optional<std::string>>> saved;
  for (const char* name : {"RFSIM_CACHE_DIR", "XDG_CACHE_HOME", "HOME"}) {
    const char* value = std::getenv(name);
    saved.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
  }
  setenv("RFSIM_CACHE_DIR", "/some/where", 1);
  CHECK(GeographyCache::from_environment().dir == "/some/where");
  setenv("RFSIM_CACHE_DIR", "off", 1);
  CHECK(GeographyCache::from_environment().dir.empty());
  setenv("RFSIM_CACHE_DIR", "", 1);
  CHECK(GeographyCache::from_environment().dir.empty());
  unsetenv("RFSIM_CACHE_DIR");
  setenv("XDG_CACHE_HOME", "/x", 1);
  CHECK(GeographyCache::from_environment().dir == "/x/rfsim");
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/home/planner", 1);
  CHECK(GeographyCache::from_environment().dir == "/home/planner/.cache/rfsim");
  unsetenv("HOME");
  CHECK(GeographyCache::from_environment().dir.empty());
  for (const auto& [name, value] : saved) {
    if (value)
      setenv(name, value->c_str(), 1);
    else
      unsetenv(name);
  }
}
