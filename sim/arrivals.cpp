// Arrivals: daily counts from the arrival curve, entry point by the share period in force,
// home district from weights, per-agent attributes and infection status at arrival, and
// screening at the entry point (which sends each arrival home, to isolation or to a bed).
//
// Home-district weights: Scenario::home.district_weight (by district name) when given;
// else province_share split within each province by district population ("other" = all
// districts outside the study provinces); else population over all districts.
//
// Infection at arrival: with probability prevalence(day) an arrival is infected; it is in
// its latent (exposed) period with probability latent/(latent+infectious) (the steady-state
// share) and otherwise already infectious. The entry test finds infectious arrivals with
// probability test_sensitivity; exposed arrivals in their latent period test negative.
//
// Screening (formal entries, and informal crossers intercepted with informal_detection):
// with test_at_entry, positives go to isolation whatever the mode; then None -> home,
// Symptomatic -> infectious arrivals with symptoms to quarantine, others home,
// Mandatory -> everyone to quarantine. Undetected informal crossers go straight home.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "sim/model.h"

namespace rfsim::sim::detail {

namespace {
Day16 clamp_day(long long d) {
  return d >= kNever ? Day16(kNever - 1) : Day16(d);
}

/// Parametric surge: linear rise from start to peak, then exponential decay.
std::vector<double> surge_shape(const Arrivals& a, int horizon) {
  std::vector<double> w(horizon, 0.0);
  for (int d = 0; d < horizon; ++d) {
    if (d < a.surge_start) continue;
    if (d <= a.surge_peak)
      w[d] = (d - a.surge_start + 1.0) / (a.surge_peak - a.surge_start + 1.0);
    else
      w[d] = std::exp(-(d - a.surge_peak) / std::max(a.decay_days, 1e-9));
  }
  return w;
}
}  // namespace

std::vector<std::int64_t> daily_counts(const Arrivals& arrivals, int horizon) {
  std::vector<double> w =
      arrivals.daily_shape.empty() ? surge_shape(arrivals, horizon) : arrivals.daily_shape;
  w.resize(horizon, 0.0);
  double sum = 0;
  for (double x : w) {
    if (!(x >= 0)) throw std::invalid_argument("arrivals: daily counts must be >= 0");
    sum += x;
  }
  std::vector<std::int64_t> counts(horizon, 0);
  if (arrivals.total <= 0) return counts;
  if (!(sum > 0)) throw std::invalid_argument("arrivals: the daily arrival curve is all zero");
  // Largest remainder: floors first, then one more to the largest fractional parts (ties by
  // day index), so the counts sum exactly to total.
  std::vector<double> frac(horizon);
  std::int64_t assigned = 0;
  for (int d = 0; d < horizon; ++d) {
    const double q = static_cast<double>(arrivals.total) * (w[d] / sum);
    counts[d] = static_cast<std::int64_t>(std::floor(q));
    frac[d] = q - std::floor(q);
    assigned += counts[d];
  }
  std::vector<int> order(horizon);
  for (int d = 0; d < horizon; ++d) order[d] = d;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return frac[a] > frac[b]; });
  std::int64_t rest = arrivals.total - assigned;
  for (int k = 0; rest > 0; k = (k + 1) % horizon, --rest) ++counts[order[k]];
  while (rest < 0) {  // rounding could overshoot by a unit in pathological inputs
    for (int d = horizon - 1; d >= 0 && rest < 0; --d)
      if (counts[d] > 0) --counts[d], ++rest;
  }
  return counts;
}

