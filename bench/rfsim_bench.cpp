// Benchmark of the agent model on the real three-province geography (issue 4), driven by
// scripts/bench: one process per (agents, threads) run so that peak memory is per run.
//
//   rfsim_bench run --agents N --threads T [--days 365] [--scenario F] [--dump FILE]
//       scenarios/default.toml (or F) with the scale overrides of scale_overrides() on
//       build_geography of the scenario's data dir; simulate, then write results.h5 into a
//       temporary directory. Prints "key value" lines (see main). --dump writes every
//       series and summary value to FILE so two runs can be compared byte for byte.
//   rfsim_bench run ... --checkpoint-every N
//       the same with a checkpoint every N days written into the results directory as
//       `rfsim run --checkpoint-every` writes them; prints what they cost the run.
//   rfsim_bench checkpoint --agents N [--threads T] [--days 365] [--day 180]
//                          [--checkpoint-every 30]
//       one checkpoint of that run at the start of `day`, made as a run with a checkpoint
//       every N days makes it (after those N and 2N days before), waited for: the copy of
//       the state, the file built and written (synced), its size against the state's; then
//       the time to read it back into a model. Also the time to build the first one.
//   rfsim_bench overrides --agents N [--days D] [--scenario F]
//       prints the scale overrides of scale_overrides(), one `--set key=value` pair a line,
//       for scripts/bench --report to run `rfsim run` at that scale.
//   rfsim_bench runs [--replicates R] [--scenario F]
//       What one run of a study costs: R replicates (default 40) of scenarios/default.toml
//       (or F) one after the other on one thread, as a study's thread runs them (with the
//       memory policy rfsim runs with, base/freed_memory.h), each timed in parts: building
//       the Model, the day loop, reporting the series and figures, encoding the series for
//       rank 0 (ensemble/codec.h). Prints "key seconds" lines (means over the replicates)
//       and the one-off setup (scenario, geography, places).
//   rfsim_bench cluster
//       under an MPI launcher (mpirun -np R): joins the job as a study does (a Cluster:
//       MPI_Init, one collective agreement, MPI_Finalize) and does nothing else. Timed from
//       outside, it is what the launcher and MPI alone cost a study on R ranks, which no
//       work of rfsim's can take back (scripts/bench prints the ceiling it sets).
//   rfsim_bench bandwidth [--threads T]
//       STREAM-like triad a = b + s*c on three arrays of 16M doubles (384 MB), best of 8;
//       prints GB/s counting 24 bytes per element (two reads, one write).
//   rfsim_bench compute [--threads T]
//       the model's generator (Philox4x32-10, sim/random.h) drawing on every thread, nothing
//       read from memory, best of 8; prints draws per second. Beside `bandwidth` and `reads`
//       it shows what T threads of this machine can give at best to work bound by
//       arithmetic (T x, unless the cores share a physical core or are throttled).
//   rfsim_bench reads [--threads T]
//       reads of 4-byte values at random places of a 512 MB array (independent, so that the
//       memory system overlaps them, as the model's reads of agents scattered over their
//       columns are), best of 8; prints reads per second.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/freed_memory.h"
#include "ensemble/cluster.h"
#include "ensemble/codec.h"
#include "geo/geography.h"
#include "outputs/checkpoint.h"
#include "outputs/run_dir.h"
#include "outputs/writer.h"
#include "scenarios/scenario.h"
#include "sim/engine.h"
#include "sim/model.h"
#include "sim/places.h"
#include "sim/random.h"

using namespace rfsim;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// A field of /proc/self/status in kB ("VmRSS", "VmHWM"), -1 if absent.
long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
  return -1;
}

/// Resets VmHWM to the current RSS (Linux clear_refs 5); false if not permitted.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

