// Tests of the agent model on geographies and scenarios built in code (no GDAL, no TOML):
// each mechanism against a known answer, conservation of agents, and bit-identical results
// for 1 and 2 threads.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "sim/engine.h"
#include "sim/deployment.h"
#include "sim/services.h"
#include "tests/sim/fixtures.h"

using namespace rfsim;
using rfsim::sim::RunOptions;
using rfsim::sim::RunResult;
using rfsim::sim::Series;

using namespace rfsim::test;

TEST_CASE("daily counts sum exactly to the total with largest remainders", "[sim][arrivals]") {
  Arrivals a;
  a.total = 10;
  a.daily_shape = {1, 1, 1};
  CHECK(sim::daily_counts(a, 3) == std::vector<std::int64_t>{4, 3, 3});
  a.total = 1000003;
  a.daily_shape = {0.3, 2.7, 0, 1.1, 5.9, 0.01};
  auto c = sim::daily_counts(a, 8);
  std::int64_t sum = 0;
  for (auto x : c) sum += x;
  CHECK(sum == a.total);
  CHECK(c[2] == 0);
  CHECK(c[6] == 0);
  // Surge shape when no table is given.
  Arrivals s;
  s.total = 5000;
  s.surge_start = 2;
  s.surge_peak = 5;
  s.decay_days = 3;
  auto sc = sim::daily_counts(s, 30);
  sum = 0;
  for (auto x : sc) sum += x;
  CHECK(sum == 5000);
  CHECK(sc[0] == 0);
  CHECK(sc[5] > sc[4]);
  CHECK(sc[5] > sc[6]);
}

TEST_CASE("arrivals: all counted, by day and entry point", "[sim][arrivals]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(777, 20);
  for (int d = 0; d < 20; ++d) s.arrivals.daily_shape[d] = d + 1;
  RunResult r = run(s, g);
  CHECK(r.agents == 777);
  CHECK(r.summary.at("arrivals_total") == 777);
  CHECK(total(get(r, "arrivals/by_entry_point")) == 777);
  CHECK(total(get(r, "arrivals/daily")) == 777);
  CHECK(total(get(r, "arrivals/by_home_district")) == 777);
}

TEST_CASE("bed example: 10 beds, 15 arrivals, 14 days, home-quarantine overflow",
          "[sim][quarantine]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(15, 30);
  mandatory(s, 14);
  s.facilities = {facility("F0", 0, 10)};
  s.overflow = OverflowRule::HomeQuarantine;
  RunResult r = run(s, g);
  const Series& occ = get(r, "quarantine/occupancy");
  REQUIRE(occ.columns == 1);
  for (int d = 0; d <= 13; ++d) CHECK(occ.at(d, 0) == 10);
  CHECK(occ.at(14, 0) == 0);
  const Series& over = get(r, "quarantine/overflow");
  CHECK(over.at(0, 0) == 5);
  CHECK(total(over) == 5);
  CHECK(r.summary.at("overflow_total") == 5);
  CHECK(r.summary.at("days_over_capacity") == 1);
  CHECK(r.summary.at("peak_occupancy") == 10);
  CHECK(get(r, "quarantine/over_capacity").at(0, 0) == 1);
  CHECK(total(get(r, "quarantine/over_capacity")) == 1);
  // The five overflowing quarantine at home (same district: no transit) for 14 days.
  const Series& hq = get(r, "state/home_quarantine");
  for (int d = 0; d <= 13; ++d) CHECK(hq.at(d, 0) == 5);
  CHECK(hq.at(14, 0) == 0);
  CHECK(get(r, "state/at_home").at(14, 0) == 15);
}

TEST_CASE("wait rule: overflow waits at the entry point and retries first", "[sim][quarantine]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(15, 30);
  mandatory(s, 3);
  s.arrivals.daily_shape[3] = 1e-9;  // nobody else arrives (rounds to 0)
  s.facilities = {facility("F0", 0, 10)};
  s.overflow = OverflowRule::Wait;
  RunResult r = run(s, g);
  const Series& occ = get(r, "quarantine/occupancy");
  const Series& wait = get(r, "state/waiting_at_entry");
  const Series& over = get(r, "quarantine/overflow");
  for (int d = 0; d <= 2; ++d) {
    CHECK(occ.at(d, 0) == 10);
    CHECK(wait.at(d, 0) == 5);
    CHECK(over.at(d, 0) == 5);
  }
  for (int d = 3; d <= 5; ++d) {
    CHECK(occ.at(d, 0) == 5);
    CHECK(wait.at(d, 0) == 0);
    CHECK(over.at(d, 0) == 0);
  }
  CHECK(occ.at(6, 0) == 0);
  CHECK(r.summary.at("days_over_capacity") == 3);
  CHECK(get(r, "quarantine/intake").at(3, 0) == 5);
}

