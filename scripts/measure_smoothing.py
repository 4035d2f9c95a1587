"""Records PyTorch's cross-entropy gradient with label smoothing, for LabelSmoothingPresetTest.

For each dispatch level, format (bf16, fp16), label_smoothing, class count and row, it writes the
storage code of g_y and a CRC-32 of the whole gradient's storage codes (little-endian uint16), from
F.cross_entropy(z, [y], label_smoothing=eps) on a [1, C] tensor, one thread. Rows:
  flat      z_y = gap, every other z_j = 0                      (target first and last)
  runnerup  z_y = gap, the class after y (cyclically) at 0, the rest at -8
  ramp      z_j = rd(((37 j) mod 101) / 8 - 6), y = C // 3, z_y = gap + 6.5
Gaps as listed in GAPS, each rounded to the format.

Usage: measure_smoothing.py DISPATCH OUT.csv   (rows appended, no header)
"""
import sys
import zlib

import numpy as np
import ml_dtypes
import torch
import torch.nn.functional as F

FORMATS = {'bf16': (ml_dtypes.bfloat16, torch.bfloat16), 'fp16': (np.float16, torch.float16)}
CLASSES = [10, 1000, 32000, 128256]
EPSILONS = [0.1, 0.05]
GAPS = [0.0, 3.0, 7.5, 12.0, 16.0, 19.0, 24.0]


def rows(fmt, classes, gap):
    storage = FORMATS[fmt][0]
    g = float(np.array([gap], storage)[0])
    for family in ('flat', 'runnerup', 'ramp'):
        for target in (('first', 'last') if family != 'ramp' else ('third',)):
            if family == 'ramp':
                j = np.arange(classes)
                z = ((37 * j) % 101) / 8.0 - 6.0
                y = classes // 3
                z[y] = g + 6.5
            else:
                y = 0 if target == 'first' else classes - 1
                z = np.zeros(classes)
                if family == 'runnerup':
                    z[:] = -8.0
                    z[(y + 1) % classes] = 0.0
                z[y] = g
            yield family, target, z.astype(storage), y


def main():
    dispatch, out = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    active = torch.backends.cpu.get_cpu_capability().lower()
    if active != dispatch:
        sys.exit(f'asked for dispatch {dispatch}, PyTorch runs {active}')
    with open(out, 'a') as sink:
        for fmt, (storage, dtype) in FORMATS.items():
            for eps in EPSILONS:
                for classes in CLASSES:
                    for gap in GAPS:
                        for family, target, z, y in rows(fmt, classes, gap):
                            t = torch.tensor(z.astype(np.float64)).to(dtype).reshape(1, -1).requires_grad_(True)
                            F.cross_entropy(t, torch.tensor([y]), label_smoothing=eps).backward()
                            codes = t.grad[0].detach().view(torch.int16).numpy().astype('<u2')
                            crc = zlib.crc32(codes.tobytes())
                            sink.write(f'torch,{torch.__version__},{dispatch},{fmt},{eps!r},{family},{classes},{target},'
                                       f'{float(z[y])!r},{int(codes[y])},{crc}\n')


if __name__ == '__main__':
    main()
