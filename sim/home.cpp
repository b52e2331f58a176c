// Settling at home (see home.h).
#include "sim/home.h"

#include <algorithm>

namespace rfsim::sim {

Home::Home(World& world, Infection& infection)
    : w_(world),
      infection_(infection),
      quarantine_end_(world.H),
      arrivals_(world.H, world.D),
      present_diff_(world.H + 1, world.D) {}

void Home::reach(std::uint32_t i, int d) {
  const int h = w_.home[i];
  ++arrivals_.at(d, h);
  ++present_diff_.at(d, h);
  if (w_.status[i] & status::HomeQuarantine) {
    start_home_quarantine(i, d, d + std::max(1, w_.policy(d).stay_days));
  } else {
    w_.set_state(i, AtHome);
    today_.push_back(i);
  }
}

void Home::start_home_quarantine(std::uint32_t i, int d, int end) {
  w_.set_state(i, InHomeQuarantine);
  quarantine_end_.push(end, i);
  const rfsim::Information& info = w_.sc.information;
  const double keeps = (w_.status[i] & status::Informed) ? info.home_quarantine_compliance_reached
                                                          : info.home_quarantine_compliance_unreached;
  if (!bernoulli(uniform32(w_.rng(i, d, Purpose::Information, 2)[0]), keeps))
    infection_.spend_in_community(i, d, end);
}

void Home::place_initial(std::uint32_t i, int quarantine_end) {
  ++present_diff_.at(0, w_.home[i]);
  if (quarantine_end > 0) {
    start_home_quarantine(i, 0, quarantine_end);
  } else {
    w_.set_state(i, AtHome);
    today_.push_back(i);
  }
}

void Home::quarantine_ends(int d) {
  for (std::uint32_t i : quarantine_end_.take(d)) {
    w_.set_state(i, AtHome);
    today_.push_back(i);
  }
}

void Home::bind(StepTable& steps) {
  steps.step("home.quarantine_ends", [this](int d) { quarantine_ends(d); });
  steps.items("home.today", [this](int) {
    return Items{static_cast<std::int64_t>(today_.size()), 0, today_.data()};
  });
  steps.step("home.clear_today", [this](int) {
    today_.clear();
    left_today_.clear();
  });
}

void Home::report(Report& out) const {
  const Series& home =
      out.daily(arrivals_, "travel/arrivals_home", "persons",
                "Returnees reaching their home district each day.", axis::District);
  out.figure("arrived_home", total_sum(home), "persons",
             "Returnees who reached a home district in the study area.");
  const Grid present = present_diff_.cumulative();
  out.daily(present, "host/returnees_present", "persons",
            "Returnees present in their home district (home quarantine or at home), by "
            "district.",
            axis::District, w_.H);
  Series& per1000 = out.series("host/returnees_per_1000", "returnees per 1,000 residents",
                               "Returnees present in their home district per 1,000 residents.",
                               "day", axis::District, w_.H, w_.D);
  for (int d = 0; d < w_.H; ++d)
    for (int j = 0; j < w_.D; ++j) {
      const double pop = w_.geo.districts[j].population;
      per1000.at(d, j) = pop > 0 ? static_cast<double>(present.at(d, j)) * 1000.0 / pop : 0.0;
    }
}

void Home::save(StateWriter& w) const {
  quarantine_end_.save(w, "home/quarantine_end");
  arrivals_.save(w, "home/arrivals");
  present_diff_.save(w, "home/present_diff");
}

void Home::load(const StateReader& r) {
  quarantine_end_.load(r, "home/quarantine_end");
  arrivals_.load(r, "home/arrivals");
  present_diff_.load(r, "home/present_diff");
}

std::size_t Home::queue_bytes() const {
  return quarantine_end_.bytes() + today_.capacity() * sizeof(std::uint32_t) +
         left_today_.capacity() * sizeof(Departure);
}

}  // namespace rfsim::sim
