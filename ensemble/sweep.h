// `rfsim sweep`: the grid of values of one or more scenario keys (`--vary key=v1,v2,...`,
// any key `--set` takes, values as TOML), N replicates at every point with common random
// numbers (replicate r of every point draws from the same stream (seed, r), so points
// differ by their values, not by their luck), written as DIR/sweep.h5 (outputs/SCHEMA.md,
// "sweep.h5") and DIR/sweep.csv (one row per point: its values, every figure's mean and
// 5% and 95% quantiles, the planners' probabilities) and DIR/replicates.csv.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "ensemble/events.h"
#include "ensemble/figures.h"
#include "ensemble/study.h"
#include "ensemble/study_file.h"
#include "ensemble/work.h"

namespace rfsim::ensemble {

inline constexpr const char* kSweepFileType = "rfsim sweep";
inline constexpr const char* kSweepFileName = "sweep.h5";

/// One varied key and its values (TOML texts, as `--set` takes them).
struct Vary {
  std::string key;
  std::vector<std::string> values;
};

/// Parses "key=v1,v2,...". Commas inside quotes, brackets or braces do not split
/// ("home.province_share={a=0.5,b=0.5},{a=0.4,b=0.6}"). Throws std::invalid_argument
/// "--vary <text>: ..." when there is no key or no value.
Vary parse_vary(const std::string& text);

struct SweepOptions {
  std::vector<Vary> vary;  ///< the grid: the first key varies slowest
  std::int64_t replicates = 10;
  OutputOptions output;
  int overflow_days = 7;
  double gap_threshold = std::numeric_limits<double>::quiet_NaN();  ///< NaN: as EnsembleOptions
  ProgressFn progress;
};

/// What rank 0 learns of a sweep (other ranks: empty).
struct SweepResult {
  std::filesystem::path file;                           ///< DIR/sweep.h5
  std::vector<std::vector<std::string>> points;         ///< per point, the value of each key
  FigureTable figures{0};                               ///< run p * replicates + r
  std::vector<std::vector<Probability>> probabilities;  ///< per point
  double seconds = 0;
};

/// The points of the grid, each as the values of the keys in order.
std::vector<std::vector<std::string>> grid_points(const std::vector<Vary>& vary);

/// Runs the sweep and writes its directory (rank 0). Every point's scenario is checked on
/// every rank before any run (a bad value is one error naming it). Collective.
SweepResult run_sweep(Workers& workers, const Study& study, const SweepOptions& options);

}  // namespace rfsim::ensemble
