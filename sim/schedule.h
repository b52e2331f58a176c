// The order of a simulated day, declared once as data (what runs, in which order, and what
// may overlap), apart from the units that do the work and from the code that runs it. The
// units bind their steps to these names (StepTable); the engine runs the bound schedule
// (run_day); describe_day() writes it as text for README's "The model".
//
// A day is a list of phases. A phase runs, in this order:
// 0. `prepare`: serial steps given today's items (room for the draws' results).
// 1. `lead`: serial steps on one thread. They touch only agents who arrived before today,
//    or only read what the draws do not write, so they overlap `draws` (which touch only
//    the phase's items).
// 2. `draws`: per-item work over the phase's `items` (today's arrivals, or today's home
//    arrivals), split in chunks over the threads; within a chunk the stages run in order.
//    Each item's draws read and write only that item's agent and per-thread tallies.
// 3. `ordered`: a serial stage run chunk by chunk in item order as soon as each chunk is
//    drawn (contention for beds is resolved in agent-id order), on the lead thread.
// 4. `streams`: serial step lists that run side by side after the draws; they touch
//    disjoint agents, fields and queues, and each keeps its own order. A stream may be a
//    step in `parts`: one part per thread, side by side with each other and the streams,
//    each part doing its own share (disjoint agents, fields and queues) of the work.
// 5. `after`: serial steps once everything above has finished.
// A step marked `parallel` runs its own parallel loops (and nothing beside it).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rfsim::sim {

struct StepSpec {
  std::string name;  ///< "unit.step", bound by that unit
  std::string what;  ///< one line for the docs
  bool parts = false;  ///< a stream of its own, run in parts (one per thread), bound by parts()
};

struct PhaseSpec {
  std::string name;
  std::vector<StepSpec> prepare;
  std::vector<StepSpec> lead;
  StepSpec items;  ///< how many items today's draws cover (empty name: no draws)
  std::vector<StepSpec> draws;
  StepSpec ordered;  ///< empty name: none
  std::vector<std::vector<StepSpec>> streams;
  std::vector<StepSpec> after;
  bool parallel = false;            ///< the lead step runs its own parallel loops
  std::int64_t chunk = 1024;        ///< items per chunk of draws
  std::int64_t min_parallel = 1024;  ///< fewer items: one thread does all but the streams
};

/// The day of the rfsim model, in order.
const std::vector<PhaseSpec>& day_schedule();

/// The schedule as a Markdown numbered list (README "The model" is checked against it).
std::string describe_day(const std::vector<PhaseSpec>& schedule);

using Day = int;

/// The agents a phase's draws cover today: ids first .. first+n-1, or list[0..n-1].
struct Items {
  std::int64_t n = 0;
  std::uint32_t first = 0;
  const std::uint32_t* list = nullptr;
  std::uint32_t id(std::int64_t k) const {
    return list ? list[k] : first + static_cast<std::uint32_t>(k);
  }
};

/// A serial or self-parallel step of day d.
using StepFn = std::function<void(Day d)>;
/// Items [lo, hi) of day d's draws (or of the ordered stage), on OpenMP thread `thread`.
using StageFn =
    std::function<void(const Items& items, std::int64_t lo, std::int64_t hi, Day d, int thread)>;
/// Part `part` of `parts` of a step run in parts on day d: its share of the work, whatever
/// the number of parts (the results do not depend on it).
using PartFn = std::function<void(Day d, int part, int parts)>;
/// The items of day d's draws.
using ItemsFn = std::function<Items(Day d)>;
/// Prepares day d's draws over `items`.
using PrepareFn = std::function<void(const Items& items, Day d)>;

/// What the units bind to the schedule's names. Binding a name twice is an error; so is a
/// scheduled name no unit binds, or a bound name the schedule does not use (bind_day).
class StepTable {
 public:
  void step(const std::string& name, StepFn fn);
  void stage(const std::string& name, StageFn fn);
  void items(const std::string& name, ItemsFn fn);
  void prepare(const std::string& name, PrepareFn fn);
  void parts(const std::string& name, PartFn fn);

 private:
  friend class BoundDay;
  std::map<std::string, StepFn> steps_;
  std::map<std::string, StageFn> stages_;
  std::map<std::string, ItemsFn> counts_;
  std::map<std::string, PrepareFn> prepares_;
  std::map<std::string, PartFn> parts_;
};

/// The schedule with every name bound to its unit's function, ready to run.
class BoundDay {
 public:
  /// `schedule` must outlive the BoundDay (it keeps pointers to its phases; day_schedule()
  /// is static).
  BoundDay(const std::vector<PhaseSpec>& schedule, const StepTable& table, int threads);
  void run(Day d);
  /// Wall seconds each phase has taken over the days run so far, by phase name, in
  /// schedule order: where a day's time goes and which part does not shrink with threads
  /// (scripts/bench prints it). Not part of the results.
  std::vector<std::pair<std::string, double>> phase_seconds() const;

 private:
  struct Phase {
    const PhaseSpec* spec;
    std::vector<PrepareFn> prepare;
    std::vector<StepFn> lead;
    ItemsFn items;
    std::vector<StageFn> draws;
    StageFn ordered;
    std::vector<std::vector<StepFn>> streams;  ///< a step in parts: one stream per part
    std::vector<StepFn> after;
    double seconds = 0;  ///< wall time over the days run
  };
  void run_phase(const Phase& p, Day d) const;
  std::vector<Phase> phases_;
  int threads_;
};

}  // namespace rfsim::sim
