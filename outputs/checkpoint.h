// One checkpoint file: the complete state of a run at the start of a day (every entry a
// sim::StateWriter received), with what continuing it needs and checks: a file type and a
// format version, the resolved scenario, the input checksums, the rfsim version and commit,
// the threads, the day, and the lineage of a branch. HDF5, each state entry a dataset
// stored in chunks of 1 MiB, each chunk as it is or zstd-compressed (h5_zstd.h, a checksum
// per frame); the metadata checksummed too, and the whole file sealed with its XXH3-128
// digest in its first 512 bytes (in an HDF5 user block), checked before HDF5 reads it: a file
// cut short or damaged is refused instead of loading a wrong state. The layout is in
// outputs/SCHEMA.md.
//
// A run's checkpoints are written from a CheckpointState, which keeps the compressed chunks
// of the last one: most of a large state (the agents who arrived long ago, the days past)
// is as it was 30 days before. What changed is stored as it is, and compressed once it
// stays as it is. Each file still holds every chunk: it is read alone, and any of them may
// be pruned.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/huge_pages.h"
#include "outputs/h5_pieces.h"
#include "outputs/h5_zstd.h"
#include "outputs/hdf5.h"
#include "outputs/provenance.h"
#include "scenarios/scenario.h"
#include "sim/memory_state.h"
#include "sim/state_io.h"

namespace rfsim::outputs {

/// The root attribute `file_type` of every checkpoint.
inline constexpr const char* kCheckpointFileType = "rfsim checkpoint";
/// The version of the checkpoint layout, "MAJOR.MINOR"; this rfsim reads major 1 (1.0:
/// sealed with SHA-256; 1.1: with XXH3-128; 1.2: chunks stored uncompressed as well as
/// compressed, HDF5's filter mask of each saying which; 1.3: a user block of 4096 bytes,
/// the chunks stored as they are starting on 4096-byte pages).
inline constexpr const char* kCheckpointFormat = "1.3";

/// What a checkpoint records besides the state: the provenance every rfsim file records
/// (rfsim version and commit, time of writing, seed, scenario, horizon, threads, inputs;
/// outputs/provenance.h), and what continuing the run needs.
struct CheckpointMeta : Provenance {
  std::string format_version;  ///< as read (the writer writes kCheckpointFormat)
  std::int32_t day = 0;  ///< the first day not yet simulated: the state is at its start
  std::int32_t checkpoint_every = 0;  ///< the run's interval, which a resume keeps
  std::int32_t keep_checkpoints = 0;  ///< the newest it keeps (0: all), which a resume keeps
  std::int32_t replicate = 0;
  std::int64_t agents = 0;
  Lineage lineage;  ///< where the run branched from (empty: from day 0)
};

/// The meta of the checkpoints of a run of `scenario` (the day is set per file).
CheckpointMeta checkpoint_meta(const Scenario& scenario, Inputs inputs, Lineage lineage,
                               int threads, int checkpoint_every, int keep_checkpoints);

/// The bytes of a checkpoint file, as HDF5 made them (h5_pieces.h): its own bytes (the
/// metadata, and what lies unaligned) in pages the image owns, the chunks of the state in
/// the CheckpointState it was made from, where they lie. Valid while that state is as it
/// was (until its next save). Its pages' memory can be handed back to checkpoint_image for
/// the next image: a run's images reuse it, instead of fresh pages the kernel must map
/// and clear every time.
class CheckpointImage {
 public:
  CheckpointImage() = default;
  explicit CheckpointImage(h5::PiecedFile file) : file_(std::move(file)) {}
  /// The file's bytes in order, each part whole 4 KiB pages (the last one padded).
  const std::vector<std::string_view>& parts() const { return file_.parts(); }
  std::uint64_t size() const { return file_.size(); }
  /// Bytes written from the state's memory as it lies.
  std::size_t bytes_in_place() const { return file_.bytes_in_place(); }
  /// The whole file, copied.
  std::string bytes() const { return file_.bytes(); }
  /// Gives up the image's memory, for another's pages.
  h5::PiecedFile release() { return std::move(file_); }

