#include "geo/census_tables.h"

#include <set>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <string_view>

#include "geo/csv_table.h"
#include "geo/geography.h"
#include "geo/polygon_layer.h"

namespace rfsim::geo {
namespace {

constexpr const char* kNational = "Cambodia";
constexpr const char* kAmbiguous = "";  // district_codes value of a name found twice

std::string normalised_district_name(std::string name) {
  auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  constexpr std::string_view kTownPrefix = "krong ", kTownSuffix = " municipality";
  name = lower(name);
  if (name.starts_with(kTownPrefix)) name.erase(0, kTownPrefix.size());
  if (name.ends_with(kTownSuffix)) name.erase(name.size() - kTownSuffix.size());
  std::string letters;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) letters += c;
  }
  return letters;
}

double non_negative(const CsvTable& table, std::size_t row, std::size_t column) {
  const double value = table.number(row, column);
  if (value < 0 || !std::isfinite(value)) {
    throw GeoError(table.where(row) + ": " + table.column_name(column) + " '" +
                   table.text(row, column) + "' is not a non-negative number");
  }
  return value;
}

void read_study_districts(const CsvTable& table, CensusTables& tables) {
  const auto code = table.column("ncdd_code"), name = table.column("name"),
             shape_id = table.column("shapeID"), province = table.column("province"),
             population = table.column("pop2008");
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    tables.study_districts.push_back({table.text(row, code), table.text(row, name),
                                      table.text(row, shape_id),
                                      canonical_province(table.text(row, province)),
                                      non_negative(table, row, population), table.where(row)});
  }
}

void read_population_totals(const CsvTable& table, CensusTables& tables) {
  const auto area = table.column("area"), year = table.column("year"),
             population = table.column("population");
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    const std::string& census_year = table.text(row, year);
    const double value = non_negative(table, row, population);
    if (census_year == "2019") {
      tables.population_2019[canonical_province(table.text(row, area))] = value;
    } else if (census_year == "2008" && table.text(row, area) == kNational) {
      tables.cambodia_population_2008 = value;
    } else {
      throw GeoError(table.where(row) + ": expected year 2019 (any area) or 2008 (" + kNational +
                     "), found " + table.text(row, area) + " " + census_year);
    }
  }
  if (tables.cambodia_population_2008 <= 0 || tables.population_2019[kNational] <= 0) {
    throw GeoError("geo: " + table.path() + ": needs positive " + kNational +
                   " totals for 2008 and 2019");
  }
}

void read_census_districts(const CsvTable& table, CensusTables& tables) {
  const auto code = table.column("ncdd_code"), name = table.column("name");
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    const std::string& district_code = table.text(row, code);
    if (district_code.size() != 4) {
      throw GeoError(table.where(row) + ": ncdd_code '" + district_code +
                     "' is not a 4-digit code");
    }
    const std::string key =
        district_code.substr(0, 2) + normalised_district_name(table.text(row, name));
    const bool seen = tables.district_codes.contains(key);
    tables.district_codes[key] = seen ? kAmbiguous : district_code;
  }
}

}  // namespace

CensusTables read_census_tables(const std::string& dir) {
  CensusTables tables;
  auto read = [&](const char* file_name) {
    const std::string path = (std::filesystem::path(dir) / file_name).string();
    tables.files.push_back(path);
    return CsvTable::read(path);
  };
  read_study_districts(read("census2008_study_districts.csv"), tables);
  read_census_districts(read("census2008_districts.csv"), tables);
  read_population_totals(read("population_totals.csv"), tables);
  const CsvTable provinces = read("provinces.csv");
  const auto province = provinces.column("province"), code = provinces.column("census2008_code");
  for (std::size_t row = 0; row < provinces.row_count(); ++row) {
    tables.province_codes[canonical_province(provinces.text(row, province))] =
        provinces.text(row, code);
  }
  return tables;
}

std::string census_district_code(const CensusTables& tables, const std::string& province,
                                 const std::string& name) {
  const auto province_code = tables.province_codes.find(province);
  if (province_code == tables.province_codes.end()) return "";
  const auto match =
      tables.district_codes.find(province_code->second + normalised_district_name(name));
  return match == tables.district_codes.end() ? "" : match->second;
}

VillageTotals village_totals(const std::string& villages_csv, const PolygonIndex& districts) {
  const CsvTable villages = CsvTable::read(villages_csv);
  const auto lon = villages.column("X"), lat = villages.column("Y"),
             population = villages.column("TOTPOP"), code = villages.column("VILL_CODE");
  const std::size_t count = villages.row_count();
  std::vector<double> x(count), y(count), people(count);
  for (std::size_t row = 0; row < count; ++row) {
    x[row] = villages.number(row, lon);
    y[row] = villages.number(row, lat);
    people[row] = non_negative(villages, row, population);
    if (std::abs(x[row]) > 180 || std::abs(y[row]) > 90) {
      throw GeoError(villages.where(row) + ": X,Y = " + villages.text(row, lon) + "," +
                     villages.text(row, lat) + " is not a WGS84 longitude,latitude");
    }
  }
  if (count > 0 && !transformation_from_wgs84(kUtmZone48NEpsg)
                        ->Transform(static_cast<int>(count), x.data(), y.data())) {
    throw GeoError("geo: " + villages_csv + ": cannot project the village points to UTM 48N");
  }
  VillageTotals totals;
  totals.population_2008.assign(districts.size(), 0.0);
  std::vector<std::set<std::string>> communes(districts.size());
  for (std::size_t row = 0; row < count; ++row) {
    const int district = districts.find(x[row], y[row]);
    if (district < 0) continue;
    totals.population_2008[district] += people[row];
    const std::string village = villages.text(row, code);
    if (village.size() != 8 || village.find_first_not_of("0123456789") != std::string::npos)
      throw GeoError(villages.where(row) + ": VILL_CODE = " + village +
                     " is not an 8-digit NIS village code");
    communes[district].insert(village.substr(0, 6));
  }
  for (const auto& c : communes) totals.communes.push_back(static_cast<int>(c.size()));
  return totals;
}

}  // namespace rfsim::geo
