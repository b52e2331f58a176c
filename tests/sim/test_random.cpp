// The draws of sim/random.h against their definitions.
#include <catch2/catch.hpp>

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

}  // namespace

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
