// The parameter dictionary: every key a scenario file may set, with its type, units, range,
// default, meaning and source (a citation, or ASSUMPTION and why). It is the one home of
// these facts:
//   - the loader (scenario.cpp) takes each key's default and range from here;
//   - the default member values of the structs in scenario.h come from here, so a Scenario
//     built in code runs the model a user gets from a minimal scenario file;
//   - scenarios/README.md documents the keys with the text `rfsim params --markdown` writes
//     from here (parameter_docs.cpp), and a test checks the committed file against it.
// Keys are dotted names; `*` stands for an element number of an array of tables
// ("facilities.*.capacity" is `capacity` in every [[facilities]] table).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rfsim::params {

enum class Type {
  String,       ///< text
  Path,         ///< file or folder name
  Date,         ///< TOML date or "YYYY-MM-DD"; `value` is a default as a day index
  Boolean,      ///< `value` 1 or 0
  Choice,       ///< one of `choices` ("a|b|c", in the order of the matching C++ enum)
  Integer,      ///< whole number in [min, max]
  Number,       ///< integer or float in [min, max]
  Probability,  ///< number in [0, 1]
  Names,        ///< array of names; default `names`
  Shares,       ///< table name = share in [0, 1], summing to 1; default `names` = `values`
  Weights,      ///< table name = number in [min, max]
  Counts,       ///< array of numbers in [min, max]
  ShareList,    ///< array of `size` shares summing to 1; default `values`
};

/// Upper bound of a range that has none.
inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

struct Param {
  std::string_view key = "";
  Type type = Type::String;
  std::string_view units = "";
  double min = 0, max = 0;              ///< Integer, Number, Weights, Counts (Probability: 0 to 1)
  std::string_view choices = "";        ///< Choice
  std::size_t size = 0;                 ///< ShareList: number of values
  bool required = false;                ///< no default: the scenario must give it
  double value = 0;                     ///< default of Integer, Number, Probability, Boolean, Date
  std::string_view text = "";           ///< default of String, Path, Choice
  std::span<const double> values = {};  ///< default of ShareList, Shares
  std::span<const std::string_view> names = {};  ///< default of Names, Shares
  std::string_view default_doc = "";  ///< the default in words, where it is not a constant
  std::string_view range_doc = "";    ///< the range in words, where it is not numeric
  std::string_view noun = "";         ///< what a value is, for messages ("a number of days")
  std::string_view meaning = "";
  std::string_view source = "";  ///< citation, or "ASSUMPTION: " and the reason
};

// ---- shared pieces of the table ------------------------------------------------------------

/// The 25 provinces of Cambodia, spelled as geo::canonical_province spells them.
inline constexpr std::string_view kProvinces[] = {
    "Banteay Meanchey", "Battambang",   "Kampong Cham",
    "Kampong Chhnang",  "Kampong Speu", "Kampong Thom",
    "Kampot",           "Kandal",       "Kep",
    "Koh Kong",         "Kratie",       "Mondulkiri",
    "Oddar Meanchey",   "Pailin",       "Phnom Penh",
    "Preah Sihanouk",   "Preah Vihear", "Prey Veng",
    "Pursat",           "Ratanakiri",   "Siem Reap",
    "Stung Treng",      "Svay Rieng",   "Takeo",
    "Tbong Khmum"};
inline constexpr std::string_view kStudyProvinces[] = {"Banteay Meanchey", "Battambang",
                                                       "Siem Reap"};
inline constexpr double kAgeBands[] = {0.08, 0.42, 0.35, 0.13, 0.02};
/// The cost components, in the engine's order (sim/costs.h).
inline constexpr std::string_view kCostComponents[] = {
    "quarantine", "tests",          "transport", "isolation",
    "information", "social_workers", "packages",  "management"};
/// What the UN joint programme's envelope paid for (MISSION.md: information and prevention,
/// services through social workers, reintegration packages), and its management.
inline constexpr std::string_view kEnvelopeCovers[] = {"information", "social_workers",
                                                       "packages", "management"};
/// Government's share of each component (the rest: donors), in kCostComponents order.
inline constexpr double kGovernmentShares[] = {0.5, 0.5, 0.5, 0.5, 0.1, 0.3, 0.1, 0.1};

/// The four social-service needs, in the engine's order (sim/services.cpp).
inline constexpr std::string_view kNeeds[] = {"mental_health", "gbv", "child_protection",
                                              "maternal_care"};

inline constexpr std::string_view kPublishedReturns =
    "observed-returns-2020-2022.csv (IOM Cambodia, Ministry of Interior, press)";
inline constexpr std::string_view kNoServiceStandard =
    "ASSUMPTION: no published caseload standard or referral rates for returnees (data "
    "README)";
inline constexpr std::string_view kDistrictNames = "a district name (geoBoundaries ADM2 shapeName)";

constexpr Param kLongitude{.type = Type::Number,
                           .units = "degrees E",
                           .min = 102,
                           .max = 108,
                           .noun = "a longitude in Cambodia (degrees E)"};
constexpr Param kLatitude{.type = Type::Number,
                          .units = "degrees N",
                          .min = 10,
                          .max = 15,
                          .noun = "a latitude in Cambodia (degrees N)"};

/// `base` (its type, units, range and default) under another key, meaning and source.
consteval Param as(Param base, std::string_view key, std::string_view meaning,
                   std::string_view source, std::string_view default_doc = "") {
  base.key = key;
  base.meaning = meaning;
  base.source = source;
  if (!default_doc.empty()) base.default_doc = default_doc;
  return base;
}

// [quarantine] keys, which every [[policy]] period also takes.
constexpr Param kMode{
    .key = "quarantine.mode",
    .type = Type::Choice,
    .choices = "none|symptomatic|mandatory",
    .text = "mandatory",
    .meaning =
        "who is quarantined: nobody, returnees with symptoms only (screening), or "
        "everybody entering at a formal point",
    .source =
        "quarantine-policy-timeline.csv: mandatory in the border provinces from 20 Dec "
        "2020 (Ministry of Interior in Phnom Penh Post)"};
constexpr Param kStayDays{
    .key = "quarantine.stay_days",
    .type = Type::Integer,
    .units = "days",
    .min = 1,
    .max = 365,
    .value = 14,
    .meaning = "days in quarantine",
    .source =
        "quarantine-policy-timeline.csv: 14 days from 20 Dec 2020 (Ministry of "
        "Interior); MISSION.md: 14 days by default"};
