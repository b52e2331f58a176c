// The scenario keys a sensitivity study or a calibration moves over a range, as given on
// the command line (`--param key=lo:hi`): any key `--set` takes whose value is a number.
// Whole-number keys (arrivals.total, facilities.0.capacity, ...) get whole values; the
// parameter dictionary (scenarios/parameters.h) says which keys those are.
#pragma once

#include <string>
#include <vector>

namespace rfsim::ensemble {

struct ParamRange {
  std::string key;  ///< dotted scenario key, as `--set` takes it
  double low = 0, high = 0;
  bool integer = false;  ///< the dictionary types the key as an integer

  /// The value at `u` in [0, 1] of the range (rounded to a whole number for an integer
  /// key), and the `--set` override that gives it.
  double at(double u) const;
  std::string override_for(double value) const;
};

/// Parses "key=lo:hi" (lo < hi, both numbers). Throws std::invalid_argument "--param
/// <text>: ..." naming what is wrong; also for a key the dictionary knows as something
/// other than a number. Whether the scenario accepts both ends is checked by the study
/// (Study::variant).
ParamRange parse_range(const std::string& text);

/// The `--set` overrides that put every range at its `u` (one u per range).
std::vector<std::string> overrides_at(const std::vector<ParamRange>& ranges,
                                      const std::vector<double>& u);

}  // namespace rfsim::ensemble
