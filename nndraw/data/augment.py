"""Fresh distortions of every training image, so a network learns digits the way people write
them: turned, slanted, squeezed, wobbly, with a thin or a thick pen.

After Simard, Steinkraus and Platt (2003): a random affine map and an elastic distortion (a
random displacement field, smoothed) move where each output pixel reads from; one bilinear
gather does both. Pen width is changed afterwards: thicker by blending towards a grey dilation,
thinner by trimming the soft edge of each stroke.

Everything is vectorised over the batch (no Python loop per image) and written against an
array module `xp` (numpy or cupy). The random numbers are drawn on the host with a numpy
Generator, so a seed gives the same distortions on the CPU and the GPU.
"""

import functools
import math
from dataclasses import dataclass

import numpy as np

from nndraw.errors import ConfigError

SIDE = 28
_PAD = SIDE + 2  # the image with a border of zeros: reads outside it fetch paper

# Full strength (1.0) of each kind, as the ranges a person's drawings differ from MNIST's.
ROTATION_DEGREES = 20.0
SHEAR = 0.5
SCALE = 0.2        # each axis scaled by 1 +- SCALE
SHIFT = 3.0        # pixels
ELASTIC_ALPHA = 34.0   # Simard 2003: displacement scale alpha = 34 with sigma = 4
ELASTIC_SIGMA = 4.0
THIN_TRIM = 0.5    # a thinned stroke loses every grey level below this (times the strength)


@dataclass(frozen=True)
class Augment:
    """How strongly each kind of distortion is applied: 0 is off, 1 the full ranges above."""

    affine: float = 0.0
    elastic: float = 0.0
    pen: float = 0.0

    @property
    def active(self):
        return bool(self.affine or self.elastic or self.pen)

    def as_tuple(self):
        return (self.affine, self.elastic, self.pen)


KINDS = ("affine", "elastic", "pen")


def parse_augment(value):
    """An Augment from a spec: 'off', 'on' (all at 1), one number (all at it),
    'affine=1,elastic=0.5,pen=1', a sequence of three strengths, or an Augment."""
    if isinstance(value, Augment):
        strengths = value.as_tuple()
    elif value is None:
        strengths = (0.0, 0.0, 0.0)
    elif isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "off", "none", "no"):
            strengths = (0.0, 0.0, 0.0)
        elif text in ("on", "yes"):
            strengths = (1.0, 1.0, 1.0)
        elif "=" in text:
            named = {}
            for part in text.split(","):
                name, _, number = part.partition("=")
                name = name.strip()
                if name not in KINDS:
                    raise ConfigError(f"unknown augmentation {name!r}: choose from "
                                      f"{', '.join(KINDS)} (e.g. affine=1,elastic=0.5,pen=1)")
                named[name] = _strength(name, number.strip())
            strengths = tuple(named.get(k, 0.0) for k in KINDS)
        else:
            number = _strength("augmentation", text)
            strengths = (number, number, number)
    else:
        try:
            strengths = tuple(value)
        except TypeError:
            raise ConfigError(f"augmentation must be 'off', 'on', a strength or "
                              f"'affine=1,elastic=1,pen=1', not {value!r}") from None
        if len(strengths) != 3:
            raise ConfigError("augmentation takes three strengths: affine, elastic, pen")
    return Augment(*(_strength(k, s) for k, s in zip(KINDS, strengths)))


