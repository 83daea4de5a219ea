#!/usr/bin/python3
"""Reference fixtures for elastic warps and mirror padding (src/core/augment/fixtures/).

Independent references: scipy.ndimage.map_coordinates with mode='mirror' (order 3 with its
B-spline prefilter for images, order 0 for labels, order 1 for weights), scipy.ndimage.zoom
and map_coordinates for the coarse-grid upsampling, scipy.ndimage.rotate for small rotations,
numpy.pad(mode='reflect') and scipy mode='mirror' for mirror padding. Real data: a crop of ISBI 2012 training slice 0
(image and label) from ../shared/data.

Conventions the studio follows (and these fixtures pin down):
- Backward warps: out[y, x] = in[y + dy[y, x], x + dx[y, x]].
- Mirror without repeating the edge pixel: scipy mode='mirror' == numpy.pad mode='reflect'.
- Control point (i, j) of a G x G grid sits at pixel (j (W-1)/(G-1), i (H-1)/(G-1)); the dense field is
  the interpolating cubic B-spline through the grid (map_coordinates order=3, mode='mirror').

Run with Debian's interpreter: /usr/bin/python3 scripts/make_warp_fixtures.py
"""
import pathlib
import sys

import numpy as np
from PIL import Image
from scipy import ndimage

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fixtureio import write_bin_fixture  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "core" / "augment" / "fixtures"


def dense_from_grid(grid, height, width):
    """The studio's coarse-to-dense definition, via map_coordinates on the grid."""
    g = grid.shape[0]
    yy = (np.arange(height) * (g - 1)) / (height - 1) if height > 1 else np.zeros(height)
    xx = (np.arange(width) * (g - 1)) / (width - 1) if width > 1 else np.zeros(width)
    coords = np.meshgrid(yy, xx, indexing="ij")
    return ndimage.map_coordinates(grid, coords, order=3, mode="mirror")


def warp(plane, dx, dy, order):
    """map_coordinates of one 2-D plane at (y + dy, x + dx); the field is float32, the coordinates float64."""
    h, w = plane.shape
    yy, xx = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    coords = [yy + dy.astype(np.float64), xx + dx.astype(np.float64)]
    return ndimage.map_coordinates(plane, coords, order=order, mode="mirror")


def warp_all(image, labels, weights, dx, dy):
    if image.ndim == 3:
        warped = np.stack([warp(image[..., c], dx, dy, 3) for c in range(image.shape[2])], axis=-1)
    else:
        warped = warp(image, dx, dy, 3)
    return {
        "image_o3": warped.astype(np.float32),
        "labels_o0": warp(labels, dx, dy, 0).astype(np.int32),
        "weights_o1": warp(weights, dx, dy, 1).astype(np.float32),
    }


def grid_fixture(rng):
    arrays, cases = {}, []
    for g, sigma, sizes in [(3, 10.0, [(48, 64), (5, 7), (1, 6)]), (4, 6.0, [(17, 31)])]:
        gdx = rng.normal(0, sigma, (g, g))
        gdy = rng.normal(0, sigma, (g, g))
        arrays[f"grid{g}_dx"], arrays[f"grid{g}_dy"] = gdx, gdy
        for h, w in sizes:
            dense_dx, dense_dy = dense_from_grid(gdx, h, w), dense_from_grid(gdy, h, w)
            if h > 1 and w > 1:  # zoom(grid_mode=False) is the same definition: say how close it comes
                zoomed = ndimage.zoom(gdx, (h / g, w / g), order=3, mode="mirror", grid_mode=False)
                print(f"grid {g}x{g} -> {w}x{h}: |map_coordinates - zoom| max = {np.abs(zoomed - dense_dx).max():.2e}")
            arrays[f"dense{g}_{w}x{h}_dx"] = dense_dx.astype(np.float32)
            arrays[f"dense{g}_{w}x{h}_dy"] = dense_dy.astype(np.float32)
            cases.append({"gridSize": g, "width": w, "height": h})
    write_bin_fixture(OUT / "grid-upsample", arrays, {"cases": cases, "source": "random grids, numpy default_rng(2015)"})


def random_fixture(rng):
    """A noisy field with far excursions (several mirror folds), exact integers and exact .5 ties."""
    h, w = 32, 40
    image = rng.uniform(0, 1, (h, w)).astype(np.float32)
    labels = rng.integers(-1, 3, (h, w)).astype(np.int32)
    weights = rng.uniform(0, 10, (h, w)).astype(np.float32)
    smooth_dx = dense_from_grid(rng.normal(0, 15, (3, 3)), h, w)
    smooth_dy = dense_from_grid(rng.normal(0, 15, (3, 3)), h, w)
    dx = (smooth_dx + rng.uniform(-3, 3, (h, w))).astype(np.float32)
    dy = (smooth_dy + rng.uniform(-3, 3, (h, w))).astype(np.float32)
    dx[0, :10] = [-200.25, 173.5, -81.0, 95.0, -0.5, 0.5, 39.5, -40.5, 1e-7, -1e-7]
    dy[0, :10] = [311.75, -0.5, 62.0, -63.5, 0.5, 31.5, 0.0, -1.0, 0.0, 0.0]
    dx[5, 5:9], dy[5, 5:9] = [0.5, -0.5, 2.5, 0.0], [0.0, 0.5, -2.5, 1.5]
    arrays = {"image": image, "labels": labels, "weights": weights, "dx": dx, "dy": dy}
    arrays.update(warp_all(image, labels, weights, dx, dy))
    write_bin_fixture(OUT / "warp-random-40x32", arrays, {"width": w, "height": h, "channels": 1, "source": "uniform noise, numpy default_rng(2015)"})


