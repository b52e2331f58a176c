// The numbers of a report (see indicators.h), each computed once from the series of
// results.h5.
#include "outputs/indicators.h"

#include <algorithm>
#include <numeric>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#include <toml++/toml.h>

#include "geo/geography.h"
#include "outputs/error.h"

namespace rfsim::outputs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr IndicatorInfo kInfos[] = {
    {Indicator::returnees, "returnees", "Returnees home", "persons",
     "returnees who reached their home district (travel/arrivals_home, summed over days)", 0},
    {Indicator::peak_per_1000, "peak_per_1000", "Peak returnees per 1,000 residents",
     "per 1,000 residents",
     "most returnees present per 1,000 residents on one day (host/returnees_per_1000)", 1},
    {Indicator::peak_demand_fte, "peak_demand_fte", "Peak social-worker demand",
     "FTE social workers",
     "highest weekly demand from identified needs (services/demand_fte)", 1},
    {Indicator::peak_need_fte, "peak_need_fte", "Peak social-worker need (whole need)",
     "FTE social workers",
     "highest weekly need, identified or not (services/need_fte)", 1},
    {Indicator::deployed_fte, "deployed_fte", "Social workers deployed", "FTE social workers",
     "most social workers deployed in any week (services/deployed_fte)", 1},
    {Indicator::peak_gap_fte, "peak_gap_fte", "Peak social-worker gap", "FTE social workers",
     "highest weekly demand minus deployed workers (services/gap_fte)", 1},
    {Indicator::peak_need_gap_fte, "peak_need_gap_fte", "Peak gap against the whole need",
     "FTE social workers",
     "highest weekly whole need minus deployed workers (services/need_gap_fte)", 1},
    {Indicator::peak_unmet_need, "peak_unmet_need", "Peak unmet need", "needs",
     "highest weekly mean of needs waiting or not yet identified (services/unmet_need_total)",
     0},
    {Indicator::unmet_need_weeks, "unmet_need_weeks", "Unmet need over the run", "need-weeks",
     "needs waiting or not yet identified, summed over the run (services/unmet_need_total x "
     "days / 7; the districts add up to the summary figure unmet_need_weeks)",
     0},
    {Indicator::community_risk, "community_risk", "Community transmission risk",
     "infectious days per 100,000 residents",
     "infectious returnee-days at home per 100,000 residents by the last day "
     "(infection/community_risk)",
     1},
    {Indicator::packages, "packages", "Reintegration packages", "packages",
     "packages delivered (reintegration/packages, summed)", 0},
    {Indicator::remigrated, "remigrated", "Re-migrated irregularly", "persons",
     "irregular re-migrations (reintegration/remigrated, summed)", 0},
    {Indicator::left_study_area, "left_study_area", "Left the study area", "persons",
     "returnees with a home elsewhere leaving the study area through the district "
     "(travel/left_study_area_by_exit, summed)",
     0, false},
    {Indicator::recommended_workers, "recommended_workers", "Recommended additional workers",
     "social workers", "where the additional social workers should go (/recommendation)", 0},
};
static_assert(std::size(kInfos) == kIndicatorCount);

using Series = Results::Series;

const Series* district_series(const Results& r, const char* name) {
  const Series* s = r.find_series(name);
  if (s == nullptr || s->column_axis != "district" || s->columns != r.districts.size() ||
      s->values.size() != s->rows * s->columns)
    return nullptr;
  return s;
}

const Series* series_of(const Results& r, const char* name, const char* axis, std::size_t columns) {
  const Series* s = r.find_series(name);
  if (s == nullptr || s->column_axis != axis || s->columns != columns ||
      s->values.size() != s->rows * s->columns)
    return nullptr;
  return s;
}

double column_sum(const Series* s, std::size_t j) {
  if (!s) return kNaN;
  double sum = 0;
  for (std::uint64_t t = 0; t < s->rows; ++t) sum += s->at(t, j);
  return sum;
}

