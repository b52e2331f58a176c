// The reports of studies (outputs/report.h on a directory holding ensemble.h5, sweep.h5,
// sensitivity.h5 or calibration.h5): a short ensemble of the default scenario, its
// briefing's probabilities and quantiles equal to the file's, every fan chart a PNG that
// decodes, the bands ordered, and a file that is not an ensemble refused in one line naming
// it; a sweep's, a sensitivity study's and a calibration's briefings, their numbers the
// file's and their charts PNGs.
#include <cairo.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "ensemble/calibrate.h"
#include "ensemble/ensemble.h"
#include "ensemble/sensitivity.h"
#include "ensemble/study.h"
#include "ensemble/sweep.h"
#include "outputs/ensemble_view.h"
#include "outputs/error.h"
#include "outputs/hdf5.h"
#include "outputs/report.h"
#include "outputs/study_view.h"

namespace fs = std::filesystem;
using namespace rfsim;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

double dataset(const fs::path& file, const std::string& path, std::size_t i) {
  outputs::h5::QuietErrors quiet;
  outputs::h5::Handle f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open");
  return outputs::h5::read_numbers<double>(f, path).at(i);
}

/// The value of attribute `attr` of the element whose `key` attribute is `name`.
double attribute(const std::string& html, const std::string& key, const std::string& name,
                 const std::string& attr) {
  const std::regex re(key + "=\"" + name + "\"[^>]*" + attr + "=\"([^\"]+)\"");
  std::smatch m;
  if (!std::regex_search(html, m, re)) FAIL("no " << attr << " for " << name);
  return std::stod(m[1].str());
}

/// The value of attribute `attr` of the first element with both `key1`=`v1` and
/// `key2`=`v2` (in that order).
double attribute2(const std::string& html, const std::string& key1, const std::string& v1,
                  const std::string& key2, const std::string& v2, const std::string& attr) {
  const std::regex re(key1 + "=\"" + v1 + "\"[^>]*" + key2 + "=\"" + v2 + "\"[^>]*" + attr +
                      "=\"([^\"]+)\"");
  std::smatch m;
  if (!std::regex_search(html, m, re)) FAIL("no " << attr << " for " << v1 << ", " << v2);
  return std::stod(m[1].str());
}

/// Every PNG in the report's figures folder decodes; how many there are.
int decoded_pngs(const fs::path& dir) {
  int pngs = 0;
  for (const auto& entry : fs::directory_iterator(dir / outputs::kFiguresDir)) {
    cairo_surface_t* image = cairo_image_surface_create_from_png(entry.path().c_str());
    CHECK(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(image);
    ++pngs;
  }
  return pngs;
}

ensemble::Study small_study() {
  const fs::path data = RFSIM_TEST_DATA_DIR;
  if (!fs::exists(data / "geoBoundaries-KHM-ADM2-simplified.geojson"))
    FAIL("real data not found in " << data << ": run scripts/fetch-data first");
  return ensemble::Study(std::string(RFSIM_SOURCE_DIR) + "/scenarios/default.toml",
                         {"data.dir=" + data.string(), "run.horizon_days=30",
                          "arrivals.total=2000"});
}

}  // namespace

TEST_CASE("sweep report: a figure's mean at each point and each event's share are the file's") {
  const ensemble::Study study = small_study();
  ensemble::Cluster cluster;
  ensemble::Workers workers(cluster, 2, nullptr);
  ensemble::SweepOptions o;
  o.vary = {ensemble::parse_vary("quarantine.stay_days=7,14,21")};
  o.replicates = 3;
  o.output.dir = fs::temp_directory_path() / "rfsim-test-sweep-report";
  fs::remove_all(o.output.dir);
  const fs::path file = ensemble::run_sweep(workers, study, o).file;

  const std::string html = slurp(outputs::write_report(o.output.dir));
  for (const char* figure : {"peak_overflow", "remigrated_total", "cost_total"}) {
    const std::size_t row = html.find(std::string("data-figure=\"") + figure + "\"");
    REQUIRE(row != std::string::npos);
    const std::string tail = html.substr(row, html.find("</tr>", row) - row);
    for (std::size_t p = 0; p < 3; ++p)
      CHECK(attribute(tail, "data-point", std::to_string(p), "data-mean") ==
            dataset(file, std::string("summary_mean/") + figure, p));
  }
  const std::size_t row = html.find("data-event=\"facility_over_capacity_days\"");
  REQUIRE(row != std::string::npos);
  const std::string tail = html.substr(row, html.find("</tr>", row) - row);
  for (std::size_t p = 0; p < 3; ++p)
    CHECK(attribute(tail, "data-point", std::to_string(p), "data-probability") ==
          dataset(file, "probabilities/facility_over_capacity_days", p));
  CHECK(html.find("quarantine.stay_days = 14") != std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);
  const int pngs = decoded_pngs(o.output.dir);
  CHECK(pngs >= 3);
  CHECK(fs::exists(o.output.dir / outputs::kFiguresDir / "sweep-cost-total.png"));
  std::size_t svgs = 0;
  for (std::size_t at = 0; (at = html.find("<svg", at)) != std::string::npos; ++at) ++svgs;
  CHECK(svgs == static_cast<std::size_t>(pngs));
  fs::remove_all(o.output.dir);
}

