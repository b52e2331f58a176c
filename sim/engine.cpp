// Orchestration of a run: builds the model, drives the day loop in a fixed order of
// mechanisms, and turns the integer accumulators into the named series and summary.
//
// Order within day d: quarantine releases (exit test), ends of isolation, arrivals at home
// and ends of home quarantine, leaving the study area, re-migration, agents waiting at the
// entry point retry for beds, the day's new arrivals (screening, beds in id order),
// transmission in facilities, settling at home, social services, weekly package delivery,
// then the day's series are recorded. Everything up to the retries for beds runs on one
// thread alongside the draws of the day's arrivals (Model::before_arrivals).
#include "sim/engine.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "sim/model.h"

namespace rfsim::sim {

const Series* RunResult::find(const std::string& name) const {
  for (const Series& s : series)
    if (s.name == name) return &s;
  return nullptr;
}

namespace detail {

Model::Model(const Scenario& scenario, const geo::Geography& geography, int nthreads)
    : sc(scenario),
      geo(geography),
      H(scenario.horizon_days),
      D(geography.size()),
      F(static_cast<int>(scenario.facilities.size())),
      E(static_cast<int>(scenario.entry_points.size())),
      threads(nthreads),
      rng(scenario.seed, scenario.replicate) {
  if (H <= 0 || H > 65000) throw std::invalid_argument("horizon_days must be in 1..65000");
  if (D == 0) throw std::invalid_argument("the geography has no districts");
  if (geo.path_km.rows() != D || geo.path_km.cols() != D || geo.next_hop.rows() != D ||
      geo.next_hop.cols() != D)
    throw std::invalid_argument("geography: path_km and next_hop must be districts x districts");
  total = scenario.arrivals.total;
  if (total < 0 || total >= (std::int64_t{1} << 30))
    throw std::invalid_argument("arrivals.total must be in 0..2^30-1");
  study.resize(D);
  for (int j = 0; j < D; ++j) study[j] = geo.districts[j].study_area ? 1 : 0;
  policy.resize(H);
  for (int d = 0; d < H; ++d) policy[d] = &sc.policy_at(d);

  const std::vector<std::int64_t> counts = daily_counts(sc.arrivals, H);
  first_id.assign(H + 1, 0);
  for (int d = 0; d < H; ++d) first_id[d + 1] = first_id[d] + counts[d];
  agents.resize(static_cast<size_t>(total));
  state_count[NotArrived] = total;

  for (Calendar* c : {&release, &isolation_end, &arrive, &home_quarantine_end, &leave, &remigrate,
                      &identify, &case_close})
    *c = Calendar(H);

  setup_arrivals();
  setup_quarantine();
  setup_travel();
  setup_services();
  budget_left = std::max(0.0, sc.reintegration.budget_usd);

  arrivals_entry = Grid(H, E);
  infected_arrivals = Grid(H, E);
  arrivals_home_district = Grid(H, D);
  arrivals_home = Grid(H, D);
  occupancy_g = Grid(H, F);
  intake_g = Grid(H, F);
  over_capacity_g = Grid(H, F);
  facility_infections = Grid(H, F);
  overflow_g = Grid(H, 1);
  positives_g = Grid(H, 1);
  left_total_g = Grid(H, 1);
  left_exit_g = Grid(H, D);
  community_diff = Grid(H + 1, D);
  present_diff = Grid(H + 1, D);
  active_g = Grid(H, D);
  waiting_g = Grid(H, D);
  identified_g = Grid(H, D);
  opened_g = Grid(H, D);
  reached_g = Grid(H, 1);
  packages_g = Grid(H, D);
  budget_g = Grid(H, 1);
  remigrated_g = Grid(H, D);
  states_g = Grid(H, kStateCount);
}

void Model::before_arrivals(int d) {
  process_releases(d);
  process_isolation_end(d);
  process_arrive(d);
  process_leave(d);
  process_remigration(d);
  std::vector<std::uint32_t> waiting;
  waiting.swap(waiting_at_entry);
  for (std::uint32_t i : waiting) assign_bed(i, d, true);
}

std::size_t Model::queue_bytes() const {
  std::size_t b = 0;
  for (const Calendar* c : {&release, &isolation_end, &arrive, &home_quarantine_end, &leave,
                            &remigrate, &identify, &case_close})
    b += c->bytes();
  auto vb = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  b += vb(waiting_at_entry) + vb(home_today) + vb(intake_today) + vb(route_tmp);
  for (const auto& v : residents) b += vb(v);
  for (const auto& v : waiting_cases) b += vb(v);
  for (const auto& v : package_queue) b += vb(v);
  return b;
}

namespace {

const char* kStateNames[kStateCount] = {"not_arrived", "waiting_at_entry", "quarantine",
                                        "isolation",   "home_quarantine",  "in_transit",
                                        "at_home",     "left_study_area",  "remigrated"};
const char* kStateText[kStateCount] = {
    "Returnees who have not yet crossed the border.",
    "Returnees waiting at the entry point for a quarantine bed (Wait overflow rule).",
    "Returnees in a quarantine facility bed.",
    "Returnees isolated after a positive test (outside the bed count).",
    "Returnees quarantining at home because no bed was available.",
    "Returnees travelling from the entry point, facility or isolation to their home.",
    "Returnees settled in their home district in the study area.",
    "Returnees whose home lies outside the study area and who have left it.",
    "Returnees who re-migrated irregularly after returning home."};

Series make(const std::string& name, const std::string& units, const std::string& description,
            const std::string& row_axis, const std::string& column_axis, int rows, int columns) {
  Series s{name, units, description, row_axis, column_axis, rows, columns, {}};
  s.values.assign(static_cast<size_t>(rows) * columns, 0.0);
  return s;
}

Series from_grid(const detail::Grid& g, const std::string& name, const std::string& units,
                 const std::string& description, const std::string& column_axis, int rows = -1) {
  const int r = rows < 0 ? g.rows : rows;
  Series s = make(name, units, description, "day", column_axis, r, g.cols);
  for (size_t k = 0; k < s.values.size(); ++k) s.values[k] = static_cast<double>(g.v[k]);
  return s;
}

double column_sum(const Series& s, int c) {
  double t = 0;
  for (int r = 0; r < s.rows; ++r) t += s.at(r, c);
  return t;
}
double total_sum(const Series& s) {
  double t = 0;
  for (double v : s.values) t += v;
  return t;
}

}  // namespace

void run_days(Model& m, const RunOptions& options) {
  for (int d = 0; d < m.H; ++d) {
    if (options.stop && options.stop->load()) throw Interrupted();
    std::fill(m.over_today.begin(), m.over_today.end(), 0);
    m.update_open_facilities(d);
    // Runs before_arrivals(d) (releases ... retries of waiting agents) on one thread while
    // the others draw the day's new arrivals, then routes the arrivals.
    m.process_arrivals(d);
    m.transmission(d);
    m.process_home_today(d);  // and the social services of the day, alongside
    m.deliver_packages(d);

    for (int f = 0; f < m.F; ++f) {
      m.occupancy_g.at(d, f) = m.occupancy[f];
      m.over_capacity_g.at(d, f) = m.over_today[f];
    }
    for (int s = 0; s < kStateCount; ++s) m.states_g.at(d, s) = m.state_count[s];
    m.budget_g.at(d, 0) = static_cast<std::int64_t>(std::llround(m.budget_spent * 100));
    m.peak_queue_bytes = std::max(m.peak_queue_bytes, m.queue_bytes());
    if (options.on_day) options.on_day(d, m.H);
  }
}

}  // namespace detail

RunResult simulate(const Scenario& scenario, const geo::Geography& geography,
                   const RunOptions& options) {
  using namespace detail;
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  detail::Model m(scenario, geography, threads);
  const auto t0 = std::chrono::steady_clock::now();
  detail::run_days(m, options);
  const auto t1 = std::chrono::steady_clock::now();

  const int H = m.H, D = m.D, F = m.F, E = m.E;
  RunResult out;
  out.agents = m.total;
  out.timestep_seconds = std::chrono::duration<double>(t1 - t0).count();
  for (const Facility& f : scenario.facilities) out.facility_names.push_back(f.name);
  for (const EntryPoint& e : scenario.entry_points) out.entry_point_names.push_back(e.name);
  auto& S = out.series;

  // Arrivals.
  {
    Series daily = make("arrivals/daily", "persons", "Returnees crossing the border each day.",
                        "day", "total", H, 1);
    for (int d = 0; d < H; ++d)
      daily.at(d, 0) = static_cast<double>(m.first_id[d + 1] - m.first_id[d]);
    S.push_back(std::move(daily));
  }
  S.push_back(from_grid(m.arrivals_entry, "arrivals/by_entry_point", "persons",
                        "Returnees crossing the border each day, by entry point.", "entry_point"));
  S.push_back(from_grid(m.arrivals_home_district, "arrivals/by_home_district", "persons",
                        "Returnees crossing the border each day, by home district.", "district"));
  S.push_back(from_grid(m.infected_arrivals, "infection/infected_arrivals", "persons",
                        "Arrivals infected (exposed or infectious) each day, by entry point.",
                        "entry_point"));
  // Quarantine.
  S.push_back(from_grid(m.occupancy_g, "quarantine/occupancy", "beds",
                        "Occupied quarantine beds at the end of each day, by facility.",
                        "facility"));
  S.push_back(from_grid(m.intake_g, "quarantine/intake", "persons",
                        "Returnees admitted to each facility each day.", "facility"));
  S.push_back(from_grid(m.overflow_g, "quarantine/overflow", "persons",
                        "Returnees who needed a bed and got none that day (home quarantine or "
                        "waiting at the entry point).",
                        "total"));
  S.push_back(from_grid(m.over_capacity_g, "quarantine/over_capacity", "0/1",
                        "1 when the facility was full and turned away a returnee that day.",
                        "facility"));
  // Infection.
  S.push_back(from_grid(m.positives_g, "infection/positives_found", "persons",
                        "Positive tests at entry or exit each day (isolated).", "total"));
  S.push_back(from_grid(m.facility_infections, "infection/facility_infections", "persons",
                        "New infections inside each facility each day.", "facility"));
  Grid community = m.community_diff;
  community.prefix_sum();
  S.push_back(from_grid(community, "infection/community_infectious_days", "person-days",
                        "Infectious returnees at home in the community each day, by home "
                        "district (undetected or not yet recovered).",
                        "district", H));
  {
    Series risk = make("infection/community_risk", "person-days per 100,000 residents",
                       "Cumulative community infectious-days per 100,000 residents, by "
                       "district: the per-district transmission-risk figure.",
                       "day", "district", H, D);
    for (int j = 0; j < D; ++j) {
      const double pop = geography.districts[j].population;
      double cum = 0;
      for (int d = 0; d < H; ++d) {
        cum += static_cast<double>(community.at(d, j));
        risk.at(d, j) = pop > 0 ? cum * 1e5 / pop : 0.0;
      }
    }
    S.push_back(std::move(risk));
  }
  // Travel.
  S.push_back(from_grid(m.arrivals_home, "travel/arrivals_home", "persons",
                        "Returnees reaching their home district each day.", "district"));
  S.push_back(from_grid(m.left_total_g, "travel/left_study_area", "persons",
                        "Returnees with a home outside the study area leaving it each day.",
                        "total"));
  S.push_back(from_grid(m.left_exit_g, "travel/left_study_area_by_exit", "persons",
                        "Returnees leaving the study area each day, by the study district "
                        "where their path exits.",
                        "district"));
  // States.
  for (int s = 0; s < kStateCount; ++s) {
    Series st = make(std::string("state/") + detail::kStateNames[s], "persons",
                     detail::kStateText[s], "day", "total", H, 1);
    for (int d = 0; d < H; ++d) st.at(d, 0) = static_cast<double>(m.states_g.at(d, s));
    S.push_back(std::move(st));
  }
  // Services.
  S.push_back(from_grid(m.identified_g, "services/identified", "needs",
                        "Needs newly identified each day (at intake or at home), by home "
                        "district.",
                        "district"));
  S.push_back(from_grid(m.opened_g, "services/cases_opened", "cases",
                        "Cases opened each day, by home district.", "district"));
  S.push_back(from_grid(m.active_g, "services/active_cases", "cases",
                        "Open cases at the end of each day, by district.", "district"));
  S.push_back(from_grid(m.waiting_g, "services/waiting", "cases",
                        "Identified needs waiting for a free case slot, by district.", "district"));
  const int W = (H + 6) / 7;
  const double caseload = std::max(scenario.services.caseload_per_worker, 1e-9);
  Series demand = make("services/demand_fte", "FTE social workers",
                       "Weekly mean of (active cases + waiting list) / caseload per worker, by "
                       "district.",
                       "week", "district", W, D);
  Series deployed =
      make("services/deployed_fte", "FTE social workers",
           "Social workers deployed in each district (supply).", "week", "district", W, D);
  Series gap = make("services/gap_fte", "FTE social workers",
                    "Weekly demand minus deployed workers, where positive, by district.", "week",
                    "district", W, D);
  Series unmet = make("services/unmet_need", "cases",
                      "Weekly mean of identified needs waiting for a case slot, by district.",
                      "week", "district", W, D);
  std::vector<double> peak_gap(D, 0.0);
  for (int w = 0; w < W; ++w) {
    const int d0 = 7 * w, d1 = std::min(H, d0 + 7);
    for (int j = 0; j < D; ++j) {
      double a = 0, q = 0;
      for (int d = d0; d < d1; ++d)
        a += static_cast<double>(m.active_g.at(d, j)),
            q += static_cast<double>(m.waiting_g.at(d, j));
      a /= (d1 - d0);
      q /= (d1 - d0);
      demand.at(w, j) = (a + q) / caseload;
      deployed.at(w, j) = m.deployed[j];
      gap.at(w, j) = std::max(0.0, demand.at(w, j) - m.deployed[j]);
      unmet.at(w, j) = q;
      peak_gap[j] = std::max(peak_gap[j], gap.at(w, j));
    }
  }
  Grid reached = m.reached_g;
  reached.prefix_sum();
  S.push_back(from_grid(reached, "services/vulnerable_reached", "persons",
                        "Returnees with at least one case opened, cumulative.", "total"));
  // Host communities.
  Grid present = m.present_diff;
  present.prefix_sum();
  S.push_back(from_grid(present, "host/returnees_present", "persons",
                        "Returnees present in their home district (home quarantine or at home), "
                        "by district.",
                        "district", H));
  {
    Series per1000 = make("host/returnees_per_1000", "returnees per 1,000 residents",
                          "Returnees present in their home district per 1,000 residents.", "day",
                          "district", H, D);
    for (int d = 0; d < H; ++d)
      for (int j = 0; j < D; ++j) {
        const double pop = geography.districts[j].population;
        per1000.at(d, j) = pop > 0 ? static_cast<double>(present.at(d, j)) * 1000.0 / pop : 0.0;
      }
    S.push_back(std::move(per1000));
  }
  // Reintegration.
  S.push_back(from_grid(m.packages_g, "reintegration/packages", "packages",
                        "Reintegration packages delivered each day, by home district.",
                        "district"));
  {
    Series spent =
        make("reintegration/budget_spent", "USD",
             "Package budget spent, cumulative, at the end of each day.", "day", "total", H, 1);
    for (int d = 0; d < H; ++d) spent.at(d, 0) = static_cast<double>(m.budget_g.at(d, 0)) / 100.0;
    S.push_back(std::move(spent));
  }
  S.push_back(from_grid(m.remigrated_g, "reintegration/remigrated", "persons",
                        "Irregular re-migrations each day, by home district.", "district"));
  S.push_back(std::move(demand));
  S.push_back(std::move(deployed));
  S.push_back(std::move(gap));
  S.push_back(std::move(unmet));

  // Summary.
  auto& sum = out.summary;
  const Series& by_entry = *out.find("arrivals/by_entry_point");
  sum["arrivals_total"] = static_cast<double>(m.first_id[H]);
  sum["arrivals_informal"] = static_cast<double>(m.informal_arrivals);
  for (int e = 0; e < E; ++e)
    sum["arrivals_share." + out.entry_point_names[e]] =
        m.first_id[H] > 0 ? column_sum(by_entry, e) / static_cast<double>(m.first_id[H]) : 0.0;
  double peak_occ = 0, overflow_total = 0, peak_overflow = 0, days_over = 0, fac_days_over = 0;
  for (int d = 0; d < H; ++d) {
    double occ = 0, any = 0;
    for (int f = 0; f < F; ++f) {
      occ += static_cast<double>(m.occupancy_g.at(d, f));
      any = std::max(any, static_cast<double>(m.over_capacity_g.at(d, f)));
      fac_days_over += static_cast<double>(m.over_capacity_g.at(d, f));
    }
    peak_occ = std::max(peak_occ, occ);
    days_over += any;
    overflow_total += static_cast<double>(m.overflow_g.at(d, 0));
    peak_overflow = std::max(peak_overflow, static_cast<double>(m.overflow_g.at(d, 0)));
  }
  sum["peak_occupancy"] = peak_occ;
  sum["overflow_total"] = overflow_total;
  sum["peak_overflow"] = peak_overflow;
  sum["days_over_capacity"] = days_over;
  sum["facility_days_over_capacity"] = fac_days_over;
  sum["positives_found"] = total_sum(*out.find("infection/positives_found"));
  sum["infected_arrivals"] = total_sum(*out.find("infection/infected_arrivals"));
  sum["facility_infections"] = total_sum(*out.find("infection/facility_infections"));
  sum["community_infectious_days"] = total_sum(*out.find("infection/community_infectious_days"));
  {
    double peak_risk = 0;
    const Series& risk = *out.find("infection/community_risk");
    for (int j = 0; j < D; ++j) peak_risk = std::max(peak_risk, risk.at(H - 1, j));
    sum["community_risk_max_per_100k"] = peak_risk;
  }
  sum["arrived_home"] = total_sum(*out.find("travel/arrivals_home"));
  sum["left_study_area"] = total_sum(*out.find("travel/left_study_area"));
  sum["needs_identified"] = total_sum(*out.find("services/identified"));
  sum["cases_opened"] = total_sum(*out.find("services/cases_opened"));
  sum["vulnerable_reached"] = H > 0 ? static_cast<double>(reached.at(H - 1, 0)) : 0.0;
  sum["vulnerable_target"] = static_cast<double>(scenario.services.vulnerable_target);
  sum["vulnerable_reached_share"] =
      scenario.services.vulnerable_target > 0
          ? sum["vulnerable_reached"] / static_cast<double>(scenario.services.vulnerable_target)
          : 0.0;
  double peak_waiting = 0, peak_demand = 0, peak_gap_total = 0;
  for (int d = 0; d < H; ++d) {
    double q = 0;
    for (int j = 0; j < D; ++j) q += static_cast<double>(m.waiting_g.at(d, j));
    peak_waiting = std::max(peak_waiting, q);
  }
  const Series& dem = *out.find("services/demand_fte");
  const Series& gp = *out.find("services/gap_fte");
  for (int w = 0; w < W; ++w) {
    double a = 0, g = 0;
    for (int j = 0; j < D; ++j) a += dem.at(w, j), g += gp.at(w, j);
    peak_demand = std::max(peak_demand, a);
    peak_gap_total = std::max(peak_gap_total, g);
  }
  sum["peak_waiting"] = peak_waiting;
  sum["peak_demand_fte"] = peak_demand;
  sum["peak_gap_fte"] = peak_gap_total;
  sum["packages_delivered"] = total_sum(*out.find("reintegration/packages"));
  sum["budget_spent"] = m.budget_spent;
  sum["remigrated_total"] = total_sum(*out.find("reintegration/remigrated"));
  const double n = std::max<double>(1.0, static_cast<double>(m.total));
  sum["bytes_per_agent"] =
      static_cast<double>(Agents::bytes_per_agent()) + static_cast<double>(m.peak_queue_bytes) / n;
  sum["queue_bytes_peak"] = static_cast<double>(m.peak_queue_bytes);
  out.worker_recommendation = m.recommend_workers(peak_gap);
  return out;
}

}  // namespace rfsim::sim
