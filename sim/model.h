// Internal state of one run, shared by the concern files (arrivals, quarantine, travel,
// services, reintegration) and driven day by day by engine.cpp: agents, calendars,
// contention queues and the integer accumulators the series are built from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/agents.h"
#include "sim/calendar.h"
#include "sim/random.h"

namespace rfsim::sim::detail {

/// Integer table [rows][cols], row-major; series are converted to double at the end.
struct Grid {
  int rows = 0, cols = 0;
  std::vector<std::int64_t> v;
  Grid() = default;
  Grid(int r, int c) : rows(r), cols(c), v(static_cast<size_t>(r) * c, 0) {}
  std::int64_t& at(int r, int c) { return v[static_cast<size_t>(r) * cols + c]; }
  std::int64_t at(int r, int c) const { return v[static_cast<size_t>(r) * cols + c]; }
  /// Turns a difference array into running totals down each column.
  void prefix_sum() {
    for (int r = 1; r < rows; ++r)
      for (int c = 0; c < cols; ++c) at(r, c) += at(r - 1, c);
  }
};

/// Route from an origin district to a home district.
struct Route {
  std::uint16_t days = 0;  ///< days in transit to home (or to leaving the study area)
  std::int32_t exit = -1;  ///< study district where the path leaves the area; -1 if home inside
};

/// One social-service need kind resolved to the agent flag it applies to.
struct Need {
  std::string name;
  std::uint16_t flag = 0;
  double at_intake = 0, daily_with_worker = 0, daily_without_worker = 0, case_days = 60;
};

/// Daily count of arrivals: `total` spread over the horizon by `shape` with
/// largest-remainder rounding, so the counts sum exactly to total. Public for tests.
std::vector<std::int64_t> daily_counts(const Arrivals& arrivals, int horizon);

struct Model {
  Model(const Scenario& scenario, const geo::Geography& geography, int threads);

  const Scenario& sc;
  const geo::Geography& geo;
  int H = 0;  ///< horizon, days
  int D = 0;  ///< districts
  int F = 0;  ///< facilities
  int E = 0;  ///< entry points
  int threads = 1;
  Streams rng;
  Agents agents;
  std::int64_t total = 0;

  // --- per-day inputs ---
  std::vector<std::int64_t> first_id;          ///< first agent id arriving on day d (size H+1)
  std::vector<const PolicyPeriod*> policy;     ///< policy in force on day d
  PolicyPeriod default_policy;                 ///< used when the scenario has none
  std::vector<int> share_period;               ///< entry-share period in force on day d
  std::vector<std::vector<double>> entry_cum;  ///< cumulative entry shares per period
  std::vector<double> home_cum;                ///< cumulative home-district weights
  std::vector<std::uint8_t> study;             ///< district in the study area

  // --- calendars ---
  Calendar release, isolation_end, arrive, home_quarantine_end, leave, remigrate, identify,
      case_close;

  // --- states ---
  std::int64_t state_count[kStateCount] = {};
  void set_state(std::uint32_t i, State s) {
    --state_count[agents.state[i]];
    ++state_count[s];
    agents.state[i] = s;
  }

  // --- quarantine ---
  std::vector<int> occupancy;
  std::vector<std::vector<std::uint32_t>> residents;   ///< per facility, filtered daily
  std::vector<std::uint32_t> waiting_at_entry;         ///< Wait rule, ascending ids
  std::vector<std::vector<std::uint8_t>> entry_order;  ///< open facilities by distance
  std::vector<std::vector<int>> district_facilities;
  std::vector<std::uint8_t> over_today;  ///< facility turned someone away
  int full_day = -1;  ///< day on which every open facility was found full (no releases follow)
  std::vector<int> capacity, facility_district;
  std::vector<std::uint8_t> open;
  void setup_quarantine();
  void update_open_facilities(int d);
  /// Tries to give agent i a bed on day d; applies the overflow rule when it fails.
  void assign_bed(std::uint32_t i, int d, bool retry);
  void admit(std::uint32_t i, int f, int d);
  void process_releases(int d);
  std::vector<std::uint8_t> exit_positive;  ///< exit test result of each of today's releases
  void process_isolation_end(int d);
  void transmission(int d);
  std::vector<std::int64_t> infectious_tmp;  ///< infectious residents per facility today
  std::vector<double> p_tmp;                 ///< today's infection probability per facility
  std::vector<std::int64_t> offset_tmp;      ///< first index of each facility's residents at risk
  void isolate(std::uint32_t i, int d);

