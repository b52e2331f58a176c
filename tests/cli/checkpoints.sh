#!/usr/bin/env bash
# Checkpoints on the command line, one CASE per CTest test, each from its own small
# checkpointed run of SCENARIO (the default scenario, 60,000 returnees, 240 days, a
# checkpoint every 30 days):
#   branch      a branch with no change is identical to the original; one that changes a
#               capacity and adds a facility differs only from its branch day on (day 10,
#               with a checkpoint every 10 days), and records where it branched from
#               (/meta/branch); changes to the past are refused, naming the key, leaving
#               nothing
#   rerun       rerun reproduces the original and the branch from their results files
#   refusals    resume refuses another rfsim version, a changed input file, a changed
#               scenario file (each named), a complete run and a directory without
#               checkpoints, and resumes once the files are put back (one run for all);
#               --keep-checkpoints keeps the newest
# The runs whose results are compared skip the briefing (--no-report): these cases check
# results.h5 alone, and the briefing is half a default run's time (`scripts/bench --report`:
# 0.74 of 1.46 s).
# Usage: checkpoints.sh RFSIM SCENARIO WORK CASE
set -uo pipefail
rfsim=$1 scenario=$2 work=$3 case=$4
rm -rf "$work"
mkdir -p "$work"
failed=0
fail() { echo "FAIL: $*"; failed=1; }
py=/usr/bin/python3

# A checkpointed run of $1 (a scenario file) into $2 every $3 days, extra arguments after.
original() {
  local toml=$1 out=$2 every=$3
  shift 3
  "$rfsim" run "$toml" -o "$out" --checkpoint-every "$every" --quiet --no-report "$@" >/dev/null ||
    { echo "FAIL: the original run into $out failed"; exit 1; }
}

# Expects the command after `--` to exit 1 with one stderr line matching $1, leaving $2.
refused() {
  local pattern=$1 absent=$2
  shift 3
  local err
  err=$("$@" 2>&1 >/dev/null)
  local code=$?
  echo "refused ($code): $err"
  [[ $code -eq 1 ]] || fail "exit $code, expected 1: $*"
  [[ $(printf '%s\n' "$err" | wc -l) -eq 1 && $err =~ $pattern ]] ||
    fail "stderr is not one line matching '$pattern'"
  [[ -z $absent || ! -e $absent ]] || fail "$absent exists after a refusal"
}

# Every day series of two results files agrees before day $3 (week series: the weeks
# that end before it) and some quarantine series differs from it on.
differ_from_day() {
  "$py" - "$1" "$2" "$3" <<'PY'
import sys, h5py, numpy as np
a, b, day = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r"), int(sys.argv[3])
bad, later = [], False
def visit(name, x):
    global later
    if not isinstance(x, h5py.Dataset):
        return
    y = b["series/" + name]
    rows = day if x.attrs["row_axis"] == "day" else day // 7
    cols = x.shape[1]  # facilities appended in the branch come after
    if not np.array_equal(x[:rows, :], y[:rows, :cols]):
        bad.append(name)
    if name.startswith("quarantine/") and not np.array_equal(x[rows:, :], y[rows:, :cols]):
        later = True
a["series"].visititems(visit)
print("series differing before the branch day:", bad or "none")
print("a quarantine series differs from the branch day on:", later)
sys.exit(0 if not bad and later else 1)
PY
}

