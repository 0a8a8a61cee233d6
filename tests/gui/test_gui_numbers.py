"""Writing a number on the canvas with real mouse events, and marks that are not digits."""

import math

from gui_strokes import MOVE, NONE, board_point, send
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QPushButton

from nndraw.gui.canvas import SIDE


def shown(window):
    return window.prediction.label.text(), window.prediction.confidence.text()


def one(canvas):
    return [board_point(canvas, 0.17, 0.25 + 0.5 * i / 20) for i in range(21)]


def zero(canvas):
    return [board_point(canvas, 0.47 + 0.1 * math.sin(2 * math.pi * i / 40),
                        0.5 - 0.25 * math.cos(2 * math.pi * i / 40)) for i in range(41)]


def seven(canvas):
    corner = [board_point(canvas, 0.7 + 0.2 * i / 10, 0.25) for i in range(11)]
    return corner + [board_point(canvas, 0.9 - 0.12 * i / 20, 0.25 + 0.5 * i / 20)
                     for i in range(1, 21)]


def test_gui_writes_a_three_digit_number_and_reads_it(window, draw):
    canvas = window.canvas
    draw(canvas, one(canvas))
    assert shown(window)[0] == "1"
    draw(canvas, zero(canvas))
    draw(canvas, seven(canvas))
    assert shown(window)[0] == "107"
    # The 7 reached the right edge: the board grew wider for the next digit, ink kept.
    ink = canvas.ink()
    assert ink.shape[0] == SIDE and ink.shape[1] > SIDE
    assert ink[:, :SIDE].sum() > 0 and not ink[:, SIDE:].any()
    # Each digit is boxed; resting the mouse on the first box shows that digit's bars.
    boxes = [box for box, _, _ in canvas._pieces]
    assert len(boxes) == 3 and boxes == sorted(boxes, key=lambda b: b[1])
    top, left, bottom, right = boxes[0]
    board = canvas._board()
    scale = board.height() / SIDE
    middle = QPointF(board.x() + (left + right) / 2 * scale, board.y() + (top + bottom) / 2 * scale)
    send(canvas, MOVE, middle, NONE, NONE)
    assert window.prediction.bars.probabilities.argmax() == 1
    assert shown(window)[1].startswith("digit 1 of 3: 1, ")
    strip = window.prediction.stages
    assert strip.images[1].width() < 0.3 * SIDE    # the stages show the 1's crop, not all
    window.findChild(QPushButton, "clearButton").click()
    assert canvas.ink().shape == (SIDE, SIDE) and shown(window)[0] in ("", "–")


def test_gui_a_dash_is_not_a_digit(window, draw):
    canvas = window.canvas
    draw(canvas, [board_point(canvas, 0.3 + 0.4 * i / 20, 0.5) for i in range(21)])
    label, confidence = shown(window)
    assert confidence == "Not a digit" and "%" not in confidence
    assert not window.prediction.bars.probabilities.any()     # no 99 % bar
    assert label == "?"


def test_gui_a_network_trained_in_the_window_still_refuses_a_dash(window, qtbot, draw):
    from test_gui_training import configure, train_button

    configure(window, hidden="30", epochs=2)
    shipped = window.session.model.network
    train_button(window).click()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=30_000)
    assert window.session.model.network is not shipped
    canvas = window.canvas
    draw(canvas, [board_point(canvas, 0.3 + 0.4 * i / 20, 0.45 + 0.1 * i / 20) for i in range(21)])
    assert shown(window) == ("?", "Not a digit")
    canvas.clear()
    draw(canvas, one(canvas))
    draw(canvas, zero(canvas))
    label = shown(window)[0]    # a network this small may misread them: two digits, though
    assert len(label) == 2 and label.isdigit()
