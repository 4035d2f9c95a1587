#!/usr/bin/env bash
# Runs absorb: builds target/absorb.jar when it is missing or older than src/ or pom.xml, then
#
#   ./run-benchmarks.sh [--java PATH] [JOB OPTIONS]        the default job, on one or more JVMs
#   ./run-benchmarks.sh [--java PATH] SUBCOMMAND ARGS...   any absorb subcommand, as is:
#       ./run-benchmarks.sh round --format bf16 <<< 1.00390625
#       ./run-benchmarks.sh grad bf16 --classes 128256 --gap 20
#       ./run-benchmarks.sh sweep --recipes bf16 --classes 1000
#
# The default job (`absorb bench`, then `absorb report`) writes one new folder
# results/<UTC time>_<jdk>_<cpu>/ per JVM with env.json, thresholds.csv and curves.csv (the sweep),
# jmh.json (JMH), jmh.log, summary.md, report.md and plots/; several JVMs end with `absorb compare`;
# the folder holds an INCOMPLETE marker until the last file is in place. JOB OPTIONS:
#   --profile smoke|quick|full   smoke: every benchmark once, small, 5 forks (~7 min; what CI runs
#                                and gates); quick (default): ~13 min on 2 cores; full: hours
#   --bench REGEX                only benchmarks whose name contains a match (e.g. KernelBenchmark.fused)
#   --recipes R1,R2  --classes C1,C2   in place of the profile's, for the sweep and the benchmarks
#   --jdk PATH                   (repeatable) run the job on this JVM (a JDK home or a java
#                                executable); several --jdk: one folder each, then `absorb compare` of their scores
#   --no-sweep  --ignore-lock  --results-dir DIR   passed to `absorb bench` (see bench --help)
#   --gaps G1,G2  --families F1,F2  --forks N  --warmup-iterations N  --warmup-time T  --iterations N
#   --measurement-time T         in place of the profile's (T: 200ms, 1s), passed to `absorb bench`
#
# Two builds compared on this machine, interleaved fork by fork (docs/ci.md, "ab"):
#   ./run-benchmarks.sh ab --baseline old/absorb.jar --candidate target/absorb.jar --bench KernelBenchmark.fused
#   ./run-benchmarks.sh ab --baseline /usr/lib/jvm/jdk-17 --candidate /usr/lib/jvm/jdk-25   (this absorb on two JVMs)
#
# The JVM: --java PATH (a java executable or a JDK home), else $JAVA_HOME/bin/java, else java on
# PATH; with --jdk, the job runs on each --jdk JVM and --java only prints the side-by-side table.
# Every JVM must be Java 17 or later and have the jdk.incubator.vector module. Maven builds with
# its own JDK (JAVA_HOME or PATH), once. Options are checked before anything is built or run: a
# bad one prints one line and exits 2. JAVA_OPTS (e.g. JAVA_OPTS=-Xmx8g) adds JVM options to the
# jar's JVM. The JVM's "WARNING: Using incubator modules" line is removed from stderr; everything
# else on stderr is kept. Exit codes: the jar's (0 ok, 1 gate: a regression, 2 bad input, 3 absorb
# could not finish; docs/faults.md), 2 for a bad option or JVM, the build's if it fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$root/target/absorb.jar"
incubator_warning='WARNING: Using incubator modules: jdk.incubator.vector'
# The Vector API module, and every loop of the SIMD kernel compiled on its own: inlined into its
# caller, the vector code outgrows the JIT's inlining budget and its vectors get boxed (48 B and
# 5x the time per element; docs/decisions.md, "SIMD kernel and the JIT"), while the lane-wise
# math (Vector*) is always inlined into them. dev.absorb.bench.ForkFlags
# holds the same list for the JMH forks.
jvm_flags=(--add-modules jdk.incubator.vector -XX:CompileCommand=quiet
           '-XX:CompileCommand=dontinline,dev.absorb.kernel.Simd*::*'
           '-XX:CompileCommand=inline,dev.absorb.kernel.Vector*::*')
# The user's JVM options, split on blanks as a shell would (no quoting inside).
read -r -a java_opts <<< "${JAVA_OPTS:-}"
profiles=(smoke quick full)
job_options="--profile, --bench, --recipes, --classes, --gaps, --families, --forks, --warmup-iterations, --warmup-time, --iterations, --measurement-time, --jdk, --no-sweep, --ignore-lock, --results-dir"