double column_max(const Series* s, std::size_t j) {
  if (!s) return kNaN;
  double best = 0;
  for (std::uint64_t t = 0; t < s->rows; ++t) best = std::max(best, s->at(t, j));
  return best;
}

double column_last(const Series* s, std::size_t j) {
  if (!s || s->rows == 0) return kNaN;
  return s->at(s->rows - 1, j);
}

double summary(const Results& r, const char* key, double otherwise = kNaN) {
  const auto it = r.summary.find(key);
  return it == r.summary.end() ? otherwise : it->second;
}

/// The lon/lat the stored scenario gives the `index`-th table of `array` ("facilities"),
/// projected, if it has them and carries `name`; else the surface point of `district`.
Location location(const Results& r, const toml::table* scenario, const char* array,
                  std::size_t index, const std::string& name, int district) {
  Location at;
  if (district >= 0 && district < static_cast<int>(r.districts.size()))
    at = {r.districts[district].x, r.districts[district].y, false};
  if (!scenario) return at;
  const toml::array* tables = (*scenario)[array].as_array();
  if (!tables || index >= tables->size() || !(*tables)[index].is_table()) return at;
  const toml::table& t = *(*tables)[index].as_table();
  const auto lon = t["lon"].value<double>();
  const auto lat = t["lat"].value<double>();
  if (t["name"].value_or(std::string()) != name || !lon || !lat) return at;
  try {
    const auto [x, y] = geo::to_metres(*lon, *lat);
    return {x, y, true};
  } catch (const geo::GeoError&) {
    return at;
  }
}

