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

/// What the rank placers below reuse from one cell to the next.
struct RankScratch {
  std::vector<std::uint32_t> counts;  ///< per value (count_ranks) or per bucket (bucket_ranks)
  std::vector<std::uint32_t> bucket;  ///< bucket_ranks: each value's bucket
  std::vector<std::int32_t> group;    ///< bucket_ranks: per bucket, its group of wanted ranks or -1
  std::vector<double> values;         ///< bucket_ranks: the values of the wanted buckets
};

/// select_ranks by counting, for values that are whole numbers of a range not much wider
/// than their count (most cells: counts of people over replicates): one pass to count each
/// value, one walk over the counts. `lo` and `hi` are the least and greatest value. The
/// same values at the same ranks. False (nothing done) for any other values.
bool count_ranks(double* v, std::int64_t m, double lo, double hi, const std::int64_t* ranks,
                 std::size_t count, RankScratch& s) {
  if (m == 0 || count == 0) return false;
  // (0x1p31: whole numbers below it are exact as uint32 offsets)
  if (!(lo >= 0 && hi < 0x1p31 && hi - lo <= 4.0 * static_cast<double>(m) + 256)) return false;
  s.counts.assign(static_cast<std::size_t>(hi - lo) + 1, 0);
  const auto base = static_cast<std::uint32_t>(lo);
  for (std::int64_t k = 0; k < m; ++k) {
    const auto x = static_cast<std::uint32_t>(v[k]);
    if (static_cast<double>(x) != v[k]) return false;  // not a whole number
    ++s.counts[x - base];
  }
  std::int64_t below = 0;  // values in the buckets before b
  std::size_t b = 0;
  for (std::size_t r = 0; r < count; ++r) {
    while (below + s.counts[b] <= ranks[r]) below += s.counts[b++];
    v[ranks[r]] = static_cast<double>(base + b);
  }
  return true;
}

/// select_ranks for any values (not NaN) whose range [lo, hi] has a finite width, in a
/// few passes instead of a selection's mispredicted comparisons: each value goes to one of
/// m buckets of equal width over the range (a bucket's values are all below the next
/// bucket's, since x -> (x - lo) x scale rounds monotonically), the buckets are counted,
/// the buckets that hold the wanted ranks are found by walking the counts, and only their
/// values (about one a bucket) are selected. The same values at the same ranks. False
/// (nothing done) when the width or the scale is not finite.
bool bucket_ranks(double* v, std::int64_t m, double lo, double hi, const std::int64_t* ranks,
                  std::size_t count, RankScratch& s) {
  if (m == 0 || count == 0) return true;
  if (lo == hi) {
    for (std::size_t r = 0; r < count; ++r) v[ranks[r]] = lo;
    return true;
  }
  const double scale = static_cast<double>(m) / (hi - lo);
  if (!std::isfinite(hi - lo) || !std::isfinite(scale)) return false;
  const auto buckets = static_cast<std::size_t>(m);
  const auto last = static_cast<std::uint32_t>(buckets - 1);
  s.counts.assign(buckets, 0);
  s.bucket.resize(buckets);
  if (s.group.size() < buckets) s.group.resize(buckets, -1);
  for (std::int64_t k = 0; k < m; ++k) {
    const auto b = std::min(last, static_cast<std::uint32_t>((v[k] - lo) * scale));
    s.bucket[static_cast<std::size_t>(k)] = b;
    ++s.counts[b];
  }
  // The wanted buckets in order, each with its first rank and where its values will go.
  struct Group {
    std::uint32_t bucket;
    std::int64_t below;  ///< values in the buckets before it
    std::size_t at;      ///< its values' place in s.values
    std::size_t first_rank, end_rank;
  };
  std::array<Group, 2 * kQuantileCount> groups;
  std::size_t group_count = 0, gathered = 0;
  {
    std::int64_t below = 0;
    std::uint32_t b = 0;
    for (std::size_t r = 0; r < count; ++r) {
      while (below + s.counts[b] <= ranks[r]) below += s.counts[b++];
      if (group_count > 0 && groups[group_count - 1].bucket == b) {
        groups[group_count - 1].end_rank = r + 1;
        continue;
      }
      groups[group_count] = {b, below, gathered, r, r + 1};
      s.group[b] = static_cast<std::int32_t>(group_count++);
      gathered += s.counts[b];
    }
  }
  s.values.resize(gathered);
  std::array<std::size_t, 2 * kQuantileCount> fill;
  for (std::size_t g = 0; g < group_count; ++g) fill[g] = groups[g].at;
  for (std::int64_t k = 0; k < m; ++k) {
    const std::int32_t g = s.group[s.bucket[static_cast<std::size_t>(k)]];
    if (g >= 0) s.values[fill[static_cast<std::size_t>(g)]++] = v[k];
  }
  // Every wanted bucket's ranks within it; v is written only now that it has been read.
  std::array<std::int64_t, 2 * kQuantileCount> within;
  for (std::size_t g = 0; g < group_count; ++g) {
    const Group& group = groups[g];
    double* first = s.values.data() + group.at;
    for (std::size_t r = group.first_rank; r < group.end_rank; ++r)
      within[r] = ranks[r] - group.below;
    select_ranks(first, first + s.counts[group.bucket], within.data() + group.first_rank,
                 group.end_rank - group.first_rank);
    s.group[group.bucket] = -1;
  }
  for (std::size_t g = 0; g < group_count; ++g)
    for (std::size_t r = groups[g].first_rank; r < groups[g].end_rank; ++r)
      v[ranks[r]] = s.values[groups[g].at + static_cast<std::size_t>(within[r])];
  return true;
}

