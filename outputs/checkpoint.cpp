// One checkpoint file (see checkpoint.h). The layout written here is documented in
// outputs/SCHEMA.md ("Checkpoints"); keep the two in step and bump kCheckpointFormat.
#include "outputs/checkpoint.h"

#include <fcntl.h>
#include <omp.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <variant>

#include "base/files.h"
#include "geo/sha256.h"
#include "outputs/h5_zstd.h"
#include "outputs/results_dir.h"
#include "rfsim/version.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {
namespace {

/// Raw bytes per chunk: big enough for zstd to find long runs, small enough that a 10M
/// agent column splits into chunks for every thread. (Shuffling the bytes of wider values
/// first saves a tenth of the size and costs a fifth more time: not done.)
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
/// A chunk of one value throughout is compressed at once from this size: a page.
constexpr std::size_t kOnePage = h5::PiecedFile::kPage;
/// Fast: a checkpoint at 10M agents is written in well under a second.
constexpr int kZstdLevel = 1;

/// The checkpoint's first 512 bytes, in an HDF5 user block (which HDF5 leaves to its
/// user): a tag and the digest of the rest of the file, checked before HDF5 reads any of it, so
/// that a damaged file (metadata, the global heap of strings, anything) is refused whole. The
/// digest is XXH3-128: the seal guards against files cut short or damaged on disk, not
/// against forgery (anyone who can write a checkpoint can recompute any digest of it, a
/// SHA-256 too), and XXH3 reads ~8 GB/s where SHA-256 reads ~1.4: 6 ms for a 50 MB
/// checkpoint rather than 35, on a core the run needs. Format 1.0 was sealed with SHA-256.
constexpr std::size_t kSealBytes = 512;
/// The user block: a page (format 1.3; 512 bytes before), as HDF5 requires of a file whose
/// large objects start on pages (h5_pieces.h), the seal in its first bytes.
constexpr std::size_t kUserBlock = h5::PiecedFile::kPage;
constexpr std::string_view kSeal = "rfsim checkpoint xxh3-128 ";
constexpr std::string_view kSealSha256 = "rfsim checkpoint sha256 ";  ///< format 1.0

/// A digest in lower-case hex.
std::string hex_of(XXH128_hash_t h) {
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return hex;
}

/// Lower-case hex XXH3-128 of `bytes`.
std::string xxh3_128_hex(std::string_view bytes) {
  return hex_of(XXH3_128bits(bytes.data(), bytes.size()));
}

/// Seals a checkpoint image: its user block (in its first page) gets the digest of what
/// follows.
void seal(h5::PiecedFile& file) {
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> digest(XXH3_createState(),
                                                                  &XXH3_freeState);
  if (!digest || XXH3_128bits_reset(digest.get()) != XXH_OK)
    throw OutputError("cannot seal the checkpoint: out of memory");
  std::uint64_t at = 0;
  for (std::string_view part : file.parts()) {
    const std::uint64_t from = std::max<std::uint64_t>(at, kSealBytes);
    const std::uint64_t to = std::min<std::uint64_t>(at + part.size(), file.size());
    if (from < to) XXH3_128bits_update(digest.get(), part.data() + (from - at), to - from);
    at += part.size();
  }
  const std::string header = std::string(kSeal) + hex_of(XXH3_128bits_digest(digest.get())) + "\n";
  char* user_block = file.first_page();
  std::fill_n(user_block, kSealBytes, '\0');
  std::copy(header.begin(), header.end(), user_block);
}

/// Checks the seal of the checkpoint file at `path` (either kind); the reason it fails, or "".
std::string broken_seal(const fs::path& path) {
  std::string bytes;
  try {
    bytes = read_file_bytes(path);
  } catch (const std::system_error&) {
    return "cannot read the checkpoint";
  }
  const std::string_view all(bytes);
  const bool sha256 = all.starts_with(kSealSha256);
  if (all.size() < kSealBytes || !(sha256 || all.starts_with(kSeal)))
    return "not an rfsim checkpoint (no rfsim checkpoint header; cut short, or another file)";
  const std::string_view rest = all.substr(kSealBytes);
  if (sha256 ? geo::sha256_hex(rest) != all.substr(kSealSha256.size(), 64)
             : xxh3_128_hex(rest) != all.substr(kSeal.size(), 32))
    return std::string("damaged or cut short: its content does not match the ") +
           (sha256 ? "SHA-256" : "XXH3-128") + " it was written with";
  return "";
}

/// Values of type T per chunk of an entry of `n` values.
template <class T>
std::size_t chunk_values(std::size_t n) {
  return std::clamp<std::size_t>(kChunkBytes / sizeof(T), 1, std::max<std::size_t>(n, 1));
}

/// One state entry as a dataset /state/NAME: chunked, with the zstd filter, each chunk as
/// `store` says: the zstd frame in `packed` (of the chunk at its full size, the last one
/// padded with zeros; for a chunk being compressed, once `await_packed()` has returned),
/// or the values as they are (filter mask 1: zstd skipped).
template <h5::Numeric T, class Await>
void write_entry(hid_t state, const std::string& name, const CheckpointState::Column<T>& values,
                 const std::vector<CheckpointState::Store>& store,
                 const std::vector<std::vector<char>>& packed, h5::PiecedFile& file,
                 Await&& await_packed) {
  using namespace h5;
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "create dataspace");
  Handle dcpl = dataset_creation();
  const hsize_t chunk = chunk_values<T>(n);
  const unsigned level = kZstdLevel;
  if (n > 0) {
    check(H5Pset_chunk(dcpl, 1, &chunk), "set chunking");
    check(H5Pset_filter(dcpl, kZstdFilter, H5Z_FLAG_MANDATORY, 1, &level), "set zstd filter");
  }
  create_parents(state, name);
  const std::string what = "dataset /state/" + name;
  Handle ds(H5Dcreate2(state, name.c_str(), types<T>().file, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
            H5Dclose, "create " + what);
  std::vector<T> last;  // (the last chunk, padded, when it is short and stored raw)
  for (std::size_t k = 0; k < packed.size(); ++k) {
    const hsize_t offset = k * chunk;
    if (store[k] == CheckpointState::Store::raw) {
      const T* at = values.data() + offset;
      if (offset + chunk > n) {
        last.assign(chunk, T{});
        std::copy(values.begin() + static_cast<std::ptrdiff_t>(offset), values.end(), last.begin());
        at = last.data();
      } else {
        file.refer_to(at, chunk * sizeof(T));  // (the state's memory, written from where it lies)
      }
      check(H5Dwrite_chunk(ds, H5P_DEFAULT, 1, &offset, chunk * sizeof(T), at), "write " + what);
    } else {
      if (store[k] == CheckpointState::Store::compress) await_packed();
      file.refer_to(packed[k].data(), packed[k].size());
      check(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, &offset, packed[k].size(), packed[k].data()),
            "write " + what);
    }
  }
  ds.close("write " + what);
}

