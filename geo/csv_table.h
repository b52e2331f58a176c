// A small reader for the CSV inputs of the geo module (NIS village points, project
// tables): RFC 4180 quoting on one line per row, errors that name file, row and column.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rfsim::geo {

class CsvTable {
 public:
  /// Reads the whole file; the first non-empty line is the header. Throws GeoError when the
  /// file cannot be read, a quote is not closed or a row has the wrong number of fields.
  static CsvTable read(const std::string& path);

  const std::string& path() const { return path_; }
  std::size_t row_count() const { return rows_.size(); }
  /// Position of a header column; throws GeoError "path: no column 'name'".
  std::size_t column(const std::string& name) const;
  const std::string& column_name(std::size_t column) const { return header_.at(column); }
  const std::string& text(std::size_t row, std::size_t column) const;
  /// The field as a number; throws GeoError "path: row N: COLUMN 'x' is not a number".
  double number(std::size_t row, std::size_t column) const;
  /// "path: row N" (N counts file lines, header = 1, as spreadsheets do) for messages.
  std::string where(std::size_t row) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<int> line_numbers_;
};

}  // namespace rfsim::geo
