// Variance-based sensitivity analysis, independent of the model (tests/ensemble check it
// on the Ishigami function, whose indices are known):
//
// - the Saltelli design: two matrices A and B of N points in the unit cube [0,1)^k, taken
//   from one Sobol sequence of dimension 2k (Boost's, Joe and Kuo's direction numbers;
//   A its first k coordinates, B its last k, the zero point included), scrambled (Owen's
//   nested uniform scrambling in Burley's hash-based form, seeded), and for each
//   parameter i the matrix AB_i: A with column i taken from B. N (k + 2) points in all,
//   ordered by sample: A_j, B_j, AB_1j, ..., AB_kj (Saltelli et al. 2010, Comput. Phys.
//   Commun. 181: 259-270). N a power of two keeps the Sobol points balanced.
// - the estimators of Saltelli et al. 2010 (Table 2): with V the variance of f over A and
//   B together, first order S_i = mean_j f(B)_j (f(AB_i)_j - f(A)_j) / V and total
//   (Jansen 1999) ST_i = mean_j (f(A)_j - f(AB_i)_j)^2 / (2V), f centred on its mean over
//   the whole design first (the first-order estimator's variance grows with the mean);
// - confidence intervals by bootstrap over the N samples (percentile intervals; the
//   resampling draws come from Philox streams keyed by the seed, so they are the same on
//   every machine).
#pragma once

#include <cstdint>
#include <vector>

namespace rfsim::ensemble {

/// Which matrix a design point belongs to.
struct DesignPoint {
  std::int64_t sample = 0;  ///< j, 0..N-1
  int matrix = 0;           ///< 0: A, 1: B, 2 + i: AB_i
  std::vector<double> u;    ///< the point in [0,1)^k
};

/// The Saltelli design of N samples for k parameters: N (k + 2) points, in the order
/// above. Throws std::invalid_argument for k < 1, N < 2 or 2k beyond the Sobol tables.
std::vector<DesignPoint> saltelli_design(int k, std::int64_t n, std::uint64_t seed);

/// The first N points of the scrambled Sobol sequence of dimension `dim` (point 0 the
/// zero point before scrambling), as [point][coordinate].
std::vector<std::vector<double>> scrambled_sobol(int dim, std::int64_t n, std::uint64_t seed);

struct SobolIndices {
  std::vector<double> first, first_low, first_high;  ///< per parameter
  std::vector<double> total, total_low, total_high;
  double mean = 0, variance = 0;  ///< of f over A and B
};

/// The indices from the model's values at the design points, in design order (one value
/// per point of saltelli_design(k, N, ...)). `bootstrap` resamples (0: no intervals, NaN
/// bounds), intervals at `confidence` (e.g. 0.95). A zero variance gives NaN indices.
SobolIndices sobol_indices(const std::vector<double>& values, int k, int bootstrap,
                           double confidence, std::uint64_t seed);

}  // namespace rfsim::ensemble