/// The stored scenario as a TOML document, or nothing if it does not parse.
std::optional<toml::table> stored_scenario(const Results& r) {
  try {
    return toml::parse(r.meta.scenario_toml);
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
}

std::vector<FacilityFacts> facility_facts(const Results& r, const toml::table* scenario) {
  const std::size_t n = r.facilities.size();
  const Series* occupancy = series_of(r, "quarantine/occupancy", "facility", n);
  const Series* over = series_of(r, "quarantine/over_capacity", "facility", n);
  const Series* intake = series_of(r, "quarantine/intake", "facility", n);
  const Series* infections = series_of(r, "infection/facility_infections", "facility", n);
  const Series* overflow = series_of(r, "quarantine/overflow", "total", 1);
  std::vector<FacilityFacts> out;
  for (std::size_t f = 0; f < n; ++f) {
    const auto& in = r.facilities[f];
    FacilityFacts facts;
    facts.name = in.name;
    facts.district = in.district;
    facts.at = location(r, scenario, "facilities", f, in.name, in.district);
    facts.capacity = in.capacity;
    facts.opens = in.opens;
    facts.closes = in.closes;
    facts.intake = intake ? column_sum(intake, f) : 0;
    facts.infections = infections ? column_sum(infections, f) : 0;
    if (occupancy) {
      for (std::uint64_t t = 0; t < occupancy->rows; ++t)
        if (occupancy->at(t, f) > facts.peak_occupancy) {
          facts.peak_occupancy = occupancy->at(t, f);
          facts.peak_day = static_cast<int>(t);
        }
    }
    if (over) {
      for (std::uint64_t t = 0; t < over->rows; ++t) {
        if (over->at(t, f) <= 0) continue;
        ++facts.days_over;
        const int day = static_cast<int>(t);
        if (facts.episodes.empty() || facts.episodes.back().last_day != day - 1)
          facts.episodes.push_back({day, day});
        OverEpisode& e = facts.episodes.back();
        e.last_day = day;
        if (occupancy) e.peak_occupancy = std::max(e.peak_occupancy, occupancy->at(t, f));
        if (overflow && t < overflow->rows)
          e.most_turned_away = std::max(e.most_turned_away, overflow->at(t, 0));
      }
    }
    out.push_back(std::move(facts));
  }
  return out;
}

std::vector<EntryFacts> entry_facts(const Results& r, const toml::table* scenario) {
  const std::size_t n = r.entry_points.size();
  const Series* arrivals = series_of(r, "arrivals/by_entry_point", "entry_point", n);
  const Series* infected = series_of(r, "infection/infected_arrivals", "entry_point", n);
  double total = 0;
  for (std::size_t e = 0; e < n && arrivals; ++e) total += column_sum(arrivals, e);
  std::vector<EntryFacts> out;
  for (std::size_t e = 0; e < n; ++e) {
    EntryFacts facts;
    facts.name = r.entry_points[e].name;
    facts.district = r.entry_points[e].district;
    facts.formal = r.entry_points[e].formal;
    facts.at = location(r, scenario, "entry_points", e, facts.name, facts.district);
    if (arrivals) {
      facts.arrivals = column_sum(arrivals, e);
      facts.share = total > 0 ? facts.arrivals / total : 0;
      for (std::uint64_t t = 0; t < arrivals->rows; ++t)
        if (arrivals->at(t, e) > facts.peak_arrivals) {
          facts.peak_arrivals = arrivals->at(t, e);
          facts.peak_day = static_cast<int>(t);
        }
    }
    facts.infected = infected ? column_sum(infected, e) : 0;
    out.push_back(std::move(facts));
  }
  return out;
}

/// Sum of a daily district series over the days of week w.
double week_sum(const Series* s, int w, std::size_t j) {
  if (!s) return 0;
  double sum = 0;
  for (std::uint64_t t = 7 * static_cast<std::uint64_t>(w); t < s->rows && t < 7u * (w + 1); ++t)
    sum += s->at(t, j);
  return sum;
}

double weekly_at(const Series* s, int w, std::size_t j) {
  return s && static_cast<std::uint64_t>(w) < s->rows ? s->at(w, j) : 0;
}

std::vector<KeyFigure> key_figures(const Results& r, const RunFacts& facts) {
  std::vector<KeyFigure> out;
  auto add = [&](const char* key, const char* label, const char* units, double value,
                 std::optional<double> against = std::nullopt, const char* against_label = "",
                 bool higher_is_worse = true, int decimals = 0) {
    if (std::isnan(value)) return;
    out.push_back({key, label, units, value, against, against_label, higher_is_worse, decimals});
  };
  add("arrivals_total", "Returnees arriving", "persons", summary(r, "arrivals_total"),
      std::nullopt, "", false);
  add("peak_occupancy", "Peak quarantine occupancy", "beds", summary(r, "peak_occupancy"),
      facts.beds, "beds");
  add("days_over_capacity", "Days with a site turning people away", "days",
      summary(r, "days_over_capacity"), static_cast<double>(facts.days), "days");
  add("peak_overflow", "Most returnees without a bed on one day", "persons",
      summary(r, "peak_overflow"));
  add("peak_demand_fte", "Peak social-worker demand (identified needs)", "FTE",
      summary(r, "peak_demand_fte"), facts.deployed, "deployed", true, 1);
  add("peak_need_fte", "Peak social-worker need (whole need)", "FTE",
      summary(r, "peak_need_fte"), facts.deployed, "deployed", true, 1);
  add("vulnerable_reached", "Vulnerable people reached by services", "persons",
      summary(r, "vulnerable_reached"), summary(r, "vulnerable_target", kNaN) > 0
                                            ? std::optional(summary(r, "vulnerable_target"))
                                            : std::nullopt,
      "target", false);
  // The programme (schema 2.2 and later: the Information, host-community and Costs units;
  // older files may have none of these figures, and then show none of them).
  add("target_served", "People served (returnees and host members)", "persons",
      summary(r, "target_served"), summary(r, "vulnerable_target", kNaN) > 0
                                       ? std::optional(summary(r, "vulnerable_target"))
                                       : std::nullopt,
      "target", false);
  add("information_reached", "Returnees reached by information", "persons",
      summary(r, "information_reached"), summary(r, "arrivals_total", kNaN) > 0
                                             ? std::optional(summary(r, "arrivals_total"))
                                             : std::nullopt,
      "arriving", false);
  add("cost_total", "Cost of the programme", "USD", summary(r, "cost_total"));
  add("envelope_spent", "Spent from the envelope", "USD", summary(r, "envelope_spent"),
      summary(r, "envelope_usd", kNaN) > 0 ? std::optional(summary(r, "envelope_usd"))
                                           : std::nullopt,
      "envelope (USD)");
  add("funding_gap_usd", "Funding gap beyond the envelope", "USD", summary(r, "funding_gap_usd"));
  add("packages_delivered", "Reintegration packages delivered", "packages",
      summary(r, "packages_delivered"), std::nullopt, "", false);
  const double budget = summary(r, "budget_spent");
  add("budget_spent", "Package budget spent", "USD", budget, std::nullopt, "", false);
  add("remigrated_total", "Re-migrated irregularly", "persons", summary(r, "remigrated_total"),
      summary(r, "arrived_home", kNaN) > 0 ? std::optional(summary(r, "arrived_home"))
                                           : std::nullopt,
      "arrived home");
  add("community_infectious_days", "Infectious days in the community", "person-days",
      summary(r, "community_infectious_days"));
  add("left_study_area", "Left the study area for homes elsewhere", "persons",
      summary(r, "left_study_area"), std::nullopt, "", false);
  return out;
}

/// Each day's total of a daily series over [first, end), all columns summed.
std::vector<double> daily_totals(const Results& r, const char* name, int first, int end) {
  const Series* s = r.find_series(name);
  std::vector<double> out;
  if (!s || s->row_axis != "day" || s->values.size() != s->rows * s->columns) return out;
  for (int t = std::max(first, 0); t < end && static_cast<std::uint64_t>(t) < s->rows; ++t) {
    double sum = 0;
    for (std::uint64_t j = 0; j < s->columns; ++j) sum += s->at(t, j);
    out.push_back(sum);
  }
  return out;
}

}  // namespace

