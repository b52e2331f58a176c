// The initial-state table (see initial_state.h).
#include "scenarios/initial_state.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>

#include "base/text.h"

namespace rfsim::scenario_detail {

std::optional<InitialGroup::Kind> initial_kind(const std::string& name) {
  for (int k = 0; k < 5; ++k)
    if (name == kInitialStates[k]) return static_cast<InitialGroup::Kind>(k);
  return std::nullopt;
}

const char* initial_state_name(InitialGroup::Kind kind) {
  return kInitialStates[static_cast<int>(kind)];
}

std::string check_initial_group(const InitialGroup& g) {
  using Kind = InitialGroup::Kind;
  const bool is_case = g.kind == Kind::OpenCase || g.kind == Kind::WaitingCase;
  if (g.place.empty()) return "place: expected a facility or district name (got nothing)";
  if (is_case && g.need.empty())
    return "need: expected the need of the " + std::string(initial_state_name(g.kind)) +
           " (mental_health, gbv, child_protection or maternal_care)";
  if (!is_case && !g.need.empty())
    return "need: expected no need for state " + std::string(initial_state_name(g.kind)) +
           " (got " + text::quoted(g.need) + ")";
  const bool quarantined = g.kind == Kind::Quarantine || g.kind == Kind::HomeQuarantine;
  if (!quarantined && g.days_left != 0)
    return "days_left: expected 0 or nothing for state " +
           std::string(initial_state_name(g.kind)) + " (got " + std::to_string(g.days_left) + ")";
  return "";
}

std::vector<InitialGroup> read_initial_table(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw ScenarioError(path + ": cannot open the initial-state table (" + std::strerror(errno) +
                        ")");
  auto fail = [&](int row, const std::string& message) {
    throw ScenarioError(path + ":" + std::to_string(row) + ": " + message);
  };
  auto whole = [&](int row, const std::string& column, const std::string& text, long long max) {
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < 0 || v > max)
      fail(row, column + ": expected a whole number from 0 to " + std::to_string(max) +
                    " (got \"" + text + "\")");
    return v;
  };
  std::map<std::string, std::size_t> column;
  std::vector<InitialGroup> groups;
  std::string line;
  int row = 0;
  while (std::getline(in, line)) {
    ++row;
    const std::string text = text::trim(line);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> cells;
    try {
      cells = text::csv_cells(text);
    } catch (const std::invalid_argument& e) {
      fail(row, e.what());
    }
    if (column.empty()) {
      for (std::size_t c = 0; c < cells.size(); ++c) column[cells[c]] = c;
      for (const char* need : {"state", "place", "count"})
        if (!column.count(need))
          fail(row, "header: expected columns state,place,count[,days_left,need] (got \"" + text +
                        "\")");
      continue;
    }
    auto cell = [&](const char* name) -> std::string {
      const auto it = column.find(name);
      return it == column.end() || it->second >= cells.size() ? "" : cells[it->second];
    };
    InitialGroup g;
    g.row = row;
    const auto kind = initial_kind(cell("state"));
    if (!kind)
      fail(row, "state: expected quarantine, home_quarantine, at_home, open_case or "
                "waiting_case (got \"" + cell("state") + "\")");
    g.kind = *kind;
    g.place = cell("place");
    g.count = whole(row, "count", cell("count"), (1LL << 30) - 1);
    const std::string days = cell("days_left");
    g.days_left = days.empty() ? 0 : static_cast<int>(whole(row, "days_left", days, 365));
    g.need = cell("need");
    if (const std::string problem = check_initial_group(g); !problem.empty()) fail(row, problem);
    groups.push_back(std::move(g));
  }
  if (column.empty()) fail(row == 0 ? 1 : row, "expected a header state,place,count (got an empty file)");
  return groups;
}

}  // namespace rfsim::scenario_detail
