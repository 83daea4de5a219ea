#!/usr/bin/python3
"""Trains a starter U-Net (public/starters/<name>/) on CPU with the PyTorch reference of our network.

Reproduce (docs/starters.md):
  npx tsx scripts/starters/prepareStarterData.ts nuclei            # the studio's own inputs and targets
  nice -n 10 /usr/bin/python3 scripts/train_starter.py nuclei --minutes 17
  npx tsx scripts/starters/exportStarter.ts nuclei                 # -> public/starters/nuclei/model.json
  npx tsx scripts/evaluateStarter.ts nuclei                        # held-out scores for the card

- data: the folder written by prepareStarterData.ts: images decoded, normalised (normaliseImage),
  labels interpreted and weight maps built (w0 10, sigma 5 px, class balance, separation borders)
  by the studio's TypeScript, so nothing here re-implements them. As a self-check, the first images
  are decoded again with Pillow and normalised by a NumPy port of normaliseImage; they must be equal.
- model: scripts/make_unet_fixtures.py's TorchUNet (layer-by-layer parity with buildUNet.ts, the
  weights load by name), the studio's fast preset (depth 4, 16 base channels, same padding, batch
  norm, dropout 0.2), the paper's init as buildUNet.ts;
- tiles: 256 px, batch 2, centred on a random labelled pixel (as drawTrainingTile.ts), a patch larger
  by the augmentation margin cut with the image mirrored, flips, quarter turns, rotation up to 10
  degrees, the paper's elastic warp (3x3 grid, sigma 10 px), grey-value jitter (as the studio's);
- loss: the weighted pixel-wise softmax cross-entropy, -sum w log p_label / #(w > 0);
- Adam (tfjs's defaults: beta 0.9 / 0.999, epsilon 1e-7), learning rate 1e-3, 1e-4 for the last 20 %.

Writes <work>/weights.json + weights.bin (float32, tfjs layout, keyed layer.weight as namedWeights.ts)
and <work>/training.json (steps, minutes, loss curve) for exportStarter.ts.
"""
import argparse
import json
import math
import pathlib
import sys
import tempfile
import time

import numpy as np
import torch
from PIL import Image
from scipy import ndimage

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench" / "peers"))
from make_unet_fixtures import TorchUNet, to_tfjs_layout, tfjs_key, weighted_loss  # noqa: E402
from unet_accuracy_torch import init_paper, mirror_indices, warp_coordinates  # noqa: E402

UNLABELLED = -1
SHARED_DATA = ROOT.parent / "shared" / "data"


def normalise_percentile(pixels, low_percent, high_percent, min_range=None):
    """normaliseImage.ts's percentile normalisation, per channel: pixels [H, W, C] -> float32; dividing by at least min_range[c] (the stretch limit) when given."""
    h, w, c = pixels.shape
    out = np.empty((h, w, c), dtype=np.float32)
    for k in range(c):
        channel = pixels[:, :, k].astype(np.float32).ravel()
        ordered = np.sort(channel).astype(np.float64)

        def at(percent):
            position = (percent / 100) * (len(ordered) - 1)
            below = math.floor(position)
            above = min(below + 1, len(ordered) - 1)
            return ordered[below] + (ordered[above] - ordered[below]) * (position - below)

        low = at(low_percent)
        scale = at(high_percent) - low
        if min_range is not None:
            scale = max(scale, min_range[k])
        inverse = 1 / scale if scale > 0 else 0.0
        out[:, :, k] = ((channel.astype(np.float64) - low) * inverse).astype(np.float32).reshape(h, w)
    return out


def image_path(name, sample_id):
    if name == "em":
        return SHARED_DATA / "isbi2012" / "png" / "train" / "image" / f"{sample_id}.png"
    return SHARED_DATA / "nuclei" / "dsb2018-stage1-subset" / "images" / f"{sample_id}.png"


def raw_pixels(name, sample_id, channels):
    """A starter image's pixels [H, W, C] as the studio's import reads them."""
    pixels = np.asarray(Image.open(image_path(name, sample_id)))
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    # As the studio's import (greyIfChannelsEqual): RGB(A) with equal colour channels and one alpha is grey.
    if channels == 1 and pixels.shape[2] in (3, 4) and (pixels[:, :, :3] == pixels[:, :, :1]).all() \
            and (pixels.shape[2] == 3 or (pixels[:, :, 3] == pixels[0, 0, 3]).all()):
        pixels = pixels[:, :, :1]
    return pixels


