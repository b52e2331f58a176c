// An HDF5 file made in memory without copying its bulk: a file driver (a driver of HDF5's
// virtual file layer) that copies HDF5's own bytes (metadata, small data) but only refers
// to the raw data HDF5 writes from memory its user has declared stable, where it lies.
// Closed, the file is laid out in 4 KiB pages: a page that one such write covers whole,
// from page-aligned memory, comes straight from that memory; every other page (metadata,
// what lies unaligned, the gaps HDF5 leaves) is assembled, cleared first, in pages the file
// owns. The checkpoint writer (outputs/checkpoint.h) makes its files with it: the chunks of
// a 10M state (~90 of a checkpoint's ~110 MB) go from the state's memory to the disk
// (O_DIRECT) without being copied, where HDF5's in-memory driver cleared and copied every
// byte of an image first.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "outputs/hdf5.h"

namespace rfsim::outputs::h5 {

class PiecedFile {
 public:
  static constexpr std::size_t kPage = 4096;

  PiecedFile() = default;
  PiecedFile(PiecedFile&&) noexcept = default;
  PiecedFile& operator=(PiecedFile&&) noexcept = default;

  /// Takes the memory of the pages `old` owned (a file written already), for this file's.
  void reuse_memory(PiecedFile&& old);

  /// Raw data HDF5 writes from within `bytes` bytes at `data` is referred to, not copied:
  /// that memory must stay as it is until the file is written.
  void refer_to(const void* data, std::size_t bytes);

  /// File access properties that create an HDF5 file in this object, with every allocation
  /// of `align_from` bytes or more starting on a page. The object must stay where it is
  /// until HDF5 has closed the file.
  Handle access_properties(std::size_t align_from);

  /// Once HDF5 has closed the file: lays it out in pages (see above). Throws OutputError
  /// when memory runs out.
  void lay_out();

  /// The file, once laid out: its bytes in order, each part a whole number of pages (the
  /// last page padded with zeros), and its size.
  const std::vector<std::string_view>& parts() const { return parts_; }
  std::uint64_t size() const { return size_; }
  /// The first page (the file's first bytes), which the user may still change: the start
  /// of the memory of the pages the file owns.
  char* first_page();
  /// Bytes of that memory.
  std::size_t owned_capacity() const { return owned_capacity_; }
  /// Bytes of the parts that are the referred memory itself.
  std::size_t bytes_in_place() const { return in_place_; }
  /// The whole file, copied (for tests and checks).
  std::string bytes() const;

  // The driver's side (outputs/h5_pieces.cpp).
  void record(H5FD_mem_t type, haddr_t addr, std::size_t size, const void* data);
  void read(haddr_t addr, std::size_t size, void* out) const;
  void close(haddr_t end) { size_ = end; }

 private:
  struct Write {
    haddr_t addr;
    std::size_t size;
    const char* data;
    bool referred;  ///< `data` is the user's memory (else a copy in copies_)
  };
  bool is_referred(const char* data, std::size_t size);

  std::vector<std::pair<std::uintptr_t, std::uintptr_t>> referred_;  ///< [begin, end)
  bool referred_sorted_ = true;
  std::vector<Write> writes_;       ///< in the order HDF5 made them
  std::deque<std::string> copies_;  ///< (elements never move)
  std::uint64_t size_ = 0;
  std::unique_ptr<char, void (*)(void*)> owned_{nullptr, &std::free};  ///< huge pages
  std::size_t owned_capacity_ = 0;
  std::size_t in_place_ = 0;
  std::vector<std::string_view> parts_;
};

}  // namespace rfsim::outputs::h5
