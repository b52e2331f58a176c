// Loading a scenario: parse the TOML file, apply --set overrides, read every section
// through checked getters (scenarios/toml_reader.h) and build the Scenario the engine
// reads. The keys, their defaults and units are documented in scenarios/README.md.
#include "scenarios/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <numeric>
#include <set>
#include <sstream>

#include "scenarios/arrivals.h"
#include "base/text.h"
#include "scenarios/toml_reader.h"

namespace rfsim {

using scenario_detail::Context;
using scenario_detail::DayRange;
using scenario_detail::Table;
namespace fs = std::filesystem;
using text::format_number;


double StepSeries::at(Day d) const {
  double value = steps.empty() ? 0.0 : steps.front().value;
  for (const Step& s : steps) {
    if (s.day > d) break;
    value = s.value;
  }
  return value;
}

std::vector<double> Arrivals::shape(int horizon) const {
  if (!daily_shape.empty()) return daily_shape;
  return scenario_detail::surge_shape(horizon, surge_start, surge_peak, decay_days);
}

const PolicyPeriod& Scenario::policy_at(Day d) const {
  static const PolicyPeriod kDefault{};
  if (policies.empty()) return kDefault;
  const PolicyPeriod* current = &policies.front();
  for (const PolicyPeriod& p : policies) {
    if (p.from > d) break;
    current = &p;
  }
  return *current;
}

ScenarioError Scenario::key_error(const std::string& key, const std::string& message) const {
  const auto it = key_lines.find(key);
  std::string where = source_path;
  if (it != key_lines.end())
    where = it->second > 0 ? where + ":" + std::to_string(it->second) : std::string("--set");
  return ScenarioError(where + ": " + key + ": " + message);
}

std::string Scenario::date_of(Day d) const {
  const auto start = scenario_detail::parse_iso_date(start_date);
  return start ? scenario_detail::civil_from_days(*start + d) : "day " + std::to_string(d);
}

namespace {

constexpr double kShareTolerance = 1e-6;
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
constexpr int kMaxHorizon = 3650;
/// The engine numbers agents with 30-bit ids (sim/engine.cpp).
constexpr std::int64_t kMaxReturnees = (std::int64_t{1} << 30) - 1;

/// The 25 provinces of Cambodia, spelled as geo::canonical_province spells them.
const std::vector<std::string>& canonical_provinces() {
  static const std::vector<std::string> names = {"Banteay Meanchey", "Battambang",   "Kampong Cham",
                                                 "Kampong Chhnang",  "Kampong Speu", "Kampong Thom",
                                                 "Kampot",           "Kandal",       "Kep",
                                                 "Koh Kong",         "Kratie",       "Mondulkiri",
                                                 "Oddar Meanchey",   "Pailin",       "Phnom Penh",
                                                 "Preah Sihanouk",   "Preah Vihear", "Prey Veng",
                                                 "Pursat",           "Ratanakiri",   "Siem Reap",
                                                 "Stung Treng",      "Svay Rieng",   "Takeo",
                                                 "Tbong Khmum"};
  return names;
}

/// A regular file; false (never an exception) for paths too long or otherwise unusable.
bool is_readable_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string guess = text::nearest(word, candidates);
  return guess.empty() ? "" : "; did you mean " + text::quoted(guess) + "?";
}

/// A table of name = number entries, each number in [min, max].
std::map<std::string, double> read_named_numbers(Table& table, double min, double max,
                                                 const std::string& what) {
  std::map<std::string, double> out;
  for (const std::string& name : table.present_keys())
    out[name] = *table.number(name, min, max, what);
  return out;
}

/// Values of a share table must sum to 1.
void check_sum(Table& parent, std::string_view key, const std::map<std::string, double>& shares) {
  double sum = 0;
  for (const auto& [name, share] : shares) sum += share;
  if (std::abs(sum - 1.0) > kShareTolerance)
    parent.fail(key, "expected shares summing to 1 (got " + format_number(sum) + ")");
}

/// Location of an entry point or facility: lon and lat, or a district name.
void read_location(Table& t, double& lon, double& lat, bool& has_coordinates,
                   std::string& district) {
  const auto x = t.number("lon", 102.0, 108.0, "a longitude in Cambodia (102 to 108 degrees E)");
  const auto y = t.number("lat", 10.0, 15.0, "a latitude in Cambodia (10 to 15 degrees N)");
  const auto d = t.string("district");
  if (x.has_value() != y.has_value())
    t.fail_missing(x ? "lat" : "lon", "expected both lon and lat");
  if (x && d) t.fail("district", "expected either lon/lat or district, not both");
  if (!x && !d) t.fail_missing("district", "expected lon and lat, or district");
  if (d && d->empty()) t.fail("district", "expected a district name (got an empty string)");
  has_coordinates = x.has_value();
  if (x) lon = *x, lat = *y;
  if (d) district = *d;
}

std::string read_name(Table& t, std::set<std::string>& used, const std::string& what) {
  const auto name = t.string("name");
  if (!name) t.fail_missing("name", "expected the " + what + "'s name");
  if (name->empty()) t.fail("name", "expected a non-empty name (got an empty string)");
  if (!used.insert(*name).second)
    t.fail("name", "expected a unique " + what + " name (got " + text::quoted(*name) + " again)");
  return *name;
}

/// `from` of the i-th dated period: the first starts on day 0, later ones strictly later.
Day read_from(Table& t, std::size_t index, Day previous, int horizon) {
  if (index > 0 && !t.has("from")) t.fail_missing("from", "expected a date");
  const Day from = t.date("from", 0, DayRange{0, horizon - 1});
  if (index == 0 && from != 0)
    t.fail("from", "expected the first period to start on run.start_date");
  if (index > 0 && from <= previous) t.fail("from", "expected a date after the previous period's");
  return from;
}

struct Loader {
  Context& ctx;
  Table& root;
  Scenario& s;
  fs::path base;  // directory of the scenario file

