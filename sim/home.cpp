// Settling at home: for the returnees who reached home today, the
// infectious days they spend in the community (difference array per home district), the
// re-migration day, the days their needs get identified at home, and the package queue.
// Draws run in parallel; scheduling runs in id order, as independent serial streams side
// by side (calendars | package queue | the day's social services).
#include <algorithm>
#include <climits>

#include "sim/model.h"

namespace rfsim::sim::detail {

void Model::process_home_today(int d) {
  auto& list = home_today;
  // Taken before the region: the calendar stream below pushes to the same calendar.
  identified_today = identify.take(d);
  if (list.empty()) {
    process_services(d);
    return;
  }
  const std::int64_t n = static_cast<std::int64_t>(list.size());
  const double hazard = sc.reintegration.remigration_hazard;
  const int nk = static_cast<int>(needs.size());
  // delays[k*5] = re-migration delay, delays[k*5+1+j] = identification delay of need j.
  std::vector<int> delays(static_cast<size_t>(n) * 5, INT_MAX);
  std::vector<std::uint8_t> elig(static_cast<size_t>(n), 0);
  // One parallel region: the draws split over threads; then the scheduling, which must
  // keep id order within each queue, as independent serial streams side by side
  // (calendars and re-migration days | package queue | the day's social services), each
  // exactly as a single thread would do it. The services touch only agents already at home
  // before today or admitted to quarantine today, and their own queues.
#pragma omp parallel num_threads(threads) if (n > 2048)
  {
#pragma omp for schedule(static)
    for (std::int64_t k = 0; k < n; ++k) {
      const std::uint32_t i = list[k];
      int* out = &delays[static_cast<size_t>(k) * 5];
      elig[k] = eligible_for_package(i);
      // Undetected (or not yet recovered) infections spend their infectious days at home.
      const int from = agents.infectious_from[i], to = agents.recovered_from[i];
      if (from != kNever && to > d) {
        const int start = std::max(d, from), end = std::min(H, to);
        if (start < end) {
#pragma omp atomic
          ++community_diff.at(start, agents.home[i]);
#pragma omp atomic
          --community_diff.at(end, agents.home[i]);
        }
      }
      out[0] = geometric_days(uniform32(rng(i, d, Purpose::Remigration)[0]), hazard);
      const int h = agents.home[i];
      if (!study[h]) continue;
      const std::uint16_t at = agents.attr[i];
      const bool workers = deployed[h] > 0;
      for (int j = 0; j < nk; ++j) {
        if (!(at & needs[j].flag) || (agents.needs[i] >> j & 1)) continue;
        const double p = workers ? needs[j].daily_with_worker : needs[j].daily_without_worker;
        out[1 + j] = geometric_days(
            uniform32(rng(i, d, Purpose::Identification, static_cast<std::uint32_t>(j))[0]), p);
      }
    }
#pragma omp sections
    {
#pragma omp section
      for (std::int64_t k = 0; k < n; ++k) {
        const std::uint32_t i = list[k];
        const int* in = &delays[static_cast<size_t>(k) * 5];
        if (in[0] != INT_MAX && static_cast<long long>(d) + in[0] < H) {
          agents.remigration_day[i] = static_cast<Day16>(d + in[0]);
          remigrate.push(d + in[0], i);
        }
        for (int j = 0; j < nk; ++j)
          if (in[1 + j] != INT_MAX)
            identify.push(static_cast<long long>(d) + in[1 + j], i * 4u + j);
      }
#pragma omp section
      {
        for (std::int64_t k = 0; k < n; ++k)
          if (elig[k]) eligible.push_back(list[k]);
        // Only the package queue needs id order within the day; everything in the other
        // section is a count or a calendar entry whose order does not matter.
        std::sort(eligible.begin(), eligible.end());
        for (std::uint32_t i : eligible) enqueue_for_package(i);
      }
#pragma omp section
      process_services(d);
    }
  }
  eligible.clear();
  list.clear();
}

}  // namespace rfsim::sim::detail
