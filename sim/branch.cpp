// What a branch may change, its differences and the scenario it runs (see branch.h).
#include "sim/branch.h"

#include <algorithm>
#include <stdexcept>

#include "base/text.h"
#include "sim/memory_state.h"
#include "sim/places.h"
#include "sim/world.h"

namespace rfsim::sim {

std::string Difference::text() const {
  return key + ": " + (before.empty() ? after + " (added)" : before + " -> " + after);
}

namespace {

using text::exact_number;

std::string show(double v) { return exact_number(v); }
std::string show(int v) { return std::to_string(v); }
std::string show(std::int64_t v) { return std::to_string(v); }
std::string show(std::uint64_t v) { return std::to_string(v); }
std::string show(bool v) { return v ? "true" : "false"; }
std::string show(const std::string& v) { return text::quoted(v); }
std::string show(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const auto& s : v) out += (out.size() > 1 ? ", " : "") + text::quoted(s);
  return out + "]";
}
std::string show(const std::vector<double>& v) {
  if (v.size() > 8) {
    double sum = 0;
    for (double x : v) sum += x;
    return "[" + std::to_string(v.size()) + " values, sum " + exact_number(sum) + "]";
  }
  std::string out = "[";
  for (double x : v) out += (out.size() > 1 ? ", " : "") + exact_number(x);
  return out + "]";
}
/// The name of a choice (the enum's value is its index among the key's choices).
template <class Enum>
std::string choice(Enum e, const params::Param& key) {
  return text::quoted(params::choices(key).at(static_cast<std::size_t>(e)));
}

/// Compares an original scenario with its branch value by value, recording what differs and
/// refusing what would change the past.
class Comparison {
 public:
  Comparison(const Scenario& original, const Scenario& changed, int day)
      : a_(original), b_(changed), day_(day) {}

  /// Records `key` if the texts differ; returns whether they do.
  bool note(const std::string& key, const std::string& before, const std::string& after) {
    if (before == after) return false;
    out_.push_back({key, before, after});
    return true;
  }
  template <class T>
  bool value(const std::string& key, const T& before, const T& after) {
    return !(before == after) && note(key, show(before), show(after));
  }
  /// A day of the scenario, shown as its date.
  bool date(const std::string& key, Day before, Day after) {
    return before != after && note(key, day_text(a_, before), day_text(b_, after));
  }
  /// Refuses a change to the past at `key`; `why` says why it is the past, and what may be
  /// done instead.
  [[noreturn]] void past(const std::string& key, const std::string& why) const {
    throw b_.key_error(key, "changes the past: " + why);
  }
  template <class T>
  void fixed(const std::string& key, const T& before, const T& after, const std::string& why) {
    if (!(before == after))
      past(key, why + " (" + show(before) + " in the original, " + show(after) + " in the branch)");
  }
  /// "day 30 (2026-02-04)", or "day 30" without a start date.
  std::string when(Day d) const {
    const std::string date = b_.date_of(d);
    return date.starts_with("day ") ? date : "day " + std::to_string(d) + " (" + date + ")";
  }
  std::string branch_day() const { return when(day_); }
  int day() const { return day_; }
  std::vector<Difference> take() { return std::move(out_); }

