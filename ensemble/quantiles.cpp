// Exact quantiles and means over replicates (see quantiles.h).
#include "ensemble/quantiles.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "ensemble/codec.h"

namespace rfsim::ensemble {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Sorts ascending with any NaN last (a NaN would break std::sort's ordering).
void sort_nan_last(std::vector<double>& v) {
  const auto numbers = std::partition(v.begin(), v.end(), [](double x) { return !std::isnan(x); });
  std::sort(v.begin(), numbers);
}

/// An unlinked temporary file in $TMPDIR (else /tmp): gone when closed or when the
/// process ends, however it ends.
std::FILE* open_spill_file() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/rfsim-ensemble-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0)
    throw std::runtime_error(
        path + ": cannot create a temporary file for replicates: " + std::strerror(errno));
  unlink(path.c_str());
  std::FILE* f = fdopen(fd, "w+b");
  if (!f) {
    close(fd);
    throw std::runtime_error("cannot open a temporary file for replicates");
  }
  return f;
}

}  // namespace

std::vector<double> quantiles(std::vector<double> values) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  std::vector<double> out(kQuantileCount, kNaN);
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  const auto n = static_cast<std::int64_t>(values.size());
  for (int l = 0; l < kQuantileCount; ++l)
    out[l] = quantile_of_ordered(n, kQuantileLevels[l],
                                 [&](std::int64_t k) { return values[static_cast<size_t>(k)]; });
  return out;
}

double mean(std::span<const double> values) {
  double sum = 0;
  std::int64_t n = 0;
  for (double v : values)
    if (!std::isnan(v)) sum += v, ++n;
  return n ? sum / static_cast<double>(n) : kNaN;
}

SeriesStore::SeriesStore(std::int64_t cells, std::int64_t replicates, std::size_t memory_budget)
    : cells_(cells),
      blocks_(block_count(cells)),
      budget_(memory_budget),
      replicates_(static_cast<size_t>(replicates)),
      added_(static_cast<size_t>(replicates), false) {
  if (cells < 0 || replicates <= 0) throw std::invalid_argument("SeriesStore: no replicates");
}

SeriesStore::~SeriesStore() {
  if (spill_) std::fclose(spill_);
}

void SeriesStore::add(std::int64_t r, std::string encoded) {
  if (r < 0 || r >= static_cast<std::int64_t>(replicates_.size()) || added_[r])
    throw std::logic_error("SeriesStore: replicate " + std::to_string(r) +
                           " out of range or added twice");
  Replicate& rep = replicates_[r];
  rep.offsets = block_offsets(encoded, blocks_);
  if (in_memory_ + encoded.size() <= budget_) {
    in_memory_ += encoded.size();
    rep.bytes = std::move(encoded);
  } else {
    if (!spill_) spill_ = open_spill_file();
    rep.file_offset = static_cast<std::int64_t>(on_disk_);
    if (std::fwrite(encoded.data(), 1, encoded.size(), spill_) != encoded.size() ||
        std::fflush(spill_) != 0)
      throw std::runtime_error(std::string("cannot write replicates to a temporary file: ") +
                               std::strerror(errno));
    on_disk_ += encoded.size();
  }
  added_[r] = true;
}

std::string_view SeriesStore::block_bytes(const Replicate& rep, std::int64_t b,
                                          std::string& out) const {
  const std::int64_t from = rep.offsets[b], to = rep.offsets[b + 1];
  if (rep.file_offset < 0)
    return std::string_view(rep.bytes).substr(static_cast<size_t>(from),
                                              static_cast<size_t>(to - from));
  out.resize(static_cast<size_t>(to - from));
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = pread(fileno(spill_), out.data() + done, out.size() - done,
                            static_cast<off_t>(rep.file_offset + from) + done);
    if (n <= 0)
      throw std::runtime_error(std::string("cannot read replicates back from a temporary file: ") +
                               (n < 0 ? std::strerror(errno) : "file too short"));
    done += static_cast<std::size_t>(n);
  }
  return out;
}

SeriesStore::Summary SeriesStore::summarize(int threads) const {
  for (bool added : added_)
    if (!added) throw std::logic_error("SeriesStore::summarize before every replicate came");
  const auto n = static_cast<std::int64_t>(replicates_.size());
  Summary out;
  out.quantiles.assign(static_cast<size_t>(kQuantileCount * cells_), 0.0);
  out.mean.assign(static_cast<size_t>(cells_), 0.0);
  std::string error;

#pragma omp parallel num_threads(std::max(1, threads))
  {
    std::vector<std::uint32_t> cell_of;  // per non-zero value of the block, replicate order
    std::vector<double> value_of, sorted;
    std::vector<std::int64_t> start;
    std::string buffer;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t b = 0; b < blocks_; ++b) {
      try {
        const std::int64_t c0 = b * kBlockCells, nb = std::min(kBlockCells, cells_ - c0);
        cell_of.clear();
        value_of.clear();
        if (cell_of.capacity() == 0) {  // (the first block's guess: what the first replicate has)
          const std::size_t guess = static_cast<std::size_t>(
              (replicates_[0].offsets[b + 1] - replicates_[0].offsets[b]) / 2 * n);
          cell_of.reserve(guess);
          value_of.reserve(guess);
        }
        start.assign(static_cast<size_t>(nb) + 1, 0);
        for (const Replicate& rep : replicates_) {
          decode_block(block_bytes(rep, b, buffer), [&](std::int64_t i, double v) {
            if (i >= nb) throw std::runtime_error("corrupt replicate: a cell past its block");
            cell_of.push_back(static_cast<std::uint32_t>(i));
            value_of.push_back(v);
            ++start[i + 1];
          });
        }
        for (std::int64_t i = 0; i < nb; ++i) start[i + 1] += start[i];
        // Counting sort by cell; stable, so each cell's values stay in replicate order.
        std::vector<double> by_cell(value_of.size());
        std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
        for (size_t k = 0; k < value_of.size(); ++k) by_cell[fill[cell_of[k]]++] = value_of[k];
        for (std::int64_t i = 0; i < nb; ++i) {
          const std::int64_t m = start[i + 1] - start[i];
          if (m == 0) continue;  // every replicate 0: quantiles and mean 0
          const double* v = by_cell.data() + start[i];
          double sum = 0;
          for (std::int64_t k = 0; k < m; ++k) sum += v[k];
          out.mean[c0 + i] = sum / static_cast<double>(n);
          sorted.assign(v, v + m);
          sort_nan_last(sorted);
          // The n - m zeros sit between the negative and the other values.
          const std::int64_t negative =
              std::find_if(sorted.begin(), sorted.end(), [](double x) { return !(x < 0); }) -
              sorted.begin();
          const std::int64_t zeros = n - m;
          auto ordered = [&](std::int64_t k) {
            if (k < negative) return sorted[k];
            if (k < negative + zeros) return 0.0;
            return sorted[k - zeros];
          };
          for (int l = 0; l < kQuantileCount; ++l)
            out.quantiles[l * cells_ + c0 + i] =
                quantile_of_ordered(n, kQuantileLevels[l], ordered);
        }
      } catch (const std::exception& e) {
#pragma omp critical(rfsim_series_store_error)
        if (error.empty()) error = e.what();
      }
    }
  }
  if (!error.empty()) throw std::runtime_error(error);
  return out;
}

}  // namespace rfsim::ensemble
