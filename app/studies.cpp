// The study subcommands (see studies.h): options, the chain cluster -> study -> workers ->
// command, and what rank 0 prints of the results.
#include "app/studies.h"

#include <omp.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/common.h"
#include "app/progress.h"
#include "app/signals.h"
#include "ensemble/calibrate.h"
#include "ensemble/cluster.h"
#include "ensemble/ensemble.h"
#include "ensemble/quantiles.h"
#include "ensemble/sensitivity.h"
#include "ensemble/sweep.h"
#include "geo/geography_cache.h"
#include "outputs/report.h"
#include "outputs/results_dir.h"

namespace fs = std::filesystem;

namespace rfsim::app {

using namespace ensemble;

namespace {

/// The figures printed for every study (all of them are in the files): the answers the
/// issue names and the programme's cost, in this order.
const char* const kHeadline[][2] = {
    {"peak_overflow", "peak overflow (persons)"},
    {"days_over_capacity", "days with a facility over capacity"},
    {kSpellOverCapacityMax, "longest spell of a facility over capacity (days)"},
    {"peak_gap_fte", "peak social-worker gap (FTE)"},
    {"peak_need_gap_fte", "peak social-worker gap, whole need (FTE)"},
    {"community_infectious_days", "infectious days in the community"},
    {"remigrated_total", "re-migrated irregularly"},
    {"unmet_need_weeks", "unmet need-weeks"},
    {"target_served", "people served (target 200,000)"},
    {"cost_total", "cost (USD)"},
    {"funding_gap_usd", "beyond the envelope (USD)"},
};

std::vector<std::pair<std::string, std::string>> headline(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, label] : kHeadline)
    if (std::find(names.begin(), names.end(), name) != names.end()) out.emplace_back(name, label);
  return out;
}

/// Threads per process when --threads is not given: OMP_NUM_THREADS if set; else the cores
/// this process may run on, shared among the ranks of its node when the launcher did not
/// bind each rank to its own cores (Open MPI's OMPI_COMM_WORLD_LOCAL_SIZE, MPICH's
/// MPI_LOCALNRANKS).
int default_threads() {
  if (std::getenv("OMP_NUM_THREADS")) return omp_get_max_threads();
  cpu_set_t set;
  CPU_ZERO(&set);
  const int usable =
      sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : omp_get_num_procs();
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  int local = 1;
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"})
    if (const char* v = std::getenv(name)) local = std::max(1, std::atoi(v));
  return std::max(1, usable < online ? usable : usable / local);
}

/// A command-line value that does not parse (exit status 2, as CLI11's own errors).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// After a study: true when nothing more is to be printed (another rank, or --quiet, which
/// prints the path of the results alone).
bool said_all(bool root, bool quiet, const fs::path& results) {
  if (root && quiet) std::cout << results.string() << "\n";
  return !root || quiet;
}

/// A statistic as a table shows it: whole above 1,000, else 4 significant digits.
std::string rounded(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 1000 ? "%.0f" : "%.4g", v);
  return buf;
}

std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(text.size() < width ? width - text.size() : 1, ' ');
}

}  // namespace

struct StudyCommands::Args {
  // common
  std::string scenario, out, seed;
  int threads = 0;
  std::vector<std::string> sets;
  bool force = false, quiet = false;
  bool no_report = false;  // the study file and CSV only
  // ensemble, sweep
  std::int64_t replicates = 0;
  int overflow_days = 7;
  double gap_threshold = std::nan("");
  std::int64_t memory_mb = 1024;
  std::vector<std::string> vary;
  // sensitivity, calibrate
  std::vector<std::string> params;
  std::int64_t samples = 512;
  int bootstrap = 1000;
  std::string observed, method = "sbplx";
  int band_replicates = 20, max_evals = 300;
  double tolerance = 1e-4;

  CLI::App *ensemble = nullptr, *sweep = nullptr, *sensitivity = nullptr, *calibrate = nullptr;
};

