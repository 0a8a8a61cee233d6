"""Pen strokes painted into a numpy array, without Qt, so generated marks and digits can be
made anywhere (tests, benchmarks, training the judge). A pixel's ink is how far it lies inside
the stroke's half-width, antialiased over one pixel, like the canvas's round-capped pen."""

import numpy as np


def _segments(polyline):
    points = np.asarray(polyline, np.float32).reshape(-1, 2)
    if len(points) == 1:
        points = np.concatenate([points, points])
    return points[:-1], points[1:]


def paint(ink, polyline, width):
    """Paint one stroke through `polyline` ((x, y) points in pixels) with a round pen of
    `width` pixels into `ink` (2-D float32, changed in place); returns `ink`."""
    starts, ends = _segments(polyline)
    radius = width / 2
    lo = np.floor(np.minimum(starts, ends).min(axis=0) - radius - 1).astype(int)
    hi = np.ceil(np.maximum(starts, ends).max(axis=0) + radius + 2).astype(int)
    x0, y0 = max(lo[0], 0), max(lo[1], 0)
    x1, y1 = min(hi[0], ink.shape[1]), min(hi[1], ink.shape[0])
    if x0 >= x1 or y0 >= y1:
        return ink
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    pixels = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1)        # (P, 2)
    nearest = np.full(len(pixels), np.inf, np.float32)
    for start, end in zip(starts, ends):    # one segment at a time keeps memory small
        along = end - start
        length2 = float(along @ along)
        t = np.zeros(len(pixels), np.float32) if length2 == 0 else \
            np.clip((pixels - start) @ along / length2, 0.0, 1.0)
        gap = pixels - (start + t[:, None] * along)
        np.minimum(nearest, np.sqrt((gap * gap).sum(axis=1)), out=nearest)
    level = np.clip(radius + 0.5 - nearest, 0.0, 1.0).reshape(ys.shape)
    region = ink[y0:y1, x0:x1]
    np.maximum(region, level, out=region)
    return ink


def render(strokes, size, width):
    """A (size, size) float32 ink array with each polyline of `strokes`, given in fractions of
    the side (0..1), painted with a pen `width` pixels wide."""
    ink = np.zeros((size, size), np.float32)
    for stroke in strokes:
        paint(ink, np.asarray(stroke, np.float32) * size, width)
    return ink