  void run() {
    Table run = root.section("run");
    s.name = run.string("name", fs::path(s.source_path).stem().string());
    s.description = run.string("description", "");
    const auto start = run.node("start_date");
    if (!start) run.fail_missing("start_date", "expected a date \"YYYY-MM-DD\"");
    std::optional<std::int64_t> epoch;
    if (const auto* d = start->as_date())
      epoch = scenario_detail::days_from_civil(d->get().year, d->get().month, d->get().day);
    else if (const auto* str = start->as_string())
      epoch = scenario_detail::parse_iso_date(str->get());
    if (!epoch)
      run.fail("start_date",
               "expected a date \"YYYY-MM-DD\" (got " + scenario_detail::describe(*start) + ")");
    ctx.epoch = *epoch;
    s.start_date = scenario_detail::civil_from_days(*epoch);
    s.horizon_days = static_cast<int>(run.integer("horizon_days", 365, 1, kMaxHorizon));
    ctx.horizon = s.horizon_days;
    s.seed = static_cast<std::uint64_t>(run.integer("seed", 1, 0, kMaxInt));
    s.replicate = static_cast<int>(run.integer("replicate", 0, 0, 1 << 30));
    run.finish();
  }

  void study() {
    auto t = root.table("study");
    if (!t) return;
    if (const toml::array* provinces = t->array("provinces")) {
      if (provinces->empty()) t->fail("provinces", "expected at least one province");
      s.study_provinces.clear();
      for (std::size_t i = 0; i < provinces->size(); ++i) {
        const toml::node& n = (*provinces)[i];
        const std::string key = "study.provinces." + std::to_string(i);
        ctx.record(key, n.source());
        if (!n.is_string())
          ctx.fail(n.source(), key,
                   "expected a province name (got " + scenario_detail::describe(n) + ")");
        const std::string name = n.as_string()->get();
        const auto& known = canonical_provinces();
        if (std::find(known.begin(), known.end(), name) == known.end())
          ctx.fail(n.source(), key,
                   "expected a Cambodian province name (got " + text::quoted(name) + ")" +
                       did_you_mean(name, known));
        if (std::find(s.study_provinces.begin(), s.study_provinces.end(), name) !=
            s.study_provinces.end())
          ctx.fail(n.source(), key, "expected each province once (got " + text::quoted(name) + " again)");
        s.study_provinces.push_back(name);
      }
    }
    t->finish();
  }

