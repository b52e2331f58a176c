// The state of a run as named arrays, for checkpoints: every unit writes what it holds
// (agent columns, calendars, queues, accumulators, scalars) through a StateWriter and reads
// it back through a StateReader, by name ("quarantine/occupancy"). The format on disk
// (HDF5) lives in outputs/; MemoryState (memory_state.h) keeps it in memory (tests,
// branching).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace rfsim::sim {

/// A state entry that is missing, of another type or of an unexpected size.
struct StateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class StateWriter {
 public:
  virtual ~StateWriter() = default;
  virtual void write(const std::string& name, std::span<const std::uint8_t> values) = 0;
  virtual void write(const std::string& name, std::span<const std::uint16_t> values) = 0;
  virtual void write(const std::string& name, std::span<const std::uint32_t> values) = 0;
  virtual void write(const std::string& name, std::span<const std::int32_t> values) = 0;
  virtual void write(const std::string& name, std::span<const std::int64_t> values) = 0;
  virtual void write(const std::string& name, std::span<const double> values) = 0;
  template <class T>
  void scalar(const std::string& name, T value) {
    write(name, std::span<const T>(&value, 1));
  }
};

class StateReader {
 public:
  virtual ~StateReader() = default;
  virtual void read(const std::string& name, std::vector<std::uint8_t>& out) const = 0;
  virtual void read(const std::string& name, std::vector<std::uint16_t>& out) const = 0;
  virtual void read(const std::string& name, std::vector<std::uint32_t>& out) const = 0;
  virtual void read(const std::string& name, std::vector<std::int32_t>& out) const = 0;
  virtual void read(const std::string& name, std::vector<std::int64_t>& out) const = 0;
  virtual void read(const std::string& name, std::vector<double>& out) const = 0;
  /// Reads into `out`, which must already have the size stored (an agent column, a grid).
  template <class T>
  void read_exact(const std::string& name, std::vector<T>& out) const {
    std::vector<T> v;
    read(name, v);
    if (v.size() != out.size())
      throw StateError("state entry '" + name + "' holds " + std::to_string(v.size()) +
                       " values, expected " + std::to_string(out.size()));
    out.swap(v);
  }
  template <class T>
  T scalar(const std::string& name) const {
    std::vector<T> v;
    read(name, v);
    if (v.size() != 1)
      throw StateError("state entry '" + name + "' is not a single value");
    return v[0];
  }
};

/// Loads a record kept by day, `per_day` values a day (what a branch may change from its
/// branch day on, such as the workers deployed): the days already run, before the state's
/// "model/next_day", take the saved values; the later days keep this run's.
inline void load_past_days(const StateReader& r, const std::string& name,
                           std::vector<double>& own, std::size_t per_day) {
  std::vector<double> saved(own.size());
  r.read_exact(name, saved);
  const auto day = static_cast<std::size_t>(r.scalar<std::int32_t>("model/next_day"));
  const std::size_t n = std::min(own.size(), day * per_day);
  std::copy(saved.begin(), saved.begin() + static_cast<std::ptrdiff_t>(n), own.begin());
}

/// A list of lists (facility residents, waiting lists, queues) as two arrays:
/// `name/offsets` (size n+1) and `name/values`. The arrays are laid out in memory the
/// thread keeps from one save to the next: a 10M run's calendars and queues hold tens of
/// megabytes, and fresh memory, mapped and cleared by the kernel at every checkpoint
/// while the run waits, cost more than the copy itself.
template <class T>
void write_lists(StateWriter& w, const std::string& name, const std::vector<std::vector<T>>& lists) {
  thread_local std::vector<std::int64_t> offsets;
  thread_local std::vector<T> flat;
  offsets.assign(1, 0);
  offsets.reserve(lists.size() + 1);
  std::size_t total = 0;
  for (const auto& l : lists) total += l.size();
  flat.clear();
  flat.reserve(total);
  for (const auto& l : lists) {
    flat.insert(flat.end(), l.begin(), l.end());
    offsets.push_back(static_cast<std::int64_t>(flat.size()));
  }
  w.write(name + "/offsets", std::span<const std::int64_t>(offsets));
  w.write(name + "/values", std::span<const T>(flat));
}

template <class T>
std::vector<std::vector<T>> read_lists(const StateReader& r, const std::string& name) {
  std::vector<std::int64_t> offsets;
  std::vector<T> flat;
  r.read(name + "/offsets", offsets);
  r.read(name + "/values", flat);
  if (offsets.empty() || offsets.front() != 0 ||
      offsets.back() != static_cast<std::int64_t>(flat.size()))
    throw StateError("state entry '" + name + "': offsets do not match its values");
  std::vector<std::vector<T>> lists(offsets.size() - 1);
  for (std::size_t k = 0; k + 1 < offsets.size(); ++k) {
    if (offsets[k + 1] < offsets[k])
      throw StateError("state entry '" + name + "': offsets decrease");
    lists[k].assign(flat.begin() + offsets[k], flat.begin() + offsets[k + 1]);
  }
  return lists;
}

}  // namespace rfsim::sim
