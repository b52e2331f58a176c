// briefing.html (see briefing.h): the view model as JSON, rendered through the Mustache
// templates of outputs/templates/.
#include "outputs/briefing.h"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <ogr_geometry.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>

#include "geo/polygon_layer.h"
#include "outputs/assets.h"
#include "outputs/drawing.h"
#include "outputs/error.h"

namespace rfsim::outputs {
namespace {

using json = nlohmann::json;
using mustache = kainjow::mustache::mustache;
using mdata = kainjow::mustache::data;

// ---- words and numbers ----------------------------------------------------------------------

std::string number(double v, int decimals = 0) {
  if (std::isnan(v)) return "\u2013";
  return format_number(v, decimals);
}

/// A number exactly, as the pages' data-* attributes carry it for checks.
json exact(double v) { return json(v).dump(); }

/// Decimals for a figure in `units`: FTE to one decimal, the rest whole.
int decimals_for(const std::string& units) {
  return units.find("FTE") != std::string::npos ? 1 : 0;
}

/// An event's description as a list reads it: "Probability that X." gives "X.".
std::string event_text(const std::string& description, const std::string& name) {
  std::string text = description.empty() ? name : description;
  if (text.starts_with("Probability that ")) text.erase(0, 17);
  return text;
}

std::string percent(double share) {
  return std::isfinite(share) ? format_number(100 * share, share < 0.1 ? 1 : 0) + " %" : "\u2013";
}

std::string date_text(const RunFacts& facts, int day) {
  const std::chrono::year_month_day ymd(date_of(facts, day));
  return day_month(date_of(facts, day)) + " " + std::to_string(static_cast<int>(ymd.year()));
}

std::string span_text(const RunFacts& facts, int first, int last) {
  if (first == last) return date_text(facts, first);
  return day_month(date_of(facts, first)) + " \u2013 " + date_text(facts, last);
}

std::string signed_number(double v, int decimals) {
  return (v > 0 ? "+" : v < 0 ? "\u2212" : "\u00b1") + format_number(std::fabs(v), decimals);
}

/// A number for the map's data: 4 significant digits, integers as they are.
void append_value(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char text[32];
  if (v == std::floor(v) && std::fabs(v) < 1e9)
    std::snprintf(text, sizeof text, "%.0f", v);
  else
    std::snprintf(text, sizeof text, "%.4g", v);
  out += text;
}

/// `text` safe inside <script>: no "</" (which could end the element) and no "<!--".
std::string script_safe(std::string text) {
  for (std::size_t at = 0; (at = text.find("</", at)) != std::string::npos; at += 3)
    text.replace(at, 2, "<\\/");
  for (std::size_t at = 0; (at = text.find("<!--", at)) != std::string::npos; at += 5)
    text.replace(at, 4, "<\\!--");
  return text;
}

/// Leaflet's style without what would make a request: url() images (layer-switcher and
/// marker icons, unused here) and the source-map comment.
std::string leaflet_css() {
  static const std::regex url(R"(url\([^)]*\))");
  std::string css = std::regex_replace(std::string(assets::leaflet_css), url, "none");
  return std::regex_replace(css, std::regex(R"(/\*# sourceMappingURL=[^*]*\*/)"), "");
}

std::string leaflet_js() {
  std::string js(assets::leaflet_js);
  const auto at = js.find("//# sourceMappingURL=");
  if (at != std::string::npos) js.erase(at, js.find('\n', at) - at);
  return js;
}

// ---- JSON to Mustache ------------------------------------------------------------------------

mdata to_mustache(const json& j) {
  switch (j.type()) {
    case json::value_t::object: {
      // An empty string is left out, so that {{#text}}...{{/text}} skips it (Mustache
      // takes any string, even an empty one, as true).
      mdata d{mdata::type::object};
      for (auto it = j.begin(); it != j.end(); ++it)
        if (!(it.value().is_string() && it.value().get_ref<const std::string&>().empty()))
          d.set(it.key(), to_mustache(it.value()));
      return d;
    }
    case json::value_t::array: {
      mdata d{mdata::type::list};
      for (const auto& e : j) d.push_back(to_mustache(e));
      return d;
    }
    case json::value_t::boolean:
      return mdata{j.get<bool>() ? mdata::type::bool_true : mdata::type::bool_false};
    case json::value_t::string:
      return mdata{j.get<std::string>()};
    case json::value_t::null:
      return mdata{mdata::type::bool_false};
    default:
      return mdata{j.dump()};
  }
}

// ---- the parts of the view model ---------------------------------------------------------------

const Results& res(const BriefingRun& run) {
  return *run.view.results;
}
const RunFacts& facts_of(const BriefingRun& run) {
  return *run.view.facts;
}

/// The scenario's quarantine rule in words, from its key figures and stored text.
std::string scenario_sentence(const BriefingRun& run) {
  const Results& r = res(run);
  const RunFacts& f = facts_of(run);
  const EntryFacts* top = nullptr;
  for (const EntryFacts& e : f.entry_points)
    if (!top || e.arrivals > top->arrivals) top = &e;
  double arrivals = 0;
  for (const EntryFacts& e : f.entry_points) arrivals += e.arrivals;
  std::string s = number(arrivals) + " returnees cross the border from " +
                  date_text(f, 0) + " (" + number(f.days) + " days simulated)";
  if (top && arrivals > 0) s += ", " + percent(top->share) + " of them through " + top->name;
  s += "; " + number(static_cast<double>(f.facilities.size())) + " quarantine sites hold " +
       number(f.beds) + " beds; " + number(f.deployed, f.deployed == std::floor(f.deployed) ? 0 : 1) +
       " social workers are deployed";
  int districts = 0;
  for (const auto& d : f.districts) districts += d[Indicator::deployed_fte] > 0 ? 1 : 0;
  if (districts > 0) s += " in " + std::to_string(districts) + " districts";
  if (r.additional_workers > 0)
    s += ", and " + std::to_string(r.additional_workers) + " more are to be placed";
  return s + ".";
}

std::vector<std::string> headlines(const BriefingRun& run) {
  const Results& r = res(run);
  const RunFacts& f = facts_of(run);
  std::vector<std::string> out;
  auto summary = [&](const char* key) {
    const auto it = r.summary.find(key);
    return it == r.summary.end() ? std::nan("") : it->second;
  };
  // Quarantine.
  int first_over = -1, sites_over = 0;
  for (const FacilityFacts& fa : f.facilities) {
    if (fa.episodes.empty()) continue;
    ++sites_over;
    if (first_over < 0 || fa.episodes.front().first_day < first_over)
      first_over = fa.episodes.front().first_day;
  }
  if (sites_over > 0 && summary("peak_overflow") > 0) {
    out.push_back("Quarantine beds run out from " + date_text(f, first_over) + ": " +
                  std::to_string(sites_over) + " of " + std::to_string(f.facilities.size()) +
                  " sites turn returnees away on " + number(summary("days_over_capacity")) +
                  " days; at worst " + number(summary("peak_overflow")) +
                  " returnees are without a bed on one day.");
  } else if (sites_over > 0) {
    out.push_back(std::to_string(sites_over) + " of " + std::to_string(f.facilities.size()) +
                  " quarantine sites are full from " + date_text(f, first_over) + " on " +
                  number(summary("days_over_capacity")) +
                  " days and send returnees on to another site; every returnee gets a bed.");
  } else if (!f.facilities.empty()) {
    out.push_back("No quarantine site is ever full: at most " + number(summary("peak_occupancy")) +
                  " of " + number(f.beds) + " beds are occupied.");
  }
  // Social workers.
  const double demand = summary("peak_demand_fte"), need = summary("peak_need_fte");
  if (std::isfinite(demand)) {
    std::string s = "Social-worker demand from identified needs peaks at " + number(demand, 0) +
                    " full-time workers against " + number(f.deployed, 0) + " deployed";
    if (std::isfinite(need) && need > demand)
      s += "; counting needs not yet identified, the need peaks at " + number(need, 0);
    out.push_back(s + ".");
  }
  if (!r.recommendation.empty()) {
    std::vector<std::string> places;
    for (const auto& rec : r.recommendation)
      places.push_back(rec.district_name + " (" + std::to_string(rec.workers) + ")");
    std::string list;
    for (std::size_t i = 0; i < places.size(); ++i)
      list += (i == 0 ? "" : i + 1 == places.size() ? " and " : ", ") + places[i];
    std::string s = "The " + std::to_string(r.additional_workers) +
                    " additional social workers do most good in " + list;
    const double placed = summary("unmet_need_weeks.recommended"),
                 uniform = summary("unmet_need_weeks.uniform"),
                 by_population = summary("unmet_need_weeks.by_population");
    if (std::isfinite(placed) && std::isfinite(uniform) && std::isfinite(by_population))
      s += ": placed so, they leave " + number(placed) + " need-weeks unmet, against " +
           number(uniform) + " spread evenly and " + number(by_population) +
           " by population";
    out.push_back(s + ".");
  }
  // Reintegration.
  const double packages = summary("packages_delivered"), remigrated = summary("remigrated_total"),
               home = summary("arrived_home"), spent = summary("budget_spent");
  if (std::isfinite(packages) && std::isfinite(remigrated)) {
    std::string s = number(packages) + " reintegration packages are delivered";
    if (std::isfinite(spent)) s += " (USD " + number(spent) + " spent)";
    s += "; " + number(remigrated) + " returnees re-migrate irregularly";
    if (home > 0) s += " (" + percent(remigrated / home) + " of those who reached home)";
    out.push_back(s + ".");
  }
  // The programme: the target, information, costs.
  const double target = summary("vulnerable_target"), served = summary("target_served");
  if (std::isfinite(served) && target > 0)
    out.push_back(number(summary("target_identified")) + " people (returnees and host members) "
                  "have a need identified, " + number(summary("target_referred")) +
                  " are referred and " + number(served) + " served: " +
                  percent(served / target) + " of the target of " + number(target) + ".");
  const double reached = summary("information_reached_share");
  if (std::isfinite(reached))
    out.push_back(percent(reached) + " of the returnees are reached by information and "
                  "prevention, at the crossing or in quarantine.");
  const double cost = summary("cost_total"), envelope = summary("envelope_usd"),
               exhausted = summary("envelope_exhausted_day");
  if (std::isfinite(cost) && std::isfinite(envelope)) {
    std::string s = "The programme costs USD " + number(cost) + " over the " +
                    number(f.days) + " days";
    if (exhausted >= 0)
      s += "; the envelope of USD " + number(envelope) + " runs out on " +
           date_text(f, static_cast<int>(exhausted)) + ", leaving a funding gap of USD " +
           number(summary("funding_gap_usd"));
    else
      s += "; what the envelope covers stays within its USD " + number(envelope) + " (" +
           percent(summary("envelope_spent") / envelope) + " spent)";
    out.push_back(s + ".");
  }
  return out;
}

json key_figure_rows(std::span<const BriefingRun> runs) {
  json rows = json::array();
  const auto& first = facts_of(runs[0]).key_figures;
  for (const KeyFigure& k : first) {
    json row{{"label", k.label}, {"units", k.units}, {"cells", json::array()},
             {"diffs", json::array()}};
    std::optional<double> base;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const auto& figures = facts_of(runs[i]).key_figures;
      const auto it = std::find_if(figures.begin(), figures.end(),
                                   [&](const KeyFigure& x) { return x.key == k.key; });
      if (it == figures.end()) {
        row["cells"].push_back({{"value", "\u2013"}});
        if (i > 0) row["diffs"].push_back({{"text", ""}});
        continue;
      }
      json cell{{"value", number(it->value, it->decimals)}};
      if (it->against && *it->against > 0) {
        const double share = it->value / *it->against;
        cell["against"] = "of " + number(*it->against, it->decimals) + " " + it->against_label;
        cell["pct"] = percent(share);
        cell["bar"] = std::to_string(static_cast<int>(std::lround(std::clamp(share, 0.0, 1.0) * 100)));
        cell["full"] = it->higher_is_worse && share >= 1 ? true : false;
      }
      row["cells"].push_back(cell);
      if (i == 0) {
        base = it->value;
      } else if (base) {
        const double d = it->value - *base;
        std::string text = signed_number(d, it->decimals);
        if (*base != 0) text += " (" + signed_number(100 * d / std::fabs(*base), 0) + " %)";
        const bool worse = it->higher_is_worse ? d > 0 : d < 0;
        row["diffs"].push_back({{"text", text}, {"worse", d != 0 && worse}, {"better", d != 0 && !worse}});
      }
    }
    rows.push_back(row);
  }
  return rows;
}

json quarantine_part(const BriefingRun& run) {
  const Results& r = res(run);
  const RunFacts& f = facts_of(run);
  json facilities = json::array(), episodes = json::array(), entries = json::array();
  for (const FacilityFacts& fa : f.facilities) {
    const double load = fa.capacity > 0 ? fa.peak_occupancy / fa.capacity : 0;
    facilities.push_back({{"name", fa.name},
                          {"district", fa.district >= 0 ? r.districts[fa.district].name : ""},
                          {"beds", number(fa.capacity)},
                          {"peak", number(fa.peak_occupancy)},
                          {"peak_date", date_text(f, fa.peak_day)},
                          {"load", percent(load)},
                          {"full", fa.days_over > 0},
                          {"days_over", number(fa.days_over)},
                          {"intake", number(fa.intake)}});
    for (const OverEpisode& e : fa.episodes)
      episodes.push_back({{"site", fa.name},
                          {"when", span_text(f, e.first_day, e.last_day)},
                          {"days", std::to_string(e.days())},
                          {"peak", number(e.peak_occupancy) + " of " + number(fa.capacity)},
                          {"turned_away", number(e.most_turned_away)}});
  }
  std::vector<const EntryFacts*> order;
  for (const EntryFacts& e : f.entry_points) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(),
                   [](auto a, auto b) { return a->arrivals > b->arrivals; });
  for (const EntryFacts* e : order)
    entries.push_back({{"name", e->name},
                       {"kind", e->formal ? "formal" : "informal"},
                       {"district", e->district >= 0 ? r.districts[e->district].name : ""},
                       {"arrivals", number(e->arrivals)},
                       {"share", percent(e->share)},
                       {"peak", number(e->peak_arrivals) + " on " + day_month(date_of(f, e->peak_day))},
                       {"infected", number(e->infected)}});
  return {{"facilities", facilities}, {"episodes", episodes}, {"entries", entries},
          {"any_over", !episodes.empty()}};
}

