// libFuzzer target for the scenario parser and validator (rfsim::load_scenario_text, the
// in-memory twin of load_scenario). The input is scenario TOML; each line "#--set K=V"
// (a TOML comment, so seeds stay valid scenarios) also becomes a --set override, which
// exercises apply_override. Only rfsim::ScenarioError may escape the loader: any other
// exception, a crash, undefined behaviour or a hang is a finding; so is an accepted
// scenario that breaks a documented invariant, or whose resolved text (stored in results
// files for reruns) does not load again to the same scenario. See fuzz/README.md.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "scenarios/scenario.h"

namespace {

std::vector<std::string> overrides_in(std::string_view text) {
  static constexpr std::string_view kMarker = "#--set ";
  std::vector<std::string> overrides;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    if (line.substr(0, kMarker.size()) == kMarker)
      overrides.emplace_back(line.substr(kMarker.size()));
    pos = end + 1;
  }
  return overrides;
}

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_scenario: %.2000s\n", what.c_str());
  std::abort();
}

bool finite_in(double v, double lo, double hi) {
  return std::isfinite(v) && v >= lo && v <= hi;
}

/// What a scenario that load_scenario accepted must satisfy for the engine to run it
/// (scenarios/README.md); a violation means the validator let a bad value through.
void check_invariants(const rfsim::Scenario& s) {
  const int horizon = s.horizon_days;
  if (horizon < 1 || horizon > 3650) finding("horizon_days out of range");
  if (s.entry_points.empty()) finding("no entry point accepted");
  if (s.arrivals.total < 1 || s.arrivals.total >= (std::int64_t{1} << 30))
    finding("arrivals.total outside 1..2^30-1 (the engine's agent ids) accepted");
  if (s.arrivals.daily_shape.size() != static_cast<std::size_t>(horizon))
    finding("daily_shape does not cover the horizon");
  double sum = 0;
  for (double v : s.arrivals.daily_shape) {
    if (!finite_in(v, 0, 1e308)) finding("daily_shape value not finite and >= 0");
    sum += v;
  }
  if (!(sum > 0) || !std::isfinite(sum)) finding("daily_shape sums to 0 or overflows");
  if (s.entry_shares.empty() || s.entry_shares.front().from != 0)
    finding("entry shares do not start on day 0");
  for (const auto& p : s.entry_shares) {
    if (p.shares.size() != s.entry_points.size()) finding("entry shares size mismatch");
    double total = 0;
    for (double v : p.shares) total += v;
    if (!finite_in(total, 1 - 1e-6, 1 + 1e-6)) finding("entry shares do not sum to 1");
  }
  for (const auto& f : s.facilities)
    if (f.capacity < 1 || f.opens < 0 || f.opens >= horizon || f.closes <= f.opens)
      finding("facility with bad capacity or dates accepted: " + f.name);
  if (s.policies.empty() || s.policies.front().from != 0) finding("policies do not start on day 0");
  for (const auto& p : s.policies)
    if (p.stay_days < 1 || p.stay_days > 365) finding("stay_days out of range");
  for (const auto& step : s.infection.prevalence.steps)
    if (!finite_in(step.value, 0, 1)) finding("prevalence out of [0, 1]");
  const auto& d = s.demography;
  for (double v :
       {d.female, d.pregnant_given_female_adult, d.with_children, d.gbv_risk_given_female,
        d.mental_health_need, d.disability, d.woman_headed_given_female_adult,
        s.infection.symptomatic, s.infection.test_sensitivity, s.infection.informal_detection,
        s.reintegration.community_share, s.reintegration.remigration_hazard})
    if (!finite_in(v, 0, 1)) finding("probability out of [0, 1] accepted");
  if (d.age_band_share.size() != 5) finding("age bands are not 5");
  if (!(s.services.caseload_per_worker > 0) || !(s.travel.speed_km_per_day > 0))
    finding("zero caseload or speed accepted (divisor)");
  for (const auto& n : s.services.needs)
    if (!(n.case_days > 0)) finding("case_days <= 0 accepted");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A relative arrivals.table resolves under fuzz-input/, which does not exist; an absolute
  // one may be read (read-only, and every file is as good as any other input).
  const std::string path = "fuzz-input/scenario.toml";
  rfsim::Scenario s;
  try {
    s = rfsim::load_scenario_text(text, path, overrides_in(text));
  } catch (const rfsim::ScenarioError&) {
    return 0;  // the expected way to refuse an input
  } catch (const std::exception& e) {
    finding(std::string(typeid(e).name()) + " escaped load_scenario: " + e.what());
  }
  check_invariants(s);
  // The resolved text is what a results file stores to rerun the scenario: it must load
  // again, to the same run.
  try {
    const rfsim::Scenario again = rfsim::load_scenario_text(s.resolved_toml, path);
    if (again.resolved_toml != s.resolved_toml || again.arrivals.total != s.arrivals.total ||
        again.arrivals.daily_shape != s.arrivals.daily_shape || again.seed != s.seed)
      finding("resolved_toml does not reload to the same scenario:\n" + s.resolved_toml);
  } catch (const std::exception& e) {
    finding(std::string("resolved_toml does not reload: ") + e.what() + "\n" + s.resolved_toml);
  }
  return 0;
}
