// `rfsim sweep` (see sweep.h).
#include "ensemble/sweep.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "base/text.h"
#include "ensemble/quantiles.h"
#include "outputs/hdf5.h"

namespace rfsim::ensemble {

namespace {

/// The number a value's text stands for, or NaN (a string, an array, ...).
double numeric(const std::string& text) {
  double v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && p == text.data() + text.size() ? v : std::nan("");
}

std::vector<std::string> point_overrides(const std::vector<Vary>& vary,
                                         const std::vector<std::string>& point) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < vary.size(); ++k) out.push_back(vary[k].key + "=" + point[k]);
  return out;
}

std::string describe_point(const std::vector<Vary>& vary, const std::vector<std::string>& point) {
  std::vector<std::string> parts = point_overrides(vary, point);
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

void write_sweep_h5(hid_t file, const Study& study, const SweepOptions& options,
                    const SweepResult& r) {
  using namespace outputs::h5;
  const auto points = static_cast<hsize_t>(r.points.size());
  const auto n = static_cast<hsize_t>(options.replicates);
  Handle meta = write_study_meta(file, kSweepFileType, study, options.output);
  write_attr<std::int64_t>(meta, "replicates", options.replicates);
  write_attr<std::int64_t>(meta, "points", static_cast<std::int64_t>(points));
  write_attr<double>(meta, "seconds", r.seconds);
  write_attr(meta, "random_numbers",
             "common: replicate r of every point uses the stream (seed, r)");
  std::vector<std::string> keys;
  for (const Vary& v : options.vary) keys.push_back(v.key);
  Handle point_group = create_group(file, "points");
  write_dataset(point_group, "keys", keys);
  Handle text_group = create_group(point_group, "values");
  Handle number_group = create_group(point_group, "numbers");
  for (std::size_t k = 0; k < keys.size(); ++k) {
    std::vector<std::string> text;
    std::vector<double> number;
    for (const auto& point : r.points) {
      text.push_back(point[k]);
      number.push_back(numeric(point[k]));
    }
    write_dataset(text_group, keys[k], text);
    write_dataset(number_group, keys[k], number);
  }
  write_figures(file, r.figures, {points, n}, true);
  for (std::size_t e = 0; !r.probabilities.empty() && e < r.probabilities[0].size(); ++e) {
    std::vector<double> values;
    double threshold = r.probabilities[0][e].threshold;
    for (const auto& ps : r.probabilities) {
      values.push_back(ps[e].value);
      if (ps[e].threshold != threshold) threshold = std::nan("");  // (per point)
    }
    const Probability& p = r.probabilities[0][e];
    Handle ds = write_array(file, "probabilities/" + p.name, {points}, values.data());
    write_attr(ds, "description", p.description);
    write_attr<double>(ds, "threshold", threshold);
    write_attr(ds, "threshold_units", p.threshold_units);
  }
}

std::string sweep_csv(const SweepOptions& options, const SweepResult& r) {
  std::vector<std::string> header = {"point"};
  for (const Vary& v : options.vary) header.push_back(v.key);
  const std::vector<std::string> names = r.figures.names();
  for (const std::string& name : names)
    for (const char* what : {"_mean", "_q05", "_q95"}) header.push_back(name + what);
  if (!r.probabilities.empty())
    for (const Probability& p : r.probabilities[0]) header.push_back("p_" + p.name);
  std::vector<std::vector<std::string>> rows;
  const std::int64_t n = options.replicates;
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    std::vector<std::string> row = {std::to_string(p)};
    row.insert(row.end(), r.points[p].begin(), r.points[p].end());
    for (const std::string& name : names) {
      const auto& all = r.figures.values(name);
      const std::vector<double> v(all.begin() + static_cast<std::ptrdiff_t>(p * n),
                                  all.begin() + static_cast<std::ptrdiff_t>((p + 1) * n));
      const std::vector<double> q = quantiles(v);
      row.push_back(text::exact_number(mean(v)));
      row.push_back(text::exact_number(q.front()));
      row.push_back(text::exact_number(q.back()));
    }
    for (const Probability& prob : r.probabilities[p])
      row.push_back(text::exact_number(prob.value));
    rows.push_back(std::move(row));
  }
  return csv(header, rows);
}

