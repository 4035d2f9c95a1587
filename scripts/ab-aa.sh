#!/usr/bin/env bash
# The interleaved A/B's false-alarm rate and power: runs `absorb ab` REPS times with the same jar
# on both sides (an A/A test: every failure is a false alarm), or with --candidate-jvm-args making
# the candidate slower (then every repetition should fail), and counts the verdicts.
#
#   scripts/ab-aa.sh [--reps N] [--keep DIR] [AB OPTION...]
#   scripts/ab-aa.sh --reps 30 --keep aa -- --bench 'KernelBenchmark.fused$'
#   scripts/ab-aa.sh --reps 10 --keep slow -- --bench 'KernelBenchmark.fused$' --candidate-jvm-args=-XX:MaxVectorSize=16
#
# AB OPTIONs (after "--") go to every `absorb ab` (--bench, --rounds, --candidate-jvm-args, gate
# options …); --baseline, --candidate and --out are set here. Uses a copy of target/absorb.jar
# (build it with mvn -B -q -DskipTests package), so a rebuild during the repetitions changes
# nothing, and java on PATH or $JAVA. Prints one line per repetition (exit code, each row's
# candidate/baseline ratio with its interval, the 1-minute load average before it), then the
# count; with --keep DIR the run folders stay in DIR/rep-NN (each holds baseline/ and candidate/,
# two run folders scripts/gate-aa.sh takes) and the lines in DIR/repetitions.txt. Needs jq.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA:-java}"

die() {
  echo "ab-aa.sh: $*" >&2
  exit 2
}

reps=30
keep=""
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --reps) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--reps needs a positive count"; reps="$2"; shift 2 ;;
    --keep) [[ $# -ge 2 ]] || die "--keep needs a folder"; keep="$2"; shift 2 ;;
    *) die "unknown option '$1'; valid: --reps N, --keep DIR, then -- and ab's options" ;;
  esac
done
[[ $# -eq 0 ]] || shift
command -v jq > /dev/null || die "needs jq"
[[ -f "$root/target/absorb.jar" ]] || die "no $root/target/absorb.jar; build it with: mvn -B -q -DskipTests package"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar="$work/absorb.jar"
cp "$root/target/absorb.jar" "$jar"
if [[ -n "$keep" ]]; then
  [[ ! -e "$keep" ]] || die "--keep $keep already exists; give a new folder"
  mkdir -p "$keep"
  out="$keep"
else
  out="$work/runs"
  mkdir -p "$out"
fi

passed=0
failed=0
for ((rep = 1; rep <= reps; rep++)); do
  folder="$out/$(printf 'rep-%02d' "$rep")"
  load="$(cut -d' ' -f1 /proc/loadavg 2> /dev/null || echo unknown)"
  status=0
  "$java" -jar "$jar" ab --baseline "$jar" --candidate "$jar" "$@" --out "$folder" > "$work/stdout" 2> "$work/stderr" || status=$?
  case "$status" in
    0) passed=$((passed + 1)); verdict=pass ;;
    1) failed=$((failed + 1)); verdict=FAIL ;;
    *) cat "$work/stderr" >&2; die "ab exited $status in repetition $rep" ;;
  esac
  ratios="$(jq -r '[.rows[] | "\(.params.recipe // .benchmark) \(.ratio * 1000 | round / 1000) [\(if .ratio_low then (.ratio_low * 1000 | round / 1000) else "n/a" end), \(if .ratio_high then (.ratio_high * 1000 | round / 1000) else "n/a" end)] p \(.p * 1000 | round / 1000)"] | join("; ")' "$folder/gate.json")"
  line="$(printf 'rep %02d  %-4s  load %s  %s' "$rep" "$verdict" "$load" "$ratios")"
  echo "$line"
  [[ -z "$keep" ]] || echo "$line" >> "$keep/repetitions.txt"
done
summary="$passed of $reps repetitions passed, $failed failed"
echo "$summary"
[[ -z "$keep" ]] || echo "$summary" >> "$keep/repetitions.txt"
