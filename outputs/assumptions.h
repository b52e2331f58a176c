// The assumptions behind a run, for its briefing: the stored scenario text (results.h5
// /meta@scenario_toml) reloaded and compared key by key with the parameter dictionary
// (scenarios/parameters.h). Two lists: every value the scenario sets that differs from the
// dictionary's default, and every ASSUMPTION of the dictionary in force (its default used,
// whether left out or restated), each with its units, meaning and source.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rfsim::outputs {

struct Assumption {
  std::string key;      ///< as written in the scenario: "facilities.2.capacity"
  std::string where;    ///< the element a key of an array belongs to: "Poipet centre"
  std::string value;    ///< the value in force, as TOML writes it
  std::string default_value;  ///< the dictionary's default in words ("none" if none)
  std::string units, meaning, source;
};

struct Assumptions {
  std::vector<Assumption> changed;  ///< set by the scenario, different from the default
  std::vector<Assumption> assumed;  ///< ASSUMPTION defaults in force
  bool reloaded = false;  ///< false when the stored text is not a scenario rfsim reads
  std::string problem;    ///< why, then
};

/// Where scenario text `b` differs from `a`, key by key (labels of the run aside): lines
/// "quarantine.stay_days = 7 (a: 14)", with "not set" for a key one of them lacks.
std::vector<std::string> scenario_differences(std::string_view a, std::string_view b,
                                              const std::string& a_label);

/// Compares `scenario_toml` with the dictionary. The text must parse as TOML; it is also
/// loaded as a scenario (load_scenario_text) to confirm it is one, and `reloaded` says
/// whether that worked (the input files may have moved since: the lists are made anyway).
Assumptions scenario_assumptions(std::string_view scenario_toml);

}  // namespace rfsim::outputs
