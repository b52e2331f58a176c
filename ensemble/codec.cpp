// Bytes of what runs report, and their sparse cells (see codec.h).
#include "ensemble/codec.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace rfsim::ensemble {

namespace {

[[noreturn]] void corrupt() {
  throw std::runtime_error("corrupt message between ranks (truncated or malformed)");
}

/// Whole numbers of magnitude below this are written as integers.
constexpr double kWholeLimit = 4503599627370496.0;  // 2^52
/// The most bytes a cell takes: its gap's varint, then the value's (at most 10 + 10, or
/// 10 + 1 + 8 for a value stored bit for bit).
constexpr std::size_t kMaxCellBytes = 20;

}  // namespace

CellEncoder::CellEncoder(std::int64_t cells) : cells_(cells) {
  lengths_.varint(static_cast<std::uint64_t>(block_count(cells)));
  // Room for half a byte a cell, so that the buffer seldom grows: a replicate of the default
  // takes ~0.44 (about 9 % of its cells non-zero, 2-5 bytes each).
  body_.resize(static_cast<std::size_t>(std::max<std::int64_t>(cells, 0)) / 2 + 4096);
}

void CellEncoder::add(std::span<const double> values) {
  if (at_ + static_cast<std::int64_t>(values.size()) > cells_)
    throw std::logic_error("CellEncoder: more cells than announced");
  const double* v = values.data();
  std::size_t k = 0;
  while (k < values.size()) {
    if (at_ - block_start_ == kBlockCells) close_block();
    // The cells of this span that fall in the current block.
    const std::size_t end =
        std::min(values.size(), k + static_cast<std::size_t>(block_start_ + kBlockCells - at_));
    while (k < end) {
      const std::size_t from = k;
      // Zeros (most cells; -0 too, NaN not) eight at a time, then one at a time.
      for (; k + 8 <= end; k += 8) {
        std::uint64_t bits = 0;  // (a value's bits but its sign: 0 only for +0 and -0)
        for (std::size_t t = 0; t < 8; ++t) bits |= std::bit_cast<std::uint64_t>(v[k + t]) << 1;
        if (bits != 0) break;
      }
      while (k < end && v[k] == 0) ++k;
      at_ += static_cast<std::int64_t>(k - from);
      if (k == end) break;
      // The gap and the value, written in place.
      if (body_.size() - used_ < kMaxCellBytes)
        body_.resize(std::max(2 * body_.size(), used_ + 4096));
      char* const begin = body_.data() + used_;
      char* out = put_varint(begin, static_cast<std::uint64_t>(at_ - last_ - 1));
      const double x = v[k];
      // (whole: x below 2^52 in magnitude, NaN not, and its truncation exactly x; cheaper
      // than std::floor, which without SSE 4.1 is a dozen instructions)
      if (std::fabs(x) < kWholeLimit && static_cast<double>(static_cast<std::int64_t>(x)) == x) {
        out = put_varint(out, zigzag(static_cast<std::int64_t>(x)) << 1);
      } else {
        *out++ = 1;
        std::memcpy(out, &x, sizeof x);
        out += sizeof x;
      }
      used_ += static_cast<std::size_t>(out - begin);
      last_ = at_;
      ++k;
      ++at_;
    }
  }
}

void CellEncoder::close_block() {
  lengths_.varint(used_ - block_begin_);
  block_begin_ = used_;
  block_start_ = at_;
  last_ = at_ - 1;
}

std::string CellEncoder::finish() {
  if (at_ != cells_) throw std::logic_error("CellEncoder: fewer cells than announced");
  if (cells_ > 0) close_block();
  std::string out = lengths_.take();
  out.append(body_.data(), used_);
  return out;
}

std::vector<std::int64_t> block_offsets(std::string_view encoded, std::int64_t blocks) {
  ByteReader r(encoded);
  if (r.varint() != static_cast<std::uint64_t>(blocks))
    throw std::runtime_error("corrupt replicate: its cells do not match the ensemble's series");
  std::vector<std::int64_t> offsets(static_cast<std::size_t>(blocks) + 1);
  std::vector<std::uint64_t> lengths(static_cast<std::size_t>(blocks));
  for (auto& n : lengths) n = r.varint();
  offsets[0] = static_cast<std::int64_t>(r.position());
  for (std::size_t b = 0; b < lengths.size(); ++b) {
    if (lengths[b] > encoded.size()) corrupt();
    offsets[b + 1] = offsets[b] + static_cast<std::int64_t>(lengths[b]);
  }
  if (offsets.back() != static_cast<std::int64_t>(encoded.size())) corrupt();
  return offsets;
}

}  // namespace rfsim::ensemble
