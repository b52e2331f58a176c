// Arrivals and entry: who crosses the border each day and where. The daily counts come
// from the arrival curve (World::first_id); each arrival draws its sex, age band and
// vulnerability flags from [demography], its entry point from the entry-share period in
// force, and its home district from the home weights (Places::home_weight).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/grid.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Arrivals final : public Unit {
 public:
  explicit Arrivals(World& world);

  /// Sex, age band and vulnerability flags (attr:: bits) of agent i, drawn on day d.
  std::uint16_t draw_attributes(std::uint32_t i, int d) const;
  /// The same from the agent's draws for Purpose::Attributes (r1) and Attributes2 (r2).
  std::uint16_t attributes(const Bits& r1, const Bits& r2) const;
  /// The spare word of today's k-th arrival's place draw (words 0-2 give its entry point
  /// and home), handed to Reintegration for the kind of package it would get.
  std::uint32_t package_word(std::int64_t k) const { return package_word_[k]; }

  /// Returnees crossing the border each day by group, [day, group::Count].
  const Grid& by_group() const { return by_group_; }

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;

 private:
  void draw_people(const Items& items, std::int64_t lo, std::int64_t hi, int d, int thread);

  World& w_;
  std::vector<CumulativeTable> entry_;       ///< cumulative entry shares per period
  std::vector<int> share_period_;            ///< entry-share period in force on day d
  CumulativeTable home_;                     ///< cumulative home-district weights
  CumulativeTable age_;                      ///< cumulative age-band shares
  std::vector<std::uint32_t> package_word_;  ///< scratch of the day, per arrival
  /// Per thread: today's arrivals by entry point (E), by home district (D), by group.
  std::vector<std::vector<std::int64_t>> tally_;
  Grid by_entry_;  ///< [day, entry point]
  Grid by_home_;   ///< [day, district]
  Grid by_group_;  ///< [day, group] (group:: columns)
};

}  // namespace rfsim::sim
