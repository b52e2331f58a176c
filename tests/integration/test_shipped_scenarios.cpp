// The shipped scenarios, run on the real geography (three provinces; the 2020-2022
// reconstructions five), must reproduce their inputs: total arrivals, the split over entry
// points and the home-province shares, within binomial sampling error; and every agent,
// those placed on day 0 included, must be accounted for every day.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"
#include "sim/places.h"

namespace fs = std::filesystem;
using namespace rfsim;

namespace {

struct LoadedRun {
  Scenario scenario;
  geo::Geography geography;
  sim::RunResult result;
};

LoadedRun run_shipped(const std::string& file, const std::vector<std::string>& overrides) {
  const fs::path data = RFSIM_TEST_DATA_DIR;
  if (!fs::exists(data / "geoBoundaries-KHM-ADM2-simplified.geojson")) {
    FAIL("real data not found in " << data << ": run scripts/fetch-data first");
  }
  std::vector<std::string> all = overrides;
  all.push_back("data.dir=" + data.string());
  LoadedRun run;
  run.scenario = load_scenario(std::string(RFSIM_SOURCE_DIR) + "/scenarios/" + file, all);
  run.geography = geo::build_geography(sim::geo_inputs(run.scenario));
  const geo::Locator locator(run.geography);
  const sim::Places places = sim::resolve_places(run.scenario, run.geography, &locator);
  run.result = sim::simulate(run.scenario, run.geography, places);
  return run;
}

double column_total(const sim::Series& series, int column) {
  double total = 0;
  for (int row = 0; row < series.rows; ++row) total += series.at(row, column);
  return total;
}

/// |observed share - expected| within 4 binomial standard errors (plus a hair for
/// rounding), the tolerance of a test that must not flake across seeds.
void require_share(const std::string& what, double observed, double expected, double n) {
  const double sigma = std::sqrt(expected * (1 - expected) / n);
  INFO(what << ": observed share " << observed << ", expected " << expected);
  REQUIRE(std::abs(observed - expected) <= 4 * sigma + 1e-9);
}

}  // namespace

TEST_CASE("default scenario reproduces its arrivals, entry split and home provinces",
          "[integration]") {
  const LoadedRun run = run_shipped("default.toml", {});
  const auto& scenario = run.scenario;
  const double total = static_cast<double>(scenario.arrivals.total);
  REQUIRE(run.result.agents == scenario.arrivals.total);

  const sim::Series* by_entry = run.result.find("arrivals/by_entry_point");
  REQUIRE(by_entry != nullptr);
  REQUIRE(by_entry->columns == static_cast<int>(scenario.entry_points.size()));
  double arrived = 0;
  for (int e = 0; e < by_entry->columns; ++e) arrived += column_total(*by_entry, e);
  REQUIRE(arrived == total);
  // The default has a single share period, so each entry point's share of all arrivals
  // is its configured share.
  REQUIRE(scenario.entry_shares.size() == 1);
  for (int e = 0; e < by_entry->columns; ++e) {
    require_share("entry point " + scenario.entry_points[e].name,
                  column_total(*by_entry, e) / total, scenario.entry_shares[0].shares[e], total);
  }

  const sim::Series* by_home = run.result.find("arrivals/by_home_district");
  REQUIRE(by_home != nullptr);
  std::map<std::string, double> by_province;
  for (int d = 0; d < by_home->columns; ++d) {
    const auto& district = run.geography.districts[d];
    const bool named = scenario.home.province_share.count(district.province) > 0;
    by_province[named ? district.province : "other"] += column_total(*by_home, d);
  }
  for (const auto& [province, share] : scenario.home.province_share) {
    require_share("home province " + province, by_province[province] / total, share, total);
  }
}

TEST_CASE("shipped scenarios account for every returnee on every day", "[integration]") {
  for (const std::string file : {"default.toml", "wave-2020.toml", "dec2020-mar2021.toml",
                                 "aug2021-surge.toml", "whatif-short-quarantine.toml"}) {
    DYNAMIC_SECTION(file) {
      const LoadedRun run = run_shipped(file, {});
      const sim::Series* daily = run.result.find("arrivals/daily");
      REQUIRE(daily != nullptr);
      std::vector<const sim::Series*> states;
      for (const auto& series : run.result.series) {
        if (series.name.rfind("state/", 0) == 0) states.push_back(&series);
      }
      REQUIRE(states.size() == 9);
      // Returnees already in place on day 0 ([initial], aug2021-surge) are in a state from
      // day 0 on, as the arrivals of each day are from that day.
      const double initial = static_cast<double>(run.scenario.initial.total());
      double arrived_to_date = initial;
      for (int day = 0; day < daily->rows; ++day) {
        arrived_to_date += daily->at(day, 0);
        double in_a_state = 0, not_arrived = 0;
        for (const auto* state : states) {
          if (state->name == "state/not_arrived") {
            not_arrived = state->at(day, 0);
          } else {
            in_a_state += state->at(day, 0);
          }
        }
        INFO("day " << day);
        REQUIRE(in_a_state == arrived_to_date);
        REQUIRE(in_a_state + not_arrived == static_cast<double>(run.result.agents));
      }
    }
  }
}

TEST_CASE("a province added to the study area gets its returnees", "[integration]") {
  // Regression: a province added to study.provinces used to fall out of "other" and get
  // none. Without a share table, homes follow population; with one, it must name the
  // province (a bad-input case checks the error).
  const std::vector<std::string> five = {
      "study.provinces=[\"Banteay Meanchey\", \"Battambang\", \"Siem Reap\", \"Pailin\", "
      "\"Oddar Meanchey\"]"};
  auto home_share = [](const LoadedRun& run, const std::string& province) {
    const sim::Series* by_home = run.result.find("arrivals/by_home_district");
    double n = 0;
    for (int d = 0; d < by_home->columns; ++d)
      if (run.geography.districts[d].province == province) n += column_total(*by_home, d);
    return n / static_cast<double>(run.result.agents);
  };
  std::vector<std::string> by_population = five;
  by_population.push_back("home.province_share={}");
  const LoadedRun pop = run_shipped("default.toml", by_population);
  double cambodia = 0, pailin = 0;
  for (const auto& d : pop.geography.districts) {
    cambodia += d.population;
    if (d.province == "Pailin") pailin += d.population;
  }
  require_share("Pailin by population", home_share(pop, "Pailin"), pailin / cambodia,
                static_cast<double>(pop.result.agents));

  std::vector<std::string> table = five;
  table.push_back("home.province_share={\"Banteay Meanchey\" = 0.4, Battambang = 0.2, "
                  "\"Siem Reap\" = 0.1, Pailin = 0.05, \"Oddar Meanchey\" = 0.05, other = 0.2}");
  const LoadedRun shares = run_shipped("default.toml", table);
  require_share("Pailin by the table", home_share(shares, "Pailin"), 0.05,
                static_cast<double>(shares.result.agents));
  require_share("Oddar Meanchey by the table", home_share(shares, "Oddar Meanchey"), 0.05,
                static_cast<double>(shares.result.agents));
}
