// Reading ensemble.h5 for its report (see ensemble_view.h).
#include "outputs/ensemble_view.h"

#include <algorithm>
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

void read_places(hid_t file, EnsembleView& v) {
  expect_link(file, "/districts/name", "the district names");
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
    s.units = text_attr_or_empty(ds, "units");
    s.row_axis = text_attr_or_empty(ds, "row_axis");
    s.column_axis = text_attr_or_empty(ds, "column_axis");
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
                       f.units = text_attr_or_empty(ds, "units");
                       f.description = text_attr_or_empty(ds, "description");
                     }
                     v.figures.push_back(std::move(f));
                   });
}

void read_probabilities(hid_t file, EnsembleView& v) {
  for_each_dataset(file, "/probabilities", 1, "a scalar",
                   [&](const std::string& name, const std::vector<double>& value, hid_t ds) {
                     EnsembleView::Event e{name, text_attr_or_empty(ds, "description"),
                                           text_attr_or_empty(ds, "threshold_units"), 0, value[0]};
                     if (has_attr(ds, "threshold")) e.threshold = read_attr<double>(ds, "threshold");
                     v.probabilities.push_back(std::move(e));
                   });
}

}  // namespace

EnsembleView read_ensemble(const fs::path& path_in) {
  std::error_code ec;
  const fs::path path =
      fs::is_directory(path_in, ec) ? path_in / kEnsembleReportSource : path_in;
  EnsembleView v;
  read_study_file(path, "rfsim ensemble", v, [&](hid_t file) {
    v.replicates = meta_integer(file, "replicates");
    read_places(file, v);
    read_series(file, v);
    read_figures(file, v);
    read_probabilities(file, v);
  });
  return v;
}

}  // namespace rfsim::outputs
