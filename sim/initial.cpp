// The returnees already there on day 0 (see initial.h).
#include "sim/initial.h"

#include <algorithm>

namespace rfsim::sim {

Initial::Initial(World& world, const Arrivals& arrivals, Quarantine& quarantine, Home& home,
                 Services& services, Reintegration& reintegration)
    : w_(world),
      arrivals_(arrivals),
      quarantine_(quarantine),
      home_(home),
      services_(services),
      reintegration_(reintegration) {}

void Initial::place(int d) {
  if (d != 0) return;
  using Kind = rfsim::InitialGroup::Kind;
  const int stay = std::max(1, w_.policy(0).stay_days);
  std::uint32_t i = 0;
  for (const Places::InitialGroup& g : w_.places.initial) {
    for (std::int64_t n = 0; n < g.count; ++n, ++i) {
      const Bits r = w_.rng(i, 0, Purpose::Initial);
      w_.attr[i] = arrivals_.draw_attributes(i, 0);
      reintegration_.draw_package_kind(i, r[1]);
      // Days left: as given, else spread evenly over 1..stay.
      const int left = g.days_left > 0 ? g.days_left : 1 + static_cast<int>(uniform32(r[0]) * stay);
      if (g.kind == Kind::Quarantine) {
        w_.home[i] = static_cast<std::uint16_t>(w_.places.facility_district[g.place]);
        quarantine_.admit_initial(i, g.place, left);
        continue;
      }
      w_.home[i] = static_cast<std::uint16_t>(g.place);
      if (g.need >= 0) w_.attr[i] |= services_.need_flag(g.need);
      home_.place_initial(i, g.kind == Kind::HomeQuarantine ? left : 0);
      if (g.kind == Kind::OpenCase || g.kind == Kind::WaitingCase)
        services_.place_initial(i, g.need, g.kind == Kind::OpenCase);
    }
  }
}

void Initial::bind(StepTable& steps) {
  steps.step("initial.place", [this](int d) { place(d); });
}

}  // namespace rfsim::sim
