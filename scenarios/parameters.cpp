// Look-ups and message texts of the parameter dictionary (parameters.h).
#include "scenarios/parameters.h"

#include <cmath>
#include <cstdio>

#include "base/text.h"

namespace rfsim::params {

const Param* find(std::string_view key) {
  for (const Param& p : kTable)
    if (p.key == key) return &p;
  return nullptr;
}

std::vector<std::string> choices(const Param& p) {
  std::vector<std::string> out;
  std::string_view rest = p.choices;
  while (!rest.empty()) {
    const auto bar = rest.find('|');
    out.emplace_back(rest.substr(0, bar));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return out;
}

std::vector<double> default_list(const Param& p) {
  return {p.values.begin(), p.values.end()};
}

std::vector<std::string> default_names(const Param& p) {
  return {p.names.begin(), p.names.end()};
}

std::map<std::string, double> default_shares(const Param& p) {
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < p.names.size() && i < p.values.size(); ++i)
    out[std::string(p.names[i])] = p.values[i];
  return out;
}

std::pair<double, double> number_range(const Param& p) {
  const bool share =
      p.type == Type::Probability || p.type == Type::Shares || p.type == Type::ShareList;
  return share ? std::pair{0.0, 1.0} : std::pair{p.min, p.max};
}

std::pair<std::int64_t, std::int64_t> integer_range(const Param& p) {
  const std::int64_t max = std::isinf(p.max) ? std::numeric_limits<std::int64_t>::max()
                                             : static_cast<std::int64_t>(p.max);
  return {static_cast<std::int64_t>(p.min), max};
}

std::string plain_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  return text::exact_number(v);
}

std::string choice_list(const Param& p, std::string_view quote) {
  std::vector<std::string> quoted;
  for (const std::string& c : choices(p))
    quoted.push_back(std::string(quote) + text::quoted(c) + std::string(quote));
  return text::join_prose(quoted, "or");
}

std::string expected(const Param& p) {
  const std::string noun(p.noun);
  switch (p.type) {
    case Type::Probability:
      return "a probability from 0 to 1";
    case Type::Shares:
    case Type::ShareList:
      return "a share from 0 to 1";
    case Type::Integer: {
      const auto [min, max] = integer_range(p);
      if (max == std::numeric_limits<std::int64_t>::max())
        return min == 0 ? "a non-negative integer" : "an integer >= " + std::to_string(min);
      return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    }
    case Type::Number:
    case Type::Weights:
    case Type::Counts:
      return (noun.empty() ? std::string("a number") : noun) +
             (std::isinf(p.max) ? " >= " + plain_number(p.min)
                                : " from " + plain_number(p.min) + " to " + plain_number(p.max));
    case Type::Choice:
      return choice_list(p, "");
    case Type::Date:
      return "a date \"YYYY-MM-DD\"";
    case Type::Boolean:
      return "true or false";
    case Type::Names:
      return "an array of names";
    case Type::String:
    case Type::Path:
      break;
  }
  return noun.empty() ? std::string("a string") : noun;
}

}  // namespace rfsim::params
