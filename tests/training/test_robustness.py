"""The shipped model reads digits changed the way people's differ from MNIST's: the fast
version of benchmarks/bench_robustness.py (200 digits instead of 2,000)."""

import pytest

from benchmarks.bench_robustness import measure
from nndraw.training.model_io import pretrained


@pytest.fixture(scope="module")
def rows(mnist):
    return measure([pretrained()], mnist[1], 200, seed=1)


def test_every_variation_reads_well(rows):
    weak = {name: values[0] for name, values in rows.items()
            if not name.startswith("other writers") and values[0] < 0.95}
    assert not weak, weak


def test_digits_drawn_on_the_canvas_read_as_well_as_mnist_digits(rows):
    plain = rows["MNIST test digits as they are"][0]
    assert rows["drawn on a canvas, any size and place"][0] >= plain - 0.02


def test_other_writers_read_well(rows):
    pytest.importorskip("sklearn", reason="the other writers' digits come with scikit-learn")
    assert rows["other writers (sklearn 8x8 digits, 1,797)"][0] >= 0.85
