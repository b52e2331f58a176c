// The figures of a report (see figures.h): MapSpecs and charts built from runs' facts and
// series, each captured by value in its DrawFunction.
#include "outputs/figures.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <cctype>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <set>

#include "outputs/chart_drawing.h"
#include "outputs/error.h"
#include "outputs/map_drawing.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Figures fit A4 portrait with 20 mm margins: 170 mm wide.
const Size kWide{mm(170), mm(118)};
const Size kMapSize{mm(170), mm(115)};
const Size kTall{mm(170), mm(200)};
/// Context districts are drawn this far around the districts shown.
constexpr double kContextMarginM = 25'000;

using RSeries = Results::Series;

std::string source_line(const Results& r) {
  return "rfsim " + r.meta.rfsim_version + " (" + r.meta.git_commit + "), scenario " +
         r.meta.scenario_name + ", seed " + std::to_string(r.meta.seed) + ", replicate " +
         std::to_string(r.meta.replicate) + ". Boundaries: geoBoundaries (CC BY 4.0).";
}

std::string comparison_source(std::span<const RunView> runs) {
  std::string names;
  for (const RunView& run : runs)
    names += (names.empty() ? "" : " vs ") + run.results->meta.scenario_name;
  return "rfsim " + runs[0].results->meta.rfsim_version + ": " + names +
         ". Boundaries: geoBoundaries (CC BY 4.0).";
}

const RSeries* find(const Results& r, const char* name, std::size_t columns = 0) {
  const RSeries* s = r.find_series(name);
  if (!s || s->values.size() != s->rows * s->columns || s->rows == 0) return nullptr;
  if (columns && s->columns != columns) return nullptr;
  return s;
}

std::vector<double> column(const RSeries& s, std::size_t j) {
  std::vector<double> v(s.rows);
  for (std::uint64_t t = 0; t < s.rows; ++t) v[t] = s.at(t, j);
  return v;
}

std::vector<double> row_sums(const RSeries& s) {
  std::vector<double> v(s.rows, 0.0);
  for (std::uint64_t t = 0; t < s.rows; ++t)
    for (std::uint64_t j = 0; j < s.columns; ++j) v[t] += s.at(t, j);
  return v;
}

std::vector<double> cumulative(std::vector<double> v) {
  std::partial_sum(v.begin(), v.end(), v.begin());
  return v;
}

/// The first `n` values (all if fewer).
std::vector<double> head(std::vector<double> v, std::size_t n) {
  if (v.size() > n) v.resize(n);
  return v;
}

/// Days to show of daily series that settle: up to a week after the last day any of them
/// is non-zero, at least four weeks, at most all.
std::size_t active_days(const std::vector<std::vector<double>>& series, std::size_t all,
                        std::size_t after = 7) {
  std::size_t last = 0;
  for (const auto& s : series)
    for (std::size_t t = 0; t < s.size(); ++t)
      if (s[t] != 0) last = std::max(last, t);
  return std::clamp(last + after + 1, std::min<std::size_t>(28, all), all);
}

/// A line, with a fan of ensemble bands when the run has them (the hook for ensembles: a
/// RunView with bands draws the same charts as fan charts).
void add_line(Plot& plot, Series line, const Bands& bands = {}) {
  if (!bands.empty()) {
    plot.bands.push_back({"5 \u2013 95 % of runs", bands.q05, bands.q95});
    plot.bands.push_back({"25 \u2013 75 % of runs", bands.q25, bands.q75});
  }
  plot.lines.push_back(std::move(line));
}

/// The time axis of `run`'s charts from `start`: days first_day + i * step_days, with its
/// branch day marked.
TimeAxis time_axis(const RunView& run, double first_day = 0, double step_days = 1) {
  TimeAxis time{run.facts->start, first_day, step_days};
  if (run.branch_day) time.mark_day = *run.branch_day, time.mark_label = "branch";
  return time;
}

Figure chart_figure(std::string name, Section section, const TimeChart& chart, Size size = kWide) {
  return {std::move(name), chart.titles.title, section,
          [chart](Canvas& canvas) { draw_time_chart(canvas, chart); }, size};
}

// ---- maps --------------------------------------------------------------------------------

/// The districts shown (no values yet), their grey neighbours, province outlines, symbols.
MapSpec base_map(const RunView& run, const Boundaries& boundaries, std::span<const int> shown) {
  const Results& r = *run.results;
  MapSpec map;
  for (int i : shown)
    map.areas.push_back({r.districts[i].name, boundaries.rings(i), kNaN,
                         Point{r.districts[i].x, r.districts[i].y}});
  map.context = boundaries.context_rings(shown, kContextMarginM);
  map.outlines = boundaries.province_outlines(r, shown);
  for (const FacilityFacts& f : run.facts->facilities)
    map.symbols.push_back({SymbolKind::facility, {f.at.x, f.at.y}, f.capacity, ""});
  for (const EntryFacts& e : run.facts->entry_points)
    map.symbols.push_back({e.formal ? SymbolKind::formal_entry : SymbolKind::informal_entry,
                           {e.at.x, e.at.y}, 0, e.formal ? e.name : ""});
  map.titles.source = source_line(r);
  return map;
}

