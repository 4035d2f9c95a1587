#!/usr/bin/env bash
# Runs absorb: builds target/absorb.jar when it is missing or older than src/ or pom.xml, then
#   ./run-benchmarks.sh [--java PATH] [SUBCOMMAND ARGS...]
# With no subcommand it runs the default job, `sweep`. Anything else goes to the jar as is:
#   ./run-benchmarks.sh round --format bf16 <<< 1.00390625
#   ./run-benchmarks.sh grad bf16 --classes 128256 --gap 20
# The JVM: --java PATH (a java executable or a JDK home; only before the subcommand), else
# $JAVA_HOME/bin/java, else java on PATH; it must be Java 17 or later. Maven builds with its own
# JDK (JAVA_HOME or PATH). The JVM's "WARNING: Using incubator modules" line is removed from
# stderr; everything else on stderr is kept. Exit codes: the jar's (0 ok, 1 internal error,
# 2 bad input), 2 for a bad --java, the build's if it fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$root/target/absorb.jar"
incubator_warning='WARNING: Using incubator modules: jdk.incubator.vector'
# The Vector API module, and every loop of the SIMD kernel compiled on its own: inlined into its
# caller, the vector code outgrows the JIT's inlining budget and its vectors get boxed (48 B and
# 5x the time per element; docs/decisions.md, "SIMD kernel and the JIT").
jvm_flags=(--add-modules jdk.incubator.vector -XX:CompileCommand=quiet
           '-XX:CompileCommand=dontinline,dev.absorb.kernel.Simd*::*')

die() {
  echo "run-benchmarks.sh: $*" >&2
  exit 2
}

java_arg=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --java)
      [[ $# -ge 2 ]] || die "--java needs a path (a java executable or a JDK home)"
      java_arg="$2"
      shift 2
      ;;
    --java=*)
      java_arg="${1#--java=}"
      shift
      ;;
    *)
      break
      ;;
  esac
done

if [[ -n "$java_arg" ]]; then
  java="$java_arg"
  source_name="--java $java_arg"
elif [[ -n "${JAVA_HOME:-}" ]]; then
  java="$JAVA_HOME"
  source_name="JAVA_HOME=$JAVA_HOME"
else
  java="$(command -v java || true)"
  source_name="java on PATH"
  [[ -n "$java" ]] || die "no JVM: give --java PATH, set JAVA_HOME, or put java on PATH"
fi
if [[ -d "$java" ]]; then
  java="$java/bin/java"
fi
[[ -f "$java" && -x "$java" ]] || die "$source_name: $java is not an executable java (give a java executable or a JDK home)"
# One cheap run of the JVM tells both that it is one and which Java it is.
spec_version="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' || true)"
[[ -n "$spec_version" ]] || die "$source_name: $java does not run as a JVM"
[[ "$spec_version" =~ ^[0-9]+$ && "$spec_version" -ge 17 ]] || die "$source_name: $java is Java $spec_version; absorb needs Java 17 or later"

if [[ ! -f "$jar" || -n "$(find "$root/src" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "run-benchmarks.sh: building target/absorb.jar" >&2
  # Build output goes to stderr: stdout belongs to the command (round is a filter).
  mvn -B -q -DskipTests -f "$root/pom.xml" package >&2
fi

if [[ $# -eq 0 ]]; then
  set -- sweep
fi

# stderr goes through a filter (stdout stays on fd 3) that drops the JVM's first line if it is
# the incubator warning and passes everything else through unbuffered, so a progress bar that
# redraws one line with \r still shows; with pipefail the pipeline's status is the JVM's.
status=0
{ "$java" "${jvm_flags[@]}" -jar "$jar" "$@" 2>&1 1>&3 3>&- \
    | perl -e '$first = <STDIN>; print STDERR $first if defined $first && $first ne "$ARGV[0]\n";
               while (sysread(STDIN, $chunk, 4096)) { syswrite(STDERR, $chunk); }' "$incubator_warning"; } 3>&1 || status=$?
exit "$status"
