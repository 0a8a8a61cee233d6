"""How well a model reads digits written the ways people's differ from MNIST's.

    python benchmarks/bench_robustness.py [--n 10000] [--model PATH] [--compare OLD.npz]

Each MNIST test digit is re-drawn on a 140x140 canvas (enlarged 4x, its soft edge turned
into a pen's crisp one), changed the way a person's drawing differs (turned, slanted, a thin
or thick pen, squeezed, wide, small, large, in a corner), and read back through `to_mnist`,
exactly the way the window reads a drawing. The changes are made here with scipy.ndimage at
the canvas's resolution, not with the training augmentation's code. "other writers" is
scikit-learn's `load_digits` (UCI optdigits: 1,797 8x8 digits by 43 people outside MNIST,
enlarged on the canvas the same way), when scikit-learn is installed.

Prints a Markdown table: accuracy per variation for `--model` (default: the shipped model)
and, with `--compare`, for another model beside it.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nndraw.data.preprocess import to_mnist  # noqa: E402

CANVAS = 140
ZOOM = 4          # a 28x28 digit becomes 112x112: its 20x20 box 80 px, a digit drawn small


def _pen(canvas):
    """The enlarged digit's blurry edge made crisp, like a pen stroke on the canvas."""
    return np.clip((canvas - 0.25) / 0.5, 0.0, 1.0)


def _disk(radius):
    r = np.arange(-radius, radius + 1)
    return (r[:, None] ** 2 + r[None, :] ** 2) <= radius ** 2


def _affine(ink, matrix, out_shape=(CANVAS, CANVAS)):
    """`ink` mapped by the 2x2 `matrix` (output = matrix @ input) about its centre, into a
    field of `out_shape`, centred."""
    inverse = np.linalg.inv(matrix)
    centre_in = (np.array(ink.shape) - 1) / 2
    centre_out = (np.array(out_shape) - 1) / 2
    offset = centre_in - inverse @ centre_out
    return ndimage.affine_transform(ink, inverse, offset=offset, output_shape=out_shape,
                                    order=1, mode="constant")


def _place(ink, size, top, left):
    """`ink` scaled so its longer side is `size` px, put on a blank canvas at (top, left)."""
    rows, cols = np.nonzero(ink > 0)
    crop = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    factor = size / max(crop.shape)
    small = np.clip(ndimage.zoom(crop, factor, order=1), 0, 1)
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    h, w = min(small.shape[0], CANVAS - top), min(small.shape[1], CANVAS - left)
    canvas[top:top + h, left:left + w] = small[:h, :w]
    return canvas


def _turn(degrees):
    a = np.radians(degrees)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


def _variations():
    """name -> function(canvas ink (CANVAS, CANVAS), rng) -> canvas ink."""
    def sign(rng):
        return rng.choice([-1.0, 1.0])

    return {
        "drawn on a canvas, any size and place": lambda c, rng: _place(
            c, int(rng.integers(30, 130)), int(rng.integers(0, 10)), int(rng.integers(0, 10))),
        "turned by 20 degrees": lambda c, rng: _affine(c, _turn(20 * sign(rng))),
        "slanted (shear 0.5)": lambda c, rng: _affine(c, np.array([[1, 0], [0.5 * sign(rng), 1]])),
        "thin pen": lambda c, rng: ndimage.grey_erosion(c, footprint=_disk(2)),
        "thick pen": lambda c, rng: ndimage.grey_dilation(c, footprint=_disk(4)),
        "squeezed (0.6 as wide)": lambda c, rng: _affine(c, np.diag([1.0, 0.6])),
        "wide (1.6 as wide)": lambda c, rng: _affine(c, np.diag([1.0, 1.6]),
                                                     (CANVAS, int(CANVAS * 1.6))),
        "small (20 px tall on the canvas)": lambda c, rng: _place(c, 20, 60, 60),
        "large (fills the canvas)": lambda c, rng: _place(c, CANVAS, 0, 0),
        "off-centre (in a corner)": lambda c, rng: _place(c, 45, 95, 95),
    }


def canvas_digit(image28):
    """A 28x28 MNIST digit as ink on the canvas: enlarged 4x, centred, with a pen's edge."""
    big = _pen(ndimage.zoom(image28.reshape(28, 28), ZOOM, order=1))
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    start = (CANVAS - big.shape[0]) // 2
    canvas[start:start + big.shape[0], start:start + big.shape[1]] = big
    return canvas


def variation_inputs(images, seed=0, names=None):
    """{name: (n, 784) network inputs} for each variation of `images` (n, 784)."""
    rng = np.random.default_rng(seed)
    table = _variations()
    names = names or list(table)
    out = {name: [] for name in names}
    for image in images:
        canvas = canvas_digit(image)
        for name in names:
            out[name].append(to_mnist(table[name](canvas, rng)).ravel())
    return {name: np.array(rows, np.float32) for name, rows in out.items()}


def other_writers():
    """(inputs, labels) of scikit-learn's 8x8 digits enlarged on the canvas and read through
    to_mnist, or None without scikit-learn."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        return None
    digits = load_digits()
    rows = []
    for image in digits.images / 16.0:
        big = _pen(ndimage.zoom(image, 10, order=1))      # 80x80, like a drawn digit
        rows.append(to_mnist(big).ravel())
    return np.array(rows, np.float32), digits.target


def accuracy(network, inputs, labels):
    return float((network.predict(inputs).argmax(axis=1) == labels).mean())


def measure(networks, test, n, seed=0):
    """{row name: [accuracy per network]} on the first `n` test digits."""
    images, labels = test.images[:n], test.labels[:n]
    rows = {"MNIST test digits as they are": [accuracy(net, images, labels) for net in networks]}
    for name, inputs in variation_inputs(images, seed).items():
        rows[name] = [accuracy(net, inputs, labels) for net in networks]
    writers = other_writers()
    if writers is not None:
        rows["other writers (sklearn 8x8 digits, 1,797)"] = [accuracy(net, *writers)
                                                             for net in networks]
    return rows


def main():
    from nndraw.data.datasets import load_mnist
    from nndraw.training.model_io import load_model, pretrained

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="test digits (default: 2000)")
    parser.add_argument("--model", help="model file (default: the shipped model)")
    parser.add_argument("--compare", help="another model file, shown in the first column")
    args = parser.parse_args()
    networks, names = [], []
    if args.compare:
        networks.append(load_model(args.compare))
        names.append(Path(args.compare).name)
    networks.append(load_model(args.model) if args.model else pretrained())
    names.append(Path(args.model).name if args.model else "shipped model")
    start = time.perf_counter()
    rows = measure(networks, load_mnist()[1], args.n)
    print(f"| the digit is ({args.n} MNIST test digits) | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for name, values in rows.items():
        print(f"| {name} | " + " | ".join(f"{100 * v:.1f} %" for v in values) + " |")
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
