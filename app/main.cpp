// The rfsim command line (thin): parses arguments, then chains the library calls
// scenario -> geography -> resolve -> simulate -> results, with a progress bar, signal
// handling and one-line errors; and, for checkpointed runs, their resume, branches from a
// checkpoint and reruns from a results file. All the work lives in the libraries.
#include <omp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/common.h"
#include "app/progress.h"
#include "app/signals.h"
#include "app/studies.h"
#include "base/freed_memory.h"
#include "base/text.h"
#include "ensemble/cluster.h"
#include "geo/geography.h"
#include "outputs/checkpoint.h"
#include "outputs/provenance.h"
#include "outputs/reader.h"
#include "outputs/report.h"
#include "outputs/results_dir.h"
#include "outputs/run_dir.h"
#include "outputs/writer.h"
#include "rfsim/version.h"
#include "scenarios/parameters.h"
#include "scenarios/scenario.h"
#include "sim/branch.h"
#include "sim/deployment.h"
#include "sim/engine.h"
#include "sim/places.h"
#include "sim/world.h"

namespace fs = std::filesystem;
using namespace rfsim;
using app::default_output;
using app::figure;
using app::g_stop;
using app::interrupted_exit_code;
using app::install_signal_handlers;
using app::notice;
using app::whole_number;

