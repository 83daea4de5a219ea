#!/usr/bin/python3
"""NumPy's own .npy bytes for encodeNpy.test.ts (run with Debian's python3-numpy)."""
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "src/core/export/bioimageio/fixtures"
OUT.mkdir(parents=True, exist_ok=True)
for shape in [(1, 1, 2, 3), (1, 3, 5, 7), (4,)]:
    values = (np.arange(np.prod(shape), dtype=np.float32) * 0.25 - 1.5).reshape(shape)
    np.save(OUT / f"npy_{'x'.join(map(str, shape))}.npy", values)