TEST_CASE("sensitivity report: each parameter's Sobol indices are the file's, charts decode") {
  const ensemble::Study study = small_study();
  ensemble::Cluster cluster;
  ensemble::Workers workers(cluster, 2, nullptr);
  ensemble::SensitivityOptions o;
  o.params = {ensemble::parse_range("quarantine.stay_days=7:21"),
              ensemble::parse_range("arrivals.total=1000:3000")};
  o.samples = 8;
  o.bootstrap = 50;
  o.output.dir = fs::temp_directory_path() / "rfsim-test-sensitivity-report";
  fs::remove_all(o.output.dir);
  const fs::path file = ensemble::run_sensitivity(workers, study, o).file;

  const std::string html = slurp(outputs::write_report(o.output.dir));
  const outputs::SensitivityView view = outputs::read_sensitivity(o.output.dir);
  REQUIRE(view.parameters.size() == 2);
  int figures = 0;
  for (const outputs::SensitivityView::Indices& ix : view.indices) {
    if (!(ix.variance > 0) || html.find("data-figure=\"" + ix.figure + "\"") == std::string::npos)
      continue;
    ++figures;
    for (std::size_t i = 0; i < 2; ++i) {
      const std::string key = view.parameters[i].key;
      CHECK(attribute2(html, "data-figure", ix.figure, "data-parameter", key, "data-first") ==
            dataset(file, "indices/" + ix.figure + "/first_order", i));
      CHECK(attribute2(html, "data-figure", ix.figure, "data-parameter", key, "data-total") ==
            dataset(file, "indices/" + ix.figure + "/total", i));
    }
  }
  CHECK(figures >= 3);
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(decoded_pngs(o.output.dir) == figures);
  fs::remove_all(o.output.dir);
}

TEST_CASE(
    "calibration report: fitted values and every observation against the fit are the file's") {
  const ensemble::Study study = small_study();
  ensemble::Cluster cluster;
  ensemble::Workers workers(cluster, 2, nullptr);
  const fs::path dir = fs::temp_directory_path() / "rfsim-test-calibration-report";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "observed.csv")
      << "date,series,column,value,statistic\n"
         "2026-01-05/2026-01-11,arrivals/daily,total,700,sum\n"
         "2026-01-12/2026-01-18,arrivals/daily,total,400,sum\n"
         "2026-01-12/2026-01-18,quarantine/occupancy,total,350,mean\n";
  ensemble::CalibrationOptions o;
  o.observed = (dir / "observed.csv").string();
  o.params = {ensemble::parse_range("arrivals.total=1000:3000")};
  o.replicates = 1;
  o.band_replicates = 3;
  o.max_evaluations = 6;
  o.output.dir = dir / "fit";
  const ensemble::CalibrationResult r = ensemble::run_calibration(workers, study, o);
  const fs::path file = o.output.dir / "calibration.h5";

  const std::string html = slurp(outputs::write_report(o.output.dir));
  CHECK(attribute(html, "data-parameter", "arrivals.total", "data-start") ==
        dataset(file, "parameters/start", 0));
  CHECK(attribute(html, "data-parameter", "arrivals.total", "data-fitted") ==
        dataset(file, "parameters/fitted", 0));
  CHECK(attribute(html, "data-parameter", "arrivals.total", "data-fitted") == r.fitted[0]);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string row = std::to_string(i);
    CHECK(attribute(html, "data-row", row, "data-observed") == dataset(file, "fit/observed", i));
    CHECK(attribute(html, "data-row", row, "data-mean") == dataset(file, "fit/mean", i));
    CHECK(attribute(html, "data-row", row, "data-relative-difference") ==
          dataset(file, "fit/relative_difference", i));
  }
  CHECK(html.find("6 evaluations") != std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);
  // One chart per observed series (and statistic), in the page and as PNG.
  CHECK(decoded_pngs(o.output.dir) == 2);
  CHECK(fs::exists(o.output.dir / outputs::kFiguresDir / "fit-arrivals-daily-sum.png"));
  CHECK(fs::exists(o.output.dir / outputs::kFiguresDir / "fit-quarantine-occupancy-mean.png"));
  std::size_t svgs = 0;
  for (std::size_t at = 0; (at = html.find("<svg", at)) != std::string::npos; ++at) ++svgs;
  CHECK(svgs == 2);
  const outputs::CalibrationView view = outputs::read_calibration(o.output.dir);
  CHECK(view.evaluations == r.evaluations);
  CHECK(view.trace_objective.size() == static_cast<std::size_t>(r.evaluations));
  REQUIRE(view.rows.size() == 3);
  CHECK(view.rows[2].statistic == "mean");
  fs::remove_all(dir);
}

