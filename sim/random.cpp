// Philox4x32-10 a block of agents at a time (see random.h). The AVX2 version computes
// eight counters in the lanes of 256-bit registers: each 32 x 32 -> 64-bit product of a
// round is two _mm256_mul_epu32 (the even lanes, then the odd ones shifted down) whose
// halves are blended back into 32-bit lanes. Integer arithmetic only, so both versions give
// the same bits as Random123's r123::Philox4x32 (tests/sim/test_random.cpp checks it).
#include "sim/random.h"

#include <immintrin.h>

namespace rfsim::sim::detail {

void philox_block_scalar(const std::uint32_t* key, const std::uint32_t* ids, std::uint32_t day,
                         std::uint32_t purpose, std::uint32_t sub, DrawBlock& out) {
  const Streams::Gen::key_type k = {{key[0], key[1]}};
  Streams::Gen gen;
  for (int j = 0; j < DrawBlock::kLanes; ++j) {
    const Streams::Gen::ctr_type r = gen({{ids[j], day, purpose, sub}}, k);
    for (int w = 0; w < 4; ++w) out.word[w][j] = r[w];
  }
}

namespace {
/// hi and lo words of a x m in each 32-bit lane.
__attribute__((target("avx2"))) inline void mulhilo8(__m256i a, __m256i m, __m256i& hi,
                                                     __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}
}  // namespace

__attribute__((target("avx2"))) void philox_block_avx2(const std::uint32_t* key,
                                                       const std::uint32_t* ids, std::uint32_t day,
                                                       std::uint32_t purpose, std::uint32_t sub,
                                                       DrawBlock& out) {
  static_assert(DrawBlock::kLanes == 8, "one AVX2 register of 32-bit lanes");
  __m256i c0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids));
  __m256i c1 = _mm256_set1_epi32(static_cast<int>(day));
  __m256i c2 = _mm256_set1_epi32(static_cast<int>(purpose));
  __m256i c3 = _mm256_set1_epi32(static_cast<int>(sub));
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(PHILOX_M4x32_0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(PHILOX_M4x32_1));
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    __m256i hi0, lo0, hi1, lo1;
    mulhilo8(c0, m0, hi0, lo0);
    mulhilo8(c2, m1, hi1, lo1);
    c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
    c1 = lo1;
    c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
    c3 = lo0;
    k0 += PHILOX_W32_0;
    k1 += PHILOX_W32_1;
  }
  _mm256_store_si256(reinterpret_cast<__m256i*>(out.word[0]), c0);
  _mm256_store_si256(reinterpret_cast<__m256i*>(out.word[1]), c1);
  _mm256_store_si256(reinterpret_cast<__m256i*>(out.word[2]), c2);
  _mm256_store_si256(reinterpret_cast<__m256i*>(out.word[3]), c3);
}

bool has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

}  // namespace rfsim::sim::detail
