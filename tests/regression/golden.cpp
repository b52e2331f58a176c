// Golden-results fingerprint of a results file: one line per /series dataset (shape, sum
// and SHA-256 of its float64 values), one per /summary figure (its value to 17 digits) and
// one per /recommendation row. tests/regression compares it with the committed
// golden/<case>.txt; scripts/update-golden rewrites those files.
//   rfsim_golden RESULTS.h5 > golden.txt
#include <hdf5.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "geo/sha256.h"

namespace {

struct Fingerprint {
  std::map<std::string, std::string> lines;  // sorted by name
};

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

herr_t visit_series(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto* fp = static_cast<Fingerprint*>(data);
  hid_t ds = H5Dopen2(root, name, H5P_DEFAULT);
  if (ds < 0) return -1;
  hid_t space = H5Dget_space(ds);
  hsize_t dims[2] = {0, 0};
  const int rank = H5Sget_simple_extent_dims(space, dims, nullptr);
  H5Sclose(space);
  const hsize_t rows = rank >= 1 ? dims[0] : 1, cols = rank >= 2 ? dims[1] : 1;
  std::vector<double> v(static_cast<size_t>(rows * cols));
  const herr_t status =
      v.empty() ? 0 : H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Dclose(ds);
  if (status < 0) return -1;
  double sum = 0;
  for (double x : v) sum += x;
  // Hash the little-endian bytes of each value (this machine's doubles are IEEE LE).
  std::string bytes(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
  fp->lines["series/" + std::string(name)] = std::to_string(rows) + "x" + std::to_string(cols) +
                                             " sum=" + number(sum) +
                                             " sha256=" + rfsim::geo::sha256_hex(bytes);
  return 0;
}

herr_t visit_summary(hid_t loc, const char* name, const H5A_info_t*, void* data) {
  auto* fp = static_cast<Fingerprint*>(data);
  hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
  if (a < 0) return -1;
  double v = 0;
  const herr_t status = H5Aread(a, H5T_NATIVE_DOUBLE, &v);
  H5Aclose(a);
  if (status < 0) return -1;
  fp->lines["summary/" + std::string(name)] = number(v);
  return 0;
}

std::vector<int> read_ints(hid_t file, const char* path) {
  std::vector<int> out;
  if (H5Lexists(file, path, H5P_DEFAULT) <= 0) return out;
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT);
  hid_t space = H5Dget_space(ds);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  H5Sclose(space);
  out.resize(static_cast<size_t>(n));
  if (n > 0) H5Dread(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Dclose(ds);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: rfsim_golden RESULTS.h5\n");
    return 2;
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t file = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) {
    std::fprintf(stderr, "rfsim_golden: cannot open %s as HDF5\n", argv[1]);
    return 1;
  }
  Fingerprint fp;
  hid_t series = H5Gopen2(file, "series", H5P_DEFAULT);
  hid_t summary = H5Gopen2(file, "summary", H5P_DEFAULT);
  if (series < 0 || summary < 0 ||
      H5Ovisit2(series, H5_INDEX_NAME, H5_ITER_INC, visit_series, &fp, H5O_INFO_BASIC) < 0 ||
      H5Aiterate2(summary, H5_INDEX_NAME, H5_ITER_INC, nullptr, visit_summary, &fp) < 0) {
    std::fprintf(stderr, "rfsim_golden: %s: cannot read /series or /summary\n", argv[1]);
    return 1;
  }
  H5Gclose(series);
  H5Gclose(summary);
  const std::vector<int> district = read_ints(file, "recommendation/district");
  const std::vector<int> workers = read_ints(file, "recommendation/workers");
  for (size_t k = 0; k < district.size() && k < workers.size(); ++k)
    fp.lines["recommendation/" + std::to_string(k)] =
        "district=" + std::to_string(district[k]) + " workers=" + std::to_string(workers[k]);
  H5Fclose(file);
  for (const auto& [name, value] : fp.lines) std::printf("%s %s\n", name.c_str(), value.c_str());
  return 0;
}
