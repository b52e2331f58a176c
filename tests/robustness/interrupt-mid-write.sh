#!/usr/bin/env bash
# Interrupting a run while it writes its results (SIGINT or SIGTERM sent as soon as the
# temporary results directory OUT.tmp-* appears) exits 128+signal and leaves neither OUT
# nor OUT.tmp-*. tests/cli covers a signal during the simulation; this one hits the write.
# Usage: interrupt-mid-write.sh RFSIM SCENARIO OUT INT|TERM
set -euo pipefail
rfsim=$1 scenario=$2 out=$3 sig=$4
expected=$([[ $sig == INT ]] && echo 130 || echo 143)

# A year of the default population: the write (series of 365 days x 197 districts, CSV
# copies, the briefing: sizes that do not grow with the population, unlike the run before
# it) takes a few hundred milliseconds, far longer than the 5 ms polling step.
for attempt in 1 2 3; do
  rm -rf "$out" "$out".tmp-*
  "$rfsim" run "$scenario" -o "$out" --quiet \
    --set run.horizon_days=365 --set arrivals.total=60000 >/dev/null &
  pid=$!
  caught=no
  while kill -0 "$pid" 2>/dev/null; do
    if compgen -G "$out.tmp-*" >/dev/null; then
      sleep 0.02 # well inside the write: results.h5 being built, CSVs not yet written
      kill -"$sig" "$pid" 2>/dev/null && caught=yes
      break
    fi
    sleep 0.005
  done
  set +e
  wait "$pid"
  code=$?
  set -e
  leftovers=$(compgen -G "$out.tmp-*" || true)
  if [[ $caught == no || $code -eq 0 ]]; then
    echo "attempt $attempt: the run ended (exit $code) before the signal; trying again"
    [[ $code -eq 0 || $code -eq $expected ]] || { echo "exit $code"; exit 1; }
    continue
  fi
  echo "attempt $attempt: SIG$sig during the write: exit $code (expected $expected)"
  [[ $code -eq $expected ]] || { echo "wrong exit code"; exit 1; }
  [[ ! -e $out ]] || { echo "$out exists after the interruption"; exit 1; }
  [[ -z $leftovers ]] || { echo "temporary directory left: $leftovers"; exit 1; }
  echo "interrupted mid-write cleanly"
  exit 0
done
rm -rf "$out"
echo "never caught the run while it was writing"
exit 1
