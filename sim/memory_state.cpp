// A whole state of a run in memory (see memory_state.h).
#include "sim/memory_state.h"

namespace rfsim::sim {
namespace {

template <class T>
void put(std::map<std::string, MemoryState::Values>& entries, const std::string& name,
         std::span<const T> v) {
  if (entries.contains(name)) throw StateError("state entry '" + name + "' written twice");
  entries.emplace(name, std::vector<T>(v.begin(), v.end()));
}

template <class T>
void get(const std::map<std::string, MemoryState::Values>& entries, const std::string& name,
         std::vector<T>& out) {
  const auto it = entries.find(name);
  if (it == entries.end()) throw StateError("state entry '" + name + "' is missing");
  const auto* v = std::get_if<std::vector<T>>(&it->second);
  if (!v) throw StateError("state entry '" + name + "' has another type");
  out = *v;
}

}  // namespace

void MemoryState::write(const std::string& n, std::span<const std::uint8_t> v) {
  put(entries_, n, v);
}
void MemoryState::write(const std::string& n, std::span<const std::uint16_t> v) {
  put(entries_, n, v);
}
void MemoryState::write(const std::string& n, std::span<const std::uint32_t> v) {
  put(entries_, n, v);
}
void MemoryState::write(const std::string& n, std::span<const std::int32_t> v) {
  put(entries_, n, v);
}
void MemoryState::write(const std::string& n, std::span<const std::int64_t> v) {
  put(entries_, n, v);
}
void MemoryState::write(const std::string& n, std::span<const double> v) {
  put(entries_, n, v);
}
void MemoryState::read(const std::string& n, std::vector<std::uint8_t>& o) const {
  get(entries_, n, o);
}
void MemoryState::read(const std::string& n, std::vector<std::uint16_t>& o) const {
  get(entries_, n, o);
}
void MemoryState::read(const std::string& n, std::vector<std::uint32_t>& o) const {
  get(entries_, n, o);
}
void MemoryState::read(const std::string& n, std::vector<std::int32_t>& o) const {
  get(entries_, n, o);
}
void MemoryState::read(const std::string& n, std::vector<std::int64_t>& o) const {
  get(entries_, n, o);
}
void MemoryState::read(const std::string& n, std::vector<double>& o) const {
  get(entries_, n, o);
}

void MemoryState::save(StateWriter& w) const {
  for (const auto& entry : entries_)  // (clang 14: no lambda capture of a binding)
    std::visit(
        [&]<class T>(const std::vector<T>& v) { w.write(entry.first, std::span<const T>(v)); },
        entry.second);
}

}  // namespace rfsim::sim
