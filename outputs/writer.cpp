// The results writer (see writer.h). The HDF5 layout written here is documented in
// outputs/SCHEMA.md; keep the two in step and bump kSchemaVersion (schema.h) on change.
#include "outputs/writer.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/text.h"
#include "outputs/csv_tables.h"
#include "outputs/hdf5.h"
#include "outputs/provenance.h"
#include "outputs/results_dir.h"
#include "rfsim/version.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {

/// /districts/geometry_wkb and geometry_offsets: every district's boundary (WKB, EPSG:32648)
/// in one byte array, district i in bytes [offsets[i], offsets[i+1]). Written only when
/// every district has one (geographies built in code for tests have none).
void write_boundaries(hid_t grp, const geo::Geography& g) {
  using namespace h5;
  std::vector<std::int64_t> offsets{0};
  for (const auto& d : g.districts) {
    if (d.boundary_wkb.empty()) return;
    offsets.push_back(offsets.back() + static_cast<std::int64_t>(d.boundary_wkb.size()));
  }
  std::vector<std::uint8_t> bytes;
  bytes.reserve(static_cast<size_t>(offsets.back()));
  for (const auto& d : g.districts)
    bytes.insert(bytes.end(), d.boundary_wkb.begin(), d.boundary_wkb.end());
  Handle wkb = write_dataset(grp, "geometry_wkb", bytes);
  write_attr(wkb, "encoding", "WKB (ISO, little-endian) MultiPolygon per district");
  write_attr(wkb, "crs", "EPSG:32648");
  write_dataset(grp, "geometry_offsets", offsets);
}

void write_districts(hid_t file, const geo::Geography& g) {
  using namespace h5;
  Handle grp = create_group(file, "districts");
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
  write_dataset(grp, "code", code);
  write_dataset(grp, "name", name);
  write_dataset(grp, "province", province);
  write_dataset(grp, "shape_id", shape_id);
  write_attr(write_dataset(grp, "population", population), "units", "persons");
  write_attr(write_dataset(grp, "area_km2", area), "units", "km2");
  write_attr(write_dataset(grp, "x", x), "units", "m (EPSG:32648)");
  write_attr(write_dataset(grp, "y", y), "units", "m (EPSG:32648)");
  write_dataset(grp, "study_area", study);
  write_boundaries(grp, g);
}

void write_places(hid_t file, const Scenario& scenario, const sim::RunResult& r) {
  using namespace h5;
  Handle grp = create_group(file, "facilities");
  write_dataset(grp, "name", r.facility_names);
  if (scenario.facilities.size() == r.facility_names.size() &&
      r.facility_districts.size() == r.facility_names.size()) {
    std::vector<std::int32_t> district(r.facility_districts.begin(), r.facility_districts.end());
    std::vector<std::int32_t> capacity, opens, closes;
    for (const auto& f : scenario.facilities) {
      capacity.push_back(f.capacity);
      opens.push_back(f.opens);
      closes.push_back(std::min(f.closes, scenario.horizon_days));
    }
    write_dataset(grp, "district", district);
    write_attr(write_dataset(grp, "capacity", capacity), "units", "beds");
    write_attr(write_dataset(grp, "opens", opens), "units", "day");
    write_attr(write_dataset(grp, "closes", closes), "units", "day");
  }
  Handle ep = create_group(file, "entry_points");
  write_dataset(ep, "name", r.entry_point_names);
  if (scenario.entry_points.size() == r.entry_point_names.size() &&
      r.entry_point_districts.size() == r.entry_point_names.size()) {
    std::vector<std::int32_t> district(r.entry_point_districts.begin(),
                                       r.entry_point_districts.end());
    std::vector<std::uint8_t> formal;
    for (const auto& e : scenario.entry_points) formal.push_back(e.formal ? 1 : 0);
    write_dataset(ep, "district", district);
    write_dataset(ep, "formal", formal);
  }
}

void describe_series(hid_t dataset, const std::string& units, const std::string& description,
                     const std::string& row_axis, const std::string& column_axis) {
  h5::write_attr(dataset, "units", units);
  h5::write_attr(dataset, "description", description);
  h5::write_attr(dataset, "row_axis", row_axis);
  h5::write_attr(dataset, "column_axis", column_axis);
}

