// The progress bar of long commands (see progress.h).
#include "app/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace rfsim::app {

namespace {

/// "42s", "3m05s", "1h02m".
std::string duration_text(double seconds) {
  char buf[32];
  const auto s = static_cast<long>(seconds + 0.5);
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%lds", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(bool enabled, std::string unit)
    : enabled_(enabled && isatty(STDERR_FILENO)),
      unit_(std::move(unit)),
      start_(Clock::now()),
      last_(start_ - std::chrono::seconds(1)) {}

void ProgressBar::update(std::int64_t done, std::int64_t total, const std::string& note) {
  if (!enabled_ || total <= 0) return;
  const auto now = Clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const int width = 30;
  const auto filled = static_cast<int>(std::min<std::int64_t>(width, done * width / total));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(width, '.');
  const double secs = std::chrono::duration<double>(now - start_).count();
  const std::string left =
      done > first_ ? duration_text(secs * static_cast<double>(total - done) /
                                    static_cast<double>(done - first_))
                    : "?";
  std::fprintf(stderr, "\r  [%s] %s %lld/%lld %3d%% %s, %s left%s%s\033[K", bar.c_str(),
               unit_.c_str(), static_cast<long long>(done), static_cast<long long>(total),
               static_cast<int>(done * 100 / total), duration_text(secs).c_str(), left.c_str(),
               note.empty() ? "" : "  ", note.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::start_at(std::int64_t done) {
  first_ = std::max<std::int64_t>(0, done);
}

void ProgressBar::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace rfsim::app
