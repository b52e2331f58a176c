// The project's census tables (geo/tables: 2008 district figures, 2019 totals, province
// codes) and the NIS 2008 village points, which give district populations and NCDD codes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "geo/polygon_index.h"

namespace rfsim::geo {

/// A row of census2008_study_districts.csv.
struct StudyDistrictCensus {
  std::string code, name, shape_id, province;
  double population_2008 = 0;
  std::string where;  ///< "geo: file: row N", for messages
};

struct CensusTables {
  std::vector<StudyDistrictCensus> study_districts;
  std::map<std::string, double> population_2019;  ///< by province, and "Cambodia"
  double cambodia_population_2008 = 0;
  std::map<std::string, std::string> province_codes;  ///< canonical province -> "01".."24"
  std::map<std::string, std::string> district_codes;  ///< "01" + normalised 2008 name -> code
  std::vector<std::string> files;                     ///< every table read
};

/// Reads census2008_study_districts.csv, census2008_districts.csv, population_totals.csv
/// and provinces.csv from `dir`; throws GeoError naming the file, row and column.
CensusTables read_census_tables(const std::string& dir);

/// The NCDD code of a district outside the study table: the 2008 census district of its
/// province with the same normalised name ("Krong X"/"X Municipality" = "X", case and
/// punctuation ignored) when exactly one matches, else "".
std::string census_district_code(const CensusTables& tables, const std::string& province,
                                 const std::string& name);

/// What the village points (X = lon, Y = lat, WGS84) inside each polygon of `districts`
/// (EPSG:32648) add up to.
struct VillageTotals {
  std::vector<double> population_2008;  ///< sum of TOTPOP
  std::vector<int> communes;            ///< distinct communes (first 6 digits of VILL_CODE)
};
VillageTotals village_totals(const std::string& villages_csv, const PolygonIndex& districts);

}  // namespace rfsim::geo
