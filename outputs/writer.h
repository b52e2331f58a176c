// Writes the results of one run: results.h5 (the versioned layout of outputs/SCHEMA.md:
// provenance, districts, facilities, entry points, every series, summary, recommendation)
// and the CSV tables, into a results directory that appears only when complete.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <hdf5.h>

#include "geo/geography.h"
#include "outputs/error.h"
#include "outputs/schema.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"

namespace rfsim::outputs {

struct WriteOptions {
  std::filesystem::path dir;  ///< the results directory to create
  bool force = false;         ///< replace an existing `dir`
  bool csv = true;            ///< also write CSV tables next to results.h5
  int threads = 1;            ///< threads the run used (recorded in /meta)
  int ranks = 1;              ///< MPI ranks the run used (recorded in /meta)
  /// When set and true at a checkpoint between datasets, writing stops, the temporary
  /// directory is removed and sim::Interrupted is thrown.
  const std::atomic<bool>* stop = nullptr;
  /// Told one line when writing did something on the side worth saying (stale temporaries
  /// of killed runs removed beside `dir`); nothing is said when unset.
  std::function<void(const std::string&)> notice;
};

/// Writes `options.dir` (results.h5 and CSVs) from a finished run. Everything is written
/// into `DIR.tmp-<pid>` first and renamed to DIR only when complete (StagedDir, which also
/// removes stale temporaries of killed runs beside DIR); an
/// existing DIR is refused unless `force`, and then replaced. On any failure the temporary
/// directory is removed, nothing at DIR changes and OutputError is thrown. Returns the
/// path of results.h5.
std::filesystem::path write_results(const Scenario& scenario, const geo::Geography& geography,
                                    const sim::RunResult& result, const WriteOptions& options);

// ---- parts every rfsim HDF5 file shares (results.h5, and the files of ensemble/) ----------

/// Input files as (path, lower-case hex SHA-256).
using Checksums = std::vector<std::pair<std::string, std::string>>;

/// The input files a run of `scenario` reads: the geography's, the scenario file and its
/// arrivals table. Throws OutputError naming a file that cannot be read.
Checksums input_checksums(const Scenario& scenario, const geo::Geography& geography);

/// The provenance attributes of /meta (`meta` is the open group): rfsim_version,
/// git_commit, seed, scenario_name, scenario_path, scenario_toml, start_date, horizon_days,
/// created_utc, threads, ranks; and the group /meta/inputs with `inputs`. The caller adds
/// file_type, schema_version and what is particular to its file.
void write_provenance(hid_t meta, const Scenario& scenario, const Checksums& inputs, int threads,
                      int ranks);

/// /districts: every district of the geography (outputs/SCHEMA.md).
void write_districts(hid_t file, const geo::Geography& geography);

/// /facilities and /entry_points: names in series column order (from `r`), plus the
/// scenario's details of each when `r` names as many as the scenario has.
void write_places(hid_t file, const Scenario& scenario, const sim::RunResult& r);

}  // namespace rfsim::outputs
