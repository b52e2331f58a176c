// The studies on the real three-province geography (default scenario, shortened): an
// ensemble's quantiles equal those of its replicates run one by one, are ordered, and do
// not depend on the thread count; variants refuse a changed geography; observations are
// read and checked; and a calibration recovers the parameters that generated its
// observations within 5%.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "ensemble/calibrate.h"
#include "ensemble/ensemble.h"
#include "ensemble/observed.h"
#include "ensemble/quantiles.h"
#include "ensemble/study.h"
#include "outputs/hdf5.h"

namespace fs = std::filesystem;
using namespace rfsim;
using namespace rfsim::ensemble;

namespace {

const std::string kDefault = std::string(RFSIM_SOURCE_DIR) + "/scenarios/default.toml";

/// The default scenario on the real data, `days` long with `total` returnees.
std::vector<std::string> short_default(int days, int total) {
  const fs::path data = RFSIM_TEST_DATA_DIR;
  if (!fs::exists(data / "geoBoundaries-KHM-ADM2-simplified.geojson"))
    FAIL("real data not found in " << data << ": run scripts/fetch-data first");
  return {"data.dir=" + data.string(), "run.horizon_days=" + std::to_string(days),
          "arrivals.total=" + std::to_string(total)};
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("rfsim-test-ensemble-" + name);
  fs::remove_all(dir);
  return dir;
}

/// A float64 dataset of an HDF5 file, flattened.
std::vector<double> read(const fs::path& file, const std::string& path) {
  outputs::h5::QuietErrors quiet;
  outputs::h5::Handle f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open");
  return outputs::h5::read_numbers<double>(f, path);
}

}  // namespace

TEST_CASE("ensemble: quantiles equal the replicates' own, are ordered, whatever the threads") {
  const Study study(kDefault, short_default(40, 3000));
  Cluster cluster;
  const std::int64_t n = 9;

  // The replicates one by one, as `rfsim run --set run.replicate=r` would run them.
  std::vector<sim::RunResult> runs;
  for (int r = 0; r < n; ++r) runs.push_back(study.run(study.base(), r, nullptr));

  std::vector<fs::path> files;
  for (const int threads : {1, 2}) {
    Workers workers(cluster, threads, nullptr);
    EnsembleOptions o;
    o.replicates = n;
    o.output.dir = scratch("threads-" + std::to_string(threads));
    o.memory_budget = threads == 1 ? std::size_t{1} << 30 : 0;  // and through the file
    const EnsembleResult r = run_ensemble(workers, study, o);
    files.push_back(r.file);
    CHECK(r.figures.values("peak_overflow")[4] == runs[4].summary.at("peak_overflow"));
  }

  for (const sim::Series& s : runs[0].series) {
    INFO(s.name);
    const std::vector<double> q = read(files[0], "series/" + s.name);
    const std::vector<double> mean = read(files[0], "mean/" + s.name);
    REQUIRE(q.size() == 5 * s.values.size());
    CHECK(read(files[1], "series/" + s.name) == q);
    CHECK(read(files[1], "mean/" + s.name) == mean);
    const std::size_t cells = s.values.size();
    for (std::size_t c = 0; c < cells; ++c) {
      std::vector<double> v;
      double sum = 0;
      for (const auto& run : runs) {
        v.push_back(run.find(s.name)->values[c]);
        sum += v.back();
      }
      std::sort(v.begin(), v.end());
      for (int l = 0; l < kQuantileCount; ++l) {
        const double expected =
            quantile_of_ordered(n, kQuantileLevels[l], [&](std::int64_t k) { return v[k]; });
        if (q[l * cells + c] != expected) FAIL("cell " << c << ", level " << l);
        if (l > 0 && q[l * cells + c] < q[(l - 1) * cells + c]) FAIL("not ordered at " << c);
      }
      if (mean[c] != sum / n) FAIL("mean of cell " << c);
    }
  }
  CHECK(read(files[0], "summary/peak_gap_fte") == read(files[1], "summary/peak_gap_fte"));
  CHECK(read(files[0], "probabilities/facility_over_capacity_days") ==
        read(files[1], "probabilities/facility_over_capacity_days"));
  for (const auto& f : files) fs::remove_all(f.parent_path());
}

