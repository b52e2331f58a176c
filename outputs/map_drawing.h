// Choropleth maps of districts for the briefings: each district filled by the class of its
// value (a sequential colour ramp, hatched grey where there is no value), heavier outlines
// (provinces), point symbols (quarantine facilities as squares sized by beds, points of
// entry as triangles: filled formal checkpoints, hollow informal crossings), district
// labels where they fit, a legend, a scale bar in km, a north arrow, title and source.
// Input is plain projected geometry (metres, EPSG:32648, y north) and numbers: the caller
// reads boundaries (GDAL, geo/) and values (results.h5) and hands them over.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "outputs/drawing.h"

namespace rfsim::outputs {

/// A closed ring of projected coordinates in metres (x east, y north); the closing point
/// may be repeated or not.
using Ring = std::vector<Point>;

/// One district: its polygons as rings (outer boundaries and holes alike; filled with the
/// even-odd rule), its value and its label.
struct MapArea {
  std::string name;  ///< the label; empty for none
  std::vector<Ring> rings;
  double value = std::numeric_limits<double>::quiet_NaN();  ///< NaN: no data
  /// Where to centre the label, e.g. a point on the surface; default: the centre of the
  /// bounding box of the largest ring.
  std::optional<Point> label_at = std::nullopt;
};

/// A heavier outline drawn over the districts, e.g. a province.
struct MapOutline {
  std::vector<Ring> rings;
};

enum class SymbolKind { facility, formal_entry, informal_entry };

struct MapSymbol {
  SymbolKind kind = SymbolKind::facility;
  Point at;                ///< metres, like the rings
  double capacity = 0;     ///< facilities: beds (the square's area is proportional to it)
  std::string label = "";  ///< drawn beside the symbol where it fits; empty for none
};

struct MapSpec {
  Titles titles;
  std::string legend_title;    ///< what the colours show, e.g. "Returnees per 1,000 residents"
  std::string units;           ///< e.g. "per 1,000 residents, weeks 1-8"; shown under the title
  std::vector<MapArea> areas;  ///< the districts shown; the map is fitted to them
  /// Areas drawn plain light grey around the districts (neighbouring districts), clipped to
  /// the map; they do not count for the fit.
  std::vector<std::vector<Ring>> context;
  std::vector<MapOutline> outlines;
  std::vector<MapSymbol> symbols;
  /// Class breaks of the values; empty: quantile_classes(values, 5).
  Classes classes;
  ColourRamp ramp = ColourRamp::yellow_orange_red();
  /// The legend text of the hatched districts without a value.
  std::string no_data_label = "No data";
  std::string capacity_title = "Quarantine facility (beds)";
};

/// Draws the map on the whole canvas. Throws DrawingError when there is no area or no
/// ring with at least three points.
void draw_map(Canvas& canvas, const MapSpec& map);

/// A label to place: its text box in each form it may take (e.g. one line, then two), in
/// order of preference, and the box it must stay inside.
struct LabelCandidate {
  std::vector<Box> options;
  Box within;
};

/// The label-placement rule of the maps. Candidates are taken in order (their priority);
/// each gets the first of its options that lies inside its `within` box and overlaps
/// neither an obstacle nor a label placed before it. Returns, per candidate, the index of
/// the option placed, or -1 when the label is left out.
std::vector<int> place_labels(std::span<const LabelCandidate> candidates,
                              std::span<const Box> obstacles = {});

}  // namespace rfsim::outputs
