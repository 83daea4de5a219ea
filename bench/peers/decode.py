#!/usr/bin/python3
"""tifffile peer for the image-io rows of `npm run bench`. Prints {case_id: median_ms} as JSON.

Our decoder gets the file's bytes already in memory, so the main peer decodes from memory too
(tifffile.imread on a BytesIO); the ':path' variant is the everyday call, file read included.
"""
import io
import json
import pathlib
import sys

import tifffile
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from timing import median_ms  # noqa: E402

DATA = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "data"


def main():
    path = DATA / "isbi2012" / "tif" / "train-volume.tif"
    data = path.read_bytes()
    stack = tifffile.imread(io.BytesIO(data))
    assert stack.shape == (20, 512, 512) and stack.dtype == "uint8", (stack.shape, stack.dtype)
    print(json.dumps({
        "decode-isbi-stack": median_ms(lambda: tifffile.imread(io.BytesIO(data)), 10),
        "decode-isbi-stack:path": median_ms(lambda: tifffile.imread(path), 10),
    }))


if __name__ == "__main__":
    main()
