// The atomic results directory (see results_dir.h).
#include "outputs/results_dir.h"

#include <fcntl.h>     // AT_FDCWD, open
#include <signal.h>    // kill
#include <stdio.h>     // renameat2
#include <sys/file.h>  // flock
#include <sys/uio.h>   // writev
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>  // IOV_MAX
#include <string>
#include <system_error>
#include <vector>

#include "base/text.h"
#include "outputs/error.h"
#include "outputs/schema.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {
namespace {

std::string system_error(int code) {
  return std::system_category().message(code);
}

fs::path normalized_dir(const fs::path& dir) {
  if (dir.empty()) throw OutputError("empty output directory name");
  fs::path d = dir.lexically_normal();
  if (!d.has_filename()) d = d.parent_path();  // "runs/x/" -> "runs/x"
  if (d.empty() || d == "." || d == "..")
    throw OutputError(dir.string() + ": not a usable results directory name");
  return d;
}

/// Renames `from` to `to` only if `to` does not exist (atomic where the kernel allows).
bool rename_noreplace(const fs::path& from, const fs::path& to) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS)
    throw OutputError(to.string() + ": cannot rename results into place: " + system_error(errno));
  if (fs::exists(fs::symlink_status(to))) return false;
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw OutputError(to.string() + ": cannot rename results into place: " + ec.message());
  return true;
}

/// Replaces `to` (which exists) by `from`; afterwards the old content is at `from` for the
/// caller to delete. Atomic exchange where the kernel allows, else two renames.
void rename_replace(const fs::path& from, const fs::path& to) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_EXCHANGE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS)
    throw OutputError(to.string() + ": cannot replace results: " + system_error(errno));
  fs::path old = from.string() + ".old";
  std::error_code ec;
  fs::rename(to, old, ec);
  if (ec) throw OutputError(to.string() + ": cannot move old results away: " + ec.message());
  fs::rename(from, to, ec);
  if (ec) {
    std::error_code ignore;
    fs::rename(old, to, ignore);
    throw OutputError(to.string() + ": cannot rename results into place: " + ec.message());
  }
  fs::rename(old, from, ec);
}

constexpr std::string_view kTmpMarker = ".tmp-";

std::string temporary_name(const fs::path& dir, pid_t pid) {
  return dir.string() + std::string(kTmpMarker) + std::to_string(pid);
}

/// The process id in a temporary's name "NAME.tmp-<pid>", or 0 if it is not one.
pid_t temporary_owner(const std::string& name) {
  const auto at = name.rfind(kTmpMarker);
  if (at == std::string::npos || at == 0) return 0;
  const char* first = name.data() + at + kTmpMarker.size();
  const char* last = name.data() + name.size();
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(first, last, pid);
  return ec == std::errc() && end == last && first != last && *first != '0' ? pid : 0;
}

bool process_exists(pid_t pid) {
  return kill(pid, 0) == 0 || errno == EPERM;
}

/// Opens directory `path` and takes an exclusive flock on it without waiting: the
/// descriptor, or -1 with errno (EWOULDBLOCK when another open description holds it).
int lock_directory(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int code = errno;
    ::close(fd);
    errno = code;
    return -1;
  }
  return fd;
}

/// What a run writes into its temporary first (results.h5, or the checkpoints/ of a
/// checkpointed run's first checkpoint), so a temporary holds it or nothing.
bool looks_like_results(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_empty(dir, ec) && !ec) return true;
  return fs::is_regular_file(fs::symlink_status(dir / kResultsFileName, ec)) ||
         fs::is_directory(fs::symlink_status(dir / "checkpoints", ec));
}

}  // namespace

DirectoryLock::DirectoryLock(const fs::path& dir) : fd_(lock_directory(dir)) {
  if (fd_ >= 0) return;
  if (errno == EWOULDBLOCK)
    throw OutputError(dir.string() + ": another rfsim process is writing into it");
  throw OutputError(dir.string() + ": cannot open the directory: " + system_error(errno));
}

