// Built geographies kept between processes (see geography_cache.h).
#include "geo/geography_cache.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>
#include <type_traits>
#include <vector>

#include "base/bytes.h"
#include "base/files.h"
#include "base/text.h"
#include "geo/geo_build.h"
#include "geo/geo_source_digest.h"
#include "geo/sha256.h"

namespace rfsim::geo {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "rfsim geography cache, format 1";
constexpr std::string_view kEntryExtension = ".geography";
constexpr std::size_t kDigestChars = 64;  // hex SHA-256

/// Everything a geography is built from besides the contents of its files.
std::string cache_key(const GeoInputs& inputs) {
  int major = 0, minor = 0, patch = 0;
  std::ostringstream key;
  key << kMagic << "\ngeo sources " << RFSIM_GEO_SOURCE_DIGEST << "\nbuilt with " << RFSIM_GEO_BUILD
      << "\nGDAL " << GDALVersionInfo("RELEASE_NAME");
  OGRGetGEOSVersion(&major, &minor, &patch);
  key << "\nGEOS " << major << '.' << minor << '.' << patch;
  OSRGetPROJVersion(&major, &minor, &patch);
  key << "\nPROJ " << major << '.' << minor << '.' << patch;
  auto file = [&](const char* what, const std::string& path) {
    std::error_code ignored;
    key << '\n' << what << ' ' << path << " = " << fs::absolute(path, ignored).string();
  };
  file("provinces", inputs.adm1_path);
  file("districts", inputs.adm2_path);
  file("villages", inputs.villages_csv);
  file("tables", inputs.tables_dir.empty() ? RFSIM_TABLES_DIR : inputs.tables_dir);
  key << "\nstudy provinces";
  for (const std::string& province : inputs.study_provinces) key << " [" << province << ']';
  key << "\nborder tolerance m " << text::exact_number(inputs.border_tolerance_m)
      << "\nminimum shared border m " << text::exact_number(inputs.min_shared_border_m);
  return key.str();
}

fs::path entry_path(const GeographyCache& cache, const std::string& key) {
  return cache.dir / (sha256_hex(key).substr(0, 32) + std::string(kEntryExtension));
}

template <typename Matrix>
void write_matrix(ByteWriter& w, const Matrix& m) {
  w.varint(static_cast<std::uint64_t>(m.rows()));
  w.varint(static_cast<std::uint64_t>(m.cols()));
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    if constexpr (std::is_floating_point_v<typename Matrix::Scalar>)
      w.number(m.data()[k]);
    else
      w.signed_varint(m.data()[k]);
  }
}

template <typename Matrix>
Matrix read_matrix(ByteReader& r, Eigen::Index n) {
  const auto rows = static_cast<Eigen::Index>(r.varint());
  const auto columns = static_cast<Eigen::Index>(r.varint());
  if (rows != n || columns != n) throw CorruptBytes();
  Matrix m(rows, columns);
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    if constexpr (std::is_floating_point_v<typename Matrix::Scalar>)
      m.data()[k] = r.number();
    else
      m.data()[k] = static_cast<typename Matrix::Scalar>(r.signed_varint());
  }
  return m;
}

/// The geography of a cache entry, if the entry is whole, has this key and its input files
/// are unchanged.
std::optional<Geography> read_entry(const fs::path& entry, const std::string& key) {
  std::string bytes;  // (none when the entry cannot be read: it is then built again)
  try {
    bytes = read_file_bytes(entry);
  } catch (const std::system_error&) {
    return std::nullopt;
  }
  if (bytes.size() < kDigestChars) return std::nullopt;
  const std::string_view body(bytes.data(), bytes.size() - kDigestChars);
  if (sha256_hex(body) != std::string_view(bytes).substr(body.size())) return std::nullopt;
  ByteReader r(body);
  if (r.text() != kMagic || r.text() != key) return std::nullopt;
  Geography geography = geography_from_bytes(r.raw(body.size() - r.position()));
  for (const auto& [path, digest] : geography.input_checksums)
    if (sha256_hex_of_file(path) != digest) return std::nullopt;
  return geography;
}

/// Removes the least recently used entries beyond kCacheEntries.
void prune(const fs::path& dir) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == kEntryExtension)
      entries.emplace_back(e.last_write_time(ec), e.path());
  if (entries.size() <= static_cast<std::size_t>(kCacheEntries)) return;
  std::sort(entries.begin(), entries.end());
  for (std::size_t i = 0; i + kCacheEntries < entries.size(); ++i)
    fs::remove(entries[i].second, ec);
}

