// Tests of branches (sim/branch.h): a what-if continuing another run's state from a day.
// A branch that changes nothing reproduces its original; a change shows only from the
// branch day on; sizes that change (facilities appended, more or fewer returnees still to
// come) load; changes to the past are refused with the key named.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include "sim/branch.h"
#include "sim/memory_state.h"
#include "sim/world.h"
#include "tests/sim/fixtures.h"

using namespace rfsim;
using namespace rfsim::test;

namespace {

/// The original run until `day` (in memory), then the branch to the end.
struct Branched {
  sim::Branch plan;
  sim::RunResult result;
};
Branched branch_run(const Scenario& original, const Scenario& changed,
                    const geo::Geography& g, int day, int threads = 1) {
  const sim::Places before = sim::resolve_places(original, g, nullptr);
  sim::RunOptions o;
  o.threads = threads;
  const sim::MemoryState state = sim::simulate_until(original, g, before, day, o);
  Branched b{sim::plan_branch(original, sim::saved_first_id(state), changed, day), {}};
  const sim::Places after = sim::resolve_places(b.plan.scenario, g, nullptr);
  o.start = &state;
  b.result = sim::simulate(b.plan.scenario, g, after, o);
  return b;
}

/// Rows (days, or weeks ending before `day`) of `a` and `b` before `day` are identical.
bool same_before(const sim::Series& a, const sim::Series& b, int day) {
  const int rows = a.row_axis == "week" ? day / 7 : day;
  return a.columns == b.columns &&
         std::memcmp(a.values.data(), b.values.data(),
                     sizeof(double) * static_cast<std::size_t>(rows) * a.columns) == 0;
}

/// Rows from `day` on differ somewhere.
bool differs_from(const sim::Series& a, const sim::Series& b, int day) {
  for (int r = day; r < a.rows; ++r)
    for (int c = 0; c < a.columns; ++c)
      if (a.at(r, c) != b.at(r, c)) return true;
  return false;
}

/// The state at the start of day `until` of the branch into `changed` of `original`'s
/// state `saved` (at day `day`): loaded and saved at once when until == day.
sim::MemoryState branch_state(const Scenario& original, const Scenario& changed,
                              const geo::Geography& g, const sim::MemoryState& saved, int day,
                              int until) {
  const sim::Branch plan = sim::plan_branch(original, sim::saved_first_id(saved), changed, day);
  sim::RunOptions o;
  o.start = &saved;
  return sim::simulate_until(plan.scenario, g, sim::resolve_places(plan.scenario, g, nullptr),
                             until, o);
}

/// A case's code (agent x 4 + need) in a run of `after` returnees, saved in a run of
/// `before`: host members (numbered after the returnees) move by the difference.
std::uint32_t renumbered(std::uint32_t code, std::int64_t before, std::int64_t after) {
  return (code >> 2) < before ? code : static_cast<std::uint32_t>(code + 4 * (after - before));
}

std::vector<std::string> texts(const std::vector<sim::Difference>& d) {
  std::vector<std::string> out;
  for (const auto& x : d) out.push_back(x.text());
  return out;
}

}  // namespace

TEST_CASE("a branch that changes nothing reproduces its original exactly", "[sim][branch]") {
  const auto g = property_geography();
  const Scenario s = property_scenario(5);
  for (int threads : {1, 2}) {
    const sim::RunResult whole = run(s, g, [&] {
      sim::RunOptions o;
      o.threads = threads;
      return o;
    }());
    for (int day : {1, 30, 89}) {
      INFO("threads " << threads << ", branch day " << day);
      const Branched b = branch_run(s, s, g, day, threads);
      CHECK(b.plan.differences.empty());
      CHECK(identical(whole, b.result));
    }
  }
}

TEST_CASE("a branch that changes a capacity differs only from the branch day on",
          "[sim][branch]") {
  const auto g = property_geography();
  const Scenario s = property_scenario(6);
  Scenario smaller = s;
  smaller.facilities[0].capacity = 150;
  const sim::RunResult whole = run(s, g);
  const Branched b = branch_run(s, smaller, g, 20);
  CHECK(texts(b.plan.differences) == std::vector<std::string>{"facilities.0.capacity: 600 -> 150"});
  for (const sim::Series& x : whole.series) {
    INFO(x.name);
    CHECK(same_before(x, get(b.result, x.name), 20));
  }
  CHECK(differs_from(get(whole, "quarantine/occupancy"), get(b.result, "quarantine/occupancy"), 20));
  CHECK(b.result.summary.at("overflow_total") > whole.summary.at("overflow_total"));
}

