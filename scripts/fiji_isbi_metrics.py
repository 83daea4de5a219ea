#!/usr/bin/python3
"""A port of Fiji's ISBI 2012 scores (Trainable_Segmentation, trainableSegmentation.metrics), in
NumPy, following the Java where the result depends on it. docs/metrics.md lists the Java files and
line ranges each function follows; the studio's TypeScript (src/core/metrics/isbiScores.ts) is
tested against fixtures this port writes (scripts/make_isbi_fixtures.py).

The scores, per slice and threshold th (Fiji's loop: th = 0.0; th <= 1.0; th += 0.1, 11 values, the
last 0.9999999999999999):
  - ground truth: label > th (255 = cell), 4-connected regions (FindConnectedRegions), NOT thinned;
  - proposal: p > th is a cell pixel (0), the rest border (255); the classic watershed
    (WatershedTransform2D, Vincent & Soille, 4-connected) of that binary image thins the border
    to lines of label 0 between basins (V_Rand, V_Info); the old foreground-restricted Rand error
    uses the 4-connected regions of p > th instead, borders unthinned;
  - only pixels with ground-truth label > 0 count; a proposal pixel labelled 0 inside them is a
    segment of its own (the sum(p_i0) / n terms);
  - V_Rand = F-score of the N^2-normalised Rand precision and recall, V_Info = F-score of the two
    normalised mutual informations.
Stack: V_Rand(th), V_Info(th) are means over slices (macro average), each then maximised over th
on its own; the old foreground-restricted Rand error sums tp/fp/fn over slices (micro average).

Labels live in 16-bit images in Fiji: ground-truth region numbers wrap at 65536 ((short) cast, read
back & 0xffff) and watershed labels clip at 65535 (convertToShortProcessor(false)). Both are
reproduced here; they change nothing below 65,536 segments.
"""
from collections import deque

import numpy as np

# WatershedTransform2D's marks (its lines 70-77).
MASK, WSHED, INIT, INQUEUE = -2, 0, -1, -3


def fiji_thresholds(min_th=0.0, max_th=1.0, step=0.1):
    """The thresholds of Fiji's sweeps (RandError.java 628, VariationOfInformation.java 830): a
    double accumulated by += step, so 0.30000000000000004, ..., 0.9999999999999999 (11 values)."""
    out = []
    th = min_th
    while th <= max_th:
        out.append(th)
        th += step
    return out


def find_connected_regions(mask):
    """FindConnectedRegions.run (VIB-lib) as Utils.connectedComponents(im, 4) calls it: pixels > 0,
    4-connected, seeds found in raster order (y outer, x inner), each region flooded from a LIFO
    stack; region k gets the number k, stored as (short) k and read back as k & 0xffff."""
    h, w = mask.shape
    flat = mask.reshape(-1).astype(bool).copy()
    labels = np.zeros(h * w, dtype=np.int64)
    region = 0
    for seed in np.flatnonzero(flat):
        if not flat[seed]:
            continue  # already in a region (Java zeroes a region's pixels as it adds them)
        region += 1
        stack = [seed]
        flat[seed] = False
        while stack:
            i = stack.pop()
            labels[i] = region & 0xFFFF
            y, x = divmod(i, w)
            for ny, nx in ((y - 1, x), (y, x - 1), (y, x + 1), (y + 1, x)):
                if 0 <= ny < h and 0 <= nx < w:
                    j = ny * w + nx
                    if flat[j]:
                        flat[j] = False
                        stack.append(j)
    return labels.reshape(h, w)


