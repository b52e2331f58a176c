// Screening and quarantine: screening of each arrival by the policy in force, beds given
// in agent-id order (agents waiting from earlier days first) by the assignment rule, the
// overflow rules, releases with the exit test, and isolation of positives (outside the
// bed count).
//
// Screening (formal entries, and informal crossers intercepted with informal_detection):
// with test_at_entry, infectious arrivals test positive with test_sensitivity (exposed ones
// in their latent period test negative) and go to isolation whatever the mode; then None ->
// home, Symptomatic -> symptomatic infectious arrivals to quarantine, others home,
// Mandatory -> everyone to quarantine. Undetected informal crossers go straight home.
//
// Facilities are ranked for each entry point by travel over the district graph from the
// entry point's location to the facility's (Places::entry_facility_km), ties by index.
// Assignment: NearestFree = the nearest open facility with a free bed; Nearest = the
// nearest open facility only (a designated centre); HomeDistrictFirst = an open facility of
// the home district with a free bed (by index), else as NearestFree. A returnee's first
// choice that is full is over capacity that day (as is a facility holding more people than
// beds). With no free bed where the assignment looks, the overflow rule applies:
// NextNearest tries the other open facilities by distance, then home quarantine;
// HomeQuarantine sends the returnee home to quarantine; Wait keeps the returnee at the
// entry point to retry the next day, before that day's arrivals; Overcrowd admits to the
// nearest open facility holding fewer than overcrowd_factor x its beds (transmission
// rises with crowding there), else home quarantine. "Overflow" counts, per day, the
// returnees who needed a bed and got none (waiting returnees count again each day).
//
// Home quarantine (overflow): the agent travels home, then stays in home quarantine (Home).
// Isolation lasts at least isolation_days and ends as the infection says: on recovery (the
// end of the infectious period), or with isolation_release = negative_test on the first
// negative test (tested on day isolation_days, then every retest_days while positive), so
// more testing never sends more infectious people home. Released agents travel home from
// the facility (exit positives) or the entry district (entry positives).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/calendar.h"
#include "sim/grid.h"
#include "sim/infection.h"
#include "sim/travel.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Quarantine final : public Unit {
 public:
  Quarantine(World& world, const Infection& infection, Travel& travel);

  /// Agent i is in facility f on day 0 (Scenario::initial), until release_day.
  void admit_initial(std::uint32_t i, int f, int release_day);
  /// Agents admitted to a bed today, in admission order (intake identifies their needs).
  const std::vector<std::uint32_t>& admitted_today() const { return admitted_today_; }
  /// Today's k-th arrival was sent to quarantine by screening (valid during the day).
  bool bound_for_quarantine(std::int64_t k) const { return route_[k] == ToQuarantine; }
  int capacity(int f) const { return capacity_[f]; }
  /// The facility agent i was admitted to (kNoFacility if never).
  int facility_of(std::uint32_t i) const { return facility_[i]; }
  /// The daily sweep of facility f's residents, in pieces that may run on different
  /// threads: sweep_piece visits each resident of positions [lo, hi) still in quarantine
  /// and keeps those at the front of the piece (in order), returning how many it kept;
  /// once every piece of f is swept, join_pieces moves the kept residents together, in
  /// order, dropping those who left: the list is then what one sweep would have left.
  template <class Visit>
  std::size_t sweep_piece(int f, std::size_t lo, std::size_t hi, Visit&& visit) {
    std::uint32_t* r = residents_[f].data();
    std::size_t kept = lo;
    for (std::size_t k = lo; k < hi; ++k) {
      const std::uint32_t i = r[k];
      if (w_.state[i] != InQuarantine) continue;
      visit(i);
      r[kept++] = i;
    }
    return kept - lo;
  }
  /// `kept[c]` residents were kept by the piece starting at position c x `piece`.
  void join_pieces(int f, std::size_t piece, const std::size_t* kept);
  /// Tests done each day (entry, exit, before release from isolation), [day, 1].
  const Grid& tests() const { return tests_g_; }
  /// Occupied beds at the end of each day, [day, facility].
  const Grid& occupancy() const { return occupancy_g_; }
  /// Residents of facility f after the last sweep.
  const std::vector<std::uint32_t>& residents(int f) const { return residents_[f]; }
  std::size_t resident_total() const;

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;
  std::size_t queue_bytes() const override;

 private:
  enum Route : std::uint8_t { ToHome, ToQuarantine, ToIsolation };
  void open_facilities(int d);
  void releases(int d);
  void isolation_ends(int d);
  void retry_waiting(int d);
  void screen(const Items& items, std::int64_t lo, std::int64_t hi, int d, int thread);
  void route(const Items& items, std::int64_t lo, std::int64_t hi, int d);
  void record(int d);
  /// Tries to give agent i a bed on day d; applies the overflow rule when it fails.
  void assign_bed(std::uint32_t i, int d, bool retry);
  void admit(std::uint32_t i, int f, int d);
  /// The first open facility in agent i's order of preference with occupancy below
  /// limit[f], or -1; `skip` is left out.
  int first_below(std::uint32_t i, const std::vector<int>& limit, int skip) const;
  /// Agent i's first choice: the first open facility in its order of preference, or -1.
  int first_choice(std::uint32_t i) const;
  void isolate(std::uint32_t i, int d);
  int origin_of(std::uint32_t i) const;

  World& w_;
  const Infection& infection_;
  Travel& travel_;
  std::uint8_t* const facility_;  ///< agent column: facility, kNoFacility if none

  std::vector<std::uint8_t> formal_;  ///< per entry point: a formal (screened) checkpoint
  std::vector<int> capacity_, facility_district_;
  std::vector<std::vector<int>> district_facilities_;
  std::vector<std::uint8_t> open_;                     ///< facility open today
  bool open_known_ = false;                            ///< open_ and entry_order_ are set
  std::vector<std::vector<std::uint8_t>> entry_order_;  ///< open facilities by distance
  std::vector<int> occupancy_;
  std::vector<std::vector<std::uint32_t>> residents_;  ///< per facility, swept daily
  std::vector<std::uint32_t> waiting_;                 ///< Wait rule, ascending ids
  std::vector<std::uint8_t> over_today_;  ///< facility turned someone away today
  // Days on which every open facility was found full (at its overcrowd limit): no bed is
  // freed later that day, so later scans are skipped. Scratch of the day, not state.
  int full_day_ = -1, crowded_day_ = -1;
  std::vector<int> crowd_limit_;  ///< beds x overcrowd_factor
  Calendar release_, isolation_end_;

  // Scratch of the day (not state): screening outcome of today's k-th arrival, exit tests
  // of today's releases, today's admissions, informal crossings counted per thread.
  std::vector<std::uint8_t> route_;
  std::vector<std::uint8_t> exit_positive_;
  std::vector<std::uint32_t> admitted_today_;
  /// Per thread: today's informal crossings and entry tests.
  struct Tally {
    std::int64_t informal = 0, entry_tests = 0;
  };
  std::vector<Tally> tally_;

  Grid occupancy_g_, intake_g_, over_capacity_g_, overflow_g_, positives_g_;
  Grid tests_g_;  ///< [day, 1] tests done (entry, exit, before release from isolation)
  std::int64_t informal_arrivals_ = 0;
};

}  // namespace rfsim::sim
