"""The person's own drawings: 28x28 images with the digit they meant, kept in a folder.

Stored as two IDX files (uint8 images n x 28 x 28, uint8 labels), the format MNIST itself
uses, each written atomically, so the set opens in any MNIST tool and a failed save never
damages what was kept. Every fifth drawing, starting with the second, is held out: the
network is never taught on those, so accuracy on them says whether teaching generalises.
"""

import os
from pathlib import Path

import numpy as np

from nndraw.data.datasets import Split
from nndraw.data.idx import read_idx, write_idx
from nndraw.errors import DataFileError
from nndraw.files import write_atomically

IMAGES = "personal-images-idx3-ubyte"
LABELS = "personal-labels-idx1-ubyte"
SIDE = 28


def held_out(count):
    """A boolean mask over `count` drawings: True for those kept aside for testing (index 1,
    6, 11, ...: at least one as soon as there are two, and the choice never moves)."""
    return np.arange(count) % 5 == 1


class PersonalSet:
    """The drawings kept in `folder` (created on the first save). DataFileError, naming the
    file, if the files there are not a valid set."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.images = np.zeros((0, SIDE, SIDE), np.uint8)
        self.labels = np.zeros(0, np.uint8)
        images_path, labels_path = self.folder / IMAGES, self.folder / LABELS
        if images_path.exists() or labels_path.exists():
            images, labels = read_idx(images_path), read_idx(labels_path)
            if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (SIDE, SIDE):
                raise DataFileError(f"{images_path}: expected n x 28 x 28 unsigned bytes, found "
                                    f"{images.dtype} of shape {images.shape}")
            if labels.dtype != np.uint8 or labels.ndim != 1 or len(labels) != len(images):
                raise DataFileError(f"{labels_path}: expected {len(images)} unsigned-byte "
                                    f"labels, found {labels.dtype} of shape {labels.shape}")
            if len(labels) and labels.max() > 9:
                raise DataFileError(f"{labels_path}: labels must be 0 to 9, found "
                                    f"{int(labels.max())}")
            self.images, self.labels = images.copy(), labels.copy()

    def __len__(self):
        return len(self.labels)

    def add(self, image, label):
        """Keep `image` (28x28 floats in [0, 1], ink = 1) as the digit `label`; save."""
        image = np.asarray(image, np.float32)
        if image.shape != (SIDE, SIDE):
            raise ValueError(f"expected a 28x28 image, got shape {image.shape}")
        level = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
        self.images = np.concatenate([self.images, level[None]])
        self.labels = np.append(self.labels, np.uint8(_label(label)))
        self.save()
        return len(self) - 1

    def relabel(self, index, label):
        self.labels[index] = _label(label)
        self.save()

    def delete(self, indices):
        keep = np.ones(len(self), bool)
        keep[list(indices)] = False
        self.images, self.labels = self.images[keep], self.labels[keep]
        self.save()

    def save(self):
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError as exc:
            raise DataFileError(f"{self.folder}: cannot create the folder ({exc.strerror})") \
                from None
        for name, array in ((IMAGES, self.images), (LABELS, self.labels)):
            write_atomically(self.folder / name, lambda f, a=array: write_idx(f, a), DataFileError)

    def export(self, folder):
        """Write the set into `folder` as MNIST-style IDX files (train-* the taught drawings,
        t10k-* the held-out ones), so `nndraw train --data` or any MNIST tool reads it."""
        folder = Path(folder)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise DataFileError(f"{folder}: cannot create the folder ({exc.strerror})") from None
        test = held_out(len(self))
        for prefix, mask in (("train", ~test), ("t10k", test)):
            write_atomically(folder / f"{prefix}-images-idx3-ubyte",
                             lambda f, m=mask: write_idx(f, self.images[m]), DataFileError)
            write_atomically(folder / f"{prefix}-labels-idx1-ubyte",
                             lambda f, m=mask: write_idx(f, self.labels[m]), DataFileError)

    def splits(self):
        """(taught, held_out) Splits as the network takes them (float rows in [0, 1])."""
        flat = self.images.reshape(len(self), SIDE * SIDE).astype(np.float32) / np.float32(255)
        labels = self.labels.astype(np.int64)
        test = held_out(len(self))
        return Split(flat[~test], labels[~test]), Split(flat[test], labels[test])


def _label(label):
    label = int(label)
    if not 0 <= label <= 9:
        raise ValueError(f"a digit is 0 to 9, not {label}")
    return label