TEST_CASE("next-nearest overflow fills the next facility", "[sim][quarantine]") {
  auto g = line_geography(4, 100, 4);
  Scenario s = base_scenario(15, 30);
  mandatory(s, 5);
  s.facilities = {facility("far", 3, 10), facility("near", 1, 10)};
  s.overflow = OverflowRule::NextNearest;
  RunResult r = run(s, g);
  const Series& occ = get(r, "quarantine/occupancy");
  CHECK(occ.at(0, 1) == 10);  // nearest first
  CHECK(occ.at(0, 0) == 5);
  CHECK(r.summary.at("overflow_total") == 0);
  CHECK(get(r, "quarantine/over_capacity").at(0, 1) == 1);
  CHECK(get(r, "quarantine/over_capacity").at(0, 0) == 0);
}

TEST_CASE("facilities open and close by day", "[sim][quarantine]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(10, 30);
  mandatory(s, 2);
  s.arrivals.daily_shape[5] = 1;  // 5 on day 0, 5 on day 5
  Facility late = facility("late", 0, 100);
  late.opens = 3;
  s.facilities = {late};
  s.overflow = OverflowRule::HomeQuarantine;
  RunResult r = run(s, g);
  CHECK(get(r, "quarantine/overflow").at(0, 0) == 5);  // nothing open on day 0
  CHECK(get(r, "quarantine/occupancy").at(5, 0) == 5);
}

TEST_CASE("home-district-first assignment", "[sim][quarantine]") {
  auto g = line_geography(4, 100, 4);
  Scenario s = base_scenario(8, 30);
  mandatory(s, 5);
  s.home.district_weight = {{"D3", 1.0}};
  s.facilities = {facility("entry", 0, 100), facility("home", 3, 100)};
  s.assignment = AssignmentRule::NearestFree;
  RunResult nearest = run(s, g);
  CHECK(get(nearest, "quarantine/occupancy").at(0, 0) == 8);
  CHECK(get(nearest, "quarantine/occupancy").at(0, 1) == 0);
  s.assignment = AssignmentRule::HomeDistrictFirst;
  RunResult home = run(s, g);
  CHECK(get(home, "quarantine/occupancy").at(0, 0) == 0);
  CHECK(get(home, "quarantine/occupancy").at(0, 1) == 8);
  // Home facility full: the rest go to the nearest with a free bed.
  s.facilities[1].capacity = 5;
  RunResult spill = run(s, g);
  CHECK(get(spill, "quarantine/occupancy").at(0, 1) == 5);
  CHECK(get(spill, "quarantine/occupancy").at(0, 0) == 3);
}

TEST_CASE("travel days are ceil(km / speed), 0 in the same district", "[sim][travel]") {
  auto g = line_geography(4, 100, 4);
  Scenario s = base_scenario(12, 30);
  s.travel.speed_km_per_day = 150;
  s.home.district_weight = {{"D2", 1.0}};  // 200 km: 2 days
  RunResult r = run(s, g);
  const Series& home = get(r, "travel/arrivals_home");
  CHECK(home.at(2, 2) == 12);
  CHECK(total(home) == 12);
  CHECK(get(r, "state/in_transit").at(0, 0) == 12);
  CHECK(get(r, "state/in_transit").at(1, 0) == 12);
  CHECK(get(r, "state/at_home").at(2, 0) == 12);
  s.home.district_weight = {{"D3", 1.0}};  // 300 km: exactly 2 days at 150 km/day
  CHECK(get(run(s, g), "travel/arrivals_home").at(2, 3) == 12);
  s.home.district_weight = {{"D0", 1.0}};
  CHECK(get(run(s, g), "travel/arrivals_home").at(0, 0) == 12);
  // From the facility's district after quarantine: D1 -> D3 is 200 km = 2 days.
  mandatory(s, 4);
  s.home.district_weight = {{"D3", 1.0}};
  s.facilities = {facility("F", 1, 100)};
  CHECK(get(run(s, g), "travel/arrivals_home").at(4 + 2, 3) == 12);
}

TEST_CASE("homes outside the study area leave it where the path exits", "[sim][travel]") {
  auto g = line_geography(5, 100, 3);  // D0..D2 study, D3, D4 outside
  Scenario s = base_scenario(9, 30);
  s.travel.speed_km_per_day = 100;
  s.home.district_weight = {{"D4", 1.0}};
  RunResult r = run(s, g);
  CHECK(get(r, "travel/left_study_area").at(2, 0) == 9);  // D0 -> D2 (exit): 200 km
  CHECK(get(r, "travel/left_study_area_by_exit").at(2, 2) == 9);
  CHECK(r.summary.at("left_study_area") == 9);
  CHECK(get(r, "state/left_study_area").at(29, 0) == 9);
  CHECK(total(get(r, "travel/arrivals_home")) == 0);
}

