// Tests of checkpoint files (outputs/checkpoint.h) and of the directory of a checkpointed
// run (outputs/run_dir.h), on the small models of tests/sim: a state written to a file and
// read back continues the run exactly; the file records what continuing it needs; a file
// cut short, damaged or of another kind is refused, naming it; the directory gets its
// checkpoints every N days, pruned, and its results last.
#include <hdf5.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "geo/sha256.h"
#include "outputs/checkpoint.h"
#include "outputs/run_dir.h"
#include "outputs/writer.h"
#include "rfsim/version.h"
#include "sim/world.h"
#include "tests/sim/fixtures.h"

namespace fs = std::filesystem;
using namespace rfsim;
using namespace rfsim::test;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() /
           ("rfsim-test-checkpoint-" + std::to_string(getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct Fixture {
  geo::Geography g = property_geography();
  Scenario s = property_scenario(21);
  sim::Places places = sim::resolve_places(s, g, nullptr);
  outputs::CheckpointMeta meta() const {
    return outputs::checkpoint_meta(s, {{"data/boundaries.geojson", std::string(64, 'b')}}, {}, 2,
                                    10, 0);
  }
  /// The state of the run at the start of `day`.
  sim::MemoryState state_at(int day) const {
    return sim::simulate_until(s, g, places, day, {});
  }
};

std::size_t state_bytes(const sim::MemoryState& state) {
  std::size_t n = 0;
  for (const auto& [name, values] : state.entries())
    std::visit([&](const auto& v) { n += v.size() * sizeof(v[0]); }, values);
  return n;
}

void write(const fs::path& path, const outputs::CheckpointMeta& meta,
           const sim::MemoryState& state) {
  outputs::CheckpointState chunks;
  state.save(chunks);
  const auto image = outputs::checkpoint_image(meta, chunks, 2);
  outputs::write_checkpoint_file(path, image);
}

void write_image(const fs::path& path, const outputs::CheckpointImage& image) {
  outputs::write_checkpoint_file(path, image);
}

/// The chunks of state entry `name` of the checkpoint at `path` as stored (filter mask and
/// bytes), in order: what two files holding the same state must share byte for byte (their
/// object headers also hold times of creation).
std::vector<std::pair<unsigned, std::string>> stored_chunks(const fs::path& path,
                                                            const std::string& name) {
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  const hid_t ds = H5Dopen2(f, ("/state/" + name).c_str(), H5P_DEFAULT);
  REQUIRE(ds >= 0);
  const hid_t space = H5Dget_space(ds);
  const hid_t dcpl = H5Dget_create_plist(ds);
  hsize_t chunks = 0;  // (an empty entry is not chunked)
  if (H5Pget_layout(dcpl) == H5D_CHUNKED) H5Dget_num_chunks(ds, space, &chunks);
  H5Pclose(dcpl);
  std::vector<std::pair<unsigned, std::string>> out;
  for (hsize_t k = 0; k < chunks; ++k) {
    hsize_t offset = 0, size = 0;
    unsigned mask = 0;
    haddr_t address = 0;
    REQUIRE(H5Dget_chunk_info(ds, space, k, &offset, &mask, &address, &size) >= 0);
    std::string bytes(size, '\0');
    REQUIRE(H5Dread_chunk(ds, H5P_DEFAULT, &offset, &mask, bytes.data()) >= 0);
    out.emplace_back(mask, std::move(bytes));
  }
  H5Sclose(space);
  H5Dclose(ds);
  H5Fclose(f);
  return out;
}

/// Overwrites `count` bytes at `offset` of `path` with `byte`.
void damage(const fs::path& path, std::size_t offset, std::size_t count, char byte) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  const std::string bytes(count, byte);
  f.write(bytes.data(), static_cast<std::streamsize>(count));
}

/// Flips a bit of the byte at `offset` of `path`.
void flip(const fs::path& path, std::size_t offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  const char was = static_cast<char>(in.get());
  in.close();
  damage(path, offset, 1, static_cast<char>(was ^ 0x10));
}

/// Seals `path` again after it was changed on purpose, as format 1.0 sealed files (which
/// rfsim still reads): its first 512 bytes carry the SHA-256 of the rest.
void reseal(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  const std::string header =
      "rfsim checkpoint sha256 " + geo::sha256_hex(std::string_view(bytes).substr(512)) + "\n";
  damage(path, 0, 512, '\0');
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.write(header.data(), static_cast<std::streamsize>(header.size()));
}

/// Sets a string attribute of the root group of a checkpoint (and seals it again).
void set_root_attr(const fs::path& path, const char* name, const std::string& value) {
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(f >= 0);
  H5Adelete(f, name);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(f, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  const char* p = value.c_str();
  H5Awrite(a, type, &p);
  H5Aclose(a);
  H5Sclose(space);
  H5Tclose(type);
  H5Fclose(f);
  reseal(path);
}

/// Entry `name` of checkpoint `c` reads back as `values`.
void check_reads_back(const outputs::Checkpoint& c, const std::string& name,
                      const sim::MemoryState::Values& values) {
  std::visit(
      [&](const auto& v) {
        std::decay_t<decltype(v)> read;
        c.read(name, read);
        CHECK(read == v);
      },
      values);
}

}  // namespace

TEST_CASE("a run continued from a checkpoint file finishes as if uninterrupted") {
  const Fixture x;
  TempDir tmp;
  const sim::RunResult whole = sim::simulate(x.s, x.g, x.places, {});
  for (int day : {1, 37, 89}) {
    INFO("checkpoint at day " << day);
    const fs::path path = tmp.path / ("day-" + std::to_string(day) + ".h5");
    write(path, x.meta(), x.state_at(day));
    const outputs::Checkpoint checkpoint(path);
    sim::RunOptions o;
    o.start = &checkpoint;
    o.threads = 1;
    CHECK(identical(whole, sim::simulate(x.s, x.g, x.places, o)));
  }
}

TEST_CASE("a run's checkpoints store what changed as it is and compress what settled") {
  const Fixture x;
  const outputs::CheckpointMeta meta = x.meta();
  TempDir tmp;
  auto masks = [](const fs::path& path, const std::string& name) {
    std::vector<unsigned> out;
    for (const auto& [mask, bytes] : stored_chunks(path, name)) out.push_back(mask);
    return out;
  };
  outputs::CheckpointState kept;
  for (int day : {10, 20, 37}) {
    INFO("checkpoint at day " << day);
    const sim::MemoryState state = x.state_at(day);
    kept.rewind();
    state.save(kept);
    CHECK(kept.bytes() == state_bytes(state));
    if (day == 10) CHECK(kept.changed_bytes() == kept.bytes());
    if (day > 10) CHECK(kept.changed_bytes() < kept.bytes());  // (the costs of days to come)
    const fs::path path = tmp.path / ("day-" + std::to_string(day) + ".h5");
    write_image(path, outputs::checkpoint_image(meta, kept, 2));
    CHECK(kept.packing_bytes() == 0);
    const outputs::Checkpoint c(path);
    for (const auto& [name, values] : state.entries()) {
      INFO("state entry " << name);
      check_reads_back(c, name, values);
      // The first checkpoint stores every chunk as it is (zstd skipped: filter mask 1), but
      // those of a page or more of one value throughout, compressed at once (mask 0).
      if (day != 10) continue;
      const std::vector<unsigned> stored = masks(path, name);  // (clang 14 captures no binding)
      std::visit(
          [&]<class T>(const std::vector<T>& v) {
            const std::size_t chunk = std::min<std::size_t>((1 << 20) / sizeof(T), v.size());
            for (std::size_t k = 0; k < stored.size(); ++k) {
              const auto from = v.begin() + static_cast<std::ptrdiff_t>(k * chunk);
              const auto to =
                  v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), (k + 1) * chunk));
              const bool flat = (to - from) * sizeof(T) >= 4096 &&
                                std::all_of(from, to, [&](T x) { return x == *from; });
              CHECK(stored[k] == (flat ? 0u : 1u));
            }
          },
          values);
    }
  }
  // An entry of several chunks: a chunk is stored as it is while it changes, then
  // compressed once it is as it was (the last one, short, padded); a list that changes size
  // is new.
  std::vector<std::uint32_t> column((1 << 19) + 100), list(10, 1);  // 2 MiB and a bit
  for (std::size_t i = 0; i < column.size(); ++i) column[i] = static_cast<std::uint32_t>(i % 1000);
  auto save = [&] {
    kept.rewind();
    kept.write("big", std::span<const std::uint32_t>(column));
    kept.write("list", std::span<const std::uint32_t>(list));
  };
  auto image = [&](const fs::path& path) {
    write_image(path, outputs::checkpoint_image(meta, kept, 2));
    const outputs::Checkpoint c(path);
    std::vector<std::uint32_t> read;
    c.read("big", read);
    CHECK(read == column);
    c.read("list", read);
    CHECK(read == list);
  };
  const std::size_t all = (column.size() + list.size()) * sizeof(std::uint32_t);
  save();
  CHECK(kept.changed_bytes() == all);
  image(tmp.path / "a.h5");
  CHECK(masks(tmp.path / "a.h5", "big") == std::vector<unsigned>{1, 1, 1});
  save();  // unchanged: compressed
  CHECK(kept.changed_bytes() == 0);
  CHECK(kept.packing_bytes() == all);
  image(tmp.path / "b.h5");
  CHECK(masks(tmp.path / "b.h5", "big") == std::vector<unsigned>{0, 0, 0});
  CHECK(masks(tmp.path / "b.h5", "list") == std::vector<unsigned>{0});
  column[(1 << 18) + 5] = 8;
  column.back() = 9;
  list.push_back(2);
  save();  // changed: stored as it is; unchanged: kept as compressed
  CHECK(kept.changed_bytes() == (1 << 20) + (100 + 11) * sizeof(std::uint32_t));
  CHECK(kept.packing_bytes() == 0);
  image(tmp.path / "c.h5");
  CHECK(masks(tmp.path / "c.h5", "big") == std::vector<unsigned>{0, 1, 1});
  CHECK(masks(tmp.path / "c.h5", "list") == std::vector<unsigned>{1});
  CHECK(stored_chunks(tmp.path / "c.h5", "big")[0] == stored_chunks(tmp.path / "b.h5", "big")[0]);
  save();
  CHECK(kept.packing_bytes() == (1 << 20) + (100 + 11) * sizeof(std::uint32_t));
  image(tmp.path / "d.h5");
  CHECK(masks(tmp.path / "d.h5", "big") == std::vector<unsigned>{0, 0, 0});
  // A new entry of one value throughout is compressed at once (the last chunk, short,
  // too: a page or more).
  const std::vector<std::uint16_t> flat((1 << 19) + 4096, 0xFFFF);
  save();
  kept.write("flat", std::span<const std::uint16_t>(flat));
  CHECK(kept.packing_bytes() == flat.size() * sizeof(std::uint16_t));
  write_image(tmp.path / "e.h5", outputs::checkpoint_image(meta, kept, 2));
  CHECK(masks(tmp.path / "e.h5", "flat") == std::vector<unsigned>{0, 0});
  std::vector<std::uint16_t> read;
  outputs::Checkpoint(tmp.path / "e.h5").read("flat", read);
  CHECK(read == flat);
  kept.rewind();
  CHECK_THROWS_WITH((kept.write("list", std::span<const std::uint32_t>(list)),
                     kept.write("list", std::span<const std::uint32_t>(list))),
                    "state entry 'list' written twice");
}

