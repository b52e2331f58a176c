// The distribution of a batch of jobs over threads and ranks (see work.h).
#include "ensemble/work.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "ensemble/codec.h"
#include "sim/engine.h"

namespace rfsim::ensemble {

namespace {

/// Messages of the distribution. Every message starts with the batch number (a varint), so
/// that one left over from an earlier batch (an abort crossing a "done") is recognised and
/// dropped.
enum Tag : int {
  kRequest = 1,  ///< to rank 0: "give me up to <want> jobs"
  kGrant,        ///< from rank 0: jobs <first> .. <first + count - 1>; count 0: none left
  kResult,       ///< to rank 0: <job> and its result bytes
  kDone,         ///< to rank 0: this rank has nothing queued, running or unsent
  kFailed,       ///< to rank 0: as kDone, after a failure: <interrupted> <message>
  kAbort,        ///< from rank 0: drop the queue, the batch has failed
};

using Clock = std::chrono::steady_clock;

/// How often a job's Pulse moves the messages at most: a request waits for about this long
/// (a day of the default scenario takes ~0.1 ms); each exchange costs a probe of MPI and a
/// few locks, ~1 us.
constexpr auto kPulseInterval = std::chrono::microseconds(250);

/// The jobs every rank other than 0 starts a batch of n jobs with, before asking for any:
/// rank r (1 <= r < ranks) has jobs (r - 1) x k .. r x k - 1, and rank 0's counter starts
/// at (ranks - 1) x k. Without them a rank would wait for its first grant before it could
/// start: until rank 0, itself starting a job and setting up, answers (calibration runs a
/// batch per evaluation).
std::int64_t initial_jobs(std::int64_t n, int ranks) {
  return ranks > 1 ? std::min<std::int64_t>(2, n / (8 * std::int64_t{ranks})) : 0;
}

/// Test hook: RFSIM_FAIL_JOB=<job> makes that job of every batch throw, on whichever rank
/// runs it (tests/ensemble check that one failure stops every rank with one message).
std::int64_t failing_job() {
  const char* v = std::getenv("RFSIM_FAIL_JOB");
  return v && *v ? std::atoll(v) : -1;
}

struct Failure {
  bool set = false;
  bool interrupted = false;
  std::string message;
};

/// One batch on one rank: the state its threads share, and the steps of its threads.
class Batch {
 public:
  Batch(Cluster& cluster, std::uint64_t number, int threads, std::int64_t n, const JobFn& job,
        const CollectFn& collect, const ProgressFn& progress, const std::atomic<bool>* stop)
      : cluster_(cluster),
        number_(number),
        threads_(threads),
        n_(n),
        job_(job),
        collect_(collect),
        progress_(progress),
        stop_(stop),
        failing_job_(failing_job()),
        finished_(static_cast<size_t>(cluster.size()), false) {
    const std::int64_t k = initial_jobs(n, cluster.size());
    if (cluster.root())
      next_ = (cluster.size() - 1) * k;
    else
      for (std::int64_t j = (cluster.rank() - 1) * k; j < cluster.rank() * k; ++j)
        queue_.push_back(j);
  }

