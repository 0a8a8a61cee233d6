"""to_mnist prepares a drawing the way MNIST's digits were prepared, wherever it was drawn."""

import numpy as np
import pytest

from nndraw.data.preprocess import CENTRE, ink_from_gray, mnist_stages, resize, to_mnist

N = 500


def centre_of_mass(image):
    mass = image.sum()
    rows, cols = np.indices(image.shape)
    return (rows * image).sum() / mass, (cols * image).sum() / mass


def thicken(ink, radius):
    """Grow strokes by `radius` pixels (a disc-shaped max filter)."""
    out = ink.copy()
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dy * dy + dx * dx <= radius * radius:
                out = np.maximum(out, np.roll(np.roll(ink, dy, 0), dx, 1))
    return out


def draw(digit, size, top, left, stroke=0, canvas=280):
    """An MNIST digit as a person might draw it: `size` pixels tall on a larger canvas at
    (top, left), its strokes thickened by `stroke` pixels (or thinned, if negative)."""
    rows = np.flatnonzero(digit.max(axis=1) > 0)
    cols = np.flatnonzero(digit.max(axis=0) > 0)
    crop = digit[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    scale = size / max(crop.shape)
    big = np.clip(resize(crop, round(crop.shape[0] * scale), round(crop.shape[1] * scale)), 0, 1)
    ink = np.zeros((canvas, canvas), np.float32)
    ink[top:top + big.shape[0], left:left + big.shape[1]] = big
    if stroke > 0:
        ink = thicken(ink, stroke)
    elif stroke < 0:
        ink = 1 - thicken(1 - ink, -stroke)
    return ink


def test_blank_input_gives_zeros():
    image = to_mnist(np.zeros((280, 280)))
    assert image.shape == (28, 28) and image.dtype == np.float32 and not image.any()


def test_fits_a_20_pixel_box_with_the_centre_of_mass_at_the_centre():
    ink = np.zeros((280, 280), np.float32)
    ink[30:250, 100:140] = 1.0  # a tall bar, like a "1"
    stages = mnist_stages(ink)
    assert stages.box.shape == (20, 4)  # aspect ratio kept: 220 x 40 -> 20 x 4
    row, col = centre_of_mass(stages.image)
    assert abs(row - CENTRE) <= 0.51 and abs(col - CENTRE) <= 0.51  # whole-pixel shifts
    assert stages.image.max() == pytest.approx(1.0)


def test_position_does_not_matter(mnist):
    digit = mnist[1].images[0].reshape(28, 28)
    a = to_mnist(draw(digit, 120, 10, 10))
    b = to_mnist(draw(digit, 120, 150, 140))
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_scale_barely_matters(mnist):
    digit = mnist[1].images[1].reshape(28, 28)
    small, large = to_mnist(draw(digit, 40, 0, 0)), to_mnist(draw(digit, 270, 5, 5))
    assert np.corrcoef(small.ravel(), large.ravel())[0, 1] > 0.95


def test_an_mnist_digit_comes_back_almost_unchanged(mnist):
    digits = mnist[1].images[:50].reshape(-1, 28, 28)
    for digit in digits:
        assert np.corrcoef(to_mnist(digit).ravel(), digit.ravel())[0, 1] > 0.9


@pytest.fixture(scope="module")
def reader():
    import nndraw

    return nndraw.pretrained()


@pytest.mark.parametrize("name,size,top,left,stroke", [
    ("small in a corner", 50, 4, 4, 0),
    ("large across the canvas", 265, 5, 8, 0),
    ("thick", 150, 60, 60, 6),
    ("thin", 150, 60, 60, -3),
])
def test_drawn_digits_read_about_as_well_as_mnist(reader, mnist, name, size, top, left, stroke):
    test = mnist[1]
    digits = test.images[:N].reshape(-1, 28, 28)
    baseline = (reader.predict(test.images[:N]).argmax(axis=1) == test.labels[:N]).mean()
    drawn = np.stack([to_mnist(draw(d, size, top, left, stroke)).ravel() for d in digits])
    accuracy = (reader.predict(drawn).argmax(axis=1) == test.labels[:N]).mean()
    assert accuracy >= baseline - 0.04, f"{name}: {accuracy:.3f} vs {baseline:.3f} on MNIST"


def test_dark_ink_on_light_paper_is_inverted_and_cleaned():
    rng = np.random.default_rng(0)
    paper = 0.8 + 0.05 * rng.standard_normal((120, 90))  # grey, grainy paper
    paper[20:100, 40:50] = 0.15                          # a dark pen stroke
    ink = ink_from_gray(np.clip(paper, 0, 1))
    assert ink[20:100, 40:50].min() > 0.9
    assert ink[:, :30].max() == 0.0                      # grain is not ink
    light_on_dark = ink_from_gray(1 - np.clip(paper, 0, 1))
    np.testing.assert_allclose(light_on_dark, ink, atol=1e-6)


def test_a_blank_photo_has_no_ink():
    assert not ink_from_gray(np.full((50, 50), 0.9)).any()


def _seven(h=200, w=160):
    """A clear dark 7 (ink 0.1) on white paper (0.92), as a photo would show it."""
    page = np.full((h, w), 0.92, np.float32)
    page[40:54, 30:130] = 0.1                       # the bar
    for r in range(54, 170):                        # the stem, slanting down to the left
        c = int(120 - (r - 54) * 0.55)
        page[r, c - 7:c + 7] = 0.1
    return page


def _reads(reader, gray):
    image = to_mnist(ink_from_gray(gray))
    return int(reader.predict(image.reshape(1, -1))[0].argmax())


def test_a_seven_in_a_shadow_is_read_as_seven(reader):
    page = _seven()
    page[:, 80:] *= 0.35                            # a hard shadow over the right half
    assert _reads(reader, page) == 7
    ink = ink_from_gray(page)
    assert ink[100:, 130:].max() == 0.0             # shadowed paper is not ink
    assert ink[40:54, 90:125].min() > 0.5           # the bar under the shadow is


def test_a_seven_in_a_light_gradient_is_read_as_seven(reader):
    rng = np.random.default_rng(1)
    fall = np.linspace(1.0, 0.3, 160)[None, :] * np.linspace(1.0, 0.6, 200)[:, None]
    page = np.clip(_seven() * fall + 0.02 * rng.standard_normal((200, 160)), 0, 1)
    assert _reads(reader, page) == 7
    assert ink_from_gray(page)[:30].max() == 0.0   # the paper above the 7 stays paper


def test_low_contrast_ink_is_found(reader):
    rng = np.random.default_rng(3)
    page = 0.6 - 0.2 * (_seven() < 0.5) + 0.02 * rng.standard_normal((200, 160))
    page *= np.linspace(1.0, 0.8, 160)[None, :]    # ink 0.4 on paper 0.6, dimming to the right
    assert _reads(reader, page.astype(np.float32)) == 7


def test_a_blank_page_in_uneven_light_is_blank():
    rng = np.random.default_rng(2)
    fall = np.linspace(0.95, 0.35, 120)[None, :] * np.ones((90, 1))
    shadow = np.where(np.arange(120) < 60, 1.0, 0.6)  # a shadow with a soft edge
    fall *= np.convolve(np.pad(shadow, 6, mode="edge"), np.ones(13) / 13, "valid")[None, :]
    page = np.clip(fall + 0.02 * rng.standard_normal(fall.shape), 0, 1)
    assert not ink_from_gray(page).any()