std::string replicates_csv(const SweepOptions& options, const SweepResult& r) {
  std::vector<std::string> header = {"point", "replicate"};
  for (const Vary& v : options.vary) header.push_back(v.key);
  const std::vector<std::string> names = r.figures.names();
  header.insert(header.end(), names.begin(), names.end());
  std::vector<std::vector<std::string>> rows;
  for (std::int64_t j = 0; j < r.figures.runs(); ++j) {
    const std::int64_t p = j / options.replicates;
    std::vector<std::string> row = {std::to_string(p), std::to_string(j % options.replicates)};
    row.insert(row.end(), r.points[p].begin(), r.points[p].end());
    for (const std::string& name : names)
      row.push_back(text::exact_number(r.figures.values(name)[static_cast<size_t>(j)]));
    rows.push_back(std::move(row));
  }
  return csv(header, rows);
}

}  // namespace

Vary parse_vary(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument("--vary " + text +
                                ": expected key=value1,value2,... e.g. quarantine.stay_days=7,14");
  Vary v;
  v.key = text::trim(text.substr(0, eq));
  int depth = 0;
  char quote = 0;
  std::string current;
  auto flush = [&] {
    const std::string value = text::trim(current);
    if (value.empty())
      throw std::invalid_argument("--vary " + text + ": an empty value (two commas in a row?)");
    v.values.push_back(value);
    current.clear();
  };
  for (const char c : text.substr(eq + 1)) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      flush();
      continue;
    }
    current += c;
  }
  flush();
  return v;
}

std::vector<std::vector<std::string>> grid_points(const std::vector<Vary>& vary) {
  std::vector<std::vector<std::string>> points = {{}};
  for (const Vary& v : vary) {
    std::vector<std::vector<std::string>> next;
    for (const auto& point : points)
      for (const std::string& value : v.values) {
        next.push_back(point);
        next.back().push_back(value);
      }
    points = std::move(next);
  }
  return points;
}

SweepResult run_sweep(Workers& workers, const Study& study, const SweepOptions& options) {
  Cluster& cluster = workers.cluster();
  const std::int64_t n = options.replicates;
  if (n < 1) throw StudyError("sweep: at least one replicate per point is needed", false);
  if (options.vary.empty()) throw StudyError("sweep: give at least one --vary", false);
  SweepResult result;
  result.points = grid_points(options.vary);
  const auto points = static_cast<std::int64_t>(result.points.size());
  std::vector<Variant> variants;
  cluster.agree([&] {
    if (cluster.root()) outputs::check_output_dir(options.output.dir, options.output.force);
    for (const auto& point : result.points) {
      try {
        variants.push_back(study.variant(point_overrides(options.vary, point)));
      } catch (const std::exception& e) {
        throw std::runtime_error("sweep point " + describe_point(options.vary, point) + ": " +
                                 e.what());
      }
    }
  });

  std::optional<FigureTable> table;
  if (cluster.root()) table.emplace(points * n);
  const auto t0 = std::chrono::steady_clock::now();
  workers.run(
      points * n,
      [&](std::int64_t j, const Pulse& pulse) {
        return figure_bytes(
            study.run(variants[j / n], static_cast<int>(j % n), options.output.stop, pulse), j);
      },
      [&](std::int64_t j, std::string bytes) { table->read(j, bytes); }, options.progress);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  cluster.agree([&] {
    if (!cluster.root()) return;
    result.figures = std::move(*table);
    for (std::int64_t p = 0; p < points; ++p) {
      EventThresholds t;
      t.overflow_days = options.overflow_days;
      t.gap_fte = std::isnan(options.gap_threshold)
                      ? variants[p].scenario.services.additional_workers
                      : options.gap_threshold;
      result.probabilities.push_back(event_probabilities(result.figures, p * n, n, t));
    }
    const std::string h5 = study_image(
        kSweepFileName, [&](hid_t file) { write_sweep_h5(file, study, options, result); });
    write_study_dir(options.output, {{kSweepFileName, h5},
                                     {"sweep.csv", sweep_csv(options, result)},
                                     {"replicates.csv", replicates_csv(options, result)}});
    result.file = options.output.dir / kSweepFileName;
  });
  return result;
}

}  // namespace rfsim::ensemble
