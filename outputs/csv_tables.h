// The CSV copies of a run for spreadsheets: districts.csv, summary.csv,
// recommendation.csv and series/<name>.csv (one per series, columns headed by district,
// facility or entry point names, rows by day or week with their dates). The layout is
// documented in outputs/SCHEMA.md ("Results directory").
#pragma once

#include <atomic>
#include <filesystem>
#include <string>

#include "geo/geography.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"

namespace rfsim::outputs {

/// A CSV field: as it is, or quoted (quotes doubled) when it holds a comma, quote or newline.
std::string csv_field(const std::string& s);

/// Writes the CSV tables of `result` into the existing directory `dir`. Throws
/// OutputError (naming the file and the reason) if one cannot be written, and
/// sim::Interrupted when `stop` is set between two tables.
void write_csv_tables(const std::filesystem::path& dir, const Scenario& scenario,
                      const geo::Geography& geography, const sim::RunResult& result,
                      const std::atomic<bool>* stop);

}  // namespace rfsim::outputs
