"""Turn a drawing (or a photo of one) into a 28x28 image prepared the way MNIST's were.

MNIST's digits were scaled, keeping their aspect ratio, to fit a 20x20 box with antialiasing,
then placed in a 28x28 field with their centre of mass at the centre. A network trained on
them reads a digit well only if it arrives the same way, whatever size or place it was drawn.
"""

import functools
from typing import NamedTuple

import numpy as np

from nndraw.errors import DataFileError

SIDE = 28
BOX = 20
# MNIST's mean centre of mass, in row/column index coordinates (measured on the training set).
CENTRE = 14.0


class Stages(NamedTuple):
    """Each step from ink to network input, kept so the window can show why centring matters."""

    crop: np.ndarray    # the ink's bounding box, at the drawing's resolution
    box: np.ndarray     # scaled so the longer side is 20 pixels
    offset: tuple       # (row, column) where `box` sits in the 28x28 field
    image: np.ndarray   # the 28x28 the network sees


@functools.lru_cache(maxsize=512)
def _resample_matrix(n_in, n_out):
    """(n_out, n_in) weights of a tent filter whose width grows with the shrink factor, so a
    downscale averages every input pixel it covers (antialiasing) and an upscale interpolates
    linearly. Cached: a canvas asks for the same few sizes on every mouse move."""
    scale = n_in / n_out
    support = max(scale, 1.0)
    centres = (np.arange(n_out) + 0.5) * scale
    positions = np.arange(n_in) + 0.5
    weights = np.maximum(0.0, 1.0 - np.abs(positions[None, :] - centres[:, None]) / support)
    weights /= weights.sum(axis=1, keepdims=True)
    weights.setflags(write=False)
    return weights.astype(np.float32)


def resize(image, rows, cols):
    """`image` resampled to (rows, cols) with the antialiasing filter above."""
    return _resample_matrix(image.shape[0], rows) @ image @ _resample_matrix(image.shape[1], cols).T


def mnist_stages(ink):
    """All the stages for a 2-D array of ink (1.0 = ink, 0.0 = paper), of any size.
    A blank input gives empty stages and an all-zero image."""
    ink = np.asarray(ink, dtype=np.float32)
    if ink.ndim != 2 or 0 in ink.shape:
        raise ValueError(f"expected a 2-D array of ink, got shape {ink.shape}")
    image = np.zeros((SIDE, SIDE), np.float32)
    rows = np.flatnonzero(ink.max(axis=1) > 0)
    if rows.size == 0:
        empty = np.zeros((0, 0), np.float32)
        return Stages(empty, empty, (0, 0), image)
    cols = np.flatnonzero(ink.max(axis=0) > 0)
    crop = np.clip(ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1], 0.0, 1.0)
    h, w = crop.shape
    scale = BOX / max(h, w)
    box = np.clip(resize(crop, max(1, round(h * scale)), max(1, round(w * scale))), 0.0, 1.0)
    mass = box.sum()
    com_row = box.sum(axis=1) @ np.arange(box.shape[0]) / mass
    com_col = box.sum(axis=0) @ np.arange(box.shape[1]) / mass
    # Shift so the centre of mass lands on MNIST's, but never push ink out of the field.
    top = int(np.clip(round(CENTRE - com_row), 0, SIDE - box.shape[0]))
    left = int(np.clip(round(CENTRE - com_col), 0, SIDE - box.shape[1]))
    image[top:top + box.shape[0], left:left + box.shape[1]] = box
    return Stages(crop, box, (top, left), image)


def to_mnist(ink):
    """A 28x28 float32 image, MNIST-style, from a 2-D array of ink of any size."""
    return mnist_stages(ink).image


def ink_from_gray(gray):
    """Ink in [0, 1] from a grayscale picture in [0, 1] (1 = white) of either polarity.

    A photo or scan of dark ink on light paper has a light border: it is inverted. The paper's
    own level (its grain, uneven light) is then subtracted and the strokes stretched to full
    strength, so only the writing counts as ink.
    """
    gray = np.asarray(gray, dtype=np.float32)
    if gray.ndim != 2 or 0 in gray.shape:
        raise DataFileError(f"expected a 2-D grayscale image, got shape {gray.shape}")
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    ink = 1.0 - gray if np.median(border) > 0.5 else gray
    paper = float(np.median(ink))
    strongest = float(np.percentile(ink, 99.5))
    if strongest - paper < 0.1:  # no contrast: nothing is written here
        return np.zeros_like(ink)
    grain = 1.4826 * float(np.median(np.abs(ink - paper)))  # the paper's noise, robustly
    threshold = paper + max(0.25 * (strongest - paper), 5 * grain)
    return np.clip((ink - threshold) / (strongest - threshold), 0.0, 1.0)
