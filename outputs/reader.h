// Reads a results file back (results.h5, or a results directory holding one) and prints
// what `rfsim info` shows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "outputs/error.h"
#include "outputs/schema.h"

namespace rfsim::outputs {

/// What `rfsim info` shows, read back from a results file.
struct ResultsInfo {
  std::map<std::string, std::string> meta;  ///< /meta attributes as text (not scenario_toml)
  std::string scenario_toml;
  std::vector<std::pair<std::string, std::string>> inputs;  ///< (path, sha256)
  int districts = 0, study_districts = 0, facilities = 0, entry_points = 0;
  struct SeriesInfo {
    std::string name, units, row_axis, column_axis;
    std::uint64_t rows = 0, columns = 0;
  };
  std::vector<SeriesInfo> series;
  std::map<std::string, double> summary;
  std::vector<std::pair<std::string, int>> recommendation;  ///< (district name, workers)
};

/// Reads a results file (or a results directory holding results.h5). Throws OutputError
/// if it is missing or not an rfsim results file.
ResultsInfo read_info(const std::filesystem::path& path);

/// Human-readable report of `info` (meta, sizes, series, summary, recommendation).
void print_info(const ResultsInfo& info, std::ostream& out);

}  // namespace rfsim::outputs
