"""A strip of a few MNIST training digits, distorted the way the chosen settings distort
every training image: "what the network trains on". Redrawn while a run trains, so a person
sees that every pass shows the network new versions of the same digits.

It distorts its handful of digits itself, on the GUI thread, with the training code
(nndraw.data.augment) and the panel's settings, or a running job's own (the window passes
Teach's milder ones while it teaches): eight 28x28 images take about a millisecond.
"""

import gzip

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from nndraw.data.augment import Augmenter, parse_augment
from nndraw.gui.images import gray_image
from nndraw.paths import resource_path

COUNT = 8
TILE = 28
GAP = 3
CAPTION_WIDTH = 64


def _first_training_digits(count):
    """The first `count` MNIST training images as (count, 784) floats, read from the head of
    the bundled gzip (an IDX file: a 16-byte header, then one byte per pixel)."""
    with gzip.open(resource_path("mnist", "train-images-idx3-ubyte.gz")) as stream:
        data = stream.read(16 + count * 784)
    return np.frombuffer(data[16:], np.uint8).reshape(count, 784).astype(np.float32) / 255


class AugmentStrip(QWidget):
    """Follows a TrainingPanel: its settings (augmentation_changed) and whether it is
    training (running_changed), redrawing the digits every `interval_ms` while it trains."""

    def __init__(self, panel=None, parent=None, count=COUNT, interval_ms=700):
        super().__init__(parent)
        self.setObjectName("augmentStrip")
        self.count = count
        self._digits = None
        self.images = []
        self.settings = parse_augment(None)
        self._augmenter = Augmenter(self.settings, seed=0)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if panel is not None:
            panel.augmentation_changed.connect(self.set_settings)
            panel.running_changed.connect(self.set_running)
            self.set_settings(panel.augmentation())

    def sizeHint(self):
        return QSize(CAPTION_WIDTH + self.count * (TILE + GAP), TILE)

    def minimumSizeHint(self):
        return QSize(CAPTION_WIDTH + 4 * (TILE + GAP), TILE)

    def set_settings(self, settings):
        self.settings = parse_augment(settings)
        self._augmenter = Augmenter(self.settings, seed=None)
        self.refresh()

    def set_running(self, running):
        if running:
            self.timer.start()
        else:
            self.timer.stop()

    def refresh(self):
        """Distort the digits afresh and redraw."""
        if self._digits is None:
            self._digits = _first_training_digits(self.count)
        shown = self._augmenter(self._digits) if self.settings.active else self._digits
        self.images = [gray_image(row.reshape(28, 28)) for row in shown]
        self.setToolTip(self.caption())
        self.update()

    def caption(self):
        if not self.settings.active:
            return "What the network trains on: MNIST as it is (augmentation off)"
        a, e, p = self.settings.as_tuple()
        return f"What the network trains on: turned, slanted, bent, re-inked ({a:g}/{e:g}/{p:g})"

    def paintEvent(self, event):
        painter = QPainter(self)
        palette = self.palette()
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(QRect(0, 0, CAPTION_WIDTH, TILE),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         "Trains on")
        for i, image in enumerate(self.images):
            left = CAPTION_WIDTH + i * (TILE + GAP)
            if left + TILE > self.width():
                break
            painter.drawImage(QRect(left, 0, TILE, TILE), image)
        painter.end()
