#include "geo/csv_table.h"

#include <charconv>
#include <fstream>

#include "base/text.h"
#include "geo/geography.h"

namespace rfsim::geo {
namespace {

// Splits one line into fields (base/text.h), naming the row when a quote is not closed.
std::vector<std::string> split_csv_line(const std::string& line, const std::string& where) {
  try {
    return text::csv_cells(line);
  } catch (const std::invalid_argument& e) {
    throw GeoError(where + ": " + e.what());
  }
}

}  // namespace

CsvTable CsvTable::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw GeoError("geo: " + path + ": cannot open for reading");
  CsvTable table;
  table.path_ = path;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string where = "geo: " + path + ": row " + std::to_string(line_number);
    auto fields = split_csv_line(line, where);
    if (table.header_.empty()) {
      if (fields.front().starts_with("\xEF\xBB\xBF")) fields.front().erase(0, 3);  // UTF-8 BOM
      table.header_ = std::move(fields);
      continue;
    }
    if (fields.size() != table.header_.size()) {
      throw GeoError(where + ": " + std::to_string(fields.size()) + " fields, the header has " +
                     std::to_string(table.header_.size()));
    }
    table.rows_.push_back(std::move(fields));
    table.line_numbers_.push_back(line_number);
  }
  if (table.header_.empty()) throw GeoError("geo: " + path + ": empty file, expected a header");
  return table;
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  throw GeoError("geo: " + path_ + ": no column '" + name + "'");
}

const std::string& CsvTable::text(std::size_t row, std::size_t column) const {
  return rows_.at(row).at(column);
}

double CsvTable::number(std::size_t row, std::size_t column) const {
  const std::string& field = text(row, column);
  double value = 0;
  const char* end = field.data() + field.size();
  const auto [stop, error] = std::from_chars(field.data(), end, value);
  if (field.empty() || error != std::errc() || stop != end) {
    throw GeoError(where(row) + ": " + header_.at(column) + " '" + field + "' is not a number");
  }
  return value;
}

std::string CsvTable::where(std::size_t row) const {
  return "geo: " + path_ + ": row " + std::to_string(line_numbers_.at(row));
}

}  // namespace rfsim::geo
