// The results directory as a unit of work: everything is written into a temporary
// `DIR.tmp-<pid>` beside DIR and renamed to DIR only when complete, so DIR either holds a
// complete result or does not exist. An existing DIR is refused unless forced, and then
// exchanged atomically with the new one; the directory of a checkpointed run, which exists
// before its results, receives them, results.h5 last. Temporaries left by runs that were
// killed are removed by the next run into the same parent directory. Knows nothing of what
// goes inside but that a temporary holds results.h5, checkpoints/ or nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace rfsim::outputs {

/// Throws OutputError if `dir` exists and `force` is false, or if it cannot be created
/// (its nearest existing ancestor is a file or not writable). Call before a long run.
void check_output_dir(const std::filesystem::path& dir, bool force);

/// Writes `bytes` to a new file at `path` (which must not exist), checking every write and
/// the close: throws OutputError "PATH: cannot write: <system reason>" (disk full, quota,
/// file too large, the directory removed, ...). A file it fails to finish is removed. With
/// `sync`, the data are on disk (fsync) before it returns.
void write_file(const std::filesystem::path& path, std::string_view bytes, bool sync = false);

/// write_file(path, bytes, true) of a file given in `parts` (in order; each page-aligned
/// and a whole number of 4096-byte pages, the last one padded) and its `size`: written
/// straight to the disk (O_DIRECT, no copy into the page cache) where the file system
/// allows it, then cut to size.
void write_file_direct(const std::filesystem::path& path, std::span<const std::string_view> parts,
                       std::uint64_t size);

/// Removes the stale temporaries in `parent`: directories named `NAME.tmp-<pid>` that are
/// empty or hold results.h5 or checkpoints/ (a checkpointed run's first checkpoint), whose
/// process no longer exists and that no live writer holds (StagedDir locks its temporary). A temporary of a live process is left alone, and so is
/// anything else, including this process's temporaries but `own`: the one it is about to
/// create, stale if it exists unlocked (an earlier process with the same id left it).
/// Returns one line saying what was removed (and what could not be), or "" if nothing.
std::string remove_stale_temporaries(const std::filesystem::path& parent,
                                     const std::filesystem::path& own = {});

/// Told one line (no "rfsim: " prefix, no newline) when something worth knowing was done
/// on the side, such as removing stale temporaries.
using Notice = std::function<void(const std::string&)>;

/// An exclusive lock (flock) on a directory, held while the object lives: a run writing
/// into a directory holds one, so that no other run takes it for stale, replaces it or
/// writes into it meanwhile.
class DirectoryLock {
 public:
  DirectoryLock() = default;
  /// Locks `dir` without waiting. Throws OutputError "DIR: another rfsim process is
  /// writing into it" when a live process holds it, or "DIR: cannot open ..." .
  explicit DirectoryLock(const std::filesystem::path& dir);
  DirectoryLock(DirectoryLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  DirectoryLock& operator=(DirectoryLock&& o) noexcept;
  ~DirectoryLock();
  bool held() const { return fd_ >= 0; }

 private:
  friend class StagedDir;
  int fd_ = -1;
};

/// A results directory being written. The constructor checks `dir` (check_output_dir),
/// creates its parents, removes stale temporaries beside it (remove_stale_temporaries,
/// telling `notice`) and creates the empty temporary directory, locked while this object
/// lives; write into path(), then commit(). Destroyed without a commit (a failure, an
/// interruption), it removes the temporary directory and DIR is left as it was.
class StagedDir {
 public:
  StagedDir(const std::filesystem::path& dir, bool force, const Notice& notice = {});
  ~StagedDir();
  StagedDir(const StagedDir&) = delete;
  StagedDir& operator=(const StagedDir&) = delete;

  /// The temporary directory to write into.
  const std::filesystem::path& path() const { return tmp_; }
  /// The results directory (normalised: no trailing slash).
  const std::filesystem::path& target() const { return dir_; }
  /// Renames the temporary directory to DIR. With `force`, an existing DIR is exchanged
  /// with it (atomically where the kernel allows) and the old results deleted. Throws
  /// OutputError if DIR appeared meanwhile without `force`, if another process holds DIR
  /// (DirectoryLock), or the rename fails.
  void commit();
  /// Moves everything in the temporary directory into DIR, which exists (the directory of
  /// a checkpointed run), replacing what is there under the same names, results.h5 last;
  /// then removes the temporary. Throws OutputError if a rename fails.
  void commit_into();
  /// The lock of the committed directory (commit()), now DIR's: held by the caller from
  /// now on instead of until this object goes.
  DirectoryLock take_lock();

 private:
  std::filesystem::path dir_, tmp_;
  bool force_ = false;
  bool committed_ = false;
  DirectoryLock lock_;  ///< on the temporary directory while writing
};

}  // namespace rfsim::outputs