TEST_CASE("a branch that deploys more workers and outreach teams costs more only from then on",
          "[sim][branch]") {
  // Worker and outreach-team costs follow what was deployed each day: the days before the
  // branch day keep the original's (saved in the state), not the branch's.
  const auto g = property_geography();
  const Scenario s = property_scenario(6);
  Scenario more = s;
  more.services.deployed["D0"] = 12;
  more.information.outreach_teams = s.information.outreach_teams + 3;
  const sim::RunResult whole = run(s, g);
  const Branched b = branch_run(s, more, g, 21);
  CHECK(b.plan.differences.size() == 2);
  for (const sim::Series& x : whole.series) {
    INFO(x.name);
    CHECK(same_before(x, get(b.result, x.name), 21));
  }
  for (const char* name : {"cost/social_workers", "cost/information"}) {
    INFO(name);
    CHECK(differs_from(get(whole, name), get(b.result, name), 3));
  }
}

TEST_CASE("a branch may append a facility opening later and change the arrivals still to come",
          "[sim][branch]") {
  const auto g = property_geography();
  const Scenario s = property_scenario(7);
  const sim::RunResult whole = run(s, g);
  const int day = 30;
  Scenario changed = s;
  changed.facilities.push_back(facility("F3", 4, 500));
  changed.facilities.back().opens = 40;
  for (std::int64_t total : {26000, 15000}) {
    INFO("arrivals.total " << total);
    changed.arrivals.total = total;
    const Branched b = branch_run(s, changed, g, day);
    CHECK(texts(b.plan.differences) ==
          std::vector<std::string>{"facilities.3: \"F3\", 500 beds in D4, open from day 40 (added)",
                                   "arrivals.total: 20000 -> " + std::to_string(total)});
    const sim::RunResult& r = b.result;
    CHECK(r.agents == total);
    CHECK(r.summary.at("arrivals_total") == total);
    // Every agent is in one state every day, the past included.
    for (int d = 0; d < s.horizon_days; ++d) {
      double in_states = 0;
      for (const sim::Series& x : r.series)
        if (x.name.starts_with("state/")) in_states += x.at(d, 0);
      CHECK(in_states == total);
    }
    // The past is the original's, but for returnees still to come, and the added facility.
    for (const sim::Series& x : whole.series) {
      INFO(x.name);
      const sim::Series& y = get(r, x.name);
      if (x.name == "state/not_arrived") {
        CHECK(y.at(day - 1, 0) - x.at(day - 1, 0) == total - 20000);
      } else if (x.column_axis == "facility") {
        CHECK(y.columns == 4);
        for (int d = 0; d < day; ++d)
          for (int f = 0; f < 3; ++f) CHECK(y.at(d, f) == x.at(d, f));
      } else {
        CHECK(same_before(x, y, day));
      }
    }
    const sim::Series& occupancy = get(r, "quarantine/occupancy");
    for (int d = 0; d < 40; ++d) CHECK(occupancy.at(d, 3) == 0);
    if (total > 20000) CHECK(occupancy.at(45, 3) > 0);
  }
}

TEST_CASE("a branch that changes the returnees still to come keeps the host members' cases",
          "[sim][branch]") {
  // Host members are numbered after the run's returnees. A branch with more or fewer
  // returnees to come loads their waiting needs and open cases under its own numbers, each
  // still a host member's of the same district, need and day; loaded under the saved
  // numbers they named returnees (cases closing in another district, waiting needs taken
  // for a departed returnee's, and two threads' districts touching one count).
  const auto g = host_geography();
  const Scenario s = host_scenario(8);
  const int day = 30;
  const sim::MemoryState saved = sim::simulate_until(s, g, sim::resolve_places(s, g, nullptr), day);
  const std::int64_t before = sim::saved_first_id(saved).back();
  for (std::int64_t total : {26000, 18000}) {
    INFO("arrivals.total " << total);
    Scenario changed = s;
    changed.arrivals.total = total;
    // Loaded into the branch and saved again at once, before any day of it runs.
    const sim::MemoryState loaded = branch_state(s, changed, g, saved, day, day);
    const std::int64_t after = sim::saved_first_id(loaded).back();
    REQUIRE(after - before == total - 20000);
    for (const char* name : {"services/waiting", "services/case_close"}) {
      INFO(name);
      const auto was = sim::read_lists<std::uint32_t>(saved, name);
      const auto now = sim::read_lists<std::uint32_t>(loaded, name);
      REQUIRE(was.size() == now.size());
      std::int64_t hosts = 0, returnees = 0;
      for (std::size_t k = 0; k < was.size(); ++k) {
        REQUIRE(was[k].size() == now[k].size());
        for (std::size_t n = 0; n < was[k].size(); ++n) {
          ((was[k][n] >> 2) >= before ? hosts : returnees) += 1;
          CHECK(now[k][n] == renumbered(was[k][n], before, after));
        }
      }
      CHECK(hosts > 0);
      CHECK(returnees > 0);
    }
    // And the branch run to its end is the same on 1 and 2 threads.
    CHECK(identical(branch_run(s, changed, g, day, 1).result,
                    branch_run(s, changed, g, day, 2).result));
  }
}

