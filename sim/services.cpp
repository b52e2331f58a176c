// Social services: needs identified at quarantine intake or later at home, referred to the
// home district's social workers, opened as cases when a slot is free (slots = deployed
// workers x caseload_per_worker), else kept on a FIFO waiting list; cases close after a
// sampled duration. Also the greedy recommendation of where additional workers go.
//
// A need exists when its agent flag is set: mental_health <- mental-health need,
// gbv <- GBV risk, child_protection <- with children, maternal_care <- pregnant. Each need
// is identified at intake with probability identify_at_intake; otherwise, once home, the
// identification day is drawn from the monthly probability (identify_with_worker where the
// home district has deployed workers, identify_without_worker elsewhere) turned into a
// daily probability 1-(1-p)^(1/30). Services serve only homes in the study area; a
// re-migrated agent's open or waiting cases run their course.
//
// Order within a day: cases closing free their slots, the waiting list is served in FIFO
// order, then the day's identifications in agent order (agent id, need) open cases or join
// the waiting list.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/model.h"

namespace rfsim::sim::detail {

namespace {
double daily_from_monthly(double p) {
  if (p >= 1) return 1;
  if (!(p > 0)) return 0;
  return 1 - std::pow(1 - p, 1.0 / 30.0);
}
}  // namespace

void Model::setup_services() {
  std::vector<NeedKind> kinds = sc.services.needs;
  if (kinds.size() > 4) throw std::invalid_argument("services.needs: at most 4 kinds of need");
  for (const NeedKind& k : kinds) {
    Need n;
    n.name = k.name;
    if (k.name == "mental_health")
      n.flag = attr::MentalHealth;
    else if (k.name == "gbv")
      n.flag = attr::GbvRisk;
    else if (k.name == "child_protection")
      n.flag = attr::WithChildren;
    else if (k.name == "maternal_care")
      n.flag = attr::Pregnant;
    else
      throw std::invalid_argument("services.needs: unknown need '" + k.name +
                                  "' (mental_health, gbv, child_protection, maternal_care)");
    n.at_intake = k.identify_at_intake;
    n.daily_with_worker = daily_from_monthly(k.identify_with_worker);
    n.daily_without_worker = daily_from_monthly(k.identify_without_worker);
    n.case_days = k.case_days;
    needs.push_back(n);
  }
  deployed.assign(D, 0.0);
  for (const auto& [name, workers] : sc.services.deployed) {
    const int j = geo.find(name);
    if (j < 0) throw std::invalid_argument("services.deployed: unknown district '" + name + "'");
    deployed[j] += workers;
  }
  slots.assign(D, 0);
  for (int j = 0; j < D; ++j)
    slots[j] = static_cast<std::int64_t>(
        std::floor(std::max(0.0, deployed[j]) * sc.services.caseload_per_worker + 1e-9));
  active.assign(D, 0);
  waiting_cases.assign(D, {});
  waiting_head.assign(D, 0);
}

std::uint8_t Model::intake_needs(std::uint32_t i, int arrival_day) const {
  if (!study[agents.home[i]]) return 0;
  const std::uint16_t at = agents.attr[i];
  std::uint8_t mask = 0;
  for (size_t k = 0; k < needs.size(); ++k) {
    if (!(at & needs[k].flag)) continue;
    const Bits r = rng(i, static_cast<std::uint32_t>(arrival_day), Purpose::Intake,
                       static_cast<std::uint32_t>(k));
    if (bernoulli(uniform32(r[0]), needs[k].at_intake)) mask |= static_cast<std::uint8_t>(1u << k);
  }
  return mask;
}

void Model::identify_at_intake(std::uint32_t i, int d) {
  // Drawn once per agent, keyed by the arrival day (pre-drawn in parallel for the day's
  // arrivals; recomputed for agents admitted after waiting at the entry point).
  std::uint8_t mask;
  if (i >= first_id[d] && i < first_id[d + 1]) {
    mask = intake_tmp[i - first_id[d]];
  } else {
    const int arrival_day =
        static_cast<int>(std::upper_bound(first_id.begin(), first_id.end(), i) - first_id.begin()) -
        1;
    mask = intake_needs(i, arrival_day);
  }
  if (!mask) return;
  agents.needs[i] |= mask;
  for (std::uint32_t k = 0; k < needs.size(); ++k)
    if (mask >> k & 1) intake_today.push_back(i * 4u + k);
}

void Model::open_case(std::uint32_t code, int d) {
  const std::uint32_t i = code >> 2, k = code & 3;
  const int h = agents.home[i];
  ++active[h];
  ++opened_g.at(d, h);
  if (!(agents.status[i] & status::Reached)) ++reached_g.at(d, 0);
  agents.status[i] |= status::Reached;
  const int days =
      duration_days(uniform32(rng(i, d, Purpose::CaseLength, k)[0]), needs[k].case_days);
  case_close.push(static_cast<long long>(d) + days, code);
}

void Model::process_services(int d) {
  // Cases closing today free their slots.
  for (std::uint32_t code : case_close.take(d)) --active[agents.home[code >> 2]];
  // Waiting lists first, FIFO.
  for (int h = 0; h < D; ++h) {
    auto& q = waiting_cases[h];
    std::size_t& head = waiting_head[h];
    while (head < q.size() && active[h] < slots[h]) open_case(q[head++], d);
    if (head > 0 && head * 2 >= q.size()) {
      q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
  }
  // Today's identifications, in (agent id, need) order.
  std::vector<std::uint32_t> today;
  today.swap(identified_today);
  std::erase_if(today, [&](std::uint32_t c) { return agents.state[c >> 2] != AtHome; });
  for (std::uint32_t c : today) agents.needs[c >> 2] |= static_cast<std::uint8_t>(1u << (c & 3));
  today.insert(today.end(), intake_today.begin(), intake_today.end());
  intake_today.clear();
  std::sort(today.begin(), today.end());
  for (std::uint32_t code : today) {
    const int h = agents.home[code >> 2];
    ++identified_g.at(d, h);
    if (waiting_head[h] == waiting_cases[h].size() && active[h] < slots[h])
      open_case(code, d);
    else
      waiting_cases[h].push_back(code);
  }
  for (int h = 0; h < D; ++h) {
    if (!study[h]) continue;
    active_g.at(d, h) = active[h];
    waiting_g.at(d, h) = static_cast<std::int64_t>(waiting_cases[h].size() - waiting_head[h]);
  }
}

std::vector<std::pair<int, int>> Model::recommend_workers(
    const std::vector<double>& peak_gap) const {
  // Remaining unmet demand per study district = peak weekly FTE gap minus workers already
  // allocated; each worker goes to the largest remaining (ties: lowest district index).
  std::vector<double> remaining = peak_gap;
  std::vector<std::pair<int, int>> out;
  for (int k = 0; k < sc.services.additional_workers; ++k) {
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

}  // namespace rfsim::sim::detail
