// The results reader and `rfsim info`'s printer (see reader.h). What it requires of a file
// is what outputs/SCHEMA.md says every results.h5 holds.
#include "outputs/reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <iomanip>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include "base/text.h"
#include "outputs/hdf5.h"
#include "rfsim/version.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {

const Results::Series* Results::find_series(const std::string& name) const {
  auto it =
      std::find_if(series.begin(), series.end(), [&](const Series& s) { return s.name == name; });
  return it == series.end() ? nullptr : &*it;
}

namespace {

using namespace h5;

OutputError not_results(const std::string& why) {
  return OutputError("not an rfsim results file (" + why + ")");
}

struct Version {
  int major = 0, minor = 0;
};

/// "MAJOR.MINOR" (both whole numbers), or nothing.
std::optional<Version> parse_version(const std::string& text) {
  Version v;
  const char* end = text.data() + text.size();
  auto [dot, e1] = std::from_chars(text.data(), end, v.major);
  if (e1 != std::errc() || dot == end || *dot != '.') return std::nullopt;
  auto [last, e2] = std::from_chars(dot + 1, end, v.minor);
  if (e2 != std::errc() || last != end || v.major < 0 || v.minor < 0) return std::nullopt;
  return v;
}

void require(hid_t loc, const std::string& path) {
  if (!has_link(loc, path))
    throw OutputError(path + " is missing (the file is incomplete or was not written by rfsim)");
}

void require_attr(hid_t loc, const std::string& where, const std::string& name) {
  if (!has_attr(loc, name))
    throw OutputError(where + "@" + name +
                      " is missing (the file is incomplete or was not written by rfsim)");
}

template <typename T>
void check_length(const std::vector<T>& v, size_t n, const std::string& path, const char* of) {
  if (v.size() != n)
    throw OutputError(path + " has " + std::to_string(v.size()) + " values for " +
                      std::to_string(n) + " " + of);
}

std::vector<std::string> strings(hid_t file, const std::string& path) {
  require(file, path);
  return read_strings(file, path);
}

std::vector<std::string> strings(hid_t file, const std::string& path, size_t n, const char* of) {
  auto v = strings(file, path);
  check_length(v, n, path, of);
  return v;
}

template <Numeric T>
std::vector<T> numbers(hid_t file, const std::string& path, size_t n, const char* of) {
  require(file, path);
  auto v = read_numbers<T>(file, path);
  check_length(v, n, path, of);
  return v;
}

/// Checks that `file` is an rfsim results file whose schema this rfsim reads, and reads
/// /meta and its inputs.
Results::Meta read_meta(hid_t file, std::vector<Results::Input>& inputs) {
  if (!has_link(file, "/meta")) throw not_results("no /meta group");
  Handle g = open_group(file, "/meta");
  Results::Meta m;
  if (has_attr(g, "file_type")) {
    m.file_type = read_attr_text(g, "file_type");
    if (m.file_type != kFileType)
      throw not_results("/meta@file_type is " + text::single_quoted(m.file_type) + ", expected " +
                        text::single_quoted(kFileType));
  }
  if (!has_attr(g, "schema_version")) throw not_results("no /meta@schema_version");
  m.schema_version = read_attr_text(g, "schema_version");
  const auto version = parse_version(m.schema_version);
  if (!version)
    throw not_results("/meta@schema_version " + text::single_quoted(m.schema_version) +
                      " is not MAJOR.MINOR");
  // Only files older than 2.1, which introduced it, may lack the file type.
  if (m.file_type.empty() && std::pair(version->major, version->minor) >= std::pair(2, 1))
    throw not_results("no /meta@file_type");
  if (version->major < kOldestReadableMajor || version->major > kSchemaMajor) {
    const std::string writer =
        has_attr(g, "rfsim_version") ? " by rfsim " + read_attr_text(g, "rfsim_version") : "";
    std::vector<std::string> readable;
    for (int major = kOldestReadableMajor; major <= kSchemaMajor; ++major)
      readable.push_back(std::to_string(major) + ".x");
    throw OutputError("written" + writer + " with results schema " + m.schema_version +
                      ", which this rfsim (" + kVersion + ") cannot read: it reads schema " +
                      text::join_prose(readable));
  }

  // What every rfsim file records (provenance.h), then what is particular to results.
  const Provenance p = read_provenance(g, "results file's /meta");
  m.rfsim_version = p.rfsim_version;
  m.git_commit = p.git_commit;
  m.seed = p.seed;
  m.scenario_name = p.scenario_name;
  m.scenario_path = p.scenario_path;
  m.scenario_toml = p.scenario_toml;
  m.horizon_days = p.horizon_days;
  m.created_utc = p.created_utc;
  m.threads = p.threads;
  for (const auto& [path, sha256] : p.inputs) inputs.push_back({path, sha256});
  auto number = [&]<Numeric T>(const char* name, T& out) {
    require_attr(g, "/meta", name);
    out = read_attr<T>(g, name);
  };
  number("replicate", m.replicate);
  require_attr(g, "/meta", "start_date");
  m.start_date = read_string_attr(g, "start_date");
  number("ranks", m.ranks);
  number("agents", m.agents);
  number("timestep_seconds", m.timestep_seconds);
  static const std::set<std::string> known = {
      "file_type",     "schema_version", "rfsim_version", "git_commit",
      "seed",          "replicate",      "scenario_name", "scenario_path",
      "scenario_toml", "start_date",     "horizon_days",  "created_utc",
      "threads",       "ranks",          "agents",        "timestep_seconds"};
  for (const auto& name : attr_names(g))
    if (!known.contains(name) && is_number_attr(g, name))
      m.diagnostics[name] = read_attr<double>(g, name);
  m.branch = read_lineage(g);
  return m;
}

void read_districts(hid_t file, Results& r) {
  auto name = strings(file, "/districts/name");
  const size_t n = name.size();
  const char* of = "districts";
  auto code = strings(file, "/districts/code", n, of);
  auto province = strings(file, "/districts/province", n, of);
  auto shape_id = strings(file, "/districts/shape_id", n, of);
  auto population = numbers<double>(file, "/districts/population", n, of);
  auto area = numbers<double>(file, "/districts/area_km2", n, of);
  auto x = numbers<double>(file, "/districts/x", n, of);
  auto y = numbers<double>(file, "/districts/y", n, of);
  auto study = numbers<std::uint8_t>(file, "/districts/study_area", n, of);
  for (size_t i = 0; i < n; ++i)
    r.districts.push_back({code[i], name[i], province[i], shape_id[i], population[i], area[i], x[i],
                           y[i], study[i] != 0});
  if (!has_link(file, "/districts/geometry_wkb")) return;  // (files before schema 2.4)
  auto offsets = numbers<std::int64_t>(file, "/districts/geometry_offsets", n + 1, "districts + 1");
  require(file, "/districts/geometry_wkb");
  auto bytes = read_numbers<std::uint8_t>(file, "/districts/geometry_wkb");
  for (size_t i = 0; i < n; ++i) {
    if (offsets[i] < 0 || offsets[i] > offsets[i + 1] ||
        offsets[i + 1] > static_cast<std::int64_t>(bytes.size()))
      throw OutputError("/districts/geometry_offsets does not index /districts/geometry_wkb");
    r.districts[i].boundary_wkb.assign(bytes.begin() + offsets[i], bytes.begin() + offsets[i + 1]);
  }
}

void read_places(hid_t file, Results& r) {
  auto names = strings(file, "/facilities/name");
  r.facilities.resize(names.size());
  for (size_t i = 0; i < names.size(); ++i) r.facilities[i].name = names[i];
  if (has_link(file, "/facilities/district")) {  // (written with the names in practice)
    const size_t n = names.size();
    const char* of = "facilities";
    auto district = numbers<std::int32_t>(file, "/facilities/district", n, of);
    auto capacity = numbers<std::int32_t>(file, "/facilities/capacity", n, of);
    auto opens = numbers<std::int32_t>(file, "/facilities/opens", n, of);
    auto closes = numbers<std::int32_t>(file, "/facilities/closes", n, of);
    for (size_t i = 0; i < n; ++i)
      r.facilities[i] = {names[i], district[i], capacity[i], opens[i], closes[i]};
  }

  names = strings(file, "/entry_points/name");
  r.entry_points.resize(names.size());
  for (size_t i = 0; i < names.size(); ++i) r.entry_points[i].name = names[i];
  if (has_link(file, "/entry_points/district")) {
    const size_t n = names.size();
    const char* of = "entry points";
    auto district = numbers<std::int32_t>(file, "/entry_points/district", n, of);
    auto formal = numbers<std::uint8_t>(file, "/entry_points/formal", n, of);
    for (size_t i = 0; i < n; ++i) r.entry_points[i] = {names[i], district[i], formal[i] != 0};
  }
}

void read_series(hid_t file, Results& r, SeriesValues values) {
  require(file, "/series");
  Handle group = open_group(file, "/series");
  for (const auto& name : dataset_paths(group)) {
    const std::string path = "/series/" + name;
    const auto d = dims(group, name);
    if (d.size() != 2)
      throw OutputError(path + " has " + std::to_string(d.size()) +
                        " dimensions, expected 2 ([rows, columns])");
    Results::Series s;
    s.name = name;
    s.rows = d[0];
    s.columns = d[1];
    Handle ds = open_dataset(group, name);
    for (auto [attr, out] : {std::pair{"units", &s.units},
                             {"description", &s.description},
                             {"row_axis", &s.row_axis},
                             {"column_axis", &s.column_axis}}) {
      require_attr(ds, path, attr);
      *out = read_string_attr(ds, attr);
    }
    if (values == SeriesValues::read) s.values = read_numbers<double>(group, name);
    r.series.push_back(std::move(s));
  }
}

void read_summary(hid_t file, Results& r) {
  require(file, "/summary");
  Handle group = open_group(file, "/summary");
  for (const auto& name : attr_names(group)) r.summary[name] = read_attr<double>(group, name);

  auto district = numbers<std::int32_t>(file, "/recommendation/district",
                                        strings(file, "/recommendation/district_name").size(),
                                        "recommended districts");
  auto names = strings(file, "/recommendation/district_name", district.size(), "recommendations");
  auto workers = numbers<std::int32_t>(file, "/recommendation/workers", district.size(),
                                       "recommended districts");
  for (size_t i = 0; i < district.size(); ++i)
    r.recommendation.push_back({district[i], names[i], workers[i]});
  Handle rec = open_group(file, "/recommendation");
  require_attr(rec, "/recommendation", "additional_workers");
  r.additional_workers = read_attr<std::int32_t>(rec, "additional_workers");
}

Results read_file(const fs::path& path, SeriesValues values) {
  // A file we cannot even open says why (permissions, a directory, ...) rather than
  // "not HDF5".
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int code = errno;
    throw OutputError(code == ENOENT ? "no such file"
                                     : "cannot open: " + std::system_category().message(code));
  }
  ::close(fd);
  QuietErrors quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) throw not_results("not an HDF5 file");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
              "open it as HDF5 (the file is damaged or incomplete)");
  Results r;
  r.path = path;
  r.meta = read_meta(file, r.inputs);
  read_districts(file, r);
  read_places(file, r);
  read_series(file, r, values);
  read_summary(file, r);
  return r;
}

}  // namespace

