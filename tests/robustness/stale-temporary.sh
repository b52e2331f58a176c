#!/usr/bin/env bash
# A run killed with SIGKILL while it writes its results leaves OUT.tmp-PID behind; the next
# run into OUT removes it and says so in one stderr line, and leaves alone the temporary of
# a live process beside it. Catches the write as interrupt-mid-write.sh does.
# Usage: stale-temporary.sh RFSIM SCENARIO WORK
set -uo pipefail
rfsim=$1 scenario=$2 work=$3
out=$work/out
rm -rf "$work"
mkdir -p "$work"

stale=
for attempt in 1 2 3; do
  rm -rf "$out" "$out".tmp-*
  # A year of the default population: the write takes a few hundred milliseconds.
  "$rfsim" run "$scenario" -o "$out" --quiet \
    --set run.horizon_days=365 --set arrivals.total=60000 >/dev/null 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [[ -d $out.tmp-$pid ]]; then
      sleep 0.02 # well inside the write
      kill -KILL "$pid" 2>/dev/null
      break
    fi
    sleep 0.005
  done
  wait "$pid"
  code=$?
  if [[ $code -eq 137 && -d $out.tmp-$pid ]]; then
    stale=$out.tmp-$pid
    echo "attempt $attempt: SIGKILL during the write left $stale"
    break
  fi
  echo "attempt $attempt: exit $code, the run was not caught writing; trying again"
done
[[ -n $stale ]] || { echo "FAIL: never caught the run while it was writing"; exit 1; }
[[ ! -e $out ]] || { echo "FAIL: $out exists after SIGKILL"; exit 1; }

# The temporary of a live process (this shell) beside it must survive.
live=$work/other.tmp-$$
mkdir -p "$live"
echo "being written" >"$live/results.h5"

"$rfsim" run "$scenario" -o "$out" --quiet --set run.horizon_days=30 \
  --set arrivals.total=2000 >"$work/stdout" 2>"$work/stderr"
code=$?
echo "next run: exit $code"
echo "--- stderr"; cat "$work/stderr"; echo "---"
failed=0
[[ $code -eq 0 ]] || { echo "FAIL: exit $code"; failed=1; }
expected="rfsim: removed a stale temporary results directory left by a run that no longer exists: $stale"
[[ $(cat "$work/stderr") == "$expected" ]] ||
  { echo "FAIL: stderr is not the one line: $expected"; failed=1; }
[[ ! -e $stale ]] || { echo "FAIL: $stale is still there"; failed=1; }
[[ -f $out/results.h5 ]] || { echo "FAIL: $out/results.h5 is missing"; failed=1; }
[[ -f $live/results.h5 ]] || { echo "FAIL: the live temporary $live was removed"; failed=1; }
leftovers=$(compgen -G "$out.tmp-*")
[[ -z $leftovers ]] || { echo "FAIL: temporary directories left: $leftovers"; failed=1; }
[[ $failed -eq 0 ]] && echo "ok: the next run removed $stale and said so"
exit $failed
