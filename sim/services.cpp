// Social services (see services.h).
#include "sim/services.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <stdexcept>

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

Services::Services(World& world, const Quarantine& quarantine)
    : w_(world),
      quarantine_(quarantine),
      needs_found_(world.agents.add<std::uint8_t>("needs", 0, "bit k: need k identified")),
      slots_(world.D, 0),
      active_(world.D, 0),
      waiting_(world.D),
      waiting_head_(world.D, 0),
      identify_(world.H),
      case_close_(world.H),
      identified_(world.H, world.D),
      opened_(world.H, world.D),
      active_g_(world.H, world.D),
      waiting_g_(world.H, world.D),
      reached_(world.H, 1) {
  std::vector<NeedKind> kinds = w_.sc.services.needs;
  if (kinds.empty()) {
    kinds = {{"mental_health", 0.6, 0.4, 0.1, 90},
             {"gbv", 0.5, 0.4, 0.1, 60},
             {"child_protection", 0.5, 0.3, 0.1, 90},
             {"maternal_care", 0.7, 0.5, 0.2, 120}};
  }
  if (kinds.size() > kMaxNeeds) throw std::invalid_argument("services.needs: at most 4 kinds of need");
  for (const NeedKind& k : kinds)
    needs_.push_back({k.name, flag_of(k.name), k.identify_at_intake,
                      daily_from_monthly(k.identify_with_worker),
                      daily_from_monthly(k.identify_without_worker), k.case_days});
  const std::vector<double>& deployed = w_.places.deployed_workers;
  for (int j = 0; j < w_.D; ++j)
    slots_[j] = static_cast<std::int64_t>(
        std::floor(std::max(0.0, deployed[j]) * w_.sc.services.caseload_per_worker + 1e-9));
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
    const bool workers = w_.places.deployed_workers[h] > 0;
    for (int j = 0; j < nk; ++j) {
      if (!(at & needs_[j].flag) || (needs_found_[i] >> j & 1)) continue;
      const double p = workers ? needs_[j].daily_with_worker : needs_[j].daily_without_worker;
      out[j] = geometric_days(
          uniform32(w_.rng(i, d, Purpose::Identification, static_cast<std::uint32_t>(j))[0]), p);
    }
  }
}

void Services::schedule_home(int d) {
  const int nk = static_cast<int>(needs_.size());
  for (std::int64_t k = 0; k < home_items_.n; ++k) {
    const std::uint32_t i = home_items_.id(k);
    const int* in = &home_delays_[static_cast<size_t>(k) * kMaxNeeds];
    for (int j = 0; j < nk; ++j)
      if (in[j] != INT_MAX) identify_.push(static_cast<long long>(d) + in[j], i * 4u + j);
  }
}

void Services::open_case(std::uint32_t code, int d) {
  const std::uint32_t i = code >> 2, k = code & 3;
  const int h = w_.home[i];
  ++active_[h];
  ++opened_.at(d, h);
  if (!(w_.status[i] & status::Reached)) ++reached_.at(d, 0);
  w_.status[i] |= status::Reached;
  const int days =
      duration_days(uniform32(w_.rng(i, d, Purpose::CaseLength, k)[0]), needs_[k].case_days);
  case_close_.push(static_cast<long long>(d) + days, code);
}

