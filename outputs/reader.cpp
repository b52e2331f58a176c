// The results reader and `rfsim info`'s printer (see reader.h).
#include "outputs/reader.h"

#include <iomanip>
#include <system_error>

#include "base/text.h"
#include "outputs/hdf5.h"

namespace fs = std::filesystem;

namespace rfsim::outputs {

ResultsInfo read_info(const fs::path& path_in) {
  using namespace h5;
  fs::path path = path_in;
  std::error_code ec;
  if (fs::is_directory(path, ec)) path /= "results.h5";
  if (!fs::exists(path, ec)) throw OutputError(path.string() + ": no such file");
  QuietErrors quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) throw OutputError(path.string() + ": not an HDF5 file");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
              "open " + path.string());
  if (!has_link(file, "/meta"))
    throw OutputError(path.string() + ": not an rfsim results file (no /meta group)");

  ResultsInfo info;
  Handle meta = open_group(file, "/meta");
  if (!has_attr(meta, "schema_version"))
    throw OutputError(path.string() + ": not an rfsim results file (no schema_version)");
  for (const auto& name : attr_names(meta)) {
    if (name == "scenario_toml")
      info.scenario_toml = read_attr_text(meta, name);
    else
      info.meta[name] = read_attr_text(meta, name);
  }
  if (has_link(file, "/meta/inputs/path") && has_link(file, "/meta/inputs/sha256")) {
    auto paths = read_strings(file, "/meta/inputs/path");
    auto sums = read_strings(file, "/meta/inputs/sha256");
    for (size_t i = 0; i < paths.size() && i < sums.size(); ++i)
      info.inputs.emplace_back(paths[i], sums[i]);
  }
  auto length = [&](const char* p) {
    return has_link(file, p) ? static_cast<int>(read_strings(file, p).size()) : 0;
  };
  info.districts = length("/districts/name");
  if (has_link(file, "/districts/study_area"))
    for (auto f : read_numbers<std::uint8_t>(file, "/districts/study_area"))
      info.study_districts += f ? 1 : 0;
  info.facilities = length("/facilities/name");
  info.entry_points = length("/entry_points/name");

  if (has_link(file, "/series")) {
    Handle series = open_group(file, "/series");
    for (const auto& name : dataset_paths(series)) {
      ResultsInfo::SeriesInfo s;
      s.name = name;
      auto d = dims(series, name);
      s.rows = d.empty() ? 0 : d[0];
      s.columns = d.size() == 2 ? d[1] : 1;
      Handle ds = open_dataset(series, name);
      s.units = has_attr(ds, "units") ? read_attr_text(ds, "units") : "";
      s.row_axis = has_attr(ds, "row_axis") ? read_attr_text(ds, "row_axis") : "";
      s.column_axis = has_attr(ds, "column_axis") ? read_attr_text(ds, "column_axis") : "";
      info.series.push_back(std::move(s));
    }
  }
  if (has_link(file, "/summary")) {
    Handle summary = open_group(file, "/summary");
    for (const auto& name : attr_names(summary)) info.summary[name] = read_attr<double>(summary, name);
  }
  if (has_link(file, "/recommendation/district_name") && has_link(file, "/recommendation/workers")) {
    auto names = read_strings(file, "/recommendation/district_name");
    auto workers = read_numbers<std::int32_t>(file, "/recommendation/workers");
    for (size_t i = 0; i < names.size() && i < workers.size(); ++i)
      info.recommendation.emplace_back(names[i], workers[i]);
  }
  return info;
}

void print_info(const ResultsInfo& info, std::ostream& out) {
  auto meta = [&](const char* key) {
    auto it = info.meta.find(key);
    return it == info.meta.end() ? std::string("?") : it->second;
  };
  out << "scenario     " << meta("scenario_name") << " (" << meta("scenario_path") << ")\n"
      << "created      " << meta("created_utc") << " by rfsim " << meta("rfsim_version")
      << " (commit " << meta("git_commit") << "), schema " << meta("schema_version") << "\n"
      << "run          seed " << meta("seed") << ", replicate " << meta("replicate") << ", "
      << meta("threads") << " thread(s), " << meta("ranks") << " rank(s), " << meta("agents")
      << " agents, " << meta("horizon_days") << " days from " << meta("start_date") << "\n"
      << "geography    " << info.districts << " districts (" << info.study_districts
      << " in the study area), " << info.facilities << " facilities, " << info.entry_points
      << " entry points\n";
  out << "inputs       " << info.inputs.size() << " files checksummed (SHA-256)\n";
  for (const auto& [p, h] : info.inputs) out << "  " << h.substr(0, 16) << "  " << p << "\n";
  out << "series       " << info.series.size() << "\n";
  for (const auto& s : info.series)
    out << "  " << std::left << std::setw(40) << s.name << " [" << s.rows << " " << s.row_axis
        << " x " << s.columns << " " << s.column_axis << "] " << s.units << "\n";
  out << "summary\n";
  for (const auto& [k, v] : info.summary)
    out << "  " << std::left << std::setw(40) << k << " " << text::exact_number(v) << "\n";
  if (!info.recommendation.empty()) {
    out << "recommended additional social workers\n";
    for (const auto& [d, n] : info.recommendation)
      out << "  " << std::setw(40) << d << " " << n << "\n";
  }
}

}  // namespace rfsim::outputs
