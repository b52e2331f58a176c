// The declared day (see schedule.h) and the code that runs it with OpenMP.
#include "sim/schedule.h"

#include <omp.h>

#include <atomic>
#include <chrono>
#include <set>
#include <sstream>
#include <stdexcept>

#include "sim/parallel.h"

namespace rfsim::sim {

const std::vector<PhaseSpec>& day_schedule() {
  static const std::vector<PhaseSpec> day = [] {
    std::vector<PhaseSpec> s;
    {
      PhaseSpec p;
      p.name = "initial state";
      p.lead = {{"initial.place",
                 "day 0 only: the returnees already there (in quarantine, in home quarantine, "
                 "at home, with open or waiting cases) take their places"}};
      s.push_back(p);
    }
    {
      PhaseSpec p;
      p.name = "facilities";
      p.lead = {{"quarantine.open_facilities",
                 "facilities open and close on their dates; each entry point's open facilities "
                 "are ranked by travel distance"}};
      s.push_back(p);
    }
    {
      PhaseSpec p;
      p.name = "arrivals";
      p.lead = {
          {"quarantine.releases",
           "ends of quarantine stays: the exit test sends positives to isolation, the others "
           "travel home from the facility"},
          {"quarantine.isolation_ends", "ends of isolation: travel home"},
          {"travel.arrivals_home",
           "returnees in transit reach home, into home quarantine when the overflow rule sent "
           "them there"},
          {"home.quarantine_ends", "ends of home quarantine: settled at home"},
          {"travel.leaving",
           "returnees with a home outside the study area leave it where their path exits"},
          {"reintegration.remigration", "irregular re-migration of returnees at home"},
          {"quarantine.retry_waiting",
           "returnees waiting at the entry point retry for a bed, in id order"}};
      p.items = {"arrivals.today", "today's new arrivals"};
      p.prepare = {{"arrivals.prepare", "room for the package-kind words"},
                   {"quarantine.prepare_screening", "room for the screening outcomes"},
                   {"services.prepare_intake", "room for the intake draws"}};
      p.draws = {
          {"arrivals.draw_people",
           "sex, age band and vulnerability flags; entry point from the share period in "
           "force; home district from the home weights"},
          {"infection.infect_arrivals",
           "infection with the prevalence of the day: exposed or infectious, symptoms, "
           "latent and infectious periods"},
          {"quarantine.screen",
           "screening by the policy in force: informal crossers intercepted or not, entry "
           "test, then home, quarantine or isolation"},
          {"services.intake_needs",
           "needs that quarantine intake would identify, for those bound for quarantine"},
          {"reintegration.package_kind",
           "the kind of package each would get (community or individual)"},
          {"information.at_entry",
           "reached by information and prevention at the crossing (formal, or informal with "
           "outreach)"}};
      p.ordered = {"quarantine.route",
                   "in id order: a bed by the assignment rule, else the overflow rule; "
                   "isolation; or travel home from the entry point"};
      p.after = {{"arrivals.tally", "arrivals counted by entry point, home district and group (men, women, women heading a household)"},
                 {"infection.tally", "infected arrivals counted by entry point"},
                 {"quarantine.tally", "informal crossings counted"},
                 {"information.tally", "returnees reached at the crossings counted, by entry point and group"},
                 {"information.in_facility",
                  "today's admissions not yet reached are reached in the facility"}};
      s.push_back(p);
    }
    {
      PhaseSpec p;
      p.name = "transmission";
      p.parallel = true;
      p.lead = {{"transmission.facilities",
                 "in each facility: residents who left are dropped, the infectious counted, "
                 "each susceptible resident infected with p = 1 - exp(-force)"}};
      s.push_back(p);
    }
    {
      PhaseSpec p;
      p.name = "settling";
      p.items = {"home.today", "today's arrivals at home (settled)"};
      p.draws = {{"infection.community_days",
                  "infectious days still to come are spent in the home district"},
                 {"reintegration.draw_home", "re-migration day drawn with the daily hazard"},
                 {"services.draw_home",
                  "days until each need not yet identified is identified at home (such needs "
                  "counted)"}};
      // (the longest stream first: threads take the streams in this order)
      p.streams = {{{.name = "services.cases",
                     .what = "by district: cases close; waiting lists served first in order; "
                             "today's identified needs (at home and at intake) open cases or "
                             "wait",
                     .parts = true}},
                   {{"services.schedule_home", "identification days scheduled"}},
                   {{"reintegration.schedule_remigration", "re-migration days scheduled"}}};
      // (they read only what the arrivals phase and the steps before them wrote)
      p.lead = {{"reintegration.queue_packages",
                 "those of today's home arrivals eligible for a package join its queue in "
                 "priority order"},
                {"services.group_today",
                 "today's identifications at home, departures and admissions with needs "
                 "identified at intake grouped by district for `services.cases`"}};
      p.prepare = {{"reintegration.prepare_home", "today's home arrivals noted"},
                   {"services.prepare_home", "room for the identification draws"},
                   {"services.take_identified",
                    "today's identifications at home: returnees' taken from their calendar "
                    "with their districts, host members' drawn from each district's pool"},
                   {"services.share_districts",
                    "the districts shared out among the parts of `services.cases` by the "
                    "work each had the day before"}};
      p.after = {{"services.count_home_arrivals",
                  "unidentified needs of today's home arrivals counted by district"},
                 {"services.count_reached",
                  "returnees reached today (a first case opened) counted over the districts"},
                 {"home.clear_today", "today's home arrivals done"}};
      p.min_parallel = 2048;
      s.push_back(p);
    }
    {
      PhaseSpec p;
      p.name = "packages";
      p.lead = {{"reintegration.deliver",
                 "on the last day of each week, packages in priority order within the weekly "
                 "capacity and the budget; recipients' re-migration redrawn"}};
      s.push_back(p);
    }
    {
      PhaseSpec p;
      p.name = "record";
      p.lead = {{"quarantine.record", "occupancy and over-capacity of the day"},
                {"reintegration.record", "budget spent so far"},
                {"world.record_states", "agents in each state"}};
      s.push_back(p);
    }
    return s;
  }();
  return day;
}

std::string describe_day(const std::vector<PhaseSpec>& schedule) {
  std::ostringstream out;
  auto list = [&](const char* when, const std::vector<StepSpec>& steps) {
    if (steps.empty()) return;
    out << "   - " << when << ":\n";
    for (const StepSpec& s : steps)
      out << "     - `" << s.name << "`" << (s.parts ? " (in parts, one per thread)" : "")
          << ": " << s.what << "\n";
  };
  int n = 0;
  for (const PhaseSpec& p : schedule) {
    out << ++n << ". **" << p.name << "**" << (p.parallel ? " (runs its own parallel loops)" : "")
        << "\n";
    const bool draws = !p.draws.empty();
    list("first, given today's items", p.prepare);
    list(draws ? "on one thread, alongside the draws, in order" : "in order", p.lead);
    if (draws) list(("for each of " + p.items.what + ", in parallel chunks").c_str(), p.draws);
    if (!p.ordered.name.empty()) list("chunk by chunk in agent-id order, as the draws finish", {p.ordered});
    for (size_t k = 0; k < p.streams.size(); ++k)
      list(p.streams.size() > 1 ? ("then side by side, stream " + std::to_string(k + 1)).c_str()
                                : "then",
           p.streams[k]);
    list("then", p.after);
  }
  return out.str();
}

namespace {
template <class Map, class Fn>
void add_once(Map& m, const std::string& name, Fn fn) {
  if (!m.emplace(name, std::move(fn)).second)
    throw std::logic_error("schedule: step '" + name + "' bound twice");
}
}  // namespace

void StepTable::step(const std::string& name, StepFn fn) { add_once(steps_, name, std::move(fn)); }
void StepTable::stage(const std::string& name, StageFn fn) {
  add_once(stages_, name, std::move(fn));
}
void StepTable::items(const std::string& name, ItemsFn fn) {
  add_once(counts_, name, std::move(fn));
}
void StepTable::prepare(const std::string& name, PrepareFn fn) {
  add_once(prepares_, name, std::move(fn));
}
void StepTable::parts(const std::string& name, PartFn fn) { add_once(parts_, name, std::move(fn)); }

BoundDay::BoundDay(const std::vector<PhaseSpec>& schedule, const StepTable& table, int threads)
    : threads_(std::max(1, threads)) {
  std::set<std::string> used;
  auto find = [&](const auto& map, const StepSpec& s, const char* kind) {
    const auto it = map.find(s.name);
    if (it == map.end())
      throw std::logic_error("schedule: no unit binds the " + std::string(kind) + " '" + s.name +
                             "'");
    used.insert(s.name);
    return it->second;
  };
  for (const PhaseSpec& spec : schedule) {
    Phase p;
    p.spec = &spec;
    for (const auto& s : spec.prepare) p.prepare.push_back(find(table.prepares_, s, "prepare step"));
    for (const auto& s : spec.lead) p.lead.push_back(find(table.steps_, s, "step"));
    if (!spec.items.name.empty()) p.items = find(table.counts_, spec.items, "item count");
    for (const auto& s : spec.draws) p.draws.push_back(find(table.stages_, s, "stage"));
    if (!spec.ordered.name.empty()) p.ordered = find(table.stages_, spec.ordered, "stage");
    for (const auto& stream : spec.streams) {
      if (stream.size() == 1 && stream.front().parts) {
        const PartFn fn = find(table.parts_, stream.front(), "step in parts");
        for (int part = 0; part < threads_; ++part)
          p.streams.push_back({[fn, part, parts = threads_](Day d) { fn(d, part, parts); }});
        continue;
      }
      p.streams.emplace_back();
      for (const auto& s : stream) {
        if (s.parts)
          throw std::logic_error("schedule: step in parts '" + s.name + "' shares a stream");
        p.streams.back().push_back(find(table.steps_, s, "step"));
      }
    }
    for (const auto& s : spec.after) p.after.push_back(find(table.steps_, s, "step"));
    phases_.push_back(std::move(p));
  }
  for (const auto* map : {&table.steps_})
    for (const auto& [name, fn] : *map)
      if (!used.count(name)) throw std::logic_error("schedule: step '" + name + "' is not scheduled");
  for (const auto& [name, fn] : table.stages_)
    if (!used.count(name)) throw std::logic_error("schedule: stage '" + name + "' is not scheduled");
  for (const auto& [name, fn] : table.counts_)
    if (!used.count(name)) throw std::logic_error("schedule: items '" + name + "' is not scheduled");
  for (const auto& [name, fn] : table.prepares_)
    if (!used.count(name)) throw std::logic_error("schedule: step '" + name + "' is not scheduled");
  for (const auto& [name, fn] : table.parts_)
    if (!used.count(name)) throw std::logic_error("schedule: step '" + name + "' is not scheduled");
}

void BoundDay::run(Day d) {
  for (Phase& p : phases_) {
    const auto t0 = std::chrono::steady_clock::now();
    run_phase(p, d);
    p.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
}

std::vector<std::pair<std::string, double>> BoundDay::phase_seconds() const {
  std::vector<std::pair<std::string, double>> out;
  for (const Phase& p : phases_) out.emplace_back(p.spec->name, p.seconds);
  return out;
}

void BoundDay::run_phase(const Phase& p, Day d) const {
  const Items items = p.items ? p.items(d) : Items{};
  for (const auto& s : p.prepare) s(items, d);
  const std::int64_t n = items.n;
  const std::int64_t chunk = p.spec->chunk;
  // Side-by-side streams are work of their own every day, however few today's items: on
  // a day with too few items to share out they still run over the threads (at 10M, the
  // days late in the horizon had put ~5 % of the settling phase on one thread).
  const bool streams_side_by_side = threads_ > 1 && p.streams.size() > 1;
  if (!share_out(threads_, n, p.spec->min_parallel) && !streams_side_by_side) {
    // One thread, in the order the team's leader takes when it is alone, without a
    // parallel region (see parallel.h).
    for (const auto& s : p.lead) s(d);
    for (std::int64_t lo = 0; lo < n; lo += chunk) {
      const std::int64_t hi = std::min(n, lo + chunk);
      for (const auto& stage : p.draws) stage(items, lo, hi, d, 0);
      if (p.ordered) p.ordered(items, lo, hi, d, 0);
    }
    for (const auto& stream : p.streams)
      for (const auto& s : stream) s(d);
    for (const auto& s : p.after) s(d);
    return;
  }
  const std::int64_t nchunks = (n + chunk - 1) / chunk;
  // drawn[c] is set (release) once chunk c's draws are done; the ordered stage reads it
  // (acquire) before consuming the chunk.
  std::vector<std::uint8_t> drawn(static_cast<size_t>(nchunks), 0);
  std::atomic<std::int64_t> next_chunk{0};
  const bool ordered = static_cast<bool>(p.ordered);
#pragma omp parallel num_threads(threads_)
  {
    const int thread = omp_get_thread_num();
    bool leader = false;
#pragma omp single nowait
    {
      for (const auto& s : p.lead) s(d);
      leader = true;
    }
    auto draw_chunk = [&](std::int64_t c) {
      const std::int64_t lo = c * chunk, hi = std::min(n, lo + chunk);
      for (const auto& stage : p.draws) stage(items, lo, hi, d, thread);
      std::atomic_ref<std::uint8_t>(drawn[c]).store(1, std::memory_order_release);
    };
    if (leader && ordered) {
      // Consume chunks strictly in order; draw the next unclaimed chunk while the one to
      // consume is not ready.
      std::int64_t done = 0;
      while (done < nchunks) {
        if (std::atomic_ref<std::uint8_t>(drawn[done]).load(std::memory_order_acquire)) {
          const std::int64_t lo = done * chunk, hi = std::min(n, lo + chunk);
          p.ordered(items, lo, hi, d, thread);
          ++done;
          continue;
        }
        const std::int64_t c = next_chunk.fetch_add(1, std::memory_order_relaxed);
        if (c < nchunks) draw_chunk(c);
      }
    } else {
      for (;;) {
        const std::int64_t c = next_chunk.fetch_add(1, std::memory_order_relaxed);
        if (c >= nchunks) break;
        draw_chunk(c);
      }
    }
    if (!p.streams.empty()) {
#pragma omp barrier
#pragma omp for schedule(dynamic, 1)
      for (std::size_t k = 0; k < p.streams.size(); ++k)
        for (const auto& s : p.streams[k]) s(d);
    }
  }
  for (const auto& s : p.after) s(d);
}

}  // namespace rfsim::sim
