// What the files of every study share (see study_file.h).
#include "ensemble/study_file.h"

#include "ensemble/quantiles.h"
#include "outputs/csv_tables.h"
#include "outputs/hdf5.h"
#include "outputs/provenance.h"
#include "sim/engine.h"

namespace rfsim::ensemble {

outputs::h5::Handle write_study_meta(hid_t file, const char* file_type, const Study& study,
                                     const OutputOptions& options) {
  using namespace outputs::h5;
  const auto inputs = outputs::input_checksums(study.scenario(), study.geography());
  Handle meta = create_group(file, "meta");
  write_attr(meta, "file_type", file_type);
  write_attr(meta, "schema_version", kStudySchemaVersion);
  outputs::write_meta_provenance(meta, study.scenario(), inputs, options.threads, options.ranks);
  return meta;
}

void write_figures(hid_t file, const FigureTable& table, const std::vector<hsize_t>& shape,
                   bool statistics) {
  using namespace outputs::h5;
  const hsize_t per_group = shape.back();
  const std::vector<hsize_t> groups_shape(shape.begin(), shape.end() - 1);
  const hsize_t groups = static_cast<hsize_t>(table.runs()) / per_group;
  auto describe = [&](Handle& ds, const std::string& name) {
    const sim::FigureInfo info = table.info(name);
    write_attr(ds, "units", info.units);
    write_attr(ds, "description", info.description);
  };
  for (const std::string& name : table.names()) {
    const std::vector<double>& values = table.values(name);
    Handle ds = write_array(file, "summary/" + name, shape, values.data());
    describe(ds, name);
    if (!statistics) continue;
    std::vector<double> q, m;
    for (hsize_t g = 0; g < groups; ++g) {
      const auto first = values.begin() + static_cast<std::ptrdiff_t>(g * per_group);
      const std::vector<double> group(first, first + static_cast<std::ptrdiff_t>(per_group));
      const std::vector<double> gq = quantiles(group);
      q.insert(q.end(), gq.begin(), gq.end());
      m.push_back(mean(group));
    }
    std::vector<hsize_t> qshape = groups_shape;
    qshape.push_back(kQuantileCount);
    Handle qs = write_array(file, "summary_quantiles/" + name, qshape, q.data());
    describe(qs, name);
    Handle ms = write_array(file, "summary_mean/" + name, groups_shape, m.data());
    describe(ms, name);
  }
}

outputs::h5::Handle write_ranges(hid_t file, const std::vector<ParamRange>& ranges) {
  using namespace outputs::h5;
  std::vector<std::string> keys;
  std::vector<double> low, high;
  std::vector<std::uint8_t> integer;
  for (const ParamRange& p : ranges) {
    keys.push_back(p.key);
    low.push_back(p.low);
    high.push_back(p.high);
    integer.push_back(p.integer ? 1 : 0);
  }
  Handle group = create_group(file, "parameters");
  write_dataset(group, "key", keys);
  write_dataset(group, "low", low);
  write_dataset(group, "high", high);
  write_dataset(group, "integer", integer);
  return group;
}

std::string csv(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += outputs::csv_field(fields[i]);
    }
    out += '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out;
}

void write_study_dir(const OutputOptions& options,
                     const std::vector<std::pair<std::string, std::string>>& files) {
  outputs::StagedDir staged(options.dir, options.force, options.notice);
  for (const auto& [name, bytes] : files) {
    if (options.stop && options.stop->load()) throw sim::Interrupted();
    outputs::write_file(staged.path() / name, bytes);
  }
  if (options.stop && options.stop->load()) throw sim::Interrupted();
  staged.commit();
}

std::string study_image(const std::string& name, const std::function<void(hid_t file)>& fill) {
  try {
    const std::vector<char> image = outputs::h5::file_image(name, fill);
    return std::string(image.begin(), image.end());
  } catch (const outputs::OutputError& e) {
    throw outputs::OutputError(name + ": " + e.what());
  }
}

}  // namespace rfsim::ensemble
