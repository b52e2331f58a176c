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

Provenance provenance_of(const Scenario& scenario, Inputs inputs, int threads) {
  Provenance p;
  p.seed = scenario.seed;
  p.scenario_name = scenario.name;
  p.scenario_path = scenario.source_path;
  p.scenario_toml = scenario.resolved_toml;
  p.horizon_days = scenario.horizon_days;
  p.threads = threads;
  p.inputs = std::move(inputs);
  return p;
}

void write_provenance(hid_t at, const Provenance& p) {
  using namespace h5;
  write_attr(at, "rfsim_version", kVersion);
  write_attr(at, "git_commit", kGitCommit);
  write_attr(at, "created_utc", utc_now_iso());
  write_attr<std::uint64_t>(at, "seed", p.seed);
  write_attr(at, "scenario_name", p.scenario_name);
  write_attr(at, "scenario_path", p.scenario_path);
  write_attr(at, "scenario_toml", p.scenario_toml);
  write_attr<std::int32_t>(at, "horizon_days", p.horizon_days);
  write_attr<std::int32_t>(at, "threads", p.threads);
  Handle group = create_group(at, "inputs");
  std::vector<std::string> paths, digests;
  for (const auto& [path, sha] : p.inputs) {
    paths.push_back(path);
    digests.push_back(sha);
  }
  write_dataset(group, "path", paths);
  write_dataset(group, "sha256", digests);
}

Provenance read_provenance(hid_t at, const std::string& what) {
  using namespace h5;
  auto missing = [&](const char* name) {
    return OutputError("not a complete " + what + " (no @" + std::string(name) + ")");
  };
  auto text = [&](const char* name) {
    if (!has_attr(at, name)) throw missing(name);
    return read_string_attr(at, name);
  };
  auto number = [&]<Numeric T>(const char* name, T& out) {
    if (!has_attr(at, name)) throw missing(name);
    out = read_attr<T>(at, name);
  };
  Provenance p;
  p.rfsim_version = text("rfsim_version");
  p.git_commit = text("git_commit");
  p.created_utc = text("created_utc");
  number("seed", p.seed);
  p.scenario_name = text("scenario_name");
  p.scenario_path = text("scenario_path");
  p.scenario_toml = text("scenario_toml");
  number("horizon_days", p.horizon_days);
  number("threads", p.threads);
  const auto paths = read_strings(at, "inputs/path");
  const auto sums = read_strings(at, "inputs/sha256");
  if (paths.size() != sums.size())
    throw OutputError("not a complete " + what + " (inputs/path and sha256 differ in size)");
  for (std::size_t i = 0; i < paths.size(); ++i) p.inputs.emplace_back(paths[i], sums[i]);
  return p;
}

void write_meta_provenance(hid_t meta, const Scenario& scenario, const Inputs& inputs,
                           int threads, int ranks) {
  write_provenance(meta, provenance_of(scenario, inputs, threads));
  h5::write_attr(meta, "start_date", scenario.start_date);
  h5::write_attr<std::int32_t>(meta, "ranks", ranks);
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
