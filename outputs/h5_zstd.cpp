// Zstandard compression for HDF5 (see h5_zstd.h).
#include "outputs/h5_zstd.h"

#include <mutex>
#include <new>
#include <string>

#include "outputs/error.h"

namespace rfsim::outputs::h5 {
namespace {

/// cd_values[0] is the compression level, as the hdf5plugin filter has it.
int level_of(std::size_t cd_nelmts, const unsigned cd_values[]) {
  return cd_nelmts > 0 ? static_cast<int>(cd_values[0]) : 1;
}

/// The filter function: compresses, or (H5Z_FLAG_REVERSE) decompresses, the `nbytes` at
/// *buf, replacing the buffer; returns the new size, or 0 on failure (HDF5 then fails the
/// read or write).
std::size_t zstd_filter(unsigned flags, std::size_t cd_nelmts, const unsigned cd_values[],
                        std::size_t nbytes, std::size_t* buf_size, void** buf) noexcept {
  std::size_t size = 0;
  void* out = nullptr;
  if (flags & H5Z_FLAG_REVERSE) {
    const unsigned long long content = ZSTD_getFrameContentSize(*buf, nbytes);
    if (content == ZSTD_CONTENTSIZE_ERROR || content == ZSTD_CONTENTSIZE_UNKNOWN) return 0;
    out = H5allocate_memory(content, false);
    if (!out) return 0;
    size = ZSTD_decompress(out, content, *buf, nbytes);  // (checks the content checksum)
    if (ZSTD_isError(size) || size != content) size = 0;
  } else {
    const std::size_t bound = ZSTD_compressBound(nbytes);
    out = H5allocate_memory(bound, false);
    ZSTD_CCtx* ctx = ZSTD_createCCtx();
    if (out && ctx && !ZSTD_isError(ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel,
                                                            level_of(cd_nelmts, cd_values))) &&
        !ZSTD_isError(ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 1)))
      size = ZSTD_compress2(ctx, out, bound, *buf, nbytes);
    ZSTD_freeCCtx(ctx);
    if (ZSTD_isError(size)) size = 0;
  }
  if (size == 0) {
    H5free_memory(out);
    return 0;
  }
  H5free_memory(*buf);
  *buf = out;
  *buf_size = size;
  return size;
}

const H5Z_class2_t kZstdClass = {H5Z_CLASS_T_VERS, kZstdFilter, 1, 1, "zstd", nullptr, nullptr,
                                 zstd_filter};

}  // namespace

void register_zstd() {
  static std::once_flag once;
  static bool registered = false;
  std::call_once(once, [] { registered = H5Zregister(&kZstdClass) >= 0; });
  if (!registered) throw OutputError("cannot register the zstd filter with HDF5");
}

ZstdCompressor::ZstdCompressor(int level) : ctx_(ZSTD_createCCtx()) {
  if (!ctx_ || ZSTD_isError(ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level)) ||
      ZSTD_isError(ZSTD_CCtx_setParameter(ctx_, ZSTD_c_checksumFlag, 1))) {
    ZSTD_freeCCtx(ctx_);
    throw std::bad_alloc();
  }
}

ZstdCompressor::~ZstdCompressor() { ZSTD_freeCCtx(ctx_); }

std::vector<char> ZstdCompressor::compress(const void* data, std::size_t size) {
  const std::size_t bound = ZSTD_compressBound(size);
  if (scratch_size_ < bound) {
    scratch_.reset(new char[bound]);
    scratch_size_ = bound;
  }
  const std::size_t n = ZSTD_compress2(ctx_, scratch_.get(), bound, data, size);
  if (ZSTD_isError(n))
    throw OutputError(std::string("cannot compress a chunk: ") + ZSTD_getErrorName(n));
  return std::vector<char>(scratch_.get(), scratch_.get() + n);
}

}  // namespace rfsim::outputs::h5
