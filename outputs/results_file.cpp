// Writes and reads rfsim results directories (results.h5 + CSV tables). The HDF5 layout is
// documented in outputs/SCHEMA.md; keep the two in step and bump kSchemaVersion on change.
#include "outputs/results_file.h"

#include <fcntl.h>  // AT_FDCWD
#include <hdf5.h>
#include <stdio.h>  // renameat2
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iomanip>
#include <set>
#include <sstream>
#include <system_error>

#include "geo/sha256.h"
#include "rfsim/version.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {
namespace {

// ---- HDF5 handles ---------------------------------------------------------------------

/// Owns one HDF5 identifier and closes it with the matching H5?close.
class H5Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  H5Handle() = default;
  H5Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
    if (id_ < 0) throw OutputError("HDF5: cannot " + what);
  }
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;
  H5Handle(H5Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = -1; }
  H5Handle& operator=(H5Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      closer_ = o.closer_;
      o.id_ = -1;
    }
    return *this;
  }
  ~H5Handle() { reset(); }
  void reset() {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = -1;
  }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError("HDF5: cannot " + what);
}

/// Silences HDF5's own error-stack printing: every failure becomes one OutputError.
struct QuietHdf5 {
  H5E_auto2_t func = nullptr;
  void* data = nullptr;
  QuietHdf5() {
    H5Eget_auto2(H5E_DEFAULT, &func, &data);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, func, data); }
};

H5Handle string_type() {
  H5Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "create string type");
  check(H5Tset_size(t, H5T_VARIABLE), "set string size");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "set string charset");
  return t;
}

H5Handle make_group(hid_t parent, const std::string& name) {
  H5Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "create link property list");
  check(H5Pset_create_intermediate_group(lcpl, 1), "set intermediate groups");
  return H5Handle(H5Gcreate2(parent, name.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  "create group " + name);
}

void attr_string(hid_t loc, const std::string& name, const std::string& value) {
  H5Handle type = string_type();
  H5Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create dataspace");
  H5Handle attr(H5Acreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                "create attribute " + name);
  const char* p = value.c_str();
  check(H5Awrite(attr, type, &p), "write attribute " + name);
}

template <typename T>
void attr_number(hid_t loc, const std::string& name, T value, hid_t file_type, hid_t mem_type) {
  H5Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create dataspace");
  H5Handle attr(H5Acreate2(loc, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                "create attribute " + name);
  check(H5Awrite(attr, mem_type, &value), "write attribute " + name);
}

void attr_double(hid_t loc, const std::string& name, double v) {
  attr_number(loc, name, v, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}
void attr_int32(hid_t loc, const std::string& name, std::int32_t v) {
  attr_number(loc, name, v, H5T_STD_I32LE, H5T_NATIVE_INT32);
}
void attr_int64(hid_t loc, const std::string& name, std::int64_t v) {
  attr_number(loc, name, v, H5T_STD_I64LE, H5T_NATIVE_INT64);
}
void attr_uint64(hid_t loc, const std::string& name, std::uint64_t v) {
  attr_number(loc, name, v, H5T_STD_U64LE, H5T_NATIVE_UINT64);
}

void dataset_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  H5Handle type = string_type();
  hsize_t dims[1] = {values.size()};
  H5Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create dataspace");
  H5Handle ds(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              H5Dclose, "create dataset " + name);
  if (values.empty()) return;
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write dataset " + name);
}

template <typename T>
H5Handle dataset_numbers(hid_t loc, const std::string& name, const std::vector<T>& values,
                         hid_t file_type, hid_t mem_type) {
  hsize_t dims[1] = {values.size()};
  H5Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create dataspace");
  H5Handle ds(
      H5Dcreate2(loc, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
      H5Dclose, "create dataset " + name);
  if (!values.empty())
    check(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write dataset " + name);
  return ds;
}

H5Handle dataset_doubles(hid_t loc, const std::string& name, const std::vector<double>& v) {
  return dataset_numbers(loc, name, v, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}
H5Handle dataset_int32(hid_t loc, const std::string& name, const std::vector<std::int32_t>& v) {
  return dataset_numbers(loc, name, v, H5T_STD_I32LE, H5T_NATIVE_INT32);
}
H5Handle dataset_uint8(hid_t loc, const std::string& name, const std::vector<std::uint8_t>& v) {
  return dataset_numbers(loc, name, v, H5T_STD_U8LE, H5T_NATIVE_UINT8);
}

/// A [rows, columns] float64 dataset, chunked by whole rows (about 64 KiB a chunk),
/// shuffled and deflate-compressed.
void dataset_series(hid_t loc, const sim::Series& s) {
  if (s.rows < 0 || s.columns < 0 ||
      s.values.size() != static_cast<size_t>(s.rows) * static_cast<size_t>(s.columns))
    throw OutputError("series '" + s.name + "' has " + std::to_string(s.values.size()) +
                      " values for shape [" + std::to_string(s.rows) + ", " +
                      std::to_string(s.columns) + "]");
  hsize_t dims[2] = {static_cast<hsize_t>(s.rows), static_cast<hsize_t>(s.columns)};
  H5Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose, "create dataspace");
  H5Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset property list");
  if (s.rows > 0 && s.columns > 0) {
    hsize_t cols = static_cast<hsize_t>(s.columns);
    hsize_t chunk_rows = std::clamp<hsize_t>(8192 / cols, 1, dims[0]);
    hsize_t chunk[2] = {chunk_rows, cols};
    check(H5Pset_chunk(dcpl, 2, chunk), "set chunking");
    check(H5Pset_shuffle(dcpl), "set shuffle filter");
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) check(H5Pset_deflate(dcpl, 4), "set deflate");
  }
  H5Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "create link property list");
  check(H5Pset_create_intermediate_group(lcpl, 1), "set intermediate groups");
  H5Handle ds(H5Dcreate2(loc, s.name.c_str(), H5T_IEEE_F64LE, space, lcpl, dcpl, H5P_DEFAULT),
              H5Dclose, "create dataset /series/" + s.name);
  if (!s.values.empty())
    check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.values.data()),
          "write dataset /series/" + s.name);
  attr_string(ds, "units", s.units);
  attr_string(ds, "description", s.description);
  attr_string(ds, "row_axis", s.row_axis);
  attr_string(ds, "column_axis", s.column_axis);
}

