// Small text helpers (see text.h).
#include "base/text.h"

#include <charconv>
#include <sstream>

namespace rfsim::text {

std::string quoted(std::string_view s) {
  std::string out(1, '"');
  out.append(s);
  out.push_back('"');
  return out;
}

std::string single_quoted(std::string_view s) {
  std::string out(1, '\'');
  out.append(s);
  out.push_back('\'');
  return out;
}

std::string join_prose(const std::vector<std::string>& items, std::string_view conjunction) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) {
      if (i + 1 == items.size()) {
        out += ' ';
        out.append(conjunction);
        out += ' ';
      } else {
        out += ", ";
      }
    }
    out += items[i];
  }
  return out;
}

std::string format_number(double v) {
  std::ostringstream out;
  out.precision(12);
  out << v;
  return out.str();
}

std::string exact_number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "nan";
  return std::string(buf, end);
}

std::string trim(std::string_view s, std::string_view chars) {
  const auto first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(chars);
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace rfsim::text
