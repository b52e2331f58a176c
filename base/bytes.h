// Bytes that carry values between processes and machines: unsigned and signed
// variable-length integers (LEB128, zigzag), doubles bit for bit and strings, little-endian
// everywhere, so the bytes mean the same on every machine. What the ranks of a study send
// each other (ensemble/codec.h) and what the geography cache keeps (geo/geography_cache.h)
// are written with them.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rfsim {

/// A read past the end or a malformed integer: the bytes were truncated or damaged.
struct CorruptBytes : std::runtime_error {
  CorruptBytes() : std::runtime_error("corrupt bytes (truncated or malformed)") {}
};

/// Zigzag mapping of signed integers to unsigned ones (0, -1, 1, -2 ... -> 0, 1, 2, 3 ...),
/// so that small magnitudes of either sign take short varints.
inline std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

/// Writes the LEB128 varint of `v` at `at` (at most 10 bytes); returns the end.
inline char* put_varint(char* at, std::uint64_t v) {
  while (v >= 0x80) {
    *at++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *at++ = static_cast<char>(v);
  return at;
}

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
/// integer throws CorruptBytes.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes)
      : begin_(bytes.data()), at_(begin_), end_(begin_ + bytes.size()) {}
  /// (The one-byte case, the common one, is inline: each cell of a replicate's series is
  /// two varints.)
  std::uint64_t varint() {
    if (at_ != end_ && !(static_cast<unsigned char>(*at_) & 0x80))
      return static_cast<unsigned char>(*at_++);
    return long_varint();
  }
  std::int64_t signed_varint();
  double number();
  std::string text();
  std::string_view raw(std::size_t n);
  bool done() const { return at_ == end_; }
  /// Bytes read so far.
  std::size_t position() const { return static_cast<std::size_t>(at_ - begin_); }

 private:
  std::uint64_t long_varint();
  const char* begin_;
  const char* at_;
  const char* end_;
};

}  // namespace rfsim
