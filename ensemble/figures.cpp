// The figures of a run and their table over a study (see figures.h).
#include "ensemble/figures.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace rfsim::ensemble {

namespace {

struct Derived {
  std::map<std::string, double> values;
  std::map<std::string, sim::FigureInfo> info;
};

Derived derived(const sim::RunResult& r) {
  Derived out;
  const sim::Series* over = r.find("quarantine/over_capacity");
  if (!over || over->columns != static_cast<int>(r.facility_names.size())) return out;
  double most_days = 0, longest = 0;
  for (int f = 0; f < over->columns; ++f) {
    double days = 0, spell = 0;
    for (int d = 0; d < over->rows; ++d) {
      const bool full = over->at(d, f) > 0;
      days += full;
      spell = full ? spell + 1 : 0;
      longest = std::max(longest, spell);
    }
    most_days = std::max(most_days, days);
    const std::string name = kDaysOverCapacityPrefix + r.facility_names[f];
    out.values[name] = days;
    out.info[name] = {
        "days", "Days facility '" + r.facility_names[f] + "' was full and turned a returnee away."};
  }
  out.values[kDaysOverCapacityMax] = most_days;
  out.info[kDaysOverCapacityMax] = {
      "days", "Most days any one facility was full and turned a returnee away."};
  out.values[kSpellOverCapacityMax] = longest;
  out.info[kSpellOverCapacityMax] = {
      "days", "Longest run of consecutive days one facility was full and turned returnees away."};
  return out;
}

}  // namespace

std::map<std::string, double> run_figures(const sim::RunResult& r) {
  std::map<std::string, double> out = r.summary;
  out.merge(derived(r).values);
  return out;
}

std::map<std::string, sim::FigureInfo> run_figure_info(const sim::RunResult& r) {
  std::map<std::string, sim::FigureInfo> out = r.summary_info;
  out.merge(derived(r).info);
  return out;
}

void write_figures(ByteWriter& w, const sim::RunResult& r, bool with_info) {
  const auto figures = run_figures(r);
  w.varint(figures.size());
  for (const auto& [name, value] : figures) {
    w.text(name);
    w.number(value);
  }
  w.varint(with_info ? 1 : 0);
  if (!with_info) return;
  const auto info = run_figure_info(r);
  w.varint(info.size());
  for (const auto& [name, i] : info) {
    w.text(name);
    w.text(i.units);
    w.text(i.description);
  }
}

std::string figure_bytes(const sim::RunResult& r, std::int64_t job) {
  ByteWriter w;
  write_figures(w, r, job == 0);
  return w.take();
}

void FigureTable::read(std::int64_t run, const std::string& bytes) {
  ByteReader r(bytes);
  read(run, r);
}

void FigureTable::read(std::int64_t run, ByteReader& r) {
  if (run < 0 || run >= runs_) throw std::logic_error("FigureTable: run out of range");
  const std::uint64_t n = r.varint();
  for (std::uint64_t k = 0; k < n; ++k) {
    std::string name = r.text();
    const double value = r.number();
    auto [it, added] = values_.try_emplace(std::move(name));
    if (added)
      it->second.assign(static_cast<size_t>(runs_), std::numeric_limits<double>::quiet_NaN());
    it->second[static_cast<size_t>(run)] = value;
  }
  if (r.varint() == 0) return;
  const std::uint64_t m = r.varint();
  for (std::uint64_t k = 0; k < m; ++k) {
    std::string name = r.text();
    sim::FigureInfo i;
    i.units = r.text();
    i.description = r.text();
    info_[std::move(name)] = std::move(i);
  }
}

std::vector<std::string> FigureTable::names() const {
  std::vector<std::string> out;
  for (const auto& [name, v] : values_) out.push_back(name);
  return out;
}

const std::vector<double>& FigureTable::values(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw std::out_of_range("no figure '" + name + "' in the study");
  return it->second;
}

sim::FigureInfo FigureTable::info(const std::string& name) const {
  auto it = info_.find(name);
  return it == info_.end() ? sim::FigureInfo{} : it->second;
}

}  // namespace rfsim::ensemble
