// outputs/hdf5.h's arrays: write_arrays filters chunks on threads and stores them as they
// are; read back through HDF5's own pipeline, every value must come back bit for bit.
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "outputs/hdf5.h"

using namespace rfsim::outputs;
namespace fs = std::filesystem;

namespace {

struct Case {
  std::string name;
  std::vector<hsize_t> dims;
  std::vector<double> values;
  /// Values between one plane (the last two dimensions) and the next in memory: 0, the
  /// planes one after another; else write_cases lays them this far apart.
  std::size_t gap = 0;
};

std::size_t count_of(const std::vector<hsize_t>& dims) {
  std::size_t n = 1;
  for (hsize_t d : dims) n *= static_cast<std::size_t>(d);
  return n;
}

/// Shapes that meet every edge of the chunking: one dimension, a short last chunk along
/// the dimension before the last, rows longer than a chunk, leading dimensions (also with
/// their planes apart in memory), a scalar, no values; values with zeros in runs (whole
/// chunks of them), -0, NaN, infinities and subnormals.
std::vector<Case> cases() {
  std::vector<Case> out = {{"one", {10}, {}},
                           {"series/matrix", {300, 197}, {}},
                           {"series/levels", {5, 100, 3}, {}},
                           {"wide", {2, 3, 9000}, {}},
                           {"four", {2, 3, 50, 20}, {}},
                           {"apart", {2, 3, 700, 13}, {}, 1001},
                           {"zeros", {400, 50}, {}},
                           {"scalar", {}, {}},
                           {"empty", {0, 5}, {}}};
  std::uint64_t state = 12345;
  for (Case& c : out) {
    c.values.resize(count_of(c.dims));
    for (std::size_t k = 0; k < c.values.size(); ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const double u = static_cast<double>(state >> 11) * 0x1p-53;
      double v = (k / 3000) % 2 == 0 ? 0.0 : std::floor(u * 50);  // runs of zeros
      if (k % 97 == 5) v = u * 1e6 - 3e5;
      c.values[k] = v;
    }
    if (c.name == "zeros") std::fill(c.values.begin(), c.values.end(), 0.0);
    if (c.name == "apart") c.values.back() = 2.5;
  }
  std::vector<double>& special = out[1].values;
  special[10000] = -0.0;
  special[10001] = std::numeric_limits<double>::quiet_NaN();
  special[10002] = std::numeric_limits<double>::infinity();
  special[10003] = -std::numeric_limits<double>::infinity();
  special[10004] = std::numeric_limits<double>::denorm_min();
  special.back() = 7.25;  // (the last, short chunk)
  out[7].values = {3.5};
  return out;
}

std::vector<char> write_cases(const std::vector<Case>& cs, int threads) {
  std::vector<std::vector<double>> spread;  // the planes of cases with a gap, laid apart
  spread.reserve(cs.size());
  return h5::file_image("arrays.h5", [&](hid_t file) {
    std::vector<h5::Array> arrays;
    for (const Case& c : cs) {
      if (c.gap == 0) {
        arrays.push_back({c.name, c.dims, c.values.data()});
        continue;
      }
      const std::size_t plane = static_cast<std::size_t>(c.dims[c.dims.size() - 1] *
                                                         c.dims[c.dims.size() - 2]),
                        stride = plane + c.gap, planes = c.values.size() / plane;
      std::vector<double>& memory = spread.emplace_back(planes * stride, 999.0);
      for (std::size_t p = 0; p < planes; ++p)
        std::copy_n(c.values.begin() + static_cast<std::ptrdiff_t>(p * plane), plane,
                    memory.begin() + static_cast<std::ptrdiff_t>(p * stride));
      arrays.push_back({c.name, c.dims, memory.data(), stride});
    }
    for (h5::Handle& ds : h5::write_arrays(file, arrays, threads)) ds.close("close");
  });
}

/// The offset of the first byte where two files differ, or -1 where they are the same (a
/// file's bytes are too many for Catch to print).
std::ptrdiff_t first_difference(const std::vector<char>& a, const std::vector<char>& b) {
  const auto [x, y] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return x == a.end() && y == b.end() ? -1 : x - a.begin();
}

}  // namespace

TEST_CASE("write_arrays: every value reads back bit for bit, on any number of threads") {
  const std::vector<Case> cs = cases();
  const std::vector<char> one = write_cases(cs, 1), two = write_cases(cs, 2);
  CHECK(first_difference(one, two) == -1);  // the same file, byte for byte

  const fs::path path = fs::temp_directory_path() / ("rfsim-arrays-" + std::to_string(getpid()));
  std::ofstream(path, std::ios::binary).write(one.data(), static_cast<std::streamsize>(one.size()));
  h5::QuietErrors quiet;
  h5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open");
  for (const Case& c : cs) {
    INFO(c.name);
    h5::Handle ds(H5Dopen2(file, c.name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset");
    h5::Handle space(H5Dget_space(ds), H5Sclose, "space");
    std::vector<hsize_t> dims(static_cast<size_t>(H5Sget_simple_extent_ndims(space)));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    CHECK(dims == c.dims);
    std::vector<double> back(c.values.size(), 99.0);
    if (!back.empty())
      REQUIRE(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()) >= 0);
    for (std::size_t k = 0; k < back.size(); ++k)
      if (std::bit_cast<std::uint64_t>(back[k]) != std::bit_cast<std::uint64_t>(c.values[k]))
        FAIL("value " << k << ": " << back[k] << " read, " << c.values[k] << " written");
    if (c.dims.empty() || c.values.empty()) continue;
    // Chunked, shuffled then deflated, as write_array documents.
    h5::Handle dcpl(H5Dget_create_plist(ds), H5Pclose, "plist");
    CHECK(H5Pget_layout(dcpl) == H5D_CHUNKED);
    REQUIRE(H5Pget_nfilters(dcpl) == 2);
    auto filter = [&](unsigned k) {
      unsigned flags = 0, level[4] = {};
      std::size_t n = 4;
      return H5Pget_filter2(dcpl, k, &flags, &n, level, 0, nullptr, nullptr);
    };
    CHECK(filter(0) == H5Z_FILTER_SHUFFLE);
    CHECK(filter(1) == H5Z_FILTER_DEFLATE);
    // A chunk of nothing but +0 is not stored.
    hsize_t stored = 0;
    REQUIRE(H5Dget_num_chunks(ds, space, &stored) >= 0);
    if (c.name == "zeros") CHECK(stored == 0);
    if (c.name == "series/matrix") CHECK(stored > 0);
  }
  file.close("close");
  fs::remove(path);
}

TEST_CASE("the same content written a second later is the same file, byte for byte") {
  // HDF5 stamps each object with the time it was made unless told not to; rfsim's files
  // say when they were written in /meta alone, so that a file depends on its content.
  const std::vector<Case> cs = cases();
  auto write = [&] {
    return h5::file_image("same.h5", [&](hid_t file) {
      h5::Handle group = h5::create_group(file, "group/inner");
      h5::write_dataset(group, "numbers", std::vector<std::int32_t>{1, 2, 3});
      h5::write_dataset(group, "names", std::vector<std::string>{"a", "b"});
      std::vector<h5::Array> arrays;
      for (const Case& c : cs) arrays.push_back({c.name, c.dims, c.values.data()});
      for (h5::Handle& ds : h5::write_arrays(file, arrays, 1)) ds.close("close");
    });
  };
  const std::vector<char> before = write();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // (HDF5's times: seconds)
  CHECK(first_difference(before, write()) == -1);
}
