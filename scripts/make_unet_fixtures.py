#!/usr/bin/python3
"""Writes the PyTorch reference fixtures for the tfjs U-Net (src/core/model/fixtures/).

An independent U-Net of the paper's layout is built in PyTorch (Debian's
python3-torch), loaded with seeded random weights, and run in float64 on a tiny
batch. Each fixture holds the weights (in tfjs layout), the input, labels and
per-pixel weights, and the reference logits, weighted loss and the gradient of
every weight, so unit tests can check the tfjs model layer by layer.

Run with Debian's interpreter: /usr/bin/python3 scripts/make_unet_fixtures.py
"""
import json
import pathlib
from copy import deepcopy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "core" / "model" / "fixtures"


class TorchUNet(nn.Module):
    """The same layout as src/core/model/buildUNet.ts, written independently."""

    def __init__(self, depth, base, padding, in_ch, classes, dropout, batch_norm):
        super().__init__()
        self.depth, self.padding, self.batch_norm = depth, padding, batch_norm
        pad = 0 if padding == "valid" else 1
        self.layers = nn.ModuleDict()

        def block(name, cin, cout):
            for i in (1, 2):
                self.layers[f"{name}_conv{i}"] = nn.Conv2d(cin if i == 1 else cout, cout, 3, padding=pad, bias=not batch_norm)
                if batch_norm:
                    self.layers[f"{name}_bn{i}"] = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)

        cin = in_ch
        for level in range(depth):
            block(f"enc{level}", cin, base * 2**level)
            cin = base * 2**level
        block("bottom", cin, base * 2**depth)
        for level in reversed(range(depth)):
            ch = base * 2**level
            self.layers[f"dec{level}_upconv"] = nn.ConvTranspose2d(ch * 2, ch, 2, stride=2)
            block(f"dec{level}", ch * 2, ch)
        self.layers["head"] = nn.Conv2d(base, classes, 1)
        self.dropout = nn.Dropout(dropout)

    def block(self, name, x):
        return conv_pair(self.layers, name, x, self.batch_norm)

    def forward(self, x):
        skips = []
        for level in range(self.depth):
            x = self.block(f"enc{level}", x)
            if level == self.depth - 1:
                x = self.dropout(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.dropout(self.block("bottom", x))
        for level in reversed(range(self.depth)):
            up = self.layers[f"dec{level}_upconv"](x)
            skip = skips[level]
            m = (skip.shape[2] - up.shape[2]) // 2
            skip = skip[:, :, m : skip.shape[2] - m, m : skip.shape[3] - m]
            x = self.block(f"dec{level}", torch.cat([skip, up], dim=1))
        return self.layers["head"](x)


def conv_pair(layers, name, x, batch_norm):
    """[3x3 conv (+ batch norm) + ReLU] x2 through the layers `{name}_conv{1,2}` (`{name}_bn{1,2}`)."""
    for i in (1, 2):
        x = layers[f"{name}_conv{i}"](x)
        if batch_norm:
            x = layers[f"{name}_bn{i}"](x)
        x = F.relu(x)
    return x


def to_tfjs_layout(name, param, tensor):
    """PyTorch -> tfjs-layers weight layout (both conv kinds map with the same permutation)."""
    t = tensor.detach().cpu().numpy()
    if t.ndim == 4:  # Conv2d [O,I,kh,kw] -> [kh,kw,I,O]; ConvTranspose2d [I,O,kh,kw] -> [kh,kw,O,I]
        return t.transpose(2, 3, 1, 0)
    return t


TFJS_NAME = {"weight": "kernel", "bias": "bias"}
BN_NAME = {"weight": "gamma", "bias": "beta", "running_mean": "moving_mean", "running_var": "moving_variance"}


def tfjs_key(module_name, param):
    layer = module_name.split(".")[-1]
    table = BN_NAME if "_bn" in layer else TFJS_NAME
    return f"{layer}.{table[param]}"


def seed_weights(model, rng):
    """He-normal kernels as the paper, plus non-zero biases and BN stats so every mapping is exercised."""
    with torch.no_grad():
        for name, module in model.layers.items():
            if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
                k = module.weight
                fan_in = k.shape[1] * k.shape[2] * k.shape[3] if isinstance(module, nn.Conv2d) else k.shape[0] * k.shape[2] * k.shape[3] / 4
                k.copy_(torch.from_numpy(rng.normal(0, np.sqrt(2 / fan_in), k.shape).astype(np.float32)))
                if module.bias is not None:
                    module.bias.copy_(torch.from_numpy(rng.normal(0, 0.1, module.bias.shape).astype(np.float32)))
            elif isinstance(module, nn.BatchNorm2d):
                module.weight.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, module.weight.shape).astype(np.float32)))
                module.bias.copy_(torch.from_numpy(rng.normal(0, 0.1, module.bias.shape).astype(np.float32)))
                module.running_mean.copy_(torch.from_numpy(rng.normal(0, 0.1, module.running_mean.shape).astype(np.float32)))
                module.running_var.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, module.running_var.shape).astype(np.float32)))


