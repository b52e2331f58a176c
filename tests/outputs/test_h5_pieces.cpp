// outputs/h5_pieces.h: a file made in pieces holds the bytes HDF5 itself writes to disk for
// the same calls, its page-aligned chunks are taken from where they lie (not copied), and
// it is written and read back whole.
#include "outputs/h5_pieces.h"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/files.h"
#include "base/huge_pages.h"
#include "outputs/results_dir.h"

using namespace rfsim;
using namespace rfsim::outputs;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;

/// Three chunks of a byte dataset: the first two from page-aligned memory (huge pages),
/// the last, short, from ordinary memory; and an attribute (metadata).
struct Content {
  std::unique_ptr<char, void (*)(void*)> aligned{
      static_cast<char*>(allocate_huge_pages(2 * kChunk)), &std::free};
  std::vector<char> unaligned = std::vector<char>(kChunk + 1);
  Content() {
    for (std::size_t i = 0; i < 2 * kChunk; ++i) aligned.get()[i] = static_cast<char>(i * 7 + 1);
    for (std::size_t i = 0; i < kChunk; ++i) unaligned[i + 1] = static_cast<char>(i % 251);
  }
  const char* last() const { return unaligned.data() + 1; }  // (not on a page)

  /// Makes the file with `fapl` (its driver), in the 1.10 format, with a user block of a
  /// page and chunks of 1 MiB on pages, as checkpoints are.
  void write(const std::string& name, hid_t fapl) const {
    using namespace h5;
    check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110), "format");
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "fcpl");
    check(H5Pset_userblock(fcpl, 4096), "user block");
    Handle file(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl, fapl), H5Fclose, "create");
    write_attr(file, "note", "made in pieces");
    const hsize_t n = 3 * kChunk, chunk = kChunk;
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "space");
    Handle dcpl = dataset_creation();
    check(H5Pset_chunk(dcpl, 1, &chunk), "chunk");
    Handle ds(H5Dcreate2(file, "bytes", H5T_NATIVE_UINT8, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
              H5Dclose, "dataset");
    for (hsize_t k = 0; k < 3; ++k) {
      const hsize_t offset = k * kChunk;
      const char* from = k < 2 ? aligned.get() + offset : last();
      check(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, &offset, kChunk, from), "write chunk");
    }
    ds.close("close dataset");
    file.close("close file");
  }
};

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("rfsim-pieces-" + std::to_string(getpid()) + "-" + name);
}

}  // namespace

TEST_CASE("a file made in pieces is the file HDF5 writes, its aligned chunks in place") {
  const Content content;
  h5::QuietErrors quiet;
  // HDF5 on disk (its default driver), large objects on pages as the pieces' properties say.
  const fs::path on_disk = temp_path("disk.h5");
  {
    h5::Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "fapl");
    h5::check(H5Pset_alignment(fapl, kChunk, h5::PiecedFile::kPage), "alignment");
    content.write(on_disk.string(), fapl);
  }
  const std::string expected = read_file_bytes(on_disk);
  fs::remove(on_disk);

  h5::PiecedFile pieces;
  pieces.refer_to(content.aligned.get(), 2 * kChunk);
  pieces.refer_to(content.last(), kChunk);
  {
    h5::Handle fapl = pieces.access_properties(kChunk);
    content.write("in memory", fapl);
  }
  pieces.lay_out();
  const std::string bytes = pieces.bytes();
  REQUIRE(bytes.size() == expected.size());
  const auto differ = std::mismatch(bytes.begin(), bytes.end(), expected.begin()).first;
  INFO("first difference at byte " << differ - bytes.begin());
  CHECK(differ == bytes.end());

  // The two aligned chunks are parts of the file as they lie; the unaligned one was copied.
  CHECK(pieces.bytes_in_place() == 2 * kChunk);
  std::size_t at = 0, in_place = 0;
  for (std::string_view part : pieces.parts()) {
    CHECK(part.size() % h5::PiecedFile::kPage == 0);
    CHECK(at % h5::PiecedFile::kPage == 0);
    if (part.data() >= content.aligned.get() && part.data() < content.aligned.get() + 2 * kChunk)
      in_place += part.size();
    CHECK(part.substr(0, std::min<std::size_t>(part.size(), bytes.size() - std::min(at, bytes.size()))) ==
          std::string_view(bytes).substr(std::min(at, bytes.size()), part.size()));
    at += part.size();
  }
  CHECK(in_place == 2 * kChunk);
  CHECK(at >= pieces.size());

  // Written (past the page cache where the file system allows), it is the same file.
  const fs::path written = temp_path("written.h5");
  write_file_direct(written, pieces.parts(), pieces.size());
  CHECK(read_file_bytes(written) == expected);
  fs::remove(written);
}

TEST_CASE("a file made in pieces refers only to memory declared stable") {
  // Raw data from memory nobody declared (HDF5's own buffers, or a caller's temporary) is
  // copied: changing that memory after the file is made changes nothing in it.
  Content content;
  h5::PiecedFile pieces;
  {
    h5::QuietErrors quiet;
    h5::Handle fapl = pieces.access_properties(kChunk);
    content.write("in memory", fapl);
  }
  pieces.lay_out();
  CHECK(pieces.bytes_in_place() == 0);
  const std::string before = pieces.bytes();
  std::fill_n(content.aligned.get(), 2 * kChunk, '\0');
  CHECK(pieces.bytes() == before);
}