Results read_results(const fs::path& path_in, SeriesValues values) {
  fs::path path = path_in;
  std::error_code ec;
  if (fs::is_directory(path, ec)) path /= kResultsFileName;
  try {
    return read_file(path, values);
  } catch (const OutputError& e) {
    throw OutputError(path.string() + ": " + e.what());
  }
}

Results read_info(const fs::path& path) {
  return read_results(path, SeriesValues::skip);
}

void print_info(const Results& r, std::ostream& out) {
  const auto& m = r.meta;
  const auto study = std::count_if(r.districts.begin(), r.districts.end(),
                                   [](const auto& d) { return d.study_area; });
  out << "scenario     " << m.scenario_name << " (" << m.scenario_path << ")\n"
      << "created      " << m.created_utc << " by rfsim " << m.rfsim_version << " (commit "
      << m.git_commit << "), schema " << m.schema_version << "\n"
      << "run          seed " << m.seed << ", replicate " << m.replicate << ", " << m.threads
      << " thread(s), " << m.ranks << " rank(s), " << m.agents << " agents, " << m.horizon_days
      << " days from " << m.start_date << "\n"
      << "geography    " << r.districts.size() << " districts (" << study << " in the study area), "
      << r.facilities.size() << " facilities, " << r.entry_points.size() << " entry points\n";
  for (std::size_t k = 0; k < m.branch.size(); ++k) {
    const BranchPoint& b = m.branch[k];
    out << (k == 0 ? "branch       " : "  of a branch ") << "of '" << b.scenario_name << "' from day "
        << b.day << " (" << b.date << "), " << b.checkpoint << "\n";
    for (const auto& d : b.differences) out << "    " << d << "\n";
  }
  out << "inputs       " << r.inputs.size() << " files checksummed (SHA-256)\n";
  for (const auto& i : r.inputs) out << "  " << i.sha256.substr(0, 16) << "  " << i.path << "\n";
  out << "series       " << r.series.size() << "\n";
  for (const auto& s : r.series)
    out << "  " << std::left << std::setw(40) << s.name << " [" << s.rows << " " << s.row_axis
        << " x " << s.columns << " " << s.column_axis << "] " << s.units << "\n";
  out << "summary\n";
  for (const auto& [k, v] : r.summary)
    out << "  " << std::left << std::setw(40) << k << " " << text::exact_number(v) << "\n";
  if (!r.recommendation.empty()) {
    out << "recommended additional social workers\n";
    for (const auto& rec : r.recommendation)
      out << "  " << std::setw(40) << rec.district_name << " " << rec.workers << "\n";
  }
}

}  // namespace rfsim::outputs
