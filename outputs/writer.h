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
#include "outputs/provenance.h"
#include "outputs/schema.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"

namespace rfsim::outputs {

struct WriteOptions {
  std::filesystem::path dir;  ///< the results directory to create
  bool force = false;         ///< replace an existing `dir`
  bool csv = true;            ///< also write CSV tables next to results.h5
  int threads = 1;  ///< threads the run used (recorded in /meta; they compress the series)
  int ranks = 1;    ///< MPI ranks the run used (recorded in /meta)
  /// When set and true at a checkpoint between datasets, writing stops, the temporary
  /// directory is removed and sim::Interrupted is thrown.
  const std::atomic<bool>* stop = nullptr;
  /// Told one line when writing did something on the side worth saying (stale temporaries
  /// of killed runs removed beside `dir`); nothing is said when unset.
  std::function<void(const std::string&)> notice;
  /// The inputs to record in /meta/inputs when they are not the files read now (a resumed
  /// run records those its checkpoint recorded); empty: input_checksums(scenario, geography).
  Inputs inputs;
  /// Where a branch run branched from (/meta/branch); empty for a run from day 0.
  Lineage lineage;
  /// `dir` is the directory of a checkpointed run, there already (RunDir): the results are
  /// staged beside it as usual, then moved into it, results.h5 last, as the sign that the
  /// run is complete.
  bool into_run_dir = false;
  /// Called once everything is written, before it moves into `dir` (a checkpointed run
  /// waits there for its last checkpoint, written meanwhile, to be on disk); what it throws
  /// is thrown, nothing having moved.
  std::function<void()> before_commit;
};

/// Writes `options.dir` (results.h5 and CSVs) from a finished run. Everything is written
/// into `DIR.tmp-<pid>` first and renamed to DIR only when complete (StagedDir, which also
/// removes stale temporaries of killed runs beside DIR); an existing DIR is refused unless
/// `force`, and then replaced, or (`into_run_dir`) receives the results, results.h5 last.
/// On any failure the temporary directory is removed, results.h5 is not at DIR and
/// OutputError is thrown. Returns the path of results.h5.
std::filesystem::path write_results(const Scenario& scenario, const geo::Geography& geography,
                                    const sim::RunResult& result, const WriteOptions& options);

// ---- parts results.h5 shares with the files of ensemble/ ---------------------------------
// (their /meta provenance: write_meta_provenance, outputs/provenance.h)

/// /districts: every district of the geography (outputs/SCHEMA.md).
void write_districts(hid_t file, const geo::Geography& geography);

/// /facilities and /entry_points: names in series column order (from `r`), plus the
/// scenario's details of each when `r` names as many as the scenario has.
void write_places(hid_t file, const Scenario& scenario, const sim::RunResult& r);

/// The attributes of a series dataset (results.h5's /series/<name>, an ensemble's quantiles
/// and means): units, description, row_axis, column_axis (outputs/SCHEMA.md).
void describe_series(hid_t dataset, const std::string& units, const std::string& description,
                     const std::string& row_axis, const std::string& column_axis);

}  // namespace rfsim::outputs
