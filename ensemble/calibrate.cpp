// `rfsim calibrate` (see calibrate.h).
#include "ensemble/calibrate.h"

#include <toml++/toml.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <nlopt.hpp>
#include <optional>
#include <stdexcept>

#include "base/text.h"
#include "ensemble/codec.h"
#include "ensemble/quantiles.h"
#include "geo/sha256.h"
#include "outputs/hdf5.h"
#include "rfsim/version.h"
#include "scenarios/parameters.h"

namespace rfsim::ensemble {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlopt::algorithm algorithm_of(const std::string& method) {
  if (method == "sbplx") return nlopt::LN_SBPLX;
  if (method == "bobyqa") return nlopt::LN_BOBYQA;
  if (method == "neldermead") return nlopt::LN_NELDERMEAD;
  if (method == "cobyla") return nlopt::LN_COBYLA;
  throw std::invalid_argument("--method: expected sbplx, bobyqa, neldermead or cobyla (got '" +
                              method + "')");
}

std::string stop_text(nlopt::result r) {
  switch (r) {
    case nlopt::FTOL_REACHED:
      return "the objective stopped changing";
    case nlopt::XTOL_REACHED:
      return "the parameters stopped changing (tolerance reached)";
    case nlopt::MAXEVAL_REACHED:
      return "the maximum number of evaluations was reached";
    case nlopt::STOPVAL_REACHED:
      return "the objective reached its target";
    default:
      return "the optimiser stopped (NLopt result " + std::to_string(static_cast<int>(r)) + ")";
  }
}

/// The scenario's value of `key` (a dotted `--set` key; numeric parts index arrays), else
/// the dictionary's default for it, else NaN.
double scenario_value(const Scenario& s, const std::string& key) {
  try {
    const toml::table doc = toml::parse(s.resolved_toml);
    const toml::node* node = &doc;
    std::size_t at = 0;
    while (node && at <= key.size()) {
      const std::size_t dot = std::min(key.find('.', at), key.size());
      const std::string part = key.substr(at, dot - at);
      if (const toml::array* a = node->as_array()) {
        std::size_t i = 0;
        const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), i);
        node = ec == std::errc() ? a->get(i) : nullptr;
      } else if (const toml::table* t = node->as_table()) {
        node = t->get(part);
      } else {
        node = nullptr;
      }
      at = dot + 1;
    }
    if (node)
      if (const auto v = node->value<double>()) return *v;
  } catch (const toml::parse_error&) {
  }
  const params::Param* p = params::find(key);
  return p ? p->value : kNaN;
}

/// The point in the unit cube of the ranges where the scenario's own values lie (the middle
/// of a range the scenario's value is outside of).
std::vector<double> start_point(const Scenario& s, const std::vector<ParamRange>& params) {
  std::vector<double> u;
  for (const ParamRange& p : params) {
    const double v = scenario_value(s, p.key);
    u.push_back(v >= p.low && v <= p.high ? (v - p.low) / (p.high - p.low) : 0.5);
  }
  return u;
}

double relative(double model, double observed) {
  return (model - observed) / std::max(std::fabs(observed), 1.0);
}

/// The values of every observation in replicates 0..R-1 of the scenario at `u`, run by all
/// ranks together; on rank 0 [replicate][observation]. Collective.
class Evaluations {
 public:
  Evaluations(Workers& workers, const Study& study, const CalibrationOptions& o,
              const std::vector<Observation>& obs)
      : workers_(workers), study_(study), o_(o), obs_(obs) {}