TEST_CASE("a host member's case lasts as long whatever the number of returnees", "[sim][branch]") {
  // Branches share random streams with their original: a host member's case length is
  // keyed by its district and its number there, not by its id, which follows the run's
  // total. On days with no arrivals after the branch day, the services' days are the
  // original's (the same closings, departures, waiting lists and host identifications), so
  // the cases they open close on the same days, host members' included, however many
  // returnees are to come.
  const auto g = host_geography();
  Scenario s = host_scenario(9);
  const int day = 30, quiet = 7;
  for (int d = day; d < day + quiet; ++d) s.arrivals.daily_shape[d] = 0;  // (and no intake)
  const sim::MemoryState saved = sim::simulate_until(s, g, sim::resolve_places(s, g, nullptr), day);
  // The original continued (a branch that changes nothing is the original), and the branch.
  const sim::MemoryState original = branch_state(s, s, g, saved, day, day + quiet);
  Scenario changed = s;
  changed.arrivals.total = 26000;
  const sim::MemoryState branch = branch_state(s, changed, g, saved, day, day + quiet);
  const std::int64_t before = sim::saved_first_id(saved).back();
  const std::int64_t after = sim::saved_first_id(branch).back();
  REQUIRE(after - before == 6000);
  const auto was = sim::read_lists<std::uint32_t>(original, "services/case_close");
  const auto now = sim::read_lists<std::uint32_t>(branch, "services/case_close");
  const auto then = sim::read_lists<std::uint32_t>(saved, "services/case_close");
  REQUIRE(was.size() == now.size());
  std::int64_t opened_hosts = 0;
  for (std::size_t d = 0; d < was.size(); ++d) {
    INFO("closing day " << d);
    std::vector<std::uint32_t> mapped;
    for (std::uint32_t c : was[d]) mapped.push_back(renumbered(c, before, after));
    CHECK(mapped == now[d]);
    for (std::uint32_t c : was[d])
      opened_hosts +=
          (c >> 2) >= before && std::find(then[d].begin(), then[d].end(), c) == then[d].end();
  }
  CHECK(opened_hosts > 0);  // (host members' cases opened in those days)
}

TEST_CASE("a branch moves the package budget left by its change, until it has run out",
          "[sim][branch]") {
  const auto g = property_geography();
  const Scenario s = property_scenario(8);  // USD 200,000, spent by day 27
  Scenario more = s;
  more.reintegration.budget_usd = 4e5;
  const sim::RunResult whole = run(s, g);
  REQUIRE(whole.summary.at("budget_spent") > 199000);
  const Branched b = branch_run(s, more, g, 20);
  CHECK(b.result.summary.at("budget_spent") > 300000);
  CHECK(b.result.summary.at("budget_spent") <= 4e5);
  CHECK_THROWS_WITH(branch_run(s, more, g, 45),
                    Catch::Contains("reintegration.budget_usd: the package budget ran out"));
  Scenario less = s;
  less.reintegration.budget_usd = 1e5;
  CHECK(branch_run(s, less, g, 45).result.summary.at("budget_spent") ==
        whole.summary.at("budget_spent"));
}