TEST_CASE("study: variants re-resolve places and refuse another geography") {
  const Study study(kDefault, short_default(20, 1000));
  const Variant same = study.variant({"quarantine.stay_days=7"});
  CHECK(same.places == study.base().places);  // nothing about places changed: shared
  CHECK(same.scenario.policies[0].stay_days == 7);
  const Variant moved = study.variant({"services.deployed.Malai=9"});
  CHECK(moved.places != study.base().places);
  CHECK_THROWS_WITH(study.variant({"study.provinces=[\"Battambang\"]"}),
                    Catch::Contains("geography once"));
  CHECK_THROWS_WITH(study.variant({"quarantine.stay_days=0"}), Catch::Contains("stay_days"));
}

TEST_CASE("observed: rows are checked against the scenario and a run's series") {
  const Study study(kDefault, short_default(40, 2000));
  const sim::RunResult probe = study.run(study.base(), 0, nullptr);
  const fs::path dir = scratch("observed");
  fs::create_directories(dir);
  auto observed = [&](const std::string& body) {
    std::ofstream(dir / "o.csv") << body;
    return read_observed((dir / "o.csv").string(), study.scenario(), study.geography(), probe);
  };
  const auto ok = observed(
      "source,date,series,column,value,statistic\n"
      "IOM,2026-01-05/2026-01-11,arrivals/daily,total,777,\n"
      "\"press, cited\",2026-01-12,quarantine/occupancy,Poipet centre+Ou Chrov centre,100,mean\n"
      "x,2026-01-19/2026-02-01,services/demand_fte,Paoy Paet,3,mean\n");
  REQUIRE(ok.size() == 3);
  CHECK(ok[0].first == 0);
  CHECK(ok[0].last == 6);
  CHECK_FALSE(ok[0].mean);
  CHECK(ok[1].columns == std::vector<int>{0, 1});
  CHECK(ok[2].first == 2);  // weeks 2 and 3 hold days 14 to 27
  CHECK(ok[2].last == 3);
  const std::vector<double> model = simulated(probe, ok);
  double week0 = 0;
  for (int d = 0; d < 7; ++d) week0 += probe.find("arrivals/daily")->at(d, 0);
  CHECK(model[0] == week0);
  CHECK(model[1] == probe.find("quarantine/occupancy")->at(7, 0) +
                        probe.find("quarantine/occupancy")->at(7, 1));

  // A group series: its labels; its total is men + women (woman_headed is part of women).
  const auto groups = observed(
      "date,series,column,value\n"
      "2026-01-05,arrivals/by_group,women+woman_headed,1\n"
      "2026-01-05,arrivals/by_group,total,1\n");
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].columns == std::vector<int>{1, 2});
  CHECK(groups[1].columns == std::vector<int>{0, 1});
  CHECK(simulated(probe, groups)[1] == probe.find("arrivals/daily")->at(0, 0));

  const std::string header = "date,series,column,value\n";
  CHECK_THROWS_WITH(observed("date,series,value\n"), Catch::Contains("o.csv:1: expected a header"));
  CHECK_THROWS_WITH(observed(header + "2026-01-05,arrivals/dayly,total,1\n"),
                    Catch::Contains("o.csv:2: series: no series 'arrivals/dayly'"));
  CHECK_THROWS_WITH(observed(header + "2026-01-05,quarantine/occupancy,Poipet,1\n"),
                    Catch::Contains("o.csv:2: column: 'Poipet' is not a facility"));
  CHECK_THROWS_WITH(observed(header + "2025-12-31,arrivals/daily,total,1\n"),
                    Catch::Contains("lies outside the scenario's 40 days"));
  CHECK_THROWS_WITH(observed(header + "2026-01-09/2026-01-05,arrivals/daily,total,1\n"),
                    Catch::Contains("ends before it starts"));
  CHECK_THROWS_WITH(observed(header + "2026-01-05,arrivals/daily,total,many\n"),
                    Catch::Contains("value: expected a number"));
  CHECK_THROWS_WITH(observed(header), Catch::Contains("no observations"));
  fs::remove_all(dir);
}

