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

#include "base/text.h"
#include "scenarios/arrivals.h"
#include "scenarios/initial_state.h"
#include "scenarios/toml_reader.h"
#include "scenarios/toml_writer.h"

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

std::vector<std::string> run_differences(const Scenario& a, const Scenario& b) {
  std::vector<std::string> out;
  auto compare = [&](const char* part, bool same) {
    if (!same) out.emplace_back(part);
  };
  compare("name", a.name == b.name);
  compare("description", a.description == b.description);
  compare("study_provinces", a.study_provinces == b.study_provinces);
  compare("start_date", a.start_date == b.start_date);
  compare("horizon_days", a.horizon_days == b.horizon_days);
  compare("seed", a.seed == b.seed);
  compare("replicate", a.replicate == b.replicate);
  compare("data", a.data_dir == b.data_dir && a.adm1_file == b.adm1_file &&
                      a.adm2_file == b.adm2_file && a.villages_file == b.villages_file);
  compare("entry_points", a.entry_points == b.entry_points);
  compare("entry_shares", a.entry_shares == b.entry_shares);
  compare("facilities", a.facilities == b.facilities);
  compare("policies", a.policies == b.policies);
  compare("rules", a.assignment == b.assignment && a.overflow == b.overflow &&
                       a.overcrowd_factor == b.overcrowd_factor);
  Arrivals arrivals_a = a.arrivals, arrivals_b = b.arrivals;
  arrivals_a.table_path = arrivals_b.table_path = "";
  compare("arrivals", arrivals_a == arrivals_b);
  compare("home", a.home == b.home);
  compare("demography", a.demography == b.demography);
  compare("infection", a.infection == b.infection);
  compare("travel", a.travel == b.travel);
  compare("services", a.services == b.services);
  compare("reintegration", a.reintegration == b.reintegration);
  compare("information", a.information == b.information);
  compare("host", a.host == b.host);
  compare("costs", a.costs == b.costs);
  InitialState initial_a = a.initial, initial_b = b.initial;
  initial_a.table_path = initial_b.table_path = "";  // where they were read from
  for (auto* init : {&initial_a, &initial_b})
    for (auto& g : init->groups) g.row = 0;
  compare("initial", initial_a == initial_b);
  return out;
}

namespace {

/// The dictionary entry of one field of a need: services.needs.<need>.<field>.
const params::Param& need_param(const std::string& need, std::string_view field) {
  const std::string key = "services.needs." + need + "." + std::string(field);
  const params::Param* p = params::find(key);
  if (!p) throw std::logic_error("parameter dictionary: no entry " + key);
  return *p;
}

}  // namespace

std::vector<NeedKind> default_needs() {
  std::vector<NeedKind> needs;
  for (std::string_view name : params::kNeeds) {
    NeedKind n;
    n.name = name;
    n.identify_at_intake = need_param(n.name, "identify_at_intake").value;
    n.identify_with_worker = need_param(n.name, "identify_with_worker").value;
    n.identify_without_worker = need_param(n.name, "identify_without_worker").value;
    n.case_days = need_param(n.name, "case_days").value;
    needs.push_back(std::move(n));
  }
  return needs;
}

