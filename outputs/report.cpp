// The report of a run and the comparison of runs (see report.h): reading, then each format's
// unit, into a temporary folder moved into place when complete.
#include "outputs/report.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <sstream>
#include <string_view>
#include <system_error>

#include "base/files.h"
#include "outputs/assumptions.h"
#include "outputs/boundaries.h"
#include "outputs/briefing.h"
#include "outputs/drawing.h"
#include "outputs/ensemble_view.h"
#include "outputs/error.h"
#include "outputs/figures.h"
#include "outputs/geopackage.h"
#include "outputs/indicators.h"
#include "outputs/reader.h"
#include "outputs/results_dir.h"
#include "outputs/schema.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point& t) {
  const auto now = Clock::now();
  const double s = std::chrono::duration<double>(now - t).count();
  t = now;
  return s;
}

constexpr const char* kReportTmpPrefix = ".report.tmp-";

/// Removes the report temporaries in `dir` of processes that no longer exist.
void remove_dead_report_temporaries(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kReportTmpPrefix)) continue;
    const long pid = std::strtol(name.c_str() + std::strlen(kReportTmpPrefix), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      fs::remove_all(entry.path(), ec);
  }
}

/// A folder inside a results directory that the report is written into, removed unless
/// its contents were moved into place.
class ReportStage {
 public:
  explicit ReportStage(const fs::path& dir)
      : dir_(dir), tmp_(dir / (kReportTmpPrefix + std::to_string(::getpid()))) {
    remove_dead_report_temporaries(dir_);
    std::error_code ec;
    fs::remove_all(tmp_, ec);
    if (!fs::create_directory(tmp_, ec))
      throw OutputError(tmp_.string() + ": cannot create: " + ec.message());
  }
  ~ReportStage() {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
  ReportStage(const ReportStage&) = delete;
  ReportStage& operator=(const ReportStage&) = delete;
  const fs::path& path() const { return tmp_; }

  /// Moves each of `names` from the stage into the results directory, replacing what is
  /// there (an old folder is swapped out first, then deleted).
  void commit(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      const fs::path from = tmp_ / name, to = dir_ / name;
      std::error_code ec;
      if (fs::is_directory(to, ec)) {
        const fs::path old = tmp_ / (name + ".old");
        fs::rename(to, old, ec);
        if (ec) throw OutputError(to.string() + ": cannot replace: " + ec.message());
      }
      fs::rename(from, to, ec);
      if (ec) throw OutputError(to.string() + ": cannot write: " + ec.message());
    }
  }

 private:
  fs::path dir_, tmp_;
};

struct LoadedRun {
  Results results;
  RunFacts facts;
};

LoadedRun load(const fs::path& path) {
  LoadedRun run{read_results(path), {}};
  try {
    run.facts = run_facts(run.results);
  } catch (const OutputError& e) {
    throw OutputError(run.results.path.string() + ": " + e.what());
  }
  return run;
}

std::string read_file(const fs::path& path) {
  try {
    return read_file_bytes(path);
  } catch (const std::system_error& e) {
    throw OutputError(path.string() + ": cannot read back: " + e.code().message());
  }
}

void make_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::create_directory(dir, ec))
    throw OutputError(dir.string() + ": cannot create: " + ec.message());
}

/// Same districts in the same order, by code and name.
void check_same_geography(const LoadedRun& a, const LoadedRun& b) {
  const auto& da = a.results.districts;
  const auto& db = b.results.districts;
  const std::string refusal = "cannot compare " + b.results.path.string() + " with " +
                              a.results.path.string() + ": they are on different geographies (";
  if (da.size() != db.size())
    throw OutputError(refusal + std::to_string(db.size()) + " districts against " +
                      std::to_string(da.size()) + ")");
  for (std::size_t i = 0; i < da.size(); ++i)
    if (da[i].code != db[i].code || da[i].name != db[i].name)
      throw OutputError(refusal + "district " + std::to_string(i) + " is '" + db[i].name + "' (" +
                        db[i].code + ") against '" + da[i].name + "' (" + da[i].code + "))");
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string plain(double v, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << v;
  return out.str();
}

/// True if `path` is the study file `source` (ensemble.h5, sweep.h5, ...), or a directory
/// holding it and no results.h5.
bool is_study(const fs::path& path, const char* source) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return path.filename() == source;
  return fs::exists(path / source, ec) && !fs::exists(path / kResultsFileName, ec);
}

