// Checked TOML access for scenario files: see toml_reader.h.
#include "scenarios/toml_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "base/text.h"

namespace rfsim::scenario_detail {

using text::format_number;

using text::trim;

namespace {

const char* const kCommandLine = "--set";
/// Shares must sum to 1 within this.
constexpr double kShareTolerance = 1e-6;

[[noreturn]] void override_error(const std::string& key, const std::string& message) {
  throw ScenarioError(std::string(kCommandLine) + ": " + key + ": " + message);
}

/// Whether `s` is well-formed UTF-8 (TOML text must be; toml++ checks what it parses).
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t c = 0;
    if (b < 0x80)
      n = 0, c = b;
    else if ((b & 0xE0) == 0xC0)
      n = 1, c = b & 0x1F;
    else if ((b & 0xF0) == 0xE0)
      n = 2, c = b & 0x0F;
    else if ((b & 0xF8) == 0xF0)
      n = 3, c = b & 0x07;
    else
      return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cont = static_cast<unsigned char>(s[i + k]);
      if ((cont & 0xC0) != 0x80) return false;
      c = (c << 6) | (cont & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (c < kMin[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

/// The parts of a dotted --set key. A part is bare (spaces allowed: services.deployed.Thma
/// Puok) or a TOML string, "..." or '...', which may hold dots: home.district_weight."a.b".
std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> segments;
  std::size_t pos = 0;
  while (true) {
    while (pos < key.size() && (key[pos] == ' ' || key[pos] == '\t')) ++pos;
    std::string segment;
    std::size_t next;  // the dot after the part, or npos
    if (pos < key.size() && (key[pos] == '"' || key[pos] == '\'')) {
      const char quote = key[pos];
      std::size_t close = pos + 1;
      while (close < key.size() && key[close] != quote)
        close += quote == '"' && key[close] == '\\' ? 2 : 1;
      if (close >= key.size()) override_error(key, "expected a closing " + std::string(1, quote));
      try {
        segment =
            toml::parse("k = " + key.substr(pos, close + 1 - pos))["k"].value_or(std::string());
      } catch (const toml::parse_error& e) {
        override_error(key,
                       "expected a TOML string in quotes (" + std::string(e.description()) + ")");
      }
      next = key.find_first_not_of(" \t", close + 1);
      if (next != std::string::npos && key[next] != '.')
        override_error(key, "expected a dot after " + key.substr(pos, close + 1 - pos));
      if (segment.empty()) override_error(key, "expected a dotted key such as run.seed");
    } else {
      next = key.find('.', pos);
      segment =
          trim(std::string_view(key).substr(pos, next == std::string::npos ? next : next - pos));
      if (segment.empty()) override_error(key, "expected a dotted key such as run.seed");
    }
    segments.push_back(std::move(segment));
    if (next == std::string::npos) return segments;
    pos = next + 1;
  }
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

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string guess = text::nearest(word, candidates);
  return guess.empty() ? "" : "; did you mean " + text::quoted(guess) + "?";
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

std::string_view Table::name_of(const Param& p, std::initializer_list<params::Type> types) const {
  // This table's key with element numbers as "*": "facilities.2" -> "facilities.*".
  std::string pattern;
  for (std::size_t pos = 0; !prefix_.empty();) {
    const std::size_t dot = prefix_.find('.', pos);
    const std::string_view segment = std::string_view(prefix_).substr(pos, dot - pos);
    const bool number = !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!pattern.empty()) pattern += '.';
    pattern += number ? std::string_view("*") : segment;
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  const auto last_dot = p.key.rfind('.');
  const std::string_view parent =
      last_dot == std::string_view::npos ? std::string_view() : p.key.substr(0, last_dot);
  if (parent != pattern || std::find(types.begin(), types.end(), p.type) == types.end())
    throw std::logic_error("scenario loader: parameter " + std::string(p.key) +
                           " read from table [" + prefix_ + "] or as the wrong type");
  return p.key.substr(last_dot + 1);
}

bool Table::has(const Param& p) const {
  return has(name_of(p, {p.type}));
}

const toml::node* Table::node(const Param& p) {
  return node(name_of(p, {p.type}));
}

void Table::fail(const Param& p, const std::string& message) const {
  fail(name_of(p, {p.type}), message);
}

void Table::fail_missing(const Param& p) const {
  std::string what = params::expected(p);
  if (p.type == params::Type::Shares || p.type == params::Type::Weights)
    what = "a table of " + std::string(p.units);
  else if (p.type == params::Type::Integer && !p.noun.empty())
    what = std::string(p.noun) + ", " + what;  // "the number of beds, an integer from 1 to ..."
  fail_missing(name_of(p, {p.type}), "expected " + what);
}

std::optional<std::string> Table::find_string(const Param& p) {
  const std::string_view name = name_of(p, {params::Type::String, params::Type::Path});
  const toml::node* n = node(name);
  if (!n) {
    if (p.required) fail_missing(p);
    return std::nullopt;
  }
  if (!n->is_string())
    fail(name, "expected " + params::expected(p) + " (got " + describe(*n) + ")");
  const std::string& value = n->as_string()->get();
  if (p.required && value.empty())
    fail(name, "expected " + params::expected(p) + " (got an empty string)");
  return value;
}

std::string Table::string(const Param& p, const std::string& fallback) {
  return find_string(p).value_or(fallback);
}

std::string Table::choice(const Param& p, const std::string& fallback) {
  const std::string_view name = name_of(p, {params::Type::Choice});
  const toml::node* n = node(name);
  if (!n) return fallback;
  const std::vector<std::string> choices = params::choices(p);
  const std::string expected = "expected " + params::expected(p);
  if (!n->is_string()) fail(name, expected + " (got " + describe(*n) + ")");
  const std::string& value = n->as_string()->get();
  if (params::choice_index(p, value) < 0)
    fail(name, expected + " (got " + text::quoted(value) + ")" + did_you_mean(value, choices));
  return value;
}

bool Table::boolean(const Param& p, bool fallback) {
  const std::string_view name = name_of(p, {params::Type::Boolean});
  const toml::node* n = node(name);
  if (!n) return fallback;
  if (!n->is_boolean()) fail(name, "expected true or false (got " + describe(*n) + ")");
  return n->as_boolean()->get();
}

std::optional<std::int64_t> Table::find_integer(const Param& p) {
  const std::string_view name = name_of(p, {params::Type::Integer});
  const toml::node* n = node(name);
  if (!n) return std::nullopt;
  const std::string expected = "expected " + params::expected(p);
  if (!n->is_integer()) fail(name, expected + " (got " + describe(*n) + ")");
  const std::int64_t v = n->as_integer()->get();
  const auto [min, max] = params::integer_range(p);
  if (v < min || v > max) fail(name, expected + " (got " + std::to_string(v) + ")");
  return v;
}

std::int64_t Table::integer(const Param& p, std::int64_t fallback) {
  return find_integer(p).value_or(fallback);
}

std::int64_t Table::integer(const Param& p) {
  if (const auto v = find_integer(p)) return *v;
  if (p.required) fail_missing(p);
  return static_cast<std::int64_t>(p.value);
}

double Table::checked_number(const Param& p, const toml::node& n, const std::string& key) const {
  const std::string expected = "expected " + params::expected(p);
  if (!n.is_number()) ctx_->fail(n.source(), key, expected + " (got " + describe(n) + ")");
  const double v =
      n.is_integer() ? static_cast<double>(n.as_integer()->get()) : n.as_floating_point()->get();
  const auto [min, max] = params::number_range(p);
  if (!std::isfinite(v) || v < min || v > max)
    ctx_->fail(n.source(), key, expected + " (got " + format_number(v) + ")");
  return v;
}

std::optional<double> Table::find_number(const Param& p) {
  const std::string_view name = name_of(p, {params::Type::Number, params::Type::Probability});
  const toml::node* n = node(name);
  if (!n) return std::nullopt;
  return checked_number(p, *n, key(name));
}

double Table::number(const Param& p, double fallback) {
  return find_number(p).value_or(fallback);
}

double Table::number(const Param& p) {
  if (const auto v = find_number(p)) return *v;
  if (p.required) fail_missing(p);
  return p.value;
}

std::optional<Day> Table::find_date(const Param& p, DayRange range) {
  const std::string_view name = name_of(p, {params::Type::Date});
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

Day Table::date(const Param& p, Day fallback, DayRange range) {
  return find_date(p, range).value_or(fallback);
}

std::optional<std::map<std::string, double>> Table::named_numbers(
    const Param& p, const std::vector<std::string>* names, std::string_view what) {
  const std::string_view name = name_of(p, {params::Type::Shares, params::Type::Weights});
  auto sub = table(name);
  if (!sub) {
    if (p.required) fail_missing(p);
    return std::nullopt;
  }
  std::map<std::string, double> out;
  double sum = 0;
  for (const std::string& entry : sub->present_keys()) {
    if (names && std::find(names->begin(), names->end(), entry) == names->end())
      sub->fail(entry, "expected " + std::string(what) + " (got " + text::quoted(entry) + ")" +
                           did_you_mean(entry, *names));
    const toml::node* n = sub->node(entry);
    sum += out[entry] = checked_number(p, *n, sub->key(entry));
  }
  sub->finish();
  // An empty table of optional shares stands for none given (its default applies).
  const bool none = out.empty() && !p.required;
  if (p.type == params::Type::Shares && !none && std::abs(sum - 1.0) > kShareTolerance)
    fail(name, "expected shares summing to 1 (got " + format_number(sum) + ")");
  return out;
}

std::optional<std::vector<double>> Table::numbers(const Param& p) {
  const std::string_view name = name_of(p, {params::Type::Counts, params::Type::ShareList});
  const toml::array* values = array(name);
  if (!values) return std::nullopt;
  const bool shares = p.type == params::Type::ShareList;
  if (shares && values->size() != p.size)
    fail(name, "expected " + std::to_string(p.size) + " values, " + std::string(p.meaning) +
                   " (got " + std::to_string(values->size()) + ")");
  std::vector<double> out;
  double sum = 0;
  for (std::size_t i = 0; i < values->size(); ++i)
    sum += out.emplace_back(checked_number(p, (*values)[i], key(name) + "." + std::to_string(i)));
  if (shares && std::abs(sum - 1.0) > kShareTolerance)
    fail(name, "expected shares summing to 1 (got " + format_number(sum) + ")");
  return out;
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
  if (!valid_utf8(assignment)) override_error(key, "expected UTF-8 text (got invalid bytes)");
  const std::vector<std::string> segments = split_key(key);

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
