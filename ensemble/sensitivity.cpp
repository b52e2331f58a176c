// `rfsim sensitivity` (see sensitivity.h).
#include "ensemble/sensitivity.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "base/text.h"
#include "ensemble/quantiles.h"
#include "outputs/hdf5.h"

namespace rfsim::ensemble {

namespace {

/// Checks every range's ends against the scenario, the other keys at their scenario values.
void check_ranges(const Study& study, const std::vector<ParamRange>& params) {
  for (const ParamRange& p : params)
    for (const double end : {p.low, p.high}) {
      try {
        study.variant({p.override_for(end)});
      } catch (const std::exception& e) {
        throw std::runtime_error("--param " + p.key + ": the scenario does not take " +
                                 p.override_for(end) + ": " + e.what());
      }
    }
}

/// The mean over the R replicates of each design point, per figure.
std::map<std::string, std::vector<double>> point_means(const FigureTable& t, int replicates) {
  std::map<std::string, std::vector<double>> out;
  for (const std::string& name : t.names()) {
    const std::vector<double>& v = t.values(name);
    std::vector<double>& m = out[name];
    for (std::size_t p = 0; p * replicates < v.size(); ++p)
      m.push_back(mean(
          std::span<const double>(v.data() + p * replicates, static_cast<size_t>(replicates))));
  }
  return out;
}

void write_sensitivity_h5(hid_t file, const Study& study, const SensitivityOptions& o,
                          const std::vector<DesignPoint>& design, const FigureTable& table,
                          const SensitivityResult& r) {
  using namespace outputs::h5;
  const auto k = static_cast<hsize_t>(o.params.size());
  const auto points = static_cast<hsize_t>(design.size());
  Handle meta = write_study_meta(file, kSensitivityFileType, study, o.output);
  write_attr<std::int64_t>(meta, "samples", o.samples);
  write_attr<std::int64_t>(meta, "points", static_cast<std::int64_t>(points));
  write_attr<std::int32_t>(meta, "replicates", o.replicates);
  write_attr<std::int32_t>(meta, "bootstrap", o.bootstrap);
  write_attr<double>(meta, "confidence", o.confidence);
  write_attr<double>(meta, "seconds", r.seconds);
  write_attr(meta, "design",
             "Saltelli (2010) on a Sobol sequence (Joe-Kuo directions, Boost) with Owen "
             "scrambling (Burley 2020 hash), seeded by run.seed");
  write_attr(meta, "estimators",
             "first order: Saltelli et al. (2010); total: Jansen (1999); percentile "
             "bootstrap intervals");
  write_ranges(file, o.params);
  std::vector<double> unit, values;
  std::vector<std::int32_t> matrix, sample;
  for (const DesignPoint& d : design) {
    for (std::size_t i = 0; i < d.u.size(); ++i) {
      unit.push_back(d.u[i]);
      values.push_back(o.params[i].at(d.u[i]));
    }
    matrix.push_back(d.matrix);
    sample.push_back(static_cast<std::int32_t>(d.sample));
  }
  write_array(file, "design/unit", {points, k}, unit.data());
  write_array(file, "design/values", {points, k}, values.data());
  Handle design_group = open_group(file, "design");
  write_dataset(design_group, "matrix", matrix);
  write_dataset(design_group, "sample", sample);
  write_figures(file, table, {points, static_cast<hsize_t>(o.replicates)}, false);
  for (const auto& [name, s] : r.indices) {
    Handle grp = create_group(file, "indices/" + name);
    write_dataset(grp, "first_order", s.first);
    write_dataset(grp, "first_order_low", s.first_low);
    write_dataset(grp, "first_order_high", s.first_high);
    write_dataset(grp, "total", s.total);
    write_dataset(grp, "total_low", s.total_low);
    write_dataset(grp, "total_high", s.total_high);
    write_attr<double>(grp, "mean", s.mean);
    write_attr<double>(grp, "variance", s.variance);
    const auto info = r.info.find(name);
    write_attr(grp, "units", info == r.info.end() ? "" : info->second.units);
  }
}

std::string sensitivity_csv(const SensitivityOptions& o, const SensitivityResult& r) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, s] : r.indices)
    for (std::size_t i = 0; i < o.params.size(); ++i)
      rows.push_back({name, o.params[i].key, text::exact_number(s.first[i]),
                      text::exact_number(s.first_low[i]), text::exact_number(s.first_high[i]),
                      text::exact_number(s.total[i]), text::exact_number(s.total_low[i]),
                      text::exact_number(s.total_high[i])});
  return csv({"figure", "parameter", "first_order", "first_order_low", "first_order_high", "total",
              "total_low", "total_high"},
             rows);
}

