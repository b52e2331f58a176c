// The directory of a checkpointed run (see run_dir.h).
#include "outputs/run_dir.h"

#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>

#include "base/text.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// The day of a checkpoint named "day-NNNN.h5", or -1.
int day_of(const std::string& name) {
  if (!name.starts_with("day-") || !name.ends_with(".h5") || name.size() <= 7) return -1;
  const char* first = name.data() + 4;
  const char* last = name.data() + name.size() - 3;
  int day = -1;
  auto [end, ec] = std::from_chars(first, last, day);
  return ec == std::errc() && end == last && day >= 0 ? day : -1;
}

}  // namespace

fs::path checkpoint_path(const fs::path& dir, int day) {
  char name[32];
  std::snprintf(name, sizeof name, "day-%04d.h5", day);
  return dir / kCheckpointsDir / name;
}

std::vector<std::pair<int, fs::path>> list_checkpoints(const fs::path& dir) {
  std::vector<std::pair<int, fs::path>> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir / kCheckpointsDir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const int day = day_of(it->path().filename().string());
    if (day >= 0 && it->is_regular_file(ec)) out.emplace_back(day, it->path());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return out;
}

std::string remove_checkpoint_temporaries(const fs::path& dir) {
  std::vector<std::string> removed;
  std::error_code ec;
  for (fs::directory_iterator it(dir / kCheckpointsDir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto at = name.rfind(".tmp-");
    if (at == std::string::npos || day_of(name.substr(0, at)) < 0) continue;
    std::error_code remove_ec;
    if (fs::remove(it->path(), remove_ec)) removed.push_back(it->path().string());
  }
  if (removed.empty()) return "";
  return std::string("removed ") +
         (removed.size() == 1 ? "a checkpoint" : "checkpoints") +
         " left half-written by a run that no longer exists: " + text::join_prose(removed);
}

Checkpointer::Checkpointer(CheckpointOptions options, CheckpointMeta meta)
    : options_(std::move(options)),
      meta_(std::move(meta)),
      has_dir_(options_.existing),
      // The copy runs while the run waits for it: it may take every core, also those a run
      // on fewer threads leaves idle (at 10M on 1 of 2 cores, 0.04 -> 0.025 s a copy).
      snapshot_(std::max(options_.threads, omp_get_num_procs())) {
  thread_ = std::thread([this] { writer(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void Checkpointer::checkpoint(int day, const sim::SaveState& save) {
  const auto t0 = Clock::now();
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !snapshot_busy_; });
    if (error_) std::rethrow_exception(error_);
  }
  if (!has_dir_) {
    // The run's directory appears with its first checkpoint: staged beside DIR, checked and
    // renamed (or exchanged with an existing DIR under force) as results are.
    StagedDir staged(options_.dir, options_.force, options_.notice);
    std::error_code ec;
    if (!fs::create_directory(staged.path() / kCheckpointsDir, ec))
      throw OutputError((staged.path() / kCheckpointsDir).string() +
                        ": cannot create directory: " + ec.message());
    staged.commit();
    lock_ = staged.take_lock();
    has_dir_ = true;
  }
  snapshot_.rewind();
  save(snapshot_);
  {
    std::lock_guard lock(mutex_);
    snapshot_busy_ = pending_ = true;
    pending_day_ = day;
    cost_.run_waited_s += seconds_since(t0);
  }
  changed_.notify_all();
}

void Checkpointer::finish() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !snapshot_busy_; });
  if (error_) std::rethrow_exception(error_);
}

Checkpointer::Cost Checkpointer::cost() const {
  std::lock_guard lock(mutex_);
  return cost_;
}

void Checkpointer::writer() {
  // The lowest priority (Linux sets it per thread; the threads it starts inherit it): the
  // writer takes the cores the run leaves idle before those the run is using.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return pending_ || quit_; });
    if (quit_) break;  // the run failed or stopped (finish() waits for every checkpoint)
    if (error_) {      // one failed: the run stops at its next checkpoint or at finish()
      pending_ = snapshot_busy_ = false;
      changed_.notify_all();
      continue;
    }
    const int day = pending_day_;
    pending_ = false;
    CheckpointImage recycled = std::move(spare_);
    lock.unlock();
    // Made, then written and synced, before the run may take its next snapshot: the file
    // is written from the snapshot's memory.
    const auto t0 = Clock::now();
    const std::size_t state_bytes = snapshot_.bytes(), packing_bytes = snapshot_.packing_bytes();
    std::exception_ptr failed;
    CheckpointImage image;
    try {
      CheckpointMeta meta = meta_;
      meta.day = day;
      image = checkpoint_image(meta, snapshot_, options_.threads, std::move(recycled));
      write_checkpoint_file(checkpoint_path(options_.dir, day), image);
      if (options_.keep > 0) {
        const auto all = list_checkpoints(options_.dir);
        std::error_code ec;
        for (std::size_t k = static_cast<std::size_t>(options_.keep); k < all.size(); ++k)
          fs::remove(all[k].second, ec);
      }
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    if (failed) {
      error_ = failed;
    } else {
      ++cost_.written;
      cost_.last_writer_s = seconds_since(t0);
      cost_.writer_s += cost_.last_writer_s;
      cost_.last_bytes = image.size();
      cost_.state_bytes = state_bytes;
      cost_.compressed_bytes += packing_bytes;
      spare_ = std::move(image);
    }
    snapshot_busy_ = false;  // the run may take its next snapshot
    changed_.notify_all();
  }
}

}  // namespace rfsim::outputs
