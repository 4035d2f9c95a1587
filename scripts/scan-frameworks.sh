#!/usr/bin/env bash
# Writes src/test/resources/frameworks/scan/: real-looking rows of logits and PyTorch's and JAX's
# per-row g_y == 0 verdicts on them (scripts/scan_frameworks.py says how), which ScanFrameworksTest
# replays against `absorb scan` with the presets. PyTorch runs at ATEN_CPU_CAPABILITY=avx2, the
# torch:* presets' default level. Uses the virtual environment VENV (default
# ./target/frameworks-venv, made as scripts/measure-frameworks.sh makes it); CI needs none of this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv="${VENV:-target/frameworks-venv}"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet torch jax jaxlib ml_dtypes numpy
fi
ATEN_CPU_CAPABILITY=avx2 "$venv/bin/python" scripts/scan_frameworks.py src/test/resources/frameworks/scan
