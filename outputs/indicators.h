// The numbers a report of one run shows, derived from results.h5 alone (outputs::Results):
// which districts it shows, each district's indicators over the run, the facilities with
// the days they were over capacity, the entry points, the weekly social-worker table, the
// key figures against capacity and the per-district time series behind the interactive
// map. The GeoPackage, the figures and the HTML briefing all take their numbers from here,
// so that they agree with each other and with results.h5.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "outputs/reader.h"

namespace rfsim::outputs {

/// The per-district indicators, in the order of DistrictFacts::values.
enum class Indicator {
  returnees,            ///< returnees who reached home there (travel/arrivals_home, summed)
  peak_per_1000,        ///< most returnees present per 1,000 residents on one day
  peak_demand_fte,      ///< highest weekly demand from identified needs (services/demand_fte)
  peak_need_fte,        ///< highest weekly whole need (services/need_fte)
  deployed_fte,         ///< most social workers deployed in a week (services/deployed_fte)
  peak_gap_fte,         ///< highest weekly demand minus deployed (services/gap_fte)
  peak_need_gap_fte,    ///< highest weekly whole need minus deployed (services/need_gap_fte)
  peak_unmet_need,      ///< highest weekly unmet need (services/unmet_need_total)
  unmet_need_weeks,     ///< unmet need summed over the run, in need-weeks
  community_risk,       ///< infectious days per 100,000 residents by the end (cumulative)
  packages,             ///< reintegration packages delivered
  remigrated,           ///< irregular re-migrations
  left_study_area,      ///< returnees leaving the study area through the district
  recommended_workers,  ///< additional social workers recommended (/recommendation)
};
inline constexpr int kIndicatorCount = static_cast<int>(Indicator::recommended_workers) + 1;

struct IndicatorInfo {
  Indicator id;
  const char* key;     ///< field name in the GeoPackage and the briefing's data
  const char* label;   ///< as a heading: "Peak returnees per 1,000 residents"
  const char* units;   ///< "per 1,000 residents"
  const char* source;  ///< how it comes from results.h5, for notes and documentation
  int decimals;        ///< for tables
  /// Only the study area has a value (the model follows returnees home there only);
  /// other districts get NaN.
  bool study_area_only = true;
};
/// Every indicator, in enum order.
std::span<const IndicatorInfo> indicator_infos();
const IndicatorInfo& info(Indicator id);

/// One district shown by a report, with its indicators.
struct DistrictFacts {
  int index = 0;  ///< in Results::districts
  std::string name, code, province;
  double population = 0, area_km2 = 0;
  bool study_area = false;
  std::vector<double> values;  ///< kIndicatorCount values, NaN where the series is absent
  double operator[](Indicator id) const { return values[static_cast<std::size_t>(id)]; }
};

/// A stretch of consecutive days on which a facility turned returnees away.
struct OverEpisode {
  int first_day = 0, last_day = 0;
  double peak_occupancy = 0;    ///< most beds occupied on one of those days
  double most_turned_away = 0;  ///< most returnees without a bed (all sites) on one of them
  int days() const { return last_day - first_day + 1; }
};

/// Where a facility or entry point is drawn: at the coordinates the stored scenario gives
/// it, else at the surface point of its district (EPSG:32648, metres).
struct Location {
  double x = 0, y = 0;
  bool from_coordinates = false;
};

struct FacilityFacts {
  std::string name;
  int district = -1;
  Location at;
  double capacity = 0;
  int opens = 0, closes = 0;
  double peak_occupancy = 0;
  int peak_day = 0;
  int days_over = 0;  ///< days it was full and turned a returnee away
  double intake = 0, infections = 0;
  std::vector<OverEpisode> episodes;
};

struct EntryFacts {
  std::string name;
  int district = -1;
  Location at;
  bool formal = false;
  double arrivals = 0, share = 0, infected = 0;
  double peak_arrivals = 0;
  int peak_day = 0;
};

/// One row of the weekly social-worker table: a shown district in one week.
struct WeekRow {
  int week = 0;
  int district = 0;  ///< in Results::districts
  double demand = 0, need = 0, deployed = 0, gap = 0, need_gap = 0, unmet = 0, unmet_total = 0;
  double arrived_home = 0, packages = 0, remigrated = 0;
};

/// A headline figure, with what it is measured against when there is such a thing.
struct KeyFigure {
  std::string key;    ///< stable name, for comparisons ("peak_occupancy")
  std::string label;  ///< "Peak quarantine occupancy"
  std::string units;  ///< "beds"
  double value = 0;
  std::optional<double> against;  ///< capacity, target or budget
  std::string against_label = "";  ///< "beds", "target", "budget (USD)"
  bool higher_is_worse = true;     ///< for colouring differences in comparisons
  int decimals = 0;
};

/// A district value through time, for the interactive map and the charts by district.
struct MapLayer {
  std::string key, label, units;
  int step_days = 1;  ///< 1 (daily) or 7 (weekly)
  /// values[i][t]: shown district i at step t.
  std::vector<std::vector<double>> values;
};

/// Quantile bands of a series across an ensemble (0.05, 0.25, 0.5, 0.75, 0.95), one value
/// per row each: what a later ensemble.h5 adds to a run's series. Empty for a single run.
struct Bands {
  std::vector<double> q05, q25, q50, q75, q95;
  bool empty() const { return q50.empty(); }
};

struct RunFacts {
  std::string label;  ///< short name in comparisons: the scenario name
  std::chrono::sys_days start;  ///< day 0
  int days = 0, weeks = 0;
  std::vector<int> shown;  ///< districts shown, study area first, in district-index order
  std::vector<DistrictFacts> districts;  ///< one per shown district, in `shown` order
  std::vector<FacilityFacts> facilities;
  std::vector<EntryFacts> entry_points;
  std::vector<WeekRow> weeks_table;  ///< week by week, shown study districts in order
  std::vector<KeyFigure> key_figures;
  double beds = 0;      ///< all facilities
  double deployed = 0;  ///< social workers deployed, all districts (first week)
};

/// The districts a report shows: the study area, the districts of entry points and
/// facilities, and every district with a value in a district series other than the home
/// districts of arrivals (which cover all of Cambodia): the districts the flows reach.
std::vector<int> shown_districts(const Results& results);

/// Everything above for one run. Series missing from the file (older schemas) give NaN
/// indicators and no rows rather than an error.
RunFacts run_facts(const Results& results);

/// The key figures that daily series give, over the days [first_day, end_day) only:
/// returnees arriving, peak occupancy (all sites), days with a site turning people away,
/// most returnees without a bed, people reached by information, packages, re-migrations,
/// community infectious days, departures from the study area. Over the whole run they equal
/// the /summary figures; a comparison of a branch with its original takes them from the
/// branch day on (before it the two runs are identical). Figures of weekly series (demand,
/// costs) and of whole-run counts (reached, served) are left out.
std::vector<KeyFigure> key_figures_between(const Results& results, const RunFacts& facts,
                                           int first_day, int end_day);

/// The time series of the interactive map for the shown districts.
std::vector<MapLayer> map_layers(const Results& results, const RunFacts& facts);

/// Day `day` of a run as a date.
inline std::chrono::sys_days date_of(const RunFacts& facts, int day) {
  return facts.start + std::chrono::days(day);
}
/// "2026-01-05".
std::string iso_date(std::chrono::sys_days day);
/// ISO date text to a date; throws OutputError on anything else.
std::chrono::sys_days parse_iso_date(const std::string& text);

}  // namespace rfsim::outputs
