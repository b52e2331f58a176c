// Social services: needs identified at quarantine intake or later at home, referred to the
// home district's social workers at the referral rate, opened as cases when a slot is free
// (slots = deployed workers x caseload_per_worker), else kept on a FIFO waiting list; cases
// close after a sampled duration, or when the returnee re-migrates (and a waiting need then
// leaves the list). Weekly demand in full-time workers per district against those
// deployed, the need not yet identified, and where additional workers should go.
//
// A need exists when its agent flag is set: mental_health <- mental-health need,
// gbv <- GBV risk, child_protection <- with children, maternal_care <- pregnant. Each need
// is identified at intake with probability identify_at_intake (drawn once per agent, keyed
// by its arrival day); otherwise, once home, the identification day is drawn from a monthly
// probability that rises with the district's coverage, c = min(1, deployed workers /
// (full_coverage_workers_per_commune x communes)): identify_without_worker + c x
// (identify_with_worker - identify_without_worker), turned into a daily probability
// 1-(1-p)^(1/30), and for returnees reached by information raised by the care-seeking hazard
// ratio (1-(1-p_daily)^care_seeking_ratio). An identified need is referred with probability
// referral_rate (one draw per agent, need and channel, intake or home); a need not referred stays
// unmet. Services serve only homes in the study area.
//
// Each need of each agent is in one state (2 bits of the agent's `needs` column): not
// identified (or not referred), waiting, open case, done (closed, or ended by departure).
// Unmet need = needs of returnees at home not identified or not referred, plus waiting
// ones: what "no workers" leaves undone is counted, so no workers never looks better.
//
// Host communities ([host]): each study district holds population x need_share vulnerable
// host members per need from day 0. Each day the expected number of them is identified
// (monthly host.identify_* probabilities at the district's coverage, as for returnees;
// fractions carried to the next day, so the flows are deterministic), referred at the
// referral rate (the rest stay in the pool), and their cases compete for the same slots
// and waiting lists; a referred host member is an id above the agents' (World::total),
// queued after the returnees identified that day. They do not leave.
//
// The 200,000 target counts people, returnees and host members: identified (a need
// identified), referred and served (a case opened), by week and district.
//
// Order within a day, in each district: cases closing free their slots, the cases of
// returnees who left today end, the waiting list is served in FIFO order, then the day's
// identifications in order (agent id, need; host members last) open cases or wait. A
// district's slots, waiting list and calendars are its own, so the districts are served
// side by side: services.cases runs in parts, each serving a range of districts (shared
// out by the work each district had the day before); what the parts count together
// (returnees reached) is counted by district and summed after them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/calendar.h"
#include "sim/grid.h"
#include "sim/home.h"
#include "sim/quarantine.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Services final : public Unit {
 public:
  Services(World& world, const Quarantine& quarantine, const Home& home);

  /// Agent i has need k identified on day 0 (Scenario::initial): an open case (it runs a
  /// fresh duration, memoryless) or a place on the waiting list.
  void place_initial(std::uint32_t i, int k, bool open);
  /// The attr:: flag of need k.
  std::uint16_t need_flag(int k) const { return needs_[k].flag; }

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;
  std::size_t queue_bytes() const override;

 private:
  /// The host-community and target grids of `self` by their state names (one list for
  /// save and load; const or not as `self` is).
  template <class Self>
  static auto host_and_target_grids(Self& self) {
    return std::array{std::pair{"host_unidentified", &self.host_unidentified_},
                      std::pair{"host_identified", &self.host_identified_},
                      std::pair{"host_served", &self.host_served_},
                      std::pair{"target_identified", &self.target_identified_},
                      std::pair{"target_referred", &self.target_referred_},
                      std::pair{"target_served", &self.target_served_}};
  }

  /// One kind of need resolved to the agent flag it applies to.
  struct Need {
    std::string name;
    std::uint16_t flag = 0;
    double at_intake = 0;
    DailyChance case_length;                 ///< of the mean case length
    std::vector<DailyChance> daily_at_home;  ///< per district, from its worker coverage
    std::vector<DailyChance>
        daily_at_home_informed;  ///< the same for returnees reached (care-seeking)
  };
  static constexpr int kMaxNeeds = 4;  ///< needs are encoded as agent * 4 + need
  enum NeedState : std::uint8_t { NotIdentified, Waiting, Open, Done };
  /// Vulnerable host members of one district with one need.
  struct HostPool {
    std::int64_t total = 0, unidentified = 0;
    std::int64_t not_referred = 0;  ///< identified but not referred: unmet, out of the pool
    double daily = 0;               ///< identification probability a day
    double carry_found = 0, carry_referred = 0;  ///< fractions carried to the next day
  };
  bool is_host(std::uint32_t i) const { return i >= w_.total; }
  int district_of(std::uint32_t i) const {
    return is_host(i) ? host_district_[i - w_.total] : w_.home[i];
  }
  /// Today's identifications of host members, into host_today_ by district.
  void identify_host(int d);
  NeedState state(std::uint32_t i, std::uint32_t k) const {
    return static_cast<NeedState>((needs_state_[i] >> (2 * k)) & 3);
  }
  void set_state(std::uint32_t i, std::uint32_t k, NeedState s) {
    needs_state_[i] =
        static_cast<std::uint8_t>((needs_state_[i] & ~(3u << (2 * k))) | (s << (2 * k)));
  }
  /// Needs of agent i present and not identified (or not referred).
  int unidentified(std::uint32_t i) const;

  /// Needs (bit k) that quarantine intake identifies for agent i, keyed by its arrival day.
  std::uint8_t intake_needs(std::uint32_t i, int arrival_day) const;
  void draw_intake(const Items& items, std::int64_t lo, std::int64_t hi, int d);
  void draw_home(const Items& items, std::int64_t lo, std::int64_t hi, int d);
  void schedule_home(int d);
  /// Shares the districts out among the parts of cases() by the work each had yesterday.
  void share_districts();
  /// The districts [first, last) that part `part` of `parts` of cases() serves.
  std::pair<int, int> districts_of_part(int part, int parts) const;
  /// Today's identifications at home, departures and admissions with needs identified at
  /// intake, each list grouped by district in its own order (alongside the settling draws,
  /// so that no part of cases() reads through the other parts' districts).
  void group_today(int d);
  /// Part `part` of `parts` of the day's cases: its districts served in the order above.
  void cases(int d, int part, int parts);
  /// District h's cases closing today free their slots.
  void close_cases(int h, int d);
  /// Agent i left district h today: its open cases and waiting needs end.
  void departed(std::uint32_t i, int h, int d);
  /// District h's waiting list served in FIFO order while slots are free.
  void serve_waiting(int h, int d);
  /// District h's identifications of today (at home and at intake, in `today`) open cases
  /// or wait.
  void serve_identified(int h, int d, std::vector<std::pair<std::uint32_t, bool>>& today);
  /// A need identified today: referred (then opened or waiting) or left unmet.
  void identified(std::uint32_t code, bool at_home, int d);
  /// Fetches into the cache what identified() and open_case() read of the returnee of
  /// `code` (nothing for a host member's), for loops that reach them scattered over the ids.
  void prefetch_case(std::uint32_t code) const;
  void open_case(std::uint32_t code, int d);

  World& w_;
  const Quarantine& quarantine_;
  const Home& home_;
  std::uint8_t* const needs_state_;  ///< agent column: NeedState of need k in bits 2k, 2k+1
  std::vector<Need> needs_;
  std::vector<std::int64_t> slots_;  ///< case slots per district
  /// [day * D + district] workers deployed that day: a branch's original's before its
  /// branch day (saved), this run's after.
  std::vector<double> deployed_by_day_;
  std::vector<std::int64_t> active_;                 ///< open cases per district
  std::vector<std::vector<std::uint32_t>> waiting_;  ///< FIFO per district (agent*4+need)
  std::vector<std::size_t> waiting_head_;
  std::vector<std::int64_t> waiting_live_;  ///< entries of waiting_ still in state Waiting
  DistrictCalendar identify_;               ///< identifications at home, with their home district
  DistrictCalendars case_close_;            ///< by district (a host member's: theirs)
  /// Codes of each district's need-events served yesterday (then today): what the parts of
  /// cases() are shared out by; and its running sum over the districts before each.
  std::vector<std::int64_t> work_, work_before_;

  // Scratch of the day: intake needs of today's k-th arrival, the identification delays of
  // today's k-th home arrival (kMaxNeeds per item), its needs not yet identified and the
  // items they belong to; today's identifications at home with their districts (taken from
  // identify_ before the settling streams, so that schedule_home may push into identify_
  // beside cases); by district, the day's lists cases() reads, today's identifications of
  // host members and the list cases() serves; the unidentified needs of today's home arrivals and
  // the returnees reached today, by district (counted into their grids after the streams).
  std::vector<std::uint8_t> intake_mask_;
  std::vector<int> home_delays_;
  std::vector<std::uint8_t> home_unidentified_;
  Items home_items_;
  std::pair<std::vector<std::uint32_t>, std::vector<std::uint16_t>> identified_today_;
  /// By district (group_today): identified_today_'s codes, the returnees who left home
  /// today, and today's admissions with their needs identified at intake (as bits).
  std::vector<std::vector<std::uint32_t>> identified_by_district_, left_by_district_;
  std::vector<std::vector<std::pair<std::uint32_t, std::uint8_t>>> intake_by_district_;
  std::vector<std::vector<std::uint32_t>> host_today_;
  std::vector<std::vector<std::pair<std::uint32_t, bool>>> today_;
  std::vector<std::int64_t> arrived_unidentified_, reached_today_;

  std::vector<HostPool> host_;                ///< [district * kMaxNeeds + need]
  std::vector<std::uint16_t> host_district_;  ///< district of each referred host member
  /// Each referred host member's number among its district's (the key of its draws, so
  /// that they depend neither on the run's total nor on other districts' workers), and
  /// the count so far by district; made from host_district_ on load.
  std::vector<std::uint32_t> host_number_;
  std::vector<std::uint32_t> hosts_in_district_;

  Grid identified_, not_referred_, opened_, ended_, active_g_, waiting_g_, reached_;
  Grid unidentified_diff_;  ///< [day, district] difference array of needs not yet identified
  Grid host_unidentified_, host_identified_, host_served_;    ///< [day, district]
  Grid target_identified_, target_referred_, target_served_;  ///< [day, district], new people
};

}  // namespace rfsim::sim
