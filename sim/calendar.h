// Event calendars: one bucket of agent ids (or encoded agent-need pairs) per day. Events
// past the horizon are dropped; a bucket is freed when its day is processed, so memory
// holds only pending events. The bytes held are tracked on every growth so that the daily
// peak-memory check costs nothing. DistrictCalendars keeps one calendar per district, and
// DistrictCalendar notes each event's district beside it, so that districts can be served
// side by side.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sim/state_io.h"

namespace rfsim::sim {

template <class T>
class BasicCalendar {
 public:
  explicit BasicCalendar(int horizon = 0) : buckets_(horizon) {}
  /// Schedules `value` on `day`; ignored when day is past the horizon.
  void push(long long day, T value) {
    if (day < 0 || day >= static_cast<long long>(buckets_.size())) return;
    std::vector<T>& b = buckets_[day];
    if (b.size() == b.capacity()) {
      bytes_ -= b.capacity() * sizeof(T);
      b.push_back(value);
      bytes_ += b.capacity() * sizeof(T);
    } else {
      b.push_back(value);
    }
  }
  /// Removes and returns the bucket of `day`.
  std::vector<T> take(int day) {
    std::vector<T> out;
    out.swap(buckets_[day]);
    bytes_ -= out.capacity() * sizeof(T);
    return out;
  }
  /// The events pending on `day`, in the order they were pushed.
  const std::vector<T>& pending(int day) const { return buckets_[day]; }
  int horizon() const { return static_cast<int>(buckets_.size()); }
  /// Bytes held by pending buckets (capacity, not size).
  std::size_t bytes() const { return bytes_; }

  /// Every pending bucket, in order (a checkpoint holds the calendar whole).
  void save(StateWriter& w, const std::string& name) const {
    write_lists(w, name, buckets_);
  }
  void load(const StateReader& r, const std::string& name) {
    auto buckets = read_lists<T>(r, name);
    if (buckets.size() != buckets_.size())
      throw StateError("state entry '" + name + "': calendar of " +
                       std::to_string(buckets.size()) + " days, expected " +
                       std::to_string(buckets_.size()));
    buckets_ = std::move(buckets);
    bytes_ = 0;
    for (const auto& b : buckets_) bytes_ += b.capacity() * sizeof(T);
  }

 private:
  std::vector<std::vector<T>> buckets_;
  std::size_t bytes_ = 0;
};

using Calendar = BasicCalendar<std::uint32_t>;

/// A calendar whose events carry the district they belong to, noted beside them, so that a
/// day's events are shared out among districts without reading each agent's district.
/// Saved as a plain calendar of the events; their districts are found again on load.
class DistrictCalendar {
 public:
  explicit DistrictCalendar(int horizon) : events_(horizon), districts_(horizon) {}
  void push(long long day, std::uint32_t value, std::uint16_t district) {
    events_.push(day, value);
    districts_.push(day, district);
  }
  /// Removes and returns the events of `day` and, at the same index, their districts.
  std::pair<std::vector<std::uint32_t>, std::vector<std::uint16_t>> take(int day) {
    return {events_.take(day), districts_.take(day)};
  }
  std::size_t bytes() const { return events_.bytes() + districts_.bytes(); }

  void save(StateWriter& w, const std::string& name) const { events_.save(w, name); }
  void load(const StateReader& r, const std::string& name,
            const std::function<std::uint16_t(std::uint32_t)>& district_of) {
    events_.load(r, name);
    districts_ = BasicCalendar<std::uint16_t>(events_.horizon());
    for (int d = 0; d < events_.horizon(); ++d)
      for (std::uint32_t v : events_.pending(d)) districts_.push(d, district_of(v));
  }

 private:
  Calendar events_;
  BasicCalendar<std::uint16_t> districts_;
};

/// One calendar per district, made at its district's first event (most districts have
/// none). Calendars of different districts may be used side by side (each by one thread).
/// Saved as one calendar whose day holds the districts' events in district order; loaded
/// back into the districts of the events (as `district_of` says), each district's events
/// in their saved order.
class DistrictCalendars {
 public:
  DistrictCalendars(int horizon, int districts) : horizon_(horizon), calendars_(districts) {}
  void push(int district, long long day, std::uint32_t value) {
    Calendar& c = calendars_[district];
    if (c.horizon() != horizon_) c = Calendar(horizon_);
    c.push(day, value);
  }
  /// Removes and returns district's events of `day`.
  std::vector<std::uint32_t> take(int district, int day) {
    Calendar& c = calendars_[district];
    return c.horizon() == horizon_ ? c.take(day) : std::vector<std::uint32_t>{};
  }

  std::size_t bytes() const {
    std::size_t b = 0;
    for (const Calendar& c : calendars_) b += c.bytes();
    return b;
  }
  void save(StateWriter& w, const std::string& name) const {
    std::vector<std::vector<std::uint32_t>> days(static_cast<std::size_t>(horizon_));
    for (int d = 0; d < horizon_; ++d)
      for (const Calendar& c : calendars_)
        if (c.horizon() == horizon_)
          days[d].insert(days[d].end(), c.pending(d).begin(), c.pending(d).end());
    write_lists(w, name, days);
  }
  /// `renumber` maps each saved event to this run's (identity when null).
  void load(const StateReader& r, const std::string& name,
            const std::function<int(std::uint32_t)>& district_of,
            const std::function<std::uint32_t(std::uint32_t)>& renumber = nullptr) {
    Calendar whole(horizon_);
    whole.load(r, name);
    for (Calendar& c : calendars_) c = Calendar();
    for (int d = 0; d < horizon_; ++d)
      for (std::uint32_t saved : whole.pending(d)) {
        const std::uint32_t v = renumber ? renumber(saved) : saved;
        const int district = district_of(v);
        if (district < 0 || district >= static_cast<int>(calendars_.size()))
          throw StateError("state entry '" + name + "': an event of no district");
        push(district, d, v);
      }
  }

 private:
  int horizon_;
  std::vector<Calendar> calendars_;  ///< Calendar() until its district's first event
};

}  // namespace rfsim::sim
