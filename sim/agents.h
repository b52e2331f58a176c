// Agent storage: one agent per returnee, ids in arrival order, stored as structure of
// arrays with the smallest type that holds each field. The table is shared by every unit;
// each unit declares the columns it adds (name, type, initial value, meaning), so a
// checkpoint saves every column and the bytes per agent are counted from the declarations.
// The bit layouts of the two shared flag columns (attr, status) are here, each bit with
// the unit that sets it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/huge_pages.h"
#include "sim/state_io.h"

namespace rfsim::sim {

/// Day number stored in agent fields; kNever = no such day (or past the horizon).
using Day16 = std::uint16_t;
constexpr Day16 kNever = 0xFFFF;
constexpr std::uint8_t kNoFacility = 0xFF;

/// A day as stored in a Day16 field: days past the range become kNever - 1.
inline Day16 clamp_day(long long d) {
  return d >= kNever ? Day16(kNever - 1) : Day16(d);
}

/// How many items ahead a loop over agents scattered across the ids (a calendar's day, a
/// priority queue, a district's list) fetches the columns it is about to read
/// (__builtin_prefetch): at 10M agents each column read costs a cache miss otherwise.
/// (Written out in each loop: GCC 12 at -O2 drops the prefetches of a lambda passed to a
/// helper template.)
constexpr std::size_t kLookAhead = 16;

/// Where an agent is; every agent is in exactly one state every day.
enum State : std::uint8_t {
  NotArrived,
  WaitingAtEntry,
  InQuarantine,
  InIsolation,
  InHomeQuarantine,
  InTransit,
  AtHome,
  LeftStudyArea,
  Remigrated,
  kStateCount
};

/// Bits of the `attr` column, drawn at arrival (unit Arrivals, from [demography]).
namespace attr {
constexpr std::uint16_t Female = 1 << 0;
constexpr std::uint16_t Pregnant = 1 << 1;
constexpr std::uint16_t WithChildren = 1 << 2;
constexpr std::uint16_t GbvRisk = 1 << 3;
constexpr std::uint16_t MentalHealth = 1 << 4;
constexpr std::uint16_t Disability = 1 << 5;
constexpr std::uint16_t WomanHeaded = 1 << 6;
/// The vulnerability flags counted for package eligibility and priority.
constexpr std::uint16_t VulnerabilityMask = 0x7E;
constexpr int AgeShift = 8;  ///< age band (0..4) in bits 8-10
inline int age_band(std::uint16_t a) {
  return (a >> AgeShift) & 7;
}
inline int vulnerabilities(std::uint16_t a) {
  return __builtin_popcount(a & VulnerabilityMask);
}
}  // namespace attr

/// The columns of the "group" axis of series (women and women-headed households, issue
/// 13): every returnee counts once as a man or a woman, and a woman heading a household
/// counts again in the third column (a subset of the women).
namespace group {
constexpr int Men = 0, Women = 1, WomanHeaded = 2, Count = 3;
inline constexpr const char* kLabels[Count] = {"men", "women", "woman_headed"};
/// Calls add(column) for each group column a returnee with attributes `a` counts in.
template <class Add>
inline void for_each(std::uint16_t a, Add&& add) {
  add(a & attr::Female ? Women : Men);
  if (a & attr::WomanHeaded) add(WomanHeaded);
}
}  // namespace group

/// Bits of the `status` column, each set by one unit.
namespace status {
constexpr std::uint16_t Symptomatic = 1 << 0;       ///< Infection: infection with symptoms
constexpr std::uint16_t Detected = 1 << 1;          ///< Quarantine: tested positive (entry or exit)
constexpr std::uint16_t Package = 1 << 2;           ///< Reintegration: package delivered
constexpr std::uint16_t Reached = 1 << 3;           ///< Services: at least one case opened
constexpr std::uint16_t Informal = 1 << 4;          ///< Quarantine: crossed informally
constexpr std::uint16_t HomeQuarantine = 1 << 5;    ///< Quarantine: quarantines at home on arrival
constexpr std::uint16_t CommunityPackage = 1 << 6;  ///< Reintegration: would get a community package
constexpr std::uint16_t Informed = 1 << 7;  ///< Information: reached by information and prevention
constexpr std::uint16_t Identified = 1 << 8;  ///< Services: at least one need identified
constexpr std::uint16_t Referred = 1 << 9;    ///< Services: at least one need referred
}  // namespace status

/// The agent columns of a run. Columns are sized once, for the whole population, when
/// declared; their addresses never change, so units keep plain pointers to them.
class AgentTable {
 public:
  explicit AgentTable(std::size_t agents) : n_(agents) {}
  std::size_t size() const { return n_; }

