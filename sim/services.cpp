// Social services (see services.h).
#include "sim/services.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace rfsim::sim {

namespace {
double daily_from_monthly(double p) {
  if (p >= 1) return 1;
  if (!(p > 0)) return 0;
  return 1 - std::pow(1 - p, 1.0 / 30.0);
}

std::uint16_t flag_of(const std::string& need) {
  if (need == "mental_health") return attr::MentalHealth;
  if (need == "gbv") return attr::GbvRisk;
  if (need == "child_protection") return attr::WithChildren;
  if (need == "maternal_care") return attr::Pregnant;
  throw std::invalid_argument("services.needs: unknown need '" + need +
                              "' (mental_health, gbv, child_protection, maternal_care)");
}
}  // namespace

Services::Services(World& world, const Quarantine& quarantine, const Home& home)
    : w_(world),
      quarantine_(quarantine),
      home_(home),
      needs_state_(world.agents.add<std::uint8_t>(
          "needs", 0, "state of each need (2 bits each): not identified, waiting, open, done")),
      slots_(world.D, 0),
      active_(world.D, 0),
      waiting_(world.D),
      waiting_head_(world.D, 0),
      waiting_live_(world.D, 0),
      identify_(world.H),
      case_close_(world.H, world.D),
      work_(world.D, 0),
      work_before_(world.D + 1, 0),
      identified_by_district_(world.D),
      left_by_district_(world.D),
      intake_by_district_(world.D),
      host_today_(world.D),
      today_(world.D),
      arrived_unidentified_(world.D, 0),
      reached_today_(world.D, 0),
      identified_(world.H, world.D),
      not_referred_(world.H, world.D),
      opened_(world.H, world.D),
      ended_(world.H, world.D),
      active_g_(world.H, world.D),
      waiting_g_(world.H, world.D),
      reached_(world.H, 1),
      unidentified_diff_(world.H + 1, world.D),
      host_unidentified_(world.H, world.D),
      host_identified_(world.H, world.D),
      host_served_(world.H, world.D),
      target_identified_(world.H, world.D),
      target_referred_(world.H, world.D),
      target_served_(world.H, world.D) {
  hosts_in_district_.assign(static_cast<std::size_t>(w_.D), 0);
  const rfsim::Services& p = w_.sc.services;
  const std::vector<NeedKind>& kinds = p.needs;
  if (kinds.size() > kMaxNeeds)
    throw std::invalid_argument("services.needs: at most 4 kinds of need");
  const std::vector<double>& deployed = w_.places.deployed_workers;
  deployed_by_day_.reserve(static_cast<std::size_t>(w_.H) * w_.D);
  for (int d = 0; d < w_.H; ++d)
    deployed_by_day_.insert(deployed_by_day_.end(), deployed.begin(), deployed.end());
  std::vector<double> coverage(w_.D, 0.0);
  for (int j = 0; j < w_.D; ++j) {
    const double full =
        p.full_coverage_workers_per_commune * std::max(1, w_.geo.districts[j].communes);
    coverage[j] = deployed[j] <= 0 ? 0.0 : full > 0 ? std::min(1.0, deployed[j] / full) : 1.0;
  }
  for (const NeedKind& k : kinds) {
    Need need{k.name, flag_of(k.name), k.identify_at_intake, DailyChance::of_mean(k.case_days), {},
              {}};
    const double care = w_.sc.information.care_seeking_ratio;
    for (int j = 0; j < w_.D; ++j) {
      const double daily =
          daily_from_monthly(k.identify_without_worker +
                             coverage[j] * (k.identify_with_worker - k.identify_without_worker));
      need.daily_at_home.emplace_back(daily);
      need.daily_at_home_informed.emplace_back(daily >= 1 ? 1.0 : 1 - std::pow(1 - daily, care));
    }
    needs_.push_back(std::move(need));
  }
  for (int j = 0; j < w_.D; ++j)
    slots_[j] = static_cast<std::int64_t>(
        std::floor(std::max(0.0, deployed[j]) * p.caseload_per_worker + 1e-9));
  const rfsim::Host& host = w_.sc.host;
  host_.assign(static_cast<size_t>(w_.D) * kMaxNeeds, {});
  for (int j = 0; j < w_.D; ++j) {
    if (!w_.study[j]) continue;
    for (size_t k = 0; k < needs_.size() && k < host.need_share.size(); ++k) {
      HostPool& pool = host_[j * kMaxNeeds + k];
      pool.total = pool.unidentified =
          std::llround(w_.geo.districts[j].population * host.need_share[k]);
      pool.daily = daily_from_monthly(
          host.identify_without_worker +
          coverage[j] * (host.identify_with_worker - host.identify_without_worker));
    }
  }
}

