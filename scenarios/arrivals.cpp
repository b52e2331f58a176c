// Daily arrival curves: see arrivals.h.
#include "scenarios/arrivals.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>

#include "base/text.h"
#include "scenarios/toml_reader.h"

namespace rfsim::scenario_detail {

using text::format_number;

using text::trim;

std::vector<double> surge_shape(int horizon, Day start, Day peak, double decay_days) {
  std::vector<double> shape(static_cast<std::size_t>(horizon), 0.0);
  const double rise = peak - start + 1;
  for (Day d = start; d < horizon; ++d)
    shape[d] = d <= peak ? (d - start + 1) / rise : std::exp(-(d - peak) / decay_days);
  return shape;
}

std::vector<double> read_daily_counts(const std::string& path, std::int64_t epoch, int horizon) {
  std::ifstream in(path);
  if (!in)
    throw ScenarioError(path + ": cannot open the arrivals table (" + std::strerror(errno) + ")");
  auto fail = [&](int row, const std::string& message) {
    throw ScenarioError(path + ":" + std::to_string(row) + ": " + message);
  };

  std::vector<double> counts(static_cast<std::size_t>(horizon), 0.0);
  std::map<std::int64_t, int> seen;  // date -> row, to reject duplicates
  std::string line;
  int row = 0;
  bool header = false;
  int data_rows = 0;
  while (std::getline(in, line)) {
    ++row;
    const std::string text = trim(line);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> cells;
    try {
      cells = text::csv_cells(text);
    } catch (const std::invalid_argument& e) {
      fail(row, e.what());
    }
    if (!header) {
      if (cells.size() < 2 || cells[0] != "date" || cells[1] != "count")
        fail(row, "header: expected \"date,count\" (got \"" + text + "\")");
      header = true;
      continue;
    }
    ++data_rows;
    if (cells.size() < 2) fail(row, "expected two columns date,count (got \"" + text + "\")");
    const auto date = parse_iso_date(cells[0]);
    if (!date) fail(row, "date: expected a date YYYY-MM-DD (got \"" + cells[0] + "\")");
    char* end = nullptr;
    const double count = std::strtod(cells[1].c_str(), &end);
    if (cells[1].empty() || *end != '\0' || !std::isfinite(count) || count < 0)
      fail(row, "count: expected a non-negative number (got \"" + cells[1] + "\")");
    if (auto [it, inserted] = seen.emplace(*date, row); !inserted)
      fail(row, "date: expected each date once (got " + cells[0] + " again, first on row " +
                    std::to_string(it->second) + ")");
    const std::int64_t day = *date - epoch;
    if (day >= 0 && day < horizon) counts[static_cast<std::size_t>(day)] = count;
  }
  if (!header) fail(row == 0 ? 1 : row, "expected a header \"date,count\" (got an empty file)");
  if (data_rows == 0) fail(row, "expected rows of date,count after the header (got none)");
  return counts;
}

}  // namespace rfsim::scenario_detail