void Model::setup_arrivals() {
  // Entry points.
  if (E == 0) throw std::invalid_argument("scenario has no entry points");
  if (E > 255) throw std::invalid_argument("at most 255 entry points are supported");
  for (const EntryPoint& e : sc.entry_points) {
    if (e.district < 0 || e.district >= D)
      throw std::invalid_argument("entry point '" + e.name + "' is not resolved to a district");
    entry_district.push_back(e.district);
    entry_formal.push_back(e.formal ? 1 : 0);
  }
  // Entry-share periods, sorted by first day.
  std::vector<const EntrySharePeriod*> periods;
  for (const auto& p : sc.entry_shares) periods.push_back(&p);
  std::stable_sort(periods.begin(), periods.end(),
                   [](auto* a, auto* b) { return a->from < b->from; });
  for (const auto* p : periods) {
    if (static_cast<int>(p->shares.size()) != E)
      throw std::invalid_argument("entry shares: one share per entry point expected");
    std::vector<double> cum(E);
    double s = 0;
    for (int e = 0; e < E; ++e) cum[e] = s += std::max(0.0, p->shares[e]);
    if (!(s > 0)) throw std::invalid_argument("entry shares: all zero");
    entry_cum.push_back(cum);
  }
  if (entry_cum.empty()) {  // no shares given: equal shares
    std::vector<double> cum(E);
    for (int e = 0; e < E; ++e) cum[e] = e + 1.0;
    entry_cum.push_back(cum);
  }
  share_period.assign(H, 0);
  for (int d = 0; d < H; ++d)
    for (size_t k = 0; k < periods.size(); ++k)
      if (periods[k]->from <= d) share_period[d] = static_cast<int>(k);

  // Home-district weights.
  std::vector<double> w(D, 0.0);
  const HomeDistricts& home = sc.home;
  if (!home.district_weight.empty()) {
    for (const auto& [name, weight] : home.district_weight) {
      const int j = geo.find(name);
      if (j < 0)
        throw std::invalid_argument("home.district_weight: unknown district '" + name + "'");
      w[j] += std::max(0.0, weight);
    }
  } else if (!home.province_share.empty()) {
    const auto& study_prov = sc.study_provinces;
    for (const auto& [province, share] : home.province_share) {
      std::vector<int> members;
      for (int j = 0; j < D; ++j) {
        const std::string& p = geo.districts[j].province;
        const bool in_study =
            std::find(study_prov.begin(), study_prov.end(), p) != study_prov.end();
        if (province == "other" ? !in_study : p == province) members.push_back(j);
      }
      if (members.empty()) {
        if (share > 0)
          throw std::invalid_argument("home.province_share: no district in province '" + province +
                                      "'");
        continue;
      }
      double pop = 0;
      for (int j : members) pop += geo.districts[j].population;
      for (int j : members)
        w[j] += share * (pop > 0 ? geo.districts[j].population / pop : 1.0 / members.size());
    }
  } else {
    for (int j = 0; j < D; ++j) w[j] = geo.districts[j].population;
  }
  double s = 0;
  home_cum.resize(D);
  for (int j = 0; j < D; ++j) home_cum[j] = s += w[j];
  if (!(s > 0)) {  // no population data: equal weights
    for (int j = 0; j < D; ++j) home_cum[j] = j + 1.0;
  }
  if (D > 65535) throw std::invalid_argument("at most 65535 districts are supported");
}

