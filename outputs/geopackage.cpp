// districts.gpkg (see geopackage.h), written through GDAL's GPKG driver in one transaction.
#include "outputs/geopackage.h"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <mutex>
#include <string>
#include <system_error>

#include "geo/geography.h"
#include "geo/polygon_layer.h"
#include "outputs/drawing.h"
#include "outputs/error.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {
namespace {

struct Failure {
  std::string what;
};

[[noreturn]] void fail(const std::string& what) {
  const std::string gdal = CPLGetLastErrorMsg();
  throw Failure{what + (gdal.empty() ? "" : ": " + gdal)};
}

class QuietGdal {
 public:
  QuietGdal() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietGdal() { CPLPopErrorHandler(); }
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

OGRLayer* create_layer(GDALDataset& ds, const char* name, OGRwkbGeometryType type,
                       const OGRSpatialReference* srs, const char* description) {
  const char* options[] = {"DESCRIPTION=", nullptr, nullptr};
  const std::string description_option = std::string("DESCRIPTION=") + description;
  options[0] = description_option.c_str();
  // (GDAL 3.6 takes the reference as non-const; it only reads it.)
  OGRLayer* layer = ds.CreateLayer(name, const_cast<OGRSpatialReference*>(srs), type,
                                   const_cast<char**>(options));
  if (!layer) fail(std::string("cannot create layer ") + name);
  return layer;
}

void add_field(OGRLayer& layer, const char* name, OGRFieldType type) {
  OGRFieldDefn field(name, type);
  if (layer.CreateField(&field) != OGRERR_NONE) fail(std::string("cannot create field ") + name);
}

void set_date(OGRFeature& f, const char* field, std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd(day);
  f.SetField(field, static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
             static_cast<int>(unsigned(ymd.day())));
}

/// A number field; NaN (a series the file lacks) is left null.
void set_number(OGRFeature& f, const char* field, double v) {
  if (std::isnan(v))
    f.SetFieldNull(f.GetFieldIndex(field));
  else
    f.SetField(field, v);
}

void add_feature(OGRLayer& layer, OGRFeature& f, const std::string& what) {
  if (layer.CreateFeature(&f) != OGRERR_NONE) fail("cannot write " + what);
}

// ---- QGIS styles -------------------------------------------------------------------------

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string rgba(const Colour& c) {
  auto v = [](double x) { return std::to_string(static_cast<int>(std::lround(x * 255))); };
  return v(c.r) + "," + v(c.g) + "," + v(c.b) + ",255";
}

/// The properties of one symbol layer, in both the <Option> form of QGIS 3.26 and later and
/// the <prop> form of earlier 3.x versions.
std::string symbol_properties(const std::vector<std::pair<std::string, std::string>>& props) {
  std::string out = "<Option type=\"Map\">";
  for (const auto& [k, v] : props)
    out += "<Option type=\"QString\" name=\"" + k + "\" value=\"" + xml_escaped(v) + "\"/>";
  out += "</Option>";
  for (const auto& [k, v] : props) out += "<prop k=\"" + k + "\" v=\"" + xml_escaped(v) + "\"/>";
  return out;
}

std::string fill_symbol(const std::string& name, const Colour& colour) {
  return "<symbol type=\"fill\" name=\"" + name +
         "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\"><layer class=\"SimpleFill\" "
         "enabled=\"1\" locked=\"0\" pass=\"0\">" +
         symbol_properties({{"color", rgba(colour)},
                            {"outline_color", "255,255,255,255"},
                            {"outline_style", "solid"},
                            {"outline_width", "0.3"},
                            {"outline_width_unit", "MM"},
                            {"style", "solid"}}) +
         "</layer></symbol>";
}

std::string marker_symbol(const std::string& shape, const Colour& colour, double size_mm) {
  return "<symbol type=\"marker\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" "
         "force_rhr=\"0\"><layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" "
         "pass=\"0\">" +
         symbol_properties({{"color", rgba(colour)},
                            {"name", shape},
                            {"outline_color", "255,255,255,255"},
                            {"outline_width", "0.3"},
                            {"outline_width_unit", "MM"},
                            {"size", std::to_string(size_mm)},
                            {"size_unit", "MM"}}) +
         "</layer></symbol>";
}

std::string labeling(const char* field) {
  return std::string("<labeling type=\"simple\"><settings calloutType=\"simple\"><text-style "
                     "fieldName=\"") +
         field +
         "\" isExpression=\"0\" fontSize=\"8\" fontSizeUnit=\"Point\" "
         "textColor=\"34,34,34,255\" namedStyle=\"Regular\" fontFamily=\"DejaVu Sans\"/>"
         "<text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" "
         "bufferColor=\"255,255,255,255\"/><placement placement=\"1\" "
         "fitInPolygonOnly=\"1\"/><rendering obstacle=\"1\"/></settings></labeling>";
}

std::string qml(const std::string& renderer, const std::string& labels) {
  return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0\" "
         "styleCategories=\"Symbology|Labeling\">" +
         renderer + labels + "</qgis>\n";
}

/// A graduated choropleth of `field` with the classes the maps use.
std::string choropleth_qml(const IndicatorInfo& info, const std::vector<double>& values) {
  Classes classes;
  try {
    classes = quantile_classes(values, 5);
  } catch (const DrawingError&) {
    classes.breaks = {0, 1};  // (no finite value: one class)
  }
  if (classes.count() == 0) classes.breaks = {classes.breaks.front(), classes.breaks.front() + 1};
  const auto colours = ColourRamp::yellow_orange_red().classes(classes.count());
  const auto labels = classes.labels();
  std::string ranges, symbols;
  for (int c = 0; c < classes.count(); ++c) {
    ranges += "<range render=\"true\" symbol=\"" + std::to_string(c) + "\" lower=\"" +
              std::to_string(c == 0 ? std::min(0.0, classes.breaks[c]) : classes.breaks[c]) +
              "\" upper=\"" + std::to_string(classes.breaks[c + 1]) + "\" label=\"" +
              xml_escaped(labels[c]) + "\"/>";
    symbols += fill_symbol(std::to_string(c), colours[c]);
  }
  return qml(std::string("<renderer-v2 type=\"graduatedSymbol\" attr=\"") + info.key +
                 "\" graduatedMethod=\"GraduatedColor\" forceraster=\"0\" symbollevels=\"0\" "
                 "enableorderby=\"0\"><ranges>" +
                 ranges + "</ranges><symbols>" + symbols +
                 "</symbols><mode name=\"quantile\"/></renderer-v2>",
             labeling("name"));
}

std::string point_qml(const std::string& shape, const Colour& colour, double size_mm) {
  return qml("<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
             "enableorderby=\"0\"><symbols>" +
                 marker_symbol(shape, colour, size_mm) + "</symbols></renderer-v2>",
             labeling("name"));
}

void write_styles(GDALDataset& ds, const RunFacts& facts) {
  OGRLayer* layer = create_layer(ds, "layer_styles", wkbNone, nullptr,
                                 "QGIS layer styles (QML): the default opens districts as a "
                                 "choropleth");
  const char* text_fields[] = {"f_table_catalog", "f_table_schema", "f_table_name",
                               "f_geometry_column", "styleName", "styleQML", "styleSLD",
                               "description", "owner", "ui"};
  for (const char* name : text_fields) add_field(*layer, name, OFTString);
  {
    OGRFieldDefn field("useAsDefault", OFTInteger);
    field.SetSubType(OFSTBoolean);
    if (layer->CreateField(&field) != OGRERR_NONE) fail("cannot create field useAsDefault");
  }
  add_field(*layer, "update_time", OFTDateTime);

  auto add = [&](const char* table, const std::string& name, const std::string& qml_text,
                 bool is_default, const std::string& description) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("f_table_catalog", "");
    f.SetField("f_table_schema", "");
    f.SetField("f_table_name", table);
    f.SetField("f_geometry_column", "geom");
    f.SetField("styleName", name.c_str());
    f.SetField("styleQML", qml_text.c_str());
    f.SetField("styleSLD", "");
    f.SetField("useAsDefault", is_default ? 1 : 0);
    f.SetField("description", description.c_str());
    f.SetField("owner", "rfsim");
    f.SetField("ui", "");
    add_feature(*layer, f, "a layer style");
  };
  for (const IndicatorInfo& indicator : indicator_infos()) {
    std::vector<double> values;
    for (const auto& d : facts.districts) values.push_back(d[indicator.id]);
    add("districts", indicator.key, choropleth_qml(indicator, values),
        indicator.id == Indicator::peak_per_1000,
        std::string(indicator.label) + " (" + indicator.units + "), quantile classes");
  }
  add("facilities", "facilities", point_qml("square", Colour::hex("#1d4f91"), 3.2), true,
      "Quarantine facilities");
  add("entry_points", "entry_points", point_qml("triangle", Colour::hex("#222222"), 3.0), true,
      "Points of entry");
}

// ---- layers ------------------------------------------------------------------------------

void write_districts(GDALDataset& ds, const OGRSpatialReference& srs, const Results& r,
                     const RunFacts& facts, const Boundaries& boundaries) {
  OGRLayer* layer = create_layer(ds, "districts", wkbMultiPolygon, &srs,
                                 "Districts of the study area and those the flows reach, with "
                                 "the run's indicators");
  add_field(*layer, "code", OFTString);
  add_field(*layer, "name", OFTString);
  add_field(*layer, "province", OFTString);
  add_field(*layer, "population", OFTReal);
  add_field(*layer, "area_km2", OFTReal);
  add_field(*layer, "study_area", OFTInteger);
  for (const IndicatorInfo& indicator : indicator_infos())
    add_field(*layer, indicator.key, OFTReal);
  for (const DistrictFacts& d : facts.districts) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("code", d.code.c_str());
    f.SetField("name", d.name.c_str());
    f.SetField("province", d.province.c_str());
    f.SetField("population", d.population);
    f.SetField("area_km2", d.area_km2);
    f.SetField("study_area", d.study_area ? 1 : 0);
    for (const IndicatorInfo& indicator : indicator_infos())
      set_number(f, indicator.key, d[indicator.id]);
    f.SetGeometry(&boundaries.district(d.index));
    add_feature(*layer, f, "district " + d.name);
  }
  (void)r;
}

