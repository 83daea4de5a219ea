#!/usr/bin/python3
"""Writes the PyTorch reference fixtures for the tfjs UNet++ (src/core/model/fixtures/unetpp-*.json).

An independent UNet++ (Zhou et al., DLMIA 2018) is built in PyTorch (Debian's python3-torch):
node X(i,j) is two 3x3 convs (+ batch norm) + ReLU on the concatenation of X(i,0..j-1) and the
2x2 stride-2 transposed conv of X(i+1,j-1); with deep supervision a 1x1 head on each X(0,j) and
the loss is the mean of the heads' weighted losses. It is run in float64 on a tiny batch, as
make_unet_fixtures.py does for the U-Net (same weight layout, loss and tolerances).

It also writes unetpp-parameters.json: the parameters each pruning level keeps, found by
autograd (the parameters head L's output depends on), at the tiny configs and at the reference
widths 32/64/128/256/512.

Run with Debian's interpreter: /usr/bin/python3 scripts/make_unetpp_fixtures.py
"""
import json
import pathlib
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_unet_fixtures import arr, conv_pair, rel_error, seed_weights, tfjs_gradients, tfjs_weights, weighted_loss, write_fixture  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "core" / "model" / "fixtures"


class TorchUNetPlusPlus(nn.Module):
    """UNet++ written from the paper, evaluated column by column (j outer), not in tfjs's build order."""

    def __init__(self, depth, base, in_ch, classes, dropout, batch_norm, deep_supervision):
        super().__init__()
        self.depth, self.batch_norm = depth, batch_norm
        self.head_columns = list(range(1, depth + 1)) if deep_supervision else [depth]
        self.layers = nn.ModuleDict()
        ch = [base * 2**i for i in range(depth + 1)]

        def node(name, cin, cout):
            for k in (1, 2):
                self.layers[f"{name}_conv{k}"] = nn.Conv2d(cin if k == 1 else cout, cout, 3, padding=1, bias=not batch_norm)
                if batch_norm:
                    self.layers[f"{name}_bn{k}"] = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)

        for i in range(depth + 1):
            node(f"x{i}_0", in_ch if i == 0 else ch[i - 1], ch[i])
        for j in range(1, depth + 1):
            for i in range(depth + 1 - j):
                self.layers[f"x{i}_{j}_upconv"] = nn.ConvTranspose2d(ch[i + 1], ch[i], 2, stride=2)
                node(f"x{i}_{j}", ch[i] * (j + 1), ch[i])  # j earlier nodes of the row + the up-conv
        for j in self.head_columns:
            self.layers[f"head{j}"] = nn.Conv2d(ch[0], classes, 1)
        self.dropout = nn.Dropout(dropout)

    def node(self, name, x):
        return conv_pair(self.layers, name, x, self.batch_norm)

    def forward(self, x):
        X = {}
        for i in range(self.depth + 1):
            X[i, 0] = self.node(f"x{i}_0", x if i == 0 else F.max_pool2d(X[i - 1, 0], 2))
            if i >= self.depth - 1:
                X[i, 0] = self.dropout(X[i, 0])
        for j in range(1, self.depth + 1):
            for i in range(self.depth + 1 - j):
                up = self.layers[f"x{i}_{j}_upconv"](X[i + 1, j - 1])
                X[i, j] = self.node(f"x{i}_{j}", torch.cat([X[i, k] for k in range(j)] + [up], dim=1))
        return [self.layers[f"head{j}"](X[0, j]) for j in self.head_columns]


def build(config):
    return TorchUNetPlusPlus(config["depth"], config["baseChannels"], config["inputChannels"], config["numClasses"],
                             config["dropoutRate"], config["batchNorm"], config["deepSupervision"])


def forward_backward(model, x, labels, w):
    dtype = next(model.parameters()).dtype
    model.zero_grad()
    heads = model(torch.from_numpy(x).to(dtype))
    wt, lt = torch.from_numpy(w).to(dtype), torch.from_numpy(labels)
    loss = sum(weighted_loss(logits, lt, wt) for logits in heads) / len(heads)
    loss.backward()
    logits = {f"head{j}": h.detach().numpy() for j, h in zip(model.head_columns, heads)}
    return logits, float(loss), tfjs_gradients(model)