case $case in
branch)
  # Every 10 days: the default's beds are busy on day 10 (arrivals peak on day 7).
  original "$scenario" "$work/original" 10
  cp="$work/original/checkpoints/day-0010.h5"
  echo "--- a branch with no change"
  "$rfsim" run "$scenario" --from "$cp" -o "$work/same" --no-report >/dev/null 2>"$work/same.err" ||
    fail "the branch without change failed"
  grep -q "no change (it reproduces the original)" "$work/same.err" ||
    { cat "$work/same.err"; fail "the branch did not say it has no change"; }
  h5diff "$work/original/results.h5" "$work/same/results.h5" /series /series ||
    fail "a branch without change has other /series"
  h5diff "$work/original/results.h5" "$work/same/results.h5" /summary /summary ||
    fail "a branch without change has another /summary"
  echo "--- a branch that changes a capacity and adds a facility from day 10"
  "$rfsim" run "$scenario" --from "$cp" -o "$work/changed" --quiet --no-report \
    --set facilities.0.capacity=300 --set 'facilities.7.name="Thma Puok centre"' \
    --set 'facilities.7.district="Thma Puok"' --set facilities.7.capacity=500 \
    --set facilities.7.opens=2026-01-18 >/dev/null || fail "the branch failed"
  differ_from_day "$work/original/results.h5" "$work/changed/results.h5" 10 ||
    fail "the branch does not differ only from its branch day on"
  "$py" - "$work/changed/results.h5" "$cp" "$work/original" <<'PY' || fail "/meta/branch is not as expected"
import os, sys, h5py
b = h5py.File(sys.argv[1], "r")["meta/branch"]
diffs = [d.decode() for d in b["differences"][...]]
print(dict(b.attrs.items()) | {"scenario_toml": "..."}, diffs)
assert b.attrs["day"] == 10 and b.attrs["date"] == "2026-01-15"
assert b.attrs["checkpoint"] == os.path.abspath(sys.argv[2])
assert b.attrs["original_dir"] == os.path.abspath(sys.argv[3])
assert diffs == ["facilities.0.capacity: 1500 -> 300",
                 'facilities.7: "Thma Puok centre", 500 beds in Thma Puok, open from 2026-01-18 (added)']
PY
  echo "--- changes to the past are refused"
  refused "^rfsim: error: --set: run\.seed: changes the past" "$work/past" -- \
    "$rfsim" run "$scenario" --from "$cp" -o "$work/past" --seed 7
  refused "^rfsim: error: --set: facilities\.1\.opens: changes the past: 'Ou Chrov centre' was open on day 0 \(2026-01-05\); its dates may change only from the branch day, day 10 \(2026-01-15\)$" \
    "$work/past" -- "$rfsim" run "$scenario" --from "$cp" -o "$work/past" --set facilities.1.opens=2026-01-12
  refused "^rfsim: error: --set: arrivals\.total: changes the past: [0-9]+ returnees crossed before the branch day, 1000 is fewer" \
    "$work/past" -- "$rfsim" run "$scenario" --from "$cp" -o "$work/past" --set arrivals.total=1000
  refused "^rfsim: error: --set: facilities\.7\.opens: changes the past: a facility added in a branch opens on or after the branch day, day 10 \(2026-01-15\) \(got 2026-01-10\)$" \
    "$work/past" -- "$rfsim" run "$scenario" --from "$cp" -o "$work/past" \
    --set 'facilities.7.name="Early"' --set 'facilities.7.district="Thma Puok"' \
    --set facilities.7.capacity=10 --set facilities.7.opens=2026-01-10
  refused "^rfsim: error: $work/original/results\.h5: not an rfsim checkpoint" "$work/past" -- \
    "$rfsim" run "$scenario" --from "$work/original/results.h5" -o "$work/past"
  ;;
rerun)
  original "$scenario" "$work/original" 30
  "$rfsim" run "$scenario" --from "$work/original/checkpoints/day-0090.h5" -o "$work/branch" \
    --quiet --no-report --set quarantine.stay_days=7 --set arrivals.total=70000 >/dev/null ||
    fail "the branch failed"
  for run in original branch; do
    echo "--- rerun of the $run"
    "$rfsim" rerun "$work/$run/results.h5" -o "$work/$run-again" --quiet --no-report >/dev/null ||
      { fail "rerun of the $run failed"; continue; }
    h5diff "$work/$run/results.h5" "$work/$run-again/results.h5" /series /series ||
      fail "the rerun of the $run has other /series"
    h5diff "$work/$run/results.h5" "$work/$run-again/results.h5" /summary /summary ||
      fail "the rerun of the $run has another /summary"
  done
  info=$("$rfsim" info "$work/branch-again")
  grep -q "^branch       of 'default' from day 90 (2026-04-05), $work/original/checkpoints/day-0090.h5$" <<<"$info" ||
    fail "the rerun of the branch does not record its branch point"
  ;;