/// Compresses chunk `k` of `values` into `out`, at the chunk's full size.
template <class T>
void compress_chunk(const CheckpointState::Column<T>& values, std::size_t k,
                    h5::ZstdCompressor& zstd, std::vector<char>& out) {
  const std::size_t chunk = chunk_values<T>(values.size());
  const std::size_t first = k * chunk, count = std::min(chunk, values.size() - first);
  if (count == chunk) {
    out = zstd.compress(values.data() + first, chunk * sizeof(T));
  } else {
    std::vector<T> last(chunk, T{});
    std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(first), count, last.begin());
    out = zstd.compress(last.data(), chunk * sizeof(T));
  }
}

void write_meta(hid_t file, const CheckpointMeta& m) {
  using namespace h5;
  write_attr(file, "file_type", kCheckpointFileType);
  write_attr(file, "format_version", kCheckpointFormat);
  write_provenance(file, m);
  write_attr<std::int32_t>(file, "day", m.day);
  write_attr<std::int32_t>(file, "checkpoint_every", m.checkpoint_every);
  write_attr<std::int32_t>(file, "keep_checkpoints", m.keep_checkpoints);
  write_attr<std::int32_t>(file, "replicate", m.replicate);
  write_attr<std::int64_t>(file, "agents", m.agents);
  write_lineage(file, m.lineage);
}

/// The chunks an image compresses (those CheckpointState found settled), in the order the
/// image writes them: every thread claims the next one not yet claimed, while the thread
/// building the image waits for each in turn (compressing others meanwhile), so that HDF5
/// builds the image while the chunks it reaches later are still being compressed. (Entry:
/// CheckpointState's, whose chunks and frames it holds.) A thread waiting for a chunk
/// another is compressing sleeps until it is done (a futex): the writer runs beside the
/// run, whose threads want the cores.
template <class Entry>
class Packing {
 public:
  using Todo = std::pair<Entry*, std::size_t>;
  explicit Packing(std::vector<Todo> todo)
      : todo_(std::move(todo)), done_(new std::atomic<std::uint32_t>[todo_.size()]) {
    for (std::size_t j = 0; j < todo_.size(); ++j) done_[j].store(0, std::memory_order_relaxed);
  }
  const std::vector<Todo>& todo() const { return todo_; }

