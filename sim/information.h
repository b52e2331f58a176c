// Information and prevention (the joint programme's first output): returnees reached at
// formal checkpoints (reach_formal), at informal crossings (reach_informal, raised by
// outreach teams: 1 - (1 - reach_informal) x (1 - reach_per_team)^outreach_teams) and in
// quarantine facilities (reach_in_facility, drawn at admission). Being reached (the
// status::Informed flag) changes what returnees do, where the other units apply it: they
// keep to home quarantine more often (Home, with Infection counting the infectious days of
// those who do not), seek care (Services: identification hazard x care_seeking_ratio) and
// know safe migration (Reintegration: re-migration hazard x remigration_ratio).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/arrivals.h"
#include "sim/grid.h"
#include "sim/quarantine.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Information final : public Unit {
 public:
  Information(World& world, const Arrivals& arrivals, const Quarantine& quarantine);

  /// Returnees reached each day at the crossings, [day, entry point], and in quarantine,
  /// [day, facility].
  const Grid& reached_at_entry() const { return at_entry_; }
  const Grid& reached_in_facility() const { return in_facility_; }

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;

 private:
  void at_entry(const Items& items, std::int64_t lo, std::int64_t hi, int d, int thread);
  void in_facility(int d);

  World& w_;
  const Arrivals& arrivals_;
  const Quarantine& quarantine_;
  const rfsim::Information& p_;
  double reach_informal_ = 0;  ///< with the outreach teams
  /// Per thread: reached by entry point, then by group (group:: columns).
  std::vector<std::vector<std::int64_t>> tally_;
  /// Per thread: reached in quarantine today by facility, then by group.
  std::vector<std::vector<std::int64_t>> facility_tally_;
  Grid at_entry_;     ///< [day, entry point] reached at the crossing
  Grid in_facility_;  ///< [day, facility] reached during quarantine
  Grid by_group_;     ///< [day, group] reached, where ever
};

}  // namespace rfsim::sim