std::string hex_colour(const Colour& c) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", static_cast<int>(std::lround(c.r * 255)),
                static_cast<int>(std::lround(c.g * 255)), static_cast<int>(std::lround(c.b * 255)));
  return text;
}

/// The unmet need-weeks of each allocation of the additional workers that the run
/// re-simulated (the recommendation and its baselines); null when the file has none.
json deployment_part(const BriefingRun& run) {
  const Results& r = res(run);
  const auto weeks = [&](const std::string& name) {
    const auto it = r.summary.find("unmet_need_weeks." + name);
    return it == r.summary.end() ? std::nan("") : it->second;
  };
  const double placed = weeks("recommended");
  if (!std::isfinite(placed)) return nullptr;
  const std::pair<const char*, const char*> allocations[] = {
      {"recommended", "As recommended (the placement that leaves least need unmet)"},
      {"uniform", "Spread evenly over the candidate districts"},
      {"by_population", "In proportion to the districts' population"},
      {"greedy_gap", "Where the peak-week gap is largest (the former rule)"},
      {"none", "No additional worker"}};
  json rows = json::array();
  for (const auto& [name, label] : allocations) {
    const double v = weeks(name);
    if (!std::isfinite(v)) continue;
    const double d = v - placed;
    std::string more = name == std::string("recommended") ? "" : signed_number(d, 0);
    const double pct = placed > 0 ? 100 * d / placed : 0;
    if (!more.empty() && placed > 0)
      more += " (" + signed_number(pct, std::fabs(pct) < 10 ? 1 : 0) + " %)";
    rows.push_back({{"allocation", label},
                    {"weeks", number(v)},
                    {"more", more},
                    {"best", name == std::string("recommended")}});
  }
  return {{"rows", rows}, {"additional", std::to_string(r.additional_workers)}};
}

