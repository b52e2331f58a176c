// The draws of sim/random.h against their definitions.
#include <catch2/catch.hpp>

#include <climits>
#include <cmath>
#include <random>
#include <vector>

#include "sim/random.h"

using namespace rfsim::sim;

namespace {

/// CumulativeTable::draw's definition, by the plain binary search: the first i with
/// u * total < cum[i], searched in [0, n-1] so that n - 1 comes out when there is none.
int first_above(const std::vector<double>& cum, double u) {
  const double x = u * cum.back();
  int lo = 0, hi = static_cast<int>(cum.size()) - 1;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (x < cum[mid])
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/// DailyChance::days's definition: 1 + floor(log(1 - u) / log(1 - p)) days, at most 1e9 (else
/// never), 1 when p >= 1, never when p <= 0.
int days_by_definition(double p, double u) {
  if (p >= 1) return 1;
  if (!(p > 0)) return INT_MAX;
  const double k = std::floor(std::log1p(-u) / std::log1p(-p));
  return k >= 1e9 ? INT_MAX : 1 + static_cast<int>(k);
}

}  // namespace

TEST_CASE("DailyChance: the discrete exponential's days, as defined", "[sim][random]") {
  std::mt19937 gen(7);
  for (const double p : {1.0, 2.0, 0.0, -0.1, 0.5, 1.0 / 30, 1e-3, 1e-9, 1e-300, 0.999999}) {
    INFO("p = " << p);
    const DailyChance chance(p);
    // The edges of u (0, the last draw below 1, whole days' boundaries), then many draws.
    std::vector<double> us = {0.0, uniform32(0xFFFFFFFFu), uniform32(1), 0.5};
    if (p > 0 && p < 1)
      for (int k = 1; k <= 5; ++k) us.push_back(-std::expm1(k * std::log1p(-p)));
    for (int n = 0; n < 20000; ++n) us.push_back(uniform32(static_cast<std::uint32_t>(gen())));
    for (const double u : us) {
      INFO("u = " << u);
      REQUIRE(chance.days(u) == days_by_definition(p, u));
    }
  }
}

TEST_CASE("CumulativeTable: the first cumulative weight above the draw, zero weights never drawn",
          "[sim][random]") {
  std::mt19937_64 gen(20261126);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 4000; ++trial) {
    const int n = 1 + trial % 200;
    std::vector<double> cum(n);
    double s = 0;
    for (double& c : cum) {
      const double w = unit(gen) < 0.3 ? 0.0 : unit(gen) * (trial % 7 == 0 ? 1e6 : 1.0);
      c = s += w;
    }
    if (!(cum.back() > 0)) cum.back() = 1;  // (a total above zero, as the callers ensure)
    const CumulativeTable table(cum);
    for (int k = 0; k < 50; ++k) {
      // Uniform draws, and the edges: 0, just below 1, and each category's exact bounds.
      double u = unit(gen);
      if (k == 0) u = 0.0;
      if (k == 1) u = 0x1.fffffffffffffp-1;
      if (k >= 2 && k < 6) u = cum[gen() % n] / cum.back();
      const int i = table.draw(u);
      INFO("n " << n << " u " << u);
      REQUIRE(i == first_above(cum, u));
      if (u < 1) REQUIRE(cum[i] - (i > 0 ? cum[i - 1] : 0.0) > 0);  // never a zero weight
    }
  }
}

TEST_CASE("Streams::block: every lane the same bits as a draw made alone", "[sim][random]") {
  // (the version this processor runs; the next case checks both against Random123)
  std::mt19937_64 gen(20261127);
  for (int trial = 0; trial < 20000; ++trial) {
    const std::uint64_t seed = gen();
    const Streams rng(seed, static_cast<int>(gen() % 1000));
    std::uint32_t ids[DrawBlock::kLanes];
    for (auto& id : ids) id = static_cast<std::uint32_t>(trial % 3 == 0 ? gen() : gen() % 64);
    const auto day = static_cast<std::uint32_t>(gen() % 70000);
    const auto purpose = static_cast<Purpose>(1 + gen() % 18);
    const auto sub = static_cast<std::uint32_t>(trial % 5 == 0 ? gen() : gen() % 8);
    DrawBlock block;
    rng.block(ids, day, purpose, sub, block);
    for (int j = 0; j < DrawBlock::kLanes; ++j) {
      const Bits one = rng(ids[j], day, purpose, sub);
      INFO("trial " << trial << " lane " << j);
      REQUIRE(block[j] == one);
    }
  }
}

TEST_CASE("philox blocks: the AVX2 and one-at-a-time versions agree with Random123",
          "[sim][random]") {
  std::mt19937_64 gen(7);
  const bool avx2 = detail::has_avx2();
  if (!avx2) WARN("this processor has no AVX2: only the one-at-a-time version is checked");
  for (int trial = 0; trial < 20000; ++trial) {
    const std::uint32_t key[2] = {static_cast<std::uint32_t>(gen()),
                                  static_cast<std::uint32_t>(gen())};
    std::uint32_t ids[DrawBlock::kLanes];
    for (auto& id : ids) id = static_cast<std::uint32_t>(gen());
    const auto day = static_cast<std::uint32_t>(gen()), purpose = static_cast<std::uint32_t>(gen()),
               sub = static_cast<std::uint32_t>(gen());
    DrawBlock scalar, wide;
    detail::philox_block_scalar(key, ids, day, purpose, sub, scalar);
    if (avx2) detail::philox_block_avx2(key, ids, day, purpose, sub, wide);
    r123::Philox4x32 ref;
    for (int j = 0; j < DrawBlock::kLanes; ++j) {
      const auto r = ref({{ids[j], day, purpose, sub}}, {{key[0], key[1]}});
      INFO("trial " << trial << " lane " << j);
      for (int w = 0; w < 4; ++w) {
        REQUIRE(scalar.word[w][j] == r[w]);
        if (avx2) REQUIRE(wide.word[w][j] == r[w]);
      }
    }
  }
}
