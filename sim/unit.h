// The shape every mechanism of the model takes (arrivals, quarantine, infection,
// transmission, travel, settling at home, social services, reintegration, and every later
// one). A unit is constructed from the World (it reads its own scenario section there and
// declares the agent columns it adds); it owns its state; it binds its daily steps to the
// names of the day schedule (sim/schedule.h); it reports its series and summary figures
// (sim/report.h); and it writes and reads its state for checkpoints (sim/state_io.h).
#pragma once

#include <cstddef>

#include "sim/report.h"
#include "sim/schedule.h"
#include "sim/state_io.h"

namespace rfsim::sim {

class Unit {
 public:
  virtual ~Unit() = default;
  /// Binds this unit's steps, stages and item counts to their schedule names.
  virtual void bind(StepTable& steps) = 0;
  /// Adds this unit's series and summary figures, after the last day.
  virtual void report(Report& out) const = 0;
  /// Every piece of state the unit holds beyond its agent columns (the AgentTable saves
  /// those): calendars, queues, accumulators, scalars. Scratch rebuilt each day is not state.
  virtual void save(StateWriter& w) const = 0;
  virtual void load(const StateReader& r) = 0;
  /// Bytes held now in calendars and queues (a memory diagnostic).
  virtual std::size_t queue_bytes() const { return 0; }
};

}  // namespace rfsim::sim
