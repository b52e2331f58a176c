// Counter-based random streams for the agent model: every draw is a pure function of
// (seed, replicate) and (agent id, day, purpose, sub), so results never depend on the
// order of evaluation or on the number of threads. Philox4x32-10 from Random123.
#pragma once

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <vector>

namespace rfsim::sim {

/// What a draw is for: the third counter word, so two purposes never share numbers.
enum class Purpose : std::uint32_t {
  Attributes = 1,  ///< sex, age band, pregnancy, children
  Attributes2,     ///< GBV risk, mental health, disability, woman-headed household
  Place,           ///< entry point, home district, package kind
  Infection,       ///< infected at arrival, stage, symptomatic, latent period
  Infection2,      ///< infectious period
  EntryTest,       ///< entry test, informal detection
  Intake,          ///< needs identified at quarantine intake (sub = need)
  ExitTest,        ///< test at release
  Transmission,    ///< infection inside a facility
  Course,          ///< course of an infection acquired in a facility
  Remigration,     ///< re-migration delay at home arrival
  RemigrationPkg,  ///< fresh re-migration delay after a package
  Identification,  ///< need identified at home (sub = need)
  CaseLength,      ///< case duration (sub = need; a host member's: id = its number in its
                   ///< district, day = the district, sub = need + 4)
  IsolationTest,   ///< test before release from isolation
  Referral,        ///< identified need referred to a social worker (sub = need + 4 x channel)
  Initial,         ///< returnees already there on day 0: days left, package kind
  Information,     ///< reached at entry (sub 0), in a facility (1); home-quarantine compliance (2)
};

/// 4 x 32 random bits per call.
using Bits = std::array<std::uint32_t, 4>;

/// The draws of up to kLanes agents for one purpose, made side by side by Streams::block:
/// agent j's word w is word[w][j], bit for bit what Streams::operator() gives that agent.
struct DrawBlock {
  static constexpr int kLanes = 8;
  alignas(32) std::uint32_t word[4][kLanes];
  Bits operator[](int j) const { return {word[0][j], word[1][j], word[2][j], word[3][j]}; }
};

namespace detail {
/// Philox4x32-10 of the counters (ids[j], day, purpose, sub) for j < kLanes under `key`:
/// one at a time, and eight at a time in AVX2 registers (for processors that have it).
void philox_block_scalar(const std::uint32_t* key, const std::uint32_t* ids, std::uint32_t day,
                         std::uint32_t purpose, std::uint32_t sub, DrawBlock& out);
void philox_block_avx2(const std::uint32_t* key, const std::uint32_t* ids, std::uint32_t day,
                       std::uint32_t purpose, std::uint32_t sub, DrawBlock& out);
/// Whether this processor runs philox_block_avx2 (checked once).
bool has_avx2();
}  // namespace detail

/// Philox4x32-10 keyed by (seed, replicate); counter = (id, day, purpose, sub).
class Streams {
 public:
  using Gen = r123::Philox4x32;
  Streams(std::uint64_t seed, int replicate) {
    key_ = {{static_cast<std::uint32_t>(seed),
             static_cast<std::uint32_t>(seed >> 32) ^
                 (0x9E3779B9u * (static_cast<std::uint32_t>(replicate) + 1u))}};
  }
  Bits operator()(std::uint32_t id, std::uint32_t day, Purpose purpose,
                  std::uint32_t sub = 0) const {
    Gen gen;
    Gen::ctr_type ctr = {{id, day, static_cast<std::uint32_t>(purpose), sub}};
    Gen::ctr_type r = gen(ctr, key_);
    return {r[0], r[1], r[2], r[3]};
  }
  /// The draws of agents ids[0..kLanes-1] for one purpose: the same bits as operator() for
  /// each, about three times faster a draw where the processor has AVX2 (a loop over the
  /// agents makes its draws a block at a time, padding the last block with any ids).
  void block(const std::uint32_t (&ids)[DrawBlock::kLanes], std::uint32_t day, Purpose purpose,
             std::uint32_t sub, DrawBlock& out) const {
    static const bool avx2 = detail::has_avx2();
    const auto p = static_cast<std::uint32_t>(purpose);
    if (avx2)
      detail::philox_block_avx2(key_.v, ids, day, p, sub, out);
    else
      detail::philox_block_scalar(key_.v, ids, day, p, sub, out);
  }

