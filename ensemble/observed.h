// Observed counts a calibration fits the model to, and the model's value of each.
//
// A CSV with a header row naming (in any order) the columns
//   date    one day, YYYY-MM-DD, or a range of days, YYYY-MM-DD/YYYY-MM-DD (both included)
//   series  a series of results.h5 (outputs/SCHEMA.md), e.g. arrivals/daily
//   column  which column: a facility, entry point or district name (districts as rfsim
//           names them, "Samraong (Takeo)" where a name is shared), several joined by "+"
//           ("Poipet+Ou Beichoan"), a group (men, women, woman_headed), or "total"
//           (every column; of a group series, men + women)
//   value   the observed number
// and optionally
//   statistic  "sum" (default): the series summed over the days (or weeks) of the date,
//              e.g. a cumulative count of returns over a period; "mean": averaged over
//              them, e.g. an average number per day, or a level such as occupancy
// Any other column (a source, a note) is ignored. Weekly series take the weeks (from day
// 0, 7, 14, ...) holding the days of the date. Fields may be quoted ("a, b").
#pragma once

#include <string>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"

namespace rfsim::ensemble {

struct Observation {
  int line = 0;             ///< in the CSV (for messages)
  std::string date;         ///< as given
  int first = 0, last = 0;  ///< rows of the series covered (days, or weeks)
  std::string series;
  std::string column;        ///< as given
  std::vector<int> columns;  ///< column indices summed
  bool mean = false;         ///< statistic "mean" (else "sum")
  double value = 0;
};

/// Reads the observations, checking every row against the scenario's dates and a run of
/// it (`probe`: its series, their axes and the names of their columns). Throws
/// std::runtime_error "<path>:<line>: <what was expected>".
std::vector<Observation> read_observed(const std::string& path, const Scenario& scenario,
                                       const geo::Geography& geography,
                                       const sim::RunResult& probe);

/// The model's value of each observation in run `r`.
std::vector<double> simulated(const sim::RunResult& r, const std::vector<Observation>& obs);

}  // namespace rfsim::ensemble
