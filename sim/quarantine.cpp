// Screening and quarantine (see quarantine.h).
#include "sim/quarantine.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/parallel.h"

namespace rfsim::sim {

Quarantine::Quarantine(World& world, const Infection& infection, Travel& travel)
    : w_(world),
      infection_(infection),
      travel_(travel),
      facility_(world.agents.add<std::uint8_t>("facility", kNoFacility,
                                               "quarantine facility, if ever admitted")),
      district_facilities_(world.D),
      open_(world.F, 0),
      entry_order_(world.E),
      occupancy_(world.F, 0),
      residents_(world.F),
      over_today_(world.F, 0),
      release_(world.H),
      isolation_end_(world.H),
      tally_(world.threads),
      occupancy_g_(world.H, world.F),
      intake_g_(world.H, world.F),
      over_capacity_g_(world.H, world.F),
      overflow_g_(world.H, 1),
      positives_g_(world.H, 1),
      tests_g_(world.H, 1) {
  for (const EntryPoint& e : w_.sc.entry_points) formal_.push_back(e.formal ? 1 : 0);
  const Places& p = w_.places;
  for (int f = 0; f < w_.F; ++f) {
    capacity_.push_back(std::max(0, w_.sc.facilities[f].capacity));
    crowd_limit_.push_back(static_cast<int>(
        std::floor(capacity_[f] * std::max(1.0, w_.sc.overcrowd_factor) + 1e-9)));
    facility_district_.push_back(p.facility_district[f]);
    district_facilities_[facility_district_[f]].push_back(f);
  }
}

void Quarantine::join_pieces(int f, std::size_t piece, const std::size_t* kept) {
  std::vector<std::uint32_t>& r = residents_[f];
  std::size_t end = 0;
  for (std::size_t start = 0; start < r.size(); start += piece, ++kept) {
    std::copy(r.begin() + static_cast<std::ptrdiff_t>(start),
              r.begin() + static_cast<std::ptrdiff_t>(start + *kept),
              r.begin() + static_cast<std::ptrdiff_t>(end));
    end += *kept;
  }
  r.resize(end);  // (the capacity stays, as it did with erase)
}

std::size_t Quarantine::resident_total() const {
  std::size_t n = 0;
  for (const auto& r : residents_) n += r.size();
  return n;
}

void Quarantine::open_facilities(int d) {
  std::fill(over_today_.begin(), over_today_.end(), 0);
  admitted_today_.clear();
  bool changed = !open_known_;
  for (int f = 0; f < w_.F; ++f) {
    const std::uint8_t o = w_.sc.facilities[f].opens <= d && d < w_.sc.facilities[f].closes;
    changed = changed || o != open_[f];
    open_[f] = o;
  }
  open_known_ = true;
  if (!changed) return;
  for (int e = 0; e < w_.E; ++e) {
    auto& order = entry_order_[e];
    order.clear();
    for (int f = 0; f < w_.F; ++f)
      if (open_[f]) order.push_back(static_cast<std::uint8_t>(f));
    const std::vector<double>& km = w_.places.entry_facility_km[e];
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return km[x] < km[y]; });
  }
}

int Quarantine::origin_of(std::uint32_t i) const {
  const int f = facility_[i];
  return f != kNoFacility ? facility_district_[f] : w_.places.entry_district[w_.entry[i]];
}

void Quarantine::admit(std::uint32_t i, int f, int d) {
  ++occupancy_[f];
  ++intake_g_.at(d, f);
  facility_[i] = static_cast<std::uint8_t>(f);
  w_.set_state(i, InQuarantine);
  residents_[f].push_back(i);
  release_.push(d + std::max(1, w_.policy(d).stay_days), i);
  admitted_today_.push_back(i);
}

int Quarantine::first_choice(std::uint32_t i) const {
  if (w_.sc.assignment == AssignmentRule::HomeDistrictFirst)
    for (int f : district_facilities_[w_.home[i]])
      if (open_[f]) return f;
  const auto& order = entry_order_[w_.entry[i]];
  return order.empty() ? -1 : order[0];
}

int Quarantine::first_below(std::uint32_t i, const std::vector<int>& limit, int skip) const {
  const bool home_first = w_.sc.assignment == AssignmentRule::HomeDistrictFirst;
  const int h = w_.home[i];
  if (home_first)
    for (int f : district_facilities_[h])
      if (open_[f] && f != skip && occupancy_[f] < limit[f]) return f;
  for (int f : entry_order_[w_.entry[i]])
    if (f != skip && occupancy_[f] < limit[f] && !(home_first && facility_district_[f] == h))
      return f;
  return -1;
}

