// Tiny geographies and scenarios built in code (no GDAL, no TOML) for the tests of the
// agent model, and helpers to run them and read their series.
#pragma once

#include <cstdint>
#include <string>

#include "sim/engine.h"

namespace rfsim::test {

/// Districts D0..D(n-1) on a line, `km` apart; the first `study` are in the study area.
/// Districts 0..n/2-1 are in province "A", the rest in "B".
geo::Geography line_geography(int n, double km, int study, double population = 1000);
/// `total` arrivals all on day 0 through one formal entry point in district 0, homes in
/// district 0, no quarantine, no infection, no services or packages to speak of, nobody
/// reached by information, home quarantine kept, no host-community needs.
Scenario base_scenario(std::int64_t total, int horizon = 30);
Facility facility(const std::string& name, int district, int beds);
void mandatory(Scenario& s, int stay);
/// 200,000 returnees over 120 days on line_geography(8, 60, 6) with every mechanism active.
Scenario big_scenario(std::uint64_t seed);

/// A mid-sized run for property tests (every mechanism active, ~20,000 returnees over 90
/// days on line_geography(6, 60, 5)): two entry points (formal in D0, informal in D2),
/// three facilities (D0 600 beds, D1 300, D3 200), mandatory 14-day quarantine with tests,
/// infection, social workers in D0 and D1, packages.
Scenario property_scenario(std::uint64_t seed);
geo::Geography property_geography();
/// property_scenario with host-community members in need (shares of each district's
/// people), on property_geography's districts with 100,000 people each: their referred
/// members fill the waiting lists of the districts short of workers.
Scenario host_scenario(std::uint64_t seed);
geo::Geography host_geography();

/// Resolves the scenario's places by name (no coordinates in these tests) and runs it.
sim::RunResult run(const Scenario& s, const geo::Geography& g, const sim::RunOptions& o = {});
const sim::Series& get(const sim::RunResult& r, const std::string& name);
double total(const sim::Series& s);
/// Every series bit for bit, every summary figure and the recommendation.
bool identical(const sim::RunResult& a, const sim::RunResult& b);

}  // namespace rfsim::test
