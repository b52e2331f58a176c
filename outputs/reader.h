// Reads a results file back (results.h5, or a results directory holding one) into plain
// structs, for `rfsim info` and for whatever works from stored results (report, compare,
// rerun); and prints what `rfsim info` shows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "outputs/error.h"
#include "outputs/provenance.h"
#include "outputs/schema.h"

namespace rfsim::outputs {

/// Everything a results.h5 holds (outputs/SCHEMA.md), as read back.
struct Results {
  std::filesystem::path path;  ///< the file read

  /// /meta attributes.
  struct Meta {
    std::string file_type;  ///< kFileType; empty in schema 1.0 files, which predate it
    std::string schema_version, rfsim_version, git_commit;
    std::uint64_t seed = 0;
    std::int32_t replicate = 0;
    std::string scenario_name, scenario_path;
    std::string scenario_toml;  ///< the full resolved scenario: rerunning it reproduces the file
    std::string start_date;
    std::int32_t horizon_days = 0;
    std::string created_utc;
    std::int32_t threads = 0, ranks = 0;
    std::int64_t agents = 0;
    double timestep_seconds = 0;
    /// Every other numeric /meta attribute: the memory diagnostics of schema 2.x
    /// (bytes_per_agent, ...), which 1.x files keep in /summary.
    std::map<std::string, double> diagnostics;
    /// /meta/branch (schema 2.2): where a branch run branched from, [0] its own branch
    /// point, [1] its original's, ...; empty for a run from day 0.
    Lineage branch;
  } meta;

  /// /meta/inputs: every input file and its SHA-256.
  struct Input {
    std::string path, sha256;
  };
  std::vector<Input> inputs;

  /// /districts, in district-index order (all districts of Cambodia).
  struct District {
    std::string code, name, province, shape_id;
    double population = 0, area_km2 = 0, x = 0, y = 0;
    bool study_area = false;
  };
  std::vector<District> districts;

  /// /facilities and /entry_points, in series column order. `district` is -1 (and the
  /// other numbers 0) when the file records only the names.
  struct Facility {
    std::string name;
    std::int32_t district = -1, capacity = 0, opens = 0, closes = 0;
  };
  std::vector<Facility> facilities;
  struct EntryPoint {
    std::string name;
    std::int32_t district = -1;
    bool formal = false;
  };
  std::vector<EntryPoint> entry_points;

  /// One /series dataset: [rows, columns] in row order.
  struct Series {
    std::string name;  ///< path below /series, e.g. "quarantine/occupancy"
    std::string units, description, row_axis, column_axis;
    std::uint64_t rows = 0, columns = 0;
    std::vector<double> values;  ///< rows x columns, or empty when read without values
    double at(std::uint64_t row, std::uint64_t column) const {
      return values[row * columns + column];
    }
  };
  std::vector<Series> series;  ///< in name order
  /// The series called `name`, or nullptr.
  const Series* find_series(const std::string& name) const;

  std::map<std::string, double> summary;  ///< /summary figures

  /// /recommendation: where the additional social workers should go, by priority.
  struct Recommendation {
    std::int32_t district = 0;
    std::string district_name;
    std::int32_t workers = 0;
  };
  std::vector<Recommendation> recommendation;
  std::int32_t additional_workers = 0;  ///< workers the scenario asked to place
};

enum class SeriesValues { read, skip };

/// Reads a results file, or the results.h5 of a results directory, checking what it
/// reads. Throws OutputError naming the file when it is missing or unreadable, is not
/// an rfsim results file (not HDF5, no /meta, a foreign /meta@file_type), was written with
/// a schema MAJOR version this rfsim does not read, or lacks or mangles a part the schema
/// requires. With SeriesValues::skip the series are described but their values not read.
Results read_results(const std::filesystem::path& path, SeriesValues values = SeriesValues::read);

/// What `rfsim info` shows: read_results without the series values.
Results read_info(const std::filesystem::path& path);

/// Human-readable report of a results file (meta, sizes, series, summary, recommendation).
void print_info(const Results& results, std::ostream& out);

}  // namespace rfsim::outputs
