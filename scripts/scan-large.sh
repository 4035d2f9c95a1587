#!/usr/bin/env bash
# Checks that `absorb scan` streams: writes a .npy of ROWS x CLASSES bfloat16 logits (default
# 10000 x 128256, 2.5 GB; heavy-tailed rows, the target raised by gaps from 0 to 30) to DIR
# (default target/scan-large), then scans it with the heap capped at 256 MB and prints the time
# and the peak resident memory. Needs python3 with numpy (VENV/bin/python if VENV is set).
#   scripts/scan-large.sh [ROWS] [CLASSES] [RECIPES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows="${1:-10000}"
classes="${2:-128256}"
recipes="${3:-torch:bf16,jax:bf16,bf16/grad=complement}"
dir="${DIR:-target/scan-large}"
py="${VENV:+$VENV/bin/}python3"
mkdir -p "$dir"
file="$dir/logits-${rows}x${classes}-bf16.npy"
if [[ ! -f "$file" ]]; then
  "$py" - "$file" "$rows" "$classes" <<'PY'
import sys
import numpy as np
from numpy.lib.format import open_memmap

path, rows, classes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = open_memmap(path + '.tmp', mode='w+', dtype='<u2', shape=(rows, classes))
rng = np.random.default_rng(0)
for start in range(0, rows, 256):
    n = min(256, rows - start)
    z = rng.standard_t(3, size=(n, classes)).astype(np.float32)
    y = rng.integers(0, classes, n)
    gap = rng.uniform(0, 30, n).astype(np.float32)
    z[np.arange(n), y] = z.max(axis=1) + gap
    # float32 -> bfloat16 bits, round to nearest even
    bits = z.view(np.uint32)
    out[start:start + n] = ((bits + 0x7fff + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
out.flush()
del out
import os
os.rename(path + '.tmp', path)
PY
fi
ls -l "$file"
[[ -f target/absorb.jar ]] || mvn -o -q -DskipTests package
/usr/bin/time -f 'elapsed %e s, peak resident memory %M KB' \
  java -Xmx256m --add-modules jdk.incubator.vector -XX:CompileCommand=quiet \
       '-XX:CompileCommand=dontinline,dev.absorb.kernel.Simd*::*' \
       '-XX:CompileCommand=inline,dev.absorb.kernel.Vector*::*' \
       -jar target/absorb.jar scan --logits "$file" --recipes "$recipes"