die() {
  echo "run-benchmarks.sh: $*" >&2
  exit 2
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

# The java executable at PATH (a JDK home or the executable itself), checked: a JVM, Java 17 or
# later, with jdk.incubator.vector. Prints it; dies (exit 2, one line) otherwise.
resolve_jvm() {
  local label="$1" java="$2" spec_version
  [[ -n "$java" ]] || die "$label: the path is empty"
  if [[ -d "$java" ]]; then
    java="$java/bin/java"
  fi
  [[ -f "$java" && -x "$java" ]] || die "$label: $java is not an executable java (give a java executable or a JDK home)"
  # One cheap run of the JVM tells both that it is one and which Java it is.
  spec_version="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' || true)"
  [[ -n "$spec_version" ]] || die "$label: $java does not run as a JVM"
  [[ "$spec_version" =~ ^[0-9]+$ && "$spec_version" -ge 17 ]] \
    || die "$label: $java is Java $spec_version; absorb needs Java 17 or later"
  "$java" --add-modules jdk.incubator.vector -version > /dev/null 2>&1 \
    || die "$label: $java has no jdk.incubator.vector module (absorb's kernels need the Vector API; use a full JDK, not a trimmed runtime)"
  printf '%s\n' "$java"
}

# Runs the jar on JVM $1 with the rest as arguments. stderr goes through a filter (stdout stays
# on fd 3) that drops the JVM's first line if it is the incubator warning and passes everything
# else through unbuffered, so a progress bar that redraws one line with \r still shows; with
# pipefail the status is the JVM's.
run_jar() {
  local java="$1"
  shift
  { "$java" "${jvm_flags[@]}" ${java_opts[@]+"${java_opts[@]}"} -jar "$jar" "$@" 2>&1 1>&3 3>&- \
      | perl -e '$first = <STDIN>; print STDERR $first if defined $first && $first ne "$ARGV[0]\n";
                 while (sysread(STDIN, $chunk, 4096)) { syswrite(STDERR, $chunk); }' "$incubator_warning"; } 3>&1
}

java_arg=""
java_given=0
jdks=()
job_args=()
job_option_seen=""
profile=quick
while [[ $# -gt 0 ]]; do
  case "$1" in
    --java)
      [[ $# -ge 2 ]] || die "--java needs a path (a java executable or a JDK home)"
      java_arg="$2"; java_given=1
      shift 2
      ;;
    --java=*)
      java_arg="${1#--java=}"; java_given=1
      shift
      ;;
    --jdk)
      [[ $# -ge 2 ]] || die "--jdk needs a path (a JDK home or a java executable)"
      jdks+=("$2"); job_option_seen="--jdk"
      shift 2
      ;;
    --profile|--bench|--recipes|--classes|--results-dir|--gaps|--families|--forks|--warmup-iterations|--warmup-time|--iterations|--measurement-time)
      [[ $# -ge 2 ]] || die "$1 needs a value"
      if [[ "$1" == --profile ]]; then
        profile="$2"
      fi
      job_args+=("$1" "$2"); job_option_seen="$1"
      shift 2
      ;;
    --profile=*|--bench=*|--recipes=*|--classes=*|--results-dir=*|--gaps=*|--families=*|--forks=*|--warmup-iterations=*|--warmup-time=*|--iterations=*|--measurement-time=*)
      if [[ "$1" == --profile=* ]]; then
        profile="${1#--profile=}"
      fi
      job_args+=("$1"); job_option_seen="${1%%=*}"
      shift
      ;;
    --no-sweep|--ignore-lock)
      job_args+=("$1"); job_option_seen="$1"
      shift
      ;;
    -h|--help)
      usage
      exit 0
      ;;
    --version)
      break
      ;;
    -*)
      die "unknown option '$1'; valid before a subcommand: --java, $job_options (see --help)"
      ;;
    *)
      break
      ;;
  esac
done

if [[ $# -gt 0 && -n "$job_option_seen" ]]; then
  die "$job_option_seen belongs to the default job, not to the subcommand '$1' (put a subcommand's options after it)"
fi
if [[ " ${profiles[*]} " != *" $profile "* ]]; then
  die "unknown profile '$profile'; valid: $(printf '%s, ' "${profiles[@]}" | sed 's/, $//')"
fi

# Every JVM is checked before anything is built or run.
if [[ $java_given -eq 1 ]]; then
  java="$(resolve_jvm "--java $java_arg" "$java_arg")" || exit $?
elif [[ -n "${JAVA_HOME:-}" ]]; then
  java="$(resolve_jvm "JAVA_HOME=$JAVA_HOME" "$JAVA_HOME")" || exit $?
else
  on_path="$(command -v java || true)"
  [[ -n "$on_path" ]] || die "no JVM: give --java PATH, set JAVA_HOME, or put java on PATH"
  java="$(resolve_jvm "java on PATH" "$on_path")" || exit $?
fi
job_jvms=()
for jdk in ${jdks[@]+"${jdks[@]}"}; do
  job_jvms+=("$(resolve_jvm "--jdk $jdk" "$jdk")") || exit $?
done
if [[ ${#job_jvms[@]} -eq 0 ]]; then
  job_jvms=("$java")
fi

if [[ ! -f "$jar" || -n "$(find "$root/src" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "run-benchmarks.sh: building target/absorb.jar" >&2
  # Build output goes to stderr: stdout belongs to the command (round is a filter).
  mvn -B -q -DskipTests -f "$root/pom.xml" package >&2
fi

if [[ $# -gt 0 ]]; then
  status=0
  run_jar "$java" "$@" || status=$?
  exit "$status"
fi

# The default job, once per JVM; `absorb bench` ends its stdout with "run folder: PATH".
capture="$(mktemp)"
trap 'rm -f "$capture"' EXIT
folders=()
for jvm in "${job_jvms[@]}"; do
  if [[ ${#job_jvms[@]} -gt 1 ]]; then
    echo "run-benchmarks.sh: the job on $jvm" >&2
  fi
  status=0
  run_jar "$jvm" bench ${job_args[@]+"${job_args[@]}"} | tee "$capture" || status=$?
  [[ $status -eq 0 ]] || exit "$status"
  folders+=("$(sed -n 's/^run folder: //p' "$capture" | tail -n 1)")
done

# The report of each folder; the first folder's also compares the other JVMs' runs with it.
for ((i = ${#folders[@]} - 1; i >= 0; i--)); do
  if [[ $i -eq 0 ]]; then
    run_jar "$java" report "${folders[@]}"
  else
    run_jar "$java" report "${folders[$i]}"
  fi
done

if [[ ${#folders[@]} -gt 1 ]]; then
  echo
  echo "JMH results compared (ratios to the first JVM's run, with 95 % intervals and Mann-Whitney p-values):"
  run_jar "$java" compare "${folders[@]}"
fi