// ---- small helpers ----------------------------------------------------------------------

std::string utc_now_iso() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string number_text(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "nan";
  return std::string(buf, end);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// District labels unique across Cambodia: the shapeName, or "Name (Province)" when two
/// districts share a name (Samraong).
std::vector<std::string> district_labels(const geo::Geography& g) {
  std::map<std::string, int> count;
  for (const auto& d : g.districts) ++count[d.name];
  std::vector<std::string> out;
  for (const auto& d : g.districts)
    out.push_back(count[d.name] > 1 ? d.name + " (" + d.province + ")" : d.name);
  return out;
}

std::vector<std::string> column_labels(const sim::Series& s, const geo::Geography& g,
                                       const sim::RunResult& r) {
  std::vector<std::string> labels;
  if (s.column_axis == "district" && s.columns == g.size())
    labels = district_labels(g);
  else if (s.column_axis == "facility" && s.columns == static_cast<int>(r.facility_names.size()))
    labels = r.facility_names;
  else if (s.column_axis == "entry_point" &&
           s.columns == static_cast<int>(r.entry_point_names.size()))
    labels = r.entry_point_names;
  else if (s.columns == 1)
    labels = {s.column_axis.empty() ? std::string("value") : s.column_axis};
  else
    for (int j = 0; j < s.columns; ++j) labels.push_back(s.column_axis + "_" + std::to_string(j));
  return labels;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) throw OutputError(path.string() + ": cannot write file");
}