void Services::identify_host(int d) {
  const double referral = w_.sc.services.referral_rate;
  for (int h = 0; h < w_.D; ++h) {
    if (!w_.study[h]) continue;
    for (std::uint32_t k = 0; k < needs_.size(); ++k) {
      HostPool& pool = host_[h * kMaxNeeds + k];
      if (pool.unidentified <= 0) continue;
      // (found and referred are >= 0: truncation is their floor)
      const double found = pool.unidentified * pool.daily + pool.carry_found;
      const auto n = static_cast<std::int64_t>(found);
      pool.carry_found = found - static_cast<double>(n);
      const double referred = static_cast<double>(n) * referral + pool.carry_referred;
      const auto r = static_cast<std::int64_t>(referred);
      pool.carry_referred = referred - static_cast<double>(r);
      pool.unidentified -= n;
      pool.not_referred += n - r;
      host_identified_.at(d, h) += n;
      identified_.at(d, h) += n;
      not_referred_.at(d, h) += n - r;
      target_identified_.at(d, h) += n;
      target_referred_.at(d, h) += r;
      for (std::int64_t m = 0; m < r; ++m) {
        const auto id = static_cast<std::uint32_t>(w_.total + host_district_.size());
        host_district_.push_back(static_cast<std::uint16_t>(h));
        host_number_.push_back(hosts_in_district_[h]++);
        host_today_[h].push_back(id * 4u + k);
      }
    }
  }
}

void Services::place_initial(std::uint32_t i, int k, bool open) {
  const std::uint32_t code = i * 4u + static_cast<std::uint32_t>(k);
  const int h = w_.home[i];
  if (open) {
    // A case opened before the run: counted active, not as opened or reached in the run.
    set_state(i, k, Open);
    ++active_[h];
    w_.status[i] |= status::Reached;
    const int days = needs_[k].case_length.days(uniform32(w_.rng(i, 0, Purpose::CaseLength, k)[0]));
    case_close_.push(h, days, code);
  } else {
    set_state(i, k, Waiting);
    waiting_[h].push_back(code);
    ++waiting_live_[h];
  }
}

int Services::unidentified(std::uint32_t i) const {
  const std::uint16_t at = w_.attr[i];
  int n = 0;
  for (std::uint32_t k = 0; k < needs_.size(); ++k)
    n += (at & needs_[k].flag) && state(i, k) == NotIdentified;
  return n;
}

std::uint8_t Services::intake_needs(std::uint32_t i, int arrival_day) const {
  if (!w_.study[w_.home[i]]) return 0;
  const std::uint16_t at = w_.attr[i];
  std::uint8_t mask = 0;
  for (size_t k = 0; k < needs_.size(); ++k) {
    if (!(at & needs_[k].flag)) continue;
    const Bits r = w_.rng(i, static_cast<std::uint32_t>(arrival_day), Purpose::Intake,
                          static_cast<std::uint32_t>(k));
    if (bernoulli(uniform32(r[0]), needs_[k].at_intake)) mask |= static_cast<std::uint8_t>(1u << k);
  }
  return mask;
}

void Services::draw_intake(const Items& items, std::int64_t lo, std::int64_t hi, int d) {
  for (std::int64_t k = lo; k < hi; ++k)
    intake_mask_[k] = quarantine_.bound_for_quarantine(k) ? intake_needs(items.id(k), d) : 0;
}

void Services::draw_home(const Items& items, std::int64_t lo, std::int64_t hi, int d) {
  const int nk = static_cast<int>(needs_.size());
  for (std::int64_t k = lo; k < hi; ++k) {
    const std::uint32_t i = items.id(k);
    int* out = &home_delays_[static_cast<size_t>(k) * kMaxNeeds];
    const int h = w_.home[i];
    if (!w_.study[h]) continue;
    const std::uint16_t at = w_.attr[i];
    const bool informed = w_.status[i] & status::Informed;
    for (int j = 0; j < nk; ++j) {
      if (!(at & needs_[j].flag) || state(i, j) != NotIdentified) continue;
      ++home_unidentified_[k];
      const DailyChance& chance =
          informed ? needs_[j].daily_at_home_informed[h] : needs_[j].daily_at_home[h];
      out[j] = chance.days(
          uniform32(w_.rng(i, d, Purpose::Identification, static_cast<std::uint32_t>(j))[0]));
    }
  }
}

