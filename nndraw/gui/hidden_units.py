"""The first layer's weights, one 28x28 tile per hidden unit: what each unit looks for.

All tiles live in one pyqtgraph ImageItem (a mosaic, rebuilt with setImage on each
evaluation, about a millisecond), red for positive weights and blue for negative, each tile
scaled to its own largest weight. Hovering a tile names the unit and says how strongly it
fires on the current drawing.
"""

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

SIDE, GAP = 28, 2
MAX_UNITS = 256


def mosaic(weights, columns):
    """(rows*30-2, columns*30-2) image of the first `rows*columns` units' weights in [-1, 1]."""
    n = weights.shape[0]
    rows = math.ceil(n / columns)
    step = SIDE + GAP
    out = np.zeros((rows * step - GAP, columns * step - GAP), np.float32)
    tiles = weights.reshape(n, SIDE, SIDE)
    scale = np.abs(tiles).max(axis=(1, 2), keepdims=True)
    tiles = tiles / np.where(scale > 0, scale, 1)
    for i in range(n):
        r, c = divmod(i, columns)
        out[r * step:r * step + SIDE, c * step:c * step + SIDE] = tiles[i]
    return out


class HiddenUnitsView(QWidget):
    """`set_network_weights(weights, biases, activation)` with the first layer's (n, 784)
    weights; `set_input(image)` with the 28x28 the network sees now."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.weights = self.biases = self.activation = None
        self.input = np.zeros(SIDE * SIDE, np.float32)
        self.columns = 1
        self.hovered = None
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setObjectName("hiddenUnits")
        self.graphics.setAccessibleName("First-layer weights of each hidden unit")
        self.graphics.setMinimumSize(200, 150)
        self.box = self.graphics.addViewBox(lockAspect=True, enableMouse=False,
                                            invertY=True, enableMenu=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(_diverging_lut())
        self.image.setLevels((-1, 1))
        self.box.addItem(self.image)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.info = QLabel("Hover over a unit to see how strongly it fires on your drawing")
        self.info.setObjectName("hiddenUnitInfo")
        self.info.setWordWrap(True)
        self.info.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.info)
        self.apply_palette()

    def apply_palette(self):
        self.graphics.setBackground(self.palette().color(QPalette.ColorRole.Base))

    def set_network_weights(self, weights, biases, activation):
        """Show the units of `weights` (n, 784) (the first MAX_UNITS of them)."""
        w = np.asarray(weights)[:MAX_UNITS]
        self.weights, self.biases, self.activation = w, np.asarray(biases)[:MAX_UNITS], activation
        columns = max(1, math.ceil(math.sqrt(w.shape[0] * 1.4)))
        self.columns = columns
        self.image.setImage(mosaic(w, columns), autoLevels=False)
        self.box.autoRange(padding=0.01)
        self._refresh_info()

    def set_input(self, image):
        self.input = np.asarray(image, np.float32).reshape(-1)
        self._refresh_info()

    def unit_at(self, x, y):
        """The unit whose tile holds image point (x, y), or None between tiles."""
        if self.weights is None or x < 0 or y < 0:
            return None
        step = SIDE + GAP
        c, r = int(x // step), int(y // step)
        if x - c * step >= SIDE or y - r * step >= SIDE or c >= self.columns:
            return None
        unit = r * self.columns + c
        return unit if unit < self.weights.shape[0] else None

    def firing(self, unit):
        """The unit's activation on the current input."""
        z = float(self.weights[unit] @ self.input + self.biases[unit].reshape(-1)[0])
        if self.activation is None:
            return z
        with np.errstate(over="ignore"):
            return float(self.activation.fn(np, np.array([z]), out=np.empty(1))[0])

    def hover_unit(self, unit):
        self.hovered = unit
        self._refresh_info()

    def _on_mouse_moved(self, scene_pos):
        point = self.image.mapFromScene(scene_pos)
        self.hover_unit(self.unit_at(point.x(), point.y()))

    def _refresh_info(self):
        if self.hovered is None or self.weights is None or self.hovered >= len(self.weights):
            shown = "" if self.weights is None else f"{len(self.weights)} units · "
            self.info.setText(f"{shown}red: ink here excites the unit, blue: inhibits it. "
                              "Hover a unit to see it fire on your drawing.")
            return
        self.info.setText(f"Unit {self.hovered}: fires {self.firing(self.hovered):.2f} on your "
                          "drawing")


def _diverging_lut():
    """Blue (negative) through near-black (zero) to red (positive), as a (256, 3) table."""
    t = np.linspace(-1, 1, 256)[:, None]
    blue, red, mid = np.array([60, 130, 240]), np.array([240, 70, 60]), np.array([20, 20, 24])
    lut = np.where(t < 0, mid + (-t) * (blue - mid), mid + t * (red - mid))
    return np.clip(lut, 0, 255).astype(np.uint8)
