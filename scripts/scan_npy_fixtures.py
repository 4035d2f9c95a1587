"""Writes the tiny .npy files NpyRowsTest reads, with numpy's own np.save, into
src/test/resources/dev/absorb/scan/, and values.csv: per file, every element as numpy sees it
(float64 repr; bfloat16 through ml_dtypes), row by row.

Usage: python3 scripts/scan_npy_fixtures.py   (needs numpy and ml_dtypes)
"""
import os

import ml_dtypes
import numpy as np
from numpy.lib import format as npformat

OUT = os.path.join(os.path.dirname(__file__), '..', 'src', 'test', 'resources', 'dev', 'absorb', 'scan')

# 3 rows x 5 classes with values that round differently in each type, NaN and infinities.
BASE = np.array([[0.0, -1.5, 3.14159265358979, 1e-3, 65504.0],
                 [-0.0, 2.0 ** -20, -7.25, np.inf, 1e4],
                 [np.nan, 100.0, -np.inf, 0.1, 12.5]])


def write(name, array, version=None):
    path = os.path.join(OUT, name)
    if version is None:
        np.save(path, array)
    else:
        with open(path, 'wb') as f:
            npformat.write_array(f, array, version=version)
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = []
    files = {
        'logits-f4.npy': BASE.astype('<f4'),
        'logits-f2.npy': BASE.astype('<f2'),
        'logits-f8.npy': BASE.astype('<f8'),
        'logits-f4-big-endian.npy': BASE.astype('>f4'),
        'logits-bf16.npy': BASE.astype(ml_dtypes.bfloat16).view('<u2'),
    }
    for name, array in files.items():
        write(name, array)
        values = array.view(ml_dtypes.bfloat16) if name == 'logits-bf16.npy' else array
        for r, row in enumerate(values.astype(np.float64)):
            rows.append(name + ',' + str(r) + ',' + ' '.join(repr(float(v)) for v in row))
    # Header version 2.0 (4-byte length), as numpy writes for very long headers.
    write('logits-f4-v2.npy', BASE.astype('<f4'), version=(2, 0))
    # Targets, 1-D and as one column.
    write('targets-i4.npy', np.array([4, 0, 2], '<i4'))
    write('targets-i8-column.npy', np.array([[1], [3], [0]], '<i8'))
    write('targets-i4-two.npy', np.array([1, 2], '<i4'))
    # What the reader refuses.
    write('bad-fortran.npy', np.asfortranarray(BASE.astype('<f4')))
    write('bad-1d.npy', BASE[0].astype('<f4'))
    write('bad-int-logits.npy', np.ones((2, 3), '<i4'))
    write('bad-float-targets.npy', np.array([1.0, 2.0], '<f4'))
    cut = write('bad-cut-short.npy', BASE.astype('<f4'))
    with open(cut, 'r+b') as f:
        f.truncate(os.path.getsize(cut) - 3)
    with open(os.path.join(OUT, 'values.csv'), 'w') as f:
        f.write('# Written by scripts/scan_npy_fixtures.py: file,row,values as numpy reads them (float64 repr)\n')
        f.write('\n'.join(rows) + '\n')


if __name__ == '__main__':
    main()
