"""Writes src/test/resources/frameworks/sleef-expf.csv: SLEEF's expf (u10) as PyTorch's CPU kernels
compute it, for SleefExpTest.

The outputs come from the SLEEF symbols inside torch's own libtorch_cpu.so: Sleef_expf8_u10 (what
Vectorized<float>::exp calls in the AVX2 kernels) and Sleef_expf16_u10 (the AVX-512 kernels),
called through sleefcall.c; the two must agree on every row. Not from torch.exp itself: for
float32 that op calls MKL's vsExp (ATen/cpu/vml.h), which is not SLEEF. As a check that the kernels
really return these bits, torch.softmax over rows [0, a_1, ..., a_31] with every a_i in [-104, -21]
(the exps then sum to exactly 1, so each output is exp(a_i) unrounded further) must equal the
file's outputs for those inputs, at ATEN_CPU_CAPABILITY=avx2 and =avx512 (child processes).

Usage: /work/venv/bin/python scripts/sleef-expf-golden/generate.py [out.csv]   (x86-64 with
AVX-512F, gcc on PATH; numpy and torch installed)
"""
import ctypes
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "frameworks", "sleef-expf.csv")
R_LN2 = np.float32(1.442695040888963407359924681001892137426645954152985934135449406931)


def bits_to_f32(b):
    return np.asarray(b, dtype=np.uint32).view(np.float32)


def f32_bits(x):
    return np.asarray(x, dtype=np.float32).view(np.uint32)


def softmax_exp(a, level):
    """exp(a) as torch.softmax computes it at ATEN_CPU_CAPABILITY=level (every a in [-104, -21])."""
    env = dict(os.environ, ATEN_CPU_CAPABILITY=level)
    child = subprocess.run([sys.executable, __file__, "--softmax"], input=f32_bits(a).tobytes(),
                           env=env, capture_output=True, check=True)
    capability, out = child.stderr.decode().strip().splitlines()[-1], np.frombuffer(child.stdout, np.uint32)
    return capability, out