/// The report of a study directory (an ensemble's, a sweep's, a sensitivity study's): the
/// charts `figures_of` draws of the study file as `view` holds it, and its briefing `page`.
template <typename View>
fs::path write_study_report(const fs::path& dir, const View& view,
                            std::vector<Figure> (*figures_of)(const View&),
                            std::string (*page)(const View&, std::span<const InlineFigure>),
                            ReportTimes& t, Clock::time_point& clock) {
  t.read = seconds_since(clock);
  ReportStage stage(dir);
  const std::vector<Figure> figures = figures_of(view);
  const fs::path figures_dir = stage.path() / kFiguresDir;
  make_dir(figures_dir);
  const std::vector<std::string> svgs =
      render_figures(figures, figures_dir, std::vector<bool>(figures.size(), true));
  t.figures = seconds_since(clock);
  std::vector<InlineFigure> charts;
  for (std::size_t i = 0; i < figures.size(); ++i)
    charts.push_back({figures[i].section, figures[i].title, svgs[i], "",
                      figures[i].size.height > mm(150)});
  write_file(stage.path() / kBriefingName, page(view, charts));
  t.briefing = seconds_since(clock);
  stage.commit({kFiguresDir, kBriefingName});
  return dir / kBriefingName;
}

/// What a run's briefing says of it as a branch: its own branch point (/meta/branch).
std::optional<Branch> branch_of(const Results& r) {
  if (r.meta.branch.empty()) return std::nullopt;
  const BranchPoint& b = r.meta.branch[0];
  return Branch{b.scenario_name, b.day, b.scenario_path, b.differences};
}

/// Whether `b` is a branch of run `a`: b's own branch point records a's scenario text as its
/// original's, the two have the same seed, replicate, start and horizon, and b's earlier
/// branch points are a's own (a itself a branch: the same lineage). Stored results alone
/// cannot tell a rerun of the original from the original, nor need to: a rerun is
/// identical to it.
bool is_branch_of(const Results& b, const Results& a) {
  const auto& lb = b.meta.branch;
  const auto& la = a.meta.branch;
  if (lb.empty() || lb[0].scenario_toml != a.meta.scenario_toml) return false;
  if (b.meta.seed != a.meta.seed || b.meta.replicate != a.meta.replicate ||
      b.meta.start_date != a.meta.start_date || b.meta.horizon_days != a.meta.horizon_days)
    return false;
  if (lb.size() != la.size() + 1) return false;
  for (std::size_t k = 0; k < la.size(); ++k)
    if (lb[k + 1].day != la[k].day || lb[k + 1].scenario_toml != la[k].scenario_toml)
      return false;
  return true;
}

/// The largest absolute difference between the daily series of `a` and `b` over the days
/// before `day` (the series of both, same shape): 0 for a branch and its original.
double largest_difference_before(const Results& a, const Results& b, int day) {
  double largest = 0;
  for (const Results::Series& sa : a.series) {
    const Results::Series* sb = b.find_series(sa.name);
    if (!sb || sa.row_axis != "day" || sb->columns != sa.columns) continue;
    for (std::uint64_t t = 0; t < static_cast<std::uint64_t>(day) && t < sa.rows && t < sb->rows;
         ++t)
      for (std::uint64_t j = 0; j < sa.columns; ++j) {
        const double d = std::fabs(sa.at(t, j) - sb->at(t, j));
        if (!std::isnan(d)) largest = std::max(largest, d);
      }
  }
  return largest;
}

}  // namespace

