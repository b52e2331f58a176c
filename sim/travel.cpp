// Travel home over the district graph: days in transit = ceil(path_km / speed) from the
// origin (facility district, or entry district) to the home district, 0 in the same
// district, 1 if no path exists. Returnees whose home lies outside the study area travel to
// the last study district on their path (the exit) and are counted leaving the study area
// there; if their origin is outside the study area too, they leave on departure.
#include <algorithm>
#include <cmath>

#include "sim/model.h"

namespace rfsim::sim::detail {

namespace {
std::uint16_t transit_days(double km, double speed) {
  if (!std::isfinite(km)) return 1;
  if (km <= 0) return 0;
  const double days = std::ceil(km / std::max(speed, 1e-9) - 1e-9);
  return static_cast<std::uint16_t>(std::clamp(days, 1.0, 60000.0));
}
}  // namespace

void Model::setup_travel() {
  origin_index.assign(D, -1);
  std::vector<int> origins;
  for (int e : entry_district) origins.push_back(e);
  for (int f : facility_district) origins.push_back(f);
  const double speed = sc.travel.speed_km_per_day;
  for (int o : origins) {
    if (origin_index[o] >= 0) continue;
    origin_index[o] = static_cast<int>(routes.size());
    std::vector<Route> row(D);
    for (int h = 0; h < D; ++h) {
      Route& r = row[h];
      if (study[h]) {
        r.days = h == o ? 0 : transit_days(geo.path_km(o, h), speed);
        continue;
      }
      // Walk the shortest path; the exit is the last study district on it.
      int exit = study[o] ? o : -1;
      int at = o;
      for (int steps = 0; at != h && at >= 0 && steps < D; ++steps) {
        at = geo.next_hop(at, h);
        if (at >= 0 && study[at]) exit = at;
      }
      if (exit < 0) exit = o;
      r.exit = exit;
      r.days = exit == o ? 0 : transit_days(geo.path_km(o, exit), speed);
    }
    routes.push_back(std::move(row));
  }
}

int Model::origin_of(std::uint32_t i) const {
  const int f = agents.facility[i];
  return f != kNoFacility ? facility_district[f] : entry_district[agents.entry[i]];
}

void Model::start_travel(std::uint32_t i, int origin, int d) {
  const Route& r = routes[origin_index[origin]][agents.home[i]];
  if (r.exit < 0) {
    if (r.days == 0) {
      reach_home(i, d);
    } else {
      set_state(i, InTransit);
      arrive.push(d + r.days, i);
    }
    return;
  }
  if (r.days == 0) {
    set_state(i, LeftStudyArea);
    ++left_total_g.at(d, 0);
    ++left_exit_g.at(d, r.exit);
  } else {
    set_state(i, InTransit);
    leave.push(d + r.days, i);
  }
}

void Model::reach_home(std::uint32_t i, int d) {
  const int h = agents.home[i];
  ++arrivals_home.at(d, h);
  ++present_diff.at(d, h);
  if (agents.status[i] & status::HomeQuarantine) {
    set_state(i, InHomeQuarantine);
    home_quarantine_end.push(d + std::max(1, policy[d]->stay_days), i);
  } else {
    set_state(i, AtHome);
    home_today.push_back(i);
  }
}

void Model::process_arrive(int d) {
  for (std::uint32_t i : arrive.take(d)) reach_home(i, d);
  for (std::uint32_t i : home_quarantine_end.take(d)) {
    set_state(i, AtHome);
    home_today.push_back(i);
  }
}

void Model::process_leave(int d) {
  for (std::uint32_t i : leave.take(d)) {
    const Route& r = routes[origin_index[origin_of(i)]][agents.home[i]];
    set_state(i, LeftStudyArea);
    ++left_total_g.at(d, 0);
    ++left_exit_g.at(d, r.exit);
  }
}

}  // namespace rfsim::sim::detail