namespace {

/// A repeatable option, one value each time (--set, --vary, --param).
CLI::Option* repeatable(CLI::App* cmd, const std::string& name, std::vector<std::string>& values,
                        const std::string& help) {
  return cmd->add_option(name, values, help)->take_all()->allow_extra_args(false);
}

/// A whole-number option from `lo` to `hi` (`what` names the unit in messages).
template <typename T>
CLI::Option* whole(CLI::App* cmd, const std::string& name, T& value, const std::string& help,
                   const std::string& what, std::int64_t lo, std::int64_t hi) {
  return cmd->add_option(name, value, help)
      ->check(whole_number(
          "a whole number of " + what + " from " + std::to_string(lo) + " to " + std::to_string(hi),
          lo, hi));
}

void common_options(CLI::App* cmd, StudyCommands::Args& a, const std::string& what) {
  cmd->add_option("SCENARIO", a.scenario, "Scenario file (TOML)")->required();
  cmd->add_option("-o,--output", a.out,
                  "Output directory (default: runs/<scenario name>-" + what + ")");
  cmd->add_option("--threads", a.threads,
                  "Threads per process, each running whole runs (default: the cores it may "
                  "use, shared among the ranks of its node)")
      ->check(whole_number("a whole number of threads from 1 to 1024", 1, 1024));
  cmd->add_option("--seed", a.seed, "Random seed (overrides run.seed)")
      ->check(whole_number("a whole number from 0 to 2^63-1", 0, INT64_MAX));
  repeatable(cmd, "--set", a.sets, "Override a scenario key: dotted.key=value (repeatable)");
  cmd->add_flag("--force", a.force, "Replace an existing output directory");
  cmd->add_flag("-q,--quiet", a.quiet, "No progress bar; print only the output path");
}

void event_options(CLI::App* cmd, StudyCommands::Args& a) {
  whole(cmd, "--overflow-days", a.overflow_days,
        "Event: a facility over capacity on more than this many days (default 7)", "days", 0,
        100000);
  cmd->add_option("--gap-threshold", a.gap_threshold,
                  "Event: a peak social-worker gap above this many FTE (default: the scenario's "
                  "services.additional_workers)")
      ->check(CLI::NonNegativeNumber);
}

}  // namespace

StudyCommands::StudyCommands(CLI::App& app) : args_(std::make_unique<Args>()) {
  Args& a = *args_;
  a.ensemble = app.add_subcommand(
      "ensemble", "Run replicates 0..N-1 of a scenario: quantiles of every series, probabilities");
  common_options(a.ensemble, a, "ensemble");
  whole(a.ensemble, "-n,--replicates", a.replicates, "Replicates (N)", "replicates", 1, 10000000)
      ->required();
  whole(a.ensemble, "--memory", a.memory_mb,
        "MB of replicates rank 0 keeps in memory; more go to a temporary file (default 1024)", "MB",
        1, 10000000);
  event_options(a.ensemble, a);
  a.ensemble->add_flag("--no-report", a.no_report,
                       "Write ensemble.h5 and CSV only (no briefing or fan charts)");

  a.sweep = app.add_subcommand(
      "sweep", "Run a grid of scenario values, N replicates each (common random numbers)");
  common_options(a.sweep, a, "sweep");
  repeatable(a.sweep, "--vary", a.vary, "A key and its values: key=v1,v2,... (repeatable)")
      ->required();
  whole(a.sweep, "-n,--replicates", a.replicates, "Replicates per point (default 10)", "replicates",
        1, 1000000000);
  event_options(a.sweep, a);
  a.sweep->add_flag("--no-report", a.no_report,
                    "Write sweep.h5 and CSV only (no briefing or charts)");

  a.sensitivity = app.add_subcommand(
      "sensitivity", "Sobol indices of every figure over parameter ranges (Saltelli design)");
  common_options(a.sensitivity, a, "sensitivity");
  repeatable(a.sensitivity, "--param", a.params, "A key and its range: key=low:high (repeatable)")
      ->required();
  whole(a.sensitivity, "-n,--samples", a.samples,
        "Base samples N (runs: N x (parameters + 2)); a power of two", "samples", 2, 100000000)
      ->required();
  whole(a.sensitivity, "-r,--replicates", a.replicates,
        "Replicates averaged per design point (default 1)", "replicates", 1, 1000000);
  whole(a.sensitivity, "--bootstrap", a.bootstrap,
        "Bootstrap resamples for the confidence intervals (default 1000)", "resamples", 0, 1000000);
  a.sensitivity->add_flag("--no-report", a.no_report,
                          "Write sensitivity.h5 and CSV only (no briefing or charts)");

  a.calibrate = app.add_subcommand(
      "calibrate", "Fit scenario keys to observed counts (NLopt, derivative-free, bounded)");
  common_options(a.calibrate, a, "calibration");
  a.calibrate->add_option("--observed", a.observed, "CSV of date,series,column,value rows")
      ->required();
  repeatable(a.calibrate, "--param", a.params, "A key and its range: key=low:high (repeatable)")
      ->required();
  whole(a.calibrate, "-r,--replicates", a.replicates, "Replicates per evaluation (default 4)",
        "replicates", 1, 1000000);
  whole(a.calibrate, "--band-replicates", a.band_replicates,
        "Replicates at the fitted values for the report's bands (default 20)", "replicates", 1,
        1000000);
  whole(a.calibrate, "--max-evals", a.max_evals, "Most evaluations (default 300)", "evaluations", 1,
        1000000);
  a.calibrate->add_option("--method", a.method, "sbplx (default), bobyqa, neldermead or cobyla")
      ->check(CLI::IsMember({"sbplx", "bobyqa", "neldermead", "cobyla"}));
  a.calibrate
      ->add_option("--tolerance", a.tolerance,
                   "Stop when no parameter moves by more than this share of its range "
                   "(default 1e-4)")
      ->check(CLI::PositiveNumber);
  a.calibrate->add_flag(
      "--no-report", a.no_report,
      "Write fitted.toml, fit.csv and calibration.h5 only (no briefing or charts)");
}

