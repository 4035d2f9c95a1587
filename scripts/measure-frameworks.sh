#!/usr/bin/env bash
# Measures PyTorch's and JAX's cross-entropy absorption thresholds on this machine and writes
# src/test/resources/frameworks/thresholds.csv, which FrameworkPresetsTest replays against the
# presets; with the argument "more", writes thresholds-more.csv at the class counts of
# MORE_CLASSES in measure_frameworks.py instead, and with "xla" thresholds-xla.csv at XLA_CLASSES,
# for JAX only (the class counts where XLA:CPU changes its row sum). Installs torch, jax and ml_dtypes into a virtual environment (VENV, default
# ./target/frameworks-venv) from pip's configured index; CI needs none of this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv="${VENV:-target/frameworks-venv}"
out=src/test/resources/frameworks/thresholds.csv
more=()
if [[ "${1:-}" == more || "${1:-}" == xla ]]; then
  out=src/test/resources/frameworks/thresholds-$1.csv
  more=("$1")
fi
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet torch jax jaxlib ml_dtypes numpy
fi
py="$venv/bin/python"

# PyTorch's dispatch levels this CPU can run (it never goes above what the CPU has).
levels=(default)
grep -qw avx2 /proc/cpuinfo && levels+=(avx2)
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && levels+=(avx512)
[[ "${1:-}" == xla ]] && levels=()

rows="$(mktemp)"
trap 'rm -f "$rows"' EXIT
for level in "${levels[@]+"${levels[@]}"}"; do
  ATEN_CPU_CAPABILITY="$level" "$py" scripts/measure_frameworks.py torch "$level" "$rows" "${more[@]}"
done
"$py" scripts/measure_frameworks.py jax any "$rows" "${more[@]}"

{
  echo "# Cross-entropy absorption thresholds measured in the frameworks by scripts/measure-frameworks.sh"
  echo "# (scripts/measure_frameworks.py says how). Replayed by FrameworkPresetsTest."
  echo "# date: $(date -u +%Y-%m-%d)"
  echo "# cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "# cpu flags: $(grep -m1 -o -w -E 'avx2|fma|avx512f|avx512bw|avx512vl|avx512dq|avx512_bf16|avx512_fp16' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  echo "# torch dispatch levels measured: ${levels[*]:-none}; jax: XLA's own choice (the same under --xla_cpu_max_isa=AVX2)"
  echo "framework,version,dispatch,format,family,classes,target,delta_abs"
  cat "$rows"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -l < "$rows") rows)"
