#!/usr/bin/env bash
# The scenario a results file stores (/meta@scenario_toml, Scenario::resolved_toml) must be a
# scenario in its own right: `rfsim validate` accepts it, a rerun from it gives the same
# /series, and the rerun stores the same text (issue 14).
#   stored-scenario.sh RFSIM SCENARIO WORKDIR [--rename]
# --rename runs a copy of SCENARIO (which must not refer to files beside it) with entry
# points renamed to names TOML must quote: dots, quotes, a backslash, Khmer script, TOML
# syntax (the default scenario's O'Smach has the apostrophe). Runs are small: 2,000
# returnees over the scenario's horizon, without the briefing (only results.h5 is compared).
set -euo pipefail
rfsim=$1 scenario=$2 work=$3 rename=${4:-}
rm -rf "$work"
mkdir -p "$work"
# Old name -> new name as written inside a TOML basic string.
renames=('Choam' 'Choam.north.gate'
         'O Anlok' '\"O Anlok\" gate'
         'Phsar Prum' 'Phsar\\Prum'
         'Doung' 'ដូង'
         'Ou Beichoan' 'Ou Beichoan [old] # = gate')
if [[ $rename == --rename ]]; then
  # Literal replacement of each "old" (no sed: the names hold its metacharacters).
  /usr/bin/python3 -c '
import sys
text = open(sys.argv[1], encoding="utf-8").read()
pairs = sys.argv[3:]
for old, new in zip(pairs[::2], pairs[1::2]):
    if "\"" + old + "\"" not in text:
        sys.exit("no \"" + old + "\" in " + sys.argv[1])
    text = text.replace("\"" + old + "\"", "\"" + new + "\"")
open(sys.argv[2], "w", encoding="utf-8").write(text)
' "$scenario" "$work/scenario.toml" "${renames[@]}"
  scenario=$work/scenario.toml
elif [[ -n $rename ]]; then
  echo "stored-scenario.sh: unknown option '$rename'" >&2
  exit 2
fi
short=(--set arrivals.total=2000)

extract() {  # results.h5 -> its /meta@scenario_toml, byte for byte
  /usr/bin/python3 -c '
import sys, h5py
text = h5py.File(sys.argv[1], "r")["meta"].attrs["scenario_toml"]
sys.stdout.buffer.write(text if isinstance(text, bytes) else text.encode("utf-8"))
' "$1"
}

"$rfsim" run "$scenario" -o "$work/first" "${short[@]}" --quiet --no-report >/dev/null
extract "$work/first/results.h5" >"$work/stored.toml"
echo "--- stored scenario"
cat "$work/stored.toml"
if [[ -n $rename ]]; then
  for ((i = 1; i < ${#renames[@]}; i += 2)); do
    grep -qF "\"${renames[i]}\"" "$work/stored.toml" ||
      { echo "entry point \"${renames[i]}\" is not in the stored text"; exit 1; }
  done
fi
echo "--- validate"
"$rfsim" validate "$work/stored.toml" | tail -n 3
echo "--- rerun"
"$rfsim" run "$work/stored.toml" -o "$work/second" --quiet --no-report >/dev/null
h5diff "$work/first/results.h5" "$work/second/results.h5" /series /series ||
  { echo "the rerun's /series differ"; exit 1; }
extract "$work/second/results.h5" >"$work/stored-again.toml"
cmp "$work/stored.toml" "$work/stored-again.toml" ||
  { echo "the rerun stored another scenario text"; diff "$work/stored.toml" "$work/stored-again.toml"; exit 1; }
echo "stored scenario validates and reruns to the same /series"
