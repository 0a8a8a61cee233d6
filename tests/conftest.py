"""Shared fixtures. Qt runs offscreen; set before any QApplication can exist."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from nndraw.data.datasets import load_mnist  # noqa: E402
from nndraw.data.idx import write_idx  # noqa: E402

# In CI the fuzz tests draw the same examples every run, so a red build is never luck; on a
# developer's machine they keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def mnist():
    """The bundled (train, test) MNIST Splits, loaded once per test session."""
    return load_mnist()


@pytest.fixture(scope="session")
def small_mnist_dir(tmp_path_factory, mnist):
    """A folder of the four IDX files holding 3,000 training and 500 test MNIST images."""
    folder = tmp_path_factory.mktemp("small-mnist")
    train, test = mnist
    for prefix, split, n in (("train", train, 3000), ("t10k", test, 500)):
        images = np.round(split.images[:n] * 255).astype(np.uint8).reshape(n, 28, 28)
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", split.labels[:n].astype(np.uint8))
    return folder
