// Quarantine and transmission: bed assignment in agent-id order (waiting agents from
// earlier days first), the overflow rules, releases with the exit test, isolation of
// positives (outside the bed count), and transmission inside each facility.
//
// First choice: NearestFree = the open facility nearest (path_km) to the entry district,
// ties by facility index; HomeDistrictFirst = the first open facility (by index) in the
// home district, else as NearestFree. When the first choice is full it is over capacity
// that day, and the overflow rule applies: NextNearest tries the other open facilities
// (home-district ones first under HomeDistrictFirst, then by distance) and falls back to
// home quarantine; HomeQuarantine sends the agent home to quarantine; Wait keeps the agent
// at the entry point to retry the next day, before that day's arrivals. "Overflow" counts,
// per day, the agents who wanted a bed and got none (waiting agents count again each day).
//
// Home quarantine (overflow): the agent travels home, then stays in home quarantine for the
// stay_days of the policy in force on the day it reaches home; it is counted present in
// its home district but not as community infectious-days until the home quarantine ends.
// Isolation lasts isolation_days; released agents then travel home from the facility
// (exit positives) or the entry district (entry positives).
//
// Transmission (per facility per day): force = facility_beta * I *
// max(1, occupancy/capacity)^crowding_exponent / max(1, occupancy), I = infectious
// residents; each susceptible resident is infected with p = 1 - exp(-force).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/model.h"

namespace rfsim::sim::detail {

void Model::setup_quarantine() {
  if (F > 254) throw std::invalid_argument("at most 254 quarantine facilities are supported");
  district_facilities.assign(D, {});
  for (int f = 0; f < F; ++f) {
    const Facility& fac = sc.facilities[f];
    if (fac.district < 0 || fac.district >= D)
      throw std::invalid_argument("facility '" + fac.name + "' is not resolved to a district");
    capacity.push_back(std::max(0, fac.capacity));
    facility_district.push_back(fac.district);
    district_facilities[fac.district].push_back(f);
  }
  occupancy.assign(F, 0);
  residents.assign(F, {});
  over_today.assign(F, 0);
  open.assign(F, 0);
  entry_order.assign(E, {});
}

void Model::update_open_facilities(int d) {
  bool changed = d == 0;
  for (int f = 0; f < F; ++f) {
    const std::uint8_t o = sc.facilities[f].opens <= d && d < sc.facilities[f].closes;
    changed = changed || o != open[f];
    open[f] = o;
  }
  if (!changed) return;
  for (int e = 0; e < E; ++e) {
    auto& order = entry_order[e];
    order.clear();
    for (int f = 0; f < F; ++f)
      if (open[f]) order.push_back(static_cast<std::uint8_t>(f));
    const int from = entry_district[e];
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
      return geo.path_km(from, facility_district[x]) < geo.path_km(from, facility_district[y]);
    });
  }
}

void Model::admit(std::uint32_t i, int f, int d) {
  ++occupancy[f];
  ++intake_g.at(d, f);
  agents.facility[i] = static_cast<std::uint8_t>(f);
  set_state(i, InQuarantine);
  residents[f].push_back(i);
  release.push(d + std::max(1, policy[d]->stay_days), i);
  identify_at_intake(i, d);
}

void Model::assign_bed(std::uint32_t i, int d, bool retry) {
  const auto& order = entry_order[agents.entry[i]];
  const bool home_first = sc.assignment == AssignmentRule::HomeDistrictFirst;
  const auto& local = district_facilities[agents.home[i]];
  int first = -1;
  if (home_first)
    for (int f : local)
      if (open[f]) {
        first = f;
        break;
      }
  if (first < 0 && !order.empty()) first = order[0];
  if (first >= 0 && occupancy[first] < capacity[first]) {
    admit(i, first, d);
    return;
  }
  if (first >= 0) over_today[first] = 1;
  // Beds are only freed by releases, which precede every assignment of the day: once a
  // full scan fails, later scans that day fail too.
  if (sc.overflow == OverflowRule::NextNearest && full_day != d) {
    if (home_first)
      for (int f : local)
        if (open[f] && f != first && occupancy[f] < capacity[f]) {
          admit(i, f, d);
          return;
        }
    for (int f : order)
      if (f != first && occupancy[f] < capacity[f] &&
          !(home_first && facility_district[f] == agents.home[i])) {
        admit(i, f, d);
        return;
      }
    full_day = d;
  }
  ++overflow_g.at(d, 0);
  if (sc.overflow == OverflowRule::Wait) {
    if (!retry) set_state(i, WaitingAtEntry);
    waiting_at_entry.push_back(i);
    return;
  }
  agents.status[i] |= status::HomeQuarantine;
  start_travel(i, entry_district[agents.entry[i]], d);
}

