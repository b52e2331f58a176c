// The processes a study (ensemble, sweep, sensitivity, calibration) runs on: the ranks of
// an MPI job when rfsim was started by an MPI launcher (mpirun), else this process alone,
// as rank 0 of 1, without initialising MPI at all. It carries the few messages the work
// distribution needs (work.h) and makes every rank agree on how a phase ended, so that an
// error on any rank stops all of them with the same one-line message. Only the thread that
// created the Cluster talks to MPI (MPI_THREAD_FUNNELED).
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <stdexcept>
#include <string>

namespace rfsim::ensemble {

/// A failure every rank of a study shares. what() is one line: the message of the lowest
/// failing rank. `interrupted` when a signal (SIGINT, SIGTERM) stopped the study rather
/// than an error.
struct StudyError : std::runtime_error {
  StudyError(const std::string& what, bool interrupted)
      : std::runtime_error(what), interrupted(interrupted) {}
  bool interrupted = false;
};

class Cluster {
 public:
  /// Joins the MPI job this process was started in (MPI_Init_thread), or stands alone when
  /// no MPI launcher started it. Throws StudyError if MPI cannot be initialised.
  Cluster();
  /// MPI_Finalize (messages still undelivered after a failure are let go).
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }

  /// Runs `phase` on every rank. If it throws on any rank, every rank throws the StudyError
  /// of the lowest failing rank (a sim::Interrupted becomes an interrupted StudyError).
  /// Collective: every rank must call it.
  void agree(const std::function<void()>& phase);
  /// Rank 0's `text`, on every rank. Collective.
  std::string broadcast(std::string text);

  /// One message between ranks.
  struct Message {
    int source = -1;
    int tag = 0;
    std::string bytes;
  };
  /// Starts sending `bytes` to rank `to` without waiting; the bytes are kept until
  /// delivered (see delivered()).
  void post(int to, int tag, std::string bytes);
  /// A message that has arrived for this rank, if any; never waits.
  std::optional<Message> receive();
  /// Moves posted messages along; true when every one has been delivered.
  bool delivered();

 private:
  struct Pending;
  bool mpi_ = false;
  int rank_ = 0, size_ = 1;
  std::list<Pending> pending_;
};

/// Sets TCP_NODELAY on every TCP connection of this process to a loopback address (the
/// MPI launcher's, on this node); returns how many it set. Open MPI 4.1's PMIx client
/// (PMIx 4.2 in Debian 12) leaves Nagle's algorithm on for its connection to the launcher,
/// so the last small messages of MPI_Finalize waited for the launcher's delayed
/// acknowledgement: 40 ms at the end of every rank of every study (a sixth of what does not
/// divide over the ranks of a 200-replicate ensemble). A Cluster calls it after MPI_Init.
int send_without_delay_to_launcher();

/// This process's rank in the MPI job that started it, read from the launcher's environment
/// (0 when no launcher started it). Lets code that runs before a Cluster exists, such as
/// the command-line parser, print a message once rather than once per rank.
int launcher_rank();

}  // namespace rfsim::ensemble
