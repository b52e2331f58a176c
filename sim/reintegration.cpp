// Reintegration and re-migration (see reintegration.h).
#include "sim/reintegration.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "sim/parallel.h"

namespace rfsim::sim {

Reintegration::Reintegration(World& world, const Arrivals& arrivals, Home& home)
    : w_(world),
      arrivals_(arrivals),
      home_(home),
      p_(world.sc.reintegration),
      remigration_day_(world.agents.add<Day16>("remigration_day", kNever,
                                               "scheduled re-migration day (kNever: none)")),
      queue_(kClasses),
      head_(kClasses, 0),
      budget_left_(std::max(0.0, world.sc.reintegration.budget_usd)),
      remigrate_(world.H),
      packages_(world.H, world.D),
      budget_(world.H, 1),
      remigrated_(world.H, world.D),
      community_packages_(world.H, 1),
      packages_by_group_(world.H, group::Count),
      remigrated_by_group_(world.H, group::Count) {
  for (const bool package : {false, true})
    for (const bool informed : {false, true}) {
      double h = p_.remigration_hazard;
      if (package) h *= p_.package_hazard_ratio;
      if (informed) h *= w_.sc.information.remigration_ratio;
      hazard_[package][informed] = DailyChance(std::min(1.0, h));
    }
}

const DailyChance& Reintegration::hazard(std::uint32_t i, bool package) const {
  return hazard_[package ? 1 : 0][w_.status[i] & status::Informed ? 1 : 0];
}

bool Reintegration::eligible(std::uint32_t i) const {
  if (exhausted_ || !(p_.budget_usd > 0) || p_.delivery_per_week <= 0) return false;
  if (!w_.study[w_.home[i]]) return false;
  return attr::vulnerabilities(w_.attr[i]) >= p_.eligibility_min_vulnerabilities;
}

void Reintegration::prefetch_agent(std::uint32_t i) const {
  __builtin_prefetch(&w_.state[i]);
  __builtin_prefetch(&w_.status[i]);
  __builtin_prefetch(&w_.home[i]);
  __builtin_prefetch(&w_.attr[i]);
}

void Reintegration::remigration(int d) {
  // The day's re-migrants are scattered over the ids (their days were drawn when each came
  // home): their columns are fetched ahead, as the package queues' are.
  const std::vector<std::uint32_t> today = remigrate_.take(d);
  for (std::size_t k = 0; k < today.size(); ++k) {
    if (k + kLookAhead < today.size()) {
      const std::uint32_t next = today[k + kLookAhead];
      prefetch_agent(next);
      __builtin_prefetch(&remigration_day_[next]);
    }
    const std::uint32_t i = today[k];
    if (w_.state[i] != AtHome || remigration_day_[i] != d) continue;
    w_.set_state(i, Remigrated);
    ++remigrated_.at(d, w_.home[i]);
    group::for_each(w_.attr[i], [&](int g) { ++remigrated_by_group_.at(d, g); });
    home_.left(i, d);
  }
}

void Reintegration::draw_home(const Items& items, std::int64_t lo, std::int64_t hi, int d) {
  const auto id = [&](std::int64_t k) { return items.id(k); };
  for_each_draw(w_.rng, lo, hi, id, d, Purpose::Remigration, 0,
                [&](std::int64_t, std::uint32_t i, const Bits& r) {
                  const int delay = hazard(i, false).days(uniform32(r[0]));
                  if (delay != INT_MAX && static_cast<long long>(d) + delay < w_.H)
                    remigration_day_[i] = static_cast<Day16>(d + delay);
                });
}

void Reintegration::schedule_remigration() {
  for (std::int64_t k = 0; k < home_items_.n; ++k) {
    const std::uint32_t i = home_items_.id(k);
    if (remigration_day_[i] != kNever) remigrate_.push(remigration_day_[i], i);
  }
}

void Reintegration::queue_packages() {
  std::vector<std::uint32_t> eligible_today;
  for (std::int64_t k = 0; k < home_items_.n; ++k) {
    const std::uint32_t i = home_items_.id(k);
    if (eligible(i)) eligible_today.push_back(i);
  }
  // The queue keeps id order within a day.
  std::sort(eligible_today.begin(), eligible_today.end());
  for (std::uint32_t i : eligible_today) {
    const std::uint16_t at = w_.attr[i];
    const int flags = attr::vulnerabilities(at);
    queue_[((at & attr::WomanHeaded) ? 0 : 7) + (6 - std::min(flags, 6))].push_back(i);
  }
}

void Reintegration::deliver(int d) {
  if (d % 7 != 6 || exhausted_) return;
  std::vector<std::uint32_t> delivered;
  for (int c = 0;
       c < kClasses && static_cast<int>(delivered.size()) < p_.delivery_per_week && !exhausted_;
       ++c) {
    auto& q = queue_[c];
    std::size_t& head = head_[c];
    while (head < q.size() && static_cast<int>(delivered.size()) < p_.delivery_per_week) {
      if (head + kLookAhead < q.size()) prefetch_agent(q[head + kLookAhead]);
      const std::uint32_t i = q[head];
      if (w_.state[i] != AtHome) {
        ++head;
        continue;
      }
      const bool community = w_.status[i] & status::CommunityPackage;
      const double cost = community ? p_.cost_community : p_.cost_individual;
      if (cost > budget_left_ + 1e-9) {
        exhausted_ = true;
        break;
      }
      ++head;
      budget_left_ -= cost;
      budget_spent_ += cost;
      w_.status[i] |= status::Package;
      ++packages_.at(d, w_.home[i]);
      group::for_each(w_.attr[i], [&](int g) { ++packages_by_group_.at(d, g); });
      community_packages_.at(d, 0) += community;
      delivered.push_back(i);
    }
    if (head > 0 && head * 2 >= q.size()) {
      q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
  }
  // Fresh re-migration draws for this week's recipients (parallel), then the schedule.
  const std::int64_t n = static_cast<std::int64_t>(delivered.size());
  std::vector<int> delay(delivered.size());
  parallel_for(w_.threads, n, 4096, [&](std::int64_t k, int) {
    delay[k] = hazard(delivered[k], true)
                   .days(uniform32(w_.rng(delivered[k], d, Purpose::RemigrationPkg)[0]));
  });
  for (std::int64_t k = 0; k < n; ++k) {
    if (k + static_cast<std::int64_t>(kLookAhead) < n)
      __builtin_prefetch(&remigration_day_[delivered[k + kLookAhead]], 1);
    const std::uint32_t i = delivered[k];
    if (delay[k] != INT_MAX && static_cast<long long>(d) + delay[k] < w_.H) {
      remigration_day_[i] = static_cast<Day16>(d + delay[k]);
      remigrate_.push(d + delay[k], i);
    } else {
      remigration_day_[i] = kNever;
    }
  }
  if (exhausted_) {  // nothing more can be delivered: free the queues
    for (auto& q : queue_) std::vector<std::uint32_t>().swap(q);
    std::fill(head_.begin(), head_.end(), 0);
  }
}

void Reintegration::bind(StepTable& steps) {
  steps.step("reintegration.remigration", [this](int d) { remigration(d); });
  steps.stage("reintegration.draw_home",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int d, int) {
                draw_home(items, lo, hi, d);
              });
  steps.prepare("reintegration.prepare_home",
                [this](const Items& items, int) { home_items_ = items; });
  steps.stage("reintegration.package_kind",
              [this](const Items& items, std::int64_t lo, std::int64_t hi, int, int) {
                for (std::int64_t k = lo; k < hi; ++k)
                  draw_package_kind(items.id(k), arrivals_.package_word(k));
              });
  steps.step("reintegration.schedule_remigration", [this](int) { schedule_remigration(); });
  steps.step("reintegration.queue_packages", [this](int) { queue_packages(); });
  steps.step("reintegration.deliver", [this](int d) { deliver(d); });
  steps.step("reintegration.record", [this](int d) {
    budget_.at(d, 0) = static_cast<std::int64_t>(std::llround(budget_spent_ * 100));
  });
}

void Reintegration::report(Report& out) const {
  const int H = w_.H;
  const Series& packages =
      out.daily(packages_, "reintegration/packages", "packages",
                "Reintegration packages delivered each day, by home district.", axis::District);
  Series& spent = out.series("reintegration/budget_spent", "USD",
                             "Package budget spent, cumulative, at the end of each day.", "day",
                             axis::Total, H, 1);
  for (int d = 0; d < H; ++d) spent.at(d, 0) = static_cast<double>(budget_.at(d, 0)) / 100.0;
  const Series& remigrated =
      out.daily(remigrated_, "reintegration/remigrated", "persons",
                "Irregular re-migrations each day, by home district.", axis::District);
  const Series& packages_by_group = out.daily(
      packages_by_group_, "reintegration/packages_by_group", "packages",
      "Reintegration packages delivered each day: to men, to women, and to women heading a "
      "household (a subset of the women).",
      axis::Group);
  const Series& remigrated_by_group = out.daily(
      remigrated_by_group_, "reintegration/remigrated_by_group", "persons",
      "Irregular re-migrations each day: men, women, and women heading a household (a subset "
      "of the women).",
      axis::Group);
  group_shares(out, "packages_share", packages_by_group, arrivals_.by_group(),
               "who received a reintegration package");
  group_shares(out, "remigrated_share", remigrated_by_group, arrivals_.by_group(),
               "who re-migrated irregularly");
  out.figure("packages_delivered", total_sum(packages), "packages",
             "Reintegration packages delivered.");
  out.figure("budget_spent", budget_spent_, "USD", "Package budget spent.");
  out.figure("remigrated_total", total_sum(remigrated), "persons",
             "Returnees who re-migrated irregularly.");
}

void Reintegration::save(StateWriter& w) const {
  write_lists(w, "reintegration/queue", queue_);
  std::vector<std::int64_t> heads(head_.begin(), head_.end());
  w.write("reintegration/head", std::span<const std::int64_t>(heads));
  w.scalar("reintegration/budget_usd", p_.budget_usd);
  w.scalar("reintegration/budget_left", budget_left_);
  w.scalar("reintegration/budget_spent", budget_spent_);
  w.scalar<std::uint8_t>("reintegration/exhausted", exhausted_ ? 1 : 0);
  remigrate_.save(w, "reintegration/remigrate");
  packages_.save(w, "reintegration/packages");
  budget_.save(w, "reintegration/budget");
  remigrated_.save(w, "reintegration/remigrated");
  community_packages_.save(w, "reintegration/community_packages");
  packages_by_group_.save(w, "reintegration/packages_by_group");
  remigrated_by_group_.save(w, "reintegration/remigrated_by_group");
}

void Reintegration::load(const StateReader& r) {
  queue_ = read_lists<std::uint32_t>(r, "reintegration/queue");
  std::vector<std::int64_t> heads(head_.size());
  r.read_exact("reintegration/head", heads);
  if (queue_.size() != static_cast<size_t>(kClasses))
    throw StateError("state entry 'reintegration/queue': one list per priority class expected");
  for (int c = 0; c < kClasses; ++c) {
    if (heads[c] < 0 || static_cast<size_t>(heads[c]) > queue_[c].size())
      throw StateError("state entry 'reintegration/head': head past its queue");
    head_[c] = static_cast<std::size_t>(heads[c]);
  }
  budget_left_ = r.scalar<double>("reintegration/budget_left");
  budget_spent_ = r.scalar<double>("reintegration/budget_spent");
  exhausted_ = r.scalar<std::uint8_t>("reintegration/exhausted") != 0;
  // A branch with another budget: what is left changes by the difference.
  if (const double saved = r.scalar<double>("reintegration/budget_usd"); saved != p_.budget_usd) {
    if (exhausted_ && p_.budget_usd > saved)
      throw StateError(
          "reintegration.budget_usd: the package budget ran out before the saved day and "
          "returnees who became eligible later were not queued, so it cannot grow from then "
          "on (branch from an earlier checkpoint)");
    budget_left_ = std::max(0.0, budget_left_ + (p_.budget_usd - saved));
  }
  remigrate_.load(r, "reintegration/remigrate");
  packages_.load(r, "reintegration/packages");
  budget_.load(r, "reintegration/budget");
  remigrated_.load(r, "reintegration/remigrated");
  community_packages_.load(r, "reintegration/community_packages");
  packages_by_group_.load(r, "reintegration/packages_by_group");
  remigrated_by_group_.load(r, "reintegration/remigrated_by_group");
}

std::size_t Reintegration::queue_bytes() const {
  std::size_t b = remigrate_.bytes();
  for (const auto& q : queue_) b += q.capacity() * sizeof(std::uint32_t);
  return b;
}

}  // namespace rfsim::sim