/// The scale scenario for N returnees over `days`: the default scenario's places and rates,
/// with arrivals spread over the year (surge decaying with a 60-day mean) and every
/// capacity scaled by N / 60,000 (the default's size) so that beds overflow at the peak,
/// case slots fill and the package budget lasts about half the year: quarantine, travel,
/// cases and reintegration all stay active at every size.
std::vector<std::string> scale_overrides(const Scenario& base, long long n, int days) {
  const double k = static_cast<double>(n) / 60000.0;
  std::vector<std::string> o = {
      "run.horizon_days=" + std::to_string(days), "arrivals.total=" + std::to_string(n),
      "arrivals.decay_days=60", "reintegration.budget_usd=" + std::to_string(60 * n),
      "reintegration.delivery_per_week=" + std::to_string(std::max(10LL, n / 100))};
  for (size_t f = 0; f < base.facilities.size(); ++f)
    o.push_back("facilities." + std::to_string(f) + ".capacity=" +
                std::to_string(std::max(1L, std::lround(base.facilities[f].capacity * k))));
  for (const auto& [name, workers] : base.services.deployed) {
    char v[64];
    std::snprintf(v, sizeof v, "%.3f", workers * k);
    o.push_back("services.deployed." + name + "=" + v);
  }
  return o;
}

/// Every series (name, shape, values) and summary entry, in result order, as raw bytes.
void dump(const sim::RunResult& r, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  for (const sim::Series& s : r.series) {
    out << s.name << '\n' << s.rows << ' ' << s.columns << '\n';
    out.write(reinterpret_cast<const char*>(s.values.data()),
              static_cast<std::streamsize>(s.values.size() * sizeof(double)));
  }
  for (const auto& [key, value] : r.summary) {
    out << key << '\n';
    out.write(reinterpret_cast<const char*>(&value), sizeof value);
  }
  for (const auto& [district, workers] : r.worker_recommendation)
    out << district << ' ' << workers << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

int bandwidth(int threads) {
  const std::size_t n = std::size_t{16} << 20;
  std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t i = 0; i < n; ++i) a[i] = 0, b[i] = 1.0 + i % 7, c[i] = 2.0 + i % 5;
  double best = 1e30;
  for (int rep = 0; rep < 8; ++rep) {
    const auto t0 = Clock::now();
    const double s = 0.5 + rep;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
    best = std::min(best, seconds_since(t0));
  }
  double check = 0;
  for (std::size_t i = 0; i < n; i += 4096) check += a[i];
  std::printf("threads %d\nbandwidth_gb_s %.3f\ntriad_bytes %zu\nchecksum %.6g\n", threads,
              3.0 * sizeof(double) * static_cast<double>(n) / best / 1e9, 3 * sizeof(double) * n,
              check);
  return 0;
}

int compute(int threads) {
  constexpr std::uint32_t kDraws = 1u << 25;  // per thread
  const sim::Streams streams(20200401, 0);
  double best = 1e30;
  std::uint64_t check = 0;
  for (int rep = 0; rep < 8; ++rep) {
    const auto t0 = Clock::now();
    std::uint64_t sum = 0;
#pragma omp parallel num_threads(threads) reduction(^ : sum)
    {
      const auto t = static_cast<std::uint32_t>(omp_get_thread_num());
      for (std::uint32_t k = 0; k < kDraws; ++k)
        sum ^= streams(k, t, sim::Purpose::Transmission, static_cast<std::uint32_t>(rep))[0];
    }
    best = std::min(best, seconds_since(t0));
    check ^= sum;
  }
  std::printf("threads %d\ndraws_per_s %.4g\nchecksum %llu\n", threads,
              static_cast<double>(kDraws) * threads / best, static_cast<unsigned long long>(check));
  return 0;
}

int reads(int threads) {
  const std::size_t n = std::size_t{128} << 20;         // 4-byte values: 512 MB
  constexpr std::size_t kReads = std::size_t{1} << 24;  // per thread and round
  std::unique_ptr<std::uint32_t[]> values(new std::uint32_t[n]);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<std::uint32_t>(i * 2654435761u);
  double best = 1e30;
  std::uint64_t check = 0;
  for (int rep = 0; rep < 8; ++rep) {
    const auto t0 = Clock::now();
    std::uint64_t sum = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sum)
    {
      // Positions from a xorshift generator: cheap next to a read from memory.
      std::uint64_t x = 0x9E3779B97F4A7C15ull * (omp_get_thread_num() + 1 + 8 * rep);
      for (std::size_t k = 0; k < kReads; ++k) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        sum += values[x % n];
      }
    }
    best = std::min(best, seconds_since(t0));
    check += sum;
  }
  std::printf("threads %d\nreads_per_s %.4g\nchecksum %llu\n", threads,
              static_cast<double>(kReads) * threads / best, static_cast<unsigned long long>(check));
  return 0;
}