def weighted_loss(logits, labels, weights):
    """E = -sum w log p_label, over the number of labelled (w > 0) pixels; the doc of weightedSoftmaxCrossEntropy.ts."""
    logp = F.log_softmax(logits, dim=1)
    picked = logp.gather(1, labels.unsqueeze(1)).squeeze(1)
    count = torch.clamp((weights > 0).sum().to(logits.dtype), min=1)
    return -(weights * picked).sum() / count


def arr(a):
    a = np.asarray(a, dtype=np.float64)
    # 9 significant digits: exact for float32 inputs, far below the 1e-4 tolerance for float64 results.
    return {"shape": list(a.shape), "data": [float("%.9g" % v) for v in a.ravel()]}


def make_fixture(name, config, batch, seed, training_bn):
    rng = np.random.default_rng(seed)
    model = TorchUNet(config["depth"], config["baseChannels"], config["padding"], config["inputChannels"],
                      config["numClasses"], config["dropoutRate"], config["batchNorm"])
    seed_weights(model, rng)
    # Tile-sized float32 weights are the shared truth; the reference then computes in float64.
    weights_tfjs = tfjs_weights(model)
    model.train(training_bn)
    model.dropout.eval()  # dropout is random; the parity checks run it as identity on both sides

    s, c, k = config["tileSizePx"], config["inputChannels"], config["numClasses"]
    x = rng.normal(0, 1, (batch, c, s, s)).astype(np.float32)
    moving = moving_statistics_after_forward(model, x) if training_bn else None  # before any forward moves them
    o = tfjs_output_size(model, x)
    labels = rng.integers(0, k, (batch, o, o))
    w = rng.uniform(0.5, 10, (batch, o, o)).astype(np.float32)
    w[rng.uniform(0, 1, (batch, o, o)) < 0.3] = 0  # unlabelled pixels

    # The same computation in float32 shows how far float32 itself can get from the float64 truth:
    # gradients through several batch norms in training mode are ill-conditioned (cancellation).
    logits32, loss32, grads32 = forward_backward(model, x, labels, w)
    logits, loss, grads = forward_backward(model.double(), x, labels, w)
    float32_error = {key: rel_error(grads32[key], g) for key, g in grads.items()}
    float32_error["logits"] = rel_error(logits32, logits)
    float32_error["loss"] = rel_error(loss32, loss)
    write_fixture(name, "scripts/make_unet_fixtures.py", config, training_bn, (x, labels, w), weights_tfjs,
                  arr(logits.transpose(0, 2, 3, 1)), loss, grads, float32_error, moving)
    print(f"{name}: logits {tuple(logits.shape)}, loss {float(loss):.6f}")


def moving_statistics_after_forward(model, x):
    """Batch norm's moving mean and variance after one training-mode forward of x, in float64 on a copy (the
    fixture's model keeps its statistics). PyTorch averages in the unbiased batch variance, n / (n - 1) times the
    biased one that normalises the batch (n = batch x height x width), as TensorFlow's fused batch norm does."""
    copy = deepcopy(model).double()
    with torch.no_grad():
        copy(torch.from_numpy(x).double())
    return {key: value for key, value in tfjs_weights(copy).items() if ".moving_" in key}