std::string map_file_name(const IndicatorInfo& info) {
  std::string name = std::string("map-") + info.key;
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

Figure indicator_map(const MapSpec& base, const RunView& run, const IndicatorInfo& info,
                     Section section) {
  MapSpec map = base;
  for (std::size_t k = 0; k < map.areas.size(); ++k)
    map.areas[k].value = run.facts->districts[k][info.id];
  map.titles.title = info.label;
  std::string how = info.source;
  if (!how.empty()) how[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(how[0])));
  map.titles.subtitle = how + "; scenario " + run.results->meta.scenario_name + ".";
  map.legend_title = info.label;
  map.units = info.units;
  map.no_data_label = "Outside the study area";
  std::vector<double> values;
  for (const MapArea& a : map.areas) values.push_back(a.value);
  const bool all_equal = std::all_of(values.begin(), values.end(), [&](double v) {
    return v == values.front() || std::isnan(v);
  });
  if (all_equal && !values.empty() && std::isfinite(values.front()))
    map.classes.breaks = {values.front(), values.front() + 1};
  return {map_file_name(info), info.label, section,
          [map](Canvas& canvas) { draw_map(canvas, map); }, kMapSize};
}

/// Symmetric classes around zero for differences: about the same (within a tenth of the
/// largest change), up to half of it, and beyond.
Classes difference_classes(const std::vector<double>& values) {
  double largest = 0;
  for (double v : values)
    if (std::isfinite(v)) largest = std::max(largest, std::fabs(v));
  const double m = largest > 0 ? nice_ticks(0, largest, 3).back() : 1;
  return {{-m, -m / 2, -m / 10, m / 10, m / 2, m}};
}

ColourRamp diverging_ramp() {
  // ColorBrewer RdBu reversed: blue (fewer) through white to red (more).
  return ColourRamp({Colour::hex("#2166ac"), Colour::hex("#92c5de"), Colour::hex("#f7f7f7"),
                     Colour::hex("#f4a582"), Colour::hex("#b2182b")});
}

// ---- charts of one run ---------------------------------------------------------------------

std::optional<Figure> arrivals_chart(const RunView& run) {
  const Results& r = *run.results;
  const RSeries* s = find(r, "arrivals/by_entry_point", r.entry_points.size());
  if (!s || r.entry_points.empty()) return std::nullopt;
  std::vector<std::size_t> order(r.entry_points.size());
  std::iota(order.begin(), order.end(), 0);
  const auto& entries = run.facts->entry_points;
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return entries[a].arrivals > entries[b].arrivals; });
  const std::size_t named = std::min<std::size_t>(order.size() <= 6 ? order.size() : 5, order.size());
  TimeChart chart;
  std::vector<std::vector<double>> all;
  for (std::size_t k = 0; k < named; ++k) all.push_back(column(*s, order[k]));
  std::vector<double> rest(s->rows, 0.0);
  for (std::size_t k = named; k < order.size(); ++k)
    for (std::uint64_t t = 0; t < s->rows; ++t) rest[t] += s->at(t, order[k]);
  if (named < order.size()) all.push_back(rest);
  const std::size_t days = active_days(all, s->rows);
  for (std::size_t k = 0; k < all.size(); ++k)
    chart.plot.areas.push_back(
        {k < named ? r.entry_points[order[k]].name
                   : "Other " + std::to_string(order.size() - named) + " entry points",
         head(all[k], days)});
  chart.titles = {"Daily arrivals by point of entry",
                  "Returnees crossing the border each day; the five busiest points of entry, "
                  "the others together",
                  source_line(r)};
  chart.y_units = "Returnees per day";
  chart.time = time_axis(run);
  return chart_figure("arrivals-by-entry-point", Section::quarantine, chart);
}

/// Beds open each day, all facilities (or one): of a run's facts or an ensemble's view
/// (anything with facilities that have capacity, opens and closes).
template <typename Places>
std::vector<double> beds_open(const Places& places, std::size_t days, int only = -1) {
  std::vector<double> beds(days, 0.0);
  for (std::size_t f = 0; f < places.facilities.size(); ++f) {
    if (only >= 0 && static_cast<int>(f) != only) continue;
    const auto& fa = places.facilities[f];
    for (std::size_t t = 0; t < days; ++t)
      if (static_cast<int>(t) >= fa.opens && static_cast<int>(t) < fa.closes) beds[t] += fa.capacity;
  }
  return beds;
}

