// Charts for the briefings: time series against dates (lines, stacked areas, uncertainty
// bands for fan charts, a capacity line with the part above it shaded), horizontal bars
// by category, and small multiples (a grid of small time charts on one shared scale, e.g.
// social-worker demand against those deployed in each district, week by week). Axes get
// nice ticks, dates read "5 Jan", legends sit under the title. Input is plain numbers:
// the caller reads the series (results.h5, an ensemble) and hands them over.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "outputs/drawing.h"

namespace rfsim::outputs {

/// One named sequence of values, one per time step (or per category in a bar chart).
/// NaN is a gap in a line (and counts as 0 in a stack).
struct Series {
  std::string name;
  std::vector<double> values;
  std::optional<Colour> colour =
      std::nullopt;     ///< default: category_colour(position; areas, then lines)
  bool dashed = false;  ///< lines only
};

/// A shaded range, e.g. the 5-95 % or 25-75 % of an ensemble around its median.
struct Band {
  std::string name;  ///< legend text, e.g. "5-95 % of runs"
  std::vector<double> lower, upper;
};

/// A limit line (one value: constant; else one value per time step, held until the next
/// step, so drawn as steps) with the part of a load line above it shaded: beds against
/// occupancy, workers deployed against demand.
struct Capacity {
  std::string name = "Capacity";
  std::vector<double> values;
  std::size_t load = 0;  ///< index in Plot::lines of the line compared with it
  std::string over_name = "Over capacity";
};

/// What is drawn inside one pair of axes, back to front: stacked areas, bands (widest
/// first, in the colour of the first line), the part over capacity, the capacity line,
/// the lines.
struct Plot {
  std::vector<Series> areas;  ///< stacked, the first at the bottom
  std::vector<Band> bands;
  std::vector<Series> lines;
  std::optional<Capacity> capacity;
};

/// Where values sit in time: values[i] is on day first_day + i * step_days after `start`.
struct TimeAxis {
  std::chrono::sys_days start;
  double first_day = 0;
  double step_days = 1;  ///< 7 for weekly series
  /// A day marked by a vertical line with `mark_label` at its top (a branch's branch day).
  std::optional<double> mark_day = std::nullopt;
  std::string mark_label = "";
};

struct TimeChart {
  Titles titles;
  std::string y_units;  ///< written above the y axis, e.g. "Beds occupied"
  TimeAxis time;
  Plot plot;
};

/// Draws the chart on the whole canvas. Throws DrawingError when there is nothing to draw
/// or lengths disagree (a band's lower and upper, a capacity and its line).
void draw_time_chart(Canvas& canvas, const TimeChart& chart);

/// Horizontal bars, one row per category (named on the left), one bar per group in each
/// row; the value is written at the end of each bar when there is one group.
struct BarChart {
  Titles titles;
  std::string units;  ///< under the value axis, e.g. "Additional social workers"
  std::vector<std::string> categories;
  std::vector<Series> groups;  ///< each with one value per category
};

void draw_bar_chart(Canvas& canvas, const BarChart& chart);

struct Panel {
  std::string title;  ///< e.g. the district name
  Plot plot;
};

/// A grid of small time charts on one y scale and one time axis; tick labels on the outer
/// panels only, one legend (from the first panel) under the title.
struct SmallMultiples {
  Titles titles;
  std::string y_units;
  TimeAxis time;
  std::vector<Panel> panels;
  int columns = 0;  ///< 0: the number that gives the largest panels on the canvas
};

void draw_small_multiples(Canvas& canvas, const SmallMultiples& chart);

}  // namespace rfsim::outputs
