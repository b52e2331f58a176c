// One run of the model (see model.h).
#include "sim/model.h"

#include <algorithm>

namespace rfsim::sim {

namespace {
const char* const kStateNames[kStateCount] = {"not_arrived", "waiting_at_entry", "quarantine",
                                              "isolation",   "home_quarantine",  "in_transit",
                                              "at_home",     "left_study_area",  "remigrated"};
const char* const kStateText[kStateCount] = {
    "Returnees who have not yet crossed the border.",
    "Returnees waiting at the entry point for a quarantine bed (Wait overflow rule).",
    "Returnees in a quarantine facility bed.",
    "Returnees isolated after a positive test (outside the bed count).",
    "Returnees quarantining at home because no bed was available.",
    "Returnees travelling from the entry point, facility or isolation to their home.",
    "Returnees settled in their home district in the study area.",
    "Returnees whose home lies outside the study area and who have left it.",
    "Returnees who re-migrated irregularly after returning home."};
}  // namespace

Model::Model(const Scenario& scenario, const geo::Geography& geography, const Places& places,
             int threads)
    : world_(scenario, geography, places, threads),
      infection_(world_),
      home_(world_, infection_),
      travel_(world_, home_),
      quarantine_(world_, infection_, travel_),
      transmission_(world_, quarantine_, infection_),
      arrivals_(world_),
      services_(world_, quarantine_, home_),
      reintegration_(world_, arrivals_, home_),
      information_(world_, arrivals_, quarantine_),
      costs_(world_, quarantine_, travel_, information_, reintegration_),
      initial_(world_, arrivals_, quarantine_, home_, services_, reintegration_),
      units_{&infection_, &home_,     &travel_,        &quarantine_,  &transmission_,
             &arrivals_, &services_, &reintegration_, &information_, &costs_,
             &initial_},
      day_plan_(bind_units()) {}

BoundDay Model::bind_units() {
  StepTable steps;
  for (Unit* u : units_) u->bind(steps);
  steps.step("world.record_states", [this](int d) { world_.record_states(d); });
  return BoundDay(day_schedule(), steps, world_.threads);
}

void Model::run_day() {
  day_plan_.run(day_);
  std::size_t bytes = 0;
  for (const Unit* u : units_) bytes += u->queue_bytes();
  peak_queue_bytes_ = std::max(peak_queue_bytes_, bytes);
  ++day_;
}

void Model::save(StateWriter& w) const {
  w.scalar<std::int32_t>("model/next_day", day_);
  w.scalar<std::int64_t>("model/peak_queue_bytes", static_cast<std::int64_t>(peak_queue_bytes_));
  world_.save(w);
  for (const Unit* u : units_) u->save(w);
}

void Model::load(const StateReader& r) {
  const int day = r.scalar<std::int32_t>("model/next_day");
  if (day < 0 || day > world_.H)
    throw StateError("state entry 'model/next_day' is outside the horizon");
  day_ = day;
  peak_queue_bytes_ = static_cast<std::size_t>(r.scalar<std::int64_t>("model/peak_queue_bytes"));
  world_.load(r, day);
  for (Unit* u : units_) u->load(r);
}

void Model::report(RunResult& out) const {
  Report report(out);
  for (const Unit* u : units_) u->report(report);
  for (int s = 0; s < kStateCount; ++s) {
    Series& st = report.series(std::string("state/") + kStateNames[s], "persons", kStateText[s],
                               "day", axis::Total, world_.H, 1);
    for (int d = 0; d < world_.H; ++d) st.at(d, 0) = static_cast<double>(world_.states().at(d, s));
  }
  const double n = std::max<double>(1.0, static_cast<double>(world_.total));
  const auto columns = static_cast<double>(world_.agents.bytes_per_agent());
  const auto queues = static_cast<double>(peak_queue_bytes_);
  out.diagnostics["agent_bytes_per_agent"] = columns;
  out.diagnostics["queue_bytes_peak"] = queues;
  out.diagnostics["bytes_per_agent"] = columns + queues / n;
}

}  // namespace rfsim::sim