  /// The loop of the Cluster's thread: messages between jobs (and within them, pulse_),
  /// until the batch is over here.
  void lead() {
    for (;;) {
      exchange();
      if (over()) break;
      if (auto j = take(false))
        execute(*j);
      else
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    std::lock_guard l(m_);
    closing_ = true;
    wake_.notify_all();
  }

  /// The loop of every other thread: jobs until none is left for it.
  void help() {
    while (auto j = take(true)) execute(*j);
  }

  /// Rank 0, after the batch: "" when every job succeeded, else the failure ('I' or 'E' and
  /// the message).
  std::string outcome() const {
    if (!failure_.set) return "";
    return (failure_.interrupted ? "I" : "E") + failure_.message;
  }

 private:
  bool failed() {
    std::lock_guard l(m_);
    return failure_.set;
  }

  void fail(std::string message, bool interrupted) {
    std::lock_guard l(m_);
    if (!failure_.set) failure_ = {true, interrupted, std::move(message)};
    wake_.notify_all();
  }

  /// The next job for this thread: on rank 0 from the counter, elsewhere from the queue.
  /// `wait`: block until there is one or none will come.
  std::optional<std::int64_t> take(bool wait) {
    std::unique_lock l(m_);
    for (;;) {
      if (closing_ || failure_.set) return std::nullopt;
      if (cluster_.root()) {
        if (next_ < n_) {
          ++running_;
          return next_++;
        }
        return std::nullopt;
      }
      if (!queue_.empty()) {
        const std::int64_t j = queue_.front();
        queue_.pop_front();
        ++running_;
        return j;
      }
      if (!wait || no_more_) return std::nullopt;
      wake_.wait_for(l, std::chrono::milliseconds(2));
    }
  }

  void execute(std::int64_t j) {
    std::string bytes;
    bool ok = false;
    try {
      if (j == failing_job_)
        throw std::runtime_error("injected failure in job " + std::to_string(j) +
                                 " (RFSIM_FAIL_JOB)");
      bytes = job_(j, pulse_);
      ok = true;
    } catch (const StudyError& e) {
      fail(e.what(), e.interrupted);
    } catch (const sim::Interrupted&) {
      fail("interrupted", true);
    } catch (const std::exception& e) {
      fail(e.what(), false);
    } catch (...) {
      fail("unknown error in a job", false);
    }
    std::lock_guard l(m_);
    --running_;
    if (ok) results_.emplace_back(j, std::move(bytes));
  }

  std::vector<std::pair<std::int64_t, std::string>> finished_results() {
    std::lock_guard l(m_);
    return std::exchange(results_, {});
  }

  /// The messages of this rank's part: rank 0 serves, the others follow.
  void exchange() {
    last_exchange_ = Clock::now();
    if (cluster_.root())
      serve();
    else
      follow();
  }

  /// A job's Pulse: an exchange, on the Cluster's thread, once kPulseInterval has passed.
  void pulse() {
    if (std::this_thread::get_id() != lead_thread_) return;
    if (Clock::now() - last_exchange_ >= kPulseInterval) exchange();
  }

  void check_stop() {
    if (stop_ && stop_->load()) fail("interrupted", true);
  }

  /// Rank 0 between jobs: collect its own results, answer requests, take results from the
  /// other ranks, and tell them to stop after a failure.
  void serve() {
    for (auto& [j, bytes] : finished_results()) take_result(j, std::move(bytes));
    while (auto msg = cluster_.receive()) {
      ByteReader r(msg->bytes);
      if (r.varint() != number_) continue;  // left from an earlier batch
      switch (msg->tag) {
        case kRequest: {
          const auto want = static_cast<std::int64_t>(r.varint());
          std::int64_t first = 0, count = 0;
          {
            std::lock_guard l(m_);
            if (!failure_.set && next_ < n_) {
              const std::int64_t share = (n_ - next_) / (2 * cluster_.size() * threads_);
              count = std::clamp<std::int64_t>(share, 1, std::max<std::int64_t>(1, want));
              count = std::min(count, n_ - next_);
              first = next_;
              next_ += count;
            }
          }
          ByteWriter w;
          w.varint(number_);
          w.varint(static_cast<std::uint64_t>(first));
          w.varint(static_cast<std::uint64_t>(count));
          cluster_.post(msg->source, kGrant, w.take());
          break;
        }
        case kResult: {
          const auto j = static_cast<std::int64_t>(r.varint());
          take_result(j, std::string(r.raw(msg->bytes.size() - r.position())));
          break;
        }
        case kDone:
          finished_[msg->source] = true;
          break;
        case kFailed: {
          finished_[msg->source] = true;
          const bool interrupted = r.varint() != 0;
          fail(r.text(), interrupted);
          break;
        }
        default:
          fail("unexpected message from rank " + std::to_string(msg->source), false);
      }
    }
    check_stop();
    if (!aborted_ && failed()) {
      ByteWriter w;
      w.varint(number_);
      const std::string abort = w.take();
      for (int r = 1; r < cluster_.size(); ++r)
        if (!finished_[r]) cluster_.post(r, kAbort, abort);
      aborted_ = true;
    }
    cluster_.delivered();
  }

  void take_result(std::int64_t j, std::string bytes) {
    if (failed()) return;
    try {
      collect_(j, std::move(bytes));
    } catch (const std::exception& e) {
      fail(e.what(), false);
      return;
    }
    ++done_;
    if (progress_) progress_(done_, n_);
  }

  /// Any other rank between jobs: send results, take grants (or an abort), ask for more.
  void follow() {
    for (auto& [j, bytes] : finished_results()) {
      ByteWriter w;
      w.varint(number_);
      w.varint(static_cast<std::uint64_t>(j));
      w.raw(bytes);
      cluster_.post(0, kResult, w.take());
    }
    while (auto msg = cluster_.receive()) {
      ByteReader r(msg->bytes);
      if (r.varint() != number_) continue;
      std::lock_guard l(m_);
      if (msg->tag == kGrant) {
        requested_ = false;
        const auto first = static_cast<std::int64_t>(r.varint());
        const auto count = static_cast<std::int64_t>(r.varint());
        if (count == 0) no_more_ = true;
        if (!aborted_)
          for (std::int64_t j = first; j < first + count; ++j) queue_.push_back(j);
      } else if (msg->tag == kAbort) {
        aborted_ = no_more_ = true;
        queue_.clear();
      }
      wake_.notify_all();
    }
    check_stop();
    bool ask = false;
    std::size_t want = 0;
    {
      std::lock_guard l(m_);
      if (!requested_ && !no_more_ && !failure_.set &&
          queue_.size() < static_cast<std::size_t>(threads_)) {
        // Asked once a thread has taken the last job queued for it: rank 0 answers within
        // a kPulseInterval, long before that job ends. (Jobs queued beyond that would be
        // left to this rank to finish after rank 0 has handed out the last.)
        ask = requested_ = true;
        want = 2 * static_cast<std::size_t>(threads_) - queue_.size();
      }
    }
    if (ask) {
      ByteWriter w;
      w.varint(number_);
      w.varint(want);
      cluster_.post(0, kRequest, w.take());
    }
    cluster_.delivered();
  }

  /// Whether this rank's part of the batch is over (called by the Cluster's thread).
  bool over() {
    std::unique_lock l(m_);
    if (running_ > 0 || !results_.empty()) return false;
    if (cluster_.root()) {
      if (!failure_.set && done_ < n_) return false;
      for (int r = 1; r < cluster_.size(); ++r)
        if (!finished_[r]) return false;
      l.unlock();
      return cluster_.delivered();
    }
    // Over when rank 0 has no more jobs for this rank and its queue is done, or at once
    // after a failure (the jobs queued then are dropped).
    if (requested_ || !((no_more_ && queue_.empty()) || failure_.set)) return false;
    queue_.clear();
    if (!said_done_) {
      ByteWriter w;
      w.varint(number_);
      if (failure_.set) {
        w.varint(failure_.interrupted ? 1 : 0);
        w.text(failure_.message);
      }
      cluster_.post(0, failure_.set ? kFailed : kDone, w.take());
      said_done_ = true;
    }
    l.unlock();
    return cluster_.delivered();
  }

  Cluster& cluster_;
  const std::uint64_t number_;
  const int threads_;
  const std::int64_t n_;
  const JobFn& job_;
  const CollectFn& collect_;
  const ProgressFn& progress_;
  const std::atomic<bool>* stop_;
  const std::int64_t failing_job_;

  const Pulse pulse_ = [this] { pulse(); };
  /// The Cluster's thread: the batch is made on it, and it leads (Workers::run).
  const std::thread::id lead_thread_ = std::this_thread::get_id();
  Clock::time_point last_exchange_;

  std::mutex m_;
  std::condition_variable wake_;
  std::int64_t next_ = 0;           ///< rank 0: the next job not yet handed out
  std::deque<std::int64_t> queue_;  ///< other ranks: jobs granted, not yet taken
  bool no_more_ = false;            ///< other ranks: rank 0 has no more jobs for us
  bool requested_ = false;          ///< other ranks: a request awaits its grant
  bool aborted_ = false;            ///< rank 0: abort sent; others: abort received
  bool said_done_ = false;          ///< other ranks: kDone or kFailed posted
  bool closing_ = false;            ///< the batch is over here: threads leave
  int running_ = 0;                 ///< jobs running on this rank
  std::vector<std::pair<std::int64_t, std::string>> results_;  ///< finished, not yet passed on
  Failure failure_;             ///< the first failure seen on this rank
  std::int64_t done_ = 0;       ///< rank 0: results collected
  std::vector<bool> finished_;  ///< rank 0: ranks that said kDone or kFailed
};

}  // namespace

Workers::Workers(Cluster& cluster, int threads, const std::atomic<bool>* stop)
    : cluster_(cluster), threads_(std::max(1, threads)), stop_(stop) {}

void Workers::run(std::int64_t n, const JobFn& job, const CollectFn& collect,
                  const ProgressFn& progress) {
  Batch batch(cluster_, ++batch_, threads_, n, job, collect, progress, stop_);
#pragma omp parallel num_threads(threads_)
  {
    // (the master thread of the region is the thread that owns the Cluster)
#pragma omp master
    batch.lead();
    if (omp_get_thread_num() != 0) batch.help();
  }
  const std::string outcome = cluster_.broadcast(cluster_.root() ? batch.outcome() : "");
  if (!outcome.empty()) throw StudyError(outcome.substr(1), outcome.front() == 'I');
}

}  // namespace rfsim::ensemble