void write_facilities(GDALDataset& ds, const OGRSpatialReference& srs, const Results& r,
                      const RunFacts& facts) {
  OGRLayer* layer = create_layer(ds, "facilities", wkbPoint, &srs,
                                 "Quarantine facilities: beds, load and days over capacity");
  add_field(*layer, "name", OFTString);
  add_field(*layer, "district", OFTString);
  add_field(*layer, "capacity", OFTInteger);
  add_field(*layer, "opens", OFTDate);
  add_field(*layer, "closes", OFTDate);
  add_field(*layer, "peak_occupancy", OFTReal);
  add_field(*layer, "peak_date", OFTDate);
  add_field(*layer, "days_over_capacity", OFTInteger);
  add_field(*layer, "first_over", OFTDate);
  add_field(*layer, "last_over", OFTDate);
  add_field(*layer, "intake", OFTReal);
  add_field(*layer, "infections", OFTReal);
  add_field(*layer, "located_by", OFTString);
  for (const FacilityFacts& fa : facts.facilities) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("name", fa.name.c_str());
    if (fa.district >= 0) f.SetField("district", r.districts[fa.district].name.c_str());
    f.SetField("capacity", static_cast<int>(fa.capacity));
    set_date(f, "opens", date_of(facts, fa.opens));
    set_date(f, "closes", date_of(facts, fa.closes));
    f.SetField("peak_occupancy", fa.peak_occupancy);
    set_date(f, "peak_date", date_of(facts, fa.peak_day));
    f.SetField("days_over_capacity", fa.days_over);
    if (!fa.episodes.empty()) {
      set_date(f, "first_over", date_of(facts, fa.episodes.front().first_day));
      set_date(f, "last_over", date_of(facts, fa.episodes.back().last_day));
    }
    f.SetField("intake", fa.intake);
    f.SetField("infections", fa.infections);
    f.SetField("located_by", fa.at.from_coordinates ? "coordinates" : "district");
    OGRPoint point(fa.at.x, fa.at.y);
    f.SetGeometry(&point);
    add_feature(*layer, f, "facility " + fa.name);
  }
}

