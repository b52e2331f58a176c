// Where to deploy K additional social workers (services.additional_workers): the
// allocation over the selected districts (services.deploy_districts, each within
// services.deploy_min/max_per_district) that leaves the least unmet need-weeks (needs of
// returnees and host members waiting for a slot or not yet identified and referred).
//
// A district's unmet need depends only on its own workers (slots, identification coverage
// and waiting lists are the district's; no flow of returnees depends on social workers),
// and the random streams are common to every run. So one run with j more workers in every
// candidate district gives each district's unmet need at j more workers: J + 1 runs (J the
// most any district may get) give every district's curve, and a dynamic programme over the
// districts finds the allocation of exactly K with the least total, whatever the curves'
// shape. The recommendation is then verified in closed loop: re-simulated, beside the same
// K spread uniformly over the selected districts, by population, and by the former greedy
// rule (largest remaining peak FTE gap first), and beside no additional workers.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"
#include "sim/places.h"

namespace rfsim::sim {

struct Deployment {
  /// (district, additional workers) of the recommendation, most workers first.
  std::vector<std::pair<int, int>> recommended;
  /// Unmet need-weeks of the whole run under each allocation: "none", "recommended",
  /// "uniform", "by_population", "greedy_gap".
  std::map<std::string, double> unmet_need_weeks;
  int runs = 0;  ///< simulations it took
  /// Unmet need-weeks of the recommendation as the per-district curves predict it (each
  /// district's at its own workers, summed): what its closed-loop run gives when the
  /// districts are independent, as the dynamic programme takes them to be.
  double predicted = 0;
};

/// One whole run with `extra` additional workers per district (indexed by district),
/// single-threaded (the optimiser's runs go in parallel): from day 0 for a run; for a
/// branch, its lineage replayed in memory (sim/branch.h, simulate_lineage).
using RunWithExtra = std::function<RunResult(const std::vector<int>& extra)>;

/// The recommendation and its closed-loop check, for services.additional_workers > 0.
/// Runs the scenario several times (in parallel over `threads`); deterministic. `run_with`
/// runs each; by default the scenario from day 0 with `places`' workers plus the extra,
/// each run watching `stop`. Once `stop` is set no further run begins, and Interrupted is
/// thrown when the runs under way have stopped (a `run_with` should watch it too); a run's
/// failure is rethrown likewise.
Deployment recommend_deployment(const Scenario& scenario, const geo::Geography& geography,
                                const Places& places, int threads,
                                const RunWithExtra& run_with = {},
                                const std::atomic<bool>* stop = nullptr);

/// Writes the recommendation into a run's result: its worker_recommendation and the
/// summary figures unmet_need_weeks.<allocation>.
void add_deployment(RunResult& result, const Deployment& deployment);

/// The former rule, kept as a baseline of the closed-loop check: each worker to the
/// candidate district with the largest remaining peak weekly FTE gap (ties: lowest index).
std::vector<std::pair<int, int>> greedy_by_peak_gap(const std::vector<double>& peak_gap,
                                                    const std::vector<int>& candidates,
                                                    int additional);

}  // namespace rfsim::sim
