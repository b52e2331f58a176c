// What the subcommands of the command line share: checks of whole-number options, numbers
// and messages as people read them, notices on stderr, the default name of an output
// directory, and a scenario's geography.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <string>

#include "geo/geography.h"
#include "scenarios/scenario.h"

namespace rfsim::app {

/// Accepts a decimal integer in [lo, hi]; the message says what was expected.
CLI::Validator whole_number(const std::string& expected, std::int64_t lo, std::int64_t hi);

/// A figure as people read it: whole numbers in full, others with 4 significant digits.
std::string figure(double v);

/// The scenario's name (else the file's stem) as a folder name: no slashes or spaces.
std::string scenario_label(const Scenario& s, const std::string& path);

/// The default output directory of a command: runs/<scenario_label><suffix>.
std::filesystem::path default_output(const Scenario& s, const std::string& path,
                                     const std::string& suffix);

/// The geography of the scenario's data, from the cache named by the environment when it
/// holds it (geo/geography_cache.h: RFSIM_CACHE_DIR, else ~/.cache/rfsim), else built.
geo::Geography scenario_geography(const Scenario& s);

/// Says `line` on stderr as "rfsim: LINE" (what writing did on the side: stale temporaries
/// removed, ...).
void notice(const std::string& line);

/// The report of a results or ensemble directory just written (outputs/report.h; none with
/// --no-report); a failure says that the results are complete and how to retry. Returns
/// the path of briefing.html (empty with --no-report).
std::filesystem::path write_briefing(const std::filesystem::path& dir, bool no_report);

/// The message on one line (newlines become spaces), for "rfsim: error: ...".
std::string one_line(std::string message);

}  // namespace rfsim::app
