// Zstandard compression for HDF5: the filter HDF5 knows as 32015 (the id the HDF Group
// registered for zstd; h5py's hdf5plugin and the HDF5 plugin packages read it), which
// rfsim registers in the process itself, and the compressor the checkpoint writer runs on
// chunks in parallel before handing them to HDF5 already filtered. Every frame carries a
// checksum of its content, so a corrupt chunk fails to read instead of reading wrong.
#pragma once

#include <hdf5.h>
#include <zstd.h>

#include <cstddef>
#include <memory>
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
  ZstdCompressor(ZstdCompressor&& o) noexcept
      : ctx_(o.ctx_), scratch_(std::move(o.scratch_)), scratch_size_(o.scratch_size_) {
    o.ctx_ = nullptr;
  }
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;
  /// The `size` bytes at `data`, compressed (compressed into a buffer the compressor keeps,
  /// then copied out at their size).
  std::vector<char> compress(const void* data, std::size_t size);

 private:
  ZSTD_CCtx* ctx_;
  std::unique_ptr<char[]> scratch_;
  std::size_t scratch_size_ = 0;
};

}  // namespace rfsim::outputs::h5
