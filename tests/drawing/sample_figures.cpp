#include "sample_figures.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>

#include "geo/geography.h"
#include "geo/polygon_layer.h"

namespace rfsim::samples {

using namespace outputs;
using std::chrono::January;

namespace {

const std::chrono::sys_days kStart = std::chrono::year{2026} / January / 5;
const char* const kSource =
    "Sample figure with made-up values; boundaries geoBoundaries (CC BY 4.0).";

std::vector<Ring> rings_of(const OGRMultiPolygon& multipolygon) {
  std::vector<Ring> rings;
  for (const OGRPolygon* polygon : multipolygon) {
    for (const OGRLinearRing* ring : *polygon) {
      Ring points;
      for (const OGRPoint& p : *ring) points.push_back({p.getX(), p.getY()});
      rings.push_back(std::move(points));
    }
  }
  return rings;
}

// Daily arrivals: 60,000 returnees, most within three weeks, peaking on day 9.
std::vector<double> arrivals(int days, double total = 60000, double peak_day = 9) {
  const double scale = peak_day / 2;
  std::vector<double> a(days);
  double sum = 0;
  for (int t = 0; t < days; ++t) sum += a[t] = t * t * std::exp(-t / scale);
  for (double& v : a) v *= total / sum;
  return a;
}

// People present in 14-day quarantine: the sum of the last 14 days of `daily` times `share`.
std::vector<double> in_quarantine(const std::vector<double>& daily, double share) {
  std::vector<double> present(daily.size());
  for (std::size_t t = 0; t < daily.size(); ++t) {
    for (std::size_t s = t >= 13 ? t - 13 : 0; s <= t; ++s) present[t] += share * daily[s];
  }
  return present;
}

// A weekly need curve rising after the arrivals and easing off.
std::vector<double> weekly_need(int weeks, double peak, double peak_week) {
  std::vector<double> need(weeks);
  for (int w = 0; w < weeks; ++w) need[w] = peak * (w / peak_week) * std::exp(1 - w / peak_week);
  return need;
}

// The p-th percentile (0-100) of `values`, by linear interpolation.
double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const double position = p / 100 * (values.size() - 1);
  const std::size_t i = static_cast<std::size_t>(position);
  const std::size_t j = std::min(i + 1, values.size() - 1);
  return values[i] + (position - i) * (values[j] - values[i]);
}

TimeChart arrivals_chart() {
  const std::vector<double> total = arrivals(60);
  TimeChart chart;
  chart.titles = {"Daily arrivals by point of entry",
                  "60,000 returnees over three weeks after a Thai lockdown, 70 % through Poipet",
                  kSource};
  chart.y_units = "Returnees per day";
  chart.time = {kStart};
  const std::pair<const char*, double> shares[] = {
      {"Poipet", 0.70}, {"Other formal checkpoints", 0.20}, {"Informal crossings", 0.10}};
  for (const auto& [name, share] : shares) {
    Series s{name, {}};
    for (double v : total) s.values.push_back(v * share);
    chart.plot.areas.push_back(std::move(s));
  }
  return chart;
}

TimeChart occupancy_chart() {
  TimeChart chart;
  chart.titles = {
      "Poipet centre: beds occupied against capacity",
      "14-day mandatory quarantine; the centre is over its 1,500 beds for about two weeks",
      kSource};
  chart.y_units = "Beds occupied";
  chart.time = {kStart};
  chart.plot.lines.push_back({"Occupied beds", in_quarantine(arrivals(60), 0.056)});
  chart.plot.capacity = Capacity{"Capacity (1,500 beds)", {1500}, 0, "Over capacity"};
  return chart;
}

TimeChart fan_chart() {
  // 50 runs with different sizes and timings of the surge.
  const int days = 90, runs = 50;
  std::vector<std::vector<double>> members;
  std::uint32_t state = 12345;
  const auto uniform = [&] {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) / double(1u << 24);
  };
  for (int r = 0; r < runs; ++r) {
    const double total = 60000 * (0.75 + 0.5 * uniform());
    const double peak = 7 + 8 * uniform();
    members.push_back(in_quarantine(arrivals(days, total, peak), 0.22));
  }
  TimeChart chart;
  chart.titles = {
      "Returnees in quarantine, all sites: 50 runs",
      "Median with the middle 50 % and 90 % of runs (arrival surge size and timing uncertain)",
      kSource};
  chart.y_units = "Returnees in quarantine";
  chart.time = {kStart};
  Band outer{"5 \u2013 95 % of runs", {}, {}}, inner{"25 \u2013 75 % of runs", {}, {}};
  Series median{"Median", {}};
  for (int t = 0; t < days; ++t) {
    std::vector<double> day;
    for (const auto& m : members) day.push_back(m[t]);
    outer.lower.push_back(percentile(day, 5));
    outer.upper.push_back(percentile(day, 95));
    inner.lower.push_back(percentile(day, 25));
    inner.upper.push_back(percentile(day, 75));
    median.values.push_back(percentile(day, 50));
  }
  chart.plot.bands = {outer, inner};
  chart.plot.lines = {median};
  return chart;
}

