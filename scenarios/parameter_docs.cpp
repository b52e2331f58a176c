// The documentation of the parameter dictionary: the "Keys" part of scenarios/README.md
// (`rfsim params --markdown`) and the plain listing of `rfsim params`. Each key's row comes
// from its entry in parameters.h; the prose around each section's table is here.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "base/text.h"
#include "scenarios/parameters.h"

namespace rfsim::params {

namespace {

/// The prose of one section of scenario keys (the first part of their dotted names).
struct Section {
  std::string_view key;      ///< "run", "entry_points", ...
  std::string_view heading;  ///< Markdown after "### "
  std::string_view intro;    ///< before the table (may be empty)
  std::string_view after;    ///< after the table: examples, notes (may be empty)
};

constexpr Section kSections[] = {
    {"run", "`[run]`", "", ""},
    {"study", "`[study]`", "", ""},
    {"data", "`[data]`", "", "Example: `[data]` `dir = \"../../shared/data\"`."},
    {"entry_points", "`[[entry_points]]` (at least one)",
     "Give either `lon` and `lat` or `district`. A position must lie in Cambodia's box and is "
     "placed in its district by point-in-polygon; checkpoint coordinates are in "
     "`../shared/data/border-checkpoints.csv`.",
     "```toml\n"
     "[[entry_points]]\n"
     "name = \"O'Smach\"\n"
     "lon = 103.7002\n"
     "lat = 14.43193\n"
     "\n"
     "[[entry_points]]\n"
     "name = \"Malai informal\"\n"
     "formal = false\n"
     "district = \"Malai\"\n"
     "```"},
    {"entry_shares", "`[[entry_shares]]`",
     "Shares of each day's arrivals over the entry points, from a date on. The first period "
     "starts on `run.start_date` (its `from` may be left out); later periods need a later "
     "`from`. Without `[[entry_shares]]`, one period with equal shares over all entry points.",
     "```toml\n"
     "[[entry_shares]]\n"
     "from = 2020-04-01            # Poipet closed to migrants\n"
     "shares = { \"Ou Beichoan\" = 0.7, \"Doung\" = 0.3 }\n"
     "```"},
    {"facilities", "`[[facilities]]`",
     "Quarantine sites, located like entry points. None is allowed (everyone quarantined then "
     "overflows).",
     ""},
    {"quarantine", "`[quarantine]`",
     "The assignment and overflow rules, and the default policy: the values every `[[policy]]` "
     "period starts from. Without `[[policy]]` these hold for the whole run.",
     "`--set quarantine.stay_days=7` shortens the stay of every period that does not give its "
     "own."},
    {"policy", "`[[policy]]`",
     "Screening and quarantine rules from a date on: the keys of `[quarantine]` except the "
     "rules, plus `from`. The first period starts on the start date.",
     "```toml\n"
     "[[policy]]\n"
     "from = 2020-12-20\n"
     "mode = \"mandatory\"\n"
     "stay_days = 14\n"
     "\n"
     "[[policy]]\n"
     "from = 2021-03-04            # waived for healthy returnees\n"
     "mode = \"symptomatic\"\n"
     "```"},
    {"arrivals", "`[arrivals]`",
     "The daily arrival curve, one value per day of the horizon, scaled to `total`.",
     "**Surge**: 0 before `surge_start`; a linear rise to 1 on `surge_peak` (the start day has "
     "`1/(peak - start + 1)`); then `exp(-(day - peak) / decay_days)`. With `surge_peak` 7 days "
     "after the start and `decay_days = 5`, ~96% arrive within three weeks.\n"
     "\n"
     "**Table CSV**: a header line `date,count` (further columns, e.g. a source note, are "
     "ignored), then one `YYYY-MM-DD,count` row per day with a count >= 0. Blank lines and "
     "lines starting with `#` are skipped, so the file can document its own derivation. Days "
     "without a row count 0; a date may appear once. **Rows outside the horizon are ignored**, "
     "so one table serves runs of any length; at least one arrival must fall inside it. Errors "
     "name the CSV file and line: an empty file, a missing header, a non-numeric or negative "
     "count, a bad date, a duplicate date.\n"
     "\n"
     "```toml\n"
     "[arrivals]\n"
     "total = 60000\n"
     "surge_start = 2026-01-05\n"
     "surge_peak = 2026-01-12\n"
     "decay_days = 5\n"
     "```"},
    {"home", "`[home]`",
     "Where returnees live. Home districts are drawn within each province in proportion to "
     "district population, unless `district_weight` is given.",
     "```toml\n"
     "[home.province_share]\n"
     "\"Banteay Meanchey\" = 0.34\n"
     "\"Battambang\" = 0.14\n"
     "\"Siem Reap\" = 0.10\n"
     "\"other\" = 0.42\n"
     "```"},
    {"demography", "`[demography]`", "Per-returnee attributes, drawn independently.", ""},
    {"infection", "`[infection]`",
     "`prevalence` is a probability, or `[[infection.prevalence]]` steps (`from`, `value`) "
     "when it changes over time.",
     "```toml\n"
     "[[infection.prevalence]]\n"
     "from = 2021-08-08\n"
     "value = 0.127                # 252 positive of 1,986 tested on 13-14 Aug 2021\n"
     "\n"
     "[[infection.prevalence]]\n"
     "from = 2021-10-01\n"
     "value = 0.05\n"
     "```"},
    {"travel", "`[travel]`", "", ""},
    {"services", "`[services]`",
     "The four needs are `mental_health`, `gbv`, `child_protection` and `maternal_care`; each "
     "can be tuned in its own table, e.g. `[services.needs.gbv]`.",
     "```toml\n"
     "[services]\n"
     "caseload_per_worker = 25\n"
     "additional_workers = 20\n"
     "\n"
     "[services.deployed]\n"
     "\"Paoy Paet\" = 3\n"
     "\"Thma Puok\" = 2\n"
     "\n"
     "[services.needs.gbv]\n"
     "case_days = 90\n"
     "```"},
    {"reintegration", "`[reintegration]`", "",
     "The engine gives packages to women-headed households first, then by number of "
     "vulnerabilities, until the budget runs out, at most `delivery_per_week` a week."},
    {"information", "`[information]`",
     "Information and prevention at the points of entry and in the facilities (the UN joint "
     "programme's first output) and what it changes for those reached: keeping to home "
     "quarantine, seeking care (identification of needs) and knowing safe migration "
     "(irregular re-migration). Reach at informal crossings is "
     "1 - (1 - reach_informal) x (1 - reach_per_team)^outreach_teams.",
     ""},
    {"host", "`[host]`",
     "Vulnerable members of the host communities of the study districts: they count towards "
     "the programme's 200,000 target (`services.vulnerable_target`) and compete with "
     "returnees for the same social workers and case slots. Their needs are present from day "
     "0 (population x share); each day the expected number is identified (at the coverage "
     "of the district's workers, as for returnees), referred at `services.referral_rate`, "
     "and queued after the returnees identified that day.",
     ""},
    {"costs", "`[costs]`",
     "Unit costs (USD), who pays, and the envelope. The engine reports each component by week "
     "(`cost/<component>`): quarantine (occupied bed-days), tests, transport (returnees sent "
     "home), isolation (person-days), information (people reached, outreach team-weeks), "
     "social_workers (deployed FTE-weeks), packages (individual and community, from "
     "`[reintegration]`), management (a share of the other covered components); the covered "
     "components are "
     "paid from the envelope, and the day it runs out is reported.",
     ""},
    {"initial", "`[initial]` (optional)",
     "Returnees already in place on day 0, for a run that starts mid-regime: a CSV `table`, "
     "or `[[initial.groups]]` (the resolved scenario stored in results.h5 holds the table "
     "this way). They get attributes as arrivals do; their home is the group's district (the "
     "facility's for quarantine groups); they are not infected (ASSUMPTION: the tables give "
     "no test results).",
     "```csv\n"
     "state,place,count,days_left,need\n"
     "quarantine,Poipet centre,1200,5,\n"
     "home_quarantine,Paoy Paet,300,7,\n"
     "at_home,Mongkol Borei,4000,,\n"
     "open_case,Mongkol Borei,60,,mental_health\n"
     "waiting_case,Paoy Paet,25,,gbv\n"
     "```"},
};

std::string_view section_of(const Param& p) {
  return p.key.substr(0, p.key.find('.'));
}

std::string type_name(const Param& p) {
  switch (p.type) {
    case Type::String:
      return "string";
    case Type::Path:
      return "path";
    case Type::Date:
      return "date";
    case Type::Boolean:
      return "boolean";
    case Type::Choice:
      return "choice";
    case Type::Integer:
      return "integer";
    case Type::Number:
      return "number";
    case Type::Probability:
      return "probability";
    case Type::Names:
      return "array of names";
    case Type::Shares:
      return "table of shares";
    case Type::Weights:
      return "table of numbers";
    case Type::Counts:
      return "array of numbers";
    case Type::ShareList:
      return "array of " + std::to_string(p.size) + " shares";
  }
  return "";
}

std::string list(std::span<const double> values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + plain_number(values[i]);
  return out + "]";
}

std::string range_of(const Param& p) {
  switch (p.type) {
    case Type::Integer:
    case Type::Number:
    case Type::Weights:
    case Type::Counts:
      return std::isinf(p.max) ? ">= " + plain_number(p.min)
                               : plain_number(p.min) + " to " + plain_number(p.max);
    case Type::Probability:
      return "0 to 1";
    case Type::Boolean:
      return "`true` or `false`";
    case Type::Choice:
      return choice_list(p, "`");
    default:
      break;
  }
  std::string out(p.range_doc);
  if (p.type == Type::ShareList && out.empty()) out = "summing to 1";
  return out;
}

std::string default_of(const Param& p) {
  if (!p.default_doc.empty()) return std::string(p.default_doc);
  if (p.required) return "required";
  switch (p.type) {
    case Type::Integer:
    case Type::Number:
    case Type::Probability:
      return plain_number(p.value);
    case Type::Boolean:
      return p.value != 0 ? "`true`" : "`false`";
    case Type::String:
    case Type::Path:
    case Type::Choice:
      return "`" + text::quoted(p.text) + "`";
    case Type::Names: {
      std::string out = "`[";
      for (std::size_t i = 0; i < p.names.size(); ++i)
        out += (i ? ", " : "") + text::quoted(p.names[i]);
      return out + "]`";
    }
    case Type::ShareList:
      return "`" + list(p.values) + "`";
    case Type::Shares: {
      std::string out = "≈ ";
      for (std::size_t i = 0; i < p.names.size() && i < p.values.size(); ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4f", p.values[i]);
        out += (i ? ", " : "") + std::string(p.names[i]) + " " + buf;
      }
      return out;
    }
    case Type::Date:
    case Type::Weights:
    case Type::Counts:
      break;
  }
  return "none";
}

std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string markdown() {
  std::ostringstream out;
  out << "## Keys\n\n"
         "Every key with its type, units, range, default, meaning and source: a citation, or "
         "ASSUMPTION and why where no published figure was found. `*` in a key stands for an "
         "element number (`facilities.*.capacity` is `capacity` in each `[[facilities]]`, "
         "`--set facilities.0.capacity=500`). These tables are written by `rfsim params "
         "--markdown` from the parameter dictionary, `scenarios/parameters.h`, which the "
         "parser takes its defaults and ranges from.\n";
  for (const Section& section : kSections) {
    out << "\n### " << section.heading << "\n\n";
    if (!section.intro.empty()) out << section.intro << "\n\n";
    out << "| key | type | units | range | default | meaning | source |\n"
           "|---|---|---|---|---|---|---|\n";
    for (const Param& p : kTable) {
      if (section_of(p) != section.key) continue;
      out << "| `" << p.key << "` | " << cell(type_name(p)) << " | " << cell(p.units) << " | "
          << cell(range_of(p)) << " | " << cell(default_of(p)) << " | " << cell(p.meaning) << " | "
          << cell(p.source) << " |\n";
    }
    if (section.key == "study")
      out << "\nProvince names are the 25 canonical names: "
          << text::join_prose(
                 std::vector<std::string>(std::begin(kProvinces), std::end(kProvinces)))
          << ".\n";
    if (!section.after.empty()) out << "\n" << section.after << "\n";
  }
  return out.str();
}

std::string text_listing() {
  std::ostringstream out;
  for (const Param& p : kTable) {
    out << p.key << " = " << default_of(p) << "\n    " << type_name(p);
    if (!p.units.empty()) out << ", " << p.units;
    if (const std::string range = range_of(p); !range.empty()) out << ", " << range;
    out << ": " << p.meaning << "\n    source: " << p.source << "\n";
  }
  return out.str();
}

std::vector<std::string> documented_sections() {
  std::vector<std::string> out;
  for (const Section& s : kSections) out.emplace_back(s.key);
  return out;
}

}  // namespace rfsim::params
