// One run of the model: the World and every unit, constructed in the order of their
// dependencies (a unit may call or read only units above it), bound to the declared day
// (sim/schedule.h). It runs day by day, saves and loads its whole state (checkpoints,
// branches), and reports every series and summary figure at the end.
//
// Adding a mechanism: a unit (sim/<name>.h, .cpp) with its state, steps, series and
// state I/O; its scenario section and parameters (scenarios/); its line(s) in
// day_schedule(); one member here; its tests.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/arrivals.h"
#include "sim/costs.h"
#include "sim/engine.h"
#include "sim/home.h"
#include "sim/infection.h"
#include "sim/information.h"
#include "sim/initial.h"
#include "sim/quarantine.h"
#include "sim/reintegration.h"
#include "sim/schedule.h"
#include "sim/services.h"
#include "sim/transmission.h"
#include "sim/travel.h"
#include "sim/world.h"

namespace rfsim::sim {

class Model {
 public:
  Model(const Scenario& scenario, const geo::Geography& geography, const Places& places,
        int threads);
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  /// Simulates the next day (next_day()).
  void run_day();
  /// The first day not yet simulated (0 for a new model; the horizon when done).
  int next_day() const { return day_; }
  int horizon() const { return world_.H; }

  void save(StateWriter& w) const;
  /// Replaces the whole state by a saved one (of the same scenario and geography).
  void load(const StateReader& r);

  /// Every series and summary figure (call when next_day() == horizon()).
  void report(RunResult& out) const;
  const World& world() const { return world_; }
  /// Wall seconds of each phase of the day so far (BoundDay::phase_seconds).
  std::vector<std::pair<std::string, double>> phase_seconds() const {
    return day_plan_.phase_seconds();
  }

 private:
  BoundDay bind_units();

  World world_;
  Infection infection_;
  Home home_;
  Travel travel_;
  Quarantine quarantine_;
  Transmission transmission_;
  Arrivals arrivals_;
  Services services_;
  Reintegration reintegration_;
  Information information_;
  Costs costs_;
  Initial initial_;
  std::vector<Unit*> units_;
  BoundDay day_plan_;
  int day_ = 0;
  std::size_t peak_queue_bytes_ = 0;
};

}  // namespace rfsim::sim
