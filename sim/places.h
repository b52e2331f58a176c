// The scenario joined to the geography: every place a scenario names (entry points,
// facilities, deployed social workers, home-district weights) as district indices. The
// Scenario stays as the user wrote it; the engine reads this resolved view beside it.
// Built before a run (and by `validate`), with file:line errors for every name or point
// that does not resolve.
#pragma once

#include <string>
#include <vector>

#include "geo/geography.h"
#include "scenarios/scenario.h"

namespace rfsim::sim {

struct Places {
  /// Per entry point (scenario order): its district and where it is, in WGS84 and in
  /// metres (EPSG:32648). Entry points may lie outside the study area (Phsar Prum,
  /// O'Smach, Choam). One given by district name is at the district's surface point.
  std::vector<int> entry_district;
  std::vector<double> entry_lon, entry_lat, entry_x, entry_y;
  /// Per facility (scenario order): its district (always in the study area) and point.
  std::vector<int> facility_district;
  std::vector<double> facility_lon, facility_lat, facility_x, facility_y;
  /// [entry point][facility]: km from the entry point to the facility over the district
  /// graph (geo::Geography::travel_km); quarantine sends arrivals to the nearest one open.
  std::vector<std::vector<double>> entry_facility_km;
  /// Per district: social workers deployed (services.deployed).
  std::vector<double> deployed_workers;
  /// The districts additional social workers may go to (services.deploy_districts, else
  /// every study district), ascending.
  std::vector<int> deploy_candidates;
  /// Per district: relative weight of being a returnee's home (home.district_weight, else
  /// home.province_share split by district population, else population). Sums to > 0.
  std::vector<double> home_weight;
  /// The initial-state groups (Scenario::initial), in table order, with their place as a
  /// facility index (quarantine) or district index, and their need as an index into
  /// Scenario::services.needs (-1 when none).
  struct InitialGroup {
    rfsim::InitialGroup::Kind kind;
    int place = -1, need = -1;
    std::int64_t count = 0;
    int days_left = 0;
  };
  std::vector<InitialGroup> initial;
};

/// The geography inputs a scenario names: its resolved boundary and village files and its
/// study provinces. Throws ScenarioError at the data.* key for a file that does not exist.
geo::GeoInputs geo_inputs(const Scenario& scenario);

/// Resolves every place of the scenario against the geography:
/// - entry points given by lon/lat are placed in their district by point-in-polygon
///   (`locator`); those given by district name are looked up and get the lon/lat of a
///   point inside that district.
/// - facilities given by coordinates or district name; each must lie in the study area.
/// - services.deployed keys must name districts of the study area; home.district_weight
///   keys any district; study provinces and home.province_share keys provinces of the
///   geography, and every share > 0 must have districts to go to.
/// Throws ScenarioError "file:line: key: message", with the nearest name suggested for
/// unknown names. `locator` may be null when no place is given by coordinates (tests).
Places resolve_places(const Scenario& scenario, const geo::Geography& geography,
                      const geo::Locator* locator);

}  // namespace rfsim::sim
