// Where to deploy additional social workers (see deployment.h).
#include "sim/deployment.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>

namespace rfsim::sim {

namespace {

/// One run with `extra` workers added per district (single-threaded: runs go in parallel).
RunResult run_from_day_0(const Scenario& s, const geo::Geography& g, Places places,
                         const std::vector<int>& extra, const std::atomic<bool>* stop) {
  for (std::size_t d = 0; d < extra.size(); ++d) places.deployed_workers[d] += extra[d];
  RunOptions options;
  options.threads = 1;
  options.stop = stop;
  return simulate(s, g, places, options);
}

/// job(k) for k in [0, n), shared out over `threads`. A job's exception cannot leave the
/// parallel region: once one fails, or `stop` is set, the jobs not yet begun are skipped,
/// and the first failure (by k) is rethrown when all have finished; Interrupted if `stop`
/// was set.
template <class Job>
void run_jobs(int n, int threads, const std::atomic<bool>* stop, Job&& job) {
  std::vector<std::exception_ptr> failure(static_cast<std::size_t>(n));
  std::atomic<bool> failed{false};
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::max(1, threads))
  for (int k = 0; k < n; ++k) {
    if (failed.load() || (stop && stop->load())) continue;
    try {
      job(k);
    } catch (...) {
      failure[static_cast<std::size_t>(k)] = std::current_exception();
      failed.store(true);
    }
  }
  for (const std::exception_ptr& e : failure)
    if (e) std::rethrow_exception(e);
  if (stop && stop->load()) throw Interrupted();
}

/// Unmet need-weeks of each district: services/unmet_need_total (weekly means) x days / 7.
std::vector<double> unmet_by_district(const RunResult& r, int horizon) {
  const Series* s = r.find("services/unmet_need_total");
  std::vector<double> out(static_cast<size_t>(s->columns), 0.0);
  for (int w = 0; w < s->rows; ++w) {
    const int days = std::min(horizon, 7 * w + 7) - 7 * w;
    for (int j = 0; j < s->columns; ++j) out[j] += s->at(w, j) * days / 7.0;
  }
  return out;
}

/// The peak weekly whole-need FTE gap of each district.
std::vector<double> peak_need_gap(const RunResult& r) {
  const Series* s = r.find("services/need_gap_fte");
  std::vector<double> out(static_cast<size_t>(s->columns), 0.0);
  for (int w = 0; w < s->rows; ++w)
    for (int j = 0; j < s->columns; ++j) out[j] = std::max(out[j], s->at(w, j));
  return out;
}

/// `total` spread over the candidates in proportion to `weight` by largest remainder
/// (ties by district index).
std::vector<int> proportional(int total, const std::vector<int>& candidates,
                              const std::vector<double>& weight, int districts) {
  std::vector<int> out(districts, 0);
  double sum = 0;
  for (int d : candidates) sum += weight[d];
  if (candidates.empty() || total <= 0) return out;
  std::vector<std::pair<double, int>> remainders;
  int given = 0;
  for (int d : candidates) {
    const double q = sum > 0 ? total * weight[d] / sum : static_cast<double>(total) / candidates.size();
    out[d] = static_cast<int>(std::floor(q));
    given += out[d];
    remainders.emplace_back(-(q - std::floor(q)), d);
  }
  std::sort(remainders.begin(), remainders.end());
  for (int k = 0; given < total; ++k, ++given) ++out[remainders[k % remainders.size()].second];
  return out;
}

std::vector<int> as_extra(const std::vector<std::pair<int, int>>& allocation, int districts) {
  std::vector<int> extra(districts, 0);
  for (const auto& [d, n] : allocation) extra[d] += n;
  return extra;
}

}  // namespace

std::vector<std::pair<int, int>> greedy_by_peak_gap(const std::vector<double>& peak_gap,
                                                    const std::vector<int>& candidates,
                                                    int additional) {
  std::vector<double> remaining = peak_gap;
  std::vector<std::pair<int, int>> out;
  for (int k = 0; k < additional; ++k) {
    int best = -1;
    for (int h : candidates)
      if (best < 0 || remaining[h] > remaining[best]) best = h;
    if (best < 0) break;
    remaining[best] -= 1.0;
    auto it = std::find_if(out.begin(), out.end(), [&](auto& p) { return p.first == best; });
    if (it == out.end())
      out.emplace_back(best, 1);
    else
      ++it->second;
  }
  return out;
}

