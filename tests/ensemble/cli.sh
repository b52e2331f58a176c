#!/usr/bin/env bash
# Command-line checks of the studies (tests/ensemble/CMakeLists.txt runs one case a test):
#
#   cli.sh threads  RFSIM WORK             ensemble on 1 and 2 threads: same numbers
#   cli.sh report   RFSIM WORK             ensemble's report written, not with --no-report
#   cli.sh study-report RFSIM WORK         the same for sweep, sensitivity and calibrate
#   cli.sh ranks    RFSIM WORK COMMAND     COMMAND (ensemble, sweep, sensitivity,
#                                          calibrate) on 1 process and on 2 MPI ranks:
#                                          the same files but for /meta's times and ranks
#   cli.sh job-failure   RFSIM WORK        a job failing (RFSIM_FAIL_JOB) on 2 ranks:
#                                          exit 1, one error line, nothing written
#   cli.sh setup-failure RFSIM WORK        rank 1 alone cannot read the data: the same
#   cli.sh usage    RFSIM WORK             a --vary without values: exit 2, one line
#   cli.sh warnings RFSIM WORK             a shadowed --set on 2 ranks: its warning once
#   cli.sh interrupt RFSIM WORK            SIGTERM to an ensemble on 2 threads: exit 143,
#                                          one line, nothing written
#
# MPIEXEC (environment): how to start 2 ranks, e.g. "mpirun --allow-run-as-root
# --oversubscribe -q -np 2". RFSIM_DATA: the data folder.
set -euo pipefail

case_name=$1 rfsim=$2 work=$3
shift 3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scenario=$root/scenarios/default.toml
read -r -a mpiexec <<<"${MPIEXEC:?set MPIEXEC to the command that starts 2 MPI ranks}"
small=(--set run.horizon_days=30 --set arrivals.total=3000)
rm -rf "$work"
mkdir -p "$work"

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# Two study directories hold the same results: every file but the HDF5 files compared
# byte for byte, the HDF5 files by value but for /meta (creation time, ranks, threads,
# seconds: how the study ran, not what it found).
same_results() {
  local a=$1 b=$2 f
  for f in "$a"/*; do
    local name=${f##*/}
    [[ -f $b/$name ]] || fail "$b/$name missing"
    if [[ $name == *.h5 ]]; then
      h5diff -q --exclude-path /meta "$f" "$b/$name" || fail "$name differs between $a and $b"
    else
      cmp -s "$f" "$b/$name" || fail "$name differs between $a and $b"
    fi
  done
}

# Exactly one line on stderr, matching the pattern; exit status as expected; no output.
one_error() {
  local status=$1 expected=$2 pattern=$3 log=$4 out=$5
  [[ $status == "$expected" ]] || { cat "$log" >&2; fail "exit $status, expected $expected"; }
  [[ $(wc -l <"$log") == 1 ]] || { cat "$log" >&2; fail "expected one line on stderr"; }
  grep -Eq "$pattern" "$log" || { cat "$log" >&2; fail "stderr does not match $pattern"; }
  [[ ! -e $out ]] || fail "$out was written"
  compgen -G "$out.tmp-*" >/dev/null && fail "a temporary of $out was left" || true
}

study() { # study COMMAND OUT [LAUNCHER...]: one study of the small scenario
  local command=$1 out=$2
  shift 2
  local args=("$@" "$rfsim" "$command" "$scenario" "${small[@]}" -o "$out" --quiet --threads 1)
  case $command in
    ensemble) args+=(-n 32 --no-report) ;; # (on 2 ranks rank 1 starts with two jobs of its own)
    sweep)
      args+=(--vary quarantine.stay_days=7,14 --vary arrivals.decay_days=3,6 -n 3 --no-report) ;;
    sensitivity)
      args+=(--param quarantine.stay_days=7:21 --param infection.prevalence=0.01:0.05 -n 8
        --bootstrap 50 --no-report) ;;
    calibrate)
      printf '%s\n' "date,series,column,value,statistic" \
        "2026-01-05/2026-01-11,arrivals/daily,total,1200,sum" \
        "2026-01-12/2026-01-18,arrivals/daily,total,1300,sum" \
        "2026-01-19/2026-01-25,quarantine/occupancy,total,250,mean" >"$work/observed.csv"
      args+=(--observed "$work/observed.csv" --param arrivals.total=1000:6000
        --param arrivals.decay_days=2:12 -r 2 --band-replicates 3 --max-evals 25 --no-report) ;;
  esac
  echo "${args[*]}" >&2
  "${args[@]}"
}

