// Reintegration: package eligibility and priority, weekly delivery within the budget, and
// irregular re-migration. Re-migration: at home arrival the day is drawn with the daily
// hazard remigration_hazard; a package delivered before that day replaces the remaining
// time with a fresh draw at hazard x package_hazard_ratio (memoryless, so this is exact).
//
// Priority: woman-headed households first, then more vulnerability flags, then earlier
// home arrival, then agent id. Agents join one FIFO queue per (woman-headed, flag count)
// class in home-arrival order (and id order within a day), so popping the best non-empty
// class gives that order without a heap. Deliveries happen on the last day of each week
// (days 6, 13, ...), up to delivery_per_week, skipping agents no longer at home. Each
// package is community (cost_community) with probability community_share, else individual
// (cost_individual), from a per-agent draw made at arrival. The budget is spent in priority order
// and delivery stops for good at the first package it cannot pay for.
#include <algorithm>

#include "sim/model.h"

namespace rfsim::sim::detail {

namespace {
constexpr int kClasses = 14;  // (woman-headed or not) x (6..0 flags)
}

bool Model::eligible_for_package(std::uint32_t i) const {
  const Reintegration& r = sc.reintegration;
  if (budget_exhausted || !(r.budget_usd > 0) || r.delivery_per_week <= 0) return false;
  if (!study[agents.home[i]]) return false;
  return attr::vulnerabilities(agents.attr[i]) >= r.eligibility_min_vulnerabilities;
}

void Model::enqueue_for_package(std::uint32_t i) {
  const std::uint16_t at = agents.attr[i];
  const int flags = attr::vulnerabilities(at);
  if (package_queue.empty()) {
    package_queue.assign(kClasses, {});
    package_head.assign(kClasses, 0);
  }
  const int cls = ((at & attr::WomanHeaded) ? 0 : 7) + (6 - std::min(flags, 6));
  package_queue[cls].push_back(i);
}

void Model::deliver_packages(int d) {
  if (d % 7 != 6 || package_queue.empty() || budget_exhausted) return;
  const Reintegration& r = sc.reintegration;
  int delivered = 0;
  for (int c = 0; c < kClasses && delivered < r.delivery_per_week && !budget_exhausted; ++c) {
    auto& q = package_queue[c];
    std::size_t& head = package_head[c];
    while (head < q.size() && delivered < r.delivery_per_week) {
      const std::uint32_t i = q[head];
      if (agents.state[i] != AtHome) {
        ++head;
        continue;
      }
      const bool community = agents.status[i] & status::CommunityPackage;
      const double cost = community ? r.cost_community : r.cost_individual;
      if (cost > budget_left + 1e-9) {
        budget_exhausted = true;
        break;
      }
      ++head;
      ++delivered;
      budget_left -= cost;
      budget_spent += cost;
      agents.status[i] |= status::Package;
      ++packages_g.at(d, agents.home[i]);
      delivered_today.push_back(i);
    }
    if (head > 0 && head * 2 >= q.size()) {
      q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
  }
  // Fresh re-migration draws for this week's recipients (parallel), then the schedule.
  const std::int64_t n = static_cast<std::int64_t>(delivered_today.size());
  std::vector<int> delay(delivered_today.size());
  const double hazard = r.remigration_hazard * r.package_hazard_ratio;
#pragma omp parallel for num_threads(threads) schedule(static) if (n > 4096)
  for (std::int64_t k = 0; k < n; ++k)
    delay[k] =
        geometric_days(uniform32(rng(delivered_today[k], d, Purpose::RemigrationPkg)[0]), hazard);
  for (std::int64_t k = 0; k < n; ++k) {
    const std::uint32_t i = delivered_today[k];
    if (delay[k] != INT_MAX && static_cast<long long>(d) + delay[k] < H) {
      agents.remigration_day[i] = static_cast<Day16>(d + delay[k]);
      remigrate.push(d + delay[k], i);
    } else {
      agents.remigration_day[i] = kNever;
    }
  }
  delivered_today.clear();
  if (budget_exhausted) {  // nothing more can be delivered: free the queues
    package_queue.clear();
    package_head.clear();
  }
}

void Model::process_remigration(int d) {
  for (std::uint32_t i : remigrate.take(d)) {
    if (agents.state[i] != AtHome || agents.remigration_day[i] != d) continue;
    const int h = agents.home[i];
    set_state(i, Remigrated);
    ++remigrated_g.at(d, h);
    --present_diff.at(d, h);
  }
}

}  // namespace rfsim::sim::detail
