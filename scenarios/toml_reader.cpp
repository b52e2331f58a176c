// Checked TOML access for scenario files: see toml_reader.h.
#include "scenarios/toml_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "base/text.h"

namespace rfsim::scenario_detail {

using text::format_number;

using text::trim;

namespace {

const char* const kCommandLine = "--set";

[[noreturn]] void override_error(const std::string& key, const std::string& message) {
  throw ScenarioError(std::string(kCommandLine) + ": " + key + ": " + message);
}

}  // namespace

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  // H. Hinnant's algorithm, http://howardhinnant.github.io/date_algorithms.html
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::optional<std::int64_t> parse_iso_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  const int y = std::stoi(std::string(t.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(t.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(t.substr(8, 2))));
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap)) return std::nullopt;
  return days_from_civil(y, m, d);
}

std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string " + text::quoted(node.as_string()->get());
    case toml::node_type::integer:
      return "integer " + std::to_string(node.as_integer()->get());
    case toml::node_type::floating_point:
      return "float " + format_number(node.as_floating_point()->get());
    case toml::node_type::boolean:
      return std::string("boolean ") + (node.as_boolean()->get() ? "true" : "false");
    case toml::node_type::date: {
      const auto& d = node.as_date()->get();
      return "date " + civil_from_days(days_from_civil(d.year, d.month, d.day));
    }
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string Context::where(const toml::source_region& source) const {
  if (!source.path || *source.path == kCommandLine) return kCommandLine;
  return file_ + ":" + std::to_string(source.begin.line);
}

void Context::fail(const toml::source_region& source, const std::string& key,
                   const std::string& message) const {
  throw ScenarioError(where(source) + ": " + key + ": " + message);
}

void Context::record(const std::string& key, const toml::source_region& source) {
  const bool from_file = source.path && *source.path != kCommandLine;
  key_lines_[key] = from_file ? static_cast<int>(source.begin.line) : 0;
}

Table::Table(Context& ctx, const toml::table& table, std::string prefix)
    : ctx_(&ctx), table_(&table), prefix_(std::move(prefix)) {}

std::string Table::key(std::string_view name) const {
  return prefix_.empty() ? std::string(name) : prefix_ + "." + std::string(name);
}

bool Table::has(std::string_view name) const {
  return table_->contains(name);
}

const toml::node* Table::node(std::string_view name) {
  known_.emplace(name);
  const toml::node* n = table_->get(name);
  if (n) ctx_->record(key(name), n->source());
  return n;
}

void Table::fail(std::string_view name, const std::string& message) const {
  const toml::node* n = table_->get(name);
  ctx_->fail(n ? n->source() : table_->source(), key(name), message);
}

void Table::fail_missing(std::string_view name, const std::string& message) const {
  const std::string from = prefix_.empty() ? "the scenario" : "[" + prefix_ + "]";
  // A section absent from the file has no position: point at the file's first line.
  const std::string where = absent_ ? ctx_->file() + ":1" : ctx_->where(table_->source());
  throw ScenarioError(where + ": " + key(name) + ": " + message + " (missing from " + from + ")");
}

std::optional<std::string> Table::string(std::string_view name) {
  const toml::node* n = node(name);
  if (!n) return std::nullopt;
  if (!n->is_string()) fail(name, "expected a string (got " + describe(*n) + ")");
  return n->as_string()->get();
}

std::string Table::string(std::string_view name, const std::string& fallback) {
  return string(name).value_or(fallback);
}

std::string Table::choice(std::string_view name, const std::string& fallback,
                          const std::vector<std::string>& choices) {
  const auto value = string(name);
  if (!value) return fallback;
  if (std::find(choices.begin(), choices.end(), *value) != choices.end()) return *value;
  std::string expected = "expected ";
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) expected += i + 1 == choices.size() ? " or " : ", ";
    expected += text::quoted(choices[i]);
  }
  const std::string guess = text::nearest(*value, choices);
  fail(name, expected + " (got " + text::quoted(*value) + ")" +
                 (guess.empty() ? "" : "; did you mean " + text::quoted(guess) + "?"));
}

