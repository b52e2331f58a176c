// Information and prevention (see information.h).
#include "sim/information.h"

#include <cmath>

#include "sim/parallel.h"

namespace rfsim::sim {

Information::Information(World& world, const Arrivals& arrivals, const Quarantine& quarantine)
    : w_(world),
      arrivals_(arrivals),
      quarantine_(quarantine),
      p_(world.sc.information),
      reach_informal_(1 - (1 - p_.reach_informal) *
                              std::pow(1 - p_.reach_per_team, std::max(0, p_.outreach_teams))),
      tally_(world.threads, std::vector<std::int64_t>(world.E + group::Count, 0)),
      facility_tally_(world.threads, std::vector<std::int64_t>(world.F + group::Count, 0)),
      at_entry_(world.H, world.E),
      in_facility_(world.H, world.F),
      by_group_(world.H, group::Count) {}

void Information::at_entry(const Items& items, std::int64_t lo, std::int64_t hi, int d,
                           int thread) {
  std::int64_t* count = tally_[thread].data();
  const auto id = [&](std::int64_t k) { return items.id(k); };
  for_each_draw(w_.rng, lo, hi, id, d, Purpose::Information, 0,
                [&](std::int64_t, std::uint32_t i, const Bits& r) {
                  const double reach =
                      (w_.status[i] & status::Informal) ? reach_informal_ : p_.reach_formal;
                  if (!bernoulli(uniform32(r[0]), reach)) return;
                  w_.status[i] |= status::Informed;
                  ++count[w_.entry[i]];
                  group::for_each(w_.attr[i], [&](int g) { ++count[w_.E + g]; });
                });
}

void Information::in_facility(int d) {
  // Each admission's draw is its own (counter-based): the admissions are shared out over
  // the threads, and their counts (whole numbers) summed in thread order.
  const std::vector<std::uint32_t>& admitted = quarantine_.admitted_today();
  const auto n = static_cast<std::int64_t>(admitted.size());
  parallel_for(w_.threads, n, 4096, [&](std::int64_t k, int thread) {
    const std::uint32_t i = admitted[static_cast<std::size_t>(k)];
    if (w_.status[i] & status::Informed) return;
    if (!bernoulli(uniform32(w_.rng(i, d, Purpose::Information, 1)[0]), p_.reach_in_facility))
      return;
    w_.status[i] |= status::Informed;
    std::int64_t* count = facility_tally_[static_cast<std::size_t>(thread)].data();
    ++count[quarantine_.facility_of(i)];
    group::for_each(w_.attr[i], [&](int g) { ++count[w_.F + g]; });
  });
  for (auto& t : facility_tally_) by_group_.take_tally(d, in_facility_.take_tally(d, t.data()));
}

void Information::bind(StepTable& steps) {
  steps.stage("information.at_entry",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int thread) {
                at_entry(items, lo, hi, d, thread);
              });
  steps.step("information.tally", [this](int d) {
    for (auto& t : tally_) by_group_.take_tally(d, at_entry_.take_tally(d, t.data()));
  });
  steps.step("information.in_facility", [this](int d) { in_facility(d); });
}

void Information::report(Report& out) const {
  const int H = w_.H;
  const Series& entry =
      out.daily(at_entry_, "information/reached_at_entry", "persons",
                "Returnees reached by information and prevention at the crossing each day, by "
                "entry point.",
                axis::EntryPoint);
  const Series& facility =
      out.daily(in_facility_, "information/reached_in_facility", "persons",
                "Returnees reached by information and prevention in quarantine each day, by "
                "facility (those not reached at the crossing).",
                axis::Facility);
  const Series& by_group =
      out.daily(by_group_, "information/reached_by_group", "persons",
                "Returnees reached by information and prevention each day (at the crossing or "
                "in quarantine): men, women, and women heading a household (a subset of the "
                "women).",
                axis::Group);
  group_shares(out, "information_reached_share", by_group, arrivals_.by_group(),
               "reached by information and prevention");
  Series& share = out.series("information/reached_share", "share",
                             "Share of the returnees arrived so far who have been reached "
                             "(at the crossing or in quarantine).",
                             "day", axis::Total, H, 1);
  double reached = 0;
  for (int d = 0; d < H; ++d) {
    for (int e = 0; e < w_.E; ++e) reached += entry.at(d, e);
    for (int f = 0; f < w_.F; ++f) reached += facility.at(d, f);
    const auto arrived = static_cast<double>(w_.first_id[d + 1] - w_.first_id[0]);
    share.at(d, 0) = arrived > 0 ? reached / arrived : 0.0;
  }
  out.figure("information_reached", reached, "persons",
             "Returnees reached by information and prevention (at the crossing or in "
             "quarantine).");
  out.figure("information_reached_share", H > 0 ? share.at(H - 1, 0) : 0.0, "share",
             "Share of all returnees reached by information and prevention.");
  double informal = 0;
  for (int d = 0; d < H; ++d)
    for (int e = 0; e < w_.E; ++e)
      if (!w_.sc.entry_points[e].formal) informal += entry.at(d, e);
  out.figure("information_reached_informal", informal, "persons",
             "Informal crossers reached at the crossing (outreach).");
}

void Information::save(StateWriter& w) const {
  at_entry_.save(w, "information/at_entry");
  in_facility_.save(w, "information/in_facility");
  by_group_.save(w, "information/by_group");
}

void Information::load(const StateReader& r) {
  at_entry_.load(r, "information/at_entry");
  in_facility_.load_appended(r, "information/in_facility");  // (facilities a branch adds)
  by_group_.load(r, "information/by_group");
}

}  // namespace rfsim::sim