std::optional<Figure> occupancy_multiples(const RunView& run) {
  const Results& r = *run.results;
  const RSeries* s = find(r, "quarantine/occupancy", r.facilities.size());
  if (!s || r.facilities.empty()) return std::nullopt;
  std::vector<std::vector<double>> all;
  for (std::size_t f = 0; f < r.facilities.size(); ++f) all.push_back(column(*s, f));
  const std::size_t days = active_days(all, s->rows, 14);
  SmallMultiples chart;
  chart.titles = {"Beds occupied in each quarantine facility, against its beds",
                  "Shaded where a site is above its beds; see the table for the days each "
                  "site turned returnees away",
                  source_line(r)};
  chart.y_units = "Beds occupied";
  chart.time = time_axis(run);
  for (std::size_t f = 0; f < r.facilities.size(); ++f) {
    Panel panel{r.facilities[f].name, {}};
    panel.plot.lines.push_back({"Beds occupied", head(all[f], days)});
    panel.plot.capacity = Capacity{"Beds", beds_open(*run.facts, days, static_cast<int>(f)), 0,
                                   "Above the beds"};
    chart.panels.push_back(std::move(panel));
  }
  const double rows = std::ceil(r.facilities.size() / 3.0);
  const Size size{kWide.width, std::min(mm(140), mm(30) + rows * mm(36))};
  return Figure{"occupancy-by-facility", chart.titles.title, Section::quarantine,
                [chart](Canvas& canvas) { draw_small_multiples(canvas, chart); }, size};
}

std::optional<Figure> all_sites_chart(const RunView& run) {
  const Results& r = *run.results;
  const RSeries* occupancy = find(r, "quarantine/occupancy", r.facilities.size());
  const RSeries* overflow = find(r, "quarantine/overflow", 1);
  if (!occupancy) return std::nullopt;
  const std::vector<double> total = row_sums(*occupancy);
  std::vector<std::vector<double>> all{total};
  if (overflow) all.push_back(column(*overflow, 0));
  const std::size_t days = active_days(all, occupancy->rows, 14);
  TimeChart chart;
  chart.titles = {"All quarantine sites: beds occupied against beds open",
                  "With the returnees who needed a bed and got none each day (home "
                  "quarantine or waiting at the entry point)",
                  source_line(r)};
  chart.y_units = "Beds, returnees";
  chart.time = time_axis(run);
  add_line(chart.plot, {"Beds occupied", head(total, days)});
  if (overflow)
    chart.plot.lines.push_back(
        {"Returnees without a bed", head(all[1], days), style::over, true});
  chart.plot.capacity = Capacity{"Beds open", beds_open(*run.facts, days), 0, "Above the beds"};
  return chart_figure("occupancy-all-sites", Section::quarantine, chart, {kWide.width, mm(100)});
}

std::optional<Figure> states_chart(const RunView& run) {
  const Results& r = *run.results;
  struct State {
    const char* series;
    const char* label;
    const char* colour;
  };
  const State states[] = {{"state/quarantine", "In a quarantine bed", "#1d4f91"},
                          {"state/isolation", "In isolation", "#e69f00"},
                          {"state/home_quarantine", "Home quarantine", "#56b4e9"},
                          {"state/waiting_at_entry", "Waiting at the entry point", "#d55e00"},
                          {"state/in_transit", "Travelling home", "#f0e442"},
                          {"state/at_home", "At home", "#a8cfa5"},
                          {"state/left_study_area", "Left the study area", "#d4d4d4"},
                          {"state/remigrated", "Re-migrated", "#c0392b"}};
  TimeChart chart;
  for (const State& state : states)
    if (const RSeries* s = find(r, state.series, 1))
      chart.plot.areas.push_back({state.label, column(*s, 0), Colour::hex(state.colour)});
  if (chart.plot.areas.empty()) return std::nullopt;
  chart.titles = {"Where the returnees are, day by day",
                  "Every returnee who has crossed the border, by where they are at the end of "
                  "each day",
                  source_line(r)};
  chart.y_units = "Returnees";
  chart.time = time_axis(run);
  return chart_figure("returnees-by-state", Section::overview, chart, {kWide.width, mm(100)});
}

/// Study districts by their highest weekly whole need, largest first.
std::vector<const DistrictFacts*> by_need(const RunFacts& facts) {
  std::vector<const DistrictFacts*> out;
  for (const auto& d : facts.districts)
    if (d.study_area) out.push_back(&d);
  auto key = [](const DistrictFacts* d) {
    const double need = (*d)[Indicator::peak_need_fte];
    return std::isnan(need) ? (*d)[Indicator::peak_demand_fte] : need;
  };
  std::stable_sort(out.begin(), out.end(), [&](auto a, auto b) { return key(a) > key(b); });
  return out;
}

std::optional<Figure> workers_multiples(const RunView& run) {
  const Results& r = *run.results;
  const std::size_t n = r.districts.size();
  const RSeries* demand = find(r, "services/demand_fte", n);
  const RSeries* need = find(r, "services/need_fte", n);
  const RSeries* deployed = find(r, "services/deployed_fte", n);
  if (!demand || !deployed) return std::nullopt;
  const auto order = by_need(*run.facts);
  const std::size_t shown = std::min<std::size_t>(order.size(), 20);
  SmallMultiples chart;
  chart.titles = {
      "Social workers needed against those deployed, by district, week by week",
      "The " + std::to_string(shown) + " study districts with the largest need; shaded where "
      "identified demand exceeds the workers deployed (all districts: table)",
      source_line(r)};
  chart.y_units = "Full-time social workers";
  chart.time = time_axis(run, 0, 7);
  for (std::size_t k = 0; k < shown; ++k) {
    const int j = order[k]->index;
    Panel panel{order[k]->name, {}};
    panel.plot.lines.push_back({"Demand (identified needs)", column(*demand, j)});
    if (need)
      panel.plot.lines.push_back({"Whole need (identified or not)", column(*need, j),
                                  category_colour(1), true});
    panel.plot.capacity = Capacity{"Deployed", column(*deployed, j), 0, "Demand above deployed"};
    chart.panels.push_back(std::move(panel));
  }
  if (chart.panels.empty()) return std::nullopt;
  chart.columns = shown > 12 ? 5 : 4;
  return Figure{"social-workers-by-district", chart.titles.title, Section::workers,
                [chart](Canvas& canvas) { draw_small_multiples(canvas, chart); }, kTall};
}

