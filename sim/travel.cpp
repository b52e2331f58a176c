// Travel home over the district graph (see travel.h).
#include "sim/travel.h"

#include <algorithm>
#include <cmath>

namespace rfsim::sim {

namespace {
std::uint16_t transit_days(double km, double speed) {
  if (!std::isfinite(km)) return 1;
  if (km <= 0) return 0;
  const double days = std::ceil(km / std::max(speed, 1e-9) - 1e-9);
  return static_cast<std::uint16_t>(std::clamp(days, 1.0, 60000.0));
}
}  // namespace

Travel::Travel(World& world, Home& home)
    : w_(world),
      home_(home),
      arrive_(world.H),
      leave_(world.H),
      left_total_(world.H, 1),
      left_exit_(world.H, world.D),
      trips_(world.H, 1) {
  const int D = w_.D;
  origin_index_.assign(D, -1);
  std::vector<int> origins = w_.places.entry_district;
  origins.insert(origins.end(), w_.places.facility_district.begin(),
                 w_.places.facility_district.end());
  const double speed = w_.sc.travel.speed_km_per_day;
  const auto& study = w_.study;
  for (int o : origins) {
    if (origin_index_[o] >= 0) continue;
    origin_index_[o] = static_cast<int>(routes_.size());
    std::vector<Route> row(D);
    for (int h = 0; h < D; ++h) {
      Route& r = row[h];
      if (study[h]) {
        r.days = h == o ? 0 : transit_days(w_.geo.path_km(o, h), speed);
        continue;
      }
      // Walk the shortest path; the exit is the last study district on it.
      int exit = study[o] ? o : -1;
      int at = o;
      for (int steps = 0; at != h && at >= 0 && steps < D; ++steps) {
        at = w_.geo.next_hop(at, h);
        if (at >= 0 && study[at]) exit = at;
      }
      if (exit < 0) exit = o;
      r.exit = exit;
      r.days = exit == o ? 0 : transit_days(w_.geo.path_km(o, exit), speed);
    }
    routes_.push_back(std::move(row));
  }
}

void Travel::leave_now(int exit, int d) {
  ++left_total_.at(d, 0);
  ++left_exit_.at(d, exit);
}

void Travel::start(std::uint32_t i, int origin, int d) {
  const Route& r = routes_[origin_index_[origin]][w_.home[i]];
  ++trips_.at(d, 0);
  if (r.exit < 0) {
    if (r.days == 0) {
      home_.reach(i, d);
    } else {
      w_.set_state(i, InTransit);
      arrive_.push(d + r.days, i);
    }
    return;
  }
  if (r.days == 0) {
    w_.set_state(i, LeftStudyArea);
    leave_now(r.exit, d);
  } else {
    w_.set_state(i, InTransit);
    leave_.push(d + r.days, i);
    leave_.push(d + r.days, static_cast<std::uint32_t>(r.exit));
  }
}

void Travel::bind(StepTable& steps) {
  steps.step("travel.arrivals_home", [this](int d) {
    for (std::uint32_t i : arrive_.take(d)) home_.reach(i, d);
  });
  steps.step("travel.leaving", [this](int d) {
    const std::vector<std::uint32_t> pairs = leave_.take(d);
    for (std::size_t k = 0; k + 1 < pairs.size(); k += 2) {
      w_.set_state(pairs[k], LeftStudyArea);
      leave_now(static_cast<int>(pairs[k + 1]), d);
    }
  });
}

void Travel::report(Report& out) const {
  const Series& left =
      out.daily(left_total_, "travel/left_study_area", "persons",
                "Returnees with a home outside the study area leaving it each day.", axis::Total);
  out.figure("left_study_area", total_sum(left), "persons",
             "Returnees whose home lies outside the study area, counted as they leave it.");
  out.daily(left_exit_, "travel/left_study_area_by_exit", "persons",
            "Returnees leaving the study area each day, by the study district where their path "
            "exits.",
            axis::District);
}

void Travel::save(StateWriter& w) const {
  arrive_.save(w, "travel/arrive");
  leave_.save(w, "travel/leave");
  left_total_.save(w, "travel/left_total");
  left_exit_.save(w, "travel/left_exit");
  trips_.save(w, "travel/trips");
}

void Travel::load(const StateReader& r) {
  arrive_.load(r, "travel/arrive");
  leave_.load(r, "travel/leave");
  left_total_.load(r, "travel/left_total");
  left_exit_.load(r, "travel/left_exit");
  trips_.load(r, "travel/trips");
}

std::size_t Travel::queue_bytes() const { return arrive_.bytes() + leave_.bytes(); }

}  // namespace rfsim::sim
