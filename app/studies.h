// The study subcommands of the command line: `ensemble`, `sweep`, `sensitivity` and
// `calibrate`. Each runs on one process or, under mpirun, on every rank (ensemble/): the
// ranks build the same study, share its runs, and rank 0 writes the results and prints
// what they say; an error on any rank is printed once, by rank 0, and every rank exits
// with the same status.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>

namespace rfsim::app {

class StudyCommands {
 public:
  /// Adds the study subcommands to `app`.
  explicit StudyCommands(CLI::App& app);
  ~StudyCommands();
  /// Whether the parsed command line chose one of them.
  bool selected() const;
  /// Runs the chosen one; returns the exit status (0, 1 on error, 128 + signal when
  /// interrupted). Prints its own errors.
  int run();

  struct Args;  ///< the options of every study subcommand (studies.cpp)

 private:
  std::unique_ptr<Args> args_;
};

}  // namespace rfsim::app
