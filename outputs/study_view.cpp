// Reading sweep.h5, sensitivity.h5 and calibration.h5 for their reports, and what every study file's
// reader shares (see study_view.h).
#include "outputs/study_view.h"

#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "outputs/error.h"
#include "outputs/hdf5.h"
#include "outputs/indicators.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {

using namespace h5;

const std::vector<std::string>& study_key_figures() {
  static const std::vector<std::string> names = {
      "peak_occupancy",     "days_over_capacity",  "facility_over_capacity_days_max",
      "facility_over_capacity_spell_max", "peak_overflow", "overflow_total",
      "peak_gap_fte",       "peak_need_gap_fte",   "unmet_need_weeks",
      "community_infectious_days",        "remigrated_total", "packages_delivered",
      "cost_total",         "funding_gap_usd"};
  return names;
}

std::string figure_title(const std::string& description, const std::string& name) {
  if (description.empty()) return name;
  return description.ends_with('.') ? description.substr(0, description.size() - 1) : description;
}

void expect_link(hid_t file, const std::string& path, const std::string& what) {
  if (!has_link(file, path)) throw OutputError(path + " is missing (expected " + what + ")");
}

std::string text_attr_or_empty(hid_t loc, const char* name) {
  return has_attr(loc, name) ? read_string_attr(loc, name) : std::string();
}

namespace {

std::string meta_text(hid_t meta, const char* name) {
  if (!has_attr(meta, name)) throw OutputError(std::string("/meta@") + name + " is missing");
  return read_attr_text(meta, name);
}

void read_header(hid_t file, const std::string& file_type, StudyHeader& h) {
  expect_link(file, "/meta", "the study's provenance");
  Handle meta = open_group(file, "/meta");
  const std::string type = meta_text(meta, "file_type");
  if (type != file_type)
    throw OutputError("/meta@file_type is '" + type + "', expected '" + file_type + "'");
  h.scenario_name = meta_text(meta, "scenario_name");
  h.rfsim_version = meta_text(meta, "rfsim_version");
  h.git_commit = meta_text(meta, "git_commit");
  h.scenario_toml = meta_text(meta, "scenario_toml");
  h.start = parse_iso_date(meta_text(meta, "start_date"));
  meta_text(meta, "horizon_days");
  h.horizon_days = read_attr<int>(meta, "horizon_days");
  meta_text(meta, "seed");
  h.seed = read_attr<std::int64_t>(meta, "seed");
}

/// `path`, or `name` inside it when it is a directory.
fs::path file_in(const fs::path& path, const char* name) {
  std::error_code ec;
  return fs::is_directory(path, ec) ? path / name : path;
}

/// The datasets of `group` (none if it is absent) as (name, dataset) to `use`.
template <typename Use>
void for_each_dataset(hid_t file, const std::string& group, Use&& use) {
  if (!has_link(file, group)) return;
  Handle g = open_group(file, group);
  for (const std::string& name : dataset_paths(g)) use(name, g);
}

std::vector<double> numbers_of_size(hid_t loc, const std::string& path, std::size_t n,
                                    const std::string& what) {
  std::vector<double> v = read_numbers<double>(loc, path);
  if (v.size() != n) throw OutputError(path + ": expected " + what);
  return v;
}

}  // namespace

std::int64_t meta_integer(hid_t file, const char* name) {
  Handle meta = open_group(file, "/meta");
  meta_text(meta, name);
  return read_attr<std::int64_t>(meta, name);
}

void read_study_file(const fs::path& path, const std::string& file_type, StudyHeader& header,
                     const std::function<void(hid_t file)>& read_rest) {
  try {
    if (::access(path.c_str(), R_OK) != 0)
      throw OutputError(errno == ENOENT ? "no such file"
                                        : "cannot open: " + std::system_category().message(errno));
    QuietErrors quiet;
    if (H5Fis_hdf5(path.c_str()) <= 0)
      throw OutputError("not an HDF5 file (expected an " + file_type + " file)");
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                "open it as HDF5 (the file is damaged or incomplete)");
    header.path = path;
    read_header(file, file_type, header);
    read_rest(file);
  } catch (const OutputError& e) {
    throw OutputError(path.string() + ": " + e.what());
  }
}

