// Resolution of scenario place names and coordinates to district indices (see setup.h).
#include "sim/setup.h"

#include <ogr_spatialref.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "scenarios/toml_reader.h"

namespace rfsim::sim {
namespace {

using text::join_prose;
using text::single_quoted;

std::string lonlat_text(double lon, double lat) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "(%.5f, %.5f)", lon, lat);
  return buf;
}

/// Names of every district as find() accepts them, for "did you mean".
std::vector<std::string> district_names(const geo::Geography& g) {
  std::vector<std::string> names;
  names.reserve(g.districts.size());
  for (int i = 0; i < g.size(); ++i) names.push_back(g.display_name(i));
  return names;
}

class Resolver {
 public:
  Resolver(Scenario& s, const geo::Geography& g, const geo::Locator& loc)
      : s_(s), g_(g), loc_(loc) {
    for (const auto& d : g.districts) provinces_.insert(d.province);
    study_text_ = join_prose(s.study_provinces);
  }

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw s_.key_error(key, message);
  }

  /// District index for a name, or a ScenarioError at `key` with a suggestion.
  int district_by_name(const std::string& key, const std::string& name) {
    int d = g_.find(name);
    if (d >= 0) return d;
    if (names_.empty()) names_ = district_names(g_);
    std::string message = "unknown district '" + name + "'";
    int same_name = 0;
    for (const auto& dist : g_.districts) same_name += dist.name == name ? 1 : 0;
    if (same_name > 1) {
      std::vector<std::string> options;
      for (int i = 0; i < g_.size(); ++i)
        if (g_.districts[i].name == name) options.push_back(single_quoted(g_.display_name(i)));
      message = "district name '" + name + "' is ambiguous: write " + join_prose(options);
    } else if (auto near = scenario_detail::nearest(name, names_); !near.empty()) {
      message += " (did you mean '" + near + "'?)";
    }
    fail(key, message);
  }

  int district_by_point(const std::string& key, double lon, double lat) {
    int d = loc_.locate(lon, lat);
    if (d < 0)
      fail(key, "point " + lonlat_text(lon, lat) +
                    " (lon, lat) lies outside every district of Cambodia");
    return d;
  }

  void require_study(const std::string& key, int d, const std::string& what) {
    if (g_.districts[d].study_area) return;
    fail(key, what + " lies in " + g_.display_name(d) + " (" + g_.districts[d].province +
                  "), outside the study area (" + study_text_ + ")");
  }

  /// WGS84 (lon, lat) of the district's surface point.
  std::pair<double, double> lonlat_of(int d) {
    if (!to_wgs84_) {
      OGRSpatialReference utm, wgs;
      utm.importFromEPSG(32648);
      wgs.importFromEPSG(4326);
      wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      to_wgs84_.reset(OGRCreateCoordinateTransformation(&utm, &wgs));
    }
    double x = g_.districts[d].x, y = g_.districts[d].y;
    if (!to_wgs84_ || !to_wgs84_->Transform(1, &x, &y)) return {0.0, 0.0};
    return {x, y};
  }

  void provinces() {
    for (size_t i = 0; i < s_.study_provinces.size(); ++i) {
      const std::string canon = geo::canonical_province(s_.study_provinces[i]);
      if (!provinces_.count(canon)) fail(study_key(i), unknown_province(s_.study_provinces[i]));
    }
    for (const auto& [name, share] : s_.home.province_share) {
      if (name == "other") continue;
      if (!provinces_.count(geo::canonical_province(name)))
        fail("home.province_share." + name, unknown_province(name) + " or \"other\"");
    }
  }

  void entry_points() {
    for (size_t i = 0; i < s_.entry_points.size(); ++i) {
      auto& e = s_.entry_points[i];
      const std::string base = "entry_points." + std::to_string(i) + ".";
      if (e.has_coordinates) {
        e.district = district_by_point(base + "lon", e.lon, e.lat);
      } else {
        e.district = district_by_name(base + "district", e.district_name);
        auto [lon, lat] = lonlat_of(e.district);
        e.lon = lon;
        e.lat = lat;
      }
      e.district_name = g_.display_name(e.district);
    }
  }

  void facilities() {
    for (size_t i = 0; i < s_.facilities.size(); ++i) {
      auto& f = s_.facilities[i];
      const std::string base = "facilities." + std::to_string(i) + ".";
      if (f.has_coordinates) {
        f.district = district_by_point(base + "lon", f.lon, f.lat);
        require_study(base + "lon", f.district,
                      "facility '" + f.name + "' at " + lonlat_text(f.lon, f.lat));
      } else {
        f.district = district_by_name(base + "district", f.district_name);
        require_study(base + "district", f.district, "facility '" + f.name + "'");
        auto [lon, lat] = lonlat_of(f.district);
        f.lon = lon;
        f.lat = lat;
      }
      f.district_name = g_.display_name(f.district);
    }
  }

  /// Rewrites a name-keyed map to display names, checking each name.
  void district_map(std::map<std::string, double>& m, const std::string& prefix, bool study_only,
                    const std::string& what) {
    std::map<std::string, double> out;
    for (const auto& [name, value] : m) {
      const std::string key = prefix + "." + name;
      int d = district_by_name(key, name);
      if (study_only && !g_.districts[d].study_area)
        fail(key, "expected a district of the study area (" + study_text_ + ") for " + what + "; " +
                      g_.display_name(d) + " is in " + g_.districts[d].province);
      out[g_.display_name(d)] += value;
    }
    m = std::move(out);
  }

 private:
  std::string study_key(size_t i) const {
    // The parser records either the list or one element, depending on its layout.
    for (std::string k :
         {std::string("study_provinces.") + std::to_string(i),
          std::string("study.provinces.") + std::to_string(i),
          std::string("run.study_provinces.") + std::to_string(i), std::string("study_provinces"),
          std::string("study.provinces"), std::string("run.study_provinces")})
      if (s_.key_lines.count(k)) return k;
    return "study_provinces";
  }

  std::string unknown_province(const std::string& name) const {
    std::vector<std::string> all(provinces_.begin(), provinces_.end());
    std::string message = "unknown province '" + name + "'";
    if (auto near = scenario_detail::nearest(name, all); !near.empty())
      message += " (did you mean '" + near + "'?)";
    else
      message += "; expected a province of Cambodia";
    return message;
  }

  Scenario& s_;
  const geo::Geography& g_;
  const geo::Locator& loc_;
  std::set<std::string> provinces_;
  std::string study_text_;
  std::vector<std::string> names_;
  std::unique_ptr<OGRCoordinateTransformation> to_wgs84_;
};

