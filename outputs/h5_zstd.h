// Zstandard compression for HDF5: the filter HDF5 knows as 32015 (the id the HDF Group
// registered for zstd; h5py's hdf5plugin and the HDF5 plugin packages read it), which
// rfsim registers in the process itself, and the compressor the checkpoint writer runs on
// chunks in parallel before handing them to HDF5 already filtered. Every frame carries a
// checksum of its content, so a corrupt chunk fails to read instead of reading wrong.
#pragma once

#include <hdf5.h>
#include <zstd.h>

#include <cstddef>
#include <vector>

namespace rfsim::outputs::h5 {

inline constexpr H5Z_filter_t kZstdFilter = 32015;

/// Registers the zstd filter with HDF5 (once per process, from any thread). Throws
/// OutputError if HDF5 refuses it.
void register_zstd();

/// Compresses chunks as the zstd filter does (one frame with a content checksum), at
/// `level`. One per thread.
class ZstdCompressor {
 public:
  explicit ZstdCompressor(int level);
  ~ZstdCompressor();
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;
  /// Replaces `out` by the compressed `size` bytes at `data`.
  void compress(const void* data, std::size_t size, std::vector<char>& out);

 private:
  ZSTD_CCtx* ctx_;
};

}  // namespace rfsim::outputs::h5
