// A whole state of a run in memory (state_io.h's named arrays, kept by name): what tests
// and branches rebuilt in one process save and load. (A run's checkpoints are written from
// outputs::CheckpointState.)
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "sim/state_io.h"

namespace rfsim::sim {

class MemoryState final : public StateWriter, public StateReader {
 public:
  using Values = std::variant<std::vector<std::uint8_t>, std::vector<std::uint16_t>,
                              std::vector<std::uint32_t>, std::vector<std::int32_t>,
                              std::vector<std::int64_t>, std::vector<double>>;
  void write(const std::string& n, std::span<const std::uint8_t> v) override;
  void write(const std::string& n, std::span<const std::uint16_t> v) override;
  void write(const std::string& n, std::span<const std::uint32_t> v) override;
  void write(const std::string& n, std::span<const std::int32_t> v) override;
  void write(const std::string& n, std::span<const std::int64_t> v) override;
  void write(const std::string& n, std::span<const double> v) override;
  void read(const std::string& n, std::vector<std::uint8_t>& o) const override;
  void read(const std::string& n, std::vector<std::uint16_t>& o) const override;
  void read(const std::string& n, std::vector<std::uint32_t>& o) const override;
  void read(const std::string& n, std::vector<std::int32_t>& o) const override;
  void read(const std::string& n, std::vector<std::int64_t>& o) const override;
  void read(const std::string& n, std::vector<double>& o) const override;
  const std::map<std::string, Values>& entries() const { return entries_; }
  /// Writes every entry to `w`, as the save that made this state wrote them.
  void save(StateWriter& w) const;

 private:
  std::map<std::string, Values> entries_;
};

}  // namespace rfsim::sim