namespace {

void write_meta(hid_t file, const Scenario& scenario, const Inputs& inputs, const sim::RunResult& r,
                const WriteOptions& options) {
  using namespace h5;
  Handle meta = create_group(file, "meta");
  write_attr(meta, "file_type", kFileType);
  write_attr(meta, "schema_version", kSchemaVersion);
  write_meta_provenance(meta, scenario, inputs, options.threads, options.ranks);
  write_attr<std::int32_t>(meta, "replicate", scenario.replicate);
  write_attr<std::int64_t>(meta, "agents", r.agents);
  write_attr<double>(meta, "timestep_seconds", r.timestep_seconds);
  for (const auto& [name, value] : r.diagnostics) write_attr<double>(meta, name, value);
  write_lineage(meta, options.lineage);
}

void write_series(hid_t file, const sim::RunResult& r, const std::atomic<bool>* stop, int threads) {
  using namespace h5;
  Handle grp = create_group(file, "series");  // (also when there is no series)
  std::set<std::string> names;
  std::vector<Array> arrays;
  for (const auto& s : r.series) {
    if (s.name.empty() || s.name.front() == '/' || !names.insert(s.name).second)
      throw OutputError("series name " + text::single_quoted(s.name) +
                        " is empty, absolute or repeated");
    if (s.rows < 0 || s.columns < 0 ||
        s.values.size() != static_cast<size_t>(s.rows) * static_cast<size_t>(s.columns))
      throw OutputError("series " + text::single_quoted(s.name) + " has " +
                        std::to_string(s.values.size()) + " values for shape [" +
                        std::to_string(s.rows) + ", " + std::to_string(s.columns) + "]");
    arrays.push_back({"series/" + s.name,
                      {static_cast<hsize_t>(s.rows), static_cast<hsize_t>(s.columns)},
                      s.values.data()});
  }
  if (stop && stop->load()) throw sim::Interrupted();
  std::vector<Handle> datasets = write_arrays(file, arrays, threads);
  for (std::size_t k = 0; k < datasets.size(); ++k) {
    if (stop && stop->load()) throw sim::Interrupted();
    const sim::Series& s = r.series[k];
    describe_series(datasets[k], s.units, s.description, s.row_axis, s.column_axis);
    datasets[k].close("write dataset " + arrays[k].name);
  }
}

void write_summary(hid_t file, const Scenario& scenario, const geo::Geography& g,
                   const sim::RunResult& r) {
  using namespace h5;
  {
    Handle grp = create_group(file, "summary");
    for (const auto& [k, v] : r.summary) write_attr<double>(grp, k, v);
  }
  Handle grp = create_group(file, "recommendation");
  std::vector<std::int32_t> district, workers;
  std::vector<std::string> names;
  for (const auto& [d, n] : r.worker_recommendation) {
    district.push_back(d);
    workers.push_back(n);
    names.push_back(d >= 0 && d < g.size() ? g.districts[d].name : "");
  }
  write_dataset(grp, "district", district);
  write_dataset(grp, "district_name", names);
  write_attr(write_dataset(grp, "workers", workers), "units", "social workers");
  write_attr<std::int32_t>(grp, "additional_workers", scenario.services.additional_workers);
}

/// The bytes of results.h5. The file is built in memory (HDF5's core driver, no backing
/// store) and written to disk by write_file in one checked loop, so that every I/O error
/// (disk full, quota, the directory gone) is reported by us with the path and the
/// system's reason, and HDF5 never holds a half-written file on disk: HDF5 1.10 leaves a
/// file whose close failed registered, and crashes at exit trying to close it again.
std::vector<char> results_image(const Scenario& scenario, const geo::Geography& g,
                                const sim::RunResult& r, const WriteOptions& options) {
  // (input errors name the input file)
  const Inputs inputs = options.inputs.empty() ? input_checksums(scenario, g) : options.inputs;
  return h5::file_image(kResultsFileName, [&](hid_t file) {
    write_meta(file, scenario, inputs, r, options);
    write_districts(file, g);
    write_places(file, scenario, r);
    write_series(file, r, options.stop, options.threads);
    write_summary(file, scenario, g, r);
  });
}

void write_h5(const fs::path& path, const Scenario& scenario, const geo::Geography& g,
              const sim::RunResult& r, const WriteOptions& options) {
  std::vector<char> image;
  try {
    image = results_image(scenario, g, r, options);
  } catch (const OutputError& e) {
    throw OutputError(path.string() + ": " + e.what());
  }
  write_file(path, std::string_view(image.data(), image.size()));
}

}  // namespace

fs::path write_results(const Scenario& scenario, const geo::Geography& geography,
                       const sim::RunResult& result, const WriteOptions& options) {
  StagedDir staged(options.dir, options.force || options.into_run_dir, options.notice);
  write_h5(staged.path() / kResultsFileName, scenario, geography, result, options);
  if (options.csv) write_csv_tables(staged.path(), scenario, geography, result, options.stop);
  if (options.stop && options.stop->load()) throw sim::Interrupted();
  if (options.before_commit) options.before_commit();
  if (options.into_run_dir)
    staged.commit_into();
  else
    staged.commit();
  return staged.target() / kResultsFileName;
}

}  // namespace rfsim::outputs
