"""numpy images into Qt: one conversion for every view that shows digits."""

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QListWidget


def gray_image(array):
    """A QImage (8-bit gray, its own copy of the pixels) of a 2-D array: floats in [0, 1]
    (1 = white) or bytes."""
    array = np.asarray(array)
    if array.dtype != np.uint8:
        array = (np.clip(array, 0, 1) * 255).astype(np.uint8)
    level = np.ascontiguousarray(array)
    h, w = level.shape
    return QImage(level.tobytes(), w, h, w, QImage.Format.Format_Grayscale8).copy()


def digit_icon(image, side):
    """A `side`-pixel icon of a 28x28 image (flat or square)."""
    return QIcon(QPixmap.fromImage(gray_image(np.reshape(image, (28, 28))).scaled(side, side)))


def image_grid(icon_side, cell_side):
    """A list shown as a still grid of image icons (a gallery of digits)."""
    grid = QListWidget()
    grid.setViewMode(QListView.ViewMode.IconMode)
    grid.setIconSize(QSize(icon_side, icon_side))
    grid.setGridSize(QSize(cell_side, cell_side))
    grid.setResizeMode(QListView.ResizeMode.Adjust)
    grid.setMovement(QListView.Movement.Static)
    return grid