Deployment recommend_deployment(const Scenario& scenario, const geo::Geography& geography,
                                const Places& places, int threads, const RunWithExtra& run_with,
                                const std::atomic<bool>* stop) {
  const RunWithExtra run = run_with ? run_with : RunWithExtra([&](const std::vector<int>& extra) {
    return run_from_day_0(scenario, geography, places, extra, stop);
  });
  Deployment out;
  const int K = scenario.services.additional_workers;
  const std::vector<int>& candidates = places.deploy_candidates;
  const int D = geography.size(), H = scenario.horizon_days;
  const int C = static_cast<int>(candidates.size());
  if (K <= 0 || C == 0) return out;
  const int lo = scenario.services.deploy_min_per_district;
  const int cap = std::min(K, scenario.services.deploy_max_per_district);

  // Every district's unmet need with j = 0..cap more workers: one run per j.
  std::vector<std::vector<double>> unmet(cap + 1);
  std::vector<double> base_gap;
  run_jobs(cap + 1, threads, stop, [&](int j) {
    std::vector<int> extra(D, 0);
    for (int d : candidates) extra[d] = j;
    const RunResult r = run(extra);
    unmet[j] = unmet_by_district(r, H);
    if (j == 0) base_gap = peak_need_gap(r);
  });
  out.runs = cap + 1;

  // Dynamic programme: best[c][k] = least unmet need of candidates 0..c-1 given k workers.
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> best(C + 1, std::vector<double>(K + 1, kInf));
  std::vector<std::vector<int>> choice(C + 1, std::vector<int>(K + 1, -1));
  best[0][0] = 0;
  for (int c = 0; c < C; ++c)
    for (int k = 0; k <= K; ++k) {
      if (best[c][k] == kInf) continue;
      for (int j = lo; j <= cap && k + j <= K; ++j) {
        const double v = best[c][k] + unmet[j][candidates[c]];
        if (v < best[c + 1][k + j]) {
          best[c + 1][k + j] = v;
          choice[c + 1][k + j] = j;
        }
      }
    }
  std::vector<std::pair<int, int>> recommended;
  for (int c = C, k = K; c > 0 && best[C][K] < kInf; --c) {
    const int j = choice[c][k];
    if (j > 0) recommended.emplace_back(candidates[c - 1], j);
    k -= j;
  }
  std::stable_sort(recommended.begin(), recommended.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second ||
                                                             (a.second == b.second && a.first < b.first); });
  out.recommended = recommended;
  const std::vector<int> placed = as_extra(recommended, D);
  for (int d = 0; d < D; ++d) out.predicted += unmet[placed[d]][d];

  // Closed loop: the recommendation and the baselines, each re-simulated.
  std::vector<double> population(D, 0.0), ones(D, 1.0);
  for (int d = 0; d < D; ++d) population[d] = geography.districts[d].population;
  const std::vector<std::pair<std::string, std::vector<int>>> allocations = {
      {"none", std::vector<int>(D, 0)},
      {"recommended", placed},
      {"uniform", proportional(K, candidates, ones, D)},
      {"by_population", proportional(K, candidates, population, D)},
      {"greedy_gap", as_extra(greedy_by_peak_gap(base_gap, candidates, K), D)}};
  std::vector<double> totals(allocations.size(), 0.0);
  run_jobs(static_cast<int>(allocations.size()), threads, stop,
           [&](int a) { totals[a] = run(allocations[a].second).summary.at("unmet_need_weeks"); });
  for (std::size_t a = 0; a < allocations.size(); ++a)
    out.unmet_need_weeks[allocations[a].first] = totals[a];
  out.runs += static_cast<int>(allocations.size());
  return out;
}

void add_deployment(RunResult& result, const Deployment& deployment) {
  result.worker_recommendation = deployment.recommended;
  for (const auto& [name, weeks] : deployment.unmet_need_weeks) {
    result.summary["unmet_need_weeks." + name] = weeks;
    result.summary_info["unmet_need_weeks." + name] = {
        "need-weeks", "Unmet need-weeks of the run with the additional social workers placed " +
                          (name == "none" ? std::string("nowhere") : "by the " + name +
                                                                         " allocation") +
                          " (closed-loop check of the recommendation)."};
  }
}

}  // namespace rfsim::sim
