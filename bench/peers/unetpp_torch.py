#!/usr/bin/python3
"""PyTorch CPU peers for the UNet++ pruning rows of `npm run bench` (bench/cases/unetpp.ts): the forward pass
and softmax of a UNet++ (scripts/make_unetpp_fixtures.py's independent TorchUNetPlusPlus) at widths 32-512,
256 px, pruned to each level (a depth-L UNet++ with one head), the full network with deep supervision (the
mean of its heads' softmax), and the same-width same-padded U-Net. Prints {case_id: median_ms} as JSON."""
import json
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
from make_unet_fixtures import TorchUNet  # noqa: E402
from make_unetpp_fixtures import TorchUNetPlusPlus  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from timing import median_ms, on_one_and_two_threads  # noqa: E402

TILE = 256


def probabilities(model, x):
    out = model(x)
    heads = out if isinstance(out, list) else [out]
    return torch.stack([torch.softmax(h, 1) for h in heads]).mean(0)


def forward_ms(model, reps=3):
    x = torch.randn(1, 1, TILE, TILE)
    model.eval()
    with torch.no_grad():
        return median_ms(lambda: probabilities(model, x), reps)


def rows():
    results = {"unetpp-full-forward": forward_ms(TorchUNetPlusPlus(4, 32, 1, 2, 0.0, False, True))}
    for level in (1, 2, 3, 4):
        results[f"unetpp-L{level}-forward"] = forward_ms(TorchUNetPlusPlus(level, 32, 1, 2, 0.0, False, False))
    results["unetpp-unet-same-32-forward"] = forward_ms(TorchUNet(4, 32, "same", 1, 2, 0.0, False))
    return results


def main():
    print(json.dumps(on_one_and_two_threads(rows)))

if __name__ == "__main__":
    main()
