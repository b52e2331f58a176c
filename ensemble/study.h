// The scenario a study starts from, joined once to its geography and places, and the
// variants of it a study runs: a sweep point, a design point of a sensitivity study, a
// step of a calibration. A variant is the scenario file with more `--set` overrides, its
// places resolved again only when the overrides touch them (entry points, facilities,
// deployed workers, home weights, the initial state). Overrides that would change the
// geography (study provinces, data files), which a study builds once, are refused.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "geo/geography.h"
#include "geo/geography_cache.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"
#include "sim/places.h"

namespace rfsim::ensemble {

/// A scenario of the study with its places.
struct Variant {
  Scenario scenario;
  std::shared_ptr<const sim::Places> places;
};

class Study {
 public:
  /// Loads the scenario file with `overrides` (as `rfsim run --set`), builds its geography
  /// (or reads it from `cache`) and resolves its places. Throws ScenarioError /
  /// geo::GeoError as `rfsim run` does.
  Study(const std::string& path, std::vector<std::string> overrides,
        const geo::GeographyCache& cache = {});
  ~Study();
  Study(const Study&) = delete;
  Study& operator=(const Study&) = delete;

  const std::string& path() const { return path_; }
  const std::vector<std::string>& overrides() const { return overrides_; }
  const Scenario& scenario() const { return base_.scenario; }
  const geo::Geography& geography() const { return geography_; }
  const Variant& base() const { return base_; }

  /// The scenario with `more` overrides after the study's own. Safe to call from several
  /// threads at once. Throws ScenarioError (naming "--set" keys) for a bad override, one
  /// that changes the geography included.
  Variant variant(const std::vector<std::string>& more) const;

  /// Runs replicate `replicate` of `v` on the calling thread alone (the stream (seed,
  /// replicate)); `stop` interrupts it (sim::Interrupted); `between_days`, if set, is called
  /// after every day (a study's Pulse, work.h).
  sim::RunResult run(const Variant& v, int replicate, const std::atomic<bool>* stop,
                     const std::function<void()>& between_days = {}) const;

 private:
  std::string path_, text_;
  std::vector<std::string> overrides_;
  geo::Geography geography_;
  std::unique_ptr<geo::Locator> locator_;
  Variant base_;
};

}  // namespace rfsim::ensemble