namespace {

using params::param;
using params::Type;

/// The 25 provinces, as strings for look-ups and suggestions.
const std::vector<std::string>& canonical_provinces() {
  static const std::vector<std::string> names(std::begin(params::kProvinces),
                                              std::end(params::kProvinces));
  return names;
}

/// A regular file; false (never an exception) for paths too long or otherwise unusable.
bool is_readable_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

/// Location of an entry point or facility: lon and lat, or a district name.
void read_location(Table& t, const params::Param& lon_key, const params::Param& lat_key,
                   const params::Param& district_key, double& lon, double& lat,
                   bool& has_coordinates, std::string& district) {
  const auto x = t.find_number(lon_key);
  const auto y = t.find_number(lat_key);
  const auto d = t.find_string(district_key);
  if (x.has_value() != y.has_value())
    t.fail_missing(params::leaf(x ? lat_key : lon_key), "expected both lon and lat");
  if (x && d) t.fail(district_key, "expected either lon/lat or district, not both");
  if (!x && !d) t.fail_missing(params::leaf(district_key), "expected lon and lat, or district");
  if (d && d->empty()) t.fail(district_key, "expected a district name (got an empty string)");
  has_coordinates = x.has_value();
  if (x) lon = *x, lat = *y;
  if (d) district = *d;
}

/// A required, unique name.
std::string read_name(Table& t, const params::Param& key, std::set<std::string>& used,
                      const std::string& what) {
  std::string name = *t.find_string(key);
  if (!used.insert(name).second)
    t.fail(key, "expected a unique " + what + " name (got " + text::quoted(name) + " again)");
  return name;
}

/// `from` of the i-th dated period: the first starts on day 0, later ones strictly later.
Day read_from(Table& t, const params::Param& key, std::size_t index, Day previous, int horizon) {
  if (index > 0 && !t.has(key)) t.fail_missing(key);
  const Day from = t.date(key, 0, DayRange{0, horizon - 1});
  if (index == 0 && from != 0) t.fail(key, "expected the first period to start on run.start_date");
  if (index > 0 && from <= previous) t.fail(key, "expected a date after the previous period's");
  return from;
}

// Enums follow the order of their dictionary choices.
static_assert(params::choice_index(param("quarantine.mode"), "none") ==
                  static_cast<int>(QuarantineMode::None) &&
              params::choice_index(param("quarantine.mode"), "symptomatic") ==
                  static_cast<int>(QuarantineMode::Symptomatic) &&
              params::choice_index(param("quarantine.mode"), "mandatory") ==
                  static_cast<int>(QuarantineMode::Mandatory));
static_assert(params::choice_index(param("quarantine.assignment"), "nearest_free") ==
                  static_cast<int>(AssignmentRule::NearestFree) &&
              params::choice_index(param("quarantine.assignment"), "home_district_first") ==
                  static_cast<int>(AssignmentRule::HomeDistrictFirst));
static_assert(params::choice_index(param("quarantine.overflow"), "next_nearest") ==
                  static_cast<int>(OverflowRule::NextNearest) &&
              params::choice_index(param("quarantine.overflow"), "home_quarantine") ==
                  static_cast<int>(OverflowRule::HomeQuarantine) &&
              params::choice_index(param("quarantine.overflow"), "wait") ==
                  static_cast<int>(OverflowRule::Wait));

/// The enum value of a Choice key (choices in enum order, checked above).
template <class Enum>
Enum read_choice(Table& t, const params::Param& key, Enum fallback) {
  const std::vector<std::string> all = params::choices(key);
  const std::string value = t.choice(key, all[static_cast<std::size_t>(fallback)]);
  return static_cast<Enum>(params::choice_index(key, value));
}

struct Loader {
  Context& ctx;
  Table& root;
  Scenario& s;
  fs::path base;  // directory of the scenario file

  void run() {
    Table run = root.section("run");
    s.name = run.string(param("run.name"), fs::path(s.source_path).stem().string());
    s.description =
        run.string(param("run.description"), std::string(param("run.description").text));
    const params::Param& start_key = param("run.start_date");
    const toml::node* start = run.node(start_key);
    if (!start) run.fail_missing(start_key);
    std::optional<std::int64_t> epoch;
    if (const auto* d = start->as_date())
      epoch = scenario_detail::days_from_civil(d->get().year, d->get().month, d->get().day);
    else if (const auto* str = start->as_string())
      epoch = scenario_detail::parse_iso_date(str->get());
    if (!epoch)
      run.fail(start_key, "expected " + params::expected(start_key) + " (got " +
                              scenario_detail::describe(*start) + ")");
    ctx.epoch = *epoch;
    s.start_date = scenario_detail::civil_from_days(*epoch);
    s.horizon_days = static_cast<int>(run.integer(param("run.horizon_days")));
    ctx.horizon = s.horizon_days;
    s.seed = static_cast<std::uint64_t>(run.integer(param("run.seed")));
    s.replicate = static_cast<int>(run.integer(param("run.replicate")));
    run.finish();
  }

