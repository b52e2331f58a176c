// HDF5 helpers (see hdf5.h).
#include "outputs/hdf5.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "base/text.h"

namespace rfsim::outputs::h5 {

// ---- handles and errors -----------------------------------------------------------------

Handle::Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
  if (id_ < 0) fail(what);
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    closer_ = o.closer_;
    o.id_ = -1;
  }
  return *this;
}

void Handle::close(const std::string& what) {
  if (id_ < 0) return;
  const hid_t id = id_;
  id_ = -1;
  if (closer_ && closer_(id) < 0) fail(what);
}

void Handle::reset() noexcept {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = -1;
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() {
  H5Eset_auto2(H5E_DEFAULT, func_, data_);
}

namespace {

/// What an HDF5 error stack says went wrong: the system's message when a system call
/// failed (HDF5 writes "errno = 28, error message = 'No space left on device'"), else
/// the description of the innermost error.
struct Reason {
  std::string system;
  std::string innermost;
};

herr_t collect_reason(unsigned n, const H5E_error2_t* e, void* data) noexcept {
  try {
    auto* r = static_cast<Reason*>(data);
    const std::string_view desc = e->desc ? e->desc : "";
    if (n == 0) r->innermost = desc;
    constexpr std::string_view key = "error message = '";
    if (const auto at = desc.find(key); r->system.empty() && at != std::string_view::npos) {
      const auto start = at + key.size();
      r->system = desc.substr(start, desc.find('\'', start) - start);
    }
  } catch (...) {  // (bad_alloc) the message stays shorter
  }
  return 0;
}

std::string error_reason() {
  const hid_t stack = H5Eget_current_stack();  // takes (and clears) the thread's stack
  if (stack < 0) return "";
  Reason r;
  H5Ewalk2(stack, H5E_WALK_UPWARD, collect_reason, &r);
  H5Eclose_stack(stack);
  return !r.system.empty() ? r.system : r.innermost;
}

}  // namespace

void fail(const std::string& what) {
  const std::string reason = error_reason();
  throw OutputError("cannot " + what + (reason.empty() ? "" : ": " + reason));
}

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

// ---- writing ------------------------------------------------------------------------------

namespace {

/// Variable-length UTF-8 strings, the type of every string results.h5 stores.
Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "create string type");
  check(H5Tset_size(t, H5T_VARIABLE), "set string size");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "set string charset");
  return t;
}

Handle scalar_space() {
  return Handle(H5Screate(H5S_SCALAR), H5Sclose, "create dataspace");
}

Handle vector_space(size_t n) {
  const hsize_t dims[1] = {n};
  return Handle(H5Screate_simple(1, dims, nullptr), H5Sclose, "create dataspace");
}

}  // namespace

Handle dataset_creation() {
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset property list");
  check(H5Pset_obj_track_times(dcpl, false), "leave out object times");
  return dcpl;
}

Handle group_creation() {
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "create group property list");
  check(H5Pset_obj_track_times(gcpl, false), "leave out object times");
  return gcpl;
}

Handle file_creation() {
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create file creation properties");
  check(H5Pset_obj_track_times(fcpl, false), "leave out object times");
  return fcpl;
}

void create_parents(hid_t loc, const std::string& path) {
  for (std::size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1)) {
    const std::string parent = path.substr(0, at);
    if (has_link(loc, parent)) continue;
    Handle gcpl = group_creation();
    Handle(H5Gcreate2(loc, parent.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose,
           "create group " + parent)
        .close("close group " + parent);
  }
}

