// The file driver of h5_pieces.h, and the layout of a file it made.
#include "outputs/h5_pieces.h"

#include <H5FDpublic.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "base/huge_pages.h"
#include "outputs/error.h"

namespace rfsim::outputs::h5 {
namespace {

/// What the file access properties carry to the driver: the object the file is made in.
struct DriverInfo {
  PiecedFile* owner;
};

/// A file open in the driver. (HDF5 fills `pub`, which must come first.)
struct DriverFile {
  H5FD_t pub;
  PiecedFile* owner;
  haddr_t eoa;  ///< end of the space HDF5 has allocated
  haddr_t eof;  ///< end of what it has written
};

DriverFile* of(H5FD_t* f) { return reinterpret_cast<DriverFile*>(f); }
const DriverFile* of(const H5FD_t* f) { return reinterpret_cast<const DriverFile*>(f); }

void* copy_info(const void* info) {
  void* copy = std::malloc(sizeof(DriverInfo));
  if (copy) std::memcpy(copy, info, sizeof(DriverInfo));
  return copy;
}

const H5FD_class_t kDriver = {
    "rfsim_pieces",
    static_cast<haddr_t>(~std::size_t{0} - 1),  // (an address must fit a size_t)
    H5F_CLOSE_WEAK,
    nullptr,  // terminate
    nullptr,  // sb_size: no driver information in the superblock
    nullptr,
    nullptr,
    sizeof(DriverInfo),
    [](H5FD_t* f) -> void* {
      const DriverInfo info{of(f)->owner};
      return copy_info(&info);
    },
    copy_info,
    [](void* info) -> herr_t {
      std::free(info);
      return 0;
    },
    0,  // dxpl_size
    nullptr,
    nullptr,
    [](const char*, unsigned, hid_t fapl, haddr_t) -> H5FD_t* {
      const auto* info = static_cast<const DriverInfo*>(H5Pget_driver_info(fapl));
      if (!info || !info->owner) return nullptr;
      auto* f = new (std::nothrow) DriverFile{};
      if (!f) return nullptr;
      f->owner = info->owner;
      return &f->pub;
    },
    [](H5FD_t* f) -> herr_t {
      of(f)->owner->close(std::max(of(f)->eoa, of(f)->eof));
      delete of(f);
      return 0;
    },
    [](const H5FD_t* a, const H5FD_t* b) { return a < b ? -1 : a > b ? 1 : 0; },
    [](const H5FD_t*, unsigned long* flags) -> herr_t {
      // As HDF5's in-memory driver: metadata gathered in blocks and written in runs.
      if (flags)
        *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA |
                 H5FD_FEAT_DATA_SIEVE | H5FD_FEAT_AGGREGATE_SMALLDATA;
      return 0;
    },
    nullptr,  // get_type_map
    nullptr,  // alloc: at the end of the allocated space
    nullptr,  // free
    [](const H5FD_t* f, H5FD_mem_t) { return of(f)->eoa; },
    [](H5FD_t* f, H5FD_mem_t, haddr_t addr) -> herr_t {
      of(f)->eoa = addr;
      return 0;
    },
    [](const H5FD_t* f, H5FD_mem_t) { return of(f)->eof; },
    nullptr,  // get_handle
    [](H5FD_t* f, H5FD_mem_t, hid_t, haddr_t addr, std::size_t size, void* out) -> herr_t {
      of(f)->owner->read(addr, size, out);
      return 0;
    },
    [](H5FD_t* f, H5FD_mem_t type, hid_t, haddr_t addr, std::size_t size,
       const void* data) -> herr_t {
      try {
        of(f)->owner->record(type, addr, size, data);
      } catch (const std::bad_alloc&) {
        return -1;
      }
      of(f)->eof = std::max(of(f)->eof, addr + size);
      return 0;
    },
    nullptr,  // flush: nothing to flush
    [](H5FD_t* f, hid_t, hbool_t) -> herr_t {
      of(f)->eof = of(f)->eoa;
      return 0;
    },
    nullptr,  // lock: the file is the process's own
    nullptr,
    H5FD_FLMAP_DICHOTOMY};

hid_t driver_id() {
  static const hid_t id = H5FDregister(&kDriver);
  if (id < 0) throw OutputError("cannot register rfsim's HDF5 file driver");
  return id;
}

}  // namespace

void PiecedFile::reuse_memory(PiecedFile&& old) {
  owned_ = std::move(old.owned_);
  owned_capacity_ = std::exchange(old.owned_capacity_, 0);
  old.parts_.clear();
}

void PiecedFile::refer_to(const void* data, std::size_t bytes) {
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  if (!referred_.empty() && begin < referred_.back().first) referred_sorted_ = false;
  referred_.emplace_back(begin, begin + bytes);
}

bool PiecedFile::is_referred(const char* data, std::size_t size) {
  if (!referred_sorted_) {
    std::sort(referred_.begin(), referred_.end());
    referred_sorted_ = true;
  }
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  // Any range that starts at or before `data` and holds all of it, the nearest first.
  // (refer_to allows ranges that overlap, so a miss looks at every one before `data`.)
  auto it = std::upper_bound(referred_.begin(), referred_.end(),
                             std::pair{begin, ~std::uintptr_t{0}});
  for (; it != referred_.begin(); --it) {
    const auto& [from, to] = *std::prev(it);
    if (to >= begin + size) return true;
  }
  return false;
}

Handle PiecedFile::access_properties(std::size_t align_from) {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file access properties");
  const DriverInfo info{this};
  check(H5Pset_driver(fapl, driver_id(), &info), "select rfsim's file driver");
  check(H5Pset_alignment(fapl, align_from, kPage), "set the alignment");
  return fapl;
}

void PiecedFile::record(H5FD_mem_t type, haddr_t addr, std::size_t size, const void* data) {
  const char* bytes = static_cast<const char*>(data);
  if (size == 0) return;
  if (type == H5FD_MEM_DRAW && is_referred(bytes, size)) {
    writes_.push_back({addr, size, bytes, true});
  } else {
    const std::string& copy = copies_.emplace_back(bytes, size);
    writes_.push_back({addr, size, copy.data(), false});
  }
}

void PiecedFile::read(haddr_t addr, std::size_t size, void* out) const {
  // As the writes left it (later over earlier); never written: zeros.
  char* to = static_cast<char*>(out);
  std::memset(to, 0, size);
  for (const Write& w : writes_) {
    const haddr_t from = std::max(addr, w.addr), end = std::min(addr + size, w.addr + w.size);
    if (from < end) std::memcpy(to + (from - addr), w.data + (from - w.addr), end - from);
  }
}

void PiecedFile::lay_out() {
  const std::size_t pages = (size_ + kPage - 1) / kPage;
  // Per page: the one write it comes from in place, or kOwned.
  constexpr std::int64_t kOwned = -1, kUnset = -2;
  std::vector<std::int64_t> from(pages, kUnset);
  for (std::size_t i = 0; i < writes_.size(); ++i) {
    const Write& w = writes_[i];
    const std::uint64_t first = w.addr / kPage, last = (w.addr + w.size - 1) / kPage;
    const bool aligned =
        w.referred && (reinterpret_cast<std::uintptr_t>(w.data) - w.addr) % kPage == 0;
    for (std::uint64_t p = first; p <= last && p < pages; ++p) {
      const bool whole = p * kPage >= w.addr && (p + 1) * kPage <= w.addr + w.size;
      from[p] = aligned && whole && from[p] == kUnset ? static_cast<std::int64_t>(i) : kOwned;
    }
  }
  if (pages > 0) from[0] = kOwned;  // (the first page, which the user may change)
  std::vector<std::size_t> slot(pages);
  std::size_t owned = 0;
  for (std::size_t p = 0; p < pages; ++p)
    if (from[p] < 0) slot[p] = owned++;
  if (owned * kPage > owned_capacity_) {
    owned_.reset(static_cast<char*>(allocate_huge_pages(owned * kPage)));
    owned_capacity_ = owned_ ? whole_huge_pages(owned * kPage) : 0;
    if (!owned_) throw OutputError("out of memory");
  }
  // Cleared first: what HDF5 leaves unwritten is zeros, not the bytes of an earlier file.
  char* const pool = owned_.get();
  if (owned > 0) std::memset(pool, 0, owned * kPage);
  for (std::size_t i = 0; i < writes_.size(); ++i) {
    const Write& w = writes_[i];
    const std::uint64_t first = w.addr / kPage, last = (w.addr + w.size - 1) / kPage;
    for (std::uint64_t p = first; p <= last && p < pages; ++p) {
      if (from[p] >= 0) continue;
      const std::uint64_t lo = std::max<std::uint64_t>(p * kPage, w.addr);
      const std::uint64_t hi = std::min<std::uint64_t>((p + 1) * kPage, w.addr + w.size);
      std::memcpy(pool + slot[p] * kPage + (lo - p * kPage), w.data + (lo - w.addr), hi - lo);
    }
  }
  // Runs of pages from the same place, in file order.
  parts_.clear();
  in_place_ = 0;
  for (std::size_t p = 0; p < pages;) {
    std::size_t q = p + 1;
    const char* at;
    if (from[p] >= 0) {
      const Write& w = writes_[static_cast<std::size_t>(from[p])];
      at = w.data + (p * kPage - w.addr);
      while (q < pages && from[q] == from[p]) ++q;
      in_place_ += (q - p) * kPage;
    } else {
      at = pool + slot[p] * kPage;
      while (q < pages && from[q] < 0) ++q;
    }
    parts_.emplace_back(at, (q - p) * kPage);
    p = q;
  }
  // The writes are laid out; the referred memory is what the parts hold in place.
  writes_.clear();
  copies_.clear();
  referred_.clear();
}

char* PiecedFile::first_page() { return owned_.get(); }

std::string PiecedFile::bytes() const {
  std::string all;
  all.reserve(size_ + kPage);
  for (std::string_view part : parts_) all.append(part);
  all.resize(size_);
  return all;
}

}  // namespace rfsim::outputs::h5
