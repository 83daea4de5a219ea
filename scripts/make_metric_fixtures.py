#!/usr/bin/python3
"""Reference fixtures for the segmentation metrics (src/core/metrics/fixtures/), from skimage.

Crops of ISBI 2012 labels (255 = cell, 0 = membrane) with perturbed "predictions": the truth
blurred, with noise, some membranes erased (merges) and some cells cut (splits). For each of the
challenge's 11 thresholds (Fiji's, scripts/fiji_isbi_metrics.py), skimage.metrics.adapted_rand_error
and variation_of_information on 4-connected components (true foreground only; the predicted border,
label 0, is one segment there), and pixel F-scores as Fiji's ClassificationStatistics counts them;
plus IoU/Dice at 0.5. The challenge's own V_Rand / V_Info (Fiji) have their fixtures from
scripts/make_isbi_fixtures.py.

Empty fields (truth without foreground, a noisy or a dark prediction): skimage's adapted Rand error
is NaN there (0/0, written as null), Fiji's pixel F-score is 1 where the prediction is empty too and
0 where it has foreground; IoU / Dice of a class absent from both are 1 (sklearn's zero_division=1).

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
from fiji_isbi_metrics import classification_statistics, fiji_thresholds  # noqa: E402
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


def finite_or_none(value):
    """JSON has no NaN: null, read back as NaN by the tests."""
    return float(value) if np.isfinite(value) else None


def pixel_f_score(tp, fp, fn):
    """Fiji's ClassificationStatistics F-score; with tp > 0 it is 2tp / (2tp + fp + fn), written so (fewer roundings)."""
    return 2 * tp / (2 * tp + fp + fn) if tp else classification_statistics(tp, 0, fp, fn)["fScore"]


def fixture(name, slice_index, y, x, size, seed, merges, splits, noise):
    raw = np.array(Image.open(DATA / "isbi2012" / "png" / "train" / "label" / f"{slice_index}.png"))[y : y + size, x : x + size]
    truth = (raw == 255).astype(np.int32)
    rng = np.random.default_rng(seed)
    write_fixture(name, truth, perturbed_probability(truth, rng, merges, splits, noise),
                  f"isbi2012 label {slice_index} [{y}:{y+size}, {x}:{x+size}]")


def empty_field_fixture(name, size, seed, mean, noise):
    """A field without objects: truth all 0, the prediction clipped Gaussian noise (a model calling noise foreground, or not)."""
    rng = np.random.default_rng(seed)
    prob = np.clip(rng.normal(mean, noise, (size, size)), 0, 1).astype(np.float32)
    write_fixture(name, np.zeros((size, size), np.int32), prob, f"empty field, prediction N({mean}, {noise}) clipped")


def write_fixture(name, truth, prob, source):
    size = truth.shape[0]
    truth_cc = sk_label(truth, connectivity=1)
    rows = []
    for t in THRESHOLDS:
        pred = (prob.astype(np.float64) > t).astype(np.int32)  # in doubles, as Fiji: a float32 compare rounds 0.9999999999999999 up to 1
        pred_cc = sk_label(pred, connectivity=1)
        with np.errstate(invalid="ignore"):  # an empty truth: skimage divides 0 by 0 (NaN), and warns
            are, prec, rec = adapted_rand_error(truth_cc, pred_cc, ignore_labels=(0,))
        splits_h, merges_h = variation_of_information(truth_cc, pred_cc, ignore_labels=(0,))
        tp = int(((pred == 1) & (truth == 1)).sum())
        fp = int(((pred == 1) & (truth == 0)).sum())
        fn = int(((pred == 0) & (truth == 1)).sum())
        rows.append({"threshold": t, "randError": finite_or_none(are), "precision": finite_or_none(prec), "recall": finite_or_none(rec),
                     "falseSplits": finite_or_none(splits_h), "falseMerges": finite_or_none(merges_h),
                     "pixelFScore": pixel_f_score(tp, fp, fn)})
    hard = (prob > 0.5).astype(np.int32)
    overlap = []
    for k in (0, 1):
        inter = int(((hard == k) & (truth == k)).sum())
        s = int((hard == k).sum() + (truth == k).sum())
        overlap.append({"classIndex": k, "iou": inter / (s - inter) if s else 1.0, "dice": 2 * inter / s if s else 1.0})
    meta = {"source": source, "width": size, "height": size,
            "perThreshold": rows, "overlapAt05": overlap, "pixelErrorRateAt05": float((hard != truth).mean())}
    write_bin_fixture(OUT / name, {"truth": truth, "probability": prob}, meta)
    finite = [r["randError"] for r in rows if r["randError"] is not None]
    print(name, "best rand error", round(min(finite), 4) if finite else "NaN (no true objects)")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    fixture("isbi3-merges-splits", 3, 100, 120, 128, seed=1, merges=6, splits=6, noise=0.15)
    fixture("isbi12-noisy", 12, 300, 300, 128, seed=2, merges=2, splits=1, noise=0.3)
    empty_field_fixture("empty-noisy", 48, seed=3, mean=0.5, noise=0.2)
    empty_field_fixture("empty-dark", 48, seed=4, mean=0.05, noise=0.03)


if __name__ == "__main__":
    main()