json workers_part(const BriefingRun& run) {
  const Results& r = res(run);
  const RunFacts& f = facts_of(run);
  // The table: study districts by peak whole need, each with its weekly demand as a heat row.
  std::vector<const DistrictFacts*> order;
  for (const auto& d : f.districts)
    if (d.study_area) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(), [](auto a, auto b) {
    return (*a)[Indicator::peak_demand_fte] > (*b)[Indicator::peak_demand_fte];
  });
  std::map<int, std::vector<const WeekRow*>> weeks_of;
  double top = 0;
  for (const WeekRow& w : f.weeks_table) {
    weeks_of[w.district].push_back(&w);
    top = std::max(top, w.demand);
  }
  const int weeks = weeks_of.empty() ? 0 : static_cast<int>(weeks_of.begin()->second.size());
  const bool numbers_in_cells = weeks <= 36;
  const ColourRamp ramp = ColourRamp::yellow_orange_red();
  json rows = json::array(), week_heads = json::array();
  for (int w = 0; w < weeks; ++w) {
    const std::chrono::year_month_day ymd(date_of(f, 7 * w));
    week_heads.push_back({{"label", std::to_string(w + 1)},
                          {"title", "week of " + day_month(date_of(f, 7 * w))},
                          {"month", static_cast<unsigned>(ymd.day()) <= 7
                                        ? day_month(date_of(f, 7 * w)).substr(
                                              day_month(date_of(f, 7 * w)).find(' ') + 1)
                                        : ""}});
  }
  for (const DistrictFacts* d : order) {
    json cells = json::array();
    for (const WeekRow* w : weeks_of[d->index]) {
      const double t = top > 0 ? w->demand / top : 0;
      const Colour c = w->demand > 0 ? ramp.at(0.08 + 0.92 * t) : Colour::hex("#ffffff");
      cells.push_back({{"text", numbers_in_cells && w->demand >= 0.5 ? number(w->demand) : ""},
                       {"bg", hex_colour(c)},
                       {"dark", c.luminance() < 0.35},
                       {"over", w->demand > w->deployed + 1e-9},
                       {"title", d->name + ", week of " + day_month(date_of(f, 7 * w->week)) +
                                     ": demand " + number(w->demand, 1) + ", deployed " +
                                     number(w->deployed, 1) + ", whole need " +
                                     number(w->need, 1) + " FTE"}});
    }
    rows.push_back({{"name", d->name},
                    {"province", d->province},
                    {"deployed", number((*d)[Indicator::deployed_fte],
                                        (*d)[Indicator::deployed_fte] == std::floor((*d)[Indicator::deployed_fte]) ? 0 : 1)},
                    {"peak_demand", number((*d)[Indicator::peak_demand_fte], 1)},
                    {"peak_need", number((*d)[Indicator::peak_need_fte], 1)},
                    {"peak_gap", number((*d)[Indicator::peak_gap_fte], 1)},
                    {"peak_need_gap", number((*d)[Indicator::peak_need_gap_fte], 1)},
                    {"unmet_weeks", number((*d)[Indicator::unmet_need_weeks])},
                    {"recommended", (*d)[Indicator::recommended_workers] > 0
                                        ? number((*d)[Indicator::recommended_workers])
                                        : ""},
                    {"cells", cells}});
  }
  json recommendation = json::array();
  for (const auto& rec : r.recommendation) {
    std::string province;
    if (rec.district >= 0 && rec.district < static_cast<int>(r.districts.size()))
      province = r.districts[rec.district].province;
    recommendation.push_back({{"district", rec.district_name},
                              {"province", province},
                              {"workers", std::to_string(rec.workers)}});
  }
  return {{"rows", rows},
          {"deployment", deployment_part(run)},
          {"weeks", week_heads},
          {"numbers_in_cells", numbers_in_cells},
          {"recommendation", recommendation},
          {"additional", std::to_string(r.additional_workers)},
          {"any_recommendation", !recommendation.empty()}};
}

/// Sum of every value of series `name`, NaN if the file has none.
double series_total(const Results& r, const std::string& name) {
  const Results::Series* s = r.find_series(name);
  if (!s || s->values.empty()) return std::nan("");
  double sum = 0;
  for (double v : s->values) sum += v;
  return sum;
}

/// Column sums of series `name` when it has `columns` columns, else empty.
std::vector<double> series_columns(const Results& r, const std::string& name,
                                   std::size_t columns) {
  const Results::Series* s = r.find_series(name);
  if (!s || s->columns != columns || s->values.size() != s->rows * s->columns) return {};
  std::vector<double> out(columns, 0.0);
  for (std::uint64_t t = 0; t < s->rows; ++t)
    for (std::size_t j = 0; j < columns; ++j) out[j] += s->at(t, j);
  return out;
}