void write_entry_points(GDALDataset& ds, const OGRSpatialReference& srs, const Results& r,
                        const RunFacts& facts) {
  OGRLayer* layer = create_layer(ds, "entry_points", wkbPoint, &srs,
                                 "Points of entry: arrivals and their share");
  add_field(*layer, "name", OFTString);
  add_field(*layer, "formal", OFTInteger);
  add_field(*layer, "district", OFTString);
  add_field(*layer, "arrivals", OFTReal);
  add_field(*layer, "share", OFTReal);
  add_field(*layer, "infected_arrivals", OFTReal);
  add_field(*layer, "peak_arrivals", OFTReal);
  add_field(*layer, "peak_date", OFTDate);
  add_field(*layer, "located_by", OFTString);
  for (const EntryFacts& e : facts.entry_points) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("name", e.name.c_str());
    f.SetField("formal", e.formal ? 1 : 0);
    if (e.district >= 0) f.SetField("district", r.districts[e.district].name.c_str());
    f.SetField("arrivals", e.arrivals);
    f.SetField("share", e.share);
    f.SetField("infected_arrivals", e.infected);
    f.SetField("peak_arrivals", e.peak_arrivals);
    set_date(f, "peak_date", date_of(facts, e.peak_day));
    f.SetField("located_by", e.at.from_coordinates ? "coordinates" : "district");
    OGRPoint point(e.at.x, e.at.y);
    f.SetGeometry(&point);
    add_feature(*layer, f, "entry point " + e.name);
  }
}

