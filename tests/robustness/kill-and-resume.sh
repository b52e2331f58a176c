#!/usr/bin/env bash
# A checkpointed run killed with SIGKILL at several points (just after its first
# checkpoint, while a checkpoint is being written, late in the run, while its results are
# being written) and resumed with `rfsim resume` gives results identical in every /series
# and /summary value to the same run uninterrupted (h5diff). The run uses THREADS
# threads, its resume the other count (1 <-> 2). Then a resumed run whose newest
# checkpoint was cut short falls back to the one before, with a warning.
# Usage: kill-and-resume.sh RFSIM SCENARIO WORK THREADS
set -uo pipefail
rfsim=$1 scenario=$2 work=$3 threads=$4
other=$((3 - threads))
every=20
size=(--set run.horizon_days=240 --set arrivals.total=400000 --set arrivals.decay_days=40)
# (no briefing: only results.h5 is compared, and the briefing is its own tests' concern)
rm -rf "$work"
mkdir -p "$work"
failed=0
fail() { echo "FAIL: $*"; failed=1; }
# Every /series and /summary value of $1/results.h5 is the uninterrupted run's.
same_as_whole() {
  local group
  for group in /series /summary; do
    h5diff "$work/whole/results.h5" "$1/results.h5" "$group" "$group" ||
      fail "$2: $group differs from the uninterrupted run"
  done
}

# Starts a checkpointed run into $1 and kills it with SIGKILL when $2 is seen: `first`
# (the first checkpoint), `mid-write` (a later checkpoint's temporary file), `late` (the
# checkpoint of day 160), `finishing` (the results' temporary directory, after the last
# checkpoint). Prints what the watcher saw; returns the run's exit status.
run_and_kill() {
  local out=$1 point=$2
  "$rfsim" run "$scenario" -o "$out" "${size[@]}" --checkpoint-every "$every" \
    --threads "$threads" --quiet --no-report >/dev/null 2>"$out.stderr" &
  local pid=$!
  /usr/bin/python3 - "$pid" "$point" "$out" <<'PY'
import glob, os, signal, sys, time
pid, point, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
done = lambda day: os.path.exists(out + "/checkpoints/day-%04d.h5" % day)
seen = {
    "first": lambda: done(20),
    "mid-write": lambda: done(20) and glob.glob(out + "/checkpoints/day-*.h5.tmp-*"),
    "late": lambda: done(160),
    "finishing": lambda: done(220) and glob.glob(out + ".tmp-*"),
}[point]
deadline = time.time() + 200
while time.time() < deadline:
    if seen():
        os.kill(pid, signal.SIGKILL)
        print("killed at", point)
        break
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    time.sleep(0.0002)
PY
  wait "$pid"
}

echo "--- the run uninterrupted ($threads thread(s))"
"$rfsim" run "$scenario" -o "$work/whole" "${size[@]}" --checkpoint-every "$every" \
  --threads "$threads" --quiet --no-report >/dev/null ||
  { echo "FAIL: the uninterrupted run failed"; exit 1; }

for point in first mid-write late finishing; do
  out=$work/$point
  caught=0
  for attempt in 1 2 3; do
    rm -rf "$out" "$out".tmp-*
    run_and_kill "$out" "$point"
    code=$?
    if [[ $code -eq 137 ]]; then
      caught=1
      break
    fi
    echo "attempt $attempt: exit $code, not caught at $point; trying again"
  done
  [[ $caught -eq 1 ]] || { fail "never caught the run at $point"; continue; }
  [[ ! -e $out/results.h5 ]] || fail "$point: results.h5 exists after SIGKILL"
  if [[ $point == mid-write ]]; then
    compgen -G "$out/checkpoints/day-*.h5.tmp-*" >/dev/null ||
      fail "mid-write: no half-written checkpoint was left (the kill came too late)"
  fi
  echo "--- resume after SIGKILL at $point ($other thread(s))"
  "$rfsim" resume "$out" --threads "$other" --quiet --no-report >"$out.resume.out" \
    2>"$out.resume.err"
  code=$?
  cat "$out.resume.err"
  [[ $code -eq 0 ]] || { fail "$point: resume exited $code"; continue; }
  if [[ $point == mid-write ]]; then
    grep -q "^rfsim: removed a checkpoint left half-written by a run that no longer exists: " \
      "$out.resume.err" || fail "mid-write: resume did not say it removed the half-written checkpoint"
  fi
  same_as_whole "$out" "$point"
  leftovers=$(compgen -G "$out.tmp-*" || true)
  [[ -z $leftovers ]] || fail "$point: temporaries left: $leftovers"
done

echo "--- a cut-short newest checkpoint: resume falls back to the one before"
out=$work/truncated
cp -r "$work/late" "$out"
rm -rf "$out/results.h5" "$out"/*.csv "$out/series"
newest=$(ls "$out"/checkpoints/day-*.h5 | sort | tail -n 1)
truncate -s $(($(stat -c %s "$newest") / 2)) "$newest"
"$rfsim" resume "$out" --threads "$other" --quiet --no-report >/dev/null 2>"$out.err"
code=$?
cat "$out.err"
[[ $code -eq 0 ]] || fail "truncated: resume exited $code"
grep -q "^rfsim: warning: $newest: damaged or cut short: .*; trying the checkpoint before it$" \
  "$out.err" || fail "truncated: no warning naming $newest"
same_as_whole "$out" truncated

[[ $failed -eq 0 ]] && echo "ok: every interrupted run resumed to the uninterrupted results"
exit $failed