/// The 200,000 target: people identified, referred and served against it.
json target_part(const BriefingRun& run) {
  const Results& r = res(run);
  const auto it = r.summary.find("vulnerable_target");
  const double target = it == r.summary.end() ? 0 : it->second;
  if (target <= 0 || !r.summary.contains("target_served")) return nullptr;
  json rows = json::array();
  for (const auto& [key, stage] :
       {std::pair{"target_identified", "A need identified"},
        std::pair{"target_referred", "Referred to a social worker"},
        std::pair{"target_served", "Served: a case opened"}}) {
    const auto v = r.summary.find(key);
    if (v == r.summary.end()) continue;
    const double share = v->second / target;
    rows.push_back({{"stage", stage},
                    {"people", number(v->second)},
                    {"share", percent(share)},
                    {"bar", std::to_string(static_cast<int>(
                                std::lround(std::clamp(share, 0.0, 1.0) * 100)))}});
  }
  return {{"rows", rows}, {"target", number(target)}};
}

/// Information and prevention: who was reached at each crossing and in each facility.
json information_part(const BriefingRun& run) {
  const Results& r = res(run);
  const RunFacts& f = facts_of(run);
  const auto entry = series_columns(r, "information/reached_at_entry", f.entry_points.size());
  const auto facility = series_columns(r, "information/reached_in_facility", f.facilities.size());
  if (entry.empty() && facility.empty()) return nullptr;
  json rows = json::array();
  for (std::size_t i = 0; i < entry.size(); ++i) {
    const EntryFacts& e = f.entry_points[i];
    rows.push_back({{"where", e.name},
                    {"kind", e.formal ? "at the checkpoint" : "by outreach teams"},
                    {"reached", number(entry[i])},
                    {"of", number(e.arrivals) + " arriving"},
                    {"share", e.arrivals > 0 ? percent(entry[i] / e.arrivals) : "–"}});
  }
  for (std::size_t i = 0; i < facility.size(); ++i) {
    const FacilityFacts& fa = f.facilities[i];
    rows.push_back({{"where", fa.name},
                    {"kind", "in quarantine"},
                    {"reached", number(facility[i])},
                    {"of", number(fa.intake) + " admitted"},
                    {"share", fa.intake > 0 ? percent(facility[i] / fa.intake) : "–"}});
  }
  const auto share = r.summary.find("information_reached_share");
  return {{"rows", rows},
          {"share", share == r.summary.end() ? "" : percent(share->second)}};
}

/// The cost of each component, who pays, and the envelope.
json costs_part(const BriefingRun& run) {
  const Results& r = res(run);
  const RunFacts& f = facts_of(run);
  const auto summary = [&](const char* key) {
    const auto it = r.summary.find(key);
    return it == r.summary.end() ? std::nan("") : it->second;
  };
  const double total = summary("cost_total");
  if (!std::isfinite(total)) return nullptr;
  json rows = json::array();
  for (const Results::Series& s : r.series) {
    if (!s.name.starts_with("cost/")) continue;
    const std::string component = s.name.substr(5);
    if (component == "total" || component == "government" || component == "donors" ||
        component == "envelope_spent")
      continue;
    const double usd = series_total(r, s.name);
    std::string label = component;
    std::replace(label.begin(), label.end(), '_', ' ');
    rows.push_back({{"component", label},
                    {"usd", number(usd)},
                    {"share", total > 0 ? percent(usd / total) : "–"}});
  }
  const double envelope = summary("envelope_usd"), exhausted = summary("envelope_exhausted_day");
  json facts = json::array();
  auto add = [&](const char* k, double usd) {
    if (std::isfinite(usd)) facts.push_back({{"k", k}, {"v", "USD " + number(usd)}});
  };
  add("All components", total);
  add("Paid by the government", summary("cost_government"));
  add("Paid by donors", summary("cost_donors"));
  add("The envelope", envelope);
  add("Spent on what the envelope covers", summary("envelope_spent"));
  add("Funding gap beyond the envelope", summary("funding_gap_usd"));
  if (std::isfinite(exhausted))
    facts.push_back({{"k", "The envelope runs out"},
                     {"v", exhausted >= 0 ? date_text(f, static_cast<int>(exhausted))
                                          : "not within the run"}});
  add("The additional social workers would cost", summary("cost_additional_workers"));
  return {{"rows", rows}, {"facts", facts}, {"exhausted", exhausted >= 0}};
}

/// Men, women and women heading a household: the share of each who got a package,
/// re-migrated, and were reached by information; null when the file has none of these.
json groups_part(const BriefingRun& run) {
  const Results& r = res(run);
  const std::pair<const char*, const char*> groups[] = {
      {"men", "Men"}, {"women", "Women"}, {"woman_headed", "Women heading a household"}};
  json rows = json::array();
  bool any = false;
  for (const auto& [key, label] : groups) {
    json row{{"group", label}};
    for (const char* prefix : {"packages_share", "remigrated_share", "information_reached_share"}) {
      const auto it = r.summary.find(std::string(prefix) + "." + key);
      any = any || it != r.summary.end();
      row[prefix] = it == r.summary.end() ? "\u2013" : percent(it->second);
    }
    rows.push_back(row);
  }
  if (!any) return nullptr;
  return {{"rows", rows}};
}

json programme_part(const BriefingRun& run) {
  json part{{"target", target_part(run)},
            {"information", information_part(run)},
            {"costs", costs_part(run)}};
  if (part["target"].is_null() && part["information"].is_null() && part["costs"].is_null())
    return nullptr;
  return part;
}

json districts_part(const BriefingRun& run) {
  json rows = json::array(), heads = json::array();
  const Indicator columns[] = {Indicator::returnees,       Indicator::peak_per_1000,
                               Indicator::peak_demand_fte, Indicator::deployed_fte,
                               Indicator::peak_gap_fte,    Indicator::peak_need_gap_fte,
                               Indicator::unmet_need_weeks, Indicator::community_risk,
                               Indicator::packages,        Indicator::remigrated,
                               Indicator::recommended_workers};
  for (Indicator id : columns)
    heads.push_back({{"label", info(id).label}, {"units", info(id).units}});
  for (const DistrictFacts& d : facts_of(run).districts) {
    if (!d.study_area) continue;
    json cells = json::array();
    for (Indicator id : columns) {
      const double v = d[id];
      cells.push_back({{"text", id == Indicator::recommended_workers && v == 0
                                    ? ""
                                    : number(v, v != 0 && std::fabs(v) < 100 ? info(id).decimals : 0)}});
    }
    rows.push_back({{"name", d.name}, {"province", d.province}, {"cells", cells}});
  }
  return {{"heads", heads}, {"rows", rows}};
}

json reintegration_part(const BriefingRun& run) {
  const RunFacts& f = facts_of(run);
  std::vector<const DistrictFacts*> order;
  for (const auto& d : f.districts)
    if (d.study_area) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(), [](auto a, auto b) {
    return (*a)[Indicator::remigrated] > (*b)[Indicator::remigrated];
  });
  json rows = json::array();
  for (const DistrictFacts* d : order) {
    if (rows.size() == 12) break;
    const double home = (*d)[Indicator::returnees];
    rows.push_back({{"name", d->name},
                    {"province", d->province},
                    {"returnees", number(home)},
                    {"packages", number((*d)[Indicator::packages])},
                    {"remigrated", number((*d)[Indicator::remigrated])},
                    {"share", home > 0 ? percent((*d)[Indicator::remigrated] / home) : "\u2013"}});
  }
  return {{"rows", rows}, {"groups", groups_part(run)}};
}

