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


# The paper's level is estimated on a copy at most this many pixels on its longer side, with
# a median over a window this fraction of the shorter side: much wider than a pen stroke, so
# the strokes do not count, while a median keeps a shadow's edge where it is.
# 0.8, not 0.4: in a photographed number the shorter side is one digit's height, and a window
# 0.4 of it hollowed thick strokes out (generated numbers of MNIST *training* digits 50,000 on,
# on paper: 89 % read exactly at 0.4, 94.5 % at 0.6 to 1.0; 1.0 loses a hard shadow's edge).
_PAPER_GRID = 64
_PAPER_WINDOW = 0.8
# Light that varies less than this over the page is even: one level for the whole page.
_EVEN_LIGHT = 0.05
_PLAIN_SHARE = 0.3   # of the pixels at one exact level: a drawing's ground, not a photo's paper


def _drawn(gray):
    """True for a picture made on a computer (a drawing, an MNIST digit): much of it is one
    exact level, with none of a photo's grain. Its ground needs no local estimate, and one
    would hurt it: in a small picture a window the size of the strokes hollows them out."""
    levels = np.round(gray * 255).astype(np.int64).ravel()
    return np.bincount(levels, minlength=256).max() >= _PLAIN_SHARE * levels.size


def _ink_on_plain_ground(gray):
    """Ink from a drawn picture: the ground is its most common level (dark ink on light is
    inverted), and the strokes, antialiased edges and all, are stretched to full strength."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    ink = 1.0 - gray if np.median(border) > 0.5 else gray
    ground = float(np.median(ink))
    strongest = float(np.percentile(ink, 99.5))
    if strongest - ground < 0.1:  # no contrast: nothing is written here
        return np.zeros_like(ink)
    return np.clip((ink - ground) / (strongest - ground), 0.0, 1.0)


def _local_percentile(values, percent=50):
    """A wide median (or other percentile) of a small copy of `values`, resized back: the
    page's own level at every pixel, without the writing. Follows gradients and shadows (a
    median keeps their edges)."""
    from scipy import ndimage

    h, w = values.shape
    step = -(-max(h, w) // _PAPER_GRID)
    small = values[::step, ::step]  # sampled, not averaged: averaging would hide the grain
    size = max(3, int(_PAPER_WINDOW * min(small.shape)) | 1)
    level = ndimage.percentile_filter(small, percent, size=size, mode="reflect")
    return resize(level, h, w) if level.shape != values.shape else level


def ink_from_gray(gray):
    """Ink in [0, 1] from a grayscale picture in [0, 1] (1 = white) of either polarity.

    The paper's level is estimated at every pixel (a photo's light is rarely even: gradients,
    a hand's shadow) and the writing is what stands out from it, in proportion to the light
    there: dark ink on light paper or light strokes on a dark ground, whichever stands out
    further. Only what stands out clearly from the paper's local grain counts; the strokes
    are then stretched to full strength.
    """
    gray = np.asarray(gray, dtype=np.float32)
    if gray.ndim != 2 or 0 in gray.shape:
        raise DataFileError(f"expected a 2-D grayscale image, got shape {gray.shape}")
    if _drawn(gray):
        return _ink_on_plain_ground(gray)
    level = _local_percentile(gray)
    if float(level.max() - level.min()) < _EVEN_LIGHT:
        level = np.full_like(gray, np.median(gray))
    # Ink as a share of what the paper could show there: a shadow dims paper and ink alike,
    # so dark ink is measured against the local paper's brightness (light strokes on a dark
    # ground against the room left above it).
    raw = gray - level
    darkest, lightest = np.percentile(raw, [0.5, 99.5])
    if -darkest > lightest:
        ink, contrast = -raw / np.maximum(level, 0.05), -raw
    else:
        ink, contrast = raw / np.maximum(1.0 - level, 0.05), raw
    # The paper's noise where it is: the lower quartile of |raw| is 0.32 sigma for Gaussian
    # noise, and stays on the paper even where strokes fill most of the window. (At least
    # half the page's typical grain, and 0.01: paper clipped to white shows none at all.)
    grain = _local_percentile(np.abs(raw), 25) / 0.3186
    grain = np.maximum(grain, max(0.5 * float(np.median(grain)), 0.01))  # few samples: noisy
    clear = contrast > np.maximum(5 * grain, 0.05)
    # A lone pixel is a speck of noise (it would move the crop); a stroke has neighbours.
    from scipy import ndimage
    neighbours = ndimage.uniform_filter(clear.astype(np.float32), 3, mode="constant") * 9
    clear &= neighbours >= 2.5
    strongest = float(np.percentile(ink, 99.5))
    if strongest < 0.1 or not clear.any():  # no contrast: nothing is written here
        return np.zeros_like(ink)
    threshold = 0.25 * strongest
    return np.clip((ink - threshold) / (strongest - threshold), 0.0, 1.0) * clear
