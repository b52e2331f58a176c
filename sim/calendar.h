// Event calendar: one bucket of agent ids (or encoded agent-need pairs) per day. Events
// past the horizon are dropped; a bucket is freed when its day is processed, so memory
// holds only pending events. The bytes held are tracked on every growth so that the daily
// peak-memory check costs nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/state_io.h"

namespace rfsim::sim {

class Calendar {
 public:
  explicit Calendar(int horizon = 0) : buckets_(horizon) {}
  /// Schedules `value` on `day`; ignored when day is past the horizon.
  void push(long long day, std::uint32_t value) {
    if (day < 0 || day >= static_cast<long long>(buckets_.size())) return;
    std::vector<std::uint32_t>& b = buckets_[day];
    if (b.size() == b.capacity()) {
      bytes_ -= b.capacity() * sizeof(std::uint32_t);
      b.push_back(value);
      bytes_ += b.capacity() * sizeof(std::uint32_t);
    } else {
      b.push_back(value);
    }
  }
  /// Removes and returns the bucket of `day`.
  std::vector<std::uint32_t> take(int day) {
    std::vector<std::uint32_t> out;
    out.swap(buckets_[day]);
    bytes_ -= out.capacity() * sizeof(std::uint32_t);
    return out;
  }
  /// Bytes held by pending buckets (capacity, not size).
  std::size_t bytes() const { return bytes_; }

  /// Every pending bucket, in order (a checkpoint holds the calendar whole).
  void save(StateWriter& w, const std::string& name) const { write_lists(w, name, buckets_); }
  void load(const StateReader& r, const std::string& name) {
    auto buckets = read_lists<std::uint32_t>(r, name);
    if (buckets.size() != buckets_.size())
      throw StateError("state entry '" + name + "': calendar of " +
                       std::to_string(buckets.size()) + " days, expected " +
                       std::to_string(buckets_.size()));
    buckets_ = std::move(buckets);
    bytes_ = 0;
    for (const auto& b : buckets_) bytes_ += b.capacity() * sizeof(std::uint32_t);
  }

 private:
  std::vector<std::vector<std::uint32_t>> buckets_;
  std::size_t bytes_ = 0;
};

}  // namespace rfsim::sim
