// The results of one rfsim run on disk: writes DIR/results.h5 (the versioned HDF5 schema
// documented in outputs/SCHEMA.md) plus CSV copies for spreadsheets, atomically (a
// temporary directory renamed into place), and reads a results file back for `rfsim info`.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"

namespace rfsim::outputs {

/// Version of the layout of results.h5. Bump the minor number when groups, datasets or
/// attributes are added; bump the major number when anything is renamed, removed or
/// changes meaning, dtype or shape (see outputs/SCHEMA.md).
inline constexpr const char* kSchemaVersion = "2.0";

/// Any failure to write or read a results directory; `what()` names the path.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct WriteOptions {
  std::filesystem::path dir;  ///< the results directory to create
  bool force = false;         ///< replace an existing `dir`
  bool csv = true;            ///< also write CSV tables next to results.h5
  int threads = 1;            ///< threads the run used (recorded in /meta)
  int ranks = 1;              ///< MPI ranks the run used (recorded in /meta)
  /// Extra input files to checksum into /meta/inputs beyond Geography::input_checksums
  /// and the scenario file (e.g. an arrivals table).
  std::vector<std::string> extra_inputs;
  /// When set and true at a checkpoint between datasets, writing stops, the temporary
  /// directory is removed and sim::Interrupted is thrown.
  const std::atomic<bool>* stop = nullptr;
};

/// Throws OutputError if `dir` exists and `force` is false (call before a long run).
void check_output_dir(const std::filesystem::path& dir, bool force);

/// Writes `options.dir` (results.h5 and CSVs) from a finished run. Everything is written
/// into `DIR.tmp-<pid>` first and renamed to DIR only when complete; an existing DIR is
/// refused unless `force`, and then replaced (old renamed away, new renamed in, old
/// deleted). On any failure the temporary directory is removed and nothing at DIR
/// changes. Returns the path of results.h5.
std::filesystem::path write_results(const Scenario& scenario, const geo::Geography& geography,
                                    const sim::RunResult& result, const WriteOptions& options);

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
