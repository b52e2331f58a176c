// Settling at home: returnees reaching their home district (into home quarantine when the
// overflow rule sent them there, for the stay of the policy in force that day; one who
// does not keep to it, with the compliance of [information], spends the infectious days
// of the quarantine in the community), ends of home quarantine, the list of today's arrivals at home that the settling phase works
// through, and returnees present in each home district (the host-community load).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/calendar.h"
#include "sim/grid.h"
#include "sim/infection.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Home final : public Unit {
 public:
  Home(World& world, Infection& infection);

  /// Agent i reaches its home district on day d.
  void reach(std::uint32_t i, int d);
  /// Agent i is at home on day 0 (Scenario::initial): settled, or in home quarantine until
  /// quarantine_end (when > 0).
  void place_initial(std::uint32_t i, int quarantine_end);
  /// Agent i leaves its home district for good on day d (re-migration).
  void left(std::uint32_t i, int d) {
    const std::uint16_t h = w_.home[i];
    --present_diff_.at(d, h);
    left_today_.push_back({i, h});
  }
  /// A returnee who left home, with the district left (so that a district's departures
  /// are found without reading each agent's home).
  struct Departure {
    std::uint32_t agent;
    std::uint16_t district;
  };
  /// Returnees who left their home district today, in the order they left.
  const std::vector<Departure>& left_today() const { return left_today_; }

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;
  std::size_t queue_bytes() const override;

 private:
  void quarantine_ends(int d);
  /// Agent i goes into home quarantine on day d until `end`.
  void start_home_quarantine(std::uint32_t i, int d, int end);

  World& w_;
  Infection& infection_;
  Calendar quarantine_end_;
  std::vector<std::uint32_t> today_;  ///< settled at home today, in the order they arrived
  std::vector<Departure> left_today_;  ///< left home today
  Grid arrivals_;                     ///< [day, district] reaching home
  Grid present_diff_;                 ///< [day, district] difference array of presence
};

}  // namespace rfsim::sim
