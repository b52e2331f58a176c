// Engine benchmark: a synthetic 35-district geography built in memory and N agents over
// 365 days with quarantine, transmission, travel, services and reintegration all on.
// Prints timestep seconds, agent-days per second, peak RSS and bytes per agent.
//   rfsim_bench_engine [--agents N] [--threads T] [--days D] [--seed S]
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>

#include "sim/engine.h"

using namespace rfsim;

namespace {

/// 7 x 5 grid of districts 30 km apart; columns 0-5 are three study provinces, column 6 is
/// "other". Paths by Floyd-Warshall over 4-neighbour adjacency.
geo::Geography synthetic_geography() {
  const int cols = 7, rows = 5, n = cols * rows;
  const double km = 30;
  geo::Geography g;
  const char* provinces[] = {"Banteay Meanchey", "Banteay Meanchey", "Battambang",    "Battambang",
                             "Siem Reap",        "Siem Reap",        "Oddar Meanchey"};
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      geo::District d;
      d.name = "D" + std::to_string(r * cols + c);
      d.province = provinces[c];
      d.population = 50000 + 10000 * ((r * 7 + c * 3) % 11);
      d.study_area = c < 6;
      d.x = c * km * 1000;
      d.y = r * km * 1000;
      g.districts.push_back(d);
    }
  const double inf = std::numeric_limits<double>::infinity();
  g.adjacency = Eigen::MatrixXi::Zero(n, n);
  g.edge_km = Eigen::MatrixXd::Constant(n, n, inf);
  g.path_km = Eigen::MatrixXd::Constant(n, n, inf);
  g.next_hop = Eigen::MatrixXi::Constant(n, n, -1);
  for (int i = 0; i < n; ++i) {
    g.edge_km(i, i) = g.path_km(i, i) = 0;
    g.next_hop(i, i) = i;
  }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const int ri = i / cols, ci = i % cols, rj = j / cols, cj = j % cols;
      if (std::abs(ri - rj) + std::abs(ci - cj) == 1) {
        g.adjacency(i, j) = 1;
        g.edge_km(i, j) = g.path_km(i, j) = km;
        g.next_hop(i, j) = j;
      }
    }
  for (int k = 0; k < n; ++k)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (g.path_km(i, k) + g.path_km(k, j) < g.path_km(i, j)) {
          g.path_km(i, j) = g.path_km(i, k) + g.path_km(k, j);
          g.next_hop(i, j) = g.next_hop(i, k);
        }
  return g;
}

Scenario synthetic_scenario(std::int64_t agents, int days, std::uint64_t seed) {
  Scenario s;
  s.name = "bench";
  s.horizon_days = days;
  s.seed = seed;
  s.arrivals.total = agents;
  s.arrivals.daily_shape.resize(days);
  for (int d = 0; d < days; ++d)  // two surges and a steady trickle
    s.arrivals.daily_shape[d] =
        1 + 20 * std::exp(-std::abs(d - 30) / 15.0) + 12 * std::exp(-std::abs(d - 200) / 25.0);
  const int entry_districts[] = {0, 7, 14, 21, 28, 15, 22};
  for (int e = 0; e < 7; ++e) {
    EntryPoint p;
    p.name = "E" + std::to_string(e);
    p.formal = e < 5;
    p.district = entry_districts[e];
    p.district_name = "D" + std::to_string(p.district);
    s.entry_points.push_back(p);
  }
  s.entry_shares = {{0, {0.6, 0.1, 0.05, 0.05, 0.05, 0.1, 0.05}},
                    {120, {0.0, 0.5, 0.15, 0.1, 0.05, 0.1, 0.1}}};
  const std::int64_t beds_total = std::max<std::int64_t>(20, agents / 30);
  for (int f = 0; f < 20; ++f) {
    Facility fac;
    fac.name = "F" + std::to_string(f);
    fac.district = (f * 5) % 35 == 6 ? 5 : (f * 5) % 35;
    fac.district_name = "D" + std::to_string(fac.district);
    fac.capacity = static_cast<int>(beds_total / 20);
    if (f >= 15) fac.opens = 60;
    s.facilities.push_back(fac);
  }
  PolicyPeriod p;
  p.mode = QuarantineMode::Mandatory;
  p.stay_days = 14;
  s.policies = {p};
  s.assignment = AssignmentRule::NearestFree;
  s.overflow = OverflowRule::NextNearest;
  s.home.province_share = {
      {"Banteay Meanchey", 0.4}, {"Battambang", 0.17}, {"Siem Reap", 0.11}, {"other", 0.32}};
  s.infection.prevalence.steps = {{0, 0.01}, {150, 0.02}};
  for (int k = 0; k < 10; ++k)
    s.services.deployed["D" + std::to_string(k * 3)] = 2 + k % 4 + agents / 200000.0;
  s.services.additional_workers = 20;
  s.reintegration.budget_usd = 60.0 * static_cast<double>(agents);
  s.reintegration.delivery_per_week = static_cast<int>(std::max<std::int64_t>(10, agents / 100));
  return s;
}

long vm_hwm_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t agents = 1000000;
  int threads = 0, days = 365;
  std::uint64_t seed = 1;
  for (int k = 1; k + 1 < argc; k += 2) {
    if (!std::strcmp(argv[k], "--agents"))
      agents = std::atoll(argv[k + 1]);
    else if (!std::strcmp(argv[k], "--threads"))
      threads = std::atoi(argv[k + 1]);
    else if (!std::strcmp(argv[k], "--days"))
      days = std::atoi(argv[k + 1]);
    else if (!std::strcmp(argv[k], "--seed"))
      seed = std::strtoull(argv[k + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: %s [--agents N] [--threads T] [--days D] [--seed S]\n", argv[0]);
      return 2;
    }
  }
  const geo::Geography g = synthetic_geography();
  const Scenario s = synthetic_scenario(agents, days, seed);
  sim::RunOptions o;
  o.threads = threads > 0 ? threads : omp_get_max_threads();
  const long rss_before = vm_hwm_kb();
  const sim::RunResult r = sim::simulate(s, g, o);
  const long rss = vm_hwm_kb();
  const double agent_days = static_cast<double>(agents) * days;
  std::printf("agents %lld\ndays %d\nthreads %d\n", static_cast<long long>(agents), days,
              o.threads);
  std::printf("timestep_seconds %.3f\nagent_days_per_second %.4g\n", r.timestep_seconds,
              agent_days / r.timestep_seconds);
  std::printf("peak_rss_mb %.1f\nrss_per_agent_bytes %.1f\nbytes_per_agent %.2f\n", rss / 1024.0,
              (rss - rss_before) * 1024.0 / std::max<double>(1.0, static_cast<double>(agents)),
              r.summary.at("bytes_per_agent"));
  std::printf(
      "check: peak_occupancy %.0f overflow %.0f positives %.0f cases %.0f packages %.0f "
      "remigrated %.0f left_study_area %.0f\n",
      r.summary.at("peak_occupancy"), r.summary.at("overflow_total"),
      r.summary.at("positives_found"), r.summary.at("cases_opened"),
      r.summary.at("packages_delivered"), r.summary.at("remigrated_total"),
      r.summary.at("left_study_area"));
  return 0;
}
