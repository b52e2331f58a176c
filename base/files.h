// Whole files read at once: what reads a file as one block of bytes (a checkpoint whose seal
// is checked, a picture embedded in a page) reads it with one call instead of a character
// at a time (~3x faster: a 114 MB checkpoint in 0.08 s instead of 0.25 s).
#pragma once

#include <filesystem>
#include <string>

namespace rfsim {

/// The bytes of the file at `path`. Throws std::system_error (the path and the reason)
/// when it cannot be opened or read.
std::string read_file_bytes(const std::filesystem::path& path);

}  // namespace rfsim
