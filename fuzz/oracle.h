// What must hold for any input of the scenario loader: the oracle of the libFuzzer target
// (fuzz_scenario.cpp) and of fuzz_check, which runs the regression inputs and the committed
// corpus through it in every test build. See README.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rfsim::fuzz {

/// The --set overrides written in an input: each line "#--set key=value" (a TOML comment,
/// so the input stays a scenario file).
std::vector<std::string> overrides_in(std::string_view text);

/// Loads `text` (scenario TOML, plus its overrides) as load_scenario would and returns what
/// is wrong, or "" when nothing is: the input is refused with a ScenarioError, or it is
/// accepted, satisfies the invariants the engine relies on, and its resolved text (stored
/// in results files) loads again to the same run and the same text.
std::string check_scenario_input(std::string_view text);

}  // namespace rfsim::fuzz