void Model::isolate(std::uint32_t i, int d) {
  agents.status[i] |= status::Detected;
  ++positives_g.at(d, 0);
  set_state(i, InIsolation);
  isolation_end.push(d + std::max(1, sc.infection.isolation_days), i);
}

void Model::process_releases(int d) {
  const PolicyPeriod& pol = *policy[d];
  for (std::uint32_t i : release.take(d)) {
    const int f = agents.facility[i];
    --occupancy[f];
    if (pol.test_at_exit && agents.infectious(i, d) &&
        bernoulli(uniform32(rng(i, d, Purpose::ExitTest)[0]), sc.infection.test_sensitivity)) {
      isolate(i, d);
    } else {
      start_travel(i, facility_district[f], d);
    }
  }
}

void Model::process_isolation_end(int d) {
  for (std::uint32_t i : isolation_end.take(d)) start_travel(i, origin_of(i), d);
}

void Model::transmission(int d) {
  const Infection& inf = sc.infection;
  // Per facility: the infection probability of a susceptible resident today (serial, F
  // values); then one parallel pass over every resident of a facility with infectious ones.
  std::vector<double> p(F, 0.0);
  const bool any_beta = inf.facility_beta > 0;
  std::size_t resident_total = 0;
  for (const auto& res : residents) resident_total += res.size();
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (resident_total > 16384)
  for (int f = 0; f < F; ++f) {
    auto& res = residents[f];
    std::erase_if(res, [&](std::uint32_t i) { return agents.state[i] != InQuarantine; });
    if (res.empty() || !any_beta) continue;
    std::int64_t infectious = 0;
    for (std::uint32_t i : res) infectious += agents.infectious(i, d);
    if (infectious == 0) continue;
    const double occ = static_cast<double>(res.size());
    const double crowding = std::max(1.0, capacity[f] > 0 ? occ / capacity[f] : occ);
    const double force = inf.facility_beta * static_cast<double>(infectious) *
                         std::pow(crowding, inf.crowding_exponent) / std::max(1.0, occ);
    p[f] = -std::expm1(-force);
  }
  transmit_tmp.clear();
  for (int f = 0; f < F; ++f)
    if (p[f] > 0) transmit_tmp.insert(transmit_tmp.end(), residents[f].begin(), residents[f].end());
  const std::int64_t n = static_cast<std::int64_t>(transmit_tmp.size());
  if (n == 0) return;
  std::int64_t* infections = &facility_infections.at(d, 0);
#pragma omp parallel for num_threads(threads) schedule(static) if (n > 4096)
  for (std::int64_t k = 0; k < n; ++k) {
    const std::uint32_t i = transmit_tmp[k];
    if (agents.infectious_from[i] != kNever) continue;
    const int f = agents.facility[i];
    if (!bernoulli(uniform32(rng(i, d, Purpose::Transmission)[0]), p[f])) continue;
    const Bits c = rng(i, d, Purpose::Course);
    const long long from = d + duration_days(uniform32(c[0]), inf.latent_days);
    const long long to = from + duration_days(uniform32(c[1]), inf.infectious_days);
    agents.infectious_from[i] = static_cast<Day16>(std::min<long long>(from, kNever - 1));
    agents.recovered_from[i] = static_cast<Day16>(std::min<long long>(to, kNever - 1));
    if (bernoulli(uniform32(c[2]), inf.symptomatic)) agents.status[i] |= status::Symptomatic;
#pragma omp atomic
    ++infections[f];
  }
}

}  // namespace rfsim::sim::detail
