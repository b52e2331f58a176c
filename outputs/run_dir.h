// The directory of a checkpointed run (rfsim run --checkpoint-every, resume, a branch):
// DIR holds checkpoints/day-NNNN.h5 from the first checkpoint on, each written atomically
// (checkpoint.h) in the background while the run goes on, pruned to the newest K. The
// results move in when the run ends (write_results with into_run_dir), results.h5 last, as
// the sign that the run is complete. While a run writes into DIR it holds DIR's lock
// (DirectoryLock): a resume of DIR, or a run replacing it, refuses meanwhile.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "outputs/checkpoint.h"
#include "outputs/results_dir.h"
#include "sim/engine.h"

namespace rfsim::outputs {

/// The folder of a run directory holding its checkpoints.
inline constexpr const char* kCheckpointsDir = "checkpoints";

/// DIR/checkpoints/day-NNNN.h5 (four digits at least) of the state at the start of `day`.
std::filesystem::path checkpoint_path(const std::filesystem::path& dir, int day);

/// The checkpoints of DIR (day, path), newest first; temporaries and other files are left
/// out.
std::vector<std::pair<int, std::filesystem::path>> list_checkpoints(const std::filesystem::path& dir);

/// Removes the temporaries of checkpoints a killed run was writing in DIR/checkpoints;
/// call it holding DIR's lock. Returns one line saying what was removed, or "".
std::string remove_checkpoint_temporaries(const std::filesystem::path& dir);

struct CheckpointOptions {
  std::filesystem::path dir;  ///< the run directory
  int keep = 0;               ///< the newest checkpoints kept; 0: all
  bool force = false;         ///< a new run replaces an existing DIR (at its first checkpoint)
  /// DIR is there already and the caller holds its lock (a resumed run): checkpoints are
  /// added to it.
  bool existing = false;
  /// The run's threads: those compressing a checkpoint; the copy takes every core.
  int threads = 1;
  Notice notice;    ///< told what was done on the side (stale temporaries removed)
};

/// Writes a run's checkpoints: its checkpoint() is RunOptions::checkpoint. The run waits
/// only while the state is copied (and, when the writer is behind, until the previous
/// checkpoint is on disk: its file is written from the copy); a thread of its own
/// compresses what settled since the last one, makes the file and writes it.
class Checkpointer {
 public:
  /// `meta`: what every checkpoint of this run records (checkpoint_meta).
  Checkpointer(CheckpointOptions options, CheckpointMeta meta);
  /// Waits for the checkpoint being written, so that it is whole on disk or absent.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Copies the state at the start of `day` (save) and writes it in the background. The
  /// first one of a new run creates DIR (checked, as results are, and exchanged with an
  /// existing DIR under `force`). Rethrows a failure to write an earlier one.
  void checkpoint(int day, const sim::SaveState& save);
  /// Waits until every checkpoint is on disk; rethrows a failure to write one.
  void finish();
  /// Whether DIR holds this run's checkpoints (its results then move into it).
  bool has_dir() const { return has_dir_; }

  /// What checkpointing cost, for scripts/bench.
  struct Cost {
    int written = 0;            ///< checkpoints written
    double run_waited_s = 0;    ///< the run stopped in checkpoint(): copies, and waits
    double writer_s = 0;        ///< the writer's time: compress, write, sync (in the background)
    double last_writer_s = 0;   ///< ... for the last checkpoint
    std::size_t last_bytes = 0;  ///< size of the last checkpoint file
    std::size_t state_bytes = 0;  ///< the state it held, uncompressed
    std::size_t compressed_bytes = 0;  ///< state compressed (not reused), all checkpoints
  };
  Cost cost() const;

 private:
  void writer();

  CheckpointOptions options_;
  CheckpointMeta meta_;
  bool has_dir_ = false;
  DirectoryLock lock_;  ///< DIR's, once a new run has created it
  CheckpointState snapshot_;  ///< the state, and its chunks as the last checkpoint holds them
  /// The checkpoint written last: its memory, for the next image.
  CheckpointImage spare_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  /// The writer has not finished with the snapshot: a checkpoint's file refers to the
  /// snapshot's memory until it is written (h5_pieces.h).
  bool snapshot_busy_ = false;
  bool pending_ = false;  ///< a snapshot waits for the writer
  bool quit_ = false;
  int pending_day_ = 0;
  std::exception_ptr error_;
  Cost cost_;
  std::thread thread_;  ///< the writer: makes, writes and syncs each file, prunes
};

}  // namespace rfsim::outputs