Handle create_group(hid_t parent, const std::string& name) {
  create_parents(parent, name);
  Handle gcpl = group_creation();
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

void write_attr(hid_t loc, const std::string& name, const std::string& value) {
  Handle type = string_type();
  Handle space = scalar_space();
  Handle attr(H5Acreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  const char* p = value.c_str();
  check(H5Awrite(attr, type, &p), "write attribute " + name);
}

template <Numeric T>
void write_attr(hid_t loc, const std::string& name, T value) {
  Handle space = scalar_space();
  Handle attr(H5Acreate2(loc, name.c_str(), types<T>().file, space, H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, "create attribute " + name);
  check(H5Awrite(attr, types<T>().memory, &value), "write attribute " + name);
}

Handle write_dataset(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  Handle type = string_type();
  Handle space = vector_space(values.size());
  Handle dcpl = dataset_creation();
  Handle ds(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  if (values.empty()) return ds;
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write dataset " + name);
  return ds;
}

template <Numeric T>
Handle write_dataset(hid_t loc, const std::string& name, const std::vector<T>& values) {
  Handle space = vector_space(values.size());
  Handle dcpl = dataset_creation();
  Handle ds(H5Dcreate2(loc, name.c_str(), types<T>().file, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
            H5Dclose, "create dataset " + name);
  if (!values.empty())
    check(H5Dwrite(ds, types<T>().memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write dataset " + name);
  return ds;
}

namespace {

/// The chunk of write_array's datasets of shape `dims` (at least one dimension): the whole
/// last dimension, about 8,192 values of it along the one before, 1 along the others.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims) {
  const int rank = static_cast<int>(dims.size());
  std::vector<hsize_t> chunk(dims.size(), 1);
  const hsize_t columns = dims.back();
  chunk.back() = columns;
  if (rank >= 2) chunk[rank - 2] = std::clamp<hsize_t>(8192 / columns, 1, dims[rank - 2]);
  return chunk;
}

/// Where each chunk of an array of shape `dims` starts: the chunk covers the whole last
/// dimension, so its values are one run of `count` values of a plane (the last two
/// dimensions) in row order, starting `first` values after the array's first value, the
/// planes being `plane_stride` values apart (0: rows x columns). (A chunk is shorter at the
/// edge of the dimension before the last.)
struct ChunkSpan {
  std::vector<hsize_t> offset;
  std::size_t first = 0, count = 0;
};
std::vector<ChunkSpan> chunk_spans(const std::vector<hsize_t>& dims,
                                   const std::vector<hsize_t>& chunk, std::size_t plane_stride) {
  const std::size_t rank = dims.size();
  const hsize_t columns = dims.back();
  const hsize_t rows = rank >= 2 ? dims[rank - 2] : 1, step = rank >= 2 ? chunk[rank - 2] : 1;
  const hsize_t plane = plane_stride ? plane_stride : rows * columns;
  hsize_t leading = 1;
  for (std::size_t d = 0; d + 2 < rank; ++d) leading *= dims[d];
  std::vector<ChunkSpan> spans;
  for (hsize_t a = 0; a < leading; ++a)
    for (hsize_t r = 0; r < rows; r += step) {
      ChunkSpan c;
      c.offset.assign(rank, 0);
      hsize_t rest = a;  // a's index in each leading dimension, the last fastest
      for (std::size_t d = rank >= 2 ? rank - 2 : 0; d-- > 0;) {
        c.offset[d] = rest % dims[d];
        rest /= dims[d];
      }
      if (rank >= 2) c.offset[rank - 2] = r;
      c.first = static_cast<std::size_t>(a * plane + r * columns);
      c.count = static_cast<std::size_t>(std::min(step, rows - r) * columns);
      spans.push_back(std::move(c));
    }
  return spans;
}

/// HDF5's shuffle filter (byte k of every value together, for each k of the 8), then its
/// deflate filter (zlib's compress2, level 1), of `count` values padded with zeros to a
/// chunk of `chunk_values`. Without deflate: shuffled only. Nothing when every value is
/// +0: such a chunk is not stored at all (HDF5 reads a chunk never written as the fill
/// value, 0), and most chunks of an ensemble's quantiles are zeros.
std::vector<unsigned char> filter_chunk(const double* values, std::size_t count,
                                        std::size_t chunk_values, bool deflate) {
  constexpr std::size_t kSize = sizeof(double);
  if (std::all_of(values, values + count,
                  [](double v) { return std::bit_cast<std::uint64_t>(v) == 0; }))
    return {};
  std::vector<unsigned char> shuffled(chunk_values * kSize, 0);
  const auto* in = reinterpret_cast<const unsigned char*>(values);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t k = 0; k < kSize; ++k) shuffled[k * chunk_values + i] = in[i * kSize + k];
  if (!deflate) return shuffled;
  uLongf size = compressBound(static_cast<uLong>(shuffled.size()));
  std::vector<unsigned char> out(size);
  if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(shuffled.size()), 1) != Z_OK)
    throw std::runtime_error("deflate failed");
  out.resize(size);
  return out;
}

}  // namespace

Handle write_array(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                   const double* values) {
  return std::move(write_arrays(loc, {Array{name, dims, values}}, 1).front());
}

std::vector<Handle> write_arrays(hid_t loc, const std::vector<Array>& arrays, int threads) {
  static_assert(std::endian::native == std::endian::little,
                "chunks are written as they are in memory: H5T_IEEE_F64LE");
  const bool deflate = H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
  // Every chunk of every array, then their filters on the threads.
  struct Job {
    std::size_t array;
    ChunkSpan span;
    std::size_t chunk_values;
  };
  std::vector<Job> jobs;
  std::vector<std::vector<hsize_t>> chunks(arrays.size());
  for (std::size_t k = 0; k < arrays.size(); ++k) {
    const Array& a = arrays[k];
    hsize_t count = 1;
    for (hsize_t d : a.dims) count *= d;
    if (a.dims.empty() || count == 0) continue;  // (a scalar or an empty array: no chunks)
    chunks[k] = chunk_shape(a.dims);
    hsize_t chunk_values = 1;
    for (hsize_t c : chunks[k]) chunk_values *= c;
    for (ChunkSpan& span : chunk_spans(a.dims, chunks[k], a.plane_stride))
      jobs.push_back({k, std::move(span), static_cast<std::size_t>(chunk_values)});
  }
  std::vector<std::vector<unsigned char>> filtered(jobs.size());
  std::string error;
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::max(1, threads)) if (jobs.size() > 1)
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    try {
      const Job& job = jobs[j];
      filtered[j] = filter_chunk(arrays[job.array].values + job.span.first, job.span.count,
                                 job.chunk_values, deflate);
    } catch (const std::exception& e) {
#pragma omp critical(rfsim_write_arrays_error)
      if (error.empty()) error = "compress dataset " + arrays[jobs[j].array].name + ": " + e.what();
    }
  }
  if (!error.empty()) fail(error);

  std::vector<Handle> out;
  std::size_t j = 0;
  for (std::size_t k = 0; k < arrays.size(); ++k) {
    const Array& a = arrays[k];
    const int rank = static_cast<int>(a.dims.size());
    Handle space(rank ? H5Screate_simple(rank, a.dims.data(), nullptr) : H5Screate(H5S_SCALAR),
                 H5Sclose, "create dataspace");
    Handle dcpl = dataset_creation();
    if (!chunks[k].empty()) {
      check(H5Pset_chunk(dcpl, rank, chunks[k].data()), "set chunking");
      check(H5Pset_shuffle(dcpl), "set shuffle filter");
      if (deflate) check(H5Pset_deflate(dcpl, 1), "set deflate");
    }
    create_parents(loc, a.name);
    Handle ds(
        H5Dcreate2(loc, a.name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
        H5Dclose, "create dataset " + a.name);
    if (chunks[k].empty() && rank == 0)
      check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.values),
            "write dataset " + a.name);
    for (; j < jobs.size() && jobs[j].array == k; ++j)
      if (!filtered[j].empty())
        check(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, jobs[j].span.offset.data(), filtered[j].size(),
                             filtered[j].data()),
              "write dataset " + a.name);
    out.push_back(std::move(ds));
  }
  return out;
}