std::vector<KeyFigure> key_figures_between(const Results& r, const RunFacts& facts,
                                           int first_day, int end_day) {
  const std::vector<KeyFigure> whole = key_figures(r, facts);
  std::vector<KeyFigure> out;
  auto total = [&](const char* name) {
    const auto v = daily_totals(r, name, first_day, end_day);
    return v.empty() ? kNaN : std::accumulate(v.begin(), v.end(), 0.0);
  };
  auto peak = [&](const char* name) {
    const auto v = daily_totals(r, name, first_day, end_day);
    return v.empty() ? kNaN : *std::max_element(v.begin(), v.end());
  };
  auto days_with = [&](const char* name) {
    const auto v = daily_totals(r, name, first_day, end_day);
    return v.empty() ? kNaN : static_cast<double>(std::count_if(v.begin(), v.end(), [](double x) {
      return x > 0;
    }));
  };
  const double days = std::max(0, std::min(end_day, facts.days) - std::max(first_day, 0));
  const std::pair<const char*, double> windowed[] = {
      {"arrivals_total", total("arrivals/daily")},
      {"peak_occupancy", peak("quarantine/occupancy")},
      {"days_over_capacity", days_with("quarantine/over_capacity")},
      {"peak_overflow", peak("quarantine/overflow")},
      {"information_reached",
       total("information/reached_at_entry") + total("information/reached_in_facility")},
      {"packages_delivered", total("reintegration/packages")},
      {"remigrated_total", total("reintegration/remigrated")},
      {"community_infectious_days", total("infection/community_infectious_days")},
      {"left_study_area", total("travel/left_study_area_by_exit")},
  };
  for (const KeyFigure& k : whole)
    for (const auto& [key, value] : windowed)
      if (k.key == key && !std::isnan(value)) {
        KeyFigure w = k;
        w.value = value;
        if (w.key == "days_over_capacity") w.against = days;
        if (w.key == "information_reached") w.against = total("arrivals/daily");
        out.push_back(std::move(w));
      }
  return out;
}

