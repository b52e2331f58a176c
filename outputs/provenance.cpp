// What a run was made from (see provenance.h).
#include "outputs/provenance.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <set>

#include "geo/sha256.h"
#include "outputs/error.h"
#include "outputs/hdf5.h"
#include "rfsim/version.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {

Inputs input_checksums(const Scenario& scenario, const geo::Geography& geography) {
  Inputs sums = geography.input_checksums;
  std::set<std::string> seen;
  for (const auto& [p, h] : sums) seen.insert(p);
  std::vector<std::string> more;
  if (!scenario.source_path.empty()) more.push_back(scenario.source_path);
  if (scenario.arrivals.kind == "table" && !scenario.arrivals.table_path.empty())
    more.push_back(scenario.arrivals.table_path);
  for (const auto& p : more) {
    if (!seen.insert(p).second) continue;
    try {
      sums.emplace_back(p, geo::sha256_hex_of_file(p));
    } catch (const std::exception& e) {
      throw OutputError(p + ": cannot checksum input file: " + e.what());
    }
  }
  return sums;
}

namespace {

OutputError changed(const std::string& path, const std::string& then, const std::string& now,
                    const std::string& what) {
  return OutputError(path + " has changed since " + what + " (SHA-256 " + then.substr(0, 12) +
                     "... then, " + now.substr(0, 12) + "... now)");
}

}  // namespace

void check_inputs(const Inputs& recorded, const Inputs& now, bool unchanged_on_disk,
                  const std::string& what) {
  for (const auto& [path, sha] : now) {
    const std::pair<std::string, std::string>* match = nullptr;
    for (const auto& r : recorded)
      if (r.first == path) match = &r;
    for (const auto& r : recorded)
      if (!match && fs::path(r.first).filename() == fs::path(path).filename()) match = &r;
    if (!match)
      throw OutputError(path + " was not among the input files of " + what);
    if (match->second != sha) throw changed(path, match->second, sha, what);
  }
  if (!unchanged_on_disk) return;
  for (const auto& [path, sha] : recorded) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;  // (not needed: its content is recorded)
    std::string digest;
    try {
      digest = geo::sha256_hex_of_file(path);
    } catch (const std::exception& e) {
      throw OutputError(path + ": cannot checksum input file: " + e.what());
    }
    if (digest != sha) throw changed(path, sha, digest, what);
  }
}

std::string this_rfsim() {
  return std::string("rfsim ") + kVersion + " (commit " + kGitCommit + ")";
}

std::string other_rfsim(const std::string& version, const std::string& commit) {
  if (version == kVersion && commit == kGitCommit) return "";
  return "rfsim " + version + " (commit " + commit + ")";
}

std::string utc_now_iso() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_lineage(hid_t parent, const Lineage& lineage) {
  using namespace h5;
  std::vector<Handle> groups;
  hid_t at = parent;
  for (const BranchPoint& b : lineage) {
    groups.push_back(create_group(at, "branch"));
    at = groups.back();
    write_attr<std::int32_t>(at, "day", b.day);
    write_attr(at, "date", b.date);
    write_attr(at, "checkpoint", b.checkpoint);
    write_attr(at, "original_dir", b.original_dir);
    write_attr(at, "scenario_name", b.scenario_name);
    write_attr(at, "scenario_path", b.scenario_path);
    write_attr(at, "scenario_toml", b.scenario_toml);
    write_dataset(at, "differences", b.differences);
  }
}

Lineage read_lineage(hid_t parent) {
  using namespace h5;
  Lineage lineage;
  std::vector<Handle> groups;
  hid_t at = parent;
  while (has_link(at, "branch")) {
    groups.push_back(open_group(at, "branch"));
    at = groups.back();
    BranchPoint b;
    b.day = read_attr<std::int32_t>(at, "day");
    b.date = read_string_attr(at, "date");
    b.checkpoint = read_string_attr(at, "checkpoint");
    b.original_dir = read_string_attr(at, "original_dir");
    b.scenario_name = read_string_attr(at, "scenario_name");
    b.scenario_path = read_string_attr(at, "scenario_path");
    b.scenario_toml = read_string_attr(at, "scenario_toml");
    b.differences = read_strings(at, "differences");
    lineage.push_back(std::move(b));
  }
  return lineage;
}

}  // namespace rfsim::outputs
