// The parts of the studies that need no model: the bytes runs send (codec), exact
// quantiles in bounded memory (SeriesStore against a brute-force sort, numpy's
// arithmetic), the Sobol estimator against the analytic indices of the Ishigami function,
// the Saltelli design, parsing of --vary and --param, and the distribution of jobs over
// threads (one process; several ranks are tested through mpirun in cli.sh).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <numbers>
#include <random>
#include <set>
#include <thread>

#include "ensemble/cluster.h"
#include "ensemble/codec.h"
#include "ensemble/quantiles.h"
#include "ensemble/ranges.h"
#include "ensemble/sobol.h"
#include "ensemble/sweep.h"
#include "ensemble/work.h"

using namespace rfsim::ensemble;

namespace {

/// Cells like a run's: mostly zero, small whole numbers, some fractions and negatives.
std::vector<double> random_cells(std::mt19937_64& rng, std::int64_t n) {
  std::vector<double> v(static_cast<size_t>(n), 0.0);
  std::uniform_real_distribution<double> u(0, 1);
  for (double& x : v) {
    const double r = u(rng);
    if (r < 0.80) continue;
    if (r < 0.93)
      x = std::floor(u(rng) * 40);
    else if (r < 0.97)
      x = u(rng) * 1000 - 200;
    else if (r < 0.99)
      x = -std::floor(u(rng) * 5e6);
    else
      x = std::floor(u(rng) * 1e15);
  }
  return v;
}

/// Cells whose replicates are all zero or above zero, of five kinds by cell: whole numbers
/// of a narrow range (the counts of people most series hold), whole numbers of a range
/// wider than the replicates, values a hair apart around 1.1, whole numbers beyond 2^31,
/// and thirds (whole numbers and a third: their differences round to whole numbers).
std::vector<double> positive_cells(std::mt19937_64& rng, std::int64_t n) {
  std::vector<double> v(static_cast<size_t>(n), 0.0);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::int64_t c = 0; c < n; ++c) {
    if (u(rng) < 0.2) continue;
    double& x = v[static_cast<size_t>(c)];
    switch (c % 5) {
      case 0:
        x = 1 + std::floor(u(rng) * 40);
        break;
      case 1:
        x = 1 + std::floor(u(rng) * 1e6);
        break;
      case 2:
        x = u(rng) < 0.5 ? 1.1 : std::nextafter(1.1, 2.0);
        break;
      case 3:
        x = 0x1p31 + std::floor(u(rng) * 50);
        break;
      default:
        x = std::floor(u(rng) * 200) + 1.0 / 3;
        break;
    }
  }
  return v;
}

std::vector<double> decode_all(const std::string& bytes, std::int64_t cells) {
  std::vector<double> out(static_cast<size_t>(cells), 0.0);
  const std::int64_t blocks = block_count(cells);
  const auto offsets = block_offsets(bytes, blocks);
  for (std::int64_t b = 0; b < blocks; ++b)
    decode_block(std::string_view(bytes).substr(offsets[b], offsets[b + 1] - offsets[b]),
                 [&](std::int64_t i, double v) { out[b * kBlockCells + i] = v; });
  return out;
}

std::string encode(const std::vector<double>& cells, std::size_t piece) {
  CellEncoder enc(static_cast<std::int64_t>(cells.size()));
  for (std::size_t at = 0; at < cells.size(); at += piece)
    enc.add(std::span<const double>(cells).subspan(at, std::min(piece, cells.size() - at)));
  return enc.finish();
}

double ishigami(const std::vector<double>& u) {
  const double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
  return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

}  // namespace

