// Portable bytes (see bytes.h).
#include "base/bytes.h"

#include <bit>
#include <cstring>

namespace rfsim {

static_assert(std::endian::native == std::endian::little,
              "the encodings assume a little-endian machine");

void ByteWriter::varint(std::uint64_t v) {
  char bytes[10];
  out_.append(bytes, static_cast<std::size_t>(put_varint(bytes, v) - bytes));
}

void ByteWriter::signed_varint(std::int64_t v) {
  varint(zigzag(v));
}

void ByteWriter::number(double v) {
  char bytes[sizeof v];
  std::memcpy(bytes, &v, sizeof v);
  out_.append(bytes, sizeof v);
}

void ByteWriter::text(std::string_view s) {
  varint(s.size());
  out_.append(s);
}

std::uint64_t ByteReader::long_varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at_ == end_) throw CorruptBytes();
    const auto byte = static_cast<unsigned char>(*at_++);
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  throw CorruptBytes();
}

std::int64_t ByteReader::signed_varint() {
  return unzigzag(varint());
}

double ByteReader::number() {
  double v;
  std::memcpy(&v, raw(sizeof v).data(), sizeof v);
  return v;
}

std::string ByteReader::text() {
  const std::uint64_t n = varint();
  if (n > static_cast<std::uint64_t>(end_ - at_)) throw CorruptBytes();
  return std::string(raw(static_cast<std::size_t>(n)));
}

std::string_view ByteReader::raw(std::size_t n) {
  if (n > static_cast<std::size_t>(end_ - at_)) throw CorruptBytes();
  std::string_view out(at_, n);
  at_ += n;
  return out;
}

}  // namespace rfsim
