// Integer accumulator tables [rows][cols] (rows are days, columns districts, facilities or
// entry points) that units count into during a run; the named series are made from them
// at the end. Integers, so sums never depend on the order threads add them in.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/state_io.h"

namespace rfsim::sim {

struct Grid {
  int rows = 0, cols = 0;
  std::vector<std::int64_t> v;
  Grid() = default;
  Grid(int r, int c) : rows(r), cols(c), v(static_cast<size_t>(r) * c, 0) {}
  std::int64_t& at(int r, int c) { return v[static_cast<size_t>(r) * cols + c]; }
  std::int64_t at(int r, int c) const { return v[static_cast<size_t>(r) * cols + c]; }
  std::int64_t* row(int r) { return v.data() + static_cast<size_t>(r) * cols; }
  /// Adds `counts` (one a column) into row r and sets them to zero: a thread's tally of the
  /// day taken in. Returns the counts past this grid's columns (the next grid's tally).
  std::int64_t* take_tally(int r, std::int64_t* counts) {
    std::int64_t* into = row(r);
    for (int c = 0; c < cols; ++c) into[c] += std::exchange(counts[c], 0);
    return counts + cols;
  }
  /// Running totals down each column (a difference array becomes levels).
  Grid cumulative() const {
    Grid g = *this;
    for (int r = 1; r < rows; ++r)
      for (int c = 0; c < cols; ++c) g.at(r, c) += g.at(r - 1, c);
    return g;
  }
  void save(StateWriter& w, const std::string& name) const {
    w.write(name, std::span<const std::int64_t>(v));
  }
  void load(const StateReader& r, const std::string& name) { r.read_exact(name, v); }
  /// As load(), from a state that may have fewer columns: ones appended since (facilities a
  /// branch adds), which start at zero.
  void load_appended(const StateReader& r, const std::string& name) {
    std::vector<std::int64_t> saved;
    r.read(name, saved);
    if (saved.size() == v.size()) {
      v.swap(saved);
      return;
    }
    const std::size_t old_cols = rows > 0 ? saved.size() / static_cast<std::size_t>(rows) : 0;
    if (old_cols * rows != saved.size() || old_cols > static_cast<std::size_t>(cols))
      throw StateError("state entry '" + name + "' holds " + std::to_string(saved.size()) +
                       " values, expected " + std::to_string(v.size()) + " or " +
                       std::to_string(rows) + " rows of fewer columns");
    std::fill(v.begin(), v.end(), 0);
    for (int row = 0; row < rows; ++row)
      std::copy_n(saved.begin() + static_cast<std::ptrdiff_t>(row * old_cols), old_cols,
                  this->row(row));
  }
};

}  // namespace rfsim::sim
