#!/usr/bin/python3
"""SciPy peers for the weight-map rows of `npm run bench`. Prints {case_id: median_ms} as JSON.

Two SciPy variants: the common recipe (one full-image distance_transform_edt per object, as most
U-Net weight-map code does) and a windowed one (each object's EDT within its bounding box grown by
the border term's reach: the same algorithm as ours), so the comparison is fair both ways.
"""
import csv
import json
import pathlib
import sys

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.measure import label as sk_label
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from timing import median_ms  # noqa: E402

DATA = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "data"
W0, SIGMA = 10.0, 5.0
REACH = SIGMA * np.sqrt(2 * np.log(1e6))


def class_balance(classes):
    w = np.zeros(classes.shape)
    ks = np.unique(classes)
    for k in ks:
        w[classes == k] = classes.size / (len(ks) * (classes == k).sum())
    return w


def weight_map_full(classes, instances):
    w = class_balance(classes)
    ids = np.unique(instances)
    ids = ids[ids != 0]
    dists = np.stack([ndimage.distance_transform_edt(instances != i) for i in ids])
    dists.sort(axis=0)
    return np.where(classes == 0, w + W0 * np.exp(-((dists[0] + dists[1]) ** 2) / (2 * SIGMA**2)), w)


def weight_map_windowed(classes, instances):
    w = class_balance(classes)
    d1 = np.full(classes.shape, np.inf)
    d2 = np.full(classes.shape, np.inf)
    r = int(np.ceil(REACH))
    for i, sl in enumerate(ndimage.find_objects(instances), start=1):
        if sl is None:
            continue
        ys = slice(max(sl[0].start - r, 0), min(sl[0].stop + r, classes.shape[0]))
        xs = slice(max(sl[1].start - r, 0), min(sl[1].stop + r, classes.shape[1]))
        d = ndimage.distance_transform_edt(instances[ys, xs] != i)
        d[d > REACH] = np.inf
        a, b = d1[ys, xs], d2[ys, xs]
        d2[ys, xs] = np.minimum(b, np.maximum(a, d))
        d1[ys, xs] = np.minimum(a, d)
    return np.where(classes == 0, w + W0 * np.exp(-((d1 + d2) ** 2) / (2 * SIGMA**2)), w)


def main():
    isbi = np.array(Image.open(DATA / "isbi2012/png/train/label/0.png"))
    isbi_classes = (isbi == 255).astype(np.int32)
    isbi_instances = sk_label(isbi_classes, connectivity=1)
    rows = list(csv.DictReader(open(DATA / "nuclei/dsb2018-stage1-subset/images.csv")))
    dsb_id = max(rows, key=lambda r: int(r["n_nuclei"]))["id"]
    dsb = np.array(Image.open(DATA / f"nuclei/dsb2018-stage1-subset/labels/{dsb_id}.png")).astype(np.int32)
    dsb_classes = (dsb > 0).astype(np.int32)

    def isbi_full():
        weight_map_full(isbi_classes, sk_label(isbi_classes, connectivity=1))

    def isbi_windowed():
        weight_map_windowed(isbi_classes, sk_label(isbi_classes, connectivity=1))

    print(json.dumps({
        "weight-map-isbi-512": median_ms(isbi_windowed, 5),
        "weight-map-isbi-512:full": median_ms(isbi_full, reps=3),
        "weight-map-dsb-most-nuclei": median_ms(lambda: weight_map_windowed(dsb_classes, dsb), 5),
        "weight-map-dsb-most-nuclei:full": median_ms(lambda: weight_map_full(dsb_classes, dsb), reps=1),
    }))


if __name__ == "__main__":
    main()