void write_weekly(GDALDataset& ds, const Results& r, const RunFacts& facts) {
  OGRLayer* layer = create_layer(ds, "weekly", wkbNone, nullptr,
                                 "Each study district week by week: social workers needed and "
                                 "deployed (FTE), unmet need, returnees home, packages, "
                                 "re-migration");
  const char* text[] = {"code", "district", "province"};
  for (const char* name : text) add_field(*layer, name, OFTString);
  add_field(*layer, "week", OFTInteger);
  add_field(*layer, "week_start", OFTDate);
  const char* numbers[] = {"demand_fte",  "need_fte",         "deployed_fte",
                           "gap_fte",     "need_gap_fte",     "unmet_need",
                           "unmet_need_total", "arrived_home", "packages",
                           "remigrated"};
  for (const char* name : numbers) add_field(*layer, name, OFTReal);
  for (const WeekRow& w : facts.weeks_table) {
    const auto& d = r.districts[w.district];
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("code", d.code.c_str());
    f.SetField("district", d.name.c_str());
    f.SetField("province", d.province.c_str());
    f.SetField("week", w.week + 1);
    set_date(f, "week_start", date_of(facts, 7 * w.week));
    const double values[] = {w.demand,      w.need,         w.deployed, w.gap,
                             w.need_gap,    w.unmet,        w.unmet_total,
                             w.arrived_home, w.packages,    w.remigrated};
    for (std::size_t i = 0; i < std::size(numbers); ++i) f.SetField(numbers[i], values[i]);
    add_feature(*layer, f, "a weekly row");
  }
}

}  // namespace

void write_geopackage(const fs::path& path, const Results& results, const RunFacts& facts,
                      const Boundaries& boundaries) {
  static std::once_flag registered;
  std::call_once(registered, [] { GDALAllRegister(); });
  QuietGdal quiet;
  std::error_code ec;
  if (fs::exists(path, ec)) throw OutputError(path.string() + ": exists already");
  try {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) fail("GDAL has no GPKG driver");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) fail("cannot create the GeoPackage");
    const OGRSpatialReference srs = geo::spatial_reference(geo::kUtmZone48NEpsg);
    if (ds->StartTransaction() != OGRERR_NONE) fail("cannot start a transaction");
    write_districts(*ds, srs, results, facts, boundaries);
    write_facilities(*ds, srs, results, facts);
    write_entry_points(*ds, srs, results, facts);
    write_weekly(*ds, results, facts);
    write_styles(*ds, facts);
    if (ds->CommitTransaction() != OGRERR_NONE) fail("cannot commit");
    CPLErrorReset();
    ds.reset();  // (closing writes what SQLite still holds)
    if (CPLGetLastErrorType() >= CE_Failure) fail("cannot close");
  } catch (const Failure& failure) {
    fs::remove(path, ec);
    throw OutputError(path.string() + ": " + failure.what);
  } catch (const geo::GeoError& e) {
    fs::remove(path, ec);
    throw OutputError(path.string() + ": " + e.what());
  }
}

}  // namespace rfsim::outputs
