// What a process does with the memory it frees: rfsim keeps it for its next allocations
// instead of handing it back to the kernel. A process sets this once, at the start of its
// main(), for all it does (a library does not change it behind its caller's back).
//
// glibc serves blocks above its mmap threshold (128 KiB at first) from fresh mappings and
// unmaps them when freed, and gives the heap's free top back to the kernel past its trim
// threshold. rfsim allocates and frees tens of megabytes per simulated run (its series,
// lists and calendars, in blocks of a few kilobytes to a few megabytes), and runs many in
// one process: the runs of `rfsim run`'s social-worker recommendation (26 of the default
// scenario) and every study's thousands. Each fresh page costs a fault and a clearing,
// ~5 us on a virtual machine. Kept in the process, `rfsim run scenarios/default.toml` took
// 1.34 s instead of 1.84 s (0.33 s of system time instead of 0.72; peak memory 138 MB
// instead of 130). Larger blocks (the columns of millions of agents, checkpoint state and
// images) are still mapped and unmapped whole: kept in the heap too, a checkpointed run
// of 10M returnees peaked at ~820 MB instead of ~610, and was no faster. Results do not
// depend on it.
#pragma once

#include <malloc.h>

namespace rfsim {

/// Blocks below 4 MiB come from the heap, and the heap keeps up to 64 MiB free at its top
/// (glibc's M_MMAP_THRESHOLD and M_TRIM_THRESHOLD).
inline void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

}  // namespace rfsim
