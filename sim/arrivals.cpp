// Arrivals and entry (see arrivals.h).
#include "sim/arrivals.h"

#include <algorithm>
#include <stdexcept>

namespace rfsim::sim {

Arrivals::Arrivals(World& world)
    : w_(world),
      tally_(world.threads, std::vector<std::int64_t>(world.E + world.D + group::Count, 0)),
      by_entry_(world.H, world.E),
      by_home_(world.H, world.D),
      by_group_(world.H, group::Count) {
  const int E = w_.E, D = w_.D, H = w_.H;
  // Entry-share periods, sorted by first day.
  std::vector<const EntrySharePeriod*> periods;
  for (const auto& p : w_.sc.entry_shares) periods.push_back(&p);
  std::stable_sort(periods.begin(), periods.end(),
                   [](auto* a, auto* b) { return a->from < b->from; });
  for (const auto* p : periods) {
    if (static_cast<int>(p->shares.size()) != E)
      throw std::invalid_argument("entry shares: one share per entry point expected");
    std::vector<double> cum(E);
    double s = 0;
    for (int e = 0; e < E; ++e) cum[e] = s += std::max(0.0, p->shares[e]);
    if (!(s > 0)) throw std::invalid_argument("entry shares: all zero");
    entry_.emplace_back(std::move(cum));
  }
  if (entry_.empty()) {  // no shares given: equal shares
    std::vector<double> cum(E);
    for (int e = 0; e < E; ++e) cum[e] = e + 1.0;
    entry_.emplace_back(std::move(cum));
  }
  share_period_.assign(H, 0);
  for (int d = 0; d < H; ++d)
    for (size_t k = 0; k < periods.size(); ++k)
      if (periods[k]->from <= d) share_period_[d] = static_cast<int>(k);

  double s = 0;
  std::vector<double> home_cum(D);
  for (int j = 0; j < D; ++j) home_cum[j] = s += std::max(0.0, w_.places.home_weight[j]);
  if (!(s > 0))  // no population data: equal weights
    for (int j = 0; j < D; ++j) home_cum[j] = j + 1.0;
  home_ = CumulativeTable(std::move(home_cum));

  const std::vector<double>& bands = w_.sc.demography.age_band_share;
  s = 0;
  std::vector<double> age_cum(5);
  for (int b = 0; b < 5; ++b) age_cum[b] = s += (b < static_cast<int>(bands.size()) ? bands[b] : 0);
  if (!(s > 0)) age_cum = {0, 1, 1, 1, 1};
  age_ = CumulativeTable(std::move(age_cum));
}

void Arrivals::draw_people(const Items& items, std::int64_t lo, std::int64_t hi, int d,
                           int thread) {
  const int E = w_.E, D = w_.D;
  const CumulativeTable& entry = entry_[share_period_[d]];
  std::int64_t* count = tally_[thread].data();
  constexpr std::array kPurposes = {Purpose::Attributes, Purpose::Attributes2, Purpose::Place};
  const auto id = [&](std::int64_t k) { return items.id(k); };
  for_each_draw(w_.rng, lo, hi, id, d, kPurposes, 0,
                [&](std::int64_t k, std::uint32_t i, const std::array<Bits, 3>& r) {
                  const std::uint16_t a = w_.attr[i] = attributes(r[0], r[1]);
                  const Bits& r3 = r[2];
                  package_word_[k] = r3[3];
                  const int e = entry.draw(uniform32(r3[0]));
                  const int h = home_.draw(uniform53(r3[1], r3[2]));
                  w_.entry[i] = static_cast<std::uint8_t>(e);
                  w_.home[i] = static_cast<std::uint16_t>(h);
                  ++count[e];
                  ++count[E + h];
                  group::for_each(a, [&](int g) { ++count[E + D + g]; });
                });
}

std::uint16_t Arrivals::draw_attributes(std::uint32_t i, int d) const {
  return attributes(w_.rng(i, d, Purpose::Attributes), w_.rng(i, d, Purpose::Attributes2));
}

std::uint16_t Arrivals::attributes(const Bits& r1, const Bits& r2) const {
  const Demography& dem = w_.sc.demography;
  const bool female = bernoulli(uniform32(r1[0]), dem.female);
  const int band = age_.draw(uniform32(r1[1]));
  const bool adult = band >= 1;
  std::uint16_t at = static_cast<std::uint16_t>(band << attr::AgeShift);
  if (female) at |= attr::Female;
  if (female && adult && bernoulli(uniform32(r1[2]), dem.pregnant_given_female_adult))
    at |= attr::Pregnant;
  if (bernoulli(uniform32(r1[3]), dem.with_children)) at |= attr::WithChildren;
  if (female && bernoulli(uniform32(r2[0]), dem.gbv_risk_given_female)) at |= attr::GbvRisk;
  if (bernoulli(uniform32(r2[1]), dem.mental_health_need)) at |= attr::MentalHealth;
  if (bernoulli(uniform32(r2[2]), dem.disability)) at |= attr::Disability;
  if (female && adult && bernoulli(uniform32(r2[3]), dem.woman_headed_given_female_adult))
    at |= attr::WomanHeaded;
  return at;
}

void Arrivals::bind(StepTable& steps) {
  steps.items("arrivals.today", [this](int d) {
    const std::int64_t first = w_.first_id[d];
    return Items{w_.first_id[d + 1] - first, static_cast<std::uint32_t>(first), nullptr};
  });
  steps.prepare("arrivals.prepare",
                [this](const Items& items, int) { package_word_.resize(items.n); });
  steps.stage("arrivals.draw_people",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int thread) {
                draw_people(items, lo, hi, d, thread);
              });
  steps.step("arrivals.tally", [this](int d) {
    for (auto& t : tally_) {  // (by entry point, then home district, then group)
      std::int64_t* rest = by_entry_.take_tally(d, t.data());
      by_group_.take_tally(d, by_home_.take_tally(d, rest));
    }
  });
}

