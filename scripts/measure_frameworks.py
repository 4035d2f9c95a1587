"""Measures where PyTorch's and JAX's cross-entropy gradient of the target class dies.

For each (format, classes, family, target) it finds delta_abs: the smallest stored gap at which
the framework's own autograd gives g_y == 0 exactly, bisected over the format's representable
gaps (their bit patterns are ordered like the positive values). The logits are absorb's
families (sweep/Family.java) at offset 0:
  flat      z_y = gap, every other z_j = 0
  runnerup  z_y = gap, the class after y (cyclically) at 0, the rest at -8
PyTorch: F.cross_entropy on a [1, C] tensor, one thread, under the dispatch level in
ATEN_CPU_CAPABILITY. JAX: jax.grad of -jax.nn.log_softmax(z)[0, y], jitted, on the CPU.

Usage: measure_frameworks.py torch|jax DISPATCH OUT.csv [more|xla]   (rows appended, no header;
"more" measures MORE_CLASSES instead of CLASSES, "xla" XLA_CLASSES)
"""
import sys

import numpy as np
import ml_dtypes

FORMATS = {  # name: (numpy storage type, code type)
    'fp32': (np.float32, np.uint32),
    'bf16': (ml_dtypes.bfloat16, np.uint16),
    'fp16': (np.float16, np.uint16),
}
CLASSES = [2, 10, 100, 1000, 32000, 128256]
# More class counts, to check the presets away from the table above (MORE_CLASSES=1).
MORE_CLASSES = [3, 7, 17, 31, 33, 50257, 151936]
# Either side of the class counts where XLA:CPU changes its row sum (sum=xla in docs/presets.md):
# 32 (serial), 4096 (YNNPACK), 32768 (YNNPACK's chunks); JAX only (XLA_CLASSES=1).
XLA_CLASSES = [32, 4095, 4096, 4097, 32768, 32769, 65536, 65537]
FAMILIES = ['flat', 'runnerup']
TARGETS = ['first', 'last']
# Past this gap exp(-gap) is 0 in fp32 (below 2^-149 from 103.3 on) and nothing changes.
UPPER = 120.0


def logits(fmt, classes, family, target, gap):
    y = 0 if target == 'first' else classes - 1
    z = np.zeros((1, classes), np.float64)
    if family == 'runnerup':
        z[:] = -8.0
        z[0, (y + 1) % classes] = 0.0
    z[0, y] = gap
    return z.astype(FORMATS[fmt][0]), y


def value(fmt, code):
    storage, codes = FORMATS[fmt]
    return float(np.array([code], codes).view(storage)[0])


def code_of(fmt, v):
    storage, codes = FORMATS[fmt]
    return int(np.array([v], storage).view(codes)[0])


def torch_gradient():
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    dtypes = {'fp32': torch.float32, 'bf16': torch.bfloat16, 'fp16': torch.float16}

    def target_gradient(fmt, z, y):
        # From the stored float64 copy of the values (exact), cast to the dtype (exact).
        t = torch.tensor(z.astype(np.float64)).to(dtypes[fmt]).requires_grad_(True)
        F.cross_entropy(t, torch.tensor([y])).backward()
        return t.grad[0, y].item()
    return target_gradient, torch.__version__, torch.backends.cpu.get_cpu_capability().lower()


def jax_gradient():
    import jax
    import jax.numpy as jnp
    compiled = {}

    def target_gradient(fmt, z, y):
        key = (z.shape[1], y)
        if key not in compiled:
            compiled[key] = jax.jit(jax.grad(lambda x: -jax.nn.log_softmax(x, axis=-1)[0, y]))
        return float(np.asarray(compiled[key](jnp.asarray(z)), np.float64)[0, y])
    return target_gradient, jax.__version__, None


def threshold(target_gradient, fmt, classes, family, target):
    def dead(code):
        z, y = logits(fmt, classes, family, target, value(fmt, code))
        return target_gradient(fmt, z, y) == 0
    lo, hi = 0, code_of(fmt, UPPER)
    if dead(lo):
        return value(fmt, lo)
    if not dead(hi):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if dead(mid):
            hi = mid
        else:
            lo = mid
    return value(fmt, hi)


def main():
    framework, dispatch, out = sys.argv[1], sys.argv[2], sys.argv[3]
    class_counts = {'more': MORE_CLASSES, 'xla': XLA_CLASSES}.get((sys.argv[4:] or [''])[0], CLASSES)
    target_gradient, version, active = (torch_gradient if framework == 'torch' else jax_gradient)()
    if active is not None and active != dispatch:
        sys.exit(f'asked for dispatch {dispatch}, PyTorch runs {active}')
    with open(out, 'a') as rows:
        for fmt in FORMATS:
            for classes in class_counts:
                for family in FAMILIES:
                    for target in TARGETS:
                        gap = threshold(target_gradient, fmt, classes, family, target)
                        cell = '' if gap is None else repr(gap)
                        rows.write(f'{framework},{version},{dispatch},{fmt},{family},{classes},{target},{cell}\n')
                        rows.flush()


if __name__ == '__main__':
    main()
