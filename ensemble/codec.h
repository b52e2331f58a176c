// The cells of a run's series as a run sends them to rank 0 (and as rank 0 keeps them of
// each replicate), encoded sparsely and without loss in the portable bytes of
// base/bytes.h, so that they mean the same on every machine of a cluster.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace rfsim::ensemble {

/// Cells per block of a CellEncoder: a replicate's encoded cells can be read block by
/// block, each block on its own (quantiles.h computes statistics one block at a time).
inline constexpr std::int64_t kBlockCells = std::int64_t{1} << 16;

/// Encodes the cells of one run (its series, one after the other) keeping only the
/// non-zero ones: per block of kBlockCells cells, the byte length of every block first,
/// then each non-zero cell as (gap since the previous one, value). A value that is a whole
/// number of magnitude below 2^52 takes a zigzag varint (one byte for -31..31), any other
/// is stored bit for bit: decoding gives back every value exactly (a -0 becomes 0).
class CellEncoder {
 public:
  explicit CellEncoder(std::int64_t cells);
  /// The next cells, in order.
  void add(std::span<const double> values);
  /// The encoded cells; every cell must have been added.
  std::string finish();

 private:
  void close_block();
  std::int64_t cells_, at_ = 0, block_start_ = 0, last_ = -1;
  ByteWriter lengths_;
  /// The blocks, written in place: bytes [0, used_) so far, the current block from
  /// block_begin_; the rest is room for the next cells.
  std::string body_;
  std::size_t used_ = 0, block_begin_ = 0;
};

/// Number of blocks of `cells` cells.
inline std::int64_t block_count(std::int64_t cells) {
  return (cells + kBlockCells - 1) / kBlockCells;
}

/// Where each block of an encoded replicate lies: bytes [offset[b], offset[b+1]) of the
/// encoding (offsets.size() == blocks + 1). Throws std::runtime_error if the header does
/// not describe `blocks` blocks that fit in the encoding.
std::vector<std::int64_t> block_offsets(std::string_view encoded, std::int64_t blocks);

/// Calls `cell(index within block, value)` for each non-zero cell of one encoded block,
/// in cell order.
template <typename Fn>
void decode_block(std::string_view block, Fn&& cell);

/// One non-zero cell read from a block (what decode_block hands on).
struct CellValue {
  std::int64_t index;
  double value;
};
/// The next cell of a block, advancing `reader` (decode_block's step; the quantiles read
/// many replicates' blocks side by side with it).
inline CellValue next_cell(ByteReader& reader, std::int64_t previous) {
  CellValue c;
  c.index = previous + 1 + static_cast<std::int64_t>(reader.varint());
  const std::uint64_t code = reader.varint();
  c.value = code == 1 ? reader.number() : static_cast<double>(unzigzag(code >> 1));
  return c;
}

template <typename Fn>
void decode_block(std::string_view block, Fn&& cell) {
  ByteReader r(block);
  std::int64_t previous = -1;
  while (!r.done()) {
    const CellValue c = next_cell(r, previous);
    cell(c.index, c.value);
    previous = c.index;
  }
}

}  // namespace rfsim::ensemble
