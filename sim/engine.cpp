// simulate(): builds the model, runs its days with progress and interruption, and collects
// what its units report (see engine.h, model.h).
#include "sim/engine.h"

#include <omp.h>

#include <chrono>

#include "sim/model.h"

namespace rfsim::sim {

const Series* RunResult::find(const std::string& name) const {
  for (const Series& s : series)
    if (s.name == name) return &s;
  return nullptr;
}

RunResult simulate(const Scenario& scenario, const geo::Geography& geography,
                   const Places& places, const RunOptions& options) {
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  Model m(scenario, geography, places, threads);
  const auto t0 = std::chrono::steady_clock::now();
  while (m.next_day() < m.horizon()) {
    if (options.stop && options.stop->load()) throw Interrupted();
    const int d = m.next_day();
    m.run_day();
    if (options.on_day) options.on_day(d, m.horizon());
  }
  const auto t1 = std::chrono::steady_clock::now();

  RunResult out;
  out.agents = m.world().total;
  out.timestep_seconds = std::chrono::duration<double>(t1 - t0).count();
  for (const Facility& f : scenario.facilities) out.facility_names.push_back(f.name);
  for (const EntryPoint& e : scenario.entry_points) out.entry_point_names.push_back(e.name);
  out.facility_districts = places.facility_district;
  out.entry_point_districts = places.entry_district;
  m.report(out);
  return out;
}

}  // namespace rfsim::sim
