#!/usr/bin/env bash
# Interrupting a run (SIGINT or SIGTERM) exits 128+signal and leaves no results directory
# and no temporary directory. Usage: interrupt.sh RFSIM SCENARIO OUTDIR INT|TERM
set -euo pipefail
rfsim=$1 scenario=$2 out=$3 sig=$4
rm -rf "$out" "$out".tmp-*
"$rfsim" run "$scenario" -o "$out" --quiet \
  --set run.horizon_days=365 --set arrivals.total=3000000 &
pid=$!
sleep 1.5
kill -"$sig" "$pid" 2>/dev/null || true
set +e
wait "$pid"
code=$?
set -e
expected=$([[ $sig == INT ]] && echo 130 || echo 143)
leftovers=$(compgen -G "$out.tmp-*" || true)
echo "exit $code (expected $expected, or 0 if the run finished before the signal)"
if [[ $code -eq 0 ]]; then
  [[ -f $out/results.h5 && -z $leftovers ]] && { echo "run finished first; complete results"; exit 0; }
  echo "exit 0 without complete results"; exit 1
fi
[[ $code -eq $expected ]] || { echo "wrong exit code"; exit 1; }
[[ ! -e $out ]] || { echo "$out exists after interruption"; exit 1; }
[[ -z $leftovers ]] || { echo "temporary directory left: $leftovers"; exit 1; }
echo "interrupted cleanly"