std::optional<Figure> gap_bars(const RunView& run) {
  const auto order = by_need(*run.facts);
  BarChart chart;
  chart.groups = {{"Against identified demand", {}}, {"Against the whole need", {}}};
  for (const DistrictFacts* d : order) {
    if (chart.categories.size() == 10) break;
    const double gap = (*d)[Indicator::peak_gap_fte], need_gap = (*d)[Indicator::peak_need_gap_fte];
    if (!(gap > 0) && !(need_gap > 0)) continue;
    chart.categories.push_back(d->name);
    chart.groups[0].values.push_back(std::isnan(gap) ? 0 : gap);
    chart.groups[1].values.push_back(std::isnan(need_gap) ? 0 : need_gap);
  }
  if (chart.categories.empty()) return std::nullopt;
  chart.titles = {"Social workers missing at the peak week, by district",
                  "Highest weekly shortfall against the workers deployed, districts with the "
                  "largest need first",
                  source_line(*run.results)};
  chart.units = "Full-time social workers";
  const double rows = static_cast<double>(chart.categories.size());
  const Size size{kWide.width, std::clamp(mm(40) + rows * mm(8), mm(70), mm(140))};
  return Figure{"social-worker-gap-by-district", chart.titles.title, Section::workers,
                [chart](Canvas& canvas) { draw_bar_chart(canvas, chart); }, size};
}

std::optional<Figure> recommendation_bars(const RunView& run) {
  const Results& r = *run.results;
  if (r.recommendation.size() < 3) return std::nullopt;  // (the briefing lists one or two)
  BarChart chart;
  chart.groups = {{"Additional social workers", {}}};
  for (const auto& rec : r.recommendation) {
    chart.categories.push_back(rec.district_name);
    chart.groups[0].values.push_back(rec.workers);
  }
  chart.titles = {"Where the " + std::to_string(r.additional_workers) +
                      " additional social workers should go",
                  "The placement that closes most of the weekly gap, by district",
                  source_line(r)};
  chart.units = "Additional social workers";
  const double rows = static_cast<double>(chart.categories.size());
  const Size size{kWide.width, std::clamp(mm(40) + rows * mm(8), mm(60), kTall.height)};
  return Figure{"recommendation", chart.titles.title, Section::workers,
                [chart](Canvas& canvas) { draw_bar_chart(canvas, chart); }, size};
}

std::optional<Figure> reintegration_chart(const RunView& run) {
  const Results& r = *run.results;
  const RSeries* packages = find(r, "reintegration/packages", r.districts.size());
  const RSeries* remigrated = find(r, "reintegration/remigrated", r.districts.size());
  if (!packages && !remigrated) return std::nullopt;
  TimeChart chart;
  chart.titles = {"Reintegration packages and irregular re-migration",
                  "Cumulative: packages delivered and returnees who re-migrated irregularly, "
                  "study area",
                  source_line(r)};
  chart.y_units = "Persons, packages (cumulative)";
  chart.time = time_axis(run);
  if (packages) add_line(chart.plot, {"Packages delivered", cumulative(row_sums(*packages))});
  if (remigrated)
    add_line(chart.plot, {"Re-migrated irregularly", cumulative(row_sums(*remigrated)),
                          style::over});
  return chart_figure("packages-and-remigration", Section::reintegration, chart);
}

/// A summary figure of `r`, NaN when the file has none.
double summary_of(const Results& r, const char* key) {
  const auto it = r.summary.find(key);
  return it == r.summary.end() ? kNaN : it->second;
}

/// A chart of weekly values, each at the end of its week.
TimeChart weekly_chart(const RunView& run, std::string title, std::string subtitle,
                       std::string y_units) {
  TimeChart chart;
  chart.titles = {std::move(title), std::move(subtitle), source_line(*run.results)};
  chart.y_units = std::move(y_units);
  chart.time = time_axis(run, 6, 7);
  return chart;
}

