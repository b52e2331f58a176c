// The description of one rfsim scenario: every input of a run, validated, with dates as
// day indices. Place names stay as written: sim::resolve_places joins them to the
// geography. Parsing lives in scenario.cpp; the engine only reads this struct, so the
// model's description stays apart from its run.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rfsim {

/// Day index relative to the scenario's start date (day 0 = start_date).
using Day = int;

/// A value that changes on given days: value at day d is the last step with day <= d
/// (steps sorted by day, first step at day 0).
struct StepSeries {
  struct Step {
    Day day;
    double value;
  };
  std::vector<Step> steps;
  double at(Day d) const;
};

/// Where an entry point or facility is, as the scenario gives it: lon/lat, or a district
/// name. sim::resolve_places turns either into a district index (sim/places.h).
struct EntryPoint {
  std::string name;
  bool formal = true;            ///< formal checkpoint (screened) or informal crossing
  double lon = 0, lat = 0;       ///< WGS84, when has_coordinates
  bool has_coordinates = false;  ///< lon/lat given; otherwise district_name is given
  std::string district_name;     ///< the district named, when no coordinates are given
};

/// Shares of arrivals over entry points from a given day on (one share per entry point,
/// summing to 1). The first period starts on day 0.
struct EntrySharePeriod {
  Day from = 0;
  std::vector<double> shares;
};

struct Facility {
  std::string name;
  double lon = 0, lat = 0;  ///< WGS84 if has_coordinates
  bool has_coordinates = false;
  std::string district_name;  ///< the district named, when no coordinates are given
  int capacity = 0;      ///< beds
  Day opens = 0;         ///< first day open
  Day closes = 1 << 30;  ///< first day closed
};

enum class QuarantineMode { None, Symptomatic, Mandatory };

/// Quarantine and screening rules in force from day `from`.
struct PolicyPeriod {
  Day from = 0;
  QuarantineMode mode = QuarantineMode::Mandatory;
  int stay_days = 14;
  bool test_at_entry = true;
  bool test_at_exit = true;
};

/// Which facility a returnee bound for quarantine is sent to (sim/quarantine.h).
enum class AssignmentRule { NearestFree, Nearest, HomeDistrictFirst };
/// What happens when that facility has no free bed (sim/quarantine.h).
enum class OverflowRule { NextNearest, HomeQuarantine, Wait, Overcrowd };

struct Arrivals {
  std::int64_t total = 0;  ///< returnees over the horizon
  /// Daily counts before scaling to `total`, one per day of the horizon. Filled from a
  /// CSV (date,count) or from the surge parameters below.
  std::vector<double> daily_shape;
  // Parametric surge (kind = "surge"): linear rise from `start` to `peak` day, then
  // exponential decay with mean `decay_days`.
  std::string kind = "surge";  ///< "surge" or "table"
  std::string table_path;      ///< resolved path of the date,count CSV, if one was read
  Day surge_start = 0, surge_peak = 7;
  double decay_days = 14;
  /// The arrival curve over `horizon` days: daily_shape, or the surge when it is empty.
  std::vector<double> shape(int horizon) const;
};

/// Home-district weights: population within each province, province shares given.
/// Keys of province_share are canonical province names or "other" (all of Cambodia
/// outside the study provinces). Values sum to 1.
struct HomeDistricts {
  std::map<std::string, double> province_share;
  /// Optional explicit weights by district name, replacing population weights.
  std::map<std::string, double> district_weight;
};

/// Rates of per-agent attributes. Probabilities in [0,1].
struct Demography {
  double female = 0.45;
  /// Age bands 0-17, 18-29, 30-44, 45-59, 60+; shares sum to 1.
  std::vector<double> age_band_share = {0.08, 0.42, 0.35, 0.13, 0.02};
  double pregnant_given_female_adult = 0.04;
  double with_children = 0.15;
  double gbv_risk_given_female = 0.10;
  double mental_health_need = 0.12;
  double disability = 0.03;
  double woman_headed_given_female_adult = 0.20;
};

enum class IsolationRelease { Recovery, NegativeTest };

struct Infection {
  StepSeries prevalence;            ///< share of arrivals infected (exposed or infectious)
  double latent_days = 3;           ///< mean exposed period
  double infectious_days = 7;       ///< mean infectious period
  double symptomatic = 0.6;         ///< share of infections with symptoms
  double test_sensitivity = 0.85;   ///< probability a test finds an infectious person
  double informal_detection = 0.1;  ///< probability an informal crosser is intercepted
  double facility_beta = 0.05;      ///< daily infections per infectious resident per bed-mate
  double crowding_exponent = 2.0;   ///< beta multiplier (occupancy/capacity)^exponent above 1
  int isolation_days = 10;          ///< minimum isolation of positives (outside the bed count)
  /// When isolation ends after isolation_days: on recovery (the end of the infectious
  /// period), or on a negative test, retested every retest_days while positive.
  IsolationRelease isolation_release = IsolationRelease::Recovery;
  int retest_days = 3;
};

struct Travel {
  double speed_km_per_day = 150;
};

