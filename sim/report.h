// How units hand their results over: named series (units, description, row and column
// axes) made from their accumulators, and summary figures (with units and meaning), each
// added by the unit that computes it. Collected into the RunResult of sim/engine.h.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/agents.h"
#include "sim/engine.h"
#include "sim/grid.h"

namespace rfsim::sim {

/// Column axes of series.
namespace axis {
inline constexpr const char* District = "district";
inline constexpr const char* Facility = "facility";
inline constexpr const char* EntryPoint = "entry_point";
inline constexpr const char* Total = "total";
/// men, women, woman_headed: the columns of group:: in sim/agents.h.
inline constexpr const char* Group = "group";
}  // namespace axis

class Report {
 public:
  explicit Report(RunResult& out) : out_(out) {}
  /// A new series of `rows` x `columns` zeros ("day" or "week" rows), to fill in.
  Series& series(const std::string& name, const std::string& units,
                 const std::string& description, const std::string& row_axis,
                 const std::string& column_axis, int rows, int columns);
  /// A daily series holding the first `rows` rows of an accumulator grid (all if < 0).
  const Series& daily(const Grid& g, const std::string& name, const std::string& units,
                      const std::string& description, const std::string& column_axis,
                      int rows = -1);
  /// A headline figure.
  void figure(const std::string& name, double value, const std::string& units,
              const std::string& description);

 private:
  Series& add(Series s);  ///< (refused if the name was reported before)
  RunResult& out_;
};

/// Figures "<prefix>.men", ".women" and ".woman_headed": the share of each group's
/// returnees (`of`, [day, group], e.g. Arrivals::by_group) counted in `counts` ([day,
/// group] series), described as "Share of <group> <what>".
void group_shares(Report& out, const std::string& prefix, const Series& counts, const Grid& of,
                  const std::string& what);

/// Sum of one column of a series, and of all its values.
double column_sum(const Series& s, int column);
double total_sum(const Series& s);

}  // namespace rfsim::sim