  void study() {
    auto t = root.table("study");
    if (!t) return;
    const params::Param& key = param("study.provinces");
    if (const toml::array* provinces = t->array(params::leaf(key))) {
      if (provinces->empty()) t->fail(key, "expected at least one province");
      s.study_provinces.clear();
      const auto& known = canonical_provinces();
      for (std::size_t i = 0; i < provinces->size(); ++i) {
        const toml::node& n = (*provinces)[i];
        const std::string element = "study.provinces." + std::to_string(i);
        ctx.record(element, n.source());
        if (!n.is_string())
          ctx.fail(n.source(), element,
                   "expected a province name (got " + scenario_detail::describe(n) + ")");
        const std::string name = n.as_string()->get();
        if (std::find(known.begin(), known.end(), name) == known.end())
          ctx.fail(n.source(), element,
                   "expected a Cambodian province name (got " + text::quoted(name) + ")" +
                       scenario_detail::did_you_mean(name, known));
        if (std::find(s.study_provinces.begin(), s.study_provinces.end(), name) !=
            s.study_provinces.end())
          ctx.fail(n.source(), element,
                   "expected each province once (got " + text::quoted(name) + " again)");
        s.study_provinces.push_back(name);
      }
    }
    t->finish();
  }

  void data() {
    Table data = root.section("data");
    fs::path dir;
    if (const auto d = data.find_string(param("data.dir")))
      dir = base / *d;
    else if (const char* env = std::getenv("RFSIM_DATA"); env && *env)
      dir = env;
    else
      dir = "data";
    s.data_dir = dir.lexically_normal().string();
    auto file = [&](const params::Param& key) {
      return (dir / data.string(key, std::string(key.text))).lexically_normal().string();
    };
    s.adm1_file = file(param("data.adm1_file"));
    s.adm2_file = file(param("data.adm2_file"));
    s.villages_file = file(param("data.villages_file"));
    data.finish();
  }

  void entry_points() {
    std::set<std::string> names;
    for (Table& t : root.tables("entry_points")) {
      EntryPoint e;
      e.name = read_name(t, param("entry_points.*.name"), names, "entry point");
      e.formal = t.boolean(param("entry_points.*.formal"));
      read_location(t, param("entry_points.*.lon"), param("entry_points.*.lat"),
                    param("entry_points.*.district"), e.lon, e.lat, e.has_coordinates,
                    e.district_name);
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
      p.from = previous = read_from(t, param("entry_shares.*.from"), i, previous, s.horizon_days);
      const auto values = *t.named_numbers(param("entry_shares.*.shares"), &names,
                                           "the name of an [[entry_points]]");
      for (const std::string& name : names) {
        const auto it = values.find(name);
        p.shares.push_back(it == values.end() ? 0.0 : it->second);
      }
      t.finish();
      s.entry_shares.push_back(std::move(p));
    }
    if (s.entry_shares.empty()) {  // nothing known: equal shares
      const double equal = 1.0 / static_cast<double>(s.entry_points.size());
      s.entry_shares.push_back({0, std::vector<double>(s.entry_points.size(), equal)});
    }
  }

  void facilities() {
    std::set<std::string> names;
    for (Table& t : root.tables("facilities")) {
      Facility f;
      f.name = read_name(t, param("facilities.*.name"), names, "facility");
      read_location(t, param("facilities.*.lon"), param("facilities.*.lat"),
                    param("facilities.*.district"), f.lon, f.lat, f.has_coordinates,
                    f.district_name);
      f.capacity = static_cast<int>(t.integer(param("facilities.*.capacity")));
      f.opens = t.date(param("facilities.*.opens"), f.opens, DayRange{0, s.horizon_days - 1});
      f.closes =
          t.date(param("facilities.*.closes"), f.closes, DayRange{f.opens + 1, s.horizon_days});
      t.finish();
      s.facilities.push_back(std::move(f));
    }
  }

