#!/usr/bin/env python3
"""PyTorch CUDA peers for the GPU bench's model rows (bench/gpu, docs/gpu-bench.md), run on the same GPU.

The same networks as bench/peers/unet_torch.py (scripts/make_unet_fixtures.py's independent TorchUNet), timed
with CUDA synchronised around each call, cudnn.benchmark on (what a PyTorch user runs). Two precisions: "fp32"
(TF32 off: full float32 like tfjs's WebGPU backend) and "tf32" (PyTorch's default for convolutions on Ampere and
later, tensor cores with 10-bit mantissas), keys ending "@fp32" / "@tf32". Prints {key: median_ms} as JSON and
writes it to argv[1] when given. Also the GPU's float32 matrix-product rate, "fp32-matmul-tflops", the ceiling
that the training step's GFLOP/s is read against. Not in `npm run bench`: this needs a CUDA GPU (the device tool's machines)."""
import json
import os
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
from make_unet_fixtures import TorchUNet  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from unet_torch import training_step  # noqa: E402
import timing  # noqa: E402

DEVICE = os.environ.get("PEER_DEVICE", "cuda")  # "cpu" only to check this script on a machine without a GPU


def sync():
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def median_ms(fn, reps):
    """timing.median_ms with CUDA synchronised after each call (the work is asynchronous) and one more
    warm-up first, for cudnn.benchmark's algorithm search."""
    def synced():
        fn()
        sync()

    synced()
    return timing.median_ms(synced, reps)


def rows(prefix, model, tile, batch=1, train_only=False):
    x = torch.randn(batch, 1, tile, tile, device=DEVICE)
    model = model.to(DEVICE)
    model.eval()
    with torch.no_grad():
        out = model(x)
        forward = median_ms(lambda: model(x).softmax(1).cpu(), 10)  # softmax and read-back, as the bench's rows
    results = {} if train_only else {f"{prefix}-forward": forward}
    if batch > 1 and not train_only:
        return results
    results[f"{prefix}-train-step"] = median_ms(training_step(model, x, out.shape), 10)
    return results


def matmul_tflops(n=8192):
    """The GPU's measured float32 ceiling (TF32 off): an n x n x n matrix product on random data."""
    a, b = torch.randn(n, n, device=DEVICE), torch.randn(n, n, device=DEVICE)
    return 2 * n**3 / median_ms(lambda: a @ b, 10) / 1e9


def main():
    torch.backends.cudnn.benchmark = True
    results = {"device": torch.cuda.get_device_name(0) if DEVICE == "cuda" else DEVICE, "torch": torch.__version__}
    torch.backends.cuda.matmul.allow_tf32 = False
    results["fp32-matmul-tflops"] = matmul_tflops(8192 if DEVICE == "cuda" else 512)
    for precision in ("fp32", "tf32"):
        torch.backends.cudnn.allow_tf32 = precision == "tf32"
        torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
        torch.manual_seed(0)
        results.update({f"{key}@{precision}": ms for key, ms in all_rows().items()})
    text = json.dumps(results, indent=1)
    print(text)
    if len(sys.argv) > 1:
        pathlib.Path(sys.argv[1]).write_text(text + "\n")


if __name__ == "__main__":
    main()
