// The daily arrival curve of a scenario, one value per day of the horizon: a parametric
// surge, or a table of daily counts read from a CSV file (date,count).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace rfsim::scenario_detail {

/// Zero before `start`, linear rise to 1 on `peak` (1/(peak-start+1) on `start`), then
/// exp(-(d - peak) / decay_days).
std::vector<double> surge_shape(int horizon, Day start, Day peak, double decay_days);

/// Reads a CSV of daily counts: a header "date,count" (further columns ignored), then one
/// row per day, "YYYY-MM-DD,<count >= 0>". Blank lines and lines starting with '#' are
/// skipped. Rows before day 0 or from day `horizon` on are ignored; days without a row
/// count 0. `epoch` is day 0 in days since 1970-01-01. Throws ScenarioError
/// "file:row: column: what was expected (got ...)".
std::vector<double> read_daily_counts(const std::string& path, std::int64_t epoch, int horizon);

}  // namespace rfsim::scenario_detail
