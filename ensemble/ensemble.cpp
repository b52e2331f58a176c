// `rfsim ensemble` (see ensemble.h).
#include "ensemble/ensemble.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "base/text.h"
#include "ensemble/codec.h"
#include "ensemble/quantiles.h"
#include "outputs/hdf5.h"
#include "outputs/writer.h"

namespace rfsim::ensemble {

namespace {

/// One series as the ensemble file describes it.
struct SeriesInfo {
  std::string name, units, description, row_axis, column_axis;
  std::int64_t rows = 0, columns = 0;
};

/// FNV-1a of the series names, shapes and axes: replicates whose series do not line up
/// cell for cell cannot be summarised together.
std::uint64_t layout_digest(const sim::RunResult& r) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  };
  for (const sim::Series& s : r.series) {
    mix(s.name);
    mix(s.row_axis);
    mix(s.column_axis);
    mix(std::to_string(s.rows) + "x" + std::to_string(s.columns));
  }
  return h;
}

std::int64_t cell_count(const sim::RunResult& r) {
  std::int64_t n = 0;
  for (const sim::Series& s : r.series) n += static_cast<std::int64_t>(s.values.size());
  return n;
}

/// What replicate `r` sends to rank 0: its figures, its layout (in full from replicate 0,
/// as a digest from every one) and its encoded cells.
std::string replicate_bytes(const sim::RunResult& result, bool first) {
  ByteWriter w;
  write_figures(w, result, first);
  w.varint(layout_digest(result));
  const std::int64_t cells = cell_count(result);
  w.varint(static_cast<std::uint64_t>(cells));
  w.varint(first ? 1 : 0);
  if (first) {
    w.varint(static_cast<std::uint64_t>(result.agents));
    w.varint(result.series.size());
    for (const sim::Series& s : result.series) {
      for (const std::string* t : {&s.name, &s.units, &s.description, &s.row_axis, &s.column_axis})
        w.text(*t);
      w.varint(static_cast<std::uint64_t>(s.rows));
      w.varint(static_cast<std::uint64_t>(s.columns));
    }
  }
  CellEncoder cells_out(cells);
  for (const sim::Series& s : result.series) cells_out.add(s.values);
  w.raw(cells_out.finish());
  return w.take();
}

/// Rank 0's side: replicates' figures and encoded cells, in whatever order they come.
class Collector {
 public:
  Collector(std::int64_t replicates, std::size_t budget)
      : replicates_(replicates), budget_(budget), figures_(replicates) {}

  void add(std::int64_t r, const std::string& bytes) {
    ByteReader in(bytes);
    figures_.read(r, in);
    const std::uint64_t digest = in.varint();
    const auto cells = static_cast<std::int64_t>(in.varint());
    if (!store_) {
      store_.emplace(cells, replicates_, budget_);
      digest_ = digest;
    }
    if (digest != digest_ || cells != store_->cells())
      throw std::runtime_error("replicate " + std::to_string(r) +
                               " has other series than the others (names or shapes differ)");
    if (in.varint()) {
      agents_ = static_cast<std::int64_t>(in.varint());
      layout_.resize(in.varint());
      for (SeriesInfo& s : layout_) {
        for (std::string* t : {&s.name, &s.units, &s.description, &s.row_axis, &s.column_axis})
          *t = in.text();
        s.rows = static_cast<std::int64_t>(in.varint());
        s.columns = static_cast<std::int64_t>(in.varint());
      }
    }
    store_->add(r, std::string(in.raw(bytes.size() - in.position())));
  }

  FigureTable& figures() { return figures_; }
  const SeriesStore& store() const { return *store_; }
  const std::vector<SeriesInfo>& layout() const { return layout_; }
  std::int64_t agents() const { return agents_; }

 private:
  std::int64_t replicates_;
  std::size_t budget_;
  FigureTable figures_;
  std::optional<SeriesStore> store_;
  std::uint64_t digest_ = 0;
  std::vector<SeriesInfo> layout_;
  std::int64_t agents_ = 0;
};

/// The facilities' and entry points' names and districts, as simulate() reports them.
sim::RunResult places_of(const Study& study) {
  sim::RunResult r;
  for (const Facility& f : study.scenario().facilities) r.facility_names.push_back(f.name);
  for (const EntryPoint& e : study.scenario().entry_points) r.entry_point_names.push_back(e.name);
  r.facility_districts = study.base().places->facility_district;
  r.entry_point_districts = study.base().places->entry_district;
  return r;
}

/// /series/<name> (quantiles) and /mean/<name> of every series, their chunks compressed on
/// `threads` threads.
void write_series(hid_t file, const Collector& c, const SeriesStore::Summary& summary,
                  int threads) {
  using namespace outputs::h5;
  const std::int64_t cells = c.store().cells();
  std::vector<Array> arrays;
  std::int64_t offset = 0;
  for (const SeriesInfo& s : c.layout()) {
    const std::int64_t size = s.rows * s.columns;
    const auto rows = static_cast<hsize_t>(s.rows), columns = static_cast<hsize_t>(s.columns);
    // (summary.quantiles is [level][cell]: the series' levels lie `cells` values apart)
    arrays.push_back({"series/" + s.name, {kQuantileCount, rows, columns},
                      summary.quantiles.data() + offset, static_cast<std::size_t>(cells)});
    arrays.push_back({"mean/" + s.name, {rows, columns}, summary.mean.data() + offset});
    offset += size;
  }
  if (offset != cells)
    throw std::logic_error("ensemble: the series layout does not cover the cells");
  std::vector<Handle> datasets = write_arrays(file, arrays, threads);
  for (std::size_t k = 0; k < datasets.size(); ++k) {
    const SeriesInfo& s = c.layout()[k / 2];
    outputs::describe_series(datasets[k], s.units, s.description, s.row_axis, s.column_axis);
    datasets[k].close("write dataset " + arrays[k].name);
  }
}

