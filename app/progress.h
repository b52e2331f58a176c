// Progress of a long command on stderr, drawn only when stderr is a terminal: a bar, how
// much of how many things (days, replicates, runs, evaluations) is done, the time taken
// and the time left at the pace so far (of what this process did: a resumed run starts
// part-way). Redrawn at most ten times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace rfsim::app {

class ProgressBar {
 public:
  /// `enabled` and stderr a terminal: draw; `unit` names what is counted ("day").
  ProgressBar(bool enabled, std::string unit);
  /// `done` of `total` finished; `note` is shown after the times (e.g. an objective).
  void update(std::int64_t done, std::int64_t total, const std::string& note = "");
  /// `done` were done before this process started (a resumed or branched run starts at its
  /// checkpoint's day): the time left is at the pace of what this process does.
  void start_at(std::int64_t done);
  /// Ends the line of the bar, if one was drawn.
  void finish();
  ~ProgressBar() { finish(); }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::string unit_;
  bool drawn_ = false;
  std::int64_t first_ = 0;  ///< done before this process started (start_at)
  Clock::time_point start_, last_;
};

}  // namespace rfsim::app