std::string SweepView::point_label(std::size_t p) const {
  std::string out;
  for (std::size_t k = 0; k < keys.size(); ++k)
    out += (k ? ", " : "") + keys[k] + " = " + values[k][p];
  return out;
}

const SweepView::Figure* SweepView::find_figure(const std::string& name) const {
  for (const Figure& f : figures)
    if (f.name == name) return &f;
  return nullptr;
}

const SweepView::Event* SweepView::find_event(const std::string& name) const {
  for (const Event& e : probabilities)
    if (e.name == name) return &e;
  return nullptr;
}

SweepView read_sweep(const fs::path& path_in) {
  SweepView v;
  read_study_file(file_in(path_in, kSweepReportSource), "rfsim sweep", v, [&](hid_t file) {
    v.replicates = meta_integer(file, "replicates");
    v.points = meta_integer(file, "points");
    const auto P = static_cast<std::size_t>(v.points);
    expect_link(file, "/points/keys", "the varied keys");
    v.keys = read_strings(file, "/points/keys");
    for (const std::string& key : v.keys) {
      const std::string at = "/points/values/" + key;
      expect_link(file, at, "each point's value of " + key);
      v.values.push_back(read_strings(file, at));
      if (v.values.back().size() != P) throw OutputError(at + ": expected one value a point");
    }
    for_each_dataset(file, "/summary_mean", [&](const std::string& name, hid_t group) {
      SweepView::Figure f;
      f.name = name;
      f.mean = numbers_of_size(group, name, P, "one mean a point");
      const std::string q = "/summary_quantiles/" + name;
      expect_link(file, q, "the quantiles of " + name);
      f.q = numbers_of_size(file, q, 5 * P, "5 quantiles a point");
      if (has_link(file, "/summary/" + name)) {
        Handle ds = open_dataset(file, "/summary/" + name);
        f.units = text_attr_or_empty(ds, "units");
        f.description = text_attr_or_empty(ds, "description");
      }
      v.figures.push_back(std::move(f));
    });
    for_each_dataset(file, "/probabilities", [&](const std::string& name, hid_t group) {
      Handle ds = open_dataset(group, name);
      v.probabilities.push_back({name, text_attr_or_empty(ds, "description"),
                                 numbers_of_size(group, name, P, "one share a point")});
    });
  });
  return v;
}

const SensitivityView::Indices* SensitivityView::find(const std::string& figure) const {
  for (const Indices& i : indices)
    if (i.figure == figure) return &i;
  return nullptr;
}

SensitivityView read_sensitivity(const fs::path& path_in) {
  SensitivityView v;
  read_study_file(
      file_in(path_in, kSensitivityReportSource), "rfsim sensitivity", v, [&](hid_t file) {
        v.samples = meta_integer(file, "samples");
        v.points = meta_integer(file, "points");
        v.replicates = static_cast<int>(meta_integer(file, "replicates"));
        v.bootstrap = static_cast<int>(meta_integer(file, "bootstrap"));
        Handle meta = open_group(file, "/meta");
        if (has_attr(meta, "confidence")) v.confidence = read_attr<double>(meta, "confidence");
        v.design = text_attr_or_empty(meta, "design");
        v.estimators = text_attr_or_empty(meta, "estimators");
        expect_link(file, "/parameters/key", "the parameters' keys");
        const std::vector<std::string> keys = read_strings(file, "/parameters/key");
        const std::vector<double> low =
            numbers_of_size(file, "/parameters/low", keys.size(), "one low end a parameter");
        const std::vector<double> high =
            numbers_of_size(file, "/parameters/high", keys.size(), "one high end a parameter");
        for (std::size_t i = 0; i < keys.size(); ++i)
          v.parameters.push_back({keys[i], low[i], high[i]});
        if (!has_link(file, "/indices")) return;
        Handle indices = open_group(file, "/indices");
        // (each figure is a group of six datasets)
        for (const std::string& path : dataset_paths(indices)) {
          if (!path.ends_with("/first_order")) continue;
          SensitivityView::Indices s;
          s.figure = path.substr(0, path.size() - 12);
          Handle g = open_group(indices, s.figure);
          s.units = text_attr_or_empty(g, "units");
          if (has_link(file, "/summary/" + s.figure)) {
            Handle ds = open_dataset(file, "/summary/" + s.figure);
            s.description = text_attr_or_empty(ds, "description");
          }
          if (has_attr(g, "mean")) s.mean = read_attr<double>(g, "mean");
          if (has_attr(g, "variance")) s.variance = read_attr<double>(g, "variance");
          const std::string at = "/indices/" + s.figure + "/";
          const std::string each = "one index a parameter";
          s.first = numbers_of_size(file, at + "first_order", keys.size(), each);
          s.first_low = numbers_of_size(file, at + "first_order_low", keys.size(), each);
          s.first_high = numbers_of_size(file, at + "first_order_high", keys.size(), each);
          s.total = numbers_of_size(file, at + "total", keys.size(), each);
          s.total_low = numbers_of_size(file, at + "total_low", keys.size(), each);
          s.total_high = numbers_of_size(file, at + "total_high", keys.size(), each);
          v.indices.push_back(std::move(s));
        }
      });
  return v;
}

