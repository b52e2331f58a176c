// Travel home over the district graph: days in transit = ceil(path_km / speed) from the
// origin (facility district, or entry district) to the home district, 0 in the same
// district, 1 if no path exists. Returnees whose home lies outside the study area travel to
// the last study district on their path (the exit) and are counted leaving the study area
// there; if their origin is outside the study area too, they leave on departure.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/calendar.h"
#include "sim/grid.h"
#include "sim/home.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Travel final : public Unit {
 public:
  Travel(World& world, Home& home);

  /// Agent i sets off for home from district `origin` on day d (origin must be an entry
  /// point's or a facility's district).
  void start(std::uint32_t i, int origin, int d);
  /// Returnees setting off for home each day, [day, 1].
  const Grid& trips() const { return trips_; }

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;
  std::size_t queue_bytes() const override;

 private:
  /// From an origin to a home district.
  struct Route {
    std::uint16_t days = 0;  ///< days in transit to home (or to leaving the study area)
    std::int32_t exit = -1;  ///< study district where the path leaves the area; -1 if home inside
  };
  void leave_now(int exit, int d);

  World& w_;
  Home& home_;
  std::vector<int> origin_index_;  ///< district -> row of routes_, -1 if not an origin
  std::vector<std::vector<Route>> routes_;
  Calendar arrive_;  ///< agent ids reaching home
  Calendar leave_;   ///< (agent id, exit district) pairs leaving the study area
  Grid left_total_, left_exit_;
  Grid trips_;  ///< [day, 1] returnees setting off for home
};

}  // namespace rfsim::sim
