// How the command line stops on SIGINT and SIGTERM: the handlers set one flag that long
// work polls (sim::RunOptions::stop, the work of studies), and the exit status says which
// signal stopped it. SIGXFSZ is ignored so that a file-size limit is an error, not a kill.
#pragma once

#include <atomic>

namespace rfsim::app {

/// Set by SIGINT and SIGTERM once the handlers are installed.
extern std::atomic<bool> g_stop;

/// Installs the handlers (SIGINT, SIGTERM -> g_stop; SIGXFSZ ignored).
void install_signal_handlers();

/// 128 + the signal received (130 for SIGINT when none was: another rank's interruption).
int interrupted_exit_code();

}  // namespace rfsim::app
