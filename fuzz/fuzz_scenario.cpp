// libFuzzer target for the scenario parser and validator (rfsim::load_scenario_text, the
// in-memory twin of load_scenario). The input is scenario TOML; each line "#--set K=V"
// (a TOML comment, so seeds stay valid scenarios) also becomes a --set override, which
// exercises apply_override. Any finding of the oracle (fuzz/oracle.h: an exception other
// than ScenarioError, an accepted scenario breaking an invariant, a resolved text that does
// not reload to the same run), a crash, undefined behaviour or a hang aborts with the
// input kept. See README.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/oracle.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string finding = rfsim::fuzz::check_scenario_input(text);
  if (!finding.empty()) {
    std::fprintf(stderr, "fuzz_scenario: %.4000s\n", finding.c_str());
    std::abort();
  }
  return 0;
}