TEST_CASE("a checkpoint's groups and datasets carry no HDF5 times") {
  // HDF5 stamps each object with the second it was made unless told not to (outputs/
  // hdf5.h); SCHEMA.md says rfsim's files say when they were written in /meta alone. In a
  // checkpoint (1.10 format) that includes its root and the groups made on the way to its
  // entries ("agents/state").
  const Fixture x;
  const sim::MemoryState state = x.state_at(10);
  outputs::CheckpointState kept;
  state.save(kept);
  const TempDir tmp;
  write_image(tmp.path / "day.h5", outputs::checkpoint_image(x.meta(), kept, 2));
  const hid_t file = H5Fopen((tmp.path / "day.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  std::vector<std::string> stamped;
  int objects = 0;
  auto visit = [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
    auto& [seen, found] = *static_cast<std::pair<int*, std::vector<std::string>*>*>(data);
    ++*seen;
    if (info->mtime != 0 || info->ctime != 0 || info->atime != 0 || info->btime != 0)
      found->push_back(name);
    return 0;
  };
  std::pair<int*, std::vector<std::string>*> data{&objects, &stamped};
  CHECK(H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, visit, &data, H5O_INFO_TIME) >= 0);
  H5Fclose(file);
  CHECK(objects > static_cast<int>(state.entries().size()));  // (the groups too)
  CHECK(stamped.empty());
}

TEST_CASE("an image made in the memory of an earlier one holds nothing of it") {
  // A run's images reuse the pages of those written before (outputs/h5_pieces.h). HDF5
  // leaves gaps in a file (unused parts of the blocks it allocates) that it never writes:
  // the pages are cleared before the file is laid out in them, so that no byte of an old
  // image (an older state) is left in a new one.
  const Fixture x;
  const outputs::CheckpointMeta meta = x.meta();
  const sim::MemoryState early = x.state_at(10), state = x.state_at(20);
  // (/meta's created_utc is the second an image is made: the two compared are made within
  // one second of the clock, tried again when they fall on both sides of one)
  std::string fresh;
  outputs::CheckpointImage made;
  outputs::CheckpointState again;
  const char* memory = nullptr;
  // (the clock utc_now_iso reads: time() reads a coarser one, a few ms behind)
  auto now = [] { return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()); };
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::time_t second = now();
    outputs::CheckpointState chunks;
    state.save(chunks);
    fresh = outputs::checkpoint_image(meta, chunks, 2).bytes();
    // The pages of an image of another state, then filled with a byte HDF5 writes in no
    // long runs.
    outputs::CheckpointState other;
    early.save(other);
    outputs::h5::PiecedFile old = outputs::checkpoint_image(meta, other, 2).release();
    REQUIRE(old.owned_capacity() > 0);
    std::fill_n(old.first_page(), old.owned_capacity(), '\xab');
    memory = old.first_page();
    // The first state again, in those pages: the same bytes as made in fresh memory.
    again = outputs::CheckpointState();
    state.save(again);
    made = outputs::checkpoint_image(meta, again, 2, outputs::CheckpointImage(std::move(old)));
    if (now() == second) break;
  }
  CHECK(made.parts().front().data() == memory);  // (made where it was given)
  const std::string bytes = made.bytes();
  REQUIRE(bytes.size() == fresh.size());
  const auto differ = std::mismatch(bytes.begin(), bytes.end(), fresh.begin()).first;
  INFO("first difference at byte " << differ - bytes.begin());
  CHECK(differ == bytes.end());
  CHECK(bytes.find("\xab\xab\xab\xab\xab\xab\xab\xab") == std::string::npos);
  const TempDir tmp;
  write_image(tmp.path / "again.h5", made);
  const outputs::Checkpoint c(tmp.path / "again.h5");
  for (const auto& [name, values] : state.entries()) check_reads_back(c, name, values);
  // Saved again unchanged (`made`, which refers to it, is written), the state is
  // compressed: a smaller file.
  again.rewind();
  state.save(again);
  CHECK(outputs::checkpoint_image(meta, again, 2).size() < fresh.size());
}

