// Saltelli design and Sobol indices (see sobol.h).
#include "ensemble/sobol.h"

#include <Random123/philox.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "ensemble/quantiles.h"

namespace rfsim::ensemble {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::uint32_t reverse_bits(std::uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
  x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
  return (x >> 16) | (x << 16);
}

/// Nested uniform (Owen) scrambling of a 32-bit coordinate: Burley, "Practical Hash-based
/// Owen Scrambling", JCGT 9(4), 2020 (the Laine-Karras permutation, improved constants,
/// on the reversed bits: each bit is flipped by a hash of the bits above it).
std::uint32_t owen_scramble(std::uint32_t x, std::uint32_t seed) {
  x = reverse_bits(x);
  x += seed;
  x ^= x * 0x6c50b47cu;
  x ^= x * 0xb82f1e52u;
  x ^= x * 0xc7afe638u;
  x ^= x * 0x8d22f6e6u;
  return reverse_bits(x);
}

/// Indices into 0..n-1 for bootstrap resample `b`: Philox keyed by the seed, counter
/// (b, block); Lemire's multiply-shift maps 32 random bits onto 0..n-1.
class Resampler {
 public:
  Resampler(std::uint64_t seed, std::int64_t n) : n_(static_cast<std::uint64_t>(n)) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  }
  void draw(std::uint32_t b, std::vector<std::int64_t>& out) const {
    r123::Philox4x32 gen;
    for (std::uint64_t k = 0; k < out.size(); k += 4) {
      const r123::Philox4x32::ctr_type c = {{b, static_cast<std::uint32_t>(k / 4), 0x5eed, 0}};
      const auto r = gen(c, key_);
      for (std::uint64_t w = 0; w < 4 && k + w < out.size(); ++w)
        out[k + w] = static_cast<std::int64_t>((static_cast<std::uint64_t>(r[w]) * n_) >> 32);
    }
  }

 private:
  std::uint64_t n_;
  r123::Philox4x32::key_type key_;
};

/// S_i and ST_i (unscaled by V) over the samples `idx`, and V over A and B of those samples.
struct Estimate {
  std::vector<double> first, total;
};
Estimate estimate(const std::vector<double>& values, int k, const std::vector<std::int64_t>& idx) {
  const std::int64_t stride = k + 2;
  const auto n = static_cast<double>(idx.size());
  double sum = 0;
  for (const std::int64_t j : idx)
    for (int m = 0; m < 2; ++m) sum += values[static_cast<size_t>(j * stride + m)];
  const double mean = sum / (2 * n);
  double squares = 0;  // (two passes: no cancellation for large, nearly constant figures)
  for (const std::int64_t j : idx)
    for (int m = 0; m < 2; ++m) {
      const double d = values[static_cast<size_t>(j * stride + m)] - mean;
      squares += d * d;
    }
  const double variance = squares / (2 * n);
  Estimate e{std::vector<double>(k, kNaN), std::vector<double>(k, kNaN)};
  if (!(variance > 0)) return e;
  for (int i = 0; i < k; ++i) {
    double s = 0, t = 0;
    for (const std::int64_t j : idx) {
      const double fa = values[static_cast<size_t>(j * stride)];
      const double fb = values[static_cast<size_t>(j * stride + 1)];
      const double fab = values[static_cast<size_t>(j * stride + 2 + i)];
      s += fb * (fab - fa);
      t += (fa - fab) * (fa - fab);
    }
    e.first[i] = s / n / variance;
    e.total[i] = t / (2 * n) / variance;
  }
  return e;
}

}  // namespace

std::vector<std::vector<double>> scrambled_sobol(int dim, std::int64_t n, std::uint64_t seed) {
  const int most = static_cast<int>(boost::random::default_sobol_table::max_dimension);
  if (dim < 1 || dim > most)
    throw std::invalid_argument("Sobol sequence: dimension " + std::to_string(dim) +
                                " outside 1.." + std::to_string(most) + " (at most " +
                                std::to_string(most / 2) + " parameters)");
  std::vector<std::uint32_t> seeds(static_cast<size_t>(dim));
  for (int d = 0; d < dim; ++d)
    seeds[d] =
        static_cast<std::uint32_t>(splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(d))));
  boost::random::sobol_engine<std::uint32_t, 32> engine(static_cast<std::size_t>(dim));
  std::vector<std::vector<double>> out(static_cast<size_t>(n), std::vector<double>(dim));
  for (std::int64_t p = 0; p < n; ++p)
    for (int d = 0; d < dim; ++d) {
      // Boost's sequence starts at its second point; the first is the zero point.
      const std::uint32_t x = p == 0 ? 0u : engine();
      out[p][d] = (static_cast<double>(owen_scramble(x, seeds[d])) + 0.5) * 0x1p-32;
    }
  return out;
}

