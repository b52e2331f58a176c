// Loops whose items may be shared out over the threads, entering a parallel region only
// when they will be. A region costs about a microsecond even for one thread (its team is
// built, and its last barrier wakes a futex), and inside an ensemble's worker thread every
// region is a nested team built and torn down: a replicate of the default scenario met
// about 1,800 such regions, barriers and singles that did no shared work.
#pragma once

#include <omp.h>

#include <cstdint>

namespace rfsim::sim {

/// Whether work of `n` items should be shared out over `threads` (more than one, and more
/// items than `min_parallel`).
inline bool share_out(int threads, std::int64_t n, std::int64_t min_parallel) {
  return threads > 1 && n > min_parallel;
}

/// body(k, thread) for k in [0, n): over `threads` threads in static shares when
/// share_out(threads, n, min_parallel), else in order on the calling thread (thread 0).
/// Each k must touch only its own item and the thread's own tallies.
template <class Body>
void parallel_for(int threads, std::int64_t n, std::int64_t min_parallel, Body&& body) {
  if (!share_out(threads, n, min_parallel)) {
    for (std::int64_t k = 0; k < n; ++k) body(k, 0);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const int thread = omp_get_thread_num();
#pragma omp for schedule(static)
    for (std::int64_t k = 0; k < n; ++k) body(k, thread);
  }
}

}  // namespace rfsim::sim