  /// Compresses the next chunk no thread has claimed; false when none is left (or after a
  /// failure).
  bool compress_next(h5::ZstdCompressor& zstd) {
    if (stop_.load(std::memory_order_relaxed)) return false;
    const std::size_t j = next_.fetch_add(1, std::memory_order_relaxed);
    if (j >= todo_.size()) return false;
    Entry* const e = todo_[j].first;        // (no structured binding: clang 14
    const std::size_t k = todo_[j].second;  // captures none in the lambda below)
    try {
      std::visit([&](const auto& v) { compress_chunk(v, k, zstd, e->packed[k]); }, e->values);
    } catch (const std::exception& ex) {
      fail(ex.what());
    } catch (...) {
      fail("cannot compress a chunk of the checkpoint");
    }
    done_[j].store(1, std::memory_order_release);
    done_[j].notify_all();
    return true;
  }
  /// Returns once the next chunk in image order is compressed; throws OutputError if a
  /// chunk failed to compress.
  void await_next(h5::ZstdCompressor& zstd) {
    const std::size_t j = awaited_++;
    if (j >= todo_.size())
      throw std::logic_error("checkpoint: the image met a chunk not listed to compress");
    while (!done_[j].load(std::memory_order_acquire)) {
      if (compress_next(zstd)) continue;
      if (stop_.load(std::memory_order_relaxed)) break;
      // Every chunk is claimed (stop_ was not set when compress_next looked, and is never
      // unset), and a claimed chunk is marked done, compressed or failed: the wait ends.
      done_[j].wait(0, std::memory_order_acquire);
    }
    if (stop_.load(std::memory_order_relaxed)) throw OutputError(failure());
  }
  /// Lets the other threads stop claiming (the image failed).
  void abandon() { stop_.store(true, std::memory_order_relaxed); }

 private:
  void fail(std::string message) {
    std::lock_guard lock(mutex_);
    if (failure_.empty()) failure_ = std::move(message);
    stop_.store(true, std::memory_order_relaxed);
  }
  /// The first compression failure, or "".
  std::string failure() {
    std::lock_guard lock(mutex_);
    return failure_;
  }

  std::vector<Todo> todo_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> done_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::size_t awaited_ = 0;  ///< (the image's thread only)
  std::mutex mutex_;
  std::string failure_;
};

}  // namespace

CheckpointMeta checkpoint_meta(const Scenario& scenario, Inputs inputs, Lineage lineage,
                               int threads, int checkpoint_every, int keep_checkpoints) {
  CheckpointMeta m;
  static_cast<Provenance&>(m) = provenance_of(scenario, std::move(inputs), threads);
  m.checkpoint_every = checkpoint_every;
  m.keep_checkpoints = keep_checkpoints;
  m.agents = scenario.initial.total() + scenario.arrivals.total;
  m.replicate = scenario.replicate;
  m.lineage = std::move(lineage);
  return m;
}

template <class T>
void CheckpointState::put(const std::string& name, std::span<const T> values) {
  if (entries_.contains(name)) throw sim::StateError("state entry '" + name + "' written twice");
  Entry e;
  if (auto node = last_.extract(name)) e = std::move(node.mapped());
  const std::size_t n = values.size(), chunk = chunk_values<T>(n);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  auto* old = std::get_if<Column<T>>(&e.values);
  if (old && old->size() == n && e.packed.size() == chunks) {
    // Compared and copied chunk by chunk, over the threads (it is bound by memory, whose
    // bandwidth one core does not use up): a changed chunk is stored raw, an unchanged one
    // keeps its compressed bytes (or is compressed, having been stored raw). An entry new
    // or of another size is stored raw whole.
    T* const kept = old->data();
    const T* const now = values.data();
    std::size_t changed = 0;
#pragma omp parallel for num_threads(threads_) schedule(static) reduction(+ : changed) \
    if (chunks > 1 && threads_ > 1)
    for (std::size_t k = 0; k < chunks; ++k) {
      const std::size_t first = k * chunk, bytes = std::min(chunk, n - first) * sizeof(T);
      if (std::memcmp(kept + first, now + first, bytes) == 0) {
        if (e.store[k] == Store::raw) e.store[k] = Store::compress;
        continue;
      }
      std::memcpy(kept + first, now + first, bytes);
      e.store[k] = Store::raw;
      e.packed[k].clear();
      changed += bytes;
    }
    changed_bytes_ += changed;
  } else {
    if (!old) old = &e.values.emplace<Column<T>>();
    old->assign(values.begin(), values.end());
    e.store.assign(chunks, Store::raw);
    e.packed.assign(chunks, {});
    changed_bytes_ += n * sizeof(T);
    // A chunk of a page or more of one value throughout (the columns of agents yet to
    // arrive: most of a run's first checkpoint) is compressed at once, to a few bytes.
    const T* const now = old->data();
    for (std::size_t k = 0; k < chunks; ++k) {
      const std::size_t first = k * chunk, bytes = std::min(chunk, n - first) * sizeof(T);
      const auto* at = reinterpret_cast<const char*>(now + first);
      if (bytes >= kOnePage && std::memcmp(at, at + sizeof(T), bytes - sizeof(T)) == 0)
        e.store[k] = Store::compress;
    }
  }
  entries_.emplace(name, std::move(e));
}

