"""Writes src/test/resources/frameworks/xla-rowsum.csv: fp32 row sums as a jitted JAX computes them
on XLA:CPU, for XlaSumTest (sum=xla).

Each row is jnp.sum(x, axis=-1) of a [1, C] fp32 array whose terms XlaSumTest rebuilds from
(C, kind) alone: term j has the 24-bit significand 1 + (h >> 9) / 2^23 and the exponent -(h mod 41),
with h = ((j + 7919 kind) * 2654435761) mod 2^32, so the terms span 2^-40 .. 2 and every summation
order gives its own rounding. Class counts: 1 to 80, and either side of 1024, 4096 (YNNPACK) and
32768 (YNNPACK's chunks), and the vocabularies of thresholds.csv.

Usage: /work/venv/bin/python scripts/jax-golden/rowsum.py [out.csv]   (jax, jaxlib 0.10.2)
"""
import os
import sys

import jax
import jax.numpy as jnp
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "frameworks", "xla-rowsum.csv")
CLASSES = list(range(1, 81)) + [100, 127, 1000, 1023, 1024, 1025, 1056, 2047, 4095, 4096, 4097, 5000, 8191,
                                8192, 32000, 32767, 32768, 32769, 50257, 65536, 65537, 98305, 128256]
KINDS = 3


def row(classes, kind):
    j = np.arange(classes, dtype=np.uint64)
    h = ((j + np.uint64(7919 * kind)) * np.uint64(2654435761)) % np.uint64(1 << 32)
    significand = 1 + (h >> np.uint64(9)).astype(np.float64) / 2.0 ** 23
    exponent = -(h % np.uint64(41)).astype(np.float64)
    return (significand * 2.0 ** exponent).astype(np.float32)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else OUT
    f = jax.jit(lambda x: jnp.sum(x, axis=-1))
    tmp = out_path + ".tmp"
    with open(tmp, "x") as out:
        out.write("# fp32 row sums of a jitted jnp.sum over [1, C] on XLA:CPU (JAX and jaxlib %s, x86-64 with\n"
                  "# AVX-512), written by scripts/jax-golden/rowsum.py, which says how XlaSumTest rebuilds each row\n"
                  "# from (classes, kind). sum: the result's float bits in hex; path: xla or ynnpack (the compiled\n"
                  "# module hands the reduction to YNNPACK).\n" % jax.__version__)
        out.write("classes,kind,sum,path\n")
        for classes in CLASSES:
            text = f.lower(jnp.zeros((1, classes), jnp.float32)).compile().as_text()
            path = "ynnpack" if "ynn_fusion" in text else "xla"
            for kind in range(KINDS):
                s = np.asarray(f(row(classes, kind)[None, :]), np.float32)[0]
                out.write("%d,%d,%08x,%s\n" % (classes, kind, int(s.view(np.uint32)), path))
    os.link(tmp, out_path)
    os.unlink(tmp)


if __name__ == "__main__":
    main()