  /// Rank 0: asks every rank to run R replicates at u, and runs its share.
  std::vector<std::vector<double>> ask(const std::vector<double>& u, int replicates) {
    ByteWriter w;
    w.raw("E");
    w.varint(static_cast<std::uint64_t>(replicates));
    for (double x : u) w.number(x);
    workers_.cluster().broadcast(w.take());
    return run(u, replicates);
  }
  /// Rank 0: tells every rank the calibration is over ("" ) or failed (the message).
  void finish(const std::string& error) {
    workers_.cluster().broadcast(error.empty() ? "F" : "X" + error);
  }
  /// Other ranks: run the evaluations rank 0 asks for, until it says it is over.
  void serve() {
    for (;;) {
      const std::string m = workers_.cluster().broadcast("");
      if (m == "F") return;
      if (m.front() == 'X') throw StudyError(m.substr(1), false);
      ByteReader r(std::string_view(m).substr(1));
      const int replicates = static_cast<int>(r.varint());
      std::vector<double> u(o_.params.size());
      for (double& x : u) x = r.number();
      run(u, replicates);
    }
  }

 private:
  std::vector<std::vector<double>> run(const std::vector<double>& u, int replicates) {
    std::vector<std::vector<double>> values(static_cast<size_t>(replicates));
    const std::vector<std::string> overrides = overrides_at(o_.params, u);
    workers_.run(
        replicates,
        [&](std::int64_t r, const Pulse& pulse) {
          const Variant v = study_.variant(overrides);
          const std::vector<double> sim =
              simulated(study_.run(v, static_cast<int>(r), o_.output.stop, pulse), obs_);
          ByteWriter w;
          for (double x : sim) w.number(x);
          return w.take();
        },
        [&](std::int64_t r, std::string bytes) {
          ByteReader in(bytes);
          for (std::size_t i = 0; i < obs_.size(); ++i) values[r].push_back(in.number());
        });
    return values;
  }

  Workers& workers_;
  const Study& study_;
  const CalibrationOptions& o_;
  const std::vector<Observation>& obs_;
};

/// Mean over replicates (in replicate order) of each observation's value.
std::vector<double> means(const std::vector<std::vector<double>>& values, std::size_t m) {
  std::vector<double> out(m, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<double> v;
    for (const auto& rep : values) v.push_back(rep[i]);
    out[i] = mean(v);
  }
  return out;
}

double objective(const std::vector<double>& model, const std::vector<Observation>& obs) {
  double sum = 0;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const double d = relative(model[i], obs[i].value);
    sum += d * d;
  }
  return sum / static_cast<double>(obs.size());
}

struct Trace {
  std::vector<std::vector<double>> u;
  std::vector<double> objective;
  std::size_t best = 0;
};

/// Rank 0: the optimisation; every evaluation in `trace`. Returns why it stopped.
std::string optimise(Evaluations& ev, const CalibrationOptions& o,
                     const std::vector<Observation>& obs, const std::vector<double>& start,
                     Trace& trace) {
  const auto k = static_cast<unsigned>(o.params.size());
  nlopt::opt opt(algorithm_of(o.method), k);
  opt.set_lower_bounds(std::vector<double>(k, 0.0));
  opt.set_upper_bounds(std::vector<double>(k, 1.0));
  opt.set_xtol_abs(o.tolerance);
  opt.set_maxeval(o.max_evaluations);
  opt.set_initial_step(0.1);
  struct Context {
    Evaluations* ev;
    const CalibrationOptions* o;
    const std::vector<Observation>* obs;
    Trace* trace;
    nlopt::opt* opt;
    std::exception_ptr error;
  } ctx{&ev, &o, &obs, &trace, &opt, nullptr};
  opt.set_min_objective(
      [](unsigned n, const double* x, double*, void* data) -> double {
        auto& c = *static_cast<Context*>(data);
        try {
          const std::vector<double> u(x, x + n);
          const double j = objective(means(c.ev->ask(u, c.o->replicates), c.obs->size()), *c.obs);
          c.trace->u.push_back(u);
          c.trace->objective.push_back(j);
          if (j < c.trace->objective[c.trace->best]) c.trace->best = c.trace->u.size() - 1;
          if (c.o->progress)
            c.o->progress(static_cast<int>(c.trace->u.size()), c.o->max_evaluations,
                          c.trace->objective[c.trace->best]);
          return j;
        } catch (...) {
          c.error = std::current_exception();
          c.opt->force_stop();
          return HUGE_VAL;
        }
      },
      &ctx);
  std::vector<double> x = start;
  double minimum = 0;
  std::string stopped;
  try {
    stopped = stop_text(opt.optimize(x, minimum));
  } catch (const nlopt::roundoff_limited&) {
    stopped = "the optimiser's progress was limited by roundoff";
  } catch (const nlopt::forced_stop&) {
    if (!ctx.error) throw;
  }
  if (ctx.error) std::rethrow_exception(ctx.error);
  if (trace.u.empty()) throw StudyError("calibrate: the optimiser evaluated nothing", false);
  return stopped;
}

