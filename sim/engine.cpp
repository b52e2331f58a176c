// simulate(): builds the model, loads the state it continues (if any), runs its days with
// progress, interruption and checkpoints, and collects what its units report (see engine.h,
// model.h).
#include "sim/engine.h"

#include <omp.h>

#include <chrono>
#include <stdexcept>

#include "sim/memory_state.h"
#include "sim/model.h"

namespace rfsim::sim {

const Series* RunResult::find(const std::string& name) const {
  for (const Series& s : series)
    if (s.name == name) return &s;
  return nullptr;
}

namespace {

int thread_count(const RunOptions& options) {
  return options.threads > 0 ? options.threads : omp_get_max_threads();
}

/// Loads options.start into the new model, if any, then runs its days up to `until`, with
/// progress, interruption and checkpoints.
void run_days(Model& m, int until, const RunOptions& options) {
  if (options.start) m.load(*options.start);
  if (m.next_day() > until)
    throw StateError("the saved state is at day " + std::to_string(m.next_day()) +
                     ", after day " + std::to_string(until));
  const int every = options.checkpoint ? options.checkpoint_every : 0;
  while (m.next_day() < until) {
    if (options.stop && options.stop->load()) throw Interrupted();
    const int d = m.next_day();
    m.run_day();
    if (options.on_day) options.on_day(d, m.horizon());
    const int next = m.next_day();
    if (every > 0 && next % every == 0 && next < m.horizon())
      options.checkpoint(next, [&m](StateWriter& w) { m.save(w); });
  }
}

}  // namespace

MemoryState simulate_until(const Scenario& scenario, const geo::Geography& geography,
                           const Places& places, int day, const RunOptions& options) {
  Model m(scenario, geography, places, thread_count(options));
  if (day < 0 || day > m.horizon())
    throw std::invalid_argument("simulate_until: day " + std::to_string(day) +
                                " is outside the horizon");
  run_days(m, day, options);
  MemoryState state;
  m.save(state);
  return state;
}

RunResult simulate(const Scenario& scenario, const geo::Geography& geography,
                   const Places& places, const RunOptions& options) {
  Model m(scenario, geography, places, thread_count(options));
  const auto t0 = std::chrono::steady_clock::now();
  run_days(m, m.horizon(), options);
  const auto t1 = std::chrono::steady_clock::now();

  RunResult out;
  out.agents = m.world().total;
  out.timestep_seconds = std::chrono::duration<double>(t1 - t0).count();
  out.phase_seconds = m.phase_seconds();
  for (const Facility& f : scenario.facilities) out.facility_names.push_back(f.name);
  for (const EntryPoint& e : scenario.entry_points) out.entry_point_names.push_back(e.name);
  out.facility_districts = places.facility_district;
  out.entry_point_districts = places.entry_district;
  m.report(out);
  return out;
}

}  // namespace rfsim::sim