TEST_CASE("ensemble report: the page's numbers are the file's, fan charts decode, bands ordered") {
  const fs::path data = RFSIM_TEST_DATA_DIR;
  if (!fs::exists(data / "geoBoundaries-KHM-ADM2-simplified.geojson"))
    FAIL("real data not found in " << data << ": run scripts/fetch-data first");
  const ensemble::Study study(std::string(RFSIM_SOURCE_DIR) + "/scenarios/default.toml",
                              {"data.dir=" + data.string(), "run.horizon_days=30",
                               "arrivals.total=2000"});
  ensemble::Cluster cluster;
  ensemble::Workers workers(cluster, 2, nullptr);
  ensemble::EnsembleOptions o;
  o.replicates = 8;
  o.output.dir = fs::temp_directory_path() / "rfsim-test-ensemble-report";
  fs::remove_all(o.output.dir);
  const fs::path file = ensemble::run_ensemble(workers, study, o).file;

  const fs::path briefing = outputs::write_report(o.output.dir);
  REQUIRE(briefing == o.output.dir / outputs::kBriefingName);
  const std::string html = slurp(briefing);
  for (const char* event : {"facility_over_capacity_days", "peak_gap_fte"})
    CHECK(attribute(html, "data-event", event, "data-probability") ==
          dataset(file, std::string("probabilities/") + event, 0));
  // The planner's probabilities come before the table of figures and the charts.
  CHECK(html.find("data-event=\"facility_over_capacity_days\"") <
        html.find("data-figure=\"peak_occupancy\""));
  for (const char* figure : {"peak_occupancy", "peak_gap_fte", "remigrated_total"}) {
    const std::string q = std::string("summary_quantiles/") + figure;
    CHECK(attribute(html, "data-figure", figure, "data-q05") == dataset(file, q, 0));
    CHECK(attribute(html, "data-figure", figure, "data-q50") == dataset(file, q, 2));
    CHECK(attribute(html, "data-figure", figure, "data-q95") == dataset(file, q, 4));
  }
  CHECK(html.find("src=\"http") == std::string::npos);

  int pngs = 0;
  for (const auto& entry : fs::directory_iterator(o.output.dir / outputs::kFiguresDir)) {
    cairo_surface_t* image = cairo_image_surface_create_from_png(entry.path().c_str());
    CHECK(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS);
    CHECK(cairo_image_surface_get_width(image) > 500);
    cairo_surface_destroy(image);
    ++pngs;
  }
  CHECK(fs::exists(o.output.dir / outputs::kFiguresDir / "fan-quarantine-occupancy.png"));
  CHECK(fs::exists(o.output.dir / outputs::kFiguresDir / "fan-remigrated.png"));
  CHECK(pngs >= 4);
  std::size_t svgs = 0;
  for (std::size_t at = 0; (at = html.find("<svg", at)) != std::string::npos; ++at) ++svgs;
  CHECK(svgs == static_cast<std::size_t>(pngs));

  const outputs::EnsembleView view = outputs::read_ensemble(o.output.dir);
  CHECK(view.replicates == 8);
  REQUIRE(view.find_series("state/quarantine"));
  for (const auto& [name, s] : view.series)
    for (std::size_t j = 0; j < s.columns; ++j) {
      const outputs::Bands b = s.column(j);
      for (std::size_t t = 0; t < s.rows; ++t)
        if (!(b.q05[t] <= b.q25[t] && b.q25[t] <= b.q50[t] && b.q50[t] <= b.q75[t] &&
              b.q75[t] <= b.q95[t]))
          FAIL(name << " column " << j << " row " << t << ": bands out of order");
    }
  fs::remove_all(o.output.dir);
}

TEST_CASE("ensemble report: a file that is not an ensemble is refused in one line naming it") {
  const fs::path dir = fs::temp_directory_path() / "rfsim-test-ensemble-not";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "ensemble.h5") << "not HDF5";
  try {
    outputs::write_report(dir);
    FAIL("no error");
  } catch (const outputs::OutputError& e) {
    const std::string what = e.what();
    CHECK(what.find((dir / "ensemble.h5").string()) == 0);
    CHECK(what.find("expected an rfsim ensemble file") != std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
  }
  CHECK(!fs::exists(dir / outputs::kBriefingName));
  fs::remove_all(dir);
}
