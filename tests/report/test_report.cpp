// Tests of the report (outputs/report.h and its units): the numbers of a report on a
// hand-made results file whose answers are known; the assumptions found in a scenario
// text; and a short run of the default scenario on the real data, reported and compared:
// the GeoPackage read back through OGR, every PNG decoded, the briefing's structure, a
// comparison's refusal of another geography, and a report that fails leaving nothing.
#include <cairo.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "geo/geography.h"
#include "outputs/assumptions.h"
#include "outputs/boundaries.h"
#include "outputs/briefing.h"
#include "outputs/figures.h"
#include "outputs/drawing.h"
#include "outputs/geopackage.h"
#include "outputs/indicators.h"
#include "outputs/reader.h"
#include "outputs/report.h"
#include "outputs/writer.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"
#include "sim/places.h"

namespace fs = std::filesystem;
using namespace rfsim;
using outputs::Indicator;

namespace {

outputs::Results::Series series(std::string name, std::string row_axis, std::string column_axis,
                                std::uint64_t rows, std::uint64_t columns,
                                std::vector<double> values) {
  outputs::Results::Series s;
  s.name = std::move(name);
  s.row_axis = std::move(row_axis);
  s.column_axis = std::move(column_axis);
  s.rows = rows;
  s.columns = columns;
  s.values = std::move(values);
  return s;
}

/// Three districts (two in the study area), one facility of 10 beds, two entry points,
/// 14 days: known answers.
outputs::Results hand_made_results() {
  outputs::Results r;
  r.meta.start_date = "2026-01-05";
  r.meta.horizon_days = 14;
  r.meta.scenario_name = "hand";
  r.districts = {{"0101", "Alpha", "Banteay Meanchey", "A", 1000, 10, 0, 0, true},
                 {"0102", "Beta", "Banteay Meanchey", "B", 2000, 10, 1, 0, true},
                 {"2201", "Gamma", "Oddar Meanchey", "C", 500, 10, 2, 0, false}};
  r.facilities = {{"Centre", 0, 10, 0, 14}};
  r.entry_points = {{"Gate", 2, true}, {"Path", 1, false}};
  std::vector<double> occupancy(14, 5.0), over(14, 0.0), overflow(14, 0.0);
  for (int d : {2, 3, 4, 9}) occupancy[d] = 10, over[d] = 1;
  overflow[3] = 7;
  overflow[9] = 2;
  r.series.push_back(series("quarantine/occupancy", "day", "facility", 14, 1, occupancy));
  r.series.push_back(series("quarantine/over_capacity", "day", "facility", 14, 1, over));
  r.series.push_back(series("quarantine/overflow", "day", "total", 14, 1, overflow));
  std::vector<double> entries(28, 0.0);
  entries[0] = 30, entries[1] = 10, entries[2 * 3] = 50, entries[2 * 3 + 1] = 10;
  r.series.push_back(series("arrivals/by_entry_point", "day", "entry_point", 14, 2, entries));
  std::vector<double> packages(14 * 3, 0.0), remigrated(14 * 3, 0.0);
  packages[6 * 3 + 1] = 4;
  remigrated[8 * 3 + 0] = 2, remigrated[10 * 3 + 0] = 1;
  r.series.push_back(series("reintegration/packages", "day", "district", 14, 3, packages));
  r.series.push_back(series("reintegration/remigrated", "day", "district", 14, 3, remigrated));
  // Weekly: unmet need 7 in week 0 and 14 in week 1 in Beta.
  r.series.push_back(series("services/unmet_need_total", "week", "district", 2, 3,
                            {0, 7, 0, 0, 14, 0}));
  r.series.push_back(series("services/demand_fte", "week", "district", 2, 3, {1, 2, 0, 3, 4, 0}));
  r.series.push_back(series("services/deployed_fte", "week", "district", 2, 3, {2, 2, 0, 2, 2, 0}));
  r.summary = {{"arrivals_total", 100}, {"peak_occupancy", 10}};
  r.recommendation = {{1, "Beta", 3}};
  return r;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A short run of the default scenario on the real data, written with its report.
struct ShortRun {
  fs::path dir;
  outputs::Results results;
};

/// A folder for this process's runs, removed at exit.
fs::path work_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("rfsim-test-report-" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(fs::temp_directory_path() / ("rfsim-test-report-" + std::to_string(::getpid())), ec);
    });
    return d;
  }();
  return dir;
}