void Services::schedule_home(int d) {
  const int nk = static_cast<int>(needs_.size());
  for (std::int64_t k = 0; k < home_items_.n; ++k) {
    const std::uint32_t i = home_items_.id(k);
    const int h = w_.home[i];
    if (!w_.study[h]) continue;
    arrived_unidentified_[h] += home_unidentified_[k];
    const int* in = &home_delays_[static_cast<size_t>(k) * kMaxNeeds];
    for (int j = 0; j < nk; ++j)
      if (in[j] != INT_MAX)
        identify_.push(static_cast<long long>(d) + in[j], i * 4u + j,
                       static_cast<std::uint16_t>(h));
  }
}

void Services::open_case(std::uint32_t code, int d) {
  const std::uint32_t i = code >> 2, k = code & 3;
  const int h = district_of(i);
  ++active_[h];
  ++opened_.at(d, h);
  if (is_host(i)) {
    ++host_served_.at(d, h);
    ++target_served_.at(d, h);
  } else {
    set_state(i, k, Open);
    if (!(w_.status[i] & status::Reached)) {
      ++reached_today_[h];
      ++target_served_.at(d, h);
    }
    w_.status[i] |= status::Reached;
  }
  // Keyed by agent and need, not by the opening day: a case lasts as long whenever it opens.
  // A host member's by its district and its number there (and subs of its own), not by its
  // id, which follows the run's total and every district's identifications: a branch or a
  // sweep with more or fewer returnees, or workers elsewhere, give it the same case.
  const Bits r = is_host(i) ? w_.rng(host_number_[i - w_.total], static_cast<std::uint32_t>(h),
                                     Purpose::CaseLength, kMaxNeeds + k)
                            : w_.rng(i, 0, Purpose::CaseLength, k);
  const int days = needs_[k].case_length.days(uniform32(r[0]));
  case_close_.push(h, static_cast<long long>(d) + days, code);
}

void Services::prefetch_case(std::uint32_t code) const {
  const std::uint32_t i = code >> 2;
  if (is_host(i)) return;
  __builtin_prefetch(&w_.home[i]);
  __builtin_prefetch(&w_.status[i]);
  __builtin_prefetch(&needs_state_[i]);
}

void Services::identified(std::uint32_t code, bool at_home, int d) {
  const std::uint32_t i = code >> 2, k = code & 3;
  const int h = district_of(i);
  if (!is_host(i)) {  // host members were counted and referred by identify_host
    ++identified_.at(d, h);
    if (!(w_.status[i] & status::Identified)) ++target_identified_.at(d, h);
    w_.status[i] |= status::Identified;
    // One referral draw per agent, need and channel (intake, home), whatever the day.
    const Bits r = w_.rng(i, 0, Purpose::Referral, k + (at_home ? kMaxNeeds : 0));
    if (!bernoulli(uniform32(r[0]), w_.sc.services.referral_rate)) {
      ++not_referred_.at(d, h);
      return;  // stays unmet (and may be identified again at home if found at intake)
    }
    if (!(w_.status[i] & status::Referred)) ++target_referred_.at(d, h);
    w_.status[i] |= status::Referred;
    if (at_home) --unidentified_diff_.at(d, h);
  }
  if (waiting_head_[h] == waiting_[h].size() && active_[h] < slots_[h]) {
    open_case(code, d);
  } else {
    if (!is_host(i)) set_state(i, k, Waiting);
    waiting_[h].push_back(code);
    ++waiting_live_[h];
  }
}

void Services::share_districts() {
  for (int h = 0; h < w_.D; ++h) work_before_[h + 1] = work_before_[h] + work_[h];
}

std::pair<int, int> Services::districts_of_part(int part, int parts) const {
  // Part p starts at the first district with p/parts of yesterday's work before it.
  const std::int64_t total = work_before_.back();
  const auto first = [&](int p) {
    if (p == parts) return w_.D;
    const auto it =
        std::partition_point(work_before_.begin(), work_before_.end() - 1,
                             [&](std::int64_t before) { return before * parts < total * p; });
    return static_cast<int>(it - work_before_.begin());
  };
  return {first(part), first(part + 1)};
}