/// The assumptions of `run`; with a `reference`, only those not the same in it.
json assumptions_part(const BriefingRun& run, const BriefingRun* reference) {
  // Consecutive rows citing the same source share one cell (source_rows on the first).
  auto rows = [](const std::vector<Assumption>& list) {
    json out = json::array();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Assumption& a = list[i];
      json row{{"key", a.key},         {"where", a.where},     {"value", a.value},
               {"default", a.default_value}, {"units", a.units}, {"meaning", a.meaning}};
      if (i == 0 || list[i - 1].source != a.source) {
        std::size_t n = 1;
        while (i + n < list.size() && list[i + n].source == a.source) ++n;
        row["source"] = a.source;
        row["source_rows"] = std::to_string(n);
      }
      out.push_back(row);
    }
    return out;
  };
  auto beyond = [&](std::vector<Assumption> list, const std::vector<Assumption>& theirs) {
    if (!reference) return list;
    std::erase_if(list, [&](const Assumption& a) {
      return std::any_of(theirs.begin(), theirs.end(), [&](const Assumption& b) {
        return a.key == b.key && a.where == b.where && a.value == b.value;
      });
    });
    return list;
  };
  const auto changed = beyond(run.assumptions.changed,
                              reference ? reference->assumptions.changed : run.assumptions.changed);
  const auto assumed = beyond(run.assumptions.assumed,
                              reference ? reference->assumptions.assumed : run.assumptions.assumed);
  return {{"label", reference ? facts_of(run).label + ": where it differs from " +
                                    facts_of(*reference).label
                              : facts_of(run).label},
          {"changed", rows(changed)},
          {"assumed", rows(assumed)},
          {"any_changed", !changed.empty()},
          {"any_assumed", !assumed.empty()},
          {"problem", run.assumptions.reloaded ? "" : run.assumptions.problem}};
}

json provenance_part(const BriefingRun& run) {
  const auto& m = res(run).meta;
  json rows = json::array();
  auto add = [&](const char* k, const std::string& v) { rows.push_back({{"k", k}, {"v", v}}); };
  add("Scenario", m.scenario_name + " (" + m.scenario_path + ")");
  add("rfsim", m.rfsim_version + ", commit " + m.git_commit);
  add("Results schema", m.schema_version);
  add("Seed, replicate", std::to_string(m.seed) + ", " + std::to_string(m.replicate));
  add("Run", std::to_string(m.agents) + " returnees simulated over " +
                 std::to_string(m.horizon_days) + " days from " + m.start_date + " on " +
                 std::to_string(m.threads) + " thread(s), " + std::to_string(m.ranks) +
                 " process(es)");
  add("Written", m.created_utc);
  add("Results file", res(run).path.string());
  json inputs = json::array();
  for (const auto& in : res(run).inputs) inputs.push_back({{"path", in.path}, {"sha256", in.sha256}});
  return {{"label", facts_of(run).label}, {"rows", rows}, {"inputs", inputs}};
}

// ---- the interactive map's data ---------------------------------------------------------------

std::string map_data(std::span<const BriefingRun> runs, const Boundaries& boundaries) {
  const BriefingRun& run = runs[0];
  const Results& r = res(run);
  const RunFacts& f = facts_of(run);
  const auto layers = map_layers(r, f);
  std::string out = "{\"start\":\"" + iso_date(f.start) + "\",\"days\":" + std::to_string(f.days);
  out += ",\"layers\":[";
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const MapLayer& layer = layers[k];
    out += (k ? "," : "") + json{{"key", layer.key}, {"label", layer.label}, {"units", layer.units},
                                  {"step", layer.step_days}}
                                .dump();
    out.pop_back();
    out += ",\"values\":[";
    for (std::size_t i = 0; i < layer.values.size(); ++i) {
      out += i ? ",[" : "[";
      for (std::size_t t = 0; t < layer.values[i].size(); ++t) {
        if (t) out += ',';
        append_value(out, layer.values[i][t]);
      }
      out += ']';
    }
    out += "]}";
  }
  out += "],\"indicators\":[";
  bool first = true;
  for (const IndicatorInfo& in : indicator_infos()) {
    out += (first ? "" : ",") + json{{"key", in.key}, {"label", in.label}, {"units", in.units},
                                      {"decimals", in.decimals}}
                                    .dump();
    first = false;
  }
  out += "],\"districts\":{\"type\":\"FeatureCollection\",\"features\":[";
  for (std::size_t i = 0; i < f.districts.size(); ++i) {
    const DistrictFacts& d = f.districts[i];
    json props{{"i", i}, {"name", d.name}, {"province", d.province}, {"study", d.study_area}};
    json values = json::array();
    for (double v : d.values) values.push_back(std::isfinite(v) ? json(v) : json(nullptr));
    props["totals"] = values;
    out += (i ? "," : "") + std::string("{\"type\":\"Feature\",\"properties\":") + props.dump() +
           ",\"geometry\":" + boundaries.geojson_wgs84(d.index, 150) + "}";
  }
  out += "]},\"context\":{\"type\":\"FeatureCollection\",\"features\":[";
  const auto context = boundaries.neighbours(f.shown, 40'000);
  for (std::size_t k = 0; k < context.size(); ++k)
    out += (k ? "," : "") + std::string("{\"type\":\"Feature\",\"properties\":") +
           json{{"name", r.districts[context[k]].name}}.dump() +
           ",\"geometry\":" + boundaries.geojson_wgs84(context[k], 300) + "}";
  out += "]}";
  const auto to_wgs84 = geo::transformation_to_wgs84(geo::kUtmZone48NEpsg);
  auto lonlat = [&](const Location& at) {
    double x = at.x, y = at.y;
    to_wgs84->Transform(1, &x, &y);
    return std::pair{x, y};
  };
  json facilities = json::array(), entries = json::array();
  for (const FacilityFacts& fa : f.facilities) {
    const auto [lon, lat] = lonlat(fa.at);
    facilities.push_back({{"name", fa.name}, {"lon", lon}, {"lat", lat}, {"beds", fa.capacity},
                          {"peak", fa.peak_occupancy}, {"days_over", fa.days_over}});
  }
  for (const EntryFacts& e : f.entry_points) {
    const auto [lon, lat] = lonlat(e.at);
    entries.push_back({{"name", e.name}, {"lon", lon}, {"lat", lat}, {"formal", e.formal},
                       {"arrivals", e.arrivals}});
  }
  out += ",\"facilities\":" + facilities.dump() + ",\"entries\":" + entries.dump() + "}";
  return out;
}

