// Transmission inside quarantine facilities. Per facility per day: force = facility_beta *
// I * max(1, occupancy/capacity)^crowding_exponent / max(1, occupancy), with I the
// infectious residents; each susceptible resident is infected with p = 1 - exp(-force)
// and its course drawn (Infection::infect).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/grid.h"
#include "sim/infection.h"
#include "sim/quarantine.h"
#include "sim/unit.h"
#include "sim/world.h"

namespace rfsim::sim {

class Transmission final : public Unit {
 public:
  Transmission(World& world, Quarantine& quarantine, Infection& infection);

  void bind(StepTable& steps) override;
  void report(Report& out) const override;
  void save(StateWriter& w) const override;
  void load(const StateReader& r) override;

 private:
  void facilities(int d);

  World& w_;
  Quarantine& quarantine_;
  Infection& infection_;
  // Scratch of the day: infectious residents, infection probability and the first index
  // of each facility's residents at risk.
  std::vector<std::int64_t> infectious_;
  std::vector<double> p_;
  std::vector<std::int64_t> offset_;
  // Scratch of the sweep, in pieces: the first piece of each facility (F + 1), and each
  // piece's facility, kept and infectious residents.
  static constexpr std::size_t kPiece = 16384;
  std::vector<std::size_t> first_piece_;
  std::vector<int> piece_facility_;
  std::vector<std::size_t> piece_kept_;
  std::vector<std::int64_t> piece_infectious_;
  Grid infections_;  ///< [day, facility] new infections
};

}  // namespace rfsim::sim