  void data() {
    Table data = root.section("data");
    fs::path dir;
    if (const auto d = data.string("dir"))
      dir = base / *d;
    else if (const char* env = std::getenv("RFSIM_DATA"); env && *env)
      dir = env;
    else
      dir = "data";
    s.data_dir = dir.lexically_normal().string();
    auto file = [&](const char* key, const char* fallback) {
      return (dir / data.string(key, fallback)).lexically_normal().string();
    };
    s.adm1_file = file("adm1_file", "geoBoundaries-KHM-ADM1-simplified.geojson");
    s.adm2_file = file("adm2_file", "geoBoundaries-KHM-ADM2-simplified.geojson");
    s.villages_file = file("villages_file", "nis-census-2008-villages.csv");
    data.finish();
  }

  void entry_points() {
    std::set<std::string> names;
    for (Table& t : root.tables("entry_points")) {
      EntryPoint e;
      e.name = read_name(t, names, "entry point");
      e.formal = t.boolean("formal", true);
      read_location(t, e.lon, e.lat, e.has_coordinates, e.district_name);
      t.finish();
      s.entry_points.push_back(std::move(e));
    }
    if (s.entry_points.empty())
      root.fail_missing("entry_points", "expected at least one [[entry_points]]");
  }

  void entry_shares() {
    std::vector<std::string> names;
    for (const auto& e : s.entry_points) names.push_back(e.name);
    auto periods = root.tables("entry_shares");
    Day previous = -1;
    for (std::size_t i = 0; i < periods.size(); ++i) {
      Table& t = periods[i];
      EntrySharePeriod p;
      p.from = previous = read_from(t, i, previous, s.horizon_days);
      auto shares = t.table("shares");
      if (!shares) t.fail_missing("shares", "expected a table of entry point = share");
      for (const std::string& name : shares->present_keys())
        if (std::find(names.begin(), names.end(), name) == names.end())
          shares->fail(name, "expected the name of an [[entry_points]] (got " + text::quoted(name) + ")" +
                                 did_you_mean(name, names));
      const auto values = read_named_numbers(*shares, 0.0, 1.0, "a share from 0 to 1");
      check_sum(t, "shares", values);
      for (const std::string& name : names) {
        const auto it = values.find(name);
        p.shares.push_back(it == values.end() ? 0.0 : it->second);
      }
      shares->finish();
      t.finish();
      s.entry_shares.push_back(std::move(p));
    }
    if (s.entry_shares.empty()) {
      const double equal = 1.0 / static_cast<double>(s.entry_points.size());
      s.entry_shares.push_back({0, std::vector<double>(s.entry_points.size(), equal)});
    }
  }

  void facilities() {
    std::set<std::string> names;
    for (Table& t : root.tables("facilities")) {
      Facility f;
      f.name = read_name(t, names, "facility");
      read_location(t, f.lon, f.lat, f.has_coordinates, f.district_name);
      const auto capacity = t.integer("capacity", 1, 10'000'000);
      if (!capacity) t.fail_missing("capacity", "expected the number of beds, an integer >= 1");
      f.capacity = static_cast<int>(*capacity);
      f.opens = t.date("opens", 0, DayRange{0, s.horizon_days - 1});
      if (const auto closes = t.date("closes", DayRange{f.opens + 1, s.horizon_days}))
        f.closes = *closes;
      t.finish();
      s.facilities.push_back(std::move(f));
    }
  }