  void quarantine() {
    Table t = root.section("quarantine");
    s.assignment = read_choice(t, param("quarantine.assignment"), s.assignment);
    s.overflow = read_choice(t, param("quarantine.overflow"), s.overflow);
    s.overcrowd_factor = t.number(param("quarantine.overcrowd_factor"));
    // [quarantine] holds the defaults of every [[policy]] period.
    PolicyPeriod defaults;
    defaults.mode = read_choice(t, param("quarantine.mode"), defaults.mode);
    defaults.stay_days = static_cast<int>(t.integer(param("quarantine.stay_days")));
    defaults.test_at_entry = t.boolean(param("quarantine.test_at_entry"));
    defaults.test_at_exit = t.boolean(param("quarantine.test_at_exit"));
    t.finish();

    auto periods = root.tables("policy");
    Day previous = -1;
    for (std::size_t i = 0; i < periods.size(); ++i) {
      Table& pt = periods[i];
      PolicyPeriod p = defaults;
      p.mode = read_choice(pt, param("policy.*.mode"), defaults.mode);
      p.stay_days = static_cast<int>(pt.integer(param("policy.*.stay_days"), defaults.stay_days));
      p.test_at_entry = pt.boolean(param("policy.*.test_at_entry"), defaults.test_at_entry);
      p.test_at_exit = pt.boolean(param("policy.*.test_at_exit"), defaults.test_at_exit);
      p.from = previous = read_from(pt, param("policy.*.from"), i, previous, s.horizon_days);
      pt.finish();
      s.policies.push_back(p);
    }
    if (s.policies.empty()) s.policies.push_back(defaults);
    warn_shadowed_overrides();
  }

  /// A --set of a [quarantine] key is the default of every [[policy]] period: a period that
  /// sets the key itself keeps its own value. Say so, rather than let the override look
  /// as if it applied.
  void warn_shadowed_overrides() {
    for (const char* key : {"mode", "stay_days", "test_at_entry", "test_at_exit"}) {
      const auto given = s.key_lines.find(std::string("quarantine.") + key);
      if (given == s.key_lines.end() || given->second != 0) continue;  // not from --set
      for (std::size_t i = 0; i < s.policies.size(); ++i) {
        const std::string own = "policy." + std::to_string(i) + "." + key;
        const auto line = s.key_lines.find(own);
        if (line == s.key_lines.end()) continue;
        s.warnings.push_back("--set quarantine." + std::string(key) + " does not apply from " +
                             s.date_of(s.policies[i].from) + ": " + own + " (" +
                             (line->second > 0 ? s.source_path + ":" + std::to_string(line->second)
                                               : std::string("--set")) +
                             ") sets its own value; use --set " + own + "=... to change it");
      }
    }
  }