  /// Declares a column of `T` filled with `initial` and returns its first element.
  template <class T>
  T* add(const std::string& name, T initial, const std::string& meaning) {
    auto column = std::make_unique<Typed<T>>(name, meaning, n_, initial);
    T* data = column->values.data();
    columns_.push_back(std::move(column));
    return data;
  }

  /// Bytes of agent state per agent: the sum of the declared column widths.
  std::size_t bytes_per_agent() const {
    std::size_t b = 0;
    for (const auto& c : columns_) b += c->width();
    return b;
  }
  /// "name (type): meaning" of every column, in declaration order.
  std::vector<std::string> describe() const {
    std::vector<std::string> out;
    for (const auto& c : columns_) out.push_back(c->name + ": " + c->meaning);
    return out;
  }

  void save(StateWriter& w) const {
    for (const auto& c : columns_) c->save(w);
  }
  /// Replaces every column by the saved one. The `arrived` agents who have crossed the
  /// border are taken as saved; the others are not drawn yet and hold their columns'
  /// initial values, so a state saved with more or fewer agents still to come loads too (a
  /// branch that changes later arrivals). Such agents must hold initial values in the
  /// state as well (StateError otherwise).
  void load(const StateReader& r, std::size_t arrived) {
    for (const auto& c : columns_) c->load(r, arrived);
  }

 private:
  struct Column {
    std::string name, meaning;
    Column(std::string n, std::string m) : name(std::move(n)), meaning(std::move(m)) {}
    virtual ~Column() = default;
    virtual std::size_t width() const = 0;
    virtual void save(StateWriter& w) const = 0;
    virtual void load(const StateReader& r, std::size_t arrived) = 0;
  };
  template <class T>
  struct Typed final : Column {
    std::vector<T, HugePageAllocator<T>> values;  // (huge pages: base/huge_pages.h)
    T initial;
    Typed(std::string n, std::string m, std::size_t size, T init)
        : Column(std::move(n), std::move(m)), values(size, init), initial(init) {}
    std::size_t width() const override { return sizeof(T); }
    void save(StateWriter& w) const override {
      w.write("agents/" + name, std::span<const T>(values));
    }
    void load(const StateReader& r, std::size_t arrived) override {
      // Read in place: the column's address is held by its unit.
      const std::string entry = "agents/" + name;
      std::vector<T> v;
      r.read(entry, v);
      if (v.size() == values.size()) {
        std::copy(v.begin(), v.end(), values.begin());
        return;
      }
      if (v.size() < arrived || values.size() < arrived)
        throw StateError("state entry '" + entry + "' holds " + std::to_string(v.size()) +
                         " agents, expected " + std::to_string(values.size()) + " (" +
                         std::to_string(arrived) + " arrived)");
      if (std::any_of(v.begin() + static_cast<std::ptrdiff_t>(arrived), v.end(),
                      [&](T x) { return x != initial; }))
        throw StateError("state entry '" + entry + "' holds values for agents not yet arrived");
      std::copy(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(arrived), values.begin());
      std::fill(values.begin() + static_cast<std::ptrdiff_t>(arrived), values.end(), initial);
    }
  };
  std::size_t n_;
  std::vector<std::unique_ptr<Column>> columns_;
};

}  // namespace rfsim::sim
