/* A fault-injection library for the write-fault tests (write-faults.sh), loaded into
 * rfsim with LD_PRELOAD. It only touches files whose path starts with $RFSIM_FAULT_DIR
 * and does what $RFSIM_FAULT says:
 *   enospc:N   writes fail with ENOSPC once N bytes have been written to such files
 *              (the write that crosses N is cut short first, as on a full disk);
 *   rmdir      at the first write to such a file, the "*.tmp-<pid>" directory holding it
 *              is removed with everything in it (the directory removed underneath);
 *   close:SUF  close() of such a file whose name ends with SUF closes it but fails with
 *              EDQUOT (a quota or NFS error reported only when the file is closed).
 * write, writev, pwrite and pwrite64 are wrapped (HDF5 writes with pwrite, the CSV tables
 * with write). Built without sanitizers; plain C, no dependency but libc and libdl. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long long written = 0; /* bytes written to matching files so far */
static int removed = 0;       /* rmdir: done once */

/* 1 if fd refers to a file below $RFSIM_FAULT_DIR; its path in `path`. */
static int matches(int fd, char* path, size_t size) {
  const char* dir = getenv("RFSIM_FAULT_DIR");
  char link[64];
  if (!dir || !*dir) return 0;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, size - 1);
  if (n < 0) return 0;
  path[n] = '\0';
  return strncmp(path, dir, strlen(dir)) == 0;
}

static int remove_entry(const char* p, const struct stat* s, int flag, struct FTW* f) {
  (void)s, (void)flag, (void)f;
  return remove(p);
}

/* How many of `count` bytes a write to fd may write: count, fewer, or -1 (errno set). */
static ssize_t allowed(int fd, size_t count) {
  const char* mode = getenv("RFSIM_FAULT");
  char path[PATH_MAX];
  if (!mode || !matches(fd, path, sizeof path)) return (ssize_t)count;
  if (strncmp(mode, "enospc:", 7) == 0) {
    long long limit = atoll(mode + 7);
    if (written >= limit) {
      errno = ENOSPC;
      return -1;
    }
    if (written + (long long)count > limit) count = (size_t)(limit - written);
    written += (long long)count;
    return (ssize_t)count;
  }
  if (strcmp(mode, "rmdir") == 0 && !removed) {
    removed = 1;
    char* tmp = strstr(path, ".tmp-");
    if (tmp) {
      char* end = strchr(tmp, '/');
      if (end) *end = '\0';
      nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
  }
  return (ssize_t)count;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t write(int fd, const void* buf, size_t count) {
  ssize_t n = allowed(fd, count);
  return n < 0 ? -1 : NEXT(write)(fd, buf, (size_t)n);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  ssize_t n = allowed(fd, count);
  return n < 0 ? -1 : NEXT(pwrite)(fd, buf, (size_t)n, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
  ssize_t n = allowed(fd, count);
  return n < 0 ? -1 : NEXT(pwrite64)(fd, buf, (size_t)n, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  size_t total = 0;
  for (int i = 0; i < iovcnt; ++i) total += iov[i].iov_len;
  ssize_t n = allowed(fd, total);
  if (n < 0) return -1;
  if ((size_t)n == total) return NEXT(writev)(fd, iov, iovcnt);
  /* Cut short: write the first n bytes only. */
  ssize_t done = 0;
  for (int i = 0; i < iovcnt && done < n; ++i) {
    size_t part = iov[i].iov_len < (size_t)(n - done) ? iov[i].iov_len : (size_t)(n - done);
    ssize_t w = NEXT(write)(fd, iov[i].iov_base, part);
    if (w < 0) return done > 0 ? done : -1;
    done += w;
    if ((size_t)w < part) break;
  }
  return done;
}

int close(int fd) {
  const char* mode = getenv("RFSIM_FAULT");
  char path[PATH_MAX];
  int fails = mode && strncmp(mode, "close:", 6) == 0 && matches(fd, path, sizeof path);
  if (fails) {
    size_t len = strlen(path), suffix = strlen(mode + 6);
    fails = len >= suffix && strcmp(path + len - suffix, mode + 6) == 0;
  }
  int rc = NEXT(close)(fd);
  if (rc == 0 && fails) {
    errno = EDQUOT;
    return -1;
  }
  return rc;
}
