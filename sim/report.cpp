// Series and summary figures handed over by the units (see report.h).
#include "sim/report.h"

#include <stdexcept>

namespace rfsim::sim {

Series& Report::add(Series s) {
  if (out_.find(s.name)) throw std::logic_error("series '" + s.name + "' reported twice");
  out_.series.push_back(std::move(s));
  return out_.series.back();
}

Series& Report::series(const std::string& name, const std::string& units,
                       const std::string& description, const std::string& row_axis,
                       const std::string& column_axis, int rows, int columns) {
  Series s{name, units, description, row_axis, column_axis, rows, columns, {}};
  s.values.assign(static_cast<size_t>(rows) * columns, 0.0);
  return add(std::move(s));
}

const Series& Report::daily(const Grid& g, const std::string& name, const std::string& units,
                            const std::string& description, const std::string& column_axis,
                            int rows) {
  const int r = rows < 0 ? g.rows : rows;
  Series s{name, units, description, "day", column_axis, r, g.cols, {}};
  // (converted as they are copied: no pass of zeros first, the bulk of a run's series)
  s.values.assign(g.v.begin(), g.v.begin() + static_cast<std::ptrdiff_t>(r) * g.cols);
  return add(std::move(s));
}

void Report::figure(const std::string& name, double value, const std::string& units,
                    const std::string& description) {
  if (!out_.summary.emplace(name, value).second)
    throw std::logic_error("summary figure '" + name + "' reported twice");
  out_.summary_info[name] = {units, description};
}

void group_shares(Report& out, const std::string& prefix, const Series& counts, const Grid& of,
                  const std::string& what) {
  static constexpr const char* kWho[group::Count] = {"men", "women",
                                                     "women heading a household"};
  for (int g = 0; g < group::Count; ++g) {
    double n = 0;
    for (int d = 0; d < of.rows; ++d) n += static_cast<double>(of.at(d, g));
    out.figure(prefix + "." + group::kLabels[g], n > 0 ? column_sum(counts, g) / n : 0.0, "share",
               std::string("Share of returning ") + kWho[g] + " " + what + ".");
  }
}

double column_sum(const Series& s, int c) {
  double t = 0;
  for (int r = 0; r < s.rows; ++r) t += s.at(r, c);
  return t;
}

double total_sum(const Series& s) {
  double t = 0;
  for (double v : s.values) t += v;
  return t;
}

}  // namespace rfsim::sim
