#!/usr/bin/env bash
# Records PyTorch's cross-entropy gradient with label smoothing at every dispatch level this CPU
# runs and writes src/test/resources/frameworks/smoothing.csv, which LabelSmoothingPresetTest
# replays against torch:FORMAT/cpu=LEVEL/smooth=EPS (scripts/measure_smoothing.py says how).
# Uses the virtual environment of measure-frameworks.sh (VENV, default ./target/frameworks-venv).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv="${VENV:-target/frameworks-venv}"
out=src/test/resources/frameworks/smoothing.csv
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet torch ml_dtypes numpy
fi
py="$venv/bin/python"

levels=(default)
grep -qw avx2 /proc/cpuinfo && levels+=(avx2)
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && levels+=(avx512)

rows="$(mktemp)"
trap 'rm -f "$rows"' EXIT
for level in "${levels[@]}"; do
  ATEN_CPU_CAPABILITY="$level" "$py" scripts/measure_smoothing.py "$level" "$rows"
done

tmp="$(mktemp "$out.XXXXXX")"
{
  echo "# PyTorch's cross-entropy gradient with label smoothing, recorded by scripts/measure-smoothing.sh"
  echo "# (scripts/measure_smoothing.py says how). Replayed by LabelSmoothingPresetTest."
  echo "# date: $(date -u +%Y-%m-%d)"
  echo "framework,version,dispatch,format,smooth,family,classes,target,z_y,g_y_code,gradient_crc32"
  cat "$rows"
} > "$tmp"
mv -n "$tmp" "$out" || { echo "$out exists: remove it first" >&2; rm -f "$tmp"; exit 3; }
