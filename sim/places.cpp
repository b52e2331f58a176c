// Resolution of scenario place names and coordinates to district indices (see places.h).
#include "sim/places.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <tuple>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"

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
  Resolver(const Scenario& s, const geo::Geography& g, const geo::Locator* loc)
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
    } else if (auto near = text::nearest(name, names_); !near.empty()) {
      message += " (did you mean '" + near + "'?)";
    }
    fail(key, message);
  }

  int district_by_point(const std::string& key, double lon, double lat) {
    if (!loc_) fail(key, "coordinates need the district boundaries to be placed");
    int d = loc_->locate(lon, lat);
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

  void entry_points(Places& p) {
    for (size_t i = 0; i < s_.entry_points.size(); ++i) {
      const EntryPoint& e = s_.entry_points[i];
      const std::string base = "entry_points." + std::to_string(i) + ".";
      int d;
      double lon = e.lon, lat = e.lat, x, y;
      if (e.has_coordinates) {
        d = district_by_point(base + "lon", e.lon, e.lat);
        std::tie(x, y) = geo::to_metres(lon, lat);
      } else {
        d = district_by_name(base + "district", e.district_name);
        std::tie(lon, lat) = g_.lonlat(d);
        x = g_.districts[d].x, y = g_.districts[d].y;
      }
      p.entry_district.push_back(d);
      p.entry_lon.push_back(lon);
      p.entry_lat.push_back(lat);
      p.entry_x.push_back(x);
      p.entry_y.push_back(y);
    }
  }

  void facilities(Places& p) {
    for (size_t i = 0; i < s_.facilities.size(); ++i) {
      const Facility& f = s_.facilities[i];
      const std::string base = "facilities." + std::to_string(i) + ".";
      int d;
      double lon = f.lon, lat = f.lat, x, y;
      if (f.has_coordinates) {
        d = district_by_point(base + "lon", f.lon, f.lat);
        require_study(base + "lon", d,
                      "facility '" + f.name + "' at " + lonlat_text(f.lon, f.lat));
        std::tie(x, y) = geo::to_metres(lon, lat);
      } else {
        d = district_by_name(base + "district", f.district_name);
        require_study(base + "district", d, "facility '" + f.name + "'");
        std::tie(lon, lat) = g_.lonlat(d);
        x = g_.districts[d].x, y = g_.districts[d].y;
      }
      p.facility_district.push_back(d);
      p.facility_lon.push_back(lon);
      p.facility_lat.push_back(lat);
      p.facility_x.push_back(x);
      p.facility_y.push_back(y);
    }
  }

  /// A name-keyed table of values as one value per district, checking each name.
  std::vector<double> per_district(const std::map<std::string, double>& m,
                                   const std::string& prefix, bool study_only,
                                   const std::string& what) {
    std::vector<double> out(static_cast<size_t>(g_.size()), 0.0);
    for (const auto& [name, value] : m) {
      const std::string key = prefix + "." + name;
      const int d = district_by_name(key, name);
      if (study_only && !g_.districts[d].study_area)
        fail(key, "expected a district of the study area (" + study_text_ + ") for " + what +
                      "; " + g_.display_name(d) + " is in " + g_.districts[d].province);
      out[d] += value;
    }
    return out;
  }

  std::vector<int> deploy_candidates() {
    std::vector<int> out;
    const auto& names = s_.services.deploy_districts;
    if (names.empty()) return g_.study_indices();
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string key = "services.deploy_districts." + std::to_string(i);
      const int d = district_by_name(key, names[i]);
      require_study(key, d, "district '" + names[i] + "' selected for additional workers");
      out.push_back(d);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  /// The initial-state groups with their places and needs resolved; errors at the table's
  /// row ("file:row: place: ...").
  std::vector<Places::InitialGroup> initial_groups() {
    std::vector<Places::InitialGroup> out;
    const InitialState& init = s_.initial;
    for (const rfsim::InitialGroup& g : init.groups) {
      const std::string where = init.table_path + ":" + std::to_string(g.row) + ": ";
      Places::InitialGroup r{g.kind, -1, -1, g.count, g.days_left};
      if (g.kind == rfsim::InitialGroup::Kind::Quarantine) {
        for (size_t f = 0; f < s_.facilities.size(); ++f)
          if (s_.facilities[f].name == g.place) r.place = static_cast<int>(f);
        if (r.place < 0) {
          std::vector<std::string> names;
          for (const auto& f : s_.facilities) names.push_back(f.name);
          const std::string near = text::nearest(g.place, names);
          throw ScenarioError(where + "place: expected the name of a [[facilities]] (got '" +
                              g.place + "')" +
                              (near.empty() ? "" : " (did you mean '" + near + "'?)"));
        }
      } else {
        const int d = g_.find(g.place);
        if (d < 0) {
          if (names_.empty()) names_ = district_names(g_);
          const std::string near = text::nearest(g.place, names_);
          throw ScenarioError(where + "place: unknown district '" + g.place + "'" +
                              (near.empty() ? "" : " (did you mean '" + near + "'?)"));
        }
        if (!g_.districts[d].study_area)
          throw ScenarioError(where + "place: expected a district of the study area (" +
                              study_text_ + "); " + g_.display_name(d) + " is in " +
                              g_.districts[d].province);
        r.place = d;
      }
      if (!g.need.empty()) {
        for (size_t k = 0; k < s_.services.needs.size(); ++k)
          if (s_.services.needs[k].name == g.need) r.need = static_cast<int>(k);
        if (r.need < 0)
          throw ScenarioError(where + "need: expected one of the needs of [services.needs] (got '" +
                              g.need + "')");
      }
      out.push_back(r);
    }
    return out;
  }

  /// Home-district weights: district_weight when given; else each province share split
  /// within its province by district population ("other" = every district outside the
  /// study provinces); else population over all districts.
  std::vector<double> home_weights() {
    const HomeDistricts& home = s_.home;
    if (!home.district_weight.empty())
      return per_district(home.district_weight, "home.district_weight", false, "");
    std::vector<double> w(static_cast<size_t>(g_.size()), 0.0);
    if (home.province_share.empty()) {
      for (int j = 0; j < g_.size(); ++j) w[j] = g_.districts[j].population;
      return w;
    }
    const auto& study = s_.study_provinces;
    // A study province left out of the table would silently get no returnees.
    std::vector<std::string> missing;
    for (const std::string& p : study)
      if (!home.province_share.count(p)) missing.push_back(p);
    if (!missing.empty())
      fail("home.province_share",
           "expected a share for every study province (missing " + join_prose(missing) +
               "; give 0 to send none there)");
    for (const auto& [province, share] : home.province_share) {
      std::vector<int> members;
      for (int j = 0; j < g_.size(); ++j) {
        const std::string& p = g_.districts[j].province;
        const bool in_study = std::find(study.begin(), study.end(), p) != study.end();
        if (province == "other" ? !in_study : p == province) members.push_back(j);
      }
      if (members.empty()) {
        if (share > 0)
          fail("home.province_share." + province,
               "no district in province '" + province + "' to send its share " +
                   text::format_number(share) + " to");
        continue;
      }
      double pop = 0;
      for (int j : members) pop += g_.districts[j].population;
      for (int j : members)
        w[j] += share * (pop > 0 ? g_.districts[j].population / pop : 1.0 / members.size());
    }
    return w;
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
    if (auto near = text::nearest(name, all); !near.empty())
      message += " (did you mean '" + near + "'?)";
    else
      message += "; expected a province of Cambodia";
    return message;
  }

  const Scenario& s_;
  const geo::Geography& g_;
  const geo::Locator* loc_;
  std::set<std::string> provinces_;
  std::string study_text_;
  std::vector<std::string> names_;
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

Places resolve_places(const Scenario& scenario, const geo::Geography& geography,
                      const geo::Locator* locator) {
  Resolver r(scenario, geography, locator);
  r.provinces();
  Places p;
  r.entry_points(p);
  r.facilities(p);
  for (std::size_t e = 0; e < p.entry_district.size(); ++e) {
    std::vector<double>& km = p.entry_facility_km.emplace_back();
    for (std::size_t f = 0; f < p.facility_district.size(); ++f)
      km.push_back(geography.travel_km(p.entry_district[e], p.entry_x[e], p.entry_y[e],
                                       p.facility_district[f], p.facility_x[f],
                                       p.facility_y[f]));
  }
  p.deployed_workers = r.per_district(scenario.services.deployed, "services.deployed", true,
                                      "deployed social workers");
  p.home_weight = r.home_weights();
  p.deploy_candidates = r.deploy_candidates();
  const Services& v = scenario.services;
  if (v.deploy_min_per_district > v.deploy_max_per_district)
    r.fail("services.deploy_min_per_district",
           "expected at most services.deploy_max_per_district = " +
               std::to_string(v.deploy_max_per_district) + " (got " +
               std::to_string(v.deploy_min_per_district) + ")");
  const auto needed = static_cast<long long>(v.deploy_min_per_district) *
                      static_cast<long long>(p.deploy_candidates.size());
  if (v.additional_workers > 0 && needed > v.additional_workers)
    r.fail("services.deploy_min_per_district",
           "expected at most " + std::to_string(v.additional_workers) +
               " additional workers in all: " + std::to_string(v.deploy_min_per_district) +
               " in each of the " + std::to_string(p.deploy_candidates.size()) +
               " selected districts need " + std::to_string(needed));
  p.initial = r.initial_groups();
  return p;
}

}  // namespace rfsim::sim
