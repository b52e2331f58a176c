// Scenario keys over a range (see ranges.h).
#include "ensemble/ranges.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "base/text.h"
#include "scenarios/parameters.h"

namespace rfsim::ensemble {

namespace {

/// The dictionary entry of a concrete key: numeric parts of the key stand for the `*` of
/// arrays of tables ("facilities.2.capacity" -> "facilities.*.capacity"); a key below a
/// table of names ("services.deployed.Malai") has the entry of that table.
const params::Param* entry_of(const std::string& key) {
  std::string pattern;
  std::size_t at = 0;
  while (at <= key.size()) {
    const std::size_t dot = std::min(key.find('.', at), key.size());
    const std::string part = key.substr(at, dot - at);
    const bool index = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!pattern.empty()) pattern += '.';
    pattern += index ? "*" : part;
    at = dot + 1;
  }
  if (const params::Param* p = params::find(pattern)) return p;
  const std::size_t last = pattern.rfind('.');
  return last == std::string::npos ? nullptr : params::find(pattern.substr(0, last));
}

double number(const std::string& text, const std::string& what, const std::string& given) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end || !std::isfinite(v))
    throw std::invalid_argument("--param " + given + ": the " + what + " '" + text +
                                "' is not a number");
  return v;
}

}  // namespace

double ParamRange::at(double u) const {
  const double v = low + u * (high - low);
  return integer ? std::round(v) : v;
}

std::string ParamRange::override_for(double value) const {
  if (integer) return key + "=" + std::to_string(std::llround(value));
  return key + "=" + text::exact_number(value);
}

ParamRange parse_range(const std::string& text) {
  const std::size_t eq = text.find('=');
  const std::size_t colon = eq == std::string::npos ? eq : text.find(':', eq);
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos)
    throw std::invalid_argument("--param " + text + ": expected key=low:high, e.g. " +
                                "arrivals.total=40000:80000");
  ParamRange r;
  r.key = text.substr(0, eq);
  r.low = number(text.substr(eq + 1, colon - eq - 1), "low end", text);
  r.high = number(text.substr(colon + 1), "high end", text);
  if (!(r.low < r.high))
    throw std::invalid_argument("--param " + text + ": the low end must be below the high end");
  if (const params::Param* p = entry_of(r.key)) {
    using params::Type;
    switch (p->type) {
      case Type::Integer:
        r.integer = true;
        break;
      case Type::Number:
      case Type::Probability:
      case Type::Weights:
      case Type::Shares:
      case Type::Counts:
        break;
      default:
        throw std::invalid_argument("--param " + text + ": " + r.key +
                                    " is not a number (it takes " + params::expected(*p) + ")");
    }
    if (r.integer && (r.low != std::round(r.low) || r.high != std::round(r.high)))
      throw std::invalid_argument("--param " + text + ": " + r.key +
                                  " takes whole numbers; give whole ends");
  }
  return r;
}

std::vector<std::string> overrides_at(const std::vector<ParamRange>& ranges,
                                      const std::vector<double>& u) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranges.size(); ++i)
    out.push_back(ranges[i].override_for(ranges[i].at(u[i])));
  return out;
}

}  // namespace rfsim::ensemble
