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
SCALE = 0.2        # the digit's size times 1 +- SCALE
ASPECT = 1.7       # its width over its height times a factor from 1/ASPECT to ASPECT
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
    """Where each output pixel reads from, as a float32 host array (k, 2, 28, 28) of (row,
    col) coordinates, plus the elastic field's random numbers (or None); the affine part is
    computed here, all k maps in one matrix product with the pixel grid.

    The size and the aspect are drawn apart (the aspect log-uniform, so squeezing by 1/a is
    as likely as widening by a): people draw digits from 0.6 to 1.6 times as wide as MNIST's
    for their height, which independent scales of each axis by 0.8 to 1.2 (aspect 0.67 to
    1.5) never reach."""
    c = (SIDE - 1) / 2.0
    s = settings.affine
    affine = np.zeros((k, 2, 3), np.float32)  # [inverse | offset]: output -> source
    if s:
        angle = np.radians(rng.uniform(-1, 1, k) * ROTATION_DEGREES * s)
        shear = rng.uniform(-1, 1, k) * SHEAR * s
        size = 1 + rng.uniform(-1, 1, k) * SCALE * s
        aspect = np.exp(rng.uniform(-1, 1, k) * np.log(ASPECT) * s)
        scale_y, scale_x = size / np.sqrt(aspect), size * np.sqrt(aspect)
        shift = rng.uniform(-1, 1, (k, 2)) * SHIFT * s
        cos, sin = np.cos(angle), np.sin(angle)
        # The forward map (row, col) is rotate . shear (col += shear * row, a slant) . scale;
        # its inverse is scale^-1 . shear^-1 . rotate^-1, written out.
        inv = np.empty((k, 2, 2))
        inv[:, 0, 0] = cos / scale_y
        inv[:, 0, 1] = sin / scale_y
        inv[:, 1, 0] = -(shear * cos + sin) / scale_x
        inv[:, 1, 1] = (cos - shear * sin) / scale_x
        affine[:, :, :2] = inv
        affine[:, :, 2] = c - np.einsum("kij,kj->ki", inv, shift)  # source = inv (p - shift) + c
    else:
        affine[:, 0, 0] = affine[:, 1, 1] = 1
        affine[:, :, 2] = c
    coords = (affine.reshape(2 * k, 3) @ _pixel_grid()).reshape(k, 2, SIDE, SIDE)
    noise = None
    if settings.elastic:
        noise = rng.random((k, 2, ELASTIC_RANK, ELASTIC_RANK), dtype=np.float32)
        noise *= 2
        noise -= 1  # uniform in (-1, 1)
    return coords, noise


@functools.cache
def _pixel_grid():
    """(3, 784): each output pixel's (row, col) from the centre, and a 1 for the offset."""
    offsets = np.arange(SIDE, dtype=np.float32) - (SIDE - 1) / 2.0
    grid = np.ones((3, SIDE, SIDE), np.float32)
    grid[0] = offsets[:, None]
    grid[1] = offsets[None, :]
    grid.setflags(write=False)
    return grid.reshape(3, -1)


def _elastic_field(xp, noise, strength):
    """Smooth displacement fields (k, 2, 28, 28) from their (k, 2, 6, 6) random numbers:
    basis @ noise @ basis.T for every field, in two stacked products."""
    basis = xp.asarray(_field_basis(ELASTIC_SIGMA))
    fields = xp.matmul(xp.matmul(basis, noise), basis.T)
    fields *= np.float32(ELASTIC_ALPHA * strength)
    return fields


def _bilinear(xp, images, coords):
    """images (k, 28, 28) read at fractional coordinates (k, 2, 28, 28) (float32, which it
    overwrites); zero outside. Four gathers at offsets of one flat index (the gathers are
    most of the time: every other step works in place)."""
    k = images.shape[0]
    padded = xp.zeros((k, _PAD, _PAD), images.dtype)
    padded[:, 1:-1, 1:-1] = images
    coords += 1  # into the padded image, and kept inside it
    xp.clip(coords, 0, _PAD - 1.001, out=coords)
    whole = xp.floor(coords)
    coords -= whole  # now the fractional parts
    r, q = coords[:, 0], coords[:, 1]
    at = whole[:, 0] * _PAD
    at += whole[:, 1]  # each image's flat index, exact in float32 (< 900)
    index = at.astype(xp.intp)
    index += (xp.arange(k, dtype=xp.intp) * (_PAD * _PAD))[:, None, None]
    flat = padded.reshape(-1)
    take = _take_in_range(xp)
    top = take(flat, index)
    right = take(flat[1:], index)
    right -= top
    right *= q
    top += right
    bottom = take(flat[_PAD:], index)
    right = take(flat[_PAD + 1:], index)
    right -= bottom
    right *= q
    bottom += right
    bottom -= top
    bottom *= r
    top += bottom
    return top


def _take_in_range(xp):
    """xp.take for indices known to be in range: numpy's mode='clip' skips the bounds check
    that the default mode makes (15 % of a gather here); cupy's take has no modes."""
    if xp is np:
        return lambda a, index: a.take(index, mode="clip")
    return xp.take


def _dilate(xp, images):
    """Grey dilation with a 3x3 plus: each pixel takes its brightest 4-neighbour."""
    out = images.copy()
    xp.maximum(out[:, 1:], images[:, :-1], out=out[:, 1:])
    xp.maximum(out[:, :-1], images[:, 1:], out=out[:, :-1])
    xp.maximum(out[:, :, 1:], images[:, :, :-1], out=out[:, :, 1:])
    xp.maximum(out[:, :, :-1], images[:, :, 1:], out=out[:, :, :-1])
    return out


def _pen(xp, images, rng, strength):
    """Each image's strokes made thicker (t > 0) or thinner (t < 0), t uniform in +-strength:
    a blend towards the dilation, then grey levels below the trim dropped and the rest
    stretched back to [0, 1] (one multiply-add per pixel)."""
    k = images.shape[0]
    t = rng.uniform(-1, 1, k).astype(np.float32) * np.float32(strength)
    trim = np.minimum(np.maximum(-t, 0) * THIN_TRIM, 0.9)
    gain = xp.asarray((1 / (1 - trim)).astype(np.float32))[:, None, None]
    offset = xp.asarray((-trim / (1 - trim)).astype(np.float32))[:, None, None]
    grown = _dilate(xp, images)
    grown -= images
    grown *= xp.asarray(np.maximum(t, 0))[:, None, None]
    grown += images
    grown *= gain
    grown += offset
    return xp.clip(grown, 0, 1, out=grown)


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
        coords, noise = _source_coordinates(k, rng, settings)
        coords = xp.asarray(coords)
        if noise is not None:
            coords += _elastic_field(xp, xp.asarray(noise), settings.elastic)
        out = _bilinear(xp, images, coords)
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
