"""Writes src/test/resources/frameworks/jax-gradients.csv: whole cross-entropy gradients as JAX
computes them on XLA:CPU, for JaxGradientsTest, which requires the jax presets to give every entry
bit for bit (the thresholds only test g_y).

Each row is jax.jit(jax.grad(lambda x: -jax.nn.log_softmax(x, axis=-1)[0, y]))(z) for one [1, C]
array z of the format: Gaussian logits (seeded) times a scale, at class counts of each regime of
XLA:CPU's row sum (serial, windows of 32, YNNPACK) and targets first and last (and middle below
C = 1000).
Columns: format, classes, target, the logits' bits and the gradient's bits, each as one string of
fixed-width hex codes (8 digits for fp32, 4 for bf16 and fp16).

Usage: /work/venv/bin/python scripts/jax-golden/gradients.py [out.csv]   (jax, jaxlib 0.10.2, ml_dtypes)
"""
import os
import sys

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "frameworks", "jax-gradients.csv")
FORMATS = {"fp32": (np.float32, np.uint32, 8), "bf16": (ml_dtypes.bfloat16, np.uint16, 4),
           "fp16": (np.float16, np.uint16, 4)}
CASES = [(5, 3.0), (32, 8.0), (33, 3.0), (1000, 30.0), (4100, 4.0)]


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else OUT
    rng = np.random.default_rng(20261205)
    tmp = out_path + ".tmp"
    with open(tmp, "x") as out:
        out.write("# Cross-entropy gradients of a jitted JAX (%s) on XLA:CPU (x86-64 with AVX-512), written by\n"
                  "# scripts/jax-golden/gradients.py (it says how): jax.grad of -log_softmax(z)[0, y] for Gaussian\n"
                  "# logits. logits and gradient: the values' codes as fixed-width hex, one after another.\n"
                  % jax.__version__)
        out.write("format,classes,target,logits,gradient\n")
        for name, (dtype, codes, width) in FORMATS.items():
            for classes, scale in CASES:
                z = (rng.standard_normal((1, classes)) * scale).astype(np.float32).astype(dtype)
                for y in sorted({0, classes - 1} if classes >= 1000 else {0, classes // 2, classes - 1}):
                    f = jax.jit(jax.grad(lambda x, y=y: -jax.nn.log_softmax(x, axis=-1)[0, y]))
                    g = np.asarray(f(jnp.asarray(z)))
                    hexes = lambda a: "".join("%0*x" % (width, int(c)) for c in a.view(codes)[0])
                    out.write("%s,%d,%d,%s,%s\n" % (name, classes, y, hexes(z), hexes(g)))
    os.link(tmp, out_path)
    os.unlink(tmp)


if __name__ == "__main__":
    main()