namespace {

struct Loaded {
  Scenario scenario;
  geo::Geography geography;
  sim::Places places;
};

/// Builds the scenario's geography (or reads it from the cache) and resolves every place the
/// scenario names.
void place(Loaded& l) {
  l.geography = app::scenario_geography(l.scenario);
  geo::Locator locator(l.geography);
  l.places = sim::resolve_places(l.scenario, l.geography, &locator);
}

/// Loads the scenario and prints its warnings ("rfsim: warning: ...") on stderr.
Scenario load_and_warn(const std::string& path, const std::vector<std::string>& overrides) {
  Scenario s = load_scenario(path, overrides);
  for (const std::string& w : s.warnings) std::cerr << "rfsim: warning: " << w << "\n";
  return s;
}

/// Loads the scenario, builds its geography and resolves every place name.
Loaded load(const std::string& path, const std::vector<std::string>& overrides) {
  Loaded l;
  l.scenario = load_and_warn(path, overrides);
  place(l);
  return l;
}

const char* mode_name(QuarantineMode m) {
  switch (m) {
    case QuarantineMode::None:
      return "no quarantine";
    case QuarantineMode::Symptomatic:
      return "symptomatic returnees quarantined";
    default:
      return "mandatory quarantine";
  }
}

/// The key figures and where the results are (stdout), or only the path with --quiet.
void print_results(const Scenario& scenario, const geo::Geography& geography,
                   const sim::RunResult& result, const fs::path& h5, double run_secs,
                   const sim::Deployment& deployment, double deploy_secs, const fs::path& dir,
                   const fs::path& briefing, bool quiet) {
  if (quiet) {
    std::cout << h5.string() << "\n";
    return;
  }
  std::cout << "scenario " << scenario.name << " (seed " << scenario.seed << ", replicate "
            << scenario.replicate << "): " << result.agents << " agents, "
            << scenario.horizon_days << " days in " << figure(std::round(run_secs * 100) / 100)
            << " s\n";
  int beds = 0;
  for (const auto& f : scenario.facilities) beds += f.capacity;
  // The headline figures a planner asks for first; all of them are in summary.csv.
  const std::pair<const char*, const char*> key_figures[] = {
      {"arrivals_total", "returnees arrived"},
      {"peak_occupancy", "peak quarantine occupancy (beds)"},
      {"peak_overflow", "peak overflow (persons)"},
      {"overflow_total", "total overflow"},
      {"days_over_capacity", "days with a facility over capacity"},
      {"positives_found", "positives found"},
      {"community_infectious_days", "infectious days in the community"},
      {"left_study_area", "left the study area"},
      {"peak_demand_fte", "peak social-worker demand (FTE)"},
      {"peak_gap_fte", "peak social-worker gap (FTE)"},
      {"packages_delivered", "reintegration packages delivered"},
      {"remigrated_total", "re-migrated irregularly"},
      {"vulnerable_reached", "vulnerable returnees reached"},
      {"target_served", "people served (target 200,000)"},
      {"cost_total", "cost (USD)"},
      {"funding_gap_usd", "beyond the envelope (USD)"},
  };
  int shown_figures = 0;
  for (const auto& [key, label] : key_figures) {
    auto it = result.summary.find(key);
    if (it == result.summary.end()) continue;
    std::string text = label;
    std::cout << "  " << text << std::string(text.size() < 38 ? 38 - text.size() : 1, ' ')
              << figure(it->second);
    if (std::string(key) == "peak_occupancy") std::cout << " of " << beds;
    std::cout << "\n";
    ++shown_figures;
  }
  if (shown_figures == 0)
    for (const auto& [k, v] : result.summary)
      std::cout << "  " << k << std::string(k.size() < 38 ? 38 - k.size() : 1, ' ') << figure(v)
                << "\n";
  if (!result.worker_recommendation.empty()) {
    std::cout << "  additional social workers to:";
    int shown = 0;
    for (const auto& [d, n] : result.worker_recommendation) {
      if (shown++ == 8) {
        std::cout << " ...";
        break;
      }
      std::cout << (shown > 1 ? ", " : " ") << geography.display_name(d) << " " << n;
    }
    std::cout << "\n";
    const auto& s = result.summary;
    if (s.count("unmet_need_weeks.recommended"))
      std::cout << "  unmet need-weeks with them: " << figure(std::round(s.at("unmet_need_weeks.recommended")))
                << " (uniform " << figure(std::round(s.at("unmet_need_weeks.uniform")))
                << ", by population " << figure(std::round(s.at("unmet_need_weeks.by_population")))
                << ", none " << figure(std::round(s.at("unmet_need_weeks.none"))) << "; "
                << deployment.runs << " runs in " << figure(std::round(deploy_secs * 100) / 100)
                << " s)\n";
  }
  std::cout << "results: " << h5.string() << " (" << result.summary.size()
            << " summary figures in summary.csv; all tables as CSV in " << dir.string() << ")\n";
  if (!briefing.empty())
    std::cout << "briefing: " << briefing.string() << " (maps and charts in "
              << (dir / outputs::kFiguresDir).string() << ", GIS layers in "
              << (dir / outputs::kGeoPackageName).string() << ")\n";
}

/// The runs of a lineage, oldest first, each scenario as written: the originals a run
/// branched from (its lineage, newest first) and the run's own scenario `last`.
std::vector<sim::Stage> lineage_stages(const outputs::Lineage& lineage, const Scenario& last) {
  std::vector<sim::Stage> stages;
  for (auto b = lineage.rbegin(); b != lineage.rend(); ++b)
    stages.push_back({load_scenario_text(b->scenario_toml, b->scenario_path), b->day});
  stages.push_back({last, 0});
  return stages;
}

/// Where the scenario's additional social workers go (services.additional_workers > 0),
/// into `result`; the seconds it took. Each of the optimiser's runs is a whole run from
/// day 0: for a branch (more than one stage), its lineage replayed in memory with the
/// additional workers in every stage, so that the recommendation is the same whether the
/// run was interrupted, resumed, branched or rerun, and a branch that changes nothing
/// recommends what its original did.
sim::Deployment deploy(const Scenario& scenario, const geo::Geography& geography,
                       const sim::Places& places, const std::vector<sim::Stage>& stages,
                       int threads, sim::RunResult& result, double& secs) {
  sim::Deployment deployment;
  if (scenario.services.additional_workers <= 0) return deployment;
  const auto t0 = std::chrono::steady_clock::now();
  sim::RunWithExtra run_with;
  std::optional<geo::Locator> locator;
  if (stages.size() > 1) {
    locator.emplace(geography);
    run_with = [&](const std::vector<int>& extra) {
      sim::RunOptions one;
      one.threads = 1;
      one.stop = &g_stop;
      return sim::simulate_lineage(stages, geography, &*locator, one, extra);
    };
  }
  deployment = sim::recommend_deployment(scenario, geography, places, threads, run_with, &g_stop);
  sim::add_deployment(result, deployment);
  if (g_stop) throw sim::Interrupted();
  secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return deployment;
}

/// One run to its results directory: from day 0, or continuing a saved state (resume,
/// branch); with checkpoints when asked.
struct Job {
  const Scenario* scenario = nullptr;  ///< what the model runs
  const geo::Geography* geography = nullptr;
  const sim::Places* places = nullptr;
  const sim::StateReader* start = nullptr;  ///< the state it continues, if any
  int start_day = 0;  ///< the day of that state (0 from day 0)
  fs::path dir;
  bool force = false;
  int threads = 1;
  bool quiet = false;
  bool no_report = false;    ///< results.h5 and CSV only
  int checkpoint_every = 0;  ///< 0: no checkpoints
  int keep_checkpoints = 0;
  bool existing_dir = false;  ///< dir is this run's, with checkpoints, locked (resume)
  outputs::Inputs inputs;     ///< recorded in results and checkpoints
  outputs::Lineage lineage;
  /// A branch's lineage (lineage_stages), for the deployment optimiser; empty otherwise.
  std::vector<sim::Stage> stages;
};

/// Simulates with a progress bar, interruption and checkpoints, then writes the results.
int execute(const Job& job) {
  app::ProgressBar progress(!job.quiet, "day");
  progress.start_at(job.start_day);
  sim::RunOptions options;
  options.threads = job.threads;
  options.stop = &g_stop;
  options.start = job.start;
  options.on_day = [&](int day, int horizon) { progress.update(day + 1, horizon); };
  std::optional<outputs::Checkpointer> checkpoints;
  if (job.checkpoint_every > 0) {
    outputs::CheckpointOptions o{job.dir,  job.keep_checkpoints, job.force, job.existing_dir,
                                 job.threads, notice};
    checkpoints.emplace(o, outputs::checkpoint_meta(*job.scenario, job.inputs, job.lineage,
                                                    job.threads, job.checkpoint_every,
                                                    job.keep_checkpoints));
    options.checkpoint_every = job.checkpoint_every;
    options.checkpoint = [&](int day, const sim::SaveState& save) {
      checkpoints->checkpoint(day, save);
    };
  }
  try {
    const auto t0 = std::chrono::steady_clock::now();
    sim::RunResult result = sim::simulate(*job.scenario, *job.geography, *job.places, options);
    progress.finish();
    if (g_stop) throw sim::Interrupted();
    const double run_secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double deploy_secs = 0;
    const sim::Deployment deployment = deploy(*job.scenario, *job.geography, *job.places,
                                              job.stages, job.threads, result, deploy_secs);

    outputs::WriteOptions w;
    w.dir = job.dir;
    w.force = job.force;
    w.threads = job.threads;
    w.ranks = 1;
    w.stop = &g_stop;
    w.notice = notice;
    w.inputs = job.inputs;
    w.lineage = job.lineage;
    w.into_run_dir = checkpoints && checkpoints->has_dir();
    // The last checkpoint is written while the results are made, and is on disk before
    // they move in.
    if (checkpoints) w.before_commit = [&] { checkpoints->finish(); };
    const fs::path h5 = outputs::write_results(*job.scenario, *job.geography, result, w);
    const fs::path briefing = app::write_briefing(job.dir, job.no_report);
    print_results(*job.scenario, *job.geography, result, h5, run_secs, deployment, deploy_secs,
                  job.dir, briefing, job.quiet);
    return 0;
  } catch (const sim::Interrupted&) {
    progress.finish();
    if (!checkpoints || !checkpoints->has_dir()) throw;
    std::cerr << "rfsim: interrupted; " << job.dir.string()
              << " holds the checkpoints written so far: rfsim resume " << job.dir.string()
              << " continues the run\n";
    return interrupted_exit_code();
  }
}

// ---- subcommands ------------------------------------------------------------------------

struct RunArgs {
  std::string scenario;
  std::string out;
  int threads = 0;
  std::string seed;
  std::vector<std::string> sets;
  bool force = false;
  bool quiet = false;
  bool no_report = false;
  int checkpoint_every = 0;
  int keep_checkpoints = 0;
  std::string from;
};

/// A checkpoint continued by this rfsim: refused, saying by which, when another wrote it.
void check_writer(const outputs::Checkpoint& c, const std::string& why) {
  const std::string other = outputs::other_rfsim(c.meta().rfsim_version, c.meta().git_commit);
  if (!other.empty())
    throw outputs::OutputError(c.path().string() + " was written by " + other + "; this is " +
                               outputs::this_rfsim() + ": " + why);
}

/// The branch point a run from `checkpoint` records, before its original's own.
outputs::Lineage lineage_from(const outputs::Checkpoint& checkpoint, const Scenario& changed,
                              const std::vector<sim::Difference>& differences) {
  const outputs::CheckpointMeta& m = checkpoint.meta();
  outputs::BranchPoint b;
  b.day = m.day;
  b.date = changed.date_of(m.day);
  b.checkpoint = fs::absolute(checkpoint.path()).lexically_normal().string();
  const fs::path folder = fs::path(b.checkpoint).parent_path();
  if (folder.filename() == outputs::kCheckpointsDir) b.original_dir = folder.parent_path().string();
  for (const sim::Difference& d : differences) b.differences.push_back(d.text());
  b.scenario_name = m.scenario_name;
  b.scenario_path = m.scenario_path;
  b.scenario_toml = m.scenario_toml;
  outputs::Lineage lineage{b};
  lineage.insert(lineage.end(), m.lineage.begin(), m.lineage.end());
  return lineage;
}

int cmd_run(const RunArgs& a) {
  install_signal_handlers();
  std::vector<std::string> overrides = a.sets;
  if (!a.seed.empty()) overrides.push_back("run.seed=" + a.seed);

  Loaded l;
  l.scenario = load_and_warn(a.scenario, overrides);
  std::optional<outputs::Checkpoint> from;
  if (!a.from.empty()) {
    from.emplace(a.from);
    check_writer(*from, "a checkpoint is continued only by the rfsim that wrote it");
  }
  const fs::path dir =
      !a.out.empty() ? fs::path(a.out)
      : from ? default_output(l.scenario, a.scenario, "-from-day-" + std::to_string(from->meta().day))
             : default_output(l.scenario, a.scenario, "");
  outputs::check_output_dir(dir, a.force);  // before the slower geography
  place(l);
  if (g_stop) throw sim::Interrupted();

  Job job;
  job.threads = a.threads > 0 ? a.threads : omp_get_max_threads();
  job.inputs = outputs::input_checksums(l.scenario, l.geography);
  if (from) {
    const outputs::CheckpointMeta& m = from->meta();
    outputs::check_inputs(m.inputs, l.geography.input_checksums, false,
                          "the original run (" + from->path().string() + ")");
    const Scenario original = load_scenario_text(m.scenario_toml, m.scenario_path);
    sim::Branch branch = sim::plan_branch(original, sim::saved_first_id(*from), l.scenario, m.day);
    job.lineage = lineage_from(*from, l.scenario, branch.differences);
    job.stages = lineage_stages(job.lineage, l.scenario);
    l.scenario = std::move(branch.scenario);  // (its places are those resolved above)
    if (!a.quiet) {
      std::cerr << "rfsim: branch of '" << m.scenario_name << "' from day " << m.day << " ("
                << l.scenario.date_of(m.day) << "), " << from->path().string() << ": ";
      if (branch.differences.empty()) std::cerr << "no change (it reproduces the original)";
      std::cerr << "\n";
      for (const auto& d : branch.differences) std::cerr << "  " << d.text() << "\n";
    }
  }
  if (!a.quiet)
    std::cerr << "rfsim: running '" << l.scenario.name << "': " << l.scenario.horizon_days
              << " days, " << l.geography.study_indices().size() << " study districts, "
              << job.threads << " thread(s)"
              << (a.checkpoint_every > 0
                      ? ", a checkpoint every " + std::to_string(a.checkpoint_every) + " days"
                      : std::string())
              << "\n";
  job.scenario = &l.scenario;
  job.geography = &l.geography;
  job.places = &l.places;
  job.start = from ? &*from : nullptr;
  job.start_day = from ? from->meta().day : 0;
  job.dir = dir;
  job.force = a.force;
  job.quiet = a.quiet;
  job.no_report = a.no_report;
  job.checkpoint_every = a.checkpoint_every;
  job.keep_checkpoints = a.keep_checkpoints;
  return execute(job);
}

struct ResumeArgs {
  std::string dir;
  int threads = 0;
  bool quiet = false;
  bool no_report = false;
};

int cmd_resume(const ResumeArgs& a) {
  install_signal_handlers();
  const fs::path dir = fs::path(a.dir).lexically_normal();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw outputs::OutputError(dir.string() + ": no such run directory");
  if (fs::exists(dir / outputs::kResultsFileName, ec))
    throw outputs::OutputError(dir.string() + ": the run is complete (" +
                               outputs::kResultsFileName + " is there); nothing to resume");
  const outputs::DirectoryLock lock(dir);  // (refused while a live run writes into it)
  if (const std::string line = outputs::remove_checkpoint_temporaries(dir); !line.empty())
    notice(line);
  const auto checkpoints = outputs::list_checkpoints(dir);
  if (checkpoints.empty())
    throw outputs::OutputError(dir.string() + ": no checkpoint to resume from (no " +
                               (dir / outputs::kCheckpointsDir / "day-NNNN.h5").string() + ")");
  std::optional<geo::Geography> geography;
  std::vector<std::string> unusable;
  // The newest checkpoint that reads whole; a damaged one is passed over with a warning.
  for (const auto& [day, path] : checkpoints) {
    if (g_stop) throw sim::Interrupted();
    try {
      const outputs::Checkpoint checkpoint(path);
      const outputs::CheckpointMeta& m = checkpoint.meta();
      check_writer(checkpoint, "a run resumes only with the rfsim that started it");
      Loaded l;
      l.scenario = load_scenario_text(m.scenario_toml, m.scenario_path);
      std::vector<sim::Stage> stages;
      if (!m.lineage.empty()) {  // a branch runs its arrivals as its state has them
        stages = lineage_stages(m.lineage, l.scenario);
        l.scenario = sim::with_arrivals(l.scenario, sim::saved_first_id(checkpoint));
      }
      if (!geography) geography = app::scenario_geography(l.scenario);
      outputs::check_inputs(m.inputs, geography->input_checksums, true,
                            "the run started (" + path.string() + ")");
      geo::Locator locator(*geography);
      l.places = sim::resolve_places(l.scenario, *geography, &locator);
      Job job;
      job.scenario = &l.scenario;
      job.geography = &*geography;
      job.places = &l.places;
      job.start = &checkpoint;
      job.start_day = m.day;
      job.dir = dir;
      job.threads = a.threads > 0 ? a.threads : std::max(1, m.threads);
      job.quiet = a.quiet;
      job.no_report = a.no_report;
      job.checkpoint_every = m.checkpoint_every;
      job.keep_checkpoints = m.keep_checkpoints;
      job.existing_dir = true;
      job.inputs = m.inputs;
      job.lineage = m.lineage;
      job.stages = std::move(stages);
      if (!a.quiet)
        std::cerr << "rfsim: resuming '" << m.scenario_name << "' from day " << m.day << " of "
                  << m.horizon_days << " (" << path.string() << "), " << job.threads
                  << " thread(s)\n";
      return execute(job);
    } catch (const outputs::OutputError& e) {
      if (!std::string_view(e.what()).starts_with(path.string() + ": ")) throw;
      std::cerr << "rfsim: warning: " << e.what() << "; trying the checkpoint before it\n";
      unusable.push_back(path.filename().string());
    } catch (const sim::StateError& e) {
      std::cerr << "rfsim: warning: " << e.what() << "; trying the checkpoint before it\n";
      unusable.push_back(path.filename().string());
    }
  }
  throw outputs::OutputError(dir.string() + ": no usable checkpoint (" +
                             text::join_prose(unusable) + " cannot be read)");
}

struct RerunArgs {
  std::string results;
  std::string out;
  int threads = 0;
  bool force = false;
  bool quiet = false;
  bool no_report = false;
};

int cmd_rerun(const RerunArgs& a) {
  install_signal_handlers();
  const outputs::Results r = outputs::read_info(a.results);
  const outputs::Results::Meta& m = r.meta;
  if (const std::string other = outputs::other_rfsim(m.rfsim_version, m.git_commit); !other.empty())
    std::cerr << "rfsim: warning: " << r.path.string() << " was written by " << other
              << "; this is " << outputs::this_rfsim() << ": the rerun may differ\n";
  // The run and the originals it branched from, oldest first, each as written.
  const std::vector<sim::Stage> stages =
      lineage_stages(m.branch, load_scenario_text(m.scenario_toml, m.scenario_path));
  const Scenario& scenario = stages.back().scenario;
  const fs::path dir = !a.out.empty() ? fs::path(a.out)
                                      : default_output(scenario, m.scenario_path, "-rerun");
  outputs::check_output_dir(dir, a.force);
  const geo::Geography geography = app::scenario_geography(scenario);
  outputs::Inputs recorded;
  for (const auto& i : r.inputs) recorded.emplace_back(i.path, i.sha256);
  outputs::check_inputs(recorded, geography.input_checksums, true,
                        r.path.string() + " was written");
  if (g_stop) throw sim::Interrupted();
  const int threads = a.threads > 0 ? a.threads : omp_get_max_threads();
  if (!a.quiet)
    std::cerr << "rfsim: rerunning '" << m.scenario_name << "' from " << r.path.string()
              << (m.branch.empty() ? std::string()
                                   : " (a branch: its originals rerun first, in memory)")
              << ", " << threads << " thread(s)\n";

  app::ProgressBar progress(!a.quiet, "day");
  sim::RunOptions options;
  options.threads = threads;
  options.stop = &g_stop;
  options.on_day = [&](int day, int horizon) { progress.update(day + 1, horizon); };
  const geo::Locator locator(geography);
  const auto t0 = std::chrono::steady_clock::now();
  sim::RunResult result = sim::simulate_lineage(stages, geography, &locator, options);
  progress.finish();
  if (g_stop) throw sim::Interrupted();
  const double run_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double deploy_secs = 0;
  const sim::Deployment deployment =
      deploy(scenario, geography, sim::resolve_places(scenario, geography, &locator), stages,
             threads, result, deploy_secs);
  outputs::WriteOptions w;
  w.dir = dir;
  w.force = a.force;
  w.threads = threads;
  w.stop = &g_stop;
  w.notice = notice;
  w.inputs = recorded;
  w.lineage = m.branch;
  const fs::path h5 = outputs::write_results(scenario, geography, result, w);
  const fs::path briefing = app::write_briefing(dir, a.no_report);
  print_results(scenario, geography, result, h5, run_secs, deployment, deploy_secs, dir, briefing,
                a.quiet);
  return 0;
}

int cmd_validate(const std::string& path, const std::vector<std::string>& sets) {
  Loaded l = load(path, sets);
  const Scenario& s = l.scenario;
  const auto& g = l.geography;
  std::cout << "scenario    " << s.name << " (" << s.source_path << ")\n"
            << "period      " << s.horizon_days << " days from " << s.start_date << ", seed "
            << s.seed << ", replicate " << s.replicate << "\n";
  std::cout << "study area  ";
  for (size_t i = 0; i < s.study_provinces.size(); ++i)
    std::cout << (i ? ", " : "") << s.study_provinces[i];
  std::cout << ": " << g.study_indices().size() << " of " << g.size() << " districts\n"
            << "arrivals    " << s.arrivals.total << " returnees (" << s.arrivals.kind << ")\n"
            << "entry points " << s.entry_points.size() << "\n";
  for (size_t i = 0; i < s.entry_points.size(); ++i) {
    const auto& e = s.entry_points[i];
    const int d = l.places.entry_district[i];
    std::cout << "  " << e.name << " (" << (e.formal ? "formal" : "informal") << ") in "
              << g.display_name(d) << ", " << g.districts[d].province
              << (g.districts[d].study_area ? "" : " [outside the study area]") << "\n";
  }
  std::cout << "policy in force\n";
  for (const PolicyPeriod& p : s.policies)
    std::cout << "  from " << s.date_of(p.from) << ": " << mode_name(p.mode) << ", "
              << p.stay_days << " days, entry test " << (p.test_at_entry ? "yes" : "no")
              << ", exit test " << (p.test_at_exit ? "yes" : "no") << "\n";
  int beds = 0;
  for (const auto& f : s.facilities) beds += f.capacity;
  std::cout << "facilities  " << s.facilities.size() << " (" << beds << " beds)\n";
  for (size_t i = 0; i < s.facilities.size(); ++i)
    std::cout << "  " << s.facilities[i].name << ": " << s.facilities[i].capacity << " beds in "
              << g.display_name(l.places.facility_district[i]) << ", open from day "
              << s.facilities[i].opens << "\n";
  double workers = 0;
  int districts = 0;
  for (double n : l.places.deployed_workers) workers += n, districts += n > 0 ? 1 : 0;
  std::cout << "social workers " << figure(workers) << " deployed in " << districts
            << " district(s), " << s.services.additional_workers << " additional to place\n"
            << "ok: scenario is valid\n";
  return 0;
}

int cmd_params(bool markdown) {
  std::cout << (markdown ? params::markdown() : params::text_listing());
  return 0;
}

int cmd_report(const std::string& dir) {
  const fs::path briefing = outputs::write_report(dir);
  std::cout << "briefing: " << briefing.string() << "\n";
  return 0;
}

int cmd_compare(const std::vector<std::string>& runs, const std::string& out, bool force) {
  outputs::CompareOptions options;
  options.out = out;
  options.force = force;
  std::vector<fs::path> paths(runs.begin(), runs.end());
  const std::string table = outputs::write_comparison(paths, options);
  std::cout << table << "comparison: " << (fs::path(out) / "comparison.html").string() << "\n";
  return 0;
}

int cmd_info(const std::string& path) {
  outputs::print_info(outputs::read_info(path), std::cout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();  // for every command (base/freed_memory.h)
  CLI::App app{
      "rfsim: agent-based simulator of migrants returning from Thailand to Cambodia "
      "(quarantine load, social-worker demand, reintegration) on real district boundaries.",
      "rfsim"};
  app.set_version_flag("--version", outputs::this_rfsim(), "Print the version and git commit");
  app.require_subcommand(1);
  app.fallthrough(false);

  const char* const kNoReport =
      "Write results.h5 and CSV only (no briefing, figures or GeoPackage)";
  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario and write its results directory");
  run_cmd->add_option("SCENARIO", run.scenario, "Scenario file (TOML)")->required();
  run_cmd->add_option("-o,--output", run.out, "Results directory (default: runs/<scenario name>)");
  run_cmd->add_option("--threads", run.threads, "OpenMP threads, at least 1 (default: all)")
      ->check(whole_number("a whole number of threads from 1 to 1024", 1, 1024));
  run_cmd->add_option("--seed", run.seed, "Random seed (overrides run.seed)")
      ->check(whole_number("a whole number from 0 to 2^63-1", 0, INT64_MAX));
  run_cmd->add_option("--set", run.sets, "Override a scenario key: dotted.key=value (repeatable)")
      ->take_all()
      ->allow_extra_args(false);
  run_cmd->add_flag("--force", run.force, "Replace an existing results directory");
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress bar; print only the results path");
  run_cmd->add_flag("--no-report", run.no_report, kNoReport);
  auto* every = run_cmd
      ->add_option("--checkpoint-every", run.checkpoint_every,
                   "Write the whole state every N days to DIR/checkpoints/day-NNNN.h5")
      ->check(whole_number("a whole number of days from 1 to 65000", 1, 65000));
  run_cmd
      ->add_option("--keep-checkpoints", run.keep_checkpoints,
                   "Keep only the newest K checkpoints (default: all)")
      ->check(whole_number("a whole number of checkpoints from 1 to 65000", 1, 65000))
      ->needs(every);
  run_cmd->add_option("--from", run.from,
                      "Branch from this checkpoint: the past is its run's, SCENARIO (with "
                      "--set) applies from its day on");

  ResumeArgs resume;
  auto* resume_cmd = app.add_subcommand(
      "resume", "Continue an interrupted checkpointed run from its last complete checkpoint");
  resume_cmd->add_option("DIR", resume.dir, "The run's results directory")->required();
  resume_cmd->add_option("--threads", resume.threads, "OpenMP threads (default: the run's)")
      ->check(whole_number("a whole number of threads from 1 to 1024", 1, 1024));
  resume_cmd->add_flag("-q,--quiet", resume.quiet, "No progress bar; print only the results path");
  resume_cmd->add_flag("--no-report", resume.no_report, kNoReport);

  RerunArgs rerun;
  auto* rerun_cmd = app.add_subcommand(
      "rerun", "Run again what a results file records (scenario, seed, branch points)");
  rerun_cmd->add_option("RESULTS", rerun.results, "results.h5 or a results directory")->required();
  rerun_cmd->add_option("-o,--output", rerun.out,
                        "Results directory (default: runs/<scenario name>-rerun)");
  rerun_cmd->add_option("--threads", rerun.threads, "OpenMP threads, at least 1 (default: all)")
      ->check(whole_number("a whole number of threads from 1 to 1024", 1, 1024));
  rerun_cmd->add_flag("--force", rerun.force, "Replace an existing results directory");
  rerun_cmd->add_flag("-q,--quiet", rerun.quiet, "No progress bar; print only the results path");
  rerun_cmd->add_flag("--no-report", rerun.no_report, kNoReport);

  std::string report_dir;
  auto* report_cmd = app.add_subcommand(
      "report",
      "Write a results directory's briefing, figures and GeoPackage from results.h5 (or a "
      "study directory's briefing and charts from its ensemble, sweep, sensitivity or "
      "calibration file)");
  report_cmd->add_option("DIR", report_dir, "Results or study directory (or its .h5 file)")
      ->required();

  std::vector<std::string> compare_runs;
  std::string compare_out;
  bool compare_force = false;
  auto* compare_cmd = app.add_subcommand(
      "compare", "Compare runs: key figures side by side, overlaid charts, difference maps");
  compare_cmd->add_option("RUNS", compare_runs, "Results directories; the first is the reference")
      ->required()
      ->expected(2, 64);
  compare_cmd->add_option("-o,--output", compare_out, "Comparison directory to create")->required();
  compare_cmd->add_flag("--force", compare_force, "Replace an existing comparison directory");

  std::string validate_path;
  std::vector<std::string> validate_sets;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Check a scenario against the geography and print a summary; writes nothing");
  validate_cmd->add_option("SCENARIO", validate_path, "Scenario file (TOML)")->required();
  validate_cmd->add_option("--set", validate_sets, "Override a scenario key: dotted.key=value")
      ->take_all()
      ->allow_extra_args(false);

  std::string info_path;
  auto* info_cmd = app.add_subcommand("info", "Describe a results file (meta, sizes, summary)");
  info_cmd->add_option("RESULTS", info_path, "results.h5 or a results directory")->required();

  bool params_markdown = false;
  auto* params_cmd = app.add_subcommand(
      "params", "List every scenario key with its default, units, range, meaning and source");
  params_cmd->add_flag("--markdown", params_markdown,
                       "As the Markdown tables of scenarios/README.md");

  app::StudyCommands studies(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // (under mpirun every rank parses the same arguments: one of them says so)
    if (ensemble::launcher_rank() == 0)
      std::cerr << "rfsim: error: " << e.what() << " (see rfsim --help)\n";
    return 2;
  }

  if (studies.selected()) return studies.run();
  try {
    if (*run_cmd) return cmd_run(run);
    if (*resume_cmd) return cmd_resume(resume);
    if (*rerun_cmd) return cmd_rerun(rerun);
    if (*report_cmd) return cmd_report(report_dir);
    if (*compare_cmd) return cmd_compare(compare_runs, compare_out, compare_force);
    if (*validate_cmd) return cmd_validate(validate_path, validate_sets);
    if (*info_cmd) return cmd_info(info_path);
    if (*params_cmd) return cmd_params(params_markdown);
  } catch (const sim::Interrupted&) {
    std::cerr << "rfsim: interrupted; no results written\n";
    return interrupted_exit_code();
  } catch (const std::exception& e) {
    std::cerr << "rfsim: error: " << app::one_line(e.what()) << "\n";
    return 1;
  }
  return 2;
}