case $case_name in
  threads)
    "$rfsim" ensemble "$scenario" "${small[@]}" -n 12 --threads 1 -o "$work/t1" --quiet \
      --no-report >/dev/null
    "$rfsim" ensemble "$scenario" "${small[@]}" -n 12 --threads 2 -o "$work/t2" --quiet \
      --no-report >/dev/null
    same_results "$work/t1" "$work/t2"
    echo "ensemble on 1 and 2 threads: identical"
    ;;
  ranks)
    command=$1
    study "$command" "$work/one" >/dev/null
    study "$command" "$work/two" "${mpiexec[@]}" >/dev/null
    same_results "$work/one" "$work/two"
    echo "$command on 1 process and 2 MPI ranks: identical"
    ;;
  job-failure)
    set +e
    "${mpiexec[@]}" -x RFSIM_FAIL_JOB=3 "$rfsim" ensemble "$scenario" "${small[@]}" -n 40 \
      --threads 1 --quiet -o "$work/out" 2>"$work/log" >/dev/null
    status=$?
    set -e
    one_error "$status" 1 '^rfsim: error: injected failure in job 3 \(RFSIM_FAIL_JOB\)$' \
      "$work/log" "$work/out"
    echo "a failing job on 2 ranks: exit 1, one line, nothing written"
    ;;
  setup-failure)
    set +e
    "${mpiexec[@]}" sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then RFSIM_DATA=/nonexistent; fi;
      export RFSIM_DATA; exec "$@"' sh "$rfsim" sweep "$scenario" "${small[@]}" \
      --vary quarantine.stay_days=7,14 -n 2 -o "$work/out" 2>"$work/log" >/dev/null
    status=$?
    set -e
    one_error "$status" 1 '^rfsim: error: .*data\.dir: expected a data folder.*/nonexistent' \
      "$work/log" "$work/out"
    echo "a setup failure on rank 1 only: exit 1, one line, nothing written"
    ;;
  usage)
    set +e
    "${mpiexec[@]}" "$rfsim" sweep "$scenario" --vary quarantine.stay_days -o "$work/out" \
      2>"$work/log" >/dev/null
    status=$?
    set -e
    one_error "$status" 2 '^rfsim: error: --vary quarantine\.stay_days: expected key=value1' \
      "$work/log" "$work/out"
    echo "a bad --vary on 2 ranks: exit 2, one line"
    ;;
  warnings)
    # A --set that a [[policy]] period shadows: run's warning, said once by rank 0 alone.
    "${mpiexec[@]}" "$rfsim" ensemble "$root/scenarios/dec2020-mar2021.toml" -n 2 --threads 1 \
      --quiet --no-report --set quarantine.stay_days=7 -o "$work/out" \
      2>"$work/log" >/dev/null || { cat "$work/log" >&2; fail "the study failed"; }
    [[ $(grep -c '^rfsim: warning: --set quarantine.stay_days does not apply from 2020-12-20' \
      "$work/log") == 1 ]] || { cat "$work/log" >&2; fail "expected the warning once"; }
    [[ -f $work/out/ensemble.h5 ]] || fail "no ensemble.h5"
    echo "a shadowed --set on 2 ranks: one warning, the study runs"
    ;;
  report)
    # The report (briefing.html, fan charts) unless --no-report; `rfsim report` of an
    # ensemble directory writes it afterwards.
    "$rfsim" ensemble "$scenario" "${small[@]}" -n 4 --threads 2 -o "$work/with" >"$work/log"
    grep -q "^briefing: $work/with/briefing.html" "$work/log" || { cat "$work/log" >&2; fail "no briefing line"; }
    [[ -f $work/with/briefing.html ]] || fail "no briefing.html"
    [[ -f $work/with/figures/fan-quarantine-occupancy.png ]] || fail "no fan chart"
    grep -q 'data-event="facility_over_capacity_days"' "$work/with/briefing.html" ||
      fail "the briefing lacks the overflow probability"
    "$rfsim" ensemble "$scenario" "${small[@]}" -n 4 --threads 2 -o "$work/without" --quiet \
      --no-report >/dev/null
    [[ -f $work/without/ensemble.h5 ]] || fail "no ensemble.h5"
    [[ ! -e $work/without/briefing.html && ! -e $work/without/figures ]] ||
      fail "--no-report wrote a report"
    "$rfsim" report "$work/without" >/dev/null
    [[ -f $work/without/briefing.html ]] || fail "rfsim report wrote no briefing.html"
    echo "ensemble writes briefing.html and fan charts, not with --no-report; rfsim report does"
    ;;
  study-report)
    # A sweep's, a sensitivity study's and a calibration's report (briefing.html, bar
    # charts) unless --no-report; `rfsim report` of the directory writes it afterwards.
    printf '%s\n' "date,series,column,value,statistic" \
      "2026-01-05/2026-01-11,arrivals/daily,total,1200,sum" >"$work/observed.csv"
    for command in sweep sensitivity calibrate; do
      case $command in
        sweep) design=(--vary quarantine.stay_days=7,21 -n 2) ;;
        sensitivity) design=(--param quarantine.stay_days=7:21 -n 4 --bootstrap 20) ;;
        calibrate) design=(--observed "$work/observed.csv" --param arrivals.total=1000:6000 -r 1
          --band-replicates 2 --max-evals 3) ;;
      esac
      "$rfsim" "$command" "$scenario" "${small[@]}" "${design[@]}" --threads 2 \
        -o "$work/$command" >"$work/log"
      grep -q "^briefing: $work/$command/briefing.html" "$work/log" ||
        { cat "$work/log" >&2; fail "$command: no briefing line"; }
      compgen -G "$work/$command/figures/*.png" >/dev/null || fail "$command: no chart"
      grep -Eq "data-(figure|parameter)=" "$work/$command/briefing.html" ||
        fail "$command: no table of figures or parameters"
      "$rfsim" "$command" "$scenario" "${small[@]}" "${design[@]}" --threads 2 --quiet \
        --no-report -o "$work/$command-without" >/dev/null
      [[ ! -e $work/$command-without/briefing.html && ! -e $work/$command-without/figures ]] ||
        fail "$command --no-report wrote a report"
      "$rfsim" report "$work/$command-without" >/dev/null
      [[ -f $work/$command-without/briefing.html ]] ||
        fail "rfsim report wrote no briefing.html for the $command"
    done
    echo "sweep, sensitivity and calibrate write briefing.html and charts, not with --no-report"
    ;;
  interrupt)
    "$rfsim" ensemble "$scenario" "${small[@]}" -n 1000000 --threads 2 --quiet -o "$work/out" \
      2>"$work/log" >/dev/null &
    pid=$!
    sleep 2
    kill -TERM "$pid"
    set +e
    wait "$pid"
    status=$?
    set -e
    one_error "$status" 143 '^rfsim: interrupted; no results written$' "$work/log" "$work/out"
    echo "an ensemble stopped by SIGTERM: exit 143, one line, nothing written"
    ;;
  *)
    fail "unknown case $case_name"
    ;;
esac
rm -rf "$work"
