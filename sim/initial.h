// The returnees already in the system on day 0 (Scenario::initial, resolved in
// Places::initial), so a run that starts mid-regime does not start empty. On day 0, before
// anything else, each group's returnees (ids below World::first_id[0]) get their
// attributes drawn as arrivals do, their home district (the group's district, or the
// facility's for quarantine groups) and their place: a quarantine bed until their release
// (days_left, or spread evenly over the stay in force), home quarantine, settled at home,
// or at home with an open case or a place on the waiting list for the group's need (the
// need's flag is set). They are not infected (ASSUMPTION: the tables give no test
// results) and their entry point is the first one (it is never read for them).
#pragma once

#include "sim/arrivals.h"
#include "sim/home.h"
#include "sim/quarantine.h"
#include "sim/reintegration.h"
#include "sim/services.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Initial final : public Unit {
 public:
  Initial(World& world, const Arrivals& arrivals, Quarantine& quarantine, Home& home,
          Services& services, Reintegration& reintegration);

  void bind(StepTable& steps) override;
  void report(Report&) const override {}
  void save(StateWriter&) const override {}  // all of it lives in the units it placed into
  void load(const StateReader&) override {}

 private:
  void place(int d);

  World& w_;
  const Arrivals& arrivals_;
  Quarantine& quarantine_;
  Home& home_;
  Services& services_;
  Reintegration& reintegration_;
};

}  // namespace rfsim::sim