std::optional<Figure> target_chart(const RunView& run) {
  const Results& r = *run.results;
  const double target = summary_of(r, "vulnerable_target");
  const RSeries* identified = find(r, "target/identified", r.districts.size());
  const RSeries* referred = find(r, "target/referred", r.districts.size());
  const RSeries* served = find(r, "target/served", r.districts.size());
  if (!identified || !referred || !served || !(target > 0)) return std::nullopt;
  TimeChart chart = weekly_chart(run,
                                 "People reached towards the target of " +
                                     format_number(target, 0),
                                 "Returnees and host-community members, cumulative at the end "
                                 "of each week, all districts",
                                 "Persons (cumulative)");
  add_line(chart.plot, {"A need identified", row_sums(*identified)});
  add_line(chart.plot, {"Referred", row_sums(*referred)});
  add_line(chart.plot, {"Served (a case opened)", row_sums(*served)});
  chart.plot.lines.push_back({"Target", std::vector<double>(identified->rows, target),
                              style::ink, true});
  return chart_figure("target-progress", Section::programme, chart, {kWide.width, mm(100)});
}

std::optional<Figure> envelope_chart(const RunView& run) {
  const Results& r = *run.results;
  const RSeries* spent = find(r, "cost/envelope_spent", 1);
  const RSeries* total = find(r, "cost/total", 1);
  const double envelope = summary_of(r, "envelope_usd");
  if (!spent || !total || !std::isfinite(envelope)) return std::nullopt;
  TimeChart chart = weekly_chart(run, "Spending against the envelope",
                                 "Cumulative at the end of each week: what the envelope "
                                 "covers, and every component (all funders)",
                                 "USD (cumulative)");
  add_line(chart.plot, {"Covered by the envelope", column(*spent, 0)});
  add_line(chart.plot, {"All components", cumulative(column(*total, 0)), std::nullopt, true});
  chart.plot.capacity = Capacity{"Envelope", {envelope}, 0, "Beyond the envelope"};
  return chart_figure("envelope", Section::costs, chart, {kWide.width, mm(100)});
}

/// The SVG with the coordinates of its paths cut to two decimals (a hundredth of a point,
/// far below what any screen or printer shows): a third smaller to inline.
std::string compact_svg(const std::string& svg) {
  std::string out;
  out.reserve(svg.size());
  std::size_t at = 0;
  while (true) {
    const std::size_t open = svg.find(" d=\"", at);
    if (open == std::string::npos) break;
    const std::size_t start = open + 4, close = svg.find('"', start);
    if (close == std::string::npos) break;
    out.append(svg, at, start - at);
    // Within the attribute: keep at most two digits after each decimal point.
    for (std::size_t i = start; i < close; ++i) {
      const char c = svg[i];
      out += c;
      if (c != '.') continue;
      std::size_t j = i + 1, kept = 0;
      while (j < close && std::isdigit(static_cast<unsigned char>(svg[j]))) {
        if (kept < 2) out += svg[j], ++kept;
        ++j;
      }
      while (!out.empty() && out.back() == '0') out.pop_back();
      if (out.back() == '.') out.pop_back();
      i = j - 1;
    }
    at = close;
  }
  out.append(svg, at, std::string::npos);
  return out;
}

}  // namespace

std::vector<Figure> run_figures(const RunView& run, const Boundaries& boundaries) {
  std::vector<Figure> out;
  const MapSpec base = base_map(run, boundaries, run.facts->shown);
  for (const IndicatorInfo& info : indicator_infos()) {
    if (info.id == Indicator::left_study_area) continue;  // (in the GeoPackage and tables)
    const bool any = std::any_of(run.facts->districts.begin(), run.facts->districts.end(),
                                 [&](const DistrictFacts& d) { return std::isfinite(d[info.id]); });
    if (any) out.push_back(indicator_map(base, run, info, Section::maps));
  }
  for (auto figure : {states_chart(run), arrivals_chart(run), all_sites_chart(run),
                      occupancy_multiples(run), workers_multiples(run), gap_bars(run),
                      recommendation_bars(run), reintegration_chart(run), target_chart(run),
                      envelope_chart(run)})
    if (figure) out.push_back(std::move(*figure));
  return out;
}

Figure print_map(const RunView& run, const Boundaries& boundaries) {
  const MapSpec base = base_map(run, boundaries, run.facts->shown);
  Figure figure = indicator_map(base, run, info(Indicator::peak_per_1000), Section::maps);
  figure.name = "map-" + run.facts->label;
  return figure;
}