void Services::close_cases(int h, int d) {
  const std::vector<std::uint32_t> closing = case_close_.take(h, d);
  for (std::size_t n = 0; n < closing.size(); ++n) {
    if (n + kLookAhead < closing.size() && !is_host(closing[n + kLookAhead] >> 2))
      __builtin_prefetch(&needs_state_[closing[n + kLookAhead] >> 2]);
    ++work_[h];
    const std::uint32_t code = closing[n];
    const std::uint32_t i = code >> 2, k = code & 3;
    if (!is_host(i)) {
      if (state(i, k) != Open) continue;  // ended by a departure
      set_state(i, k, Done);
    }
    --active_[h];
  }
}

void Services::departed(std::uint32_t i, int h, int d) {
  ++work_[h];
  unidentified_diff_.at(d, h) -= unidentified(i);
  for (std::uint32_t k = 0; k < needs_.size(); ++k) {
    const NeedState s = state(i, k);
    if (s == Open) --active_[h];
    if (s == Waiting) --waiting_live_[h];
    if (s == Open || s == Waiting) {
      set_state(i, k, Done);
      ++ended_.at(d, h);
    }
  }
}

void Services::serve_waiting(int h, int d) {
  auto& q = waiting_[h];
  std::size_t& head = waiting_head_[h];
  while (head < q.size() && active_[h] < slots_[h]) {
    if (head + kLookAhead < q.size()) prefetch_case(q[head + kLookAhead]);
    ++work_[h];
    const std::uint32_t code = q[head++];
    if (!is_host(code >> 2) && state(code >> 2, code & 3) != Waiting) continue;  // departed
    --waiting_live_[h];
    open_case(code, d);
  }
  if (head > 0 && head * 2 >= q.size()) {
    q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));
    head = 0;
  }
}

void Services::serve_identified(int h, int d, std::vector<std::pair<std::uint32_t, bool>>& today) {
  std::sort(today.begin(), today.end());
  // Host members' ids are above every agent's: they queue after the returnees.
  for (std::uint32_t c : host_today_[h]) today.emplace_back(c, true);
  host_today_[h].clear();
  work_[h] += static_cast<std::int64_t>(today.size());
  for (std::size_t n = 0; n < today.size(); ++n) {
    if (n + kLookAhead < today.size()) prefetch_case(today[n + kLookAhead].first);
    identified(today[n].first, today[n].second, d);
  }
  today.clear();
}

void Services::group_today(int d) {
  for (int h = 0; h < w_.D; ++h) {
    identified_by_district_[h].clear();
    left_by_district_[h].clear();
    intake_by_district_[h].clear();
  }
  const auto& [at_home, home_districts] = identified_today_;
  for (std::size_t n = 0; n < at_home.size(); ++n)
    identified_by_district_[home_districts[n]].push_back(at_home[n]);
  for (const Home::Departure& left : home_.left_today())
    if (w_.study[left.district]) left_by_district_[left.district].push_back(left.agent);
  const std::int64_t first = w_.first_id[d], last = w_.first_id[d + 1];
  for (std::uint32_t i : quarantine_.admitted_today()) {
    // Today's arrivals were drawn alongside screening; agents admitted after waiting at the
    // entry point are drawn now, with the same key (their arrival day).
    const bool drawn = i >= first && i < last;
    const std::uint8_t mask = drawn ? intake_mask_[i - first] : intake_needs(i, w_.arrival_day(i));
    if (mask != 0) intake_by_district_[w_.home[i]].emplace_back(i, mask);
  }
}

