// What a run was made from: the rfsim that wrote its file and when, its scenario (seed,
// name, path, resolved text, horizon), its threads, the input files and their SHA-256, and,
// for a branch, where it branched from (its lineage). One set of helpers for every rfsim
// HDF5 file: written into results.h5 and the study files (/meta) and into every checkpoint
// (its root), read back, and checked before a run continues or repeats another: the files
// must be the same, and so must the rfsim that runs it.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"

namespace rfsim::outputs {

/// (path as read, lower-case hex SHA-256) of each input file.
using Inputs = std::vector<std::pair<std::string, std::string>>;

/// The inputs of a run (or study): the geography's files plus the scenario file and its arrivals
/// table. Throws OutputError naming a file that cannot be read.
Inputs input_checksums(const Scenario& scenario, const geo::Geography& geography);

/// Throws OutputError "FILE has changed since <what> (SHA-256 ... then, ... now)" unless
/// every file read now (`now`: path, SHA-256) is one of the `recorded` inputs, matched by
/// path, or by file name when the data folder is elsewhere now. With `unchanged_on_disk`,
/// every recorded file still at its path must also hold what it held (the scenario file:
/// a run resumes or reruns the scenario it recorded, not an edited one).
void check_inputs(const Inputs& recorded, const Inputs& now, bool unchanged_on_disk,
                  const std::string& what);

/// "" if `version` and `commit` are this rfsim's, else "rfsim V (commit C)" of the writer.
std::string other_rfsim(const std::string& version, const std::string& commit);
/// "rfsim V (commit C)" of this build.
std::string this_rfsim();

/// Now, as ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" (when a file was written).
std::string utc_now_iso();

/// What every rfsim HDF5 file records of how it was made, in the same attributes (results.h5
/// and the study files in /meta, a checkpoint at its root; outputs/SCHEMA.md).
struct Provenance {
  std::string rfsim_version, git_commit;  ///< as read (the writer writes its own)
  std::string created_utc;                ///< as read (the writer writes the time of writing)
  std::uint64_t seed = 0;
  std::string scenario_name, scenario_path;
  std::string scenario_toml;  ///< the run's resolved scenario (Scenario::resolved_toml)
  std::int32_t horizon_days = 0;
  std::int32_t threads = 1;  ///< threads the run used (results do not depend on it)
  Inputs inputs;             ///< the run's input files and their SHA-256
};

/// The provenance of a run (or study) of `scenario` on `threads` threads reading `inputs`.
Provenance provenance_of(const Scenario& scenario, Inputs inputs, int threads);

/// Writes `p` into `at`: attributes rfsim_version and git_commit (this rfsim's), created_utc
/// (now), seed, scenario_name, scenario_path, scenario_toml, horizon_days and threads, and
/// the group `inputs` with datasets path and sha256.
void write_provenance(hid_t at, const Provenance& p);
/// Reads what write_provenance wrote. Throws OutputError "not a complete <what> (no @NAME)"
/// or "(inputs/path and sha256 differ in size)".
Provenance read_provenance(hid_t at, const std::string& what);

/// /meta's provenance in results.h5 and the study files: write_provenance of a run of
/// `scenario` on `threads` threads and `ranks` MPI ranks, plus start_date and ranks. The
/// caller adds file_type, schema_version and what is particular to its file.
void write_meta_provenance(hid_t meta, const Scenario& scenario, const Inputs& inputs,
                           int threads, int ranks);

/// Where a branch run branched from: the state of its original at the start of `day`.
struct BranchPoint {
  std::int32_t day = 0;
  std::string date;          ///< ISO date of `day`
  std::string checkpoint;    ///< the original's checkpoint, an absolute path
  std::string original_dir;  ///< the original's run directory holding it ("" if none)
  /// What the branch changed, "key: before -> after" (sim::Difference::text).
  std::vector<std::string> differences;
  /// The original's scenario, as its results and checkpoints store it.
  std::string scenario_name, scenario_path, scenario_toml;
};
/// A run's branch points: [0] its own, [1] its original's (when that was a branch too), ...
/// Empty for a run from day 0.
using Lineage = std::vector<BranchPoint>;

/// Writes `lineage` as group `branch` of `parent`, its [1] as `branch/branch`, and so on
/// (nothing when empty). The layout is in outputs/SCHEMA.md.
void write_lineage(hid_t parent, const Lineage& lineage);
/// Reads what write_lineage wrote (empty when `parent` has no `branch` group).
Lineage read_lineage(hid_t parent);

}  // namespace rfsim::outputs