std::vector<Figure> comparison_figures(std::span<const RunView> runs,
                                       const Boundaries& boundaries) {
  std::vector<Figure> out;
  if (runs.empty()) return out;
  const std::string source = comparison_source(runs);
  auto overlay = [&](const char* file, Section section, const char* title, const char* subtitle,
                     const char* units, int step,
                     const std::function<std::optional<std::vector<double>>(const RunView&)>& get) {
    TimeChart chart;
    chart.titles = {title, subtitle, source};
    chart.y_units = units;
    chart.time = time_axis(runs[0], 0, static_cast<double>(step));
    for (std::size_t k = 0; k < runs.size(); ++k)
      if (auto v = get(runs[k]))
        add_line(chart.plot, {runs[k].facts->label, std::move(*v), category_colour(k), k > 0});
    if (!chart.plot.lines.empty()) out.push_back(chart_figure(file, section, chart));
  };
  auto total = [](const char* name, bool cumulate) {
    return [name, cumulate](const RunView& run) -> std::optional<std::vector<double>> {
      const RSeries* s = find(*run.results, name);
      if (!s) return std::nullopt;
      auto v = row_sums(*s);
      return cumulate ? cumulative(v) : v;
    };
  };
  overlay("compare-arrivals", Section::quarantine, "Daily arrivals",
          "Returnees crossing the border each day, all points of entry", "Returnees per day", 1,
          total("arrivals/daily", false));
  overlay("compare-occupancy", Section::quarantine, "Quarantine beds occupied, all sites",
          "Beds occupied at the end of each day", "Beds occupied", 1,
          total("quarantine/occupancy", false));
  overlay("compare-overflow", Section::quarantine, "Returnees without a bed",
          "Returnees who needed a quarantine bed and got none, each day", "Returnees", 1,
          total("quarantine/overflow", false));
  overlay("compare-demand", Section::workers, "Social-worker demand, all districts",
          "Weekly demand from identified needs, in full-time social workers",
          "Full-time social workers", 7, total("services/demand_fte", false));
  overlay("compare-need-gap", Section::workers, "Social workers missing against the whole need",
          "Weekly whole need minus workers deployed, summed over districts",
          "Full-time social workers", 7, total("services/need_gap_fte", false));
  overlay("compare-packages", Section::reintegration, "Reintegration packages delivered",
          "Cumulative", "Packages", 1, total("reintegration/packages", true));
  overlay("compare-remigrated", Section::reintegration, "Irregular re-migration",
          "Cumulative re-migrations", "Persons", 1, total("reintegration/remigrated", true));

  // Difference maps: each later run minus the first, over the districts either shows.
  std::set<int> union_shown;
  for (const RunView& run : runs) union_shown.insert(run.facts->shown.begin(), run.facts->shown.end());
  const std::vector<int> shown(union_shown.begin(), union_shown.end());
  const MapSpec base = base_map(runs[0], boundaries, shown);
  auto value = [](const RunFacts& facts, int district, Indicator id) {
    for (const auto& d : facts.districts)
      if (d.index == district) return d[id];
    return 0.0;  // (not shown: nothing there)
  };
  const Indicator compared[] = {Indicator::peak_per_1000, Indicator::peak_gap_fte,
                                Indicator::peak_need_gap_fte, Indicator::unmet_need_weeks,
                                Indicator::packages, Indicator::remigrated};
  for (std::size_t k = 1; k < runs.size(); ++k) {
    for (Indicator id : compared) {
      const IndicatorInfo& in = info(id);
      MapSpec map = base;
      std::vector<double> values;
      for (std::size_t a = 0; a < shown.size(); ++a) {
        map.areas[a].value =
            value(*runs[k].facts, shown[a], id) - value(*runs[0].facts, shown[a], id);
        values.push_back(map.areas[a].value);
      }
      map.classes = difference_classes(values);
      map.ramp = diverging_ramp();
      map.titles = {std::string(in.label) + ": " + runs[k].facts->label + " minus " +
                        runs[0].facts->label,
                    "Red: more in " + runs[k].facts->label + "; blue: fewer; white: about the same",
                    source};
      map.legend_title = "Difference";
      map.units = in.units;
      map.no_data_label = "Outside the study area";
      std::string name = map_file_name(in);
      name.replace(0, 3, "difference-" + std::to_string(k));
      out.push_back({name, map.titles.title, Section::maps,
                     [map](Canvas& canvas) { draw_map(canvas, map); }, kMapSize});
    }
  }
  return out;
}

// ---- an ensemble's fan charts -----------------------------------------------------------------

