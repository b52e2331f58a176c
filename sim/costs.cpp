// What the response costs (see costs.h).
#include "sim/costs.h"

#include <algorithm>
#include <numeric>

#include "scenarios/parameters.h"

namespace rfsim::sim {

namespace {
enum Component { Quarantine_, Tests, Transport, Isolation, Information_, Workers, Packages,
                 Management };
}  // namespace

Costs::Costs(World& world, const Quarantine& quarantine, const Travel& travel,
             const Information& information, const Reintegration& reintegration)
    : w_(world),
      quarantine_(quarantine),
      travel_(travel),
      information_(information),
      reintegration_(reintegration),
      workers_(static_cast<std::size_t>(world.H),
               std::accumulate(world.places.deployed_workers.begin(),
                               world.places.deployed_workers.end(), 0.0)),
      teams_(static_cast<std::size_t>(world.H),
             static_cast<double>(std::max(0, world.sc.information.outreach_teams))) {}

void Costs::save(StateWriter& w) const {
  w.write("costs/workers_by_day", std::span<const double>(workers_));
  w.write("costs/teams_by_day", std::span<const double>(teams_));
}

void Costs::load(const StateReader& r) {
  // The days already run keep what was deployed then (a branch's original's).
  load_past_days(r, "costs/workers_by_day", workers_, 1);
  load_past_days(r, "costs/teams_by_day", teams_, 1);
}

std::array<std::vector<double>, Costs::kComponents> Costs::daily() const {
  const rfsim::Costs& c = w_.sc.costs;
  const rfsim::Reintegration& r = w_.sc.reintegration;
  const int H = w_.H;
  std::array<std::vector<double>, kComponents> usd;
  for (auto& v : usd) v.assign(H, 0.0);
  for (int d = 0; d < H; ++d) {
    double beds = 0, reached = 0, packages = 0;
    for (int f = 0; f < w_.F; ++f) {
      beds += static_cast<double>(quarantine_.occupancy().at(d, f));
      reached += static_cast<double>(information_.reached_in_facility().at(d, f));
    }
    for (int e = 0; e < w_.E; ++e)
      reached += static_cast<double>(information_.reached_at_entry().at(d, e));
    for (int j = 0; j < w_.D; ++j)
      packages += static_cast<double>(reintegration_.packages().at(d, j));
    const auto community = static_cast<double>(reintegration_.community_packages().at(d, 0));
    usd[Quarantine_][d] = beds * c.bed_day;
    usd[Tests][d] = static_cast<double>(quarantine_.tests().at(d, 0)) * c.test;
    usd[Transport][d] = static_cast<double>(travel_.trips().at(d, 0)) * c.transport;
    usd[Isolation][d] = static_cast<double>(w_.states().at(d, InIsolation)) * c.isolation_day;
    usd[Information_][d] = reached * c.information_person + teams_[d] * c.outreach_team_week / 7;
    usd[Workers][d] = workers_[d] * c.worker_week / 7;
    usd[Packages][d] = (packages - community) * r.cost_individual + community * r.cost_community;
    double programme = 0;  // what the envelope pays for, management aside
    for (int k = 0; k < Management; ++k)
      if (std::find(c.envelope_covers.begin(), c.envelope_covers.end(),
                    params::kCostComponents[k]) != c.envelope_covers.end())
        programme += usd[k][d];
    usd[Management][d] = programme * c.management_share;
  }
  return usd;
}

void Costs::report(Report& out) const {
  const rfsim::Costs& c = w_.sc.costs;
  const int H = w_.H, W = (H + 6) / 7;
  const auto usd = daily();
  std::vector<double> covered(H, 0.0), government(H, 0.0), total(H, 0.0);
  for (int k = 0; k < kComponents; ++k) {
    const std::string name(params::kCostComponents[k]);
    const auto share_it = c.government_share.find(name);
    const double share = share_it == c.government_share.end() ? 0.0 : share_it->second;
    const bool in_envelope =
        std::find(c.envelope_covers.begin(), c.envelope_covers.end(), name) !=
        c.envelope_covers.end();
    Series& s = out.series("cost/" + name, "USD",
                           "Cost of " + name + " each week (all funders).", "week", axis::Total,
                           W, 1);
    double sum = 0;
    for (int d = 0; d < H; ++d) {
      s.at(d / 7, 0) += usd[k][d];
      sum += usd[k][d];
      total[d] += usd[k][d];
      government[d] += usd[k][d] * share;
      if (in_envelope) covered[d] += usd[k][d];
    }
    out.figure("cost_" + name, sum, "USD", "Cost of " + name + " over the horizon.");
  }
  Series& weekly_total = out.series("cost/total", "USD", "Cost of every component each week.",
                                    "week", axis::Total, W, 1);
  Series& weekly_gov = out.series("cost/government", "USD",
                                  "The government's part of each week's cost (its share of "
                                  "each component, costs.government_share).",
                                  "week", axis::Total, W, 1);
  Series& weekly_donors = out.series("cost/donors", "USD", "The donors' part of each week's cost.",
                                     "week", axis::Total, W, 1);
  Series& envelope = out.series("cost/envelope_spent", "USD",
                                "Cumulative cost of the components the envelope covers "
                                "(costs.envelope_covers), at the end of each week.",
                                "week", axis::Total, W, 1);
  double all = 0, gov = 0, spent = 0;
  int exhausted = -1;
  for (int d = 0; d < H; ++d) {
    all += total[d];
    gov += government[d];
    spent += covered[d];
    if (exhausted < 0 && spent > c.envelope_usd) exhausted = d;
    weekly_total.at(d / 7, 0) += total[d];
    weekly_gov.at(d / 7, 0) += government[d];
    weekly_donors.at(d / 7, 0) += total[d] - government[d];
    envelope.at(d / 7, 0) = spent;
  }
  out.figure("cost_total", all, "USD", "Cost of every component over the horizon.");
  out.figure("cost_government", gov, "USD", "The government's part of the cost.");
  out.figure("cost_donors", all - gov, "USD", "The donors' part of the cost.");
  out.figure("envelope_usd", c.envelope_usd, "USD", "The envelope (costs.envelope_usd).");
  out.figure("envelope_spent", spent, "USD",
             "Cost of the components the envelope covers over the horizon.");
  out.figure("funding_gap_usd", std::max(0.0, spent - c.envelope_usd), "USD",
             "What the covered components cost beyond the envelope.");
  out.figure("envelope_exhausted_day", exhausted, "day",
             "First day the covered components have cost more than the envelope (-1: never).");
  out.figure("cost_additional_workers",
             w_.sc.services.additional_workers * c.worker_week * H / 7.0, "USD",
             "What the recommended additional social workers would cost over the horizon.");
}

}  // namespace rfsim::sim