StudyCommands::~StudyCommands() = default;

bool StudyCommands::selected() const {
  const Args& a = *args_;
  return *a.ensemble || *a.sweep || *a.sensitivity || *a.calibrate;
}

namespace {

int run_study(StudyCommands::Args& a, Cluster& cluster) {
  std::vector<Vary> vary;
  std::vector<ParamRange> params;
  try {
    for (const std::string& v : a.vary) vary.push_back(parse_vary(v));
    for (const std::string& p : a.params) params.push_back(parse_range(p));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  std::vector<std::string> overrides = a.sets;
  if (!a.seed.empty()) overrides.push_back("run.seed=" + a.seed);
  const bool root = cluster.root();
  const char* what = *a.ensemble      ? "ensemble"
                     : *a.sweep       ? "sweep"
                     : *a.sensitivity ? "sensitivity"
                                      : "calibration";
  OutputOptions output;
  output.force = a.force;
  output.threads = a.threads > 0 ? a.threads : default_threads();
  output.ranks = cluster.size();
  output.stop = &g_stop;
  output.notice = notice;

  // The scenario first, and the output directory, before the slower geography.
  std::optional<Study> study;
  cluster.agree([&] {
    const Scenario s = load_scenario(a.scenario, overrides);
    if (root)  // as `run` does, once
      for (const std::string& w : s.warnings) std::cerr << "rfsim: warning: " << w << "\n";
    output.dir = a.out.empty() ? default_output(s, a.scenario, std::string("-") + what)
                               : fs::path(a.out);
    if (root) outputs::check_output_dir(output.dir, a.force);
    study.emplace(a.scenario, overrides, geo::GeographyCache::from_environment());
  });
  Workers workers(cluster, output.threads, &g_stop);
  const bool show = root && !a.quiet;
  if (show)
    std::cerr << "rfsim: " << what << " of '" << study->scenario().name << "' on " << cluster.size()
              << " process(es) x " << output.threads << " thread(s)\n";

  if (*a.ensemble) {
    EnsembleOptions o;
    o.replicates = a.replicates;
    o.output = output;
    o.overflow_days = a.overflow_days;
    o.gap_threshold = a.gap_threshold;
    o.memory_budget = static_cast<std::size_t>(a.memory_mb) << 20;
    ProgressBar bar(show, "replicate");
    o.progress = [&](std::int64_t done, std::int64_t total) { bar.update(done, total); };
    const EnsembleResult r = run_ensemble(workers, *study, o);
    bar.finish();
    const auto report_start = std::chrono::steady_clock::now();
    const fs::path briefing = root ? write_briefing(output.dir, a.no_report) : fs::path();
    const double report_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - report_start).count();
    if (said_all(root, a.quiet, r.file)) return 0;
    std::printf("ensemble %s: %lld replicates in %.2f s (%.3f thread-seconds a replicate); "
                "then quantiles %.2f s, files %.2f s, briefing %.2f s\n",
                study->scenario().name.c_str(), static_cast<long long>(a.replicates), r.seconds,
                r.seconds * cluster.size() * output.threads / static_cast<double>(a.replicates),
                r.statistics_seconds, r.files_seconds, report_seconds);
    std::printf("  %s %9s  %-21s %9s\n", padded("", 50).c_str(), "median", "5% .. 95%", "mean");
    for (const auto& [name, label] : headline(r.figures.names())) {
      const auto q = quantiles(r.figures.values(name));
      std::printf("  %s %9s  %-21s %9s\n", padded(label, 50).c_str(), rounded(q[2]).c_str(),
                  (rounded(q[0]) + " .. " + rounded(q[4])).c_str(),
                  rounded(mean(r.figures.values(name))).c_str());
    }
    for (const Probability& p : r.probabilities)
      if (p.name.find('.') == std::string::npos)
        std::printf("  %5.1f%%  %s\n", 100 * p.value, p.description.c_str());
    std::printf("results: %s (and summary.csv, replicates.csv, probabilities.csv)\n",
                r.file.string().c_str());
    if (!briefing.empty())
      std::printf("briefing: %s (fan charts in %s)\n", briefing.string().c_str(),
                  (output.dir / outputs::kFiguresDir).string().c_str());
    return 0;
  }

  if (*a.sweep) {
    SweepOptions o;
    o.vary = vary;
    o.replicates = a.replicates > 0 ? a.replicates : 10;
    o.output = output;
    o.overflow_days = a.overflow_days;
    o.gap_threshold = a.gap_threshold;
    ProgressBar bar(show, "run");
    o.progress = [&](std::int64_t done, std::int64_t total) { bar.update(done, total); };
    const SweepResult r = run_sweep(workers, *study, o);
    bar.finish();
    const fs::path briefing = root ? write_briefing(output.dir, a.no_report) : fs::path();
    if (said_all(root, a.quiet, r.file)) return 0;
    std::printf("sweep %s: %zu points x %lld replicates in %.2f s (means)\n",
                study->scenario().name.c_str(), r.points.size(),
                static_cast<long long>(o.replicates), r.seconds);
    const auto heads = headline(r.figures.names());
    std::string header = "  point";
    for (const Vary& v : o.vary) header += "  " + v.key;
    for (const auto& [name, label] : heads) header += "  " + name;
    std::printf("%s\n", header.c_str());
    for (std::size_t p = 0; p < r.points.size(); ++p) {
      std::string line = "  " + padded(std::to_string(p), 5);
      for (std::size_t k = 0; k < o.vary.size(); ++k)
        line += "  " + padded(r.points[p][k], o.vary[k].key.size());
      for (const auto& [name, label] : heads) {
        const auto& v = r.figures.values(name);
        const auto first = v.begin() + static_cast<std::ptrdiff_t>(p * o.replicates);
        line += "  " + padded(rounded(mean(std::vector<double>(
                                  first, first + static_cast<std::ptrdiff_t>(o.replicates)))),
                              name.size());
      }
      std::printf("%s\n", line.c_str());
    }
    std::printf("results: %s (and sweep.csv, replicates.csv)\n", r.file.string().c_str());
    if (!briefing.empty())
      std::printf("briefing: %s (charts in %s)\n", briefing.string().c_str(),
                  (output.dir / outputs::kFiguresDir).string().c_str());
    return 0;
  }

  if (*a.sensitivity) {
    SensitivityOptions o;
    o.params = params;
    o.samples = a.samples;
    o.replicates = a.replicates > 0 ? static_cast<int>(a.replicates) : 1;
    o.bootstrap = a.bootstrap;
    o.output = output;
    ProgressBar bar(show, "run");
    o.progress = [&](std::int64_t done, std::int64_t total) { bar.update(done, total); };
    const SensitivityResult r = run_sensitivity(workers, *study, o);
    bar.finish();
    const fs::path briefing = root ? write_briefing(output.dir, a.no_report) : fs::path();
    if (said_all(root, a.quiet, r.file)) return 0;
    std::printf("sensitivity %s: %lld design points x %d replicate(s) in %.2f s\n",
                study->scenario().name.c_str(), static_cast<long long>(r.points), o.replicates,
                r.seconds);
    std::printf("  first-order [95%% interval] / total Sobol index of each parameter:\n");
    for (const auto& [name, label] : headline(r.figures)) {
      const SobolIndices& s = r.indices.at(name);
      if (!(s.variance > 0)) {  // NaN indices: say why, once
        std::printf("  %s: the same in every run (%s), no indices\n", label.c_str(),
                    rounded(s.mean).c_str());
        continue;
      }
      std::printf("  %s\n", label.c_str());
      for (std::size_t i = 0; i < params.size(); ++i)
        std::printf("    %s S1 %6.3f [%6.3f, %6.3f]  ST %6.3f [%6.3f, %6.3f]\n",
                    padded(params[i].key, 40).c_str(), s.first[i], s.first_low[i], s.first_high[i],
                    s.total[i], s.total_low[i], s.total_high[i]);
    }
    std::printf("results: %s (and sensitivity.csv, design.csv)\n", r.file.string().c_str());
    if (!briefing.empty())
      std::printf("briefing: %s (charts in %s)\n", briefing.string().c_str(),
                  (output.dir / outputs::kFiguresDir).string().c_str());
    return 0;
  }

  CalibrationOptions o;
  o.observed = a.observed;
  o.params = params;
  o.replicates = a.replicates > 0 ? static_cast<int>(a.replicates) : 4;
  o.band_replicates = a.band_replicates;
  o.max_evaluations = a.max_evals;
  o.method = a.method;
  o.tolerance = a.tolerance;
  o.output = output;
  ProgressBar bar(show, "evaluation");
  o.progress = [&](int done, int max, double best) {
    bar.update(done, max, "best J " + figure(best));
  };
  const CalibrationResult r = run_calibration(workers, *study, o);
  bar.finish();
  const fs::path briefing = root ? write_briefing(output.dir, a.no_report) : fs::path();
  if (said_all(root, a.quiet, r.dir / "fitted.toml")) return 0;
  std::printf("calibration %s: %d evaluations of %d replicate(s) in %.2f s; %s\n",
              study->scenario().name.c_str(), r.evaluations, o.replicates, r.seconds,
              r.stopped.c_str());
  for (std::size_t i = 0; i < params.size(); ++i)
    std::printf("  %s %s -> %s  (range %s .. %s)\n", padded(params[i].key, 36).c_str(),
                figure(r.start[i]).c_str(), figure(r.fitted[i]).c_str(),
                figure(params[i].low).c_str(), figure(params[i].high).c_str());
  std::printf("  objective %s, mean relative difference %.2f%% (%zu observations)\n",
              figure(r.objective).c_str(), 100 * r.mean_relative_difference, r.rows.size());
  std::printf("  %s %s %12s %12s  [5%% .. 95%%]\n", padded("date", 23).c_str(),
              padded("series / column", 40).c_str(), "observed", "fitted");
  for (const FitRow& row : r.rows)
    std::printf("  %s %s %12s %12s  [%s .. %s]\n", padded(row.observed.date, 23).c_str(),
                padded(row.observed.series + " / " + row.observed.column, 40).c_str(),
                figure(row.observed.value).c_str(), figure(row.mean).c_str(),
                figure(row.quantiles[0]).c_str(), figure(row.quantiles[4]).c_str());
  std::printf("results: %s (and fit.csv, calibration.h5)\n",
              (r.dir / "fitted.toml").string().c_str());
  if (!briefing.empty())
    std::printf("briefing: %s (charts in %s)\n", briefing.string().c_str(),
                (output.dir / outputs::kFiguresDir).string().c_str());
  return 0;
}

}  // namespace

int StudyCommands::run() {
  install_signal_handlers();
  std::optional<Cluster> cluster;
  try {
    cluster.emplace();
  } catch (const std::exception& e) {
    std::cerr << "rfsim: error: " << one_line(e.what()) << "\n";
    return 1;
  }
  try {
    return run_study(*args_, *cluster);
  } catch (const UsageError& e) {
    if (cluster->root()) std::cerr << "rfsim: error: " << e.what() << " (see rfsim --help)\n";
    return 2;
  } catch (const StudyError& e) {
    if (cluster->root()) {
      if (e.interrupted)
        std::cerr << "rfsim: interrupted; no results written\n";
      else
        std::cerr << "rfsim: error: " << one_line(e.what()) << "\n";
    }
    return e.interrupted ? interrupted_exit_code() : 1;
  } catch (const std::exception& e) {
    // (an error outside the collective phases happens alike on every rank: one says so)
    if (cluster->root()) std::cerr << "rfsim: error: " << one_line(e.what()) << "\n";
    return 1;
  }
}

}  // namespace rfsim::app
