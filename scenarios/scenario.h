// The description of one rfsim scenario: every input of a run, validated, with dates as
// day indices. Place names stay as written: sim::resolve_places joins them to the
// geography. Parsing lives in scenario.cpp; the engine only reads this struct, so the
// model's description stays apart from its run. Default member values come from the
// parameter dictionary (parameters.h), the same defaults the loader applies to keys a
// scenario file leaves out.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/parameters.h"

namespace rfsim {

/// Day index relative to the scenario's start date (day 0 = start_date).
using Day = int;

/// A value that changes on given days: value at day d is the last step with day <= d
/// (steps sorted by day, first step at day 0).
struct StepSeries {
  struct Step {
    Day day;
    double value;
    bool operator==(const Step&) const = default;
  };
  std::vector<Step> steps;
  double at(Day d) const;

  bool operator==(const StepSeries&) const = default;
};

/// Where an entry point or facility is, as the scenario gives it: lon/lat, or a district
/// name. sim::resolve_places turns either into a district index (sim/places.h).
struct EntryPoint {
  std::string name;
  bool formal =
      params::param("entry_points.*.formal").value != 0;  ///< formal (screened) or informal
  double lon = 0, lat = 0;       ///< WGS84, when has_coordinates
  bool has_coordinates = false;  ///< lon/lat given; otherwise district_name is given
  std::string district_name;     ///< the district named, when no coordinates are given

  bool operator==(const EntryPoint&) const = default;
};

/// Shares of arrivals over entry points from a given day on (one share per entry point,
/// summing to 1). The first period starts on day 0.
struct EntrySharePeriod {
  Day from = 0;
  std::vector<double> shares;

  bool operator==(const EntrySharePeriod&) const = default;
};

struct Facility {
  std::string name;
  double lon = 0, lat = 0;  ///< WGS84 if has_coordinates
  bool has_coordinates = false;
  std::string district_name;  ///< the district named, when no coordinates are given
  int capacity = 0;  ///< beds (required: no default)
  Day opens = static_cast<Day>(params::param("facilities.*.opens").value);    ///< first day open
  Day closes = static_cast<Day>(params::param("facilities.*.closes").value);  ///< first day closed

  bool operator==(const Facility&) const = default;
};

enum class QuarantineMode { None, Symptomatic, Mandatory };

/// Quarantine and screening rules in force from day `from`.
struct PolicyPeriod {
  Day from = 0;
  QuarantineMode mode = params::default_choice<QuarantineMode>(params::param("quarantine.mode"));
  int stay_days = static_cast<int>(params::param("quarantine.stay_days").value);
  bool test_at_entry = params::param("quarantine.test_at_entry").value != 0;
  bool test_at_exit = params::param("quarantine.test_at_exit").value != 0;

  bool operator==(const PolicyPeriod&) const = default;
};

/// Which facility a returnee bound for quarantine is sent to (sim/quarantine.h).
enum class AssignmentRule { NearestFree, Nearest, HomeDistrictFirst };
/// What happens when that facility has no free bed (sim/quarantine.h).
enum class OverflowRule { NextNearest, HomeQuarantine, Wait, Overcrowd };

struct Arrivals {
  std::int64_t total = 0;  ///< returnees over the horizon (required: no default)
  /// Daily counts before scaling to `total`, one per day of the horizon. Filled from a
  /// CSV (date,count) or from the surge parameters below.
  std::vector<double> daily_shape;
  // Parametric surge (kind = "surge"): linear rise from `start` to `peak` day, then
  // exponential decay with mean `decay_days`.
  std::string kind{params::param("arrivals.kind").text};  ///< "surge" or "table"
  std::string table_path;  ///< resolved path of the date,count CSV, if one was read
  Day surge_start = static_cast<Day>(params::param("arrivals.surge_start").value);
  Day surge_peak = surge_start + static_cast<Day>(params::param("arrivals.surge_peak").value);
  double decay_days = params::param("arrivals.decay_days").value;
  /// The arrival curve over `horizon` days: daily_shape, or the surge when it is empty.
  std::vector<double> shape(int horizon) const;

