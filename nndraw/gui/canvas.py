"""The drawing surface: white ink on a black board, like the MNIST digits the network learned.

Strokes are painted into a fixed-size QImage (the backing store) as antialiased line segments
between successive pointer positions, with round caps and joins, so fast strokes leave no gaps.
The image is read back as a numpy *view* of its bytes, which makes `ink()` cheap enough to run
on every mouse move.

A number is written left to right: when a stroke ends near the right edge, the board grows
wider by half its height (up to four times its height), so there is always room for the next
digit. The window reads the pieces and hands back their boxes (`show_pieces`); hovering a box
chooses that digit (`piece_chosen`).
"""

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SIDE = 280          # backing-store pixels: ten per MNIST pixel
PEN_WIDTH = 19.0    # in backing-store pixels: MNIST's stroke width relative to a full-size digit
GROW_AT = 0.3       # a stroke ending with ink in the right 30 % of the board widens it ...
GROW_BY = SIDE // 2  # ... by this many pixels ...
WIDEST = 4 * SIDE   # ... up to this width


class Canvas(QWidget):
    """Draw with the mouse or a pen; right-click clears.

    Signals
        drawing_changed(ndarray)  the ink, float32 in [0, 1], white (1) on black (0)
        piece_chosen(int)         the mouse rests on the box of this piece (see show_pieces)
    """

    drawing_changed = Signal(object)
    piece_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAccessibleName("Drawing canvas")
        self.setToolTip("Draw a digit, or a number left to right; hover a digit's box for its "
                        "probabilities. Right-click or Esc clears.")
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self._image = QImage(SIDE, SIDE, QImage.Format.Format_RGB32)
        self._image.fill(Qt.GlobalColor.black)
        self._last = None       # the previous point of the stroke in progress, image coordinates
        self._empty = True
        self.hint = "Draw a digit here,\nor a number, left to right"
        self._pieces = []       # (box (top, left, bottom, right) in image pixels, label, refused)
        self._chosen = -1
        self._pen = None        # where the pen last put ink, image coordinates
        self.setMouseTracking(True)

    # ------------------------------------------------------------------ the drawing
    def ink(self):
        """The drawing as float32 ink in [0, 1] (a fresh array, shape (SIDE, width): square
        until the board grows for a longer number)."""
        width = self._image.width()
        bits = np.frombuffer(self._image.constBits(), np.uint8,
                             count=self._image.sizeInBytes())
        rows = bits.reshape(SIDE, self._image.bytesPerLine())
        blue = rows[:, 0:width * 4:4]       # white ink: every channel holds the same level
        return blue.astype(np.float32) * np.float32(1 / 255)

    def set_hint(self, text):
        """What the empty board invites ("Draw a digit here", or clothing for Fashion-MNIST)."""
        self.hint = text
        self.setToolTip(f"{text}. Right-click or Esc clears.")
        self.update()

    def show_pieces(self, pieces):
        """Box each piece read: `pieces` holds (box, label, refused) with the box as (top, left,
        bottom, right) in ink pixels; [] removes the boxes. Returns the piece chosen (drawn
        brighter): the one the pen last touched, else the last; -1 when there is none."""
        self._pieces = list(pieces)
        self._chosen = len(self._pieces) - 1
        if self._pen is not None:
            x, y = self._pen.x(), self._pen.y()
            for i, ((top, left, bottom, right), _, _) in enumerate(self._pieces):
                if left - 3 <= x <= right + 3 and top - 3 <= y <= bottom + 3:
                    self._chosen = i
        self.update()
        return self._chosen

    def _grow_if_full(self):
        """Widen the board when the ink reaches its right edge, keeping the drawing."""
        width = self._image.width()
        columns = np.flatnonzero(self.ink().max(axis=0) > 0)
        if width >= WIDEST or columns.size == 0 or columns[-1] < width * (1 - GROW_AT):
            return
        wider = QImage(min(width + GROW_BY, WIDEST), SIDE, QImage.Format.Format_RGB32)
        wider.fill(Qt.GlobalColor.black)
        painter = QPainter(wider)
        painter.drawImage(0, 0, self._image)
        painter.end()
        self._image = wider
        self.update()
        self.drawing_changed.emit(self.ink())

    def is_empty(self):
        return self._empty

    def clear(self):
        if self._image.width() != SIDE:
            self._image = QImage(SIDE, SIDE, QImage.Format.Format_RGB32)
        self._image.fill(Qt.GlobalColor.black)
        self._last = None
        self._empty = True
        self._pieces, self._chosen, self._pen = [], -1, None
        self.update()
        self.drawing_changed.emit(np.zeros((SIDE, SIDE), np.float32))

    def set_ink(self, ink):
        """Replace the drawing with `ink` (2-D, values in [0, 1], resized to the canvas's
        height; a wide picture keeps its shape, up to the widest board)."""
        from nndraw.data.preprocess import resize

        ink = np.clip(np.asarray(ink, np.float32), 0, 1)
        width = int(np.clip(round(SIDE * ink.shape[1] / max(ink.shape[0], 1)), SIDE, WIDEST))
        if ink.shape != (SIDE, width):
            ink = np.clip(resize(ink, SIDE, width), 0, 1)
        level = np.ascontiguousarray(np.round(ink * 255).astype(np.uint8))
        gray = QImage(level.tobytes(), width, SIDE, width, QImage.Format.Format_Grayscale8)
        self._image = gray.convertToFormat(QImage.Format.Format_RGB32)
        self._empty = not level.any()
        self._pen = None
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
        if self._last is not None:
            self._grow_if_full()
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
        self._pen = end
        dirty = QRectF(start, end).normalized().adjusted(-width, -width, width, width)
        if self._empty:     # the first touch: the hint across the board goes too
            self._empty = False
            self.update()
        else:
            self.update(self._to_widget(dirty).toAlignedRect())
        self.drawing_changed.emit(self.ink())

    # ------------------------------------------------------------------ geometry
    def _board(self):
        """The rectangle, in widget coordinates, where the image is shown: as large as fits,
        with the image's shape (a square until the board grows)."""
        aspect = self._image.width() / SIDE
        height = min(self.height(), self.width() / aspect)
        width = height * aspect
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def _to_image(self, pos):
        board = self._board()
        scale = SIDE / board.height()
        return QPointF((pos.x() - board.x()) * scale, (pos.y() - board.y()) * scale)

    def _to_widget(self, rect):
        board = self._board()
        scale = board.height() / SIDE
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
        self._paint_pieces(painter)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(board.adjusted(0.5, 0.5, -0.5, -0.5))

    def _paint_pieces(self, painter):
        """A box around each digit read, its label above it; orange for what is no digit."""
        if len(self._pieces) < 2 and not any(refused for _, _, refused in self._pieces):
            return      # one digit needs no box: the drawing stays as clean as before
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for i, ((top, left, bottom, right), label, refused) in enumerate(self._pieces):
            rect = self._to_widget(QRectF(left, top, right - left, bottom - top))
            rect = rect.adjusted(-4, -4, 4, 4)
            colour = QColor(255, 150, 40) if refused else QColor(80, 200, 255)
            colour.setAlpha(255 if i == self._chosen else 130)
            painter.setPen(QPen(colour, 2.5 if i == self._chosen else 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, 4, 4)
            painter.drawText(QRectF(rect.left(), rect.top() - 18, rect.width(), 16),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             "not a digit" if refused and len(self._pieces) == 1 else label)

    def _piece_at(self, pos):
        for i, ((top, left, bottom, right), _, _) in enumerate(self._pieces):
            rect = self._to_widget(QRectF(left, top, right - left, bottom - top))
            if rect.adjusted(-4, -4, 4, 4).contains(pos):
                return i
        return -1

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.RightButton:
            self.clear()
        elif event.button() == Qt.MouseButton.LeftButton:
            self._begin(self._to_image(event.position()), PEN_WIDTH)
        event.accept()

    def mouseMoveEvent(self, event):
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(self._to_image(event.position()), PEN_WIDTH)
        elif not event.buttons():
            piece = self._piece_at(event.position())
            if piece >= 0 and piece != self._chosen:
                self._chosen = piece
                self.update()
                self.piece_chosen.emit(piece)
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