def _strength(name, value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} strength must be a number from 0 to 2, not {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(number) or not 0 <= number <= 2:
        raise ConfigError(f"{name} strength must be a number from 0 to 2, not {value!r}")
    return number


ELASTIC_RANK = 6   # smooth fields drawn from 6 x 6 numbers: 99.9 % of the variance, 22x fewer


@functools.lru_cache(maxsize=8)
def _gaussian_matrix(sigma, n=SIDE):
    """(n, n) matrix that smooths a vector with a Gaussian of width `sigma` (zero beyond the
    edges, as scipy.ndimage.gaussian_filter's mode='constant'): G @ F @ G.T smooths a field."""
    d = np.arange(n)[:, None] - np.arange(n)[None, :]
    g = np.exp(-0.5 * (d / sigma) ** 2) * (np.abs(d) <= 4 * sigma)
    return g / (math.sqrt(2 * math.pi) * sigma)


@functools.lru_cache(maxsize=8)
def _field_basis(sigma, rank=ELASTIC_RANK, n=SIDE):
    """(n, rank) P with P @ P.T the best rank-`rank` match to G @ G.T. A field P @ U @ P.T with
    U uniform in (-1, 1) has (to 99.9 %) the covariance of Simard's G @ F @ G.T with F uniform
    in (-1, 1) at every pixel, but needs rank**2 random numbers instead of n**2 and no blur."""
    g = _gaussian_matrix(sigma, n)
    values, vectors = np.linalg.eigh(g @ g.T)
    top = np.argsort(values)[::-1][:rank]
    basis = (vectors[:, top] * np.sqrt(values[top])).astype(np.float32)
    basis.setflags(write=False)
    return basis


def _source_coordinates(k, rng, settings):
    """Where each output pixel reads from, as host arrays (rows, cols) of shape (k, 28, 28),
    plus the elastic field's random numbers (or None); the affine part is computed here."""
    c = (SIDE - 1) / 2.0
    grid = np.arange(SIDE, dtype=np.float32) - c
    s = settings.affine
    if s:
        angle = np.radians(rng.uniform(-1, 1, k) * ROTATION_DEGREES * s)
        shear = rng.uniform(-1, 1, k) * SHEAR * s
        scale_y = 1 + rng.uniform(-1, 1, k) * SCALE * s
        scale_x = 1 + rng.uniform(-1, 1, k) * SCALE * s
        shift = rng.uniform(-1, 1, (k, 2)) * SHIFT * s
        cos, sin = np.cos(angle), np.sin(angle)
        # forward map (row, col): rotate . shear (col += shear * row, a slant) . scale
        m = np.empty((k, 2, 2))
        m[:, 0, 0] = cos * scale_y - sin * shear * scale_y
        m[:, 0, 1] = -sin * scale_x
        m[:, 1, 0] = sin * scale_y + cos * shear * scale_y
        m[:, 1, 1] = cos * scale_x
        inv = np.linalg.inv(m).astype(np.float32)  # output -> source
    else:
        inv = np.broadcast_to(np.eye(2, dtype=np.float32), (k, 2, 2))
        shift = np.zeros((k, 2))
    shift = shift.astype(np.float32)
    py = grid[None, :, None] - shift[:, 0, None, None]   # (k, 28, 1)
    px = grid[None, None, :] - shift[:, 1, None, None]   # (k, 1, 28)
    rows = inv[:, 0, 0, None, None] * py + inv[:, 0, 1, None, None] * px + c
    cols = inv[:, 1, 0, None, None] * py + inv[:, 1, 1, None, None] * px + c
    noise = rng.uniform(-1, 1, (k, 2, ELASTIC_RANK, ELASTIC_RANK)).astype(np.float32) \
        if settings.elastic else None
    return rows, cols, noise


def _bilinear(xp, images, rows, cols):
    """images (k, 28, 28) read at fractional (rows, cols) (k, 28, 28); zero outside."""
    k = images.shape[0]
    padded = xp.zeros((k, _PAD, _PAD), images.dtype)
    padded[:, 1:-1, 1:-1] = images
    r = xp.clip(rows + 1, 0, _PAD - 1.001)
    q = xp.clip(cols + 1, 0, _PAD - 1.001)
    r0 = xp.floor(r)
    q0 = xp.floor(q)
    fr = (r - r0).astype(images.dtype)
    fq = (q - q0).astype(images.dtype)
    base = (xp.arange(k) * (_PAD * _PAD))[:, None, None]
    index = r0.astype(xp.intp) * _PAD + q0.astype(xp.intp) + base
    flat = padded.reshape(-1)
    top = xp.take(flat, index)
    top += fq * (xp.take(flat, index + 1) - top)
    bottom = xp.take(flat, index + _PAD)
    bottom += fq * (xp.take(flat, index + _PAD + 1) - bottom)
    top += fr * (bottom - top)
    return top


def _dilate(xp, images):
    """Grey dilation with a 3x3 plus: each pixel takes its brightest 4-neighbour."""
    out = images.copy()
    xp.maximum(out[:, 1:], images[:, :-1], out=out[:, 1:])
    xp.maximum(out[:, :-1], images[:, 1:], out=out[:, :-1])
    xp.maximum(out[:, :, 1:], images[:, :, :-1], out=out[:, :, 1:])
    xp.maximum(out[:, :, :-1], images[:, :, 1:], out=out[:, :, :-1])
    return out


def _pen(xp, images, rng, strength):
    """Each image's strokes made thicker (t > 0) or thinner (t < 0), t uniform in +-strength."""
    k = images.shape[0]
    t = xp.asarray(rng.uniform(-1, 1, k).astype(np.float32) * np.float32(strength))
    t = t[:, None, None]
    thick = xp.maximum(t, 0)
    trim = xp.minimum(xp.maximum(-t, 0) * THIN_TRIM, 0.9)
    grown = images + thick * (_dilate(xp, images) - images)
    return xp.clip((grown - trim) / (1 - trim), 0, 1)


def augment_batch(images, rng, settings, xp=np):
    """A fresh distortion of every image in `images` (k, 784) (or (k, 28, 28)), on the array
    module `xp`; returns a new (k, 784) array of the same dtype. `rng` is a numpy Generator;
    labels are untouched because nothing here moves an image to another row."""
    settings = parse_augment(settings)
    shape = images.shape
    if images.size != shape[0] * SIDE * SIDE:
        raise ConfigError(f"augmentation works on 28x28 images ({SIDE * SIDE} values), not "
                          f"{images.size // max(shape[0], 1)} values per image: turn it off "
                          "(--augment off)")
    images = xp.asarray(images).reshape(-1, SIDE, SIDE)
    k = images.shape[0]
    if not settings.active or k == 0:
        return images.reshape(shape[0], -1).copy()
    out = images
    if settings.affine or settings.elastic:
        rows, cols, noise = _source_coordinates(k, rng, settings)
        rows, cols = xp.asarray(rows), xp.asarray(cols)
        if noise is not None:
            p = xp.asarray(_field_basis(ELASTIC_SIGMA))
            field = xp.matmul(xp.matmul(p, xp.asarray(noise)), p.T)
            field *= np.float32(ELASTIC_ALPHA * settings.elastic)
            rows = rows + field[:, 0]
            cols = cols + field[:, 1]
        out = _bilinear(xp, images, rows, cols)
    if settings.pen:
        out = _pen(xp, out, rng, settings.pen)
    return out.reshape(shape[0], -1).astype(images.dtype, copy=False)


class Augmenter:
    """A callable that distorts batches with its own seeded Generator: given the same seed and
    the same batches in the same order, it gives the same images."""

    def __init__(self, settings, seed=None, xp=np):
        self.settings = parse_augment(settings)
        self.rng = np.random.default_rng(None if seed is None else [seed, 0xA06])
        self.xp = xp

    def __call__(self, images):
        return augment_batch(images, self.rng, self.settings, self.xp)