TEST_CASE("codec: a run's cells come back exactly, block by block") {
  std::mt19937_64 rng(11);
  for (const std::int64_t cells : {std::int64_t{0}, std::int64_t{1}, kBlockCells - 1, kBlockCells,
                                   kBlockCells + 1, 3 * kBlockCells + 17}) {
    std::vector<double> v = random_cells(rng, cells);
    if (cells > 2) v[cells - 1] = 1e300, v[1] = 0.1;
    for (const std::size_t piece : {std::size_t{1}, std::size_t{1000}, std::size_t{1} << 20}) {
      const std::string bytes = encode(v, piece);
      const std::vector<double> back = decode_all(bytes, cells);
      CHECK(std::equal(v.begin(), v.end(), back.begin(), back.end(),
                       [](double a, double b) { return a == b; }));
    }
  }
  // Values at the edges of the whole-number form come back bit for bit: 2^52 and beyond,
  // out of int64's range, infinities, NaN, halves.
  const double two52 = 4503599627370496.0;
  const std::vector<double> edges = {two52,
                                     two52 - 1,
                                     -(two52 - 1),
                                     -two52,
                                     two52 + 2,
                                     9.3e18,
                                     -9.3e18,
                                     1e300,
                                     -3.5,
                                     0.5,
                                     std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity(),
                                     std::numeric_limits<double>::quiet_NaN(),
                                     -1,
                                     1};
  const std::vector<double> edges_back = decode_all(encode(edges, 4), std::ssize(edges));
  for (std::size_t i = 0; i < edges.size(); ++i) {
    INFO("cell " << i << " = " << edges[i]);
    CHECK(std::bit_cast<std::uint64_t>(edges_back[i]) == std::bit_cast<std::uint64_t>(edges[i]));
  }
  // Sparse small counts take about two bytes a non-zero cell.
  std::vector<double> counts(100000, 0.0);
  for (std::size_t i = 0; i < counts.size(); i += 10) counts[i] = static_cast<double>(i % 50);
  CHECK(encode(counts, 4096).size() < 2 * counts.size() / 10 + 64);
  CHECK_THROWS_AS(CellEncoder(5).finish(), std::logic_error);
  CHECK_THROWS_AS(block_offsets(encode(counts, 10), 1), std::runtime_error);
}

TEST_CASE("quantiles: numpy's definition 7 on small samples") {
  auto q = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return quantile_of_ordered(static_cast<std::int64_t>(v.size()), p,
                               [&](std::int64_t k) { return v[k]; });
  };
  // numpy.quantile([1, 2, 3, 4], [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1])
  CHECK(q({4, 1, 3, 2}, 0.0) == 1.0);
  CHECK(q({4, 1, 3, 2}, 0.05) == Approx(1.15).epsilon(1e-15));
  CHECK(q({4, 1, 3, 2}, 0.25) == 1.75);
  CHECK(q({4, 1, 3, 2}, 0.5) == 2.5);
  CHECK(q({4, 1, 3, 2}, 0.75) == 3.25);
  CHECK(q({4, 1, 3, 2}, 0.95) == Approx(3.85).epsilon(1e-15));
  CHECK(q({4, 1, 3, 2}, 1.0) == 4.0);
  CHECK(q({7}, 0.95) == 7.0);
  const std::vector<double> figures = quantiles({5, std::nan(""), 1, 3});
  CHECK(figures == std::vector<double>{1.2, 2.0, 3.0, 4.0, 4.8});
  CHECK(std::isnan(quantiles({std::nan("")})[2]));
  CHECK(mean(std::vector<double>{1, std::nan(""), 2}) == 1.5);
}