 private:
  static std::string day_text(const Scenario& s, Day d) {
    return d >= s.horizon_days ? "never" : s.date_of(d);
  }
  const Scenario& a_;
  const Scenario& b_;
  int day_;
  std::vector<Difference> out_;
};

void compare_run(Comparison& c, const Scenario& a, const Scenario& b) {
  c.value("run.name", a.name, b.name);
  c.value("run.description", a.description, b.description);
  const std::string fixed = "it is fixed for the whole run";
  c.fixed("run.start_date", a.start_date, b.start_date, fixed);
  c.fixed("run.horizon_days", a.horizon_days, b.horizon_days,
          "events were already scheduled within the original's horizon");
  c.fixed("run.seed", a.seed, b.seed, fixed + ", so that a branch draws its original's random numbers");
  c.fixed("run.replicate", a.replicate, b.replicate, fixed);
  c.fixed("study.provinces", a.study_provinces, b.study_provinces, "the study area is " + fixed);
}

void compare_places(Comparison& c, const Scenario& a, const Scenario& b) {
  const std::string entry_why = "returnees crossed at the entry points (change entry_shares)";
  c.fixed("entry_points", a.entry_points.size(), b.entry_points.size(), entry_why);
  for (std::size_t e = 0; e < a.entry_points.size(); ++e) {
    const EntryPoint &x = a.entry_points[e], &y = b.entry_points[e];
    const std::string key = "entry_points." + std::to_string(e);
    c.fixed(key + ".name", x.name, y.name, entry_why);
    c.fixed(key + ".formal", x.formal, y.formal, entry_why);
    c.fixed(key + ".district", x.district_name, y.district_name, entry_why);
    c.fixed(key + ".lon", x.lon, y.lon, entry_why);
    c.fixed(key + ".lat", x.lat, y.lat, entry_why);
  }
  auto shares = [](const Scenario& s) {
    std::string out;
    for (const EntrySharePeriod& p : s.entry_shares) {
      out += (out.empty() ? "" : "; ") + std::string("from ") + s.date_of(p.from) + ":";
      for (std::size_t e = 0; e < p.shares.size() && e < s.entry_points.size(); ++e)
        out += " " + s.entry_points[e].name + " " + exact_number(p.shares[e]);
    }
    return out;
  };
  c.note("entry_shares", shares(a), shares(b));

  if (b.facilities.size() < a.facilities.size())
    c.past("facilities", "the branch has " + std::to_string(b.facilities.size()) +
                             " facilities, the original " + std::to_string(a.facilities.size()) +
                             "; a branch keeps them all (close one from the branch day on with "
                             "facilities.N.closes)");
  const std::string place_why = "returnees stayed there (add a facility instead)";
  for (std::size_t f = 0; f < b.facilities.size(); ++f) {
    const Facility& y = b.facilities[f];
    const std::string key = "facilities." + std::to_string(f);
    if (f >= a.facilities.size()) {
      if (y.opens < c.day())
        c.past(key + ".opens", "a facility added in a branch opens on or after the branch day, " +
                                   c.branch_day() + " (got " + b.date_of(y.opens) + ")");
      c.note(key, "", show(y.name) + ", " + std::to_string(y.capacity) + " beds in " +
                          (y.has_coordinates ? exact_number(y.lon) + " E " + exact_number(y.lat) + " N"
                                             : y.district_name) +
                          ", open from " + b.date_of(y.opens));
      continue;
    }
    const Facility& x = a.facilities[f];
    c.fixed(key + ".name", x.name, y.name, place_why);
    c.fixed(key + ".district", x.district_name, y.district_name, place_why);
    c.fixed(key + ".lon", x.lon, y.lon, place_why);
    c.fixed(key + ".lat", x.lat, y.lat, place_why);
    c.value(key + ".capacity", x.capacity, y.capacity);
    // Whether it was open on each day before the branch day is the past.
    for (Day d = 0; d < c.day(); ++d) {
      const bool was = x.opens <= d && d < x.closes, is = y.opens <= d && d < y.closes;
      if (was != is)
        c.past(key + (x.opens != y.opens ? ".opens" : ".closes"),
               "'" + y.name + "' was " + (was ? "open" : "closed") + " on " + c.when(d) +
                   "; its dates may change only from the branch day, " + c.branch_day());
    }
    c.date(key + ".opens", x.opens, y.opens);
    c.date(key + ".closes", x.closes, y.closes);
  }
}

void compare_quarantine(Comparison& c, const Scenario& a, const Scenario& b) {
  auto periods = [](const Scenario& s) {
    std::string out;
    for (const PolicyPeriod& p : s.policies)
      out += (out.empty() ? "" : "; ") + std::string("from ") + s.date_of(p.from) + ": " +
             params::choices(params::param("quarantine.mode")).at(static_cast<int>(p.mode)) +
             ", " + std::to_string(p.stay_days) + " days" + (p.test_at_entry ? ", entry test" : "") +
             (p.test_at_exit ? ", exit test" : "");
    return out;
  };
  c.note("policies", periods(a), periods(b));
  if (a.assignment != b.assignment)
    c.note("quarantine.assignment", choice(a.assignment, params::param("quarantine.assignment")),
           choice(b.assignment, params::param("quarantine.assignment")));
  if (a.overflow != b.overflow)
    c.note("quarantine.overflow", choice(a.overflow, params::param("quarantine.overflow")),
           choice(b.overflow, params::param("quarantine.overflow")));
  c.value("quarantine.overcrowd_factor", a.overcrowd_factor, b.overcrowd_factor);
}

void compare_arrivals(Comparison& c, const Arrivals& a, const Arrivals& b) {
  c.value("arrivals.total", a.total, b.total);
  c.value("arrivals.kind", a.kind, b.kind);
  c.value("arrivals.daily", a.daily_shape, b.daily_shape);
  if (a.daily_shape.empty() && b.daily_shape.empty()) {
    c.date("arrivals.surge_start", a.surge_start, b.surge_start);
    c.date("arrivals.surge_peak", a.surge_peak, b.surge_peak);
    c.value("arrivals.decay_days", a.decay_days, b.decay_days);
  }
}

template <class Map>
void compare_map(Comparison& c, const std::string& key, const Map& a, const Map& b) {
  for (const auto& [name, v] : a) {
    const auto it = b.find(name);
    c.note(key + "." + name, show(v), it == b.end() ? "(none)" : show(it->second));
  }
  for (const auto& [name, v] : b)
    if (!a.contains(name)) c.note(key + "." + name, "", show(v));
}

/// c.value("SECTION.FIELD", x.FIELD, y.FIELD): a field compared under its key.
#define SAME_KEY(section, field) c.value(section "." #field, x.field, y.field)

void compare_people(Comparison& c, const Scenario& a, const Scenario& b) {
  compare_map(c, "home.province_share", a.home.province_share, b.home.province_share);
  compare_map(c, "home.district_weight", a.home.district_weight, b.home.district_weight);
  const Demography &x = a.demography, &y = b.demography;
  SAME_KEY("demography", female);
  SAME_KEY("demography", age_band_share);
  SAME_KEY("demography", pregnant_given_female_adult);
  SAME_KEY("demography", with_children);
  SAME_KEY("demography", gbv_risk_given_female);
  SAME_KEY("demography", mental_health_need);
  SAME_KEY("demography", disability);
  SAME_KEY("demography", woman_headed_given_female_adult);
}

void compare_infection(Comparison& c, const Scenario& a, const Scenario& b) {
  const rfsim::Infection &x = a.infection, &y = b.infection;
  auto steps = [](const Scenario& s, const StepSeries& series) {
    std::string out;
    for (const StepSeries::Step& st : series.steps)
      out += (out.empty() ? "" : "; ") + std::string("from ") + s.date_of(st.day) + ": " +
             exact_number(st.value);
    return out;
  };
  c.note("infection.prevalence", steps(a, x.prevalence), steps(b, y.prevalence));
  SAME_KEY("infection", latent_days);
  SAME_KEY("infection", infectious_days);
  SAME_KEY("infection", symptomatic);
  SAME_KEY("infection", test_sensitivity);
  SAME_KEY("infection", informal_detection);
  SAME_KEY("infection", facility_beta);
  SAME_KEY("infection", crowding_exponent);
  SAME_KEY("infection", isolation_days);
  if (x.isolation_release != y.isolation_release)
    c.note("infection.isolation_release",
           choice(x.isolation_release, params::param("infection.isolation_release")),
           choice(y.isolation_release, params::param("infection.isolation_release")));
  SAME_KEY("infection", retest_days);
  c.value("travel.speed_km_per_day", a.travel.speed_km_per_day, b.travel.speed_km_per_day);
}

void compare_services(Comparison& c, const Scenario& a, const Scenario& b) {
  const rfsim::Services &x = a.services, &y = b.services;
  auto names = [](const rfsim::Services& s) {
    std::vector<std::string> n;
    for (const NeedKind& k : s.needs) n.push_back(k.name);
    return n;
  };
  c.fixed("services.needs", names(x), names(y),
          "open cases and waiting lists are kept by kind of need");
  for (std::size_t k = 0; k < x.needs.size(); ++k) {
    const NeedKind &p = x.needs[k], &q = y.needs[k];
    const std::string key = "services.needs." + p.name;
    c.value(key + ".identify_at_intake", p.identify_at_intake, q.identify_at_intake);
    c.value(key + ".identify_with_worker", p.identify_with_worker, q.identify_with_worker);
    c.value(key + ".identify_without_worker", p.identify_without_worker, q.identify_without_worker);
    c.value(key + ".case_days", p.case_days, q.case_days);
  }
  SAME_KEY("services", caseload_per_worker);
  SAME_KEY("services", referral_rate);
  SAME_KEY("services", full_coverage_workers_per_commune);
  compare_map(c, "services.deployed", x.deployed, y.deployed);
  SAME_KEY("services", additional_workers);
  SAME_KEY("services", deploy_districts);
  SAME_KEY("services", deploy_min_per_district);
  SAME_KEY("services", deploy_max_per_district);
  SAME_KEY("services", vulnerable_target);
}

/// Host communities, information and costs (the programme's components).
void compare_programme(Comparison& c, const Scenario& a, const Scenario& b) {
  {
    const rfsim::Host &x = a.host, &y = b.host;
    c.fixed("host.need_share", x.need_share, y.need_share,
            "the host-community members in need were counted on day 0");
    SAME_KEY("host", identify_with_worker);
    SAME_KEY("host", identify_without_worker);
  }
  {
    const rfsim::Information &x = a.information, &y = b.information;
    SAME_KEY("information", reach_formal);
    SAME_KEY("information", reach_informal);
    SAME_KEY("information", outreach_teams);
    SAME_KEY("information", reach_per_team);
    SAME_KEY("information", reach_in_facility);
    SAME_KEY("information", home_quarantine_compliance_reached);
    SAME_KEY("information", home_quarantine_compliance_unreached);
    SAME_KEY("information", care_seeking_ratio);
    SAME_KEY("information", remigration_ratio);
  }
  // Prices, the envelope and who pays are read for the whole run at once: a branch keeps
  // its original's (what differs from the branch day on is what is bought).
  const std::string prices = "costs are reported for the whole run at one set of prices";
  const rfsim::Costs &x = a.costs, &y = b.costs;
  c.fixed("costs.bed_day", x.bed_day, y.bed_day, prices);
  c.fixed("costs.test", x.test, y.test, prices);
  c.fixed("costs.transport", x.transport, y.transport, prices);
  c.fixed("costs.isolation_day", x.isolation_day, y.isolation_day, prices);
  c.fixed("costs.information_person", x.information_person, y.information_person, prices);
  c.fixed("costs.outreach_team_week", x.outreach_team_week, y.outreach_team_week, prices);
  c.fixed("costs.worker_week", x.worker_week, y.worker_week, prices);
  c.fixed("costs.management_share", x.management_share, y.management_share, prices);
  c.fixed("costs.envelope_usd", x.envelope_usd, y.envelope_usd, prices);
  c.fixed("costs.envelope_covers", x.envelope_covers, y.envelope_covers, prices);
  if (x.government_share != y.government_share) c.past("costs.government_share", prices);
}

void compare_reintegration(Comparison& c, const rfsim::Reintegration& x,
                           const rfsim::Reintegration& y) {
  SAME_KEY("reintegration", budget_usd);
  SAME_KEY("reintegration", cost_individual);
  SAME_KEY("reintegration", cost_community);
  SAME_KEY("reintegration", community_share);
  SAME_KEY("reintegration", delivery_per_week);
  SAME_KEY("reintegration", eligibility_min_vulnerabilities);
  SAME_KEY("reintegration", remigration_hazard);
  SAME_KEY("reintegration", package_hazard_ratio);
}

void compare_initial(Comparison& c, const InitialState& a, const InitialState& b) {
  auto groups = [](const InitialState& s) {
    std::vector<InitialGroup> g = s.groups;
    for (InitialGroup& x : g) x.row = 0;  // where they were read from
    return g;
  };
  if (groups(a) != groups(b))
    c.past("initial", "the returnees already there on day 0 took their places then");
}

/// Daily arrivals of a run from its first_id.
std::vector<std::int64_t> daily(const std::vector<std::int64_t>& first_id) {
  std::vector<std::int64_t> counts(first_id.size() - 1);
  for (std::size_t d = 0; d + 1 < first_id.size(); ++d) counts[d] = first_id[d + 1] - first_id[d];
  return counts;
}

/// The branch's daily arrivals: the original's before the branch day; from it on, the
/// original's when the arrivals are unchanged, else what the branch's total leaves spread
/// over the branch's curve.
std::vector<std::int64_t> branch_arrivals(const Scenario& original,
                                          const std::vector<std::int64_t>& first_id,
                                          const Scenario& changed, int day) {
  std::vector<std::int64_t> counts = daily(first_id);
  Arrivals a = original.arrivals, b = changed.arrivals;
  a.table_path = b.table_path = "";  // where they were read from
  if (a == b) return counts;
  const int H = changed.horizon_days;
  const std::int64_t before = first_id[day] - first_id[0];
  const std::int64_t rest = changed.arrivals.total - before;
  if (rest < 0)
    throw changed.key_error("arrivals.total",
                            "changes the past: " + std::to_string(before) +
                                " returnees crossed before the branch day, " +
                                std::to_string(changed.arrivals.total) + " is fewer");
  std::vector<double> shape = changed.arrivals.shape(H);
  shape.resize(H, 0.0);
  Arrivals later;
  later.total = rest;
  later.daily_shape.assign(shape.begin() + day, shape.end());
  double weight = 0;
  for (double w : later.daily_shape) weight += std::max(0.0, w);
  if (rest > 0 && !(weight > 0))
    throw changed.key_error(
        "arrivals.total", "leaves " + std::to_string(rest) +
                              " returnees to come from the branch day on, but the branch's "
                              "arrival curve has no arrivals after " +
                              changed.date_of(day - 1));
  const std::vector<std::int64_t> future = daily_counts(later, H - day);
  std::copy(future.begin(), future.end(), counts.begin() + day);
  return counts;
}

#undef SAME_KEY

}  // namespace

