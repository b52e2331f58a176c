// What people look at, made from results.h5 alone: the report of a run (districts.gpkg,
// figures/*.png, briefing.html beside results.h5; what `rfsim run` writes after its results
// and `rfsim report DIR` rewrites) and the comparison of runs (`rfsim compare`: key figures
// side by side with differences, overlaid charts, difference maps).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rfsim::outputs {

/// The report's files and folder in a results directory.
inline constexpr const char* kGeoPackageName = "districts.gpkg";
inline constexpr const char* kFiguresDir = "figures";
inline constexpr const char* kBriefingName = "briefing.html";

/// Seconds spent on each part, for scripts/bench.
struct ReportTimes {
  double read = 0, facts = 0, geopackage = 0, figures = 0, briefing = 0, total = 0;
};

/// Writes the report of the results directory `dir` (or of the directory holding a
/// results.h5 given instead) into it, replacing an earlier report. A directory holding
/// ensemble.h5 and no results.h5 (or an ensemble.h5 given) gets the ensemble's report
/// instead: figures/*.png fan charts and briefing.html (ensemble_view.h); one holding
/// sweep.h5, sensitivity.h5 or calibration.h5, that study's: figures/*.png bar charts of
/// the key figures by point, of the Sobol indices or of the observations against the fit,
/// and briefing.html (study_view.h). Everything is written
/// into a temporary folder inside `dir` first and moved into place only when complete:
/// on failure nothing in `dir` has changed and OutputError is thrown (one line, naming
/// the file). Returns the path of briefing.html.
std::filesystem::path write_report(const std::filesystem::path& dir, ReportTimes* times = nullptr);

struct CompareOptions {
  std::filesystem::path out;  ///< the comparison directory to create
  bool force = false;         ///< replace an existing `out`
};

/// Compares runs (results directories or files; the first is the reference) into
/// `options.out`: comparison.csv (key figures side by side, with differences from the
/// first run), figures/*.png and comparison.html. Runs on different geographies (district
/// codes or names differ) are refused with an OutputError naming both. Returns the text of
/// the key-figure table for the terminal.
std::string write_comparison(const std::vector<std::filesystem::path>& runs,
                             const CompareOptions& options);

}  // namespace rfsim::outputs