  bool operator==(const Arrivals&) const = default;
};

/// Home-district weights: population within each province, province shares given.
/// Keys of province_share are canonical province names or "other" (all of Cambodia
/// outside the study provinces). Values sum to 1.
struct HomeDistricts {
  std::map<std::string, double> province_share =
      params::default_shares(params::param("home.province_share"));
  /// Optional explicit weights by district name, replacing population weights.
  std::map<std::string, double> district_weight;

  bool operator==(const HomeDistricts&) const = default;
};

/// Rates of per-agent attributes. Probabilities in [0,1].
struct Demography {
  double female = params::param("demography.female").value;
  /// Age bands 0-17, 18-29, 30-44, 45-59, 60+; shares sum to 1.
  std::vector<double> age_band_share =
      params::default_list(params::param("demography.age_band_share"));
  double pregnant_given_female_adult =
      params::param("demography.pregnant_given_female_adult").value;
  double with_children = params::param("demography.with_children").value;
  double gbv_risk_given_female = params::param("demography.gbv_risk_given_female").value;
  double mental_health_need = params::param("demography.mental_health_need").value;
  double disability = params::param("demography.disability").value;
  double woman_headed_given_female_adult =
      params::param("demography.woman_headed_given_female_adult").value;

  bool operator==(const Demography&) const = default;
};

enum class IsolationRelease { Recovery, NegativeTest };

struct Infection {
  /// Share of arrivals infected (exposed or infectious).
  StepSeries prevalence{{{0, params::param("infection.prevalence").value}}};
  double latent_days = params::param("infection.latent_days").value;  ///< mean exposed period
  double infectious_days = params::param("infection.infectious_days").value;  ///< mean period
  double symptomatic = params::param("infection.symptomatic").value;  ///< share with symptoms
  /// Probability a test finds an infectious person.
  double test_sensitivity = params::param("infection.test_sensitivity").value;
  /// Probability an informal crosser is intercepted.
  double informal_detection = params::param("infection.informal_detection").value;
  /// Daily infections per infectious resident per bed-mate.
  double facility_beta = params::param("infection.facility_beta").value;
  /// Beta multiplier (occupancy/capacity)^exponent above capacity.
  double crowding_exponent = params::param("infection.crowding_exponent").value;
  /// Minimum isolation of positives (outside the bed count).
  int isolation_days = static_cast<int>(params::param("infection.isolation_days").value);
  /// When isolation ends after isolation_days: on recovery (the end of the infectious
  /// period), or on a negative test, retested every retest_days while positive.
  IsolationRelease isolation_release =
      params::default_choice<IsolationRelease>(params::param("infection.isolation_release"));
  int retest_days = static_cast<int>(params::param("infection.retest_days").value);

  bool operator==(const Infection&) const = default;
};

struct Travel {
  double speed_km_per_day = params::param("travel.speed_km_per_day").value;

  bool operator==(const Travel&) const = default;
};

/// One kind of social-service need. Its defaults depend on the kind: default_needs().
struct NeedKind {
  std::string name;                  ///< mental_health, gbv, child_protection, maternal_care
  double identify_at_intake{};       ///< probability a need is identified at quarantine intake
  double identify_with_worker{};     ///< per month at home, at full worker coverage
  double identify_without_worker{};  ///< per month at home where no worker is deployed
  double case_days{};                ///< mean case duration

