// `rfsim ensemble`: replicates 0..N-1 of one scenario (the streams (seed, r)), the
// geography and places built once, spread over threads and ranks (work.h), and written
// as DIR/ensemble.h5 (outputs/SCHEMA.md, "ensemble.h5"): for every series its exact
// quantiles [quantile, row, column] and its mean, every replicate's summary figures with
// their quantiles and means, and the probabilities a planner asks for (events.h); with
// summary.csv, replicates.csv and probabilities.csv beside it.
//
// Each replicate's series reach rank 0 encoded (codec.h) and are kept there, in memory up
// to a budget and beyond it in a temporary file (quantiles.h), then summarised block by
// block: memory stays bounded whatever the number of replicates.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <vector>

#include "ensemble/events.h"
#include "ensemble/figures.h"
#include "ensemble/study.h"
#include "ensemble/study_file.h"
#include "ensemble/work.h"

namespace rfsim::ensemble {

inline constexpr const char* kEnsembleFileType = "rfsim ensemble";
inline constexpr const char* kEnsembleFileName = "ensemble.h5";

struct EnsembleOptions {
  std::int64_t replicates = 100;
  OutputOptions output;
  /// The events' thresholds; a NaN gap threshold stands for the scenario's
  /// services.additional_workers (is the planned deployment enough?).
  int overflow_days = 7;
  double gap_threshold = std::numeric_limits<double>::quiet_NaN();
  /// Encoded replicates kept in memory on rank 0; the rest go to a temporary file.
  std::size_t memory_budget = std::size_t{1} << 30;
  ProgressFn progress;
};

/// What rank 0 learns of an ensemble (other ranks: empty).
struct EnsembleResult {
  std::filesystem::path file;  ///< DIR/ensemble.h5
  FigureTable figures{0};      ///< per replicate
  std::vector<Probability> probabilities;
  double seconds = 0;               ///< wall time of the replicates
  double statistics_seconds = 0;    ///< then of the quantiles and means of every cell
  double files_seconds = 0;         ///< then of ensemble.h5 and the CSV files
  std::size_t bytes_in_memory = 0;  ///< encoded replicates kept in memory
  std::size_t bytes_on_disk = 0;    ///< and in the temporary file
};

/// Runs the ensemble and writes its directory (on rank 0). Collective. Throws StudyError.
EnsembleResult run_ensemble(Workers& workers, const Study& study, const EnsembleOptions& options);

}  // namespace rfsim::ensemble
