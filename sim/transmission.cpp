// Transmission inside quarantine facilities (see transmission.h).
#include "sim/transmission.h"

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "sim/parallel.h"

namespace rfsim::sim {

Transmission::Transmission(World& world, Quarantine& quarantine, Infection& infection)
    : w_(world),
      quarantine_(quarantine),
      infection_(infection),
      infectious_(world.F, 0),
      p_(world.F, 0.0),
      offset_(world.F + 1, 0),
      first_piece_(world.F + 1, 0),
      infections_(world.H, world.F) {}

void Transmission::facilities(int d) {
  const int F = w_.F;
  if (F == 0) return;  // no facilities, no residents (and an empty infections row)
  const rfsim::Infection& inf = w_.sc.infection;
  const bool any_beta = inf.facility_beta > 0;
  const std::size_t resident_total = quarantine_.resident_total();
  std::fill(infectious_.begin(), infectious_.end(), 0);
  std::fill(p_.begin(), p_.end(), 0.0);
  std::int64_t* infections = &infections_.at(d, 0);
  // The sweep in pieces of kPiece residents, so that the threads share it evenly however
  // unequal the facilities: facility f's pieces are first_piece_[f] .. first_piece_[f+1]-1.
  piece_facility_.clear();
  for (int f = 0; f < F; ++f) {
    first_piece_[f] = piece_facility_.size();
    piece_facility_.resize(piece_facility_.size() +
                               (quarantine_.residents(f).size() + kPiece - 1) / kPiece,
                           f);
  }
  const std::size_t pieces = first_piece_[F] = piece_facility_.size();
  piece_kept_.resize(pieces);
  piece_infectious_.resize(pieces);
  // One parallel region (or, with one thread or few residents, the same steps in order on
  // the calling thread): the pieces of every facility drop the residents who left and count
  // the infectious ones; the pieces of each facility are joined (in order: the list is
  // what one sweep leaves); one thread turns the counts into today's infection probability
  // and the offsets of the residents at risk (facilities with p > 0, in index order); then
  // each thread draws the infections of a contiguous share of those residents. Every draw
  // reads and writes only its own agent, and the counts are integer sums, so the split
  // does not change any result.
  const auto sweep_piece = [&](std::size_t k) {
    const int f = piece_facility_[k];
    const std::size_t lo = (k - first_piece_[f]) * kPiece;
    const std::size_t hi = std::min(lo + kPiece, quarantine_.residents(f).size());
    std::int64_t infectious = 0;
    piece_kept_[k] = quarantine_.sweep_piece(
        f, lo, hi, [&](std::uint32_t i) { infectious += infection_.infectious(i, d); });
    piece_infectious_[k] = infectious;
  };
  const auto join_pieces = [&](int f) {
    quarantine_.join_pieces(f, kPiece, piece_kept_.data() + first_piece_[f]);
    std::int64_t infectious = 0;
    for (std::size_t k = first_piece_[f]; k < first_piece_[f + 1]; ++k)
      infectious += piece_infectious_[k];
    infectious_[f] = infectious;
  };
  const auto set_chances = [&] {
    for (int f = 0; f < F; ++f) {
      const auto& res = quarantine_.residents(f);
      if (any_beta && infectious_[f] > 0) {
        const double occ = static_cast<double>(res.size());
        const int capacity = quarantine_.capacity(f);
        const double crowding = std::max(1.0, capacity > 0 ? occ / capacity : occ);
        const double force = inf.facility_beta * static_cast<double>(infectious_[f]) *
                             std::pow(crowding, inf.crowding_exponent) / std::max(1.0, occ);
        p_[f] = -std::expm1(-force);
      }
      offset_[f + 1] = offset_[f] + (p_[f] > 0 ? static_cast<std::int64_t>(res.size()) : 0);
    }
  };
  // Share t of nt of the residents at risk draw their infections.
  const auto infect_share = [&](int t, int nt) {
    const std::int64_t n = offset_[F];
    const std::int64_t lo = n * t / nt, hi = n * (t + 1) / nt;
    for (int f = 0; f < F; ++f) {
      const std::int64_t b = std::max(lo, offset_[f]), e = std::min(hi, offset_[f + 1]);
      if (b >= e) continue;
      const std::uint32_t* res = quarantine_.residents(f).data() + (b - offset_[f]);
      const double p = p_[f];
      std::int64_t infected = 0;
      // The susceptible residents' draws, a block at a time (a resident is listed once, so
      // an infection in a block changes no other draw of it).
      constexpr int L = DrawBlock::kLanes;
      std::uint32_t ids[L] = {};
      int m = 0;
      DrawBlock draws;
      const auto draw_block = [&] {
        w_.rng.block(ids, d, Purpose::Transmission, 0, draws);
        for (int j = 0; j < m; ++j) {
          if (!bernoulli(uniform32(draws.word[0][j]), p)) continue;
          infection_.infect(ids[j], d, w_.rng(ids[j], d, Purpose::Course));
          ++infected;
        }
        m = 0;
      };
      for (std::int64_t k = 0; k < e - b; ++k) {
        const std::uint32_t i = res[k];
        if (infection_.ever_infected(i)) continue;
        ids[m++] = i;
        if (m == L) draw_block();
      }
      if (m > 0) draw_block();
#pragma omp atomic
      infections[f] += infected;
    }
  };
  if (!share_out(w_.threads, resident_total, 16384)) {
    for (std::size_t k = 0; k < pieces; ++k) sweep_piece(k);
    for (int f = 0; f < F; ++f) join_pieces(f);
    set_chances();
    infect_share(0, 1);
    return;
  }
#pragma omp parallel num_threads(w_.threads)
  {
#pragma omp for schedule(dynamic, 1)
    for (std::size_t k = 0; k < pieces; ++k) sweep_piece(k);
#pragma omp for schedule(dynamic, 1)
    for (int f = 0; f < F; ++f) join_pieces(f);
#pragma omp single
    set_chances();
    infect_share(omp_get_thread_num(), omp_get_num_threads());
  }
}

void Transmission::bind(StepTable& steps) {
  steps.step("transmission.facilities", [this](int d) { facilities(d); });
}

void Transmission::report(Report& out) const {
  const Series& s = out.daily(infections_, "infection/facility_infections", "persons",
                              "New infections inside each facility each day.", axis::Facility);
  out.figure("facility_infections", total_sum(s), "persons",
             "Returnees infected inside quarantine facilities.");
}

void Transmission::save(StateWriter& w) const { infections_.save(w, "transmission/infections"); }
void Transmission::load(const StateReader& r) {
  infections_.load_appended(r, "transmission/infections");  // (facilities a branch appends)
}

}  // namespace rfsim::sim
