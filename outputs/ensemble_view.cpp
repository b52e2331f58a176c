// Reading ensemble.h5 for its report (see ensemble_view.h).
#include "outputs/ensemble_view.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "outputs/error.h"
#include "outputs/hdf5.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {

Bands EnsembleView::SeriesBands::column(std::size_t j) const {
  Bands b;
  std::vector<double>* levels[] = {&b.q05, &b.q25, &b.q50, &b.q75, &b.q95};
  for (std::size_t l = 0; l < 5; ++l) {
    levels[l]->resize(rows);
    for (std::size_t t = 0; t < rows; ++t) (*levels[l])[t] = q[(l * rows + t) * columns + j];
  }
  return b;
}

const EnsembleView::SeriesBands* EnsembleView::find_series(const std::string& name) const {
  const auto it = series.find(name);
  return it == series.end() ? nullptr : &it->second;
}

const EnsembleView::SummaryFigure* EnsembleView::find_figure(const std::string& name) const {
  for (const SummaryFigure& f : figures)
    if (f.name == name) return &f;
  return nullptr;
}

const EnsembleView::Event* EnsembleView::find_event(const std::string& name) const {
  for (const Event& e : probabilities)
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<std::string> ensemble_report_series() {
  return {"state/quarantine",       "quarantine/overflow",
          "services/gap_fte",       "infection/community_infectious_days",
          "state/remigrated",       "cost/total"};
}

namespace {

using namespace h5;

/// Throws "<what> is missing" unless `path` exists in `file`.
void expect(hid_t file, const std::string& path, const std::string& what) {
  if (!has_link(file, path))
    throw OutputError(path + " is missing (expected " + what + ")");
}

/// A string attribute, or "" when `loc` lacks it.
std::string text_or_empty(hid_t loc, const char* name) {
  return has_attr(loc, name) ? read_string_attr(loc, name) : std::string();
}

std::string meta_text(hid_t meta, const char* name) {
  if (!has_attr(meta, name)) throw OutputError(std::string("/meta@") + name + " is missing");
  return read_attr_text(meta, name);
}

void read_header(hid_t file, EnsembleView& v) {
  expect(file, "/meta", "the study's provenance");
  Handle meta = open_group(file, "/meta");
  const std::string type = meta_text(meta, "file_type");
  if (type != "rfsim ensemble")
    throw OutputError("/meta@file_type is '" + type + "', expected 'rfsim ensemble'");
  v.scenario_name = meta_text(meta, "scenario_name");
  v.rfsim_version = meta_text(meta, "rfsim_version");
  v.git_commit = meta_text(meta, "git_commit");
  v.scenario_toml = meta_text(meta, "scenario_toml");
  v.start = parse_iso_date(meta_text(meta, "start_date"));
  meta_text(meta, "horizon_days");
  v.horizon_days = read_attr<int>(meta, "horizon_days");
  meta_text(meta, "seed");
  v.seed = read_attr<std::int64_t>(meta, "seed");
  meta_text(meta, "replicates");
  v.replicates = read_attr<std::int64_t>(meta, "replicates");
}

void read_places(hid_t file, EnsembleView& v) {
  expect(file, "/districts/name", "the district names");
  v.districts = read_strings(file, "/districts/name");
  if (!has_link(file, "/facilities/name")) return;
  const std::vector<std::string> names = read_strings(file, "/facilities/name");
  std::vector<double> capacity(names.size(), 0.0), opens(names.size(), 0.0),
      closes(names.size(), 1e9);
  if (has_link(file, "/facilities/capacity")) {
    capacity = read_numbers<double>(file, "/facilities/capacity");
    opens = read_numbers<double>(file, "/facilities/opens");
    closes = read_numbers<double>(file, "/facilities/closes");
  }
  if (capacity.size() != names.size() || opens.size() != names.size() ||
      closes.size() != names.size())
    throw OutputError("/facilities: expected one capacity, opening and closing day a facility");
  for (std::size_t f = 0; f < names.size(); ++f)
    v.facilities.push_back({names[f], capacity[f], static_cast<int>(opens[f]),
                            static_cast<int>(closes[f])});
}

void read_series(hid_t file, EnsembleView& v) {
  for (const std::string& name : ensemble_report_series()) {
    const std::string path = "/series/" + name;
    if (!has_link(file, path)) continue;
    const std::vector<hsize_t> shape = dims(file, path);
    if (shape.size() != 3 || shape[0] != 5)
      throw OutputError(path + ": expected shape [5, rows, columns] (quantile, row, column)");
    EnsembleView::SeriesBands s;
    s.rows = shape[1];
    s.columns = shape[2];
    s.q = read_numbers<double>(file, path);
    Handle ds = open_dataset(file, path);
    s.units = text_or_empty(ds, "units");
    s.row_axis = text_or_empty(ds, "row_axis");
    s.column_axis = text_or_empty(ds, "column_axis");
    v.series.emplace(name, std::move(s));
  }
}

/// Calls `use(name, values)` for every dataset of `group` (none if it is absent), each of
/// `count` numbers (`what`: how the error says it).
template <typename Use>
void for_each_dataset(hid_t file, const std::string& group, std::size_t count, const char* what,
                      Use&& use) {
  if (!has_link(file, group)) return;
  Handle g = open_group(file, group);
  for (const std::string& name : dataset_paths(g)) {
    const std::vector<double> values = read_numbers<double>(g, name);
    if (values.size() != count) throw OutputError(group + "/" + name + ": expected " + what);
    Handle ds = open_dataset(g, name);
    use(name, values, ds);
  }
}

void read_figures(hid_t file, EnsembleView& v) {
  for_each_dataset(file, "/summary_quantiles", 5, "5 quantiles",
                   [&](const std::string& name, const std::vector<double>& q, hid_t) {
                     EnsembleView::SummaryFigure f{name, "", "", q[2], q};
                     const std::string mean = "/summary_mean/" + name;
                     if (has_link(file, mean)) f.mean = read_numbers<double>(file, mean).at(0);
                     if (has_link(file, "/summary/" + name)) {
                       Handle ds = open_dataset(file, "/summary/" + name);
                       f.units = text_or_empty(ds, "units");
                       f.description = text_or_empty(ds, "description");
                     }
                     v.figures.push_back(std::move(f));
                   });
}

void read_probabilities(hid_t file, EnsembleView& v) {
  for_each_dataset(file, "/probabilities", 1, "a scalar",
                   [&](const std::string& name, const std::vector<double>& value, hid_t ds) {
                     EnsembleView::Event e{name, text_or_empty(ds, "description"),
                                           text_or_empty(ds, "threshold_units"), 0, value[0]};
                     if (has_attr(ds, "threshold")) e.threshold = read_attr<double>(ds, "threshold");
                     v.probabilities.push_back(std::move(e));
                   });
}

}  // namespace

EnsembleView read_ensemble(const fs::path& path_in) {
  std::error_code ec;
  const fs::path path =
      fs::is_directory(path_in, ec) ? path_in / kEnsembleReportSource : path_in;
  try {
    if (::access(path.c_str(), R_OK) != 0)
      throw OutputError(errno == ENOENT ? "no such file"
                                        : "cannot open: " + std::system_category().message(errno));
    QuietErrors quiet;
    if (H5Fis_hdf5(path.c_str()) <= 0)
      throw OutputError("not an HDF5 file (expected an rfsim ensemble file)");
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                "open it as HDF5 (the file is damaged or incomplete)");
    EnsembleView v;
    v.path = path;
    read_header(file, v);
    read_places(file, v);
    read_series(file, v);
    read_figures(file, v);
    read_probabilities(file, v);
    return v;
  } catch (const OutputError& e) {
    throw OutputError(path.string() + ": " + e.what());
  }
}

}  // namespace rfsim::outputs
