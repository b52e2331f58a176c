#!/bin/sh
# usage: geography_cache.sh RFSIM SCENARIO WORK H5DIFF
# The geography cache (geo/geography_cache.h) end to end: a run that builds the geography
# and stores it, a run that reads it, a run with the cache off and a run from a damaged
# entry all give the same series, summary, districts and input checksums.
set -eu
rfsim=$1 scenario=$2 work=$3 h5diff=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
short="--set run.horizon_days=30 --set arrivals.total=2000"
run() {  # run NAME CACHE_DIR
  RFSIM_CACHE_DIR=$2 "$rfsim" run "$scenario" -o "$work/$1" --quiet --no-report $short \
    >/dev/null || fail "run $1 failed"
}
run built "$work/cache"
entry=$(ls "$work"/cache/*.geography) || fail "the first run stored no cache entry"
[ "$(ls "$work/cache" | wc -l)" -eq 1 ] || fail "the cache holds more than one file"
touch -d '2000-01-01' "$entry"
run cached "$work/cache"
[ "$(find "$entry" -newermt '2001-01-01' | wc -l)" -eq 1 ] ||
  fail "the second run did not use the entry (its time was not renewed)"
run off off
[ ! -e off ] || fail "RFSIM_CACHE_DIR=off made a folder named off"
# A damaged entry: one byte in the middle changed.
size=$(stat -c %s "$entry")
printf 'X' | dd of="$entry" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run damaged "$work/cache"
for other in cached off damaged; do
  for group in /series /summary /districts /meta/inputs; do
    "$h5diff" -q "$work/built/results.h5" "$work/$other/results.h5" $group $group ||
      fail "$group differs between the run that built the geography and the run '$other'"
  done
done
echo "ok: built, cached, off and damaged give the same results"