 private:
  h5::PiecedFile file_;
};

/// The state of a run as its checkpoints are written from it: what sim::Model::save wrote
/// last (one entry a name, as sim::MemoryState), and for each entry, chunk by chunk, how
/// the last checkpoint_image made from it stored it. A save compares each chunk with the one
/// it replaces: a chunk is compressed once it is as the save before had it (or, new, when
/// it holds one value throughout), and until then stored as it is (uncompressed); a
/// compressed chunk keeps its bytes while it stays as it is. (The state that changes from one
/// checkpoint to the next, the agents in quarantine, travelling or in services, is dense: zstd took
/// ~0.2 s of a core for it every time, only for it to change again by the next checkpoint. What has
/// settled is compressed once.)
class CheckpointState final : public sim::StateWriter {
 public:
  /// `threads`: those a save compares and copies on (the run's, which wait for it).
  explicit CheckpointState(int threads = 1) : threads_(std::max(1, threads)) {}
  /// An entry's values, in huge pages when large (base/huge_pages.h): the first save of a
  /// 10M run copies ~190 MB into fresh memory while the run waits.
  template <class T>
  using Column = std::vector<T, HugePageAllocator<T>>;
  /// How the next image stores a chunk.
  enum class Store : std::uint8_t {
    kept,      ///< the zstd frame in `packed`, as the last image stored it
    compress,  ///< compressed (into `packed`), then kept
    raw,       ///< as it is, uncompressed (new, or changed since the save before)
  };
  void write(const std::string& name, std::span<const std::uint8_t> values) override;
  void write(const std::string& name, std::span<const std::uint16_t> values) override;
  void write(const std::string& name, std::span<const std::uint32_t> values) override;
  void write(const std::string& name, std::span<const std::int32_t> values) override;
  void write(const std::string& name, std::span<const std::int64_t> values) override;
  void write(const std::string& name, std::span<const double> values) override;
  /// Starts the next save: the entries become the ones it is compared with (an entry not
  /// written again is dropped).
  void rewind();
  /// Bytes of the state, uncompressed.
  std::size_t bytes() const;
  /// Bytes of the state in chunks that differ from the save before (all, for the first).
  std::size_t changed_bytes() const { return changed_bytes_; }
  /// Bytes of the state in chunks the next image compresses.
  std::size_t packing_bytes() const;

 private:
  friend CheckpointImage checkpoint_image(const CheckpointMeta&, CheckpointState&, int,
                                          CheckpointImage);
  struct Entry {
    std::variant<Column<std::uint8_t>, Column<std::uint16_t>, Column<std::uint32_t>,
                 Column<std::int32_t>, Column<std::int64_t>, Column<double>>
        values;
    std::vector<Store> store;  ///< per chunk
    /// Per chunk, as the last image stored it (zstd frames; empty for a chunk stored raw).
    std::vector<std::vector<char>> packed;
  };
  template <class T>
  void put(const std::string& name, std::span<const T> values);

  std::map<std::string, Entry> entries_;
  std::map<std::string, Entry> last_;  ///< the entries of the save before, during a save
  int threads_;
  std::size_t changed_bytes_ = 0;
  std::vector<h5::ZstdCompressor> compressors_;  ///< one a thread, kept from image to image
};

/// The bytes of a checkpoint file holding `state` (a whole sim::Model::save), each chunk
/// stored as `state` says, valid until `state` changes; its own pages in the memory of
/// `recycled` (an image written already) when it is large enough. On `threads` threads: HDF5 builds
/// the image on the first while the others compress the chunks to compress, in the order the image
/// takes them. Throws OutputError.
CheckpointImage checkpoint_image(const CheckpointMeta& meta, CheckpointState& state, int threads,
                                 CheckpointImage recycled = {});

/// Writes a checkpoint file at `path` atomically and durably: as `path.tmp-<pid>`, synced
/// to disk, renamed, and the directory synced, so that `path` is complete once it exists,
/// even after a power loss. The bytes go straight from the image to the disk (O_DIRECT)
/// where the file system allows it: copying 50-100 MB into the page cache took more of a
/// core than anything else the writer did but compressing. Throws OutputError
/// "PATH: ..." and leaves nothing on failure.
void write_checkpoint_file(const std::filesystem::path& path, const CheckpointImage& image);

/// A checkpoint file opened for reading: the state it holds, as a sim::StateReader.
class Checkpoint final : public sim::StateReader {
 public:
  /// Opens and checks `path`. Throws OutputError "PATH: ..." when it cannot be read (cut
  /// short, damaged, missing), is not an rfsim checkpoint, or has a format major version
  /// other than 1.
  explicit Checkpoint(const std::filesystem::path& path);
  const std::filesystem::path& path() const { return path_; }
  const CheckpointMeta& meta() const { return meta_; }

  /// A state entry; sim::StateError "PATH: state entry 'NAME' ..." when it is missing, of
  /// another type, or fails to read (a damaged chunk).
  void read(const std::string& name, std::vector<std::uint8_t>& out) const override;
  void read(const std::string& name, std::vector<std::uint16_t>& out) const override;
  void read(const std::string& name, std::vector<std::uint32_t>& out) const override;
  void read(const std::string& name, std::vector<std::int32_t>& out) const override;
  void read(const std::string& name, std::vector<std::int64_t>& out) const override;
  void read(const std::string& name, std::vector<double>& out) const override;

 private:
  template <h5::Numeric T>
  void get(const std::string& name, std::vector<T>& out) const;

  std::filesystem::path path_;
  h5::Handle file_;
  CheckpointMeta meta_;
};

}  // namespace rfsim::outputs
