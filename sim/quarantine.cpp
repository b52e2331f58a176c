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
#include <omp.h>

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
  const std::vector<std::uint32_t> list = release.take(d);
  const std::int64_t n = static_cast<std::int64_t>(list.size());
  // Exit tests drawn in parallel (each reads only its own agent), applied in list order.
  exit_positive.assign(list.size(), 0);
  if (pol.test_at_exit) {
    const double sensitivity = sc.infection.test_sensitivity;
#pragma omp parallel for num_threads(threads) schedule(static) if (n > 4096)
    for (std::int64_t k = 0; k < n; ++k) {
      const std::uint32_t i = list[k];
      exit_positive[k] = agents.infectious(i, d) &&
                         bernoulli(uniform32(rng(i, d, Purpose::ExitTest)[0]), sensitivity);
    }
  }
  for (std::int64_t k = 0; k < n; ++k) {
    const std::uint32_t i = list[k];
    const int f = agents.facility[i];
    --occupancy[f];
    if (exit_positive[k])
      isolate(i, d);
    else
      start_travel(i, facility_district[f], d);
  }
}

void Model::process_isolation_end(int d) {
  for (std::uint32_t i : isolation_end.take(d)) start_travel(i, origin_of(i), d);
}

void Model::transmission(int d) {
  if (F == 0) return;  // no facilities, no residents (and an empty infections row)
  const Infection& inf = sc.infection;
  const bool any_beta = inf.facility_beta > 0;
  std::size_t resident_total = 0;
  for (const auto& res : residents) resident_total += res.size();
  infectious_tmp.assign(F, 0);
  p_tmp.assign(F, 0.0);
  offset_tmp.assign(F + 1, 0);
  std::int64_t* infections = &facility_infections.at(d, 0);
  // One parallel region: per facility, drop the residents who left and count the infectious
  // ones (one pass); one thread turns the counts into today's infection probability and
  // the offsets of the residents at risk (facilities with p > 0, in index order); then each
  // thread draws the infections of a contiguous share of those residents. Every draw reads
  // and writes only its own agent, and the counts are integer sums, so the split does not
  // change any result.
#pragma omp parallel num_threads(threads) if (resident_total > 16384)
  {
#pragma omp for schedule(dynamic, 1)
    for (int f = 0; f < F; ++f) {
      std::int64_t infectious = 0;
      std::erase_if(residents[f], [&](std::uint32_t i) {
        if (agents.state[i] != InQuarantine) return true;
        infectious += agents.infectious(i, d);
        return false;
      });
      infectious_tmp[f] = infectious;
    }
#pragma omp single
    for (int f = 0; f < F; ++f) {
      const auto& res = residents[f];
      if (any_beta && infectious_tmp[f] > 0) {
        const double occ = static_cast<double>(res.size());
        const double crowding = std::max(1.0, capacity[f] > 0 ? occ / capacity[f] : occ);
        const double force = inf.facility_beta * static_cast<double>(infectious_tmp[f]) *
                             std::pow(crowding, inf.crowding_exponent) / std::max(1.0, occ);
        p_tmp[f] = -std::expm1(-force);
      }
      offset_tmp[f + 1] =
          offset_tmp[f] + (p_tmp[f] > 0 ? static_cast<std::int64_t>(res.size()) : 0);
    }
    const std::int64_t n = offset_tmp[F];
    const int nt = omp_get_num_threads(), t = omp_get_thread_num();
    const std::int64_t lo = n * t / nt, hi = n * (t + 1) / nt;
    const double latent = inf.latent_days, infectious_days = inf.infectious_days,
                 symptomatic = inf.symptomatic;
    for (int f = 0; f < F; ++f) {
      const std::int64_t b = std::max(lo, offset_tmp[f]), e = std::min(hi, offset_tmp[f + 1]);
      if (b >= e) continue;
      const std::uint32_t* res = residents[f].data() + (b - offset_tmp[f]);
      const double p = p_tmp[f];
      std::int64_t infected = 0;
      for (std::int64_t k = 0; k < e - b; ++k) {
        const std::uint32_t i = res[k];
        if (agents.infectious_from[i] != kNever) continue;
        if (!bernoulli(uniform32(rng(i, d, Purpose::Transmission)[0]), p)) continue;
        const Bits c = rng(i, d, Purpose::Course);
        const long long from = d + duration_days(uniform32(c[0]), latent);
        const long long to = from + duration_days(uniform32(c[1]), infectious_days);
        agents.infectious_from[i] = static_cast<Day16>(std::min<long long>(from, kNever - 1));
        agents.recovered_from[i] = static_cast<Day16>(std::min<long long>(to, kNever - 1));
        if (bernoulli(uniform32(c[2]), symptomatic)) agents.status[i] |= status::Symptomatic;
        ++infected;
      }
#pragma omp atomic
      infections[f] += infected;
    }
  }
}

}  // namespace rfsim::sim::detail
