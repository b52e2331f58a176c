// Unit tests of the portable bytes (base/bytes.h).
#include <catch2/catch.hpp>

#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"

using rfsim::ByteReader;
using rfsim::ByteWriter;

TEST_CASE("bytes: integers, doubles and text read back as written") {
  ByteWriter w;
  const std::uint64_t big = 0xFFFFFFFFFFFFFFFFull;
  w.varint(0);
  w.varint(127);
  w.varint(128);
  w.varint(big);
  w.signed_varint(-1);
  w.signed_varint(INT64_MIN);
  w.number(-0.0);
  w.number(std::nan("7"));
  w.text("O'Smach, \"informal\"");
  const std::string bytes = w.take();
  ByteReader r(bytes);
  CHECK(r.varint() == 0);
  CHECK(r.varint() == 127);
  CHECK(r.varint() == 128);
  CHECK(r.varint() == big);
  CHECK(r.signed_varint() == -1);
  CHECK(r.signed_varint() == INT64_MIN);
  const double z = r.number();
  CHECK((z == 0 && std::signbit(z)));
  CHECK(std::isnan(r.number()));
  CHECK(r.text() == "O'Smach, \"informal\"");
  CHECK(r.done());
  CHECK_THROWS_WITH(r.varint(), Catch::Contains("corrupt"));
  ByteReader truncated(std::string_view(bytes).substr(0, 3));
  truncated.varint();
  truncated.varint();
  CHECK_THROWS(truncated.varint());
}
