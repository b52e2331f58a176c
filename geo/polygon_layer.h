// Reads polygon layers (provinces, districts) from any OGR vector dataset (GeoJSON,
// GeoPackage, Shapefile, ...) and reprojects them, with errors naming file and feature.
#pragma once

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <memory>
#include <string>
#include <vector>

namespace rfsim::geo {

inline constexpr int kWgs84Epsg = 4326;        ///< lon/lat in degrees
inline constexpr int kUtmZone48NEpsg = 32648;  ///< metres; covers all of Cambodia

struct PolygonFeature {
  std::vector<std::string> fields;            ///< the requested fields, in request order
  std::unique_ptr<OGRMultiPolygon> geometry;  ///< in the target CRS (x = lon for WGS84)
};

struct PolygonLayer {
  std::vector<PolygonFeature> features;  ///< in the layer's reading order
  std::vector<std::string> files;        ///< every file the dataset consists of
};

/// The first layer of the dataset at `path`, with the named string fields (each must exist
/// and be non-empty) and the geometries reprojected to EPSG:target_epsg.
PolygonLayer read_polygon_layer(const std::string& path, const std::vector<std::string>& fields,
                                int target_epsg);

/// A spatial reference for an EPSG code with x = easting/longitude, y = northing/latitude.
OGRSpatialReference spatial_reference(int epsg);

/// Transformation from WGS84 lon/lat to EPSG:target_epsg. Not thread-safe (PROJ state).
std::unique_ptr<OGRCoordinateTransformation> transformation_from_wgs84(int target_epsg);
/// Transformation from EPSG:source_epsg to WGS84 lon/lat. Not thread-safe (PROJ state).
std::unique_ptr<OGRCoordinateTransformation> transformation_to_wgs84(int source_epsg);

}  // namespace rfsim::geo