std::string design_csv(const SensitivityOptions& o, const std::vector<DesignPoint>& design,
                       const std::map<std::string, std::vector<double>>& means) {
  std::vector<std::string> header = {"point", "sample", "matrix"};
  for (const ParamRange& p : o.params) header.push_back(p.key);
  for (const auto& [name, v] : means) header.push_back(name);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t p = 0; p < design.size(); ++p) {
    const DesignPoint& d = design[p];
    std::vector<std::string> row = {std::to_string(p), std::to_string(d.sample),
                                    d.matrix == 0   ? "A"
                                    : d.matrix == 1 ? "B"
                                                    : "AB" + std::to_string(d.matrix - 1)};
    for (std::size_t i = 0; i < o.params.size(); ++i)
      row.push_back(text::exact_number(o.params[i].at(d.u[i])));
    for (const auto& [name, v] : means) row.push_back(text::exact_number(v[p]));
    rows.push_back(std::move(row));
  }
  return csv(header, rows);
}

}  // namespace

SensitivityResult run_sensitivity(Workers& workers, const Study& study,
                                  const SensitivityOptions& o) {
  Cluster& cluster = workers.cluster();
  if (o.params.empty()) throw StudyError("sensitivity: give at least one --param", false);
  if (o.replicates < 1) throw StudyError("sensitivity: at least one replicate is needed", false);
  const int k = static_cast<int>(o.params.size());
  std::vector<DesignPoint> design;
  cluster.agree([&] {
    if (cluster.root()) outputs::check_output_dir(o.output.dir, o.output.force);
    check_ranges(study, o.params);
    design = saltelli_design(k, o.samples, study.scenario().seed);
  });
  const auto points = static_cast<std::int64_t>(design.size());
  const std::int64_t jobs = points * o.replicates;

  SensitivityResult result;
  result.points = points;
  std::optional<FigureTable> table;
  if (cluster.root()) table.emplace(jobs);
  const auto t0 = std::chrono::steady_clock::now();
  workers.run(
      jobs,
      [&](std::int64_t j, const Pulse& pulse) {
        const DesignPoint& d = design[j / o.replicates];
        const Variant v = study.variant(overrides_at(o.params, d.u));
        return figure_bytes(study.run(v, static_cast<int>(j % o.replicates), o.output.stop, pulse),
                            j);
      },
      [&](std::int64_t j, std::string bytes) { table->read(j, bytes); }, o.progress);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  cluster.agree([&] {
    if (!cluster.root()) return;
    const auto means = point_means(*table, o.replicates);
    const std::uint64_t seed = study.scenario().seed ^ 0xb007'5742'9ull;
    for (const auto& [name, v] : means) {
      result.figures.push_back(name);
      result.info[name] = table->info(name);
    }
    // The bootstraps of the figures are independent: spread over every core this process
    // may use (the runs are over).
    std::vector<SobolIndices> indices(result.figures.size());
#pragma omp parallel for schedule(dynamic) \
    num_threads(std::max(workers.threads(), omp_get_num_procs()))
    for (std::size_t f = 0; f < indices.size(); ++f)
      indices[f] = sobol_indices(means.at(result.figures[f]), k, o.bootstrap, o.confidence, seed);
    for (std::size_t f = 0; f < indices.size(); ++f)
      result.indices[result.figures[f]] = std::move(indices[f]);
    const std::string h5 = study_image(kSensitivityFileName, [&](hid_t file) {
      write_sensitivity_h5(file, study, o, design, *table, result);
    });
    write_study_dir(o.output, {{kSensitivityFileName, h5},
                               {"sensitivity.csv", sensitivity_csv(o, result)},
                               {"design.csv", design_csv(o, design, means)}});
    result.file = o.output.dir / kSensitivityFileName;
  });
  return result;
}

}  // namespace rfsim::ensemble
