// The assumptions behind a run (see assumptions.h): the stored scenario's keys matched to
// the parameter dictionary.
#include "outputs/assumptions.h"

#include <toml++/toml.h>

#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "scenarios/parameters.h"
#include "scenarios/scenario.h"

namespace rfsim::outputs {
namespace {

using params::Param;
using params::Type;

std::string number_text(double v) {
  return params::plain_number(v);
}

/// A value as the briefing shows it: strings plain, numbers as people write them, tables
/// as "name = value, ...", arrays in brackets.
std::string value_text(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return number_text(static_cast<double>(i->get()));
  if (const auto* f = node.as_floating_point()) return number_text(f->get());
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* d = node.as_date()) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(d->get().year),
                  static_cast<int>(d->get().month), static_cast<int>(d->get().day));
    return text;
  }
  if (const auto* t = node.as_table()) {
    std::string out;
    for (const auto& [k, v] : *t) out += (out.empty() ? "" : ", ") + std::string(k.str()) + " = " + value_text(v);
    return out;
  }
  if (const auto* a = node.as_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < a->size(); ++i) out += (i ? ", " : "") + value_text((*a)[i]);
    return out + "]";
  }
  return "";
}

std::optional<double> number_of(const toml::node& node) {
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* b = node.as_boolean()) return b->get() ? 1.0 : 0.0;
  return std::nullopt;
}

bool near(double a, double b) {
  return std::fabs(a - b) <= 1e-12 * std::max(1.0, std::fabs(b));
}

/// The dictionary's default in words.
std::string default_text(const Param& p) {
  if (!p.default_doc.empty()) {
    std::string doc(p.default_doc);
    std::erase(doc, '`');
    return doc;
  }
  if (p.required) return "none (required)";
  switch (p.type) {
    case Type::Boolean:
      return p.value != 0 ? "true" : "false";
    case Type::Integer:
    case Type::Number:
    case Type::Probability:
      return number_text(p.value);
    case Type::String:
    case Type::Path:
    case Type::Choice:
      return p.text.empty() ? "none" : std::string(p.text);
    case Type::Names: {
      std::string out;
      for (const auto& n : params::default_names(p)) out += (out.empty() ? "" : ", ") + n;
      return "[" + out + "]";
    }
    case Type::Shares: {
      std::string out;
      for (const auto& [n, v] : params::default_shares(p))
        out += (out.empty() ? "" : ", ") + n + " = " + number_text(v);
      return out;
    }
    case Type::ShareList: {
      std::string out;
      for (double v : params::default_list(p)) out += (out.empty() ? "" : ", ") + number_text(v);
      return "[" + out + "]";
    }
    default:
      return "none";
  }
}