  void quarantine() {
    Table t = root.section("quarantine");
    const std::string assignment =
        t.choice("assignment", "nearest_free", {"nearest_free", "home_district_first"});
    s.assignment = assignment == "nearest_free" ? AssignmentRule::NearestFree
                                                : AssignmentRule::HomeDistrictFirst;
    const std::string overflow =
        t.choice("overflow", "next_nearest", {"next_nearest", "home_quarantine", "wait"});
    s.overflow = overflow == "next_nearest"      ? OverflowRule::NextNearest
                 : overflow == "home_quarantine" ? OverflowRule::HomeQuarantine
                                                 : OverflowRule::Wait;
    // [quarantine] holds the defaults of every [[policy]] period.
    const PolicyPeriod defaults = read_policy(t, PolicyPeriod{});
    t.finish();

    auto periods = root.tables("policy");
    Day previous = -1;
    for (std::size_t i = 0; i < periods.size(); ++i) {
      PolicyPeriod p = read_policy(periods[i], defaults);
      p.from = previous = read_from(periods[i], i, previous, s.horizon_days);
      periods[i].finish();
      s.policies.push_back(p);
    }
    if (s.policies.empty()) s.policies.push_back(defaults);
  }

  static PolicyPeriod read_policy(Table& t, const PolicyPeriod& defaults) {
    static const std::vector<std::string> modes = {"none", "symptomatic", "mandatory"};
    PolicyPeriod p = defaults;
    const std::string current = modes[static_cast<int>(defaults.mode)];
    p.mode = static_cast<QuarantineMode>(
        std::find(modes.begin(), modes.end(), t.choice("mode", current, modes)) - modes.begin());
    p.stay_days = static_cast<int>(t.integer("stay_days", defaults.stay_days, 1, 365));
    p.test_at_entry = t.boolean("test_at_entry", defaults.test_at_entry);
    p.test_at_exit = t.boolean("test_at_exit", defaults.test_at_exit);
    return p;
  }

  /// Returns the arrivals table file read (empty if none), to inline it in resolved_toml.
  std::string arrivals() {
    auto section = root.table("arrivals");
    if (!section) root.fail_missing("arrivals", "expected an [arrivals] table with total");
    Table& t = *section;
    Arrivals& a = s.arrivals;
    const bool tabular = t.has("table") || t.has("daily");
    a.kind = t.choice("kind", tabular ? "table" : "surge", {"surge", "table"});
    const auto total = t.integer("total", 1, kMaxReturnees);
    const int horizon = s.horizon_days;
    std::string csv;

    if (a.kind == "surge") {
      for (const char* key : {"table", "daily"})
        if (t.has(key)) t.fail(key, "expected no " + std::string(key) + " with kind = \"surge\"");
      if (!total) t.fail_missing("total", "expected the number of returnees, an integer >= 1");
      a.surge_start = t.date("surge_start", 0, DayRange{0, horizon - 1});
      a.surge_peak = t.date("surge_peak", std::min(a.surge_start + 7, horizon - 1),
                            DayRange{a.surge_start, horizon - 1});
      a.decay_days = t.number("decay_days", 14, 1e-3, 1e6, "a number of days > 0");
      a.daily_shape =
          scenario_detail::surge_shape(horizon, a.surge_start, a.surge_peak, a.decay_days);
    } else {
      for (const char* key : {"surge_start", "surge_peak", "decay_days"})
        if (t.has(key)) t.fail(key, "expected no " + std::string(key) + " with kind = \"table\"");
      const auto table = t.string("table");
      const toml::array* daily = t.array("daily");
      if (table && daily) t.fail("daily", "expected either table or daily, not both");
      if (table) {
        a.table_path = (base / *table).lexically_normal().string();
        csv = a.table_path;
        if (!is_readable_file(a.table_path))
          t.fail("table", "expected a CSV file of date,count (got " + text::quoted(*table) +
                              ", not found at " + a.table_path + ")");
        a.daily_shape = scenario_detail::read_daily_counts(a.table_path, ctx.epoch, horizon);
      } else if (daily) {
        if (daily->size() > static_cast<std::size_t>(horizon))
          t.fail("daily", "expected at most horizon_days = " + std::to_string(horizon) +
                              " daily counts (got " + std::to_string(daily->size()) + ")");
        a.daily_shape.assign(static_cast<std::size_t>(horizon), 0.0);
        for (std::size_t i = 0; i < daily->size(); ++i) {
          const toml::node& n = (*daily)[i];
          const double v = n.value<double>().value_or(-1.0);
          if (!n.is_number() || v < 0 || !std::isfinite(v))
            ctx.fail(n.source(), "arrivals.daily." + std::to_string(i),
                     "expected a count >= 0 (got " + scenario_detail::describe(n) + ")");
          a.daily_shape[i] = v;
        }
      } else {
        t.fail_missing("table", "expected table (a CSV file) or daily (an array of counts)");
      }
    }
    const double sum = std::accumulate(a.daily_shape.begin(), a.daily_shape.end(), 0.0);
    const char* source = a.kind == "surge" ? "surge_start" : (t.has("table") ? "table" : "daily");
    if (sum <= 0)
      t.fail(source, "expected arrivals within the horizon " + s.start_date + " to " +
                         s.date_of(horizon - 1) + " (got none)");
    if (!total && !(sum < static_cast<double>(kMaxReturnees) + 0.5))
      t.fail(source, "expected at most " + std::to_string(kMaxReturnees) +
                         " returnees in total (got " + format_number(sum) + ")");
    a.total = total ? *total : static_cast<std::int64_t>(std::llround(sum));
    if (a.total < 1)
      t.fail(source, "expected at least one returnee in total (got " + format_number(sum) + ")");
    t.finish();
    return csv;
  }

