#!/usr/bin/python3
"""A third-party bioimage.io model package for the studio's import tests (run with Debian's python3-torch).

The network is deliberately NOT built like the studio's U-Net: its own layer names, one conv per level,
LeakyReLU, nearest upsampling instead of transposed convs, batch norm in the stem only, 'same' padding and
one output channel of logits (the sigmoid is rdf.yaml's postprocessing, as the bioimage.io zoo's
unet2d_nuclei_broad does). It is trained for a few hundred steps on synthetic bright blobs so that it
finds nuclei-like objects (the e2e and screenshot predict real DSB 2018 nuclei with it).

Writes two packages, as the zoo writes them:
  thirdparty-0.5/: rdf.yaml in format 0.5 (axes as objects, zero_mean_unit_variance, size min/step, halo)
  thirdparty-0.4/: rdf.yaml in format 0.4 (axes 'bcyx', shape {min, step}, scale_range per_sample)
each with weights.onnx (torch.onnx.export, opset 13), test_input.npy (raw) and test_output.npy (after the
preprocessing, the network and the sigmoid, in float64 then stored as float32).
The halo is measured here, not guessed: the largest distance at which an input change moves an output.
"""
import hashlib
import io
import pathlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "core" / "bioimageioImport" / "fixtures"
TEST_SHAPE = (1, 1, 128, 96)  # b, c, y, x: not square, so y and x cannot be mixed up unnoticed
MIN_PX, STEP_PX = 32, 16


