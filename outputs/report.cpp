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
#include <fstream>
#include <iterator>
#include <iomanip>
#include <sstream>
#include <system_error>

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
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw OutputError(path.string() + ": cannot read back");
  return bytes;
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

/// True if `path` is ensemble.h5, or a directory holding it and no results.h5.
bool is_ensemble(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return path.filename() == kEnsembleReportSource;
  return fs::exists(path / kEnsembleReportSource, ec) && !fs::exists(path / kResultsFileName, ec);
}

/// The report of an ensemble directory: its fan charts and its briefing.
fs::path write_ensemble_report(const fs::path& dir, const fs::path& file, ReportTimes& t,
                               Clock::time_point& clock) {
  const EnsembleView ensemble = read_ensemble(file);
  t.read = seconds_since(clock);
  ReportStage stage(dir);
  const std::vector<Figure> figures = ensemble_figures(ensemble);
  const fs::path figures_dir = stage.path() / kFiguresDir;
  make_dir(figures_dir);
  const std::vector<std::string> svgs =
      render_figures(figures, figures_dir, std::vector<bool>(figures.size(), true));
  t.figures = seconds_since(clock);
  std::vector<InlineFigure> charts;
  for (std::size_t i = 0; i < figures.size(); ++i)
    charts.push_back({figures[i].section, figures[i].title, svgs[i], "",
                      figures[i].size.height > mm(150)});
  write_file(stage.path() / kBriefingName, ensemble_briefing_html(ensemble, charts));
  t.briefing = seconds_since(clock);
  stage.commit({kFiguresDir, kBriefingName});
  return dir / kBriefingName;
}

}  // namespace

fs::path write_report(const fs::path& dir_in, ReportTimes* times) {
  auto clock = Clock::now();
  const auto start = clock;
  std::error_code ec;
  const fs::path dir = fs::is_directory(dir_in, ec) ? dir_in : dir_in.parent_path();
  if (is_ensemble(dir_in)) {
    ReportTimes t;
    const fs::path file =
        fs::is_directory(dir_in, ec) ? dir_in / kEnsembleReportSource : dir_in;
    const fs::path briefing = write_ensemble_report(dir, file, t, clock);
    t.total = std::chrono::duration<double>(Clock::now() - start).count();
    if (times) *times = t;
    return briefing;
  }
  LoadedRun run = load(dir_in);
  ReportTimes t;
  t.read = seconds_since(clock);
  const Boundaries boundaries(run.results);
  const RunView view{&run.results, &run.facts};
  BriefingRun briefing_run{view, scenario_assumptions(run.results.meta.scenario_toml)};
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

  const Boundaries boundaries(runs[0].results);
  std::vector<RunView> views;
  std::vector<BriefingRun> briefing_runs;
  for (const LoadedRun& run : runs) views.push_back({&run.results, &run.facts});
  for (std::size_t i = 0; i < runs.size(); ++i)
    briefing_runs.push_back({views[i], scenario_assumptions(runs[i].results.meta.scenario_toml)});

  // The key figures side by side: CSV for spreadsheets, text for the terminal.
  std::ostringstream csv, text;
  csv << "figure,units";
  for (const LoadedRun& run : runs) csv << "," << csv_cell(run.facts.label);
  for (std::size_t i = 1; i < runs.size(); ++i)
    csv << "," << csv_cell(runs[i].facts.label + " - " + runs[0].facts.label);
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