CalibrationView read_calibration(const fs::path& path_in) {
  CalibrationView v;
  read_study_file(
      file_in(path_in, kCalibrationReportSource), "rfsim calibration", v, [&](hid_t file) {
        v.replicates = static_cast<int>(meta_integer(file, "replicates"));
        v.band_replicates = static_cast<int>(meta_integer(file, "band_replicates"));
        v.evaluations = static_cast<int>(meta_integer(file, "evaluations"));
        Handle meta = open_group(file, "/meta");
        for (const char* name : {"objective", "mean_relative_difference"})
          if (!has_attr(meta, name))
            throw OutputError(std::string("/meta@") + name + " is missing");
        v.objective = read_attr<double>(meta, "objective");
        v.mean_relative_difference = read_attr<double>(meta, "mean_relative_difference");
        v.observed_path = text_attr_or_empty(meta, "observed_path");
        v.method = text_attr_or_empty(meta, "method");
        v.stopped = text_attr_or_empty(meta, "stopped");
        v.objective_definition = text_attr_or_empty(meta, "objective_definition");

        expect_link(file, "/parameters/key", "the parameters' keys");
        const std::vector<std::string> keys = read_strings(file, "/parameters/key");
        const std::string each = "one value a parameter";
        const std::vector<double> low = numbers_of_size(file, "/parameters/low", keys.size(), each);
        const std::vector<double> high =
            numbers_of_size(file, "/parameters/high", keys.size(), each);
        const std::vector<double> start =
            numbers_of_size(file, "/parameters/start", keys.size(), each);
        const std::vector<double> fitted =
            numbers_of_size(file, "/parameters/fitted", keys.size(), each);
        for (std::size_t i = 0; i < keys.size(); ++i)
          v.parameters.push_back({keys[i], low[i], high[i], start[i], fitted[i]});
        v.trace_objective =
            numbers_of_size(file, "/trace/objective", static_cast<std::size_t>(v.evaluations),
                            "one J an evaluation (/meta@evaluations)");

        expect_link(file, "/fit/observed", "the fit report");
        const std::vector<double> observed = read_numbers<double>(file, "/fit/observed");
        const std::size_t m = observed.size();
        const std::string one = "one value an observation";
        const std::vector<double> mean = numbers_of_size(file, "/fit/mean", m, one);
        const std::vector<double> relative =
            numbers_of_size(file, "/fit/relative_difference", m, one);
        const std::vector<double> q =
            numbers_of_size(file, "/fit/quantiles", m * 5, "5 quantiles an observation");
        auto texts = [&](const std::string& path) {
          std::vector<std::string> t = read_strings(file, path);
          if (t.size() != m) throw OutputError(path + ": expected " + one);
          return t;
        };
        const std::vector<std::string> date = texts("/fit/date"), series = texts("/fit/series"),
                                       column = texts("/fit/column"),
                                       statistic = texts("/fit/statistic");
        for (std::size_t i = 0; i < m; ++i)
          v.rows.push_back({date[i], series[i], column[i], statistic[i], observed[i], mean[i],
                            relative[i],
                            std::vector<double>(q.begin() + 5 * i, q.begin() + 5 * i + 5)});
      });
  return v;
}

}  // namespace rfsim::outputs
