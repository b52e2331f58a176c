// Structure-of-arrays storage for the agents (one per returnee, ids in arrival order),
// with the smallest types that hold each field, and the bit layouts of the flag fields.
#pragma once

#include <cstdint>
#include <vector>

namespace rfsim::sim {

/// Day number stored in agent fields; kNever = no such day (or past the horizon).
using Day16 = std::uint16_t;
constexpr Day16 kNever = 0xFFFF;
constexpr std::uint8_t kNoFacility = 0xFF;

/// Where an agent is; every agent is in exactly one state every day.
enum State : std::uint8_t {
  NotArrived,
  WaitingAtEntry,
  InQuarantine,
  InIsolation,
  InHomeQuarantine,
  InTransit,
  AtHome,
  LeftStudyArea,
  Remigrated,
  kStateCount
};

/// Bits of Agents::attr.
namespace attr {
constexpr std::uint16_t Female = 1 << 0;
constexpr std::uint16_t Pregnant = 1 << 1;
constexpr std::uint16_t WithChildren = 1 << 2;
constexpr std::uint16_t GbvRisk = 1 << 3;
constexpr std::uint16_t MentalHealth = 1 << 4;
constexpr std::uint16_t Disability = 1 << 5;
constexpr std::uint16_t WomanHeaded = 1 << 6;
/// The vulnerability flags counted for package eligibility and priority.
constexpr std::uint16_t VulnerabilityMask = 0x7E;
constexpr int AgeShift = 8;  ///< age band (0..4) in bits 8-10
inline int age_band(std::uint16_t a) {
  return (a >> AgeShift) & 7;
}
inline int vulnerabilities(std::uint16_t a) {
  return __builtin_popcount(a & VulnerabilityMask);
}
}  // namespace attr

/// Bits of Agents::status.
namespace status {
constexpr std::uint8_t Symptomatic = 1 << 0;     ///< infection with symptoms
constexpr std::uint8_t Detected = 1 << 1;        ///< tested positive (entry or exit)
constexpr std::uint8_t Package = 1 << 2;         ///< reintegration package delivered
constexpr std::uint8_t Reached = 1 << 3;         ///< at least one case opened
constexpr std::uint8_t Informal = 1 << 4;        ///< crossed informally
constexpr std::uint8_t HomeQuarantine = 1 << 5;  ///< quarantines at home on arrival there
constexpr std::uint8_t CommunityPackage = 1
                                          << 6;  ///< would get a community (not individual) package
}  // namespace status

struct Agents {
  std::vector<std::uint16_t> home;     ///< home district index
  std::vector<std::uint16_t> attr;     ///< attr:: bits and age band
  std::vector<std::uint8_t> entry;     ///< entry point index
  std::vector<std::uint8_t> state;     ///< State
  std::vector<std::uint8_t> facility;  ///< quarantine facility, kNoFacility if none
  std::vector<std::uint8_t> status;    ///< status:: bits
  std::vector<std::uint8_t> needs;     ///< bit k: need k identified (intake or home)
  std::vector<Day16> infectious_from;  ///< first infectious day; kNever if never infected
  std::vector<Day16> recovered_from;   ///< first recovered day
  std::vector<Day16> remigration_day;  ///< scheduled re-migration day, kNever if none

  void resize(std::size_t n) {
    home.assign(n, 0);
    attr.assign(n, 0);
    entry.assign(n, 0);
    state.assign(n, NotArrived);
    facility.assign(n, kNoFacility);
    status.assign(n, 0);
    needs.assign(n, 0);
    infectious_from.assign(n, kNever);
    recovered_from.assign(n, kNever);
    remigration_day.assign(n, kNever);
  }
  static constexpr std::size_t bytes_per_agent() {
    return 2 * sizeof(std::uint16_t) + 5 * sizeof(std::uint8_t) + 3 * sizeof(Day16);
  }
  /// Infectious on day d.
  bool infectious(std::uint32_t i, int d) const {
    return infectious_from[i] <= d && d < recovered_from[i];
  }
};

}  // namespace rfsim::sim