constexpr Param kTestAtEntry{
    .key = "quarantine.test_at_entry",
    .type = Type::Boolean,
    .value = 1,
    .meaning = "tested at the formal entry point (positives isolated)",
    .source =
        "quarantine-policy-timeline.csv: entry and exit tests from 20 Dec 2020 "
        "(Ministry of Interior)"};
constexpr Param kTestAtExit{.key = "quarantine.test_at_exit",
                            .type = Type::Boolean,
                            .value = 1,
                            .meaning = "tested before release (positives isolated)",
                            .source = kTestAtEntry.source};
inline constexpr std::string_view kFromQuarantine = "the `[quarantine]` value";
inline constexpr std::string_view kPeriodSource =
    "quarantine-policy-timeline.csv gives the periods of 2020-2022";

// Social-service needs: four keys per need.
consteval Param intake(std::string_view key, double value) {
  return {.key = key,
          .type = Type::Probability,
          .value = value,
          .meaning = "probability the need is identified at quarantine intake",
          .source = kNoServiceStandard};
}
consteval Param with_worker(std::string_view key, double value) {
  return {.key = key,
          .type = Type::Probability,
          .units = "per month",
          .value = value,
          .meaning =
              "monthly probability the need is identified at home at full worker coverage "
              "(`full_coverage_workers_per_commune`)",
          .source = kNoServiceStandard};
}
consteval Param without_worker(std::string_view key, double value) {
  return {.key = key,
          .type = Type::Probability,
          .units = "per month",
          .value = value,
          .meaning = "monthly probability the need is identified at home where no worker is "
                     "deployed",
          .source = kNoServiceStandard};
}
consteval Param case_days(std::string_view key, double value) {
  return {.key = key,
          .type = Type::Number,
          .units = "days",
          .min = 1e-3,
          .max = 3650,
          .value = value,
          .noun = "a number of days",
          .meaning = "mean case duration",
          .source = "ASSUMPTION: no published case durations (data README)"};
}

// ---- the dictionary -------------------------------------------------------------------------

