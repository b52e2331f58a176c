// Large blocks of memory backed by transparent huge pages (Linux's MADV_HUGEPAGE;
// "madvise" is the usual system setting): aligned to 2 MiB and advised, so that touching
// one for the first time costs a page fault per 2 MiB instead of one per 4 KiB (on a
// virtual machine a fault can cost ~5 us: 187 MB of checkpoint state took ~46,000 of them),
// and scattered accesses over hundreds of megabytes need a few hundred TLB entries rather
// than tens of thousands. Smaller blocks are allocated as usual.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace rfsim {

/// The alignment, and the size from which a block gets huge pages.
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;

/// `bytes` rounded up to whole huge pages.
constexpr std::size_t whole_huge_pages(std::size_t bytes) {
  return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

/// Memory of whole_huge_pages(bytes) bytes, aligned to kHugePage and advised for huge pages;
/// nullptr when there is not enough. Freed with std::free.
inline void* allocate_huge_pages(std::size_t bytes) {
  const std::size_t size = whole_huge_pages(bytes);
  void* p = std::aligned_alloc(kHugePage, size);
  if (p) madvise(p, size, MADV_HUGEPAGE);  // (advice: without it, ordinary pages)
  return p;
}

/// A std::allocator that gives blocks of kHugePage bytes or more huge pages
/// (allocate_huge_pages), and smaller ones as std::allocator does.
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(std::size_t n) {
    if (n * sizeof(T) < kHugePage) return std::allocator<T>().allocate(n);
    void* p = allocate_huge_pages(n * sizeof(T));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kHugePage)
      std::allocator<T>().deallocate(p, n);
    else
      std::free(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace rfsim
