// The initial-state table of a scenario ([initial] table): the returnees already in place
// on day 0, one group per row of a CSV file `state,place,count,days_left,need`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace rfsim::scenario_detail {

/// The state names of the table, in the order of InitialGroup::Kind.
inline constexpr const char* kInitialStates[] = {"quarantine", "home_quarantine", "at_home",
                                                 "open_case", "waiting_case"};
std::optional<InitialGroup::Kind> initial_kind(const std::string& name);
const char* initial_state_name(InitialGroup::Kind kind);

/// Reads the CSV: a header naming the columns (state, place and count required; days_left
/// and need optional, in any order), then one group per row. Blank lines and lines starting
/// with '#' are skipped. Throws ScenarioError "file:row: column: what was expected (got
/// ...)". Checks each row alone (a need given exactly for the case states, counts and days
/// whole and >= 0); places are checked later against the scenario and geography.
std::vector<InitialGroup> read_initial_table(const std::string& path);

/// The checks of one group that need no geography: "column: what was expected", or "".
std::string check_initial_group(const InitialGroup& g);

}  // namespace rfsim::scenario_detail
