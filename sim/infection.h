// The course of infection of every agent: infection at arrival with the prevalence of the
// day (exposed, with the steady-state share latent/(latent+infectious), or already
// infectious; symptomatic or not; periods drawn as geometric durations), the course of an
// infection acquired later (Transmission calls infect), and the infectious days that
// returnees spend at home in the community: the per-district transmission-risk figure.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/grid.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Infection final : public Unit {
 public:
  explicit Infection(World& world);

  /// Infectious on day d.
  bool infectious(std::uint32_t i, int d) const {
    return infectious_from_[i] <= d && d < recovered_from_[i];
  }
  bool ever_infected(std::uint32_t i) const { return infectious_from_[i] != kNever; }
  /// First day agent i is no longer infectious (kNever if never infected).
  int recovered_on(std::uint32_t i) const { return recovered_from_[i]; }
  /// Agent i is infected on day d (inside a facility): its course from `course` bits.
  void infect(std::uint32_t i, int d, const Bits& course);
  /// Agent i's infectious days in [from, to) are spent in its home district's community
  /// (a home quarantine not kept). Serial callers only.
  void spend_in_community(std::uint32_t i, int from, int to);

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;

 private:
  void infect_arrivals(const Items& items, std::int64_t lo, std::int64_t hi, int d, int thread);
  void community_days(const Items& items, std::int64_t lo, std::int64_t hi, int d);
  /// The difference-array entries of agent i's infectious days within [from, to).
  void add_community(std::uint32_t i, int from, int to, bool atomic);

  World& w_;
  const rfsim::Infection& p_;              ///< the scenario's [infection]
  const DailyChance latent_, infectious_;  ///< of the latent and infectious periods' means
  Day16* const infectious_from_;           ///< first infectious day; kNever if never infected
  Day16* const recovered_from_;            ///< first recovered day
  std::vector<std::vector<std::int64_t>> tally_;  ///< per thread: infected arrivals by entry
  Grid infected_arrivals_;                        ///< [day, entry point]
  Grid community_diff_;  ///< [day, district] difference array of infectious at home
};

}  // namespace rfsim::sim