TEST_CASE("quantiles: the store's quantiles and means equal a brute-force sort of every cell") {
  std::mt19937_64 rng(5);
  // (with 1, 2 or 4 replicates several quantiles read the same order statistics, asked for
  // out of order)
  const std::int64_t n = GENERATE(23, 1, 2, 4, 90);
  // (values of any sign, NaN-free; or values never below zero, whose whole numbers of a
  // narrow range are selected by counting)
  const bool positive = GENERATE(false, true);
  const std::int64_t cells = 2 * kBlockCells + 999;
  std::vector<std::vector<double>> reps;
  for (std::int64_t r = 0; r < n; ++r)
    reps.push_back(positive ? positive_cells(rng, cells) : random_cells(rng, cells));
  if (n > 4)
    for (std::int64_t c = 0; c < cells; c += 7) reps[3][c] = reps[4][c];  // ties

  // In memory, or (budget 0) every replicate through the temporary file; added in any
  // order; summarised on 1 or 3 threads: always the same numbers.
  std::vector<std::int64_t> order(n);
  for (std::int64_t r = 0; r < n; ++r) order[r] = r;
  std::vector<SeriesStore::Summary> summaries;
  for (const std::size_t budget : {std::size_t{1} << 30, std::size_t{0}, std::size_t{3} << 20}) {
    std::shuffle(order.begin(), order.end(), rng);
    SeriesStore store(cells, n, budget);
    for (const std::int64_t r : order) store.add(r, encode(reps[r], 5000));
    if (budget == 0) CHECK(store.bytes_in_memory() == 0);
    if (budget == 0) CHECK(store.bytes_on_disk() > 0);
    summaries.push_back(store.summarize(budget == 0 ? 3 : 1));
  }
  for (const auto& s : summaries) {
    CHECK(s.quantiles == summaries[0].quantiles);
    CHECK(s.mean == summaries[0].mean);
  }
  const SeriesStore::Summary& s = summaries[0];
  std::int64_t checked = 0;
  for (std::int64_t c = 0; c < cells; c += 13) {
    std::vector<double> v;
    double sum = 0;
    for (std::int64_t r = 0; r < n; ++r) {
      v.push_back(reps[r][c]);
      sum += reps[r][c];
    }
    std::sort(v.begin(), v.end());
    for (int l = 0; l < kQuantileCount; ++l) {
      const double expected =
          quantile_of_ordered(n, kQuantileLevels[l], [&](std::int64_t k) { return v[k]; });
      if (s.quantiles[l * cells + c] != expected) FAIL("cell " << c << " level " << l);
      if (l > 0 && s.quantiles[l * cells + c] < s.quantiles[(l - 1) * cells + c])
        FAIL("quantiles out of order at cell " << c);
    }
    if (s.mean[c] != sum / static_cast<double>(n)) FAIL("mean of cell " << c);
    ++checked;
  }
  CHECK(checked > 10000);

  if (n < 2) return;
  SeriesStore incomplete(cells, n, 1 << 20);
  incomplete.add(0, encode(reps[0], 5000));
  CHECK_THROWS_AS(incomplete.summarize(1), std::logic_error);
  CHECK_THROWS_AS(incomplete.add(0, encode(reps[0], 5000)), std::logic_error);
  CHECK_THROWS_AS(incomplete.add(1, encode(reps[0], 5000).substr(0, 100)), std::runtime_error);
}

TEST_CASE("quantiles: cells of extreme values give the order statistics of a sort") {
  // Cells whose range has no finite width or scale, one outlier above values a hair
  // apart (all but one in one bucket), and one repeated fraction: each takes another
  // path to its order statistics, and every path must give a sort's.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  const std::int64_t n = 50, cells = 6;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> reps(n, std::vector<double>(cells, 0.0));
  for (std::int64_t r = 0; r < n; ++r) {
    auto& x = reps[r];
    x[0] = u(rng) < 0.5 ? -1.5e308 : (u(rng) < 0.5 ? 1.5e308 : u(rng));
    x[1] = u(rng) < 0.5 ? 5e-324 : 1e-323;
    x[2] = r == 7 ? 1e15 : 1 + u(rng) * 1e-9;
    x[3] = 0.7;
    x[4] = r % 9 == 0 ? inf : 1 + std::floor(u(rng) * 30);
    x[5] = u(rng) < 0.3 ? 0.0 : -std::floor(u(rng) * 10) - 0.5;
  }
  SeriesStore store(cells, n, 1 << 20);
  for (std::int64_t r = 0; r < n; ++r) store.add(r, encode(reps[r], 3));
  const SeriesStore::Summary s = store.summarize(2);
  for (std::int64_t c = 0; c < cells; ++c) {
    std::vector<double> v;
    for (std::int64_t r = 0; r < n; ++r) v.push_back(reps[r][c]);
    std::sort(v.begin(), v.end());
    for (int l = 0; l < kQuantileCount; ++l) {
      const double expected =
          quantile_of_ordered(n, kQuantileLevels[l], [&](std::int64_t k) { return v[k]; });
      const double got = s.quantiles[l * cells + c];
      if (!(got == expected || (std::isnan(got) && std::isnan(expected))))
        FAIL("cell " << c << " level " << l << ": " << got << " against " << expected);
    }
  }
}