TEST_CASE("observed: the shipped reconstruction's observations match its scenario") {
  // scenarios/observed/aug2021-surge.csv is what the README's calibration of the
  // aug2021-surge reconstruction fits: its rows must stay within that scenario.
  const std::string source = RFSIM_SOURCE_DIR;
  const Study study(source + "/scenarios/aug2021-surge.toml",
                    {"data.dir=" + std::string(RFSIM_TEST_DATA_DIR)});
  const sim::RunResult probe = study.run(study.base(), 0, nullptr);
  const auto obs = read_observed(source + "/scenarios/observed/aug2021-surge.csv", study.scenario(),
                                 study.geography(), probe);
  REQUIRE(obs.size() == 2);
  CHECK(obs[0].first == 5);  // 13 Aug 2021, day 5 from 8 Aug
  CHECK(obs[1].first == 6);
  const std::vector<double> model = simulated(probe, obs);
  // With the scenario's prevalence (fit-arrivals' 22.66%), the two days' positives are of
  // the observed order (128 and 124): within a factor of two.
  for (std::size_t i = 0; i < obs.size(); ++i) {
    CHECK(model[i] > obs[i].value / 2);
    CHECK(model[i] < obs[i].value * 2);
  }
}

TEST_CASE("calibrate: recovers arrivals.total and arrivals.decay_days within 5%") {
  // Observations generated by rfsim itself with total 30,000 and decay 5 days: weekly
  // arrivals (cumulative over date ranges) and weekly mean quarantine occupancy.
  const std::vector<std::string> base = short_default(42, 30000);
  const sim::RunResult truth = [&] {
    const Study t(kDefault, base);
    return t.run(t.base(), 0, nullptr);
  }();
  const fs::path dir = scratch("calibrate");
  fs::create_directories(dir);
  {
    std::ofstream csv(dir / "observed.csv");
    csv << "date,series,column,value,statistic\n";
    const char* weeks[] = {"2026-01-05/2026-01-11", "2026-01-12/2026-01-18",
                           "2026-01-19/2026-01-25", "2026-01-26/2026-02-01"};
    for (int w = 0; w < 4; ++w) {
      double arrivals = 0, occupancy = 0;
      for (int d = 7 * w; d < 7 * w + 7; ++d) {
        arrivals += truth.find("arrivals/daily")->at(d, 0);
        for (int f = 0; f < truth.find("quarantine/occupancy")->columns; ++f)
          occupancy += truth.find("quarantine/occupancy")->at(d, f);
      }
      csv << weeks[w] << ",arrivals/daily,total," << arrivals << ",sum\n";
      if (w > 0) csv << weeks[w] << ",quarantine/occupancy,total," << occupancy / 7 << ",mean\n";
    }
  }
  // The study starts far from the truth: 18,000 returnees, decaying over 9 days.
  std::vector<std::string> wrong = base;
  wrong.push_back("arrivals.total=18000");
  wrong.push_back("arrivals.decay_days=9");
  const Study study(kDefault, wrong);
  Cluster cluster;
  Workers workers(cluster, 2, nullptr);
  CalibrationOptions o;
  o.observed = (dir / "observed.csv").string();
  o.params = {parse_range("arrivals.total=10000:60000"), parse_range("arrivals.decay_days=2:12")};
  o.replicates = 2;
  o.band_replicates = 4;
  o.tolerance = 1e-3;
  o.output.dir = dir / "fit";
  const CalibrationResult r = run_calibration(workers, study, o);
  CHECK(r.start == std::vector<double>{18000, 9});
  CHECK(r.fitted[0] == Approx(30000).epsilon(0.05));
  CHECK(r.fitted[1] == Approx(5).epsilon(0.05));
  CHECK(r.mean_relative_difference < 0.05);
  // fitted.toml is the scenario with the fitted values, and loads.
  const Scenario fitted = load_scenario((dir / "fit" / "fitted.toml").string(), {base[0]});
  CHECK(fitted.arrivals.total == static_cast<std::int64_t>(r.fitted[0]));
  CHECK(fitted.arrivals.decay_days == r.fitted[1]);
  CHECK(fs::exists(dir / "fit" / "fit.csv"));
  CHECK(read(dir / "fit" / "calibration.h5", "trace/objective").size() ==
        static_cast<std::size_t>(r.evaluations));
  fs::remove_all(dir);
}