void write_csvs(const fs::path& dir, const Scenario& scenario, const geo::Geography& g,
                const sim::RunResult& r, const std::atomic<bool>* stop) {
  {
    std::ostringstream o;
    o << "index,code,name,province,population,area_km2,study_area\n";
    for (int i = 0; i < g.size(); ++i) {
      const auto& d = g.districts[i];
      o << i << ',' << csv_field(d.code) << ',' << csv_field(d.name) << ',' << csv_field(d.province)
        << ',' << number_text(d.population) << ',' << number_text(d.area_km2) << ','
        << (d.study_area ? 1 : 0) << '\n';
    }
    write_text(dir / "districts.csv", o.str());
  }
  {
    std::ostringstream o;
    o << "figure,value\n";
    for (const auto& [k, v] : r.summary) o << csv_field(k) << ',' << number_text(v) << '\n';
    write_text(dir / "summary.csv", o.str());
  }
  {
    std::ostringstream o;
    o << "rank,district_index,district,province,additional_workers\n";
    int rank = 1;
    for (const auto& [d, n] : r.worker_recommendation) {
      bool ok = d >= 0 && d < g.size();
      o << rank++ << ',' << d << ',' << csv_field(ok ? g.districts[d].name : "") << ','
        << csv_field(ok ? g.districts[d].province : "") << ',' << n << '\n';
    }
    write_text(dir / "recommendation.csv", o.str());
  }
  for (const auto& s : r.series) {
    if (stop && stop->load()) throw sim::Interrupted();
    fs::path path = dir / "series" / (s.name + ".csv");
    fs::create_directories(path.parent_path());
    std::ostringstream o;
    const int step = s.row_axis == "week" ? 7 : 1;
    const bool dated = !scenario.start_date.empty();
    o << csv_field(s.row_axis.empty() ? std::string("row") : s.row_axis);
    if (dated) o << ",date";
    for (const auto& label : column_labels(s, g, r)) o << ',' << csv_field(label);
    o << '\n';
    for (int i = 0; i < s.rows; ++i) {
      o << i;
      if (dated) {
        std::string date;
        try {
          date = scenario.date_of(i * step);
        } catch (const std::exception&) {
        }
        o << ',' << date;
      }
      for (int j = 0; j < s.columns; ++j) o << ',' << number_text(s.at(i, j));
      o << '\n';
    }
    write_text(path, o.str());
  }
}