void Services::cases(int d, int part, int parts) {
  const std::pair<int, int> districts = districts_of_part(part, parts);
  const int lo = districts.first, hi = districts.second;
  if (lo == hi) return;
  for (int h = lo; h < hi; ++h) {
    work_[h] = 0;
    close_cases(h, d);
  }
  // Returnees who left today: their open cases close, their waiting needs leave the lists,
  // their unidentified needs leave the district.
  for (int h = lo; h < hi; ++h) {
    const std::vector<std::uint32_t>& left = left_by_district_[h];
    for (std::size_t n = 0; n < left.size(); ++n) {
      if (n + kLookAhead < left.size()) {
        __builtin_prefetch(&w_.attr[left[n + kLookAhead]]);
        __builtin_prefetch(&needs_state_[left[n + kLookAhead]]);
      }
      departed(left[n], h, d);
    }
  }
  // Waiting lists first, FIFO.
  for (int h = lo; h < hi; ++h) serve_waiting(h, d);
  // Today's identifications at home (of returnees still at home) and at intake, each into
  // its district's list.
  for (int h = lo; h < hi; ++h) {
    const std::vector<std::uint32_t>& found = identified_by_district_[h];
    for (std::size_t n = 0; n < found.size(); ++n) {
      if (n + kLookAhead < found.size()) {
        const std::uint32_t ahead = found[n + kLookAhead] >> 2;
        __builtin_prefetch(&w_.state[ahead]);
        __builtin_prefetch(&needs_state_[ahead]);
      }
      const std::uint32_t c = found[n];
      if (w_.state[c >> 2] == AtHome && state(c >> 2, c & 3) == NotIdentified)
        today_[h].emplace_back(c, true);
    }
    for (const auto& [i, mask] : intake_by_district_[h])
      for (std::uint32_t k = 0; k < needs_.size(); ++k)
        if ((mask >> k & 1) && state(i, k) == NotIdentified)
          today_[h].emplace_back(i * 4u + k, false);
  }
  for (int h = lo; h < hi; ++h) {
    serve_identified(h, d, today_[h]);
    if (!w_.study[h]) continue;
    active_g_.at(d, h) = active_[h];
    waiting_g_.at(d, h) = waiting_live_[h];
    std::int64_t unmet = 0;
    for (std::size_t k = 0; k < needs_.size(); ++k)
      unmet += host_[h * kMaxNeeds + k].unidentified + host_[h * kMaxNeeds + k].not_referred;
    host_unidentified_.at(d, h) = unmet;
  }
}

void Services::bind(StepTable& steps) {
  steps.prepare("services.prepare_intake",
                [this](const Items& items, int) { intake_mask_.resize(items.n); });
  steps.stage("services.intake_needs", [this](const Items& items, std::int64_t lo, std::int64_t hi,
                                              int d, int) { draw_intake(items, lo, hi, d); });
  steps.prepare("services.prepare_home", [this](const Items& items, int) {
    home_items_ = items;
    home_delays_.assign(static_cast<size_t>(items.n) * kMaxNeeds, INT_MAX);
    home_unidentified_.assign(static_cast<size_t>(items.n), 0);
  });
  steps.stage("services.draw_home", [this](const Items& items, std::int64_t lo, std::int64_t hi,
                                           int d, int) { draw_home(items, lo, hi, d); });
  steps.prepare("services.take_identified", [this](const Items&, int d) {
    identified_today_ = identify_.take(d);
    identify_host(d);
  });
  steps.prepare("services.share_districts", [this](const Items&, int) { share_districts(); });
  steps.step("services.group_today", [this](int d) { group_today(d); });
  steps.step("services.schedule_home", [this](int d) { schedule_home(d); });
  steps.parts("services.cases", [this](int d, int part, int parts) { cases(d, part, parts); });
  steps.step("services.count_home_arrivals", [this](int d) {
    for (int h = 0; h < w_.D; ++h)
      unidentified_diff_.at(d, h) += std::exchange(arrived_unidentified_[h], 0);
  });
  steps.step("services.count_reached", [this](int d) {
    for (int h = 0; h < w_.D; ++h) reached_.at(d, 0) += std::exchange(reached_today_[h], 0);
  });
}