void Model::process_arrivals(int d) {
  const std::int64_t a = first_id[d], n = first_id[d + 1] - a;
  if (n == 0) {
    before_arrivals(d);
    return;
  }
  route_tmp.resize(n);
  intake_tmp.resize(n);
  const Demography& dem = sc.demography;
  const Infection& inf = sc.infection;
  const PolicyPeriod& pol = *policy[d];
  const double prevalence = inf.prevalence.at(d);
  const double exposed_share =
      inf.latent_days / std::max(inf.latent_days + inf.infectious_days, 1e-9);
  const double* ecum = entry_cum[share_period[d]].data();
  const double* hcum = home_cum.data();
  const double community_share = sc.reintegration.community_share;
  double age_cum[5];
  {
    double s = 0;
    for (int b = 0; b < 5; ++b)
      age_cum[b] = s +=
          (b < static_cast<int>(dem.age_band_share.size()) ? dem.age_band_share[b] : 0);
    if (!(s > 0)) age_cum[1] = age_cum[2] = age_cum[3] = age_cum[4] = 1, age_cum[0] = 0;
  }
  enum : std::uint8_t { Home, Quarantine, Isolate };
  Agents& ag = agents;

  // One thread runs before_arrivals(d) (serial, in its fixed order) while the others start
  // on the draws, which it joins when done: the draws write only the new agents (ids from
  // first_id[d]) and before_arrivals touches only earlier ones, so the overlap changes
  // nothing. Counts (by entry point, by home district, infected by entry point, informal)
  // are kept per thread and added up after the loop: integer sums, the same for any split.
  const int ncount = 2 * E + D + 1;
  // The draws are claimed in chunks of 1024 ids; the thread that ran before_arrivals(d)
  // then routes the chunks (beds, travel, isolation) strictly in chunk order, i.e. in id
  // order, as soon as each is drawn, and draws chunks itself while the next one to route
  // is not ready. Routing reads only the drawn agents of routed chunks and the shared
  // queues (which only it touches); the draws read none of what routing writes. So the
  // serial routing overlaps the draws and nothing changes in any result.
  constexpr std::int64_t kChunk = 1024;
  const std::int64_t nchunks = (n + kChunk - 1) / kChunk;
  std::vector<std::uint8_t> drawn(static_cast<size_t>(nchunks), 0);
  std::atomic<std::int64_t> next_chunk{0};
  auto route_agent = [&](std::int64_t k) {
    const auto i = static_cast<std::uint32_t>(a + k);
    const int e = ag.entry[i];
    switch (route_tmp[k]) {
      case Home:
        start_travel(i, entry_district[e], d);
        break;
      case Isolate:
        isolate(i, d);
        break;
      default:
        assign_bed(i, d, false);
    }
  };
#pragma omp parallel num_threads(threads) if (n > 1024)
  {
    std::vector<std::int64_t> count(static_cast<size_t>(ncount), 0);
    bool router = false;
#pragma omp single nowait
    {
      before_arrivals(d);
      router = true;
    }
    auto draw_one = [&](std::int64_t k) {
      const auto i = static_cast<std::uint32_t>(a + k);
      const Bits r1 = rng(i, d, Purpose::Attributes);
      const bool female = bernoulli(uniform32(r1[0]), dem.female);
      const int band = categorical(age_cum, 5, uniform32(r1[1]));
      const bool adult = band >= 1;
      std::uint16_t at = static_cast<std::uint16_t>(band << attr::AgeShift);
      if (female) at |= attr::Female;
      if (female && adult && bernoulli(uniform32(r1[2]), dem.pregnant_given_female_adult))
        at |= attr::Pregnant;
      if (bernoulli(uniform32(r1[3]), dem.with_children)) at |= attr::WithChildren;
      const Bits r2 = rng(i, d, Purpose::Attributes2);
      if (female && bernoulli(uniform32(r2[0]), dem.gbv_risk_given_female)) at |= attr::GbvRisk;
      if (bernoulli(uniform32(r2[1]), dem.mental_health_need)) at |= attr::MentalHealth;
      if (bernoulli(uniform32(r2[2]), dem.disability)) at |= attr::Disability;
      if (female && adult && bernoulli(uniform32(r2[3]), dem.woman_headed_given_female_adult))
        at |= attr::WomanHeaded;
      const Bits r3 = rng(i, d, Purpose::Place);
      const int e = categorical(ecum, E, uniform32(r3[0]));
      const int h = categorical(hcum, D, uniform53(r3[1], r3[2]));
      ag.attr[i] = at;
      ag.entry[i] = static_cast<std::uint8_t>(e);
      ag.home[i] = static_cast<std::uint16_t>(h);

      std::uint8_t st = 0;
      long long infectious_from = kNever;
      if (prevalence > 0) {
        const Bits r4 = rng(i, d, Purpose::Infection);
        if (bernoulli(uniform32(r4[0]), prevalence)) {
          const bool exposed = bernoulli(uniform32(r4[1]), exposed_share);
          if (bernoulli(uniform32(r4[2]), inf.symptomatic)) st |= status::Symptomatic;
          const Bits r5 = rng(i, d, Purpose::Infection2);
          infectious_from = exposed ? d + duration_days(uniform32(r4[3]), inf.latent_days) : d;
          ag.infectious_from[i] = clamp_day(infectious_from);
          ag.recovered_from[i] =
              clamp_day(infectious_from + duration_days(uniform32(r5[0]), inf.infectious_days));
        }
      }
      const bool infectious_now = infectious_from <= d;
      const Bits r6 = rng(i, d, Purpose::EntryTest);
      std::uint8_t route = Home;
      bool screened = entry_formal[e];
      if (!screened) {
        st |= status::Informal;
        screened = bernoulli(uniform32(r6[0]), inf.informal_detection);
      }
      if (screened) {
        if (pol.test_at_entry && infectious_now &&
            bernoulli(uniform32(r6[1]), inf.test_sensitivity))
          route = Isolate;
        else if (pol.mode == QuarantineMode::Mandatory)
          route = Quarantine;
        else if (pol.mode == QuarantineMode::Symptomatic)
          route = (infectious_now && (st & status::Symptomatic)) ? Quarantine : Home;
      }
      if (bernoulli(uniform32(r3[3]), community_share)) st |= status::CommunityPackage;
      ag.status[i] = st;
      route_tmp[k] = route;
      intake_tmp[k] = route == Quarantine ? intake_needs(i, d) : 0;
      ++count[e];
      ++count[E + h];
      if (infectious_from != kNever) ++count[E + D + e];
      if (st & status::Informal) ++count[2 * E + D];
    };
    auto draw_chunk = [&](std::int64_t c) {
      const std::int64_t hi = std::min(n, (c + 1) * kChunk);
      for (std::int64_t k = c * kChunk; k < hi; ++k) draw_one(k);
      std::atomic_ref<std::uint8_t>(drawn[c]).store(1, std::memory_order_release);
    };
    if (router) {
      std::int64_t routed = 0;
      while (routed < nchunks) {
        if (std::atomic_ref<std::uint8_t>(drawn[routed]).load(std::memory_order_acquire)) {
          const std::int64_t hi = std::min(n, (routed + 1) * kChunk);
          for (std::int64_t k = routed * kChunk; k < hi; ++k) route_agent(k);
          ++routed;
          continue;
        }
        const std::int64_t c = next_chunk.fetch_add(1, std::memory_order_relaxed);
        if (c < nchunks) draw_chunk(c);
      }
    } else {
      for (;;) {
        const std::int64_t c = next_chunk.fetch_add(1, std::memory_order_relaxed);
        if (c >= nchunks) break;
        draw_chunk(c);
      }
    }
#pragma omp critical
    {
      for (int e = 0; e < E; ++e) {
        arrivals_entry.at(d, e) += count[e];
        infected_arrivals.at(d, e) += count[E + D + e];
      }
      for (int j = 0; j < D; ++j) arrivals_home_district.at(d, j) += count[E + j];
      informal_arrivals += count[2 * E + D];
    }
  }

}

}  // namespace rfsim::sim::detail