void write_calibration_h5(hid_t file, const Study& study, const CalibrationOptions& o,
                          const Trace& trace, const CalibrationResult& r) {
  using namespace outputs::h5;
  Handle meta = write_study_meta(file, kCalibrationFileType, study, o.output);
  write_attr(meta, "observed_path", o.observed);
  write_attr(meta, "observed_sha256", geo::sha256_hex_of_file(o.observed));
  write_attr(meta, "method", o.method);
  write_attr<std::int32_t>(meta, "replicates", o.replicates);
  write_attr<std::int32_t>(meta, "band_replicates", o.band_replicates);
  write_attr<std::int32_t>(meta, "evaluations", r.evaluations);
  write_attr<double>(meta, "objective", r.objective);
  write_attr<double>(meta, "mean_relative_difference", r.mean_relative_difference);
  write_attr(meta, "stopped", r.stopped);
  write_attr<double>(meta, "seconds", r.seconds);
  write_attr(meta, "objective_definition",
             "mean over observations of ((model mean - observed) / max(|observed|, 1))^2");
  Handle parameter_group = write_ranges(file, o.params);
  write_dataset(parameter_group, "start", r.start);
  write_dataset(parameter_group, "fitted", r.fitted);
  std::vector<double> values;
  for (const auto& u : trace.u)
    for (std::size_t i = 0; i < u.size(); ++i) values.push_back(o.params[i].at(u[i]));
  write_array(file, "trace/values",
              {static_cast<hsize_t>(trace.u.size()), static_cast<hsize_t>(o.params.size())},
              values.data());
  write_dataset(open_group(file, "trace"), "objective", trace.objective);
  std::vector<std::string> date, series, column, statistic;
  std::vector<double> observed, mean_v, q, rel;
  for (const FitRow& row : r.rows) {
    date.push_back(row.observed.date);
    series.push_back(row.observed.series);
    column.push_back(row.observed.column);
    statistic.push_back(row.observed.mean ? "mean" : "sum");
    observed.push_back(row.observed.value);
    mean_v.push_back(row.mean);
    q.insert(q.end(), row.quantiles.begin(), row.quantiles.end());
    rel.push_back(row.relative_difference);
  }
  Handle fit = create_group(file, "fit");
  write_dataset(fit, "date", date);
  write_dataset(fit, "series", series);
  write_dataset(fit, "column", column);
  write_dataset(fit, "statistic", statistic);
  write_dataset(fit, "observed", observed);
  write_dataset(fit, "mean", mean_v);
  write_array(fit, "quantiles", {static_cast<hsize_t>(r.rows.size()), kQuantileCount}, q.data());
  write_dataset(fit, "relative_difference", rel);
}

std::string fit_csv(const CalibrationResult& r) {
  std::vector<std::vector<std::string>> rows;
  for (const FitRow& row : r.rows) {
    std::vector<std::string> fields = {row.observed.date,
                                       row.observed.series,
                                       row.observed.column,
                                       row.observed.mean ? "mean" : "sum",
                                       text::exact_number(row.observed.value),
                                       text::exact_number(row.mean)};
    for (double q : row.quantiles) fields.push_back(text::exact_number(q));
    fields.push_back(text::exact_number(row.relative_difference));
    rows.push_back(std::move(fields));
  }
  return csv({"date", "series", "column", "statistic", "observed", "fitted_mean", "q05", "q25",
              "q50", "q75", "q95", "relative_difference"},
             rows);
}

