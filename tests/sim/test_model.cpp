// Tests of the model's shape: the whole state saved at the end of any day and restored into
// a fresh model finishes exactly as an uninterrupted run (OpenMC's restart test), for 1 and
// 2 threads; the declared day binds every unit step once; README's "The model" shows the
// declared day; large agent columns lie on 2 MiB boundaries (for huge pages).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sim/agents.h"
#include "sim/calendar.h"
#include "sim/memory_state.h"
#include "sim/model.h"
#include "sim/schedule.h"
#include "tests/sim/fixtures.h"

using namespace rfsim;
using namespace rfsim::test;

namespace {

/// Runs a model to the end and reports it.
sim::RunResult finish(sim::Model& m) {
  while (m.next_day() < m.horizon()) m.run_day();
  sim::RunResult r;
  m.report(r);
  return r;
}

}  // namespace

TEST_CASE("a run restored from its state at the end of any day finishes as if uninterrupted",
          "[sim][state]") {
  const auto g = line_geography(8, 60, 6);
  Scenario s = big_scenario(11);
  s.overflow = OverflowRule::Wait;  // waiting lists at the entry points carry over too
  s.assignment = AssignmentRule::HomeDistrictFirst;
  using Kind = InitialGroup::Kind;  // and a run that starts mid-regime
  s.initial.groups = {{Kind::Quarantine, "F1", "", 500, 0, 2},
                      {Kind::AtHome, "D2", "", 3000, 0, 3},
                      {Kind::OpenCase, "D1", "gbv", 40, 0, 4}};
  s.services.needs = {{"gbv", 0.5, 0.4, 0.1, 60}, {"mental_health", 0.6, 0.4, 0.1, 90}};
  const sim::Places places = sim::resolve_places(s, g, nullptr);
  for (int threads : {1, 2}) {
    sim::Model whole(s, g, places, threads);
    const sim::RunResult expected = finish(whole);
    REQUIRE(expected.summary.at("packages_delivered") > 0);
    for (int stop : {0, 1, 6, 7, 40, 119, 120}) {
      INFO("threads " << threads << ", saved after " << stop << " days");
      sim::Model first(s, g, places, threads);
      while (first.next_day() < stop) first.run_day();
      sim::MemoryState state;
      first.save(state);
      sim::Model second(s, g, places, threads);
      second.load(state);
      CHECK(second.next_day() == stop);
      const sim::RunResult resumed = finish(second);
      CHECK(identical(expected, resumed));
      // Saving the restored model again gives the same state, entry for entry.
      if (stop == 40) {
        sim::Model third(s, g, places, threads);
        third.load(state);
        sim::MemoryState again;
        third.save(again);
        CHECK(again.entries() == state.entries());
      }
    }
  }
}

TEST_CASE("a state entry missing or of the wrong size is refused by name", "[sim][state]") {
  const auto g = line_geography(3, 100, 3);
  const Scenario s = base_scenario(1000, 20);
  const sim::Places places = sim::resolve_places(s, g, nullptr);
  sim::Model m(s, g, places, 1);
  sim::MemoryState empty;
  CHECK_THROWS_WITH(m.load(empty), Catch::Contains("'model/next_day' is missing"));

  // A state of a run whose returnees arrived differently before its day is refused.
  Scenario bigger = base_scenario(2000, 20);
  const sim::Places bigger_places = sim::resolve_places(bigger, g, nullptr);
  sim::Model other(bigger, g, bigger_places, 1);
  other.run_day();
  sim::MemoryState state;
  other.save(state);
  CHECK_THROWS_WITH(m.load(state),
                    Catch::Contains("'world/first_id': 2000 returnees had arrived by day 1 in "
                                    "the saved run, 1000 in this one"));
  // An agent column of another size is refused by name.
  sim::Model same(s, g, places, 1);
  same.run_day();
  sim::MemoryState own;
  same.save(own);
  sim::MemoryState cut;
  for (const auto& entry : own.entries()) {
    const std::string& name = entry.first;  // (a named reference: clang 14's lambdas cannot
                                            // capture a structured binding)
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          const std::size_t n = name == "agents/home" ? v.size() / 2 : v.size();
          cut.write(name, std::span<const T>(v.data(), n));
        },
        entry.second);
  }
  CHECK_THROWS_WITH(m.load(cut),
                    Catch::Contains("'agents/home' holds 500 agents, expected 1000 (1000 arrived)"));
}

TEST_CASE("the declared day binds every step of every unit exactly once", "[sim][schedule]") {
  // A model builds its bound day from the units' bindings: it throws if a scheduled name is
  // unbound or a bound name unscheduled.
  const auto g = line_geography(3, 100, 3);
  const Scenario s = base_scenario(10, 5);
  CHECK_NOTHROW(sim::Model(s, g, sim::resolve_places(s, g, nullptr), 1));

  sim::StepTable table;
  table.step("quarantine.open_facilities", [](int) {});
  CHECK_THROWS_WITH(sim::BoundDay(sim::day_schedule(), table, 1),
                    Catch::Contains("no unit binds the"));
  CHECK_THROWS_WITH(table.step("quarantine.open_facilities", [](int) {}),
                    Catch::Contains("bound twice"));
  sim::StepTable extra;
  extra.step("nobody.knows", [](int) {});
  const std::vector<sim::PhaseSpec> none;
  CHECK_THROWS_WITH(sim::BoundDay(none, extra, 1), Catch::Contains("'nobody.knows' is not scheduled"));
}