def write_fixture(name, generator, config, training_bn, batch, weights, logits, loss, grads, float32_error, moving=None):
    """The fixture the parity tests read (src/testUtils/pytorchParity.ts); batch = (x NCHW, labels, pixel weights);
    moving: batch norm's statistics after one training-mode forward, where the fixture trains."""
    x, labels, w = batch
    fixture = {
        "generator": "%s (PyTorch %s, float64)" % (generator, torch.__version__),
        "config": config,
        "batchNormTraining": training_bn,
        "input": arr(x.transpose(0, 2, 3, 1)),
        "labels": arr(labels),
        "pixelWeights": arr(w),
        "weights": weights,
        "logits": logits,
        "loss": float(loss),
        "gradients": {key: arr(g) for key, g in grads.items()},
        "pytorchFloat32Error": float32_error,
    }
    if moving is not None:
        fixture["movingStatisticsAfterForward"] = moving
    (OUT / f"{name}.json").write_text(json.dumps(fixture, separators=(",", ":")))
    worst = max(float32_error.items(), key=lambda kv: kv[1])
    print(f"{name}: PyTorch float32 worst error {worst[1]:.2e} ({worst[0]})")


def tfjs_output_size(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).shape[2]


def forward_backward(model, x, labels, w):
    dtype = next(model.parameters()).dtype
    model.zero_grad()
    logits = model(torch.from_numpy(x).to(dtype))
    loss = weighted_loss(logits, torch.from_numpy(labels), torch.from_numpy(w).to(dtype))
    loss.backward()
    return logits.detach().numpy(), float(loss), tfjs_gradients(model)


def tfjs_weights(model):
    """Every weight and batch-norm statistic of model.layers, keyed and laid out as tfjs's."""
    weights = {}
    for mname, module in model.layers.items():
        for pname, p in list(module.named_parameters()) + list(module.named_buffers()):
            if pname != "num_batches_tracked":
                weights[tfjs_key(mname, pname)] = arr(to_tfjs_layout(mname, pname, p))
    return weights


def tfjs_gradients(model):
    """The gradient of every parameter of model.layers after backward(), keyed and laid out as tfjs's."""
    return {tfjs_key(mname, pname): to_tfjs_layout(mname, pname, p.grad)
            for mname, module in model.layers.items() for pname, p in module.named_parameters()}


def rel_error(a, ref):
    a, ref = np.asarray(a, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    return float(np.abs(a - ref).max() / max(np.abs(ref).max(), 1e-12))


def count_trainable(config):
    model = TorchUNet(config["depth"], config["baseChannels"], config["padding"], config["inputChannels"],
                      config["numClasses"], config["dropoutRate"], config["batchNorm"])
    return sum(p.numel() for p in model.parameters()), sum(1 for m in model.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    base = {"architecture": "unet", "inputChannels": 1, "numClasses": 2}
    valid = {**base, "depth": 2, "baseChannels": 4, "padding": "valid", "dropoutRate": 0.5, "batchNorm": False, "tileSizePx": 60}
    same = {**base, "depth": 2, "baseChannels": 4, "padding": "same", "inputChannels": 2, "numClasses": 3,
            "dropoutRate": 0.0, "batchNorm": True, "tileSizePx": 24}
    make_fixture("unet-valid-d2c4", valid, batch=2, seed=1, training_bn=False)
    make_fixture("unet-same-bn-d2c4", same, batch=2, seed=2, training_bn=True)

    paper = {**base, "depth": 4, "baseChannels": 64, "padding": "valid", "dropoutRate": 0.5, "batchNorm": False, "tileSizePx": 572}
    fast = {**base, "depth": 4, "baseChannels": 16, "padding": "same", "dropoutRate": 0.2, "batchNorm": True, "tileSizePx": 256}
    model = TorchUNet(4, 64, "valid", 1, 2, 0.5, False).eval()
    with torch.no_grad():
        out = model(torch.zeros(1, 1, 572, 572))
    summary = {}
    for name, cfg in (("paper", paper), ("fast", fast)):
        params, convs = count_trainable(cfg)
        summary[name] = {"config": cfg, "trainableParams": params, "convLayers": convs}
    summary["paper"]["outputSizePx"] = int(out.shape[2])
    summary["generator"] = "scripts/make_unet_fixtures.py (PyTorch %s)" % torch.__version__
    (OUT / "presets.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary))


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