TEST_CASE("a branch refuses to change the past and names the key", "[sim][branch]") {
  const Scenario s = property_scenario(9);
  const std::vector<std::int64_t> first_id = [&] {
    const auto counts = sim::daily_counts(s.arrivals, s.horizon_days);
    std::vector<std::int64_t> f{0};
    for (auto c : counts) f.push_back(f.back() + c);
    return f;
  }();
  const int day = 30;
  auto refused = [&](const std::function<void(Scenario&)>& change, const std::string& message) {
    Scenario changed = s;
    change(changed);
    INFO(message);
    CHECK_THROWS_WITH(sim::plan_branch(s, first_id, changed, day), Catch::Contains(message));
  };
  refused([](Scenario& x) { x.seed = 1; }, "run.seed: changes the past");
  refused([](Scenario& x) { x.replicate = 3; }, "run.replicate: changes the past");
  refused([](Scenario& x) { x.start_date = "2026-02-01"; }, "run.start_date: changes the past");
  refused([](Scenario& x) { x.horizon_days = 120; }, "run.horizon_days: changes the past");
  refused([](Scenario& x) { x.study_provinces = {"A"}; }, "study.provinces: changes the past");
  refused([](Scenario& x) { x.entry_points[1].formal = true; },
          "entry_points.1.formal: changes the past");
  refused([](Scenario& x) { x.facilities[1].district_name = "D2"; },
          "facilities.1.district: changes the past");
  refused([](Scenario& x) { x.facilities.pop_back(); },
          "facilities: changes the past: the branch has 2 facilities, the original 3");
  refused([](Scenario& x) { x.facilities[2].opens = 10; },
          "facilities.2.opens: changes the past: 'F2' was open on day 0");
  refused([](Scenario& x) { x.facilities[2].closes = 29; },
          "facilities.2.closes: changes the past: 'F2' was open on day 29");
  refused(
      [](Scenario& x) {
        x.facilities.push_back(facility("F3", 4, 100));
        x.facilities.back().opens = 29;
      },
      "facilities.3.opens: changes the past: a facility added in a branch opens on or after the "
      "branch day, day 30 (got day 29)");
  refused([](Scenario& x) { x.services.needs.pop_back(); }, "services.needs: changes the past");
  refused([](Scenario& x) { x.initial.groups.push_back({}); }, "initial: changes the past");
  refused([](Scenario& x) { x.arrivals.total = 1000; },
          "arrivals.total: changes the past: " + std::to_string(first_id[day]) +
              " returnees crossed before the branch day, 1000 is fewer");
  refused(
      [](Scenario& x) {
        x.arrivals.total = 30000;
        std::fill(x.arrivals.daily_shape.begin() + 30, x.arrivals.daily_shape.end(), 0.0);
      },
      "arrivals.total: leaves");

  // What may change from the branch day on is taken, and listed.
  Scenario allowed = s;
  allowed.facilities[2].closes = 60;
  allowed.policies[0].stay_days = 7;
  allowed.overflow = OverflowRule::HomeQuarantine;
  allowed.entry_shares = {{0, {0.5, 0.5}}};
  allowed.services.deployed["D2"] = 3;
  allowed.reintegration.cost_individual = 250;
  allowed.demography.female = 0.5;
  const sim::Branch b = sim::plan_branch(s, first_id, allowed, day);
  CHECK(texts(b.differences) ==
        std::vector<std::string>{
            "entry_shares: from day 0: E0 0.8 informal 0.2 -> from day 0: E0 0.5 informal 0.5",
            "facilities.2.closes: never -> day 60",
            "policies: from day 0: mandatory, 14 days, entry test, exit test -> "
            "from day 0: mandatory, 7 days, entry test, exit test",
            "quarantine.overflow: \"next_nearest\" -> \"home_quarantine\"",
            "demography.female: 0.45 -> 0.5",
            "services.deployed.D2: 3 (added)",
            "reintegration.cost_individual: 300 -> 250"});
}

TEST_CASE("a branch of a branch reruns from scratch to the same results", "[sim][branch]") {
  const auto g = property_geography();
  const Scenario s0 = property_scenario(10);
  Scenario s1 = s0;
  s1.facilities[1].capacity = 100;
  Scenario s2 = s1;
  s2.facilities.push_back(facility("F3", 4, 400));
  s2.facilities.back().opens = 50;
  s2.arrivals.total = 24000;

  // By hand: each original's state in memory, each branch planned from it.
  sim::RunOptions o;
  const sim::MemoryState at20 = sim::simulate_until(s0, g, sim::resolve_places(s0, g, nullptr), 20, o);
  const sim::Branch b1 = sim::plan_branch(s0, sim::saved_first_id(at20), s1, 20);
  const sim::Places p1 = sim::resolve_places(b1.scenario, g, nullptr);
  o.start = &at20;
  const sim::MemoryState at40 = sim::simulate_until(b1.scenario, g, p1, 40, o);
  const sim::Branch b2 = sim::plan_branch(s1, sim::saved_first_id(at40), s2, 40);
  const sim::Places p2 = sim::resolve_places(b2.scenario, g, nullptr);
  o.start = &at40;
  const sim::RunResult direct = sim::simulate(b2.scenario, g, p2, o);
  CHECK(direct.agents == 24000);

  const sim::RunResult rerun =
      sim::simulate_lineage({{s0, 20}, {s1, 40}, {s2, 0}}, g, nullptr, sim::RunOptions{});
  CHECK(identical(direct, rerun));
}