ShortRun short_run(const std::string& name, std::vector<std::string> overrides) {
  const fs::path data = RFSIM_TEST_DATA_DIR;
  if (!fs::exists(data / "geoBoundaries-KHM-ADM2-simplified.geojson"))
    FAIL("real data not found in " << data << ": run scripts/fetch-data first");
  overrides.push_back("data.dir=" + data.string());
  overrides.push_back("run.horizon_days=42");
  overrides.push_back("arrivals.total=4000");
  const Scenario scenario =
      load_scenario(std::string(RFSIM_SOURCE_DIR) + "/scenarios/default.toml", overrides);
  const geo::Geography geography = geo::build_geography(sim::geo_inputs(scenario));
  const geo::Locator locator(geography);
  const sim::Places places = sim::resolve_places(scenario, geography, &locator);
  const sim::RunResult result = sim::simulate(scenario, geography, places);
  outputs::WriteOptions options;
  options.dir = work_dir() / name;
  options.force = true;
  outputs::write_results(scenario, geography, result, options);
  outputs::write_report(options.dir);
  return {options.dir, outputs::read_results(options.dir)};
}

const ShortRun& default_run() {
  static const ShortRun run = short_run("default", {});
  return run;
}

struct GdalDataset {
  GDALDatasetUniquePtr ds;
  explicit GdalDataset(const fs::path& path) {
    GDALAllRegister();
    ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
  }
  OGRLayer& layer(const char* name) {
    OGRLayer* layer = ds->GetLayerByName(name);
    REQUIRE(layer != nullptr);
    return *layer;
  }
};

}  // namespace

TEST_CASE("report numbers: shown districts, indicators, overflow episodes, entry shares") {
  const outputs::Results r = hand_made_results();
  const outputs::RunFacts f = outputs::run_facts(r);
  // The study area, then Gamma for its entry point.
  CHECK(f.shown == std::vector<int>{0, 1, 2});
  REQUIRE(f.districts.size() == 3);
  CHECK(f.districts[0][Indicator::remigrated] == 3);
  CHECK(f.districts[1][Indicator::packages] == 4);
  CHECK(f.districts[1][Indicator::recommended_workers] == 3);
  CHECK(f.districts[1][Indicator::peak_demand_fte] == 4);
  CHECK(f.districts[1][Indicator::deployed_fte] == 2);
  // 7 needs for 7 days and 14 for the 7 days of week 1: 21 need-weeks.
  CHECK(f.districts[1][Indicator::unmet_need_weeks] == Approx(21));
  // Outside the study area the model has no value: NaN, not 0.
  CHECK(std::isnan(f.districts[2][Indicator::packages]));
  CHECK(std::isnan(f.districts[1][Indicator::returnees]));  // (no such series in the file)

  REQUIRE(f.facilities.size() == 1);
  const auto& centre = f.facilities[0];
  CHECK(centre.days_over == 4);
  REQUIRE(centre.episodes.size() == 2);
  CHECK(centre.episodes[0].first_day == 2);
  CHECK(centre.episodes[0].last_day == 4);
  CHECK(centre.episodes[0].most_turned_away == 7);
  CHECK(centre.episodes[1].days() == 1);
  CHECK(centre.episodes[1].most_turned_away == 2);
  CHECK(centre.peak_occupancy == 10);
  CHECK(centre.peak_day == 2);

  REQUIRE(f.entry_points.size() == 2);
  CHECK(f.entry_points[0].arrivals == 80);
  CHECK(f.entry_points[0].share == Approx(0.8));
  CHECK(f.entry_points[0].peak_day == 3);
  CHECK(f.beds == 10);
  CHECK(f.deployed == 4);
  CHECK(outputs::iso_date(outputs::date_of(f, 31)) == "2026-02-05");
  CHECK_THROWS_AS(outputs::parse_iso_date("2026-02-30"), outputs::OutputError);
}