TEST_CASE("a checkpoint records what continuing it needs, and is smaller than its state") {
  const Fixture x;
  TempDir tmp;
  outputs::CheckpointMeta meta = x.meta();
  meta.day = 37;
  outputs::BranchPoint b;
  b.day = 20;
  b.date = "day 20";
  b.checkpoint = "/runs/original/checkpoints/day-0020.h5";
  b.original_dir = "/runs/original";
  b.differences = {"facilities.0.capacity: 600 -> 150"};
  b.scenario_name = "original";
  b.scenario_path = "original.toml";
  b.scenario_toml = "[run]\nname = \"original\"\n";
  outputs::BranchPoint older = b;
  older.day = 10;
  older.differences.clear();
  meta.lineage = {b, older};
  const sim::MemoryState state = x.state_at(37);
  const fs::path path = tmp.path / "day-0037.h5";
  write(path, meta, state);
  CHECK_FALSE(fs::exists(path.string() + ".tmp-" + std::to_string(getpid())));

  const outputs::Checkpoint c(path);
  const outputs::CheckpointMeta& m = c.meta();
  CHECK(m.format_version == outputs::kCheckpointFormat);
  CHECK(m.rfsim_version == kVersion);
  CHECK(m.git_commit == kGitCommit);
  CHECK(m.day == 37);
  CHECK(m.horizon_days == x.s.horizon_days);
  CHECK(m.threads == 2);
  CHECK(m.checkpoint_every == 10);
  CHECK(m.seed == x.s.seed);
  CHECK(m.agents == 20000);
  CHECK(m.scenario_toml == x.s.resolved_toml);
  CHECK(m.inputs == meta.inputs);
  REQUIRE(m.lineage.size() == 2);
  CHECK(m.lineage[0].differences == b.differences);
  CHECK(m.lineage[0].checkpoint == b.checkpoint);
  CHECK(m.lineage[1].day == 10);
  CHECK(m.lineage[1].differences.empty());
  // Every entry reads back as written, and the file is smaller than what it holds.
  for (const auto& [name, values] : state.entries()) check_reads_back(c, name, values);
  // Stored as it is by a lone checkpoint; compressed by the next one of a run, which finds
  // it unchanged: smaller than what it holds.
  outputs::CheckpointState chunks;
  state.save(chunks);
  outputs::checkpoint_image(meta, chunks, 2);
  chunks.rewind();
  state.save(chunks);
  const auto image = outputs::checkpoint_image(meta, chunks, 2);
  INFO("file " << image.size() << " bytes, state " << state_bytes(state) << " bytes");
  CHECK(image.size() < state_bytes(state));
}

