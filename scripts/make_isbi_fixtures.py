#!/usr/bin/python3
"""Fixtures for the ISBI 2012 challenge's scores as Fiji computes them (src/core/metrics/fixtures/),
from the NumPy port scripts/fiji_isbi_metrics.py (checked against Fiji's own Java code:
scripts/fiji-check/, docs/metrics.md).

isbi-stack: three 128 px crops of ISBI training labels (0/255) as one stack, each with a perturbed
foreground probability (the truth blurred, merges, splits, noise; clipped, so many pixels are
exactly 1.0 and the last threshold 0.9999999999999999 sees them). Per slice and threshold: V_Rand
with its precision and recall, V_Info, the old foreground-restricted Rand statistics, the watershed's
basin count and line pixels; per threshold the stack means; the best of each; slice 0's basins at 0.5.

isbi-edge-cases: tiny images where Fiji's guards decide (no true foreground, an all-border
proposal, a saturated proposal, a single true cell).

Run with Debian's interpreter: /usr/bin/python3 scripts/make_isbi_fixtures.py
"""
import pathlib
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fiji_isbi_metrics import fiji_thresholds, stack_scores  # noqa: E402
from fixtureio import write_bin_fixture  # noqa: E402
from make_metric_fixtures import perturbed_probability  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "core" / "metrics" / "fixtures"
CROPS = [  # slice, y, x, merges, splits, noise
    (3, 100, 120, 6, 6, 0.15),
    (12, 300, 300, 2, 1, 0.3),
    (17, 240, 40, 8, 3, 0.2),
]
SIZE = 128


def slice_rows(result, k):
    rows = []
    for row in result["perThreshold"]:
        s = row["slices"][k]
        fr = s["foregroundRestrictedRand"]
        rows.append({"threshold": row["threshold"], "vRand": s["vRand"]["fScore"], "vRandPrecision": s["vRand"]["precision"],
                     "vRandRecall": s["vRand"]["recall"], "vInfo": s["vInfo"],
                     "frTruePositives": fr["tp"], "frFalsePositives": fr["fp"], "frFalseNegatives": fr["fn"], "frFScore": fr["fScore"],
                     "basinCount": int(s["basins"].max()), "watershedPixels": int((s["basins"] == 0).sum())})
    return rows


def summary(result):
    return {
        "perThreshold": [{"threshold": r["threshold"], "vRand": r["vRand"], "vInfo": r["vInfo"],
                          "foregroundRestrictedRandFScore": r["foregroundRestrictedRandFScore"]} for r in result["perThreshold"]],
        "vRand": result["vRand"], "vRandThreshold": result["vRandThreshold"],
        "vInfo": result["vInfo"], "vInfoThreshold": result["vInfoThreshold"],
        "foregroundRestrictedRandError": result["foregroundRestrictedRandError"],
        "foregroundRestrictedRandThreshold": result["foregroundRestrictedRandThreshold"],
    }


def jsonable(value):
    return None if isinstance(value, float) and np.isnan(value) else value


def stack_fixture():
    rng = np.random.default_rng(14)
    labels, probabilities, sources = [], [], []
    for index, y, x, merges, splits, noise in CROPS:
        raw = np.array(Image.open(DATA / "isbi2012" / "png" / "train" / "label" / f"{index}.png"))[y : y + SIZE, x : x + SIZE]
        labels.append(raw.astype(np.uint8))
        probabilities.append(perturbed_probability((raw == 255).astype(np.int32), rng, merges, splits, noise))
        sources.append(f"isbi2012 label {index} [{y}:{y + SIZE}, {x}:{x + SIZE}], {merges} merges, {splits} splits, noise {noise}")
    result = stack_scores(labels, probabilities)
    at05 = next(r for r in result["perThreshold"] if r["threshold"] == 0.5)
    meta = {"sources": sources, "width": SIZE, "height": SIZE, "slices": len(CROPS), "thresholds": fiji_thresholds(),
            "perSlice": [slice_rows(result, k) for k in range(len(CROPS))], "stack": summary(result)}
    write_bin_fixture(OUT / "isbi-stack", {"labels": np.stack(labels), "probability": np.stack(probabilities),
                                           "basinsSlice0At05": at05["slices"][0]["basins"].astype(np.uint16)}, meta)
    print("isbi-stack: V_Rand", round(result["vRand"], 4), "at", result["vRandThreshold"], "V_Info", round(result["vInfo"], 4),
          "at", result["vInfoThreshold"], "foreground-restricted Rand error", round(result["foregroundRestrictedRandError"], 4))


def edge_fixture():
    cases = []
    w, h = 6, 5
    cell = np.full((h, w), 255, np.uint8)
    cell[:, 3] = 0  # two true cells split by a membrane column
    ramp = np.tile(np.linspace(0, 1, w, dtype=np.float32), (h, 1))
    for name, label, prob in [
        ("no true foreground", np.zeros((h, w), np.uint8), ramp),
        ("all-border proposal", cell, np.zeros((h, w), np.float32)),
        ("saturated proposal", cell, np.ones((h, w), np.float32)),
        ("one true cell, ramp", np.full((h, w), 255, np.uint8), ramp),
        ("two cells, ramp", cell, ramp),
    ]:
        with np.errstate(all="ignore"):
            result = stack_scores([label], [prob])
        rows = [{k: jsonable(v) for k, v in r.items()} for r in slice_rows(result, 0)]
        cases.append({"name": name, "label": label.reshape(-1).tolist(), "probability": prob.reshape(-1).tolist(),
                      "perThreshold": rows, "stack": {k: jsonable(v) if not isinstance(v, list) else
                                                      [{kk: jsonable(vv) for kk, vv in r.items()} for r in v] for k, v in summary(result).items()}})
    write_bin_fixture(OUT / "isbi-edge-cases", {}, {"width": w, "height": h, "cases": cases})
    print("isbi-edge-cases:", len(cases), "cases")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    stack_fixture()
    edge_fixture()


if __name__ == "__main__":
    main()
