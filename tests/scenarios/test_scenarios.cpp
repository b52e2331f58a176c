// Tests of the scenario format: every shipped scenario loads with its documented figures,
// --set overrides work, each kind of bad input gives its one-line message at the right
// line, and the arrival curve, step series and policy lookup behave as documented.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>
#include <string>

#include "scenarios/arrivals.h"
#include "scenarios/parameters.h"
#include "scenarios/scenario.h"
#include "scenarios/toml_writer.h"

namespace fs = std::filesystem;
using rfsim::load_scenario;
using rfsim::Scenario;
using rfsim::ScenarioError;

namespace {

const fs::path kScenarios = fs::path(RFSIM_SOURCE_DIR) / "scenarios";

/// A scratch directory for the files a test writes, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("rfsim-scenario-test-" + std::to_string(std::rand()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

/// A short valid scenario; the bad inputs below are edits of it.
const std::string kMinimal = R"([run]
start_date = "2020-04-01"
horizon_days = 30

[[entry_points]]
name = "Poipet"
lon = 102.55768
lat = 13.65692

[[facilities]]
name = "A"
district = "Paoy Paet"
capacity = 100

[arrivals]
total = 1000
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

/// 1-based line of the first occurrence of `marker` in `text`.
int line_of(const std::string& text, const std::string& marker) {
  const auto pos = text.find(marker);
  REQUIRE(pos != std::string::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

std::string error_of(const std::string& path, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario(path, overrides);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

double sum(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

TEST_CASE("every shipped scenario loads and is consistent", "[scenarios]") {
  for (const char* name : {"default.toml", "wave-2020.toml", "dec2020-mar2021.toml",
                           "aug2021-surge.toml", "whatif-short-quarantine.toml"}) {
    INFO(name);
    const Scenario s = load_scenario((kScenarios / name).string());
    // The planner's what-ifs cover the three provinces of the mission; the 2020-2022
    // reconstructions the five border provinces (Pailin and Oddar Meanchey quarantined
    // the Phsar Prum, O'Smach and Choam arrivals), with a home share for each.
    const bool reconstruction = std::string(name) != "default.toml" &&
                                std::string(name) != "whatif-short-quarantine.toml";
    std::vector<std::string> provinces = {"Banteay Meanchey", "Battambang", "Siem Reap"};
    if (reconstruction) {
      provinces.push_back("Pailin");
      provinces.push_back("Oddar Meanchey");
      for (const auto& p : provinces) CHECK(s.home.province_share.count(p) == 1);
    }
    CHECK(s.study_provinces == provinces);
    CHECK(s.arrivals.daily_shape.size() == static_cast<size_t>(s.horizon_days));
    CHECK(s.arrivals.total > 0);
    CHECK(sum(s.arrivals.daily_shape) > 0);
    for (const auto& period : s.entry_shares) {
      CHECK(period.shares.size() == s.entry_points.size());
      CHECK(sum(period.shares) == Approx(1.0).margin(1e-6));
    }
    for (const auto& e : s.entry_points) CHECK(e.has_coordinates == e.formal);
    CHECK_FALSE(s.facilities.empty());
    CHECK_FALSE(s.resolved_toml.empty());
    CHECK(s.services.needs.size() == 4);
    CHECK(s.key_lines.count("run.start_date") == 1);
  }
}

TEST_CASE("the shipped scenarios carry their published figures", "[scenarios]") {
  const Scenario d = load_scenario((kScenarios / "default.toml").string());
  CHECK(d.name == "default");
  CHECK(d.arrivals.total == 60000);
  CHECK(d.entry_points[0].name == "Poipet");
  CHECK(d.entry_shares[0].shares[0] == Approx(0.70));
  CHECK(d.policy_at(0).mode == rfsim::QuarantineMode::Mandatory);
  CHECK(d.policy_at(0).stay_days == 14);
  // ~96% of the surge within three weeks.
  const auto& shape = d.arrivals.daily_shape;
  CHECK(std::accumulate(shape.begin(), shape.begin() + 21, 0.0) / sum(shape) > 0.95);
  CHECK(d.services.vulnerable_target == 200000);
  CHECK(d.reintegration.budget_usd == 300000);
  CHECK(d.services.deployed.size() == 35);

  const Scenario w = load_scenario((kScenarios / "whatif-short-quarantine.toml").string());
  CHECK(w.policy_at(0).stay_days == 7);
  CHECK(w.facilities.size() == d.facilities.size() + 1);
  CHECK(w.facilities.back().district_name == "Thma Puok");
  CHECK(w.arrivals.daily_shape == d.arrivals.daily_shape);

  // The what-if is the default plus the changes its header gives as --set options.
  const Scenario same =
      load_scenario((kScenarios / "default.toml").string(),
                    {"quarantine.stay_days=7", "facilities.7.name=Thma Puok centre",
                     "facilities.7.district=Thma Puok", "facilities.7.capacity=600"});
  REQUIRE(same.facilities.size() == w.facilities.size());
  for (size_t i = 0; i < w.facilities.size(); ++i) {
    CHECK(same.facilities[i].name == w.facilities[i].name);
    CHECK(same.facilities[i].capacity == w.facilities[i].capacity);
  }
  CHECK(same.policy_at(0).stay_days == 7);
  CHECK(same.entry_shares[0].shares == w.entry_shares[0].shares);
  CHECK(same.services.deployed == w.services.deployed);
  CHECK(same.reintegration.budget_usd == w.reintegration.budget_usd);

  // The reconstructions' arrivals, entry shares, home shares and prevalence are fitted to
  // ../shared/data/observed-returns-2020-2022.csv by scripts/fit-arrivals; the fit against
  // every line of the record is tests/reconstructions. Here: their figures within the
  // fit's weight for the line (exact count 3%, "over X" 5%).
  const Scenario wave = load_scenario((kScenarios / "wave-2020.toml").string());
  CHECK(wave.start_date == "2020-03-21");
  CHECK(wave.horizon_days == 274);  // to 19 Dec 2020, the end of screening only
  CHECK(wave.policy_at(0).mode == rfsim::QuarantineMode::Symptomatic);
  CHECK_FALSE(wave.policy_at(0).test_at_entry);
  const auto& daily = wave.arrivals.daily_shape;
  // 78,328 by 7 May (day 47), over 100,000 by 13 Jul 2020 (day 114).
  CHECK(std::accumulate(daily.begin(), daily.begin() + 48, 0.0) == Approx(78328).epsilon(0.03));
  CHECK(std::accumulate(daily.begin(), daily.begin() + 115, 0.0) ==
        Approx(100000).epsilon(0.05));
  CHECK(wave.arrivals.total == static_cast<std::int64_t>(sum(daily)));
  // 58% to the three provinces (line 7), split as the Ou Beichoan deportees (line 12).
  const auto& home = wave.home.province_share;
  CHECK(home.at("Banteay Meanchey") + home.at("Battambang") + home.at("Siem Reap") ==
        Approx(0.58).margin(0.02));
  CHECK(home.at("Banteay Meanchey") / home.at("Siem Reap") == Approx(22718.0 / 6107).epsilon(1e-4));
  CHECK(wave.entry_shares.size() == 9);
  CHECK(wave.entry_shares[0].shares[0] == Approx(0.8));  // Poipet before 23 Mar 2020

  const Scenario dec = load_scenario((kScenarios / "dec2020-mar2021.toml").string());
  CHECK(std::accumulate(dec.arrivals.daily_shape.begin(), dec.arrivals.daily_shape.begin() + 15,
                        0.0) == Approx(6465).epsilon(0.03));
  CHECK(dec.policy_at(0).mode == rfsim::QuarantineMode::Mandatory);
  CHECK(dec.policy_at(74).mode == rfsim::QuarantineMode::Symptomatic);  // 4 Mar 2021
  CHECK(dec.policy_at(102).mode == rfsim::QuarantineMode::Mandatory);   // 1 Apr 2021

  const Scenario aug = load_scenario((kScenarios / "aug2021-surge.toml").string());
  CHECK(aug.policy_at(0).stay_days == 21);
  CHECK(aug.policy_at(0).test_at_entry);
  CHECK(aug.entry_shares[0].shares[0] == 0.0);  // Poipet closed to returnees
  CHECK(aug.facilities.size() == 27);
  CHECK(aug.facilities[20].capacity == 4000);
  CHECK(aug.overflow == rfsim::OverflowRule::Overcrowd);
  // The entry test finds sensitivity x infectious/(latent + infectious) of the infected:
  // the first prevalence step makes that the 252 of 1,986 of 13-14 Aug 2021.
  const double found = aug.infection.test_sensitivity * aug.infection.infectious_days /
                       (aug.infection.latent_days + aug.infection.infectious_days);
  CHECK(aug.infection.prevalence.at(0) * found == Approx(252.0 / 1986).epsilon(1e-3));
  // 840, 1,146 and over 1,400 arrivals on 13-15 Aug (days 5-7).
  CHECK(aug.arrivals.daily_shape[5] == Approx(840).epsilon(0.03));
  CHECK(aug.arrivals.daily_shape[6] == Approx(1146).epsilon(0.03));
  CHECK(aug.arrivals.daily_shape[7] == Approx(1400).epsilon(0.05));
  // Returnees already in place on 8 Aug 2021, in the facilities open that day.
  CHECK(aug.initial.total() > 0);
  for (const auto& g : aug.initial.groups) {
    if (g.kind != rfsim::InitialGroup::Kind::Quarantine) continue;
    CHECK(g.place != "BM 4000-bed site");
    CHECK(g.days_left >= 1);
    CHECK(g.days_left <= 13);
  }
}

TEST_CASE("key_lines locate keys for later errors", "[scenarios]") {
  const std::string path = (kScenarios / "default.toml").string();
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Scenario s = load_scenario(path);
  CHECK(s.key_lines.at("facilities.2.district") == line_of(text, "district = \"Serei Saophoan\""));
  CHECK(s.key_lines.at("entry_points.0.lon") == line_of(text, "lon = 102.55768"));
  CHECK(s.key_lines.at("services.deployed.Thma Puok") == line_of(text, "\"Thma Puok\" = 2"));
  const std::string message = s.key_error("facilities.2.district", "no such district").what();
  CHECK(message == path + ":" + std::to_string(s.key_lines.at("facilities.2.district")) +
                       ": facilities.2.district: no such district");
  CHECK(s.date_of(0) == "2026-01-05");
  CHECK(s.date_of(31) == "2026-02-05");
  CHECK(Scenario{}.date_of(3) == "day 3");
}

TEST_CASE("command-line overrides", "[scenarios][overrides]") {
  const std::string path = (kScenarios / "default.toml").string();
  const Scenario s = load_scenario(
      path, {"quarantine.stay_days=7", "arrivals.total=60001", "facilities.0.capacity=500",
             "services.deployed.Thma Puok=5", "run.name=renamed", "study.provinces=[\"Pailin\"]",
             "entry_points.7.district = Malai"});
  CHECK(s.policy_at(0).stay_days == 7);
  CHECK(s.arrivals.total == 60001);
  CHECK(s.facilities[0].capacity == 500);
  CHECK(s.services.deployed.at("Thma Puok") == 5);
  CHECK(s.key_lines.at("services.deployed.Thma Puok") == 0);
  CHECK(s.key_error("services.deployed.Thma Puok", "x").what() ==
        std::string("--set: services.deployed.Thma Puok: x"));
  CHECK(s.name == "renamed");
  CHECK(s.study_provinces == std::vector<std::string>{"Pailin"});
  CHECK(s.resolved_toml.find("stay_days = 7") != std::string::npos);
  CHECK(s.resolved_toml.find("capacity = 500") != std::string::npos);

  SECTION("an index one past the end appends; quoted names are unquoted") {
    const Scenario more = load_scenario(
        path, {"facilities.7.name=Thma Puok centre", "facilities.7.district=Thma Puok",
               "facilities.7.capacity=600", "services.deployed.\"Thma Puok\"=4",
               "entry_points.12={name = \"Choam 2\", lon = 104.1, lat = 14.37}"});
    REQUIRE(more.facilities.size() == 8);
    CHECK(more.facilities[7].name == "Thma Puok centre");
    CHECK(more.facilities[7].capacity == 600);
    CHECK(more.key_lines.at("facilities.7.capacity") == 0);
    CHECK(more.services.deployed.at("Thma Puok") == 4);
    CHECK(more.entry_points.back().name == "Choam 2");
    CHECK(error_of(path, {"facilities.7.name=X", "facilities.7.district=Malai"}) ==
          "--set: facilities.7.capacity: expected the number of beds, an integer from 1 to "
          "10000000 (missing from [facilities.7])");
  }

  SECTION("the resolved text reloads to the same scenario") {
    TempDir dir;
    const Scenario again = load_scenario(dir.write("resolved.toml", s.resolved_toml));
    CHECK(again.facilities[0].capacity == 500);
    CHECK(rfsim::run_differences(s, again).empty());
  }

  SECTION("a table's counts are inlined into the resolved text") {
    const Scenario wave = load_scenario((kScenarios / "wave-2020.toml").string());
    CHECK(wave.resolved_toml.find("wave-2020-arrivals.csv") == std::string::npos);
    TempDir dir;
    const Scenario again = load_scenario(dir.write("resolved.toml", wave.resolved_toml));
    CHECK(rfsim::run_differences(wave, again).empty());
    CHECK(again.arrivals.table_path.empty());
  }

  SECTION("errors") {
    CHECK(error_of(path, {"quarantine.stay_dyas=7"}) ==
          "--set: quarantine.stay_dyas: unknown key; did you mean \"quarantine.stay_days\"?");
    CHECK(error_of(path, {"quarntine.stay_days=7"}) ==
          "--set: quarntine: unknown key; did you mean \"quarantine\"?");
    CHECK(error_of(path, {"facilities.9.capacity=1"}) ==
          "--set: facilities.9: facilities is an array: expected an index from 0 to 7 (7 "
          "appends) (got \"9\")");
    CHECK(error_of(path, {"run.horizon_days=many"}) ==
          "--set: run.horizon_days: expected an integer from 1 to 3650 (got string \"many\")");
    CHECK(error_of(path, {"facilities.0.capacity=-1"}) ==
          "--set: facilities.0.capacity: expected an integer from 1 to 10000000 (got -1)");
    CHECK(error_of(path, {"run.seed.x=1"}).starts_with("--set: run.seed.x: cannot set a key"));
    CHECK(error_of(path, {"novalue"}).starts_with("--set: novalue: expected key=value"));
  }
}

TEST_CASE("bad inputs give one-line messages at the right line", "[scenarios][errors]") {
  TempDir dir;
  struct Case {
    std::string what;
    std::string text;
    std::string marker;    // the line the error must point at
    std::string fragment;  // part of the message
  };
  const std::string m = kMinimal;
  const std::string two_entries = m + R"(
[[entry_points]]
name = "Doung"
lon = 102.44575
lat = 13.09124
)";
  const std::vector<Case> cases = {
      {"malformed TOML", replace(m, "total = 1000", "total = = 1000"),
       "total = =", ": invalid TOML: "},
      {"unknown key", replace(m, "horizon_days", "horizon_dyas"), "horizon_dyas",
       ": run.horizon_dyas: unknown key; did you mean \"run.horizon_days\"?"},
      {"unknown section", m + "[quarntine]\nstay_days = 7\n", "[quarntine]",
       ": quarntine: unknown key; did you mean \"quarantine\"?"},
      {"wrong type", replace(m, "capacity = 100", "capacity = \"lots\""), "capacity",
       ": facilities.0.capacity: expected an integer from 1 to 10000000 (got string \"lots\")"},
      {"negative capacity", replace(m, "capacity = 100", "capacity = -5"), "capacity",
       ": facilities.0.capacity: expected an integer from 1 to 10000000 (got -5)"},
      {"zero capacity", replace(m, "capacity = 100", "capacity = 0"), "capacity", "(got 0)"},
      {"probability above 1", m + "[infection]\nprevalence = 1.5\n", "prevalence",
       ": infection.prevalence: expected a probability from 0 to 1 (got 1.5)"},
      {"date before start", replace(m, "capacity = 100", "capacity = 100\nopens = 2020-03-01"),
       "opens",
       ": facilities.0.opens: expected a date from 2020-04-01 to 2020-04-30 (got "
       "2020-03-01, before run.start_date)"},
      {"date after horizon", replace(m, "capacity = 100", "capacity = 100\nopens = \"2020-06-01\""),
       "opens", "(got 2020-06-01, after the horizon)"},
      {"closing before opening",
       replace(m, "capacity = 100", "capacity = 100\ncloses = 2020-04-01"), "closes",
       ": facilities.0.closes: expected a date from 2020-04-02 to 2020-05-01"},
      {"datetime instead of date", replace(m, "\"2020-04-01\"", "2020-04-01T10:00:00"),
       "start_date", "(got a date-time)"},
      {"missing arrivals", m.substr(0, m.find("[arrivals]")), "[run]",
       ": arrivals: expected an [arrivals] table with total (missing from the scenario)"},
      {"impossible date", replace(m, "\"2020-04-01\"", "\"2020-02-30\""), "start_date",
       ": run.start_date: expected a date \"YYYY-MM-DD\" (got string \"2020-02-30\")"},
      {"missing start date", replace(m, "start_date = \"2020-04-01\"\n", ""), "[run]",
       ": run.start_date: expected a date \"YYYY-MM-DD\" (missing from [run])"},
      {"shares not summing to 1",
       two_entries + "[[entry_shares]]\nshares = { Poipet = 0.5, Doung = 0.4 }\n",
       "shares =", ": entry_shares.0.shares: expected shares summing to 1 (got 0.9)"},
      {"shares naming an unknown entry point",
       two_entries + "[[entry_shares]]\nshares = { Poipett = 0.5, Doung = 0.5 }\n",
       "shares =", "(got \"Poipett\"); did you mean \"Poipet\"?"},
      {"unknown province", m + "[study]\nprovinces = [\"Battambang\",\n  \"Siem Reep\"]\n",
       "\"Siem Reep\"",
       ": study.provinces.1: expected a Cambodian province name (got \"Siem Reep\"); did you "
       "mean \"Siem Reap\"?"},
      {"unknown home province", m + "[home.province_share]\nBatambang = 0.5\nother = 0.5\n",
       "Batambang", "did you mean \"Battambang\"?"},
      {"duplicate facility names",
       m + "\n[[facilities]]\nname = \"A\"\ndistrict = \"Malai\"\ncapacity = 5\n",
       "name = \"A\"\ndistrict = \"Malai\"",
       ": facilities.1.name: expected a unique facility name (got \"A\" again)"},
      {"duplicate entry points", m + "[[entry_points]]\nname = \"Poipet\"\ndistrict = \"Malai\"\n",
       "name = \"Poipet\"\ndistrict", "expected a unique entry point name"},
      {"unknown mode", m + "[[policy]]\nmode = \"mandatry\"\n", "mode",
       ": policy.0.mode: expected \"none\", \"symptomatic\" or \"mandatory\" (got \"mandatry\"); "
       "did you mean \"mandatory\"?"},
      {"policy not starting on day 0", m + "[[policy]]\nfrom = 2020-04-05\n", "from",
       "expected the first period to start on run.start_date"},
      {"both location forms",
       replace(m, "district = \"Paoy Paet\"", "district = \"Paoy Paet\"\nlon = 102.6\nlat = 13.6"),
       "district = \"Paoy Paet\"", "expected either lon/lat or district, not both"},
      {"latitude outside Cambodia", replace(m, "lat = 13.65692", "lat = 102.5"), "lat = 102.5",
       "expected a latitude in Cambodia"},
      {"unknown need", m + "[services.needs.gbv_support]\ncase_days = 30\n", "[services.needs.gbv",
       "did you mean \"gbv\"?"},
      {"age bands not summing to 1",
       m + "[demography]\nage_band_share = [0.1, 0.1, 0.1, 0.1, 0.1]\n", "age_band_share",
       "expected shares summing to 1 (got 0.5)"},
      {"surge peak before start",
       replace(m, "total = 1000",
               "total = 1000\nsurge_start = 2020-04-10\nsurge_peak = 2020-04-05"),
       "surge_peak", "expected a date from 2020-04-10 to 2020-04-30"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const std::string path = dir.write("bad.toml", c.text);
    const std::string message = error_of(path);
    INFO(message);
    const std::string where = path + ":" + std::to_string(line_of(c.text, c.marker));
    CHECK(message.starts_with(where + ":"));
    CHECK(message.find(c.fragment) != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("arrival tables from CSV", "[scenarios][arrivals]") {
  TempDir dir;
  const std::string scenario = replace(kMinimal, "total = 1000", "table = \"counts.csv\"");
  const std::string path = dir.write("table.toml", scenario);

  SECTION("counts land on their days; rows outside the horizon are ignored") {
    dir.write("counts.csv",
              "# a comment\ndate,count,source\n2020-03-31,7,before\n2020-04-01,10,x\n"
              "\n2020-04-03, 2.5 ,y\n2020-05-01,9,after\n");
    const Scenario s = load_scenario(path);
    CHECK(s.arrivals.kind == "table");
    CHECK(s.arrivals.daily_shape.size() == 30);
    CHECK(s.arrivals.daily_shape[0] == 10);
    CHECK(s.arrivals.daily_shape[1] == 0);
    CHECK(s.arrivals.daily_shape[2] == 2.5);
    CHECK(sum(s.arrivals.daily_shape) == 12.5);
    CHECK(s.arrivals.total == 13);  // total defaults to the rounded sum
    CHECK(s.arrivals.table_path == (dir.path / "counts.csv").lexically_normal().string());
  }
  SECTION("an explicit total is kept") {
    dir.write("counts.csv", "date,count\n2020-04-01,10\n");
    const Scenario s = load_scenario(path, {"arrivals.total=500"});
    CHECK(s.arrivals.total == 500);
  }
  SECTION("bad tables") {
    const std::string csv = (dir.path / "counts.csv").string();
    struct Case {
      std::string text, where, fragment;
    };
    const std::vector<Case> cases = {
        {"", csv + ":1: ", "expected a header \"date,count\" (got an empty file)"},
        {"date,count\n", csv + ":1: ", "expected rows of date,count after the header (got none)"},
        {"day,n\n2020-04-01,1\n", csv + ":1: ", "header: expected \"date,count\""},
        {"date,count\n2020-04-01,12\n2020-04-02,abc\n",
         csv + ":3: ", "count: expected a non-negative number (got \"abc\")"},
        {"date,count\n2020-04-01,-3\n", csv + ":2: ", "(got \"-3\")"},
        {"date,count\n01/04/2020,3\n",
         csv + ":2: ", "date: expected a date YYYY-MM-DD (got \"01/04/2020\")"},
        {"date,count\n2020-04-01\n", csv + ":2: ", "expected two columns date,count"},
        {"date,count\n2020-04-01,1\n2020-04-01,2\n",
         csv + ":3: ", "expected each date once (got 2020-04-01 again, first on row 2)"},
        {"date,count\n2021-04-01,1\n", path + ":16: ",
         "arrivals.table: expected arrivals within the horizon 2020-04-01 to 2020-04-30"},
    };
    for (const Case& c : cases) {
      INFO(c.text);
      dir.write("counts.csv", c.text);
      const std::string message = error_of(path);
      INFO(message);
      CHECK(message.starts_with(c.where));
      CHECK(message.find(c.fragment) != std::string::npos);
    }
    fs::remove(csv);
    CHECK(error_of(path).find("arrivals.table: expected a CSV file of date,count (got "
                              "\"counts.csv\", not found") != std::string::npos);
  }
  SECTION("inline daily counts") {
    const std::string inline_path = dir.write(
        "inline.toml", replace(kMinimal, "total = 1000", "total = 1000\ndaily = [0, 5, 5]"));
    const Scenario s = load_scenario(inline_path);
    CHECK(s.arrivals.kind == "table");
    CHECK(s.arrivals.daily_shape[1] == 5);
    CHECK(s.arrivals.total == 1000);
  }
}

TEST_CASE("surge curve shape", "[scenarios][arrivals]") {
  const auto shape = rfsim::scenario_detail::surge_shape(40, 5, 10, 4.0);
  REQUIRE(shape.size() == 40);
  for (int d = 0; d < 5; ++d) CHECK(shape[d] == 0.0);
  CHECK(shape[5] == Approx(1.0 / 6));
  CHECK(std::max_element(shape.begin(), shape.end()) - shape.begin() == 10);
  CHECK(shape[10] == 1.0);
  for (int d = 6; d <= 10; ++d) CHECK(shape[d] > shape[d - 1]);
  for (int d = 11; d < 40; ++d) CHECK(shape[d] < shape[d - 1]);
  CHECK(shape[14] == Approx(std::exp(-1.0)));
  // Start on day 0 and peak on the start day.
  const auto flat = rfsim::scenario_detail::surge_shape(5, 0, 0, 1.0);
  CHECK(flat[0] == 1.0);
  CHECK(flat[1] == Approx(std::exp(-1.0)));

  TempDir dir;
  const Scenario s = load_scenario(dir.write(
      "s.toml", replace(kMinimal, "total = 1000",
                        "total = 1000\nsurge_start = 2020-04-03\nsurge_peak = 2020-04-06")));
  CHECK(s.arrivals.surge_start == 2);
  CHECK(s.arrivals.surge_peak == 5);
  CHECK(s.arrivals.daily_shape[1] == 0);
  CHECK(s.arrivals.daily_shape[5] == 1.0);
}

TEST_CASE("StepSeries::at and policy_at", "[scenarios]") {
  rfsim::StepSeries series;
  CHECK(series.at(3) == 0.0);
  series.steps = {{0, 0.1}, {10, 0.5}, {20, 0.2}};
  CHECK(series.at(0) == 0.1);
  CHECK(series.at(9) == 0.1);
  CHECK(series.at(10) == 0.5);
  CHECK(series.at(19) == 0.5);
  CHECK(series.at(25) == 0.2);
  CHECK(series.at(-1) == 0.1);

  TempDir dir;
  const Scenario s = load_scenario(dir.write("p.toml", kMinimal + R"(
[quarantine]
stay_days = 10
test_at_exit = false

[[policy]]
mode = "symptomatic"

[[policy]]
from = "2020-04-11"
mode = "mandatory"

[[policy]]
from = 2020-04-21
mode = "none"
stay_days = 3
)"));
  REQUIRE(s.policies.size() == 3);
  CHECK(s.policy_at(0).mode == rfsim::QuarantineMode::Symptomatic);
  CHECK(s.policy_at(9).mode == rfsim::QuarantineMode::Symptomatic);
  CHECK(s.policy_at(10).mode == rfsim::QuarantineMode::Mandatory);
  CHECK(s.policy_at(10).stay_days == 10);  // [quarantine] default
  CHECK_FALSE(s.policy_at(10).test_at_exit);
  CHECK(s.policy_at(10).test_at_entry);
  CHECK(s.policy_at(20).mode == rfsim::QuarantineMode::None);
  CHECK(s.policy_at(29).stay_days == 3);

  const Scenario none = load_scenario(dir.write("q.toml", kMinimal));
  CHECK(none.policies.size() == 1);
  CHECK(none.policy_at(5).mode == rfsim::QuarantineMode::Mandatory);
  CHECK(none.policy_at(5).stay_days == 14);
}

TEST_CASE("defaults of a minimal scenario", "[scenarios]") {
  TempDir dir;
  const std::string path = dir.write("min.toml", kMinimal);
  const Scenario s = load_scenario(path);
  CHECK(s.name == "min");
  CHECK(s.horizon_days == 30);
  CHECK(s.entry_shares.size() == 1);
  CHECK(s.entry_shares[0].shares == std::vector<double>{1.0});
  CHECK(s.facilities[0].opens == 0);
  CHECK(s.facilities[0].closes == 1 << 30);
  CHECK(s.infection.prevalence.at(0) == 0.01);
  CHECK(s.home.province_share.empty());  // homes by population
  CHECK(s.assignment == rfsim::AssignmentRule::NearestFree);
  CHECK(s.overflow == rfsim::OverflowRule::NextNearest);
  CHECK(s.arrivals.kind == "surge");
  CHECK(s.arrivals.surge_peak == 7);

  SECTION("data directory: [data] dir, else $RFSIM_DATA, else ./data") {
    // The caller's RFSIM_DATA must not leak into the defaults checked here.
    const char* callers = std::getenv("RFSIM_DATA");
    const std::string saved = callers ? callers : "";
    ::unsetenv("RFSIM_DATA");
    const Scenario plain = load_scenario(path);
    CHECK(plain.data_dir == "data");
    CHECK(plain.adm2_file == "data/geoBoundaries-KHM-ADM2-simplified.geojson");
    ::setenv("RFSIM_DATA", "/srv/khm", 1);
    CHECK(load_scenario(path).villages_file == "/srv/khm/nis-census-2008-villages.csv");
    const Scenario own = load_scenario(
        dir.write("d.toml", kMinimal + "[data]\ndir = \"../geo\"\nadm1_file = \"p.gpkg\"\n"));
    CHECK(own.data_dir == (dir.path.parent_path() / "geo").string());
    CHECK(own.adm1_file == (dir.path.parent_path() / "geo" / "p.gpkg").string());
    if (callers) {
      ::setenv("RFSIM_DATA", saved.c_str(), 1);
    } else {
      ::unsetenv("RFSIM_DATA");
    }
  }
}

TEST_CASE("the parameter dictionary has exactly the keys the parser reads", "[scenarios][params]") {
  // A scenario setting every key; a second one covers the table-only arrival keys.
  std::string sink = R"([run]
name = "sink"
description = "every key"
start_date = 2020-04-01
horizon_days = 60
seed = 7
replicate = 2
[study]
provinces = ["Battambang"]
[data]
dir = "d"
adm1_file = "a.gpkg"
adm2_file = "b.gpkg"
villages_file = "v.csv"
[[entry_points]]
name = "Doung"
formal = true
lon = 102.44575
lat = 13.09124
[[entry_points]]
name = "Malai informal"
formal = false
district = "Malai"
[[entry_shares]]
from = 2020-04-01
shares = { Doung = 0.9, "Malai informal" = 0.1 }
[[facilities]]
name = "A"
district = "Malai"
capacity = 10
opens = 2020-04-02
closes = 2020-05-01
[[facilities]]
name = "B"
lon = 102.6
lat = 13.6
capacity = 10
[quarantine]
assignment = "home_district_first"
overflow = "wait"
overcrowd_factor = 2
mode = "mandatory"
stay_days = 10
test_at_entry = false
test_at_exit = false
[[policy]]
from = 2020-04-01
mode = "none"
stay_days = 3
test_at_entry = true
test_at_exit = true
[arrivals]
kind = "surge"
total = 100
surge_start = 2020-04-01
surge_peak = 2020-04-03
decay_days = 2
[home]
province_share = { Battambang = 0.5, other = 0.5 }
district_weight = { Malai = 2 }
[demography]
female = 0.5
age_band_share = [0.2, 0.2, 0.2, 0.2, 0.2]
pregnant_given_female_adult = 0.1
with_children = 0.1
gbv_risk_given_female = 0.1
mental_health_need = 0.1
disability = 0.1
woman_headed_given_female_adult = 0.1
[infection]
latent_days = 2
infectious_days = 5
symptomatic = 0.5
test_sensitivity = 0.9
informal_detection = 0.2
facility_beta = 0.1
crowding_exponent = 1
isolation_days = 7
isolation_release = "negative_test"
retest_days = 2
[[infection.prevalence]]
from = 2020-04-01
value = 0.1
[travel]
speed_km_per_day = 100
[services]
caseload_per_worker = 20
referral_rate = 0.9
full_coverage_workers_per_commune = 3
additional_workers = 5
deploy_districts = ["Malai"]
deploy_max_per_district = 5
deploy_min_per_district = 1
vulnerable_target = 1000
deployed = { Malai = 1 }
{needs}[reintegration]
budget_usd = 1
cost_individual = 1
cost_community = 1
community_share = 0.5
delivery_per_week = 1
eligibility_min_vulnerabilities = 2
remigration_hazard = 0.01
package_hazard_ratio = 0.5
[information]
reach_formal = 0.5
reach_informal = 0.1
outreach_teams = 2
reach_per_team = 0.1
reach_in_facility = 0.5
home_quarantine_compliance_reached = 0.9
home_quarantine_compliance_unreached = 0.5
care_seeking_ratio = 2
remigration_ratio = 0.5
[host]
mental_health = 0.01
gbv = 0.01
child_protection = 0.01
maternal_care = 0.01
identify_with_worker = 0.2
identify_without_worker = 0.02
[costs]
bed_day = 5
test = 10
transport = 5
isolation_day = 10
information_person = 2
outreach_team_week = 100
worker_week = 50
management_share = 0.05
envelope_usd = 100000
envelope_covers = ["information", "packages"]
government_share = { quarantine = 1, packages = 0 }
[[initial.groups]]
state = "open_case"
place = "Malai"
count = 3
days_left = 0
need = "gbv"
)";
  // Every need tuned in its own table.
  std::string needs;
  for (std::string_view need : rfsim::params::kNeeds)
    needs += "[services.needs." + std::string(need) +
             "]\nidentify_at_intake = 0.1\nidentify_with_worker = 0.1\n"
             "identify_without_worker = 0.1\ncase_days = 10\n";
  sink = replace(sink, "{needs}", needs);
  TempDir dir;
  dir.write("counts.csv", "date,count\n2020-04-01,5\n");
  dir.write("initial.csv", "state,place,count\nat_home,Malai,4\n");
  const std::string table_sink =
      replace(replace(sink, "kind = \"surge\"", "kind = \"table\"\ntable = \"counts.csv\""),
              "surge_start = 2020-04-01\nsurge_peak = 2020-04-03\ndecay_days = 2\n", "");
  const std::string daily_sink = replace(
      replace(table_sink, "table = \"counts.csv\"", "daily = [1, 2]"),
      "[[initial.groups]]\nstate = \"open_case\"\nplace = \"Malai\"\ncount = 3\ndays_left = "
      "0\nneed = \"gbv\"\n",
      "[initial]\ntable = \"initial.csv\"\n");

  // Keys the parser read, with element numbers as "*"; left out: the tables holding keys,
  // the names inside name = value tables and the elements of arrays.
  std::set<std::string> dictionary, parsed;
  for (const auto& p : rfsim::params::kTable) dictionary.insert(std::string(p.key));
  auto is_prefix_of_a_key = [&](const std::string& k) {
    return std::any_of(dictionary.begin(), dictionary.end(),
                       [&](const std::string& d) { return d.starts_with(k + "."); });
  };
  for (const std::string& text : {sink, table_sink, daily_sink}) {
    const Scenario s = load_scenario(dir.write("sink.toml", text));
    for (const auto& [key, line] : s.key_lines) {
      std::string pattern;
      std::stringstream in(key);
      for (std::string part; std::getline(in, part, '.');)
        pattern += (pattern.empty() ? "" : ".") +
                   (std::isdigit(static_cast<unsigned char>(part[0])) ? std::string("*") : part);
      const std::string parent = pattern.substr(0, pattern.rfind('.'));
      if (dictionary.count(pattern) == 0 &&
          (is_prefix_of_a_key(pattern) || dictionary.count(parent) == 1))
        continue;
      parsed.insert(pattern);
    }
  }
  std::vector<std::string> unread, undocumented;
  std::set_difference(dictionary.begin(), dictionary.end(), parsed.begin(), parsed.end(),
                      std::back_inserter(unread));
  std::set_difference(parsed.begin(), parsed.end(), dictionary.begin(), dictionary.end(),
                      std::back_inserter(undocumented));
  CAPTURE(unread, undocumented);
  CHECK(unread.empty());        // in the dictionary, never read by the parser
  CHECK(undocumented.empty());  // read by the parser, not in the dictionary
}

TEST_CASE("every parameter has its range, default, meaning and source", "[scenarios][params]") {
  using rfsim::params::Type;
  const auto sections = rfsim::params::documented_sections();
  std::set<std::string_view> keys;
  for (const auto& p : rfsim::params::kTable) {
    INFO(p.key);
    CHECK(keys.insert(p.key).second);
    CHECK(std::find(sections.begin(), sections.end(), p.key.substr(0, p.key.find('.'))) !=
          sections.end());
    CHECK_FALSE(p.meaning.empty());
    // A citation, or "ASSUMPTION: " and a reason.
    CHECK(p.source.size() > 12);
    if (p.source.starts_with("ASSUMPTION")) CHECK(p.source.starts_with("ASSUMPTION: "));
    const auto [min, max] = rfsim::params::number_range(p);
    switch (p.type) {
      case Type::Integer:
      case Type::Number:
      case Type::Probability:
        CHECK(min <= max);
        if (!p.required && p.default_doc.empty()) CHECK((min <= p.value && p.value <= max));
        break;
      case Type::Choice:
        if (!p.required) CHECK(rfsim::params::choice_index(p, p.text) >= 0);
        break;
      case Type::ShareList:
        CHECK(p.values.size() == p.size);
        CHECK(std::accumulate(p.values.begin(), p.values.end(), 0.0) == Approx(1.0));
        break;
      case Type::Shares:
        CHECK(p.values.size() == p.names.size());
        if (!p.values.empty())
          CHECK(std::accumulate(p.values.begin(), p.values.end(), 0.0) == Approx(1.0));
        break;
      case Type::Weights:
      case Type::Counts:
        CHECK(min <= max);
        break;
      default:
        break;
    }
  }
}

TEST_CASE("a Scenario built in code has the defaults of a minimal scenario file",
          "[scenarios][params]") {
  TempDir dir;
  const Scenario file =
      load_scenario(dir.write("min.toml", replace(kMinimal, "horizon_days = 30\n", "")));
  const Scenario code;
  CHECK(file.study_provinces == code.study_provinces);
  CHECK(file.horizon_days == code.horizon_days);
  CHECK(file.seed == code.seed);
  CHECK(file.replicate == code.replicate);
  CHECK(file.description == code.description);
  CHECK(file.entry_points[0].formal == rfsim::EntryPoint{}.formal);
  CHECK(file.facilities[0].opens == rfsim::Facility{}.opens);
  CHECK(file.facilities[0].closes == rfsim::Facility{}.closes);
  REQUIRE(file.policies.size() == 1);
  CHECK(file.policies[0] == rfsim::PolicyPeriod{});
  CHECK(file.policy_at(0) == code.policy_at(0));
  CHECK(file.assignment == code.assignment);
  CHECK(file.overflow == code.overflow);
  CHECK(file.arrivals.kind == code.arrivals.kind);
  CHECK(file.arrivals.surge_start == code.arrivals.surge_start);
  CHECK(file.arrivals.surge_peak == code.arrivals.surge_peak);
  CHECK(file.arrivals.decay_days == code.arrivals.decay_days);
  CHECK(file.home == code.home);
  CHECK(file.demography == code.demography);
  CHECK(file.infection == code.infection);
  CHECK(file.travel == code.travel);
  CHECK(file.services == code.services);
  CHECK(file.reintegration == code.reintegration);
  // And the values are the dictionary's.
  CHECK(code.policy_at(0).stay_days == 14);
  CHECK(code.infection.prevalence.at(0) == 0.01);
  CHECK(code.demography.age_band_share.size() == 5);
  CHECK(code.home.province_share.empty());
  REQUIRE(code.services.needs.size() == 4);
  CHECK(code.services.needs[1].name == "gbv");
  CHECK(code.services.needs[1].identify_with_worker == 0.3);
  CHECK(code.services.needs[3].name == "maternal_care");
  CHECK(code.services.needs[3].case_days == 180);
}

TEST_CASE("scenarios/README.md documents the keys as the dictionary does", "[scenarios][params]") {
  std::ifstream in(kScenarios / "README.md");
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto keys = readme.find("\n## Keys\n");
  REQUIRE(keys != std::string::npos);
  INFO("scenarios/README.md is out of date: run scripts/update-params-doc");
  CHECK(readme.substr(keys + 1) == rfsim::params::markdown());
}

TEST_CASE("keys and strings are written as TOML reads them", "[scenarios][resolved]") {
  using rfsim::scenario_detail::toml_key;
  using rfsim::scenario_detail::toml_string;
  CHECK(toml_key("Poipet") == "Poipet");
  CHECK(toml_key("surge_peak-2") == "surge_peak-2");
  CHECK(toml_key("O'Smach") == "\"O'Smach\"");
  CHECK(toml_key("a.b") == "\"a.b\"");
  CHECK(toml_key("Thma Puok") == "\"Thma Puok\"");
  CHECK(toml_key("") == "\"\"");
  CHECK(toml_key("ស្វាយចេក") == "\"ស្វាយចេក\"");
  CHECK(toml_string("say \"hi\"\\now\t\n\x01\x7f") ==
        "\"say \\\"hi\\\"\\\\now\\t\\n\\u0001\\u007F\"");
}

namespace {

/// A scenario whose entry points, shares, facilities and district tables are keyed by `name`.
std::string scenario_named(const std::string& name) {
  using rfsim::scenario_detail::toml_key;
  using rfsim::scenario_detail::toml_string;
  const std::string q = toml_string(name), k = toml_key(name);
  return "[run]\nname = " + q + "\ndescription = " + q +
         "\nstart_date = 2026-01-05\nhorizon_days = 40\n\n"
         "[[entry_points]]\nname = \"Poipet\"\nlon = 102.55768\nlat = 13.65692\n\n"
         "[[entry_points]]\nname = " +
         q + "\nformal = false\ndistrict = " + q +
         "\n\n"
         "[[entry_shares]]\nshares = { Poipet = 0.25, " +
         k +
         " = 0.75 }\n\n"
         "[[entry_shares]]\nfrom = 2026-01-20\n[entry_shares.shares]\n" +
         k +
         " = 1\n\n"
         "[[facilities]]\nname = " +
         q + "\ndistrict = " + q +
         "\ncapacity = 100\n\n"
         "[arrivals]\ntotal = 5000\ndaily = [1, 2.5, 0.1, 3]\n\n"
         "[home.district_weight]\n" +
         k +
         " = 2\n\"x\" = 1\n\n"
         "[services.deployed]\n" +
         k + " = 1.5\n";
}

}  // namespace

TEST_CASE("the resolved text reloads to the same run, whatever the names",
          "[scenarios][resolved]") {
  // O'Smach as the checkpoint is spelt; dots, quotes, backslashes, spaces, TOML syntax and
  // Khmer script (O'Smach and Svay Chek) in names.
  const std::vector<std::string> names = {
      "O'Smach",         "a.b",   "\"quoted\"", "back\\slash", "with space", "[x]",
      "# not a comment", "a = b", "tab\there",  "អូរស្មាច់",      "ស្វាយចេក",    "'",
      "'single'",        "-",     "_"};
  TempDir dir;
  for (const std::string& name : names) {
    INFO(name);
    const std::string path = dir.write("named.toml", scenario_named(name));
    const Scenario s = load_scenario(path);
    REQUIRE(s.entry_points.size() == 2);
    CHECK(s.entry_points[1].name == name);
    CHECK(s.entry_shares[1].shares == std::vector<double>{0.0, 1.0});
    CHECK(s.home.district_weight.at(name) == 2);
    CHECK(s.services.deployed.at(name) == 1.5);
    INFO(s.resolved_toml);
    const Scenario again = rfsim::load_scenario_text(s.resolved_toml, path);
    CHECK(rfsim::run_differences(s, again).empty());
    CHECK(again.resolved_toml == s.resolved_toml);
  }

  SECTION("as toml++ would have broken it") {
    const Scenario s = load_scenario(dir.write("named.toml", scenario_named("O'Smach")));
    CHECK(s.resolved_toml.find("\"O'Smach\" = 0.75") != std::string::npos);
    CHECK(s.resolved_toml.find(" O'Smach =") == std::string::npos);
  }

  SECTION("the resolved text keeps the file's order and states the name") {
    const Scenario s = load_scenario(dir.write("named.toml", scenario_named("X")));
    CHECK(s.resolved_toml.starts_with("[run]\nname = \"X\"\ndescription"));
    const Scenario unnamed = load_scenario(
        dir.write("unnamed.toml", replace(scenario_named("X"), "name = \"X\"\n", "")));
    CHECK(unnamed.name == "unnamed");
    CHECK(unnamed.resolved_toml.find("name = \"unnamed\"") != std::string::npos);
    // Loaded under another file name, the stored text keeps the run's name.
    CHECK(rfsim::load_scenario_text(unnamed.resolved_toml, "elsewhere.toml").name == "unnamed");
  }

  SECTION("every shipped scenario, with and without overrides") {
    for (const char* file : {"default.toml", "wave-2020.toml", "dec2020-mar2021.toml",
                             "aug2021-surge.toml", "whatif-short-quarantine.toml"}) {
      INFO(file);
      for (const std::vector<std::string>& sets :
           {std::vector<std::string>{},
            {"quarantine.stay_days=7", "facilities.0.capacity=12", "run.seed=3",
             "services.deployed.\"a.b\"=2", "home.district_weight.\"O'Smach\"=1",
             "services.deployed.O'Smach=1"}}) {
        const std::string path = (kScenarios / file).string();
        const Scenario s = load_scenario(path, sets);
        const Scenario again = rfsim::load_scenario_text(s.resolved_toml, path);
        CHECK(rfsim::run_differences(s, again).empty());
        CHECK(again.resolved_toml == s.resolved_toml);
      }
    }
  }
}

TEST_CASE("overrides: keys may quote parts holding dots, values must be UTF-8",
          "[scenarios][overrides]") {
  const std::string path = (kScenarios / "default.toml").string();
  const Scenario s = load_scenario(
      path, {"services.deployed.\"a.b\"=2", "services.deployed.'c.d' = 3",
             "home.district_weight.\"q\\\"uote\"=1", "services.deployed.Thma Puok=4"});
  CHECK(s.services.deployed.at("a.b") == 2);
  CHECK(s.services.deployed.at("c.d") == 3);
  CHECK(s.services.deployed.at("Thma Puok") == 4);
  CHECK(s.home.district_weight.at("q\"uote") == 1);
  CHECK(error_of(path, {"run.name=\xff\xfe"}) ==
        "--set: run.name: expected UTF-8 text (got invalid bytes)");
  CHECK(error_of(path, {"services.deployed.\"a.b=2"})
            .starts_with("--set: services.deployed.\"a.b: expected a closing \""));
  CHECK(error_of(path, {"services.deployed.\"a\"b=2"})
            .starts_with("--set: services.deployed.\"a\"b: expected a dot after \"a\""));
}

TEST_CASE("initial state: a CSV table, inlined into the resolved scenario, errors by row",
          "[scenarios][initial]") {
  TempDir dir;
  dir.write("initial.csv",
            "# returnees in place on 8 Aug 2021\n"
            "state,place,count,days_left,need\n"
            "quarantine,Poipet centre,120,5,\n"
            "home_quarantine,Paoy Paet,30,,\n"
            "at_home,Malai,400,,\n"
            "open_case,Malai,6,,mental_health\n");
  const std::string text = kMinimal + "\n[initial]\ntable = \"initial.csv\"\n";
  const Scenario s = load_scenario(dir.write("s.toml", text));
  REQUIRE(s.initial.groups.size() == 4);
  CHECK(s.initial.total() == 556);
  CHECK(s.initial.groups[0].kind == rfsim::InitialGroup::Kind::Quarantine);
  CHECK(s.initial.groups[0].days_left == 5);
  CHECK(s.initial.groups[0].row == 3);
  CHECK(s.initial.groups[3].need == "mental_health");
  // The resolved text holds the groups, so it reruns without the CSV.
  CHECK(s.resolved_toml.find("initial.csv") == std::string::npos);
  const Scenario again = rfsim::load_scenario_text(s.resolved_toml, (dir.path / "elsewhere.toml").string());
  CHECK(again.initial.groups.size() == 4);
  CHECK(rfsim::run_differences(s, again).empty());

  auto error = [&](const std::string& rows) {
    dir.write("bad.csv", "state,place,count,days_left,need\n" + rows);
    try {
      load_scenario(dir.write("b.toml", kMinimal + "\n[initial]\ntable = \"bad.csv\"\n"));
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error("asleep,Malai,3,,\n"),
             Catch::Matchers::Contains("bad.csv:2: state: expected quarantine, home_quarantine, at_home"));
  CHECK_THAT(error("at_home,Malai,-3,,\n"), Catch::Matchers::Contains("bad.csv:2: count: expected a whole number"));
  CHECK_THAT(error("open_case,Malai,3,,\n"), Catch::Matchers::Contains("bad.csv:2: need: expected the need"));
  CHECK_THAT(error("at_home,Malai,3,4,\n"), Catch::Matchers::Contains("bad.csv:2: days_left: expected 0"));
}