def check_normalisation(manifest, images, count=3):
    """The studio's normalised inputs (from the exchange) against Pillow + the NumPy port: must be equal."""
    norm = manifest["normalisation"]
    for meta, image in list(zip(manifest["samples"], images))[:count]:
        pixels = raw_pixels(manifest["name"], meta["id"], image.shape[2])
        ours = normalise_percentile(pixels, norm["lowPercent"], norm["highPercent"], norm.get("minRange"))
        if ours.shape != image.shape or not np.array_equal(ours, image):
            diff = np.abs(ours - image).max() if ours.shape == image.shape else "shape"
            raise SystemExit(f"normalisation self-check failed on {meta['id']}: max difference {diff}")
    print(f"self-check: NumPy normaliseImage equals the studio's on {min(count, len(images))} images", flush=True)


def load(work):
    manifest = json.loads((work / "starter.json").read_text())
    images, labels, weights = [], [], []
    for i, s in enumerate(manifest["samples"]):
        h, w, c = s["height"], s["width"], s["channels"]
        images.append(np.fromfile(work / f"{i}.image.f32", dtype="<f4").reshape(h, w, c))
        labels.append(np.fromfile(work / f"{i}.labels.i32", dtype="<i4").reshape(h, w))
        weights.append(np.fromfile(work / f"{i}.weights.f32", dtype="<f4").reshape(h, w))
    return manifest, images, labels, weights


def crop_patch(image, labels, weights, cy, cx, size):
    """sampleTrainingTile: the image mirrored past its border, targets unlabelled there."""
    h, w = labels.shape
    y0, x0 = cy - size // 2, cx - size // 2
    img = image[np.ix_(mirror_indices(y0, size, h), mirror_indices(x0, size, w))]
    lab = np.full((size, size), UNLABELLED, dtype=np.int32)
    wt = np.zeros((size, size), dtype=np.float32)
    ys, ye, xs, xe = max(0, y0), min(h, y0 + size), max(0, x0), min(w, x0 + size)
    if ye > ys and xe > xs:
        lab[ys - y0:ye - y0, xs - x0:xe - x0] = labels[ys:ye, xs:xe]
        wt[ys - y0:ye - y0, xs - x0:xe - x0] = weights[ys:ye, xs:xe]
    return img.astype(np.float32), lab, wt


def warp_channels(img, coords):
    """Cubic spline warp per channel; identical channels (grey stored as RGB) are warped once."""
    out = np.empty(img.shape, dtype=np.float64)
    done = []
    for k in range(img.shape[2]):
        same = next((j for j in done if np.array_equal(img[:, :, j], img[:, :, k])), None)
        if same is not None:
            out[:, :, k] = out[:, :, same]
            continue
        channel = np.ascontiguousarray(img[:, :, k], dtype=np.float64)
        out[:, :, k] = channel if channel.min() == channel.max() else ndimage.map_coordinates(channel, coords, order=3, mode="mirror")
        done.append(k)
    return out


def augment(img, lab, wt, aug, rng):
    """bench/peers/unet_accuracy_torch.py's augment for [H, W, C] images; one grey-value change for all channels."""
    if aug["flips"] and rng.random() < 0.5:
        img, lab, wt = img[:, ::-1], lab[:, ::-1], wt[:, ::-1]
    if aug["flips"] and rng.random() < 0.5:
        img, lab, wt = img[::-1], lab[::-1], wt[::-1]
    if aug["quarterTurns"]:
        k = int(rng.integers(0, 4))
        img, lab, wt = np.rot90(img, k, axes=(0, 1)), np.rot90(lab, k), np.rot90(wt, k)
    coords = warp_coordinates(img.shape[0], aug, rng)
    img = warp_channels(img, coords)
    lab = ndimage.map_coordinates(np.ascontiguousarray(lab), coords, order=0, mode="mirror").astype(np.int32)
    wt = ndimage.map_coordinates(np.ascontiguousarray(wt, dtype=np.float64), coords, order=1, mode="mirror")
    wt[lab == UNLABELLED] = 0
    gamma = math.exp(rng.uniform(-1, 1) * math.log1p(aug["maxGammaChange"]))
    contrast = 1 + rng.uniform(-1, 1) * aug["maxContrastChange"]
    shift = rng.uniform(-1, 1) * aug["maxBrightnessShift"]
    for k in range(img.shape[2]):
        ch = img[:, :, k]
        lo, hi = ch.min(), ch.max()
        if hi > lo:
            ch = lo + (hi - lo) * ((ch - lo) / (hi - lo)) ** gamma
            mean = ch.mean()
            img[:, :, k] = mean + (ch - mean) * contrast + shift * (hi - lo)
    return img.astype(np.float32), lab, wt.astype(np.float32)


