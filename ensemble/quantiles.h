// Exact quantiles and means over replicates, for the figures of a study and for every cell
// of every series of an ensemble, in bounded memory.
//
// The quantile of level p of n values is Hyndman and Fan's definition 7 (numpy's default,
// R's type 7): sort the values x_0 <= ... <= x_{n-1}, h = (n - 1) p, and interpolate
// x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h)), with numpy's arithmetic, so that
// numpy.quantile gives the same numbers bit for bit. Nothing is approximated.
//
// SeriesStore keeps each replicate's series as CellEncoder bytes (codec.h): only the
// non-zero cells, small whole numbers in one or two bytes, so a replicate of the default
// scenario (820,825 cells, about 9% of them non-zero) takes some 0.33 MB rather than the
// 6.6 MB of its doubles. Encoded replicates beyond a memory budget go to an unlinked
// temporary file. The statistics are then computed one block of kBlockCells cells at a
// time (blocks in parallel), and within a block one part at a time, a part being as many
// cells as make ~96 kB of all replicates' bytes (so that its values stay in a core's
// cache): every replicate's values of the part are gathered by cell, and of each cell's
// values only the order statistics the quantiles read are put in place (by counting when
// they are whole numbers of a narrow range, as counts of people are; else by buckets of
// equal width over the range, selecting only within the buckets that hold those ranks;
// by multi-selection when the range has no finite width; never a sort). Memory: the
// encoded replicates in memory (at most the budget), plus per thread one part's values and
// the block's bytes of the replicates kept on disk, plus the results.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/huge_pages.h"

namespace rfsim::ensemble {

/// The quantile levels every study reports: 5%, 25%, 50%, 75% and 95%.
inline constexpr double kQuantileLevels[] = {0.05, 0.25, 0.5, 0.75, 0.95};
inline constexpr int kQuantileCount = 5;

/// Quantile of level p (definition 7) of n values given by their order statistics:
/// `ordered(k)` is the k-th smallest (0-based). n > 0, p in [0, 1]. The arithmetic is
/// numpy's (1.22 and later), so the result equals numpy.quantile(values, p) bit for bit.
template <typename Ordered>
double quantile_of_ordered(std::int64_t n, double p, Ordered&& ordered) {
  const double h = static_cast<double>(n - 1) * p;
  const auto lo = static_cast<std::int64_t>(h);
  const double low = ordered(lo);
  const double high = lo + 1 < n ? ordered(lo + 1) : low;
  const double t = h - static_cast<double>(lo), diff = high - low;
  return t >= 0.5 ? high - diff * (1 - t) : low + diff * t;
}

/// The quantiles at kQuantileLevels of `values` (NaN values are left out; all NaN or
/// none: NaNs).
std::vector<double> quantiles(std::vector<double> values);
/// The mean of the values that are not NaN, summed in the order given (NaN if none).
double mean(std::span<const double> values);

class SeriesStore {
 public:
  /// `cells` cells per replicate, `replicates` replicates (numbered 0..replicates-1), at
  /// most `memory_budget` bytes of encoded replicates kept in memory.
  SeriesStore(std::int64_t cells, std::int64_t replicates, std::size_t memory_budget);
  ~SeriesStore();
  SeriesStore(const SeriesStore&) = delete;
  SeriesStore& operator=(const SeriesStore&) = delete;

  /// Keeps replicate `r`'s encoded cells (CellEncoder::finish). Replicates may come in
  /// any order, each once. Throws std::runtime_error on a malformed encoding or a
  /// temporary file that cannot be written.
  void add(std::int64_t r, std::string encoded);

  /// (On huge pages, base/huge_pages.h: 5 levels of every cell of the default scenario
  /// are 33 MB, faulted in while the other ranks wait.)
  using Values = std::vector<double, HugePageAllocator<double>>;
  struct Summary {
    /// [level][cell]: the quantiles at kQuantileLevels of each cell over the replicates.
    Values quantiles;
    Values mean;  ///< [cell], summed in replicate order
  };
  /// Every cell's quantiles and mean over all replicates (all must have been added),
  /// blocks computed on `threads` threads. The result is the same for any thread count.
  Summary summarize(int threads) const;

  std::int64_t cells() const { return cells_; }
  std::size_t bytes_in_memory() const { return in_memory_; }
  std::size_t bytes_on_disk() const { return on_disk_; }

 private:
  struct Replicate {
    std::string bytes;                  ///< the encoding, when kept in memory
    std::int64_t file_offset = -1;      ///< where it starts in the spill file, else -1
    std::vector<std::int64_t> offsets;  ///< block_offsets() of the encoding
  };
  /// Appends block b of replicate r, kept in the spill file, to `out` (read from the file).
  void append_spilled_block(const Replicate& r, std::int64_t b, std::string& out) const;

  std::int64_t cells_, blocks_;
  std::size_t budget_, in_memory_ = 0, on_disk_ = 0;
  std::vector<Replicate> replicates_;
  std::vector<bool> added_;
  std::FILE* spill_ = nullptr;
};

}  // namespace rfsim::ensemble