  void home() {
    Table t = root.section("home");
    if (auto shares = t.table("province_share")) {
      std::vector<std::string> names = canonical_provinces();
      names.push_back("other");
      for (const std::string& name : shares->present_keys())
        if (std::find(names.begin(), names.end(), name) == names.end())
          shares->fail(name, "expected a Cambodian province name or \"other\" (got " +
                                 text::quoted(name) + ")" + did_you_mean(name, names));
      s.home.province_share = read_named_numbers(*shares, 0.0, 1.0, "a share from 0 to 1");
      check_sum(t, "province_share", s.home.province_share);
      shares->finish();
    } else {
      // Ou Beichoan deportees Apr-Dec 2020 by home province (Phnom Penh Post, in
      // observed-returns-2020-2022.csv): 22,718 / 9,390 / 6,107 / 17,396 of 55,611.
      const double total = 55611;
      s.home.province_share = {{"Banteay Meanchey", 22718 / total},
                               {"Battambang", 9390 / total},
                               {"Siem Reap", 6107 / total},
                               {"other", 17396 / total}};
    }
    if (auto weights = t.table("district_weight")) {
      s.home.district_weight =
          read_named_numbers(*weights, 0.0, 1e12, "a weight >= 0 (any unit; only ratios count)");
      weights->finish();
    }
    t.finish();
  }

  void demography() {
    Table t = root.section("demography");
    Demography& g = s.demography;
    g.female = t.probability("female", g.female);
    if (const toml::array* bands = t.array("age_band_share")) {
      if (bands->size() != 5)
        t.fail("age_band_share", "expected 5 shares for ages 0-17, 18-29, 30-44, 45-59, 60+ (got " +
                                     std::to_string(bands->size()) + ")");
      g.age_band_share.clear();
      double sum = 0;
      for (std::size_t i = 0; i < bands->size(); ++i) {
        const toml::node& n = (*bands)[i];
        const double v = n.value<double>().value_or(-1.0);
        if (!n.is_number() || v < 0 || v > 1)
          ctx.fail(n.source(), "demography.age_band_share." + std::to_string(i),
                   "expected a share from 0 to 1 (got " + scenario_detail::describe(n) + ")");
        g.age_band_share.push_back(v);
        sum += v;
      }
      if (std::abs(sum - 1.0) > kShareTolerance)
        t.fail("age_band_share", "expected shares summing to 1 (got " + format_number(sum) + ")");
    }
    g.pregnant_given_female_adult =
        t.probability("pregnant_given_female_adult", g.pregnant_given_female_adult);
    g.with_children = t.probability("with_children", g.with_children);
    g.gbv_risk_given_female = t.probability("gbv_risk_given_female", g.gbv_risk_given_female);
    g.mental_health_need = t.probability("mental_health_need", g.mental_health_need);
    g.disability = t.probability("disability", g.disability);
    g.woman_headed_given_female_adult =
        t.probability("woman_headed_given_female_adult", g.woman_headed_given_female_adult);
    t.finish();
  }

