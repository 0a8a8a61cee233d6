"""Training and test sets as arrays: the bundled MNIST, Fashion-MNIST, or any IDX folder,
and `DataSource`, the one description of a data set that the panel chooses, the session keeps,
model and run files store, and the loaders use."""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from nndraw.data.idx import read_idx
from nndraw.errors import DataFileError
from nndraw.paths import resource_path

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
# The memory one split may take once loaded, counting the copies made here: each image value
# is read as a byte and kept as a float32 (5 bytes), each label read as a byte kept as an
# int64 (9 bytes). A 1 MB gzip can claim a gigabyte of values; this refuses it up front.
MAX_LOADED_BYTES = 1 << 30
IMAGE_VALUE_BYTES = 1 + 4
LABEL_VALUE_BYTES = 1 + 8
DIGIT_CLASSES = tuple(str(d) for d in range(10))
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                   "Sneaker", "Bag", "Ankle boot")


class Split(NamedTuple):
    """One image per row of `images` (float32 in [0, 1], ink = 1) and integer `labels`.
    A Split unpacks as (X, y), the form `Network.SGD` and `evaluate` take directly."""

    images: np.ndarray
    labels: np.ndarray

    def subset(self, n):
        return Split(self.images[:n], self.labels[:n])


def _find(folder, prefix, kind):
    """The file for e.g. prefix 'train', kind 'images', whatever its spelling (.gz or not,
    '-idx3-ubyte' or '.idx3-ubyte')."""
    matches = sorted(p for p in folder.glob(f"{prefix}*{kind}*")
                     if "idx" in p.name and p.is_file())
    if not matches:
        raise DataFileError(f"{folder}: no {prefix} {kind} file "
                            f"(expected e.g. {prefix}-{kind}-idx{3 if kind == 'images' else 1}"
                            "-ubyte.gz)")
    return matches[0]


def _load_split(folder, prefix):
    images_path, labels_path = _find(folder, prefix, "images"), _find(folder, prefix, "labels")
    images = read_idx(images_path, MAX_LOADED_BYTES, bytes_per_value=IMAGE_VALUE_BYTES)
    labels = read_idx(labels_path, MAX_LOADED_BYTES, bytes_per_value=LABEL_VALUE_BYTES)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise DataFileError(f"{images_path.name}: expected unsigned-byte images (n x rows x "
                            f"columns), found {images.dtype} of shape {images.shape}")
    if labels.ndim != 1:
        raise DataFileError(f"{labels_path.name}: expected a list of labels, found shape "
                            f"{labels.shape}")
    if len(images) < len(labels):      # the shorter one is the one that lost its end
        raise DataFileError(f"{images_path.name}: holds only {len(images)} images for the "
                            f"{len(labels)} labels of {labels_path.name}; it looks shortened")
    if len(labels) < len(images):
        raise DataFileError(f"{labels_path.name}: holds only {len(labels)} labels for the "
                            f"{len(images)} images of {images_path.name}; it looks shortened")
    flat = images.reshape(len(images), -1).astype(np.float32)
    flat *= np.float32(1 / 255)
    return Split(flat, labels.astype(np.int64))


def load_idx_folder(folder):
    """(train, test) Splits from a folder holding the four MNIST-style IDX files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFileError(f"{folder}: no such folder")
    train, test = _load_split(folder, "train"), _load_split(folder, "t10k")
    if train.images.shape[1] != test.images.shape[1]:
        raise DataFileError(f"{folder}: training and test images differ in size")
    return train, test


def load_mnist(folder=None):
    """(train, test) as Splits: the bundled MNIST (60,000 + 10,000 digits), or `folder`."""
    return load_idx_folder(folder if folder is not None else resource_path("mnist"))


def load_fashion_mnist(folder=FASHION_DIR):
    """Fashion-MNIST where Debian's dataset-fashion-mnist package puts it (or `folder`)."""
    return load_idx_folder(os.fspath(folder))


def class_names(folder=None):
    """Names for the ten classes of an IDX folder: clothing for Fashion-MNIST (Debian's folder,
    or any folder named for it), digits otherwise."""
    return FASHION_CLASSES if folder and "fashion" in str(folder).lower() else DIGIT_CLASSES


@dataclass(frozen=True)
class DataSource:
    """What a model reads and where its data comes from: `kind` is "mnist" (the bundled
    digits), "fashion" or "folder"; `folder` is None for MNIST."""

    kind: str = "mnist"
    folder: str | None = None
    class_names: tuple = DIGIT_CLASSES

    @classmethod
    def mnist(cls):
        return cls()

    @classmethod
    def fashion(cls, folder=FASHION_DIR):
        return cls("fashion", os.fspath(folder), FASHION_CLASSES)

    @classmethod
    def of_folder(cls, folder):
        """An IDX folder; Debian's Fashion-MNIST folder is recognised as Fashion-MNIST."""
        folder = os.fspath(folder)
        if class_names(folder) == FASHION_CLASSES:
            return cls.fashion(folder)
        return cls("folder", folder, DIGIT_CLASSES)

    @property
    def name(self):
        """How the window and the CLI name it: 'MNIST', 'Fashion-MNIST' or the folder's name."""
        if self.kind == "mnist":
            return "MNIST"
        if self.kind == "fashion":
            return "Fashion-MNIST"
        return Path(self.folder).name or str(self.folder)

    @property
    def reads_digits(self):
        return tuple(self.class_names) == DIGIT_CLASSES

    @property
    def things(self):
        """What its images show, for sentences: 'digits' or 'clothing' or 'images'."""
        if self.reads_digits:
            return "digits"
        return "clothing" if tuple(self.class_names) == FASHION_CLASSES else "images"

    def load(self):
        """(train, test) Splits."""
        return load_mnist(self.folder)

    def check(self):
        """DataFileError now, naming what is missing, if the folder cannot be a data set (so a
        bad folder is refused when chosen, not when training starts). Reads headers only."""
        if self.folder is None:
            return
        folder = Path(self.folder)
        if not folder.is_dir():
            raise DataFileError(f"{folder}: no such folder")
        for prefix in ("train", "t10k"):
            for kind in ("images", "labels"):
                _find(folder, prefix, kind)

    def to_dict(self):
        return {"kind": self.kind, "folder": self.folder, "class_names": list(self.class_names)}

    @classmethod
    def from_dict(cls, value):
        """From `to_dict`, or from what older files stored: "mnist", "fashion" or a folder's
        path; None (a model saved before models named their data) is MNIST."""
        if value is None or value == "mnist":
            return cls.mnist()
        if value == "fashion":
            return cls.fashion()
        if isinstance(value, str):
            return cls.of_folder(value)
        if not isinstance(value, dict) or value.get("kind") not in ("mnist", "fashion",
                                                                     "folder"):
            raise ValueError("its data set is not described the way nndraw describes one")
        names = value.get("class_names") or DIGIT_CLASSES
        if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
            raise ValueError("its class names are malformed")
        folder = value.get("folder")
        if value["kind"] == "mnist":
            folder = None
        elif not isinstance(folder, str):
            raise ValueError("its data folder is malformed")
        return cls(value["kind"], folder, tuple(names))
