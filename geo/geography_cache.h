// Built geographies kept on disk between processes. Building one (build_geography) reads
// the boundary files with GDAL, finds the shared borders with GEOS and places the census
// villages: 0.4-0.7 s, the largest fixed cost of every command and of every rank of a
// study, for a result that only changes when its inputs do. A cache entry holds the
// Geography exactly (every number bit for bit, so a run gives the same results from it)
// and is used only when all of these hold:
// - its key is the current one: the code that builds a geography (a digest of the geo/
//   sources, taken when rfsim is built, and the compiler and flags, whose floating point
//   may differ in the last bits), the GDAL, GEOS and PROJ versions, and the inputs
//   (file paths, study provinces, border parameters, tables folder);
// - every file it was built from still has the SHA-256 it recorded (the checksums the
//   results carry as provenance): an edited boundary or census file is seen;
// - the entry's own SHA-256 matches: a damaged entry is never read.
// Otherwise the geography is built and the entry written again, under a temporary name then
// renamed, so processes building at once (the ranks of a study) never read half an entry.
// A cache that cannot be written (read-only, full) costs only the rebuild; at most
// kCacheEntries entries are kept, the least recently used removed first.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "geo/geography.h"

namespace rfsim::geo {

/// Entries a cache folder keeps (a few MB each for the whole of Cambodia).
inline constexpr int kCacheEntries = 16;

struct GeographyCache {
  std::filesystem::path dir;  ///< empty: no cache, every geography is built

  /// The folder named by RFSIM_CACHE_DIR when it is set (set but empty, or "off": no
  /// cache), else $XDG_CACHE_HOME/rfsim, else $HOME/.cache/rfsim, else no cache.
  static GeographyCache from_environment();
};

/// The geography build_geography(inputs) gives, from the cache when it holds a valid entry
/// for these inputs (see above), else built and stored. Errors in the inputs throw GeoError
/// as build_geography does.
Geography load_geography(const GeoInputs& inputs, const GeographyCache& cache);

/// The cache's entry for these inputs, if it has a valid one (never throws).
std::optional<Geography> cached_geography(const GeoInputs& inputs, const GeographyCache& cache);
/// Stores `geography`, built from `inputs`, as the cache's entry for them; a cache that
/// cannot be written is left as it was (never throws).
void store_geography(const GeoInputs& inputs, const GeographyCache& cache,
                     const Geography& geography);

/// What an entry stores of a geography, and back; geography_from_bytes throws GeoError on
/// bytes that do not parse. (For the tests: load_geography is the way in.)
std::string geography_bytes(const Geography& geography);
Geography geography_from_bytes(std::string_view bytes);

}  // namespace rfsim::geo