void Services::cases(int d) {
  const int D = w_.D;
  // Cases closing today free their slots.
  for (std::uint32_t code : case_close_.take(d)) --active_[w_.home[code >> 2]];
  // Waiting lists first, FIFO.
  for (int h = 0; h < D; ++h) {
    auto& q = waiting_[h];
    std::size_t& head = waiting_head_[h];
    while (head < q.size() && active_[h] < slots_[h]) open_case(q[head++], d);
    if (head > 0 && head * 2 >= q.size()) {
      q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
  }
  // Today's identifications at home (of agents still at home), then at intake, in
  // (agent id, need) order.
  std::vector<std::uint32_t> today = identify_.take(d);
  std::erase_if(today, [&](std::uint32_t c) { return w_.state[c >> 2] != AtHome; });
  for (std::uint32_t c : today) needs_found_[c >> 2] |= static_cast<std::uint8_t>(1u << (c & 3));
  const std::int64_t first = w_.first_id[d], last = w_.first_id[d + 1];
  for (std::uint32_t i : quarantine_.admitted_today()) {
    // Today's arrivals were drawn alongside screening; agents admitted after waiting at the
    // entry point are drawn now, with the same key (their arrival day).
    const std::uint8_t mask =
        i >= first && i < last ? intake_mask_[i - first] : intake_needs(i, w_.arrival_day(i));
    if (!mask) continue;
    needs_found_[i] |= mask;
    for (std::uint32_t k = 0; k < needs_.size(); ++k)
      if (mask >> k & 1) today.push_back(i * 4u + k);
  }
  std::sort(today.begin(), today.end());
  for (std::uint32_t code : today) {
    const int h = w_.home[code >> 2];
    ++identified_.at(d, h);
    if (waiting_head_[h] == waiting_[h].size() && active_[h] < slots_[h])
      open_case(code, d);
    else
      waiting_[h].push_back(code);
  }
  for (int h = 0; h < D; ++h) {
    if (!w_.study[h]) continue;
    active_g_.at(d, h) = active_[h];
    waiting_g_.at(d, h) = static_cast<std::int64_t>(waiting_[h].size() - waiting_head_[h]);
  }
}

void Services::bind(StepTable& steps) {
  steps.prepare("services.prepare_intake",
                [this](const Items& items, int) { intake_mask_.resize(items.n); });
  steps.stage("services.intake_needs",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int) {
                draw_intake(items, lo, hi, d);
              });
  steps.prepare("services.prepare_home", [this](const Items& items, int) {
    home_items_ = items;
    home_delays_.assign(static_cast<size_t>(items.n) * kMaxNeeds, INT_MAX);
  });
  steps.stage("services.draw_home",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int) {
                draw_home(items, lo, hi, d);
              });
  steps.step("services.schedule_home", [this](int d) { schedule_home(d); });
  steps.step("services.cases", [this](int d) { cases(d); });
}

std::vector<std::pair<int, int>> recommend_workers(const std::vector<double>& peak_gap,
                                                   const std::vector<std::uint8_t>& study,
                                                   int additional) {
  std::vector<double> remaining = peak_gap;
  std::vector<std::pair<int, int>> out;
  const int D = static_cast<int>(remaining.size());
  for (int k = 0; k < additional; ++k) {
    int best = -1;
    for (int h = 0; h < D; ++h)
      if (study[h] && (best < 0 || remaining[h] > remaining[best])) best = h;
    if (best < 0) break;
    remaining[best] -= 1.0;
    auto it = std::find_if(out.begin(), out.end(), [&](auto& p) { return p.first == best; });
    if (it == out.end())
      out.emplace_back(best, 1);
    else
      ++it->second;
  }
  return out;
}