  /// Returns the arrivals table file read (empty if none), to inline it in resolved_toml.
  std::string arrivals() {
    auto section = root.table("arrivals");
    if (!section) root.fail_missing("arrivals", "expected an [arrivals] table with total");
    Table& t = *section;
    Arrivals& a = s.arrivals;
    const params::Param& table_key = param("arrivals.table");
    const params::Param& daily_key = param("arrivals.daily");
    const params::Param& total_key = param("arrivals.total");
    const params::Param& start_key = param("arrivals.surge_start");
    const params::Param& peak_key = param("arrivals.surge_peak");
    const params::Param& decay_key = param("arrivals.decay_days");
    const bool tabular = t.has(table_key) || t.has(daily_key);
    a.kind = t.choice(param("arrivals.kind"), tabular ? "table" : a.kind);
    const auto total = t.find_integer(total_key);
    const int horizon = s.horizon_days;
    const auto max_total = params::integer_range(total_key).second;
    std::string csv;

    if (a.kind == "surge") {
      for (const params::Param* key : {&table_key, &daily_key})
        if (t.has(*key))
          t.fail(*key, "expected no " + std::string(params::leaf(*key)) + " with kind = \"surge\"");
      if (!total) t.fail_missing(total_key);
      a.surge_start = t.date(start_key, a.surge_start, DayRange{0, horizon - 1});
      a.surge_peak =
          t.date(peak_key, std::min(a.surge_start + static_cast<Day>(peak_key.value), horizon - 1),
                 DayRange{a.surge_start, horizon - 1});
      a.decay_days = t.number(decay_key);
      a.daily_shape =
          scenario_detail::surge_shape(horizon, a.surge_start, a.surge_peak, a.decay_days);
    } else {
      for (const params::Param* key : {&start_key, &peak_key, &decay_key})
        if (t.has(*key))
          t.fail(*key, "expected no " + std::string(params::leaf(*key)) + " with kind = \"table\"");
      const auto table = t.find_string(table_key);
      if (table && t.has(daily_key)) t.fail(daily_key, "expected either table or daily, not both");
      if (table) {
        a.table_path = (base / *table).lexically_normal().string();
        csv = a.table_path;
        if (!is_readable_file(a.table_path))
          t.fail(table_key, "expected a CSV file of date,count (got " + text::quoted(*table) +
                                ", not found at " + a.table_path + ")");
        a.daily_shape = scenario_detail::read_daily_counts(a.table_path, ctx.epoch, horizon);
      } else if (const auto daily = t.numbers(daily_key)) {
        if (daily->size() > static_cast<std::size_t>(horizon))
          t.fail(daily_key, "expected at most horizon_days = " + std::to_string(horizon) +
                                " daily counts (got " + std::to_string(daily->size()) + ")");
        a.daily_shape = *daily;
        a.daily_shape.resize(static_cast<std::size_t>(horizon), 0.0);
      } else {
        t.fail_missing("table", "expected table (a CSV file) or daily (an array of counts)");
      }
    }
    const double sum = std::accumulate(a.daily_shape.begin(), a.daily_shape.end(), 0.0);
    const params::Param& source =
        a.kind == "surge" ? start_key : (t.has(table_key) ? table_key : daily_key);
    if (sum <= 0)
      t.fail(source, "expected arrivals within the horizon " + s.start_date + " to " +
                         s.date_of(horizon - 1) + " (got none)");
    if (!total && !(sum < static_cast<double>(max_total) + 0.5))
      t.fail(source, "expected at most " + std::to_string(max_total) + " returnees in total (got " +
                         format_number(sum) + ")");
    a.total = total ? *total : static_cast<std::int64_t>(std::llround(sum));
    if (a.total < 1)
      t.fail(source, "expected at least one returnee in total (got " + format_number(sum) + ")");
    t.finish();
    return csv;
  }

  void home() {
    Table t = root.section("home");
    std::vector<std::string> names = canonical_provinces();
    names.push_back("other");
    if (auto shares = t.named_numbers(param("home.province_share"), &names,
                                      "a Cambodian province name or \"other\""))
      s.home.province_share = std::move(*shares);
    if (auto weights = t.named_numbers(param("home.district_weight")))
      s.home.district_weight = std::move(*weights);
    t.finish();
  }

  void demography() {
    Table t = root.section("demography");
    Demography& g = s.demography;
    g.female = t.number(param("demography.female"));
    if (auto bands = t.numbers(param("demography.age_band_share"))) g.age_band_share = *bands;
    g.pregnant_given_female_adult = t.number(param("demography.pregnant_given_female_adult"));
    g.with_children = t.number(param("demography.with_children"));
    g.gbv_risk_given_female = t.number(param("demography.gbv_risk_given_female"));
    g.mental_health_need = t.number(param("demography.mental_health_need"));
    g.disability = t.number(param("demography.disability"));
    g.woman_headed_given_female_adult =
        t.number(param("demography.woman_headed_given_female_adult"));
    t.finish();
  }