TEST_CASE("home districts from province shares and population", "[sim][arrivals]") {
  auto g = line_geography(6, 50, 6);  // A: D0-D2, B: D3-D5
  g.districts[0].population = 3000;   // D0 is 3/5 of A
  Scenario s = base_scenario(100000, 10);
  s.study_provinces = {"A"};
  s.home.district_weight.clear();
  s.home.province_share = {{"A", 0.7}, {"other", 0.3}};
  RunResult r = run(s, g);
  const Series& h = get(r, "arrivals/by_home_district");
  const double n = 100000;
  CHECK(std::abs(h.at(0, 0) / n - 0.7 * 0.6) < 0.01);
  CHECK(std::abs(h.at(0, 1) / n - 0.7 * 0.2) < 0.01);
  CHECK(std::abs((h.at(0, 3) + h.at(0, 4) + h.at(0, 5)) / n - 0.3) < 0.01);
}

TEST_CASE("entry-share periods route arrivals", "[sim][arrivals]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(1000, 10);
  for (int d = 0; d < 10; ++d) s.arrivals.daily_shape[d] = 1;
  EntryPoint e1 = s.entry_points[0];
  e1.name = "E1";
  e1.district_name = "D2";
  s.entry_points.push_back(e1);
  s.entry_shares = {{0, {1.0, 0.0}}, {5, {0.0, 1.0}}};
  RunResult r = run(s, g);
  const Series& a = get(r, "arrivals/by_entry_point");
  for (int d = 0; d < 5; ++d) CHECK(a.at(d, 1) == 0);
  for (int d = 5; d < 10; ++d) CHECK(a.at(d, 0) == 0);
  CHECK(a.at(0, 0) == 100);
  CHECK(a.at(9, 1) == 100);
  CHECK(r.summary.at("arrivals_share.E0") == 0.5);
}

TEST_CASE("needs identified at intake open cases up to the slots, the rest wait",
          "[sim][services]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(20, 30);
  mandatory(s, 14);
  s.facilities = {facility("F", 0, 100)};
  s.demography.mental_health_need = 1;
  s.demography.with_children = 0;
  s.demography.gbv_risk_given_female = 0;
  s.demography.pregnant_given_female_adult = 0;
  s.services.needs = {{"mental_health", 1.0, 0.0, 0.0, 1000}};
  s.services.referral_rate = 1;
  s.services.caseload_per_worker = 5;
  s.services.deployed = {{"D0", 1}};
  s.services.additional_workers = 3;
  RunResult r = run(s, g);
  CHECK(get(r, "services/identified").at(0, 0) == 20);
  CHECK(get(r, "services/active_cases").at(0, 0) == 5);
  CHECK(get(r, "services/waiting").at(0, 0) == 15);
  CHECK(get(r, "services/active_cases").at(29, 0) == 5);
  CHECK(r.summary.at("vulnerable_reached") == 5);
  // Demand (5 + 15) / 5 = 4 FTE against 1 deployed: gap 3.
  CHECK(get(r, "services/demand_fte").at(0, 0) == Approx(4.0));
  CHECK(get(r, "services/gap_fte").at(0, 0) == Approx(3.0));
}

TEST_CASE("needs identified at home; cases close and free slots", "[sim][services]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(400, 200);
  s.demography.mental_health_need = 1;
  s.demography.with_children = 0;
  s.services.needs = {{"mental_health", 0.0, 0.9, 0.0, 5}};
  s.services.referral_rate = 1;
  s.services.caseload_per_worker = 10;
  s.services.deployed = {{"D0", 2}};
  RunResult r = run(s, g);
  const Series& act = get(r, "services/active_cases");
  double peak = 0;
  for (int d = 0; d < 200; ++d) peak = std::max(peak, act.at(d, 0));
  CHECK(peak == 20);
  CHECK(r.summary.at("needs_identified") > 350);
  CHECK(r.summary.at("cases_opened") == r.summary.at("needs_identified"));  // all served in time
  CHECK(get(r, "services/waiting").at(199, 0) == 0);
}