/// The scale scenario for N returnees over `days` on the real geography, places resolved.
struct Scale {
  Scenario sc;
  geo::Geography g;
  sim::Places places;
  Scale(long long agents, int days, const std::string& scenario_path) {
    const Scenario base = load_scenario(scenario_path);
    sc = load_scenario(scenario_path, scale_overrides(base, agents, days));
    g = geo::build_geography(sim::geo_inputs(sc));
    geo::Locator locator(g);
    places = sim::resolve_places(sc, g, &locator);
  }
};

/// A temporary folder of this process, removed when done.
struct TempDir {
  fs::path path =
      fs::temp_directory_path() / ("rfsim-bench-" + std::to_string(static_cast<long>(getpid())));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

/// One checkpoint at the start of `day` as a run with a checkpoint every `every` days writes
/// it, those of `day - 2 * every` and `day - every` before it (their chunks reused where the
/// state is unchanged), but waited for: the copy of the state (the only part the run waits
/// for when the writer keeps up), the file built (compressed on `threads` threads), written
/// and synced; then read back whole. Also the time to build the first of a run's
/// checkpoints (at `day - 2 * every`), which compresses every chunk.
int checkpoint(long long agents, int threads, int days, int day, int every,
               const std::string& scenario_path) {
  const Scale s(agents, days, scenario_path);
  sim::Model m(s.sc, s.g, s.places, threads);
  const outputs::CheckpointMeta meta = outputs::checkpoint_meta(s.sc, {}, {}, threads, every, 0);
  outputs::CheckpointState snapshot(threads);
  while (m.next_day() < day - 2 * every) m.run_day();
  m.save(snapshot);
  auto t0 = Clock::now();
  outputs::CheckpointImage last = outputs::checkpoint_image(meta, snapshot, threads);
  const double first_image_s = seconds_since(t0);
  while (m.next_day() < day - every) m.run_day();
  snapshot.rewind();
  m.save(snapshot);
  last = outputs::checkpoint_image(meta, snapshot, threads, std::move(last));
  while (m.next_day() < day) m.run_day();
  snapshot.rewind();
  t0 = Clock::now();
  m.save(snapshot);
  const double copy_s = seconds_since(t0);
  const std::size_t changed = snapshot.changed_bytes(), packing = snapshot.packing_bytes();
  t0 = Clock::now();
  const outputs::CheckpointImage image =
      outputs::checkpoint_image(meta, snapshot, threads, std::move(last));
  const double image_s = seconds_since(t0);
  const TempDir tmp;
  const fs::path path = tmp.path / "day.h5";
  t0 = Clock::now();
  outputs::write_checkpoint_file(path, image);
  const double write_s = seconds_since(t0);
  t0 = Clock::now();
  {
    const outputs::Checkpoint c(path);
    sim::Model again(s.sc, s.g, s.places, threads);
    again.load(c);
  }
  const double load_s = seconds_since(t0);
  const double n = static_cast<double>(std::max(1LL, agents));
  std::printf("agents %lld\nthreads %d\nday %d\nevery %d\n", agents, threads, day, every);
  std::printf("checkpoint_copy_s %.3f\ncheckpoint_image_s %.3f\ncheckpoint_write_s %.3f\n", copy_s,
              image_s, write_s);
  std::printf("checkpoint_total_s %.3f\ncheckpoint_load_s %.3f\n", copy_s + image_s + write_s,
              load_s);
  std::printf("checkpoint_first_image_s %.3f\nchanged_bytes %zu\npacking_bytes %zu\n",
              first_image_s, changed, packing);
  std::printf("checkpoint_bytes %zu\nstate_bytes %zu\n", static_cast<std::size_t>(image.size()),
              snapshot.bytes());
  std::printf("checkpoint_in_place_bytes %zu\n", image.bytes_in_place());
  std::printf("checkpoint_bytes_per_agent %.2f\nstate_bytes_per_agent %.2f\n",
              static_cast<double>(image.size()) / n, snapshot.bytes() / n);
  return 0;
}

int run(long long agents, int threads, int days, const std::string& scenario_path,
        const std::string& dump_path, int checkpoint_every) {
  const auto t0 = Clock::now();
  const Scale s(agents, days, scenario_path);
  const Scenario& sc = s.sc;
  const geo::Geography& g = s.g;
  const long hwm_setup = status_kb("VmHWM");
  const bool reset = reset_peak_rss();
  const long rss_before = status_kb("VmRSS");
  const TempDir tmp;
  outputs::WriteOptions w;
  w.dir = tmp.path / "results";
  w.threads = threads;
  sim::RunOptions o;
  o.threads = threads;
  // Checkpoints as `rfsim run --checkpoint-every` writes them, into the results directory.
  std::optional<outputs::Checkpointer> checkpoints;
  if (checkpoint_every > 0) {
    checkpoints.emplace(outputs::CheckpointOptions{w.dir, 0, false, false, threads, {}},
                        outputs::checkpoint_meta(sc, {}, {}, threads, checkpoint_every, 0));
    o.checkpoint_every = checkpoint_every;
    o.checkpoint = [&](int day, const sim::SaveState& save) { checkpoints->checkpoint(day, save); };
  }
  const sim::RunResult r = sim::simulate(sc, g, s.places, o);
  const long hwm_sim = status_kb("VmHWM");
  w.into_run_dir = checkpoints && checkpoints->has_dir();
  if (checkpoints) w.before_commit = [&] { checkpoints->finish(); };
  outputs::write_results(sc, g, r, w);
  const double whole = seconds_since(t0);
  const auto h5_bytes = fs::file_size(w.dir / "results.h5");
  const long hwm_end = status_kb("VmHWM");
  if (!dump_path.empty()) dump(r, dump_path);

  const double n = static_cast<double>(std::max(1LL, agents));
  std::printf("agents %lld\ndays %d\nthreads %d\ndistricts %d\nfacilities %zu\n", agents, days,
              threads, g.size(), sc.facilities.size());
  std::printf("timestep_s %.3f\nwhole_run_s %.3f\nresults_h5_bytes %ju\n", r.timestep_seconds,
              whole, static_cast<std::uintmax_t>(h5_bytes));
  std::printf("agent_days_per_s %.4g\n", n * days / r.timestep_seconds);
  for (const auto& [phase, seconds] : r.phase_seconds) {
    std::string name = phase;
    std::replace(name.begin(), name.end(), ' ', '_');
    std::printf("phase_s.%s %.3f\n", name.c_str(), seconds);
  }
  std::printf("rss_before_kb %ld\nsim_peak_kb %ld\npeak_rss_kb %ld\npeak_reset %d\n", rss_before,
              hwm_sim, std::max({hwm_setup, hwm_sim, hwm_end}), reset ? 1 : 0);
  std::printf("rss_bytes_per_agent %.2f\n", (hwm_sim - rss_before) * 1024.0 / n);
  std::printf("soa_bytes_per_agent %.0f\ncounted_bytes_per_agent %.2f\n",
              r.diagnostics.at("agent_bytes_per_agent"), r.diagnostics.at("bytes_per_agent"));
  if (checkpoints) {
    const outputs::Checkpointer::Cost c = checkpoints->cost();
    std::printf("checkpoints %d\ncheckpoint_run_waited_s %.3f\ncheckpoint_writer_s %.3f\n",
                c.written, c.run_waited_s, c.writer_s);
    std::printf("checkpoint_last_writer_s %.3f\ncheckpoint_last_bytes %zu\n", c.last_writer_s,
                c.last_bytes);
    std::printf("checkpoint_compressed_bytes %zu\n", c.compressed_bytes);
  }
  std::printf(
      "check peak_occupancy %.0f overflow %.0f positives %.0f cases %.0f waiting %.0f packages "
      "%.0f remigrated %.0f left_study_area %.0f\n",
      r.summary.at("peak_occupancy"), r.summary.at("overflow_total"),
      r.summary.at("positives_found"), r.summary.at("cases_opened"), r.summary.at("peak_waiting"),
      r.summary.at("packages_delivered"), r.summary.at("remigrated_total"),
      r.summary.at("left_study_area"));
  return 0;
}

int overrides(long long n, int days, const std::string& scenario_path) {
  for (const std::string& o : scale_overrides(load_scenario(scenario_path), n, days))
    std::printf("--set\n%s\n", o.c_str());
  return 0;
}

int runs(int replicates, const std::string& scenario_path) {
  auto t = Clock::now();
  const Scenario base = load_scenario(scenario_path);
  const geo::Geography g = geo::build_geography(sim::geo_inputs(base));
  const geo::Locator locator(g);
  const sim::Places places = sim::resolve_places(base, g, &locator);
  const double setup = seconds_since(t);
  double build = 0, days = 0, report = 0, encode = 0;
  std::size_t bytes = 0;
  for (int r = 0; r < replicates; ++r) {
    Scenario sc = base;
    sc.replicate = r;
    t = Clock::now();
    sim::Model m(sc, g, places, 1);
    build += seconds_since(t);
    t = Clock::now();
    while (m.next_day() < m.horizon()) m.run_day();
    days += seconds_since(t);
    t = Clock::now();
    sim::RunResult result;
    m.report(result);
    report += seconds_since(t);
    t = Clock::now();
    std::int64_t cells = 0;
    for (const sim::Series& s : result.series) cells += static_cast<std::int64_t>(s.values.size());
    ensemble::CellEncoder encoder(cells);
    for (const sim::Series& s : result.series) encoder.add(s.values);
    bytes += encoder.finish().size();
    encode += seconds_since(t);
  }
  const double n = replicates;
  std::printf(
      "replicates %d\nsetup_s %.4f\nbuild_s %.5f\ndays_s %.5f\nreport_s %.5f\nencode_s %.5f\n"
      "run_s %.5f\nencoded_bytes %.0f\n",
      replicates, setup, build / n, days / n, report / n, encode / n,
      (build + days + report + encode) / n, static_cast<double>(bytes) / n);
  return 0;
}

/// A study's MPI job with no work in it (see the header).
int cluster() {
  ensemble::Cluster c;
  c.agree([] {});
  std::printf("ranks %d\n", c.size());
  return 0;
}

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s run --agents N [--threads T] [--days D] [--scenario F] [--dump FILE]\n"
               "              [--checkpoint-every N]\n"
               "       %s checkpoint --agents N [--threads T] [--days D] [--day D] [--scenario F]\n"
               "              [--checkpoint-every N]\n"
               "       %s overrides --agents N [--days D] [--scenario F]\n"
               "       %s runs [--replicates R] [--scenario F]\n"
               "       %s cluster   (under mpirun)\n"
               "       %s bandwidth [--threads T]\n"
               "       %s compute [--threads T]\n"
               "       %s reads [--threads T]\n",
               argv0, argv0, argv0, argv0, argv0, argv0, argv0, argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();  // as rfsim runs (base/freed_memory.h)
  if (argc < 2) return usage(argv[0]);
  const std::string mode = argv[1];
  long long agents = 1000000;
  int threads = 1, days = 365, replicates = 40, checkpoint_every = 0, day = 180;
  std::string scenario = std::string(RFSIM_SOURCE_DIR) + "/scenarios/default.toml", dump_path;
  for (int k = 2; k < argc; k += 2) {
    if (k + 1 >= argc) return usage(argv[0]);
    const std::string key = argv[k], value = argv[k + 1];
    if (key == "--agents")
      agents = std::atoll(value.c_str());
    else if (key == "--threads")
      threads = std::atoi(value.c_str());
    else if (key == "--days")
      days = std::atoi(value.c_str());
    else if (key == "--scenario")
      scenario = value;
    else if (key == "--dump")
      dump_path = value;
    else if (key == "--replicates")
      replicates = std::atoi(value.c_str());
    else if (key == "--checkpoint-every")
      checkpoint_every = std::atoi(value.c_str());
    else if (key == "--day")
      day = std::atoi(value.c_str());
    else
      return usage(argv[0]);
  }
  try {
    if (mode == "bandwidth") return bandwidth(std::max(1, threads));
    if (mode == "compute") return compute(std::max(1, threads));
    if (mode == "reads") return reads(std::max(1, threads));
    if (mode == "overrides") return overrides(agents, days, scenario);
    if (mode == "run")
      return run(agents, std::max(1, threads), days, scenario, dump_path, checkpoint_every);
    if (mode == "checkpoint")
      return checkpoint(agents, std::max(1, threads), days, day,
                        checkpoint_every > 0 ? checkpoint_every : 30, scenario);
    if (mode == "runs") return runs(std::max(1, replicates), scenario);
    if (mode == "cluster") return cluster();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rfsim_bench: %s\n", e.what());
    return 1;
  }
  return usage(argv[0]);
}
