"""Writes a fixture as <name>.json (manifest) + <name>.bin (little-endian arrays, 8-byte aligned).
Read back by src/testUtils/readBinFixture.ts."""
import json
import pathlib

import numpy as np


def write_bin_fixture(path_stem: pathlib.Path, arrays: dict, meta: dict) -> None:
    manifest = {"meta": meta, "arrays": {}}
    blob = bytearray()
    for name, a in arrays.items():
        a = np.ascontiguousarray(a)
        dtype = {np.dtype("uint8"): "uint8", np.dtype("uint16"): "uint16", np.dtype("int32"): "int32",
                 np.dtype("float32"): "float32", np.dtype("float64"): "float64"}[a.dtype]
        while len(blob) % 8:
            blob.append(0)
        manifest["arrays"][name] = {"dtype": dtype, "shape": list(a.shape), "offset": len(blob)}
        blob += a.astype(a.dtype.newbyteorder("<")).tobytes()
    path_stem.with_suffix(".json").write_text(json.dumps(manifest, indent=1) + "\n")
    path_stem.with_suffix(".bin").write_bytes(bytes(blob))