void Arrivals::report(Report& out) const {
  const int H = w_.H;
  Series& daily = out.series("arrivals/daily", "persons", "Returnees crossing the border each day.",
                             "day", axis::Total, H, 1);
  for (int d = 0; d < H; ++d)
    daily.at(d, 0) = static_cast<double>(w_.first_id[d + 1] - w_.first_id[d]);
  const Series& by_entry =
      out.daily(by_entry_, "arrivals/by_entry_point", "persons",
                "Returnees crossing the border each day, by entry point.", axis::EntryPoint);
  out.daily(by_home_, "arrivals/by_home_district", "persons",
            "Returnees crossing the border each day, by home district.", axis::District);
  out.daily(by_group_, "arrivals/by_group", "persons",
            "Returnees crossing the border each day: men, women, and women heading a household "
            "(a subset of the women).",
            axis::Group);
  const auto total = static_cast<double>(w_.first_id[H] - w_.first_id[0]);
  out.figure("arrivals_total", total, "persons", "Returnees who crossed the border.");
  for (int e = 0; e < w_.E; ++e)
    out.figure("arrivals_share." + w_.sc.entry_points[e].name,
               total > 0 ? column_sum(by_entry, e) / total : 0.0, "share",
               "Share of returnees who crossed at " + w_.sc.entry_points[e].name + ".");
}

void Arrivals::save(StateWriter& w) const {
  by_entry_.save(w, "arrivals/by_entry");
  by_home_.save(w, "arrivals/by_home");
  by_group_.save(w, "arrivals/by_group");
}

void Arrivals::load(const StateReader& r) {
  by_entry_.load(r, "arrivals/by_entry");
  by_home_.load(r, "arrivals/by_home");
  by_group_.load(r, "arrivals/by_group");
}

}  // namespace rfsim::sim
