#include "geo/polygon_layer.h"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <mutex>

#include "geo/geography.h"

namespace rfsim::geo {
namespace {

// Keeps GDAL from printing its own errors while we turn them into GeoError messages.
class QuietGdalErrors {
 public:
  QuietGdalErrors() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietGdalErrors() { CPLPopErrorHandler(); }
  QuietGdalErrors(const QuietGdalErrors&) = delete;
  QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
};

void register_gdal_drivers() {
  static std::once_flag registered;
  std::call_once(registered, [] { GDALAllRegister(); });
}

std::string gdal_error_suffix() {
  const std::string message = CPLGetLastErrorMsg();
  return message.empty() ? "" : " (GDAL: " + message + ")";
}

}  // namespace

OGRSpatialReference spatial_reference(int epsg) {
  OGRSpatialReference reference;
  if (reference.importFromEPSG(epsg) != OGRERR_NONE) {
    throw GeoError("geo: PROJ does not know EPSG:" + std::to_string(epsg));
  }
  reference.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return reference;
}

std::unique_ptr<OGRCoordinateTransformation> transformation_from_wgs84(int target_epsg) {
  const OGRSpatialReference wgs84 = spatial_reference(kWgs84Epsg);
  const OGRSpatialReference target = spatial_reference(target_epsg);
  std::unique_ptr<OGRCoordinateTransformation> transformation(
      OGRCreateCoordinateTransformation(&wgs84, &target));
  if (!transformation) {
    throw GeoError("geo: cannot transform WGS84 to EPSG:" + std::to_string(target_epsg));
  }
  return transformation;
}

std::unique_ptr<OGRCoordinateTransformation> transformation_to_wgs84(int source_epsg) {
  const OGRSpatialReference source = spatial_reference(source_epsg);
  const OGRSpatialReference wgs84 = spatial_reference(kWgs84Epsg);
  std::unique_ptr<OGRCoordinateTransformation> transformation(
      OGRCreateCoordinateTransformation(&source, &wgs84));
  if (!transformation) {
    throw GeoError("geo: cannot transform EPSG:" + std::to_string(source_epsg) + " to WGS84");
  }
  return transformation;
}

PolygonLayer read_polygon_layer(const std::string& path, const std::vector<std::string>& fields,
                                int target_epsg) {
  register_gdal_drivers();
  QuietGdalErrors quiet;
  const std::string where = "geo: " + path;
  GDALDatasetUniquePtr dataset(
      GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR));
  if (!dataset) throw GeoError(where + ": cannot open as a vector dataset" + gdal_error_suffix());
  if (dataset->GetLayerCount() < 1) throw GeoError(where + ": the dataset has no layer");
  OGRLayer* layer = dataset->GetLayer(0);

  OGRFeatureDefn* definition = layer->GetLayerDefn();
  std::vector<int> field_indices;
  for (const std::string& field : fields) {
    const int index = definition->GetFieldIndex(field.c_str());
    if (index < 0) throw GeoError(where + ": layer has no field '" + field + "'");
    field_indices.push_back(index);
  }

  const OGRSpatialReference* source = layer->GetSpatialRef();
  if (source == nullptr) {
    throw GeoError(where + ": layer has no coordinate reference system (expected e.g. WGS84)");
  }
  OGRSpatialReference source_reference(*source);
  source_reference.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  const OGRSpatialReference target = spatial_reference(target_epsg);
  std::unique_ptr<OGRCoordinateTransformation> transformation(
      OGRCreateCoordinateTransformation(&source_reference, &target));
  if (!transformation) {
    throw GeoError(where + ": cannot transform its CRS to EPSG:" + std::to_string(target_epsg) +
                   gdal_error_suffix());
  }

  PolygonLayer result;
  layer->ResetReading();
  for (auto& feature : *layer) {
    const std::string which = where + ": feature " + std::to_string(feature->GetFID());
    PolygonFeature polygon;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const int index = field_indices[i];
      std::string value =
          feature->IsFieldSetAndNotNull(index) ? feature->GetFieldAsString(index) : "";
      if (value.empty()) throw GeoError(which + ": field '" + fields[i] + "' is empty");
      polygon.fields.push_back(std::move(value));
    }
    const OGRGeometry* geometry = feature->GetGeometryRef();
    if (geometry == nullptr || geometry->IsEmpty()) throw GeoError(which + " has no geometry");
    const OGRwkbGeometryType type = wkbFlatten(geometry->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon) {
      throw GeoError(where + ": expected Polygon/MultiPolygon geometries, feature " +
                     std::to_string(feature->GetFID()) + " has " + OGRGeometryTypeToName(type));
    }
    std::unique_ptr<OGRGeometry> multi(OGRGeometryFactory::forceToMultiPolygon(geometry->clone()));
    multi->flattenTo2D();
    if (multi->transform(transformation.get()) != OGRERR_NONE) {
      throw GeoError(which + ": cannot reproject to EPSG:" + std::to_string(target_epsg) +
                     gdal_error_suffix());
    }
    polygon.geometry.reset(multi.release()->toMultiPolygon());
    result.features.push_back(std::move(polygon));
  }
  if (result.features.empty()) throw GeoError(where + ": the layer has no features");

  char** files = dataset->GetFileList();
  for (char** file = files; file != nullptr && *file != nullptr; ++file) {
    result.files.emplace_back(*file);
  }
  CSLDestroy(files);
  if (result.files.empty()) result.files.push_back(path);
  return result;
}

}  // namespace rfsim::geo