refusals)
  # An interrupted run as SIGKILL leaves it: its checkpoints, no results.h5.
  interrupted() { rm -rf "$1/results.h5" "$1"/*.csv "$1/series"; }
  reseal() {  # a checkpoint changed on purpose gets a seal again: SHA-256 of the rest, format 1.0's
    "$py" -c '
import hashlib, sys
data = open(sys.argv[1], "rb").read()
head = b"rfsim checkpoint sha256 " + hashlib.sha256(data[512:]).hexdigest().encode() + b"\n"
open(sys.argv[1], "wb").write(head.ljust(512, b"\0") + data[512:])' "$1"
  }
  # One run serves every refusal, each made by changing one thing and putting it back: a
  # scenario file and a data folder of its own, so that both may change.
  cp "$scenario" "$work/scenario.toml"
  cp -r "$RFSIM_DATA" "$work/data"
  export RFSIM_DATA=$work/data
  original "$work/scenario.toml" "$work/run" 30 --keep-checkpoints 2
  kept=$(cd "$work/run/checkpoints" && echo day-*.h5)
  [[ $kept == "day-0180.h5 day-0210.h5" ]] || fail "--keep-checkpoints 2 kept $kept"
  echo "--- nothing to resume"
  refused "^rfsim: error: $work/run: the run is complete \(results\.h5 is there\); nothing to resume$" \
    "" -- "$rfsim" resume "$work/run"
  interrupted "$work/run"
  echo "--- the scenario file changed"
  echo "# edited after the run started" >>"$work/scenario.toml"
  refused "^rfsim: error: $work/scenario\.toml has changed since the run started" \
    "$work/run/results.h5" -- "$rfsim" resume "$work/run"
  cp "$scenario" "$work/scenario.toml"
  echo "--- an input file changed"
  boundaries=$work/data/geoBoundaries-KHM-ADM1-simplified.geojson
  cp "$boundaries" "$work/boundaries.geojson"
  echo " " >>"$boundaries"  # (still valid GeoJSON)
  refused "^rfsim: error: $boundaries has changed since the run started \($work/run/checkpoints/day-0210\.h5\) \(SHA-256 [0-9a-f]{12}\.\.\. then, [0-9a-f]{12}\.\.\. now\)$" \
    "$work/run/results.h5" -- "$rfsim" resume "$work/run"
  cp "$work/boundaries.geojson" "$boundaries"
  echo "--- everything put back: it resumes"
  cp -r "$work/run" "$work/version"
  "$rfsim" resume "$work/run" --quiet --no-report >/dev/null || fail "the run put back did not resume"
  [[ -f $work/run/results.h5 ]] || fail "the resumed run wrote no results.h5"
  echo "--- another rfsim version"
  for f in "$work"/version/checkpoints/day-*.h5; do
    "$py" -c 'import sys, h5py; h5py.File(sys.argv[1], "r+").attrs["rfsim_version"] = "9.9.9"' "$f"
    reseal "$f"
  done
  refused "^rfsim: error: $work/version/checkpoints/day-0210\.h5 was written by rfsim 9\.9\.9 \(commit [0-9a-z]+\); this is rfsim [0-9.]+ \(commit [0-9a-z]+\): a run resumes only with the rfsim that started it$" \
    "$work/version/results.h5" -- "$rfsim" resume "$work/version"
  mkdir -p "$work/empty"
  refused "^rfsim: error: $work/empty: no checkpoint to resume from" "" -- "$rfsim" resume "$work/empty"
  ;;
*)
  echo "checkpoints.sh: unknown case '$case'" >&2
  exit 2
  ;;
esac
[[ $failed -eq 0 ]] && echo "ok: $case"
exit $failed