TEST_CASE("waiting lists drain: a returnee who re-migrates leaves them and closes their cases",
          "[sim][services][reintegration]") {
  // Regression: needs of returnees who re-migrated stayed on the waiting lists for good
  // (7,226 still waiting on day 240 of the default scenario).
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(200, 120);
  s.demography.mental_health_need = 1;
  s.demography.with_children = 0;
  s.demography.gbv_risk_given_female = 0;
  s.demography.pregnant_given_female_adult = 0;
  s.services.needs = {{"mental_health", 0.0, 1.0, 1.0, 1e6}};  // found at once, never closed
  s.services.referral_rate = 1;
  s.services.caseload_per_worker = 10;
  s.services.deployed = {{"D0", 1}};  // 10 slots
  s.reintegration.remigration_hazard = 0.05;
  RunResult r = run(s, g);
  const Series& waiting = get(r, "services/waiting");
  const Series& active = get(r, "services/active_cases");
  const Series& at_home = get(r, "state/at_home");
  for (int d = 0; d < 120; ++d) {
    INFO("day " << d);
    // Every need of a returnee still at home is open or waiting, no one else's.
    CHECK(active.at(d, 0) + waiting.at(d, 0) + get(r, "services/unidentified_need").at(d, 0) ==
          at_home.at(d, 0));
  }
  CHECK(waiting.at(119, 0) < 10);
  CHECK(total(get(r, "services/ended_by_departure")) > 150);
  CHECK(r.summary.at("cases_opened") > 10);  // slots freed by departures were reused
}

TEST_CASE("identification at home rises with workers per commune", "[sim][services]") {
  auto g = line_geography(3, 100, 3);
  for (int i = 0; i < 3; ++i) g.districts[i].communes = 10;
  Scenario s = base_scenario(4000, 60);
  s.demography.mental_health_need = 1;
  s.services.needs = {{"mental_health", 0.0, 0.6, 0.0, 30}};
  s.services.referral_rate = 1;
  s.services.full_coverage_workers_per_commune = 2;  // 20 workers cover D0 fully
  auto found = [&](double workers) {
    Scenario t = s;
    if (workers > 0) t.services.deployed = {{"D0", workers}};
    return run(t, g).summary.at("needs_identified");
  };
  const double none = found(0), five = found(5), ten = found(10), twenty = found(20),
               forty = found(40);
  CHECK(none == 0);
  CHECK(five < ten);
  CHECK(ten < twenty);
  CHECK(forty == twenty);  // full coverage: no further gain
}

TEST_CASE("needs not referred stay unmet; no workers never looks better", "[sim][services]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(2000, 90);
  s.demography.mental_health_need = 1;
  s.services.needs = {{"mental_health", 0.0, 0.6, 0.1, 30}};
  s.services.deployed = {{"D0", 80}};  // 2,000 case slots: never short of them
  s.services.referral_rate = 1;
  const RunResult all = run(s, g);
  s.services.referral_rate = 0.5;
  const RunResult half = run(s, g);
  CHECK(half.summary.at("needs_not_referred") > 0);
  CHECK(half.summary.at("cases_opened") < all.summary.at("cases_opened"));
  CHECK(half.summary.at("unmet_need_weeks") > all.summary.at("unmet_need_weeks"));
  s.services.deployed.clear();
  const RunResult none = run(s, g);
  // Fewer needs are found without workers (a lower identified demand), but the whole need
  // and the unmet need are higher.
  CHECK(none.summary.at("peak_demand_fte") < half.summary.at("peak_demand_fte"));
  CHECK(none.summary.at("unmet_need_weeks") > half.summary.at("unmet_need_weeks"));
  CHECK(none.summary.at("peak_need_gap_fte") > half.summary.at("peak_need_gap_fte"));
}

TEST_CASE("unknown deployed district names are an error", "[sim][services]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(10, 10);
  s.services.deployed = {{"Nowhere", 3}};
  CHECK_THROWS_AS(run(s, g), ScenarioError);
  try {
    run(s, g);
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()).find("services.deployed.Nowhere: unknown district 'Nowhere'") !=
          std::string::npos);
  }
}

TEST_CASE("prevalence 0 gives no infections", "[sim][infection]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(5000, 30);
  mandatory(s, 14);
  s.facilities = {facility("F", 0, 100)};
  s.infection.prevalence.steps = {{0, 0.0}};
  s.policies[0].test_at_entry = s.policies[0].test_at_exit = true;
  RunResult r = run(s, g);
  CHECK(r.summary.at("infected_arrivals") == 0);
  CHECK(r.summary.at("facility_infections") == 0);
  CHECK(r.summary.at("positives_found") == 0);
  CHECK(r.summary.at("community_infectious_days") == 0);
}