std::vector<std::pair<std::string, std::string>> input_checksums(const Scenario& scenario,
                                                                 const geo::Geography& geography,
                                                                 const WriteOptions& options) {
  auto sums = geography.input_checksums;
  std::set<std::string> seen;
  for (const auto& [p, h] : sums) seen.insert(p);
  std::vector<std::string> more;
  if (!scenario.source_path.empty()) more.push_back(scenario.source_path);
  if (scenario.arrivals.kind == "table" && !scenario.arrivals.table_path.empty())
    more.push_back(scenario.arrivals.table_path);
  for (const auto& p : options.extra_inputs) more.push_back(p);
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

void write_h5(const fs::path& path, const Scenario& scenario, const geo::Geography& g,
              const sim::RunResult& r, const WriteOptions& options) {
  QuietHdf5 quiet;
  H5Handle file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                "create " + path.string());

  {  // /meta
    H5Handle meta = make_group(file, "meta");
    attr_string(meta, "rfsim_version", kVersion);
    attr_string(meta, "schema_version", kSchemaVersion);
    attr_string(meta, "git_commit", kGitCommit);
    attr_uint64(meta, "seed", scenario.seed);
    attr_int32(meta, "replicate", scenario.replicate);
    attr_string(meta, "scenario_name", scenario.name);
    attr_string(meta, "scenario_path", scenario.source_path);
    attr_string(meta, "scenario_toml", scenario.resolved_toml);
    attr_string(meta, "start_date", scenario.start_date);
    attr_int32(meta, "horizon_days", scenario.horizon_days);
    attr_string(meta, "created_utc", utc_now_iso());
    attr_int32(meta, "threads", options.threads);
    attr_int32(meta, "ranks", options.ranks);
    attr_int64(meta, "agents", r.agents);
    attr_double(meta, "timestep_seconds", r.timestep_seconds);
    for (const auto& [name, value] : r.diagnostics) attr_double(meta, name, value);

    auto sums = input_checksums(scenario, g, options);
    H5Handle inputs = make_group(meta, "inputs");
    std::vector<std::string> paths, digests;
    for (const auto& [p, h] : sums) {
      paths.push_back(p);
      digests.push_back(h);
    }
    dataset_strings(inputs, "path", paths);
    dataset_strings(inputs, "sha256", digests);
  }

  {  // /districts
    H5Handle grp = make_group(file, "districts");
    std::vector<std::string> code, name, province, shape_id;
    std::vector<double> population, area, x, y;
    std::vector<std::uint8_t> study;
    for (const auto& d : g.districts) {
      code.push_back(d.code);
      name.push_back(d.name);
      province.push_back(d.province);
      shape_id.push_back(d.shape_id);
      population.push_back(d.population);
      area.push_back(d.area_km2);
      x.push_back(d.x);
      y.push_back(d.y);
      study.push_back(d.study_area ? 1 : 0);
    }
    dataset_strings(grp, "code", code);
    dataset_strings(grp, "name", name);
    dataset_strings(grp, "province", province);
    dataset_strings(grp, "shape_id", shape_id);
    attr_string(dataset_doubles(grp, "population", population), "units", "persons");
    attr_string(dataset_doubles(grp, "area_km2", area), "units", "km2");
    attr_string(dataset_doubles(grp, "x", x), "units", "m (EPSG:32648)");
    attr_string(dataset_doubles(grp, "y", y), "units", "m (EPSG:32648)");
    dataset_uint8(grp, "study_area", study);
  }

  {  // /facilities and /entry_points: names in series column order, plus scenario details
    H5Handle grp = make_group(file, "facilities");
    dataset_strings(grp, "name", r.facility_names);
    if (scenario.facilities.size() == r.facility_names.size() &&
        r.facility_districts.size() == r.facility_names.size()) {
      std::vector<std::int32_t> district(r.facility_districts.begin(), r.facility_districts.end());
      std::vector<std::int32_t> capacity, opens, closes;
      for (const auto& f : scenario.facilities) {
        capacity.push_back(f.capacity);
        opens.push_back(f.opens);
        closes.push_back(std::min(f.closes, scenario.horizon_days));
      }
      dataset_int32(grp, "district", district);
      attr_string(dataset_int32(grp, "capacity", capacity), "units", "beds");
      attr_string(dataset_int32(grp, "opens", opens), "units", "day");
      attr_string(dataset_int32(grp, "closes", closes), "units", "day");
    }
    H5Handle ep = make_group(file, "entry_points");
    dataset_strings(ep, "name", r.entry_point_names);
    if (scenario.entry_points.size() == r.entry_point_names.size() &&
        r.entry_point_districts.size() == r.entry_point_names.size()) {
      std::vector<std::int32_t> district(r.entry_point_districts.begin(),
                                         r.entry_point_districts.end());
      std::vector<std::uint8_t> formal;
      for (const auto& e : scenario.entry_points) formal.push_back(e.formal ? 1 : 0);
      dataset_int32(ep, "district", district);
      dataset_uint8(ep, "formal", formal);
    }
  }

  {  // /series
    H5Handle grp = make_group(file, "series");
    std::set<std::string> names;
    for (const auto& s : r.series) {
      if (options.stop && options.stop->load()) throw sim::Interrupted();
      if (s.name.empty() || s.name.front() == '/' || !names.insert(s.name).second)
        throw OutputError("series name '" + s.name + "' is empty, absolute or repeated");
      dataset_series(grp, s);
    }
  }

  {  // /summary
    H5Handle grp = make_group(file, "summary");
    for (const auto& [k, v] : r.summary) attr_double(grp, k, v);
  }

  {  // /recommendation
    H5Handle grp = make_group(file, "recommendation");
    std::vector<std::int32_t> district, workers;
    std::vector<std::string> names;
    for (const auto& [d, n] : r.worker_recommendation) {
      district.push_back(d);
      workers.push_back(n);
      names.push_back(d >= 0 && d < g.size() ? g.districts[d].name : "");
    }
    dataset_int32(grp, "district", district);
    dataset_strings(grp, "district_name", names);
    attr_string(dataset_int32(grp, "workers", workers), "units", "social workers");
    attr_int32(grp, "additional_workers", scenario.services.additional_workers);
  }
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path.string());
}

/// Renames `from` to `to` only if `to` does not exist (atomic where the kernel allows).
bool rename_noreplace(const fs::path& from, const fs::path& to) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS)
    throw OutputError(to.string() + ": cannot rename results into place: " + std::strerror(errno));
  if (fs::exists(fs::symlink_status(to))) return false;
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw OutputError(to.string() + ": cannot rename results into place: " + ec.message());
  return true;
}

/// Replaces `to` (which exists) by `from`; afterwards the old content is at `from` for the
/// caller to delete. Atomic exchange where the kernel allows, else two renames.
void rename_replace(const fs::path& from, const fs::path& to) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_EXCHANGE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS)
    throw OutputError(to.string() + ": cannot replace results: " + std::strerror(errno));
  fs::path old = from.string() + ".old";
  std::error_code ec;
  fs::rename(to, old, ec);
  if (ec) throw OutputError(to.string() + ": cannot move old results away: " + ec.message());
  fs::rename(from, to, ec);
  if (ec) {
    std::error_code ignore;
    fs::rename(old, to, ignore);
    throw OutputError(to.string() + ": cannot rename results into place: " + ec.message());
  }
  fs::rename(old, from, ec);
}

