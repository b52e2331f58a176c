#!/bin/sh
# usage: branch_report.sh RFSIM SCENARIO WORK
# A short checkpointed run (30 days, 2,000 returnees) and a branch from day 10 that cuts a
# facility's capacity: the branch's briefing names its original, branch day and change;
# compare of the branch with its original says so, counts the key figures from the branch
# day on, and finds zero difference before it.
set -eu
rfsim=$1 scenario=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
short="--set run.horizon_days=30 --set arrivals.total=2000"
"$rfsim" run "$scenario" -o "$work/original" --checkpoint-every 10 --quiet $short >/dev/null ||
  fail "the original failed"
"$rfsim" run "$scenario" --from "$work/original/checkpoints/day-0010.h5" -o "$work/branch" \
  --quiet $short --set facilities.0.capacity=50 >/dev/null || fail "the branch failed"
page=$work/branch/briefing.html
grep -q 'A branch of <strong>default</strong>' "$page" || fail "the briefing does not name its original"
grep -q 'from day 10, 15 Jan 2026' "$page" || fail "the briefing does not name the branch day"
grep -q '<code>facilities.0.capacity: 1500 -&gt; 50</code>' "$page" ||
  grep -q '<code>facilities.0.capacity: 1500 -> 50</code>' "$page" || fail "the briefing does not name the change"

"$rfsim" compare "$work/original" "$work/branch" -o "$work/compare" >"$work/compare.txt" ||
  fail "compare failed"
head -1 "$work/compare.txt" | grep -q '^Key figures from day 10 (2026-01-15), the branch day, on (a branch of original; .*largest difference 0)$' ||
  fail "compare does not say the window starts at the branch day: $(head -1 "$work/compare.txt")"
csv=$work/compare/comparison.csv
head -1 "$csv" | grep -q '^figure,units,original,branch,branch - original from day 10,branch - original before day 10$' ||
  fail "comparison.csv header: $(head -1 "$csv")"
# Every difference before the branch day is zero; some after it is not.
awk -F, 'NR > 1 && $6 != 0 { bad = 1; print "before the branch day: " $0 } END { exit bad }' "$csv" ||
  fail "a difference before the branch day"
awk -F, 'NR > 1 && $5 != 0 { some = 1 } END { exit !some }' "$csv" || fail "no difference after the branch day"
grep -q 'from day 10 (15 Jan 2026), the branch day, on' "$work/compare/comparison.html" ||
  fail "comparison.html does not head the key figures with the branch day"

# Unrelated runs compare as before: no window.
"$rfsim" compare "$work/branch" "$work/original" -o "$work/reverse" >"$work/reverse.txt" ||
  fail "compare failed"
grep -q 'branch day' "$work/reverse.txt" && fail "an original compared with its branch is not a branch of it"
echo ok
