// Joins a parsed scenario to the geography before a run: which boundary files to read,
// and every place name or coordinate in the scenario (entry points, facilities, deployed
// social workers, home weights) mapped to a district index, with file:line errors.
#pragma once

#include "geo/geography.h"
#include "scenarios/scenario.h"

namespace rfsim::sim {

/// The geography inputs a scenario names: its resolved boundary and village files and its
/// study provinces. Throws ScenarioError at the data.* key for a file that does not exist.
geo::GeoInputs geo_inputs(const Scenario& scenario);

/// Resolves the scenario's places against the geography, in place:
/// - formal entry points (and any entry point given by lon/lat) are placed in their
///   district by point-in-polygon; informal ones given by district name are looked up and
///   get the lon/lat of a point inside that district. Entry points may lie outside the
///   study area (Phsar Prum, O'Smach, Choam).
/// - facilities given by coordinates or district name; each must lie in the study area.
/// - services.deployed and home.district_weight keys must name districts of the study
///   area; they are rewritten to Geography::display_name spelling.
/// - study provinces and home.province_share keys must name provinces of the geography.
/// Throws ScenarioError "file:line: key: message", with the nearest district name
/// suggested for unknown names.
void resolve_scenario(Scenario& scenario, const geo::Geography& geography,
                      const geo::Locator& locator);

}  // namespace rfsim::sim
