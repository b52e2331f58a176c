// The agent model's front door: runs one scenario over its horizon on a geography (with
// the scenario's places resolved, sim/places.h) and returns every daily (or weekly) series
// and summary figure. The model itself is a set of units (sim/unit.h) run day by day in the
// declared order of sim/schedule.h; see sim/model.h.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/places.h"
#include "sim/state_io.h"

namespace rfsim::sim {

class MemoryState;  // (memory_state.h)

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

/// Writes the complete state of the run, as it is now, to a StateWriter (sim::Model::save).
using SaveState = std::function<void(StateWriter&)>;

struct RunOptions {
  int threads = 0;  ///< 0 = OpenMP default
  /// Called once per simulated day from the main thread (progress bars).
  std::function<void(int day, int horizon)> on_day;
  /// Set from a signal handler to stop the run early; simulate() then throws Interrupted.
  const std::atomic<bool>* stop = nullptr;
  /// A saved state to continue from instead of day 0 (a resumed run, a branch): the run
  /// goes on from the first day the state has not simulated. It must be a state of this
  /// scenario, or of a branch's original (sim/branch.h); StateError otherwise.
  const StateReader* start = nullptr;
  /// Checkpoints: whenever the first day not yet simulated is a multiple of
  /// `checkpoint_every` (> 0) before the horizon, `checkpoint(day, save)` is called from
  /// the main thread with that day; save(writer) writes the state as it is then. The run
  /// waits for the call to return.
  int checkpoint_every = 0;
  std::function<void(int day, const SaveState& save)> checkpoint;
};

/// Units and meaning of a summary figure.
struct FigureInfo {
  std::string units;
  std::string description;
};

struct RunResult {
  std::deque<Series> series;  ///< a deque: a reference to a series stays valid as others are added
  std::vector<std::string> facility_names;
  std::vector<std::string> entry_point_names;
  std::vector<int> facility_districts;     ///< district index of each facility
  std::vector<int> entry_point_districts;  ///< district index of each entry point
  /// Headline figures, e.g. "arrivals_total", "peak_overflow", "remigrated_total".
  std::map<std::string, double> summary;
  std::map<std::string, FigureInfo> summary_info;
  /// Districts (indices) recommended for the scenario's additional social workers, with
  /// the number each should get, in order of priority.
  std::vector<std::pair<int, int>> worker_recommendation;
  std::int64_t agents = 0;
  double timestep_seconds = 0;  ///< wall time of the daily loop alone
  /// The daily loop's wall time by phase of the day (sim/schedule.h), in schedule order.
  std::vector<std::pair<std::string, double>> phase_seconds;
  /// Figures about the run's implementation, not its results (memory use): they may differ
  /// after a resume and are kept out of the summary. "agent_bytes_per_agent" (the agent
  /// columns), "queue_bytes_peak" (calendars and queues at their peak), "bytes_per_agent"
  /// (both, per agent).
  std::map<std::string, double> diagnostics;
  const Series* find(const std::string& name) const;
};

struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("run interrupted") {}
};

/// Runs the scenario on the geography with its places resolved (resolve_places).
/// Deterministic: the same scenario and seed give bit-identical results for any thread
/// count.
RunResult simulate(const Scenario& scenario, const geo::Geography& geography,
                   const Places& places, const RunOptions& options = {});

/// Runs the scenario as simulate() does (from options.start, or day 0; with its
/// checkpoints) until the start of day `day`, and returns the state then: the state a
/// branch continues, rebuilt without a checkpoint file (rerun of a branch).
MemoryState simulate_until(const Scenario& scenario, const geo::Geography& geography,
                           const Places& places, int day, const RunOptions& options = {});

}  // namespace rfsim::sim
