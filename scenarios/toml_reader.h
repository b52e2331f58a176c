// Checked access to a parsed TOML scenario: typed getters that record each key's line,
// range checks, ISO dates as day indices, and rejection of unknown keys with the nearest
// valid key suggested. Every error is one line, "file:line: key: what was expected (got
// ...)", or "--set: key: ..." for values given on the command line.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/scenario.h"

namespace rfsim::scenario_detail {

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(int y, unsigned m, unsigned d);
/// ISO "YYYY-MM-DD" of a day count since 1970-01-01.
std::string civil_from_days(std::int64_t z);
/// Parses a strict ISO date "YYYY-MM-DD" into days since 1970-01-01.
std::optional<std::int64_t> parse_iso_date(std::string_view text);


/// Short description of a node for "(got ...)": `string "abc"`, `integer 5`, `a table`.
std::string describe(const toml::node& node);

/// Shared state of one load: the file name for messages and the key -> line map.
class Context {
 public:
  Context(std::string file, std::map<std::string, int>& key_lines)
      : file_(std::move(file)), key_lines_(key_lines) {}

  /// "file:line" for a node from the file, "--set" for one from the command line.
  std::string where(const toml::source_region& source) const;
  [[noreturn]] void fail(const toml::source_region& source, const std::string& key,
                         const std::string& message) const;
  void record(const std::string& key, const toml::source_region& source);
  const std::string& file() const { return file_; }

  /// Day 0 as days since 1970-01-01 and the horizon, once [run] has been read.
  std::int64_t epoch = 0;
  int horizon = 0;

 private:
  std::string file_;
  std::map<std::string, int>& key_lines_;
};

/// Permitted range of a date: [first day, last day] relative to the start date.
struct DayRange {
  Day first;
  Day last;
};

/// One TOML table read through checked getters. Every key asked for, present or not,
/// becomes a valid key; finish() rejects the others with the nearest valid one suggested.
class Table {
 public:
  Table(Context& ctx, const toml::table& table, std::string prefix);

  /// Dotted name of a key in this table ("facilities.2" + "capacity").
  std::string key(std::string_view name) const;
  bool has(std::string_view name) const;
  /// The node, or nullptr if absent; marks the key valid and records its line.
  const toml::node* node(std::string_view name);
  [[noreturn]] void fail(std::string_view name, const std::string& message) const;
  [[noreturn]] void fail_missing(std::string_view name, const std::string& message) const;

  std::optional<std::string> string(std::string_view name);
  std::string string(std::string_view name, const std::string& fallback);
  /// One of `choices`, else "expected "a", "b" or "c" (got ...)".
  std::string choice(std::string_view name, const std::string& fallback,
                     const std::vector<std::string>& choices);
  bool boolean(std::string_view name, bool fallback);
  std::optional<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max);
  std::int64_t integer(std::string_view name, std::int64_t fallback, std::int64_t min,
                       std::int64_t max);
  /// A number (integer or float) in [min, max]; `what` describes the range for messages.
  std::optional<double> number(std::string_view name, double min, double max,
                               const std::string& what);
  double number(std::string_view name, double fallback, double min, double max,
                const std::string& what);
  double probability(std::string_view name, double fallback);
  /// A date (TOML date or "YYYY-MM-DD" string) in `range`, as a day index.
  std::optional<Day> date(std::string_view name, DayRange range);
  Day date(std::string_view name, Day fallback, DayRange range);

  /// Sub-table, or nullopt if absent; "expected a table" if another type.
  std::optional<Table> table(std::string_view name);
  /// Sub-table, or an empty one standing for the absent section (its defaults apply).
  Table section(std::string_view name);
  /// Array, or nullptr if absent; "expected an array" if another type.
  const toml::array* array(std::string_view name);
  /// Array of tables ([[name]]), each wrapped as a Table with prefix "name.i".
  std::vector<Table> tables(std::string_view name);

  /// Keys present in the table, in file order of their lines.
  std::vector<std::string> present_keys() const;

  /// Rejects keys never asked for.
  void finish() const;

 private:
  Context* ctx_;
  const toml::table* table_;
  std::string prefix_;
  bool absent_ = false;  // stands for a section missing from the file
  std::set<std::string, std::less<>> known_;
};

/// Applies one "dotted.key=value" override to the document. Value parsed as TOML, else a
/// string. Missing tables are created; array indices must exist.
void apply_override(toml::table& doc, const std::string& assignment);

}  // namespace rfsim::scenario_detail
