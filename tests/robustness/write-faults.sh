#!/usr/bin/env bash
# A fault while rfsim writes its results exits 1 with exactly one line
# "rfsim: error: PATH: what failed: reason" on stderr (no HDF5 error stack, no crash) and
# leaves neither OUT nor OUT.tmp-*. The faults are made with `ulimit -f` or with
# fault_shim.so (LD_PRELOAD; see fault_shim.c), on a short run of SCENARIO.
# Usage: write-faults.sh RFSIM SCENARIO WORK SHIM FAULT, FAULT one of:
#   disk-full-h5        writes fail with ENOSPC from the start (inside results.h5)
#   disk-full-csv       writes fail with ENOSPC once results.h5 is written (in a CSV table)
#   file-too-large      ulimit -f below the size of results.h5 (EFBIG, as a quota does)
#   directory-removed   the temporary directory is removed at the first write
#   csv-close-error     close() of a CSV table fails (as NFS reports a quota only there)
#   h5-close-error      close() of results.h5 fails
set -uo pipefail
rfsim=$1 scenario=$2 work=$3 shim=$4 fault=$5
short=(--set run.horizon_days=30 --set arrivals.total=2000 --quiet)
rm -rf "$work"
mkdir -p "$work"
out=$work/out
# The shim is built without sanitizers; under AddressSanitizer it must be allowed to come
# first in the library list.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

run_with() { # run_with ENV... : rfsim on the short run into $out, stderr to $work/stderr
  env "$@" "$rfsim" run "$scenario" -o "$out" "${short[@]}" >"$work/stdout" 2>"$work/stderr"
}
shimmed() { run_with LD_PRELOAD="$shim" RFSIM_FAULT_DIR="$work" "$@"; }

case $fault in
  disk-full-h5)
    shimmed RFSIM_FAULT=enospc:0; code=$?
    expect="$out.tmp-[0-9]+/results.h5: cannot write: No space left on device" ;;
  disk-full-csv)
    # How large results.h5 is, from a run without faults; then fail just after it.
    run_with RFSIM_FAULT= || { echo "the reference run failed"; cat "$work/stderr"; exit 1; }
    size=$(stat -c %s "$out/results.h5")
    rm -rf "$out"
    shimmed RFSIM_FAULT=enospc:$((size + 100)); code=$?
    expect="$out.tmp-[0-9]+/[a-z_/]+\.csv: cannot write: No space left on device" ;;
  file-too-large)
    # rfsim itself ignores SIGXFSZ, so the write fails with EFBIG instead of killing it.
    (ulimit -f 64 && run_with RFSIM_FAULT=); code=$?
    expect="$out.tmp-[0-9]+/results.h5: cannot write: File too large" ;;
  directory-removed)
    shimmed RFSIM_FAULT=rmdir; code=$?
    expect="$out.tmp-[0-9]+/[a-z_/]+\.(csv|h5): cannot create file: No such file or directory" ;;
  csv-close-error)
    shimmed RFSIM_FAULT=close:.csv; code=$?
    expect="$out.tmp-[0-9]+/[a-z_/]+\.csv: cannot write \(reported on close\): Disk quota exceeded" ;;
  h5-close-error)
    shimmed RFSIM_FAULT=close:results.h5; code=$?
    expect="$out.tmp-[0-9]+/results.h5: cannot write \(reported on close\): Disk quota exceeded" ;;
  *) echo "unknown fault $fault"; exit 2 ;;
esac

echo "fault $fault: exit $code"
echo "--- stderr"; cat "$work/stderr"; echo "---"
failed=0
[[ $code -eq 1 ]] || { echo "FAIL: exit $code, expected 1"; failed=1; }
lines=$(grep -c . "$work/stderr")
[[ $lines -eq 1 ]] || { echo "FAIL: $lines lines on stderr, expected one"; failed=1; }
grep -Eq "^rfsim: error: $expect\$" "$work/stderr" ||
  { echo "FAIL: stderr is not 'rfsim: error: $expect'"; failed=1; }
[[ ! -e $out ]] || { echo "FAIL: $out exists"; failed=1; }
leftovers=$(compgen -G "$out.tmp-*")
[[ -z $leftovers ]] || { echo "FAIL: temporary directory left: $leftovers"; failed=1; }
[[ $failed -eq 0 ]] && echo "ok: $fault reported on one line, nothing left"
exit $failed