void Services::report(Report& out) const {
  const int H = w_.H, D = w_.D;
  const Series& identified = out.daily(
      identified_, "services/identified", "needs",
      "Needs newly identified each day (at intake or at home), by home district.", axis::District);
  const Series& not_referred =
      out.daily(not_referred_, "services/not_referred", "needs",
                "Needs identified each day but not referred to a social worker (they stay "
                "unmet), by home district.",
                axis::District);
  const Series& opened = out.daily(opened_, "services/cases_opened", "cases",
                                   "Cases opened each day, by home district.", axis::District);
  out.daily(ended_, "services/ended_by_departure", "cases",
            "Open cases and waiting needs ended each day because the returnee re-migrated, by "
            "home district.",
            axis::District);
  out.daily(active_g_, "services/active_cases", "cases",
            "Open cases at the end of each day, by district.", axis::District);
  out.daily(waiting_g_, "services/waiting", "cases",
            "Identified needs waiting for a free case slot, by district.", axis::District);
  const Grid unidentified = unidentified_diff_.cumulative();
  out.daily(unidentified, "services/unidentified_need", "needs",
            "Needs of returnees at home not yet identified and referred, by district (the "
            "model knows each returnee's needs; services find them over time).",
            axis::District, H);
  const Grid reached = reached_.cumulative();
  out.daily(reached, "services/vulnerable_reached", "persons",
            "Returnees with at least one case opened, cumulative.", axis::Total);
  out.daily(host_unidentified_, "host/vulnerable_unmet", "persons",
            "Vulnerable host-community members not yet identified and referred, by district.",
            axis::District);
  const Series& host_found = out.daily(
      host_identified_, "host/vulnerable_identified", "persons",
      "Vulnerable host-community members identified each day, by district.", axis::District);
  const Series& host_served = out.daily(
      host_served_, "host/vulnerable_served", "persons",
      "Vulnerable host-community members whose case opened each day, by district.", axis::District);

  const int W = (H + 6) / 7;
  const double caseload = std::max(w_.sc.services.caseload_per_worker, 1e-9);
  auto weekly = [&](const std::string& name, const std::string& units, const std::string& text) {
    return &out.series(name, units, text, "week", axis::District, W, D);
  };
  Series& demand = *weekly("services/demand_fte", "FTE social workers",
                           "Weekly mean of (active cases + waiting list) / caseload per worker, "
                           "by district: the demand already identified.");
  Series& need = *weekly("services/need_fte", "FTE social workers",
                         "Weekly mean of (active cases + waiting list + needs of returnees and "
                         "host members not yet identified and referred) / caseload per worker, "
                         "by district: the whole need.");
  Series& deployed = *weekly("services/deployed_fte", "FTE social workers",
                             "Social workers deployed in each district (supply).");
  Series& gap = *weekly("services/gap_fte", "FTE social workers",
                        "Weekly demand minus deployed workers, where positive, by district.");
  Series& need_gap = *weekly("services/need_gap_fte", "FTE social workers",
                             "Weekly whole need minus deployed workers, where positive, by "
                             "district.");
  Series& unmet = *weekly("services/unmet_need", "cases",
                          "Weekly mean of identified needs waiting for a case slot, by district.");
  Series& unmet_all = *weekly("services/unmet_need_total", "needs",
                              "Weekly mean of needs (returnees and host members) waiting for a "
                              "slot or not yet identified and referred, by district.");
  double unmet_need_days = 0;
  for (int w = 0; w < W; ++w) {
    const int d0 = 7 * w, d1 = std::min(H, d0 + 7);
    for (int j = 0; j < D; ++j) {
      double a = 0, q = 0, u = 0, workers = 0;
      bool same_workers = true;  // (then their exact number, not a mean that may round)
      for (int d = d0; d < d1; ++d) {
        const double n = deployed_by_day_[static_cast<std::size_t>(d) * D + j];
        same_workers = same_workers && n == deployed_by_day_[static_cast<std::size_t>(d0) * D + j];
        workers += n;
        a += static_cast<double>(active_g_.at(d, j));
        q += static_cast<double>(waiting_g_.at(d, j));
        u += static_cast<double>(unidentified.at(d, j) + host_unidentified_.at(d, j));
      }
      unmet_need_days += q + u;
      a /= (d1 - d0);
      q /= (d1 - d0);
      u /= (d1 - d0);
      workers = same_workers ? deployed_by_day_[static_cast<std::size_t>(d0) * D + j]
                             : workers / (d1 - d0);
      demand.at(w, j) = (a + q) / caseload;
      need.at(w, j) = (a + q + u) / caseload;
      deployed.at(w, j) = workers;
      gap.at(w, j) = std::max(0.0, demand.at(w, j) - workers);
      need_gap.at(w, j) = std::max(0.0, need.at(w, j) - workers);
      unmet.at(w, j) = q;
      unmet_all.at(w, j) = q + u;
    }
  }

  out.figure("needs_identified", total_sum(identified), "needs",
             "Needs identified at quarantine intake or at home.");
  out.figure("needs_not_referred", total_sum(not_referred), "needs",
             "Needs identified but not referred to a social worker.");
  out.figure("cases_opened", total_sum(opened), "cases", "Cases opened by social workers.");
  const double reached_total = H > 0 ? static_cast<double>(reached.at(H - 1, 0)) : 0.0;
  const auto target = static_cast<double>(w_.sc.services.vulnerable_target);
  out.figure("vulnerable_reached", reached_total, "persons",
             "Returnees with at least one case opened.");
  out.figure("vulnerable_target", target, "persons",
             "Most-vulnerable people the services aim to reach (services.vulnerable_target).");
  out.figure("vulnerable_reached_share", target > 0 ? reached_total / target : 0.0, "share",
             "vulnerable_reached / vulnerable_target.");
  out.figure("unmet_need_weeks", unmet_need_days / 7, "need-weeks",
             "Needs of returnees and host members waiting for a slot or not yet identified and "
             "referred, summed over days and districts, in weeks.");
  // The 200,000 target: people (returnees and host members) identified, referred, served.
  const auto target_weekly = [&](const Grid& daily, const std::string& name,
                                 const std::string& what) {
    Series& s = out.series("target/" + name, "persons",
                           "People (returnees and host members) " + what +
                               ", cumulative at the end of each week, by district.",
                           "week", axis::District, W, D);
    Series& share = out.series("target/" + name + "_share", "share of the target",
                               "People " + what +
                                   " so far, as a share of "
                                   "services.vulnerable_target (all districts).",
                               "week", axis::Total, W, 1);
    const Grid cum = daily.cumulative();
    double last = 0;
    for (int w = 0; w < W; ++w) {
      const int end = std::min(H, 7 * w + 7) - 1;
      double all = 0;
      for (int j = 0; j < D; ++j) all += s.at(w, j) = static_cast<double>(cum.at(end, j));
      share.at(w, 0) = target > 0 ? all / target : 0.0;
      last = all;
    }
    out.figure("target_" + name, last, "persons",
               "People (returnees and host members) " + what + " over the horizon.");
    out.figure("target_" + name + "_share", target > 0 ? last / target : 0.0, "share",
               "target_" + name + " / vulnerable_target.");
  };
  target_weekly(target_identified_, "identified", "with a need identified");
  target_weekly(target_referred_, "referred", "with a need referred to a social worker");
  target_weekly(target_served_, "served", "with a case opened");
  double host_total = 0;
  for (const HostPool& pool : host_) host_total += static_cast<double>(pool.total);
  out.figure("host_vulnerable", host_total, "persons",
             "Vulnerable host-community members of the study districts (one per need).");
  out.figure("host_identified", total_sum(host_found), "persons",
             "Vulnerable host-community members identified.");
  out.figure("host_served", total_sum(host_served), "persons",
             "Vulnerable host-community members whose case opened.");
  double peak_waiting = 0, peak_demand = 0, peak_gap_total = 0, peak_need = 0,
         peak_need_gap_total = 0;
  for (int d = 0; d < H; ++d) {
    double q = 0;
    for (int j = 0; j < D; ++j) q += static_cast<double>(waiting_g_.at(d, j));
    peak_waiting = std::max(peak_waiting, q);
  }
  for (int w = 0; w < W; ++w) {
    double a = 0, g = 0, n = 0, ng = 0;
    for (int j = 0; j < D; ++j)
      a += demand.at(w, j), g += gap.at(w, j), n += need.at(w, j), ng += need_gap.at(w, j);
    peak_demand = std::max(peak_demand, a);
    peak_gap_total = std::max(peak_gap_total, g);
    peak_need = std::max(peak_need, n);
    peak_need_gap_total = std::max(peak_need_gap_total, ng);
  }
  out.figure("peak_waiting", peak_waiting, "needs",
             "Most identified needs waiting for a case slot on one day, all districts.");
  out.figure("peak_demand_fte", peak_demand, "FTE social workers",
             "Highest weekly social-worker demand from identified needs, all districts.");
  out.figure("peak_gap_fte", peak_gap_total, "FTE social workers",
             "Highest weekly shortfall of social workers against identified demand, all "
             "districts.");
  out.figure("peak_need_fte", peak_need, "FTE social workers",
             "Highest weekly social-worker need, identified or not, all districts.");
  out.figure("peak_need_gap_fte", peak_need_gap_total, "FTE social workers",
             "Highest weekly shortfall of social workers against the whole need, all districts.");
}