TEST_CASE("infection: tests find positives, crowding spreads, informal crossers reach home",
          "[sim][infection]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(20000, 60);
  for (int d = 0; d < 10; ++d) s.arrivals.daily_shape[d] = 1;
  mandatory(s, 14);
  s.policies[0].test_at_entry = s.policies[0].test_at_exit = true;
  s.facilities = {facility("F", 0, 2000)};
  s.overflow = OverflowRule::NextNearest;  // none free: home quarantine
  s.infection.prevalence.steps = {{0, 0.05}};
  s.infection.facility_beta = 0.3;
  EntryPoint informal = s.entry_points[0];
  informal.name = "informal";
  informal.formal = false;
  s.entry_points.push_back(informal);
  s.entry_shares = {{0, {0.5, 0.5}}};
  RunResult r = run(s, g);
  CHECK(r.summary.at("infected_arrivals") == Approx(1000).epsilon(0.15));
  CHECK(r.summary.at("positives_found") > 0);
  CHECK(r.summary.at("facility_infections") > 0);
  CHECK(r.summary.at("community_infectious_days") > 0);
  // Crowding raises transmission: same run with more beds than arrivals infects fewer.
  s.facilities[0].capacity = 500;
  s.overflow = OverflowRule::Wait;
  RunResult crowded = run(s, g);
  s.facilities[0].capacity = 100000;
  RunResult roomy = run(s, g);
  CHECK(crowded.summary.at("facility_infections") >= 0);
  CHECK(roomy.summary.at("facility_infections") > 0);
}

TEST_CASE("zero budget gives zero packages and baseline re-migration", "[sim][reintegration]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(20000, 200);
  s.demography.with_children = 0.5;
  s.reintegration.remigration_hazard = 0.01;
  s.reintegration.budget_usd = 0;
  RunResult zero = run(s, g);
  CHECK(total(get(zero, "reintegration/packages")) == 0);
  CHECK(zero.summary.at("budget_spent") == 0);
  const double base = zero.summary.at("remigrated_total");
  // Baseline expectation: 1 - (1-h)^(days at home) averaged over 199 days at home.
  const double expected = 20000 * (1 - std::pow(0.99, 199));
  CHECK(base == Approx(expected).epsilon(0.03));
  s.reintegration.delivery_per_week = 0;
  s.reintegration.budget_usd = 1e9;
  RunResult nodelivery = run(s, g);
  CHECK(get(nodelivery, "reintegration/remigrated").values ==
        get(zero, "reintegration/remigrated").values);
  // With money, packages go out and re-migration falls.
  s.reintegration.delivery_per_week = 2000;
  s.reintegration.budget_usd = 1e6;
  RunResult funded = run(s, g);
  CHECK(funded.summary.at("packages_delivered") > 0);
  CHECK(funded.summary.at("budget_spent") <= 1e6);
  CHECK(funded.summary.at("remigrated_total") < base);
}

TEST_CASE("packages go to woman-headed households first, within weekly capacity and budget",
          "[sim][reintegration]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(10000, 30);
  s.demography.female = 0.5;
  s.demography.woman_headed_given_female_adult = 0.5;
  s.demography.with_children = 0.3;
  s.reintegration.delivery_per_week = 100;
  s.reintegration.budget_usd = 250 * 300;  // at most 250 individual packages
  s.reintegration.community_share = 0;
  RunResult r = run(s, g);
  const Series& p = get(r, "reintegration/packages");
  CHECK(p.at(6, 0) == 100);
  CHECK(p.at(13, 0) == 100);
  CHECK(p.at(20, 0) == 50);
  CHECK(r.summary.at("budget_spent") == 75000);
  // About 2,000 woman-headed households wait: every one of the 250 packages goes to them,
  // though other returnees have more vulnerability flags.
  const Series& by_group = get(r, "reintegration/packages_by_group");
  double woman_headed = 0;
  for (int d = 0; d < by_group.rows; ++d) woman_headed += by_group.at(d, 2);
  CHECK(woman_headed == 250);
}

