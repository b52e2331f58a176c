// What every unit of one run shares: the scenario as written and its places resolved, the
// geography, the horizon and threads, the random streams, the policy in force each day,
// when each agent arrives, and the agent table with the columns every unit reads (home
// district, attributes, entry point, state, status flags) and the count of agents in each
// state. Units own everything else.
#pragma once

#include <cstdint>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/agents.h"
#include "sim/grid.h"
#include "sim/places.h"
#include "sim/random.h"
#include "sim/state_io.h"

namespace rfsim::sim {

class World {
 public:
  World(const Scenario& scenario, const geo::Geography& geography, const Places& places,
        int threads);

  const Scenario& sc;
  const geo::Geography& geo;
  const Places& places;
  const int H;  ///< horizon, days
  const int D;  ///< districts
  const int F;  ///< facilities
  const int E;  ///< entry points
  const int threads;
  const Streams rng;
  /// Agents arriving on day d have ids first_id[d] .. first_id[d+1]-1 (size H+1). Ids
  /// below first_id[0] are the returnees already there on day 0 (Scenario::initial).
  const std::vector<std::int64_t> first_id;
  const std::int64_t total;
  /// 1 for districts of the study area.
  const std::vector<std::uint8_t> study;

  /// Day on which agent i crossed the border; -1 for those already there on day 0.
  int arrival_day(std::uint32_t i) const;
  /// Quarantine and screening policy in force on day d.
  const PolicyPeriod& policy(int d) const { return *policy_[d]; }

  AgentTable agents;
  // Columns every unit reads (declared here, drawn by Arrivals except state and status).
  std::uint16_t* const home;   ///< home district index
  std::uint16_t* const attr;   ///< attr:: bits and age band
  std::uint8_t* const entry;   ///< entry point index
  std::uint8_t* const state;   ///< State
  std::uint16_t* const status;  ///< status:: bits

  void set_state(std::uint32_t i, State s) {
    --state_count_[state[i]];
    ++state_count_[s];
    state[i] = s;
  }
  std::int64_t count(State s) const { return state_count_[s]; }

  /// The state counts of day d, for the state/* series.
  void record_states(int d);
  const Grid& states() const { return states_; }

  void save(StateWriter& w) const;
  /// Loads a state saved at the start of day `day`. Its arrivals before that day must be
  /// this run's (first_id up to `day`); later arrivals may differ (a branch), and the
  /// returnees not yet arrived are then counted from this run's total.
  void load(const StateReader& r, int day);

 private:
  std::vector<const PolicyPeriod*> policy_;
  std::int64_t state_count_[kStateCount] = {};
  Grid states_;  ///< [day, state]
};

/// World::first_id of the run a state was saved from: its returnees' arrivals by day.
std::vector<std::int64_t> saved_first_id(const StateReader& r);

/// Daily count of arrivals: `total` spread over the horizon by the arrival curve
/// (Arrivals::daily_shape, or the surge parameters when it is empty) with largest-remainder
/// rounding, so the counts sum exactly to total.
std::vector<std::int64_t> daily_counts(const Arrivals& arrivals, int horizon);

}  // namespace rfsim::sim
