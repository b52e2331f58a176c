// Branches: a what-if that continues the state of another run (its original) from the start
// of a day, the branch day, under a changed scenario. What happened before the branch day
// is the original's and stays; from the branch day on the branch's scenario applies, read
// as the model always reads it, day by day. This unit says what a branch may change, checks
// it (a change to the past is a ScenarioError naming the key), lists what changed, and
// builds the scenario the model runs. The input data files are the same when their
// checksums are: that is checked where the original's state is read (outputs/).
//
// May change, from the branch day on:
//   - quarantine policies and their periods (quarantine.*, [[policy]]): the policy in force
//     on each day from the branch day on; returnees already in quarantine keep the release
//     day they were given at admission;
//   - facilities: capacities; opening and closing dates, as long as whether a facility was
//     open on each day before the branch day stays as it was; new facilities appended after
//     the existing ones, opening on or after the branch day;
//   - the assignment and overflow rules (quarantine.assignment, overflow, overcrowd_factor);
//   - entry shares (entry_shares) and arrivals: `arrivals.total` stays the total over the
//     horizon. The returnees who crossed before the branch day are the original's; the
//     rest come from the branch day on in proportion to the branch's arrival curve. With
//     the [arrivals] table unchanged the original's daily counts are kept exactly;
//   - home-district weights (home.*) and demography rates: for returnees arriving from the
//     branch day on (those already arrived keep what they drew);
//   - infection, testing and isolation rates, travel speed: for what happens from then on;
//   - social services: deployed workers, caseload, identification and referral rates,
//     case lengths, the workers to place, where and how many per district, and the target
//     (not the kinds of need); host communities' identification rates;
//   - information: reach at entry and in facilities, outreach teams, and the effects of
//     being reached (compliance, care-seeking, re-migration);
//   - reintegration: budget (what is left moves by the change; refused once it has run
//     out), costs, shares, delivery, eligibility, hazards;
//   - run.name and run.description.
// May not change (the past): run.start_date, run.horizon_days (events were already
// scheduled within it), run.seed, run.replicate, study.provinces, entry points, the
// facilities that exist (name and place), the kinds of need (services.needs), the host
// communities' needs (host.need_share, counted on day 0), the initial state ([initial]),
// prices, envelope and payers ([costs]: reported for the whole run at one set of prices),
// and arrivals before the branch day. Worker and outreach-team costs follow what was
// deployed on each day: the original's before the branch day.
//
// Random streams are keyed by seed, replicate, agent, day and purpose, so a branch draws
// exactly what its original drew wherever the two do the same: a branch that changes
// nothing reproduces the original.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"

namespace rfsim::sim {

/// One scenario value that differs between an original and its branch.
struct Difference {
  std::string key;     ///< dotted key, e.g. "facilities.0.capacity", "entry_shares"
  std::string before;  ///< the original's value as text ("" when the branch adds it)
  std::string after;   ///< the branch's value as text
  /// "key: before -> after" (or "key: after (added)").
  std::string text() const;
};

/// A branch checked and ready to run.
struct Branch {
  /// The branch scenario with its arrivals given day by day (the past's, then the
  /// branch's): what the model runs from the branch day on.
  Scenario scenario;
  /// What the branch changes, in the order of scenarios/README.md's sections.
  std::vector<Difference> differences;
};

/// Checks that `changed` differs from `original` (the scenario of the run being continued,
/// as written) only in what may change from day `day` on, and returns the branch.
/// `original_first_id` is the original's arrivals (sim::saved_first_id of its state at
/// `day`). Throws ScenarioError "file:line: key: ..." at the first change to the past.
Branch plan_branch(const Scenario& original, const std::vector<std::int64_t>& original_first_id,
                   const Scenario& changed, int day);

/// `scenario` with its arrivals given as day-by-day counts: those of a run whose arrivals
/// were `first_id` (World::first_id). A branch's checkpoint reloads its scenario this way.
Scenario with_arrivals(const Scenario& scenario, const std::vector<std::int64_t>& first_id);

/// One run of a lineage: its scenario as written, and the day the next run branched from it
/// (unused for the last).
struct Stage {
  Scenario scenario;
  int branch_day = 0;
};

/// Reruns a branch without its original's checkpoint: the first stage from day 0 until the
/// second branched from it, then each branch from its original's state in memory, the last
/// to the end (with `options`' checkpoints; options.start is ignored). Places are resolved
/// with `locator` (sim::resolve_places). The same as the branch run itself, bit for bit.
/// `extra_workers` (per district, if not empty) are added to the deployed workers of every
/// stage: the deployment optimiser's runs of a branch (sim/deployment.h).
RunResult simulate_lineage(const std::vector<Stage>& stages, const geo::Geography& geography,
                           const geo::Locator* locator, const RunOptions& options,
                           const std::vector<int>& extra_workers = {});

}  // namespace rfsim::sim
