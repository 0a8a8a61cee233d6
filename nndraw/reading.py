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
from nndraw.data.segment import split_digits
from nndraw.errors import ModelFileError
from nndraw.paths import resource_path

# p(digit) below which the judge's piece is refused; chosen on validation data (see README).
THRESHOLD = 0.5
UNKNOWN = "?"


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


def read_ink(ink, network, judge=None, threshold=THRESHOLD):
    """The Reading of `ink` (2-D, white-on-black, 1 = ink) by `network`; `judge` defaults to
    the shipped one."""
    judge = shipped_judge() if judge is None else judge
    pieces = split_digits(ink)
    if not pieces:
        return Reading(())
    stages = [mnist_stages(piece.ink) for piece in pieces]
    images = np.stack([s.image.ravel() for s in stages])
    probabilities = network.predict(images)
    likelihood = judge.predict(images)[:, 0]
    return Reading(tuple(DigitReading(piece.box, s, p, float(q), threshold) for piece, s, p, q
                         in zip(pieces, stages, probabilities, likelihood)))


def read_number(image, network=None, judge=None, threshold=THRESHOLD):
    """Read the number in `image`: a 2-D grayscale array in [0, 1] of either polarity, white
    ink on black like MNIST or a photo or scan of dark ink on paper. `network` defaults to the
    shipped model. Returns a Reading: each digit's box, probabilities and label, and the text."""
    if network is None:
        from nndraw.training.model_io import pretrained

        network = pretrained()
    return read_ink(ink_from_gray(image), network, judge, threshold)