TEST_CASE("a checkpoint cut short, damaged or of another kind is refused, naming the file") {
  const Fixture x;
  TempDir tmp;
  const fs::path path = tmp.path / "day-0040.h5";
  write(path, x.meta(), x.state_at(40));
  auto open_error = [](const fs::path& p) -> std::string {
    try {
      outputs::Checkpoint c(p);
    } catch (const outputs::OutputError& e) {
      return e.what();
    }
    return "";
  };

  const std::string damaged =
      path.string() +
      ": damaged or cut short: its content does not match the XXH3-128 it was written with";
  SECTION("cut short") {
    fs::resize_file(path, fs::file_size(path) / 2);
    CHECK(open_error(path) == damaged);
  }
  SECTION("cut to nothing") {
    fs::resize_file(path, 0);
    CHECK(open_error(path) == path.string() +
                                  ": not an rfsim checkpoint (no rfsim checkpoint header; cut "
                                  "short, or another file)");
  }
  SECTION("a byte changed anywhere, metadata or data, even a flipped bit") {
    for (std::size_t at : {std::size_t{600}, fs::file_size(path) / 3, fs::file_size(path) - 1}) {
      INFO("at byte " << at);
      write(path, x.meta(), x.state_at(40));
      flip(path, at);
      CHECK(open_error(path) == damaged);
    }
  }
  SECTION("a file of format 1.0, sealed with SHA-256, is read; damaged, refused") {
    set_root_attr(path, "format_version", "1.0");
    {
      const outputs::Checkpoint c(path);
      CHECK(c.meta().format_version == "1.0");
      std::vector<std::uint16_t> home;
      c.read("agents/home", home);
      CHECK(home.size() == 20000);
    }
    flip(path, fs::file_size(path) / 3);
    CHECK(open_error(path) ==
          path.string() +
              ": damaged or cut short: its content does not match the SHA-256 it was written with");
  }
  SECTION("another kind of HDF5 file") {
    set_root_attr(path, "file_type", "rfsim results");
    CHECK(open_error(path) == path.string() +
                                  ": not an rfsim checkpoint (@file_type is 'rfsim results', "
                                  "expected 'rfsim checkpoint')");
  }
  SECTION("a format this rfsim cannot read") {
    set_root_attr(path, "format_version", "2.0");
    CHECK_THAT(open_error(path),
               Catch::Contains(": checkpoint format 2.0, which this rfsim (") &&
                   Catch::Contains(") cannot read: it reads format 1.x"));
  }
  SECTION("a state entry of another type is named") {
    const outputs::Checkpoint c(path);
    std::vector<double> wrong;
    CHECK_THROWS_WITH(c.read("agents/home", wrong),
                      path.string() + ": state entry 'agents/home' has another type");
    CHECK_THROWS_WITH(c.read("agents/nobody", wrong),
                      path.string() + ": state entry 'agents/nobody' is missing");
  }
  SECTION("no file") {
    CHECK(open_error(tmp.path / "day-9999.h5") ==
          (tmp.path / "day-9999.h5").string() + ": cannot read the checkpoint: no such file");
  }
}