TEST_CASE("assumptions: values that differ from the dictionary, and ASSUMPTIONs in force") {
  const std::string toml = R"([run]
name = "t"
start_date = 2026-01-05
horizon_days = 30
[[entry_points]]
name = "Gate"
lon = 102.55768
lat = 13.65692
[[facilities]]
name = "Camp"
district = "Paoy Paet"
capacity = 100
[arrivals]
total = 10
[services]
caseload_per_worker = 30
[quarantine]
assignment = "nearest_free"
)";
  const outputs::Assumptions a = outputs::scenario_assumptions(toml);
  auto find = [](const std::vector<outputs::Assumption>& list, const std::string& key) {
    const auto it = std::find_if(list.begin(), list.end(),
                                 [&](const outputs::Assumption& x) { return x.key == key; });
    return it == list.end() ? nullptr : &*it;
  };
  const auto* caseload = find(a.changed, "services.caseload_per_worker");
  REQUIRE(caseload != nullptr);
  CHECK(caseload->value == "30");
  CHECK(caseload->default_value == "25");
  CHECK(caseload->source.starts_with("ASSUMPTION"));
  // The elements of an array of tables are one row each.
  const auto* camp = find(a.changed, "facilities");
  REQUIRE(camp != nullptr);
  CHECK(camp->where == "Camp");
  CHECK(camp->value == "capacity = 100, district = Paoy Paet");  // (keys in name order)
  // Restating a default that rests on an assumption keeps it in force; leaving one out too.
  CHECK(find(a.changed, "quarantine.assignment") == nullptr);
  CHECK(find(a.assumed, "quarantine.assignment") != nullptr);
  CHECK(find(a.assumed, "quarantine.overflow") != nullptr);
  // A default with a published source is no assumption (main sourced the epidemiology).
  CHECK(find(a.assumed, "infection.latent_days") == nullptr);
  CHECK(find(a.assumed, "services.caseload_per_worker") == nullptr);  // (set to 30)
  const auto* formal = find(a.assumed, "entry_points.*.formal");
  REQUIRE(formal != nullptr);
  CHECK(formal->where == "Gate");
  CHECK(find(a.assumed, "run.name") == nullptr);  // (a label changes no result)

  const outputs::Assumptions broken = outputs::scenario_assumptions("[run\nname=");
  CHECK_FALSE(broken.reloaded);
  CHECK(broken.problem.find("not TOML") != std::string::npos);
}