Scenario with_arrivals(const Scenario& scenario, const std::vector<std::int64_t>& first_id) {
  if (first_id.size() != static_cast<std::size_t>(scenario.horizon_days) + 1)
    throw std::invalid_argument("with_arrivals: arrivals of another horizon");
  Scenario s = scenario;
  const std::vector<std::int64_t> counts = daily(first_id);
  s.arrivals.kind = "table";
  s.arrivals.table_path.clear();
  s.arrivals.daily_shape.assign(counts.begin(), counts.end());
  s.arrivals.total = first_id.back() - first_id.front();
  // Integer counts summing to the total come back unchanged from the largest remainder.
  if (daily_counts(s.arrivals, s.horizon_days) != counts)
    throw std::logic_error("with_arrivals: the daily counts do not round-trip");
  return s;
}

Branch plan_branch(const Scenario& original, const std::vector<std::int64_t>& original_first_id,
                   const Scenario& changed, int day) {
  Comparison c(original, changed, day);
  compare_run(c, original, changed);  // the horizon first: every later check relies on it
  if (day <= 0 || day >= changed.horizon_days)
    throw std::invalid_argument("a branch day must lie inside the horizon, 1 to " +
                                std::to_string(changed.horizon_days - 1) + " (got " +
                                std::to_string(day) + ")");
  if (original_first_id.size() != static_cast<std::size_t>(original.horizon_days) + 1)
    throw std::invalid_argument("the original's arrivals cover another horizon");
  compare_places(c, original, changed);
  compare_quarantine(c, original, changed);
  compare_arrivals(c, original.arrivals, changed.arrivals);
  compare_people(c, original, changed);
  compare_infection(c, original, changed);
  compare_services(c, original, changed);
  compare_programme(c, original, changed);
  compare_reintegration(c, original.reintegration, changed.reintegration);
  compare_initial(c, original.initial, changed.initial);

  std::vector<std::int64_t> counts = branch_arrivals(original, original_first_id, changed, day);
  std::vector<std::int64_t> first_id(counts.size() + 1, original_first_id.front());
  for (std::size_t d = 0; d < counts.size(); ++d) first_id[d + 1] = first_id[d] + counts[d];
  return {with_arrivals(changed, first_id), c.take()};
}