// Made-up social-worker need of a place: peak need (full-time workers), its week, workers
// deployed at first; and of twelve districts.
struct DistrictNeed {
  const char* name;
  double peak, peak_week, deployed;
};
const DistrictNeed kNeeds[] = {
    {"Paoy Paet", 18.5, 4, 8},    {"Ou Chrov", 12.2, 5, 6}, {"Serei Saophoan", 10.8, 5, 6},
    {"Battambang", 9.6, 6, 7},    {"Malai", 7.1, 5, 3},     {"Thma Puok", 6.4, 6, 3},
    {"Mongkol Borei", 5.9, 6, 4}, {"Kamrieng", 4.8, 5, 2},  {"Sampov Lun", 4.1, 6, 2},
    {"Svay Chek", 3.7, 6, 2},     {"Siem Reap", 3.2, 7, 4}, {"Phnum Proek", 2.9, 6, 2}};

TimeChart workers_lines_chart() {
  TimeChart chart;
  chart.titles = {"Social workers needed and deployed, by province",
                  "Full-time social workers, week by week (caseload standard 25 open cases)",
                  kSource};
  chart.y_units = "Social workers";
  chart.time = {kStart, 0, 7};
  const DistrictNeed provinces[] = {
      {"Banteay Meanchey", 46, 5, 20}, {"Battambang", 31, 6, 18}, {"Siem Reap", 17, 7, 12}};
  for (std::size_t p = 0; p < std::size(provinces); ++p) {
    const auto& [name, peak, week, deployed] = provinces[p];
    chart.plot.lines.push_back(
        {std::string(name) + " needed", weekly_need(34, peak, week), category_colour(p)});
    chart.plot.lines.push_back({std::string(name) + " deployed", std::vector<double>(34, deployed),
                                category_colour(p), true});
  }
  return chart;
}

BarChart recommendation_chart() {
  BarChart chart;
  chart.titles = {"Where 40 additional social workers do most good",
                  "Recommended additional social workers by district (largest unmet need first)",
                  kSource};
  chart.units = "Additional social workers";
  chart.groups = {{"Additional social workers", {9, 6, 5, 4, 3, 3, 2, 2, 2, 2, 1, 1}}};
  for (const DistrictNeed& d : kNeeds) chart.categories.push_back(d.name);
  return chart;
}

BarChart demand_bars_chart() {
  BarChart chart;
  chart.titles = {"Social workers needed at the peak week against those deployed",
                  "Ten districts with the largest need, Banteay Meanchey and Battambang", kSource};
  chart.units = "Full-time social workers";
  chart.groups = {{"Needed", {}}, {"Deployed", {}}};
  for (const DistrictNeed& d : std::span(kNeeds).first(10)) {
    chart.categories.push_back(d.name);
    chart.groups[0].values.push_back(d.peak);
    chart.groups[1].values.push_back(d.deployed);
  }
  return chart;
}