TEST_CASE("a checkpointed run writes every N days into its directory, pruned, results last") {
  const Fixture x;
  TempDir tmp;
  const fs::path dir = tmp.path / "run";
  outputs::CheckpointOptions o;
  o.dir = dir;
  o.keep = 3;
  o.threads = 2;
  sim::RunResult result;
  {
    outputs::Checkpointer checkpoints(o, x.meta());
    sim::RunOptions run;
    run.checkpoint_every = 10;
    run.checkpoint = [&](int day, const sim::SaveState& save) {
      checkpoints.checkpoint(day, save);
      CHECK(fs::is_directory(dir / "checkpoints"));  // there from the first one on
    };
    result = sim::simulate(x.s, x.g, x.places, run);
    checkpoints.finish();
    CHECK(checkpoints.has_dir());
    CHECK(checkpoints.cost().written == 8);
    // No other run takes the directory while this one writes into it.
    CHECK_THROWS_WITH(outputs::DirectoryLock(dir),
                      dir.string() + ": another rfsim process is writing into it");
  }
  const auto kept = outputs::list_checkpoints(dir);
  REQUIRE(kept.size() == 3);
  CHECK(kept[0] == std::pair<int, fs::path>{80, dir / "checkpoints/day-0080.h5"});
  CHECK(kept[2].first == 60);
  CHECK(outputs::Checkpoint(kept[0].second).meta().day == 80);

  outputs::WriteOptions w;
  w.dir = dir;
  w.into_run_dir = true;
  w.csv = true;
  outputs::write_results(x.s, x.g, result, w);
  CHECK(fs::is_regular_file(dir / "results.h5"));
  CHECK(fs::is_regular_file(dir / "summary.csv"));
  CHECK(outputs::list_checkpoints(dir).size() == 3);
  for (const auto& entry : fs::directory_iterator(tmp.path))
    CHECK(entry.path().filename() == "run");  // no temporary left beside it
}