fs::path normalized_dir(const fs::path& dir) {
  if (dir.empty()) throw OutputError("empty output directory name");
  fs::path d = dir.lexically_normal();
  if (!d.has_filename()) d = d.parent_path();  // "runs/x/" -> "runs/x"
  if (d.empty() || d == "." || d == "..")
    throw OutputError(dir.string() + ": not a usable results directory name");
  return d;
}

}  // namespace

void check_output_dir(const fs::path& dir, bool force) {
  fs::path d = normalized_dir(dir);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(d, ec)) && !force)
    throw OutputError(d.string() +
                      ": exists already; choose another directory with -o or use --force to "
                      "replace it");
  // The nearest existing ancestor must be a writable directory (checked now so that a
  // long run does not fail only when it writes).
  fs::path parent = fs::absolute(d, ec).parent_path();
  while (!parent.empty() && !fs::exists(parent, ec) && parent != parent.parent_path())
    parent = parent.parent_path();
  if (parent.empty()) return;
  if (!fs::is_directory(parent, ec))
    throw OutputError(d.string() + ": cannot create directory: " + std::strerror(ENOTDIR) + " (" +
                      parent.string() + " is a file)");
  if (access(parent.c_str(), W_OK) != 0)
    throw OutputError(d.string() + ": cannot create directory: " + std::strerror(EACCES) + " (" +
                      parent.string() + " is not writable)");
}

fs::path write_results(const Scenario& scenario, const geo::Geography& geography,
                       const sim::RunResult& result, const WriteOptions& options) {
  const fs::path dir = normalized_dir(options.dir);
  check_output_dir(dir, options.force);
  if (dir.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(dir.parent_path(), ec);
    if (ec) throw OutputError(dir.string() + ": cannot create directory: " + ec.message());
  }
  const fs::path tmp = dir.string() + ".tmp-" + std::to_string(getpid());

  // Removes the temporary directory on every path out except a successful rename.
  struct TmpGuard {
    fs::path path;
    bool armed = true;
    ~TmpGuard() {
      if (!armed) return;
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } guard{tmp};

  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (!fs::create_directory(tmp, ec) || ec)
    throw OutputError(tmp.string() + ": cannot create directory: " +
                      (ec ? ec.message() : std::string("already exists")));

  write_h5(tmp / "results.h5", scenario, geography, result, options);
  if (options.csv) {
    try {
      write_csvs(tmp, scenario, geography, result, options.stop);
    } catch (const fs::filesystem_error& e) {
      throw OutputError(std::string("cannot write CSV tables: ") + e.what());
    }
  }
  if (options.stop && options.stop->load()) throw sim::Interrupted();

  if (!rename_noreplace(tmp, dir)) {
    if (!options.force)
      throw OutputError(dir.string() +
                        ": appeared while the run was writing; results left unwritten");
    rename_replace(tmp, dir);  // the old results are now at tmp; the guard deletes them
    return dir / "results.h5";
  }
  guard.armed = false;
  return dir / "results.h5";
}

// ---- reading ------------------------------------------------------------------------------

namespace {

std::string read_attr_text(hid_t attr) {
  H5Handle type(H5Aget_type(attr), H5Tclose, "read attribute type");
  H5Handle space(H5Aget_space(attr), H5Sclose, "read attribute space");
  if (H5Sget_simple_extent_npoints(space) != 1) return "(array)";
  switch (H5Tget_class(type)) {
    case H5T_STRING: {
      if (H5Tis_variable_str(type) > 0) {
        H5Handle mem = string_type();
        char* p = nullptr;
        check(H5Aread(attr, mem, &p), "read string attribute");
        std::string s = p ? p : "";
        H5free_memory(p);
        return s;
      }
      size_t n = H5Tget_size(type);
      std::string s(n, '\0');
      check(H5Aread(attr, type, s.data()), "read string attribute");
      s.resize(std::strlen(s.c_str()));
      return s;
    }
    case H5T_INTEGER: {
      if (H5Tget_sign(type) == H5T_SGN_NONE) {
        std::uint64_t v = 0;
        check(H5Aread(attr, H5T_NATIVE_UINT64, &v), "read integer attribute");
        return std::to_string(v);
      }
      std::int64_t v = 0;
      check(H5Aread(attr, H5T_NATIVE_INT64, &v), "read integer attribute");
      return std::to_string(v);
    }
    case H5T_FLOAT: {
      double v = 0;
      check(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), "read float attribute");
      return number_text(v);
    }
    default:
      return "(unsupported type)";
  }
}

double read_attr_double(hid_t attr) {
  double v = 0;
  check(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), "read attribute");
  return v;
}

