// What the reports of `rfsim sweep`, `rfsim sensitivity` and `rfsim calibrate` show, read
// from their study file alone (sweep.h5, sensitivity.h5, calibration.h5; outputs/SCHEMA.md
// "Study files"), and what every
// study file's reader shares with the ensemble's (ensemble_view.h): opening the file with
// the checks and one-line errors every reader gives, and the provenance in /meta.
#pragma once

#include <hdf5.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rfsim::outputs {

/// The study files a report is made from (in a study's output directory).
inline constexpr const char* kSweepReportSource = "sweep.h5";
inline constexpr const char* kSensitivityReportSource = "sensitivity.h5";
inline constexpr const char* kCalibrationReportSource = "calibration.h5";

/// What every study file says of the study in /meta.
struct StudyHeader {
  std::filesystem::path path;
  std::string scenario_name, rfsim_version, git_commit, scenario_toml;
  std::int64_t seed = 0;
  std::chrono::sys_days start;
  int horizon_days = 0;
};

/// The summary figures the report of a study shows, in this order (each when the file has
/// it): beds, overflow, social-worker gaps, infection, re-migration, cost.
const std::vector<std::string>& study_key_figures();

/// A summary figure as a report names it: its description without the full stop, or its
/// name when it has no description.
std::string figure_title(const std::string& description, const std::string& name);

/// Opens `path` (a file) as a study file of type `file_type` ("rfsim sweep", ...), reads
/// its header into `header`, then calls `read_rest(file)`. Throws OutputError "PATH: ..."
/// naming what was expected when the file cannot be read or is not such a file.
void read_study_file(const std::filesystem::path& path, const std::string& file_type,
                     StudyHeader& header, const std::function<void(hid_t file)>& read_rest);

/// Throws OutputError "<path> is missing (expected <what>)" unless `file` has `path`.
void expect_link(hid_t file, const std::string& path, const std::string& what);
/// A string attribute of `loc`, or "" when it has none of that name.
std::string text_attr_or_empty(hid_t loc, const char* name);
/// A numeric attribute of the /meta group; throws OutputError when it is missing.
std::int64_t meta_integer(hid_t file, const char* name);

/// A sweep: P points of the grid of the varied keys, N replicates each.
struct SweepView : StudyHeader {
  std::int64_t replicates = 0, points = 0;
  std::vector<std::string> keys;                 ///< the varied keys
  std::vector<std::vector<std::string>> values;  ///< [key][point], as given (TOML text)
  struct Figure {
    std::string name, units, description;
    std::vector<double> mean;  ///< [point]
    std::vector<double> q;     ///< [point][5 levels]
  };
  std::vector<Figure> figures;  ///< in name order
  struct Event {
    std::string name, description;
    std::vector<double> value;  ///< [point]: share of the point's replicates
  };
  std::vector<Event> probabilities;  ///< in name order

  /// "key = value, key = value" of point p.
  std::string point_label(std::size_t p) const;
  const Figure* find_figure(const std::string& name) const;
  const Event* find_event(const std::string& name) const;
};

/// Reads sweep.h5 (or the directory holding it). Throws OutputError naming the file.
SweepView read_sweep(const std::filesystem::path& path);

/// A variance-based sensitivity study: Sobol indices of every figure for k parameters.
struct SensitivityView : StudyHeader {
  std::int64_t samples = 0, points = 0;
  int replicates = 0, bootstrap = 0;
  double confidence = 0;
  std::string design, estimators;
  struct Parameter {
    std::string key;
    double low = 0, high = 0;
  };
  std::vector<Parameter> parameters;
  struct Indices {
    std::string figure, units, description;
    double mean = 0, variance = 0;
    /// [parameter]; NaN for a figure that does not vary
    std::vector<double> first, first_low, first_high, total, total_low, total_high;
  };
  std::vector<Indices> indices;  ///< in figure name order

  const Indices* find(const std::string& figure) const;
};

/// Reads sensitivity.h5 (or the directory holding it). Throws OutputError naming the file.
SensitivityView read_sensitivity(const std::filesystem::path& path);

/// A calibration: k parameters fitted to m observed counts.
struct CalibrationView : StudyHeader {
  std::string observed_path, method, stopped, objective_definition;
  int replicates = 0, band_replicates = 0, evaluations = 0;
  double objective = 0, mean_relative_difference = 0;
  struct Parameter {
    std::string key;
    double low = 0, high = 0, start = 0, fitted = 0;
  };
  std::vector<Parameter> parameters;
  std::vector<double> trace_objective;  ///< J of every evaluation, in order
  struct Row {
    std::string date, series, column, statistic;
    double observed = 0, mean = 0, relative_difference = 0;
    std::vector<double> q;  ///< [5 levels]: the model's quantiles at the fit
  };
  std::vector<Row> rows;  ///< the fit report, one row per observation
};

/// Reads calibration.h5 (or the directory holding it). Throws OutputError naming the file.
CalibrationView read_calibration(const std::filesystem::path& path);

}  // namespace rfsim::outputs
