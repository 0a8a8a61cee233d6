"""How a drawing becomes the network's input, step by step, as a strip of small pictures:
the raw ink, the crop to the ink, the 20x20 box, the box placed in 28x28 *without* the centre
of mass shift (a red dot marks its centre of mass, a cross the field's centre), and the 28x28
the network sees, centred by mass like MNIST. Painted directly: cheap on every mouse move.
"""

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nndraw.data.preprocess import BOX, CENTRE, SIDE
from nndraw.gui.images import gray_image

CAPTIONS = ("your ink", "crop", "20×20", "placed", "centred")
TIPS = ("The drawing as you made it", "Cropped to the ink",
        "Scaled so the longer side is 20 pixels, as MNIST's digits were",
        "Put in the middle of 28x28: its centre of mass (red) misses the centre (cross)",
        "Shifted so its centre of mass is at the centre: what the network sees")


def _thumbnail(array, side=96):
    step = max(1, max(array.shape) // side)
    return array[::step, ::step]


class StagesStrip(QWidget):
    """`set_stages(ink, stages)` with preprocess.mnist_stages' result; blank ink shows empty
    frames."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("stagesStrip")
        self.setAccessibleName("How the drawing becomes the network's input")
        # Shrinks away, before anything else, when the window is made very small.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)
        # Paints its own background (the card's colour), so an update on every mouse move
        # does not repaint the styled card behind it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.images = [None] * len(CAPTIONS)
        self.mass = None        # (row, col) of the uncentred box's centre of mass in 28x28

    def sizeHint(self):
        return QSize(5 * 70, 84)

    def minimumSizeHint(self):
        return QSize(5 * 44, 0)

    def set_stages(self, ink, stages):
        if stages is None or stages.crop.size == 0:
            self.images, self.mass = [None] * len(CAPTIONS), None
            self.update()
            return
        box = stages.box
        placed = np.zeros((SIDE, SIDE), np.float32)
        top, left = (SIDE - box.shape[0]) // 2, (SIDE - box.shape[1]) // 2
        placed[top:top + box.shape[0], left:left + box.shape[1]] = box
        mass = placed.sum()
        self.mass = (placed.sum(axis=1) @ np.arange(SIDE) / mass,
                     placed.sum(axis=0) @ np.arange(SIDE) / mass)
        framed = np.zeros((BOX, BOX), np.float32)           # the box shown in its 20x20 frame
        framed[:box.shape[0], :box.shape[1]] = box
        # The ink and the crop are shown as thumbnails: every few pixels are plenty, and
        # converting all of a 280x280 drawing on every mouse move is not free.
        self.images = [gray_image(_thumbnail(ink)), gray_image(_thumbnail(stages.crop)),
                       gray_image(framed), gray_image(placed), gray_image(stages.image)]
        self.update()

    def _tile(self, i):
        count = len(CAPTIONS)
        caption_h = self.fontMetrics().height() + 2
        side = max(0.0, min((self.width() - 8 * (count - 1)) / count, self.height() - caption_h))
        gap = (self.width() - count * side) / max(count - 1, 1)
        return QRectF(i * (side + gap), 0, side, side)

    def mouseMoveEvent(self, event):
        for i in range(len(CAPTIONS)):
            tile = self._tile(i)
            if tile.left() <= event.position().x() <= tile.right():
                self.setToolTip(TIPS[i])

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Base))
        if self._tile(0).width() < 12:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        for i, caption in enumerate(CAPTIONS):
            tile = self._tile(i)
            painter.fillRect(tile, Qt.GlobalColor.black)
            image = self.images[i]
            if image is not None:
                target = tile
                if i in (0, 1):     # keep the ink's and the crop's aspect ratio
                    scale = min(tile.width() / image.width(), tile.height() / image.height())
                    w, h = image.width() * scale, image.height() * scale
                    target = QRectF(tile.center().x() - w / 2, tile.center().y() - h / 2, w, h)
                smooth = i == 0 or i == 1
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
                painter.drawImage(target, image)
            if i == 3 and self.mass is not None:
                cell = tile.width() / SIDE
                centre = QPointF(tile.left() + (CENTRE + 0.5) * cell,
                                 tile.top() + (CENTRE + 0.5) * cell)
                painter.setPen(QPen(QColor(80, 200, 255), 1.5))
                painter.drawLine(centre - QPointF(5, 0), centre + QPointF(5, 0))
                painter.drawLine(centre - QPointF(0, 5), centre + QPointF(0, 5))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(230, 60, 60))
                painter.drawEllipse(QPointF(tile.left() + (self.mass[1] + 0.5) * cell,
                                            tile.top() + (self.mass[0] + 0.5) * cell), 3, 3)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(palette.mid().color())
            painter.drawRect(tile.adjusted(0, 0, -0.5, -0.5))
            painter.setPen(faint)
            painter.drawText(QRectF(tile.left() - 6, tile.bottom() + 2, tile.width() + 12,
                                    self.fontMetrics().height()),
                             Qt.AlignmentFlag.AlignHCenter, caption)
        painter.end()