std::span<const IndicatorInfo> indicator_infos() {
  return kInfos;
}

const IndicatorInfo& info(Indicator id) {
  return kInfos[static_cast<std::size_t>(id)];
}

std::string iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

std::chrono::sys_days parse_iso_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    throw OutputError("'" + text + "' is not an ISO date (YYYY-MM-DD)");
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok()) throw OutputError("'" + text + "' is not a valid date");
  return std::chrono::sys_days(ymd);
}

std::vector<int> shown_districts(const Results& r) {
  std::set<int> shown;
  const int n = static_cast<int>(r.districts.size());
  for (int i = 0; i < n; ++i)
    if (r.districts[i].study_area) shown.insert(i);
  for (const auto& f : r.facilities)
    if (f.district >= 0 && f.district < n) shown.insert(f.district);
  for (const auto& e : r.entry_points)
    if (e.district >= 0 && e.district < n) shown.insert(e.district);
  for (const Series& s : r.series) {
    if (s.name == "arrivals/by_home_district" || s.column_axis != "district" ||
        s.columns != r.districts.size() || s.values.size() != s.rows * s.columns)
      continue;
    for (std::uint64_t t = 0; t < s.rows; ++t)
      for (int j = 0; j < n; ++j)
        if (s.at(t, j) != 0 && std::isfinite(s.at(t, j))) shown.insert(j);
  }
  std::vector<int> out;
  for (int i : shown)
    if (r.districts[i].study_area) out.push_back(i);
  for (int i : shown)
    if (!r.districts[i].study_area) out.push_back(i);
  return out;
}

RunFacts run_facts(const Results& r) {
  RunFacts facts;
  facts.label = r.meta.scenario_name;
  facts.start = parse_iso_date(r.meta.start_date);
  facts.days = r.meta.horizon_days;
  facts.weeks = (facts.days + 6) / 7;
  facts.shown = shown_districts(r);

  const Series* home = district_series(r, "travel/arrivals_home");
  const Series* per1000 = district_series(r, "host/returnees_per_1000");
  const Series* demand = district_series(r, "services/demand_fte");
  const Series* need = district_series(r, "services/need_fte");
  const Series* deployed = district_series(r, "services/deployed_fte");
  const Series* gap = district_series(r, "services/gap_fte");
  const Series* need_gap = district_series(r, "services/need_gap_fte");
  const Series* unmet_total = district_series(r, "services/unmet_need_total");
  const Series* unmet = district_series(r, "services/unmet_need");
  const Series* risk = district_series(r, "infection/community_risk");
  const Series* packages = district_series(r, "reintegration/packages");
  const Series* remigrated = district_series(r, "reintegration/remigrated");
  const Series* left = district_series(r, "travel/left_study_area_by_exit");

  for (int j : facts.shown) {
    const auto& d = r.districts[j];
    DistrictFacts df{j, d.name, d.code, d.province, d.population, d.area_km2, d.study_area, {}};
    df.values.assign(kIndicatorCount, kNaN);
    auto set = [&](Indicator id, double v) { df.values[static_cast<std::size_t>(id)] = v; };
    set(Indicator::returnees, column_sum(home, j));
    set(Indicator::peak_per_1000, column_max(per1000, j));
    set(Indicator::peak_demand_fte, column_max(demand, j));
    set(Indicator::peak_need_fte, column_max(need, j));
    set(Indicator::deployed_fte, column_max(deployed, j));
    set(Indicator::peak_gap_fte, column_max(gap, j));
    set(Indicator::peak_need_gap_fte, column_max(need_gap, j));
    set(Indicator::peak_unmet_need, column_max(unmet_total, j));
    if (unmet_total) {
      // Weekly means times the days of each week (the last may be short), in weeks.
      double need_days = 0;
      for (std::uint64_t w = 0; w < unmet_total->rows; ++w) {
        const int days = std::clamp(facts.days - 7 * static_cast<int>(w), 0, 7);
        need_days += unmet_total->at(w, j) * days;
      }
      set(Indicator::unmet_need_weeks, need_days / 7);
    }
    set(Indicator::community_risk, column_last(risk, j));
    set(Indicator::packages, column_sum(packages, j));
    set(Indicator::remigrated, column_sum(remigrated, j));
    set(Indicator::left_study_area, column_sum(left, j));
    double recommended = 0;
    for (const auto& rec : r.recommendation)
      if (rec.district == j) recommended += rec.workers;
    set(Indicator::recommended_workers, recommended);
    if (!d.study_area)
      for (const IndicatorInfo& in : kInfos)
        if (in.study_area_only) set(in.id, kNaN);
    facts.districts.push_back(std::move(df));
  }

  const auto scenario = stored_scenario(r);
  const toml::table* doc = scenario ? &*scenario : nullptr;
  facts.facilities = facility_facts(r, doc);
  for (const auto& f : facts.facilities) facts.beds += f.capacity;
  facts.entry_points = entry_facts(r, doc);
  if (deployed && deployed->rows > 0)
    for (std::uint64_t j = 0; j < deployed->columns; ++j) facts.deployed += deployed->at(0, j);

  const int weeks = demand ? static_cast<int>(demand->rows) : 0;
  for (int w = 0; w < weeks; ++w)
    for (int j : facts.shown) {
      if (!r.districts[j].study_area) continue;
      facts.weeks_table.push_back({w, j, weekly_at(demand, w, j), weekly_at(need, w, j),
                                   weekly_at(deployed, w, j), weekly_at(gap, w, j),
                                   weekly_at(need_gap, w, j), weekly_at(unmet, w, j),
                                   weekly_at(unmet_total, w, j), week_sum(home, w, j),
                                   week_sum(packages, w, j), week_sum(remigrated, w, j)});
    }
  facts.key_figures = key_figures(r, facts);
  return facts;
}