struct SumAndRange {
  double sum, lo, hi;
};
/// The sum of [first, last) in order, its least and its greatest value (first != last).
/// (Its own function: inlined into cell_statistics, GCC kept lo and hi in memory.)
[[gnu::noinline]] SumAndRange sum_and_range(const double* first, const double* last) {
  double sum = 0, lo = *first, hi = *first;
  for (; first != last; ++first) {
    const double x = *first;
    sum += x;
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  return {sum, lo, hi};
}

/// The quantiles and mean of one cell from its m non-zero values v (in replicate order) of
/// n replicates.
void cell_statistics(double* v, std::int64_t m, std::int64_t n, double& mean, double* quantiles,
                     std::int64_t stride, RankScratch& scratch) {
  // The sum in replicate order, and (when no value is NaN) the range on the way.
  const SumAndRange all = sum_and_range(v, v + m);
  mean = all.sum / static_cast<double>(n);
  double lo = all.lo, hi = all.hi;
  // Every value above zero (a NaN would have made the sum NaN; as the first value it
  // leaves lo NaN).
  const bool positive = lo > 0 && !std::isnan(all.sum);
  // The values in order are the negative ones, the n - m zeros, the positive ones and
  // any NaN: the order statistic k is 0 among the zeros, else position j(k) of the
  // non-zero values in order. Only the j the quantiles read are put in place.
  double* numbers_end =
      positive ? v + m : std::partition(v, v + m, [](double x) { return !std::isnan(x); });
  const std::int64_t numbers = numbers_end - v, zeros = n - m,
                     negative = positive
                                    ? 0
                                    : std::count_if(v, numbers_end, [](double x) { return x < 0; });
  if (!positive && numbers > 0) {  // (the range above may have met a NaN)
    const SumAndRange finite = sum_and_range(v, numbers_end);
    lo = finite.lo;
    hi = finite.hi;
  }
  auto position = [&](std::int64_t k) { return k < negative ? k : k - zeros; };
  std::array<std::int64_t, 2 * kQuantileCount> ranks;
  std::size_t count = 0;
  for (const double p : kQuantileLevels) {
    const auto lo_rank = static_cast<std::int64_t>(static_cast<double>(n - 1) * p);
    for (std::int64_t k = lo_rank; k <= std::min(lo_rank + 1, n - 1); ++k) {
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
  if (!(positive && count_ranks(v, m, lo, hi, ranks.data(), count, scratch)) &&
      !bucket_ranks(v, numbers, lo, hi, ranks.data(), count, scratch))
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
    RankScratch scratch;
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
          for (Cursor& c : cursors) {
            while (c.next.index < p1) {
              const auto i = static_cast<std::uint32_t>(c.next.index - p0);
              cell_of.push_back(i);
              value_of.push_back(c.next.value);
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
            cell_statistics(by_cell.data() + start[i], m, n, out.mean[cell],
                            out.quantiles.data() + cell, cells_, scratch);
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
