// The agent model: runs one scenario over its horizon on a geography and returns every
// daily (or weekly) series. Agents are stored as structure-of-arrays (sim/agents.h);
// state changes are scheduled events, so idle agents cost nothing per day.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"

namespace rfsim::sim {

/// A named table of values shaped [row, column]: rows are days (or weeks), columns are
/// districts, facilities or entry points. Stored row-major.
struct Series {
  std::string name;         ///< HDF5 path below /series, e.g. "quarantine/occupancy"
  std::string units;        ///< e.g. "persons", "beds", "FTE social workers"
  std::string description;  ///< one sentence
  std::string row_axis;     ///< "day" or "week"
  std::string column_axis;  ///< "district", "facility", "entry_point" or "total"
  int rows = 0, columns = 0;
  std::vector<double> values;
  double& at(int row, int column) { return values[static_cast<size_t>(row) * columns + column]; }
  double at(int row, int column) const {
    return values[static_cast<size_t>(row) * columns + column];
  }
};

struct RunOptions {
  int threads = 0;  ///< 0 = OpenMP default
  /// Called once per simulated day from the main thread (progress bars).
  std::function<void(int day, int horizon)> on_day;
  /// Set from a signal handler to stop the run early; simulate() then throws Interrupted.
  const std::atomic<bool>* stop = nullptr;
};

struct RunResult {
  std::vector<Series> series;
  std::vector<std::string> facility_names;
  std::vector<std::string> entry_point_names;
  /// Headline figures, e.g. "arrivals_total", "peak_overflow", "remigrated_total".
  std::map<std::string, double> summary;
  /// Districts (indices) recommended for the scenario's additional social workers, with
  /// the number each should get, in order of priority.
  std::vector<std::pair<int, int>> worker_recommendation;
  std::int64_t agents = 0;
  double timestep_seconds = 0;  ///< wall time of the daily loop alone
  const Series* find(const std::string& name) const;
};

struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("run interrupted") {}
};

/// Runs the scenario. The scenario must be resolved (entry points, facilities and
/// deployed workers mapped to district indices). Deterministic: the same scenario and
/// seed give bit-identical results for any thread count.
RunResult simulate(const Scenario& scenario, const geo::Geography& geography,
                   const RunOptions& options = {});

}  // namespace rfsim::sim