/// True when `node` holds the dictionary's constant default (false where there is none).
bool is_default(const Param& p, const toml::node& node) {
  if (!p.default_doc.empty() || p.required) return false;
  switch (p.type) {
    case Type::Boolean:
    case Type::Integer:
    case Type::Number:
    case Type::Probability: {
      const auto v = number_of(node);
      return v && near(*v, p.value);
    }
    case Type::String:
    case Type::Path:
    case Type::Choice:
      return node.is_string() && node.as_string()->get() == p.text;
    case Type::Names: {
      const auto* a = node.as_array();
      if (!a) return false;
      std::vector<std::string> names;
      for (const auto& n : *a) names.push_back(n.value_or(std::string()));
      return names == params::default_names(p);
    }
    case Type::Shares: {
      const auto* t = node.as_table();
      if (!t) return false;
      const auto expected = params::default_shares(p);
      if (t->size() != expected.size()) return false;
      for (const auto& [k, v] : *t) {
        const auto it = expected.find(std::string(k.str()));
        const auto got = number_of(v);
        if (it == expected.end() || !got || std::fabs(*got - it->second) > 1e-6) return false;
      }
      return true;
    }
    case Type::ShareList: {
      const auto* a = node.as_array();
      const auto expected = params::default_list(p);
      if (!a || a->size() != expected.size()) return false;
      for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto got = number_of((*a)[i]);
        if (!got || !near(*got, expected[i])) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

bool is_assumption(const Param& p) {
  return p.source.starts_with("ASSUMPTION") &&
         p.source.find("changes no result") == std::string_view::npos;
}

Assumption row(const Param& p, std::string key, std::string where, std::string value) {
  return {std::move(key), std::move(where), std::move(value), default_text(p),
          std::string(p.units), std::string(p.meaning), std::string(p.source)};
}

class Walker {
 public:
  Assumptions result;
  /// Patterns of the keys given ("facilities.*.capacity") with the elements that gave them.
  std::map<std::string, std::set<std::string>> given;
  /// Elements of each array of tables ("facilities" -> names), for keys they leave out.
  std::map<std::string, std::vector<std::string>> elements;

  void walk(const toml::table& table, const std::string& key, const std::string& pattern,
            const std::string& where) {
    for (const auto& [k, node] : table) {
      const std::string name(k.str());
      const std::string child_key = key + name, child_pattern = pattern + name;
      const toml::array* array = node.as_array();
      const bool array_of_tables = array && !array->empty() && array->is_array_of_tables();
      // No dictionary value is an array of tables: [[facilities]], [[policy]],
      // [[infection.prevalence]] steps (a number otherwise) are walked element by element.
      if (array_of_tables) {
        auto& names = elements[child_pattern];
        for (std::size_t i = 0; i < array->size(); ++i) {
          const toml::table& element = *(*array)[i].as_table();
          std::string element_name = element["name"].value_or(std::string());
          if (element_name.empty()) element_name = name + " " + std::to_string(i + 1);
          names.push_back(element_name);
          walk(element, child_key + "." + std::to_string(i) + ".", child_pattern + ".*.",
               element_name);
        }
        continue;
      }
      if (const Param* p = params::find(child_pattern)) {
        given[child_pattern].insert(where);
        if (params::leaf(*p) == "name" && child_pattern.find('*') != std::string::npos) continue;
        if (is_default(*p, node)) {
          if (is_assumption(*p)) result.assumed.push_back(row(*p, child_key, where, value_text(node)));
        } else {
          result.changed.push_back(row(*p, child_key, where, value_text(node)));
        }
        continue;
      }
      if (const auto* sub = node.as_table()) walk(*sub, child_key + ".", child_pattern + ".", where);
    }
  }

  /// ASSUMPTION defaults of keys the scenario leaves out.
  void left_out() {
    for (const Param& p : params::kTable) {
      if (!is_assumption(p)) continue;
      const std::string pattern(p.key);
      const auto star = pattern.rfind(".*.");
      if (star == std::string::npos) {
        if (!given.contains(pattern)) result.assumed.push_back(row(p, pattern, "", default_text(p)));
        continue;
      }
      const auto found = elements.find(pattern.substr(0, star));
      if (found == elements.end()) continue;
      std::string where;
      const auto& gave = given[pattern];
      for (const std::string& element : found->second)
        if (!gave.contains(element)) where += (where.empty() ? "" : ", ") + element;
      if (!where.empty()) result.assumed.push_back(row(p, pattern, where, default_text(p)));
    }
  }
};

/// The rows of one element of an array of tables ("facilities.2.capacity", ...) as one
/// row: key "facilities", the values as "capacity = 1500, district = Paoy Paet", the
/// sources of its keys.
std::vector<Assumption> by_element(std::vector<Assumption> rows) {
  std::vector<Assumption> out;
  std::map<std::pair<std::string, std::string>, std::size_t> row_of;  // (array, element)
  for (Assumption& a : rows) {
    const auto dot = a.key.find('.');
    const bool element = !a.where.empty() && dot != std::string::npos &&
                         a.key.size() > dot + 1 && std::isdigit(static_cast<unsigned char>(a.key[dot + 1]));
    if (!element) {
      out.push_back(std::move(a));
      continue;
    }
    const std::string array = a.key.substr(0, dot);
    const std::string leaf = a.key.substr(a.key.rfind('.') + 1);
    const auto [it, fresh] = row_of.try_emplace({array, a.where}, out.size());
    if (fresh) {
      out.push_back({array, a.where, leaf + " = " + a.value, "", "", "", a.source});
      continue;
    }
    Assumption& row = out[it->second];
    row.value += ", " + leaf + " = " + a.value;
    if (row.source.find(a.source) == std::string::npos) row.source += "; " + a.source;
  }
  return out;
}

/// Every value of a document by dotted key ("facilities.2.capacity"), tables of values
/// (shares, weights) and arrays as one value.
void flatten(const toml::table& table, const std::string& prefix,
             std::map<std::string, std::string>& out) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix + std::string(k.str());
    const toml::array* array = node.as_array();
    if (array && !array->empty() && array->is_array_of_tables()) {
      for (std::size_t i = 0; i < array->size(); ++i)
        flatten(*(*array)[i].as_table(), key + "." + std::to_string(i) + ".", out);
    } else if (node.is_table() && !params::find(key)) {
      flatten(*node.as_table(), key + ".", out);
    } else {
      out[key] = value_text(node);
    }
  }
}

std::map<std::string, std::string> flattened(std::string_view text) {
  std::map<std::string, std::string> out;
  try {
    flatten(toml::parse(text), "", out);
  } catch (const toml::parse_error&) {
  }
  return out;
}

}  // namespace

std::vector<std::string> scenario_differences(std::string_view a, std::string_view b,
                                              const std::string& a_label) {
  const auto va = flattened(a), vb = flattened(b);
  std::set<std::string> keys;
  for (const auto& [k, v] : va) keys.insert(k);
  for (const auto& [k, v] : vb) keys.insert(k);
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    if (key == "run.name" || key == "run.description") continue;
    const auto ia = va.find(key), ib = vb.find(key);
    const std::string in_a = ia == va.end() ? "not set" : ia->second;
    const std::string in_b = ib == vb.end() ? "not set" : ib->second;
    if (in_a != in_b) out.push_back(key + " = " + in_b + " (" + a_label + ": " + in_a + ")");
  }
  return out;
}

Assumptions scenario_assumptions(std::string_view scenario_toml) {
  Walker walker;
  toml::table doc;
  try {
    doc = toml::parse(scenario_toml);
  } catch (const toml::parse_error& e) {
    walker.result.problem = "the stored scenario is not TOML: " + std::string(e.description());
    return walker.result;
  }
  try {
    (void)load_scenario_text(scenario_toml, "stored scenario");
    walker.result.reloaded = true;
  } catch (const std::exception& e) {
    walker.result.problem = e.what();
  }
  walker.walk(doc, "", "", "");
  walker.left_out();
  walker.result.changed = by_element(std::move(walker.result.changed));
  return walker.result;
}

}  // namespace rfsim::outputs
