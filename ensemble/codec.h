// The bytes a run sends to rank 0 (and that rank 0 keeps of each replicate): unsigned and
// signed variable-length integers (LEB128, zigzag), doubles bit for bit, strings, and the
// cells of a run's series, encoded sparsely and without loss. Little-endian everywhere, so
// the bytes mean the same on every machine of a cluster.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rfsim::ensemble {

class ByteWriter {
 public:
  void varint(std::uint64_t v);
  void signed_varint(std::int64_t v);
  /// The 8 bytes of `v` (IEEE 754), little-endian: NaN payloads and -0 survive.
  void number(double v);
  void text(std::string_view s);
  /// Bytes as they are (the reader must know how many).
  void raw(std::string_view s) { out_.append(s); }
  std::size_t size() const { return out_.size(); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

/// Reads what a ByteWriter wrote, in the same order; a read past the end or a malformed
/// integer throws std::runtime_error ("corrupt message").
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes)
      : begin_(bytes.data()), at_(begin_), end_(begin_ + bytes.size()) {}
  std::uint64_t varint();
  std::int64_t signed_varint();
  double number();
  std::string text();
  std::string_view raw(std::size_t n);
  bool done() const { return at_ == end_; }
  /// Bytes read so far.
  std::size_t position() const { return static_cast<std::size_t>(at_ - begin_); }

 private:
  const char* begin_;
  const char* at_;
  const char* end_;
};

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
  ByteWriter lengths_, block_;
  std::string body_;
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
/// The next cell of a block, advancing `reader` (used by decode_block).
CellValue next_cell(ByteReader& reader, std::int64_t previous);

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
