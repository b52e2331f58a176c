// SHA-256 digests (OpenSSL EVP) for the provenance of input files: results record the
// checksum of every file a run read.
#pragma once

#include <string>
#include <string_view>

namespace rfsim::geo {

/// Lower-case hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view bytes);
/// Lower-case hex SHA-256 of a file's contents; throws GeoError if it cannot be read.
std::string sha256_hex_of_file(const std::string& path);

}  // namespace rfsim::geo