std::vector<MapLayer> map_layers(const Results& r, const RunFacts& facts) {
  struct Spec {
    const char* series;
    const char* key;
    const char* label;
    const char* units;
    bool cumulate;
  };
  static const Spec kSpecs[] = {
      {"host/returnees_per_1000", "per_1000", "Returnees present per 1,000 residents",
       "per 1,000 residents", false},
      {"services/demand_fte", "demand_fte", "Social-worker demand (identified needs)",
       "FTE social workers", false},
      {"services/gap_fte", "gap_fte", "Social-worker gap (demand minus deployed)",
       "FTE social workers", false},
      {"services/need_gap_fte", "need_gap_fte", "Gap against the whole need",
       "FTE social workers", false},
      {"services/unmet_need_total", "unmet_need", "Unmet need (waiting or not identified)",
       "needs", false},
      {"travel/arrivals_home", "returnees", "Returnees home so far", "persons", true},
      {"infection/community_risk", "community_risk", "Community transmission risk",
       "infectious days per 100,000 residents", false},
      {"reintegration/packages", "packages", "Reintegration packages so far", "packages", true},
      {"reintegration/remigrated", "remigrated", "Re-migrated so far", "persons", true},
  };
  std::vector<MapLayer> layers;
  for (const Spec& spec : kSpecs) {
    const Series* s = district_series(r, spec.series);
    if (!s || s->rows == 0) continue;
    MapLayer layer{spec.key, spec.label, spec.units, s->row_axis == "week" ? 7 : 1, {}};
    for (int j : facts.shown) {
      if (!r.districts[j].study_area) {  // (outside the study area: no value)
        layer.values.emplace_back(s->rows, kNaN);
        continue;
      }
      std::vector<double> v(s->rows);
      double running = 0;
      for (std::uint64_t t = 0; t < s->rows; ++t) {
        running = spec.cumulate ? running + s->at(t, j) : s->at(t, j);
        v[t] = running;
      }
      layer.values.push_back(std::move(v));
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

}  // namespace rfsim::outputs