  void infection() {
    Table t = root.section("infection");
    Infection& f = s.infection;
    const params::Param& prevalence_key = param("infection.prevalence");
    const toml::node* prevalence = t.node(prevalence_key);
    if (!prevalence || prevalence->is_number()) {
      f.prevalence.steps = {{0, t.number(prevalence_key)}};
    } else if (prevalence->is_array()) {
      auto steps = t.tables("prevalence");
      if (steps.empty())
        t.fail(prevalence_key, "expected a number or [[infection.prevalence]] steps");
      Day previous = -1;
      f.prevalence.steps.clear();
      for (std::size_t i = 0; i < steps.size(); ++i) {
        previous =
            read_from(steps[i], param("infection.prevalence.*.from"), i, previous, s.horizon_days);
        f.prevalence.steps.push_back(
            {previous, steps[i].number(param("infection.prevalence.*.value"))});
        steps[i].finish();
      }
    } else {
      t.fail(prevalence_key,
             "expected a probability from 0 to 1 or [[infection.prevalence]] steps (got " +
                 scenario_detail::describe(*prevalence) + ")");
    }
    f.latent_days = t.number(param("infection.latent_days"));
    f.infectious_days = t.number(param("infection.infectious_days"));
    f.symptomatic = t.number(param("infection.symptomatic"));
    f.test_sensitivity = t.number(param("infection.test_sensitivity"));
    f.informal_detection = t.number(param("infection.informal_detection"));
    f.facility_beta = t.number(param("infection.facility_beta"));
    f.isolation_release =
        read_choice(t, param("infection.isolation_release"), f.isolation_release);
    f.retest_days = static_cast<int>(t.integer(param("infection.retest_days")));
    f.crowding_exponent = t.number(param("infection.crowding_exponent"));
    f.isolation_days = static_cast<int>(t.integer(param("infection.isolation_days")));
    t.finish();
  }

  void travel() {
    Table t = root.section("travel");
    s.travel.speed_km_per_day = t.number(param("travel.speed_km_per_day"));
    t.finish();
  }

  void services() {
    Table t = root.section("services");
    Services& v = s.services;
    v.caseload_per_worker = t.number(param("services.caseload_per_worker"));
    v.referral_rate = t.number(param("services.referral_rate"));
    v.full_coverage_workers_per_commune =
        t.number(param("services.full_coverage_workers_per_commune"));
    v.additional_workers = static_cast<int>(t.integer(param("services.additional_workers")));
    v.vulnerable_target = t.integer(param("services.vulnerable_target"));
    v.deploy_max_per_district =
        static_cast<int>(t.integer(param("services.deploy_max_per_district")));
    v.deploy_min_per_district =
        static_cast<int>(t.integer(param("services.deploy_min_per_district")));
    if (const toml::array* names = t.array(params::leaf(param("services.deploy_districts")))) {
      v.deploy_districts.clear();
      for (std::size_t i = 0; i < names->size(); ++i) {
        const toml::node& n = (*names)[i];
        const std::string element = "services.deploy_districts." + std::to_string(i);
        ctx.record(element, n.source());
        if (!n.is_string() || n.as_string()->get().empty())
          ctx.fail(n.source(), element,
                   "expected a district name (got " + scenario_detail::describe(n) + ")");
        const std::string name = n.as_string()->get();
        if (std::find(v.deploy_districts.begin(), v.deploy_districts.end(), name) !=
            v.deploy_districts.end())
          ctx.fail(n.source(), element,
                   "expected each district once (got " + text::quoted(name) + " again)");
        v.deploy_districts.push_back(name);
      }
    }
    if (auto deployed = t.named_numbers(param("services.deployed")))
      v.deployed = std::move(*deployed);
    v.needs = default_needs();
    if (auto needs = t.table("needs")) {
      std::vector<std::string> names(std::begin(params::kNeeds), std::end(params::kNeeds));
      for (const std::string& name : needs->present_keys())
        if (std::find(names.begin(), names.end(), name) == names.end())
          needs->fail(name, "expected one of the needs " + text::join_prose(names) + " (got " +
                                text::quoted(name) + ")" +
                                scenario_detail::did_you_mean(name, names));
      for (NeedKind& need : v.needs) {
        auto n = needs->table(need.name);
        if (!n) continue;
        need.identify_at_intake = n->number(need_param(need.name, "identify_at_intake"));
        need.identify_with_worker = n->number(need_param(need.name, "identify_with_worker"));
        need.identify_without_worker = n->number(need_param(need.name, "identify_without_worker"));
        need.case_days = n->number(need_param(need.name, "case_days"));
        n->finish();
      }
      needs->finish();
    }
    t.finish();
  }

