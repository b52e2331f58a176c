// The figures a study keeps of each run, and their table over the runs of a study.
//
// A run's figures are the engine's summary figures (RunResult::summary: peak overflow,
// days over capacity, peak social-worker gaps, community infectious-days, re-migrated,
// and any the engine adds) and three derived from the quarantine/over_capacity series,
// which planners ask about ("will a site overflow for more than a week?"):
//   - over_capacity_days.<facility>: days that facility was full and turned someone away;
//   - facility_over_capacity_days_max: the most such days of any one facility;
//   - facility_over_capacity_spell_max: the longest run of consecutive such days of any
//     one facility.
// A run sends them to rank 0 as (name, value) pairs; the first job of a batch also sends
// their units and descriptions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ensemble/codec.h"
#include "sim/engine.h"

namespace rfsim::ensemble {

/// Derived figure names (see above).
inline constexpr const char* kDaysOverCapacityPrefix = "over_capacity_days.";
inline constexpr const char* kDaysOverCapacityMax = "facility_over_capacity_days_max";
inline constexpr const char* kSpellOverCapacityMax = "facility_over_capacity_spell_max";

/// Every figure of a run: its summary figures and the derived ones, with units and meaning.
std::map<std::string, double> run_figures(const sim::RunResult& r);
std::map<std::string, sim::FigureInfo> run_figure_info(const sim::RunResult& r);

/// Writes the run's figures; with `with_info` also their units and descriptions.
void write_figures(ByteWriter& w, const sim::RunResult& r, bool with_info);
/// What a run of a sweep or a sensitivity study sends: its figures alone (with their
/// units and descriptions from job 0).
std::string figure_bytes(const sim::RunResult& r, std::int64_t job);

/// The figures of the runs of a study, one row per run. Filled on rank 0 in any order.
class FigureTable {
 public:
  explicit FigureTable(std::int64_t runs) : runs_(runs) {}
  /// Reads run `run`'s figures (what write_figures wrote).
  void read(std::int64_t run, ByteReader& r);
  /// Reads run `run`'s figure_bytes().
  void read(std::int64_t run, const std::string& bytes);

  std::int64_t runs() const { return runs_; }
  /// Figure names, in name order.
  std::vector<std::string> names() const;
  /// The values of figure `name` over the runs (NaN for a run without it).
  const std::vector<double>& values(const std::string& name) const;
  /// Units and meaning, as the first job reported them (empty if it did not have it).
  sim::FigureInfo info(const std::string& name) const;

 private:
  std::int64_t runs_;
  std::map<std::string, std::vector<double>> values_;
  std::map<std::string, sim::FigureInfo> info_;
};

}  // namespace rfsim::ensemble