TEST_CASE("conservation: every agent in exactly one state every day", "[sim][conservation]") {
  auto g = line_geography(6, 80, 4);
  Scenario s = base_scenario(30000, 120);
  for (int d = 0; d < 60; ++d) s.arrivals.daily_shape[d] = 1 + (d % 7);
  mandatory(s, 14);
  s.policies[0].test_at_entry = s.policies[0].test_at_exit = true;
  s.facilities = {facility("F0", 0, 2000), facility("F1", 2, 1000)};
  s.overflow = OverflowRule::Wait;
  s.home.district_weight = {{"D0", 1}, {"D1", 2}, {"D3", 1}, {"D5", 1}};
  s.infection.prevalence.steps = {{0, 0.02}};
  EntryPoint informal = s.entry_points[0];
  informal.formal = false;
  informal.name = "informal";
  s.entry_points.push_back(informal);
  s.entry_shares = {{0, {0.7, 0.3}}};
  s.reintegration.budget_usd = 1e5;
  s.reintegration.remigration_hazard = 0.01;
  s.services.deployed = {{"D1", 4}};
  RunResult r = run(s, g);
  const Series& daily = get(r, "arrivals/daily");
  const char* names[] = {"not_arrived", "waiting_at_entry", "quarantine",
                         "isolation",   "home_quarantine",  "in_transit",
                         "at_home",     "left_study_area",  "remigrated"};
  double arrived = 0;
  for (int d = 0; d < 120; ++d) {
    arrived += daily.at(d, 0);
    double sum = 0;
    for (const char* n : names) sum += get(r, std::string("state/") + n).at(d, 0);
    INFO("day " << d);
    CHECK(sum == 30000);
    CHECK(get(r, "state/not_arrived").at(d, 0) == 30000 - arrived);
    double occ = 0;
    for (int f = 0; f < 2; ++f) occ += get(r, "quarantine/occupancy").at(d, f);
    CHECK(occ == get(r, "state/quarantine").at(d, 0));
  }
  CHECK(get(r, "state/remigrated").at(119, 0) == r.summary.at("remigrated_total"));
}

TEST_CASE("determinism: identical with 1 and 2 threads, different with another seed",
          "[sim][determinism]") {
  auto g = line_geography(8, 60, 6);
  RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  RunResult a = run(big_scenario(7), g, one);
  RunResult b = run(big_scenario(7), g, two);
  CHECK(a.agents == 200000);
  CHECK(identical(a, b));
  RunResult c = run(big_scenario(8), g, two);
  CHECK_FALSE(identical(a, c));
  CHECK(a.summary.at("packages_delivered") > 0);
  CHECK(a.summary.at("cases_opened") > 0);
  CHECK(a.summary.at("facility_infections") > 0);
}

TEST_CASE("stop flag interrupts and on_day reports progress", "[sim][engine]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(100, 50);
  RunOptions o;
  int days = 0;
  o.on_day = [&](int, int horizon) {
    ++days;
    CHECK(horizon == 50);
  };
  run(s, g, o);
  CHECK(days == 50);
  std::atomic<bool> stop{true};
  o.stop = &stop;
  CHECK_THROWS_AS(run(s, g, o), sim::Interrupted);
}

TEST_CASE("symptomatic policy quarantines symptomatic infectious arrivals only",
          "[sim][quarantine][infection]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(4000, 40);
  s.policies[0].mode = QuarantineMode::Symptomatic;
  s.facilities = {facility("F", 0, 100000)};
  s.infection.prevalence.steps = {{0, 1.0}};
  s.infection.latent_days = 0;  // everyone infectious on arrival
  s.infection.symptomatic = 0.5;
  s.infection.facility_beta = 0;
  RunResult r = run(s, g);
  const double quarantined = get(r, "quarantine/intake").at(0, 0);
  CHECK(quarantined == Approx(2000).margin(150));
  CHECK(get(r, "state/at_home").at(0, 0) == 4000 - quarantined);
  // With a perfect entry test everyone is isolated instead, for isolation_days and then
  // until recovery: about (1 - 1/7)^10 of them (a fifth) are still infectious on day 10.
  s.policies[0].test_at_entry = true;
  s.infection.test_sensitivity = 1;
  s.infection.isolation_days = 10;
  RunResult t = run(s, g);
  CHECK(t.summary.at("positives_found") == 4000);
  CHECK(get(t, "state/isolation").at(9, 0) == 4000);
  CHECK(get(t, "state/isolation").at(10, 0) == Approx(4000 * std::pow(6.0 / 7, 10)).margin(80));
  CHECK(get(t, "state/isolation").at(39, 0) < 4000 * std::pow(6.0 / 7, 35));
  CHECK(total(get(t, "quarantine/intake")) == 0);
  CHECK(t.summary.at("community_infectious_days") == 0);
}