  void infection() {
    Table t = root.section("infection");
    Infection& f = s.infection;
    const toml::node* prevalence = t.node("prevalence");
    if (!prevalence || prevalence->is_number()) {
      f.prevalence.steps = {{0, t.probability("prevalence", 0.01)}};
    } else if (prevalence->is_array()) {
      auto steps = t.tables("prevalence");
      if (steps.empty())
        t.fail("prevalence", "expected a number or [[infection.prevalence]] steps");
      Day previous = -1;
      for (std::size_t i = 0; i < steps.size(); ++i) {
        previous = read_from(steps[i], i, previous, s.horizon_days);
        const auto value = steps[i].number("value", 0.0, 1.0, "a probability from 0 to 1");
        if (!value) steps[i].fail_missing("value", "expected a probability from 0 to 1");
        f.prevalence.steps.push_back({previous, *value});
        steps[i].finish();
      }
    } else {
      t.fail("prevalence",
             "expected a probability from 0 to 1 or [[infection.prevalence]] steps (got " +
                 scenario_detail::describe(*prevalence) + ")");
    }
    const std::string days = "a number of days > 0";
    f.latent_days = t.number("latent_days", f.latent_days, 1e-3, 365, days);
    f.infectious_days = t.number("infectious_days", f.infectious_days, 1e-3, 365, days);
    f.symptomatic = t.probability("symptomatic", f.symptomatic);
    f.test_sensitivity = t.probability("test_sensitivity", f.test_sensitivity);
    f.informal_detection = t.probability("informal_detection", f.informal_detection);
    f.facility_beta = t.number("facility_beta", f.facility_beta, 0, 1e3, "a rate >= 0 per day");
    f.crowding_exponent =
        t.number("crowding_exponent", f.crowding_exponent, 0, 100, "an exponent from 0 to 100");
    f.isolation_days = static_cast<int>(t.integer("isolation_days", f.isolation_days, 1, 365));
    t.finish();
  }

  void travel() {
    Table t = root.section("travel");
    s.travel.speed_km_per_day = t.number("speed_km_per_day", s.travel.speed_km_per_day, 1e-3, 5000,
                                         "a speed in km per day > 0");
    t.finish();
  }

  void services() {
    Table t = root.section("services");
    Services& v = s.services;
    v.caseload_per_worker =
        t.number("caseload_per_worker", v.caseload_per_worker, 1e-3, 1e6, "a number of cases > 0");
    v.additional_workers =
        static_cast<int>(t.integer("additional_workers", v.additional_workers, 0, 1'000'000));
    v.vulnerable_target = t.integer("vulnerable_target", v.vulnerable_target, 0, kMaxInt);
    if (auto deployed = t.table("deployed")) {
      v.deployed = read_named_numbers(*deployed, 0.0, 1e6, "a number of social workers >= 0");
      deployed->finish();
    }
    // Per-need defaults (case durations are assumptions: no published figures found).
    v.needs = {{"mental_health", 0.6, 0.4, 0.1, 90},
               {"gbv", 0.5, 0.3, 0.05, 60},
               {"child_protection", 0.6, 0.4, 0.1, 90},
               {"maternal_care", 0.8, 0.6, 0.3, 180}};
    std::vector<std::string> names;
    for (const auto& n : v.needs) names.push_back(n.name);
    if (auto needs = t.table("needs")) {
      for (const std::string& name : needs->present_keys())
        if (std::find(names.begin(), names.end(), name) == names.end())
          needs->fail(name,
                      "expected one of the needs mental_health, gbv, child_protection, "
                      "maternal_care (got " +
                          text::quoted(name) + ")" + did_you_mean(name, names));
      for (NeedKind& need : v.needs) {
        auto n = needs->table(need.name);
        if (!n) continue;
        need.identify_at_intake = n->probability("identify_at_intake", need.identify_at_intake);
        need.identify_with_worker =
            n->probability("identify_with_worker", need.identify_with_worker);
        need.identify_without_worker =
            n->probability("identify_without_worker", need.identify_without_worker);
        need.case_days = n->number("case_days", need.case_days, 1e-3, 3650, "a number of days > 0");
        n->finish();
      }
      needs->finish();
    }
    t.finish();
  }