std::string summary_csv(const FigureTable& t) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& name : t.names()) {
    const std::vector<double>& v = t.values(name);
    std::vector<std::string> row = {name, t.info(name).units, text::exact_number(mean(v))};
    for (double q : quantiles(v)) row.push_back(text::exact_number(q));
    row.push_back(t.info(name).description);
    rows.push_back(std::move(row));
  }
  return csv({"figure", "units", "mean", "q05", "q25", "q50", "q75", "q95", "description"}, rows);
}

std::string replicates_csv(const FigureTable& t) {
  std::vector<std::string> header = {"replicate"};
  const std::vector<std::string> names = t.names();
  header.insert(header.end(), names.begin(), names.end());
  std::vector<std::vector<std::string>> rows;
  for (std::int64_t r = 0; r < t.runs(); ++r) {
    std::vector<std::string> row = {std::to_string(r)};
    for (const std::string& name : names)
      row.push_back(text::exact_number(t.values(name)[static_cast<size_t>(r)]));
    rows.push_back(std::move(row));
  }
  return csv(header, rows);
}

std::string probabilities_csv(const std::vector<Probability>& ps) {
  std::vector<std::vector<std::string>> rows;
  for (const Probability& p : ps)
    rows.push_back({p.name, text::exact_number(p.value), text::exact_number(p.threshold),
                    p.threshold_units, p.description});
  return csv({"event", "probability", "threshold", "threshold_units", "description"}, rows);
}

}  // namespace

EnsembleResult run_ensemble(Workers& workers, const Study& study, const EnsembleOptions& options) {
  Cluster& cluster = workers.cluster();
  const std::int64_t n = options.replicates;
  if (n < 1) throw StudyError("ensemble: at least one replicate is needed", false);
  EnsembleResult result;
  cluster.agree([&] {
    if (cluster.root()) outputs::check_output_dir(options.output.dir, options.output.force);
  });

  std::optional<Collector> collector;
  if (cluster.root()) collector.emplace(n, options.memory_budget);
  const auto t0 = std::chrono::steady_clock::now();
  workers.run(
      n,
      [&](std::int64_t r, const Pulse& pulse) {
        return replicate_bytes(
            study.run(study.base(), static_cast<int>(r), options.output.stop, pulse), r == 0);
      },
      [&](std::int64_t r, std::string bytes) { collector->add(r, bytes); }, options.progress);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  cluster.agree([&] {
    if (!cluster.root()) return;
    EventThresholds thresholds;
    thresholds.overflow_days = options.overflow_days;
    thresholds.gap_fte = std::isnan(options.gap_threshold)
                             ? study.scenario().services.additional_workers
                             : options.gap_threshold;
    const FigureTable& figures = collector->figures();
    result.probabilities = event_probabilities(figures, 0, n, thresholds);
    // By now the other ranks (and threads) have finished: the statistics may use every
    // core this process may run on.
    const auto t1 = std::chrono::steady_clock::now();
    const int all_cores = std::max(workers.threads(), omp_get_num_procs());
    const SeriesStore::Summary summary = collector->store().summarize(all_cores);
    const auto t2 = std::chrono::steady_clock::now();
    result.statistics_seconds = std::chrono::duration<double>(t2 - t1).count();
    const std::string h5 = study_image(kEnsembleFileName, [&](hid_t file) {
      using namespace outputs::h5;
      Handle meta = write_study_meta(file, kEnsembleFileType, study, options.output);
      write_attr<std::int32_t>(meta, "replicate", 0);
      write_attr<std::int64_t>(meta, "replicates", n);
      write_attr<std::int64_t>(meta, "agents", collector->agents());
      write_attr<double>(meta, "seconds", result.seconds);
      write_attr(meta, "quantile_method",
                 "exact; Hyndman and Fan definition 7 (linear interpolation, numpy's default)");
      outputs::write_districts(file, study.geography());
      outputs::write_places(file, study.scenario(), places_of(study));
      Handle quantile_group = create_group(file, "quantiles");
      write_dataset(quantile_group, "levels",
                    std::vector<double>(std::begin(kQuantileLevels), std::end(kQuantileLevels)));
      write_series(file, *collector, summary, all_cores);
      write_figures(file, figures, {static_cast<hsize_t>(n)}, true);
      for (const Probability& p : result.probabilities) {
        Handle ds = write_array(file, "probabilities/" + p.name, {}, &p.value);
        write_attr(ds, "description", p.description);
        write_attr<double>(ds, "threshold", p.threshold);
        write_attr(ds, "threshold_units", p.threshold_units);
      }
    });
    write_study_dir(options.output,
                    {{kEnsembleFileName, h5},
                     {"summary.csv", summary_csv(figures)},
                     {"replicates.csv", replicates_csv(figures)},
                     {"probabilities.csv", probabilities_csv(result.probabilities)}});
    result.files_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count();
    result.file = options.output.dir / kEnsembleFileName;
    result.figures = std::move(collector->figures());
    result.bytes_in_memory = collector->store().bytes_in_memory();
    result.bytes_on_disk = collector->store().bytes_on_disk();
  });
  return result;
}

}  // namespace rfsim::ensemble