fs::path write_report(const fs::path& dir_in, ReportTimes* times) {
  auto clock = Clock::now();
  const auto start = clock;
  std::error_code ec;
  const fs::path dir = fs::is_directory(dir_in, ec) ? dir_in : dir_in.parent_path();
  // A study's directory (or file): its own report.
  for (const char* source : {kEnsembleReportSource, kSweepReportSource,
                             kSensitivityReportSource, kCalibrationReportSource}) {
    if (!is_study(dir_in, source)) continue;
    ReportTimes t;
    const fs::path file = fs::is_directory(dir_in, ec) ? dir_in / source : dir_in;
    const std::string_view kind = source;
    const fs::path briefing =
        kind == kEnsembleReportSource
            ? write_study_report(dir, read_ensemble(file), &ensemble_figures,
                                 &ensemble_briefing_html, t, clock)
        : kind == kSweepReportSource
            ? write_study_report(dir, read_sweep(file), &sweep_figures, &sweep_briefing_html, t,
                                 clock)
        : kind == kSensitivityReportSource
            ? write_study_report(dir, read_sensitivity(file), &sensitivity_figures,
                                 &sensitivity_briefing_html, t, clock)
            : write_study_report(dir, read_calibration(file), &calibration_figures,
                                 &calibration_briefing_html, t, clock);
    t.total = std::chrono::duration<double>(Clock::now() - start).count();
    if (times) *times = t;
    return briefing;
  }
  LoadedRun run = load(dir_in);
  ReportTimes t;
  t.read = seconds_since(clock);
  const Boundaries boundaries(run.results);
  const std::optional<Branch> branch = branch_of(run.results);
  const RunView view{&run.results, &run.facts,
                     branch ? std::optional(branch->day) : std::nullopt};
  BriefingRun briefing_run{view, scenario_assumptions(run.results.meta.scenario_toml), branch};
  t.facts = seconds_since(clock);

  ReportStage stage(dir);
  write_geopackage(stage.path() / kGeoPackageName, run.results, run.facts, boundaries);
  t.geopackage = seconds_since(clock);

  // Every figure as a PNG; the charts also as SVG for the page, which takes three maps as
  // their PNGs (the map of returnees per 1,000 residents stands in for the interactive map
  // in print).
  const std::vector<Figure> figures = run_figures(view, boundaries);
  std::vector<bool> as_svg;
  for (const Figure& f : figures) as_svg.push_back(f.section != Section::maps);
  const fs::path figures_dir = stage.path() / kFiguresDir;
  make_dir(figures_dir);
  const std::vector<std::string> svgs = render_figures(figures, figures_dir, as_svg);
  t.figures = seconds_since(clock);
  // Charts first, then the two maps after the charts of their sections.
  std::vector<InlineFigure> inlined;
  InlineFigure static_map;
  for (std::size_t i = 0; i < figures.size(); ++i)
    if (figures[i].section != Section::maps)
      inlined.push_back({figures[i].section, figures[i].title, svgs[i], "",
                         figures[i].size.height > mm(150)});
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const Figure& f = figures[i];
    if (f.section != Section::maps) {
      continue;
    } else if (f.name == "map-peak-gap-fte" || f.name == "map-remigrated") {
      inlined.push_back({f.name == "map-remigrated" ? Section::reintegration : Section::workers,
                         f.title, "", read_file(figures_dir / (f.name + ".png"))});
    } else if (f.name == "map-peak-per-1000") {
      static_map = {Section::maps, f.title, "", read_file(figures_dir / (f.name + ".png"))};
    }
  }
  const std::string html =
      briefing_html(std::span(&briefing_run, 1), boundaries, inlined, static_map);
  write_file(stage.path() / kBriefingName, html);
  t.briefing = seconds_since(clock);
  stage.commit({kGeoPackageName, kFiguresDir, kBriefingName});
  t.total = std::chrono::duration<double>(Clock::now() - start).count();
  if (times) *times = t;
  return dir / kBriefingName;
}