std::string base64(std::string_view bytes) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kDigits[v >> 18], out += kDigits[(v >> 12) & 63], out += kDigits[(v >> 6) & 63],
        out += kDigits[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kDigits[v >> 18], out += kDigits[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kDigits[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

json inline_figure(const InlineFigure& figure) {
  json out{{"caption", figure.title}, {"tall", figure.tall}, {"is_svg", !figure.svg.empty()}};
  if (figure.svg.empty())
    out["png"] = base64(figure.png);
  else
    out["svg"] = figure.svg;
  return out;
}

json figures_part(std::span<const InlineFigure> figures) {
  json sections = {{"overview", json::array()},      {"quarantine", json::array()},
                   {"workers", json::array()},       {"reintegration", json::array()},
                   {"programme", json::array()},     {"costs", json::array()},
                   {"maps", json::array()}};
  for (const InlineFigure& figure : figures) {
    const char* section = figure.section == Section::overview      ? "overview"
                          : figure.section == Section::quarantine  ? "quarantine"
                          : figure.section == Section::workers     ? "workers"
                          : figure.section == Section::reintegration ? "reintegration"
                          : figure.section == Section::programme   ? "programme"
                          : figure.section == Section::costs       ? "costs"
                                                                     : "maps";
    sections[section].push_back(inline_figure(figure));
  }
  for (const char* name :
       {"overview", "quarantine", "workers", "reintegration", "programme", "costs", "maps"})
    sections[std::string("has_") + name] = !sections[name].empty();
  return sections;
}

/// The scenario's `description = "..."` line, if it has one.
std::string scenario_description(const std::string& toml) {
  const auto at = toml.find("description = \"");
  if (at == std::string::npos) return std::string();
  const auto from = at + 15;
  return toml.substr(from, toml.find('"', from) - from);
}

/// A page template rendered with `view` (`what` names the template in errors).
std::string render_page(std::string_view page_template, const char* what, const json& view) {
  mustache page{std::string(page_template)};
  if (!page.is_valid()) throw OutputError(std::string(what) + ": " + page.error_message());
  std::string html = page.render(to_mustache(view));
  if (!page.error_message().empty()) throw OutputError(std::string(what) + ": " + page.error_message());
  return html;
}

}  // namespace

std::string briefing_html(std::span<const BriefingRun> runs, const Boundaries& boundaries,
                          std::span<const InlineFigure> figures, const InlineFigure& static_map) {
  if (runs.empty()) throw OutputError("a briefing needs at least one run");
  const bool comparison = runs.size() > 1;
  const Results& r = res(runs[0]);
  json view;
  view["comparison"] = comparison;
  view["single"] = !comparison;
  std::string names;
  json run_list = json::array();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    names += (i ? " vs " : "") + facts_of(runs[i]).label;
    json entry{{"label", facts_of(runs[i]).label},
               {"letter", std::string(1, static_cast<char>('A' + i))},
               {"sentence", scenario_sentence(runs[i])},
               {"description", scenario_description(res(runs[i]).meta.scenario_toml)},
               {"path", res(runs[i]).path.string()}};
    if (i > 0) {
      json differences = json::array();
      for (const std::string& d : scenario_differences(res(runs[0]).meta.scenario_toml,
                                                       res(runs[i]).meta.scenario_toml,
                                                       facts_of(runs[0]).label))
        differences.push_back({{"text", d}});
      entry["differences"] = differences;
      entry["same_scenario"] = differences.empty();
    }
    if (const auto& b = runs[i].branch) {
      json changes = json::array();
      for (const std::string& c : b->changes) changes.push_back({{"text", c}});
      entry["branch"] = {{"original", b->original}, {"day", b->day}, {"date", date_text(facts_of(runs[i]), b->day)},
                         {"changes", changes}, {"has_changes", !changes.empty()}};
      if (!b->original_path.empty()) entry["branch"]["path"] = b->original_path;
      if (comparison && i > 0 && b->window)
        view["window"] = {{"day", b->day}, {"date", date_text(facts_of(runs[i]), b->day)},
                          {"original", facts_of(runs[0]).label}};
    }
    run_list.push_back(entry);
  }
  view["runs"] = run_list;
  view["later_runs"] = json(run_list.begin() + 1, run_list.end());
  view["title"] = comparison ? "Comparison: " + names : "Briefing: " + names;
  view["first"] = run_list[0];
  view["headlines"] = json::array();
  for (const auto& h : headlines(runs[0])) view["headlines"].push_back({{"text", h}});
  if (comparison)
    for (std::size_t i = 1; i < runs.size(); ++i)
      for (const auto& h : headlines(runs[i]))
        view["headlines"].push_back({{"text", h}, {"run", facts_of(runs[i]).label}});
  view["key_figures"] = key_figure_rows(runs);
  view["quarantine"] = quarantine_part(runs[0]);
  view["workers"] = workers_part(runs[0]);
  view["reintegration"] = reintegration_part(runs[0]);
  view["districts"] = districts_part(runs[0]);
  view["programme"] = programme_part(runs[0]);
  view["figures"] = figures_part(figures);
  view["static_map"] = inline_figure(static_map);
  view["assumptions"] = json::array();
  view["provenance"] = json::array();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    view["assumptions"].push_back(assumptions_part(runs[i], i == 0 ? nullptr : &runs[0]));
    view["provenance"].push_back(provenance_part(runs[i]));
  }
  view["start"] = date_text(facts_of(runs[0]), 0);
  view["generated_by"] = "rfsim " + r.meta.rfsim_version + " (commit " + r.meta.git_commit + ")";
  view["css"] = std::string(assets::briefing_css);
  view["leaflet_css"] = leaflet_css();
  view["leaflet_js"] = leaflet_js();
  view["js"] = std::string(assets::briefing_js);
  view["data_json"] = script_safe(map_data(runs, boundaries));

  return render_page(assets::briefing_template, "briefing template", view);
}

std::string ensemble_briefing_html(const EnsembleView& e, std::span<const InlineFigure> charts) {
  json view;
  view["title"] = "Ensemble briefing: " + e.scenario_name;
  view["description"] = scenario_description(e.scenario_toml);
  view["sentence"] = std::to_string(e.replicates) + " replicates of scenario " + e.scenario_name +
                     " (seed " + std::to_string(e.seed) + "), " + std::to_string(e.horizon_days) +
                     " days from " + iso_date(e.start) +
                     ", each with its own random numbers: the numbers below are spread over "
                     "the replicates.";
  // The probabilities a planner asks first, then every other event.
  static const char* const kPlanner[] = {"facility_over_capacity_days", "peak_gap_fte"};
  // "Probability that X." reads "<share> of the replicates: X." in the list.
  auto event = [](const EnsembleView::Event& p) {
    return json{{"name", p.name},
                {"description", event_text(p.description, p.name)},
                {"percent", percent(p.value)},
                {"exact", exact(p.value)}};
  };
  json planner = json::array(), others = json::array();
  for (const char* name : kPlanner)
    if (const EnsembleView::Event* p = e.find_event(name)) planner.push_back(event(*p));
  for (const EnsembleView::Event& p : e.probabilities)
    if (std::find(std::begin(kPlanner), std::end(kPlanner), p.name) == std::end(kPlanner))
      others.push_back(event(p));
  view["planner"] = planner;
  view["any_planner"] = !planner.empty();
  view["others"] = others;
  view["any_other"] = !others.empty();
  json rows = json::array();
  for (const std::string& name : study_key_figures()) {
    const EnsembleView::SummaryFigure* f = e.find_figure(name);
    if (!f) continue;
    const int decimals = decimals_for(f->units);
    rows.push_back({{"name", f->name},
                    {"label", f->description.empty() ? f->name : f->description},
                    {"units", f->units},
                    {"q05", number(f->q[0], decimals)},
                    {"q50", number(f->q[2], decimals)},
                    {"q95", number(f->q[4], decimals)},
                    {"mean", number(f->mean, decimals)},
                    {"q05_exact", exact(f->q[0])},
                    {"q50_exact", exact(f->q[2])},
                    {"q95_exact", exact(f->q[4])}});
  }
  view["key_figures"] = rows;
  view["any_figures"] = !rows.empty();
  json inlined = json::array();
  for (const InlineFigure& chart : charts) inlined.push_back(inline_figure(chart));
  view["charts"] = inlined;
  view["any_charts"] = !inlined.empty();
  view["provenance"] = json::array({{{"k", "Scenario"}, {"v", e.scenario_name}},
                                    {{"k", "rfsim"}, {"v", e.rfsim_version + ", commit " + e.git_commit}},
                                    {{"k", "Seed, replicates"},
                                     {"v", std::to_string(e.seed) + ", 0 to " +
                                               std::to_string(e.replicates - 1)}},
                                    {{"k", "Ensemble file"}, {"v", e.path.string()}}});
  view["start"] = iso_date(e.start);
  view["generated_by"] = "rfsim " + e.rfsim_version + " (commit " + e.git_commit + ")";
  view["css"] = std::string(assets::briefing_css);
  return render_page(assets::ensemble_template, "ensemble briefing template", view);
}

