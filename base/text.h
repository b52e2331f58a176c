// Small text helpers shared by every layer's messages and tables: quoting names, joining
// lists into prose, numbers as people read them, trimming cells. One copy, here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rfsim::text {

/// "name" in double quotes, as TOML writes strings (for scenario messages).
std::string quoted(std::string_view s);
/// 'name' in single quotes (for place names in messages).
std::string single_quoted(std::string_view s);
/// "a", "a and b", "a, b and c" (or "a, b or c" with `conjunction` "or").
std::string join_prose(const std::vector<std::string>& items, std::string_view conjunction = "and");
/// A number with up to 12 significant digits, no trailing zeros ("0.25", "1e+06").
std::string format_number(double v);
/// The shortest text that reads back to exactly v ("0.1", "60000", "nan").
std::string exact_number(double v);
/// Optimal string alignment distance, case-insensitive (a transposition costs 1).
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate nearest to `word` (for "did you mean"), or "" if none is reasonably close.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);
/// `s` without leading and trailing characters from `chars`.
std::string trim(std::string_view s, std::string_view chars = " \t\r\n");
/// The cells of one CSV line, quoted as RFC 4180: a cell in double quotes may hold commas,
/// "" stands for a quote. Unquoted cells are trimmed of spaces, tabs and CR; a quoted cell
/// is kept as written between its quotes (spaces around the quotes are dropped). Every CSV
/// reader of rfsim splits with this one function. Throws std::invalid_argument "a quoted
/// field is not closed on this line".
std::vector<std::string> csv_cells(std::string_view line);

}  // namespace rfsim::text