TEST_CASE("the GeoPackage opens through OGR with its layers, fields, counts and style") {
  const ShortRun& run = default_run();
  GdalDataset gpkg(run.dir / outputs::kGeoPackageName);
  REQUIRE(gpkg.ds->GetLayerCount() == static_cast<int>(std::size(outputs::kGpkgLayers)));
  const outputs::RunFacts facts = outputs::run_facts(run.results);

  OGRLayer& districts = gpkg.layer("districts");
  CHECK(districts.GetFeatureCount() == static_cast<GIntBig>(facts.shown.size()));
  CHECK(facts.shown.size() >= 35 + 3);  // the study area and the districts of O'Smach, Choam, Phsar Prum
  CHECK(wkbFlatten(districts.GetGeomType()) == wkbMultiPolygon);
  const char* epsg = districts.GetSpatialRef()->GetAuthorityCode(nullptr);
  CHECK(std::string(epsg ? epsg : "") == "32648");
  for (const auto& info : outputs::indicator_infos())
    CHECK(districts.GetLayerDefn()->GetFieldIndex(info.key) >= 0);
  // The districts add up to the run's totals.
  double packages = 0, remigrated = 0, unmet = 0, study = 0;
  for (auto& feature : districts) {
    if (feature->GetFieldAsInteger("study_area") == 0) continue;
    ++study;
    packages += feature->GetFieldAsDouble("packages");
    remigrated += feature->GetFieldAsDouble("remigrated");
    unmet += feature->GetFieldAsDouble("unmet_need_weeks");
    CHECK(feature->GetGeometryRef()->toMultiPolygon()->get_Area() > 1e6);
  }
  CHECK(study == 35);
  CHECK(packages == run.results.summary.at("packages_delivered"));
  CHECK(remigrated == run.results.summary.at("remigrated_total"));
  CHECK(unmet == Approx(run.results.summary.at("unmet_need_weeks")).epsilon(1e-9));

  OGRLayer& facilities = gpkg.layer("facilities");
  CHECK(facilities.GetFeatureCount() == 7);
  double facility_days = 0;
  for (auto& feature : facilities) facility_days += feature->GetFieldAsInteger("days_over_capacity");
  CHECK(facility_days == run.results.summary.at("facility_days_over_capacity"));
  OGRLayer& entries = gpkg.layer("entry_points");
  CHECK(entries.GetFeatureCount() == 12);
  double arrivals = 0;
  for (auto& feature : entries) arrivals += feature->GetFieldAsDouble("arrivals");
  CHECK(arrivals == 4000);
  OGRLayer& weekly = gpkg.layer("weekly");
  CHECK(weekly.GetFeatureCount() == 35 * 6);
  CHECK(weekly.GetGeomType() == wkbNone);

  OGRLayer& styles = gpkg.layer("layer_styles");
  int defaults = 0;
  for (auto& feature : styles) {
    if (!feature->GetFieldAsInteger("useAsDefault")) continue;
    ++defaults;
    const std::string table = feature->GetFieldAsString("f_table_name");
    const std::string qml = feature->GetFieldAsString("styleQML");
    if (table == "districts") {
      CHECK(qml.find("graduatedSymbol") != std::string::npos);
      CHECK(qml.find("attr=\"peak_per_1000\"") != std::string::npos);
    }
  }
  CHECK(defaults == 3);  // districts, facilities, entry points
}

TEST_CASE("every figure is a PNG that decodes at its size") {
  const ShortRun& run = default_run();
  int pngs = 0;
  for (const auto& entry : fs::directory_iterator(run.dir / outputs::kFiguresDir)) {
    INFO(entry.path());
    REQUIRE(entry.path().extension() == ".png");
    cairo_surface_t* image = cairo_image_surface_create_from_png(entry.path().c_str());
    REQUIRE(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS);
    // 170 mm wide at 144 dpi.
    CHECK(cairo_image_surface_get_width(image) == 964);
    CHECK(cairo_image_surface_get_height(image) > 400);
    cairo_surface_destroy(image);
    ++pngs;
  }
  CHECK(pngs >= 13 + 6);  // a map per indicator and the charts
}

TEST_CASE("the briefing is one file: inline scripts, styles, figures and data, no link out") {
  const ShortRun& run = default_run();
  const std::string html = slurp(run.dir / outputs::kBriefingName);
  for (const char* id : {"id=\"map\"", "id=\"quarantine\"", "id=\"workers\"",
                         "id=\"reintegration\"", "id=\"assumptions\"", "id=\"provenance\""})
    CHECK(html.find(id) != std::string::npos);
  // The markup (scripts aside: Leaflet's code holds its unused attribution link) refers
  // to nothing outside the file.
  std::string markup = html;
  for (std::size_t at = 0; (at = markup.find("<script", at)) != std::string::npos;) {
    const auto body = markup.find('>', at) + 1;
    markup.erase(body, markup.find("</script>", body) - body);
    at = body;
  }
  for (const char* outward : {"src=\"http", "href=\"http", "src=\"//", "<link", "@import"})
    CHECK(markup.find(outward) == std::string::npos);
  for (std::size_t at = 0; (at = markup.find("url(", at)) != std::string::npos; at += 4)
    CHECK(markup.compare(at, 5, "url(#") == 0);  // (only references inside the page)
  CHECK(html.find("sourceMappingURL") == std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("data:image/png;base64,") != std::string::npos);
  // The map's data parse, with one feature per district shown and every layer's values.
  const auto open = html.find("<script type=\"application/json\" id=\"briefing-data\">");
  REQUIRE(open != std::string::npos);
  const auto start = html.find('>', open) + 1;
  const auto data = nlohmann::json::parse(html.substr(start, html.find("</script>", start) - start));
  const outputs::RunFacts facts = outputs::run_facts(run.results);
  CHECK(data["districts"]["features"].size() == facts.shown.size());
  REQUIRE(!data["layers"].empty());
  for (const auto& layer : data["layers"]) CHECK(layer["values"].size() == facts.shown.size());
  // The seed and every input checksum are in the provenance.
  CHECK(html.find(std::to_string(run.results.meta.seed)) != std::string::npos);
  for (const auto& input : run.results.inputs) CHECK(html.find(input.sha256) != std::string::npos);
}