DirectoryLock& DirectoryLock::operator=(DirectoryLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::string remove_stale_temporaries(const fs::path& parent, const fs::path& own) {
  std::vector<std::string> removed, failed;
  std::error_code ec;
  const fs::path where = parent.empty() ? fs::path(".") : parent;
  for (fs::directory_iterator it(where, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path path = parent / it->path().filename();
    const pid_t pid = temporary_owner(path.filename().string());
    std::error_code status_ec;
    if (pid <= 0 || !it->is_directory(status_ec) || it->is_symlink(status_ec)) continue;
    if (pid == getpid() ? path != own : process_exists(pid)) continue;  // a live run's
    if (!looks_like_results(path)) continue;                            // not ours: never touched
    // Held by a live writer (in this process, or one whose pid we cannot see)?
    const int lock = lock_directory(path);
    if (lock < 0 && errno == EWOULDBLOCK) continue;
    std::error_code remove_ec;
    fs::remove_all(path, remove_ec);
    if (lock >= 0) ::close(lock);
    if (remove_ec)
      failed.push_back(path.string() + " (" + remove_ec.message() + ")");
    else
      removed.push_back(path.string());
  }
  std::string line;
  if (!removed.empty())
    line = "removed " +
           std::string(removed.size() == 1 ? "a stale temporary results directory"
                                           : "stale temporary results directories") +
           " left by " + (removed.size() == 1 ? "a run that" : "runs that") + " no longer " +
           (removed.size() == 1 ? "exists: " : "exist: ") + text::join_prose(removed);
  if (!failed.empty())
    line += (line.empty() ? "" : "; ") + std::string("could not remove stale temporary ") +
            text::join_prose(failed);
  return line;
}

namespace {

/// Writes `parts`, one after the other, to a new file at `path`, opened with `flags`
/// besides O_WRONLY | O_CREAT | O_EXCL (O_DIRECT: every part page-aligned and whole pages),
/// then cuts it to `size` if they are longer; as write_file says.
void write_new_file(const fs::path& path, std::span<const std::string_view> parts,
                    std::uint64_t size, bool sync, int flags) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | flags, 0666);
  if (fd < 0 && (flags & O_DIRECT) && errno == EINVAL) {
    // A file system without direct I/O refuses it only once it has created the file (which
    // O_EXCL says was not there): removed, and opened again without.
    ::unlink(path.c_str());
    flags &= ~O_DIRECT;
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | flags, 0666);
  }
  if (fd < 0) throw OutputError(path.string() + ": cannot create file: " + system_error(errno));
  auto fail = [&](const char* what, int code) {
    std::error_code ignore;
    fs::remove(path, ignore);
    throw OutputError(path.string() + ": " + what + ": " + system_error(code));
  };
  // Direct writes go by whole pages; if the file system refuses them or one is cut short,
  // the rest goes through the page cache.
  bool direct = flags & O_DIRECT;
  auto buffered = [&] {
    direct = false;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_DIRECT);
  };
  std::vector<iovec> io;
  io.reserve(parts.size());
  std::uint64_t total = 0, done = 0;
  for (std::string_view part : parts)
    if (!part.empty()) {
      io.push_back({const_cast<char*>(part.data()), part.size()});
      total += part.size();
    }
  for (std::size_t next = 0; next < io.size();) {
    const int count = static_cast<int>(std::min<std::size_t>(io.size() - next, IOV_MAX));
    const ssize_t n = ::writev(fd, io.data() + next, count);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EINVAL && direct) {
      buffered();
      continue;
    }
    if (n <= 0) {
      const int code = n < 0 ? errno : EIO;
      ::close(fd);
      fail("cannot write", code);
    }
    done += static_cast<std::uint64_t>(n);
    for (std::size_t left = static_cast<std::size_t>(n); left > 0;) {
      const std::size_t here = std::min(left, io[next].iov_len);
      io[next].iov_base = static_cast<char*>(io[next].iov_base) + here;
      io[next].iov_len -= here;
      left -= here;
      if (io[next].iov_len == 0) ++next;
    }
    if (direct && done % 4096 != 0) buffered();
  }
  if (total > size && ::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    const int code = errno;
    ::close(fd);
    fail("cannot write", code);
  }
  if (sync && ::fsync(fd) != 0) {
    const int code = errno;
    ::close(fd);
    fail("cannot write (reported on sync)", code);
  }
  // Network and quota-enforcing file systems may report a failed write only here. (On
  // Linux the descriptor is released even when close fails: it is never retried.)
  if (::close(fd) != 0 && errno != EINTR) fail("cannot write (reported on close)", errno);
}

}  // namespace

