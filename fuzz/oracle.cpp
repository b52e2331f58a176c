// The fuzz oracle: see oracle.h.
#include "fuzz/oracle.h"

#include <cmath>
#include <cstdint>
#include <exception>
#include <typeinfo>

#include "base/text.h"
#include "scenarios/parameters.h"
#include "scenarios/scenario.h"

namespace rfsim::fuzz {

namespace {

using params::param;

bool finite_in(double v, double lo, double hi) {
  return std::isfinite(v) && v >= lo && v <= hi;
}

/// What a scenario that load_scenario accepted must satisfy for the engine to run it
/// (scenarios/README.md); a violation means the validator let a bad value through.
std::string broken_invariant(const Scenario& s) {
  const int horizon = s.horizon_days;
  const auto [min_horizon, max_horizon] = params::integer_range(param("run.horizon_days"));
  if (horizon < min_horizon || horizon > max_horizon) return "horizon_days out of range";
  if (s.entry_points.empty()) return "no entry point accepted";
  if (s.arrivals.total < 1 ||
      s.arrivals.total > params::integer_range(param("arrivals.total")).second)
    return "arrivals.total outside 1..2^30-1 (the engine's agent ids) accepted";
  if (s.arrivals.daily_shape.size() != static_cast<std::size_t>(horizon))
    return "daily_shape does not cover the horizon";
  double sum = 0;
  for (double v : s.arrivals.daily_shape) {
    if (!finite_in(v, 0, 1e308)) return "daily_shape value not finite and >= 0";
    sum += v;
  }
  if (!(sum > 0) || !std::isfinite(sum)) return "daily_shape sums to 0 or overflows";
  if (s.entry_shares.empty() || s.entry_shares.front().from != 0)
    return "entry shares do not start on day 0";
  for (const auto& p : s.entry_shares) {
    if (p.shares.size() != s.entry_points.size()) return "entry shares size mismatch";
    double total = 0;
    for (double v : p.shares) total += v;
    if (!finite_in(total, 1 - 1e-6, 1 + 1e-6)) return "entry shares do not sum to 1";
  }
  for (const auto& f : s.facilities)
    if (f.capacity < 1 || f.opens < 0 || f.opens >= horizon || f.closes <= f.opens)
      return "facility with bad capacity or dates accepted: " + f.name;
  if (s.policies.empty() || s.policies.front().from != 0) return "policies do not start on day 0";
  const auto [min_stay, max_stay] = params::integer_range(param("quarantine.stay_days"));
  for (const auto& p : s.policies)
    if (p.stay_days < min_stay || p.stay_days > max_stay) return "stay_days out of range";
  for (const auto& step : s.infection.prevalence.steps)
    if (!finite_in(step.value, 0, 1)) return "prevalence out of [0, 1]";
  const auto& d = s.demography;
  for (double v :
       {d.female, d.pregnant_given_female_adult, d.with_children, d.gbv_risk_given_female,
        d.mental_health_need, d.disability, d.woman_headed_given_female_adult,
        s.infection.symptomatic, s.infection.test_sensitivity, s.infection.informal_detection,
        s.reintegration.community_share, s.reintegration.remigration_hazard})
    if (!finite_in(v, 0, 1)) return "probability out of [0, 1] accepted";
  if (d.age_band_share.size() != param("demography.age_band_share").size)
    return "age bands are not 5";
  if (!(s.services.caseload_per_worker > 0) || !(s.travel.speed_km_per_day > 0))
    return "zero caseload or speed accepted (divisor)";
  for (const auto& n : s.services.needs)
    if (!(n.case_days > 0)) return "case_days <= 0 accepted";
  return "";
}

}  // namespace

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

std::string check_scenario_input(std::string_view text) {
  // A relative arrivals.table resolves under fuzz-input/, which does not exist; an absolute
  // one may be read (read-only, and every file is as good as any other input).
  const std::string path = "fuzz-input/scenario.toml";
  Scenario s;
  try {
    s = load_scenario_text(text, path, overrides_in(text));
  } catch (const ScenarioError&) {
    return "";  // the expected way to refuse an input
  } catch (const std::exception& e) {
    return std::string(typeid(e).name()) + " escaped load_scenario: " + e.what();
  } catch (...) {
    return "a non-standard exception escaped load_scenario";
  }
  if (std::string broken = broken_invariant(s); !broken.empty()) return broken;
  // The resolved text is what a results file stores to rerun the scenario: it must load
  // again, to the same run, and write itself out the same.
  try {
    const Scenario again = load_scenario_text(s.resolved_toml, path);
    const std::vector<std::string> differences = run_differences(s, again);
    if (!differences.empty())
      return "resolved_toml reloads to another run (" + text::join_prose(differences) +
             " differ):\n" + s.resolved_toml;
    if (again.resolved_toml != s.resolved_toml)
      return "resolved_toml of the reloaded scenario differs:\n" + s.resolved_toml +
             "\n--- again:\n" + again.resolved_toml;
  } catch (const std::exception& e) {
    return std::string("resolved_toml does not reload: ") + e.what() + "\n" + s.resolved_toml;
  }
  return "";
}

}  // namespace rfsim::fuzz