/// One kind of social-service need.
struct NeedKind {
  std::string name;                      ///< mental_health, gbv, child_protection, maternal_care
  double identify_at_intake = 0.6;       ///< probability a need is identified at quarantine intake
  double identify_with_worker = 0.4;     ///< per month at home, at full worker coverage
  double identify_without_worker = 0.1;  ///< per month at home where no worker is deployed
  double case_days = 60;                 ///< mean case duration
};

struct Services {
  std::vector<NeedKind> needs;
  double caseload_per_worker = 25;         ///< active cases one full-time worker carries
  /// Share of identified needs referred to a social worker (the rest stay unmet).
  double referral_rate = 0.8;
  /// Social workers per commune at which identification at home reaches
  /// identify_with_worker; below it, identification rises linearly from
  /// identify_without_worker with the district's workers per commune.
  double full_coverage_workers_per_commune = 2;
  std::map<std::string, double> deployed;  ///< social workers by district name
  int additional_workers = 0;              ///< to recommend placement for
  /// Most-vulnerable people (returnees and host communities) the services aim to reach;
  /// the UN joint programme's target was 200,000.
  std::int64_t vulnerable_target = 200000;
};

struct Reintegration {
  double budget_usd = 0;
  double cost_individual = 300;
  double cost_community = 120;   ///< per beneficiary
  double community_share = 0.3;  ///< share of packages delivered as community packages
  int delivery_per_week = 500;
  int eligibility_min_vulnerabilities = 1;  ///< at least this many flags (woman-headed counts)
  double remigration_hazard = 0.002;        ///< per day, without a package
  double package_hazard_ratio = 0.4;        ///< hazard multiplier with a package
};

/// Returnees already in the system on day 0, for a run that starts mid-regime (the 8 Aug
/// 2021 reconstruction does not start empty): one group per row of the initial-state
/// table (scenarios/README.md, [initial]).
struct InitialGroup {
  enum class Kind { Quarantine, HomeQuarantine, AtHome, OpenCase, WaitingCase };
  Kind kind = Kind::AtHome;
  std::string place;  ///< facility name (quarantine), else a district of the study area
  std::string need;   ///< open_case and waiting_case: the need (services.needs)
  std::int64_t count = 0;
  int days_left = 0;  ///< (home) quarantine: days until its end; 0 = spread over the stay
  int row = 0;        ///< row in the table, for messages
};
struct InitialState {
  std::string table_path;  ///< resolved path of the CSV read, if any
  std::vector<InitialGroup> groups;
  std::int64_t total() const {
    std::int64_t n = 0;
    for (const auto& g : groups) n += g.count;
    return n;
  }
};

/// Error in a scenario: `what()` reads "file:line: key: what was expected".
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Scenario {
  std::string source_path;    ///< file the scenario came from
  std::string resolved_toml;  ///< full text after --set overrides, for provenance
  std::string name;
  std::string description;
  std::vector<std::string> study_provinces = {"Banteay Meanchey", "Battambang", "Siem Reap"};
  std::string start_date;  ///< ISO date of day 0
  int horizon_days = 365;
  std::uint64_t seed = 1;
  int replicate = 0;
  std::string data_dir;  ///< resolved: scenario key, else $RFSIM_DATA, else ./data
  std::string adm1_file, adm2_file, villages_file;  ///< resolved paths
  std::vector<EntryPoint> entry_points;
  std::vector<EntrySharePeriod> entry_shares;
  std::vector<Facility> facilities;
  std::vector<PolicyPeriod> policies;
  AssignmentRule assignment = AssignmentRule::NearestFree;
  OverflowRule overflow = OverflowRule::NextNearest;
  /// Overcrowd rule: facilities admit up to this many times their beds.
  double overcrowd_factor = 1.5;
  Arrivals arrivals;
  HomeDistricts home;
  Demography demography;
  Infection infection;
  Travel travel;
  Services services;
  Reintegration reintegration;
  InitialState initial;
  /// Line of each dotted key in the scenario file, for errors found after parsing
  /// (e.g. unknown district names): key_lines["facilities.2.district"] = 41. Line 0 means
  /// the key was given on the command line (--set).
  std::map<std::string, int> key_lines;

  /// Policy in force on day d.
  const PolicyPeriod& policy_at(Day d) const;
  /// The error for a key found wrong after parsing, in the parser's format:
  /// "file:line: key: message", or "--set: key: message" for a command-line key.
  ScenarioError key_error(const std::string& key, const std::string& message) const;
  /// ISO date ("YYYY-MM-DD") of day d; "day <d>" if start_date is not set (hand-built
  /// scenarios in tests).
  std::string date_of(Day d) const;
};

/// Parses and validates a scenario file (keys documented in scenarios/README.md).
/// `overrides` are "dotted.key=value" strings applied before validation (values parsed as
/// TOML, else taken as strings). Throws ScenarioError. Province names are checked here;
/// district names are checked later against the geography, using key_lines.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
/// The same from TOML text already in memory (tests, fuzzing); `path` names it in messages
/// and relative paths (arrivals.table, data.dir) are taken from its folder.
Scenario load_scenario_text(std::string_view text, const std::string& path,
                            const std::vector<std::string>& overrides = {});

}  // namespace rfsim