  // --- arrivals ---
  void setup_arrivals();
  /// The day's new arrivals; runs before_arrivals(d) first, overlapped with their draws.
  void process_arrivals(int d);
  /// Quarantine releases, ends of isolation, arrivals at home and ends of home quarantine,
  /// leaving the study area, re-migration, then agents waiting at the entry point retry for
  /// beds. Touches only agents who arrived before day d, so it can run alongside the draws
  /// of day d's arrivals.
  void before_arrivals(int d);
  std::vector<std::int32_t> entry_district;
  std::vector<std::uint8_t> entry_formal;
  std::vector<std::uint8_t> route_tmp;

  // --- travel ---
  std::vector<int> origin_index;  ///< district -> row in routes, -1 if not an origin
  std::vector<std::vector<Route>> routes;
  void setup_travel();
  int origin_of(std::uint32_t i) const;
  void reach_home(std::uint32_t i, int d);
  void start_travel(std::uint32_t i, int origin, int d);
  void process_arrive(int d);
  void process_leave(int d);
  std::vector<std::uint32_t> home_today;  ///< reached home (end of quarantine at home) today
  /// Settling at home of the day's home arrivals; also runs process_services(d).
  void process_home_today(int d);

  // --- services ---
  std::vector<Need> needs;
  std::vector<double> deployed;                           ///< workers per district
  std::vector<std::int64_t> slots;                        ///< case slots per district
  std::vector<std::int64_t> active;                       ///< open cases per district
  std::vector<std::vector<std::uint32_t>> waiting_cases;  ///< FIFO per district
  std::vector<std::size_t> waiting_head;
  std::vector<std::uint32_t> intake_today;  ///< encoded agent*4+need identified at intake
  void setup_services();
  /// Needs (bit k) identified if agent i goes through quarantine intake; keyed by arrival day.
  std::uint8_t intake_needs(std::uint32_t i, int arrival_day) const;
  void identify_at_intake(std::uint32_t i, int d);
  std::vector<std::uint8_t> intake_tmp;  ///< intake_needs of the day's arrivals
  /// Runs inside process_home_today(d), alongside its scheduling (disjoint agents and
  /// queues); reads identified_today, the identify bucket of day d taken beforehand.
  void process_services(int d);
  std::vector<std::uint32_t> identified_today;
  void open_case(std::uint32_t code, int d);
  /// Greedy placement of Services::additional_workers from each district's peak weekly gap.
  std::vector<std::pair<int, int>> recommend_workers(const std::vector<double>& peak_gap) const;

  // --- reintegration ---
  std::vector<std::vector<std::uint32_t>> package_queue;  ///< per priority class, FIFO
  std::vector<std::size_t> package_head;
  double budget_left = 0, budget_spent = 0;
  bool budget_exhausted = false;
  void process_remigration(int d);
  void deliver_packages(int d);
  bool eligible_for_package(std::uint32_t i) const;
  void enqueue_for_package(std::uint32_t i);
  std::vector<std::uint32_t> eligible;         ///< today's home arrivals eligible for a package
  std::vector<std::uint32_t> delivered_today;  ///< this week's package recipients

  // --- accumulators (rows = days unless noted) ---
  Grid arrivals_entry, arrivals_home_district, arrivals_home, infected_arrivals;
  Grid occupancy_g, intake_g, over_capacity_g, facility_infections;
  Grid overflow_g, positives_g, left_total_g, left_exit_g;
  Grid community_diff;  ///< difference array [day, district]
  Grid present_diff;    ///< returnees present in their home district, difference array
  Grid active_g, waiting_g, identified_g, opened_g, reached_g;
  Grid packages_g, budget_g, remigrated_g;
  Grid states_g;  ///< [day, state]
  std::int64_t informal_arrivals = 0;
  std::size_t peak_queue_bytes = 0;
  std::size_t queue_bytes() const;
};

}  // namespace rfsim::sim::detail
