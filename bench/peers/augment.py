#!/usr/bin/python3
"""Peer timings for bench/cases/augment.ts, with SciPy: prints {"elastic-warp-512": median_ms} as JSON.

The same work as ours: a 3x3 grid of N(0, 10^2) displacement vectors upsampled to 512x512 by cubic
B-spline (scipy.ndimage.zoom, order=3, grid_mode=False: control points on the corners and centre lines),
then map_coordinates with mode='mirror': order 3 (with its spline prefilter) for the float32 image,
order 0 for the int32 labels, order 1 for the float32 weights. Median of 10 runs after one warm-up.

Run with Debian's interpreter: /usr/bin/python3 bench/peers/augment.py
"""
import json
import time

import numpy as np
from scipy import ndimage

SIZE = 512
RUNS = 10


def make_sample():
    rng = np.random.default_rng(2015)
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    image = (0.5 + 0.25 * np.sin(x / 9) * np.cos(y / 13) + 0.1 * rng.random((SIZE, SIZE))).astype(np.float32)
    labels = (image > 0.5).astype(np.int32)
    weights = np.where(labels == 1, 1, 3).astype(np.float32)
    return image, labels, weights


def elastic_warp(image, labels, weights, rng, grid_y, grid_x):
    grid = rng.normal(0, 10, (2, 3, 3))
    zoom = (SIZE / 3, SIZE / 3)
    dy = ndimage.zoom(grid[0], zoom, order=3, mode="mirror", grid_mode=False)
    dx = ndimage.zoom(grid[1], zoom, order=3, mode="mirror", grid_mode=False)
    coords = np.stack([grid_y + dy, grid_x + dx])
    return (
        ndimage.map_coordinates(image, coords, order=3, mode="mirror"),
        ndimage.map_coordinates(labels, coords, order=0, mode="mirror"),
        ndimage.map_coordinates(weights, coords, order=1, mode="mirror"),
    )


def main():
    image, labels, weights = make_sample()
    grid_y, grid_x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    rng = np.random.default_rng(0)
    elastic_warp(image, labels, weights, rng, grid_y, grid_x)  # warm-up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        elastic_warp(image, labels, weights, rng, grid_y, grid_x)
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"elastic-warp-512": float(np.median(times))}))


if __name__ == "__main__":
    main()
