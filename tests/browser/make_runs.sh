#!/bin/sh
# The pages tests/browser checks: two short runs of the default scenario (14-day and 7-day
# quarantine), each with its briefing, and their comparison.
# Usage: make_runs.sh RFSIM SCENARIO WORK_DIR
set -eu
rfsim=$1 scenario=$2 work=$3
short="--set run.horizon_days=60 --set arrivals.total=6000 --force -q"
"$rfsim" run "$scenario" -o "$work/a" $short
"$rfsim" run "$scenario" -o "$work/b" $short --set quarantine.stay_days=7
"$rfsim" compare "$work/a" "$work/b" -o "$work/compare" --force