TEST_CASE("isolation ends on recovery or on a negative test, never sooner than isolation_days",
          "[sim][quarantine][infection]") {
  // Regression: positives were released after isolation_days untested, a fifth of them
  // still infectious, so testing at entry raised community infectious-days.
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(4000, 60);
  s.infection.prevalence.steps = {{0, 1.0}};
  s.infection.latent_days = 0;
  s.infection.facility_beta = 0;
  s.policies[0].test_at_entry = true;
  s.infection.isolation_days = 10;
  s.infection.isolation_release = IsolationRelease::NegativeTest;
  s.infection.retest_days = 3;
  // A perfect test releases on the first test day after recovery: nobody infectious.
  s.infection.test_sensitivity = 1;
  RunResult perfect = run(s, g);
  CHECK(perfect.summary.at("community_infectious_days") == 0);
  const Series& iso = get(perfect, "state/isolation");
  CHECK(iso.at(9, 0) == 4000);
  // Tests on days 10, 13, 16, ...: the count only falls on those days.
  for (int d = 11; d < 13; ++d) CHECK(iso.at(d, 0) == iso.at(10, 0));
  CHECK(iso.at(13, 0) < iso.at(12, 0));
  // A test that misses half the positives sends some home still infectious, but fewer
  // than no retest at all would: never more than release after isolation_days untested.
  s.infection.test_sensitivity = 0.5;
  RunResult half = run(s, g);
  CHECK(half.summary.at("community_infectious_days") > 0);
  s.infection.test_sensitivity = 0.0;  // the old rule: out on day 10 whatever the infection
  s.policies[0].test_at_entry = false;
  RunResult blind = run(s, g);
  CHECK(half.summary.at("community_infectious_days") <
        blind.summary.at("community_infectious_days"));
}

TEST_CASE("the former greedy rule: largest remaining peak gap first, ties to the lower index",
          "[sim][services]") {
  // Kept as a baseline of the deployment optimiser's closed-loop check.
  const std::vector<int> candidates = {0, 1, 2};  // D3 outside the study area
  auto rec = sim::greedy_by_peak_gap({3.0, 1.0, 0.0, 9.0}, candidates, 6);
  // D0 3->2->1, tie D0/D1 at 1 -> D0, D1 1->0, tie at 0 -> D0, then D1 (0 > -1).
  REQUIRE(rec.size() == 2);
  CHECK(rec[0] == std::pair<int, int>{0, 4});
  CHECK(rec[1] == std::pair<int, int>{1, 2});
}

TEST_CASE("a run can start mid-regime with returnees already in place", "[sim][initial]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(0, 30);
  s.arrivals.total = 0;
  mandatory(s, 14);
  s.facilities = {facility("F0", 0, 80)};
  s.services.needs = {{"mental_health", 0.0, 0.0, 0.0, 1e6}};
  s.services.deployed = {{"D0", 1}};
  s.services.caseload_per_worker = 20;
  using Kind = InitialGroup::Kind;
  s.initial.table_path = "initial.csv";
  s.initial.groups = {{Kind::Quarantine, "F0", "", 100, 3, 2},
                      {Kind::HomeQuarantine, "D1", "", 50, 5, 3},
                      {Kind::AtHome, "D0", "", 200, 0, 4},
                      {Kind::OpenCase, "D0", "mental_health", 20, 0, 5},
                      {Kind::WaitingCase, "D1", "mental_health", 10, 0, 6}};
  const RunResult r = run(s, g);
  CHECK(r.agents == 380);
  CHECK(r.summary.at("arrivals_total") == 0);
  CHECK(get(r, "state/not_arrived").at(0, 0) == 0);
  CHECK(get(r, "state/quarantine").at(0, 0) == 100);
  CHECK(get(r, "quarantine/occupancy").at(0, 0) == 100);   // over its 80 beds
  CHECK(get(r, "quarantine/over_capacity").at(0, 0) == 1);
  CHECK(get(r, "quarantine/occupancy").at(3, 0) == 0);     // released on day 3
  CHECK(get(r, "state/home_quarantine").at(4, 0) == 50);
  CHECK(get(r, "state/home_quarantine").at(5, 0) == 0);
  CHECK(get(r, "state/at_home").at(0, 0) == 230);
  CHECK(get(r, "host/returnees_present").at(0, 0) == 220);  // D0: 200 + 20
  CHECK(get(r, "host/returnees_present").at(0, 1) == 60);   // D1: 50 + 10
  CHECK(get(r, "services/active_cases").at(0, 0) == 20);
  CHECK(get(r, "services/waiting").at(0, 1) == 10);  // D1 has no workers
  CHECK(r.summary.at("cases_opened") == 0);

  Scenario bad = s;
  bad.initial.groups[0].place = "F9";
  CHECK_THROWS_WITH(run(bad, g), Catch::Contains("initial.csv:2: place: expected the name of a [[facilities]] (got 'F9')"));
  bad = s;
  bad.initial.groups[3].need = "dentistry";
  CHECK_THROWS_WITH(run(bad, g), Catch::Contains("initial.csv:5: need:"));
}