TEST_CASE("sobol: the Saltelli design has N (k + 2) points built from A and B") {
  const int k = 3;
  const auto d = saltelli_design(k, 64, 42);
  REQUIRE(d.size() == 64 * (k + 2));
  for (std::size_t p = 0; p < d.size(); p += k + 2) {
    const auto& a = d[p].u;
    const auto& b = d[p + 1].u;
    CHECK(d[p].matrix == 0);
    CHECK(d[p + 1].matrix == 1);
    for (int i = 0; i < k; ++i) {
      CHECK(d[p + 2 + i].matrix == 2 + i);
      for (int c = 0; c < k; ++c) CHECK(d[p + 2 + i].u[c] == (c == i ? b[c] : a[c]));
    }
    for (double x : a) CHECK((x > 0 && x < 1));
  }
  CHECK(saltelli_design(k, 64, 42)[77].u == d[77].u);  // the same for the same seed
  CHECK(saltelli_design(k, 64, 43)[77].u != d[77].u);  // scrambled by the seed
  // Each coordinate of a scrambled Sobol net of 2^m points has one point in each of the
  // 2^m intervals [i/2^m, (i+1)/2^m).
  const auto net = scrambled_sobol(5, 256, 9);
  for (int c = 0; c < 5; ++c) {
    std::set<int> cells;
    for (const auto& p : net) cells.insert(static_cast<int>(p[c] * 256));
    CHECK(cells.size() == 256);
  }
  CHECK_THROWS_AS(saltelli_design(0, 64, 1), std::invalid_argument);
  CHECK_THROWS_AS(saltelli_design(5000, 64, 1), std::invalid_argument);
}

TEST_CASE("sobol: the estimators recover the analytic indices of the Ishigami function") {
  // f = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1 on [-pi, pi]^3 (Ishigami and Homma 1990):
  // V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 with a = 7, b = 0.1;
  // S1 = (b pi^4/5 + b^2 pi^8/50 + 1/2)/V, S2 = a^2/8/V, S3 = 0;
  // ST1 = S1 + 8 b^2 pi^8/225/V, ST2 = S2, ST3 = 8 b^2 pi^8/225/V.
  const double pi = std::numbers::pi, a = 7, b = 0.1;
  const double v = a * a / 8 + b * std::pow(pi, 4) / 5 + b * b * std::pow(pi, 8) / 18 + 0.5;
  const double v13 = 8 * b * b * std::pow(pi, 8) / 225;
  const double s1 = (b * std::pow(pi, 4) / 5 + b * b * std::pow(pi, 8) / 50 + 0.5) / v;
  const double s2 = a * a / 8 / v;
  const std::vector<double> first = {s1, s2, 0.0}, total = {s1 + v13 / v, s2, v13 / v};

  const int k = 3;
  std::vector<double> values;
  for (const DesignPoint& p : saltelli_design(k, 8192, 2024)) values.push_back(ishigami(p.u));
  const SobolIndices s = sobol_indices(values, k, 200, 0.95, 7);
  for (int i = 0; i < k; ++i) {
    INFO("parameter " << i + 1);
    CHECK(s.first[i] == Approx(first[i]).margin(0.02));
    CHECK(s.total[i] == Approx(total[i]).margin(0.02));
    CHECK(s.first_low[i] <= s.first[i]);
    CHECK(s.first[i] <= s.first_high[i]);
    CHECK(s.total_low[i] <= s.total[i]);
    CHECK(s.total[i] <= s.total_high[i]);
    CHECK(s.total_high[i] - s.total_low[i] < 0.1);
  }
  CHECK(s.variance == Approx(v).epsilon(0.03));
  CHECK(s.mean == Approx(a / 2).margin(0.1));
  // The same values give the same intervals (the bootstrap draws are keyed by the seed).
  CHECK(sobol_indices(values, k, 200, 0.95, 7).first_low == s.first_low);
  // A figure that does not vary has no indices.
  const SobolIndices flat = sobol_indices(std::vector<double>(values.size(), 3.0), k, 10, 0.95, 7);
  CHECK(std::isnan(flat.first[0]));
  CHECK_THROWS_AS(sobol_indices(std::vector<double>(7, 1.0), k, 0, 0.95, 1), std::invalid_argument);
}

