// Exact quantiles and means over replicates (see quantiles.h).
#include "ensemble/quantiles.h"

#include <unistd.h>

#include <algorithm>
#include <array>
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

/// Puts at each position of `ranks` (ascending, distinct, each in [0, last - first)) the
/// value a sort of [first, last) would put there, in about (last - first) x log2(ranks)
/// comparisons: selection (std::nth_element) at the middle rank, then the ranks on either
/// side within their side. The values must not be NaN.
void select_ranks(double* first, double* last, const std::int64_t* ranks, std::size_t count,
                  std::int64_t offset = 0) {
  if (count == 0 || first == last) return;
  const std::size_t middle = count / 2;
  double* at = first + (ranks[middle] - offset);
  std::nth_element(first, at, last);
  select_ranks(first, at, ranks, middle, offset);
  select_ranks(at + 1, last, ranks + middle + 1, count - middle - 1, ranks[middle] + 1);
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

void SeriesStore::append_spilled_block(const Replicate& rep, std::int64_t b,
                                       std::string& out) const {
  const std::int64_t from = rep.offsets[b], to = rep.offsets[b + 1];
  const std::size_t at = out.size();
  out.resize(at + static_cast<size_t>(to - from));
  std::size_t done = 0;
  while (at + done < out.size()) {
    const ssize_t n = pread(fileno(spill_), out.data() + at + done, out.size() - at - done,
                            static_cast<off_t>(rep.file_offset + from) + done);
    if (n <= 0)
      throw std::runtime_error(std::string("cannot read replicates back from a temporary file: ") +
                               (n < 0 ? std::strerror(errno) : "file too short"));
    done += static_cast<std::size_t>(n);
  }
}

namespace {

/// Bytes of a block's replicates gathered per part of the block: about this many at a time,
/// so that the part's values, their cells and their counting sort stay in a core's cache
/// (a whole block of 1,000 replicates is ~60 MB of them, and scattering into that was most
/// of the statistics' time).
constexpr std::int64_t kPartBytes = 96 << 10;

/// Where the decoding of one replicate's block has got to: the next non-zero cell not yet
/// taken (index >= the block's size when there is none).
struct Cursor {
  ByteReader reader{std::string_view()};
  CellValue next{};
};

void advance(Cursor& c, std::int64_t cells) {
  if (c.reader.done()) {
    c.next.index = cells;
    return;
  }
  c.next = next_cell(c.reader, c.next.index);
  if (c.next.index >= cells) throw std::runtime_error("corrupt replicate: a cell past its block");
}

/// select_ranks by counting, for values that are whole numbers of a range not much wider
/// than their count (most cells: counts of people over replicates): one pass for the range,
/// one to count each value, one walk over the counts. The same values at the same ranks.
/// False (nothing done) for any other values.
bool count_ranks(double* v, std::int64_t m, const std::int64_t* ranks, std::size_t count,
                 std::vector<std::uint32_t>& counts) {
  if (m == 0 || count == 0) return false;
  double lo = v[0], hi = v[0];
  for (std::int64_t k = 1; k < m; ++k) {
    lo = std::min(lo, v[k]);
    hi = std::max(hi, v[k]);
  }
  // (0x1p31: whole numbers below it are exact as uint32 offsets)
  if (!(lo >= 0 && hi < 0x1p31 && hi - lo <= 4.0 * static_cast<double>(m) + 256)) return false;
  counts.assign(static_cast<std::size_t>(hi - lo) + 1, 0);
  const auto base = static_cast<std::uint32_t>(lo);
  for (std::int64_t k = 0; k < m; ++k) {
    const auto x = static_cast<std::uint32_t>(v[k]);
    if (static_cast<double>(x) != v[k]) return false;  // not a whole number
    ++counts[x - base];
  }
  std::int64_t below = 0;  // values in the buckets before b
  std::size_t b = 0;
  for (std::size_t r = 0; r < count; ++r) {
    while (below + counts[b] <= ranks[r]) below += counts[b++];
    v[ranks[r]] = static_cast<double>(base + b);
  }
  return true;
}

/// The quantiles and mean of one cell from its m non-zero values v (in replicate order) of
/// n replicates; `positive`: every one of them is above zero (no NaN, no negative value).
void cell_statistics(double* v, std::int64_t m, std::int64_t n, bool positive, double& mean,
                     double* quantiles, std::int64_t stride, std::vector<std::uint32_t>& counts) {
  double sum = 0;
  for (std::int64_t k = 0; k < m; ++k) sum += v[k];
  mean = sum / static_cast<double>(n);
  // The values in order are the negative ones, the n - m zeros, the positive ones and
  // any NaN: the order statistic k is 0 among the zeros, else position j(k) of the
  // non-zero values in order. Only the j the quantiles read are put in place.
  double* numbers_end =
      positive ? v + m : std::partition(v, v + m, [](double x) { return !std::isnan(x); });
  const std::int64_t numbers = numbers_end - v, zeros = n - m,
                     negative = positive
                                    ? 0
                                    : std::count_if(v, numbers_end, [](double x) { return x < 0; });
  auto position = [&](std::int64_t k) { return k < negative ? k : k - zeros; };
  std::array<std::int64_t, 2 * kQuantileCount> ranks;
  std::size_t count = 0;
  for (const double p : kQuantileLevels) {
    const auto lo = static_cast<std::int64_t>(static_cast<double>(n - 1) * p);
    for (std::int64_t k = lo; k <= std::min(lo + 1, n - 1); ++k) {
      if ((k >= negative && k < negative + zeros) || position(k) >= numbers) continue;
      // (ascending, without repeats: with few replicates levels share ranks)
      std::size_t at = count;
      while (at > 0 && ranks[at - 1] > position(k)) --at;
      if (at > 0 && ranks[at - 1] == position(k)) continue;
      std::copy_backward(ranks.begin() + at, ranks.begin() + count, ranks.begin() + count + 1);
      ranks[at] = position(k);
      ++count;
    }
  }
  if (!(positive && count_ranks(v, m, ranks.data(), count, counts)))
    select_ranks(v, numbers_end, ranks.data(), count);
  auto ordered = [&](std::int64_t k) {
    return k >= negative && k < negative + zeros ? 0.0 : v[position(k)];
  };
  for (int l = 0; l < kQuantileCount; ++l)
    quantiles[l * stride] = quantile_of_ordered(n, kQuantileLevels[l], ordered);
}

}  // namespace

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
    std::vector<Cursor> cursors(static_cast<size_t>(n));
    std::vector<std::uint32_t> cell_of;  // per non-zero value of the part, replicate order
    std::vector<double> value_of, by_cell;
    std::vector<std::int64_t> start, fill;
    std::vector<std::uint32_t> counts;  // count_ranks' buckets
    std::string spilled;  // the block's bytes of the replicates kept on disk, one after another
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t b = 0; b < blocks_; ++b) {
      try {
        const std::int64_t c0 = b * kBlockCells, nb = std::min(kBlockCells, cells_ - c0);
        // Every replicate's bytes of the block, and a cursor at its first cell.
        std::int64_t bytes = 0;
        spilled.clear();
        for (const Replicate& rep : replicates_) {
          bytes += rep.offsets[b + 1] - rep.offsets[b];
          if (rep.file_offset >= 0) append_spilled_block(rep, b, spilled);
        }
        std::size_t spilled_at = 0;
        for (std::int64_t r = 0; r < n; ++r) {
          const Replicate& rep = replicates_[r];
          const auto size = static_cast<std::size_t>(rep.offsets[b + 1] - rep.offsets[b]);
          std::string_view block;
          if (rep.file_offset >= 0) {
            block = std::string_view(spilled).substr(spilled_at, size);
            spilled_at += size;
          } else {
            block = std::string_view(rep.bytes).substr(static_cast<size_t>(rep.offsets[b]), size);
          }
          cursors[r].reader = ByteReader(block);
          cursors[r].next.index = -1;
          advance(cursors[r], nb);
        }
        // The block in parts of about kPartBytes of every replicate's bytes.
        const std::int64_t part_cells =
            std::clamp<std::int64_t>(nb * kPartBytes / std::max<std::int64_t>(bytes, 1), 64, nb);
        for (std::int64_t p0 = 0; p0 < nb; p0 += part_cells) {
          const std::int64_t p1 = std::min(nb, p0 + part_cells), np = p1 - p0;
          cell_of.clear();
          value_of.clear();
          start.assign(static_cast<size_t>(np) + 1, 0);
          bool positive = true;
          for (Cursor& c : cursors) {
            while (c.next.index < p1) {
              const auto i = static_cast<std::uint32_t>(c.next.index - p0);
              cell_of.push_back(i);
              value_of.push_back(c.next.value);
              positive &= c.next.value > 0;
              ++start[i + 1];
              advance(c, nb);
            }
          }
          for (std::int64_t i = 0; i < np; ++i) start[i + 1] += start[i];
          // Counting sort by cell; stable, so each cell's values stay in replicate order.
          by_cell.resize(value_of.size());
          fill.assign(start.begin(), start.end() - 1);
          for (size_t k = 0; k < value_of.size(); ++k) by_cell[fill[cell_of[k]]++] = value_of[k];
          for (std::int64_t i = 0; i < np; ++i) {
            const std::int64_t m = start[i + 1] - start[i];
            if (m == 0) continue;  // every replicate 0: quantiles and mean 0
            const std::int64_t cell = c0 + p0 + i;
            cell_statistics(by_cell.data() + start[i], m, n, positive, out.mean[cell],
                            out.quantiles.data() + cell, cells_, counts);
          }
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