void Services::save(StateWriter& w) const {
  w.write("services/active", std::span<const std::int64_t>(active_));
  write_lists(w, "services/waiting", waiting_);
  std::vector<std::int64_t> heads(waiting_head_.begin(), waiting_head_.end());
  w.write("services/waiting_head", std::span<const std::int64_t>(heads));
  w.write("services/waiting_live", std::span<const std::int64_t>(waiting_live_));
  w.write("services/deployed_by_day", std::span<const double>(deployed_by_day_));
  identify_.save(w, "services/identify");
  case_close_.save(w, "services/case_close");
  identified_.save(w, "services/identified");
  not_referred_.save(w, "services/not_referred");
  opened_.save(w, "services/opened");
  ended_.save(w, "services/ended");
  active_g_.save(w, "services/active_by_day");
  waiting_g_.save(w, "services/waiting_by_day");
  reached_.save(w, "services/reached");
  unidentified_diff_.save(w, "services/unidentified_diff");
  std::vector<std::int64_t> pools;
  std::vector<double> carries;
  for (const HostPool& p : host_) {
    pools.insert(pools.end(), {p.total, p.unidentified, p.not_referred});
    carries.insert(carries.end(), {p.carry_found, p.carry_referred});
  }
  w.write("services/host_pools", std::span<const std::int64_t>(pools));
  w.write("services/host_carries", std::span<const double>(carries));
  w.write("services/host_district", std::span<const std::uint16_t>(host_district_));
  for (const auto& [name, g] : host_and_target_grids(*this))
    g->save(w, std::string("services/") + name);
}

