// CSV tables (see csv_tables.h).
#include "outputs/csv_tables.h"

#include <map>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "base/text.h"
#include "outputs/error.h"
#include "outputs/results_dir.h"
#include "sim/agents.h"
#include "sim/report.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

/// District labels unique across Cambodia: the shapeName, or "Name (Province)" when two
/// districts share a name (Samraong).
std::vector<std::string> district_labels(const geo::Geography& g) {
  std::map<std::string, int> count;
  for (const auto& d : g.districts) ++count[d.name];
  std::vector<std::string> out;
  for (const auto& d : g.districts)
    out.push_back(count[d.name] > 1 ? d.name + " (" + d.province + ")" : d.name);
  return out;
}

std::vector<std::string> column_labels(const sim::Series& s, const geo::Geography& g,
                                       const sim::RunResult& r) {
  std::vector<std::string> labels;
  if (s.column_axis == "district" && s.columns == g.size())
    labels = district_labels(g);
  else if (s.column_axis == "facility" && s.columns == static_cast<int>(r.facility_names.size()))
    labels = r.facility_names;
  else if (s.column_axis == "entry_point" &&
           s.columns == static_cast<int>(r.entry_point_names.size()))
    labels = r.entry_point_names;
  else if (s.column_axis == sim::axis::Group && s.columns == sim::group::Count)
    labels.assign(std::begin(sim::group::kLabels), std::end(sim::group::kLabels));
  else if (s.columns == 1)
    labels = {s.column_axis.empty() ? std::string("value") : s.column_axis};
  else
    for (int j = 0; j < s.columns; ++j) labels.push_back(s.column_axis + "_" + std::to_string(j));
  return labels;
}

}  // namespace

void write_csv_tables(const fs::path& dir, const Scenario& scenario, const geo::Geography& g,
                      const sim::RunResult& r, const std::atomic<bool>* stop) {
  using text::exact_number;
  {
    std::ostringstream o;
    o << "index,code,name,province,population,area_km2,study_area\n";
    for (int i = 0; i < g.size(); ++i) {
      const auto& d = g.districts[i];
      o << i << ',' << csv_field(d.code) << ',' << csv_field(d.name) << ',' << csv_field(d.province)
        << ',' << exact_number(d.population) << ',' << exact_number(d.area_km2) << ','
        << (d.study_area ? 1 : 0) << '\n';
    }
    write_file(dir / "districts.csv", o.str());
  }
  {
    std::ostringstream o;
    o << "figure,value\n";
    for (const auto& [k, v] : r.summary) o << csv_field(k) << ',' << exact_number(v) << '\n';
    write_file(dir / "summary.csv", o.str());
  }
  {
    std::ostringstream o;
    o << "rank,district_index,district,province,additional_workers\n";
    int rank = 1;
    for (const auto& [d, n] : r.worker_recommendation) {
      bool ok = d >= 0 && d < g.size();
      o << rank++ << ',' << d << ',' << csv_field(ok ? g.districts[d].name : "") << ','
        << csv_field(ok ? g.districts[d].province : "") << ',' << n << '\n';
    }
    write_file(dir / "recommendation.csv", o.str());
  }
  for (const auto& s : r.series) {
    if (stop && stop->load()) throw sim::Interrupted();
    fs::path path = dir / "series" / (s.name + ".csv");
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
      throw OutputError(path.parent_path().string() + ": cannot create directory: " + ec.message());
    std::ostringstream o;
    const int step = s.row_axis == "week" ? 7 : 1;
    const bool dated = !scenario.start_date.empty();
    o << csv_field(s.row_axis.empty() ? std::string("row") : s.row_axis);
    if (dated) o << ",date";
    for (const auto& label : column_labels(s, g, r)) o << ',' << csv_field(label);
    o << '\n';
    for (int i = 0; i < s.rows; ++i) {
      o << i;
      if (dated) {
        std::string date;
        try {
          date = scenario.date_of(i * step);
        } catch (const std::exception&) {
        }
        o << ',' << date;
      }
      for (int j = 0; j < s.columns; ++j) o << ',' << exact_number(s.at(i, j));
      o << '\n';
    }
    write_file(path, o.str());
  }
}

}  // namespace rfsim::outputs
