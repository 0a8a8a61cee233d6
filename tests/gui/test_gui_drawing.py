"""Drawing on the canvas with real mouse events, and the prediction that follows each move."""

import numpy as np
from gui_strokes import MOVE, PRESS, RELEASE, board_point, circle, send, vertical_line
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from nndraw.gui.canvas import SIDE


def digit(window):
    return window.findChild(type(window.prediction.label), "predictionLabel").text()


def test_blank_canvas_shows_no_digit(window):
    assert window.canvas.objectName() == "canvas"
    assert digit(window) in ("", "–", "-")
    assert not window.canvas.ink().any()


def test_strokes_put_ink_on_the_canvas_and_the_prediction_follows(window, draw):
    canvas = window.canvas
    draw(canvas, vertical_line(canvas))
    ink = canvas.ink()
    assert ink.shape == (SIDE, SIDE) and ink.dtype == np.float32
    assert 0 < ink.max() <= 1
    # White ink on black, down the middle of the board.
    assert ink[SIDE // 2, SIDE // 2 - 3:SIDE // 2 + 3].max() > 0.9
    assert ink[:, :SIDE // 4].max() == 0
    assert digit(window)[0] == "1"
    assert window.prediction.bars.probabilities.argmax() == 1
    assert window.prediction.preview._image.pixelColor(14, 14).value() > 0

    window.findChild(QPushButton, "clearButton").click()
    draw(canvas, circle(canvas))
    assert digit(window)[0] == "0"


def test_fast_strokes_leave_no_gaps(window, draw):
    canvas = window.canvas
    # Two far-apart points: only the segment between them can fill the middle.
    draw(canvas, [board_point(canvas, 0.1, 0.5), board_point(canvas, 0.9, 0.5)])
    row = canvas.ink()[SIDE // 2]
    assert row[int(0.12 * SIDE):int(0.88 * SIDE)].min() > 0.9


def test_prediction_updates_on_every_move(window, draw):
    canvas = window.canvas
    seen = []
    canvas.drawing_changed.connect(lambda ink: seen.append(digit(window)))
    draw(canvas, vertical_line(canvas, steps=10))
    assert len(seen) == 11      # the press and each of the ten moves
    # Each one was read at once: a dot is not yet a digit ("?"), a 1 once the line is long.
    assert all(d == "?" or d[0].isdigit() for d in seen), seen
    assert seen[-1] == "1" and seen.count("1") >= 5, seen


def test_clear_button_escape_and_right_click(window, draw, qtbot):
    canvas = window.canvas
    draw(canvas, vertical_line(canvas))
    assert canvas.ink().any() and digit(window)[0].isdigit()
    qtbot.mouseClick(window.findChild(QPushButton, "clearButton"), Qt.MouseButton.LeftButton)
    assert not canvas.ink().any() and digit(window) in ("", "–")

    draw(canvas, vertical_line(canvas))
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not canvas.ink().any() and digit(window) in ("", "–")

    draw(canvas, vertical_line(canvas))
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not canvas.ink().any()

    draw(canvas, vertical_line(canvas))
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=board_point(canvas, 0.5, 0.5))
    assert not canvas.ink().any() and digit(window) in ("", "–")


def test_a_pen_draws_too(window):
    canvas = window.canvas
    device = QPointingDevice.primaryPointingDevice()
    kinds = ([QTabletEvent.Type.TabletPress]
             + [QTabletEvent.Type.TabletMove] * 20 + [QTabletEvent.Type.TabletRelease])
    for i, kind in enumerate(kinds):
        pos = QPointF(board_point(canvas, 0.5, 0.2 + 0.6 * i / 21))
        buttons = Qt.MouseButton.NoButton if kind == QTabletEvent.Type.TabletRelease \
            else Qt.MouseButton.LeftButton
        event = QTabletEvent(kind, device, pos, canvas.mapToGlobal(pos), 0.8, 0.0, 0.0, 0.0,
                             0.0, 0.0, Qt.KeyboardModifier.NoModifier,
                             Qt.MouseButton.LeftButton, buttons)
        QApplication.sendEvent(canvas, event)
    assert canvas.ink()[SIDE // 2].max() > 0.9
    assert digit(window)[0] == "1"


def test_three_hundred_moves_each_update_the_reading(window):
    """Canvas -> to_mnist -> predict -> repaint on every one of 300 real mouse moves (the time
    each takes is measured in benchmarks/bench_app.py, not here)."""
    canvas = window.canvas
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    points = circle(canvas, steps=300)
    updates = []
    canvas.drawing_changed.connect(lambda ink: updates.append(digit(window)))
    send(canvas, PRESS, points[0], left, left)
    for p in points[1:]:
        send(canvas, MOVE, p, none, left)
        QApplication.processEvents()        # the repaints the move asked for
    send(canvas, RELEASE, points[-1], left, none)
    assert len(updates) >= 301         # each move (and the board growing, if it does)
    assert digit(window)[0] == "0"


class PaintedAreas(QObject):
    """Records the rectangle of every paint event a widget receives."""

    def __init__(self, widget):
        super().__init__()
        self.rects = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def test_the_hint_leaves_the_board_when_drawing_starts(window, draw):
    """The first stroke repaints the whole board, so no fragment of "Draw a digit here" stays
    beside the ink (it used to: only the stroke's own rectangle was repainted)."""
    canvas = window.canvas
    QApplication.processEvents()
    painted = PaintedAreas(canvas)
    draw(canvas, [board_point(canvas, 0.1, 0.1), board_point(canvas, 0.1, 0.15)])
    QApplication.processEvents()
    board = canvas._board().toAlignedRect()
    assert any(rect.contains(board) for rect in painted.rects), painted.rects
