"""Writes src/test/resources/frameworks/xla-expf.csv: the two fp32 exps that a jitted JAX
cross-entropy runs on XLA:CPU, for XlaExpTest.

Both columns come from JAX itself, not from a transliteration:
  xla      jax.jit(jnp.exp) on a [1, 2048] array: XLA's own polynomial exp (the compiled module
           must not hand anything to YNNPACK).
  ynnpack  jax.jit(exp(x - max(x))) on a [1, 8192] row whose largest element is 0, so that
           x - max = x exactly: the exp YNNPACK runs when XLA:CPU gives it a row of 4096 or more
           fp32 elements (the compiled module must contain a YNNPACK fusion). Only x <= 0 and NaN
           can be measured this way (inside the kernel the exp's argument z_j - max is never
           positive); the cell is empty for x > 0.
Rows: every 262144th float bit pattern over the negatives and the positives; 64 patterns either side
of each clamp and range edge of the two exps (-87.8, 88.8, ln 2^-126, ln FLT_MAX, -88.0297,
-103.97); 16 either side of the points where the reduction's integer part changes; every 401st input
of [-2, -0.5] and of [-88, -86] where an exp differs from the correctly rounded one; special values.
Columns: x, xla(x), ynnpack(x), as hex floats (exact), inf and nan spelled out.

Usage: /work/venv/bin/python scripts/jax-golden/expf.py [out.csv]   (jax, jaxlib 0.10.2)
"""
import math
import os
import sys

import jax
import jax.numpy as jnp
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "frameworks", "xla-expf.csv")
XLA_WIDTH = 2048
YNN_WIDTH = 8192


def bits_to_f32(b):
    return np.asarray(b, dtype=np.uint64).astype(np.uint32).view(np.float32)


def f32_bits(x):
    return int(np.asarray(x, dtype=np.float32).view(np.uint32))


def xla_exp_fn():
    f = jax.jit(jnp.exp)
    text = f.lower(jnp.zeros((1, XLA_WIDTH), jnp.float32)).compile().as_text()
    if "ynn" in text:
        sys.exit("jnp.exp on [1, %d] went to YNNPACK: not XLA's own exp" % XLA_WIDTH)

    def run(x):
        out = np.empty_like(x)
        for s in range(0, len(x), XLA_WIDTH):
            chunk = np.zeros((1, XLA_WIDTH), np.float32)
            part = x[s:s + XLA_WIDTH]
            chunk[0, :len(part)] = part
            out[s:s + len(part)] = np.asarray(f(chunk))[0, :len(part)]
        return out
    return run


def ynn_exp_fn():
    f = jax.jit(lambda x: jnp.exp(x - jnp.max(x, axis=-1, keepdims=True)))
    text = f.lower(jnp.zeros((1, YNN_WIDTH), jnp.float32)).compile().as_text()
    if "ynn_fusion" not in text:
        sys.exit("exp(x - max) on [1, %d] has no YNNPACK fusion" % YNN_WIDTH)
    step = YNN_WIDTH - 1

    def run(x):
        """exp(x) for x <= 0 (NaN rows separately: a NaN makes the row's max NaN)."""
        out = np.empty_like(x)
        for s in range(0, len(x), step):
            part = x[s:s + step]
            row = np.full((1, YNN_WIDTH), -1.0, np.float32)
            row[0, :len(part)] = part
            row[0, -1] = 0.0
            out[s:s + len(part)] = np.asarray(f(row))[0, :len(part)]
        return out

    def nan():
        row = np.full((1, YNN_WIDTH), np.nan, np.float32)
        return np.asarray(f(row))[0, 0]
    return run, nan


def neighbours(value, count):
    b = f32_bits(np.float32(value))
    return [b + d for d in range(-count, count + 1) if 0 <= b + d < 1 << 32]


def hexf(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "-0x0p+0" if math.copysign(1, v) < 0 else "0x0p+0"
    mantissa, exponent = v.hex().split("p")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + "p" + exponent


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else OUT
    xla = xla_exp_fn()
    ynn, ynn_nan = ynn_exp_fn()

    patterns = set(range(0x80000000, 0xFF800001, 1 << 18)) | set(range(0, 0x7F800001, 1 << 18))
    edges = [-87.8, 88.8, -87.33654475, 88.72283935546875, -88.02969360351562, -103.97208, -104.0, 0.0]
    for e in edges:
        patterns.update(neighbours(e, 64))
    # floor(x*log2(e) + 1/2) and the magic-number rounding change at x = (k + 1/2) ln 2
    for k in (-128, -127, -126, -125, -2, -1, 0, 1, 126, 127):
        patterns.update(neighbours((k + 0.5) * math.log(2), 16))
    specials = [0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00800000,
                0x80800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F800000, 0xFF800000]
    patterns.update(specials)

    # inputs where an exp is not correctly rounded, from two dense ranges
    for lo, hi in ((-2.0, -0.5), (-88.0, -86.0)):
        b_hi, b_lo = f32_bits(np.float32(lo)), f32_bits(np.float32(hi))
        x = bits_to_f32(np.arange(b_lo, b_hi + 1, dtype=np.uint64))
        correct = np.exp(x.astype(np.float64)).astype(np.float32)
        with np.errstate(all="ignore"):
            bad = (xla(x) != correct) | (ynn(x) != correct)
        picked = x[np.flatnonzero(bad)[::401]]
        patterns.update(int(b) for b in picked.view(np.uint32))

    bits = np.array(sorted(patterns), dtype=np.uint64)
    x = bits_to_f32(bits)
    x = x[~np.isnan(x)]
    xla_out = xla(x)
    ynn_out = np.full_like(x, np.nan)
    measurable = x <= 0
    ynn_out[measurable] = ynn(x[measurable])

    tmp = out_path + ".tmp"
    with open(tmp, "x") as f:
        f.write("# The fp32 exps of a jitted JAX cross-entropy on XLA:CPU (JAX and jaxlib %s, %s), measured\n"
                % (jax.__version__, "x86-64 with AVX-512") +
                "# by scripts/jax-golden/expf.py (it says how). xla: XLA's own exp (rows of C < 4096);\n"
                "# ynnpack: YNNPACK's (fp32 rows of C >= 4096), empty for x > 0, where it cannot be measured.\n"
                "# Rows: every 262144th float bit pattern; the neighbours of the clamp and range edges and of the\n"
                "# points where the reduction's integer part changes; inputs where either exp is not correctly\n"
                "# rounded; special values. Hex floats (exact), inf and nan spelled out.\n")
        f.write("input,xla,ynnpack\n")
        for xi, a, b in zip(x, xla_out, ynn_out):
            f.write("%s,%s,%s\n" % (hexf(xi), hexf(a), hexf(b) if xi <= 0 else ""))
        f.write("nan,%s,%s\n" % (hexf(xla(np.array([np.nan], np.float32))[0]), hexf(ynn_nan())))
    os.link(tmp, out_path)
    os.unlink(tmp)
    print("rows:", len(x) + 1, "->", out_path)


if __name__ == "__main__":
    main()