void Quarantine::admit_initial(std::uint32_t i, int f, int release_day) {
  ++occupancy_[f];
  facility_[i] = static_cast<std::uint8_t>(f);
  w_.set_state(i, InQuarantine);
  residents_[f].push_back(i);
  release_.push(release_day, i);
}

void Quarantine::assign_bed(std::uint32_t i, int d, bool retry) {
  const int first = first_choice(i);
  if (first >= 0 && occupancy_[first] < capacity_[first]) {
    admit(i, first, d);
    return;
  }
  if (first >= 0) over_today_[first] = 1;
  // Beds are only freed by releases, which precede every assignment of the day: once a
  // scan of every open facility fails, later scans that day fail too.
  const OverflowRule rule = w_.sc.overflow;
  const bool scan = w_.sc.assignment != AssignmentRule::Nearest || rule == OverflowRule::NextNearest;
  if (scan && full_day_ != d) {
    const int f = first_below(i, capacity_, first);
    if (f >= 0) {
      admit(i, f, d);
      return;
    }
    full_day_ = d;
  }
  if (rule == OverflowRule::Overcrowd && crowded_day_ != d) {
    if (w_.sc.assignment == AssignmentRule::Nearest) {
      if (first >= 0 && occupancy_[first] < crowd_limit_[first]) {
        admit(i, first, d);
        return;
      }
    } else {
      const int f = first_below(i, crowd_limit_, -1);
      if (f >= 0) {
        admit(i, f, d);
        return;
      }
      crowded_day_ = d;
    }
  }
  ++overflow_g_.at(d, 0);
  if (w_.sc.overflow == OverflowRule::Wait) {
    if (!retry) w_.set_state(i, WaitingAtEntry);
    waiting_.push_back(i);
    return;
  }
  w_.status[i] |= status::HomeQuarantine;
  travel_.start(i, w_.places.entry_district[w_.entry[i]], d);
}

void Quarantine::isolate(std::uint32_t i, int d) {
  w_.status[i] |= status::Detected;
  ++positives_g_.at(d, 0);
  w_.set_state(i, InIsolation);
  isolation_end_.push(d + std::max(1, w_.sc.infection.isolation_days), i);
}

void Quarantine::releases(int d) {
  const PolicyPeriod& pol = w_.policy(d);
  const std::vector<std::uint32_t> list = release_.take(d);
  const std::int64_t n = static_cast<std::int64_t>(list.size());
  // Exit tests drawn in parallel (each reads only its own agent), applied in list order.
  exit_positive_.assign(list.size(), 0);
  if (pol.test_at_exit) {
    tests_g_.at(d, 0) += n;
    const double sensitivity = w_.sc.infection.test_sensitivity;
    parallel_for(w_.threads, n, 4096, [&](std::int64_t k, int) {
      const std::uint32_t i = list[k];
      exit_positive_[k] = infection_.infectious(i, d) &&
                          bernoulli(uniform32(w_.rng(i, d, Purpose::ExitTest)[0]), sensitivity);
    });
  }
  for (std::int64_t k = 0; k < n; ++k) {
    const std::uint32_t i = list[k];
    const int f = facility_[i];
    --occupancy_[f];
    if (exit_positive_[k])
      isolate(i, d);
    else
      travel_.start(i, facility_district_[f], d);
  }
}

void Quarantine::isolation_ends(int d) {
  const rfsim::Infection& inf = w_.sc.infection;
  for (std::uint32_t i : isolation_end_.take(d)) {
    const bool infectious = infection_.infectious(i, d);
    if (inf.isolation_release == IsolationRelease::NegativeTest) {
      ++tests_g_.at(d, 0);
      if (infectious &&
          bernoulli(uniform32(w_.rng(i, d, Purpose::IsolationTest)[0]), inf.test_sensitivity)) {
        isolation_end_.push(d + std::max(1, inf.retest_days), i);
        continue;
      }
    } else if (infectious) {
      isolation_end_.push(infection_.recovered_on(i), i);
      continue;
    }
    travel_.start(i, origin_of(i), d);
  }
}