// ---- sweeps and sensitivity studies ----------------------------------------------------------

namespace {

/// A cell of a study page's table, with its data-* attributes (exact values for checks).
json cell(const std::string& text, bool num, json data = json::array(), const std::string& sub = "") {
  return {{"text", text}, {"num", num}, {"data", std::move(data)}, {"sub", sub}};
}
json data_attr(const std::string& k, const std::string& v) { return {{"k", k}, {"v", v}}; }
/// A parameter bound as written: 7, 0.005, 30000.
std::string shortest(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

/// The page of a study (templates/study.mustache): `view` holds its title, sentence and
/// tables; this adds the charts, provenance and style.
std::string study_page(json view, const StudyHeader& s, const std::string& source,
                       json provenance, std::span<const InlineFigure> charts) {
  view["description"] = scenario_description(s.scenario_toml);
  view["source"] = source;
  json inlined = json::array();
  for (const InlineFigure& chart : charts) inlined.push_back(inline_figure(chart));
  view["charts"] = inlined;
  view["any_charts"] = !inlined.empty();
  provenance.insert(provenance.begin(), {{"k", "Scenario"}, {"v", s.scenario_name}});
  provenance.push_back({{"k", "rfsim"}, {"v", s.rfsim_version + ", commit " + s.git_commit}});
  provenance.push_back({{"k", "Study file"}, {"v", s.path.string()}});
  view["provenance"] = provenance;
  view["generated_by"] = "rfsim " + s.rfsim_version + " (commit " + s.git_commit + ")";
  view["css"] = std::string(assets::briefing_css);
  return render_page(assets::study_template, "study briefing template", view);
}

}  // namespace

std::string sweep_briefing_html(const SweepView& s, std::span<const InlineFigure> charts) {
  json view;
  view["kicker"] = "Sweep briefing";
  view["title"] = "Sweep briefing: " + s.scenario_name;
  std::string keys;
  for (std::size_t k = 0; k < s.keys.size(); ++k) keys += (k ? ", " : "") + s.keys[k];
  view["sentence"] = std::to_string(s.points) + " points of " + keys + ", " +
                     std::to_string(s.replicates) + " replicates each (seed " +
                     std::to_string(s.seed) + "), " + std::to_string(s.horizon_days) +
                     " days from " + iso_date(s.start) +
                     ". Replicate r of every point uses the same random numbers, so a "
                     "difference between points comes from the values changed.";
  const auto P = static_cast<std::size_t>(s.points);
  json head = json::array({cell("Figure", false)});
  for (std::size_t p = 0; p < P; ++p) head.push_back(cell(s.point_label(p), true));
  json tables = json::array();
  json figures{{"heading", "Key figures at each point"},
               {"note", "The mean over the replicates, and under it the range from 5 % to 95 % "
                        "of them."},
               {"class", "sweep-figures by-point"},
               {"caption", "Each figure's mean over the replicates of a point, and 5 %\u201395 %"},
               {"head", head},
               {"rows", json::array()}};
  for (const std::string& name : study_key_figures()) {
    const SweepView::Figure* f = s.find_figure(name);
    if (!f) continue;
    const int d = decimals_for(f->units);
    json row{{"data", json::array({data_attr("figure", name)})},
             {"cells", json::array({cell(figure_title(f->description, name), false,
                                         json::array(), f->units)})}};
    for (std::size_t p = 0; p < P; ++p)
      row["cells"].push_back(cell(number(f->mean[p], d), true,
                                  json::array({data_attr("point", std::to_string(p)),
                                               data_attr("mean", exact(f->mean[p]))}),
                                  number(f->q[5 * p], d) + "\u2013" + number(f->q[5 * p + 4], d)));
    figures["rows"].push_back(row);
  }
  if (!figures["rows"].empty()) tables.push_back(figures);
  json events{{"heading", "How likely it is at each point"},
              {"class", "sweep-events by-point"},
              {"caption", "Share of each point's replicates in which the event happens"},
              {"head", head},
              {"rows", json::array()}};
  events["head"][0] = cell("Event", false);
  for (const SweepView::Event& e : s.probabilities) {
    if (e.name.find('.') != std::string::npos) continue;  // (per facility: in sweep.h5)
    json row{{"data", json::array({data_attr("event", e.name)})},
             {"cells", json::array({cell(event_text(e.description, e.name), false)})}};
    for (std::size_t p = 0; p < P; ++p)
      row["cells"].push_back(cell(percent(e.value[p]), true,
                                  json::array({data_attr("point", std::to_string(p)),
                                               data_attr("probability", exact(e.value[p]))})));
    events["rows"].push_back(row);
  }
  if (!events["rows"].empty()) tables.push_back(events);
  view["tables"] = tables;
  view["empty"] = "sweep.h5 holds none of the key figures.";
  view["charts_heading"] = "The key figures by point";
  view["charts_note"] = "Each bar is the mean over the replicates of that point; the table "
                        "above gives the 5\u201395 % range.";
  json provenance = json::array(
      {{{"k", "Seed, replicates a point"},
        {"v", std::to_string(s.seed) + ", " + std::to_string(s.replicates)}}});
  for (std::size_t p = 0; p < P; ++p)
    provenance.push_back({{"k", "Point " + std::to_string(p)}, {"v", s.point_label(p)}});
  return study_page(view, s, kSweepReportSource, provenance, charts);
}

std::string sensitivity_briefing_html(const SensitivityView& s,
                                      std::span<const InlineFigure> charts) {
  json view;
  view["kicker"] = "Sensitivity briefing";
  view["title"] = "Sensitivity briefing: " + s.scenario_name;
  view["sentence"] =
      "Which of " + std::to_string(s.parameters.size()) + " parameters drive the answers: " +
      std::to_string(s.points) + " runs (" + std::to_string(s.samples) +
      " base samples of a Saltelli design, " + std::to_string(s.replicates) +
      " replicate(s) each; seed " + std::to_string(s.seed) + "), " +
      std::to_string(s.horizon_days) + " days from " + iso_date(s.start) +
      ". The first-order index is the share of a figure's variance due to the parameter "
      "alone; the total index adds its interactions with the others.";
  json tables = json::array();
  const std::string level = number(100 * s.confidence, 0) + " %";
  for (const std::string& name : study_key_figures()) {
    const SensitivityView::Indices* ix = s.find(name);
    if (!ix || !(ix->variance > 0)) continue;
    // "What drives: days on which ..." (a leading capital lowered, not an acronym's)
    std::string what = figure_title(ix->description, name);
    if (!what.empty() && std::isupper(static_cast<unsigned char>(what[0])) &&
        !(what.size() > 1 && std::isupper(static_cast<unsigned char>(what[1]))))
      what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    json t{{"heading", "What drives: " + what},
           {"class", "sobol"},
           {"caption", name + " (" + ix->units + "), mean " +
                           number(ix->mean, decimals_for(ix->units)) + ": Sobol indices with " +
                           level + " bootstrap intervals"},
           {"head", json::array({cell("Parameter", false), cell("Range", false),
                                 cell("First-order", true), cell("Total", true)})},
           {"rows", json::array()}};
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
      const SensitivityView::Parameter& p = s.parameters[i];
      auto index = [](double v, double lo, double hi) {
        return number(v, 2) + " [" + number(lo, 2) + ", " + number(hi, 2) + "]";
      };
      t["rows"].push_back(
          {{"data", json::array({data_attr("figure", name), data_attr("parameter", p.key),
                                 data_attr("first", exact(ix->first[i])),
                                 data_attr("total", exact(ix->total[i]))})},
           {"cells", json::array({cell(p.key, false),
                                  cell(shortest(p.low) + " \u2013 " + shortest(p.high), false),
                                  cell(index(ix->first[i], ix->first_low[i], ix->first_high[i]),
                                       true),
                                  cell(index(ix->total[i], ix->total_low[i], ix->total_high[i]),
                                       true)})}});
    }
    tables.push_back(t);
  }
  view["tables"] = tables;
  view["empty"] = "None of the key figures varies over the design: no indices to show.";
  view["charts_heading"] = "Sobol indices";
  view["charts_note"] = "For each key figure, each parameter's first-order index (its effect "
                        "alone) and total index (with its interactions); estimates below 0 "
                        "are drawn as 0 (the tables give them as estimated).";
  json provenance = json::array(
      {{{"k", "Design"}, {"v", s.design}},
       {{"k", "Estimators"}, {"v", s.estimators}},
       {{"k", "Seed, base samples, runs"},
        {"v", std::to_string(s.seed) + ", " + std::to_string(s.samples) + ", " +
                  std::to_string(s.points) + " x " + std::to_string(s.replicates)}}});
  return study_page(view, s, kSensitivityReportSource, provenance, charts);
}