  bool operator==(const NeedKind&) const = default;
};

/// The four needs with their dictionary defaults (services.needs.*), in the engine's order.
std::vector<NeedKind> default_needs();

struct Services {
  std::vector<NeedKind> needs = default_needs();
  /// Active cases one full-time worker carries.
  double caseload_per_worker = params::param("services.caseload_per_worker").value;
  /// Share of identified needs referred to a social worker (the rest stay unmet).
  double referral_rate = params::param("services.referral_rate").value;
  /// Social workers per commune at which identification at home reaches
  /// identify_with_worker; below it, identification rises linearly from
  /// identify_without_worker with the district's workers per commune.
  double full_coverage_workers_per_commune =
      params::param("services.full_coverage_workers_per_commune").value;
  std::map<std::string, double> deployed;  ///< social workers by district name
  /// Social workers to recommend a placement for.
  int additional_workers = static_cast<int>(params::param("services.additional_workers").value);
  /// Districts the working group selects for them (names; empty: every study district),
  /// and at most / at least how many each of them gets.
  std::vector<std::string> deploy_districts;
  int deploy_max_per_district =
      static_cast<int>(params::param("services.deploy_max_per_district").value);
  int deploy_min_per_district =
      static_cast<int>(params::param("services.deploy_min_per_district").value);
  /// Most-vulnerable people (returnees and host communities) the services aim to reach.
  std::int64_t vulnerable_target =
      static_cast<std::int64_t>(params::param("services.vulnerable_target").value);

  bool operator==(const Services&) const = default;
};

/// Vulnerable members of the host communities: they count towards the 200,000 target and
/// compete with returnees for the same social workers and case slots (sim/services.h).
struct Host {
  /// Share of each study district's population with each need (services.needs order:
  /// mental_health, gbv, child_protection, maternal_care).
  std::vector<double> need_share = {params::param("host.mental_health").value,
                                    params::param("host.gbv").value,
                                    params::param("host.child_protection").value,
                                    params::param("host.maternal_care").value};
  /// Monthly probability a host member's need is identified, at full worker coverage and
  /// where no worker is deployed.
  double identify_with_worker = params::param("host.identify_with_worker").value;
  double identify_without_worker = params::param("host.identify_without_worker").value;

  bool operator==(const Host&) const = default;
};

/// Unit costs, who pays, and the programme's envelope (sim/costs.h).
struct Costs {
  double bed_day = params::param("costs.bed_day").value;  ///< USD per occupied bed a day
  double test = params::param("costs.test").value;        ///< USD per test
  double transport = params::param("costs.transport").value;  ///< USD per returnee sent home
  double isolation_day = params::param("costs.isolation_day").value;  ///< USD per person a day
  double information_person = params::param("costs.information_person").value;
  double outreach_team_week = params::param("costs.outreach_team_week").value;
  double worker_week = params::param("costs.worker_week").value;  ///< USD per FTE a week
  /// Programme management, as a share of every other component.
  double management_share = params::param("costs.management_share").value;
  double envelope_usd = params::param("costs.envelope_usd").value;
  /// The components the envelope pays for (names of sim/costs.h components).
  std::vector<std::string> envelope_covers =
      params::default_names(params::param("costs.envelope_covers"));
  /// Share of each component the government pays (the rest: donors), by component name.
  std::map<std::string, double> government_share =
      params::default_shares(params::param("costs.government_share"));

  bool operator==(const Costs&) const = default;
};

/// Information and prevention: who is reached, where, and what it changes (sim/information.h).
struct Information {
  /// Probability a returnee crossing at a formal checkpoint is reached.
  double reach_formal = params::param("information.reach_formal").value;
  /// Probability an informal crosser is reached without outreach teams.
  double reach_informal = params::param("information.reach_informal").value;
  /// Outreach teams working the informal crossings (a planning lever with a cost).
  int outreach_teams = static_cast<int>(params::param("information.outreach_teams").value);
  /// Probability each outreach team reaches an informal crosser it could meet.
  double reach_per_team = params::param("information.reach_per_team").value;
  /// Probability a returnee admitted to quarantine is reached during the stay.
  double reach_in_facility = params::param("information.reach_in_facility").value;
  /// Probability of keeping to home quarantine, for those reached and those not.
  double home_quarantine_compliance_reached =
      params::param("information.home_quarantine_compliance_reached").value;
  double home_quarantine_compliance_unreached =
      params::param("information.home_quarantine_compliance_unreached").value;
  /// Hazard ratio of identifying a need at home (care-seeking) for those reached.
  double care_seeking_ratio = params::param("information.care_seeking_ratio").value;
  /// Hazard ratio of irregular re-migration (knowledge of safe migration) for those reached.
  double remigration_ratio = params::param("information.remigration_ratio").value;