TEST_CASE("district calendars save as one calendar and load back by district", "[sim]") {
  // Values v of district v % 10; 3 districts, 4 days.
  sim::DistrictCalendars c(4, 3);
  c.push(2, 1, 12);
  c.push(0, 1, 20);
  c.push(2, 1, 2);
  c.push(1, 3, 31);
  c.push(1, 9, 41);  // past the horizon: dropped
  sim::MemoryState state;
  c.save(state, "c");
  CHECK(sim::read_lists<std::uint32_t>(state, "c") ==
        std::vector<std::vector<std::uint32_t>>{{}, {20, 12, 2}, {}, {31}});
  sim::DistrictCalendars back(4, 3);
  back.load(state, "c", [](std::uint32_t v) { return static_cast<int>(v % 10); });
  CHECK(back.take(2, 1) == std::vector<std::uint32_t>{12, 2});
  CHECK(back.take(0, 1) == std::vector<std::uint32_t>{20});
  CHECK(back.take(0, 3).empty());
  CHECK(back.bytes() >= sizeof(std::uint32_t));  // (district 1's event, still pending)
  CHECK(back.take(1, 3) == std::vector<std::uint32_t>{31});
  CHECK(back.bytes() == 0);
  sim::DistrictCalendars wrong(4, 3);
  CHECK_THROWS_WITH(wrong.load(state, "c", [](std::uint32_t) { return 3; }),
                    Catch::Contains("an event of no district"));
}

TEST_CASE("a step in parts runs as one part per thread, side by side", "[sim][schedule]") {
  // One phase of 4,096 items (enough to run in parallel): the parts of `t.split` run as
  // streams beside `t.other`, each part once a day, each told its number and the count.
  sim::PhaseSpec phase;
  phase.name = "phase";
  phase.items = {"t.items", "items"};
  phase.draws = {{"t.draw", "nothing"}};
  phase.streams = {{{.name = "t.split", .what = "split", .parts = true}}, {{"t.other", "other"}}};
  for (const int threads : {1, 2, 3}) {
    std::vector<int> seen(threads, 0), told(threads, 0);  // (Catch2 checks on this thread)
    int other = 0;
    sim::StepTable table;
    table.items("t.items", [](int) { return sim::Items{4096, 0, nullptr}; });
    table.stage("t.draw", [](const sim::Items&, std::int64_t, std::int64_t, int, int) {});
    table.parts("t.split", [&](int, int part, int parts) {
      told[part] = parts;
      ++seen[part];
    });
    table.step("t.other", [&](int) { ++other; });
    const std::vector<sim::PhaseSpec> schedule = {phase};  // (outlives the bound day)
    sim::BoundDay day(schedule, table, threads);
    day.run(0);
    day.run(1);
    CHECK(seen == std::vector<int>(threads, 2));
    CHECK(told == std::vector<int>(threads, threads));
    CHECK(other == 2);
  }
  sim::PhaseSpec shared = phase;
  shared.streams = {{{"t.other", "other"}, {.name = "t.split", .what = "split", .parts = true}}};
  sim::StepTable table;
  table.items("t.items", [](int) { return sim::Items{}; });
  table.stage("t.draw", [](const sim::Items&, std::int64_t, std::int64_t, int, int) {});
  table.parts("t.split", [](int, int, int) {});
  table.step("t.other", [](int) {});
  CHECK_THROWS_WITH(sim::BoundDay({shared}, table, 2), Catch::Contains("shares a stream"));
}

TEST_CASE("agent columns of 2 MiB or more start on a 2 MiB boundary, and hold their values",
          "[sim]") {
  for (const std::size_t agents : {std::size_t{1000}, std::size_t{3} << 20}) {
    sim::AgentTable table(agents);
    std::uint8_t* small = table.add<std::uint8_t>("small", 7, "one byte a returnee");
    sim::Day16* days = table.add<sim::Day16>("days", sim::kNever, "two bytes a returnee");
    CHECK(small[agents - 1] == 7);
    CHECK(days[0] == sim::kNever);
    CHECK(days[agents - 1] == sim::kNever);
    days[agents / 2] = 12;
    CHECK(days[agents / 2] == 12);
    const auto huge = std::uintptr_t{2} << 20;
    if (agents * sizeof(sim::Day16) >= huge) {
      CHECK(reinterpret_cast<std::uintptr_t>(days) % huge == 0);
      CHECK(reinterpret_cast<std::uintptr_t>(small) % huge == 0);
    }
  }
}

TEST_CASE("README's model section shows the declared day", "[sim][schedule][docs]") {
  std::ifstream in(std::string(RFSIM_SOURCE_DIR) + "/README.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::string begin = "<!-- day-schedule: generated from sim/schedule.cpp -->\n";
  const std::string end = "<!-- end of day-schedule -->";
  INFO("README.md is out of date: paste the output of build/tests/sim/describe_day between "
       "its day-schedule markers");
  const auto a = readme.find(begin), b = readme.find(end);
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  const std::string documented = readme.substr(a + begin.size(), b - a - begin.size());
  CHECK(documented == sim::describe_day(sim::day_schedule()));
}