namespace {

std::string ensemble_source(const EnsembleView& e) {
  return "rfsim " + e.rfsim_version + " (" + e.git_commit + "), scenario " + e.scenario_name +
         ", seed " + std::to_string(e.seed) + ", " + std::to_string(e.replicates) +
         " replicates: the median and the 25-75 % and 5-95 % of the replicates at each date.";
}

Bands head(Bands b, std::size_t n) {
  for (std::vector<double>* v : {&b.q05, &b.q25, &b.q50, &b.q75, &b.q95}) *v = head(*v, n);
  return b;
}

/// Weekly series end each week (day 6, 13, ...), daily ones show their active days.
std::size_t shown_rows(const EnsembleView::SeriesBands& s, const std::vector<Bands>& bands) {
  if (s.row_axis == "week") return s.rows;
  std::vector<std::vector<double>> upper;
  for (const Bands& b : bands) upper.push_back(b.q95);
  return active_days(upper, s.rows, 14);
}

TimeAxis ensemble_time(const EnsembleView& e, const EnsembleView::SeriesBands& s) {
  return s.row_axis == "week" ? TimeAxis{e.start, 6, 7} : TimeAxis{e.start};
}

struct FanText {
  const char* series;
  const char* name;
  Section section;
  const char* title;
  const char* subtitle;
  const char* y_units;
};

/// A series of one column as a fan chart; the quarantine load against the beds open.
std::optional<Figure> fan_chart(const EnsembleView& e, const FanText& text, bool against_beds) {
  const EnsembleView::SeriesBands* s = e.find_series(text.series);
  if (!s || s->columns != 1 || s->rows == 0) return std::nullopt;
  Bands b = s->column(0);
  const std::size_t rows = shown_rows(*s, {b});
  b = head(std::move(b), rows);
  TimeChart chart;
  chart.titles = {text.title, text.subtitle, ensemble_source(e)};
  chart.y_units = text.y_units;
  chart.time = ensemble_time(e, *s);
  add_line(chart.plot, {"Median", b.q50}, b);
  if (against_beds && !e.facilities.empty())
    chart.plot.capacity = Capacity{"Beds open", beds_open(e, rows), 0, "Median above the beds"};
  return chart_figure(text.name, text.section, chart);
}

/// A series by district as small fan charts: the districts whose 95 % curve is ever above
/// zero, the highest first, at most nine.
std::optional<Figure> fan_multiples(const EnsembleView& e, const FanText& text) {
  const EnsembleView::SeriesBands* s = e.find_series(text.series);
  if (!s || s->columns != e.districts.size() || s->rows == 0) return std::nullopt;
  std::vector<std::pair<double, std::size_t>> peaks;
  for (std::size_t j = 0; j < s->columns; ++j) {
    const Bands b = s->column(j);
    const double peak = *std::max_element(b.q95.begin(), b.q95.end());
    if (peak > 0) peaks.push_back({-peak, j});
  }
  if (peaks.empty()) return std::nullopt;
  std::sort(peaks.begin(), peaks.end());
  if (peaks.size() > 9) peaks.resize(9);
  std::vector<Bands> bands;
  for (const auto& [peak, j] : peaks) bands.push_back(s->column(j));
  const std::size_t rows = shown_rows(*s, bands);
  SmallMultiples chart;
  chart.titles = {text.title, text.subtitle, ensemble_source(e)};
  chart.y_units = text.y_units;
  chart.time = ensemble_time(e, *s);
  for (std::size_t k = 0; k < peaks.size(); ++k) {
    Panel panel{e.districts[peaks[k].second], {}};
    const Bands b = head(bands[k], rows);
    add_line(panel.plot, {"Median", b.q50}, b);
    chart.panels.push_back(std::move(panel));
  }
  const double panel_rows = std::ceil(static_cast<double>(chart.panels.size()) / 3.0);
  const Size size{kWide.width, std::min(mm(140), mm(30) + panel_rows * mm(36))};
  return Figure{text.name, chart.titles.title, text.section,
                [chart](Canvas& canvas) { draw_small_multiples(canvas, chart); }, size};
}

}  // namespace

std::vector<Figure> ensemble_figures(const EnsembleView& e) {
  std::vector<Figure> out;
  auto add = [&](std::optional<Figure> f) {
    if (f) out.push_back(std::move(*f));
  };
  add(fan_chart(e,
                {"state/quarantine", "fan-quarantine-occupancy", Section::quarantine,
                 "All quarantine sites: beds occupied against beds open",
                 "Returnees in a quarantine bed at the end of each day, over the replicates",
                 "Beds occupied"},
                true));
  add(fan_chart(e,
                {"quarantine/overflow", "fan-overflow", Section::quarantine,
                 "Returnees who needed a bed and got none",
                 "Each day: home quarantine or waiting at the entry point", "Returnees per day"},
                false));
  add(fan_multiples(e, {"services/gap_fte", "fan-social-worker-gap", Section::workers,
                        "Social-worker gap by district",
                        "Weekly demand minus deployed workers, where positive; the districts "
                        "with a gap in some replicates",
                        "FTE social workers"}));
  add(fan_multiples(e, {"infection/community_infectious_days", "fan-community-infectious-days",
                        Section::overview, "Infectious returnees in the community by district",
                        "Infectious returnees at home each day (undetected or not yet recovered)",
                        "Person-days per day"}));
  add(fan_chart(e,
                {"state/remigrated", "fan-remigrated", Section::reintegration,
                 "Irregular re-migration", "Returnees who re-migrated after returning home",
                 "Persons (cumulative)"},
                false));
  add(fan_chart(e,
                {"cost/total", "fan-cost", Section::costs, "Cost by week",
                 "Cost of every component each week (all funders)", "USD per week"},
                false));
  return out;
}

namespace {

/// A bar chart figure of `rows` categories, named "<stem>-<figure>" (dots, underscores and
/// slashes become dashes).
Figure study_bars(const std::string& stem, const std::string& figure, BarChart chart) {
  std::string name = stem + "-" + figure;
  std::replace(name.begin(), name.end(), '.', '-');
  std::replace(name.begin(), name.end(), '_', '-');
  std::replace(name.begin(), name.end(), '/', '-');  // (a series name: "arrivals/daily")
  const double rows = static_cast<double>(chart.categories.size() * chart.groups.size());
  const Size size{kWide.width, std::clamp(mm(40) + rows * mm(7), mm(60), kTall.height)};
  return Figure{name, chart.titles.title, Section::overview,
                [chart](Canvas& canvas) { draw_bar_chart(canvas, chart); }, size};
}

std::string study_source(const StudyHeader& s, const std::string& what) {
  return what + " of scenario " + s.scenario_name + " (seed " + std::to_string(s.seed) +
         "); rfsim " + s.rfsim_version;
}

}  // namespace