/// Writes the entry under a temporary name and renames it; any failure leaves no file.
void write_entry(const fs::path& entry, const std::string& key, const Geography& geography) {
  ByteWriter w;
  w.text(kMagic);
  w.text(key);
  w.raw(geography_bytes(geography));
  std::string bytes = w.take();
  bytes += sha256_hex(bytes);
  std::error_code ec;
  fs::create_directories(entry.parent_path(), ec);
  const fs::path temporary =
      entry.string() + ".tmp-" + std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      fs::remove(temporary, ec);
      return;
    }
  }
  fs::rename(temporary, entry, ec);
  if (ec) fs::remove(temporary, ec);
  prune(entry.parent_path());
}

}  // namespace

GeographyCache GeographyCache::from_environment() {
  if (const char* dir = std::getenv("RFSIM_CACHE_DIR")) {
    const std::string d = dir;
    return {d.empty() || d == "off" ? fs::path() : fs::path(d)};
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return {fs::path(xdg) / "rfsim"};
  if (const char* home = std::getenv("HOME"); home && *home)
    return {fs::path(home) / ".cache" / "rfsim"};
  return {};
}

std::string geography_bytes(const Geography& g) {
  ByteWriter w;
  w.varint(g.districts.size());
  for (const District& d : g.districts) {
    for (const std::string* s : {&d.name, &d.shape_id, &d.code, &d.province}) w.text(*s);
    for (double v : {d.area_km2, d.population, d.x, d.y}) w.number(v);
    w.varint(d.study_area ? 1 : 0);
    w.signed_varint(d.communes);
    w.text(d.boundary_wkb);
    w.text(d.lonlat_boundary_wkb);
  }
  write_matrix(w, g.adjacency);
  write_matrix(w, g.edge_km);
  write_matrix(w, g.path_km);
  write_matrix(w, g.next_hop);
  w.varint(g.input_checksums.size());
  for (const auto& [path, digest] : g.input_checksums) {
    w.text(path);
    w.text(digest);
  }
  return w.take();
}

Geography geography_from_bytes(std::string_view bytes) {
  try {
    ByteReader r(bytes);
    Geography g;
    const std::uint64_t n = r.varint();
    if (n > bytes.size()) throw CorruptBytes();
    g.districts.resize(n);
    for (District& d : g.districts) {
      for (std::string* s : {&d.name, &d.shape_id, &d.code, &d.province}) *s = r.text();
      for (double* v : {&d.area_km2, &d.population, &d.x, &d.y}) *v = r.number();
      d.study_area = r.varint() != 0;
      d.communes = static_cast<int>(r.signed_varint());
      d.boundary_wkb = r.text();
      d.lonlat_boundary_wkb = r.text();
    }
    const auto size = static_cast<Eigen::Index>(n);
    g.adjacency = read_matrix<Eigen::MatrixXi>(r, size);
    g.edge_km = read_matrix<Eigen::MatrixXd>(r, size);
    g.path_km = read_matrix<Eigen::MatrixXd>(r, size);
    g.next_hop = read_matrix<Eigen::MatrixXi>(r, size);
    const std::uint64_t files = r.varint();
    if (files > bytes.size()) throw CorruptBytes();
    g.input_checksums.resize(files);
    for (auto& [path, digest] : g.input_checksums) {
      path = r.text();
      digest = r.text();
    }
    if (!r.done()) throw CorruptBytes();
    return g;
  } catch (const CorruptBytes&) {
    throw GeoError("geo: a cached geography is truncated or malformed");
  }
}

std::optional<Geography> cached_geography(const GeoInputs& inputs, const GeographyCache& cache) {
  if (cache.dir.empty()) return std::nullopt;
  try {
    const std::string key = cache_key(inputs);
    const fs::path entry = entry_path(cache, key);
    std::optional<Geography> cached = read_entry(entry, key);
    if (cached) {  // the most recently used entries are the ones pruning keeps
      std::error_code ignored;
      fs::last_write_time(entry, fs::file_time_type::clock::now(), ignored);
    }
    return cached;
  } catch (const std::exception&) {
    return std::nullopt;  // damaged, or an input file gone: build, which says what is wrong
  }
}

void store_geography(const GeoInputs& inputs, const GeographyCache& cache,
                     const Geography& geography) {
  if (cache.dir.empty()) return;
  try {
    const std::string key = cache_key(inputs);
    write_entry(entry_path(cache, key), key, geography);
  } catch (const std::exception&) {
    // (no room, no permission: the next process builds again)
  }
}

Geography load_geography(const GeoInputs& inputs, const GeographyCache& cache) {
  if (std::optional<Geography> cached = cached_geography(inputs, cache)) return std::move(*cached);
  Geography geography = build_geography(inputs);
  store_geography(inputs, cache, geography);
  return geography;
}

}  // namespace rfsim::geo
