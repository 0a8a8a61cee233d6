"""Read a number: split the ink into digits, read each through `to_mnist`, and refuse what is
not a digit.

Two networks take part. The reading network (the shipped one, a file's, or one trained in the
window) says which digit a piece looks most like; it must answer with one of ten, so it calls a
dash a 4 with 99 %. The judge (resources/models/judge.npz, made by scripts/train_judge.py) was
trained apart from it, on MNIST training digits against generated marks, and says how likely
the piece is to be a digit at all. A piece the judge doubts is "not a digit", whichever network
reads: the refusal does not depend on the reading network.
"""

import functools
from dataclasses import dataclass

import numpy as np

from nndraw.data.preprocess import ink_from_gray, mnist_stages
from nndraw.data.segment import Piece, split_digits
from nndraw.errors import ModelFileError
from nndraw.paths import resource_path

# p(digit) below which a piece is refused, if the judge's file does not say (its own, chosen
# on validation data by scripts/train_judge.py, is used when it does).
THRESHOLD = 0.5
UNKNOWN = "?"
WIDE = 1.0          # a piece wider than this times its height may be digits that touch ...
DOUBTFUL = 0.7      # ... and is cut in two if read whole it scores below this, and each part
SURE = 0.9          # scores at least this (score: p(digit) times the top probability)


@functools.lru_cache(maxsize=1)
def shipped_judge():
    """The judge that ships with nndraw, loaded once."""
    from nndraw.training.model_io import load_model

    judge = load_model(resource_path("models", "judge.npz"))
    if judge.sizes[0] != 784 or judge.sizes[-1] != 2:
        raise ModelFileError("judge.npz: not a digit-or-mark judge")
    return judge


@dataclass(frozen=True)
class DigitReading:
    """One piece of the drawing: where it is, how it reached the network, what was read."""

    box: tuple                  # (top, left, bottom, right) in the drawing's pixels
    stages: object              # preprocess.Stages: the piece's way to the 28x28 input
    probabilities: np.ndarray   # the reading network's ten probabilities
    digit_likelihood: float     # the judge's probability that the piece is a digit at all
    threshold: float = THRESHOLD

    @property
    def is_digit(self):
        return self.digit_likelihood >= self.threshold

    @property
    def digit(self):
        """The digit read (an int), or None for a piece that is not a digit."""
        return int(np.argmax(self.probabilities)) if self.is_digit else None

    @property
    def label(self):
        return str(self.digit) if self.is_digit else UNKNOWN

    @property
    def probability(self):
        """The reading network's probability for the digit read."""
        return float(np.max(self.probabilities))

    @property
    def image(self):
        return self.stages.image


@dataclass(frozen=True)
class Reading:
    """Every piece, left to right; `text` is the number, with '?' where a piece is no digit."""

    digits: tuple

    @property
    def blank(self):
        return not self.digits

    @property
    def text(self):
        return "".join(d.label for d in self.digits)

    @property
    def any_digit(self):
        return any(d.is_digit for d in self.digits)


def _read_pieces(pieces, network, judge, threshold):
    stages = [mnist_stages(piece.ink) for piece in pieces]
    images = np.stack([s.image.ravel() for s in stages])
    probabilities = network.predict(images)
    likelihood = judge.predict(images)[:, 0]
    return [DigitReading(piece.box, s, p, float(q), threshold) for piece, s, p, q
            in zip(pieces, stages, probabilities, likelihood)]


def _score(digit):
    return digit.digit_likelihood * digit.probability


def _cut(piece, column):
    """The parts of `piece` left and right of `column`, each cropped to its ink (None if one
    side is empty)."""
    parts = []
    for part, offset in ((piece.ink[:, :column], 0), (piece.ink[:, column:], column)):
        rows, cols = np.flatnonzero(part.max(axis=1) > 0), np.flatnonzero(part.max(axis=0) > 0)
        if rows.size == 0:
            return None
        top, left = piece.box[0] + rows[0], piece.box[1] + offset + cols[0]
        crop = part[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        parts.append(Piece((int(top), int(left), int(top + crop.shape[0]),
                            int(left + crop.shape[1])), crop))
    return parts


def _untouch(piece, digit, network, judge, threshold, depth=0):
    """Digits that touch (stretch goal): a wide piece read poorly whole is cut where its
    columns hold the least ink, at the cut whose worse part reads best, if both parts read
    surely and better than the whole; each part is tried again."""
    h, w = piece.ink.shape
    if depth > 3 or w < WIDE * h or _score(digit) >= DOUBTFUL:
        return [digit]
    profile = (piece.ink > 0.1).sum(axis=0)
    lo, hi = int(0.2 * w), int(0.8 * w)
    best = None
    for column in lo + np.argsort(profile[lo:hi], kind="stable")[:4]:
        parts = _cut(piece, int(column))
        if parts is None:
            continue
        read = _read_pieces(parts, network, judge, threshold)
        worse = min(_score(d) for d in read)
        if worse >= SURE and worse > _score(digit) and (best is None or worse > best[0]):
            best = (worse, parts, read)
    if best is None:
        return [digit]
    return [d for part, read in zip(best[1], best[2])
            for d in _untouch(part, read, network, judge, threshold, depth + 1)]


def threshold_of(judge):
    """The refusal threshold chosen for `judge` on validation data, or THRESHOLD."""
    return float(getattr(judge, "metadata", {}).get("config", {}).get("threshold", THRESHOLD))


def read_ink(ink, network, judge=None, threshold=None):
    """The Reading of `ink` (2-D, white-on-black, 1 = ink) by `network`; `judge` defaults to
    the shipped one, `threshold` to the judge's own."""
    judge = shipped_judge() if judge is None else judge
    threshold = threshold_of(judge) if threshold is None else threshold
    pieces = split_digits(ink)
    if not pieces:
        return Reading(())
    digits = _read_pieces(pieces, network, judge, threshold)
    return Reading(tuple(d for piece, digit in zip(pieces, digits)
                         for d in _untouch(piece, digit, network, judge, threshold)))


def read_number(image, network=None, judge=None, threshold=None):
    """Read the number in `image`: a 2-D grayscale array in [0, 1] of either polarity, white
    ink on black like MNIST or a photo or scan of dark ink on paper. `network` defaults to the
    shipped model. Returns a Reading: each digit's box, probabilities and label, and the text."""
    if network is None:
        from nndraw.training.model_io import pretrained

        network = pretrained()
    return read_ink(ink_from_gray(image), network, judge, threshold)