void CheckpointState::write(const std::string& n, std::span<const std::uint8_t> v) {
  put(n, v);
}
void CheckpointState::write(const std::string& n, std::span<const std::uint16_t> v) {
  put(n, v);
}
void CheckpointState::write(const std::string& n, std::span<const std::uint32_t> v) {
  put(n, v);
}
void CheckpointState::write(const std::string& n, std::span<const std::int32_t> v) {
  put(n, v);
}
void CheckpointState::write(const std::string& n, std::span<const std::int64_t> v) {
  put(n, v);
}
void CheckpointState::write(const std::string& n, std::span<const double> v) {
  put(n, v);
}

void CheckpointState::rewind() {
  last_.clear();
  last_.swap(entries_);
  changed_bytes_ = 0;
}

std::size_t CheckpointState::bytes() const {
  std::size_t n = 0;
  for (const auto& [name, e] : entries_)
    std::visit([&](const auto& v) { n += v.size() * sizeof(v[0]); }, e.values);
  return n;
}

std::size_t CheckpointState::packing_bytes() const {
  std::size_t n = 0;
  for (const auto& entry : entries_) {
    const auto& e = entry.second;  // (a named reference: clang 14 captures no structured binding)
    std::visit(
        [&]<class T>(const Column<T>& v) {
          const std::size_t chunk = chunk_values<T>(v.size());
          for (std::size_t k = 0; k < e.store.size(); ++k)
            if (e.store[k] == Store::compress)
              n += std::min(chunk, v.size() - k * chunk) * sizeof(T);
        },
        e.values);
  }
  return n;
}

CheckpointImage checkpoint_image(const CheckpointMeta& meta, CheckpointState& state, int threads,
                                 CheckpointImage recycled) {
  h5::register_zstd();
  h5::QuietErrors quiet;
  // The chunks to compress, in the order the image writes them (entries by name, chunks
  // in order), one compressor a thread.
  using Store = CheckpointState::Store;
  using Entry = CheckpointState::Entry;
  std::vector<std::pair<Entry*, std::size_t>> todo;
  for (auto& [name, e] : state.entries_)
    for (std::size_t k = 0; k < e.store.size(); ++k)
      if (e.store[k] == Store::compress) todo.emplace_back(&e, k);
  Packing<Entry> packing(std::move(todo));
  const int team = std::max(1, threads);
  std::vector<h5::ZstdCompressor>& compressors = state.compressors_;
  while (compressors.size() < static_cast<std::size_t>(team)) compressors.emplace_back(kZstdLevel);

  // Built in memory (write_checkpoint_file writes it, with errors naming the file) in the
  // 1.10 format, whose metadata (chunk indexes included) carry checksums; the chunks stored
  // as they are (whole, 1 MiB) start on a page, so that they are written from where they
  // lie in `state` (h5_pieces.h).
  h5::PiecedFile pieces;
  pieces.reuse_memory(recycled.release());

  // HDF5 builds the image on the first thread (it is not thread-safe) while the others
  // compress the settled chunks; it waits for each as it reaches it, compressing the next
  // ones itself meanwhile.
  std::exception_ptr failed;
#pragma omp parallel num_threads(team) if (packing.todo().size() > 1)
  {
    h5::ZstdCompressor& zstd = compressors[omp_get_thread_num()];
    if (omp_get_thread_num() != 0) {
      while (packing.compress_next(zstd)) {
      }
    } else {
      try {
        h5::Handle fapl = pieces.access_properties(kChunkBytes);
        h5::check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110),
                  "set the file format");
        h5::Handle fcpl = h5::file_creation();
        h5::check(H5Pset_userblock(fcpl, kUserBlock), "set the user block");
        h5::Handle file(H5Fcreate("checkpoint.h5", H5F_ACC_TRUNC, fcpl, fapl), H5Fclose,
                        "create a checkpoint in memory");
        write_meta(file, meta);
        {
          h5::Handle group = h5::create_group(file, "state");
          for (const auto& entry : state.entries_)  // (clang 14: no lambda capture of a binding)
            std::visit(
                [&](const auto& v) {
                  write_entry(group, entry.first, v, entry.second.store, entry.second.packed,
                              pieces, [&] { packing.await_next(zstd); });
                },
                entry.second.values);
        }
        file.close("close the checkpoint");
        pieces.lay_out();
      } catch (...) {
        failed = std::current_exception();
        packing.abandon();
      }
    }
  }
  if (failed) {
    for (auto [e, k] : packing.todo()) e->packed[k].clear();  // (the next image tries again)
    std::rethrow_exception(failed);
  }
  for (auto [e, k] : packing.todo()) e->store[k] = Store::kept;
  seal(pieces);
  return CheckpointImage(std::move(pieces));
}

