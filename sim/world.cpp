// The shared part of a run (see world.h) and the daily arrival counts.
#include "sim/world.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rfsim::sim {

std::vector<std::int64_t> daily_counts(const Arrivals& arrivals, int horizon) {
  std::vector<double> w = arrivals.shape(horizon);
  w.resize(horizon, 0.0);
  double sum = 0;
  for (double x : w) {
    if (!(x >= 0)) throw std::invalid_argument("arrivals: daily counts must be >= 0");
    sum += x;
  }
  std::vector<std::int64_t> counts(horizon, 0);
  if (arrivals.total <= 0) return counts;
  if (!(sum > 0)) throw std::invalid_argument("arrivals: the daily arrival curve is all zero");
  // Largest remainder: floors first, then one more to the largest fractional parts (ties by
  // day index), so the counts sum exactly to total.
  std::vector<double> frac(horizon);
  std::int64_t assigned = 0;
  for (int d = 0; d < horizon; ++d) {
    const double q = static_cast<double>(arrivals.total) * (w[d] / sum);
    counts[d] = static_cast<std::int64_t>(std::floor(q));
    frac[d] = q - std::floor(q);
    assigned += counts[d];
  }
  std::vector<int> order(horizon);
  for (int d = 0; d < horizon; ++d) order[d] = d;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return frac[a] > frac[b]; });
  std::int64_t rest = arrivals.total - assigned;
  for (int k = 0; rest > 0; k = (k + 1) % horizon, --rest) ++counts[order[k]];
  while (rest < 0) {  // rounding could overshoot by a unit in pathological inputs
    for (int d = horizon - 1; d >= 0 && rest < 0; --d)
      if (counts[d] > 0) --counts[d], ++rest;
  }
  return counts;
}

namespace {

int checked_horizon(const Scenario& s) {
  if (s.horizon_days <= 0 || s.horizon_days > 65000)
    throw std::invalid_argument("horizon_days must be in 1..65000");
  return s.horizon_days;
}

std::vector<std::int64_t> first_ids(const Scenario& s) {
  const std::int64_t initial = s.initial.total();
  if (s.arrivals.total < 0 || initial < 0 || s.arrivals.total + initial >= (std::int64_t{1} << 30))
    throw std::invalid_argument("arrivals.total plus the initial state must be in 0..2^30-1");
  const int H = checked_horizon(s);
  const std::vector<std::int64_t> counts = daily_counts(s.arrivals, H);
  std::vector<std::int64_t> first(H + 1, initial);
  for (int d = 0; d < H; ++d) first[d + 1] = first[d] + counts[d];
  return first;
}

std::vector<std::uint8_t> study_flags(const geo::Geography& g) {
  std::vector<std::uint8_t> study(g.districts.size());
  for (size_t j = 0; j < study.size(); ++j) study[j] = g.districts[j].study_area ? 1 : 0;
  return study;
}

const geo::Geography& checked(const geo::Geography& g, const Places& p, const Scenario& s) {
  const int D = g.size();
  if (D == 0) throw std::invalid_argument("the geography has no districts");
  if (D > 65535) throw std::invalid_argument("at most 65535 districts are supported");
  if (g.path_km.rows() != D || g.path_km.cols() != D || g.next_hop.rows() != D ||
      g.next_hop.cols() != D)
    throw std::invalid_argument("geography: path_km and next_hop must be districts x districts");
  if (p.entry_district.size() != s.entry_points.size() ||
      p.facility_district.size() != s.facilities.size() ||
      p.deployed_workers.size() != static_cast<size_t>(D) ||
      p.home_weight.size() != static_cast<size_t>(D))
    throw std::invalid_argument("places: not resolved for this scenario and geography");
  for (int e : p.entry_district)
    if (e < 0 || e >= D) throw std::invalid_argument("places: entry point outside the geography");
  for (int f : p.facility_district)
    if (f < 0 || f >= D) throw std::invalid_argument("places: facility outside the geography");
  return g;
}

}  // namespace