std::string write_comparison(const std::vector<fs::path>& paths, const CompareOptions& options) {
  if (paths.size() < 2) throw OutputError("compare needs at least two runs");
  std::vector<LoadedRun> runs;
  for (const fs::path& p : paths) runs.push_back(load(p));
  for (std::size_t i = 1; i < runs.size(); ++i) check_same_geography(runs[0], runs[i]);
  // Runs with the same scenario name are told apart by their folders' names.
  std::vector<bool> shared(runs.size(), false);
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (std::size_t j = 0; j < runs.size(); ++j)
      shared[i] = shared[i] || (i != j && runs[i].facts.label == runs[j].facts.label);
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (shared[i]) runs[i].facts.label = runs[i].results.path.parent_path().filename().string();

  // Every later run a branch of the first from one day: the key figures count the days
  // from that day on, the charts mark it, and the days before it are checked identical.
  std::optional<int> window;
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const bool branch = is_branch_of(runs[i].results, runs[0].results);
    const int day = branch ? runs[i].results.meta.branch[0].day : -1;
    if (!branch || (window && *window != day)) {
      window.reset();
      break;
    }
    window = day;
  }
  std::string before_note;
  if (window) {
    const std::string date = iso_date(date_of(runs[0].facts, *window));
    double largest = 0;
    for (std::size_t i = 1; i < runs.size(); ++i)
      largest = std::max(largest,
                         largest_difference_before(runs[0].results, runs[i].results, *window));
    before_note = "before day " + std::to_string(*window) + " (" + date +
                  ") every daily series is identical to " + runs[0].facts.label +
                  "'s: largest difference " + plain(largest, largest == 0 ? 0 : 6);
    for (LoadedRun& run : runs)
      run.facts.key_figures =
          key_figures_between(run.results, run.facts, *window, run.facts.days);
  }

  const Boundaries boundaries(runs[0].results);
  std::vector<RunView> views;
  std::vector<BriefingRun> briefing_runs;
  for (const LoadedRun& run : runs) views.push_back({&run.results, &run.facts, window});
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::optional<Branch> branch = branch_of(runs[i].results);
    if (branch && i > 0 && window) branch->window = true;
    briefing_runs.push_back(
        {views[i], scenario_assumptions(runs[i].results.meta.scenario_toml), branch});
  }

  // The key figures side by side: CSV for spreadsheets, text for the terminal.
  std::ostringstream csv, text;
  if (window) {
    const std::string from = "from day " + std::to_string(*window) + " (" +
                             iso_date(date_of(runs[0].facts, *window)) + "), the branch day, on";
    text << "Key figures " << from << " (a branch of " << runs[0].facts.label << "; "
         << before_note << ")\n";
  }
  csv << "figure,units";
  for (const LoadedRun& run : runs) csv << "," << csv_cell(run.facts.label);
  for (std::size_t i = 1; i < runs.size(); ++i)
    csv << "," << csv_cell(runs[i].facts.label + " - " + runs[0].facts.label +
                           (window ? " from day " + std::to_string(*window) : ""));
  // A branch's differences over the days before the branch day: zero by construction.
  std::vector<std::vector<KeyFigure>> before;
  if (window) {
    for (std::size_t i = 1; i < runs.size(); ++i)
      csv << "," << csv_cell(runs[i].facts.label + " - " + runs[0].facts.label + " before day " +
                             std::to_string(*window));
    for (const LoadedRun& run : runs)
      before.push_back(key_figures_between(run.results, run.facts, 0, *window));
  }
  csv << "\n";
  // The first column as wide as the longest label, so that none is cut.
  std::size_t label_width = 10;
  for (const KeyFigure& k : runs[0].facts.key_figures)
    label_width = std::max(label_width, k.label.size() + k.units.size() + 3);
  const int first = static_cast<int>(label_width + 1);
  text << std::left << std::setw(first) << "key figure";
  for (const LoadedRun& run : runs) text << std::right << std::setw(16) << run.facts.label.substr(0, 15);
  for (std::size_t i = 1; i < runs.size(); ++i) text << std::setw(16) << "difference";
  text << "\n";
  for (const KeyFigure& k : runs[0].facts.key_figures) {
    csv << csv_cell(k.key) << "," << csv_cell(k.units);
    text << std::left << std::setw(first) << (k.label + " (" + k.units + ")");
    std::vector<double> values;
    for (const LoadedRun& run : runs) {
      double v = std::nan("");
      for (const KeyFigure& x : run.facts.key_figures)
        if (x.key == k.key) v = x.value;
      values.push_back(v);
      csv << "," << (std::isnan(v) ? "" : plain(v, k.decimals ? 2 : 0));
      text << std::right << std::setw(16) << format_number(v, k.decimals);
    }
    for (std::size_t i = 1; i < values.size(); ++i) {
      const double d = values[i] - values[0];
      csv << "," << (std::isnan(d) ? "" : plain(d, k.decimals ? 2 : 0));
      std::string difference = d > 0 ? "+" : "";
      difference += format_number(d, k.decimals);
      text << std::right << std::setw(16) << difference;
    }
    if (window) {
      auto value_before = [&](std::size_t r) {
        for (const KeyFigure& x : before[r])
          if (x.key == k.key) return x.value;
        return std::nan("");
      };
      for (std::size_t i = 1; i < runs.size(); ++i) {
        const double d = value_before(i) - value_before(0);
        csv << "," << (std::isnan(d) ? "" : plain(d, k.decimals ? 2 : 0));
      }
    }
    csv << "\n";
    text << "\n";
  }

  StagedDir staged(options.out, options.force);
  write_file(staged.path() / "comparison.csv", csv.str());
  std::vector<Figure> figures = comparison_figures(views, boundaries);
  figures.push_back(print_map(views[0], boundaries));
  std::vector<bool> as_svg;
  for (const Figure& f : figures) as_svg.push_back(f.section != Section::maps);
  const fs::path figures_dir = staged.path() / kFiguresDir;
  make_dir(figures_dir);
  const std::vector<std::string> svgs = render_figures(figures, figures_dir, as_svg);
  std::vector<InlineFigure> inlined;
  for (std::size_t i = 0; i + 1 < figures.size(); ++i)
    inlined.push_back({figures[i].section, figures[i].title, svgs[i],
                       as_svg[i] ? "" : read_file(figures_dir / (figures[i].name + ".png")),
                       figures[i].size.height > mm(150)});
  const InlineFigure static_map{Section::maps, figures.back().title, "",
                                read_file(figures_dir / (figures.back().name + ".png"))};
  const std::string html = briefing_html(briefing_runs, boundaries, inlined, static_map);
  write_file(staged.path() / "comparison.html", html);
  staged.commit();
  return text.str();
}

}  // namespace rfsim::outputs