SmallMultiples demand_multiples() {
  SmallMultiples chart;
  chart.titles = {"Social workers needed against those deployed, by district",
                  "Twelve districts, week by week; shaded where need exceeds the workers deployed",
                  kSource};
  chart.y_units = "Full-time social workers";
  chart.time = {kStart, 0, 7};
  for (const auto& [name, peak, week, deployed] : kNeeds) {
    Panel panel{name, {}};
    panel.plot.lines.push_back({"Needed", weekly_need(26, peak, week)});
    std::vector<double> workers(26, deployed);
    for (int w = 8; w < 26; ++w) workers[w] = deployed + 2;  // reinforcement from week 8
    panel.plot.capacity = Capacity{"Deployed", workers, 0, "Unmet need"};
    chart.panels.push_back(std::move(panel));
  }
  return chart;
}

}  // namespace

MapSpec three_province_map(const std::filesystem::path& data_dir) {
  geo::GeoInputs inputs;
  inputs.adm1_path = (data_dir / "geoBoundaries-KHM-ADM1-simplified.geojson").string();
  inputs.adm2_path = (data_dir / "geoBoundaries-KHM-ADM2-simplified.geojson").string();
  inputs.villages_csv = (data_dir / "nis-census-2008-villages.csv").string();
  const geo::Geography geography = geo::build_geography(inputs);
  const geo::PolygonLayer districts =
      geo::read_polygon_layer(inputs.adm2_path, {"shapeID"}, geo::kUtmZone48NEpsg);
  std::map<std::string, const OGRMultiPolygon*> by_shape_id;
  for (const auto& feature : districts.features)
    by_shape_id[feature.fields[0]] = feature.geometry.get();

  MapSpec map;
  map.titles = {"Returnees weigh most on the districts around Poipet",
                "Returnees per 1,000 residents in the districts of Banteay Meanchey, Battambang "
                "and Siem Reap, first eight weeks",
                "Made-up values for a sample map. Boundaries: geoBoundaries (CC BY 4.0); "
                "population: NIS census 2008 scaled to 2019."};
  map.legend_title = "Returnees per 1,000 residents";
  map.units = "weeks 1\u20138, quantile classes";
  const int poipet = geography.find("Paoy Paet");
  std::map<std::string, OGRMultiPolygon> provinces;  // the study districts of each province
  for (const geo::District& d : geography.districts) {
    std::vector<Ring> rings = rings_of(*by_shape_id.at(d.shape_id));
    if (!d.study_area) {
      map.context.push_back(std::move(rings));
      continue;
    }
    // Made up: falls off with the distance from Poipet, with a district-specific wobble.
    const double km =
        std::hypot(d.x - geography.districts[poipet].x, d.y - geography.districts[poipet].y) / 1000;
    const double wobble = 0.75 + 0.5 * ((d.name.size() * 37) % 11) / 10.0;
    for (const OGRPolygon* polygon : *by_shape_id.at(d.shape_id))
      provinces[d.province].addGeometry(polygon);
    MapArea area{d.name, std::move(rings), 3 + 60 * std::exp(-km / 55) * wobble, Point{d.x, d.y}};
    if (d.name == "Varin") area.value = NAN;  // shows the no-data look
    map.areas.push_back(std::move(area));
  }
  // Province outlines: the outer rings of the union of each province's districts (the
  // ADM1 polygons also run through the Tonle Sap, where no district is drawn; holes in the
  // union are slivers between simplified districts).
  for (const auto& [province, districts_of_province] : provinces) {
    const std::unique_ptr<OGRGeometry> merged(districts_of_province.UnionCascaded());
    if (!merged) throw std::runtime_error("cannot merge the districts of " + province);
    MapOutline outline;
    const auto add_exterior = [&](const OGRPolygon& polygon) {
      Ring ring;
      for (const OGRPoint& p : *polygon.getExteriorRing()) ring.push_back({p.getX(), p.getY()});
      outline.rings.push_back(std::move(ring));
    };
    if (const auto* polygon = dynamic_cast<const OGRPolygon*>(merged.get())) add_exterior(*polygon);
    if (const auto* multi = dynamic_cast<const OGRMultiPolygon*>(merged.get())) {
      for (const OGRPolygon* polygon : *multi) add_exterior(*polygon);
    }
    map.outlines.push_back(std::move(outline));
  }
  // Quarantine centres of the default scenario, drawn in their districts.
  const std::pair<const char*, double> facilities[] = {
      {"Paoy Paet", 1500},  {"Ou Chrov", 800}, {"Serei Saophoan", 800}, {"Mongkol Borei", 400},
      {"Battambang", 1000}, {"Kamrieng", 500}, {"Siem Reap", 800}};
  for (const auto& [district, beds] : facilities) {
    const geo::District& d = geography.districts[geography.find(district)];
    map.symbols.push_back({SymbolKind::facility, {d.x, d.y}, beds, ""});
  }
  // Formal checkpoints at their coordinates, informal crossings in border districts.
  const std::tuple<const char*, double, double> checkpoints[] = {
      {"Poipet", 102.55768, 13.65692},     {"Ou Beichoan", 102.73663, 13.77373},
      {"Doung", 102.44575, 13.09124},      {"O Anlok", 102.40521, 13.18902},
      {"Phsar Prum", 102.49574, 12.93107}, {"O Smach", 103.7002, 14.43193},
      {"Choam", 104.108, 14.378}};
  const auto to_utm = geo::transformation_from_wgs84(geo::kUtmZone48NEpsg);
  for (const auto& [name, lon, lat] : checkpoints) {
    double x = lon, y = lat;
    to_utm->Transform(1, &x, &y);
    map.symbols.push_back({SymbolKind::formal_entry, {x, y}, 0, name});
  }
  // Informal crossings: where the district boundary meets Thailand, due west of the
  // district's centre (due north for Thma Puok).
  for (const auto& [district, north] :
       {std::pair{"Malai", false}, std::pair{"Thma Puok", true}, std::pair{"Sampov Lun", false},
        std::pair{"Phnum Proek", false}}) {
    const geo::District& d = geography.districts[geography.find(district)];
    Point border{d.x, d.y};
    for (const Ring& ring : rings_of(*by_shape_id.at(d.shape_id))) {
      for (const Point& p : ring) {
        if (north ? std::fabs(p.x - d.x) < 3000 && p.y > border.y
                  : std::fabs(p.y - d.y) < 3000 && p.x < border.x) {
          border = p;
        }
      }
    }
    map.symbols.push_back({SymbolKind::informal_entry, border, 0, ""});
  }
  return map;
}

std::vector<Figure> sample_charts() {
  const Size chart_size{mm(170), mm(105)};
  const auto time_chart = [](TimeChart c) {
    return [c](Canvas& canvas) { draw_time_chart(canvas, c); };
  };
  const auto bar_chart = [](BarChart c) {
    return [c](Canvas& canvas) { draw_bar_chart(canvas, c); };
  };
  const SmallMultiples multiples = demand_multiples();
  return {
      {"arrivals-stacked", time_chart(arrivals_chart()), chart_size},
      {"occupancy-capacity", time_chart(occupancy_chart()), chart_size},
      {"quarantine-fan", time_chart(fan_chart()), chart_size},
      {"workers-lines", time_chart(workers_lines_chart()), chart_size},
      {"recommendation-bars", bar_chart(recommendation_chart()), chart_size},
      {"demand-bars", bar_chart(demand_bars_chart()), chart_size},
      {"demand-multiples",
       [multiples](Canvas& canvas) { draw_small_multiples(canvas, multiples); },
       {mm(170), mm(150)}},
  };
}

}  // namespace rfsim::samples