  /// Returns the initial-state table read (empty if none), to inline it in resolved_toml.
  std::string initial() {
    auto section = root.table("initial");
    if (!section) return "";
    Table& t = *section;
    const params::Param& table_key = param("initial.table");
    const auto table = t.find_string(table_key);
    auto groups = t.tables("groups");
    if (table && !groups.empty()) t.fail(table_key, "expected either table or [[initial.groups]], not both");
    std::string csv;
    if (table) {
      csv = s.initial.table_path = (base / *table).lexically_normal().string();
      if (!is_readable_file(csv))
        t.fail(table_key, "expected a CSV file of state,place,count,days_left,need (got " +
                              text::quoted(*table) + ", not found at " + csv + ")");
      s.initial.groups = scenario_detail::read_initial_table(csv);
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
      Table& g = groups[i];
      InitialGroup group;
      if (!g.has(param("initial.groups.*.state"))) g.fail_missing(param("initial.groups.*.state"));
      group.kind = *scenario_detail::initial_kind(g.choice(param("initial.groups.*.state")));
      group.place = g.string(param("initial.groups.*.place"), "");
      if (!g.has(param("initial.groups.*.place"))) g.fail_missing(param("initial.groups.*.place"));
      group.count = g.integer(param("initial.groups.*.count"));
      group.days_left = static_cast<int>(g.integer(param("initial.groups.*.days_left")));
      group.need = g.string(param("initial.groups.*.need"), "");
      const std::string where = "initial.groups." + std::to_string(i) + ".place";
      group.row = s.key_lines.count(where) ? s.key_lines.at(where) : 0;
      if (const std::string problem = scenario_detail::check_initial_group(group); !problem.empty())
        g.fail(problem.substr(0, problem.find(':')), problem.substr(problem.find(':') + 2));
      g.finish();
      s.initial.groups.push_back(std::move(group));
    }
    if (!table) s.initial.table_path = s.source_path;
    t.finish();
    return csv;
  }

  void costs() {
    Table t = root.section("costs");
    Costs& c = s.costs;
    c.bed_day = t.number(param("costs.bed_day"));
    c.test = t.number(param("costs.test"));
    c.transport = t.number(param("costs.transport"));
    c.isolation_day = t.number(param("costs.isolation_day"));
    c.information_person = t.number(param("costs.information_person"));
    c.outreach_team_week = t.number(param("costs.outreach_team_week"));
    c.worker_week = t.number(param("costs.worker_week"));
    c.management_share = t.number(param("costs.management_share"));
    c.envelope_usd = t.number(param("costs.envelope_usd"));
    const std::vector<std::string> components(std::begin(params::kCostComponents),
                                              std::end(params::kCostComponents));
    const params::Param& covers = param("costs.envelope_covers");
    if (const toml::array* names = t.array(params::leaf(covers))) {
      c.envelope_covers.clear();
      for (std::size_t i = 0; i < names->size(); ++i) {
        const toml::node& n = (*names)[i];
        const std::string element = "costs.envelope_covers." + std::to_string(i);
        ctx.record(element, n.source());
        const std::string name = n.is_string() ? n.as_string()->get() : std::string();
        if (std::find(components.begin(), components.end(), name) == components.end())
          ctx.fail(n.source(), element,
                   "expected a cost component (" + text::join_prose(components, "or") +
                       ") (got " + scenario_detail::describe(n) + ")" +
                       scenario_detail::did_you_mean(name, components));
        if (std::find(c.envelope_covers.begin(), c.envelope_covers.end(), name) ==
            c.envelope_covers.end())
          c.envelope_covers.push_back(name);
      }
    }
    if (auto shares = t.named_numbers(param("costs.government_share"), &components,
                                      "a cost component"))
      for (const auto& [name, share] : *shares) c.government_share[name] = share;
    t.finish();
  }