 private:
  Gen::key_type key_;
};

/// Calls body(k, id, bits) for each k in [lo, hi) in order, with id = id_of(k) and bits[p] =
/// rng(id, day, purposes[p], sub): the same draws as one at a time, made a block of agents
/// at a time (Streams::block). For loops that draw for every agent they visit.
template <std::size_t N, class IdOf, class Body>
void for_each_draw(const Streams& rng, std::int64_t lo, std::int64_t hi, IdOf&& id_of,
                   std::uint32_t day, const std::array<Purpose, N>& purposes, std::uint32_t sub,
                   Body&& body) {
  constexpr int L = DrawBlock::kLanes;
  std::uint32_t ids[L] = {};
  DrawBlock blocks[N];
  for (std::int64_t k0 = lo; k0 < hi; k0 += L) {
    const int n = static_cast<int>(std::min<std::int64_t>(L, hi - k0));
    for (int j = 0; j < n; ++j) ids[j] = id_of(k0 + j);
    for (std::size_t p = 0; p < N; ++p) rng.block(ids, day, purposes[p], sub, blocks[p]);
    for (int j = 0; j < n; ++j) {
      std::array<Bits, N> bits;
      for (std::size_t p = 0; p < N; ++p) bits[p] = blocks[p][j];
      body(k0 + j, ids[j], bits);
    }
  }
}

/// The same for one purpose: body(k, id, bits).
template <class IdOf, class Body>
void for_each_draw(const Streams& rng, std::int64_t lo, std::int64_t hi, IdOf&& id_of,
                   std::uint32_t day, Purpose purpose, std::uint32_t sub, Body&& body) {
  for_each_draw(rng, lo, hi, id_of, day, std::array{purpose}, sub,
                [&](std::int64_t k, std::uint32_t id, const std::array<Bits, 1>& bits) {
                  body(k, id, bits[0]);
                });
}

/// Uniform in [0,1) from 32 bits.
inline double uniform32(std::uint32_t x) {
  return x * 0x1p-32;
}
/// Uniform in [0,1) from 53 bits of two words.
inline double uniform53(std::uint32_t hi, std::uint32_t lo) {
  return static_cast<double>((static_cast<std::uint64_t>(hi) << 21) | (lo >> 11)) * 0x1p-53;
}
inline bool bernoulli(double u, double p) {
  return u < p;
}
/// Exponential with the given mean from a uniform in [0,1).
inline double exponential(double u, double mean) {
  return -mean * std::log1p(-u);
}

/// A daily probability p of an event, log(1 - p) worked out once, so that a draw of the
/// days until the event takes one logarithm rather than two (the same days, bit for bit).
class DailyChance {
 public:
  DailyChance() = default;
  explicit DailyChance(double p) : p_(p), log_stay_(p > 0 && p < 1 ? std::log1p(-p) : 0.0) {}
  /// The chance that makes durations of the given mean: p = 1/mean (1 when mean <= 1).
  static DailyChance of_mean(double mean) { return DailyChance(mean <= 1 ? 1.0 : 1.0 / mean); }

  /// Whole days until the event (>= 1; the discrete exponential, mean 1/p) from a uniform u
  /// in [0, 1); p <= 0 gives INT_MAX (never).
  int days(double u) const {
    if (p_ >= 1) return 1;
    if (!(p_ > 0)) return INT_MAX;
    // (k >= 0, so truncation is its floor: the same days as std::floor, which without SSE
    // 4.1 costs a dozen instructions)
    const double k = std::log1p(-u) / log_stay_;
    return k >= 1e9 ? INT_MAX : 1 + static_cast<int>(k);
  }

 private:
  double p_ = 0, log_stay_ = 0;
};

/// A categorical draw over fixed cumulative weights cum[0..n-1] (non-decreasing, total =
/// cum[n-1] > 0): draw(u) is the first i with u x total < cum[i] (n - 1 if there is none),
/// so zero-weight categories are never drawn. Found fast, with a guide table of K (a power
/// of two, at least 4n) entries: for the draws u in [j/K, (j+1)/K) it holds the number of
/// cum[0..n-2] at or below (j/K) x total, which every such draw has at least (u >= j/K,
/// so u x total >= (j/K) x total, rounding being monotone); the search goes on from there
/// one weight at a time, usually not at all. (A binary search mispredicted a branch at
/// every halving and made the home-district draw over 197 districts the costliest line
/// of the arrivals.)
class CumulativeTable {
 public:
  CumulativeTable() = default;
  /// `cum` non-decreasing with cum.back() > 0 (at least one weight).
  explicit CumulativeTable(std::vector<double> cum) : cum_(std::move(cum)) {
    const auto n = static_cast<int>(cum_.size());
    int scale = 1;
    while (scale < 4 * n) scale *= 2;
    guide_.resize(static_cast<size_t>(scale));
    const double total = cum_.back();
    int below = 0;  // cum[0..n-2] at or below the bucket's floor
    for (int j = 0; j < scale; ++j) {
      const double floor = (static_cast<double>(j) / scale) * total;
      while (below < n - 1 && cum_[below] <= floor) ++below;
      guide_[j] = below;
    }
  }
  /// u in [0, 1].
  int draw(double u) const {
    const double x = u * cum_.back();
    const int last = static_cast<int>(cum_.size()) - 1;
    const auto scale = static_cast<double>(guide_.size());
    int i = guide_[std::min(static_cast<size_t>(u * scale), guide_.size() - 1)];  // (u = 1 too)
    while (i < last && cum_[i] <= x) ++i;
    return i;
  }

 private:
  std::vector<double> cum_;
  std::vector<int> guide_;  ///< K entries
};

}  // namespace rfsim::sim