def make_fixture(name, config, batch, seed, training_bn):
    rng = np.random.default_rng(seed)
    model = build(config)
    seed_weights(model, rng)
    weights_tfjs = tfjs_weights(model)
    model.train(training_bn)
    model.dropout.eval()  # dropout is random; the parity checks run it as identity on both sides

    s, c, k = config["tileSizePx"], config["inputChannels"], config["numClasses"]
    x = rng.normal(0, 1, (batch, c, s, s)).astype(np.float32)
    labels = rng.integers(0, k, (batch, s, s))
    w = rng.uniform(0.5, 10, (batch, s, s)).astype(np.float32)
    w[rng.uniform(0, 1, (batch, s, s)) < 0.3] = 0  # unlabelled pixels

    logits32, loss32, grads32 = forward_backward(model, x, labels, w)
    logits, loss, grads = forward_backward(model.double(), x, labels, w)
    float32_error = {key: rel_error(grads32[key], g) for key, g in grads.items()}
    for head, value in logits.items():
        float32_error[f"logits.{head}"] = rel_error(logits32[head], value)
    float32_error["loss"] = rel_error(loss32, loss)

    write_fixture(name, "scripts/make_unetpp_fixtures.py", config, training_bn, (x, labels, w), weights_tfjs,
                  {head: arr(value.transpose(0, 2, 3, 1)) for head, value in logits.items()}, loss, grads, float32_error)
    print(f"{name}: heads {list(logits)}, loss {float(loss):.6f}")


def parameters_per_level(config):
    """For each head, the parameters its output depends on (autograd reaches them): what pruning to that level keeps."""
    model = build({**config, "deepSupervision": True}).eval()
    x = torch.zeros(1, config["inputChannels"], 2 ** config["depth"], 2 ** config["depth"])
    levels = {}
    for level, logits in zip(model.head_columns, model(x)):
        model.zero_grad(set_to_none=True)
        logits.sum().backward(retain_graph=True)
        levels[f"L{level}"] = sum(p.numel() for p in model.parameters() if p.grad is not None)
    return {
        "config": config,
        "perLevel": levels,
        "fullWithDeepSupervision": sum(p.numel() for p in model.parameters()),
        "fullWithoutDeepSupervision": sum(p.numel() for p in build({**config, "deepSupervision": False}).parameters()),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    base = {"architecture": "unetpp", "padding": "same"}
    bn_ds = {**base, "depth": 2, "baseChannels": 4, "inputChannels": 2, "numClasses": 3, "dropoutRate": 0.0,
             "batchNorm": True, "tileSizePx": 16, "deepSupervision": True}
    plain_ds = {**base, "depth": 3, "baseChannels": 3, "inputChannels": 1, "numClasses": 2, "dropoutRate": 0.5,
                "batchNorm": False, "tileSizePx": 24, "deepSupervision": True}
    make_fixture("unetpp-same-bn-d2c4-ds", bn_ds, batch=2, seed=3, training_bn=True)
    make_fixture("unetpp-same-d3c3-ds", plain_ds, batch=2, seed=4, training_bn=False)

    reference = {**base, "depth": 4, "baseChannels": 32, "inputChannels": 1, "numClasses": 2, "dropoutRate": 0.5,
                 "batchNorm": False, "tileSizePx": 96, "deepSupervision": True}
    counts = {name: parameters_per_level(cfg) for name, cfg in
              (("tinyBatchNorm", bn_ds), ("tiny", plain_ds), ("reference", reference), ("referenceBatchNorm", {**reference, "batchNorm": True}))}
    counts["generator"] = "scripts/make_unetpp_fixtures.py (PyTorch %s)" % torch.__version__
    (OUT / "unetpp-parameters.json").write_text(json.dumps(counts, indent=2) + "\n")
    print(json.dumps({k: v["perLevel"] for k, v in counts.items() if k != "generator"}))


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