TEST_CASE("ranges: --param key=low:high, whole numbers for integer keys") {
  const ParamRange total = parse_range("arrivals.total=40000:80000");
  CHECK(total.integer);
  CHECK(total.at(0.5) == 60000);
  CHECK(total.at(0.123456) == 44938);
  CHECK(total.override_for(44938.4) == "arrivals.total=44938");
  const ParamRange decay = parse_range("arrivals.decay_days=2:12");
  CHECK_FALSE(decay.integer);
  CHECK(decay.override_for(decay.at(0.25)) == "arrivals.decay_days=4.5");
  CHECK(parse_range("facilities.3.capacity=100:900").integer);
  CHECK_FALSE(parse_range("services.deployed.Malai=0:10").integer);
  CHECK_THROWS_WITH(parse_range("arrivals.total"), Catch::Contains("expected key=low:high"));
  CHECK_THROWS_WITH(parse_range("arrivals.total=9:1"), Catch::Contains("below the high end"));
  CHECK_THROWS_WITH(parse_range("arrivals.total=a:9"), Catch::Contains("'a' is not a number"));
  CHECK_THROWS_WITH(parse_range("arrivals.total=1.5:9"), Catch::Contains("whole numbers"));
  CHECK_THROWS_WITH(parse_range("quarantine.mode=0:1"), Catch::Contains("is not a number"));
  CHECK(overrides_at({total, decay}, {0, 1}) ==
        std::vector<std::string>{"arrivals.total=40000", "arrivals.decay_days=12"});
}

TEST_CASE("sweep: --vary values split at top-level commas; the grid's first key is slowest") {
  const Vary v = parse_vary("home.province_share={a = 0.5, b = 0.5}, {a = 0.4, b = 0.6}");
  CHECK(v.key == "home.province_share");
  CHECK(v.values == std::vector<std::string>{"{a = 0.5, b = 0.5}", "{a = 0.4, b = 0.6}"});
  CHECK(parse_vary("run.name=\"a,b\",c").values == std::vector<std::string>{"\"a,b\"", "c"});
  CHECK_THROWS_WITH(parse_vary("quarantine.stay_days"), Catch::Contains("expected key=value1"));
  CHECK_THROWS_WITH(parse_vary("quarantine.stay_days=7,,14"), Catch::Contains("empty value"));
  const auto grid = grid_points({{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}});
  REQUIRE(grid.size() == 6);
  CHECK(grid[0] == std::vector<std::string>{"1", "x"});
  CHECK(grid[2] == std::vector<std::string>{"1", "z"});
  CHECK(grid[3] == std::vector<std::string>{"2", "x"});
}

TEST_CASE("work: every job runs once and reaches rank 0, on any number of threads") {
  REQUIRE(launcher_rank() == 0);
  Cluster cluster;  // (not started by mpirun: one rank, no MPI)
  REQUIRE(cluster.size() == 1);
  for (const int threads : {1, 2, 5}) {
    Workers workers(cluster, threads, nullptr);
    const std::int64_t n = 1000;
    std::vector<int> seen(n, 0);
    std::int64_t last_done = 0;
    workers.run(
        n, [](std::int64_t j, const Pulse&) { return std::to_string(j * j); },
        [&](std::int64_t j, std::string bytes) {
          CHECK(bytes == std::to_string(j * j));
          ++seen[j];
        },
        [&](std::int64_t done, std::int64_t total) {
          CHECK(total == n);
          CHECK(done == last_done + 1);
          last_done = done;
        });
    CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
    CHECK(last_done == n);
    workers.run(
        0, [](std::int64_t, const Pulse&) { return std::string(); },
        [](std::int64_t, std::string) { FAIL("no job to collect"); });
  }
}

