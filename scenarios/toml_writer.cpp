// TOML text of a parsed document: see toml_writer.h.
#include "scenarios/toml_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <tuple>
#include <vector>

#include "base/text.h"

namespace rfsim::scenario_detail {

std::string toml_key(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return bare ? std::string(key) : toml_string(key);
}

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default: {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", u);
          out += buf;
        } else {
          out += c;  // UTF-8 bytes pass through
        }
      }
    }
  }
  return out + "\"";
}

namespace {

std::string float_text(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s = text::exact_number(v);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";  // "3" would read as an integer
  return s;
}

/// Written as a [table] header section (not inline).
bool header_table(const toml::node& n) {
  return n.is_table() && !n.as_table()->is_inline();
}

/// Written as [[array]] sections: a non-empty array of tables, none of them inline.
bool header_array(const toml::node& n) {
  const toml::array* a = n.as_array();
  return a && !a->empty() &&
         std::all_of(a->begin(), a->end(), [](const toml::node& e) { return header_table(e); });
}

/// The entries of a table in the order of their keys in the source file; keys added
/// after parsing (no position, or from --set) last, by name.
std::vector<std::pair<const toml::key*, const toml::node*>> ordered(const toml::table& t) {
  std::vector<std::pair<const toml::key*, const toml::node*>> out;
  for (auto&& [k, v] : t) out.emplace_back(&k, &v);
  auto rank = [](const toml::key& k) {
    const auto& src = k.source();
    const bool placed = src.begin.line > 0 && src.path && *src.path != "--set";
    return std::tuple(placed ? 0 : 1, placed ? src.begin.line : 0u, placed ? src.begin.column : 0u);
  };
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    const auto ra = rank(*a.first), rb = rank(*b.first);
    return ra != rb ? ra < rb : a.first->str() < b.first->str();
  });
  return out;
}

class Writer {
 public:
  std::string out;

  /// Key = value lines, then the [sub.tables] and [[arrays]] below `path`.
  void body(const toml::table& t, const std::string& path) {
    const auto entries = ordered(t);
    for (const auto& [k, v] : entries) {
      if (header_table(*v) || header_array(*v)) continue;
      out += toml_key(k->str()) + " = ";
      value(*v);
      out += "\n";
    }
    for (const auto& [k, v] : entries) {
      const std::string sub = (path.empty() ? "" : path + ".") + toml_key(k->str());
      if (header_table(*v)) {
        section("[" + sub + "]");
        body(*v->as_table(), sub);
      } else if (header_array(*v)) {
        for (const toml::node& element : *v->as_array()) {
          section("[[" + sub + "]]");
          body(*element.as_table(), sub);
        }
      }
    }
  }

 private:
  void section(const std::string& header) {
    if (!out.empty()) out += "\n";
    out += header + "\n";
  }

  /// A value in inline form.
  void value(const toml::node& n) {
    switch (n.type()) {
      case toml::node_type::string:
        out += toml_string(n.as_string()->get());
        break;
      case toml::node_type::integer:
        out += std::to_string(n.as_integer()->get());
        break;
      case toml::node_type::floating_point:
        out += float_text(n.as_floating_point()->get());
        break;
      case toml::node_type::boolean:
        out += n.as_boolean()->get() ? "true" : "false";
        break;
      case toml::node_type::date:
      case toml::node_type::time:
      case toml::node_type::date_time: {
        std::ostringstream text;  // toml++ writes these in TOML syntax
        n.visit([&](const auto& v) { text << v; });
        out += text.str();
        break;
      }
      case toml::node_type::array: {
        out += "[";
        const toml::array& a = *n.as_array();
        for (std::size_t i = 0; i < a.size(); ++i) {
          if (i) out += ", ";
          value(a[i]);
        }
        out += "]";
        break;
      }
      case toml::node_type::table: {
        const auto entries = ordered(*n.as_table());
        out += "{";
        for (std::size_t i = 0; i < entries.size(); ++i) {
          out += i ? ", " : " ";
          out += toml_key(entries[i].first->str()) + " = ";
          value(*entries[i].second);
        }
        out += entries.empty() ? "}" : " }";
        break;
      }
      case toml::node_type::none:
        break;
    }
  }
};

}  // namespace

std::string write_toml(const toml::table& doc) {
  Writer w;
  w.body(doc, "");
  return w.out;
}

}  // namespace rfsim::scenario_detail