std::string fitted_toml(const Study& study, const CalibrationOptions& o,
                        const CalibrationResult& r) {
  std::vector<std::string> overrides = study.overrides();
  std::string header = "# Fitted by rfsim calibrate (rfsim " + std::string(kVersion) + ", commit " +
                       kGitCommit + ") to " + o.observed + ":\n";
  for (std::size_t i = 0; i < o.params.size(); ++i) {
    overrides.push_back(o.params[i].override_for(r.fitted[i]));
    header += "#   " + o.params[i].override_for(r.fitted[i]) + "  (range " +
              text::exact_number(o.params[i].low) + " to " + text::exact_number(o.params[i].high) +
              ")\n";
  }
  header += "# objective " + text::format_number(r.objective) + ", mean relative difference " +
            text::format_number(r.mean_relative_difference) + ", " + std::to_string(r.evaluations) +
            " evaluations of " + std::to_string(o.replicates) + " replicates (" + o.method +
            "): " + r.stopped + "\n";
  return header + load_scenario(study.path(), overrides).resolved_toml;
}

}  // namespace

CalibrationResult run_calibration(Workers& workers, const Study& study,
                                  const CalibrationOptions& o) {
  Cluster& cluster = workers.cluster();
  if (o.params.empty()) throw StudyError("calibrate: give at least one --param", false);
  if (o.replicates < 1 || o.band_replicates < 1)
    throw StudyError("calibrate: at least one replicate is needed", false);
  std::vector<Observation> obs;
  CalibrationResult result;
  cluster.agree([&] {
    algorithm_of(o.method);
    if (cluster.root()) outputs::check_output_dir(o.output.dir, o.output.force);
    for (const ParamRange& p : o.params)
      for (const double end : {p.low, p.high}) study.variant({p.override_for(end)});
    obs = read_observed(o.observed, study.scenario(), study.geography(),
                        study.run(study.base(), 0, o.output.stop));
  });

  Evaluations ev(workers, study, o, obs);
  const auto t0 = std::chrono::steady_clock::now();
  if (!cluster.root()) {
    ev.serve();
    cluster.agree([] {});  // rank 0 writes the results
    return result;
  }
  Trace trace;
  std::vector<std::vector<double>> band;
  const std::vector<double> start = start_point(study.scenario(), o.params);
  try {
    result.stopped = optimise(ev, o, obs, start, trace);
    band = ev.ask(trace.u[trace.best], o.band_replicates);
  } catch (const StudyError&) {
    throw;  // (every rank has it: it came out of a batch)
  } catch (const std::exception& e) {
    ev.finish(e.what());
    throw StudyError(e.what(), false);
  }
  ev.finish("");
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const std::vector<double>& best = trace.u[trace.best];
  for (std::size_t i = 0; i < o.params.size(); ++i) {
    result.start.push_back(o.params[i].at(start[i]));
    result.fitted.push_back(o.params[i].at(best[i]));
  }
  result.objective = trace.objective[trace.best];
  result.evaluations = static_cast<int>(trace.u.size());
  double total = 0;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    FitRow row;
    row.observed = obs[i];
    std::vector<double> v;
    for (const auto& rep : band) v.push_back(rep[i]);
    row.mean = mean(v);
    row.quantiles = quantiles(v);
    row.relative_difference = std::fabs(relative(row.mean, obs[i].value));
    total += row.relative_difference;
    result.rows.push_back(std::move(row));
  }
  result.mean_relative_difference = total / static_cast<double>(obs.size());

  cluster.agree([&] {
    const std::string h5 = study_image(kCalibrationFileName, [&](hid_t file) {
      write_calibration_h5(file, study, o, trace, result);
    });
    write_study_dir(o.output, {{"fitted.toml", fitted_toml(study, o, result)},
                               {"fit.csv", fit_csv(result)},
                               {kCalibrationFileName, h5}});
    result.dir = o.output.dir;
  });
  return result;
}

}  // namespace rfsim::ensemble
