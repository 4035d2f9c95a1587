"""Writes the fixture ScanFrameworksTest replays: real-looking rows of logits and, per row, whether
PyTorch's and JAX's own cross-entropy gradient has g_y == 0 (and whether the row sits in the NFI
window: g_y == 0 while some other g_j != 0), in fp32, bf16 and fp16.

Rows: C = 10, 1000 and 32000 classes; the other logits heavy-tailed (Student t with 3 degrees of
freedom, times 1.5, within +-30), the target (the row's argmax) above the largest of them by a
gap: half the rows uniform in [0, 32], half within +-2 of the first-order thresholds
ln(C-1) + p ln 2 of bf16, fp16 and fp32 (p = 8, 11, 24). Every logit is a bfloat16 value, so the
same row is exact in bf16, fp16 and fp32; the files hold the bfloat16 bit patterns (<u2).

PyTorch: F.cross_entropy on a [1, C] tensor of the format, one thread, under ATEN_CPU_CAPABILITY
(the torch:* presets' default level is avx2). JAX: jax.grad of -jax.nn.log_softmax(x)[0, y],
jitted, on the CPU, x of shape [1, C] in the format.

Usage: scan_frameworks.py OUT_DIR   (needs numpy, ml_dtypes, torch and jax; scripts/scan-frameworks.sh)
"""
import os
import sys

import ml_dtypes
import numpy as np

ROWS = {10: 96, 1000: 192, 32000: 32}
PRECISION = {'bf16': 8, 'fp16': 11, 'fp32': 24}


def rows(classes, n, rng):
    z = np.clip(1.5 * rng.standard_t(3, size=(n, classes)), -30, 30)
    z = z.astype(ml_dtypes.bfloat16).astype(np.float64)
    y = rng.integers(0, classes, n)
    centres = [np.log(classes - 1) + p * np.log(2) for p in PRECISION.values()]
    for i in range(n):
        others = np.delete(z[i], y[i]).max()
        if i % 2 == 0:
            gap = rng.uniform(0, 32)
        else:
            gap = centres[(i // 2) % len(centres)] + rng.uniform(-2, 2)
        z[i, y[i]] = others + gap
    z = z.astype(ml_dtypes.bfloat16)
    # The target must be the argmax after rounding (scan's default target), and unique.
    return z, np.asarray(z.astype(np.float64).argmax(axis=1))


def torch_verdicts():
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    dtypes = {'fp32': torch.float32, 'bf16': torch.bfloat16, 'fp16': torch.float16}

    def gradient(fmt, row, y):
        t = torch.tensor(row[None, :]).to(dtypes[fmt]).requires_grad_(True)
        F.cross_entropy(t, torch.tensor([y])).backward()
        return t.grad[0].to(torch.float64).numpy()
    return gradient, 'PyTorch ' + torch.__version__ + ' ' + torch.backends.cpu.get_cpu_capability().lower()


def jax_verdicts():
    import jax
    import jax.numpy as jnp
    dtypes = {'fp32': jnp.float32, 'bf16': jnp.bfloat16, 'fp16': jnp.float16}
    compiled = {}

    def gradient(fmt, row, y):
        key = (row.shape[0], y)
        if key not in compiled:
            compiled[key] = jax.jit(jax.grad(lambda x: -jax.nn.log_softmax(x, axis=-1)[0, y]))
        x = jnp.asarray(row[None, :], dtype=dtypes[fmt])
        return np.asarray(compiled[key](x), np.float64)[0]
    return gradient, 'JAX ' + jax.__version__


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(2025)
    frameworks = [('torch',) + torch_verdicts(), ('jax',) + jax_verdicts()]
    lines = []
    for classes, n in ROWS.items():
        z, ys = rows(classes, n, rng)
        name = f'logits-{classes}.npy'
        np.save(os.path.join(out, name), z.view('<u2'))
        values = z.astype(np.float64)
        for framework, gradient, _ in frameworks:
            for fmt in PRECISION:
                for r in range(n):
                    g = gradient(fmt, values[r], int(ys[r]))
                    y = int(ys[r])
                    dead = g[y] == 0
                    nfi = dead and bool(np.any(np.delete(g, y) != 0))
                    lines.append(f'{name},{r},{y},{framework},{fmt},{int(dead)},{int(nfi)}')
    with open(os.path.join(out, 'verdicts.csv'), 'w') as f:
        f.write('# Per-row g_y == 0 verdicts of the frameworks themselves, written by scripts/scan_frameworks.py\n')
        f.write('# (its docstring says how the rows are made); ' + '; '.join(v for _, _, v in frameworks) + '.\n')
        f.write('# Replayed by ScanFrameworksTest against absorb scan with the torch:* and jax:* presets.\n')
        f.write('file,row,target,framework,format,g_y_zero,nfi\n')
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
