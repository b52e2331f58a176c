// The maps and charts of a report, built from runs' facts and series (indicators.h) and
// drawn by drawing.h: each figure is one DrawFunction, written as a PNG into figures/ and
// inlined as SVG into the briefing, so that the two always show the same thing.
//   one run:     a choropleth per district indicator (with facilities, entry points,
//                province outlines), daily arrivals by entry point, occupancy per facility
//                against its beds, all sites against the beds open, where the returnees are,
//                social-worker demand against deployed per district by week, the gap by
//                district, packages and re-migration, progress towards the target of
//                people served, spending against the envelope;
//   comparison:  the same time charts with the runs overlaid, and maps of the difference
//                of each key indicator from the first run.
// A series may carry ensemble bands (indicators.h Bands), drawn as a fan around it;
//   ensemble:    fan charts of the key series of an ensemble.h5 (ensemble_view.h);
//   sweep, sensitivity: bars of the key figures by sweep point, and of each parameter's
//                Sobol indices (study_view.h).
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "outputs/boundaries.h"
#include "outputs/drawing.h"
#include "outputs/ensemble_view.h"
#include "outputs/indicators.h"

namespace rfsim::outputs {

/// Where a figure goes in the briefing.
/// (programme: the target and information; costs: the costs part of the programme section.)
enum class Section { maps, quarantine, workers, reintegration, programme, costs, overview };

struct Figure {
  std::string name;   ///< file stem in figures/: "map-peak-per-1000"
  std::string title;  ///< accessible name and caption
  Section section = Section::overview;
  DrawFunction draw;
  Size size;  ///< points
};

/// A run as the figures see it: its results and the facts derived from them.
struct RunView {
  const Results* results = nullptr;
  const RunFacts* facts = nullptr;
  /// The day its time charts mark "branch": a branch's branch day (a comparison's runs all
  /// carry the same one), else none.
  std::optional<int> branch_day = std::nullopt;
};

/// Every figure of one run's report.
std::vector<Figure> run_figures(const RunView& run, const Boundaries& boundaries);

/// The map of returnees per 1,000 residents of `run` as figure "map-<label>": the static
/// map a comparison prints in place of its interactive map.
Figure print_map(const RunView& run, const Boundaries& boundaries);

/// The figures of a comparison: runs overlaid, and difference maps of runs[1..] from runs[0]
/// (all on the geography of runs[0]).
std::vector<Figure> comparison_figures(std::span<const RunView> runs, const Boundaries& boundaries);

/// The fan charts of an ensemble's report (median line, 25-75 % and 5-95 % bands of the
/// replicates): all quarantine sites against the beds open, overflow, the social-worker
/// gap and community infectious-days by district, re-migration and the cost by week,
/// each left out when ensemble.h5 lacks its series.
std::vector<Figure> ensemble_figures(const EnsembleView& ensemble);
/// The charts of a sweep's report: for each key figure (study_key_figures) that differs
/// between the points, its mean over the replicates at each point, as bars.
std::vector<Figure> sweep_figures(const SweepView& sweep);
/// The charts of a sensitivity study's report: for each key figure that varies, the
/// first-order and total Sobol index of each parameter, as bars.
std::vector<Figure> sensitivity_figures(const SensitivityView& sensitivity);
/// A calibration's charts: for each observed series (and statistic), the observed values
/// beside the fitted mean, one row per observation.
std::vector<Figure> calibration_figures(const CalibrationView& calibration);

/// Renders the figures side by side on the machine's cores (at most 4 threads): each one
/// as `png_dir/<name>.png` at 2 pixels per point (144 dpi) unless `png_dir` is empty, and
/// as an SVG document, returned, for those with `svg[i]` true (an empty string for the
/// others). Throws OutputError naming the figure or file that failed.
std::vector<std::string> render_figures(std::span<const Figure> figures,
                                        const std::filesystem::path& png_dir,
                                        const std::vector<bool>& svg);

}  // namespace rfsim::outputs
