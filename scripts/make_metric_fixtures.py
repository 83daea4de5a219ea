#!/usr/bin/python3
"""Reference fixtures for the segmentation metrics (src/core/metrics/fixtures/), from skimage.

Crops of ISBI 2012 labels (255 = cell, 0 = membrane) with perturbed "predictions": the truth
blurred, with noise, some membranes erased (merges) and some cells cut (splits). For each of the
challenge's 11 thresholds (Fiji's, scripts/fiji_isbi_metrics.py), skimage.metrics.adapted_rand_error
and variation_of_information on 4-connected components (true foreground only; the predicted border,
label 0, is one segment there), and sklearn-free pixel F-scores; plus IoU/Dice at 0.5. The challenge's
own V_Rand / V_Info (Fiji) have their fixtures from scripts/make_isbi_fixtures.py.

Run with Debian's interpreter: /usr/bin/python3 scripts/make_metric_fixtures.py
"""
import json
import pathlib
import sys

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.measure import label as sk_label
from skimage.metrics import adapted_rand_error, variation_of_information

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fiji_isbi_metrics import fiji_thresholds  # noqa: E402
from fixtureio import write_bin_fixture  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "core" / "metrics" / "fixtures"
THRESHOLDS = fiji_thresholds()  # 0.0, 0.1, ..., 0.9999999999999999 as Fiji's loop accumulates them


def perturbed_probability(truth, rng, merges, splits, noise):
    p = ndimage.gaussian_filter(truth.astype(np.float64), 1.5)
    for _ in range(merges):  # erase a patch of membrane: neighbouring cells merge
        ys, xs = np.nonzero(truth == 0)
        k = rng.integers(len(ys))
        p[max(ys[k] - 3, 0) : ys[k] + 4, max(xs[k] - 3, 0) : xs[k] + 4] = 0.95
    for _ in range(splits):  # draw a false membrane line: a cell splits
        y = rng.integers(truth.shape[0])
        x0 = rng.integers(truth.shape[1] - 20)
        p[y : y + 2, x0 : x0 + 20] = 0.05
    p += rng.normal(0, noise, p.shape)
    return np.clip(p, 0, 1).astype(np.float32)


def fixture(name, slice_index, y, x, size, seed, merges, splits, noise):
    raw = np.array(Image.open(DATA / "isbi2012" / "png" / "train" / "label" / f"{slice_index}.png"))[y : y + size, x : x + size]
    truth = (raw == 255).astype(np.int32)
    rng = np.random.default_rng(seed)
    prob = perturbed_probability(truth, rng, merges, splits, noise)
    truth_cc = sk_label(truth, connectivity=1)
    rows = []
    for t in THRESHOLDS:
        pred = (prob.astype(np.float64) > t).astype(np.int32)  # in doubles, as Fiji: a float32 compare rounds 0.9999999999999999 up to 1
        pred_cc = sk_label(pred, connectivity=1)
        are, prec, rec = adapted_rand_error(truth_cc, pred_cc, ignore_labels=(0,))
        splits_h, merges_h = variation_of_information(truth_cc, pred_cc, ignore_labels=(0,))
        tp = int(((pred == 1) & (truth == 1)).sum())
        fp = int(((pred == 1) & (truth == 0)).sum())
        fn = int(((pred == 0) & (truth == 1)).sum())
        rows.append({"threshold": t, "randError": float(are), "precision": float(prec), "recall": float(rec),
                     "falseSplits": float(splits_h), "falseMerges": float(merges_h),
                     "pixelFScore": 2 * tp / (2 * tp + fp + fn) if tp else 0.0})
    hard = (prob > 0.5).astype(np.int32)
    overlap = []
    for k in (0, 1):
        inter = int(((hard == k) & (truth == k)).sum())
        s = int((hard == k).sum() + (truth == k).sum())
        overlap.append({"classIndex": k, "iou": inter / (s - inter), "dice": 2 * inter / s})
    meta = {"source": f"isbi2012 label {slice_index} [{y}:{y+size}, {x}:{x+size}]", "width": size, "height": size,
            "perThreshold": rows, "overlapAt05": overlap, "pixelErrorRateAt05": float((hard != truth).mean())}
    write_bin_fixture(OUT / name, {"truth": truth, "probability": prob}, meta)
    best = min(r["randError"] for r in rows)
    print(name, "best rand error", round(best, 4))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    fixture("isbi3-merges-splits", 3, 100, 120, 128, seed=1, merges=6, splits=6, noise=0.15)
    fixture("isbi12-noisy", 12, 300, 300, 128, seed=2, merges=2, splits=1, noise=0.3)


if __name__ == "__main__":
    main()
