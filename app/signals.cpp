// Signal handling of the command line (see signals.h).
#include "app/signals.h"

#include <signal.h>

#include <csignal>

namespace rfsim::app {

std::atomic<bool> g_stop{false};

namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) {
  g_signal = sig;
  g_stop.store(true);
}

}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // Over a file-size limit (ulimit -f) a write then fails with EFBIG and is reported like
  // a full disk, instead of SIGXFSZ killing the run and leaving its temporary directory.
  signal(SIGXFSZ, SIG_IGN);
}

int interrupted_exit_code() {
  return 128 + (g_signal ? static_cast<int>(g_signal) : SIGINT);
}

}  // namespace rfsim::app
