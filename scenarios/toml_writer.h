// Writing a parsed TOML document back as text that parses to the same document: the
// resolved scenario stored in results files (Scenario::resolved_toml). Written here rather
// than by toml++'s serializer, which leaves keys bare that TOML does not allow bare
// (an apostrophe in "O'Smach", a tab), so the stored text would not load again.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace rfsim::scenario_detail {

/// A key as TOML writes it: bare when it is made of A-Z a-z 0-9 _ - only, else a basic
/// string with escapes ("O'Smach" -> "\"O'Smach\"", "a.b" -> "\"a.b\"").
std::string toml_key(std::string_view key);

/// A TOML basic string: quotes, backslashes and control characters escaped; other text
/// (valid UTF-8, as toml++ guarantees for parsed strings) as it is.
std::string toml_string(std::string_view text);

/// The document as TOML text. Keys of each table in the order of their place in the file
/// they were parsed from (keys without one, added later, after those, by name); values
/// first, then [tables] and [[arrays of tables]]; inline tables stay inline; floats in the
/// shortest form that reads back to the same double.
std::string write_toml(const toml::table& doc);

}  // namespace rfsim::scenario_detail