// ---- files ----------------------------------------------------------------------------------

std::vector<char> file_image(const std::string& name, const std::function<void(hid_t file)>& fill) {
  QuietErrors quiet;
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file access properties");
  check(H5Pset_fapl_core(fapl, 4 << 20, false), "select the in-memory file driver");
  Handle fcpl = file_creation();
  Handle file(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl, fapl), H5Fclose,
              "create " + name + " in memory");
  fill(file);
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + name);
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  if (size < 0) fail("take the image of " + name);
  std::vector<char> image(static_cast<size_t>(size));
  if (H5Fget_file_image(file, image.data(), image.size()) != size)
    fail("take the image of " + name);
  file.close("close " + name);
  return image;
}

// ---- reading ------------------------------------------------------------------------------

bool has_link(hid_t loc, const std::string& path) {
  // H5Lexists fails (rather than saying no) when an intermediate group is missing: check
  // each prefix in turn.
  size_t at = path.starts_with('/') ? 1 : 0;
  while (at <= path.size()) {
    const size_t end = std::min(path.find('/', at), path.size());
    if (H5Lexists(loc, path.substr(0, end).c_str(), H5P_DEFAULT) <= 0) return false;
    at = end + 1;
  }
  return true;
}

bool has_attr(hid_t loc, const std::string& name) {
  return H5Aexists(loc, name.c_str()) > 0;
}