void Services::report(Report& out) const {
  const int H = w_.H, D = w_.D;
  const Series& identified =
      out.daily(identified_, "services/identified", "needs",
                "Needs newly identified each day (at intake or at home), by home district.",
                axis::District);
  const Series& opened = out.daily(opened_, "services/cases_opened", "cases",
                                   "Cases opened each day, by home district.", axis::District);
  out.daily(active_g_, "services/active_cases", "cases",
            "Open cases at the end of each day, by district.", axis::District);
  out.daily(waiting_g_, "services/waiting", "cases",
            "Identified needs waiting for a free case slot, by district.", axis::District);
  const Grid reached = reached_.cumulative();
  out.daily(reached, "services/vulnerable_reached", "persons",
            "Returnees with at least one case opened, cumulative.", axis::Total);

  const int W = (H + 6) / 7;
  const double caseload = std::max(w_.sc.services.caseload_per_worker, 1e-9);
  const std::vector<double>& deployed_workers = w_.places.deployed_workers;
  Series& demand = out.series("services/demand_fte", "FTE social workers",
                              "Weekly mean of (active cases + waiting list) / caseload per "
                              "worker, by district.",
                              "week", axis::District, W, D);
  Series& deployed = out.series("services/deployed_fte", "FTE social workers",
                                "Social workers deployed in each district (supply).", "week",
                                axis::District, W, D);
  Series& gap = out.series("services/gap_fte", "FTE social workers",
                           "Weekly demand minus deployed workers, where positive, by district.",
                           "week", axis::District, W, D);
  Series& unmet = out.series("services/unmet_need", "cases",
                             "Weekly mean of identified needs waiting for a case slot, by "
                             "district.",
                             "week", axis::District, W, D);
  std::vector<double> peak_gap(D, 0.0);
  for (int w = 0; w < W; ++w) {
    const int d0 = 7 * w, d1 = std::min(H, d0 + 7);
    for (int j = 0; j < D; ++j) {
      double a = 0, q = 0;
      for (int d = d0; d < d1; ++d)
        a += static_cast<double>(active_g_.at(d, j)),
            q += static_cast<double>(waiting_g_.at(d, j));
      a /= (d1 - d0);
      q /= (d1 - d0);
      demand.at(w, j) = (a + q) / caseload;
      deployed.at(w, j) = deployed_workers[j];
      gap.at(w, j) = std::max(0.0, demand.at(w, j) - deployed_workers[j]);
      unmet.at(w, j) = q;
      peak_gap[j] = std::max(peak_gap[j], gap.at(w, j));
    }
  }

  out.figure("needs_identified", total_sum(identified), "needs",
             "Needs identified at quarantine intake or at home.");
  out.figure("cases_opened", total_sum(opened), "cases", "Cases opened by social workers.");
  const double reached_total = H > 0 ? static_cast<double>(reached.at(H - 1, 0)) : 0.0;
  const auto target = static_cast<double>(w_.sc.services.vulnerable_target);
  out.figure("vulnerable_reached", reached_total, "persons",
             "Returnees with at least one case opened.");
  out.figure("vulnerable_target", target, "persons",
             "Most-vulnerable people the services aim to reach (services.vulnerable_target).");
  out.figure("vulnerable_reached_share", target > 0 ? reached_total / target : 0.0, "share",
             "vulnerable_reached / vulnerable_target.");
  double peak_waiting = 0, peak_demand = 0, peak_gap_total = 0;
  for (int d = 0; d < H; ++d) {
    double q = 0;
    for (int j = 0; j < D; ++j) q += static_cast<double>(waiting_g_.at(d, j));
    peak_waiting = std::max(peak_waiting, q);
  }
  for (int w = 0; w < W; ++w) {
    double a = 0, g = 0;
    for (int j = 0; j < D; ++j) a += demand.at(w, j), g += gap.at(w, j);
    peak_demand = std::max(peak_demand, a);
    peak_gap_total = std::max(peak_gap_total, g);
  }
  out.figure("peak_waiting", peak_waiting, "needs",
             "Most identified needs waiting for a case slot on one day, all districts.");
  out.figure("peak_demand_fte", peak_demand, "FTE social workers",
             "Highest weekly social-worker demand, all districts.");
  out.figure("peak_gap_fte", peak_gap_total, "FTE social workers",
             "Highest weekly shortfall of social workers against those deployed, all districts.");
  out.recommendation(
      recommend_workers(peak_gap, w_.study, w_.sc.services.additional_workers));
}

void Services::save(StateWriter& w) const {
  w.write("services/active", std::span<const std::int64_t>(active_));
  write_lists(w, "services/waiting", waiting_);
  std::vector<std::int64_t> heads(waiting_head_.begin(), waiting_head_.end());
  w.write("services/waiting_head", std::span<const std::int64_t>(heads));
  identify_.save(w, "services/identify");
  case_close_.save(w, "services/case_close");
  identified_.save(w, "services/identified");
  opened_.save(w, "services/opened");
  active_g_.save(w, "services/active_by_day");
  waiting_g_.save(w, "services/waiting_by_day");
  reached_.save(w, "services/reached");
}

void Services::load(const StateReader& r) {
  r.read_exact("services/active", active_);
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
  identify_.load(r, "services/identify");
  case_close_.load(r, "services/case_close");
  identified_.load(r, "services/identified");
  opened_.load(r, "services/opened");
  active_g_.load(r, "services/active_by_day");
  waiting_g_.load(r, "services/waiting_by_day");
  reached_.load(r, "services/reached");
}

std::size_t Services::queue_bytes() const {
  std::size_t b = identify_.bytes() + case_close_.bytes();
  for (const auto& v : waiting_) b += v.capacity() * sizeof(std::uint32_t);
  return b;
}

}  // namespace rfsim::sim