namespace {

/// The briefing of `results` alone (no figures inlined), as report.cpp makes it.
std::string briefing_of(const outputs::Results& results) {
  const outputs::RunFacts facts = outputs::run_facts(results);
  const outputs::Boundaries boundaries(results);
  const outputs::BriefingRun run{{&results, &facts},
                                 outputs::scenario_assumptions(results.meta.scenario_toml)};
  return outputs::briefing_html(std::span(&run, 1), boundaries, {}, outputs::InlineFigure{});
}

std::vector<std::string> figure_names(const outputs::Results& results) {
  const outputs::RunFacts facts = outputs::run_facts(results);
  const outputs::Boundaries boundaries(results);
  std::vector<std::string> names;
  for (const auto& f : outputs::run_figures({&results, &facts}, boundaries)) names.push_back(f.name);
  return names;
}

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

TEST_CASE("the briefing shows the programme: the target, information, costs, placements compared") {
  outputs::Results r = default_run().results;
  const auto figure = [&](const char* key) {
    REQUIRE(r.summary.contains(key));
    return outputs::format_number(r.summary.at(key), 0);
  };
  // The run's own page: the programme section, its key figures and charts.
  const std::string html = slurp(default_run().dir / outputs::kBriefingName);
  CHECK(html.find("id=\"programme\"") != std::string::npos);
  CHECK(html.find("towards the target of " + figure("vulnerable_target")) != std::string::npos);
  CHECK(html.find("People served (returnees and host members)") != std::string::npos);
  CHECK(html.find("Returnees reached by information") != std::string::npos);
  CHECK(html.find("USD " + figure("cost_total")) != std::string::npos);
  CHECK(html.find("The envelope runs out") != std::string::npos);
  CHECK(html.find("Spending against the envelope") != std::string::npos);
  CHECK(html.find("<td>Women heading a household</td><td class=\"num\">" +
                  outputs::format_number(100 * r.summary.at("packages_share.woman_headed"),
                                         r.summary.at("packages_share.woman_headed") < 0.1 ? 1 : 0) +
                  " %</td>") != std::string::npos);
  CHECK(html.find("People reached towards the target") != std::string::npos);
  CHECK(fs::exists(default_run().dir / outputs::kFiguresDir / "envelope.png"));
  CHECK(fs::exists(default_run().dir / outputs::kFiguresDir / "target-progress.png"));
  // A run made through `rfsim run` also holds the placements re-simulated (sim/deployment):
  // the workers section compares them.
  CHECK(html.find("Unmet need-weeks with the") == std::string::npos);
  r.summary["unmet_need_weeks.recommended"] = 1200;
  r.summary["unmet_need_weeks.uniform"] = 1500;
  r.summary["unmet_need_weeks.by_population"] = 1800;
  r.summary["unmet_need_weeks.none"] = 2400;
  const std::string placed = briefing_of(r);
  CHECK(placed.find("Unmet need-weeks with the") != std::string::npos);
  CHECK(placed.find("<td class=\"num\">+300 (+25 %)</td>") != std::string::npos);
  CHECK(placed.find("<td class=\"num\">+600 (+50 %)</td>") != std::string::npos);
  CHECK(placed.find("<td class=\"num\">+1,200 (+100 %)</td>") != std::string::npos);
}

TEST_CASE("a file from before the programme's units gets a briefing without those parts") {
  outputs::Results r = default_run().results;
  std::erase_if(r.series, [](const outputs::Results::Series& s) {
    return s.name.starts_with("cost/") || s.name.starts_with("target/") ||
           s.name.starts_with("information/");
  });
  std::erase_if(r.summary, [](const auto& entry) {
    const std::string& k = entry.first;
    return k.starts_with("cost_") || k.starts_with("target_") || k.starts_with("information_") ||
           k.starts_with("envelope_") || k.starts_with("funding_") ||
           k.starts_with("unmet_need_weeks.") || k.find("_share.") != std::string::npos;
  });
  const std::string html = briefing_of(r);
  CHECK(html.find("id=\"quarantine\"") != std::string::npos);
  CHECK(html.find("id=\"programme\"") == std::string::npos);
  CHECK(html.find("href=\"#programme\"") == std::string::npos);
  CHECK(html.find("People served (returnees and host members)") == std::string::npos);
  CHECK(html.find("Cost of the programme") == std::string::npos);
  CHECK(html.find("Unmet need-weeks with the") == std::string::npos);
  CHECK(html.find("Women heading a household") == std::string::npos);
  const auto names = figure_names(r);
  CHECK(has(names, "packages-and-remigration"));
  CHECK_FALSE(has(names, "envelope"));
  CHECK_FALSE(has(names, "target-progress"));
  CHECK(has(figure_names(default_run().results), "envelope"));
}

TEST_CASE("a report rewritten replaces the old one, and one that cannot be made changes nothing") {
  const ShortRun& run = default_run();
  const auto before = fs::last_write_time(run.dir / outputs::kBriefingName);
  outputs::write_report(run.dir);
  CHECK(fs::last_write_time(run.dir / outputs::kBriefingName) >= before);
  for (const auto& entry : fs::directory_iterator(run.dir))
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);