inline constexpr Param kTable[] = {
    // [run]
    {.key = "run.name",
     .type = Type::String,
     .default_doc = "the file name without `.toml`",
     .meaning = "short name, used in outputs and as the default results folder",
     .source = "ASSUMPTION: a label only; it changes no result"},
    {.key = "run.description",
     .type = Type::String,
     .meaning = "one sentence for briefings",
     .source = "ASSUMPTION: a label only; it changes no result"},
    {.key = "run.start_date",
     .type = Type::Date,
     .required = true,
     .range_doc = "any date",
     .meaning = "day 0 of the run",
     .source = "each scenario's own (the shipped ones cite theirs, e.g. 21 Mar 2020, the first "
               "day of the returns counted by the Ministry of Interior)"},
    {.key = "run.horizon_days",
     .type = Type::Integer,
     .units = "days",
     .min = 1,
     .max = 3650,
     .value = 365,
     .meaning = "days simulated (days 0 to horizon_days - 1)",
     .source = "ASSUMPTION: a year covers arrivals, quarantine, services and reintegration; "
               "at most ten years"},
    {.key = "run.seed",
     .type = Type::Integer,
     .min = 0,
     .max = kUnbounded,
     .value = 1,
     .meaning = "random seed",
     .source = "ASSUMPTION: any fixed seed; runs with the same seed are identical"},
    {.key = "run.replicate",
     .type = Type::Integer,
     .min = 0,
     .max = 1 << 30,
     .value = 0,
     .meaning = "replicate number; with the seed it keys the random streams of an ensemble "
                "member",
     .source = "ASSUMPTION: the first member of an ensemble"},

    // [study]
    {.key = "study.provinces",
     .type = Type::Names,
     .units = "province names",
     .names = kStudyProvinces,
     .range_doc = "1 to 25 of the province names below, each once",
     .meaning = "the study area: series are reported for its districts; returnees whose "
                "home lies outside leave it and are counted",
     .source = "MISSION.md: the three provinces of the UN joint programme"},

    // [data]
    {.key = "data.dir",
     .type = Type::Path,
     .default_doc = "`$RFSIM_DATA`, else `data` (relative to the current directory)",
     .meaning = "data directory; relative to the scenario file when given here",
     .source = "scripts/fetch-data fills `data/` (README, Data)"},
    {.key = "data.adm1_file",
     .type = Type::Path,
     .text = "geoBoundaries-KHM-ADM1-simplified.geojson",
     .meaning = "provinces, any GDAL vector format; relative to `dir`",
     .source = "geoBoundaries gbOpen KHM ADM1 (Runfola et al. 2020, PLoS ONE 15(4): "
               "e0231866), CC BY 4.0"},
    {.key = "data.adm2_file",
     .type = Type::Path,
     .text = "geoBoundaries-KHM-ADM2-simplified.geojson",
     .meaning = "districts; relative to `dir`",
     .source = "geoBoundaries gbOpen KHM ADM2 (Runfola et al. 2020), CC BY 4.0"},
    {.key = "data.villages_file",
     .type = Type::Path,
     .text = "nis-census-2008-villages.csv",
     .meaning = "village points with population; relative to `dir`",
     .source = "National Institute of Statistics, General Population Census of Cambodia 2008, "
               "village points"},

    // [[entry_points]]
    {.key = "entry_points.*.name",
     .type = Type::String,
     .required = true,
     .range_doc = "unique, not empty",
     .noun = "the entry point's name",
     .meaning = "referred to by `[[entry_shares]]`",
     .source = "border-checkpoints.csv names the formal checkpoints (data README)"},
    {.key = "entry_points.*.formal",
     .type = Type::Boolean,
     .value = 1,
     .meaning = "formal checkpoint (screened per `[[policy]]`) or informal crossing (goes home "
                "unless intercepted, `infection.informal_detection`)",
     .source = "ASSUMPTION: an entry point is a formal checkpoint unless marked informal"},
    as(kLongitude, "entry_points.*.lon",
       "position (with `lat`); placed in its district by point-in-polygon",
       "border-checkpoints.csv (NIS 2008 village points at the checkpoints)",
       "none: `lon` and `lat`, or `district`"),
    as(kLatitude, "entry_points.*.lat", "position (with `lon`)",
       "border-checkpoints.csv (NIS 2008 village points at the checkpoints)",
       "none: `lon` and `lat`, or `district`"),
    {.key = "entry_points.*.district",
     .type = Type::String,
     .default_doc = "none: `lon` and `lat`, or `district`",
     .range_doc = kDistrictNames,
     .noun = "a district name",
     .meaning = "instead of `lon`/`lat`: the crossing's district (informal crossings)",
     .source = "geoBoundaries ADM2 (border districts of the data README)"},

    // [[entry_shares]]
    {.key = "entry_shares.*.from",
     .type = Type::Date,
     .default_doc = "`run.start_date` (first period only)",
     .range_doc = "within the horizon, after the previous period's",
     .meaning = "first day of the period",
     .source = kPublishedReturns},
    {.key = "entry_shares.*.shares",
     .type = Type::Shares,
     .units = "entry point name = share",
     .required = true,
     .range_doc = "0 to 1 each, summing to 1; entry points not named get 0",
     .meaning = "shares of each day's arrivals over the entry points",
     .source = "each scenario's own (MISSION.md: 70% via Poipet; data README: Ou Beichoan "
               "while Poipet was closed); without `[[entry_shares]]`, equal shares: "
               "ASSUMPTION, nothing known"},

    // [[facilities]]
    {.key = "facilities.*.name",
     .type = Type::String,
     .required = true,
     .range_doc = "unique, not empty",
     .noun = "the facility's name",
     .meaning = "site name",
     .source = "each scenario's own"},
    as(kLongitude, "facilities.*.lon", "position (with `lat`)", "each scenario's own",
       "none: `lon` and `lat`, or `district`"),
    as(kLatitude, "facilities.*.lat", "position (with `lon`)", "each scenario's own",
       "none: `lon` and `lat`, or `district`"),
    {.key = "facilities.*.district",
     .type = Type::String,
     .default_doc = "none: `lon` and `lat`, or `district`",
     .range_doc = kDistrictNames,
     .noun = "a district name",
     .meaning = "instead of `lon`/`lat`: the site's district",
     .source = "each scenario's own"},
    {.key = "facilities.*.capacity",
     .type = Type::Integer,
     .units = "beds",
     .min = 1,
     .max = 10'000'000,
     .required = true,
     .noun = "the number of beds",
     .meaning = "beds",
     .source = "no published bed counts for the three provinces; for scale, Banteay Meanchey "
               "ran 20 centres and built a 4,000-bed site in Aug 2021 "
               "(quarantine-policy-timeline.csv: CamboJA)"},
    {.key = "facilities.*.opens",
     .type = Type::Date,
     .value = 0,
     .default_doc = "`run.start_date`",
     .range_doc = "within the horizon",
     .meaning = "first day open",
     .source = "each scenario's own"},
    {.key = "facilities.*.closes",
     .type = Type::Date,
     .value = 1 << 30,
     .default_doc = "never",
     .range_doc = "after `opens`, at most the day after the horizon",
     .meaning = "first day closed",
     .source = "each scenario's own"},

    // [quarantine]
    {.key = "quarantine.assignment",
     .type = Type::Choice,
     .choices = "nearest_free|nearest|home_district_first",
     .text = "nearest_free",
     .meaning = "the nearest open facility with a free bed (by travel over the district graph "
                "from the entry point), the nearest open facility only (a designated centre), "
                "or a facility of the home district with a free bed first",
     .source = "ASSUMPTION: no published assignment rule; the nearest site keeps returnees "
               "off the roads"},
    {.key = "quarantine.overflow",
     .type = Type::Choice,
     .choices = "next_nearest|home_quarantine|wait|overcrowd",
     .text = "next_nearest",
     .meaning = "when no bed is free where the assignment looks: try the other facilities by "
                "distance then home quarantine, send home to quarantine there, wait at the "
                "entry point for a bed, or admit beyond the beds up to `overcrowd_factor`",
     .source = "ASSUMPTION: no published overflow rule; the next site with beds. Centres were "
               "overcrowded in 2021 (quarantine-policy-timeline.csv: 20 centres and a "
               "4,000-bed site under construction in Banteay Meanchey, Aug 2021)"},
    {.key = "quarantine.overcrowd_factor",
     .type = Type::Number,
     .units = "x beds",
     .min = 1,
     .max = 10,
     .value = 1.5,
     .noun = "a multiple of the beds",
     .meaning = "with `overflow = \"overcrowd\"`: a facility admits up to this many times its "
                "beds; transmission rises with crowding (`infection.crowding_exponent`)",
     .source = "ASSUMPTION: no published occupancy of overcrowded centres"},
    kMode,
    kStayDays,
    kTestAtEntry,
    kTestAtExit,

    // [[policy]]
    {.key = "policy.*.from",
     .type = Type::Date,
     .default_doc = "`run.start_date` (first period only)",
     .range_doc = "within the horizon, after the previous period's",
     .meaning = "first day in force",
     .source = kPeriodSource},
    as(kMode, "policy.*.mode", "as `quarantine.mode`", kPeriodSource, kFromQuarantine),
    as(kStayDays, "policy.*.stay_days", "as `quarantine.stay_days`", kPeriodSource,
       kFromQuarantine),
    as(kTestAtEntry, "policy.*.test_at_entry", "as `quarantine.test_at_entry`", kPeriodSource,
       kFromQuarantine),
    as(kTestAtExit, "policy.*.test_at_exit", "as `quarantine.test_at_exit`", kPeriodSource,
       kFromQuarantine),

    // [arrivals]
    {.key = "arrivals.kind",
     .type = Type::Choice,
     .choices = "surge|table",
     .text = "surge",
     .default_doc = "`\"table\"` if `table` or `daily` is given, else `\"surge\"`",
     .meaning = "parametric curve or daily counts",
     .source = "ASSUMPTION: without daily counts, a parametric surge"},
    {.key = "arrivals.total",
     .type = Type::Integer,
     .units = "persons",
     .min = 1,
     .max = (1 << 30) - 1,
     .required = true,
     .default_doc = "required for a surge; the rounded sum of the table",
     .noun = "the number of returnees",
     .meaning = "returnees over the horizon; at most 2^30 - 1, the engine's agent ids",
     .source = "each scenario's own (MISSION.md: 60,000 in three weeks; the shipped waves: "
               "observed-returns-2020-2022.csv)"},
    {.key = "arrivals.surge_start",
     .type = Type::Date,
     .value = 0,
     .default_doc = "`run.start_date`",
     .range_doc = "within the horizon",
     .meaning = "first day of arrivals (surge)",
     .source = "ASSUMPTION: arrivals start on day 0"},
    {.key = "arrivals.surge_peak",
     .type = Type::Date,
     .value = 7,
     .default_doc = "7 days after `surge_start`",
     .range_doc = "from `surge_start` to the last day",
     .meaning = "peak day (surge)",
     .source = "ASSUMPTION: a wave peaks within a week (MISSION.md: 60,000 in three weeks)"},
    {.key = "arrivals.decay_days",
     .type = Type::Number,
     .units = "days",
     .min = 1e-3,
     .max = 1e6,
     .value = 14,
     .noun = "a number of days",
     .meaning = "mean of the exponential decay after the peak (surge)",
     .source = "ASSUMPTION: returns ebb over about two weeks after the peak"},
    {.key = "arrivals.table",
     .type = Type::Path,
     .default_doc = "none",
     .range_doc = "a CSV file of `date,count` rows",
     .meaning = "CSV of daily counts, relative to the scenario file (table)",
     .source = "each scenario's own; the shipped tables derive theirs from "
               "observed-returns-2020-2022.csv"},
    {.key = "arrivals.daily",
     .type = Type::Counts,
     .units = "persons per day",
     .min = 0,
     .max = kUnbounded,
     .default_doc = "none",
     .noun = "a count",
     .meaning = "daily counts from day 0, instead of `table`; at most `horizon_days` values",
     .source = "each scenario's own"},

    // [home]
    {.key = "home.province_share",
     .type = Type::Shares,
     .units = "province (or \"other\") = share",
     .default_doc = "none: homes follow population, so each study province gets its share of "
                    "Cambodia's population and `\"other\"` the rest",
     .range_doc = "0 to 1 each, summing to 1; Cambodian province names or `\"other\"`; every "
                  "study province named (0 to send none there); `{}` is the same as none",
     .meaning = "share of returnees by home province, spread within each province by district "
                "population; `\"other\"` is the rest of Cambodia outside the study provinces",
     .source = "MISSION.md: home districts from configurable weights, by default population. "
               "The shipped scenarios give the Ou Beichoan deportees of Apr-Dec 2020 by home "
               "province: 22,718 / 9,390 / 6,107 / 17,396 of 55,611 (Phnom Penh Post, "
               "observed-returns-2020-2022.csv)"},
    {.key = "home.district_weight",
     .type = Type::Weights,
     .units = "district = weight",
     .min = 0,
     .max = 1e12,
     .default_doc = "none",
     .noun = "a weight",
     .meaning = "explicit weights replacing population for the districts named (only ratios "
                "count)",
     .source = "ASSUMPTION: without it, homes follow the 2008 census population (NIS) within "
               "each province"},

    // [demography]
    {.key = "demography.female",
     .type = Type::Probability,
     .value = 0.45,
     .meaning = "share female",
     .source = "25,151 female of 55,611 Ou Beichoan deportees 2020 (Phnom Penh Post, "
               "observed-returns-2020-2022.csv)"},
    {.key = "demography.age_band_share",
     .type = Type::ShareList,
     .size = 5,
     .values = kAgeBands,
     .meaning = "shares of ages 0-17, 18-29, 30-44, 45-59, 60+",
     .source = "ASSUMPTION: no published age split of returnees; migrant workers are mostly "
               "of working age"},
    {.key = "demography.pregnant_given_female_adult",
     .type = Type::Probability,
     .value = 0.04,
     .meaning = "pregnant, among adult women",
     .source = "ASSUMPTION: no published rate for returnees"},
    {.key = "demography.with_children",
     .type = Type::Probability,
     .value = 0.15,
     .meaning = "accompanied by children",
     .source = "ASSUMPTION: no published rate for returnees (45 children among 1,398 handed "
               "over at Poipet 23-30 Mar 2020, observed-returns-2020-2022.csv)"},
    {.key = "demography.gbv_risk_given_female",
     .type = Type::Probability,
     .value = 0.10,
     .meaning = "at risk of gender-based violence, among women",
     .source = "ASSUMPTION: no published rate for returnees"},
    {.key = "demography.mental_health_need",
     .type = Type::Probability,
     .value = 0.12,
     .meaning = "with a mental-health need",
     .source = "ASSUMPTION: no published rate for returnees"},
    {.key = "demography.disability",
     .type = Type::Probability,
     .value = 0.03,
     .meaning = "with a disability",
     .source = "ASSUMPTION: no published rate for returnees"},
    {.key = "demography.woman_headed_given_female_adult",
     .type = Type::Probability,
     .value = 0.20,
     .meaning = "heads a woman-headed household, among adult women",
     .source = "ASSUMPTION: no published rate for returnees"},

    // [infection]
    {.key = "infection.prevalence",
     .type = Type::Probability,
     .value = 0.01,
     .meaning = "share of arrivals infected (exposed or infectious); or "
                "`[[infection.prevalence]]` steps, below",
     .source = "ASSUMPTION: 1%; observed positivity ranged from 0.8% (Jan 2022, 54 of 6,891, "
               "IOM) to 11-15% (13-14 Aug 2021, CamboJA), observed-returns-2020-2022.csv"},
    {.key = "infection.prevalence.*.from",
     .type = Type::Date,
     .default_doc = "`run.start_date` (first step only)",
     .range_doc = "within the horizon, after the previous step's",
     .meaning = "first day of a prevalence step",
     .source = kPublishedReturns},
    {.key = "infection.prevalence.*.value",
     .type = Type::Probability,
     .required = true,
     .meaning = "share of arrivals infected from that day on",
     .source = kPublishedReturns},
    {.key = "infection.latent_days",
     .type = Type::Number,
     .units = "days",
     .min = 1e-3,
     .max = 365,
     .value = 3,
     .noun = "a number of days",
     .meaning = "mean exposed period: infected, not yet infectious (nor found by a test)",
     .source = "Incubation median 5.1 days (95% CI 4.5-5.8), 97.5% within 11.5 days (Lauer "
               "et al. 2020, Ann Intern Med 172(9):577-582); infectiousness peaks at symptom "
               "onset and only 9% of transmission occurs more than 3 days before onset (He et "
               "al. 2020, Nat Med 26:672-675, author correction Nat Med 26:1491-1493). "
               "ASSUMPTION: 3 days, the incubation less the 2-3 days before onset in which "
               "most presymptomatic transmission falls"},
    {.key = "infection.infectious_days",
     .type = Type::Number,
     .units = "days",
     .min = 1e-3,
     .max = 365,
     .value = 7,
     .noun = "a number of days",
     .meaning = "mean infectious period (drawn geometric, like the exposed period)",
     .source = "Byrne et al. 2020 (BMJ Open 10(8):e039856, rapid scoping review): median "
               "presymptomatic infectious period <1 to 4 days across studies, about 6.5-9.5 "
               "days for asymptomatic cases (one study); WHO releases symptomatic patients 10 "
               "days after onset plus 3 days without symptoms (scientific brief, 17 June "
               "2020). ASSUMPTION: 7 days, within these ranges"},
    {.key = "infection.symptomatic",
     .type = Type::Probability,
     .value = 0.6,
     .meaning = "share of infections with symptoms; `mode = \"symptomatic\"` quarantines the "
                "infectious arrivals with them",
     .source = "20% (95% CI 17-25%, prediction interval 3-67%) of infections stay "
               "asymptomatic, 31% (26-37%) in screened defined populations (Buitrago-Garcia "
               "et al. 2020, PLoS Med 17(9):e1003346). ASSUMPTION: 0.6, below those 0.69-0.80 "
               "because screening at the border sees no symptoms in those still "
               "presymptomatic, and this flag is all the engine's screening reads"},
    {.key = "infection.test_sensitivity",
     .type = Type::Probability,
     .value = 0.80,
     .meaning = "probability a test finds an infectious person (exposed ones, not yet "
                "infectious, test negative)",
     .source = "RT-PCR false negatives by day since infection (Kucirka et al. 2020, Ann "
               "Intern Med 173(4):262-267, Figure 2): 38% (95% CI 18-65%) on the day of "
               "symptom onset, lowest 20% (12-30%) three days later, 66% (54-77%) by day 21: "
               "a sensitivity of 0.33 the day before onset, 0.62 at onset, at best 0.80. "
               "0.80, the best day's: tests on other days of an infection find fewer, so it "
               "is still optimistic (ASSUMPTION: one sensitivity for every infectious day)"},
    {.key = "infection.informal_detection",
     .type = Type::Probability,
     .value = 0.1,
     .meaning = "probability an informal crosser is intercepted at the border",
     .source = "ASSUMPTION: no published interception rate; informal crossings were used to "
               "avoid quarantine, so few were caught (the record counts none)"},
    {.key = "infection.facility_beta",
     .type = Type::Number,
     .units = "per day",
     .min = 0,
     .max = 1e3,
     .value = 0.05,
     .noun = "a rate per day",
     .meaning = "daily infections per infectious resident per bed-mate",
     .source = "ASSUMPTION: no published attack rate in Cambodia's quarantine centres, and a "
               "rate per bed-mate has no direct published counterpart; calibrate it where "
               "infections in a centre were counted"},
    {.key = "infection.crowding_exponent",
     .type = Type::Number,
     .min = 0,
     .max = 100,
     .value = 2,
     .noun = "an exponent",
     .meaning = "transmission multiplier (occupancy/capacity)^exponent when over capacity",
     .source = "ASSUMPTION: crowding raises contacts faster than linearly"},
    {.key = "infection.isolation_days",
     .type = Type::Integer,
     .units = "days",
     .min = 1,
     .max = 365,
     .value = 10,
     .meaning = "shortest isolation of positives (outside the bed count)",
     .source = "WHO scientific brief \"Criteria for releasing COVID-19 patients from "
               "isolation\" (17 June 2020): 10 days after symptom onset plus at least 3 days "
               "without symptoms, or 10 days after the positive test for those without "
               "symptoms"},
    {.key = "infection.isolation_release",
     .type = Type::Choice,
     .choices = "recovery|negative_test",
     .text = "recovery",
     .meaning = "when isolation ends after `isolation_days`: at the end of the infectious "
                "period, or at the first negative test (retested every `retest_days`)",
     .source = "ASSUMPTION: positives were held until no longer infectious, as WHO's "
               "clinical criteria intend (scientific brief, 17 June 2020: no test needed); the "
               "project's "
               "data give no release protocol"},
    {.key = "infection.retest_days",
     .type = Type::Integer,
     .units = "days",
     .min = 1,
     .max = 365,
     .value = 3,
     .meaning = "with `isolation_release = \"negative_test\"`: days between tests while "
                "positive",
     .source = "ASSUMPTION: no published retest interval for Cambodia's isolation centres"},

    // [travel]
    {.key = "travel.speed_km_per_day",
     .type = Type::Number,
     .units = "km per day",
     .min = 1e-3,
     .max = 5000,
     .value = 150,
     .noun = "a speed in km per day",
     .meaning = "travel speed home over the district graph",
     .source = "ASSUMPTION: no published travel times of returnees; an effective 150 km a "
               "day (buses and trucks, with waits and transfers) brings most home within a "
               "day or two"},

    // [services]
    {.key = "services.caseload_per_worker",
     .type = Type::Number,
     .units = "active cases",
     .min = 1e-3,
     .max = 1e6,
     .value = 25,
     .noun = "a number of cases",
     .meaning = "cases one full-time social worker carries",
     .source = kNoServiceStandard},
    {.key = "services.referral_rate",
     .type = Type::Probability,
     .value = 0.8,
     .meaning = "share of identified needs referred to a social worker; the rest stay unmet "
                "(one draw per returnee, need and channel: intake or home)",
     .source = kNoServiceStandard},
    {.key = "services.full_coverage_workers_per_commune",
     .type = Type::Number,
     .units = "social workers per commune",
     .min = 0,
     .max = 1000,
     .value = 2,
     .noun = "a number of social workers per commune",
     .meaning = "workers per commune at which identification at home reaches "
                "`identify_with_worker`; below, it rises linearly from "
                "`identify_without_worker` (communes counted from the NIS village codes)",
     .source = "the 2022-2031 social workforce plan targets at least 2 social workers per "
               "commune (data README)"},
    {.key = "services.additional_workers",
     .type = Type::Integer,
     .units = "social workers",
     .min = 0,
     .max = 1'000'000,
     .value = 0,
     .meaning = "social workers to recommend a placement for",
     .source = "ASSUMPTION: no recommendation unless asked"},
    {.key = "services.deploy_districts",
     .type = Type::Names,
     .units = "district names",
     .default_doc = "none: every district of the study area",
     .range_doc = "districts of the study area, each once",
     .meaning = "the districts the working group selects for the additional social workers",
     .source = "MISSION.md: additional social workers deployed in selected districts"},
    {.key = "services.deploy_max_per_district",
     .type = Type::Integer,
     .units = "social workers",
     .min = 0,
     .max = 1'000'000,
     .value = 1'000'000,
     .default_doc = "no cap",
     .meaning = "at most this many of the additional workers in one district",
     .source = "ASSUMPTION: no cap unless the working group sets one"},
    {.key = "services.deploy_min_per_district",
     .type = Type::Integer,
     .units = "social workers",
     .min = 0,
     .max = 1'000'000,
     .value = 0,
     .meaning = "at least this many of the additional workers in each selected district",
     .source = "ASSUMPTION: no minimum unless the working group sets one"},
    {.key = "services.vulnerable_target",
     .type = Type::Integer,
     .units = "persons",
     .min = 0,
     .max = kUnbounded,
     .value = 200000,
     .meaning = "most-vulnerable people (returnees and host communities) the services aim "
                "to reach",
     .source = "MISSION.md: the UN joint programme's 200,000 most vulnerable"},
    {.key = "services.deployed",
     .type = Type::Weights,
     .units = "district = social workers",
     .min = 0,
     .max = 1e6,
     .default_doc = "none",
     .noun = "a number of social workers",
     .meaning = "social workers deployed per district (FTE; may be fractional)",
     .source = "ASSUMPTION: none unless given; for scale, 3,764 government social workers "
               "nationally in 2021 (data README)"},
    intake("services.needs.mental_health.identify_at_intake", 0.6),
    with_worker("services.needs.mental_health.identify_with_worker", 0.4),
    without_worker("services.needs.mental_health.identify_without_worker", 0.1),
    case_days("services.needs.mental_health.case_days", 90),
    intake("services.needs.gbv.identify_at_intake", 0.5),
    with_worker("services.needs.gbv.identify_with_worker", 0.3),
    without_worker("services.needs.gbv.identify_without_worker", 0.05),
    case_days("services.needs.gbv.case_days", 60),
    intake("services.needs.child_protection.identify_at_intake", 0.6),
    with_worker("services.needs.child_protection.identify_with_worker", 0.4),
    without_worker("services.needs.child_protection.identify_without_worker", 0.1),
    case_days("services.needs.child_protection.case_days", 90),
    intake("services.needs.maternal_care.identify_at_intake", 0.8),
    with_worker("services.needs.maternal_care.identify_with_worker", 0.6),
    without_worker("services.needs.maternal_care.identify_without_worker", 0.3),
    case_days("services.needs.maternal_care.case_days", 180),

    // [reintegration]
    {.key = "reintegration.budget_usd",
     .type = Type::Number,
     .units = "USD",
     .min = 0,
     .max = 1e12,
     .value = 0,
     .noun = "an amount in USD",
     .meaning = "package budget",
     .source = "ASSUMPTION: no packages unless a budget is given (the whole UN joint "
               "programme was USD 1 million, MISSION.md)"},
    {.key = "reintegration.cost_individual",
     .type = Type::Number,
     .units = "USD",
     .min = 1e-6,
     .max = 1e9,
     .value = 300,
     .noun = "a cost in USD",
     .meaning = "cost of an individual package",
     .source = "ASSUMPTION: no published package cost"},
    {.key = "reintegration.cost_community",
     .type = Type::Number,
     .units = "USD per beneficiary",
     .min = 1e-6,
     .max = 1e9,
     .value = 120,
     .noun = "a cost in USD",
     .meaning = "cost of a community package, per beneficiary",
     .source = "ASSUMPTION: no published package cost"},
    {.key = "reintegration.community_share",
     .type = Type::Probability,
     .value = 0.3,
     .meaning = "share of packages delivered as community packages",
     .source = "ASSUMPTION: MISSION.md names individual and community packages, not the split"},
    {.key = "reintegration.delivery_per_week",
     .type = Type::Integer,
     .units = "packages",
     .min = 0,
     .max = 1'000'000'000,
     .value = 500,
     .meaning = "packages that can be delivered per week",
     .source = "ASSUMPTION: no published delivery capacity"},
    {.key = "reintegration.eligibility_min_vulnerabilities",
     .type = Type::Integer,
     .units = "flags",
     .min = 0,
     .max = 7,
     .value = 1,
     .meaning = "vulnerability flags needed to be eligible (woman-headed household counts)",
     .source = "ASSUMPTION: packages for the vulnerable (MISSION.md), any one flag"},
    {.key = "reintegration.remigration_hazard",
     .type = Type::Probability,
     .units = "per day",
     .value = 0.002,
     .meaning = "irregular re-migration hazard without a package (0.002 a day sends about "
                "half back within a year)",
     .source = "ASSUMPTION: no published rate of irregular re-migration of returnees to "
               "Thailand"},
    {.key = "reintegration.package_hazard_ratio",
     .type = Type::Number,
     .min = 0,
     .max = 1,
     .value = 0.4,
     .noun = "a hazard ratio",
     .meaning = "hazard multiplier with a package",
     .source = "ASSUMPTION: packages are meant to reduce re-migration (MISSION.md); no "
               "published effect size for returnees' reintegration packages (0.4: 60% "
               "lower hazard)"},

    // [information]
    {.key = "information.reach_formal",
     .type = Type::Probability,
     .value = 0.8,
     .meaning = "probability a returnee crossing at a formal checkpoint is reached by "
                "information and prevention messages",
     .source = "ASSUMPTION: IOM and the provincial authorities informed returnees at the "
               "formal points of entry (MISSION.md); no published coverage"},
    {.key = "information.reach_informal",
     .type = Type::Probability,
     .value = 0.05,
     .meaning = "probability an informal crosser is reached without outreach teams",
     .source = "ASSUMPTION: informal crossers avoid the authorities; no published coverage"},
    {.key = "information.outreach_teams",
     .type = Type::Integer,
     .units = "teams",
     .min = 0,
     .max = 10000,
     .value = 0,
     .meaning = "outreach teams working the informal crossings (a planning lever; its cost "
                "is `costs.outreach_team_week`)",
     .source = "ASSUMPTION: none unless planned"},
    {.key = "information.reach_per_team",
     .type = Type::Probability,
     .value = 0.05,
     .meaning = "probability each outreach team reaches an informal crosser",
     .source = "ASSUMPTION: no published effect of outreach teams"},
    {.key = "information.reach_in_facility",
     .type = Type::Probability,
     .value = 0.9,
     .meaning = "probability a returnee admitted to a quarantine facility is reached during "
                "the stay",
     .source = "ASSUMPTION: sessions in the facilities (MISSION.md: information in quarantine "
               "facilities); no published coverage"},
    {.key = "information.home_quarantine_compliance_reached",
     .type = Type::Probability,
     .value = 0.9,
     .meaning = "probability a returnee reached keeps to home quarantine (one who does not "
                "spends its infectious days of the quarantine in the community)",
     .source = "ASSUMPTION: no published compliance of returnees in Cambodia"},
    {.key = "information.home_quarantine_compliance_unreached",
     .type = Type::Probability,
     .value = 0.6,
     .meaning = "probability a returnee not reached keeps to home quarantine",
     .source = "ASSUMPTION: no published compliance of returnees in Cambodia"},
    {.key = "information.care_seeking_ratio",
     .type = Type::Number,
     .units = "hazard ratio",
     .min = 0,
     .max = 100,
     .value = 1.5,
     .noun = "a hazard ratio",
     .meaning = "multiplier of the daily hazard of a need being identified at home, for "
                "returnees reached (they seek care)",
     .source = "ASSUMPTION: no published effect size"},
    {.key = "information.remigration_ratio",
     .type = Type::Number,
     .units = "hazard ratio",
     .min = 0,
     .max = 10,
     .value = 0.8,
     .noun = "a hazard ratio",
     .meaning = "multiplier of the daily hazard of irregular re-migration, for returnees "
                "reached (they know safe migration)",
     .source = "ASSUMPTION: no published effect size; labour-migration policy reviews call "
               "for information on safe migration (MISSION.md)"},

    // [host]
    {.key = "host.mental_health",
     .type = Type::Probability,
     .value = 0.01,
     .meaning = "share of a study district's population with a mental-health need for the "
                "services",
     .source = "ASSUMPTION: no published prevalence of needs served by social workers in the host "
               "communities; the shares give the three provinces about 100,000 vulnerable "
               "host members, the scale of the programme's 200,000 target across returnees "
               "and host communities (MISSION.md)"},
    {.key = "host.gbv",
     .type = Type::Probability,
     .value = 0.01,
     .meaning = "share of the population at risk of gender-based violence needing the services",
     .source = "ASSUMPTION: no published prevalence of needs served by social workers in the host "
               "communities; the shares give the three provinces about 100,000 vulnerable "
               "host members, the scale of the programme's 200,000 target across returnees "
               "and host communities (MISSION.md)"},
    {.key = "host.child_protection",
     .type = Type::Probability,
     .value = 0.01,
     .meaning = "share of the population needing child protection",
     .source = "ASSUMPTION: no published prevalence of needs served by social workers in the host "
               "communities; the shares give the three provinces about 100,000 vulnerable "
               "host members, the scale of the programme's 200,000 target across returnees "
               "and host communities (MISSION.md)"},
    {.key = "host.maternal_care",
     .type = Type::Probability,
     .value = 0.005,
     .meaning = "share of the population needing maternal care",
     .source = "ASSUMPTION: no published prevalence of needs served by social workers in the host "
               "communities; the shares give the three provinces about 100,000 vulnerable "
               "host members, the scale of the programme's 200,000 target across returnees "
               "and host communities (MISSION.md)"},
    {.key = "host.identify_with_worker",
     .type = Type::Probability,
     .units = "per month",
     .value = 0.1,
     .meaning = "monthly probability a host member's need is identified at full worker "
                "coverage (`services.full_coverage_workers_per_commune`)",
     .source = "ASSUMPTION: host members are found by outreach, not at a quarantine intake; "
               "lower than returnees'"},
    {.key = "host.identify_without_worker",
     .type = Type::Probability,
     .units = "per month",
     .value = 0.01,
     .meaning = "monthly probability a host member's need is identified where no worker is "
                "deployed",
     .source = "ASSUMPTION: no published figure"},

    // [costs]
    {.key = "costs.bed_day",
     .type = Type::Number,
     .units = "USD per bed-day",
     .min = 0,
     .max = 1e6,
     .value = 10,
     .noun = "a cost in USD",
     .meaning = "cost of an occupied quarantine bed a day (food, staff, site)",
     .source = "ASSUMPTION: no published cost of Cambodia's quarantine centres"},
    {.key = "costs.test",
     .type = Type::Number,
     .units = "USD per test",
     .min = 0,
     .max = 1e6,
     .value = 20,
     .noun = "a cost in USD",
     .meaning = "cost of a test (at entry, at exit, before release from isolation)",
     .source = "ASSUMPTION: no published cost of tests at the Cambodian border"},
    {.key = "costs.transport",
     .type = Type::Number,
     .units = "USD per returnee",
     .min = 0,
     .max = 1e6,
     .value = 10,
     .noun = "a cost in USD",
     .meaning = "cost of transport home, per returnee sent home",
     .source = "ASSUMPTION: no published cost"},
    {.key = "costs.isolation_day",
     .type = Type::Number,
     .units = "USD per person-day",
     .min = 0,
     .max = 1e6,
     .value = 20,
     .noun = "a cost in USD",
     .meaning = "cost of isolating a positive returnee a day",
     .source = "ASSUMPTION: no published cost"},
    {.key = "costs.information_person",
     .type = Type::Number,
     .units = "USD per person reached",
     .min = 0,
     .max = 1e6,
     .value = 1,
     .noun = "a cost in USD",
     .meaning = "cost of information and prevention per returnee reached",
     .source = "ASSUMPTION: no published cost"},
    {.key = "costs.outreach_team_week",
     .type = Type::Number,
     .units = "USD per team-week",
     .min = 0,
     .max = 1e7,
     .value = 500,
     .noun = "a cost in USD",
     .meaning = "cost of an outreach team at the informal crossings a week "
                "(`information.outreach_teams`)",
     .source = "ASSUMPTION: no published cost"},
    {.key = "costs.worker_week",
     .type = Type::Number,
     .units = "USD per FTE-week",
     .min = 0,
     .max = 1e7,
     .value = 75,
     .noun = "a cost in USD",
     .meaning = "cost of a full-time social worker a week (deployed, and for the additional "
                "workers recommended)",
     .source = "ASSUMPTION: about USD 300 a month for a government social worker; no "
               "published figure in the project's data"},
    {.key = "costs.management_share",
     .type = Type::Probability,
     .value = 0.07,
     .meaning = "programme management, as a share of the other components the envelope covers "
                "(the programme's own spending)",
     .source = "the UN Development Group's 7% programme support cost rate for joint "
               "programmes"},
    {.key = "costs.envelope_usd",
     .type = Type::Number,
     .units = "USD",
     .min = 0,
     .max = 1e12,
     .value = 1'000'000,
     .noun = "an amount in USD",
     .meaning = "the envelope the covered components are paid from",
     .source = "MISSION.md: the UN joint programme's USD 1 million"},
    {.key = "costs.envelope_covers",
     .type = Type::Names,
     .units = "components",
     .names = kEnvelopeCovers,
     .range_doc = "component names: quarantine, tests, transport, isolation, information, "
                  "social_workers, packages, management",
     .meaning = "the components the envelope pays for; the others are funded elsewhere",
     .source = "MISSION.md: the joint programme funded information and prevention, services "
               "through social workers and reintegration packages; quarantine sites were run "
               "by the provincial governments (quarantine-policy-timeline.csv)"},
    {.key = "costs.government_share",
     .type = Type::Weights,
     .units = "component = share",
     .min = 0,
     .max = 1,
     .values = kGovernmentShares,
     .names = kCostComponents,
     .default_doc = "quarantine, tests, transport, isolation 0.5; social_workers 0.3; "
                    "information, packages, management 0.1",
     .noun = "a share from 0 to 1",
     .meaning = "share of each component the government pays; donors pay the rest",
     .source = "ASSUMPTION: a labour-migration policy review finds implementation funded "
               "mostly by donors rather than the government (MISSION.md); no published split"},

    // [initial]
    {.key = "initial.table",
     .type = Type::Path,
     .default_doc = "none: the run starts empty",
     .range_doc = "a CSV file of `state,place,count,days_left,need` rows",
     .meaning = "returnees already in place on day 0 (a run that starts mid-regime), relative "
                "to the scenario file: `state` is `quarantine` (place: a facility), "
                "`home_quarantine`, `at_home`, `open_case` or `waiting_case` (place: a study "
                "district; the last two name a `need`); `days_left` until a (home) quarantine "
                "ends, 0 to spread them over the stay",
     .source = "each scenario's own (the reconstructions cite theirs)"},
    {.key = "initial.groups.*.state",
     .type = Type::Choice,
     .choices = "quarantine|home_quarantine|at_home|open_case|waiting_case",
     .required = true,
     .meaning = "instead of `table` (and how the resolved scenario holds a table): where a "
                "group of returnees is on day 0",
     .source = "each scenario's own"},
    {.key = "initial.groups.*.place",
     .type = Type::String,
     .required = true,
     .range_doc = "a facility name (quarantine), else a district of the study area",
     .noun = "a facility or district name",
     .meaning = "where the group is",
     .source = "each scenario's own"},
    {.key = "initial.groups.*.count",
     .type = Type::Integer,
     .units = "persons",
     .min = 0,
     .max = (1 << 30) - 1,
     .required = true,
     .noun = "a number of returnees",
     .meaning = "returnees in the group",
     .source = "each scenario's own"},
    {.key = "initial.groups.*.days_left",
     .type = Type::Integer,
     .units = "days",
     .min = 0,
     .max = 365,
     .value = 0,
     .meaning = "(home) quarantine: days until it ends; 0 spreads them over the stay",
     .source = "ASSUMPTION: without it, stays already begun are spread evenly"},
    {.key = "initial.groups.*.need",
     .type = Type::String,
     .default_doc = "none",
     .range_doc = "open_case and waiting_case: mental_health, gbv, child_protection or "
                  "maternal_care",
     .noun = "a need",
     .meaning = "the need of an open or waiting case",
     .source = "each scenario's own"},
};

