// What the response costs, by component and week, who pays, and the programme's envelope
// ([costs]). Every component is a unit cost times what the other units counted:
// quarantine (occupied bed-days), tests (entry, exit, before release from isolation),
// transport (returnees sent home), isolation (person-days), information (returnees reached,
// plus the outreach teams' weeks), social workers (deployed FTE-weeks), packages
// (individual and community, at [reintegration]'s costs) and management (a share of the
// other components the envelope covers: the programme's own spending). The components the envelope covers are paid from it; the first day their total
// exceeds it is reported. The government pays its share of each component, donors the rest.
// Costs are computed from the other units' counts, and from the deployed workers and
// outreach teams of each day, which a branch may change from its branch day on: those of
// the days before it are the original's, kept in the state (costs/*_by_day).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "sim/information.h"
#include "sim/quarantine.h"
#include "sim/reintegration.h"
#include "sim/travel.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Costs final : public Unit {
 public:
  Costs(World& world, const Quarantine& quarantine, const Travel& travel,
        const Information& information, const Reintegration& reintegration);

  static constexpr int kComponents = 8;  ///< params::kCostComponents
  /// USD of each component on each day, [component][day].
  std::array<std::vector<double>, kComponents> daily() const;

  void bind(StepTable&) override {}
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;

 private:
  World& w_;
  const Quarantine& quarantine_;
  const Travel& travel_;
  const Information& information_;
  const Reintegration& reintegration_;
  std::vector<double> workers_;  ///< [day] social workers deployed (FTE)
  std::vector<double> teams_;    ///< [day] outreach teams at informal crossings
};

}  // namespace rfsim::sim
