// The probabilities a planner asks of a set of replicates (see events.h).
#include "ensemble/events.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/text.h"

namespace rfsim::ensemble {

namespace {

/// Share of runs first .. first+n-1 whose `figure` is above `threshold` (NaN if the figure
/// is missing from all of them).
double share_above(const std::vector<double>& values, std::int64_t first, std::int64_t n,
                   double threshold) {
  std::int64_t above = 0, seen = 0;
  for (std::int64_t k = first; k < first + n; ++k) {
    const double v = values[static_cast<size_t>(k)];
    if (std::isnan(v)) continue;
    ++seen;
    above += v > threshold;
  }
  return seen ? static_cast<double>(above) / static_cast<double>(seen)
              : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<Probability> event_probabilities(const FigureTable& table, std::int64_t first,
                                             std::int64_t n, const EventThresholds& t) {
  std::vector<Probability> out;
  const std::vector<std::string> names = table.names();
  auto has = [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  const std::string days = std::to_string(t.overflow_days);
  const std::string fte = text::format_number(t.gap_fte);
  auto add = [&](const std::string& event, const std::string& figure, double threshold,
                 const std::string& units, const std::string& description) {
    if (!has(figure)) return;
    out.push_back({event, description, threshold, units,
                   share_above(table.values(figure), first, n, threshold)});
  };
  add("facility_over_capacity_days", kDaysOverCapacityMax, t.overflow_days, "days",
      "Probability that at least one facility is full and turns returnees away on more than " +
          days + " days.");
  add("facility_over_capacity_spell", kSpellOverCapacityMax, t.overflow_days, "days",
      "Probability that at least one facility is full and turns returnees away for more than " +
          days + " consecutive days.");
  const std::string prefix = kDaysOverCapacityPrefix;
  for (const std::string& name : names)
    if (name.starts_with(prefix)) {
      const std::string facility = name.substr(prefix.size());
      add("facility_over_capacity_days." + facility, name, t.overflow_days, "days",
          "Probability that facility '" + facility +
              "' is full and turns returnees away on more than " + days + " days.");
    }
  add("peak_gap_fte", "peak_gap_fte", t.gap_fte, "FTE social workers",
      "Probability that the highest weekly shortfall of social workers against identified "
      "demand exceeds " +
          fte + " FTE.");
  add("peak_need_gap_fte", "peak_need_gap_fte", t.gap_fte, "FTE social workers",
      "Probability that the highest weekly shortfall of social workers against the whole "
      "need (identified or not) exceeds " +
          fte + " FTE.");
  return out;
}

}  // namespace rfsim::ensemble