class TileDrawer:
    """drawTrainingTile.ts: an image drawn in proportion to its labelled pixels, a tile centred on one of them."""

    def __init__(self, images, labels, weights, tile, margin, aug, rng):
        self.images, self.labels, self.weights = images, labels, weights
        self.labelled = [np.flatnonzero(w.ravel() > 0) for w in weights]
        counts = np.array([len(p) for p in self.labelled], dtype=np.float64)
        self.p = counts / counts.sum()
        self.tile, self.margin, self.aug, self.rng = tile, margin, aug, rng
        self.empty, self.empty_fraction = [], 0.0

    def add_empty_fields(self, fields, fraction):
        """Empty fields of view (EmptyField list) drawn as this fraction of the tiles."""
        self.empty, self.empty_fraction = fields, fraction

    def draw_empty(self):
        """A field with no object as a user's image of its own: normalised on its own (percentiles, stretch limit), mirrored out to the tile, all background."""
        field = self.empty[int(self.rng.integers(0, len(self.empty)))]
        size = self.tile + 2 * self.margin
        h, w = field.image.shape[:2]
        y0, x0 = int(self.rng.integers(0, h)), int(self.rng.integers(0, w))
        img = field.image[np.ix_(mirror_indices(y0, size, h), mirror_indices(x0, size, w))]
        lab = np.zeros((size, size), dtype=np.int32)
        wt = np.full((size, size), field.weight, dtype=np.float32)
        img, lab, wt = augment(img.astype(np.float32), lab, wt, self.aug, self.rng)
        m, t = self.margin, self.tile
        return img[m:m + t, m:m + t], lab[m:m + t, m:m + t], wt[m:m + t, m:m + t]


    def draw(self):
        if self.empty and self.rng.random() < self.empty_fraction:
            return self.draw_empty()
        i = int(self.rng.choice(len(self.p), p=self.p))
        centre = int(self.labelled[i][self.rng.integers(0, len(self.labelled[i]))])
        w = self.labels[i].shape[1]
        size = self.tile + 2 * self.margin
        img, lab, wt = crop_patch(self.images[i], self.labels[i], self.weights[i], centre // w, centre % w, size)
        img, lab, wt = augment(img, lab, wt, self.aug, self.rng)
        m, t = self.margin, self.tile
        return img[m:m + t, m:m + t], lab[m:m + t, m:m + t], wt[m:m + t, m:m + t]


class EmptyField:
    def __init__(self, image, weight):
        self.image, self.weight = image, weight


def empty_fields(manifest, images, labels, weights, side=96, margin=8, per_image=2):
    """Squares of the training images with no object within `margin`, cut from the raw pixels and normalised on
    their own as the studio normalises a whole image (scripts/starters/emptyFields.ts measures the same on held-out
    images); each keeps the background's weight in its image's weight map."""
    norm = manifest["normalisation"]
    fields = []
    for meta, image, lab, wt in zip(manifest["samples"], images, labels, weights):
        h, w = lab.shape
        if h < side or w < side:
            continue
        fg = np.pad((lab == 1).astype(np.int64), ((1, 0), (1, 0))).cumsum(0).cumsum(1)

        def count(y0, x0, y1, x1):
            y0, x0, y1, x1 = max(0, y0), max(0, x0), min(h, y1), min(w, x1)
            return fg[y1, x1] - fg[y0, x1] - fg[y1, x0] + fg[y0, x0]

        found = []
        for y in range(0, h - side + 1, 8):
            for x in range(0, w - side + 1, 8):
                if len(found) >= per_image:
                    break
                if any(abs(fy - y) < side and abs(fx - x) < side for fy, fx in found):
                    continue
                if count(y - margin, x - margin, y + side + margin, x + side + margin) == 0:
                    found.append((y, x))
        if not found:
            continue
        raw = raw_pixels(manifest["name"], meta["id"], image.shape[2])
        background = float(np.median(wt[lab == 0])) if (lab == 0).any() else 1.0
        for y, x in found:
            crop = raw[y:y + side, x:x + side]
            fields.append(EmptyField(normalise_percentile(crop, norm["lowPercent"], norm["highPercent"], norm.get("minRange")), background))
    return fields

def save_weights(model, work, stem="weights"):
    """Float32 weights in tfjs layout, keyed as namedWeights.ts (layer.kernel, layer_bn.moving_mean, ...)."""
    specs, blob, offset = [], bytearray(), 0
    for mname, module in model.layers.items():
        for pname, p in list(module.named_parameters()) + list(module.named_buffers()):
            if pname == "num_batches_tracked":
                continue
            a = np.ascontiguousarray(to_tfjs_layout(mname, pname, p), dtype="<f4")
            specs.append({"name": tfjs_key(mname, pname), "shape": list(a.shape), "offset": offset})
            blob += a.tobytes()
            offset += a.nbytes
    (work / f"{stem}.bin").write_bytes(bytes(blob))
    (work / f"{stem}.json").write_text(json.dumps(specs, indent=1))
    return offset


def precise_batch_norm(model, drawer, batches, batch_size):
    """Sets batch norm's statistics to the plain average over `batches` fresh training batches ("precise BN",
    PyTorch's momentum=None), the network otherwise as in training (dropout on). Torch's random stream is left as
    it was, so the training that follows draws the same dropout masks."""
    rng_state = torch.get_rng_state()
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            tiles = [drawer.draw() for _ in range(batch_size)]
            model(torch.from_numpy(np.stack([t[0] for t in tiles]).transpose(0, 3, 1, 2).copy()))
    for m, momentum in zip(norms, momenta):
        m.momentum = momentum
    torch.set_rng_state(rng_state)


def learning_rate(lr, fraction, args):
    """The rate at this fraction of the run: held, cosine-decayed to lr/100, or (the starters' recipe) /10 for the last 20 %."""
    if args.constant_lr:
        return lr
    if args.cosine_lr:
        return lr / 100 + (lr - lr / 100) * 0.5 * (1 + math.cos(math.pi * fraction))
    return lr if fraction < 0.8 else lr / 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("name", choices=["nuclei", "em"])
    parser.add_argument("--work", type=pathlib.Path, default=None, help="prepareStarterData.ts's folder (default $TMPDIR/unet-starters/NAME)")
    parser.add_argument("--minutes", type=float, default=None, help="train for this wall time (else --steps)")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--empty-fraction", type=float, default=0.0, help="draw this fraction of the tiles from empty fields of view (squares with no object, normalised on their own)")
    parser.add_argument("--constant-lr", action="store_true", help="keep the learning rate (the studio's recipe) instead of /10 for the last 20 %%")
    parser.add_argument("--cosine-lr", action="store_true", help="decay the learning rate along half a cosine to 1/100 of it at the end, instead of /10 for the last 20 %%")
    parser.add_argument("--checkpoint-every", type=int, default=0, help="also save the weights every N steps to --checkpoints (bench:quality)")
    parser.add_argument("--checkpoints", type=pathlib.Path, default=None, help="folder for step<N>.bin/.json and checkpoints.json")
    parser.add_argument("--ema", type=str, default="", help="D[,E...]: also keep an exponential moving average of the weights and batch-norm statistics (decay D a step) and save it at each checkpoint, to <checkpoints>-ema<D>")
    parser.add_argument("--precise-bn", type=str, default="", help="N[,M...]: also save each checkpoint with batch norm's statistics averaged over N fresh batches, to <checkpoints>-precise-bn<N> (training unchanged)")
    args = parser.parse_args()
    work = args.work or pathlib.Path(tempfile.gettempdir()) / "unet-starters" / args.name
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    manifest, images, labels, weights = load(work)
    check_normalisation(manifest, images)
    u, opt = manifest["unet"], manifest["optimizer"]
    model = TorchUNet(u["depth"], u["baseChannels"], u["padding"], u["inputChannels"], u["numClasses"], u["dropoutRate"], u["batchNorm"])
    init_paper(model)
    lr = opt["learningRate"]
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-7)
    drawer = TileDrawer(images, labels, weights, u["tileSizePx"], manifest["augmentationMarginPx"], manifest["augmentation"], rng)
    if args.empty_fraction > 0:
        fields = empty_fields(manifest, images, labels, weights)
        if not fields:
            raise SystemExit("--empty-fraction: no training image has a square free of objects")
        drawer.add_empty_fields(fields, args.empty_fraction)
        print(f"{len(fields)} empty fields of view, drawn as {args.empty_fraction:.0%} of the tiles", flush=True)
    budget_s = args.minutes * 60 if args.minutes is not None else None
    start = time.perf_counter()
    curve, window, step = [], [], 0
    checkpoints, paused = [], 0.0  # paused: seconds spent saving checkpoints, not training
    if args.checkpoint_every:
        args.checkpoints.mkdir(parents=True, exist_ok=True)
    averages = []  # (decay, folder, averaged state) for each --ema decay
    if args.ema:
        if not args.checkpoint_every:
            raise SystemExit("--ema needs --checkpoint-every and --checkpoints")
        for decay in args.ema.split(","):
            folder = args.checkpoints.parent / f"{args.checkpoints.name}-ema{decay}"
            folder.mkdir(parents=True, exist_ok=True)
            averages.append((float(decay), folder, {k: v.clone().double() for k, v in model.state_dict().items() if v.is_floating_point()}))
    precise = []  # (batches, folder, drawer) for each --precise-bn count
    if args.precise_bn:
        if not args.checkpoint_every:
            raise SystemExit("--precise-bn needs --checkpoint-every and --checkpoints")
        for batches in (int(n) for n in args.precise_bn.split(",")):
            folder = args.checkpoints.parent / f"{args.checkpoints.name}-precise-bn{batches}"
            folder.mkdir(parents=True, exist_ok=True)
            # Its own tiles from its own stream, so the training tiles are the same with or without it.
            precise.append((batches, folder, TileDrawer(images, labels, weights, u["tileSizePx"], manifest["augmentationMarginPx"], manifest["augmentation"], np.random.default_rng(args.seed + 1_000_003))))
    model.train()
    while True:
        elapsed = time.perf_counter() - start - paused
        fraction = elapsed / budget_s if budget_s else step / args.steps
        if fraction >= 1:
            break
        step += 1
        rate = learning_rate(lr, fraction, args)
        for group in optimizer.param_groups:
            group["lr"] = rate
        tiles = [drawer.draw() for _ in range(manifest["batchSize"])]
        x = torch.from_numpy(np.stack([t[0] for t in tiles]).transpose(0, 3, 1, 2).copy())
        y = np.stack([t[1] for t in tiles])
        w = torch.from_numpy(np.stack([t[2] for t in tiles]).copy())
        y = torch.from_numpy(np.where(y < 0, 0, y).astype(np.int64))  # weight 0 where unlabelled
        optimizer.zero_grad()
        loss = weighted_loss(model(x), y, w)
        loss.backward()
        optimizer.step()
        window.append(float(loss))
        if averages:
            with torch.no_grad():
                current = model.state_dict()
                for decay, _, average in averages:
                    held = min(decay, (1 + step) / (10 + step))  # TF's ExponentialMovingAverage warm-up: early steps count fully
                    for k, v in average.items():
                        v.mul_(held).add_(current[k].double(), alpha=1 - held)
        if args.checkpoint_every and step % args.checkpoint_every == 0:
            saving = time.perf_counter()
            train_seconds = saving - start - paused
            model.eval()
            save_weights(model, args.checkpoints, f"step{step}")
            model.train()
            checkpoints.append({"step": step, "trainSeconds": round(train_seconds, 3)})
            (args.checkpoints / "checkpoints.json").write_text(json.dumps(checkpoints, indent=1))
            if averages:
                trained = {k: v.clone() for k, v in model.state_dict().items()}
                for decay, folder, average in averages:
                    model.load_state_dict({k: v.float() for k, v in average.items()}, strict=False)
                    model.eval()
                    save_weights(model, folder, f"step{step}")
                    (folder / "checkpoints.json").write_text(json.dumps(checkpoints, indent=1))
                    model.load_state_dict(trained)
                model.train()
            if precise:
                trained = {k: v.clone() for k, v in model.state_dict().items()}
                for batches, folder, drawer_of_folder in precise:
                    precise_batch_norm(model, drawer_of_folder, batches, manifest["batchSize"])
                    model.eval()
                    save_weights(model, folder, f"step{step}")
                    (folder / "checkpoints.json").write_text(json.dumps(checkpoints, indent=1))
                    model.load_state_dict(trained)  # training goes on from its own moving statistics
                model.train()
            paused += time.perf_counter() - saving
        if step % 25 == 0:
            mean = sum(window) / len(window)
            curve.append({"step": step, "seconds": round(time.perf_counter() - start, 1), "meanLoss": mean, "learningRate": rate})
            window = []
            print(f"{args.name}: step {step}, {time.perf_counter() - start:.0f} s, loss {mean:.4f}, lr {rate:g}", flush=True)
    seconds = time.perf_counter() - start
    model.eval()
    size = save_weights(model, work)
    record = {
        "name": args.name, "steps": step, "minutes": round(seconds / 60, 2), "seed": args.seed,
        "finalLoss": curve[-1]["meanLoss"] if curve else float("nan"), "curve": curve,
        "backend": f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} thread(s)",
        "weightBytes": size, "trainImages": len(images),
        "emptyFields": {"count": len(drawer.empty), "fraction": drawer.empty_fraction},
    }
    (work / "training.json").write_text(json.dumps(record, indent=1))
    print(f"{args.name}: {step} steps in {seconds / 60:.1f} min, {size} weight bytes -> {work}", flush=True)


if __name__ == "__main__":
    main()