using AttrVisitor = std::function<void(const std::string&, hid_t)>;

herr_t visit_attr(hid_t loc, const char* name, const H5A_info_t*, void* data) {
  H5Handle attr(H5Aopen(loc, name, H5P_DEFAULT), H5Aclose, std::string("open attribute ") + name);
  (*static_cast<AttrVisitor*>(data))(name, attr);
  return 0;
}

void for_each_attr(hid_t loc, AttrVisitor visitor) {
  hsize_t idx = 0;
  check(H5Aiterate2(loc, H5_INDEX_NAME, H5_ITER_INC, &idx, visit_attr, &visitor),
        "iterate attributes");
}

std::string attr_text(hid_t loc, const char* name) {
  if (H5Aexists(loc, name) <= 0) return "";
  H5Handle attr(H5Aopen(loc, name, H5P_DEFAULT), H5Aclose, std::string("open attribute ") + name);
  return read_attr_text(attr);
}

bool has_link(hid_t loc, const char* path) {
  return H5Lexists(loc, path, H5P_DEFAULT) > 0;
}

std::uint64_t dataset_length(hid_t file, const char* path) {
  if (!has_link(file, path)) return 0;
  H5Handle ds(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose, std::string("open ") + path);
  H5Handle space(H5Dget_space(ds), H5Sclose, "read dataspace");
  hssize_t n = H5Sget_simple_extent_npoints(space);
  return n < 0 ? 0 : static_cast<std::uint64_t>(n);
}

std::vector<std::string> read_strings(hid_t file, const char* path) {
  std::vector<std::string> out;
  if (!has_link(file, path)) return out;
  H5Handle ds(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose, std::string("open ") + path);
  H5Handle space(H5Dget_space(ds), H5Sclose, "read dataspace");
  hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n <= 0) return out;
  H5Handle mem = string_type();
  std::vector<char*> ptrs(static_cast<size_t>(n), nullptr);
  check(H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), std::string("read ") + path);
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  H5Dvlen_reclaim(mem, space, H5P_DEFAULT, ptrs.data());
  return out;
}

template <typename T>
std::vector<T> read_numbers(hid_t file, const char* path, hid_t mem_type) {
  std::vector<T> out;
  if (!has_link(file, path)) return out;
  H5Handle ds(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose, std::string("open ") + path);
  H5Handle space(H5Dget_space(ds), H5Sclose, "read dataspace");
  hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n <= 0) return out;
  out.resize(static_cast<size_t>(n));
  check(H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
        std::string("read ") + path);
  return out;
}

herr_t visit_series(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto* out = static_cast<std::vector<ResultsInfo::SeriesInfo>*>(data);
  H5Handle ds(H5Dopen2(root, name, H5P_DEFAULT), H5Dclose, std::string("open series ") + name);
  H5Handle space(H5Dget_space(ds), H5Sclose, "read dataspace");
  ResultsInfo::SeriesInfo s;
  s.name = name;
  hsize_t dims[2] = {0, 0};
  int rank = H5Sget_simple_extent_ndims(space);
  if (rank >= 1 && rank <= 2) H5Sget_simple_extent_dims(space, dims, nullptr);
  s.rows = dims[0];
  s.columns = rank == 2 ? dims[1] : 1;
  s.units = attr_text(ds, "units");
  s.row_axis = attr_text(ds, "row_axis");
  s.column_axis = attr_text(ds, "column_axis");
  out->push_back(std::move(s));
  return 0;
}

}  // namespace