std::vector<DesignPoint> saltelli_design(int k, std::int64_t n, std::uint64_t seed) {
  if (k < 1) throw std::invalid_argument("Saltelli design: no parameter");
  if (n < 2) throw std::invalid_argument("Saltelli design: at least 2 samples are needed");
  const auto sobol = scrambled_sobol(2 * k, n, seed);
  std::vector<DesignPoint> out;
  out.reserve(static_cast<size_t>(n * (k + 2)));
  for (std::int64_t j = 0; j < n; ++j) {
    const std::vector<double>& row = sobol[j];
    const std::vector<double> a(row.begin(), row.begin() + k), b(row.begin() + k, row.end());
    out.push_back({j, 0, a});
    out.push_back({j, 1, b});
    for (int i = 0; i < k; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      out.push_back({j, 2 + i, std::move(ab)});
    }
  }
  return out;
}

SobolIndices sobol_indices(const std::vector<double>& values, int k, int bootstrap,
                           double confidence, std::uint64_t seed) {
  const auto stride = static_cast<std::int64_t>(k + 2);
  if (k < 1 || values.empty() || static_cast<std::int64_t>(values.size()) % stride != 0)
    throw std::invalid_argument("Sobol indices: the values do not match a Saltelli design");
  const std::int64_t n = static_cast<std::int64_t>(values.size()) / stride;
  std::vector<std::int64_t> all(static_cast<size_t>(n));
  for (std::int64_t j = 0; j < n; ++j) all[j] = j;
  // The estimators' variance grows with the mean of f (their expectation does not): centre
  // f first, as SALib does.
  const double centre = mean(values);
  std::vector<double> centred(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) centred[i] = values[i] - centre;
  const Estimate point = estimate(centred, k, all);

  SobolIndices out;
  out.first = point.first;
  out.total = point.total;
  std::vector<double> ab;
  for (std::int64_t j = 0; j < n; ++j)
    for (int m = 0; m < 2; ++m) ab.push_back(values[static_cast<size_t>(j * stride + m)]);
  out.mean = mean(ab);
  double ss = 0;
  for (double v : ab) ss += (v - out.mean) * (v - out.mean);
  out.variance = ss / static_cast<double>(ab.size());

  out.first_low = out.first_high = out.total_low = out.total_high = std::vector<double>(k, kNaN);
  if (bootstrap <= 0) return out;
  std::vector<std::vector<double>> first(k), total(k);
  const Resampler resample(seed, n);
  std::vector<std::int64_t> idx(static_cast<size_t>(n));
  for (int b = 0; b < bootstrap; ++b) {
    resample.draw(static_cast<std::uint32_t>(b), idx);
    const Estimate e = estimate(centred, k, idx);
    for (int i = 0; i < k; ++i) {
      first[i].push_back(e.first[i]);
      total[i].push_back(e.total[i]);
    }
  }
  const double lo = (1 - confidence) / 2, hi = (1 + confidence) / 2;
  auto bound = [](std::vector<double> v, double p) {
    std::erase_if(v, [](double x) { return std::isnan(x); });
    if (v.empty()) return kNaN;
    std::sort(v.begin(), v.end());
    return quantile_of_ordered(static_cast<std::int64_t>(v.size()), p,
                               [&](std::int64_t q) { return v[static_cast<size_t>(q)]; });
  };
  for (int i = 0; i < k; ++i) {
    out.first_low[i] = bound(first[i], lo);
    out.first_high[i] = bound(first[i], hi);
    out.total_low[i] = bound(total[i], lo);
    out.total_high[i] = bound(total[i], hi);
  }
  return out;
}

}  // namespace rfsim::ensemble
