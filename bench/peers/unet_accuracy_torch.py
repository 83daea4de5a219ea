#!/usr/bin/python3
"""PyTorch reference for `npm run bench:accuracy` (bench/accuracy/run.ts).

Trains the same recipe as the studio, written independently on PyTorch + NumPy/SciPy:
- data: the exchange folder written by run.ts (normalised ISBI slices 0-14, classes, the studio's
  weight maps; weight maps are themselves checked against SciPy by scripts/make_weight_fixtures.py);
- model: scripts/make_unet_fixtures.py's TorchUNet (layer-by-layer parity with buildUNet.ts), with the
  paper's init N(0, sqrt(2/N)) and zero biases, as buildUNet.ts;
- tiles: centred on a uniformly drawn labelled pixel of a slice drawn in proportion to its labelled
  pixels; a patch larger by the augmentation margin is cut (image mirrored, targets not), augmented,
  and the tile cut from its centre (as src/core/train/drawTrainingTile.ts);
- augmentation: random flips, quarter turns, rotation U(-max, max) and the paper's elastic warp
  (3x3 grid, N(0, sigma^2) vectors, cubic spline), summed into one field; image warped with
  map_coordinates order 3, labels order 0, weights order 1, all mode='mirror'; then gamma, contrast,
  brightness (as src/core/augment/*). Random streams are NumPy's, not the studio's mulberry32;
- loss: -sum w log p_label / #(w > 0); Adam with tfjs's defaults (beta 0.9 / 0.999, epsilon 1e-7);
- evaluation: the same tile plan as predictTiled (passed in the manifest), softmax, the kept area of
  each tile; foreground probability maps are written for the TypeScript scorer.

Usage: unet_accuracy_torch.py EXCHANGE_DIR OUT_DIR SEED [SEED ...]   (writes OUT_DIR/pytorch-seed<S>/)
"""
import json
import math
import pathlib
import sys
import time

import numpy as np
import torch
import torch.nn as nn
from scipy import ndimage

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
from make_unet_fixtures import TorchUNet, weighted_loss  # noqa: E402

UNLABELLED = -1


def load(exchange_dir):
    manifest = json.loads((exchange_dir / "exchange.json").read_text())
    h, w = manifest["height"], manifest["width"]

    def part(p):
        n = p["count"]
        return (np.fromfile(exchange_dir / p["image"], dtype="<f4").reshape(n, h, w),
                np.fromfile(exchange_dir / p["labels"], dtype="<i4").reshape(n, h, w),
                np.fromfile(exchange_dir / p["weights"], dtype="<f4").reshape(n, h, w))

    return manifest, part(manifest["train"]), part(manifest["validation"])