TEST_CASE("information: who is reached where, and what it changes", "[sim][information]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(20000, 120);
  EntryPoint informal = s.entry_points[0];
  informal.name = "informal";
  informal.formal = false;
  s.entry_points.push_back(informal);
  s.entry_shares = {{0, {0.5, 0.5}}};
  s.information.reach_formal = 0.8;
  s.information.reach_informal = 0.1;
  const RunResult base = run(s, g);
  const Series& entry = get(base, "information/reached_at_entry");
  CHECK(entry.at(0, 0) == Approx(10000 * 0.8).margin(150));
  CHECK(entry.at(0, 1) == Approx(10000 * 0.1).margin(100));
  // Outreach teams raise the reach at informal crossings: 1 - 0.9 x 0.8^4 = 0.63.
  s.information.outreach_teams = 4;
  s.information.reach_per_team = 0.2;
  const RunResult teams = run(s, g);
  CHECK(get(teams, "information/reached_at_entry").at(0, 1) ==
        Approx(10000 * (1 - 0.9 * std::pow(0.8, 4))).margin(150));
  // Knowing safe migration: those reached re-migrate less.
  s.reintegration.remigration_hazard = 0.01;
  s.information.remigration_ratio = 1;
  const RunResult plain = run(s, g);
  s.information.remigration_ratio = 0.5;
  const RunResult safer = run(s, g);
  CHECK(safer.summary.at("remigrated_total") < plain.summary.at("remigrated_total"));
}

TEST_CASE("information: reached in quarantine, care-seeking and home quarantine kept",
          "[sim][information][services]") {
  auto g = line_geography(3, 100, 3);
  Scenario s = base_scenario(4000, 60);
  mandatory(s, 5);
  s.facilities = {facility("F0", 0, 2000)};  // 2,000 beds, the rest to home quarantine
  s.overflow = OverflowRule::HomeQuarantine;
  s.information.reach_in_facility = 1;
  const RunResult r = run(s, g);
  CHECK(total(get(r, "information/reached_in_facility")) == 2000);
  // Home quarantine not kept: infectious days in the community during it.
  s.infection.prevalence.steps = {{0, 0.5}};
  s.infection.latent_days = 0.001;
  s.policies[0].test_at_entry = false;
  s.information.home_quarantine_compliance_unreached = 1;
  const RunResult kept = run(s, g);
  s.information.home_quarantine_compliance_unreached = 0;
  const RunResult broken = run(s, g);
  CHECK(broken.summary.at("community_infectious_days") >
        kept.summary.at("community_infectious_days"));
  // Care-seeking: needs of those reached are identified sooner.
  Scenario c = base_scenario(4000, 60);
  c.demography.mental_health_need = 1;
  c.services.needs = {{"mental_health", 0.0, 0.3, 0.3, 30}};
  c.information.reach_formal = 1;
  c.information.care_seeking_ratio = 1;
  const double same = run(c, g).summary.at("needs_identified");
  c.information.care_seeking_ratio = 3;
  const double sooner = run(c, g).summary.at("needs_identified");
  CHECK(sooner > same);
}

TEST_CASE("host communities compete for the same case slots and count towards the target",
          "[sim][services][host]") {
  auto g = line_geography(3, 100, 3);
  for (auto& d : g.districts) d.population = 10000;
  Scenario s = base_scenario(2000, 120);
  s.demography.mental_health_need = 1;
  s.demography.with_children = s.demography.gbv_risk_given_female = 0;
  s.demography.pregnant_given_female_adult = 0;
  s.services.needs = {{"mental_health", 0.0, 0.6, 0.6, 1e6}};  // cases never close
  s.services.referral_rate = 1;
  s.services.caseload_per_worker = 50;
  s.services.deployed = {{"D0", 10}};  // 500 slots; full coverage (2 per commune, 1 commune)
  s.services.vulnerable_target = 4000;
  const RunResult alone = run(s, g);
  s.host.need_share = {0.1, 0, 0, 0};  // 1,000 host members in each district
  s.host.identify_with_worker = s.host.identify_without_worker = 0.6;
  const RunResult shared = run(s, g);
  CHECK(shared.summary.at("host_vulnerable") == 3000);
  // Host members are found in the three districts; in D0 they take slots from returnees.
  CHECK(shared.summary.at("host_identified") > 2500);
  CHECK(shared.summary.at("host_served") > 0);
  CHECK(shared.summary.at("vulnerable_reached") < alone.summary.at("vulnerable_reached"));
  CHECK(total(get(shared, "services/active_cases")) >= total(get(alone, "services/active_cases")));
  // The target counts people of both groups: served = returnees reached + host served.
  CHECK(shared.summary.at("target_served") ==
        shared.summary.at("vulnerable_reached") + shared.summary.at("host_served"));
  CHECK(shared.summary.at("target_served_share") ==
        Approx(shared.summary.at("target_served") / 4000));
  CHECK(shared.summary.at("unmet_need_weeks") > alone.summary.at("unmet_need_weeks"));
}