  void reintegration() {
    Table t = root.section("reintegration");
    Reintegration& r = s.reintegration;
    r.budget_usd = t.number("budget_usd", r.budget_usd, 0, 1e12, "an amount in USD >= 0");
    const std::string cost = "a cost in USD > 0";
    r.cost_individual = t.number("cost_individual", r.cost_individual, 1e-6, 1e9, cost);
    r.cost_community = t.number("cost_community", r.cost_community, 1e-6, 1e9, cost);
    r.community_share = t.probability("community_share", r.community_share);
    r.delivery_per_week =
        static_cast<int>(t.integer("delivery_per_week", r.delivery_per_week, 0, 1'000'000'000));
    r.eligibility_min_vulnerabilities = static_cast<int>(
        t.integer("eligibility_min_vulnerabilities", r.eligibility_min_vulnerabilities, 0, 7));
    r.remigration_hazard = t.probability("remigration_hazard", r.remigration_hazard);
    r.package_hazard_ratio = t.number("package_hazard_ratio", r.package_hazard_ratio, 0, 1,
                                      "a hazard ratio from 0 to 1");
    t.finish();
  }
};

/// Replaces arrivals.table by the counts it held, so resolved_toml reproduces the run
/// without the CSV file.
void inline_arrivals_table(toml::table& doc, const std::vector<double>& daily) {
  toml::table* arrivals = doc["arrivals"].as_table();
  std::size_t used = daily.size();
  while (used > 0 && daily[used - 1] == 0) --used;
  toml::array counts;
  for (std::size_t i = 0; i < used; ++i) {
    const double v = daily[i];
    if (v == std::floor(v) && v < 9e15)
      counts.push_back(static_cast<std::int64_t>(v));
    else
      counts.push_back(v);
  }
  arrivals->erase("table");
  arrivals->insert_or_assign("kind", "table");
  arrivals->insert_or_assign("daily", std::move(counts));
}

}  // namespace

namespace {

ScenarioError invalid_toml(const std::string& path, const toml::parse_error& e) {
  return ScenarioError(path + ":" + std::to_string(e.source().begin.line) +
                       ": invalid TOML: " + std::string(e.description()));
}

Scenario load_document(toml::table doc, const std::string& path,
                       const std::vector<std::string>& overrides);

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  if (!is_readable_file(path)) {
    std::error_code ec;
    throw ScenarioError(path + ": cannot read the scenario file (" +
                        (fs::is_directory(path, ec) ? "a directory" : "no such file") + ")");
  }
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw invalid_toml(path, e);
  }
  return load_document(std::move(doc), path, overrides);
}

Scenario load_scenario_text(std::string_view text, const std::string& path,
                            const std::vector<std::string>& overrides) {
  toml::table doc;
  try {
    doc = toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw invalid_toml(path, e);
  }
  return load_document(std::move(doc), path, overrides);
}

namespace {

Scenario load_document(toml::table doc, const std::string& path,
                       const std::vector<std::string>& overrides) {
  Scenario s;
  s.source_path = path;
  for (const std::string& o : overrides) scenario_detail::apply_override(doc, o);

  Context ctx(path, s.key_lines);
  Table root(ctx, doc, "");
  Loader loader{ctx, root, s, fs::path(path).parent_path()};
  loader.run();
  loader.study();
  loader.data();
  loader.entry_points();
  loader.entry_shares();
  loader.facilities();
  loader.quarantine();
  const std::string csv = loader.arrivals();
  loader.home();
  loader.demography();
  loader.infection();
  loader.travel();
  loader.services();
  loader.reintegration();
  root.finish();

  if (!csv.empty()) inline_arrivals_table(doc, s.arrivals.daily_shape);
  std::ostringstream text;
  text << doc << "\n";
  s.resolved_toml = text.str();
  return s;
}

}  // namespace

}  // namespace rfsim