std::string calibration_briefing_html(const CalibrationView& c,
                                      std::span<const InlineFigure> charts) {
  // Counts to whole numbers, smaller values to what they need (a share, a daily mean).
  auto readable = [](double v) {
    const double a = std::fabs(v);
    return number(v, a >= 100 ? 0 : a >= 1 ? 1 : 3);
  };
  json view;
  view["kicker"] = "Calibration briefing";
  view["title"] = "Calibration briefing: " + c.scenario_name;
  std::string sentence =
      std::to_string(c.parameters.size()) + " parameter(s) fitted to " +
      std::to_string(c.rows.size()) + " observation(s) of " + c.observed_path + " with NLopt's " +
      c.method + ": " + std::to_string(c.evaluations) + " evaluations of " +
      std::to_string(c.replicates) + " replicate(s) each (seed " + std::to_string(c.seed) + "), " +
      std::to_string(c.horizon_days) + " days from " + iso_date(c.start) + "; " + c.stopped + ".";
  if (!c.trace_objective.empty())
    sentence += " The objective J (" + c.objective_definition + ") fell from " +
                shortest(c.trace_objective.front()) + " at the start to " + shortest(c.objective) +
                "; at the fit the model is " + percent(c.mean_relative_difference) +
                " from the observations on average (relative difference).";
  view["sentence"] = sentence;
  json tables = json::array();
  json parameters{{"heading", "Fitted values"},
                  {"class", "calibration-parameters"},
                  {"caption", "Each parameter's range, where the fit started and where it ended"},
                  {"head", json::array({cell("Parameter", false), cell("Range", false),
                                        cell("Start", true), cell("Fitted", true)})},
                  {"rows", json::array()}};
  for (const CalibrationView::Parameter& p : c.parameters)
    parameters["rows"].push_back(
        {{"data", json::array({data_attr("parameter", p.key), data_attr("start", exact(p.start)),
                               data_attr("fitted", exact(p.fitted))})},
         {"cells", json::array({cell(p.key, false),
                                cell(shortest(p.low) + " \u2013 " + shortest(p.high), false),
                                cell(shortest(p.start), true), cell(shortest(p.fitted), true)})}});
  tables.push_back(parameters);
  json fit{
      {"heading", "Observed against fitted"},
      {"note", "The model at the fitted values: the mean of " + std::to_string(c.band_replicates) +
                   " replicates, and under it the range from 5 % to 95 % of them."},
      {"class", "calibration-fit"},
      {"caption", "Each observation and the model's value over the same dates"},
      {"head",
       json::array({cell("Date(s)", false), cell("Series, column", false), cell("Observed", true),
                    cell("Fitted", true), cell("Relative difference", true)})},
      {"rows", json::array()}};
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    const CalibrationView::Row& r = c.rows[i];
    fit["rows"].push_back(
        {{"data",
          json::array({data_attr("row", std::to_string(i)),
                       data_attr("observed", exact(r.observed)), data_attr("mean", exact(r.mean)),
                       data_attr("relative-difference", exact(r.relative_difference))})},
         {"cells",
          json::array({cell(r.date, false),
                       cell(r.series + ", " + r.column, false, json::array(),
                            r.statistic == "mean" ? "mean over the dates" : "sum over the dates"),
                       cell(readable(r.observed), true),
                       cell(readable(r.mean), true, json::array(),
                            readable(r.q.at(0)) + "\u2013" + readable(r.q.at(4))),
                       cell(percent(r.relative_difference), true)})}});
  }
  tables.push_back(fit);
  view["tables"] = tables;
  view["empty"] = "calibration.h5 holds no fit.";
  view["charts_heading"] = "Observed and fitted";
  view["charts_note"] =
      "For each observed series, each observation beside the model's mean at "
      "the fitted values; the table above gives the 5\u201395 % range.";
  json provenance = json::array(
      {{{"k", "Observations"}, {"v", c.observed_path}},
       {{"k", "Method, evaluations"}, {"v", c.method + ", " + std::to_string(c.evaluations)}},
       {{"k", "Seed, replicates an evaluation, replicates at the fit"},
        {"v", std::to_string(c.seed) + ", " + std::to_string(c.replicates) + ", " +
                  std::to_string(c.band_replicates)}}});
  return study_page(view, c, kCalibrationReportSource, provenance, charts);
}

}  // namespace rfsim::outputs
