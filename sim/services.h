// Social services: needs identified at quarantine intake or later at home, referred to the
// home district's social workers, opened as cases when a slot is free (slots = deployed
// workers x caseload_per_worker), else kept on a FIFO waiting list; cases close after a
// sampled duration. Weekly demand in full-time workers per district against those
// deployed, and where additional workers should go.
//
// A need exists when its agent flag is set: mental_health <- mental-health need,
// gbv <- GBV risk, child_protection <- with children, maternal_care <- pregnant. Each need
// is identified at intake with probability identify_at_intake (drawn once per agent, keyed
// by its arrival day); otherwise, once home, the identification day is drawn from the
// monthly probability (identify_with_worker where the home district has deployed workers,
// identify_without_worker elsewhere) turned into a daily probability 1-(1-p)^(1/30).
// Services serve only homes in the study area; a re-migrated agent's open or waiting cases
// run their course.
//
// Order within a day: cases closing free their slots, the waiting list is served in FIFO
// order, then the day's identifications in agent order (agent id, need) open cases or join
// the waiting list.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/calendar.h"
#include "sim/grid.h"
#include "sim/quarantine.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Services final : public Unit {
 public:
  Services(World& world, const Quarantine& quarantine);

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;
  std::size_t queue_bytes() const override;

 private:
  /// One kind of need resolved to the agent flag it applies to.
  struct Need {
    std::string name;
    std::uint16_t flag = 0;
    double at_intake = 0, daily_with_worker = 0, daily_without_worker = 0, case_days = 60;
  };
  static constexpr int kMaxNeeds = 4;  ///< needs are encoded as agent * 4 + need

  /// Needs (bit k) that quarantine intake identifies for agent i, keyed by its arrival day.
  std::uint8_t intake_needs(std::uint32_t i, int arrival_day) const;
  void draw_intake(const Items& items, std::int64_t lo, std::int64_t hi, int d);
  void draw_home(const Items& items, std::int64_t lo, std::int64_t hi, int d);
  void schedule_home(int d);
  void cases(int d);
  void open_case(std::uint32_t code, int d);

  World& w_;
  const Quarantine& quarantine_;
  std::uint8_t* const needs_found_;  ///< agent column: bit k = need k identified
  std::vector<Need> needs_;
  std::vector<std::int64_t> slots_;   ///< case slots per district
  std::vector<std::int64_t> active_;  ///< open cases per district
  std::vector<std::vector<std::uint32_t>> waiting_;  ///< FIFO per district (agent*4+need)
  std::vector<std::size_t> waiting_head_;
  Calendar identify_, case_close_;

  // Scratch of the day: intake needs of today's k-th arrival, the identification delays of
  // today's k-th home arrival (kMaxNeeds per item) and the items they belong to.
  std::vector<std::uint8_t> intake_mask_;
  std::vector<int> home_delays_;
  Items home_items_;

  Grid identified_, opened_, active_g_, waiting_g_, reached_;
};

/// Where `additional` workers go: each to the study district with the largest remaining
/// peak weekly FTE gap (ties: lowest index), as (district, workers) in order of first
/// placement.
std::vector<std::pair<int, int>> recommend_workers(const std::vector<double>& peak_gap,
                                                   const std::vector<std::uint8_t>& study,
                                                   int additional);

}  // namespace rfsim::sim
