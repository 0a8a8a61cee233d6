"""Drawing on the canvas with real mouse events, and the prediction that follows each move."""

import statistics
import time

import numpy as np
from gui_strokes import MOVE, PRESS, RELEASE, board_point, circle, send, vertical_line
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

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

    window.clear_button.click()
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
    assert len(seen) == 11 + 0  # the press and each of the ten moves


def test_clear_button_escape_and_right_click(window, draw, qtbot):
    canvas = window.canvas
    draw(canvas, vertical_line(canvas))
    assert canvas.ink().any() and digit(window)[0].isdigit()
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
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


def test_one_update_costs_a_few_milliseconds(window, capsys):
    """Canvas -> to_mnist -> predict -> repaint, timed per mouse move with real events."""
    canvas = window.canvas
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    points = circle(canvas, steps=300)
    send(canvas, PRESS, points[0], left, left)
    QApplication.processEvents()
    times = []
    for p in points[1:]:
        start = time.perf_counter()
        send(canvas, MOVE, p, none, left)
        QApplication.processEvents()        # the repaints the move asked for
        times.append(1000 * (time.perf_counter() - start))
    send(canvas, RELEASE, points[-1], left, none)
    times.sort()
    median, p95 = statistics.median(times), times[int(0.95 * len(times))]
    with capsys.disabled():
        print(f"\n[drawing update] median {median:.2f} ms, p95 {p95:.2f} ms "
              f"over {len(times)} mouse moves")
    assert digit(window)[0] == "0"
    assert median < 15, f"one drawing update takes {median:.1f} ms (median)"
