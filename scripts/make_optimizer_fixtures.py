#!/usr/bin/python3
"""Writes the PyTorch reference for the studio's optimisers (src/core/train/fixtures/optimizers.json).

torch.optim.Adam (eps 1e-7, tfjs's float32 epsilon) and torch.optim.SGD with momentum (no dampening,
no Nesterov: tfjs's MomentumOptimizer) run in float64 over a fixed sequence of gradients on two
weights. The fixture holds the initial weights, every step's gradients, and the weights after each
step, so src/core/train/fusedOptimizers.test.ts checks ours (and tfjs's) update by update. The
"...Cosine" runs add torch.optim.lr_scheduler.CosineAnnealingLR (T_max the steps, eta_min a hundredth of
the rate), stepped after each update: the studio's cosine schedule (learningRateSchedule.ts).

Run with Debian's interpreter: /usr/bin/python3 scripts/make_optimizer_fixtures.py
"""
import json
import math
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "core" / "train" / "fixtures" / "optimizers.json"
SIZES = {"kernel": 37, "bias": 5}
STEPS = 6


def initial(name, n):
    phase = 0.0 if name == "kernel" else 0.5
    return [math.cos(0.11 * i + phase) for i in range(n)]


def gradient(name, n, step):
    phase = 0.0 if name == "kernel" else 2.0
    return [math.sin(0.37 * i + 1.3 * step + phase) * (1 + 0.1 * step) for i in range(n)]


def run(make_optimizer, cosine=False):
    params = {name: torch.tensor(initial(name, n), dtype=torch.float64, requires_grad=True) for name, n in SIZES.items()}
    optimizer = make_optimizer(list(params.values()))
    lr = optimizer.param_groups[0]["lr"]
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=STEPS, eta_min=lr / 100) if cosine else None
    grads, after = [], []
    for step in range(STEPS):
        g = {name: gradient(name, n, step) for name, n in SIZES.items()}
        for name, p in params.items():
            p.grad = torch.tensor(g[name], dtype=torch.float64)
        optimizer.step()
        if scheduler:
            scheduler.step()
        grads.append(g)
        after.append({name: p.detach().tolist() for name, p in params.items()})
    return {"initial": {name: initial(name, n) for name, n in SIZES.items()}, "gradients": grads, "after": after}


fixture = {
    "source": "scripts/make_optimizer_fixtures.py (torch " + torch.__version__ + ", float64)",
    "adam": {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-7,
             **run(lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-7))},
    "momentum": {"learningRate": 0.01, "momentum": 0.99,
                 **run(lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.99))},
    "adamCosine": {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-7,
                   **run(lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-7), cosine=True)},
    "momentumCosine": {"learningRate": 0.01, "momentum": 0.99,
                       **run(lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.99), cosine=True)},
}
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(fixture) + "\n")
print(f"wrote {OUT}")
