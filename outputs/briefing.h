// briefing.html: one self-contained page for a steering committee (every script, style,
// figure and datum inline; no network request), rendered from the page templates in
// outputs/templates/ (Mustache) with a view model built here as JSON: the scenario in one
// sentence, key figures against capacity, the sites that overflow and when, social workers
// by district and week and where the additional ones should go, packages and re-migration,
// the assumptions in force and the provenance. The interactive map is Leaflet (Debian's
// libjs-leaflet, inlined) over the districts as GeoJSON in WGS84, with no tile layer; the
// charts are the report's figures as inline SVG. It prints to A4 with a static map in
// place of the interactive one.
//
// One run, or several (a comparison: figures overlaid, key figures side by side with the
// differences) fill the same templates. The view model leaves room for what comes next: a
// run's series may carry ensemble bands (indicators.h), and a run may be a branch of
// another from a given day (Branch), which the templates then say.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "outputs/assumptions.h"
#include "outputs/boundaries.h"
#include "outputs/ensemble_view.h"
#include "outputs/figures.h"
#include "outputs/indicators.h"

namespace rfsim::outputs {

/// A run branched from another on a given day (shown with the original, same templates).
struct Branch {
  std::string original;  ///< the original run's label
  int day = 0;           ///< first day that differs
  std::string original_path = "";         ///< the original's scenario file
  std::vector<std::string> changes = {};  ///< "key: before -> after" (/meta/branch)
  /// In a comparison with its original: the key figures cover the days from `day` on.
  bool window = false;
};

struct BriefingRun {
  RunView view;
  Assumptions assumptions;
  std::optional<Branch> branch = std::nullopt;
};

/// A figure as the page inlines it, in its section: a chart as its SVG document, a map as
/// its PNG (a map's SVG is three times the size of its PNG, and a map prints as well from
/// 144 dpi).
struct InlineFigure {
  Section section = Section::overview;
  std::string title;
  std::string svg = "";  ///< the SVG document, or
  std::string png = "";  ///< the PNG file's bytes
  bool tall = false;     ///< a full page when printed
};

/// The briefing of one run: runs.size() == 1. With more runs, the comparison briefing of
/// runs[1..] against runs[0]. `static_map` replaces the interactive map in print.
std::string briefing_html(std::span<const BriefingRun> runs, const Boundaries& boundaries,
                          std::span<const InlineFigure> figures, const InlineFigure& static_map);

/// The briefing of an ensemble (templates/ensemble.mustache, the same style): the
/// probabilities a planner asks first (a facility over capacity on more than the event's
/// days, the peak social-worker gap above its threshold), every other event, the key
/// summary figures' 5 %, median, 95 % and mean over the replicates, then the fan charts
/// (`charts`, as SVG). Parts whose data ensemble.h5 lacks are left out.
std::string ensemble_briefing_html(const EnsembleView& ensemble,
                                   std::span<const InlineFigure> charts);

/// The briefing of a sweep (templates/study.mustache): each key figure's mean and 5-95 %
/// at every point, the events' probabilities at every point, then `charts`.
std::string sweep_briefing_html(const SweepView& sweep, std::span<const InlineFigure> charts);
/// The briefing of a sensitivity study: for each key figure that varies, each parameter's
/// first-order and total Sobol index with its bootstrap interval, then `charts`.
std::string sensitivity_briefing_html(const SensitivityView& sensitivity,
                                      std::span<const InlineFigure> charts);

/// The briefing of a calibration: the fitted values against their ranges and starts, each
/// observation against the model's mean and 5-95 % at the fit, then `charts`.
std::string calibration_briefing_html(const CalibrationView& calibration,
                                      std::span<const InlineFigure> charts);

}  // namespace rfsim::outputs
