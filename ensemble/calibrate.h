// `rfsim calibrate`: fits scenario keys (`--param key=lo:hi`) to observed counts
// (observed.h) with NLopt: a derivative-free, bound-constrained method (Sbplx, Rowan's
// subplex, by default; BOBYQA, Nelder-Mead or COBYLA on request) in the unit cube of the
// ranges. Every evaluation runs R replicates 0..R-1 (common random numbers: the same
// streams at every point, so the objective changes with the parameters, not with luck)
// spread over threads and ranks, and scores their mean against the observations:
//
//   J = mean over observations of ((model - observed) / max(|observed|, 1))^2
//
// (relative errors, so a count of 60,000 and one of 600 weigh alike). At the best point,
// `band_replicates` replicates give the fit report's bands. Written: DIR/fitted.toml (the
// scenario with the fitted values, which `rfsim run` takes), DIR/fit.csv (observed against
// fitted mean and quantiles, relative differences) and DIR/calibration.h5 (outputs/
// SCHEMA.md, "calibration.h5": the ranges, start and fit, every evaluation, the fit table).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ensemble/observed.h"
#include "ensemble/ranges.h"
#include "ensemble/study.h"
#include "ensemble/study_file.h"
#include "ensemble/work.h"

namespace rfsim::ensemble {

inline constexpr const char* kCalibrationFileType = "rfsim calibration";
inline constexpr const char* kCalibrationFileName = "calibration.h5";

struct CalibrationOptions {
  std::string observed;  ///< path of the observations CSV
  std::vector<ParamRange> params;
  int replicates = 4;        ///< R per evaluation
  int band_replicates = 20;  ///< at the fitted values, for the bands
  int max_evaluations = 300;
  std::string method = "sbplx";  ///< sbplx, bobyqa, neldermead or cobyla
  /// Stop when a step changes no parameter by more than this share of its range.
  double tolerance = 1e-4;
  OutputOptions output;
  /// Told on rank 0 after each evaluation: its number, the maximum, the best J so far.
  std::function<void(int evaluation, int max, double best)> progress;
};

/// One row of the fit report.
struct FitRow {
  Observation observed;
  double mean = 0;                 ///< over the band replicates at the fitted values
  std::vector<double> quantiles;   ///< kQuantileLevels
  double relative_difference = 0;  ///< |mean - observed| / max(|observed|, 1)
};

/// What rank 0 learns of a calibration (other ranks: empty).
struct CalibrationResult {
  std::filesystem::path dir;
  std::vector<double> start, fitted;    ///< values of the parameters
  double objective = 0;                 ///< J at the fitted values (R replicates)
  double mean_relative_difference = 0;  ///< over the fit rows
  int evaluations = 0;
  std::string stopped;  ///< why the optimiser stopped
  std::vector<FitRow> rows;
  double seconds = 0;
};

/// Fits, then writes the directory (rank 0). Collective: rank 0 drives the optimiser and
/// the other ranks run each evaluation's replicates with it. Throws StudyError.
CalibrationResult run_calibration(Workers& workers, const Study& study,
                                  const CalibrationOptions& options);

}  // namespace rfsim::ensemble
