// What the files of every study share (ensemble.h5, sweep.h5, sensitivity.h5,
// calibration.h5; layouts in outputs/SCHEMA.md): /meta with the file type, the study
// schema version and the provenance of the base scenario as in results.h5; the per-run
// summary figures with their quantiles and means; CSV text; and the output directory,
// which appears only when complete (outputs/results_dir.h), written by rank 0.
#pragma once

#include <hdf5.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ensemble/figures.h"
#include "ensemble/ranges.h"
#include "ensemble/study.h"
#include "outputs/hdf5.h"
#include "outputs/results_dir.h"

namespace rfsim::ensemble {

/// Version of the layouts of the study files (outputs/SCHEMA.md, "Study files"); the same
/// MAJOR.MINOR rule as results.h5.
inline constexpr const char* kStudySchemaVersion = "1.0";

/// Where and how a study writes its directory.
struct OutputOptions {
  std::filesystem::path dir;
  bool force = false;
  int threads = 1;  ///< threads per rank (recorded in /meta)
  int ranks = 1;    ///< MPI ranks (recorded in /meta)
  outputs::Notice notice;
  const std::atomic<bool>* stop = nullptr;
};

/// The /meta group of a study file: file_type, schema_version (kStudySchemaVersion) and the
/// provenance of `study`'s base scenario (outputs::write_meta_provenance). Returns the group,
/// open, for the study's own attributes.
outputs::h5::Handle write_study_meta(hid_t file, const char* file_type, const Study& study,
                                     const OutputOptions& options);

/// /summary/<figure>: every figure's values over the runs, shaped `shape` (runs in row
/// order; the last dimension is the replicates of a group of runs); with `statistics`
/// also /summary_quantiles/<figure> (shape without its last dimension, then the 5
/// kQuantileLevels) and /summary_mean/<figure> (shape without its last dimension). Each
/// dataset has attributes units and description.
void write_figures(hid_t file, const FigureTable& table, const std::vector<hsize_t>& shape,
                   bool statistics);

/// /parameters: key, low, high and integer (uint8) of each range, in order; returns the
/// group, open, for more datasets.
outputs::h5::Handle write_ranges(hid_t file, const std::vector<ParamRange>& ranges);

/// A CSV table: a header row and rows of fields (quoted where needed), newline-terminated.
std::string csv(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

/// Writes the study directory: `files` (name, bytes) into a staged temporary directory
/// renamed to `options.dir` when complete. Call on rank 0 only. Throws OutputError, or
/// sim::Interrupted when `options.stop` is set between files.
void write_study_dir(const OutputOptions& options,
                     const std::vector<std::pair<std::string, std::string>>& files);

/// The bytes of an HDF5 file built in memory by `fill`, as a string for write_study_dir.
/// Throws OutputError "<name>: cannot ...".
std::string study_image(const std::string& name, const std::function<void(hid_t file)>& fill);

}  // namespace rfsim::ensemble
