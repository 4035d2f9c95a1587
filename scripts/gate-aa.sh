#!/usr/bin/env bash
# The gate's false-alarm rate: gates every ordered pair of run folders (or JMH JSON files) and
# counts the pairs that fail. Given N runs of one build (an A/A test), every failure is a false
# alarm; the goal is at most 5 % of the N·(N−1) gates.
#
#   scripts/gate-aa.sh [--slow-by F] [GATE OPTION...] -- RUN RUN [RUN...]
#   scripts/gate-aa.sh results/smoke-1 results/smoke-2 results/smoke-3 results/smoke-4 results/smoke-5 results/smoke-6
#
# --slow-by F makes every pair's current run F times slower before gating (each time-mode
# sample multiplied by F, each throughput sample divided by it; needs jq): then every pair
# should fail, and the counts show how reliably the gate catches a slowdown of that size: per
# gate, and per benchmark row (rows flagged / rows compared; counting rows needs jq).
# Gate options (--max-slowdown, --alpha, --normalize-to …) go before "--". Uses
# target/absorb.jar (build it with mvn -B -q -DskipTests package) and java on PATH or $JAVA.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/absorb.jar"
java="${JAVA:-java}"

die() {
  echo "gate-aa.sh: $*" >&2
  exit 2
}

slow_by=""
gate_options=()
if [[ " $* " == *" -- "* ]]; then
  while [[ "$1" != "--" ]]; do
    if [[ "$1" == "--slow-by" ]]; then
      [[ $# -ge 2 ]] || die "--slow-by needs a factor, e.g. 1.2"
      slow_by="$2"
      shift 2
    else
      gate_options+=("$1")
      shift
    fi
  done
  shift
fi
runs=("$@")
[[ ${#runs[@]} -ge 2 ]] || die "give at least two runs (run folders or JMH JSON files)"
[[ -f "$jar" ]] || die "no $jar; build it with: mvn -B -q -DskipTests package"
if [[ -n "$slow_by" ]]; then
  command -v jq > /dev/null || die "--slow-by needs jq"
  [[ "$slow_by" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--slow-by takes a factor such as 1.2, not '$slow_by'"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A copy of run $1 made F times slower, in $work/slow-$2; prints its path.
slowed() {
  local run="$1" dir="$work/slow-$2" json
  json="$run"
  [[ -d "$run" ]] && json="$run/jmh.json"
  mkdir -p "$dir"
  [[ -d "$run" && -f "$run/env.json" ]] && cp "$run/env.json" "$dir/"
  jq --argjson f "$slow_by" 'map(if .mode == "thrpt" then .primaryMetric.rawData |= map(map(. / $f))
                                 else .primaryMetric.rawData |= map(map(. * $f)) end)' "$json" > "$dir/jmh.json"
  echo "$dir"
}

gates=0
failed=0
flagged=0
rows=0
for i in "${!runs[@]}"; do
  for j in "${!runs[@]}"; do
    [[ "$i" -ne "$j" ]] || continue
    current="${runs[$j]}"
    [[ -z "$slow_by" ]] || current="$(slowed "${runs[$j]}" "$i-$j")"
    status=0
    "$java" -jar "$jar" gate --baseline "${runs[$i]}" --current "$current" "${gate_options[@]}" > "$work/summary.md" || status=$?
    gates=$((gates + 1))
    regressions="$(sed -n 's/^### Regressions (\([0-9]*\))$/\1/p' "$work/summary.md")"
    flagged=$((flagged + ${regressions:-0}))
    baseline_json="${runs[$i]}"
    [[ -d "$baseline_json" ]] && baseline_json="$baseline_json/jmh.json"
    command -v jq > /dev/null && rows=$((rows + $(jq length "$baseline_json")))
    case "$status" in
      0) echo "pass  ${runs[$i]} -> ${runs[$j]}" ;;
      1) failed=$((failed + 1))
         echo "FAIL  ${runs[$i]} -> ${runs[$j]}: ${regressions:-0} regressions"
         sed -n '/^### Regressions/,/^### /p' "$work/summary.md" | grep '^| [^-b]' | cut -d'|' -f2-3,8 | sed 's/^/        /' ;;
      *) die "gate exited $status on ${runs[$i]} -> ${runs[$j]}" ;;
    esac
  done
done
echo "$failed of $gates gates failed${slow_by:+ (current runs made $slow_by times slower)}"
if [[ "$rows" -gt 0 ]]; then
  echo "$flagged of $rows benchmark rows flagged as regressions ($(awk -v f="$flagged" -v r="$rows" 'BEGIN { printf "%.1f", 100 * f / r }') %)"
fi
