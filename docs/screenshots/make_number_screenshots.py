"""Make docs/screenshots/number.png and not-a-digit.png: a number written on the canvas with
real mouse events, each digit boxed, the second one chosen by resting the mouse on it; then a
number with a wave in it, answered "?" and "not a digit". Runs offscreen:

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_number_screenshots.py
"""

import math
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRect, QSettings  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "tests" / "gui"))
sys.path.insert(0, str(HERE.parents[1]))
from gui_strokes import MOVE, NONE, draw, send  # noqa: E402  the tests' real mouse strokes


def at(canvas, x, y):
    """The widget point of image pixel (x, y) (the board is 280 pixels high, however wide)."""
    board = canvas._board()
    scale = board.height() / 280
    return QPointF(board.x() + x * scale, board.y() + y * scale).toPoint()


def two(cx):
    arc = [(cx + 26 * math.cos(a), 100 + 30 * math.sin(a))
           for a in (math.radians(200 + 190 * i / 24) for i in range(25))]
    return arc + [(cx - 28, 205), (cx - 16, 203), (cx + 30, 205)]


def zero(cx):
    return [(cx + 25 * math.sin(a), 140 - 66 * math.cos(a))
            for a in (2 * math.pi * i / 40 for i in range(41))]


def six(cx):
    stem = [(cx + 22 - 46 * i / 12, 70 + 100 * i / 12) for i in range(13)]
    loop = [(cx + 26 * math.cos(a), 175 + 32 * math.sin(a))
            for a in (math.pi + 2 * math.pi * i / 36 for i in range(37))]
    return stem + loop


def wave(cx):
    return [(cx - 40 + 80 * i / 40, 140 + 16 * math.sin(i / 40 * 4 * math.pi)) for i in range(41)]


def write(canvas, strokes):
    for stroke in strokes:
        draw(canvas, [at(canvas, x, y) for x, y in stroke])


def cards(window):
    """The Draw and Prediction cards, side by side, as one picture."""
    rects = [w.parentWidget() for w in (window.canvas, window.prediction)]
    union = QRect()
    for card in rects:
        union = union.united(QRect(card.mapTo(window, card.rect().topLeft()), card.size()))
    return window.grab(union.adjusted(-8, -8, 8, 8))


def main():
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from nndraw.gui.app import application
    from nndraw.gui.main_window import MainWindow

    app = application()
    window = MainWindow(personal_dir=tempfile.mkdtemp(prefix="nndraw-screens-own-"))
    window.resize(1100, 880)
    window.show()
    app.processEvents()
    canvas = window.canvas
    write(canvas, [two(60), zero(160), two(260)])
    write(canvas, [six(360)])
    app.processEvents()
    box = canvas._pieces[1][0]      # rest the mouse on the 0
    send(canvas, MOVE, at(canvas, (box[1] + box[3]) / 2, (box[0] + box[2]) / 2), NONE, NONE)
    app.processEvents()
    cards(window).save(str(HERE / "number.png"))
    canvas.clear()
    write(canvas, [two(60), wave(165)])
    write(canvas, [six(270)])
    app.processEvents()
    box = canvas._pieces[1][0]      # rest the mouse on the wave
    send(canvas, MOVE, at(canvas, (box[1] + box[3]) / 2, (box[0] + box[2]) / 2), NONE, NONE)
    app.processEvents()
    cards(window).save(str(HERE / "not-a-digit.png"))
    window.session.model.saved = True   # only a picture: nothing to keep
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