  // A results file without boundaries (as before schema 2.4) cannot be mapped.
  const fs::path old = work_dir() / "no-boundaries";
  fs::remove_all(old);
  Scenario scenario;
  scenario.name = "old";
  scenario.start_date = "2026-01-05";
  scenario.horizon_days = 7;
  geo::Geography geography;
  geography.districts = {geo::District{}};
  geography.districts[0].name = "Alpha";
  geography.districts[0].study_area = true;
  sim::RunResult result;
  outputs::WriteOptions options;
  options.dir = old;
  outputs::write_results(scenario, geography, result, options);
  const auto listing = [&] {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(old)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  };
  const auto files = listing();
  try {
    outputs::write_report(old);
    FAIL("write_report succeeded without boundaries");
  } catch (const outputs::OutputError& e) {
    CHECK(std::string(e.what()).find("no district boundaries") != std::string::npos);
  }
  CHECK(listing() == files);
}

TEST_CASE("compare: key figures side by side, and another geography is refused") {
  const ShortRun& a = default_run();
  const ShortRun b = short_run("stay7", {"quarantine.stay_days=7"});
  const fs::path out = work_dir() / "comparison";
  const std::string table = outputs::write_comparison({a.dir, b.dir}, {out, true});
  CHECK(table.find("Peak quarantine occupancy") != std::string::npos);
  const std::string csv = slurp(out / "comparison.csv");
  CHECK(csv.starts_with("figure,units,default,"));
  CHECK(csv.find("\narrivals_total,persons,4000,4000,0\n") != std::string::npos);
  CHECK(fs::exists(out / "comparison.html"));
  CHECK(fs::exists(out / outputs::kFiguresDir / "compare-occupancy.png"));

  // A run on other districts (a one-district geography) cannot be compared.
  const fs::path other = work_dir() / "other-geography";
  fs::remove_all(other);
  Scenario scenario;
  scenario.start_date = "2026-01-05";
  geo::Geography geography;
  geography.districts = {geo::District{}};
  geography.districts[0].name = "Elsewhere";
  outputs::WriteOptions options;
  options.dir = other;
  outputs::write_results(scenario, geography, sim::RunResult{}, options);
  try {
    outputs::write_comparison({a.dir, other}, {work_dir() / "refused", true});
    FAIL("runs on different geographies were compared");
  } catch (const outputs::OutputError& e) {
    CHECK(std::string(e.what()).find("different geographies") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(work_dir() / "refused"));
}