RunResult simulate_lineage(const std::vector<Stage>& stages, const geo::Geography& geography,
                           const geo::Locator* locator, const RunOptions& options,
                           const std::vector<int>& extra_workers) {
  const auto places_of = [&](const Scenario& s) {
    Places p;
    // (one at a time: the optimiser runs lineages in parallel, and the locator is GDAL's)
#pragma omp critical(rfsim_resolve_places)
    p = resolve_places(s, geography, locator);
    for (std::size_t d = 0; d < extra_workers.size(); ++d) p.deployed_workers[d] += extra_workers[d];
    return p;
  };
  if (stages.empty()) throw std::invalid_argument("simulate_lineage: no stage");
  RunOptions before;
  before.threads = options.threads;
  before.stop = options.stop;
  Scenario runs = stages.front().scenario;  // what the model runs: arrivals made explicit
  MemoryState state;
  for (std::size_t k = 0; k + 1 < stages.size(); ++k) {
    const int day = stages[k].branch_day;
    const Places places = places_of(runs);
    before.start = k > 0 ? &state : nullptr;
    MemoryState next = simulate_until(runs, geography, places, day, before);
    runs = plan_branch(stages[k].scenario, saved_first_id(next), stages[k + 1].scenario, day).scenario;
    state = std::move(next);
  }
  const Places places = places_of(runs);
  RunOptions last = options;
  last.start = stages.size() > 1 ? &state : nullptr;
  return simulate(runs, geography, places, last);
}

}  // namespace rfsim::sim