void write_checkpoint_file(const fs::path& path, const CheckpointImage& image) {
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(getpid());
  write_file_direct(tmp, image.parts(), image.size());
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw OutputError(path.string() + ": cannot rename the checkpoint into place: " + ec.message());
  }
  // The new name is on disk too: after a power loss the file is there whole, or not at all.
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Checkpoint::Checkpoint(const fs::path& path) : path_(path) {
  h5::register_zstd();
  h5::QuietErrors quiet;
  const std::string where = path.string() + ": ";
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw OutputError(where + "cannot read the checkpoint: " +
                      (fs::exists(path, ec) ? "not a file" : "no such file"));
  try {
    if (const std::string why = broken_seal(path); !why.empty()) throw OutputError(why);
    file_ = h5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                       "open the checkpoint");
    using namespace h5;
    auto text = [&](const char* name) {
      if (!has_attr(file_, name))
        throw OutputError("not a complete rfsim checkpoint (no @" + std::string(name) + ")");
      return read_string_attr(file_, name);
    };
    auto number = [&]<Numeric T>(const char* name, T& out) {
      if (!has_attr(file_, name))
        throw OutputError("not a complete rfsim checkpoint (no @" + std::string(name) + ")");
      out = read_attr<T>(file_, name);
    };
    if (!has_attr(file_, "file_type"))
      throw OutputError("not an rfsim checkpoint (no @file_type)");
    const std::string type = read_attr_text(file_, "file_type");
    if (type != kCheckpointFileType)
      throw OutputError("not an rfsim checkpoint (@file_type is '" + type + "', expected '" +
                        kCheckpointFileType + "')");
    CheckpointMeta& m = meta_;
    m.format_version = text("format_version");
    if (m.format_version.substr(0, m.format_version.find('.')) != "1")
      throw OutputError("checkpoint format " + m.format_version + ", which this rfsim (" +
                        kVersion + ") cannot read: it reads format 1.x");
    static_cast<Provenance&>(m) = read_provenance(file_, "rfsim checkpoint");
    number("day", m.day);
    number("checkpoint_every", m.checkpoint_every);
    number("keep_checkpoints", m.keep_checkpoints);
    number("replicate", m.replicate);
    number("agents", m.agents);
    m.lineage = read_lineage(file_);
    if (!has_link(file_, "/state")) throw OutputError("not a complete rfsim checkpoint (no /state)");
  } catch (const OutputError& e) {
    throw OutputError(where + e.what());
  }
}

template <h5::Numeric T>
void Checkpoint::get(const std::string& name, std::vector<T>& out) const {
  using namespace h5;
  QuietErrors quiet;
  const std::string path = "/state/" + name;
  const std::string entry = path_.string() + ": state entry '" + name + "'";
  if (!has_link(file_, path)) throw sim::StateError(entry + " is missing");
  try {
    Handle ds = open_dataset(file_, path);
    Handle type(H5Dget_type(ds), H5Tclose, "read the type of " + path);
    if (!holds<T>(type)) throw sim::StateError(entry + " has another type");
    out = read_numbers<T>(file_, path);
  } catch (const OutputError& e) {
    throw sim::StateError(entry + ": " + e.what());
  }
}

void Checkpoint::read(const std::string& n, std::vector<std::uint8_t>& o) const { get(n, o); }
void Checkpoint::read(const std::string& n, std::vector<std::uint16_t>& o) const { get(n, o); }
void Checkpoint::read(const std::string& n, std::vector<std::uint32_t>& o) const { get(n, o); }
void Checkpoint::read(const std::string& n, std::vector<std::int32_t>& o) const { get(n, o); }
void Checkpoint::read(const std::string& n, std::vector<std::int64_t>& o) const { get(n, o); }
void Checkpoint::read(const std::string& n, std::vector<double>& o) const { get(n, o); }

}  // namespace rfsim::outputs
