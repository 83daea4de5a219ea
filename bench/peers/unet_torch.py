#!/usr/bin/python3
"""PyTorch CPU peers for the model rows of `npm run bench` (same layouts as src/core/model/buildUNet.ts,
built by scripts/make_unet_fixtures.py's independent TorchUNet). Prints {case_id: median_ms} as JSON."""
import json
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
from make_unet_fixtures import TorchUNet  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from timing import median_ms, on_one_and_two_threads, wanted  # noqa: E402


def training_step(model, x, out_shape):
    """One step of the bench's training rows as a closure: weighted cross-entropy, SGD momentum 0.99."""
    model.train()
    labels = torch.randint(0, 2, (x.shape[0], out_shape[2], out_shape[3]), device=x.device)
    weights = torch.ones(x.shape[0], out_shape[2], out_shape[3], device=x.device)
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.99)

    def step():
        opt.zero_grad()
        logp = torch.log_softmax(model(x), 1).gather(1, labels.unsqueeze(1)).squeeze(1)
        (-(weights * logp).sum() / weights.numel()).backward()
        opt.step()

    return step


def rows(prefix, model, tile, reps_forward, reps_train):
    if not wanted(f"{prefix}-forward") and not wanted(f"{prefix}-train-step"):
        return {}
    x = torch.randn(1, 1, tile, tile)
    model.eval()
    with torch.no_grad():
        out = model(x)
    results = {}
    if wanted(f"{prefix}-forward"):
        with torch.no_grad():
            results[f"{prefix}-forward"] = median_ms(lambda: model(x), reps_forward)
    if not wanted(f"{prefix}-train-step"):
        return results
    results[f"{prefix}-train-step"] = median_ms(training_step(model, x, out.shape), reps_train)
    return results


def all_rows():
    results = {}
    results.update(rows("fast-256", TorchUNet(4, 16, "same", 1, 2, 0.2, True), 256, 5, 5))
    # The fast network at a 64 px tile: the browser rows' size (bench/cases/browser.ts).
    results.update(rows("fast-64", TorchUNet(4, 16, "same", 1, 2, 0.2, True), 64, 5, 5))
    results.update(rows("paper-572", TorchUNet(4, 64, "valid", 1, 2, 0.5, False), 572, 3, 2))
    # The largest paper tile whose training step fits tfjs's 4 GiB wasm heap (src/core/train/trainingMemory.ts).
    results.update(rows("paper-524", TorchUNet(4, 64, "valid", 1, 2, 0.5, False), 524, 1, 2))
    return results


def main():
    # Ours runs on one thread in Node (tfjs-wasm is single-threaded there): the first peer is PyTorch on
    # one thread too, the same threads; two threads (this machine's cores) beside it, keys ending "@2".
    print(json.dumps(on_one_and_two_threads(all_rows)))

if __name__ == "__main__":
    main()