TEST_CASE("a failure to write a checkpoint stops the run with one error naming the file") {
  const Fixture x;
  TempDir tmp;
  const fs::path dir = tmp.path / "run";
  outputs::CheckpointOptions o;
  o.dir = dir;
  outputs::Checkpointer checkpoints(o, x.meta());
  sim::RunOptions run;
  run.checkpoint_every = 10;
  run.checkpoint = [&](int day, const sim::SaveState& save) {
    checkpoints.checkpoint(day, save);
    if (day == 10) {  // the folder goes, a file takes its name: the next write fails
      checkpoints.finish();
      fs::remove_all(dir / "checkpoints");
      std::ofstream(dir / "checkpoints") << "in the way";
    }
  };
  try {
    sim::simulate(x.s, x.g, x.places, run);
    checkpoints.finish();
    FAIL("no error");
  } catch (const outputs::OutputError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith((dir / "checkpoints/day-0020.h5.tmp-").string()) &&
                             Catch::Contains("cannot create file"));
  }
}

TEST_CASE("what a killed checkpointed run leaves is recognised and removed") {
  TempDir tmp;
  // No process has an id this large (the kernel's pid_max is at most 2^22).
  const std::string dead = "999999937";
  // Killed before its directory appeared: the staged directory with its first checkpoint.
  fs::create_directories(tmp.path / ("run.tmp-" + dead) / "checkpoints");
  std::ofstream(tmp.path / ("run.tmp-" + dead) / "checkpoints" / "day-0030.h5") << "x";
  const std::string line = outputs::remove_stale_temporaries(tmp.path);
  CHECK(line == "removed a stale temporary results directory left by a run that no longer "
                "exists: " + (tmp.path / ("run.tmp-" + dead)).string());
  CHECK_FALSE(fs::exists(tmp.path / ("run.tmp-" + dead)));

  // Killed while writing a checkpoint into its directory: removed when the run resumes.
  const fs::path dir = tmp.path / "run";
  fs::create_directories(dir / "checkpoints");
  std::ofstream(dir / "checkpoints" / "day-0030.h5") << "x";
  std::ofstream(dir / "checkpoints" / ("day-0060.h5.tmp-" + dead)) << "half";
  std::ofstream(dir / "checkpoints" / "notes.txt") << "the user's";
  CHECK(outputs::list_checkpoints(dir) ==
        std::vector<std::pair<int, fs::path>>{{30, dir / "checkpoints" / "day-0030.h5"}});
  CHECK(outputs::remove_checkpoint_temporaries(dir) ==
        "removed a checkpoint left half-written by a run that no longer exists: " +
            (dir / "checkpoints" / ("day-0060.h5.tmp-" + dead)).string());
  CHECK(fs::exists(dir / "checkpoints" / "day-0030.h5"));
  CHECK(fs::exists(dir / "checkpoints" / "notes.txt"));
  CHECK(outputs::remove_checkpoint_temporaries(dir).empty());
}
