// How the runs of a study are shared out: a batch of jobs 0..n-1 (replicates, sweep
// points, design points) runs over the threads of every rank, each job on one thread
// (one model, single-threaded: the natural split of many small runs), handed out as they
// are asked for (dynamic distribution), and each job's result, a few bytes, goes to rank 0.
//
// Rank 0 holds the job counter. Its own threads take one job at a time; every other rank
// starts with jobs of its own (two each of the batch's first jobs, when there are at
// least eight a rank: known to every rank without a message), asks for more once each of
// its threads has taken the last job queued for it (guided self-scheduling: a share of
// what is left, at most two per thread), and sends each result as soon as it is ready.
// On every rank the thread that owns the Cluster also runs jobs, and moves the messages
// (MPI_THREAD_FUNNELED) between jobs and within them: a job calls its Pulse between its
// steps (a run: between its days), so rank 0 answers a request within a millisecond,
// not after the job it is running. (Answered between rank 0's jobs, the other ranks had
// to keep two jobs a thread queued, and finished them after rank 0 had handed out the
// last: ~2 jobs' time idle at the end of every batch.) What crosses the network: a
// request and a grant of a few bytes per chunk of jobs, and each job's result bytes (a
// sweep or design run: its summary figures, ~2 kB; an ensemble replicate: its encoded
// series, ~0.33 MB for the default).
//
// Results are keyed by job number, so whatever ran where, rank 0 sees the same results:
// the collectors store them by job and reduce in job order. A job that throws, on any
// rank, stops the batch: rank 0 tells every rank to drop what it has queued, waits for the
// jobs running to end, and every rank throws the same StudyError.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "ensemble/cluster.h"

namespace rfsim::ensemble {

/// What a job calls between its steps (a run: between its days), on the thread running
/// it. On the thread that owns the Cluster it moves the batch's messages along (at most
/// every quarter of a millisecond); on any other thread it does nothing.
using Pulse = std::function<void()>;
/// Runs job `job` on the calling thread, calling `pulse` between its steps, and returns its
/// result bytes.
using JobFn = std::function<std::string(std::int64_t job, const Pulse& pulse)>;
/// Takes the result of job `job` (on rank 0, on the Cluster's thread; any order).
using CollectFn = std::function<void(std::int64_t job, std::string result)>;
/// Told on rank 0 how many jobs have finished, of how many.
using ProgressFn = std::function<void(std::int64_t done, std::int64_t total)>;

class Workers {
 public:
  /// `threads` threads on this rank (at least 1); `stop`, set by a signal handler, stops a
  /// batch as an interruption.
  Workers(Cluster& cluster, int threads, const std::atomic<bool>* stop);

  Cluster& cluster() { return cluster_; }
  int threads() const { return threads_; }

  /// Runs jobs 0..n-1 across the threads of every rank. Collective: every rank calls it
  /// with the same n, in the same order of batches. `collect` and `progress` are called on
  /// rank 0 only. Throws StudyError on every rank if a job failed anywhere or the study was
  /// interrupted.
  void run(std::int64_t n, const JobFn& job, const CollectFn& collect,
           const ProgressFn& progress = {});

 private:
  Cluster& cluster_;
  int threads_;
  const std::atomic<bool>* stop_;
  std::uint64_t batch_ = 0;  ///< batches run, the same on every rank: tags stale messages
};

}  // namespace rfsim::ensemble