class BlobNet(nn.Module):
    """A small encoder-decoder: stem (conv, BN, LeakyReLU), two pooled levels, nearest upsampling, 1x1 head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.LeakyReLU(0.1))
        self.down1 = nn.Conv2d(8, 16, 3, padding=1)
        self.down2 = nn.Conv2d(16, 16, 3, padding=1)
        self.up1 = nn.Conv2d(32, 8, 3, padding=1)
        self.up0 = nn.Conv2d(16, 8, 3, padding=1)
        self.logits = nn.Conv2d(8, 1, 1)

    def forward(self, raw):
        s = self.stem(raw)
        d1 = F.leaky_relu(self.down1(F.max_pool2d(s, 2)), 0.1)
        d2 = F.leaky_relu(self.down2(F.max_pool2d(d1, 2)), 0.1)
        u1 = F.leaky_relu(self.up1(torch.cat([F.interpolate(d2, scale_factor=2.0, mode="nearest"), d1], 1)), 0.1)
        u0 = F.leaky_relu(self.up0(torch.cat([F.interpolate(u1, scale_factor=2.0, mode="nearest"), s], 1)), 0.1)
        return self.logits(u0)


def blob_image(rng, height, width):
    """Bright round blobs of varied size on a dim, noisy, unevenly lit background; raw counts like a 16-bit camera."""
    yy, xx = np.mgrid[0:height, 0:width]
    mask = np.zeros((height, width), bool)
    for _ in range(rng.integers(2, 7)):
        cy, cx, r = rng.uniform(0, height), rng.uniform(0, width), rng.uniform(4, 11)
        mask |= (yy - cy) ** 2 + (xx - cx) ** 2 < r ** 2
    background = 200 + 80 * np.sin(xx / 23.0) * np.cos(yy / 31.0)
    image = background + rng.uniform(400, 2500) * mask + rng.normal(0, 40, (height, width))
    return image.astype(np.float64), mask


def zero_mean_unit_variance(x, eps=1e-6):
    return (x - x.mean()) / (x.std() + eps)  # population std, over y and x of the one channel (bioimage.io's per-sample)


def scale_range(x, low_pct, high_pct, eps=1e-6):
    low, high = np.percentile(x, [low_pct, high_pct])  # NumPy's linear interpolation, as bioimage.io
    return (x - low) / (high - low + eps)


def train(net, rng):
    optimiser = torch.optim.Adam(net.parameters(), lr=3e-3)
    for _ in range(400):
        images, masks = zip(*(blob_image(rng, 64, 64) for _ in range(4)))
        # Either normalisation: the 0.5 package uses one, the 0.4 package the other.
        norm = [zero_mean_unit_variance(i) if k % 2 == 0 else scale_range(i, 1, 99.8) for k, i in enumerate(images)]
        x = torch.tensor(np.stack(norm)[:, None], dtype=torch.float32)
        y = torch.tensor(np.stack(masks)[:, None], dtype=torch.float32)
        loss = F.binary_cross_entropy_with_logits(net(x), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    print(f"training loss after 400 steps: {loss.item():.4f}")


def measured_halo(net):
    """The farthest an input pixel reaches into the output, over every offset on the 4 px pooling grid."""
    net64 = net.double()
    reach = 0
    for oy in range(4):
        for ox in range(4):
            x = torch.zeros(1, 1, 96, 96, dtype=torch.float64, requires_grad=True)
            net64(x)[0, 0, 48 + oy, 48 + ox].backward()
            ys, xs = np.nonzero(x.grad[0, 0].numpy())
            reach = max(reach, abs(ys - 48 - oy).max(), abs(xs - 48 - ox).max())
    return int(reach)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def common_description(files):
    return {
        "name": "BlobNet 2D nuclei (third-party test model)",
        "description": "A small encoder-decoder for bright nuclei, made by U-Net Studio's test suite to stand for a model from the bioimage.io zoo.",
        "authors": [{"name": "Test Author", "affiliation": "Example Lab"}],
        "cite": [{"text": "Ronneberger et al. U-Net. MICCAI 2015.", "doi": "10.1007/978-3-319-24574-4_28"}],
        "license": "MIT",
        "documentation": "README.md",
        "tags": ["2d", "fluorescence-light-microscopy", "nuclei", "semantic-segmentation", "onnx"],
        "timestamp": "2026-01-15T10:00:00+00:00",
    }


def rdf_05(files, halo):
    return {
        **common_description(files),
        "type": "model",
        "format_version": "0.5.7",
        "inputs": [{
            "id": "raw",
            "description": "raw fluorescence intensities, one channel",
            "axes": [
                {"type": "batch"},
                {"type": "channel", "channel_names": ["nuclei"]},
                {"type": "space", "id": "y", "size": {"min": MIN_PX, "step": STEP_PX}},
                {"type": "space", "id": "x", "size": {"min": MIN_PX, "step": STEP_PX}},
            ],
            "test_tensor": {"source": "test_input.npy", "sha256": sha256(files["test_input.npy"])},
            "data": {"type": "float32"},
            "preprocessing": [
                {"id": "ensure_dtype", "kwargs": {"dtype": "float32"}},
                {"id": "zero_mean_unit_variance", "kwargs": {"axes": ["y", "x"], "eps": 1e-6}},
            ],
        }],
        "outputs": [{
            "id": "probability",
            "description": "foreground (nucleus) probability",
            "axes": [
                {"type": "batch"},
                {"type": "channel", "channel_names": ["nucleus"]},
                {"type": "space", "id": "y", "size": {"tensor_id": "raw", "axis_id": "y"}, "halo": halo},
                {"type": "space", "id": "x", "size": {"tensor_id": "raw", "axis_id": "x"}, "halo": halo},
            ],
            "test_tensor": {"source": "test_output.npy", "sha256": sha256(files["test_output.npy"])},
            "data": {"type": "float32", "range": [0.0, 1.0]},
            "postprocessing": [{"id": "sigmoid"}, {"id": "ensure_dtype", "kwargs": {"dtype": "float32"}}],
        }],
        "weights": {"onnx": {"source": "weights.onnx", "sha256": sha256(files["weights.onnx"]), "opset_version": 13}},
    }


def rdf_04(files, halo):
    return {
        **common_description(files),
        "type": "model",
        "format_version": "0.4.10",
        "inputs": [{
            "name": "raw",
            "axes": "bcyx",
            "data_type": "float32",
            "shape": {"min": [1, 1, MIN_PX, MIN_PX], "step": [0, 0, STEP_PX, STEP_PX]},
            "preprocessing": [{"name": "scale_range", "kwargs": {"mode": "per_sample", "axes": "xy", "min_percentile": 1.0, "max_percentile": 99.8, "eps": 1e-6}}],
        }],
        "outputs": [{
            "name": "probability",
            "axes": "bcyx",
            "data_type": "float32",
            "data_range": [0.0, 1.0],
            "halo": [0, 0, halo, halo],
            "shape": {"reference_tensor": "raw", "scale": [1.0, 1.0, 1.0, 1.0], "offset": [0.0, 0.0, 0.0, 0.0]},
            "postprocessing": [{"name": "sigmoid"}],
        }],
        "test_inputs": ["test_input.npy"],
        "test_outputs": ["test_output.npy"],
        "weights": {"onnx": {"source": "weights.onnx", "sha256": sha256(files["weights.onnx"]), "opset_version": 13}},
    }


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array.astype(np.float32))
    return buffer.getvalue()


def main():
    torch.manual_seed(7)
    rng = np.random.default_rng(7)
    net = BlobNet()
    train(net, rng)
    net.eval()
    halo = measured_halo(net)
    halo = -(-halo // 4) * 4  # up to the pooling grid, so tiles stay aligned
    print(f"measured reach {halo} px (halo, rounded up to the 4 px grid)")

    onnx_buffer = io.BytesIO()
    net32 = BlobNet()
    net32.load_state_dict({k: v.float() for k, v in net.state_dict().items()})
    net32.eval()
    torch.onnx.export(net32, torch.zeros(1, 1, 64, 64), onnx_buffer, opset_version=13, input_names=["raw_image"], output_names=["nucleus_logits"],
                      dynamic_axes={"raw_image": {0: "batch", 2: "height", 3: "width"}, "nucleus_logits": {0: "batch", 2: "height", 3: "width"}})
    weights = onnx_buffer.getvalue()

    raw, _ = blob_image(np.random.default_rng(11), TEST_SHAPE[2], TEST_SHAPE[3])
    raw = np.round(raw).astype(np.float32).astype(np.float64)  # what test_input.npy stores, exactly
    net64 = net.double()
    for variant, normalise, describe in [("0.5", zero_mean_unit_variance, rdf_05), ("0.4", lambda x: scale_range(x, 1.0, 99.8), rdf_04)]:
        with torch.no_grad():
            output = torch.sigmoid(net64(torch.tensor(normalise(raw)[None, None]))).numpy()
        files = {"weights.onnx": weights, "test_input.npy": npy_bytes(raw[None, None]), "test_output.npy": npy_bytes(output)}
        folder = OUT / f"thirdparty-{variant}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        rdf = describe(files, halo)
        (folder / "rdf.yaml").write_text(yaml.safe_dump(rdf, sort_keys=False, allow_unicode=True))
        (folder / "README.md").write_text(f"# {rdf['name']}\n\n{rdf['description']}\n\nMade by scripts/make_bioimageio_import_fixtures.py.\n")
        print(f"{folder}: {sum(len(d) for d in files.values())} bytes, output mean {output.mean():.4f}")


if __name__ == "__main__":
    main()