Handle open_group(hid_t loc, const std::string& path) {
  return Handle(H5Gopen2(loc, path.c_str(), H5P_DEFAULT), H5Gclose, "open group " + path);
}

Handle open_dataset(hid_t loc, const std::string& path) {
  return Handle(H5Dopen2(loc, path.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + path);
}

namespace {

Handle open_attr(hid_t loc, const std::string& name) {
  return Handle(H5Aopen(loc, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
}

herr_t collect_attr_name(hid_t, const char* name, const H5A_info_t*, void* data) noexcept {
  try {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;
  }
}

herr_t collect_dataset_path(hid_t, const char* name, const H5O_info_t* info, void* data) noexcept {
  try {
    if (info->type == H5O_TYPE_DATASET)
      static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;
  }
}

/// The strings of an attribute or dataset of string type `type` with `n` elements, read
/// with `read(memory_type, buffer)`; `space` is its dataspace (for freeing).
template <typename Read>
std::vector<std::string> read_string_values(hid_t type, hid_t space, size_t n, Read read,
                                            const std::string& what) {
  if (H5Tget_class(type) != H5T_STRING)
    throw OutputError("cannot read " + what + ": expected strings, found another type");
  std::vector<std::string> out;
  if (n == 0) return out;
  if (H5Tis_variable_str(type) > 0) {
    // HDF5 does not convert between ASCII and UTF-8: read in the file's character set.
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose, "create string type");
    check(H5Tset_size(mem, H5T_VARIABLE), "set string size");
    check(H5Tset_cset(mem, H5Tget_cset(type)), "set string charset");
    std::vector<char*> ptrs(n, nullptr);
    check(read(mem.get(), static_cast<void*>(ptrs.data())), "read " + what);
    for (const char* p : ptrs) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(mem, space, H5P_DEFAULT, ptrs.data());
    return out;
  }
  const size_t size = H5Tget_size(type);
  std::vector<char> buffer(n * size, '\0');
  check(read(type, static_cast<void*>(buffer.data())), "read " + what);
  for (size_t i = 0; i < n; ++i) {
    const char* p = buffer.data() + i * size;
    out.emplace_back(p, strnlen(p, size));
  }
  return out;
}

bool is_number(hid_t type) {
  const H5T_class_t c = H5Tget_class(type);
  return c == H5T_INTEGER || c == H5T_FLOAT;
}

size_t point_count(hid_t space, const std::string& what) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) fail("read the dataspace of " + what);
  return static_cast<size_t>(n);
}

}  // namespace

std::vector<std::string> attr_names(hid_t loc) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  check(H5Aiterate2(loc, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr_name, &names),
        "list attributes");
  return names;
}

bool is_number_attr(hid_t loc, const std::string& name) {
  Handle attr = open_attr(loc, name);
  Handle type(H5Aget_type(attr), H5Tclose, "read the type of attribute " + name);
  return is_number(type);
}

std::string read_string_attr(hid_t loc, const std::string& name) {
  Handle attr = open_attr(loc, name);
  Handle type(H5Aget_type(attr), H5Tclose, "read the type of attribute " + name);
  Handle space(H5Aget_space(attr), H5Sclose, "read the dataspace of attribute " + name);
  const std::string what = "attribute " + name;
  if (point_count(space, what) != 1)
    throw OutputError("cannot read " + what + ": expected one value, found an array");
  auto values = read_string_values(
      type, space, 1, [&](hid_t mem, void* buf) { return H5Aread(attr, mem, buf); }, what);
  return values.front();
}