void Quarantine::retry_waiting(int d) {
  std::vector<std::uint32_t> waiting;
  waiting.swap(waiting_);
  for (std::uint32_t i : waiting) assign_bed(i, d, true);
}

void Quarantine::screen(const Items& items, std::int64_t lo, std::int64_t hi, int d,
                        int thread) {
  const PolicyPeriod& pol = w_.policy(d);
  const rfsim::Infection& inf = w_.sc.infection;
  std::int64_t informal = 0, tests = 0;
  const auto id = [&](std::int64_t k) { return items.id(k); };
  for_each_draw(w_.rng, lo, hi, id, d, Purpose::EntryTest, 0,
                [&](std::int64_t k, std::uint32_t i, const Bits& r) {
                  const bool infectious_now = infection_.infectious(i, d);
                  std::uint8_t route = ToHome;
                  bool screened = formal_[w_.entry[i]];
                  if (!screened) {
                    w_.status[i] |= status::Informal;
                    ++informal;
                    screened = bernoulli(uniform32(r[0]), inf.informal_detection);
                  }
                  if (screened) {
                    tests += pol.test_at_entry;
                    if (pol.test_at_entry && infectious_now &&
                        bernoulli(uniform32(r[1]), inf.test_sensitivity))
                      route = ToIsolation;
                    else if (pol.mode == QuarantineMode::Mandatory)
                      route = ToQuarantine;
                    else if (pol.mode == QuarantineMode::Symptomatic)
                      route = (infectious_now && (w_.status[i] & status::Symptomatic))
                                  ? ToQuarantine
                                  : ToHome;
                  }
                  route_[k] = route;
                });
  tally_[thread].informal += informal;
  tally_[thread].entry_tests += tests;
}

void Quarantine::route(const Items& items, std::int64_t lo, std::int64_t hi, int d) {
  for (std::int64_t k = lo; k < hi; ++k) {
    const std::uint32_t i = items.id(k);
    switch (route_[k]) {
      case ToHome:
        travel_.start(i, w_.places.entry_district[w_.entry[i]], d);
        break;
      case ToIsolation:
        isolate(i, d);
        break;
      default:
        assign_bed(i, d, false);
    }
  }
}

void Quarantine::record(int d) {
  for (int f = 0; f < w_.F; ++f) {
    occupancy_g_.at(d, f) = occupancy_[f];
    over_capacity_g_.at(d, f) = over_today_[f] || occupancy_[f] > capacity_[f];
  }
}

void Quarantine::bind(StepTable& steps) {
  steps.step("quarantine.open_facilities", [this](int d) { open_facilities(d); });
  steps.step("quarantine.releases", [this](int d) { releases(d); });
  steps.step("quarantine.isolation_ends", [this](int d) { isolation_ends(d); });
  steps.step("quarantine.retry_waiting", [this](int d) { retry_waiting(d); });
  steps.prepare("quarantine.prepare_screening",
                [this](const Items& items, int) { route_.resize(items.n); });
  steps.stage("quarantine.screen",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int thread) {
                screen(items, lo, hi, d, thread);
              });
  steps.stage("quarantine.route",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int) {
                route(items, lo, hi, d);
              });
  steps.step("quarantine.tally", [this](int d) {
    for (Tally& t : tally_) {
      informal_arrivals_ += std::exchange(t.informal, 0);
      tests_g_.at(d, 0) += std::exchange(t.entry_tests, 0);
    }
  });
  steps.step("quarantine.record", [this](int d) { record(d); });
}