def softmax_child():
    torch.set_num_threads(1)
    a = np.frombuffer(sys.stdin.buffer.read(), np.float32)
    n = -(-len(a) // 31) * 31
    rows = np.full(n, -30.0, np.float32)
    rows[:len(a)] = a
    rows = np.concatenate([np.zeros((n // 31, 1), np.float32), rows.reshape(-1, 31)], axis=1)
    out = torch.softmax(torch.from_numpy(rows), dim=-1).numpy()[:, 1:].ravel()[:len(a)]
    sys.stdout.buffer.write(f32_bits(out).tobytes())
    print(torch.backends.cpu.get_cpu_capability(), file=sys.stderr)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else OUT
    rng = np.random.default_rng(20261205)
    with tempfile.TemporaryDirectory() as tmp:
        so = os.path.join(tmp, "libsleefcall.so")
        subprocess.run(["gcc", "-O2", "-mavx2", "-mfma", "-shared", "-fPIC", "-o", so,
                        os.path.join(HERE, "sleefcall.c"), "-ldl"], check=True)
        shim = ctypes.CDLL(so)
        libtorch = os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so")
        assert shim.sleef_open(libtorch.encode()), libtorch

        def sleef(x, symbol):
            n = len(x)
            x = np.ascontiguousarray(np.pad(x, (0, -len(x) % 16), constant_values=1), np.float32)
            y = np.empty_like(x)
            run = shim.sleef_run16 if "f16" in symbol else shim.sleef_run8
            ok = run(symbol.encode(), x.ctypes.data_as(ctypes.c_void_p), y.ctypes.data_as(ctypes.c_void_p),
                     ctypes.c_long(len(x)))
            assert ok, symbol
            return y[:n]

        def cr(x):
            # exp in double, then to float: the correctly rounded float but for rare double roundings
            with np.errstate(over="ignore", invalid="ignore"):
                return np.exp(x.astype(np.float64)).astype(np.float32)

        ins = []
        # Every 65536th bit pattern over [-110, 100], both signs.
        ins.append(np.arange(0, 0x42C80000 + 1, 1 << 16, dtype=np.uint64))
        ins.append(np.arange(0x80000000, 0xC2DC0000 + 1, 1 << 16, dtype=np.uint64))
        # Special values and SLEEF's bounds.
        specials = [0.0, -0.0, np.inf, -np.inf, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 100.0, -104.0, -110.0,
                    np.finfo(np.float32).max, -np.finfo(np.float32).max, np.finfo(np.float32).tiny,
                    -np.finfo(np.float32).tiny, 1e-45, -1e-45, 1e10, -1e10, 3e9, -3e9, 1e38, -1e38]
        sb = list(f32_bits(np.array(specials, np.float32)))
        for edge in (100.0, -104.0):
            e = int(f32_bits(np.float32(edge)))
            sb += [e - 2, e - 1, e + 1, e + 2]
        sb += [0x7FC00000, 0xFFC00000, 0x7F800001, 0xFF800001, 0x7FA12345, 0xFFB00001, 0x7FFFFFFF, 0xFFFFFFFF,
               0x7FC00001, 0x7F812345]
        ins.append(np.array(sb, dtype=np.uint64))
        # Where the result overflows (about 88.72), becomes subnormal (about -87.34) and becomes 0
        # (about -103.97): 48 floats either side of each.
        for t in (88.72283935546875, -87.33654022216797, -103.97207641601562):
            c = int(f32_bits(np.float32(t)))
            ins.append(np.arange(c - 48, c + 49, dtype=np.uint64))
        # Where q = rint(x * R_LN2) steps (x * R_LN2 near k + 1/2): the two floats either side.
        for k in range(-151, 147):
            c = int(f32_bits(np.float32((k + 0.5) / float(R_LN2))))
            ins.append(np.arange(c - 2, c + 3, dtype=np.uint64))
        base = np.unique(np.concatenate(ins)).astype(np.uint32)
        # Inputs where SLEEF differs from the correctly rounded exp: 3000 of them, drawn evenly from
        # a random sample over [-110, 100].
        sample = np.concatenate([rng.integers(0, 0x42C80000, 1 << 21, dtype=np.uint32),
                                 rng.integers(0x80000000, 0xC2DC0000, 1 << 21, dtype=np.uint32)])
        sx = bits_to_f32(sample)
        differ = sample[f32_bits(sleef(sx, "Sleef_expf8_u10")) != f32_bits(cr(sx))]
        differ = np.sort(rng.choice(differ, 3000, replace=False))
        inputs = np.unique(np.concatenate([base, differ]))
        # Positive bit patterns first, then negative, each ascending: 0 ... 100, then -0 ... -110, NaNs last.
        x = bits_to_f32(inputs)
        y8 = f32_bits(sleef(x, "Sleef_expf8_u10"))
        y8avx2 = f32_bits(sleef(x, "Sleef_expf8_u10avx2"))
        y16 = f32_bits(sleef(x, "Sleef_expf16_u10"))
        assert np.array_equal(y8, y16) and np.array_equal(y8, y8avx2), "AVX2 and AVX-512 SLEEF disagree"
        finite = ~np.isnan(x)
        n_cr = int(np.sum(finite & (y8 != f32_bits(cr(x)))))
        window = finite & (x >= -104) & (x <= -21)
        checks = []
        for level in ("avx2", "avx512"):
            capability, sm = softmax_exp(x[window], level)
            assert np.array_equal(sm, y8[window]), f"torch.softmax at {level} is not SLEEF's exp"
            checks.append(capability)

    with open(out_path, "w") as f:
        f.write("# SLEEF expf (u10) bit for bit as PyTorch's CPU kernels compute it: Vectorized<float>::exp,\n")
        f.write(f"# i.e. Sleef_expf8_u10 (AVX2 kernels) and Sleef_expf16_u10 (AVX-512 kernels) inside torch\n")
        f.write(f"# {torch.__version__}'s libtorch_cpu.so, called through scripts/sleef-expf-golden/sleefcall.c; the two\n")
        f.write("# (and Sleef_expf8_u10avx2) agree on every row. Not torch.exp: for float32 it calls MKL's vsExp.\n")
        f.write(f"# Checked: torch.softmax over rows [0, a_1..a_31] equals these exps on the {int(np.sum(window))} inputs\n")
        f.write(f"# in [-104, -21] at ATEN_CPU_CAPABILITY=avx2 and =avx512 (ran as {' and '.join(checks)}).\n")
        f.write(f"# Generated by scripts/sleef-expf-golden/generate.py (numpy {np.__version__}). {len(x)} rows:\n")
        f.write("# every 65536th bit pattern over [-110, 100], special values (NaN outputs keep the payload,\n")
        f.write("# quiet bit set), the neighbourhoods of SLEEF's bounds, of overflow, subnormal results and\n")
        f.write("# underflow to 0, of every step of q = rint(x * log2 e), and 3000 random inputs where SLEEF\n")
        f.write(f"# differs from the correctly rounded exp ({n_cr} rows differ from (float) exp in double in all).\n")
        f.write("# input,output: IEEE 754 binary32 bit patterns in hex\n")
        for a, b in zip(inputs, y8):
            f.write(f"{int(a):08x},{int(b):08x}\n")
    print(f"{out_path}: {len(x)} rows, {n_cr} differ from the correctly rounded exp; softmax checked at {checks}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--softmax"]:
        softmax_child()
    else:
        main()