bool Table::boolean(std::string_view name, bool fallback) {
  const toml::node* n = node(name);
  if (!n) return fallback;
  if (!n->is_boolean()) fail(name, "expected true or false (got " + describe(*n) + ")");
  return n->as_boolean()->get();
}

std::optional<std::int64_t> Table::integer(std::string_view name, std::int64_t min,
                                           std::int64_t max) {
  const toml::node* n = node(name);
  if (!n) return std::nullopt;
  std::string range;
  if (max == std::numeric_limits<std::int64_t>::max())
    range = min == 0 ? "a non-negative integer" : "an integer >= " + std::to_string(min);
  else
    range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!n->is_integer()) fail(name, "expected " + range + " (got " + describe(*n) + ")");
  const std::int64_t v = n->as_integer()->get();
  if (v < min || v > max) fail(name, "expected " + range + " (got " + std::to_string(v) + ")");
  return v;
}

std::int64_t Table::integer(std::string_view name, std::int64_t fallback, std::int64_t min,
                            std::int64_t max) {
  return integer(name, min, max).value_or(fallback);
}

std::optional<double> Table::number(std::string_view name, double min, double max,
                                    const std::string& what) {
  const toml::node* n = node(name);
  if (!n) return std::nullopt;
  if (!n->is_number()) fail(name, "expected " + what + " (got " + describe(*n) + ")");
  const double v =
      n->is_integer() ? static_cast<double>(n->as_integer()->get()) : n->as_floating_point()->get();
  if (!std::isfinite(v) || v < min || v > max)
    fail(name, "expected " + what + " (got " + format_number(v) + ")");
  return v;
}

double Table::number(std::string_view name, double fallback, double min, double max,
                     const std::string& what) {
  return number(name, min, max, what).value_or(fallback);
}

double Table::probability(std::string_view name, double fallback) {
  return number(name, fallback, 0.0, 1.0, "a probability from 0 to 1");
}

std::optional<Day> Table::date(std::string_view name, DayRange range) {
  const toml::node* n = node(name);
  if (!n) return std::nullopt;
  std::optional<std::int64_t> days;
  if (const auto* d = n->as_date()) {
    const auto& v = d->get();
    days = days_from_civil(v.year, v.month, v.day);
  } else if (const auto* s = n->as_string()) {
    days = parse_iso_date(s->get());
  }
  if (!days) fail(name, "expected a date \"YYYY-MM-DD\" (got " + describe(*n) + ")");
  const std::int64_t day = *days - ctx_->epoch;
  const std::string span = "expected a date from " + civil_from_days(ctx_->epoch + range.first) +
                           " to " + civil_from_days(ctx_->epoch + range.last);
  const std::string got = " (got " + civil_from_days(*days);
  if (day < range.first) fail(name, span + got + (day < 0 ? ", before run.start_date)" : ")"));
  if (day > range.last)
    fail(name, span + got + (day >= ctx_->horizon ? ", after the horizon)" : ")"));
  return static_cast<Day>(day);
}

Day Table::date(std::string_view name, Day fallback, DayRange range) {
  return date(name, range).value_or(fallback);
}

std::optional<Table> Table::table(std::string_view name) {
  const toml::node* n = node(name);
  if (!n) return std::nullopt;
  if (!n->is_table()) fail(name, "expected a table (got " + describe(*n) + ")");
  return Table(*ctx_, *n->as_table(), key(name));
}

Table Table::section(std::string_view name) {
  static const toml::table kEmpty;
  if (auto t = table(name)) return *t;
  Table empty(*ctx_, kEmpty, key(name));
  empty.absent_ = true;
  return empty;
}

const toml::array* Table::array(std::string_view name) {
  const toml::node* n = node(name);
  if (!n) return nullptr;
  if (!n->is_array()) fail(name, "expected an array (got " + describe(*n) + ")");
  return n->as_array();
}

std::vector<Table> Table::tables(std::string_view name) {
  std::vector<Table> out;
  const toml::node* n = node(name);
  if (!n) return out;
  const std::string expected = "expected an array of tables [[" + key(name) + "]]";
  if (!n->is_array()) fail(name, expected + " (got " + describe(*n) + ")");
  const toml::array& arr = *n->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string element = key(name) + "." + std::to_string(i);
    if (!arr[i].is_table())
      ctx_->fail(arr[i].source(), element, expected + " (got " + describe(arr[i]) + ")");
    ctx_->record(element, arr[i].source());
    out.emplace_back(*ctx_, *arr[i].as_table(), element);
  }
  return out;
}