void write_file(const fs::path& path, std::string_view bytes, bool sync) {
  write_new_file(path, {&bytes, 1}, bytes.size(), sync, 0);
}

void write_file_direct(const fs::path& path, std::span<const std::string_view> parts,
                       std::uint64_t size) {
  write_new_file(path, parts, size, true, O_DIRECT);
}

void check_output_dir(const fs::path& dir, bool force) {
  fs::path d = normalized_dir(dir);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(d, ec)) && !force)
    throw OutputError(d.string() +
                      ": exists already; choose another directory with -o or use --force to "
                      "replace it");
  // The nearest existing ancestor must be a writable directory (checked now so that a
  // long run does not fail only when it writes).
  fs::path parent = fs::absolute(d, ec).parent_path();
  while (!parent.empty() && !fs::exists(parent, ec) && parent != parent.parent_path())
    parent = parent.parent_path();
  if (parent.empty()) return;
  if (!fs::is_directory(parent, ec))
    throw OutputError(d.string() + ": cannot create directory: " + system_error(ENOTDIR) + " (" +
                      parent.string() + " is a file)");
  if (access(parent.c_str(), W_OK) != 0)
    throw OutputError(d.string() + ": cannot create directory: " + system_error(EACCES) + " (" +
                      parent.string() + " is not writable)");
}

StagedDir::StagedDir(const fs::path& dir, bool force, const Notice& notice)
    : dir_(normalized_dir(dir)), force_(force) {
  check_output_dir(dir_, force_);
  std::error_code ec;
  if (dir_.has_parent_path()) {
    fs::create_directories(dir_.parent_path(), ec);
    if (ec) throw OutputError(dir_.string() + ": cannot create directory: " + ec.message());
  }
  tmp_ = temporary_name(dir_, getpid());
  if (std::string line = remove_stale_temporaries(dir_.parent_path(), tmp_);
      !line.empty() && notice)
    notice(line);
  if (!fs::create_directory(tmp_, ec) || ec)
    throw OutputError(tmp_.string() + ": cannot create directory: " +
                      (ec ? ec.message() : std::string("already exists")));
  // Held until the temporary is renamed or removed, so that no other run takes it for
  // stale. (A file system without flock leaves the process id as the only sign of life.)
  lock_.fd_ = lock_directory(tmp_);
}

StagedDir::~StagedDir() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
}

void StagedDir::commit() {
  if (rename_noreplace(tmp_, dir_)) {
    committed_ = true;
    return;
  }
  if (!force_)
    throw OutputError(dir_.string() +
                      ": appeared while the run was writing; results left unwritten");
  const DirectoryLock old(dir_);  // (refused while a live run writes into it)
  rename_replace(tmp_, dir_);  // the old results are now at tmp_; the destructor deletes them
}

void StagedDir::commit_into() {
  std::vector<fs::path> entries;
  std::error_code ec;
  for (fs::directory_iterator it(tmp_, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename() != kResultsFileName) entries.push_back(it->path());
  if (ec) throw OutputError(tmp_.string() + ": cannot list the results: " + ec.message());
  entries.push_back(tmp_ / kResultsFileName);  // last: the sign that the run is complete
  for (const fs::path& from : entries) {
    const fs::path to = dir_ / from.filename();
    if (fs::is_directory(fs::symlink_status(to, ec))) fs::remove_all(to, ec);  // an earlier try's
    fs::rename(from, to, ec);
    if (ec)
      throw OutputError(to.string() + ": cannot move the results into place: " + ec.message());
  }
  fs::remove(tmp_, ec);
  committed_ = true;
}

DirectoryLock StagedDir::take_lock() {
  return std::move(lock_);
}

}  // namespace rfsim::outputs
