// Checked access to a parsed TOML scenario: typed getters that record each key's line,
// range checks, ISO dates as day indices, and rejection of unknown keys with the nearest
// valid key suggested. Every error is one line, "file:line: key: what was expected (got
// ...)", or "--set: key: ..." for values given on the command line.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/parameters.h"
#include "scenarios/scenario.h"

namespace rfsim::scenario_detail {

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(int y, unsigned m, unsigned d);
/// ISO "YYYY-MM-DD" of a day count since 1970-01-01.
std::string civil_from_days(std::int64_t z);
/// Parses a strict ISO date "YYYY-MM-DD" into days since 1970-01-01.
std::optional<std::int64_t> parse_iso_date(std::string_view text);

/// "; did you mean "x"?" for the nearest candidate (base/text.h), or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

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
///
/// Values are read by their entry in the parameter dictionary (scenarios/parameters.h): the
/// key read is the entry's last part, its range and default come from the entry, and the
/// entry must belong to this table ("facilities.*.capacity" in "facilities.2"; a mismatch is
/// a programming error, std::logic_error). An absent key gives the entry's default, or
/// "expected ... (missing from [table])" if the entry is required.
class Table {
 public:
  using Param = params::Param;

  Table(Context& ctx, const toml::table& table, std::string prefix);

  /// Dotted name of a key in this table ("facilities.2" + "capacity").
  std::string key(std::string_view name) const;
  bool has(std::string_view name) const;
  bool has(const Param& p) const;
  /// The node, or nullptr if absent; marks the key valid and records its line.
  const toml::node* node(std::string_view name);
  const toml::node* node(const Param& p);
  [[noreturn]] void fail(std::string_view name, const std::string& message) const;
  [[noreturn]] void fail(const Param& p, const std::string& message) const;
  [[noreturn]] void fail_missing(std::string_view name, const std::string& message) const;
  /// "expected <what the entry takes> (missing from [table])".
  [[noreturn]] void fail_missing(const Param& p) const;

  std::optional<std::string> find_string(const Param& p);
  std::string string(const Param& p, const std::string& fallback);
  /// One of the entry's choices, else "expected "a", "b" or "c" (got ...)".
  std::string choice(const Param& p, const std::string& fallback);
  std::string choice(const Param& p) { return choice(p, std::string(p.text)); }
  bool boolean(const Param& p, bool fallback);
  bool boolean(const Param& p) { return boolean(p, p.value != 0); }
  std::optional<std::int64_t> find_integer(const Param& p);
  std::int64_t integer(const Param& p, std::int64_t fallback);
  std::int64_t integer(const Param& p);
  /// A number (integer or float) in the entry's range (Number, Probability).
  std::optional<double> find_number(const Param& p);
  double number(const Param& p, double fallback);
  double number(const Param& p);
  /// A date (TOML date or "YYYY-MM-DD" string) in `range`, as a day index.
  std::optional<Day> find_date(const Param& p, DayRange range);
  Day date(const Param& p, Day fallback, DayRange range);
  /// A table of name = number (Shares, Weights), each number in the entry's range, in file
  /// order of the names; nullopt if absent. Shares must sum to 1.
  /// With `names`, every name must be one of them, else "expected <what> (got "x")".
  std::optional<std::map<std::string, double>> named_numbers(
      const Param& p, const std::vector<std::string>* names = nullptr, std::string_view what = "");
  /// An array of numbers (Counts, ShareList), each in the entry's range; nullopt if absent.
  /// A ShareList must have the entry's size and sum to 1.
  std::optional<std::vector<double>> numbers(const Param& p);

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
  /// The key of `p` in this table; std::logic_error if `p` belongs to another table or is
  /// read as another type.
  std::string_view name_of(const Param& p, std::initializer_list<params::Type> types) const;
  double checked_number(const Param& p, const toml::node& n, const std::string& key) const;

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