/// A data file that does not exist is a scenario error at its key (or at data.dir when the
/// whole folder is missing), before GDAL reports it without a key. GDAL's virtual paths
/// (/vsizip/, /vsicurl/, ...) are left to GDAL.
void check_data_file(const Scenario& s, const std::string& key, const std::string& path) {
  std::error_code ec;
  if (path.rfind("/vsi", 0) == 0 || std::filesystem::exists(path, ec)) return;
  if (!std::filesystem::is_directory(s.data_dir, ec))
    throw s.key_error(s.key_lines.count(key) ? key : "data.dir",
                      "expected a data folder with the boundary and census files (" + s.data_dir +
                          " does not exist: give data.dir, set RFSIM_DATA or run "
                          "scripts/fetch-data)");
  throw s.key_error(key, "expected a data file (" + path + " does not exist)");
}

}  // namespace

geo::GeoInputs geo_inputs(const Scenario& scenario) {
  check_data_file(scenario, "data.adm1_file", scenario.adm1_file);
  check_data_file(scenario, "data.adm2_file", scenario.adm2_file);
  check_data_file(scenario, "data.villages_file", scenario.villages_file);
  geo::GeoInputs in;
  in.adm1_path = scenario.adm1_file;
  in.adm2_path = scenario.adm2_file;
  in.villages_csv = scenario.villages_file;
  in.study_provinces = scenario.study_provinces;
  return in;
}

void resolve_scenario(Scenario& scenario, const geo::Geography& geography,
                      const geo::Locator& locator) {
  Resolver r(scenario, geography, locator);
  r.provinces();
  r.entry_points();
  r.facilities();
  r.district_map(scenario.services.deployed, "services.deployed", true, "deployed social workers");
  r.district_map(scenario.home.district_weight, "home.district_weight", false, "");
}

}  // namespace rfsim::sim
