// Reintegration: package eligibility and priority, weekly delivery within the budget, and
// irregular re-migration. Re-migration: at home arrival the day is drawn with the daily
// hazard remigration_hazard (x information.remigration_ratio for returnees reached by
// information); a package delivered before that day replaces the remaining time with a
// fresh draw at that hazard x package_hazard_ratio (memoryless, so this is exact).
//
// Priority: woman-headed households first, then more vulnerability flags, then earlier
// home arrival, then agent id. Agents join one FIFO queue per (woman-headed, flag count)
// class in home-arrival order (and id order within a day), so popping the best non-empty
// class gives that order without a heap. Deliveries happen on the last day of each week
// (days 6, 13, ...), up to delivery_per_week, skipping agents no longer at home. Each
// package is community (cost_community) with probability community_share, else individual
// (cost_individual), from a per-agent draw made at arrival (the spare word of its place
// draw). The budget is spent in priority order and delivery stops for good at the first
// package it cannot pay for.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/arrivals.h"
#include "sim/calendar.h"
#include "sim/grid.h"
#include "sim/home.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Reintegration final : public Unit {
 public:
  Reintegration(World& world, const Arrivals& arrivals, Home& home);

  /// Marks agent i for a community (not individual) package with probability
  /// community_share, from a uniform 32-bit word.
  void draw_package_kind(std::uint32_t i, std::uint32_t word) {
    if (bernoulli(uniform32(word), p_.community_share)) w_.status[i] |= status::CommunityPackage;
  }

  /// Packages delivered each day by home district, [day, district], and of them community
  /// packages, [day, 1].
  const Grid& packages() const { return packages_; }
  const Grid& community_packages() const { return community_packages_; }

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;
  std::size_t queue_bytes() const override;

 private:
  static constexpr int kClasses = 14;  ///< (woman-headed or not) x (6..0 flags)
  bool eligible(std::uint32_t i) const;
  /// Daily re-migration hazard of agent i: remigration_hazard, x package_hazard_ratio with a
  /// package, x information.remigration_ratio when reached by information.
  const DailyChance& hazard(std::uint32_t i, bool package) const;
  void remigration(int d);
  void draw_home(const Items& items, std::int64_t lo, std::int64_t hi, int d);
  void schedule_remigration();
  void queue_packages();
  void deliver(int d);
  /// Fetches agent i's columns that deliver() reads into the cache.
  void prefetch_agent(std::uint32_t i) const;

  World& w_;
  const Arrivals& arrivals_;
  Home& home_;
  const rfsim::Reintegration& p_;  ///< the scenario's [reintegration]
  DailyChance hazard_[2][2];       ///< hazard() by [with a package][reached by information]
  Day16* const remigration_day_;   ///< agent column: scheduled re-migration day
  std::vector<std::vector<std::uint32_t>> queue_;  ///< per priority class, FIFO
  std::vector<std::size_t> head_;
  double budget_left_ = 0, budget_spent_ = 0;
  bool exhausted_ = false;
  Calendar remigrate_;

  Items home_items_;  ///< scratch of the day: today's home arrivals

  Grid packages_, budget_, remigrated_;
  Grid community_packages_;                       ///< [day, 1] of which community packages
  Grid packages_by_group_, remigrated_by_group_;  ///< [day, group]
};

}  // namespace rfsim::sim