std::vector<std::string> Table::present_keys() const {
  std::vector<std::pair<std::uint32_t, std::string>> keyed;
  for (auto&& [k, v] : *table_) keyed.emplace_back(v.source().begin.line, std::string(k.str()));
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [line, k] : keyed) out.push_back(std::move(k));
  return out;
}

void Table::finish() const {
  for (auto&& [k, v] : *table_) {
    if (known_.count(k.str())) continue;
    const std::vector<std::string> valid(known_.begin(), known_.end());
    const std::string guess = text::nearest(k.str(), valid);
    std::string message = "unknown key";
    if (!guess.empty()) {
      message += "; did you mean " + text::quoted(key(guess)) + "?";
    } else {
      message += " (valid keys here: ";
      for (std::size_t i = 0; i < valid.size(); ++i) message += (i ? ", " : "") + valid[i];
      message += ")";
    }
    // Keys parsed from the file carry its path; keys without one came from --set.
    if (!k.source().path) override_error(key(k.str()), message);
    ctx_->fail(k.source(), key(k.str()), message);
  }
}

void apply_override(toml::table& doc, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos) override_error(assignment, "expected key=value (got no \"=\")");
  const std::string key = trim(std::string_view(assignment).substr(0, eq));
  const std::string text = trim(std::string_view(assignment).substr(eq + 1));
  std::vector<std::string> segments;
  std::size_t pos = 0;
  while (true) {
    const auto dot = key.find('.', pos);
    std::string seg = trim(std::string_view(key).substr(pos, dot - pos));
    if (seg.size() >= 2 && seg.front() == '"' && seg.back() == '"')  // services.deployed."A B"
      seg = seg.substr(1, seg.size() - 2);
    segments.push_back(std::move(seg));
    if (segments.back().empty()) override_error(key, "expected a dotted key such as run.seed");
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }

  // The value as TOML ("7", "true", "[1, 2]", "\"x\"", 2020-04-01), else as a bare string.
  toml::table parsed;
  try {
    parsed = toml::parse("value = " + text, std::string_view(kCommandLine));
  } catch (const toml::parse_error&) {
    parsed = toml::table{};
    parsed.insert("value", text);
  }
  toml::node& value = *parsed.get("value");

  toml::node* current = &doc;
  std::string done;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& seg = segments[i];
    const bool last = i + 1 == segments.size();
    const std::string here = done.empty() ? seg : done + "." + seg;
    if (auto* table = current->as_table()) {
      if (last) {
        value.visit([&](auto& v) { table->insert_or_assign(seg, std::move(v)); });
        return;
      }
      toml::node* child = table->get(seg);
      if (!child) child = &table->insert_or_assign(seg, toml::table{}).first->second;
      current = child;
    } else if (auto* array = current->as_array()) {
      const bool digits = std::all_of(seg.begin(), seg.end(),
                                      [](char c) { return std::isdigit((unsigned char)c); });
      // Index `size` appends an element: facilities.7.name=... adds an eighth facility.
      const std::string size = std::to_string(array->size());
      if (!digits || seg.size() > 9 || std::stoul(seg) > array->size())
        override_error(here, done + " is an array: expected an index from 0 to " + size + " (" +
                                 size + " appends) (got " + text::quoted(seg) + ")");
      const std::size_t index = std::stoul(seg);
      if (index == array->size()) {
        if (last) {
          value.visit([&](auto& v) { array->push_back(std::move(v)); });
          return;
        }
        array->push_back(toml::table{});
      } else if (last) {
        value.visit([&](auto& v) {
          array->replace(array->cbegin() + static_cast<std::ptrdiff_t>(index), std::move(v));
        });
        return;
      }
      current = array->get(index);
    } else {
      override_error(here, "cannot set a key inside " + done + ", which is " + describe(*current));
    }
    done = here;
  }
}

}  // namespace rfsim::scenario_detail