// ---- look-ups ---------------------------------------------------------------------------------

/// The entry of `key`, found at compile time: a misspelt key does not compile.
consteval const Param& param(std::string_view key) {
  for (const Param& p : kTable)
    if (p.key == key) return p;
  throw "rfsim::params::param: no such key in the parameter dictionary";
}

/// The last part of an entry's key: "capacity" for "facilities.*.capacity".
constexpr std::string_view leaf(const Param& p) {
  return p.key.substr(p.key.rfind('.') + 1);
}

/// The entry of `key` at run time (keys built from names), or nullptr.
const Param* find(std::string_view key);

/// Index of `choice` among the `|`-separated choices of `p`, or -1.
constexpr int choice_index(const Param& p, std::string_view choice) {
  std::string_view rest = p.choices;
  for (int i = 0;; ++i) {
    const auto bar = rest.find('|');
    if (rest.substr(0, bar) == choice) return i;
    if (bar == std::string_view::npos) return -1;
    rest.remove_prefix(bar + 1);
  }
}

/// The choices of `p`.
std::vector<std::string> choices(const Param& p);

/// The default of a Choice entry as the matching enum value (choices in enum order):
/// default_choice<QuarantineMode>(param("quarantine.mode")).
template <class Enum>
consteval Enum default_choice(const Param& p) {
  const int i = choice_index(p, p.text);
  if (i < 0) throw "rfsim::params::default_choice: the default is not one of the choices";
  return static_cast<Enum>(i);
}

std::vector<double> default_list(const Param& p);
std::vector<std::string> default_names(const Param& p);
std::map<std::string, double> default_shares(const Param& p);

/// [min, max] of a value of a numeric entry: [0, 1] for probabilities and shares.
std::pair<double, double> number_range(const Param& p);
/// [min, max] of an Integer entry (an unbounded max is INT64_MAX).
std::pair<std::int64_t, std::int64_t> integer_range(const Param& p);

/// A number as people write it: "0.001", "1000000", "1000000000000", "0.45".
std::string plain_number(double v);
/// The choices of `p` quoted, each between `quote`s: "a", "b" or "c".
std::string choice_list(const Param& p, std::string_view quote);

/// "what was expected" for messages: "a probability from 0 to 1", "an integer from 1 to 365",
/// "a number of days from 0.001 to 365" (numbers are named by the entry's noun).
std::string expected(const Param& p);

/// The sections of keys (first parts of the keys) the documentation describes, in order.
std::vector<std::string> documented_sections();

/// scenarios/README.md's reference part: every section's keys as Markdown tables.
std::string markdown();
/// One line per key: "key = default  (units; range)  meaning".
std::string text_listing();

}  // namespace rfsim::params