def init_paper(model):
    """buildUNet.ts: kernels N(0, sqrt(2/N)), N = incoming nodes (9 C_in for 3x3, C_in for the 2x2 up-conv and the 1x1 head); biases 0."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Conv2d):
                fan_in = module.weight.shape[1] * module.weight.shape[2] * module.weight.shape[3]
            elif isinstance(module, nn.ConvTranspose2d):
                fan_in = module.weight.shape[0]  # [C_in, C_out, 2, 2]; each output pixel sees one input pixel
            else:
                continue
            module.weight.normal_(0, math.sqrt(2 / fan_in))
            if module.bias is not None:
                module.bias.zero_()


def mirror_indices(start, size, n):
    """Indices start..start+size-1 reflected into [0, n) without repeating the edge (scipy 'mirror')."""
    i = np.arange(start, start + size)
    period = 2 * n - 2
    if period == 0:
        return np.zeros_like(i)
    i = np.abs(i) % period
    return np.where(i >= n, period - i, i)


def crop_patch(image, labels, weights, cy, cx, size):
    """sampleTrainingTile with input = output = size: the image mirrored past the border, targets not."""
    h, w = image.shape
    y0, x0 = cy - size // 2, cx - size // 2
    img = image[np.ix_(mirror_indices(y0, size, h), mirror_indices(x0, size, w))]
    lab = np.full((size, size), UNLABELLED, dtype=np.int32)
    wt = np.zeros((size, size), dtype=np.float32)
    ys, ye = max(0, y0), min(h, y0 + size)
    xs, xe = max(0, x0), min(w, x0 + size)
    if ye > ys and xe > xs:
        lab[ys - y0:ye - y0, xs - x0:xe - x0] = labels[ys:ye, xs:xe]
        wt[ys - y0:ye - y0, xs - x0:xe - x0] = weights[ys:ye, xs:xe]
    return img.astype(np.float32), lab, wt


def dense_from_grid(grid, n):
    """Control point (i, j) at pixel (j (n-1)/(G-1), i (n-1)/(G-1)); interpolating cubic spline, mirror."""
    g = grid.shape[0]
    t = np.arange(n) * (g - 1) / (n - 1)
    coords = np.meshgrid(t, t, indexing="ij")
    return ndimage.map_coordinates(grid, coords, order=3, mode="mirror")


def warp_coordinates(n, aug, rng):
    """Where each pixel of an n x n patch samples from: a small rotation about the centre, then the
    paper's elastic field (a gridSize x gridSize grid of N(0, sigma) displacements, cubic-spline dense),
    drawing from rng in that order. Shared with scripts/train_starter.py."""
    yy, xx = np.meshgrid(np.arange(n, dtype=np.float64), np.arange(n, dtype=np.float64), indexing="ij")
    dy, dx = np.zeros((n, n)), np.zeros((n, n))
    if aug["maxRotationDeg"] > 0:
        a = math.radians(rng.uniform(-aug["maxRotationDeg"], aug["maxRotationDeg"]))
        c = (n - 1) / 2
        u, v = xx - c, yy - c
        dx += math.cos(a) * u - math.sin(a) * v - u
        dy += math.sin(a) * u + math.cos(a) * v - v
    if aug["elastic"] is not None:
        g, sigma = aug["elastic"]["gridSize"], aug["elastic"]["sigmaPx"]
        dx += dense_from_grid(rng.normal(0, sigma, (g, g)), n)
        dy += dense_from_grid(rng.normal(0, sigma, (g, g)), n)
    return [yy + dy, xx + dx]


def augment(img, lab, wt, aug, rng):
    # Exact dihedral part: flips and quarter turns (uniform over the 8 symmetries either way).
    if aug["flips"] and rng.random() < 0.5:
        img, lab, wt = img[:, ::-1], lab[:, ::-1], wt[:, ::-1]
    if aug["flips"] and rng.random() < 0.5:
        img, lab, wt = img[::-1], lab[::-1], wt[::-1]
    if aug["quarterTurns"]:
        k = int(rng.integers(0, 4))
        img, lab, wt = np.rot90(img, k), np.rot90(lab, k), np.rot90(wt, k)
    coords = warp_coordinates(img.shape[0], aug, rng)
    img = ndimage.map_coordinates(np.ascontiguousarray(img, dtype=np.float64), coords, order=3, mode="mirror")
    lab = ndimage.map_coordinates(np.ascontiguousarray(lab), coords, order=0, mode="mirror").astype(np.int32)
    wt = ndimage.map_coordinates(np.ascontiguousarray(wt, dtype=np.float64), coords, order=1, mode="mirror")
    wt[lab == UNLABELLED] = 0
    # Grey values: gamma, then contrast about the mean, then brightness (fractions of the patch's range).
    lo, hi = img.min(), img.max()
    rng_ = hi - lo
    gamma = math.exp(rng.uniform(-1, 1) * math.log1p(aug["maxGammaChange"]))
    contrast = 1 + rng.uniform(-1, 1) * aug["maxContrastChange"]
    shift = rng.uniform(-1, 1) * aug["maxBrightnessShift"]
    if rng_ > 0:
        img = lo + rng_ * ((img - lo) / rng_) ** gamma
        mean = img.mean()
        img = mean + (img - mean) * contrast + shift * rng_
    return img.astype(np.float32), lab, wt.astype(np.float32)


class TileDrawer:
    def __init__(self, train, recipe, rng):
        self.images, self.labels, self.weights = train
        self.labelled = [np.flatnonzero(w.ravel() > 0) for w in self.weights]
        counts = np.array([len(p) for p in self.labelled], dtype=np.float64)
        self.p = counts / counts.sum()
        self.tile = recipe["unet"]["tileSizePx"]
        self.margin = recipe["augmentationMarginPx"]
        self.aug = recipe["augmentation"]
        self.rng = rng

    def draw(self):
        i = int(self.rng.choice(len(self.p), p=self.p))
        pixels = self.labelled[i]
        centre = int(pixels[self.rng.integers(0, len(pixels))])
        w = self.images.shape[2]
        cy, cx = centre // w, centre % w
        size = self.tile + 2 * self.margin
        img, lab, wt = crop_patch(self.images[i], self.labels[i], self.weights[i], cy, cx, size)
        img, lab, wt = augment(img, lab, wt, self.aug, self.rng)
        m, t = self.margin, self.tile
        return img[m:m + t, m:m + t], lab[m:m + t, m:m + t], wt[m:m + t, m:m + t]


def blending_window(kept, overlap):
    """predictTiled's blendingWindow: 1 in the middle, (d + 1) / (overlap + 1) within overlap px of an edge."""
    w = np.ones(kept, dtype=np.float32)
    if overlap == 0:
        return w
    from_edge = np.minimum(np.arange(kept), kept - 1 - np.arange(kept))
    return np.where(from_edge < overlap, (from_edge + 1) / (overlap + 1), 1).astype(np.float32)