World::World(const Scenario& scenario, const geo::Geography& geography, const Places& p,
             int nthreads)
    : sc(scenario),
      geo(checked(geography, p, scenario)),
      places(p),
      H(checked_horizon(scenario)),
      D(geography.size()),
      F(static_cast<int>(scenario.facilities.size())),
      E(static_cast<int>(scenario.entry_points.size())),
      threads(std::max(1, nthreads)),
      rng(scenario.seed, scenario.replicate),
      first_id(first_ids(scenario)),
      total(first_id.back()),
      study(study_flags(geography)),
      agents(static_cast<std::size_t>(total)),
      home(agents.add<std::uint16_t>("home", 0, "home district index")),
      attr(agents.add<std::uint16_t>("attr", 0, "sex, age band and vulnerability flags")),
      entry(agents.add<std::uint8_t>("entry", 0, "entry point index")),
      state(agents.add<std::uint8_t>("state", NotArrived, "where the agent is (State)")),
      status(agents.add<std::uint16_t>("status", 0, "status flags set by the units")),
      states_(H, kStateCount) {
  if (E == 0) throw std::invalid_argument("scenario has no entry points");
  if (E > 255) throw std::invalid_argument("at most 255 entry points are supported");
  if (F > 254) throw std::invalid_argument("at most 254 quarantine facilities are supported");
  policy_.resize(H);
  for (int d = 0; d < H; ++d) policy_[d] = &sc.policy_at(d);
  state_count_[NotArrived] = total;
}

int World::arrival_day(std::uint32_t i) const {
  return static_cast<int>(std::upper_bound(first_id.begin(), first_id.end(), i) -
                          first_id.begin()) -
         1;
}

void World::record_states(int d) {
  for (int s = 0; s < kStateCount; ++s) states_.at(d, s) = state_count_[s];
}

void World::save(StateWriter& w) const {
  w.write("world/first_id", std::span<const std::int64_t>(first_id));
  agents.save(w);
  w.write("world/state_count", std::span<const std::int64_t>(state_count_, kStateCount));
  states_.save(w, "world/states");
}

std::vector<std::int64_t> saved_first_id(const StateReader& r) {
  std::vector<std::int64_t> first;
  r.read("world/first_id", first);
  if (first.empty() || !std::is_sorted(first.begin(), first.end()) || first.front() < 0)
    throw StateError("state entry 'world/first_id' is not a count of arrivals by day");
  return first;
}

void World::load(const StateReader& r, int day) {
  const std::vector<std::int64_t> saved = saved_first_id(r);
  if (saved.size() != first_id.size())
    throw StateError("state entry 'world/first_id': a run of " + std::to_string(saved.size() - 1) +
                     " days, expected " + std::to_string(H));
  for (int d = 0; d <= day; ++d)
    if (saved[d] != first_id[d])
      throw StateError("state entry 'world/first_id': " + std::to_string(saved[d]) +
                       " returnees had arrived by day " + std::to_string(d) +
                       " in the saved run, " + std::to_string(first_id[d]) + " in this one");
  agents.load(r, static_cast<std::size_t>(first_id[day]));
  std::vector<std::int64_t> counts(kStateCount);
  r.read_exact("world/state_count", counts);
  states_.load(r, "world/states");
  // Returnees still to come in this run but not in the saved one (or the reverse) had not
  // arrived on any past day either.
  std::int64_t saved_total = 0;
  for (std::int64_t c : counts) saved_total += c;
  const std::int64_t more = total - saved_total;
  counts[NotArrived] += more;
  if (counts[NotArrived] < 0)
    throw StateError("state entry 'world/state_count': more returnees placed than this run has");
  if (more != 0)
    for (int d = 0; d < day; ++d) states_.at(d, NotArrived) += more;
  std::copy(counts.begin(), counts.end(), state_count_);
}

}  // namespace rfsim::sim