  void host() {
    Table t = root.section("host");
    Host& h = s.host;
    h.need_share = {t.number(param("host.mental_health")), t.number(param("host.gbv")),
                    t.number(param("host.child_protection")),
                    t.number(param("host.maternal_care"))};
    h.identify_with_worker = t.number(param("host.identify_with_worker"));
    h.identify_without_worker = t.number(param("host.identify_without_worker"));
    t.finish();
  }

  void information() {
    Table t = root.section("information");
    Information& f = s.information;
    f.reach_formal = t.number(param("information.reach_formal"));
    f.reach_informal = t.number(param("information.reach_informal"));
    f.outreach_teams = static_cast<int>(t.integer(param("information.outreach_teams")));
    f.reach_per_team = t.number(param("information.reach_per_team"));
    f.reach_in_facility = t.number(param("information.reach_in_facility"));
    f.home_quarantine_compliance_reached =
        t.number(param("information.home_quarantine_compliance_reached"));
    f.home_quarantine_compliance_unreached =
        t.number(param("information.home_quarantine_compliance_unreached"));
    f.care_seeking_ratio = t.number(param("information.care_seeking_ratio"));
    f.remigration_ratio = t.number(param("information.remigration_ratio"));
    t.finish();
  }

  void reintegration() {
    Table t = root.section("reintegration");
    Reintegration& r = s.reintegration;
    r.budget_usd = t.number(param("reintegration.budget_usd"));
    r.cost_individual = t.number(param("reintegration.cost_individual"));
    r.cost_community = t.number(param("reintegration.cost_community"));
    r.community_share = t.number(param("reintegration.community_share"));
    r.delivery_per_week = static_cast<int>(t.integer(param("reintegration.delivery_per_week")));
    r.eligibility_min_vulnerabilities =
        static_cast<int>(t.integer(param("reintegration.eligibility_min_vulnerabilities")));
    r.remigration_hazard = t.number(param("reintegration.remigration_hazard"));
    r.package_hazard_ratio = t.number(param("reintegration.package_hazard_ratio"));
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

/// Replaces initial.table by the groups it held, as [[initial.groups]].
void inline_initial_table(toml::table& doc, const std::vector<InitialGroup>& groups) {
  toml::table* initial = doc["initial"].as_table();
  toml::array tables;
  for (const InitialGroup& g : groups) {
    toml::table t;
    t.insert("state", scenario_detail::initial_state_name(g.kind));
    t.insert("place", g.place);
    t.insert("count", g.count);
    if (g.days_left != 0) t.insert("days_left", g.days_left);
    if (!g.need.empty()) t.insert("need", g.need);
    tables.push_back(std::move(t));
  }
  initial->erase("table");
  initial->insert_or_assign("groups", std::move(tables));
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
  loader.information();
  loader.host();
  loader.costs();
  const std::string initial_csv = loader.initial();
  root.finish();

  // The resolved text reruns the same scenario from anywhere: the arrivals table inlined,
  // the name that came from the file name written out.
  if (!csv.empty()) inline_arrivals_table(doc, s.arrivals.daily_shape);
  if (!initial_csv.empty()) inline_initial_table(doc, s.initial.groups);
  if (toml::table* run = doc["run"].as_table(); run && !run->contains("name"))
    run->insert("name", s.name);
  s.resolved_toml = scenario_detail::write_toml(doc);
  return s;
}

}  // namespace

}  // namespace rfsim
