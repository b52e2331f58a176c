// The course of infection (see infection.h).
#include "sim/infection.h"

#include <algorithm>

namespace rfsim::sim {

Infection::Infection(World& world)
    : w_(world),
      p_(world.sc.infection),
      latent_(DailyChance::of_mean(p_.latent_days)),
      infectious_(DailyChance::of_mean(p_.infectious_days)),
      infectious_from_(world.agents.add<Day16>("infectious_from", kNever,
                                               "first infectious day (kNever: never infected)")),
      recovered_from_(world.agents.add<Day16>("recovered_from", kNever, "first recovered day")),
      tally_(world.threads, std::vector<std::int64_t>(world.E, 0)),
      infected_arrivals_(world.H, world.E),
      community_diff_(world.H + 1, world.D) {}

void Infection::infect(std::uint32_t i, int d, const Bits& c) {
  const long long from = d + latent_.days(uniform32(c[0]));
  const long long to = from + infectious_.days(uniform32(c[1]));
  infectious_from_[i] = clamp_day(from);
  recovered_from_[i] = clamp_day(to);
  if (bernoulli(uniform32(c[2]), p_.symptomatic)) w_.status[i] |= status::Symptomatic;
}

void Infection::infect_arrivals(const Items& items, std::int64_t lo, std::int64_t hi, int d,
                                int thread) {
  const double prevalence = p_.prevalence.at(d);
  if (!(prevalence > 0)) return;
  const double exposed_share = p_.latent_days / std::max(p_.latent_days + p_.infectious_days, 1e-9);
  std::int64_t* count = tally_[thread].data();
  const auto id = [&](std::int64_t k) { return items.id(k); };
  for_each_draw(w_.rng, lo, hi, id, d, Purpose::Infection, 0,
                [&](std::int64_t, std::uint32_t i, const Bits& r) {
                  if (!bernoulli(uniform32(r[0]), prevalence)) return;
                  const bool exposed = bernoulli(uniform32(r[1]), exposed_share);
                  if (bernoulli(uniform32(r[2]), p_.symptomatic))
                    w_.status[i] |= status::Symptomatic;
                  const Bits r2 = w_.rng(i, d, Purpose::Infection2);
                  const long long from = exposed ? d + latent_.days(uniform32(r[3])) : d;
                  infectious_from_[i] = clamp_day(from);
                  recovered_from_[i] = clamp_day(from + infectious_.days(uniform32(r2[0])));
                  ++count[w_.entry[i]];
                });
}

void Infection::add_community(std::uint32_t i, int from, int to, bool atomic) {
  const int inf_from = infectious_from_[i], inf_to = recovered_from_[i];
  if (inf_from == kNever) return;
  const int start = std::max(from, inf_from), end = std::min({w_.H, to, inf_to});
  if (start >= end) return;
  const int h = w_.home[i];
  if (atomic) {
#pragma omp atomic
    ++community_diff_.at(start, h);
#pragma omp atomic
    --community_diff_.at(end, h);
  } else {
    ++community_diff_.at(start, h);
    --community_diff_.at(end, h);
  }
}

void Infection::spend_in_community(std::uint32_t i, int from, int to) {
  add_community(i, from, to, false);
}

void Infection::community_days(const Items& items, std::int64_t lo, std::int64_t hi, int d) {
  // Undetected (or not yet recovered) infections spend their infectious days at home.
  for (std::int64_t k = lo; k < hi; ++k) add_community(items.id(k), d, w_.H, true);
}

void Infection::bind(StepTable& steps) {
  steps.stage("infection.infect_arrivals",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int thread) {
                infect_arrivals(items, lo, hi, d, thread);
              });
  steps.step("infection.tally", [this](int d) {
    for (auto& t : tally_) infected_arrivals_.take_tally(d, t.data());
  });
  steps.stage("infection.community_days",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int) {
                community_days(items, lo, hi, d);
              });
}

void Infection::report(Report& out) const {
  const Series& infected = out.daily(
      infected_arrivals_, "infection/infected_arrivals", "persons",
      "Arrivals infected (exposed or infectious) each day, by entry point.", axis::EntryPoint);
  out.figure("infected_arrivals", total_sum(infected), "persons",
             "Returnees infected (exposed or infectious) when they crossed the border.");
  const Grid community = community_diff_.cumulative();
  const Series& days = out.daily(community, "infection/community_infectious_days", "person-days",
                                 "Infectious returnees at home in the community each day, by "
                                 "home district (undetected or not yet recovered).",
                                 axis::District, w_.H);
  out.figure("community_infectious_days", total_sum(days), "person-days",
             "Days infectious returnees spent at home in the community.");
  Series& risk = out.series("infection/community_risk", "person-days per 100,000 residents",
                            "Cumulative community infectious-days per 100,000 residents, by "
                            "district: the per-district transmission-risk figure.",
                            "day", axis::District, w_.H, w_.D);
  double peak = 0;
  for (int j = 0; j < w_.D; ++j) {
    const double pop = w_.geo.districts[j].population;
    double cum = 0;
    for (int d = 0; d < w_.H; ++d) {
      cum += static_cast<double>(community.at(d, j));
      risk.at(d, j) = pop > 0 ? cum * 1e5 / pop : 0.0;
    }
    peak = std::max(peak, risk.at(w_.H - 1, j));
  }
  out.figure("community_risk_max_per_100k", peak, "person-days per 100,000 residents",
             "The highest district figure of community infectious-days per 100,000 residents "
             "over the horizon.");
}

void Infection::save(StateWriter& w) const {
  infected_arrivals_.save(w, "infection/infected_arrivals");
  community_diff_.save(w, "infection/community_diff");
}

void Infection::load(const StateReader& r) {
  infected_arrivals_.load(r, "infection/infected_arrivals");
  community_diff_.load(r, "infection/community_diff");
}

}  // namespace rfsim::sim
