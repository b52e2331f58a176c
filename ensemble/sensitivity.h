// `rfsim sensitivity`: which parameters drive the answers. The Saltelli design (sobol.h)
// over the ranges given (`--param key=lo:hi`), N base samples, so N (k + 2) design points;
// every point run as R replicates 0..R-1 (common random numbers across points, R = 1 by
// default) and its figures averaged over them; first-order and total Sobol indices of
// every figure with bootstrap confidence intervals. Written as DIR/sensitivity.h5
// (outputs/SCHEMA.md, "sensitivity.h5"), DIR/sensitivity.csv (one row per figure and
// parameter) and DIR/design.csv (every design point, its values and figures).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ensemble/figures.h"
#include "ensemble/ranges.h"
#include "ensemble/sobol.h"
#include "ensemble/study.h"
#include "ensemble/study_file.h"
#include "ensemble/work.h"

namespace rfsim::ensemble {

inline constexpr const char* kSensitivityFileType = "rfsim sensitivity";
inline constexpr const char* kSensitivityFileName = "sensitivity.h5";

struct SensitivityOptions {
  std::vector<ParamRange> params;
  std::int64_t samples = 512;  ///< N base samples (a power of two keeps the design balanced)
  int replicates = 1;          ///< R runs per design point, averaged
  int bootstrap = 1000;        ///< resamples for the confidence intervals
  double confidence = 0.95;
  OutputOptions output;
  ProgressFn progress;
};

/// What rank 0 learns of a sensitivity study (other ranks: empty).
struct SensitivityResult {
  std::filesystem::path file;                   ///< DIR/sensitivity.h5
  std::int64_t points = 0;                      ///< design points, N (k + 2)
  std::vector<std::string> figures;             ///< in name order
  std::map<std::string, SobolIndices> indices;  ///< per figure
  std::map<std::string, sim::FigureInfo> info;
  double seconds = 0;
};

/// Runs the study and writes its directory (rank 0). Both ends of every range are checked
/// against the scenario on every rank before any run. Collective.
SensitivityResult run_sensitivity(Workers& workers, const Study& study,
                                  const SensitivityOptions& options);

}  // namespace rfsim::ensemble
