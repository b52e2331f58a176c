// The ranks of a study and their messages (see cluster.h).
#include "ensemble/cluster.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <mpi.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <exception>
#include <thread>

#include "sim/engine.h"

namespace rfsim::ensemble {

namespace {

/// The environment variables MPI launchers set in the processes they start: Open MPI's
/// mpirun, PMIx (Open MPI 4+, Slurm's srun --mpi=pmix), MPICH and Intel MPI (PMI).
const char* const kRankVariables[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"};

bool started_by_launcher() {
  for (const char* name : kRankVariables)
    if (std::getenv(name)) return true;
  return false;
}

void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw StudyError(std::string("MPI: cannot ") + what + ": " + std::string(text, length), false);
}

/// What a rank reports of a failed phase: the message, and whether a signal stopped it.
std::pair<std::string, bool> failure_of(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const StudyError& s) {
    return {s.what(), s.interrupted};
  } catch (const sim::Interrupted& s) {
    return {s.what(), true};
  } catch (const std::exception& s) {
    return {s.what(), false};
  } catch (...) {
    return {"unknown error", false};
  }
}

/// Waits for a non-blocking collective without spinning: MPI's blocking collectives poll
/// a core at full speed, which a rank that finished early would take from the ranks of
/// its node still working (rank 0's statistics use every core once the replicates are
/// done). Polls at first every 50 us, then less often, at most every millisecond.
void wait_sleeping(MPI_Request& request, const char* what) {
  auto pause = std::chrono::microseconds(50);
  for (;;) {
    int done = 0;
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what);
    if (done) return;
    std::this_thread::sleep_for(pause);
    pause = std::min(2 * pause, std::chrono::microseconds(1000));
  }
}

}  // namespace

int send_without_delay_to_launcher() {
  DIR* fds = opendir("/proc/self/fd");
  if (!fds) return 0;
  int set = 0;
  while (const dirent* e = readdir(fds)) {
    char* end = nullptr;
    const long fd = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0' || fd == dirfd(fds)) continue;
    int type = 0;
    socklen_t length = sizeof type;
    if (getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_TYPE, &type, &length) != 0 ||
        type != SOCK_STREAM)
      continue;
    sockaddr_storage peer{};
    length = sizeof peer;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &length) != 0)
      continue;
    bool loopback = false;
    if (peer.ss_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(&peer);
      loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    } else if (peer.ss_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&peer);
      loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    const int on = 1;
    if (loopback && setsockopt(static_cast<int>(fd), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0)
      ++set;
  }
  closedir(fds);
  return set;
}

int launcher_rank() {
  for (const char* name : kRankVariables)
    if (const char* v = std::getenv(name)) return std::atoi(v);
  return 0;
}

struct Cluster::Pending {
  MPI_Request request = MPI_REQUEST_NULL;
  std::string bytes;
};

Cluster::Cluster() {
  if (!started_by_launcher()) return;
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "initialise");
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw StudyError("MPI: the library does not allow threads (MPI_THREAD_FUNNELED)", false);
  }
  mpi_ = true;
  send_without_delay_to_launcher();
  // Errors come back as codes and become StudyErrors, rather than aborting the job.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "read the rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "read the number of ranks");
}

Cluster::~Cluster() {
  if (!mpi_) return;
  // The work distribution leaves nothing in flight; after a failure whatever is left is
  // let go rather than waited for.
  for (Pending& p : pending_)
    if (p.request != MPI_REQUEST_NULL) MPI_Request_free(&p.request);
  MPI_Finalize();
}

void Cluster::agree(const std::function<void()>& phase) {
  std::exception_ptr failure;
  try {
    phase();
  } catch (...) {
    failure = std::current_exception();
  }
  if (!mpi_) {
    if (!failure) return;
    const auto [message, interrupted] = failure_of(failure);
    throw StudyError(message, interrupted);
  }
  int mine = failure ? rank_ : size_, first = size_;
  MPI_Request request = MPI_REQUEST_NULL;
  check(MPI_Iallreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &request), "agree");
  wait_sleeping(request, "agree");
  if (first == size_) return;
  std::string text;
  if (rank_ == first) {
    const auto [message, interrupted] = failure_of(failure);
    text = (interrupted ? "I" : "E") + message;
  }
  long long length = static_cast<long long>(text.size());
  check(MPI_Bcast(&length, 1, MPI_LONG_LONG, first, MPI_COMM_WORLD), "agree");
  text.resize(static_cast<size_t>(length));
  check(MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, first, MPI_COMM_WORLD), "agree");
  throw StudyError(text.substr(1), text.front() == 'I');
}

std::string Cluster::broadcast(std::string text) {
  if (!mpi_) return text;
  long long length = static_cast<long long>(text.size());
  MPI_Request request = MPI_REQUEST_NULL;
  check(MPI_Ibcast(&length, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD, &request), "broadcast");
  wait_sleeping(request, "broadcast");
  if (length > INT_MAX) throw StudyError("MPI: a broadcast of more than 2 GB", false);
  text.resize(static_cast<size_t>(length));
  check(MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD), "broadcast");
  return text;
}

void Cluster::post(int to, int tag, std::string bytes) {
  if (!mpi_) throw std::logic_error("Cluster::post without MPI");
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    throw StudyError("MPI: a message of more than 2 GB", false);
  Pending& p = pending_.emplace_back();
  p.bytes = std::move(bytes);
  check(MPI_Isend(p.bytes.data(), static_cast<int>(p.bytes.size()), MPI_BYTE, to, tag,
                  MPI_COMM_WORLD, &p.request),
        "send a message");
}

std::optional<Cluster::Message> Cluster::receive() {
  if (!mpi_) return std::nullopt;
  int flag = 0;
  MPI_Status status;
  check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status),
        "look for messages");
  if (!flag) return std::nullopt;
  int count = 0;
  check(MPI_Get_count(&status, MPI_BYTE, &count), "size a message");
  Message m;
  m.source = status.MPI_SOURCE;
  m.tag = status.MPI_TAG;
  m.bytes.resize(static_cast<size_t>(count));
  check(
      MPI_Recv(m.bytes.data(), count, MPI_BYTE, m.source, m.tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
      "receive a message");
  return m;
}

bool Cluster::delivered() {
  for (auto it = pending_.begin(); it != pending_.end();) {
    int done = 0;
    check(MPI_Test(&it->request, &done, MPI_STATUS_IGNORE), "send a message");
    it = done ? pending_.erase(it) : std::next(it);
  }
  return pending_.empty();
}

}  // namespace rfsim::ensemble