TEST_CASE("work: a job's pulse moves the batch along while the job runs") {
  // Rank 0's leading thread takes other threads' results (and, under mpirun, answers other
  // ranks) from within its own job when the job pulses, not only after it.
  Cluster cluster;
  Workers workers(cluster, 2, nullptr);
  const std::thread::id lead = std::this_thread::get_id();
  int collected = 0;  // (the leading thread's alone: it collects)
  bool collected_within = false;
  workers.run(
      4,
      [&](std::int64_t j, const Pulse& pulse) {
        if (std::this_thread::get_id() != lead) {
          // (long enough that the leading thread surely takes one of the four)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          return std::to_string(j);
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (collected == 0 && std::chrono::steady_clock::now() < until) {
          pulse();
          std::this_thread::sleep_for(std::chrono::microseconds(300));
        }
        collected_within = collected > 0;
        return std::to_string(j);
      },
      [&](std::int64_t, std::string) { ++collected; });
  CHECK(collected_within);
  CHECK(collected == 4);
}

TEST_CASE("work: a failing job, or a stop, ends the batch with one error") {
  Cluster cluster;
  Workers workers(cluster, 3, nullptr);
  std::atomic<int> ran{0};
  CHECK_THROWS_WITH(workers.run(
                        500,
                        [&](std::int64_t j, const Pulse&) {
                          ++ran;
                          if (j == 17) throw std::runtime_error("job 17 broke");
                          // (a job that takes a while, as runs do: the others do not finish
                          // all 500 while the thread of job 17 waits for a core)
                          std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          return std::string();
                        },
                        [](std::int64_t, std::string) {}),
                    "job 17 broke");
  CHECK(ran < 500);  // the others stopped taking jobs
  // The next batch runs normally.
  int collected = 0;
  workers.run(
      10, [](std::int64_t, const Pulse&) { return std::string("x"); },
      [&](std::int64_t, std::string) { ++collected; });
  CHECK(collected == 10);

  std::atomic<bool> stop{true};
  Workers stopped(cluster, 2, &stop);
  try {
    stopped.run(
        100, [](std::int64_t, const Pulse&) { return std::string(); },
        [](std::int64_t, std::string) {});
    FAIL("a stopped batch must throw");
  } catch (const StudyError& e) {
    CHECK(e.interrupted);
  }
  // The test hook of cli.sh: RFSIM_FAIL_JOB makes that job throw.
  setenv("RFSIM_FAIL_JOB", "3", 1);
  CHECK_THROWS_WITH(workers.run(
                        10, [](std::int64_t, const Pulse&) { return std::string(); },
                        [](std::int64_t, std::string) {}),
                    Catch::Contains("injected failure in job 3"));
  unsetenv("RFSIM_FAIL_JOB");
}

TEST_CASE("cluster: TCP connections to loopback send without delay, nothing else is touched") {
  auto nodelay = [](int fd) {
    int on = -1;
    socklen_t length = sizeof on;
    REQUIRE(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &length) == 0);
    return on != 0;
  };
  // A connection to 127.0.0.1, as the PMIx client's to the launcher, seen from both ends.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(listen(listener, 1) == 0);
  REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  const int server = accept(listener, nullptr, nullptr);
  REQUIRE(server >= 0);
  int local[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, local) == 0);
  CHECK_FALSE(nodelay(client));
  CHECK_FALSE(nodelay(server));

  CHECK(send_without_delay_to_launcher() >= 2);
  CHECK(nodelay(client));
  CHECK(nodelay(server));
  CHECK_FALSE(nodelay(listener));  // (no peer)
  int type = 0;
  length = sizeof type;
  CHECK(getsockopt(local[0], SOL_SOCKET, SO_TYPE, &type, &length) == 0);  // (still a socket)
  for (int fd : {listener, client, server, local[0], local[1]}) close(fd);
}

TEST_CASE("cluster: agree turns any exception into one StudyError") {
  Cluster cluster;
  CHECK_NOTHROW(cluster.agree([] {}));
  CHECK_THROWS_WITH(cluster.agree([] { throw std::runtime_error("bad scenario"); }),
                    "bad scenario");
  try {
    cluster.agree([] { throw StudyError("stopped", true); });
  } catch (const StudyError& e) {
    CHECK(e.interrupted);
  }
  CHECK(cluster.broadcast("text") == "text");
}