template <Numeric T>
T read_attr(hid_t loc, const std::string& name) {
  Handle attr = open_attr(loc, name);
  Handle type(H5Aget_type(attr), H5Tclose, "read the type of attribute " + name);
  Handle space(H5Aget_space(attr), H5Sclose, "read the dataspace of attribute " + name);
  if (!is_number(type))
    throw OutputError("cannot read attribute " + name + ": expected a number, found another type");
  if (point_count(space, "attribute " + name) != 1)
    throw OutputError("cannot read attribute " + name + ": expected one value, found an array");
  T v{};
  check(H5Aread(attr, types<T>().memory, &v), "read attribute " + name);
  return v;
}

std::string read_attr_text(hid_t loc, const std::string& name) {
  Handle attr = open_attr(loc, name);
  Handle type(H5Aget_type(attr), H5Tclose, "read the type of attribute " + name);
  switch (H5Tget_class(type)) {
    case H5T_STRING:
      return read_string_attr(loc, name);
    case H5T_INTEGER:
      if (H5Tget_sign(type) == H5T_SGN_NONE)
        return std::to_string(read_attr<std::uint64_t>(loc, name));
      return std::to_string(read_attr<std::int64_t>(loc, name));
    case H5T_FLOAT:
      return text::exact_number(read_attr<double>(loc, name));
    default:
      return "(unsupported type)";
  }
}

std::vector<hsize_t> dims(hid_t loc, const std::string& path) {
  Handle ds = open_dataset(loc, path);
  Handle space(H5Dget_space(ds), H5Sclose, "read the dataspace of " + path);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) fail("read the dataspace of " + path);
  std::vector<hsize_t> out(static_cast<size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, out.data(), nullptr) < 0)
    fail("read the dataspace of " + path);
  return out;
}

std::vector<std::string> read_strings(hid_t loc, const std::string& path) {
  Handle ds = open_dataset(loc, path);
  Handle type(H5Dget_type(ds), H5Tclose, "read the type of " + path);
  Handle space(H5Dget_space(ds), H5Sclose, "read the dataspace of " + path);
  return read_string_values(
      type, space, point_count(space, path),
      [&](hid_t mem, void* buf) { return H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); },
      path);
}

template <Numeric T>
std::vector<T> read_numbers(hid_t loc, const std::string& path) {
  Handle ds = open_dataset(loc, path);
  Handle type(H5Dget_type(ds), H5Tclose, "read the type of " + path);
  Handle space(H5Dget_space(ds), H5Sclose, "read the dataspace of " + path);
  if (!is_number(type))
    throw OutputError("cannot read " + path + ": expected numbers, found another type");
  std::vector<T> out(point_count(space, path));
  if (!out.empty())
    check(H5Dread(ds, types<T>().memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
          "read " + path);
  return out;
}

std::vector<std::string> dataset_paths(hid_t group) {
  std::vector<std::string> paths;
  check(H5Ovisit(group, H5_INDEX_NAME, H5_ITER_INC, collect_dataset_path, &paths), "list datasets");
  return paths;
}

// The numbers results.h5 and checkpoints use.
#define RFSIM_H5_NUMBER(T)                                                            \
  template void write_attr<T>(hid_t, const std::string&, T);                          \
  template Handle write_dataset<T>(hid_t, const std::string&, const std::vector<T>&); \
  template T read_attr<T>(hid_t, const std::string&);                                 \
  template std::vector<T> read_numbers<T>(hid_t, const std::string&);
RFSIM_H5_NUMBER(double)
RFSIM_H5_NUMBER(std::int32_t)
RFSIM_H5_NUMBER(std::int64_t)
RFSIM_H5_NUMBER(std::uint64_t)
RFSIM_H5_NUMBER(std::uint32_t)
RFSIM_H5_NUMBER(std::uint16_t)
RFSIM_H5_NUMBER(std::uint8_t)
#undef RFSIM_H5_NUMBER

}  // namespace rfsim::outputs::h5
