// The HDF5 C API made safe to use from C++ for results.h5 and checkpoints: handles that
// close themselves, errors that become one OutputError naming what failed and why (HDF5's
// own printing of its error stack is silenced), and typed helpers to write and read
// attributes, numeric and string datasets and chunked, compressed matrices. Knows nothing
// of rfsim's schema.
#pragma once

#include <hdf5.h>

#include <concepts>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "outputs/error.h"

namespace rfsim::outputs::h5 {

// ---- handles and errors -----------------------------------------------------------------

/// Owns one HDF5 identifier and closes it with the matching H5?close. The destructor
/// ignores a failing close (it runs while unwinding); call close() where a failure must
/// be reported (a file or dataset that was written: closing it writes cached data).
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  /// Takes `id`; a negative id (HDF5's failure value) throws OutputError "cannot <what>".
  Handle(hid_t id, Closer closer, const std::string& what);
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  ~Handle() { reset(); }
  /// Closes now; throws OutputError "cannot <what>" if HDF5 reports a failure.
  void close(const std::string& what);
  void reset() noexcept;
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

/// While alive, HDF5 prints nothing on stderr when a call fails (its "automatic" error
/// printing is switched off and restored afterwards): every failure becomes an
/// OutputError instead. Hold one around any use of the helpers below.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

/// Throws OutputError "cannot <what>: <reason>", the reason taken from HDF5's error stack
/// (the system error behind it when there is one, e.g. "No space left on device").
[[noreturn]] void fail(const std::string& what);
/// fail(what) if `status` is negative.
void check(herr_t status, const std::string& what);

// ---- types --------------------------------------------------------------------------------

/// The numbers rfsim stores (little-endian in the file, native in memory). Every
/// string is variable-length UTF-8.
template <typename T>
concept Numeric =
    std::same_as<T, double> || std::same_as<T, std::int32_t> || std::same_as<T, std::int64_t> ||
    std::same_as<T, std::uint64_t> || std::same_as<T, std::uint32_t> ||
    std::same_as<T, std::uint16_t> || std::same_as<T, std::uint8_t>;

/// The HDF5 types of a number: in the file (little-endian) and in memory (native).
struct Types {
  hid_t file, memory;
};
template <Numeric T>
Types types() {
  if constexpr (std::same_as<T, double>) return {H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE};
  if constexpr (std::same_as<T, std::int32_t>) return {H5T_STD_I32LE, H5T_NATIVE_INT32};
  if constexpr (std::same_as<T, std::int64_t>) return {H5T_STD_I64LE, H5T_NATIVE_INT64};
  if constexpr (std::same_as<T, std::uint64_t>) return {H5T_STD_U64LE, H5T_NATIVE_UINT64};
  if constexpr (std::same_as<T, std::uint32_t>) return {H5T_STD_U32LE, H5T_NATIVE_UINT32};
  if constexpr (std::same_as<T, std::uint16_t>) return {H5T_STD_U16LE, H5T_NATIVE_UINT16};
  if constexpr (std::same_as<T, std::uint8_t>) return {H5T_STD_U8LE, H5T_NATIVE_UINT8};
}
/// True if `type` (of a dataset or attribute in a file) holds T exactly: the same class,
/// size and sign.
template <Numeric T>
bool holds(hid_t type) {
  return H5Tequal(type, types<T>().file) > 0;
}

// ---- writing ------------------------------------------------------------------------------

/// The creation properties of rfsim's datasets and groups: no time stamp. HDF5 stamps each
/// object with the second it was made unless told not to; rfsim's files say when they were
/// written in /meta alone, so that the same content makes the same file, byte for byte.
Handle dataset_creation();
Handle group_creation();
/// ... and of a file's root group (stamped too in files of the 1.10 format).
Handle file_creation();
/// Creates the missing groups of a path before its last name ("a" and "a/b" of
/// "a/b/name"), as create_group does: without a time stamp. (HDF5's own intermediate
/// groups, H5Pset_create_intermediate_group, take the default creation properties when made
/// for a dataset: stamped.)
void create_parents(hid_t loc, const std::string& path);

/// Creates group `name` (a path: missing intermediate groups are created too).
Handle create_group(hid_t parent, const std::string& name);

/// Scalar string attribute.
void write_attr(hid_t loc, const std::string& name, const std::string& value);
/// Scalar numeric attribute.
template <Numeric T>
void write_attr(hid_t loc, const std::string& name, T value);

/// 1-D string dataset; returns it (still open) for attributes.
Handle write_dataset(hid_t loc, const std::string& name, const std::vector<std::string>& values);
/// 1-D numeric dataset; returns it (still open) for attributes.
template <Numeric T>
Handle write_dataset(hid_t loc, const std::string& name, const std::vector<T>& values);

/// A float64 dataset of shape `dims` at path `name` (intermediate groups created), chunked
/// by whole rows of the last dimension (about 8,192 values a chunk, one index of every
/// dimension before the last two), shuffled and deflate-compressed (level 1: a third faster
/// to write than level 4, files a tenth bigger), a chunk of nothing but +0 not stored (read
/// back as the fill value, 0); `values` holds the numbers in row order. No dimensions: a
/// scalar dataset (one value, not chunked). Returns it (still open) for attributes.
Handle write_array(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                   const double* values);

/// One array for write_arrays: its dataset path, shape and values (row order).
struct Array {
  std::string name;
  std::vector<hsize_t> dims;
  const double* values = nullptr;
  /// Values from the start of one [rows, columns] plane (the last two dimensions) to the
  /// next, when the planes lie apart in memory (as one level of an ensemble's quantiles
  /// after another); 0: rows x columns, each plane right after the one before.
  std::size_t plane_stride = 0;
};
/// Writes each array as write_array does; the filters of all their chunks (shuffle and
/// deflate, the costly part) run first, shared out over `threads` threads, and HDF5 then
/// stores the filtered chunks as they are (H5Dwrite_chunk). Returns the datasets, still
/// open, in the order given.
std::vector<Handle> write_arrays(hid_t loc, const std::vector<Array>& arrays, int threads);

// ---- files ----------------------------------------------------------------------------------

/// The bytes of an HDF5 file called `name` built in memory (the core driver, no backing
/// store) by `fill`, which writes into the open file it is given. Written to disk by the
/// caller in one checked pass (results_dir.h's write_file): HDF5 never holds a
/// half-written file on disk. Throws OutputError.
std::vector<char> file_image(const std::string& name, const std::function<void(hid_t file)>& fill);

// ---- reading ------------------------------------------------------------------------------

/// True if the object at `path` (relative to `loc`, or absolute) exists.
bool has_link(hid_t loc, const std::string& path);
bool has_attr(hid_t loc, const std::string& name);
Handle open_group(hid_t loc, const std::string& path);
Handle open_dataset(hid_t loc, const std::string& path);

/// Names of the attributes of `loc`, in name order.
std::vector<std::string> attr_names(hid_t loc);
/// True if attribute `name` of `loc` holds a number (integer or float).
bool is_number_attr(hid_t loc, const std::string& name);
/// A string attribute (variable or fixed length).
std::string read_string_attr(hid_t loc, const std::string& name);
/// A scalar numeric attribute, converted to T.
template <Numeric T>
T read_attr(hid_t loc, const std::string& name);
/// Any scalar attribute as text: strings as they are, numbers in their shortest exact form.
std::string read_attr_text(hid_t loc, const std::string& name);

/// The dimensions of the dataset at `path`.
std::vector<hsize_t> dims(hid_t loc, const std::string& path);
/// A string dataset (variable or fixed length), flattened.
std::vector<std::string> read_strings(hid_t loc, const std::string& path);
/// A numeric dataset converted to T, flattened.
template <Numeric T>
std::vector<T> read_numbers(hid_t loc, const std::string& path);

/// Paths (relative to `group`) of every dataset below it, at any depth, in name order.
std::vector<std::string> dataset_paths(hid_t group);

}  // namespace rfsim::outputs::h5
