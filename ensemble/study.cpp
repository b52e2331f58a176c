// The base scenario of a study and its variants (see study.h).
#include "ensemble/study.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rfsim::ensemble {

namespace {

/// The parts of a scenario (run_differences) whose change needs the places resolved again,
/// and those that would need another geography.
const char* const kPlaceParts[] = {"entry_points", "facilities", "home", "initial"};
const char* const kGeographyParts[] = {"study_provinces", "data"};

bool contains(const std::vector<std::string>& parts, const char* part) {
  return std::find(parts.begin(), parts.end(), part) != parts.end();
}

}  // namespace

Study::Study(const std::string& path, std::vector<std::string> overrides,
             const geo::GeographyCache& cache)
    : path_(path), overrides_(std::move(overrides)) {
  base_.scenario = load_scenario(path_, overrides_);
  std::ifstream in(path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  text_ = text.str();
  geography_ = geo::load_geography(sim::geo_inputs(base_.scenario), cache);
  locator_ = std::make_unique<geo::Locator>(geography_);
  base_.places = std::make_shared<const sim::Places>(
      sim::resolve_places(base_.scenario, geography_, locator_.get()));
}

Study::~Study() = default;

Variant Study::variant(const std::vector<std::string>& more) const {
  std::vector<std::string> all = overrides_;
  all.insert(all.end(), more.begin(), more.end());
  Variant v;
  v.scenario = load_scenario_text(text_, path_, all);
  const std::vector<std::string> parts = run_differences(base_.scenario, v.scenario);
  for (const char* part : kGeographyParts)
    if (contains(parts, part))
      throw ScenarioError("--set: " + std::string(part) +
                          ": a study builds its geography once; the study provinces and "
                          "data files cannot vary within it (run one study per geography)");
  bool places = v.scenario.services.deployed != base_.scenario.services.deployed;
  for (const char* part : kPlaceParts) places = places || contains(parts, part);
  v.places = places ? std::make_shared<const sim::Places>(
                          sim::resolve_places(v.scenario, geography_, locator_.get()))
                    : base_.places;
  return v;
}

sim::RunResult Study::run(const Variant& v, int replicate, const std::atomic<bool>* stop,
                          const std::function<void()>& between_days) const {
  Scenario s = v.scenario;
  s.replicate = replicate;
  sim::RunOptions options;
  options.threads = 1;
  options.stop = stop;
  if (between_days) options.on_day = [&](int, int) { between_days(); };
  return sim::simulate(s, geography_, *v.places, options);
}

}  // namespace rfsim::ensemble
