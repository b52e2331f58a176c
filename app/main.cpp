// The rfsim command line (thin): parses arguments, then chains the library calls
// scenario -> geography -> resolve -> simulate -> results, with a progress bar, signal
// handling and one-line errors. All the work lives in the libraries.
#include <omp.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "app/common.h"
#include "app/progress.h"
#include "app/signals.h"
#include "app/studies.h"
#include "ensemble/cluster.h"
#include "geo/geography.h"
#include "outputs/reader.h"
#include "outputs/results_dir.h"
#include "outputs/writer.h"
#include "rfsim/version.h"
#include "scenarios/parameters.h"
#include "scenarios/scenario.h"
#include "sim/deployment.h"
#include "sim/engine.h"
#include "sim/places.h"

namespace fs = std::filesystem;
using namespace rfsim;
using app::figure;
using app::g_stop;
using app::scenario_label;
using app::whole_number;

namespace {

std::string version_text() {
  return std::string("rfsim ") + kVersion + " (commit " + kGitCommit + ")";
}

struct Loaded {
  Scenario scenario;
  geo::Geography geography;
  sim::Places places;
};

/// Builds the scenario's geography and resolves every place the scenario names.
void place(Loaded& l) {
  l.geography = geo::build_geography(sim::geo_inputs(l.scenario));
  geo::Locator locator(l.scenario.adm2_file, l.geography);
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

// ---- subcommands ------------------------------------------------------------------------

struct RunArgs {
  std::string scenario;
  std::string out;
  int threads = 0;
  std::string seed;
  std::vector<std::string> sets;
  bool force = false;
  bool quiet = false;
};

int cmd_run(const RunArgs& a) {
  app::install_signal_handlers();
  std::vector<std::string> overrides = a.sets;
  if (!a.seed.empty()) overrides.push_back("run.seed=" + a.seed);

  Loaded l;
  l.scenario = load_and_warn(a.scenario, overrides);
  const fs::path dir =
      a.out.empty() ? fs::path("runs") / scenario_label(l.scenario, a.scenario) : fs::path(a.out);
  outputs::check_output_dir(dir, a.force);  // before the slower geography
  place(l);
  if (g_stop) throw sim::Interrupted();

  const int threads = a.threads > 0 ? a.threads : omp_get_max_threads();
  if (!a.quiet)
    std::cerr << "rfsim: running '" << l.scenario.name << "': " << l.scenario.horizon_days
              << " days, " << l.geography.study_indices().size() << " study districts, " << threads
              << " thread(s)\n";

  app::ProgressBar progress(!a.quiet, "day");
  sim::RunOptions options;
  options.threads = a.threads;
  options.stop = &g_stop;
  options.on_day = [&](int day, int horizon) { progress.update(day + 1, horizon); };
  const auto t0 = std::chrono::steady_clock::now();
  sim::RunResult result = sim::simulate(l.scenario, l.geography, l.places, options);
  progress.finish();
  if (g_stop) throw sim::Interrupted();
  const double run_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sim::Deployment deployment;
  if (l.scenario.services.additional_workers > 0) {  // where they go, checked in closed loop
    deployment = sim::recommend_deployment(l.scenario, l.geography, l.places, threads);
    sim::add_deployment(result, deployment);
  }
  if (g_stop) throw sim::Interrupted();
  const double deploy_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() - run_secs;

  outputs::WriteOptions w;
  w.dir = dir;
  w.force = a.force;
  w.threads = threads;
  w.ranks = 1;
  w.stop = &g_stop;
  w.notice = [](const std::string& line) { std::cerr << "rfsim: " << line << "\n"; };
  const fs::path h5 = outputs::write_results(l.scenario, l.geography, result, w);

  if (a.quiet) {
    std::cout << h5.string() << "\n";
    return 0;
  }
  std::cout << "scenario " << l.scenario.name << " (seed " << l.scenario.seed << ", replicate "
            << l.scenario.replicate << "): " << result.agents << " agents, "
            << l.scenario.horizon_days << " days in " << figure(std::round(run_secs * 100) / 100)
            << " s\n";
  int beds = 0;
  for (const auto& f : l.scenario.facilities) beds += f.capacity;
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
      std::cout << (shown > 1 ? ", " : " ") << l.geography.display_name(d) << " " << n;
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

int cmd_info(const std::string& path) {
  outputs::print_info(outputs::read_info(path), std::cout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "rfsim: agent-based simulator of migrants returning from Thailand to Cambodia "
      "(quarantine load, social-worker demand, reintegration) on real district boundaries.",
      "rfsim"};
  app.set_version_flag("--version", version_text(), "Print the version and git commit");
  app.require_subcommand(1);
  app.fallthrough(false);

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
    if (*validate_cmd) return cmd_validate(validate_path, validate_sets);
    if (*info_cmd) return cmd_info(info_path);
    if (*params_cmd) return cmd_params(params_markdown);
  } catch (const sim::Interrupted&) {
    std::cerr << "rfsim: interrupted; no results written\n";
    return app::interrupted_exit_code();
  } catch (const std::exception& e) {
    std::cerr << "rfsim: error: " << app::one_line(e.what()) << "\n";
    return 1;
  }
  return 2;
}
