// What the report of an ensemble shows, read from ensemble.h5 alone (the study file of
// `rfsim ensemble`, outputs/SCHEMA.md "Study files"): the quantile bands of the series
// its fan charts draw, every summary figure's 5/25/50/75/95 % over the replicates and the
// event probabilities. Only the report's series are read; a series, figure or event the
// file lacks is simply absent here, and the report leaves out what needs it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "outputs/indicators.h"
#include "outputs/study_view.h"

namespace rfsim::outputs {

/// The study file a report of `rfsim ensemble` is made from, and its file type.
inline constexpr const char* kEnsembleReportSource = "ensemble.h5";

struct EnsembleView : StudyHeader {
  std::int64_t replicates = 0;
  std::vector<std::string> districts;  ///< names, in file order (series columns)
  struct Facility {
    std::string name;
    double capacity = 0;
    int opens = 0, closes = 0;
  };
  std::vector<Facility> facilities;

  /// One series' quantiles over the replicates.
  struct SeriesBands {
    std::string units, row_axis, column_axis;
    std::size_t rows = 0, columns = 0;
    std::vector<double> q;  ///< [level][row][column], levels 0.05 0.25 0.5 0.75 0.95
    /// Column j as bands (q50 the median).
    Bands column(std::size_t j) const;
  };
  std::map<std::string, SeriesBands> series;  ///< the report's series present in the file

  struct SummaryFigure {
    std::string name, units, description;
    double mean = 0;
    std::vector<double> q;  ///< the five quantiles
  };
  std::vector<SummaryFigure> figures;  ///< in name order
  struct Event {
    std::string name, description, threshold_units;
    double threshold = 0, value = 0;  ///< value: share of replicates, 0 to 1
  };
  std::vector<Event> probabilities;  ///< in name order

  const SeriesBands* find_series(const std::string& name) const;
  const SummaryFigure* find_figure(const std::string& name) const;
  const Event* find_event(const std::string& name) const;
};

/// The series the ensemble report draws (read when present).
std::vector<std::string> ensemble_report_series();

/// Reads `path` (ensemble.h5, or the directory holding it). Throws OutputError, one line
/// naming the file and what was expected of it.
EnsembleView read_ensemble(const std::filesystem::path& path);

}  // namespace rfsim::outputs
