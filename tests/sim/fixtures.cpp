// Test fixtures of the agent model (see fixtures.h).
#include "tests/sim/fixtures.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

namespace rfsim::test {

using sim::RunOptions;
using sim::RunResult;
using sim::Series;

geo::Geography line_geography(int n, double km, int study, double population) {
  geo::Geography g;
  for (int i = 0; i < n; ++i) {
    geo::District d;
    d.name = "D";
    d.name += std::to_string(i);
    d.province = i < n / 2 ? "A" : "B";
    d.population = population;
    d.study_area = i < study;
    d.x = i * km * 1000;
    g.districts.push_back(d);
  }
  const double inf = std::numeric_limits<double>::infinity();
  g.adjacency = Eigen::MatrixXi::Zero(n, n);
  g.edge_km = Eigen::MatrixXd::Constant(n, n, inf);
  g.path_km = Eigen::MatrixXd::Constant(n, n, inf);
  g.next_hop = Eigen::MatrixXi::Constant(n, n, -1);
  for (int i = 0; i < n; ++i) {
    g.edge_km(i, i) = 0;
    for (int j = 0; j < n; ++j) {
      g.path_km(i, j) = std::abs(i - j) * km;
      g.next_hop(i, j) = i == j ? i : (j > i ? i + 1 : i - 1);
      if (std::abs(i - j) == 1) g.adjacency(i, j) = 1, g.edge_km(i, j) = km;
    }
  }
  return g;
}

Scenario base_scenario(std::int64_t total, int horizon) {
  Scenario s;
  s.name = "test";
  s.study_provinces = {"A", "B"};
  s.horizon_days = horizon;
  s.seed = 42;
  s.arrivals.total = total;
  s.arrivals.daily_shape.assign(horizon, 0.0);
  s.arrivals.daily_shape[0] = 1;
  EntryPoint e;
  e.name = "E0";
  e.district_name = "D0";
  e.district_name = "D0";
  s.entry_points = {e};
  s.entry_shares = {{0, {1.0}}};
  s.home.district_weight = {{"D0", 1.0}};
  s.home.province_share.clear();  // the dictionary's shares name provinces of Cambodia
  PolicyPeriod p;
  p.mode = QuarantineMode::None;
  p.test_at_entry = false;
  p.test_at_exit = false;
  s.policies = {p};
  s.reintegration.budget_usd = 0;
  s.reintegration.remigration_hazard = 0;
  // Nobody reached by information, and home quarantine kept: each test turns on what it
  // is about.
  s.information.reach_formal = s.information.reach_informal = 0;
  s.information.reach_in_facility = 0;
  s.information.home_quarantine_compliance_unreached = 1;
  s.host.need_share = {0, 0, 0, 0};  // no host-community needs
  return s;
}

Facility facility(const std::string& name, int district, int beds) {
  Facility f;
  f.name = name;
  f.district_name = "D" + std::to_string(district);
  f.capacity = beds;
  return f;
}

void mandatory(Scenario& s, int stay) {
  s.policies[0].mode = QuarantineMode::Mandatory;
  s.policies[0].stay_days = stay;
}

RunResult run(const Scenario& s, const geo::Geography& g, const RunOptions& o) {
  return sim::simulate(s, g, sim::resolve_places(s, g, nullptr), o);
}

const Series& get(const RunResult& r, const std::string& name) {
  const Series* s = r.find(name);
  INFO(name);
  REQUIRE(s != nullptr);
  return *s;
}

double total(const Series& s) {
  double t = 0;
  for (double v : s.values) t += v;
  return t;
}

Scenario big_scenario(std::uint64_t seed) {
  Scenario s = base_scenario(200000, 120);
  s.seed = seed;
  for (int d = 0; d < 120; ++d) s.arrivals.daily_shape[d] = 100 + 50 * std::sin(d / 9.0);
  mandatory(s, 14);
  s.policies[0].test_at_entry = s.policies[0].test_at_exit = true;
  s.facilities = {facility("F0", 0, 8000), facility("F1", 3, 6000), facility("F2", 5, 3000)};
  s.overflow = OverflowRule::NextNearest;
  s.home.district_weight.clear();
  s.home.province_share.clear();  // homes by population over all districts
  EntryPoint e = s.entry_points[0];
  e.name = "informal";
  e.formal = false;
  e.district_name = "D4";
  s.entry_points.push_back(e);
  s.entry_shares = {{0, {0.8, 0.2}}, {40, {0.5, 0.5}}};
  s.infection.prevalence.steps = {{0, 0.01}, {60, 0.03}};
  s.reintegration.budget_usd = 3e6;
  s.reintegration.remigration_hazard = 0.003;
  s.services.deployed = {{"D1", 10}, {"D4", 5}};
  s.services.additional_workers = 7;
  return s;
}
geo::Geography property_geography() { return line_geography(6, 60, 5); }

Scenario host_scenario(std::uint64_t seed) {
  Scenario s = property_scenario(seed);
  s.host.need_share = {0.01, 0.01, 0.01, 0.005};
  return s;
}
geo::Geography host_geography() {
  return line_geography(6, 60, 5, 100000);
}

Scenario property_scenario(std::uint64_t seed) {
  Scenario s = base_scenario(20000, 90);
  s.seed = seed;
  for (int d = 0; d < 90; ++d) s.arrivals.daily_shape[d] = d < 30 ? 1.0 + d : 30.0 * std::exp(-(d - 30) / 10.0);
  mandatory(s, 14);
  s.policies[0].test_at_entry = s.policies[0].test_at_exit = true;
  s.facilities = {facility("F0", 0, 600), facility("F1", 1, 300), facility("F2", 3, 200)};
  s.home.district_weight = {{"D0", 3}, {"D1", 2}, {"D2", 1}, {"D3", 1}, {"D4", 1}, {"D5", 1}};
  EntryPoint informal = s.entry_points[0];
  informal.name = "informal";
  informal.formal = false;
  informal.district_name = "D2";
  s.entry_points.push_back(informal);
  s.entry_shares = {{0, {0.8, 0.2}}};
  s.infection.prevalence.steps = {{0, 0.03}};
  s.infection.facility_beta = 0.3;
  s.services.deployed = {{"D0", 4}, {"D1", 2}};
  s.reintegration.budget_usd = 2e5;
  s.reintegration.remigration_hazard = 0.004;
  return s;
}

bool identical(const RunResult& a, const RunResult& b) {
  if (a.series.size() != b.series.size()) return false;
  for (size_t k = 0; k < a.series.size(); ++k) {
    const Series &x = a.series[k], &y = b.series[k];
    if (x.name != y.name || x.values.size() != y.values.size()) return false;
    if (std::memcmp(x.values.data(), y.values.data(), x.values.size() * sizeof(double)) != 0) {
      UNSCOPED_INFO("differs: " << x.name);
      return false;
    }
  }
  return a.summary == b.summary && a.worker_recommendation == b.worker_recommendation;
}

}  // namespace rfsim::test