ResultsInfo read_info(const fs::path& path_in) {
  fs::path path = path_in;
  std::error_code ec;
  if (fs::is_directory(path, ec)) path /= "results.h5";
  if (!fs::exists(path, ec)) throw OutputError(path.string() + ": no such file");
  QuietHdf5 quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) throw OutputError(path.string() + ": not an HDF5 file");
  H5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                "open " + path.string());
  if (!has_link(file, "/meta"))
    throw OutputError(path.string() + ": not an rfsim results file (no /meta group)");

  ResultsInfo info;
  H5Handle meta(H5Gopen2(file, "/meta", H5P_DEFAULT), H5Gclose, "open /meta");
  if (H5Aexists(meta, "schema_version") <= 0)
    throw OutputError(path.string() + ": not an rfsim results file (no schema_version)");
  for_each_attr(meta, [&](const std::string& name, hid_t attr) {
    if (name == "scenario_toml")
      info.scenario_toml = read_attr_text(attr);
    else
      info.meta[name] = read_attr_text(attr);
  });
  auto paths = read_strings(file, "/meta/inputs/path");
  auto sums = read_strings(file, "/meta/inputs/sha256");
  for (size_t i = 0; i < paths.size() && i < sums.size(); ++i)
    info.inputs.emplace_back(paths[i], sums[i]);

  info.districts = static_cast<int>(dataset_length(file, "/districts/name"));
  for (auto f : read_numbers<std::uint8_t>(file, "/districts/study_area", H5T_NATIVE_UINT8))
    info.study_districts += f ? 1 : 0;
  info.facilities = static_cast<int>(dataset_length(file, "/facilities/name"));
  info.entry_points = static_cast<int>(dataset_length(file, "/entry_points/name"));

  if (has_link(file, "/series")) {
    H5Handle series(H5Gopen2(file, "/series", H5P_DEFAULT), H5Gclose, "open /series");
    check(H5Ovisit(series, H5_INDEX_NAME, H5_ITER_INC, visit_series, &info.series), "list /series");
  }
  if (has_link(file, "/summary")) {
    H5Handle summary(H5Gopen2(file, "/summary", H5P_DEFAULT), H5Gclose, "open /summary");
    for_each_attr(summary, [&](const std::string& name, hid_t attr) {
      info.summary[name] = read_attr_double(attr);
    });
  }
  auto rec_names = read_strings(file, "/recommendation/district_name");
  auto rec_workers = read_numbers<std::int32_t>(file, "/recommendation/workers", H5T_NATIVE_INT32);
  for (size_t i = 0; i < rec_names.size() && i < rec_workers.size(); ++i)
    info.recommendation.emplace_back(rec_names[i], rec_workers[i]);
  return info;
}

void print_info(const ResultsInfo& info, std::ostream& out) {
  auto meta = [&](const char* key) {
    auto it = info.meta.find(key);
    return it == info.meta.end() ? std::string("?") : it->second;
  };
  out << "scenario     " << meta("scenario_name") << " (" << meta("scenario_path") << ")\n"
      << "created      " << meta("created_utc") << " by rfsim " << meta("rfsim_version")
      << " (commit " << meta("git_commit") << "), schema " << meta("schema_version") << "\n"
      << "run          seed " << meta("seed") << ", replicate " << meta("replicate") << ", "
      << meta("threads") << " thread(s), " << meta("ranks") << " rank(s), " << meta("agents")
      << " agents, " << meta("horizon_days") << " days from " << meta("start_date") << "\n"
      << "geography    " << info.districts << " districts (" << info.study_districts
      << " in the study area), " << info.facilities << " facilities, " << info.entry_points
      << " entry points\n";
  out << "inputs       " << info.inputs.size() << " files checksummed (SHA-256)\n";
  for (const auto& [p, h] : info.inputs) out << "  " << h.substr(0, 16) << "  " << p << "\n";
  out << "series       " << info.series.size() << "\n";
  for (const auto& s : info.series)
    out << "  " << std::left << std::setw(40) << s.name << " [" << s.rows << " " << s.row_axis
        << " x " << s.columns << " " << s.column_axis << "] " << s.units << "\n";
  out << "summary\n";
  for (const auto& [k, v] : info.summary)
    out << "  " << std::left << std::setw(40) << k << " " << number_text(v) << "\n";
  if (!info.recommendation.empty()) {
    out << "recommended additional social workers\n";
    for (const auto& [d, n] : info.recommendation)
      out << "  " << std::setw(40) << d << " " << n << "\n";
  }
}

}  // namespace rfsim::outputs