def predict(model, image, plan):
    """predictTiled: each tile's kept area (margin cut off) blended into the image with the window's weights."""
    h, w = image.shape
    t, margin, overlap = plan["inputTilePx"], plan["marginPx"], plan["overlapPx"]
    tiles = plan["tiles"]
    blend = blending_window(plan["outputTilePx"] - 2 * margin, overlap)
    total = np.zeros((h, w), dtype=np.float32)
    weight = np.zeros((h, w), dtype=np.float32)
    for tl in tiles:
        tile = image[np.ix_(mirror_indices(tl["inputY"], t, h), mirror_indices(tl["inputX"], t, w))]
        with torch.no_grad():
            p = torch.softmax(model(torch.from_numpy(tile[None, None].astype(np.float32))), 1)[0, 1].numpy()
        oy, ox, oh, ow = tl["outY"], tl["outX"], tl["outHeight"], tl["outWidth"]
        wt = blend[:oh, None] * blend[None, :ow]
        total[oy:oy + oh, ox:ox + ow] += wt * p[margin:margin + oh, margin:margin + ow]
        weight[oy:oy + oh, ox:ox + ow] += wt
    return np.where(weight > 0, total / np.maximum(weight, 1e-30), 0).astype(np.float32)


def train_seed(manifest, train, validation, seed, out_dir):
    recipe = manifest["recipe"]
    u, opt = recipe["unet"], recipe["optimizer"]
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = TorchUNet(u["depth"], u["baseChannels"], u["padding"], u["inputChannels"], u["numClasses"], u["dropoutRate"], u["batchNorm"])
    init_paper(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=opt["learningRate"], betas=(opt["beta1"], opt["beta2"]), eps=opt["epsilon"])
    drawer = TileDrawer(train, recipe, rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    eval_steps = set(recipe["evalSteps"])
    evals, window = [], []
    train_s = eval_s = 0.0
    start = time.perf_counter()
    for step in range(1, recipe["steps"] + 1):
        t0 = time.perf_counter()
        model.train()
        tiles = [drawer.draw() for _ in range(recipe["batchSize"])]
        x = torch.from_numpy(np.stack([t[0] for t in tiles])[:, None].copy())
        labels = np.stack([t[1] for t in tiles])
        weights = torch.from_numpy(np.stack([t[2] for t in tiles]).copy())
        # Unlabelled pixels carry weight 0; any valid class index keeps gather in range.
        labels = torch.from_numpy(np.where(labels < 0, 0, labels).astype(np.int64))
        optimizer.zero_grad()
        loss = weighted_loss(model(x), labels, weights)
        loss.backward()
        optimizer.step()
        window.append(float(loss))
        train_s += time.perf_counter() - t0
        if step not in eval_steps:
            continue
        t1 = time.perf_counter()
        model.eval()
        probs = np.stack([predict(model, img, recipe["prediction"]) for img in validation[0]])
        probs.astype("<f4").tofile(out_dir / f"probs_step{step}.f32")
        eval_s += time.perf_counter() - t1
        evals.append({"step": step, "trainSeconds": train_s, "evalSeconds": eval_s, "meanTrainLoss": sum(window) / len(window)})
        window = []
        print(f"pytorch seed {seed}: step {step}, train {train_s:.0f} s, loss {evals[-1]['meanTrainLoss']:.4f}", flush=True)
    log = {"side": "pytorch", "seed": seed, "backend": f"PyTorch {torch.__version__} CPU ({torch.get_num_threads()} thread)",
           "evals": evals, "totalSeconds": time.perf_counter() - start, "notes": []}
    (out_dir / "log.json").write_text(json.dumps(log, indent=2))


def main():
    exchange_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    torch.set_num_threads(1)
    manifest, train, validation = load(exchange_dir)
    for seed in [int(s) for s in sys.argv[3:]]:
        train_seed(manifest, train, validation, seed, out_dir / f"pytorch-seed{seed}")


if __name__ == "__main__":
    main()