void Services::load(const StateReader& r) {
  r.read_exact("services/active", active_);
  load_past_days(r, "services/deployed_by_day", deployed_by_day_, static_cast<std::size_t>(w_.D));
  waiting_ = read_lists<std::uint32_t>(r, "services/waiting");
  std::vector<std::int64_t> heads(waiting_head_.size());
  r.read_exact("services/waiting_head", heads);
  if (waiting_.size() != waiting_head_.size())
    throw StateError("state entry 'services/waiting': one list per district expected");
  for (size_t h = 0; h < heads.size(); ++h) {
    if (heads[h] < 0 || static_cast<size_t>(heads[h]) > waiting_[h].size())
      throw StateError("state entry 'services/waiting_head': head past its list");
    waiting_head_[h] = static_cast<std::size_t>(heads[h]);
  }
  r.read_exact("services/waiting_live", waiting_live_);
  r.read("services/host_district", host_district_);  // (before the calendars: their districts)
  hosts_in_district_.assign(static_cast<std::size_t>(w_.D), 0);
  host_number_.clear();
  for (const std::uint16_t h : host_district_) {
    if (h >= w_.D)
      throw StateError("state entry 'services/host_district': no district " + std::to_string(h));
    host_number_.push_back(hosts_in_district_[h]++);
  }
  // Host members are numbered after the run's returnees (identify_host). A branch that
  // changes the returnees still to come saved them after another total: their codes in the
  // waiting lists and the case calendar move to this run's numbers (left as they were,
  // they would name returnees, and their cases would close in another district).
  const std::int64_t saved_total = saved_first_id(r).back();
  if (static_cast<std::uint64_t>(w_.total + std::ssize(host_district_)) * 4 > UINT32_MAX)
    throw StateError("state entry 'services/host_district': too many host members for " +
                     std::to_string(w_.total) + " returnees");
  const auto renumber = [&](std::uint32_t code) {
    const std::int64_t i = code >> 2;
    return i < saved_total
               ? code
               : static_cast<std::uint32_t>((i - saved_total + w_.total) * 4 + (code & 3));
  };
  if (saved_total != w_.total)
    for (auto& list : waiting_)
      for (std::uint32_t& code : list) code = renumber(code);
  identify_.load(r, "services/identify", [this](std::uint32_t code) { return w_.home[code >> 2]; });
  case_close_.load(
      r, "services/case_close", [this](std::uint32_t code) { return district_of(code >> 2); },
      renumber);
  identified_.load(r, "services/identified");
  not_referred_.load(r, "services/not_referred");
  opened_.load(r, "services/opened");
  ended_.load(r, "services/ended");
  active_g_.load(r, "services/active_by_day");
  waiting_g_.load(r, "services/waiting_by_day");
  reached_.load(r, "services/reached");
  unidentified_diff_.load(r, "services/unidentified_diff");
  std::vector<std::int64_t> pools(host_.size() * 3);
  std::vector<double> carries(host_.size() * 2);
  r.read_exact("services/host_pools", pools);
  r.read_exact("services/host_carries", carries);
  for (std::size_t k = 0; k < host_.size(); ++k) {
    host_[k].total = pools[3 * k];
    host_[k].unidentified = pools[3 * k + 1];
    host_[k].not_referred = pools[3 * k + 2];
    host_[k].carry_found = carries[2 * k];
    host_[k].carry_referred = carries[2 * k + 1];
  }
  for (const auto& [name, g] : host_and_target_grids(*this))
    g->load(r, std::string("services/") + name);
}

std::size_t Services::queue_bytes() const {
  std::size_t b = identify_.bytes() + case_close_.bytes();
  for (const auto& v : waiting_) b += v.capacity() * sizeof(std::uint32_t);
  return b;
}

}  // namespace rfsim::sim
