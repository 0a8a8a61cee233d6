"""Generated pictures of numbers, 2 to 5 digits written left to right, to measure reading.

Each digit is a real handwritten digit (pass MNIST's *test* images to measure, never the ones a
model learned from), cropped to its ink and scaled to its own height around the number's, set
on its own baseline, with gaps that vary but never let two digits touch. Two ink styles:
"screen" gives white-on-black ink like the canvas; "paper" gives a grayscale photo of dark ink
on light paper, with uneven light and grain, for `ink_from_gray` to find.
"""

from typing import NamedTuple

import numpy as np

from nndraw.data.preprocess import resize

STYLES = ("screen", "paper")


class GeneratedNumber(NamedTuple):
    image: np.ndarray   # float32: ink (1 = ink) for "screen", gray (1 = white) for "paper"
    text: str           # the digits written, e.g. "2026"
    boxes: list         # each digit's (top, left, bottom, right) in the image


def _crop(digit):
    image = digit.reshape(28, 28)
    rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    return image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def on_paper(ink, rng):
    """A photo of `ink` written in dark ink on light paper: uneven light, grain, soft edges."""
    h, w = ink.shape
    paper = rng.uniform(0.7, 0.95)
    ys, xs = np.mgrid[0:h, 0:w] / max(h, w)
    light = paper + rng.uniform(-0.12, 0.12) * (xs - 0.5) + rng.uniform(-0.12, 0.12) * (ys - 0.5)
    pen = rng.uniform(0.05, 0.35)
    gray = light - ink * (light - pen) + rng.normal(0, rng.uniform(0.005, 0.03), ink.shape)
    return np.clip(gray, 0, 1).astype(np.float32)


def number(images, labels, rng, style="screen", digits=None, touching=False):
    """One GeneratedNumber from `images` (rows of 784, MNIST-like) and their `labels`;
    `touching`: each digit pushed into the one before it (a harder case, measured apart)."""
    count = int(rng.integers(2, 6)) if digits is None else digits
    chosen = rng.integers(len(images), size=count)
    height = rng.uniform(36, 110)
    parts, x, boxes = [], 0, []
    for index in chosen:
        crop = _crop(images[index])
        h = max(8, round(height * rng.uniform(0.8, 1.15)))
        w = max(2, round(crop.shape[1] * h / crop.shape[0]))
        scaled = np.clip(resize(crop, h, w), 0, 1)
        top = round(rng.uniform(-0.12, 0.12) * height + (height - h))
        parts.append((scaled, top, x))
        gap = rng.uniform(-0.2, -0.05) if touching else rng.uniform(0.12, 0.7)
        x += w + (round(gap * height) if touching else max(3, round(gap * height)))
    margin = round(rng.uniform(0.2, 0.8) * height)
    tops = [t for _, t, _ in parts]
    shift = margin - min(tops)
    rows = max(t + p.shape[0] for p, t, _ in parts) + shift + margin
    ink = np.zeros((rows, x + 2 * margin), np.float32)
    for piece, top, left in parts:
        t, l = top + shift, left + margin
        region = ink[t:t + piece.shape[0], l:l + piece.shape[1]]
        np.maximum(region, piece, out=region)
        boxes.append((t, l, t + piece.shape[0], l + piece.shape[1]))
    text = "".join(str(int(labels[i])) for i in chosen)
    image = ink if style == "screen" else on_paper(ink, rng)
    return GeneratedNumber(image, text, boxes)
