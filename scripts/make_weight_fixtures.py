#!/usr/bin/python3
"""Reference fixtures for labels and weight maps (src/core/weights/fixtures/), from real data.

Independent references: scipy.ndimage.distance_transform_edt, skimage.measure.label, scipy's
min/max filters for the separation borders, and the paper's weight map computed the brute-force
way (a full EDT per object). Crops of ISBI 2012 labels (binary: 255 = cell) and of a DSB 2018
instance map with touching nuclei, from ../shared/data.

Run with Debian's interpreter: /usr/bin/python3 scripts/make_weight_fixtures.py
"""
import pathlib
import sys

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.measure import label as sk_label

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fixtureio import write_bin_fixture  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "core" / "weights" / "fixtures"
W0, SIGMA = 10.0, 5.0
UNLABELLED = -1


def separation_borders(ids):
    """Object pixels with a different object in their 3x3 neighbourhood."""
    big = np.iinfo(np.int32).max
    nbr_max = ndimage.maximum_filter(ids, size=3, mode="constant", cval=0)
    nbr_min = ndimage.minimum_filter(np.where(ids == 0, big, ids), size=3, mode="constant", cval=big)
    return ((ids > 0) & ((nbr_max > ids) | (nbr_min < ids))).astype(np.uint8)


def weight_map(classes, instances):
    """w = w_c + w0 exp(-(d1+d2)^2 / 2 sigma^2) on background, 0 on unlabelled; brute force per object."""
    labelled = classes != UNLABELLED
    present = [k for k in np.unique(classes[labelled])]
    w = np.zeros(classes.shape, np.float64)
    for k in present:
        w[classes == k] = labelled.sum() / (len(present) * (classes == k).sum())
    ids = [i for i in np.unique(instances) if i != 0]
    if len(ids) >= 1:
        dists = np.stack([ndimage.distance_transform_edt(instances != i) for i in ids])
        dists.sort(axis=0)
        d1 = dists[0]
        d2 = dists[1] if len(ids) >= 2 else np.full(classes.shape, np.inf)
        border = W0 * np.exp(-((d1 + d2) ** 2) / (2 * SIGMA**2))
        w = np.where(classes == 0, w + border, w)
    return w.astype(np.float32)


def isbi_fixture(name, slice_index, y, x, size, unlabelled_rows):
    raw = np.array(Image.open(DATA / "isbi2012" / "png" / "train" / "label" / f"{slice_index}.png"))[y : y + size, x : x + size]
    classes = (raw == 255).astype(np.int32)
    classes[:unlabelled_rows] = UNLABELLED  # a band the user left unpainted
    fg = classes == 1
    instances = sk_label(fg, connectivity=1).astype(np.int32)
    arrays = {
        "raw": raw.astype(np.uint16),
        "classes": classes,
        "edt": ndimage.distance_transform_edt(~fg).astype(np.float32),
        "cc4": instances,
        "cc8": sk_label(fg, connectivity=2).astype(np.int32),
        "weights": weight_map(classes, instances),
    }
    meta = {"source": f"isbi2012 label {slice_index} [{y}:{y+size}, {x}:{x+size}]", "kind": "binary", "foregroundValue": 255,
            "unlabelledRows": unlabelled_rows, "width": size, "height": size, "w0": W0, "sigmaPx": SIGMA}
    write_bin_fixture(OUT / name, arrays, meta)
    print(name, "objects:", instances.max(), "weight max:", arrays["weights"].max())


def densest_touching_dsb_crop(size):
    """The DSB instance map and crop with the most touching-object pixels (deterministic)."""
    best = None
    for path in sorted((DATA / "nuclei" / "dsb2018-stage1-subset" / "labels").glob("*.png")):
        ids = np.array(Image.open(path)).astype(np.int32)
        if min(ids.shape) < size:
            continue
        touching = separation_borders(ids)
        counts = ndimage.uniform_filter(touching.astype(np.float64), size=size, mode="constant")
        y, x = np.unravel_index(np.argmax(counts), counts.shape)
        y = int(np.clip(y - size // 2, 0, ids.shape[0] - size))
        x = int(np.clip(x - size // 2, 0, ids.shape[1] - size))
        score = touching[y : y + size, x : x + size].sum()
        if best is None or score > best[0]:
            best = (score, path, y, x)
    return best


def dsb_fixture(name, size):
    score, path, y, x = densest_touching_dsb_crop(size)
    ids = np.array(Image.open(path)).astype(np.int32)[y : y + size, x : x + size]
    border = separation_borders(ids)
    instances = np.where(border == 1, 0, ids).astype(np.int32)
    classes = (instances > 0).astype(np.int32)
    arrays = {
        "raw": ids.astype(np.uint16),
        "borders": border,
        "classes": classes,
        "edt": ndimage.distance_transform_edt(ids == 0).astype(np.float32),
        "weights": weight_map(classes, instances),
    }
    meta = {"source": f"dsb2018 {path.name} [{y}:{y+size}, {x}:{x+size}]", "kind": "instances", "width": size, "height": size,
            "w0": W0, "sigmaPx": SIGMA, "touchingPixels": int(score)}
    write_bin_fixture(OUT / name, arrays, meta)
    print(name, meta["source"], "objects:", len(np.unique(ids)) - 1, "border px:", int(border.sum()))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    isbi_fixture("isbi-label0-crop", 0, 150, 200, 80, unlabelled_rows=0)
    isbi_fixture("isbi-label7-crop-unlabelled-band", 7, 300, 60, 80, unlabelled_rows=12)
    dsb_fixture("dsb-touching-crop", 96)


if __name__ == "__main__":
    main()