def watershed_transform_2d(image):
    """WatershedTransform2D.apply() with connectivity 4 (its lines 160-356), literally: pixels
    listed column by column (x outer, y inner), sorted by value (stable: PixelRecord breaks ties by
    creation order), flooded level by level with a FIFO; new minima get labels in list order.
    `image` is indexed [y, x]; Java's tabLabels is [x][y]. hMin/hMax are 0 and 255 (a
    ByteProcessor's display range); every pixel of a 0/255 image lies within them. Returns the
    labels with watershed pixels 0, clipped at 65535 as convertToShortProcessor(false) does."""
    height, width = image.shape
    size1, size2 = width, height
    lab = [INIT] * (size1 * size2)  # index x * size2 + y, as tabLabels[x][y]
    values = image.T.reshape(-1).astype(np.float64).tolist()  # the same x-major order: entry x * size2 + y
    order = sorted(range(size1 * size2), key=values.__getitem__)  # Python's sort is stable
    pixels = [(k // size2, k % size2, float(values[k])) for k in order]

    def neighbours(x, y):  # Neighborhood2DC4: left, up, right, down
        return ((x - 1, y), (x, y - 1), (x + 1, y), (x, y + 1))

    current_label = 0
    flag = False
    fifo = deque()
    h = 0.0  # hMin
    h_max = 255.0
    current_index = 0
    height_index1 = current_index
    height_index2 = current_index
    n = len(pixels)
    while current_index < n and h <= h_max:
        h = pixels[current_index][2]
        for pixel_index in range(height_index1, n):
            i, j, value = pixels[pixel_index]
            if value != h:
                height_index1 = pixel_index
                break
            lab[i * size2 + j] = MASK
            for u, v in neighbours(i, j):
                if 0 <= u < size1 and 0 <= v < size2 and lab[u * size2 + v] >= WSHED:
                    fifo.append((i, j))
                    lab[i * size2 + j] = INQUEUE
                    break
        while fifo:
            i, j = fifo.popleft()
            p = i * size2 + j
            for u, v in neighbours(i, j):
                if 0 <= u < size1 and 0 <= v < size2:
                    q = u * size2 + v
                    if lab[q] > 0:
                        if lab[p] == INQUEUE or (lab[p] == WSHED and flag):
                            lab[p] = lab[q]
                        elif lab[p] > 0 and lab[p] != lab[q]:
                            lab[p] = WSHED
                            flag = False
                    elif lab[q] == WSHED:
                        if lab[p] == INQUEUE:
                            lab[p] = WSHED
                            flag = True
                    elif lab[q] == MASK:
                        lab[q] = INQUEUE
                        fifo.append((u, v))
        pixel_index = height_index2
        while pixel_index < n:
            i, j, value = pixels[pixel_index]
            if value != h:
                height_index2 = pixel_index
                break
            if lab[i * size2 + j] == MASK:
                current_label += 1
                fifo.append((i, j))
                lab[i * size2 + j] = current_label
                while fifo:
                    i2, j2 = fifo.popleft()
                    for u, v in neighbours(i2, j2):
                        if 0 <= u < size1 and 0 <= v < size2 and lab[u * size2 + v] == MASK:
                            fifo.append((u, v))
                            lab[u * size2 + v] = current_label
            pixel_index += 1
            current_index += 1
    out = np.array(lab, dtype=np.int64).reshape(size1, size2).T  # back to [y, x]
    out[out == INIT] = 0
    return np.minimum(out, 65535)


def _pij(gt, proposal):
    """The overlap matrix of getForegroundRestrictedRandIndexStatsN2 / foregroundRestrictedFscore,
    counts divided by n (the ground truth's non-zero pixels)."""
    n = float(np.count_nonzero(gt))
    pij = np.zeros((int(gt.max()) + 1, int(proposal.max()) + 1))
    np.add.at(pij, (gt.reshape(-1), proposal.reshape(-1)), 1.0)
    return pij / n, n


def classification_statistics(tp, tn, fp, fn):
    """ClassificationStatistics' constructor: precision, recall and F-score."""
    precision = 1.0 if fp == 0 else tp / (tp + fp)
    recall = 1.0 if fn == 0 else tp / (tp + fn)
    f_score = 2.0 * precision * recall / (precision + recall) if (precision + recall) > 0 else 0.0
    return {"tp": tp, "tn": tn, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "fScore": f_score}


def rand_stats_n2(gt, proposal):
    """RandError.getForegroundRestrictedRandIndexStatsN2(ShortProcessor, ShortProcessor), lines
    1831-1927: each proposal pixel labelled 0 on the truth's foreground is its own segment."""
    pij, n = _pij(gt, proposal)
    ai = pij[1:, :].sum(axis=1)
    bj = pij[1:, 1:].sum(axis=0)
    aux = pij[1:, 0].sum()
    sum_a2 = float((ai * ai).sum())
    sum_b2 = float((bj * bj).sum()) + aux / n
    sum_ab2 = float((pij[1:, 1:] ** 2).sum()) + aux / n
    n2 = n * n
    tp = n2 * sum_ab2
    fp = n2 * sum_b2 - tp
    fn = n2 * sum_a2 - tp
    tn = n2 - tp - fp - fn
    return classification_statistics(tp, tn, fp, fn)


def _xlogx_sum(values):
    values = values[values != 0]
    return float((values * np.log(values)).sum())


def vinfo_fscore(gt, proposal):
    """VariationOfInformation.foregroundRestrictedFscore, lines 1329-1442 (natural logarithms)."""
    pij, n = _pij(gt, proposal)
    ai = pij[1:, :].sum(axis=1)
    bj = pij[1:, 1:].sum(axis=0)
    aux = pij[1:, 0].sum()
    sum_a = _xlogx_sum(ai)
    sum_b = _xlogx_sum(bj) - aux * np.log(n)
    sum_ab = _xlogx_sum(pij[1:, 1:].reshape(-1)) - aux * np.log(n)
    ha, hb = -sum_a, -sum_b
    hab, hba = sum_b - sum_ab, sum_a - sum_ab
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = (ha - hab) / ha if ha != 0 else np.nan
        rec = (hb - hba) / hb if hb != 0 else np.nan
    if ha == 0:
        prec, rec = 0.0, 1.0
    if hb == 0:
        prec, rec = 1.0, 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(2.0 * prec * rec) / np.float64(prec + rec))


def binarise(label, proposal, th):
    """The loops of getForegroundRestrictedRandAfterThinningStatsN2 (RandError 1033-1042) and
    foregroundRestrictedScoreAfterThinningN2 (VariationOfInformation 1297-1305): float pixel
    values compared with the double threshold."""
    gt_mask = label.astype(np.float64) > th
    cells = proposal.astype(np.float32).astype(np.float64) > th
    return gt_mask, cells


def slice_scores(label, proposal, th, gt_cache=None):
    """Per-slice scores at one threshold: V_Rand stats and V_Info after thinning, and the old
    foreground-restricted Rand stats (unthinned 4-connected proposal regions)."""
    gt_mask, cells = binarise(label, proposal, th)
    key = gt_mask.tobytes()
    if gt_cache is not None and key in gt_cache:
        gt = gt_cache[key]
    else:
        gt = find_connected_regions(gt_mask)
        if gt_cache is not None:
            gt_cache[key] = gt
    basins = watershed_transform_2d(np.where(cells, 0, 255).astype(np.uint8))
    regions = find_connected_regions(cells)
    return {
        "vRand": rand_stats_n2(gt, basins),
        "vInfo": vinfo_fscore(gt, basins),
        "foregroundRestrictedRand": rand_stats_n2(gt, regions),
        "basins": basins,
    }


def stack_scores(labels, proposals, thresholds=None):
    """getMaximalVRandAfterThinning(0, 1, 0.1, true), getMaximalVInfoAfterThinning(0, 1, 0.1) and
    1 - getForegroundRestrictedRandIndexMaximalFScore(0, 1, 0.1) over a stack, with every
    per-slice value beside. Best thresholds: the first reaching the maximum (Fiji's strict >)."""
    thresholds = fiji_thresholds() if thresholds is None else thresholds
    caches = [dict() for _ in labels]
    per_threshold = []
    for th in thresholds:
        rows = [slice_scores(lab, prop, th, cache) for lab, prop, cache in zip(labels, proposals, caches)]
        v_rand = sum(r["vRand"]["fScore"] for r in rows) / len(rows)
        v_info = sum(r["vInfo"] for r in rows) / len(rows)
        micro = {k: sum(r["foregroundRestrictedRand"][k] for r in rows) for k in ("tp", "tn", "fp", "fn")}
        fr = classification_statistics(micro["tp"], micro["tn"], micro["fp"], micro["fn"])
        per_threshold.append({"threshold": th, "vRand": v_rand, "vInfo": v_info, "foregroundRestrictedRandFScore": fr["fScore"], "slices": rows})

    def best(key):
        value, at = 0.0, None
        for row in per_threshold:
            if row[key] > value:
                value, at = row[key], row["threshold"]
        return value, at

    v_rand, v_rand_th = best("vRand")
    v_info, v_info_th = best("vInfo")
    fr_f, fr_th = best("foregroundRestrictedRandFScore")
    return {"vRand": v_rand, "vRandThreshold": v_rand_th, "vInfo": v_info, "vInfoThreshold": v_info_th,
            "foregroundRestrictedRandError": 1.0 - fr_f, "foregroundRestrictedRandThreshold": fr_th,
            "perThreshold": per_threshold}
