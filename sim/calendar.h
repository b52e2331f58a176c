// Event calendar: one bucket of agent ids (or encoded agent-need pairs) per day. Events
// past the horizon are dropped; a bucket is freed when its day is processed, so memory
// holds only pending events.
#pragma once

#include <cstdint>
#include <vector>

namespace rfsim::sim {

class Calendar {
 public:
  explicit Calendar(int horizon = 0) : buckets_(horizon) {}
  /// Schedules `value` on `day`; ignored when day is past the horizon.
  void push(long long day, std::uint32_t value) {
    if (day >= 0 && day < static_cast<long long>(buckets_.size())) buckets_[day].push_back(value);
  }
  /// Removes and returns the bucket of `day`.
  std::vector<std::uint32_t> take(int day) {
    std::vector<std::uint32_t> out;
    out.swap(buckets_[day]);
    return out;
  }
  /// Bytes held by pending buckets (capacity, not size).
  std::size_t bytes() const {
    std::size_t b = 0;
    for (const auto& v : buckets_) b += v.capacity() * sizeof(std::uint32_t);
    return b;
  }

 private:
  std::vector<std::vector<std::uint32_t>> buckets_;
};

}  // namespace rfsim::sim