std::vector<Figure> sweep_figures(const SweepView& s) {
  std::vector<Figure> out;
  for (const std::string& name : study_key_figures()) {
    const SweepView::Figure* f = s.find_figure(name);
    if (!f) continue;
    bool differs = false, finite = true;
    for (double m : f->mean) {
      differs = differs || m != f->mean.front();
      finite = finite && std::isfinite(m);
    }
    if (!differs || !finite) continue;
    BarChart chart;
    chart.groups = {{"Mean over " + std::to_string(s.replicates) + " replicates", f->mean}};
    for (std::size_t p = 0; p < static_cast<std::size_t>(s.points); ++p)
      chart.categories.push_back(s.point_label(p));
    chart.titles = {figure_title(f->description, name),
                    "At each point of the sweep (the same random numbers at every point)",
                    study_source(s, "Sweep")};
    chart.units = f->units;
    out.push_back(study_bars("sweep", name, std::move(chart)));
  }
  return out;
}

std::vector<Figure> sensitivity_figures(const SensitivityView& s) {
  std::vector<Figure> out;
  for (const std::string& name : study_key_figures()) {
    const SensitivityView::Indices* ix = s.find(name);
    if (!ix || !(ix->variance > 0)) continue;
    BarChart chart;
    chart.groups = {{"First-order index (alone)", {}}, {"Total index (with interactions)", {}}};
    auto bar = [](double index) { return std::isfinite(index) ? std::max(0.0, index) : 0.0; };
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
      chart.categories.push_back(s.parameters[i].key);
      chart.groups[0].values.push_back(bar(ix->first[i]));
      chart.groups[1].values.push_back(bar(ix->total[i]));
    }
    chart.titles = {figure_title(ix->description, name),
                    "Share of its variance due to each parameter over its range (" + name + ")",
                    study_source(s, "Sobol indices")};
    chart.units = "Share of the variance";
    out.push_back(study_bars("sobol", name, std::move(chart)));
  }
  return out;
}

std::vector<Figure> calibration_figures(const CalibrationView& c) {
  // One chart per series and statistic: their observations share units.
  std::vector<std::pair<std::string, std::string>> groups;  // (series, statistic), file order
  for (const CalibrationView::Row& row : c.rows)
    if (std::find(groups.begin(), groups.end(), std::pair(row.series, row.statistic)) ==
        groups.end())
      groups.emplace_back(row.series, row.statistic);
  std::vector<Figure> out;
  for (const auto& [series, statistic] : groups) {
    BarChart chart;
    chart.groups = {{"Observed", {}},
                    {"Fitted: mean of " + std::to_string(c.band_replicates) + " replicates", {}}};
    for (const CalibrationView::Row& row : c.rows) {
      if (row.series != series || row.statistic != statistic) continue;
      chart.categories.push_back(row.date + (row.column == "total" ? "" : ", " + row.column));
      chart.groups[0].values.push_back(row.observed);
      chart.groups[1].values.push_back(row.mean);
    }
    chart.titles = {series + ": observed and fitted",
                    "At the fitted values; the table gives the 5-95 % range of the replicates",
                    study_source(c, "Calibration")};
    chart.units = series + (statistic == "mean" ? ", mean over the dates" : ", sum over the dates");
    out.push_back(study_bars("fit", series + "-" + statistic, std::move(chart)));
  }
  return out;
}

std::vector<std::string> render_figures(std::span<const Figure> figures, const fs::path& png_dir,
                                        const std::vector<bool>& svg) {
  // Jobs: a PNG per figure, an SVG where wanted; SVGs first, since the briefing waits
  // for them.
  std::vector<std::pair<std::size_t, bool>> jobs;  // (figure, as SVG)
  for (std::size_t i = 0; i < figures.size(); ++i)
    if (i < svg.size() && svg[i]) jobs.push_back({i, true});
  if (!png_dir.empty())
    for (std::size_t i = 0; i < figures.size(); ++i) jobs.push_back({i, false});
  std::vector<std::string> svgs(figures.size());
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&] {
    for (std::size_t k; (k = next++) < jobs.size();) {
      const Figure& figure = figures[jobs[k].first];
      try {
        if (jobs[k].second) {
          svgs[jobs[k].first] = compact_svg(render_svg(figure.draw, figure.size, figure.title));
        } else {
          render_png(figure.draw, (png_dir / (figure.name + ".png")).string(),
                     static_cast<int>(std::lround(figure.size.width * 2)),
                     static_cast<int>(std::lround(figure.size.height * 2)), 2);
        }
      } catch (const std::exception& e) {
        const std::lock_guard lock(failure_mutex);
        if (!failure)
          failure = std::make_exception_ptr(OutputError("figure " + figure.name + ": " + e.what()));
        next = jobs.size();
      }
    }
  };
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads && t < jobs.size(); ++t)
    helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  if (failure) std::rethrow_exception(failure);
  return svgs;
}

}  // namespace rfsim::outputs
