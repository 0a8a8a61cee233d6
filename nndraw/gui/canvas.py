"""The drawing surface: white ink on a black board, like the MNIST digits the network learned.

Strokes are painted into a fixed-size QImage (the backing store) as antialiased line segments
between successive pointer positions, with round caps and joins, so fast strokes leave no gaps.
The image is read back as a numpy *view* of its bytes, which makes `ink()` cheap enough to run
on every mouse move.
"""

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SIDE = 280          # backing-store pixels: ten per MNIST pixel
PEN_WIDTH = 19.0    # in backing-store pixels: MNIST's stroke width relative to a full-size digit


class Canvas(QWidget):
    """Draw with the mouse or a pen; right-click clears.

    Signals
        drawing_changed(ndarray)  the ink, float32 in [0, 1], white (1) on black (0)
    """

    drawing_changed = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAccessibleName("Drawing canvas")
        self.setToolTip("Draw a digit here. Right-click or Esc clears.")
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self._image = QImage(SIDE, SIDE, QImage.Format.Format_RGB32)
        self._image.fill(Qt.GlobalColor.black)
        self._last = None       # the previous point of the stroke in progress, image coordinates
        self._empty = True
        self.hint = "Draw a digit here"

    # ------------------------------------------------------------------ the drawing
    def ink(self):
        """The drawing as float32 ink in [0, 1] (a fresh array, shape (SIDE, SIDE))."""
        bits = np.frombuffer(self._image.constBits(), np.uint8,
                             count=self._image.sizeInBytes())
        rows = bits.reshape(SIDE, self._image.bytesPerLine())
        blue = rows[:, 0:SIDE * 4:4]        # white ink: every channel holds the same level
        return blue.astype(np.float32) * np.float32(1 / 255)

    def set_hint(self, text):
        """What the empty board invites ("Draw a digit here", or clothing for Fashion-MNIST)."""
        self.hint = text
        self.setToolTip(f"{text}. Right-click or Esc clears.")
        self.update()

    def is_empty(self):
        return self._empty

    def clear(self):
        self._image.fill(Qt.GlobalColor.black)
        self._last = None
        self._empty = True
        self.update()
        self.drawing_changed.emit(np.zeros((SIDE, SIDE), np.float32))

    def set_ink(self, ink):
        """Replace the drawing with `ink` (2-D, values in [0, 1], resized to the canvas)."""
        from nndraw.data.preprocess import resize

        ink = np.clip(np.asarray(ink, np.float32), 0, 1)
        if ink.shape != (SIDE, SIDE):
            ink = np.clip(resize(ink, SIDE, SIDE), 0, 1)
        level = np.round(ink * 255).astype(np.uint8)
        gray = QImage(level.tobytes(), SIDE, SIDE, SIDE, QImage.Format.Format_Grayscale8)
        self._image = gray.convertToFormat(QImage.Format.Format_RGB32)
        self._empty = not level.any()
        self.update()
        self.drawing_changed.emit(self.ink())

    # ------------------------------------------------------------------ strokes
    def _begin(self, point, width):
        self._last = point
        self._paint(point, point, width)

    def _extend(self, point, width):
        if self._last is None:
            return
        self._paint(self._last, point, width)
        self._last = point

    def _end(self):
        self._last = None

    def _paint(self, start, end, width):
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(255, 255, 255), width, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        if start == end:
            painter.drawPoint(start)
        else:
            painter.drawLine(start, end)
        painter.end()
        dirty = QRectF(start, end).normalized().adjusted(-width, -width, width, width)
        if self._empty:     # the first touch: the hint across the board goes too
            self._empty = False
            self.update()
        else:
            self.update(self._to_widget(dirty).toAlignedRect())
        self.drawing_changed.emit(self.ink())

    # ------------------------------------------------------------------ geometry
    def _board(self):
        """The square, in widget coordinates, where the image is shown."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_image(self, pos):
        board = self._board()
        scale = SIDE / board.width()
        return QPointF((pos.x() - board.x()) * scale, (pos.y() - board.y()) * scale)

    def _to_widget(self, rect):
        board = self._board()
        scale = board.width() / SIDE
        return QRectF(board.x() + rect.x() * scale, board.y() + rect.y() * scale,
                      rect.width() * scale, rect.height() * scale)

    def sizeHint(self):
        return QSize(360, 360)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return width

    # ------------------------------------------------------------------ events
    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        board = self._board()
        painter.drawImage(board, self._image)
        if self._empty:
            painter.setPen(QColor(255, 255, 255, 90))
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.3)
            painter.setFont(font)
            painter.drawText(board, Qt.AlignmentFlag.AlignCenter, self.hint)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(board.adjusted(0.5, 0.5, -0.5, -0.5))

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.RightButton:
            self.clear()
        elif event.button() == Qt.MouseButton.LeftButton:
            self._begin(self._to_image(event.position()), PEN_WIDTH)
        event.accept()

    def mouseMoveEvent(self, event):
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(self._to_image(event.position()), PEN_WIDTH)
        event.accept()

    def mouseReleaseEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self._end()
        event.accept()

    def tabletEvent(self, event):
        """A pen: the stroke widens with pressure (accepting the event stops Qt from also
        delivering it as a mouse event)."""
        kind = event.type()
        pressure = event.pressure()
        width = PEN_WIDTH * (0.6 + 0.6 * pressure) if pressure > 0 else PEN_WIDTH
        point = self._to_image(event.position())
        if kind == event.Type.TabletPress:
            self._begin(point, width)
        elif kind == event.Type.TabletMove and event.buttons():
            self._extend(point, width)
        elif kind == event.Type.TabletRelease:
            self._end()
        event.accept()