def rgb_fixture(rng):
    h, w = 20, 24
    image = rng.uniform(0, 1, (h, w, 3)).astype(np.float32)
    labels = rng.integers(0, 4, (h, w)).astype(np.int32)
    weights = rng.uniform(0, 1, (h, w)).astype(np.float32)
    dx = rng.uniform(-30, 30, (h, w)).astype(np.float32)
    dy = rng.uniform(-30, 30, (h, w)).astype(np.float32)
    arrays = {"image": image, "labels": labels, "weights": weights, "dx": dx, "dy": dy}
    arrays.update(warp_all(image, labels, weights, dx, dy))
    write_bin_fixture(OUT / "warp-rgb-24x20", arrays, {"width": w, "height": h, "channels": 3, "source": "uniform noise, 3 interleaved channels"})


def isbi_fixture(rng):
    y, x, size = 200, 300, 64
    image = np.array(Image.open(DATA / "isbi2012" / "png" / "train" / "image" / "0.png"))[y : y + size, x : x + size]
    raw = np.array(Image.open(DATA / "isbi2012" / "png" / "train" / "label" / "0.png"))[y : y + size, x : x + size]
    image = (image.astype(np.float32) / 255).astype(np.float32)
    labels = (raw == 255).astype(np.int32)  # white = cell = class 1
    weights = (1 + 9 * ndimage.gaussian_filter((labels == 0).astype(np.float64), 2)).astype(np.float32)
    gdx, gdy = rng.normal(0, 10, (3, 3)), rng.normal(0, 10, (3, 3))
    dx = dense_from_grid(gdx, size, size).astype(np.float32)
    dy = dense_from_grid(gdy, size, size).astype(np.float32)
    arrays = {"image": image, "labels": labels, "weights": weights, "grid_dx": gdx, "grid_dy": gdy, "dx": dx, "dy": dy}
    arrays.update(warp_all(image, labels, weights, dx, dy))
    angle = 17.0
    arrays["rotated17_o3"] = ndimage.rotate(image.astype(np.float64), angle, reshape=False, order=3, mode="mirror").astype(np.float32)
    meta = {"width": size, "height": size, "channels": 1, "rotationDeg": angle,
            "source": f"isbi2012 train image/label 0 [{y}:{y + size}, {x}:{x + size}], paper field (3x3, sigma 10 px)"}
    write_bin_fixture(OUT / "warp-isbi-64", arrays, meta)


def mirror_window(plane, pads):
    """Pure mirror extension (period 2n - 2) via scipy's mode='mirror' at whole-pixel coordinates."""
    (top, bottom), (left, right) = pads
    h, w = plane.shape
    yy, xx = np.meshgrid(np.arange(-top, h + bottom, dtype=np.float64), np.arange(-left, w + right, dtype=np.float64), indexing="ij")
    return ndimage.map_coordinates(plane, [yy, xx], order=0, mode="mirror")


def pad_fixture():
    """numpy.pad(mode='reflect') is the same mirror while each pad is < n or the pads are symmetric; for larger,
    asymmetric pads it reflects the already-padded array (e.g. [0..6] padded (2, 30) repeats '2 1 0 1 2'), which
    is not a mirror of the image plane, so those cases take scipy's mode='mirror' as the reference."""
    grey = np.arange(5 * 7, dtype=np.int32).reshape(5, 7)
    rgb = np.arange(4 * 3 * 3, dtype=np.float32).reshape(4, 3, 3) / 10
    line = np.array([[5, 6, 7, 8]], dtype=np.int32)
    cases = {
        "grey_symmetric": (grey, ((23, 23), (30, 30)), "numpy"),
        "grey_asymmetric": (grey, ((23, 11), (2, 30)), "scipy"),
        "rgb": (rgb, ((9, 1), (0, 13)), "scipy"),
        "line": (line, ((3, 2), (9, 0)), "numpy"),
    }
    arrays, meta = {}, {}
    for name, (src, pads, reference) in cases.items():
        if reference == "numpy":
            padded = np.pad(src, pads + ((0, 0),) * (src.ndim - 2), mode="reflect")
        elif src.ndim == 3:
            padded = np.stack([mirror_window(src[..., c], pads) for c in range(src.shape[2])], axis=-1).astype(src.dtype)
        else:
            padded = mirror_window(src, pads).astype(src.dtype)
        numpy_agrees = bool(np.array_equal(padded, np.pad(src, pads + ((0, 0),) * (src.ndim - 2), mode="reflect")))
        print(f"mirror pad {name}: reference {reference}, numpy.pad reflect agrees: {numpy_agrees}")
        arrays[name], arrays[f"{name}_padded"] = src, padded
        (t, b), (left, r) = pads
        meta[name] = {"top": t, "bottom": b, "left": left, "right": r, "reference": reference}
    write_bin_fixture(OUT / "mirror-pad", arrays, {"pads": meta, "source": "numpy.pad mode='reflect' / scipy mode='mirror'"})


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2015)
    grid_fixture(rng)
    random_fixture(rng)
    rgb_fixture(rng)
    isbi_fixture(rng)
    pad_fixture()
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {OUT.relative_to(ROOT)} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