  bool operator==(const Information&) const = default;
};

struct Reintegration {
  double budget_usd = params::param("reintegration.budget_usd").value;
  double cost_individual = params::param("reintegration.cost_individual").value;
  double cost_community = params::param("reintegration.cost_community").value;  ///< per person
  /// Share of packages delivered as community packages.
  double community_share = params::param("reintegration.community_share").value;
  int delivery_per_week = static_cast<int>(params::param("reintegration.delivery_per_week").value);
  /// At least this many vulnerability flags (woman-headed counts).
  int eligibility_min_vulnerabilities =
      static_cast<int>(params::param("reintegration.eligibility_min_vulnerabilities").value);
  /// Per day, without a package.
  double remigration_hazard = params::param("reintegration.remigration_hazard").value;
  /// Hazard multiplier with a package.
  double package_hazard_ratio = params::param("reintegration.package_hazard_ratio").value;

  bool operator==(const Reintegration&) const = default;
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

  bool operator==(const InitialGroup&) const = default;
};
struct InitialState {
  std::string table_path;  ///< resolved path of the CSV read, if any
  std::vector<InitialGroup> groups;
  std::int64_t total() const {
    std::int64_t n = 0;
    for (const auto& g : groups) n += g.count;
    return n;
  }
  bool operator==(const InitialState&) const = default;
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
  std::vector<std::string> study_provinces =
      params::default_names(params::param("study.provinces"));
  std::string start_date;  ///< ISO date of day 0 (required: no default)
  int horizon_days = static_cast<int>(params::param("run.horizon_days").value);
  std::uint64_t seed = static_cast<std::uint64_t>(params::param("run.seed").value);
  int replicate = static_cast<int>(params::param("run.replicate").value);
  std::string data_dir;  ///< resolved: scenario key, else $RFSIM_DATA, else ./data
  std::string adm1_file, adm2_file, villages_file;  ///< resolved paths
  std::vector<EntryPoint> entry_points;
  std::vector<EntrySharePeriod> entry_shares;
  std::vector<Facility> facilities;
  std::vector<PolicyPeriod> policies;
  AssignmentRule assignment =
      params::default_choice<AssignmentRule>(params::param("quarantine.assignment"));
  OverflowRule overflow =
      params::default_choice<OverflowRule>(params::param("quarantine.overflow"));
  /// Overcrowd rule: facilities admit up to this many times their beds.
  double overcrowd_factor = params::param("quarantine.overcrowd_factor").value;
  Arrivals arrivals;
  HomeDistricts home;
  Demography demography;
  Infection infection;
  Travel travel;
  Services services;
  Reintegration reintegration;
  Information information;
  Host host;
  Costs costs;
  InitialState initial;
  /// Line of each dotted key in the scenario file, for errors found after parsing
  /// (e.g. unknown district names): key_lines["facilities.2.district"] = 41. Line 0 means
  /// the key was given on the command line (--set).
  std::map<std::string, int> key_lines;
  /// Things the user should know that do not stop the run (e.g. a --set override that a
  /// [[policy]] period shadows), one sentence each; the CLI prints them as warnings.
  std::vector<std::string> warnings;

  /// Policy in force on day d.
  const PolicyPeriod& policy_at(Day d) const;
  /// The error for a key found wrong after parsing, in the parser's format:
  /// "file:line: key: message", or "--set: key: message" for a command-line key.
  ScenarioError key_error(const std::string& key, const std::string& message) const;
  /// ISO date ("YYYY-MM-DD") of day d; "day <d>" if start_date is not set (hand-built
  /// scenarios in tests).
  std::string date_of(Day d) const;
};

/// The parts in which two scenarios would run differently ("entry_points", "arrivals", ...):
/// every field but the provenance (source_path, resolved_toml, key_lines) and the path of
/// an arrivals table (the resolved text inlines its counts). Empty when the runs are the same.
std::vector<std::string> run_differences(const Scenario& a, const Scenario& b);

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
