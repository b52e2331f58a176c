// Observed counts and the model's value of each (see observed.h).
#include "ensemble/observed.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <stdexcept>

#include "base/text.h"
#include "sim/agents.h"
#include "sim/report.h"
#include "scenarios/toml_reader.h"

namespace rfsim::ensemble {

namespace {

/// The cells of one CSV line (base/text.h); `fail` on an open quote.
template <typename Fail>
std::vector<std::string> fields(const std::string& line, int number, Fail&& fail) {
  std::vector<std::string> out;
  try {
    out = text::csv_cells(line);
  } catch (const std::invalid_argument& e) {
    fail(number, e.what());
  }
  return out;
}

/// The labels of a series' columns, by its column axis.
std::vector<std::string> column_labels(const sim::Series& s, const sim::RunResult& r,
                                       const geo::Geography& g) {
  std::vector<std::string> labels;
  if (s.column_axis == "facility") return r.facility_names;
  if (s.column_axis == "entry_point") return r.entry_point_names;
  if (s.column_axis == sim::axis::Group)
    return {std::begin(sim::group::kLabels), std::end(sim::group::kLabels)};
  if (s.column_axis == "district")
    for (int d = 0; d < g.size(); ++d) labels.push_back(g.display_name(d));
  return labels;
}

}  // namespace

std::vector<Observation> read_observed(const std::string& path, const Scenario& scenario,
                                       const geo::Geography& g, const sim::RunResult& probe) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the observations file");
  auto fail = [&](int line, const std::string& what) {
    throw std::runtime_error(path + ":" + std::to_string(line) + ": " + what);
  };
  std::string line;
  int number = 0;
  std::map<std::string, std::size_t> at;  // column name -> index
  while (at.empty() && std::getline(in, line)) {
    ++number;
    if (text::trim(line).empty()) continue;
    const auto header = fields(line, number, fail);
    for (std::size_t i = 0; i < header.size(); ++i) at[header[i]] = i;
    for (const char* need : {"date", "series", "column", "value"})
      if (!at.count(need))
        fail(number, std::string("expected a header naming the columns date, series, column and "
                                 "value (no '") +
                         need + "')");
  }
  if (at.empty()) fail(number, "expected a header row date,series,column,value (empty file)");
  const auto epoch = scenario_detail::parse_iso_date(scenario.start_date);
  if (!epoch) throw std::runtime_error("the scenario has no start date to place observations");
  auto day_of = [&](const std::string& text, int line) {
    const auto d = scenario_detail::parse_iso_date(text);
    if (!d) fail(line, "date: expected YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD (got '" + text + "')");
    const std::int64_t day = *d - *epoch;
    if (day < 0 || day >= scenario.horizon_days)
      fail(line, "date: " + text + " lies outside the scenario's " +
                     std::to_string(scenario.horizon_days) + " days from " + scenario.start_date);
    return static_cast<int>(day);
  };

  std::vector<Observation> out;
  while (std::getline(in, line)) {
    ++number;
    if (text::trim(line).empty()) continue;
    const auto f = fields(line, number, fail);
    auto field = [&](const char* name) {
      const std::size_t i = at[name];
      return i < f.size() ? f[i] : std::string();
    };
    Observation o;
    o.line = number;
    o.date = field("date");
    o.series = field("series");
    o.column = field("column");
    const std::string value = field("value");
    const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), o.value);
    if (value.empty() || ec != std::errc() || p != value.data() + value.size() ||
        !std::isfinite(o.value))
      fail(number, "value: expected a number (got '" + value + "')");
    if (at.count("statistic")) {
      const std::string statistic = field("statistic");
      if (statistic == "mean")
        o.mean = true;
      else if (!statistic.empty() && statistic != "sum")
        fail(number, "statistic: expected \"sum\" or \"mean\" (got '" + statistic + "')");
    }
    const sim::Series* s = probe.find(o.series);
    if (!s) fail(number, "series: no series '" + o.series + "' (see outputs/SCHEMA.md)");
    const std::size_t slash = o.date.find('/');
    int first = day_of(o.date.substr(0, slash), number);
    int last = slash == std::string::npos ? first : day_of(o.date.substr(slash + 1), number);
    if (last < first) fail(number, "date: the range ends before it starts");
    const int step = s->row_axis == "week" ? 7 : 1;
    o.first = first / step;
    o.last = std::min(last / step, s->rows - 1);
    if (o.column == "total" && s->column_axis == sim::axis::Group) {
      o.columns = {sim::group::Men, sim::group::Women};  // woman_headed is a part of women
    } else if (o.column == "total") {
      for (int c = 0; c < s->columns; ++c) o.columns.push_back(c);
    } else {
      const std::vector<std::string> labels = column_labels(*s, probe, g);
      std::size_t from = 0;
      while (from <= o.column.size()) {
        const std::size_t plus = std::min(o.column.find('+', from), o.column.size());
        const std::string label = text::trim(o.column.substr(from, plus - from));
        int c = -1;
        for (std::size_t k = 0; k < labels.size(); ++k)
          if (labels[k] == label) c = static_cast<int>(k);
        if (c < 0 && s->column_axis == "district") c = g.find(label);
        if (c < 0)
          fail(number, "column: '" + label + "' is not a " + s->column_axis + " of " + o.series +
                           (labels.empty() ? " (its only column is 'total')"
                            : text::nearest(label, labels).empty()
                                ? ""
                                : " (did you mean '" + text::nearest(label, labels) + "'?)"));
        o.columns.push_back(c);
        from = plus + 1;
      }
    }
    out.push_back(std::move(o));
  }
  if (out.empty()) fail(number, "no observations after the header");
  return out;
}

std::vector<double> simulated(const sim::RunResult& r, const std::vector<Observation>& obs) {
  std::vector<double> out;
  out.reserve(obs.size());
  for (const Observation& o : obs) {
    const sim::Series* s = r.find(o.series);
    if (!s) throw std::runtime_error("a run lacks the series '" + o.series + "'");
    double sum = 0;
    for (int row = o.first; row <= o.last; ++row)
      for (const int c : o.columns) sum += s->at(row, c);
    out.push_back(o.mean ? sum / (o.last - o.first + 1) : sum);
  }
  return out;
}

}  // namespace rfsim::ensemble
