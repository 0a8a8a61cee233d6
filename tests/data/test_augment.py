"""Augmentation: fresh distortions that keep every image in its row (so its label still
fits), stay in range, and repeat exactly under a seed, on numpy and on the GPU's code path."""

import numpy as np
import pytest

from nndraw.data import augment
from nndraw.data.augment import Augment, Augmenter, augment_batch, parse_augment
from nndraw.errors import ConfigError
from tests.core.fake_cupy import FakeCupy

FULL = Augment(1.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def digits(mnist):
    return mnist[0].images[:64], mnist[0].labels[:64]


def test_a_batch_keeps_its_shape_dtype_and_range(digits):
    images, _ = digits
    out = augment_batch(images, np.random.default_rng(0), FULL)
    assert out.shape == images.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert not np.array_equal(out, images)
    assert (out.sum(axis=1) > 10).all()                 # no digit is pushed off the field


def test_each_row_stays_the_same_digit(digits):
    """Nothing moves an image to another row, so the labels still fit: each mildly distorted
    image is closest to its own original."""
    images, _ = digits
    out = augment_batch(images, np.random.default_rng(1), Augment(0.1, 0.1, 0.1))
    a = images - images.mean(axis=1, keepdims=True)
    b = out - out.mean(axis=1, keepdims=True)
    similarity = (b @ a.T) / np.outer(np.linalg.norm(b, axis=1), np.linalg.norm(a, axis=1))
    assert (similarity.argmax(axis=1) == np.arange(len(images))).all()


def test_the_same_seed_gives_the_same_images_and_another_seed_others(digits):
    images, _ = digits
    first, again, other = Augmenter(FULL, seed=5), Augmenter(FULL, seed=5), Augmenter(FULL, 6)
    a1, a2 = first(images), first(images)
    assert np.array_equal(a1, again(images)) and np.array_equal(a2, again(images))
    assert not np.array_equal(a1, a2)                   # a fresh distortion every batch
    assert not np.array_equal(a1, other(images))


def test_strength_zero_changes_nothing(digits):
    images, _ = digits
    assert np.array_equal(augment_batch(images, np.random.default_rng(0), Augment()), images)


def test_the_affine_part_stays_in_its_ranges():
    """The map from output to source pixels: its determinant is 1 / (scale_y * scale_x) with
    each scale in 1 +- 0.2 (shear and rotation keep area), and the centre moves by at most
    the shift (3 px on each axis) times the inverse scale."""
    k = 2000
    coords, noise = augment._source_coordinates(k, np.random.default_rng(0), Augment(1.0, 0, 0))
    rows, cols = coords[:, 0], coords[:, 1]
    assert noise is None
    jr = rows[:, 1:, :-1] - rows[:, :-1, :-1], rows[:, :-1, 1:] - rows[:, :-1, :-1]
    jc = cols[:, 1:, :-1] - cols[:, :-1, :-1], cols[:, :-1, 1:] - cols[:, :-1, :-1]
    det = (jr[0] * jc[1] - jr[1] * jc[0]).mean(axis=(1, 2))
    assert det.min() >= 1 / 1.2 ** 2 - 1e-4 and det.max() <= 1 / 0.8 ** 2 + 1e-4
    assert det.max() - det.min() > 0.5                  # the range is used, not one value
    centre = np.stack([rows[:, 13:15, 13:15].mean(axis=(1, 2)),
                       cols[:, 13:15, 13:15].mean(axis=(1, 2))], axis=1) - 13.5
    narrowest = (1 - augment.SCALE) / np.sqrt(augment.ASPECT)  # the smallest scale of an axis
    assert np.abs(centre).max() <= 3 / narrowest * np.sqrt(2) + 1e-3


def test_the_aspect_reaches_squeezed_and_wide_digits(monkeypatch):
    """Without rotation and slant the map is a scale per axis: width over height then runs
    from 1/1.7 to 1.7 (people draw 0.6 to 1.6 times as wide as MNIST), squeezed as often
    as widened."""
    monkeypatch.setattr(augment, "ROTATION_DEGREES", 0.0)
    monkeypatch.setattr(augment, "SHEAR", 0.0)
    coords, _ = augment._source_coordinates(4000, np.random.default_rng(1), Augment(1.0, 0, 0))
    rows, cols = coords[:, 0], coords[:, 1]
    height = 1 / (rows[:, 1:, 0] - rows[:, :-1, 0]).mean(axis=1)   # output px per source px
    width = 1 / (cols[:, 0, 1:] - cols[:, 0, :-1]).mean(axis=1)
    aspect = width / height
    assert 1 / 1.7 - 1e-3 <= aspect.min() <= 0.62 and 1.6 <= aspect.max() <= 1.7 + 1e-3
    assert 0.4 < (aspect < 1).mean() < 0.6
    assert (aspect < 0.7).mean() > 0.1                    # often enough to be learned


def test_rotation_alone_turns_a_bar_by_at_most_twenty_degrees():
    bar = np.zeros((1, 28, 28), np.float32)
    bar[0, 13:15, 4:24] = 1.0                           # a horizontal bar
    turned = []
    for seed in range(40):
        out = augment_batch(np.repeat(bar, 1, 0), np.random.default_rng(seed),
                            Augment(1.0, 0, 0)).reshape(28, 28)
        r, c = np.nonzero(out > 0.5)
        slope = np.polyfit(c, r, 1)[0]
        turned.append(abs(np.degrees(np.arctan(slope))))
    assert max(turned) <= 20 + 0.5 * 30 and max(turned) > 5   # rotation + slant up to 0.5


def test_pen_width_makes_strokes_thicker_or_thinner(digits):
    images, _ = digits
    ink = images.sum(axis=1)
    changed = augment_batch(images, np.random.default_rng(2), Augment(0, 0, 1.0)).sum(axis=1)
    assert (changed > ink * 1.1).any() and (changed < ink * 0.9).any()


def test_elastic_moves_pixels_by_a_few_pixels_smoothly():
    rng = np.random.default_rng(3)
    k = 500
    basis = augment._field_basis(augment.ELASTIC_SIGMA)
    noise = rng.uniform(-1, 1, (k, 2, augment.ELASTIC_RANK, augment.ELASTIC_RANK))
    noise = noise.astype(np.float32)
    field = augment._elastic_field(np, noise, 1.0)
    # the batched products give each field exactly basis @ noise @ basis.T, scaled
    np.testing.assert_allclose(field, augment.ELASTIC_ALPHA * basis @ noise @ basis.T,
                               rtol=1e-4, atol=1e-4)
    assert 0.3 < np.abs(field).mean() < 3                 # a wobble, not a scramble
    step = np.abs(np.diff(field, axis=2)).mean()
    assert step < 0.25 * np.abs(field).mean()             # neighbours move together


def test_the_gpu_code_path_gives_the_same_images(digits):
    images, _ = digits
    on_cpu = augment_batch(images, np.random.default_rng(4), FULL)
    on_gpu = augment_batch(images, np.random.default_rng(4), FULL, xp=FakeCupy())
    np.testing.assert_allclose(on_gpu, on_cpu, atol=1e-6)


@pytest.mark.parametrize("spec,expected", [
    ("off", (0, 0, 0)), ("on", (1, 1, 1)), ("0.5", (0.5, 0.5, 0.5)),
    ("affine=1,pen=0.25", (1, 0, 0.25)), ((0.2, 0.3, 0.4), (0.2, 0.3, 0.4)), (None, (0, 0, 0)),
])
def test_augment_specs(spec, expected):
    assert parse_augment(spec).as_tuple() == expected


@pytest.mark.parametrize("spec", ["rotate=1", "affine=x", "-1", "3", (1, 2), "nan"])
def test_bad_augment_specs_say_what_is_wrong(spec):
    with pytest.raises(ConfigError):
        parse_augment(spec)
