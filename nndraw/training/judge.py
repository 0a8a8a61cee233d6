"""Train the judge: a small network, separate from the one that reads, that tells a digit from
a mark that is not one.

Keeping it separate means "not a digit" works whatever network reads the digits: the shipped
one, one opened from a file, or one trained a minute ago in the window. It learns from MNIST's
*training* digits (the last 5,000 held back for validation), a few thousand pen-drawn 0s, 1s
and 7s (so the look of a generated stroke is no clue by itself), and generated marks of the
TRAINING families. Every example goes through `to_mnist`, as a drawing does; some digits and
marks are first photographed on paper (`numbers.on_paper`) and found again by `ink_from_gray`,
as `nndraw predict` finds them, and some have their faint edges cut away.
"""

import numpy as np

from nndraw.core.network import Network
from nndraw.data import marks as mark_families
from nndraw.data.datasets import load_mnist
from nndraw.data.numbers import number, on_paper
from nndraw.data.preprocess import ink_from_gray, to_mnist
from nndraw.data.strokes import render

DIGIT, MARK = 0, 1      # the judge's two outputs
VALIDATION = 5000       # the last MNIST training digits, never trained on


def _pen_digit(kind, rng, size=96):
    """A 0, 1 or 7 drawn with a plain pen: shapes a mark generator must never be confused with."""
    if kind == 0:
        t = np.linspace(0, 2 * np.pi * rng.uniform(0.95, 1.08), 48) + rng.uniform(0, 6.3)
        rx, ry = rng.uniform(0.15, 0.3), rng.uniform(0.3, 0.4)
        strokes = [np.stack([0.5 + rx * np.cos(t), 0.5 + ry * np.sin(t)], axis=1)]
    elif kind == 1:
        lean = rng.uniform(-0.12, 0.12)
        top, bottom = (0.5 + lean, 0.12), (0.5 - lean, 0.88)
        strokes = [np.array([top, bottom])]
        if rng.random() < 0.4:      # a flag at the top
            strokes = [np.array([(top[0] - 0.15, top[1] + 0.12), top, bottom])]
        if rng.random() < 0.2:      # and a foot
            strokes.append(np.array([(bottom[0] - 0.15, 0.88), (bottom[0] + 0.15, 0.88)]))
    else:
        left, right = rng.uniform(0.15, 0.3), rng.uniform(0.7, 0.85)
        foot = rng.uniform(0.3, 0.55)
        strokes = [np.array([(left, 0.15), (right, 0.15), (foot, 0.88)])]
        if rng.random() < 0.3:      # a cross-stroke
            strokes.append(np.array([(foot + 0.05, 0.5), (foot + 0.35, 0.5)]))
    return render(strokes, size, size * rng.uniform(0.06, 0.14))


def _cut_faint_edges(images, rng, share=0.4):
    """Stretch a random `share` of the images as `ink_from_gray` does with a photo's ink."""
    chosen = rng.random(len(images)) < share
    cut = rng.uniform(0.1, 0.5, size=(int(chosen.sum()), 1)).astype(np.float32)
    images[chosen] = np.clip((images[chosen] - cut) / (1 - cut), 0, 1)
    return images


def _photographed(ink, rng):
    return to_mnist(ink_from_gray(on_paper(ink, rng))).ravel()


def examples(n_marks, rng, digits, families=mark_families.TRAINING, n_pen_digits=6000,
             n_on_paper=10000):
    """(images, labels): `digits` (rows of 784), some of them again as photographed at a larger
    size, pen-drawn digits and marks (a quarter photographed), labelled DIGIT or MARK."""
    labels = np.zeros(len(digits), np.int64)
    photos = [_photographed(number(digits, labels, rng, "screen", digits=1).image, rng)
              for _ in range(n_on_paper)]
    pen = [to_mnist(_pen_digit(i % 3, rng)).ravel() for i in range(n_pen_digits)]
    inks, _ = mark_families.marks(n_marks, rng, families)
    drawn = np.array([_photographed(ink, rng) if i % 4 == 0 else to_mnist(ink).ravel()
                      for i, ink in enumerate(inks)], np.float32)
    images = np.concatenate([digits, np.array(photos + pen, np.float32).reshape(-1, 784), drawn])
    labels = np.concatenate([np.full(len(digits) + len(photos) + len(pen), DIGIT),
                             np.full(len(drawn), MARK)])
    return _cut_faint_edges(images, rng), labels


SWEEP = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7)
MOST_DIGITS_REFUSED = 0.005     # the threshold chosen refuses at most this share on validation:
                                # refusals add up in a number of five digits


def validation_sweep(judge, seed=0, n_marks=4000):
    """Choose the threshold on validation data only: the held-back MNIST training digits (as
    they are, and photographed on paper) and fresh marks from another seed. Returns the chosen
    threshold, the highest that refuses at most MOST_DIGITS_REFUSED of those digits, and rows
    (threshold, share of digits refused, share of marks refused)."""
    rng = np.random.default_rng(seed + 1000)
    train, _ = load_mnist()
    held_back = train.images[-VALIDATION:]
    labels = np.zeros(len(held_back), np.int64)
    photos = [_photographed(number(held_back, labels, rng, "screen", digits=1).image, rng)
              for _ in range(2000)]
    digits = np.concatenate([held_back, np.array(photos, np.float32)])
    inks, _ = mark_families.marks(n_marks, rng)
    fresh = np.array([_photographed(ink, rng) if i % 4 == 0 else to_mnist(ink).ravel()
                      for i, ink in enumerate(inks)], np.float32)
    p_digit, p_mark = judge.predict(digits)[:, DIGIT], judge.predict(fresh)[:, DIGIT]
    rows = [(t, float((p_digit < t).mean()), float((p_mark < t).mean())) for t in SWEEP]
    allowed = [t for t, refused, _ in rows if refused <= MOST_DIGITS_REFUSED]
    return (max(allowed) if allowed else SWEEP[0]), rows


def train_judge(n_marks=40000, epochs=12, seed=0, progress=None):
    """A trained judge (Network [784, 128, 2]), trained on all but the last VALIDATION MNIST
    training digits and on generated marks."""
    rng = np.random.default_rng(seed)
    train, _ = load_mnist()
    x, y = examples(n_marks, rng, train.images[:-VALIDATION])
    network = Network([784, 128, 2], activation="relu", output="softmax", cost="cross-entropy",
                      init="he", seed=seed)
    for epoch in range(epochs):
        eta = 0.05 * (1 - epoch / epochs)
        network.SGD((x, y), 1, 64, eta, lmbda=5.0, momentum=0.9, seed=seed + epoch)
        if progress:
            progress(epoch + 1, epochs)
    return network
