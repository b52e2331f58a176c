// The probabilities a planner asks of a set of replicates: "how likely is it that a site
// overflows for more than a week?", "that the peak social-worker gap exceeds what we can
// deploy?". Each is the share of replicates in which the event happens, read from their
// figures (figures.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ensemble/figures.h"

namespace rfsim::ensemble {

struct EventThresholds {
  int overflow_days = 7;  ///< a facility over capacity on more than this many days
  double gap_fte = 0;     ///< a peak social-worker gap above this many FTE
};

struct Probability {
  std::string name;         ///< e.g. "facility_over_capacity_days"
  std::string description;  ///< one sentence, thresholds included
  double threshold = 0;
  std::string threshold_units;  ///< "days" or "FTE social workers"
  double value = 0;             ///< share of replicates, 0 to 1
};

/// The events, over runs first .. first+n-1 of `table`:
///   facility_over_capacity_days: some facility over capacity on more than overflow_days days;
///   facility_over_capacity_spell: the same for more than overflow_days consecutive days;
///   facility_over_capacity_days.<facility>: that facility on more than overflow_days days;
///   peak_gap_fte, peak_need_gap_fte: that summary figure above gap_fte.
/// Events whose figures the runs lack are left out.
std::vector<Probability> event_probabilities(const FigureTable& table, std::int64_t first,
                                             std::int64_t n, const EventThresholds& thresholds);

}  // namespace rfsim::ensemble