void Quarantine::report(Report& out) const {
  const int H = w_.H, F = w_.F;
  out.daily(occupancy_g_, "quarantine/occupancy", "beds",
            "Occupied quarantine beds at the end of each day, by facility.", axis::Facility);
  out.daily(intake_g_, "quarantine/intake", "persons",
            "Returnees admitted to each facility each day.", axis::Facility);
  out.daily(overflow_g_, "quarantine/overflow", "persons",
            "Returnees who needed a bed and got none that day (home quarantine or waiting at "
            "the entry point).",
            axis::Total);
  out.daily(over_capacity_g_, "quarantine/over_capacity", "0/1",
            "1 when the facility was full and turned away a returnee that day.", axis::Facility);
  const Series& positives =
      out.daily(positives_g_, "infection/positives_found", "persons",
                "Positive tests at entry or exit each day (isolated).", axis::Total);

  double peak_occ = 0, overflow_total = 0, peak_overflow = 0, days_over = 0, fac_days_over = 0;
  for (int d = 0; d < H; ++d) {
    double occ = 0, any = 0;
    for (int f = 0; f < F; ++f) {
      occ += static_cast<double>(occupancy_g_.at(d, f));
      any = std::max(any, static_cast<double>(over_capacity_g_.at(d, f)));
      fac_days_over += static_cast<double>(over_capacity_g_.at(d, f));
    }
    peak_occ = std::max(peak_occ, occ);
    days_over += any;
    overflow_total += static_cast<double>(overflow_g_.at(d, 0));
    peak_overflow = std::max(peak_overflow, static_cast<double>(overflow_g_.at(d, 0)));
  }
  out.figure("peak_occupancy", peak_occ, "beds", "Most quarantine beds occupied on one day.");
  out.figure("overflow_total", overflow_total, "person-days",
             "Sum over days of the returnees who needed a bed and got none.");
  out.figure("peak_overflow", peak_overflow, "persons",
             "Most returnees who needed a bed and got none on one day.");
  out.figure("days_over_capacity", days_over, "days",
             "Days on which at least one facility was full and turned someone away.");
  out.figure("facility_days_over_capacity", fac_days_over, "facility-days",
             "Sum over facilities of their days over capacity.");
  out.figure("positives_found", total_sum(positives), "persons",
             "Positive tests at entry or exit (isolated).");
  out.figure("arrivals_informal", static_cast<double>(informal_arrivals_), "persons",
             "Returnees who crossed at informal crossings.");
}

void Quarantine::save(StateWriter& w) const {
  std::vector<std::int32_t> occupancy(occupancy_.begin(), occupancy_.end());
  w.write("quarantine/occupancy", std::span<const std::int32_t>(occupancy));
  write_lists(w, "quarantine/residents", residents_);
  w.write("quarantine/waiting", std::span<const std::uint32_t>(waiting_));
  w.scalar<std::int64_t>("quarantine/informal_arrivals", informal_arrivals_);
  release_.save(w, "quarantine/release");
  isolation_end_.save(w, "quarantine/isolation_end");
  occupancy_g_.save(w, "quarantine/occupancy_by_day");
  intake_g_.save(w, "quarantine/intake");
  over_capacity_g_.save(w, "quarantine/over_capacity");
  overflow_g_.save(w, "quarantine/overflow");
  positives_g_.save(w, "quarantine/positives");
  tests_g_.save(w, "quarantine/tests");
}

void Quarantine::load(const StateReader& r) {
  // A state may hold fewer facilities: those a branch appends, empty until they open.
  std::vector<std::int32_t> occupancy;
  r.read("quarantine/occupancy", occupancy);
  residents_ = read_lists<std::uint32_t>(r, "quarantine/residents");
  if (occupancy.size() > static_cast<size_t>(w_.F) || residents_.size() != occupancy.size())
    throw StateError("state entry 'quarantine/occupancy': " + std::to_string(occupancy.size()) +
                     " facilities, expected " + std::to_string(w_.F) + " (or fewer, with " +
                     "one list of residents each)");
  occupancy.resize(w_.F, 0);
  residents_.resize(w_.F);
  occupancy_.assign(occupancy.begin(), occupancy.end());
  r.read("quarantine/waiting", waiting_);
  informal_arrivals_ = r.scalar<std::int64_t>("quarantine/informal_arrivals");
  release_.load(r, "quarantine/release");
  isolation_end_.load(r, "quarantine/isolation_end");
  occupancy_g_.load_appended(r, "quarantine/occupancy_by_day");
  intake_g_.load_appended(r, "quarantine/intake");
  over_capacity_g_.load_appended(r, "quarantine/over_capacity");
  overflow_g_.load(r, "quarantine/overflow");
  positives_g_.load(r, "quarantine/positives");
  tests_g_.load(r, "quarantine/tests");
  open_known_ = false;  // the next day rebuilds which facilities are open
}

std::size_t Quarantine::queue_bytes() const {
  std::size_t b = release_.bytes() + isolation_end_.bytes() +
                  waiting_.capacity() * sizeof(std::uint32_t);
  for (const auto& v : residents_) b += v.capacity() * sizeof(std::uint32_t);
  return b;
}

}  // namespace rfsim::sim
